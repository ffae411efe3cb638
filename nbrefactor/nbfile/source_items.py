"""The items of a list `source` value as the file holds them, read one at a time.

`source_value` writes a list value item by item when it is too large to
decode whole, or when some old item is not written as `json.dumps` writes it:
the old items are cut out of the file's bytes (`split_items`, `scanned_items`)
and read in one pass (`OldItems.scan`), so that an unchanged line keeps its
bytes and nothing the size of a huge cell is copied.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat
from json.decoder import scanstring  # type: ignore[attr-defined]  # typeshed omits it
from json.encoder import encode_basestring, encode_basestring_ascii

# ensure_ascii -> the function `json.dumps` calls to encode a string (to `str`).
STRING_ENCODERS: dict[bool, Callable[[str], str]] = {
    True: encode_basestring_ascii,
    False: encode_basestring,
}


def encoded_line(line: str, ensure_ascii: bool) -> bytes:
    """`json.dumps(line, ensure_ascii=...)`, by the functions it calls for a string."""
    return STRING_ENCODERS[ensure_ascii](line).encode("utf-8")


# A JSON string of printable ASCII, no escape but a final newline's: `json.dumps` writes its
# text so, with or without `ensure_ascii`.
_PLAIN_ITEM = re.compile(rb'"([ !#-\[\]-~]*)(\\n)?"')


def _plain_text(plain: re.Match[bytes]) -> str:
    return plain.group(1).decode("ascii") + ("\n" if plain.group(2) else "")


def _decoded(item: bytes) -> str | None:
    """The string a raw list item holds (`json.loads`, by the scanner it calls), or None
    when the item is not one JSON string."""
    try:
        text = item.decode("utf-8")
        if not text.startswith('"'):
            return None
        value, end = scanstring(text, 1)
    except ValueError:  # UnicodeDecodeError and JSONDecodeError among them
        return None
    return value if not text[end:].strip(" \t\n\r") else None


# The line boundaries of `str.splitlines` (so nbformat's): the newlines, then the others.
SPLITLINES_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_OTHER_BREAK = re.compile(f"[{SPLITLINES_BREAKS[2:]}]")
_OTHER_BREAKS = tuple(SPLITLINES_BREAKS[2:])
# An item ending with one of them ends a line as nbformat cuts lines, and is no glued item
# (one whose line lost its newline).
LINE_ENDS = tuple(SPLITLINES_BREAKS)


def cut_at_newlines_only(text: str) -> bool:
    """Whether an old item holds a line boundary of `str.splitlines` other than a newline
    before its end: its writer cut the lines at newlines only (nbformat's `splitlines` cuts
    at `\u2028` too), and so must the new lines be cut, for unchanged items to stay whole."""
    return _OTHER_BREAK.search(text, 0, len(text) - 1) is not None


def holds_lines(text: str) -> bool:
    """Whether an old item holds a newline before its end: a list of several lines to an
    item (emd's notebooks store a cell as one item), which new lines must not be cut into
    one item each."""
    end = len(text) - (2 if text.endswith("\r\n") else text.endswith(("\n", "\r")))
    return text.find("\n", 0, end) >= 0 or text.find("\r", 0, end) >= 0


def any_holds_lines(items: list[str], joined: str) -> bool:
    """`any(holds_lines(item) for item in items)`, where `joined` is the items joined,
    counted by C loops (no Python step per line): an item holds a line break before its
    end exactly when it holds more breaks (\\n, \\r\\n, \\r) than the one it may end
    with. `joined` holds as many \\n and \\r as the items; a \\r\\n is counted item by
    item (two items may join one), and only when there is a \\r."""
    breaks = joined.count("\n")
    returns = joined.count("\r")
    if returns:
        breaks += returns - sum(map(str.count, items, repeat("\r\n")))
    return breaks > sum(map(str.endswith, items, repeat(("\n", "\r"))))


def any_glued(items: list[str]) -> bool:
    """Whether an item but the last does not end a line (`LINE_ENDS`): a line that lost its
    newline; by a C loop over the items."""
    return not all(map(str.endswith, items[:-1], repeat(LINE_ENDS)))


def any_cut_at_newlines_only(items: list[str], joined: str) -> bool:
    """`any(cut_at_newlines_only(item) for item in items)`, where `joined` is the items
    joined: nearly always answered by `joined` holding no other boundary, found by a `str.find`
    for each (a word at a time, where the pattern steps a character at a time)."""
    if not any(map(joined.__contains__, _OTHER_BREAKS)):
        return False
    return any(cut_at_newlines_only(item) for item in items)


@dataclass(frozen=True)
class OldItems:
    """What writing a list needs of the old items, read in one pass, one item at a time."""

    join_to_source: bool
    glued: bool  # an item but the last does not end with a newline
    newlines_only: bool  # an item was cut at newlines only (`cut_at_newlines_only`)
    several_lines: bool  # an item holds several lines (`holds_lines`)
    single: bool  # one item
    # An unchanged line keeps its item's bytes (the last item of that text): only the items
    # that differ from their text encoded anew are remembered.
    unlike_encoded: dict[str, bytes]

    @classmethod
    def scan(cls, items: Iterable[bytes], source: str, ensure_ascii: bool) -> OldItems | None:
        """None when an item is not one JSON string."""
        position, same, glued, newlines_only, several_lines = 0, True, False, False, False
        unlike_encoded: dict[str, bytes] = {}
        previous = None
        count = 0
        for item in items:
            count += 1
            plain = _PLAIN_ITEM.fullmatch(item)  # encoded anew, the same bytes
            text = _plain_text(plain) if plain else _decoded(item)
            if text is None:
                return None
            glued = glued or (previous is not None and not previous.endswith(LINE_ENDS))
            newlines_only = newlines_only or (not plain and cut_at_newlines_only(text))
            several_lines = several_lines or holds_lines(text)
            previous = text
            if same:
                same = source.startswith(text, position)
                position += len(text)
            if plain or item == encoded_line(text, ensure_ascii):
                if unlike_encoded:
                    unlike_encoded.pop(text, None)
            else:
                unlike_encoded[text] = item
        joins = same and position == len(source)
        return cls(joins, glued, newlines_only, several_lines, count == 1, unlike_encoded)


# A JSON string, its escapes taken one at a time (no backtracking: linear in the text).
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


_INDENTED_LIST = re.compile(rb"\[(\r?\n[ \t]*)\"")


def split_items(raw: bytes, start: int, end: int) -> Iterator[bytes]:
    """The raw bytes of each item of the indented JSON list of strings in raw[start:end],
    one at a time.

    In an indented list the separator (`",\n   "`) cannot occur inside a JSON
    string, which holds no raw newline: cutting at it is exact, and much faster
    than scanning, when every piece is one JSON string (`OldItems.scan` checks).
    """
    layout = _INDENTED_LIST.match(raw, start, end)
    if not layout:
        yield b""  # not one JSON string: the items are scanned instead
        return
    separator = b"," + layout.group(1)
    position = layout.end() - 1
    last = raw.rfind(b'"', start, end) + 1
    while (found := raw.find(separator, position, last)) >= 0:
        yield raw[position:found]
        position = found + len(separator)
    yield raw[position:last]


def scanned_items(raw: bytes, start: int, end: int) -> Iterator[bytes]:
    """The raw bytes of each item of the JSON list of strings in raw[start:end], in any
    layout: a list of strings holds nothing else but commas and whitespace."""
    return (match.group() for match in _JSON_STRING.finditer(raw, start, end))

"""A new `source` value, written as the file writes its values and shaped like the old one.

`splice` finds where each changed cell's `source` value lies in the file's
bytes; this module writes the value that replaces it: the file's escaping
(`\\uXXXX` or not), a string where there was a string, a list of lines in the
old list's layout, unchanged lines with their old bytes. A huge cell is read
and written item by item, never decoded, split or joined whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from json.decoder import scanstring  # type: ignore[attr-defined]  # typeshed omits it
from json.encoder import encode_basestring, encode_basestring_ascii

from nbrefactor.nbfile.notebook import bom_length

_NON_ASCII = re.compile(rb"[\x80-\xff]")
_NON_ASCII_ESCAPE = re.compile(
    rb"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})"
)


@dataclass(frozen=True)
class FileStyle:
    """How the file was serialised, for values that must be written anew."""

    indent_unit: bytes | None  # None: everything on one line
    newline: bytes
    ensure_ascii: bool

    @classmethod
    def detect(cls, raw: bytes) -> FileStyle:
        start = bom_length(raw)
        first_key = re.compile(rb"\{(\r?\n)([ \t]*)\"").match(raw, start)
        if first_key:
            indent_unit: bytes | None = first_key.group(2)
            newline = first_key.group(1)
        else:
            indent_unit, newline = None, b"\n"
        return cls(indent_unit=indent_unit, newline=newline, ensure_ascii=_prefers_ascii(raw))


def _prefers_ascii(raw: bytes, start: int = 0, end: int | None = None) -> bool:
    """True when the JSON in raw[start:end] escapes non-ASCII characters as \\uXXXX."""
    end = len(raw) if end is None else end
    if not _is_ascii(raw, start, end):
        return False
    return _NON_ASCII_ESCAPE.search(raw, start, end) is not None


def _is_ascii(raw: bytes, start: int, end: int) -> bool:
    """Whether raw[start:end] is ASCII: `bytes.isascii` (a word at a time, a hundred times
    the pattern's speed) on the whole file or a copy of a value of at most `_WHOLE_VALUE`
    bytes; the pattern, which copies nothing, on a larger value."""
    if start == 0 and end == len(raw):
        return raw.isascii()
    if end - start <= _WHOLE_VALUE:
        return raw[start:end].isascii()
    return _NON_ASCII.search(raw, start, end) is None


def _joins_to(value: str | list[str], text: str) -> bool:
    """Whether the `source` value, joined, is `text`: compared in place, nothing joined."""
    if isinstance(value, str):
        return value == text
    position = 0
    for item in value:
        if not text.startswith(item, position):
            return False
        position += len(item)
    return position == len(text)


# The line boundaries of `str.splitlines`, for its lines one at a time.
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_SPLITLINES = re.compile(f"[^{_BREAKS}]*(?:\r\n|[{_BREAKS}])|[^{_BREAKS}]+\\Z")


def _lines_of(source: str) -> Iterator[str]:
    """`source.splitlines(keepends=True)`, one line at a time: a huge cell is not copied."""
    return (match.group() for match in _SPLITLINES.finditer(source))


def encode_source(
    raw: bytes, start: int, end: int, source: str, style: FileStyle, reuse_identical: bool
) -> Iterator[bytes]:
    """The JSON for a new `source`, shaped like the value it replaces, in pieces.

    An unchanged source keeps its bytes (`reuse_identical`; tests turn it off
    to check that the encoder alone reproduces the file's style). A list is
    read item by item, in place in the file's bytes, and written item by item:
    nothing the size of a huge cell is copied, decoded, split into a list or
    joined.
    """
    ensure_ascii = style.ensure_ascii if _is_ascii(raw, start, end) else False
    if _prefers_ascii(raw, start, end):
        ensure_ascii = True
    if not raw.startswith(b"[", start):
        original = raw[start:end]
        if reuse_identical and json.loads(original) == source:
            yield original
        else:
            yield _encoded(source, ensure_ascii)
        return
    if end - start <= _WHOLE_VALUE:
        whole = _list_encoded_whole(raw, start, end, source, style, ensure_ascii, reuse_identical)
        if whole is not None:
            yield whole
            return
    items = _split_items
    old = _OldItems.scan(items(raw, start, end), source, ensure_ascii)
    if old is None:  # not one string between two separators: the items are scanned
        items = _scanned_items
        old = _OldItems.scan(items(raw, start, end), source, ensure_ascii)
        assert old is not None
    if reuse_identical and old.join_to_source:
        yield raw[start:end]
        return
    if not source:
        yield b"[]"
        return
    lines: Iterable[str]
    if old.glued:  # a list whose lines lost their newlines
        lines = _anchored_pieces(source, json.loads(raw[start:end]))
    else:
        lines = _lines_of(source)
    first_items = list(islice(items(raw, start, end), 2))
    opening, separator, closing = _list_layout(raw, start, end, first_items, style)
    unlike_encoded = old.unlike_encoded
    encoded = (unlike_encoded.get(line) or _encoded(line, ensure_ascii) for line in lines)
    yield b"[" + opening
    between = b""
    while batch := list(islice(encoded, _BATCH)):  # a few thousand items to a piece
        yield between + separator.join(batch)
        between = separator
    yield closing + b"]"


_BATCH = 4096
# A list value at most this large is written by `_list_encoded_whole`, in a few C calls;
# a larger one item by item, never copied whole.
_WHOLE_VALUE = 1 << 20


def _list_encoded_whole(
    raw: bytes,
    start: int,
    end: int,
    source: str,
    style: FileStyle,
    ensure_ascii: bool,
    reuse_identical: bool,
) -> bytes | None:
    """The new list value, when the old one is what Jupyter and json.dumps write: strings,
    each encoded as `_encoded` encodes it, one separator between them; else None.

    Then no old item keeps bytes of its own, and the value is the one the
    item-by-item path writes (a test compares them), built by json's decoder,
    its string encoder over `map` and `str.join`: the per-item Python of that
    path is most of the cost of writing a notebook's usual cells.
    """
    value = raw[start:end]
    try:
        old = json.loads(value)
        joined = "".join(old)  # TypeError: not a list of strings
    except (ValueError, TypeError):
        return None
    if type(old) is not list:
        return None
    opening, separator, closing = _list_layout(
        raw, start, end, list(islice(_scanned_items(raw, start, end), 2)), style
    )
    between = separator.decode("ascii")  # JSON whitespace and a comma
    encode = encode_basestring_ascii if ensure_ascii else encode_basestring
    if old and b"[" + opening + between.join(map(encode, old)).encode() + closing + b"]" != value:
        return None  # an item escaped otherwise, or separators that differ
    if reuse_identical and joined == source:
        return value
    if not source:
        return b"[]"
    glued = any(not item.endswith(("\n", "\r")) for item in old[:-1])
    lines = _anchored_pieces(source, old) if glued else source.splitlines(keepends=True)
    return b"[" + opening + between.join(map(encode, lines)).encode() + closing + b"]"


def _encoded(line: str, ensure_ascii: bool) -> bytes:
    """`json.dumps(line, ensure_ascii=...)`, by the functions it calls for a string."""
    return (encode_basestring_ascii if ensure_ascii else encode_basestring)(line).encode("utf-8")


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


@dataclass(frozen=True)
class _OldItems:
    """What writing a list needs of the old items, read in one pass, one item at a time."""

    join_to_source: bool
    glued: bool  # an item but the last does not end with a newline
    # An unchanged line keeps its item's bytes (the last item of that text): only the items
    # that differ from their text encoded anew are remembered.
    unlike_encoded: dict[str, bytes]

    @classmethod
    def scan(cls, items: Iterable[bytes], source: str, ensure_ascii: bool) -> _OldItems | None:
        """None when an item is not one JSON string."""
        position, same, glued = 0, True, False
        unlike_encoded: dict[str, bytes] = {}
        previous = None
        for item in items:
            plain = _PLAIN_ITEM.fullmatch(item)  # encoded anew, the same bytes
            text = _plain_text(plain) if plain else _decoded(item)
            if text is None:
                return None
            glued = glued or (previous is not None and not previous.endswith(("\n", "\r")))
            previous = text
            if same:
                same = source.startswith(text, position)
                position += len(text)
            if plain or item == _encoded(text, ensure_ascii):
                if unlike_encoded:
                    unlike_encoded.pop(text, None)
            else:
                unlike_encoded[text] = item
        return cls(same and position == len(source), glued, unlike_encoded)


# Above this much searching, a glued list is split at its lines instead (see below).
_ANCHORING_WORK = 10_000_000


def _anchored_pieces(source: str, items: list[str]) -> list[str]:
    """Cut a new source into list items the way the old items were cut.

    A list-of-lines source whose items lost their newlines (a title cell saved
    as one line per heading, glued) cannot be split at line ends without
    turning the whole cell into one item. Instead each old item is looked up
    in order in the new text and kept as an item where found; the text between
    them (what changed) becomes items of its own. The pieces always join to
    the new source; only where they are cut depends on the search.
    """
    if len(items) * len(source) > _ANCHORING_WORK:
        return source.splitlines(keepends=True)
    pieces, position = [], 0
    for item in items:
        found = source.find(item, position) if item else -1
        if found < 0:
            continue
        if found > position:
            pieces.append(source[position:found])
        pieces.append(item)
        position = found + len(item)
    if position < len(source):
        pieces.append(source[position:])
    return pieces


# A JSON string, its escapes taken one at a time (no backtracking: linear in the text).
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


_INDENTED_LIST = re.compile(rb"\[(\r?\n[ \t]*)\"")


def _split_items(raw: bytes, start: int, end: int) -> Iterator[bytes]:
    """The raw bytes of each item of the indented JSON list of strings in raw[start:end],
    one at a time.

    In an indented list the separator (`",\n   "`) cannot occur inside a JSON
    string, which holds no raw newline: cutting at it is exact, and much faster
    than scanning, when every piece is one JSON string (`_OldItems.scan` checks).
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


def _scanned_items(raw: bytes, start: int, end: int) -> Iterator[bytes]:
    """The raw bytes of each item of the JSON list of strings in raw[start:end], in any
    layout: a list of strings holds nothing else but commas and whitespace."""
    return (match.group() for match in _JSON_STRING.finditer(raw, start, end))


# What `bytes.rstrip()` strips.
_WHITESPACE = frozenset(bytes([character]) for character in b" \t\n\r\x0b\x0c")


def _list_layout(
    raw: bytes, start: int, end: int, items: list[bytes], style: FileStyle
) -> tuple[bytes, bytes, bytes]:
    """Whitespace after '[', between items, and before ']' for the source list in
    raw[start:end]."""
    if items:
        first = raw.index(items[0], start, end)
        opening = raw[start + 1 : first]
        closing_start = end - 1  # back over the whitespace before ']': no copy
        while closing_start > start and raw[closing_start - 1 : closing_start] in _WHITESPACE:
            closing_start -= 1
        closing = raw[closing_start : end - 1]
        if len(items) > 1:
            after_first = first + len(items[0])
            separator = raw[after_first : raw.index(items[1], after_first, end)]
        else:
            separator = b"," + opening if opening else b", "
        return opening, separator, closing
    if style.indent_unit is None:
        return b"", b", ", b""
    line_start = raw.rfind(b"\n", 0, start) + 1
    line_head = raw[line_start:start]
    key_indent = line_head[: len(line_head) - len(line_head.lstrip(b" \t"))]
    opening = style.newline + key_indent + style.indent_unit
    return opening, b"," + opening, style.newline + key_indent

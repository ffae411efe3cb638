"""Writing a changed notebook back: new `source` values spliced into the original bytes.

Every byte outside the changed cells' `source` values stays exactly as it was:
the file's indentation, key order, escaping and final newline, the outputs and
metadata. A new `source` value is shaped like the one it replaces (a string
stays a string, a list of lines keeps its layout, unchanged lines keep their
bytes), so `git diff` shows only the code that changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from json.decoder import scanstring  # type: ignore[attr-defined]  # typeshed omits it
from json.encoder import encode_basestring, encode_basestring_ascii

from nbrefactor.nbfile.json_scan import member_spans
from nbrefactor.nbfile.notebook import Notebook, NotebookError, bom_length

_NON_ASCII_ESCAPE = re.compile(
    rb"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})"
)


def render(
    notebook: Notebook, new_sources: Mapping[int, str], reuse_identical: bool = True
) -> Iterator[bytes | memoryview]:
    """Yield the pieces of the new file; `new_sources` maps cell number to text.

    Pieces (views of the original bytes where nothing changed) rather than one
    object, so that a large notebook is not copied while it is written.
    """
    raw = memoryview(notebook.raw)
    if not new_sources:
        yield raw
        return
    wanted = frozenset(new_sources)
    if notebook.streamed:
        spans = _source_spans_in_cells(notebook.raw, notebook.cell_spans, wanted)
    else:
        spans = _source_spans(notebook.raw, wanted)
    style = _FileStyle.detect(notebook.raw)
    edits = []
    for number in sorted(new_sources):
        if not spans.get(number):
            raise NotebookError(f"cell {number} has no 'source' to change")
        # A `source` given twice (with the same value) is replaced in each copy.
        edits += [(start, end, number) for start, end in spans[number]]
    position = 0
    for start, end, number in sorted(edits):
        yield raw[position:start]
        yield from _encode_source(
            notebook.raw, start, end, new_sources[number], style, reuse_identical
        )
        position = end
    yield raw[position:]


Spans = list[tuple[int, int]]  # where each copy of a cell's `source` value lies


def _source_spans_in_cells(
    raw: bytes, cell_spans: tuple[tuple[int, int], ...], wanted: frozenset[int]
) -> dict[int, Spans]:
    """A large notebook's: the reader recorded where each cell lies; its members are
    walked over the bytes, its outputs skipped unread."""
    spans: dict[int, Spans] = {}
    for number in wanted:
        cell_start, _ = cell_spans[number - 1]
        spans[number] = [
            (start, end) for key, start, end in member_spans(raw, cell_start) if key == "source"
        ]
    return spans


def _source_spans(raw: bytes, wanted: frozenset[int]) -> dict[int, Spans]:
    """Where the `source` values of each wanted cell lie in the bytes (none: it has none).

    json's C scanner on the decoded text, with offsets converted back: several
    times faster than walking the bytes in Python. Only the wanted cells are
    looked into; the others are skipped whole, and nothing after the last
    wanted one is read.
    """
    start = bom_length(raw)
    text = str(memoryview(raw)[start:], "utf-8")  # a view: no copy of the bytes
    spans = _source_spans_in_text(text, wanted)
    if text.isascii():
        return {
            number: [(start + first, start + last) for first, last in cell]
            for number, cell in spans.items()
        }
    return _byte_offsets(text, spans, start)


_TEXT_WHITESPACE = re.compile(r"[ \t\n\r]*")
_TEXT_DECODER = json.JSONDecoder()


def _skip_text_whitespace(text: str, position: int) -> int:
    match = _TEXT_WHITESPACE.match(text, position)  # `*`: always a match, maybe empty
    return match.end() if match else position


def _source_spans_in_text(text: str, wanted: frozenset[int]) -> dict[int, Spans]:
    last = max(wanted, default=0)
    for key, value_start in _text_members(text, _skip_text_whitespace(text, 0)):
        if key == "cells":
            spans = {}
            for number, item in enumerate(_text_items(text, value_start), start=1):
                if number in wanted:
                    spans[number] = _text_source_spans(text, item)
                if number >= last:
                    break
            return spans
    return {}


def _text_source_spans(text: str, cell_start: int) -> Spans:
    return [
        (value_start, _value_end(text, value_start))
        for key, value_start in _text_members(text, cell_start)
        if key == "source"
    ]


def _text_members(text: str, position: int) -> Iterator[tuple[str, int]]:
    """(key, value start) of the JSON object at `position`, values skipped (`_value_end`)."""
    position = _skip_text_whitespace(text, position + 1)
    if text[position] == "}":
        return
    while True:
        key, position = scanstring(text, position + 1)
        position = _skip_text_whitespace(text, position) + 1  # past ':'
        value_start = _skip_text_whitespace(text, position)
        yield key, value_start
        position = _skip_text_whitespace(text, _value_end(text, value_start))
        if text[position] == "}":
            return
        position = _skip_text_whitespace(text, position + 1)


def _text_items(text: str, position: int) -> Iterator[int]:
    position = _skip_text_whitespace(text, position + 1)
    if text[position] == "]":
        return
    while True:
        yield position
        position = _skip_text_whitespace(text, _value_end(text, position))
        if text[position] == "]":
            return
        position = _skip_text_whitespace(text, position + 1)


def _value_end(text: str, position: int, depth: int = 2) -> int:
    """Where the JSON value at `position` ends. A cell, its members and its list of lines are
    walked (two levels), each string scanned alone; deeper values (outputs) are decoded whole
    by json's C scanner. So a huge cell is never decoded into a list of its lines."""
    first = text[position]
    if first == '"':
        return scanstring(text, position + 1)[1]
    if not depth or first not in "[{":
        return _TEXT_DECODER.raw_decode(text, position)[1]
    closing = "}" if first == "{" else "]"
    position = _skip_text_whitespace(text, position + 1)
    if text[position] == closing:
        return position + 1
    while True:
        if first == "{":  # past the key and ':'
            _, position = scanstring(text, position + 1)
            position = _skip_text_whitespace(text, _skip_text_whitespace(text, position) + 1)
        position = _skip_text_whitespace(text, _value_end(text, position, depth - 1))
        if text[position] == closing:
            return position + 1
        position = _skip_text_whitespace(text, position + 1)


def _byte_offsets(text: str, spans: dict[int, Spans], start: int) -> dict[int, Spans]:
    """Character offsets to UTF-8 byte offsets, in one pass over the text."""
    converted: dict[int, int] = {}
    previous, offset = 0, start
    positions = {position for cell in spans.values() for span in cell for position in span}
    for position in sorted(positions):
        offset += len(text[previous:position].encode("utf-8"))
        converted[position] = offset
        previous = position
    return {
        number: [(converted[first], converted[last]) for first, last in cell]
        for number, cell in spans.items()
    }


@dataclass(frozen=True)
class _FileStyle:
    """How the file was serialised, for values that must be written anew."""

    indent_unit: bytes | None  # None: everything on one line
    newline: bytes
    ensure_ascii: bool

    @classmethod
    def detect(cls, raw: bytes) -> _FileStyle:
        start = bom_length(raw)
        first_key = re.compile(rb"\{(\r?\n)([ \t]*)\"").match(raw, start)
        if first_key:
            indent_unit: bytes | None = first_key.group(2)
            newline = first_key.group(1)
        else:
            indent_unit, newline = None, b"\n"
        return cls(indent_unit=indent_unit, newline=newline, ensure_ascii=_prefers_ascii(raw))


def _prefers_ascii(raw: bytes | memoryview) -> bool:
    """True when the JSON escapes non-ASCII characters as \\uXXXX."""
    if not bytes(raw).isascii():
        return False
    return _NON_ASCII_ESCAPE.search(raw) is not None


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


def _encode_source(
    raw: bytes, start: int, end: int, source: str, style: _FileStyle, reuse_identical: bool
) -> Iterator[bytes]:
    """The JSON for a new `source`, shaped like the value it replaces, in pieces.

    An unchanged source keeps its bytes (`reuse_identical`; tests turn it off
    to check that the encoder alone reproduces the file's style). A list is
    read item by item and written item by item: nothing the size of a huge
    cell is decoded, split into a list or joined.
    """
    original = raw[start:end]
    ensure_ascii = style.ensure_ascii if original.isascii() else False
    if _prefers_ascii(original):
        ensure_ascii = True
    if not original.startswith(b"["):
        if reuse_identical and json.loads(original) == source:
            yield original
        else:
            yield _encoded(source, ensure_ascii)
        return
    items = _split_items
    old = _OldItems.scan(items(original), source, ensure_ascii)
    if old is None:  # not one string between two separators: the items are scanned
        items = _scanned_items
        old = _OldItems.scan(items(original), source, ensure_ascii)
        assert old is not None
    if reuse_identical and old.join_to_source:
        yield original
        return
    if not source:
        yield b"[]"
        return
    lines: Iterable[str]
    if old.glued:  # a list whose lines lost their newlines
        lines = _anchored_pieces(source, json.loads(original))
    else:
        lines = _lines_of(source)
    first_items = list(islice(items(original), 2))
    opening, separator, closing = _list_layout(raw, start, original, first_items, style)
    del original
    unlike_encoded = old.unlike_encoded
    encoded = (unlike_encoded.get(line) or _encoded(line, ensure_ascii) for line in lines)
    yield b"[" + opening
    between = b""
    while batch := list(islice(encoded, _BATCH)):  # a few thousand items to a piece
        yield between + separator.join(batch)
        between = separator
    yield closing + b"]"


_BATCH = 4096


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


def _split_items(original: bytes) -> Iterator[bytes]:
    """The raw bytes of each item of an indented JSON list of strings, one at a time.

    In an indented list the separator (`",\n   "`) cannot occur inside a JSON
    string, which holds no raw newline: cutting at it is exact, and much faster
    than scanning, when every piece is one JSON string (`_OldItems.scan` checks).
    """
    layout = re.match(rb"\[(\r?\n[ \t]*)\"", original)
    if not layout:
        yield b""  # not one JSON string: the items are scanned instead
        return
    separator = b"," + layout.group(1)
    position = len(layout.group(0)) - 1
    end = original.rstrip().rfind(b'"') + 1
    while (found := original.find(separator, position, end)) >= 0:
        yield original[position:found]
        position = found + len(separator)
    yield original[position:end]


def _scanned_items(original: bytes) -> Iterator[bytes]:
    """The raw bytes of each item of a JSON list of strings in any layout: a list of
    strings holds nothing else but commas and whitespace."""
    return (match.group() for match in _JSON_STRING.finditer(original))


# What `bytes.rstrip()` strips.
_WHITESPACE = frozenset(bytes([character]) for character in b" \t\n\r\x0b\x0c")


def _list_layout(
    raw: bytes, start: int, original: bytes, items: list[bytes], style: _FileStyle
) -> tuple[bytes, bytes, bytes]:
    """Whitespace after '[', between items, and before ']' for a source list."""
    if items:
        first = original.index(items[0])
        opening = original[1:first]
        closing_start = len(original) - 1  # back over the whitespace before ']': no copy
        while closing_start and original[closing_start - 1 : closing_start] in _WHITESPACE:
            closing_start -= 1
        closing = original[closing_start:-1]
        if len(items) > 1:
            after_first = first + len(items[0])
            separator = original[after_first : original.index(items[1], after_first)]
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

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
        (value_start, _TEXT_DECODER.raw_decode(text, value_start)[1])
        for key, value_start in _text_members(text, cell_start)
        if key == "source"
    ]


def _text_members(text: str, position: int) -> Iterator[tuple[str, int]]:
    """(key, value start) of the JSON object at `position`, values skipped by json's scanner."""
    position = _skip_text_whitespace(text, position + 1)
    if text[position] == "}":
        return
    while True:
        key, position = scanstring(text, position + 1)
        position = _skip_text_whitespace(text, position) + 1  # past ':'
        value_start = _skip_text_whitespace(text, position)
        yield key, value_start
        position = _skip_text_whitespace(text, _TEXT_DECODER.raw_decode(text, value_start)[1])
        if text[position] == "}":
            return
        position = _skip_text_whitespace(text, position + 1)


def _text_items(text: str, position: int) -> Iterator[int]:
    position = _skip_text_whitespace(text, position + 1)
    if text[position] == "]":
        return
    while True:
        yield position
        position = _skip_text_whitespace(text, _TEXT_DECODER.raw_decode(text, position)[1])
        if text[position] == "]":
            return
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
    to check that the encoder alone reproduces the file's style). A list's
    items are yielded one by one, so that a huge cell's is never joined.
    """
    original = raw[start:end]
    value = json.loads(original)
    if reuse_identical and _joins_to(value, source):
        yield original
        return
    ensure_ascii = style.ensure_ascii if original.isascii() else False
    if _prefers_ascii(original):
        ensure_ascii = True
    if not original.startswith(b"["):
        yield json.dumps(source, ensure_ascii=ensure_ascii).encode("utf-8")
        return
    lines: Iterable[str]
    if any(not item.endswith(("\n", "\r")) for item in islice(value, max(len(value) - 1, 0))):
        lines = _anchored_pieces(source, value)  # a list whose lines lost their newlines
    else:
        lines = _lines_of(source)
    if not source:  # no lines either way
        yield b"[]"
        return
    items = _list_items(original, value)
    opening, separator, closing = _list_layout(raw, start, original, items, style)
    raw_by_line = dict(zip(value, items))
    del value, items, original  # the dictionary holds what is still needed
    yield b"[" + opening
    for index, line in enumerate(lines):
        if index:
            yield separator
        yield raw_by_line.get(line) or json.dumps(line, ensure_ascii=ensure_ascii).encode("utf-8")
    yield closing + b"]"


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


def _list_items(original: bytes, value: list[str]) -> list[bytes]:
    """The raw bytes of each item of a JSON list of strings.

    In an indented list the separator (`",\n   "`) cannot occur inside a JSON
    string, which holds no raw newline: splitting on it is exact, and much
    faster than scanning. Other layouts are scanned: a list of strings holds
    nothing else but commas and whitespace.
    """
    layout = re.match(rb"\[(\r?\n[ \t]*)\"", original)
    if layout:
        inner = original[len(layout.group(0)) - 1 : original.rstrip().rfind(b'"') + 1]
        items = inner.split(b"," + layout.group(1))
        if len(items) == len(value):
            return items
    return [match.group() for match in _JSON_STRING.finditer(original)]


def _list_layout(
    raw: bytes, start: int, original: bytes, items: list[bytes], style: _FileStyle
) -> tuple[bytes, bytes, bytes]:
    """Whitespace after '[', between items, and before ']' for a source list."""
    if items:
        first = original.index(items[0])
        opening = original[1:first]
        closing = original[:-1][len(original[:-1].rstrip()) :]
        if len(items) > 1:
            after_first = original[first + len(items[0]) :]
            separator = after_first[: after_first.index(items[1])]
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

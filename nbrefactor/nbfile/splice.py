"""Writing a changed notebook back: new `source` values spliced into the original bytes.

Every byte outside the changed cells' `source` values stays exactly as it was:
the file's indentation, key order, escaping and final newline, the outputs and
metadata. A new `source` value is shaped like the one it replaces (a string
stays a string, a list of lines keeps its layout, unchanged lines keep their
bytes), so `git diff` shows only the code that changed. This module finds
where the values lie; `source_value` writes the new ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from json.decoder import scanstring  # type: ignore[attr-defined]  # typeshed omits it

from nbrefactor.nbfile.json_scan import cell_spans, member_spans
from nbrefactor.nbfile.notebook import Notebook, NotebookError, bom_length
from nbrefactor.nbfile.source_value import FileStyle, encode_source


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
    elif len(notebook.raw) > _WALK_ABOVE:
        cells = cell_spans(notebook.raw, bom_length(notebook.raw))
        spans = _source_spans_in_cells(notebook.raw, cells, wanted)
    else:
        spans = _source_spans(notebook.raw, wanted)
    style = FileStyle.detect(notebook.raw)
    edits = []
    for number in sorted(new_sources):
        if not spans.get(number):
            raise NotebookError(f"cell {number} has no 'source' to change")
        # A `source` given twice (with the same value) is replaced in each copy.
        edits += [(start, end, number) for start, end in spans[number]]
    position = 0
    for start, end, number in sorted(edits):
        yield raw[position:start]
        yield from encode_source(
            notebook.raw, start, end, new_sources[number], style, reuse_identical
        )
        position = end
    yield raw[position:]


Spans = list[tuple[int, int]]  # where each copy of a cell's `source` value lies


# Above this many bytes, a notebook's `source` values are found by walking its bytes:
# decoding it whole would hold a second copy of the file while it is written.
_WALK_ABOVE = 1_000_000


def _source_spans_in_cells(
    raw: bytes, cells: tuple[tuple[int, int], ...], wanted: frozenset[int]
) -> dict[int, Spans]:
    """A large notebook's, from where each cell lies (recorded by the reader, or
    `cell_spans`): the wanted cells' members are walked over the bytes, outputs skipped
    unread."""
    spans: dict[int, Spans] = {}
    for number in wanted:
        cell_start, _ = cells[number - 1]
        spans[number] = [
            (start, end) for key, start, end in member_spans(raw, cell_start) if key == "source"
        ]
    return spans


def _source_spans(raw: bytes, wanted: frozenset[int]) -> dict[int, Spans]:
    """Where the `source` values of each wanted cell lie in the bytes (none: it has none).

    json's C scanner on the decoded text, with offsets converted back: several
    times faster than walking the bytes in Python, for a notebook of at most
    `_WALK_ABOVE` bytes. Only the wanted cells are looked into; the others are
    skipped whole, and nothing after the last wanted one is read.
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
# Between a key and its value.
_COLON = re.compile(r"[ \t\n\r]*:[ \t\n\r]*")
# After a value: a comma and the whitespace before the next value, or the closing bracket.
_AFTER_VALUE = re.compile(r"[ \t\n\r]*(?:,[ \t\n\r]*|[\]}])")
_TEXT_DECODER = json.JSONDecoder()


def _source_spans_in_text(text: str, wanted: frozenset[int]) -> dict[int, Spans]:
    """`_source_spans` in character offsets: a cell that is not wanted is skipped by one
    call of the scanner, a wanted one's members are skipped one by one."""
    spans: dict[int, Spans] = {}
    position = _top_level_value(text, "cells")
    if position is None:
        return spans
    position = _past(_TEXT_WHITESPACE, text, position + 1)
    if text[position] == "]":
        return spans
    last = max(wanted, default=0)
    for number in range(1, last + 1):
        if number in wanted:
            members, end = _text_members(text, position)
            spans[number] = [(first, after) for key, first, after in members if key == "source"]
        else:
            end = _value_end(text, position)
        position = _past(_AFTER_VALUE, text, end)
        if text[position - 1] == "]":
            break
    return spans


def _top_level_value(text: str, name: str) -> int | None:
    """Where the value of the document's member `name` starts: the members before it
    skipped, nothing after it read."""
    position = _past(_TEXT_WHITESPACE, text, 0)
    position = _past(_TEXT_WHITESPACE, text, position + 1)
    if text[position] == "}":
        return None
    while True:
        key, position = scanstring(text, position + 1)
        value_start = _past(_COLON, text, position)
        if key == name:
            return value_start
        position = _past(_AFTER_VALUE, text, _value_end(text, value_start))
        if text[position - 1] == "}":
            return None


def _text_members(text: str, position: int) -> tuple[list[tuple[str, int, int]], int]:
    """(key, value start, value end) of each member of the JSON object at `position`, and
    where the object ends."""
    members: list[tuple[str, int, int]] = []
    position = _past(_TEXT_WHITESPACE, text, position + 1)
    if text[position] == "}":
        return members, position + 1
    while True:
        key, position = scanstring(text, position + 1)
        start = _past(_COLON, text, position)
        end = _value_end(text, start)
        members.append((key, start, end))
        position = _past(_AFTER_VALUE, text, end)
        if text[position - 1] == "}":
            return members, position


def _past(pattern: re.Pattern[str], text: str, position: int) -> int:
    """Where `pattern` ends, matched at `position` (in a document json accepted, always)."""
    match = pattern.match(text, position)
    assert match is not None
    return match.end()


def _value_end(text: str, position: int) -> int:
    """Where the JSON value at `position` ends: decoded whole by json's C scanner (a
    notebook of at most `_WALK_ABOVE` bytes)."""
    return _TEXT_DECODER.raw_decode(text, position)[1]


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

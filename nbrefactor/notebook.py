"""The raw notebook: the file's text, its parsed JSON, and a byte-exact way back.

nbformat's reader and writer normalise what they touch (key order, indentation,
string-vs-list sources, a final newline), so a migrated notebook written with
them would show unrelated changes in `git diff`. Instead the original text is
kept, and a change is written by splicing the new JSON value of each changed
cell's `source` into that text: every byte outside the changed `source` values
stays exactly as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from json.decoder import scanstring

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_NON_ASCII_ESCAPE = re.compile(
    r"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})"
)


class NotebookError(Exception):
    """The text is not a notebook nbrefactor can work on; the message says why."""


@dataclass(frozen=True)
class Cell:
    """One cell as found in the file.

    `number` is the 1-based position among all cells (markdown included); it
    is the only cell numbering nbrefactor shows to users.
    """

    number: int
    cell_type: str
    source: str
    cell_id: str | None

    @property
    def label(self) -> str:
        if self.cell_id is None:
            return f"cell {self.number}"
        return f"cell {self.number} (id {self.cell_id})"


@dataclass(frozen=True)
class Notebook:
    """A parsed notebook that still knows the exact text it came from."""

    text: str
    data: dict
    cells: tuple[Cell, ...]

    @property
    def language(self) -> str | None:
        metadata = self.data.get("metadata")
        if not isinstance(metadata, dict):
            return None
        for section_key, language_key in (("kernelspec", "language"), ("language_info", "name")):
            section = metadata.get(section_key)
            language = section.get(language_key) if isinstance(section, dict) else None
            if isinstance(language, str) and language:
                return language.lower()
        return None


def parse_notebook(text: str) -> Notebook:
    """Parse notebook JSON text, checking only what nbrefactor relies on.

    Full schema validation is deliberately not done here: many notebooks that
    Jupyter opens happily break the schema, and validating costs several times
    the JSON parse. See `schema_warning`.
    """
    if not text.strip():
        raise NotebookError("empty file, not a notebook")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(
            f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise NotebookError("invalid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise NotebookError("not a notebook: the JSON document is not an object")
    version = data.get("nbformat")
    if "cells" not in data and "worksheets" in data or isinstance(version, int) and version < 4:
        raise NotebookError(
            f"nbformat {version} notebooks are not supported; "
            "convert with `jupyter nbconvert --to notebook --nbformat 4`"
        )
    if not isinstance(version, int) or isinstance(version, bool):
        raise NotebookError("not a notebook: no integer 'nbformat' version")
    if version > 4:
        raise NotebookError(f"nbformat {version} notebooks are not supported (only nbformat 4)")
    raw_cells = data.get("cells")
    if not isinstance(raw_cells, list):
        raise NotebookError("not a notebook: 'cells' is missing or not a list")
    return Notebook(text=text, data=data, cells=tuple(_read_cells(raw_cells)))


def _read_cells(raw_cells: list) -> Iterator[Cell]:
    for number, raw in enumerate(raw_cells, start=1):
        if not isinstance(raw, dict) or not isinstance(raw.get("cell_type"), str):
            raise NotebookError(f"cell {number}: not a cell object with a 'cell_type'")
        source = raw.get("source", "")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        elif not isinstance(source, str):
            raise NotebookError(
                f"cell {number}: 'source' is neither a string nor a list of strings"
            )
        cell_id = raw.get("id")
        yield Cell(
            number=number,
            cell_type=raw["cell_type"],
            source=source,
            cell_id=cell_id if isinstance(cell_id, str) else None,
        )


def schema_warning(notebook: Notebook) -> str | None:
    """The first nbformat schema violation, as one line, or None.

    Only a warning: Jupyter opens notebooks with stray `outputs` on markdown
    cells or missing `execution_count`, and so does nbrefactor.
    """
    from nbformat.validator import iter_validate  # costly import, needed only here

    minor = notebook.data.get("nbformat_minor")
    error = next(
        iter_validate(
            notebook.data, version=4, version_minor=minor if isinstance(minor, int) else 0
        ),
        None,
    )
    if error is None:
        return None
    where = list(getattr(error, "absolute_path", None) or getattr(error, "path", []))
    location = ""
    if len(where) >= 2 and where[0] == "cells" and isinstance(where[1], int):
        location = f"cell {where[1] + 1}: "
    message = str(getattr(error, "message", error)).splitlines()[0]
    if len(message) > 160:
        message = message[:157] + "..."
    return f"does not match the nbformat schema ({location}{message}); processed anyway"


# --------------------------------------------------------------------------
# Writing back: splice new `source` values into the original text.


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


def render(notebook: Notebook, new_sources: Mapping[int, str]) -> Iterator[str]:
    """Yield the pieces of the new file text; `new_sources` maps cell number to text.

    Pieces rather than one string, so that a 50 MB notebook is not held twice
    in memory while it is written.
    """
    if not new_sources:
        yield notebook.text
        return
    text = notebook.text
    spans = _source_spans(text)
    style = _FileStyle.detect(text)
    position = 0
    for number in sorted(new_sources):
        span = spans[number - 1]
        yield text[position : span.start]
        yield _encode_source(text, span, new_sources[number], style)
        position = span.end
    yield text[position:]


def _source_spans(text: str) -> list[_Span]:
    """Where each cell's `source` value lies in the text, in cell order."""
    position = _skip_whitespace(text, 0)
    spans: list[_Span] = []
    for key, value_start in _object_members(text, position):
        if key == "cells":
            spans = [
                _source_span_of_cell(text, cell_start)
                for cell_start in _array_items(text, value_start)
            ]
    return spans


def _source_span_of_cell(text: str, cell_start: int) -> _Span:
    for key, value_start in _object_members(text, cell_start):
        if key == "source":
            return _Span(value_start, _value_end(text, value_start))
    raise NotebookError("cell without a 'source' cannot be changed")


def _skip_whitespace(text: str, position: int) -> int:
    return _WHITESPACE.match(text, position).end()


def _value_end(text: str, position: int) -> int:
    return _DECODER.raw_decode(text, position)[1]


def _object_members(text: str, position: int) -> Iterator[tuple[str, int]]:
    """Yield (key, value start) of the JSON object starting at `position`."""
    assert text[position] == "{"
    position = _skip_whitespace(text, position + 1)
    if text[position] == "}":
        return
    while True:
        key, position = scanstring(text, position + 1)
        position = _skip_whitespace(text, position)
        position = _skip_whitespace(text, position + 1)  # past ':'
        yield key, position
        position = _skip_whitespace(text, _value_end(text, position))
        if text[position] == "}":
            return
        position = _skip_whitespace(text, position + 1)  # past ','


def _array_items(text: str, position: int) -> Iterator[int]:
    """Yield the start of each item of the JSON array starting at `position`."""
    assert text[position] == "["
    position = _skip_whitespace(text, position + 1)
    if text[position] == "]":
        return
    while True:
        yield position
        position = _skip_whitespace(text, _value_end(text, position))
        if text[position] == "]":
            return
        position = _skip_whitespace(text, position + 1)


@dataclass(frozen=True)
class _FileStyle:
    """How the file was serialised, for values that must be written anew."""

    indent_unit: str | None  # None: everything on one line
    newline: str
    ensure_ascii: bool

    @classmethod
    def detect(cls, text: str) -> _FileStyle:
        first_key = re.match(r"\{(\r?\n)([ \t]*)\"", text)
        if first_key:
            indent_unit: str | None = first_key.group(2)
            newline = first_key.group(1)
        else:
            indent_unit, newline = None, "\n"
        return cls(indent_unit=indent_unit, newline=newline, ensure_ascii=_prefers_ascii(text))


def _prefers_ascii(text: str) -> bool:
    """True when the text escapes non-ASCII characters as \\uXXXX."""
    if not text.isascii():
        return False
    return _NON_ASCII_ESCAPE.search(text) is not None


def _encode_source(text: str, span: _Span, source: str, style: _FileStyle) -> str:
    """The JSON for a new `source`, shaped like the value it replaces."""
    original = text[span.start : span.end]
    if _joined(json.loads(original)) == source:
        return original
    ensure_ascii = style.ensure_ascii if original.isascii() else False
    if _prefers_ascii(original):
        ensure_ascii = True
    if not original.startswith("["):
        return json.dumps(source, ensure_ascii=ensure_ascii)
    lines = source.splitlines(keepends=True)
    if not lines:
        return "[]"
    items = [text[start : _value_end(text, start)] for start in _array_items(text, span.start)]
    raw_by_line = {json.loads(item): item for item in items}
    encoded = [
        raw_by_line.get(line) or json.dumps(line, ensure_ascii=ensure_ascii) for line in lines
    ]
    opening, separator, closing = _list_layout(text, span, items, style)
    return "[" + opening + separator.join(encoded) + closing + "]"


def _joined(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def _list_layout(
    text: str, span: _Span, items: list[str], style: _FileStyle
) -> tuple[str, str, str]:
    """Whitespace after '[', between items, and before ']' for a source list."""
    original = text[span.start : span.end]
    if items:
        first = original.index(items[0])
        opening = original[1:first]
        closing = original[:-1][len(original[:-1].rstrip()) :]
        if len(items) > 1:
            after_first = original[first + len(items[0]) :]
            separator = after_first[: after_first.index(items[1])]
        else:
            separator = "," + opening if opening else ", "
        return opening, separator, closing
    if style.indent_unit is None:
        return "", ", ", ""
    line_start = text.rfind("\n", 0, span.start) + 1
    key_indent = re.match(r"[ \t]*", text[line_start : span.start]).group(0)
    opening = style.newline + key_indent + style.indent_unit
    return opening, "," + opening, style.newline + key_indent

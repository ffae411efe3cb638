"""The raw notebook: the file's bytes, what nbrefactor needs of its JSON, and a byte-exact way back.

nbformat's reader and writer normalise what they touch (key order, indentation,
string-vs-list sources, a final newline), so a migrated notebook written with
them would show unrelated changes in `git diff`. Instead the original bytes are
kept, and a change is written by splicing the new JSON value of each changed
cell's `source` into them: every byte outside the changed `source` values stays
exactly as it was.

A notebook of several megabytes is nearly all embedded images. Such a file is
read by walking its JSON structure over the bytes, decoding the cells' fields
but skipping the values of `outputs` and `attachments`, so that memory stays a
small multiple of the file size (`json.loads` would hold the bytes, a decoded
copy that takes two or four bytes per character, and the parsed objects).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from json.decoder import scanstring

# Files at least this large are read without decoding their outputs.
STREAMING_THRESHOLD = 8 * 1024 * 1024
_SKIPPED_CELL_KEYS = {"outputs": [], "attachments": {}}

_BOM = b"\xef\xbb\xbf"
_WHITESPACE = re.compile(rb"[ \t\n\r]*")
_STRUCTURE = re.compile(rb'["\[\]{}]')
_SCALAR = re.compile(rb"[^,\]}\s]+")
_NON_ASCII_ESCAPE = re.compile(
    rb"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})"
)
_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_OPENERS, _CLOSERS = (ord("["), ord("{")), (ord("]"), ord("}"))


class NotebookError(Exception):
    """The file is not a notebook nbrefactor can work on; the message says why."""


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
    """A parsed notebook that still holds the exact bytes it came from.

    `data` is the parsed JSON; for a file read in streaming mode, the values of
    the cells' `outputs` and `attachments` are left out (empty).
    """

    raw: bytes
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


def parse_notebook(raw: bytes | str) -> Notebook:
    """Parse notebook JSON, checking only what nbrefactor relies on.

    Full schema validation is deliberately not done here: many notebooks that
    Jupyter opens happily break the schema, and validating costs several times
    the JSON parse. See `schema_warning`.
    """
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    start = len(_BOM) if raw.startswith(_BOM) else 0
    if not raw[start:].strip():
        raise NotebookError("empty file, not a notebook")
    try:
        if len(raw) >= STREAMING_THRESHOLD:
            data = _read_without_outputs(raw, start)
        else:
            data = json.loads(raw[start:].decode("utf-8"))
    except UnicodeDecodeError as error:
        raise NotebookError(f"not UTF-8 text (invalid byte at offset {error.start})") from None
    except json.JSONDecodeError as error:
        raise NotebookError(
            f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    except _StructureError as error:
        raise NotebookError(f"invalid JSON: {error}") from None
    except RecursionError:
        raise NotebookError("invalid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise NotebookError("not a notebook: the JSON document is not an object")
    version = data.get("nbformat")
    if ("cells" not in data and "worksheets" in data) or (isinstance(version, int) and version < 4):
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
    return Notebook(raw=raw, data=data, cells=tuple(_read_cells(raw_cells)))


def _read_cells(raw_cells: list) -> Iterator[Cell]:
    for number, raw in enumerate(raw_cells, start=1):
        if not isinstance(raw, dict) or not isinstance(raw.get("cell_type"), str):
            raise NotebookError(f"cell {number}: not a cell object with a 'cell_type'")
        source = raw.get("source", "")
        if isinstance(source, list):
            try:
                source = "".join(source)
            except TypeError:
                source = None
        if not isinstance(source, str):
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
    cells or missing `execution_count`, and so does nbrefactor. fastjsonschema
    answers "valid?" quickly; nbformat's own (jsonschema) validation, several
    times slower, then describes the first problem, run on the first cell that
    fails alone (or on the notebook without cells) rather than on everything.
    """
    from nbformat.validator import iter_validate  # costly, needed only here

    minor = notebook.data.get("nbformat_minor")
    minor = minor if isinstance(minor, int) else 0

    def first_error(document: dict):
        return next(iter_validate(document, version=4, version_minor=minor), None)

    fast = _fast_validator(minor)
    if fast is None:
        error, cell_index = first_error(notebook.data), None
    elif not fast.iter_errors(notebook.data):
        return None
    else:
        error, cell_index = _locate_schema_error(notebook.data, fast, first_error)
    if error is None:
        return None
    where = list(getattr(error, "absolute_path", None) or getattr(error, "path", []))
    if cell_index is None and len(where) >= 2 and where[0] == "cells" and isinstance(where[1], int):
        cell_index = where[1]
    location = "" if cell_index is None else f"cell {cell_index + 1}: "
    message = str(getattr(error, "message", error)).splitlines()[0]
    if len(message) > 160:
        message = message[:157] + "..."
    return f"does not match the nbformat schema ({location}{message}); processed anyway"


@lru_cache(maxsize=8)
def _fast_validator(minor: int):
    """nbformat's fastjsonschema validator for nbformat 4.minor, or None without fastjsonschema."""
    from nbformat.validator import get_validator

    try:
        return get_validator(version=4, version_minor=minor, name="fastjsonschema")
    except Exception:  # noqa: BLE001 - fastjsonschema missing or unusable: validate slowly
        return None


def _locate_schema_error(data: dict, fast, first_error) -> tuple[object | None, int | None]:
    """nbformat's error for the first cell that is invalid on its own, with its index."""
    cells = data.get("cells")
    frame = {key: value for key, value in data.items() if key != "cells"}
    if isinstance(cells, list):
        for index, cell in enumerate(cells):
            alone = {**frame, "cells": [cell]}
            if fast.iter_errors(alone):
                return first_error(alone), index
    return first_error({**frame, "cells": []} if isinstance(cells, list) else data), None


# --------------------------------------------------------------------------
# Walking the JSON structure over the bytes.


class _StructureError(ValueError):
    pass


def _skip_whitespace(raw: bytes, position: int) -> int:
    return _WHITESPACE.match(raw, position).end()


def _string_end(raw: bytes, position: int) -> int:
    """The end of the JSON string starting at `position` (a quote)."""
    search = position + 1
    while True:
        quote = raw.find(b'"', search)
        if quote < 0:
            raise _StructureError(f"unterminated string at byte {position}")
        backslash = quote - 1
        while raw[backslash] == _BACKSLASH:
            backslash -= 1
        if (quote - 1 - backslash) % 2 == 0:
            return quote + 1
        search = quote + 1


def _value_end(raw: bytes, position: int) -> int:
    """The end of the JSON value starting at `position`, without decoding it."""
    first = raw[position] if position < len(raw) else None
    if first == _QUOTE:
        return _string_end(raw, position)
    if first not in _OPENERS:
        scalar = _SCALAR.match(raw, position)
        if scalar is None:
            raise _StructureError(f"expected a value at byte {position}")
        return scalar.end()
    depth, search = 0, position
    while True:
        found = _STRUCTURE.search(raw, search)
        if found is None:
            raise _StructureError(f"unclosed bracket at byte {position}")
        at = found.start()
        if raw[at] == _QUOTE:
            search = _string_end(raw, at)
            continue
        depth += 1 if raw[at] in _OPENERS else -1
        search = at + 1
        if depth == 0:
            return search


def _expect(raw: bytes, position: int, character: bytes) -> int:
    if raw[position : position + 1] != character:
        raise _StructureError(f"expected {character.decode()!r} at byte {position}")
    return position + 1


def _object_members(raw: bytes, position: int) -> Iterator[tuple[str, int, int]]:
    """(key, value start, value end) of the members of the JSON object at `position`."""
    position = _skip_whitespace(raw, _expect(raw, position, b"{"))
    if raw[position : position + 1] == b"}":
        return
    while True:
        if raw[position] != _QUOTE:
            raise _StructureError(f"expected a key at byte {position}")
        key_end = _string_end(raw, position)
        key = json.loads(raw[position:key_end])
        position = _skip_whitespace(raw, key_end)
        value_start = _skip_whitespace(raw, _expect(raw, position, b":"))
        value_end = _value_end(raw, value_start)
        yield key, value_start, value_end
        position = _skip_whitespace(raw, value_end)
        if raw[position : position + 1] == b"}":
            return
        position = _skip_whitespace(raw, _expect(raw, position, b","))


def _array_items(raw: bytes, position: int) -> Iterator[tuple[int, int]]:
    """(start, end) of the items of the JSON array at `position`."""
    position = _skip_whitespace(raw, _expect(raw, position, b"["))
    if raw[position : position + 1] == b"]":
        return
    while True:
        end = _value_end(raw, position)
        yield position, end
        position = _skip_whitespace(raw, end)
        if raw[position : position + 1] == b"]":
            return
        position = _skip_whitespace(raw, _expect(raw, position, b","))


def _read_without_outputs(raw: bytes, start: int) -> dict:
    """The notebook's JSON, with the values of cells' outputs and attachments left out."""
    position = _skip_whitespace(raw, start)
    if raw[position : position + 1] != b"{":
        return json.loads(raw[start:].decode("utf-8"))  # not an object: let json say what it is
    data = {}
    for key, value_start, value_end in _object_members(raw, position):
        if key == "cells" and raw[value_start : value_start + 1] == b"[":
            data[key] = [
                _read_cell(raw, start, end) for start, end in _array_items(raw, value_start)
            ]
        else:
            data[key] = json.loads(raw[value_start:value_end])
    return data


def _read_cell(raw: bytes, start: int, end: int) -> object:
    if raw[start : start + 1] != b"{":
        return json.loads(raw[start:end])
    return {
        key: _SKIPPED_CELL_KEYS[key]
        if key in _SKIPPED_CELL_KEYS
        else json.loads(raw[value_start:value_end])
        for key, value_start, value_end in _object_members(raw, start)
    }


# --------------------------------------------------------------------------
# Writing back: splice new `source` values into the original bytes.


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
    spans = _source_spans(notebook.raw)
    style = _FileStyle.detect(notebook.raw)
    position = 0
    for number in sorted(new_sources):
        start, end = spans[number - 1]
        yield raw[position:start]
        yield _encode_source(notebook.raw, start, end, new_sources[number], style, reuse_identical)
        position = end
    yield raw[position:]


def rendered(
    notebook: Notebook, new_sources: Mapping[int, str], reuse_identical: bool = True
) -> bytes:
    """The new file content in one piece."""
    return b"".join(render(notebook, new_sources, reuse_identical))


def _source_spans(raw: bytes) -> list[tuple[int, int]]:
    """Where each cell's `source` value lies in the bytes, in cell order."""
    start = len(_BOM) if raw.startswith(_BOM) else 0
    if len(raw) >= STREAMING_THRESHOLD:
        return _source_spans_in_bytes(raw, start)
    # Smaller files: json's C scanner on the decoded text is several times
    # faster than walking the bytes in Python; offsets are converted back.
    text = raw[start:].decode("utf-8")
    spans = _source_spans_in_text(text)
    if text.isascii():
        return [(start + begin, start + end) for begin, end in spans]
    return _byte_offsets(text, spans, start)


def _source_spans_in_bytes(raw: bytes, start: int) -> list[tuple[int, int]]:
    position = _skip_whitespace(raw, start)
    for key, value_start, _ in _object_members(raw, position):
        if key == "cells":
            return [_source_span(raw, item) for item, _ in _array_items(raw, value_start)]
    return []


_TEXT_WHITESPACE = re.compile(r"[ \t\n\r]*")
_TEXT_DECODER = json.JSONDecoder()


def _source_spans_in_text(text: str) -> list[tuple[int, int]]:
    for key, value_start in _text_members(text, _TEXT_WHITESPACE.match(text).end()):
        if key == "cells":
            return [_text_source_span(text, item) for item in _text_items(text, value_start)]
    return []


def _text_source_span(text: str, cell_start: int) -> tuple[int, int]:
    for key, value_start in _text_members(text, cell_start):
        if key == "source":
            return value_start, _TEXT_DECODER.raw_decode(text, value_start)[1]
    raise NotebookError("cell without a 'source' cannot be changed")


def _text_members(text: str, position: int) -> Iterator[tuple[str, int]]:
    """(key, value start) of the JSON object at `position`, values skipped by json's scanner."""
    position = _TEXT_WHITESPACE.match(text, position + 1).end()
    if text[position] == "}":
        return
    while True:
        key, position = scanstring(text, position + 1)
        position = _TEXT_WHITESPACE.match(text, position).end() + 1  # past ':'
        value_start = _TEXT_WHITESPACE.match(text, position).end()
        yield key, value_start
        position = _TEXT_WHITESPACE.match(
            text, _TEXT_DECODER.raw_decode(text, value_start)[1]
        ).end()
        if text[position] == "}":
            return
        position = _TEXT_WHITESPACE.match(text, position + 1).end()


def _text_items(text: str, position: int) -> Iterator[int]:
    position = _TEXT_WHITESPACE.match(text, position + 1).end()
    if text[position] == "]":
        return
    while True:
        yield position
        position = _TEXT_WHITESPACE.match(text, _TEXT_DECODER.raw_decode(text, position)[1]).end()
        if text[position] == "]":
            return
        position = _TEXT_WHITESPACE.match(text, position + 1).end()


def _byte_offsets(text: str, spans: list[tuple[int, int]], start: int) -> list[tuple[int, int]]:
    """Character offsets to UTF-8 byte offsets, in one pass over the text."""
    converted: dict[int, int] = {}
    previous, offset = 0, start
    for position in sorted({position for span in spans for position in span}):
        offset += len(text[previous:position].encode("utf-8"))
        converted[position] = offset
        previous = position
    return [(converted[begin], converted[end]) for begin, end in spans]


def _source_span(raw: bytes, cell_start: int) -> tuple[int, int]:
    for key, value_start, value_end in _object_members(raw, cell_start):
        if key == "source":
            return value_start, value_end
    raise NotebookError("cell without a 'source' cannot be changed")


@dataclass(frozen=True)
class _FileStyle:
    """How the file was serialised, for values that must be written anew."""

    indent_unit: bytes | None  # None: everything on one line
    newline: bytes
    ensure_ascii: bool

    @classmethod
    def detect(cls, raw: bytes) -> _FileStyle:
        start = len(_BOM) if raw.startswith(_BOM) else 0
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


def _joined(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def _encode_source(
    raw: bytes, start: int, end: int, source: str, style: _FileStyle, reuse_identical: bool
) -> bytes:
    """The JSON for a new `source`, shaped like the value it replaces.

    An unchanged source keeps its bytes (`reuse_identical`; tests turn it off
    to check that the encoder alone reproduces the file's style).
    """
    original = raw[start:end]
    value = json.loads(original)
    if reuse_identical and _joined(value) == source:
        return original
    ensure_ascii = style.ensure_ascii if original.isascii() else False
    if _prefers_ascii(original):
        ensure_ascii = True
    if not original.startswith(b"["):
        return json.dumps(source, ensure_ascii=ensure_ascii).encode("utf-8")
    lines = source.splitlines(keepends=True)
    if not lines:
        return b"[]"
    items = _list_items(original, value)
    raw_by_line = dict(zip(value, items))
    encoded = [
        raw_by_line.get(line) or json.dumps(line, ensure_ascii=ensure_ascii).encode("utf-8")
        for line in lines
    ]
    opening, separator, closing = _list_layout(raw, start, original, items, style)
    return b"[" + opening + separator.join(encoded) + closing + b"]"


def _list_items(original: bytes, value: list[str]) -> list[bytes]:
    """The raw bytes of each item of a JSON list of strings.

    In an indented list the separator (`",\n   "`) cannot occur inside a JSON
    string, which holds no raw newline: splitting on it is exact, and much
    faster than scanning. Other layouts are scanned.
    """
    layout = re.match(rb"\[(\r?\n[ \t]*)\"", original)
    if layout:
        inner = original[len(layout.group(0)) - 1 : original.rstrip().rfind(b'"') + 1]
        items = inner.split(b"," + layout.group(1))
        if len(items) == len(value):
            return items
    return [original[item_start:item_end] for item_start, item_end in _array_items(original, 0)]


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
    key_indent = re.match(rb"[ \t]*", raw[line_start:start]).group(0)
    opening = style.newline + key_indent + style.indent_unit
    return opening, b"," + opening, style.newline + key_indent

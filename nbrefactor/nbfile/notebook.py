"""The raw notebook: the file's bytes and what nbrefactor needs of its JSON.

nbformat's reader and writer normalise what they touch (key order, indentation,
string-vs-list sources, a final newline), so nbrefactor keeps the original
bytes next to the parsed JSON; `splice` writes a change back by replacing only
the changed cells' `source` values. Files of `STREAMING_THRESHOLD` bytes and
more (nearly all embedded images) are read by `json_scan` without keeping
their outputs; both readers accept and refuse the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from nbrefactor.nbfile.json_rules import JSONError, kernel_language, parse
from nbrefactor.value_base import ValueBase

# Files at least this large are read without decoding their outputs.
STREAMING_THRESHOLD = 8 * 1024 * 1024
# A cell's list of lines longer than this is replaced, in `data`, by the text the cell
# holds: the list takes twice the text in small strings, and nothing but the schema
# warning reads `data` (a list of strings and a string are both valid `source` values).
_SHARED_SOURCE = 1_000_000
BOM = b"\xef\xbb\xbf"


def bom_length(raw: bytes) -> int:
    """Where the JSON starts: after the UTF-8 byte order mark the file may begin with (kept)."""
    return len(BOM) if raw.startswith(BOM) else 0


class NotebookError(Exception):
    """The file is not a notebook nbrefactor can work on; the message says why."""


class Cell(NamedTuple):
    """One cell as found in the file.

    `number` is the 1-based position among all cells (markdown included); it
    is the only cell numbering nbrefactor shows to users. A named tuple, not a
    frozen dataclass: one is made for every cell of every notebook read, and a
    tuple is made in a third of the time.
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


@dataclass(frozen=True, eq=False, repr=False)
class Notebook(ValueBase):
    """A parsed notebook that still holds the exact bytes it came from.

    `data` is the parsed JSON; for a file read in streaming mode (`streamed`),
    the values of the cells' `outputs` and `attachments` are left out (empty),
    and `cell_spans` says where each cell lies in the bytes.
    """

    raw: bytes
    data: dict
    cells: tuple[Cell, ...]
    streamed: bool = False
    cell_spans: tuple[tuple[int, int], ...] = ()

    @property
    def language(self) -> str | None:
        return kernel_language(self.data.get("metadata"))


def parse_notebook(raw: bytes | str) -> Notebook:
    """Parse notebook JSON, checking only what nbrefactor relies on.

    Full schema validation is deliberately not done here: many notebooks that
    Jupyter opens happily break the schema, and validating costs several times
    the JSON parse. See `schema_warning`. A leading UTF-8 byte order mark is
    skipped (and kept, like every byte outside the changed sources).
    """
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    start = bom_length(raw)
    # Not raw[start:].strip(): that copies a file ending with a newline (all of them).
    if len(raw) == start or raw[start:].isspace():
        raise NotebookError("empty file, not a notebook")
    streamed = len(raw) >= STREAMING_THRESHOLD
    try:
        if streamed:
            # Imported here: only a notebook this large (rare) is read so.
            from nbrefactor.nbfile.json_scan import parse_without_outputs

            data, cell_spans = parse_without_outputs(raw, start)
        else:
            data, cell_spans = parse(raw, start), ()
    except JSONError as error:
        raise NotebookError(str(error)) from None
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
    return Notebook(raw, data, _read_cells(raw_cells), streamed, cell_spans)


def _read_cells(raw_cells: list) -> tuple[Cell, ...]:
    """Every cell, in order; one plain loop, since it runs for every cell of every notebook."""
    cells: list[Cell] = []
    append = cells.append
    new_cell = tuple.__new__  # Cell's own __new__ is a Python function around this call
    for number, raw in enumerate(raw_cells, start=1):
        cell_type = raw.get("cell_type") if isinstance(raw, dict) else None
        if not isinstance(cell_type, str):
            raise NotebookError(f"cell {number}: not a cell object with a 'cell_type'")
        source = raw.get("source", "")
        if isinstance(source, list):
            try:
                source = "".join(source)
            except TypeError:
                source = None
            if source is not None and len(source) > _SHARED_SOURCE:
                raw["source"] = source  # one copy of a huge cell's text, not two (see above)
        if not isinstance(source, str):
            raise NotebookError(
                f"cell {number}: 'source' is neither a string nor a list of strings"
            )
        cell_id = raw.get("id")
        if not isinstance(cell_id, str):
            cell_id = None
        append(new_cell(Cell, (number, cell_type, source, cell_id)))
    return tuple(cells)

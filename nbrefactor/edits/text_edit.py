"""An edit to a cell's text as a value, and the one function that applies them.

As in ruff (`Edit` with deletion, insertion and replacement constructors, one
`apply_fixes`): the rules' decisions become `Edit`s, computed by the layout
code; `apply_edits` sorts them, refuses overlapping ones and splices. Whether
a notebook changes is whether there are edits; nothing interprets a decision
a second time to find out.

Offsets are character offsets into the text the edits were computed on: for
a code cell, its masked text (`analysis.magics`), unmasked after splicing.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nbrefactor.analysis.text import TextLines
from nbrefactor.value_base import ValueBase


class OverlappingEdits(Exception):
    """Two edits touch the same characters: applying both would depend on their order."""


@dataclass(frozen=True, eq=False, repr=False)
class Edit(ValueBase):
    """Replace the characters start..end of a cell's text with `text`."""

    cell: int
    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"an edit's range must be ordered: {self.start}..{self.end}")

    @classmethod
    def deletion(cls, cell: int, start: int, end: int) -> Edit:
        return cls(cell, start, end, "")

    @classmethod
    def insertion(cls, cell: int, at: int, text: str) -> Edit:
        return cls(cell, at, at, text)

    @classmethod
    def replacement(cls, cell: int, start: int, end: int, text: str) -> Edit:
        return cls(cell, start, end, text)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """The text with every edit made; all edits belong to one cell.

    Edits are applied in order of position; insertions at the same place keep
    the order they were given in, and an insertion at the start of a deletion
    goes before it. Overlapping edits are refused, not skipped: each one is a
    decision the report speaks of.

    The new text grows by `+=`, which CPython makes in place (its one
    reference is `new`): a huge cell's new text is built without a list of
    pieces as large beside it, which `"".join` would need at its peak (about
    4 MB of the 5 MB cell's peak RSS; bench/run.py's `rss-bigcell`).
    """
    ordered = sorted(edits, key=lambda edit: (edit.start, edit.end))
    if len({edit.cell for edit in ordered}) > 1:
        raise ValueError("apply_edits takes the edits of one cell")
    new = ""
    position = 0
    for edit in ordered:
        if edit.start < position:
            raise OverlappingEdits(
                f"cell {edit.cell}: edits at {edit.start}..{edit.end} and before {position} overlap"
            )
        if edit.end > len(text):
            raise ValueError(f"cell {edit.cell}: an edit ends at {edit.end}, past the text")
        new += text[position : edit.start]
        new += edit.text
        position = edit.end
    new += text[position:]
    return new


def line_offsets(lines: Sequence[str]) -> array[int]:
    """Where each line starts in the joined lines, then where the last one ends (8 bytes a
    line). Of `TextLines`, the starts it holds: no line is cut from the text to be counted."""
    if isinstance(lines, TextLines) and len(lines):
        last = len(lines) - 1
        offsets = array("q", lines.starts[: last + 1])
        offsets.append(offsets[last] + len(lines[last]))  # its last line, with `last_ending`
        return offsets
    offsets = array("q", [0])
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    return offsets


class OffsetsInText:
    """Character offsets into the joined lines of a cell, from `ast` (line, byte column)."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self.starts = line_offsets(lines)

    def line_start(self, line: int) -> int:
        return self.starts[line - 1]

    def at(self, line: int, byte_column: int) -> int:
        text = self.lines[line - 1]
        return self.starts[line - 1] + len(text.encode("utf-8")[:byte_column].decode("utf-8"))

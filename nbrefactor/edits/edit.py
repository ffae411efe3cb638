"""Every edit to a code cell: remove definitions, rename calls, add or merge the import.

The rules decide with positions the parsers reported; this module turns the
decisions into new cell sources by editing the cell's text at those
positions, so that every other byte of the cell, a line that does not parse
included, stays as it was. Where lines go follows libcst's layout rules
(`layout`), which the tests check against libcst itself.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from nbrefactor.analysis.program import Program
from nbrefactor.analysis.reader import CellReading
from nbrefactor.analysis.text import TextLines, newline_of, split_lines
from nbrefactor.edits.import_merge import merge_edits
from nbrefactor.edits.import_text import format_import
from nbrefactor.edits.indentation import default_indent
from nbrefactor.edits.layout import (
    Piece,
    cell_pieces,
    join_pieces,
    plan_edits,
    space_after_import,
    split_attached,
)
from nbrefactor.edits.text_edit import Edit, OffsetsInText, OverlappingEdits, apply_edits
from nbrefactor.rules import Decisions
from nbrefactor.rules.import_decision import ImportEdit, InsertMode
from nbrefactor.rules.legacy_names import Rename
from nbrefactor.value_base import ValueBase


class EditError(Exception):
    """A cell that must change cannot be edited safely; the message names the cell and why."""


@dataclass(frozen=True, eq=False, repr=False)
class CellEdit(ValueBase):
    """What changes in one cell; statement indices count as `ast` does."""

    cell: int
    removed: frozenset[int]
    renames: tuple[Rename, ...]
    import_edit: ImportEdit | None


def cell_edits(decisions: Decisions) -> list[CellEdit]:
    """The decisions grouped by cell, in cell order."""
    removed: dict[int, set[int]] = defaultdict(set)
    for binding in decisions.definitions.removed:
        removed[binding.cell].add(binding.statement_index)
    renames: dict[int, list[Rename]] = defaultdict(list)
    for rename in decisions.renames:
        renames[rename.use.cell].append(rename)
    placement = decisions.import_decision
    cells = set(removed) | set(renames)
    if placement is not None and placement.cell is not None:
        cells.add(placement.cell)
    return [
        CellEdit(
            number,
            frozenset(removed.get(number, ())),
            tuple(renames.get(number, ())),
            placement.edit if placement is not None and placement.cell == number else None,
        )
        for number in sorted(cells)
    ]


def edited_sources(program: Program, decisions: Decisions) -> dict[int, str]:
    """Cell number -> new source, for the cells whose source changes."""
    new_sources = {}
    for edit in cell_edits(decisions):
        reading = program.reading(edit.cell)
        assert reading is not None and reading.editable
        source = edited_source(reading, edit)
        if source != program.cell(edit.cell).source:
            new_sources[edit.cell] = source
    return new_sources


def edited_source(reading: CellReading, edit: CellEdit) -> str:
    """One cell's new source: its edits applied to the masked text, IPython syntax restored."""
    masked = reading.masked
    try:
        text = apply_edits(masked.text, text_edits(reading, edit))
    except OverlappingEdits as error:
        raise EditError(str(error)) from None
    return masked.unmask(text)


def text_edits(reading: CellReading, edit: CellEdit) -> list[Edit]:
    """The decisions for one cell as edits of its masked text."""
    text = reading.masked.text
    edits = []
    if edit.removed or edit.import_edit is not None:
        edits = _layout_edits(
            text, reading.facts.tree, edit.removed, edit.import_edit, edit.cell, reading.line_starts
        )
    if edit.renames:
        deleted = [(item.start, item.end) for item in edits if not item.text]
        edits += [  # a use inside a removed definition goes with it
            rename
            for rename in _renamed(text, edit.cell, edit.renames)
            if not any(start <= rename.start and rename.end <= end for start, end in deleted)
        ]
    return edits


def _restructured(
    text: str, tree: ast.Module, removed: frozenset[int], import_edit: ImportEdit | None
) -> str:
    """The cell with the statements at `removed` gone and the import added or merged."""
    return apply_edits(text, _layout_edits(text, tree, removed, import_edit, cell=0))


def _layout_edits(
    text: str,
    tree: ast.Module,
    removed: frozenset[int],
    import_edit: ImportEdit | None,
    cell: int,
    starts: Sequence[int] | None = None,
) -> list[Edit]:
    """The edits that remove the statements at `removed` and add or merge the import.
    `starts`: the text's line starts, when its reading has them (the safety check reads
    the same ones: taken once)."""
    lines = TextLines(text, starts=starts)  # cut when read: a huge cell is not split into a list
    newline = newline_of(lines)
    added_newline = None
    if text and not text.endswith(("\n", "\r")):
        lines.last_ending = newline  # laid out as if it had one; `plan_edits` takes it off again
        added_newline = newline
    pieces, group_of, footer = cell_pieces(lines, tree.body)
    edits = []
    indent = default_indent(tree.body, lines) if import_edit is not None else ""
    if import_edit is not None and import_edit.merge:
        statement = tree.body[import_edit.statement_index]
        assert isinstance(statement, ast.ImportFrom)
        edits += merge_edits(statement, import_edit, lines, indent, newline, cell)
    removed_pieces = {group_of[index] for index in removed}
    ordered = [(piece, index in removed_pieces) for index, piece in enumerate(pieces)]
    mark = None
    if import_edit is not None and not import_edit.merge:
        new_import = tuple(split_lines(_import_text(import_edit, indent, newline)))
        mark = _insert_import(ordered, group_of, import_edit, new_import, lines)
    plan, after_mark, after_imports = join_pieces(ordered, footer, lines, mark)
    if after_mark is not None:
        after_imports.append(after_mark)
    for index in sorted(set(after_imports), reverse=True):  # spaced as black would space it
        plan = space_after_import(plan, index, newline, lines)
    return edits + plan_edits(cell, lines, plan, added_newline)


def _insert_import(
    ordered: list[tuple[Piece, bool]],
    group_of: Sequence[int],
    import_edit: ImportEdit,
    new_import: tuple[str, ...],
    lines: Sequence[str],
) -> Piece | None:
    """Put the new import's piece where the placement rule said; the piece the
    spacing after it is set for (None: after another statement, spacing kept)."""
    piece = Piece((), new_import, is_import=True)
    if import_edit.mode is InsertMode.AFTER:
        ordered.insert(group_of[import_edit.statement_index - 1] + 1, (piece, False))
        return None
    if import_edit.mode is InsertMode.REPLACE:
        ordered.insert(group_of[import_edit.statement_index] + 1, (piece, False))
        return piece
    first, _ = ordered[0]  # TOP: below the cell's detached header comment
    detached, attached = split_attached(first.leading, lines)
    ordered[0] = (Piece(attached, first.body, first.is_import), False)
    piece = Piece(detached, new_import, is_import=True)
    ordered.insert(0, (piece, False))
    return piece


def _import_text(edit: ImportEdit, indent: str, newline: str) -> str:
    return format_import(edit.module, sorted(edit.names), indent, newline)


def _renamed(text: str, cell: int, renames: Sequence[Rename]) -> list[Edit]:
    """The renames of uses, as edits at the positions `ast` reported (byte columns)."""
    lines = TextLines(text)
    offset = OffsetsInText(lines)
    edits = []
    for rename in renames:
        use = rename.use
        line = lines[use.line - 1]
        column = len(line.encode("utf-8")[: use.column].decode("utf-8"))
        if line[column : column + len(use.name)] != use.name:
            raise EditError(f"cell {cell}: cannot locate {use.name} on line {use.line}")
        start = offset.line_start(use.line) + column
        edits.append(Edit.replacement(cell, start, start + len(use.name), rename.new_name))
    return edits

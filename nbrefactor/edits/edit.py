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
from nbrefactor.analysis.text import newline_of, split_lines
from nbrefactor.edits.import_text import format_import
from nbrefactor.edits.layout import (
    Piece,
    cell_pieces,
    default_indent,
    join_pieces,
    space_after_import,
    split_attached,
)
from nbrefactor.rules import Decisions
from nbrefactor.rules.import_placement import ImportEdit, InsertMode
from nbrefactor.rules.legacy_names import Rename


class EditError(Exception):
    """A cell that must change cannot be edited safely; the message names the cell and why."""


@dataclass(frozen=True)
class CellEdit:
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
    """One cell's new source, IPython syntax restored."""
    masked = reading.masked
    text = _renamed(masked.text, edit.cell, edit.renames) if edit.renames else masked.text
    if edit.removed or edit.import_edit is not None:
        text = _restructured(text, reading.facts.tree, edit.removed, edit.import_edit)
    return masked.unmask(text)


def _restructured(
    text: str, tree: ast.Module, removed: frozenset[int], import_edit: ImportEdit | None
) -> str:
    """The cell with the statements at `removed` gone and the import added or merged."""
    lines = split_lines(text)
    newline = newline_of(lines)
    final_newline = not lines or lines[-1].endswith(("\n", "\r"))
    if not final_newline:
        lines[-1] += newline  # as if it had one; taken off again at the end
    pieces, group_of, footer = cell_pieces(lines, tree.body)
    indent = default_indent(tree.body, lines) if import_edit is not None else ""
    if import_edit is not None and import_edit.merge:
        statement = tree.body[import_edit.statement_index]
        assert isinstance(statement, ast.ImportFrom)
        index = group_of[import_edit.statement_index]
        pieces[index] = _merged(pieces[index], statement, import_edit, lines, indent, newline)
    removed_pieces = {group_of[index] for index in removed}
    ordered: list[tuple[Piece, bool]] = [
        (piece, index in removed_pieces) for index, piece in enumerate(pieces)
    ]
    mark = None  # a new import where a definition was, or atop its cell
    if import_edit is not None and not import_edit.merge:
        new_import = Piece((), tuple(split_lines(_import_text(import_edit, indent, newline))))
        if import_edit.mode is InsertMode.AFTER:
            at = group_of[import_edit.statement_index - 1] + 1
            ordered.insert(at, (new_import, False))
        elif import_edit.mode is InsertMode.REPLACE:
            at = group_of[import_edit.statement_index]
            ordered.insert(at + 1, (new_import, False))
            mark = new_import
        else:
            first, _ = ordered[0]
            detached, attached = split_attached(first.leading)
            ordered[0] = (Piece(attached, first.body), False)
            mark = Piece(detached, new_import.body)
            ordered.insert(0, (mark, False))
    lines, after_import = join_pieces(ordered, footer, mark)
    if after_import is not None:  # spaced as black would space it
        lines = space_after_import(lines, after_import, newline)
    result = "".join(lines)
    if not final_newline and result.endswith(("\n", "\r")):
        result = result[: -len(newline)] if result.endswith(newline) else result[:-1]
    return result if result.strip() else ""  # an emptied cell is empty, not a lone newline


def _import_text(edit: ImportEdit, indent: str, newline: str) -> str:
    return format_import(edit.module, sorted(edit.names), indent, newline)


def _merged(
    piece: Piece,
    node: ast.ImportFrom,
    edit: ImportEdit,
    lines: Sequence[str],
    indent: str,
    newline: str,
) -> Piece:
    """The piece holding `from <module> import ...`, with the missing names added in its layout."""
    present = {
        alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"
        for alias in node.names
    }
    missing = sorted(name for name in edit.names if name not in present)
    if not missing:
        return piece
    body = "".join(piece.body)
    offset = _OffsetsInText(lines, piece.first_line, len(piece.body))
    start = offset.at(node.lineno, node.col_offset)
    end = offset.at(node.end_lineno or node.lineno, node.end_col_offset or 0)
    aliases = [
        (
            offset.at(alias.lineno, alias.col_offset),
            offset.at(alias.end_lineno or alias.lineno, alias.end_col_offset or 0),
        )
        for alias in node.names
    ]
    names = [alias.name for alias in node.names]
    in_order = names == sorted(names)
    parenthesized = "(" in body[start : aliases[0][0]]
    alone = start == offset.line_start(node.lineno) and _rest_is_trailer(body[end:])
    if not parenthesized and alone and all(alias.asname is None for alias in node.names):
        merged = sorted(names + missing) if in_order else names + missing
        replacement = format_import(edit.module, merged, indent, newline)
        return piece.replaced_text(start, end, replacement[: -len(newline)])
    texts = [body[alias_start:alias_end] for alias_start, alias_end in aliases]
    if len(aliases) > 1:
        separator = body[aliases[-2][1] : aliases[-1][0]]
    elif parenthesized and "\n" in body[body.index("(", start) + 1 : aliases[0][0]]:
        separator = "," + body[body.index("(", start) + 1 : aliases[0][0]]
    else:
        separator = ", "
    combined = list(zip(names, texts)) + [(name.split(" as ")[0], name) for name in missing]
    if in_order:
        combined.sort(key=lambda item: item[0])
    replacement = separator.join(text for _, text in combined)
    return piece.replaced_text(aliases[0][0], aliases[-1][1], replacement)


def _rest_is_trailer(rest: str) -> bool:
    """Whether what follows a statement on its line is only a comment and the line ending."""
    first_line = rest.split("\n", 1)[0].strip()
    return not first_line or first_line.startswith("#")


class _OffsetsInText:
    """Character offsets into the joined lines of a piece, from `ast` (line, byte column)."""

    def __init__(self, lines: Sequence[str], first_line: int, line_count: int) -> None:
        self.lines = lines
        self.starts = {}
        position = 0
        for number in range(first_line, first_line + line_count):
            self.starts[number] = position
            position += len(lines[number - 1])

    def line_start(self, line: int) -> int:
        return self.starts[line]

    def at(self, line: int, byte_column: int) -> int:
        text = self.lines[line - 1]
        return self.starts[line] + len(text.encode("utf-8")[:byte_column].decode("utf-8"))


def _renamed(text: str, cell: int, renames: Sequence[Rename]) -> str:
    """Rename uses in place, at the positions `ast` reported (byte columns)."""
    lines = split_lines(text)
    for rename in sorted(renames, key=lambda item: (item.use.line, item.use.column), reverse=True):
        use = rename.use
        line = lines[use.line - 1]
        column = len(line.encode("utf-8")[: use.column].decode("utf-8"))
        if line[column : column + len(use.name)] != use.name:
            raise EditError(f"cell {cell}: cannot locate {use.name} on line {use.line}")
        lines[use.line - 1] = line[:column] + rename.new_name + line[column + len(use.name) :]
    return "".join(lines)

"""Every edit to a code cell: remove definitions, rename calls, add or merge the import.

The rules decide with positions `ast` reported; this module turns the
decisions into new cell sources. Renames, and an import added right after a
simple statement, are text edits at those positions. Removals and the other
imports go through libcst (`cst_edit`), imported and run only for the cells
that need it, so that comments and blank-line layout survive; the definitions
about to be removed are first shrunk to two-line stand-ins, since their
pasted bodies would be most of libcst's parse time.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from nbrefactor.import_text import format_import
from nbrefactor.parsing import Unparseable, parse_for_edit
from nbrefactor.program import CellReading, Program
from nbrefactor.rules import Decisions
from nbrefactor.rules.import_placement import ImportEdit, InsertMode
from nbrefactor.rules.legacy_names import Rename
from nbrefactor.text import line_ending, newline_of, split_lines

_COMPOUND_STATEMENTS = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.TryStar,
    ast.Match,
)


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
    if placement.cell is not None:
        cells.add(placement.cell)
    return [
        CellEdit(
            number,
            frozenset(removed.get(number, ())),
            tuple(renames.get(number, ())),
            placement.edit if placement.cell == number else None,
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
    tree = reading.facts.tree
    import_edit = edit.import_edit
    if not edit.removed and (import_edit is None or _is_simple_append(import_edit, tree)):
        if import_edit is not None:
            text = _insert_import_after(
                text, tree.body[import_edit.statement_index - 1], import_edit
            )
        return masked.unmask(text)

    from nbrefactor.cst_edit import edit_module, statement_index_map  # imports libcst

    text = _compacted(text, [tree.body[index] for index in edit.removed])
    try:
        module = parse_for_edit(text)
    except Unparseable as error:
        raise EditError(f"cell {edit.cell}: {error}") from None
    index_map = statement_index_map(module)
    if len(index_map) != len(tree.body):
        raise EditError(f"cell {edit.cell}: libcst and ast disagree about its statements")
    import_index = -1
    if import_edit is not None:
        if import_edit.merge or import_edit.mode is InsertMode.REPLACE:
            import_index = index_map[import_edit.statement_index]
        elif import_edit.mode is InsertMode.AFTER:
            import_index = index_map[import_edit.statement_index - 1] + 1
        else:
            import_index = 0
    removed = frozenset(index_map[index] for index in edit.removed)
    module = edit_module(module, removed, import_edit, import_index)
    source = masked.unmask(module.code)
    return source if source.strip() else ""  # an emptied cell is empty, not a lone newline


def _is_simple_append(edit: ImportEdit, tree: ast.Module) -> bool:
    """A new import right after a one-line-kind statement: a plain text insertion."""
    if edit.merge or edit.mode is not InsertMode.AFTER:
        return False
    previous = tree.body[edit.statement_index - 1]
    return not isinstance(previous, _COMPOUND_STATEMENTS)


def _insert_import_after(text: str, statement: ast.stmt, edit: ImportEdit) -> str:
    """Insert the import as a line after the statement's last line, in the cell's own newline."""
    lines = split_lines(text)
    end = statement.end_lineno or statement.lineno
    newline = newline_of(lines)
    indent = next(
        (
            line[: len(line) - len(line.lstrip(" \t"))]
            for line in lines
            if line[:1] in " \t" and line.strip()
        ),
        "    ",
    )
    new_import = format_import(edit.module, sorted(edit.names), indent, newline)
    if end == len(lines) and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline  # the cell had no final newline and still has none
        new_import = new_import[: -len(newline)]
    lines.insert(end, new_import)
    return "".join(lines)


def _compacted(text: str, removed: Collection[ast.stmt]) -> str:
    """Shrink each statement about to be removed to a stand-in, before libcst parses the cell.

    The bodies of pasted helpers are most of a cell, libcst's parse time grows
    with them, and they are removed anyway. The stand-in keeps what decides
    how libcst attributes the lines around it: the lines before and after are
    untouched, and its body keeps the original's indentation, so comments
    indented below the body still belong to it.
    """
    lines = split_lines(text)
    for node in sorted(removed, key=lambda statement: statement.lineno, reverse=True):
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", ())])
        last = node.end_lineno or node.lineno
        ending = line_ending(lines[last - 1])
        body = getattr(node, "body", None)
        body_line = lines[body[0].lineno - 1] if body else ""
        in_block = (
            body
            and body[0].lineno != node.lineno
            and not body_line.encode("utf-8")[: body[0].col_offset].strip()
        )
        if in_block:
            newline = line_ending(lines[node.lineno - 1])
            indent = body_line[: len(body_line) - len(body_line.lstrip(" \t"))]
            stand_in = ["def _nbrefactor_removed():" + newline, indent + "pass" + ending]
        else:
            stand_in = ["def _nbrefactor_removed(): pass" + ending]
        lines[first - 1 : last] = stand_in
    return "".join(lines)


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

"""The places the import of the replaced names could go, in the order they are tried
(`import_placement` checks each against the uses it must reach): merged into an existing
import of the library, after the import cell's last import, at the top of the first
removed definition's cell, or where that definition was. In a definition's cell, the
import goes below its `from __future__` imports (`future_imports`), which must come
first."""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from nbrefactor.analysis.events import Position
from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.analysis.path_changes import folder_stack_magic
from nbrefactor.analysis.program import Program
from nbrefactor.rules.definitions import DefinitionDecisions
from nbrefactor.rules.import_cell import (
    cell_finds_modules,
    path_changers,
    statements_to_follow,
)
from nbrefactor.rules.import_decision import ImportEdit, InsertMode
from nbrefactor.value_base import ValueBase


@dataclass(frozen=True, eq=False, repr=False)
class Candidate(ValueBase):
    """A place the import could go, with where it would run: tried in order, the first that
    every use reaches wins."""

    position: Position  # where the import runs, in notebook order
    cell: int
    edit: ImportEdit


def candidates(
    program: Program,
    decisions: DefinitionDecisions,
    names: tuple[str, ...],
    needed: Collection[str],
) -> Iterator[Candidate]:
    """The places in the order they are tried: each found only when the ones before it
    would not do (most notebooks take the first, and looking for the import cell's place
    reads the cells up to the first definition)."""
    module = program.catalog.module
    for reading in program.readings():
        if not reading.editable:
            continue
        number = reading.facts.cell
        for existing in reading.facts.module_imports:
            if _aliases_another(existing.names, needed):
                continue  # `from LIB import g as f`: its alias would rebind the merged `f`
            edit = ImportEdit(module, names, existing.statement_index, merge=True)
            position = Position.after_statement(number, existing.statement_index)
            yield Candidate(position, number, edit)
    first = min(decisions.removed, key=lambda binding: binding.position)
    import_cell = program.import_cell
    changers = path_changers(program, first.cell)  # `add_path("../src")` calls
    # A later cell that makes modules findable (`sys.path.insert`, `!pip install`) before the
    # first definition: the module, or what it imports, may not be found in the import cell.
    if (
        import_cell is not None
        and cell_finds_modules(program, import_cell, first, changers) is None
    ):
        facts = program.facts(import_cell)
        last = max(
            [*facts.import_statements, *statements_to_follow(program, import_cell, changers)]
            + [
                binding.statement_index
                for binding in facts.bindings
                if binding.name in needed and binding not in decisions.removed
            ]
        )
        # The import goes on the line after that statement's: after what shares its line.
        end = _last_on_its_lines(program, import_cell, last)
        if end is not None:
            edit = ImportEdit(module, names, end + 1, merge=False, mode=InsertMode.AFTER)
            position = Position.after_statement(import_cell, end)
            yield Candidate(position, import_cell, edit)
    first_statement_removed = any(
        binding.cell == first.cell and binding.statement_index == 0 for binding in decisions.removed
    )
    futures = future_imports(program, first.cell)
    if futures:  # `from __future__ import ...` must stay the cell's first statements
        edit = ImportEdit(module, names, futures, merge=False, mode=InsertMode.AFTER)
        position = Position.after_statement(first.cell, futures - 1)
        yield Candidate(position, first.cell, edit)
    elif (
        not first_statement_removed
        and cell_finds_modules(program, first.cell - 1, first, changers) is None
    ):
        edit = ImportEdit(module, names, 0, merge=False, mode=InsertMode.TOP)
        yield Candidate(Position.top_of_cell(first.cell), first.cell, edit)
    edit = ImportEdit(module, names, first.statement_index, merge=False, mode=InsertMode.REPLACE)
    position = Position.before_statement(first.cell, first.statement_index)
    yield Candidate(position, first.cell, edit)


def _last_on_its_lines(program: Program, cell: int, index: int) -> int | None:
    """The last statement sharing lines with statement `index` of the cell (`import math;
    x = 1`: the import goes after both), or None when that is the cell's last and may show
    its value (`import math; math.pi`): below it, the import would end the cell, and IPython
    would show nothing (re-check 46)."""
    reading = program.reading(cell)
    assert reading is not None  # the import cell was read
    body = reading.facts.tree.body
    end = index
    while (
        end + 1 < len(body) and statement_lines(body[end + 1])[0] <= statement_lines(body[end])[1]
    ):
        end += 1
    # A statement of a huge cell's skeleton may stand for any (`statementwise`).
    shown = isinstance(body[end], ast.Expr) or reading.skeletal
    if end == len(body) - 1 and _shows_folder_stack(body[end], reading.masked.originals):
        return None  # round 60a F2: `%pushd ..` ending the cell shows the folder stack
    return None if end > index and end == len(body) - 1 and shown else end


def _shows_folder_stack(statement: ast.stmt, magic_lines: dict[str, str]) -> bool:
    """`%pushd ..`, `%popd`, `get_ipython().run_line_magic("pushd", "..")`: a line whose value,
    the folder stack, IPython shows when it ends the cell."""
    if folder_stack_magic(statement, magic_lines):
        return True
    if not isinstance(statement, ast.Expr) or not isinstance(statement.value, ast.Call):
        return False
    call = statement.value
    return (
        isinstance(call.func, ast.Attribute)
        and call.func.attr == "run_line_magic"
        and bool(call.args)
        and isinstance(call.args[0], ast.Constant)
        and call.args[0].value in ("pushd", "popd")
    )


def _aliases_another(imported: Collection[str], needed: Collection[str]) -> bool:
    """Whether an import's names (`a`, `g as f`) bind one of `needed` to another name of the
    module: within one statement the later name wins, whatever order the merge chose."""
    for entry in imported:
        name, _, alias = entry.partition(" as ")
        if alias in needed and name != alias:
            return True
    return False


def future_imports(program: Program, cell: int) -> int:
    """How many `from __future__ import ...` statements the cell starts with: a statement
    above them does not compile (ruff's F404)."""
    count = 0
    for statement in program.facts(cell).tree.body:
        if not (isinstance(statement, ast.ImportFrom) and statement.module == "__future__"):
            break
        count += 1
    return count

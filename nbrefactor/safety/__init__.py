"""The check before every write: the edited cells are the original ones minus what was removed.

black re-parses what it formatted and refuses to write code that is not
equivalent (`assert_equivalent`, `assert_stable`). The same here, on the new
sources a migration built, before anything is written (and under --check):

1. every changed code cell that parsed before still parses;
2. its top-level statements are the original ones minus exactly the removed
   definitions, plus the import: compared as `ast.dump` compares them (equal
   text first, else one walk of both trees), IPython lines masked as the
   reader masks them, legacy calls compared under their new name, and the
   imports from the library compared by the names they bind;
3. every use that ran a removed definition and runs when its cell runs is
   bound, where it runs, by an import from the library (a cell that does not
   parse never runs, so its uses are not checked) (unless the report
   already warns about the import's place: the user was told); a use inside a
   function needs such an import somewhere;
4. migrating the result again changes nothing (the rules, run on the result
   read with the same watched names; the cells left unchanged are not read
   again).

A failure raises `InternalCheckFailed` naming the cell: nothing is written for
that notebook. It is a bug in nbrefactor, never the user's input.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace

from nbrefactor.analysis.program import Program, read_program
from nbrefactor.nbfile.notebook import Notebook
from nbrefactor.rules import Decisions, decide
from nbrefactor.safety.statements import Statements
from nbrefactor.safety.uses import unbound_use


class InternalCheckFailed(Exception):
    """The migration built something other than it decided; the message names the cell."""


def check_migration(program: Program, decisions: Decisions, new_sources: Mapping[int, str]) -> None:
    """Raise `InternalCheckFailed` unless the new sources are exactly the decided migration."""
    module = program.catalog.module
    removed: dict[int, set[int]] = defaultdict(set)
    for binding in decisions.definitions.removed:
        removed[binding.cell].add(binding.statement_index)
    renamed = decisions.definitions.renamed
    # The same names are watched, so an unchanged cell's reading holds as it is; each changed
    # cell is read (parsed) once, for the comparison and for the uses.
    new_program = read_program(
        _with_sources(program.notebook, new_sources),
        program.catalog,
        program.defined,
        earlier=program,
    )
    for number in sorted(new_sources):
        before = program.reading(number)
        if before is None or before.error is not None:
            continue  # not a code cell that parsed: the version cell, a cell read in pieces
        reading = new_program.reading(number)
        if reading is None or reading.error is not None:
            error = new_program.unparseable.get(number) if reading is None else reading.error
            raise InternalCheckFailed(f"cell {number}: no longer parses ({error})")
        kept = [
            statement
            for index, statement in enumerate(before.facts.tree.body)
            if index not in removed[number]
        ]
        old = Statements(kept, before.masked, module, renamed)
        new = Statements(reading.facts.tree.body, reading.masked, module, renamed)
        if not old.same_as(new):
            raise InternalCheckFailed(
                f"cell {number}: its statements are not the original ones minus the removed "
                "definitions"
            )
        added = _imported_here(decisions, number)
        if new.imported != old.imported | added or new.imports > old.imports + 1:
            raise InternalCheckFailed(f"cell {number}: the import from {module} is not as decided")
    unbound = unbound_use(program, new_program, decisions)
    if unbound is not None:
        raise InternalCheckFailed(unbound)
    if new_program.has_editable_definition() and decide(new_program).definitions.replaced:
        raise InternalCheckFailed("migrating the result again would change it")


def _imported_here(decisions: Decisions, cell: int) -> set[str]:
    placement = decisions.import_decision
    if placement is None or placement.cell != cell or placement.edit is None:
        return set()
    return set(placement.edit.names)


def _with_sources(notebook: Notebook, new_sources: Mapping[int, str]) -> Notebook:
    cells = tuple(
        replace(cell, source=new_sources[cell.number]) if cell.number in new_sources else cell
        for cell in notebook.cells
    )
    return replace(notebook, cells=cells)

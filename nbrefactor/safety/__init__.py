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
   checks 1 and 2 are made on the text when it can be shown to be the old
   one minus the removed definitions, its calls renamed, plus the import
   (`text_match`: only the import and a few statements are parsed, and the
   reading follows from the old one); any other changed cell is parsed
   again and compared as trees (`statements`);
3. every use that ran a removed definition and runs when its cell runs is
   bound, where it runs, by an import from the library (a cell that does not
   parse never runs, so its uses are not checked) (unless the report
   already warns about the import's place: the user was told); a use inside a
   function needs such an import somewhere;
4. migrating the result again changes nothing (the rules, run on the result
   read with the same watched names; the cells left unchanged are not read
   again). As `migrate` does, the check does not ask which notebook variables
   a definition reads when its parameters are not the library's: the rules
   keep it for its parameters before they look at its variables
   (`same_function.not_the_same`), and a variable it reads could only be one
   more reason to keep it; so the rules replace the same definitions as with
   every question asked.

A failure raises `InternalCheckFailed` naming the cell: nothing is written for
that notebook. It is a bug in nbrefactor, never the user's input.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace

from nbrefactor.analysis.program import Program
from nbrefactor.analysis.program_reader import read_program
from nbrefactor.analysis.reader import CellReading
from nbrefactor.nbfile.notebook import Notebook
from nbrefactor.rules import Decisions, decide
from nbrefactor.rules.legacy_names import Rename
from nbrefactor.rules.parameters import kept_for_parameters
from nbrefactor.safety.statements import Statements, library_imports
from nbrefactor.safety.text_match import Decided, reading_from_text
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
    # A changed cell whose new text is, line for line, the old one minus the removed
    # definitions plus imports from the library is read from its text (checks 1 and 2 hold
    # by `text_match`); any other is read again, parsed, and compared as trees.
    from_text = _read_from_text(program, decisions, removed, new_sources)
    # The same names are watched, so an unchanged cell's reading holds as it is. The
    # definitions kept for their parameters: their notebook variables are not asked (4.).
    new_program = read_program(
        _with_sources(program.notebook, new_sources),
        program.catalog,
        program.defined,
        earlier=program,
        kept_by_own_text=kept_for_parameters(program.catalog),
        supplied=from_text,
        folder=program.folder,
        file_name=program.file_name,
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
        if number in from_text:
            imported, imports = library_imports(kept, module)
            imported_now, imports_now = library_imports(reading.facts.tree.body, module)
        else:
            old = Statements(kept, before.masked, module, renamed, before.skeletal)
            new = Statements(
                reading.facts.tree.body, reading.masked, module, renamed, reading.skeletal
            )
            if not old.same_as(new):
                raise InternalCheckFailed(
                    f"cell {number}: its statements are not the original ones minus the removed "
                    "definitions"
                )
            imported, imports = old.imported, old.imports
            imported_now, imports_now = new.imported, new.imports
        added = _imported_here(decisions, number)
        if imported_now != imported | added or imports_now > imports + 1:
            raise InternalCheckFailed(f"cell {number}: the import from {module} is not as decided")
    unbound = unbound_use(program, new_program, decisions)
    if unbound is not None:
        raise InternalCheckFailed(unbound)
    if new_program.has_editable_definition() and decide(new_program).definitions.replaced:
        raise InternalCheckFailed("migrating the result again would change it")


def _read_from_text(
    program: Program,
    decisions: Decisions,
    removed: Mapping[int, set[int]],
    new_sources: Mapping[int, str],
) -> dict[int, CellReading]:
    """The changed cells whose reading follows from their text (`text_match`), read so."""
    renames: dict[int, list[Rename]] = defaultdict(list)
    for rename in decisions.renames:
        if rename.use.position.statement not in removed.get(rename.use.cell, ()):
            renames[rename.use.cell].append(rename)  # a removed def's calls go with it
    placement = decisions.import_decision
    found = {}
    for number, source in new_sources.items():
        before = program.reading(number)
        if before is None:
            continue  # not read: the version cell
        insert_before = None
        if placement is not None and placement.cell == number and placement.edit is not None:
            insert_before = placement.edit.statement_index  # cut there: lines come between
        decided = Decided(
            removed.get(number, set()),
            renames[number],
            decisions.definitions.renamed,
            insert_before,
        )
        reading = reading_from_text(before, source, program.watched, decided)
        if reading is not None:
            found[number] = reading
    return found


def _imported_here(decisions: Decisions, cell: int) -> set[str]:
    placement = decisions.import_decision
    if placement is None or placement.cell != cell or placement.edit is None:
        return set()
    return set(placement.edit.names)


def _with_sources(notebook: Notebook, new_sources: Mapping[int, str]) -> Notebook:
    cells = tuple(
        cell._replace(source=new_sources[cell.number]) if cell.number in new_sources else cell
        for cell in notebook.cells
    )
    return replace(notebook, cells=cells)

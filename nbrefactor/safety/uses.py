"""Check 3: every use that ran a removed definition is bound, where it runs, by the import.

A use that runs when its cell runs must see an import from the library as
the latest binding of its name; a use inside a function (it runs when the
function is called) needs such an import somewhere. A cell that does not
parse never runs, so its uses are not checked; nor a use that reached a
definition in such a cell (Python never ran that definition either); nor,
when the report already warns about the import's place, the uses it warns
about (the user was told).
"""

from __future__ import annotations

from collections import defaultdict

from nbrefactor.analysis.events import Binding, Use
from nbrefactor.analysis.program import Program
from nbrefactor.rules import Decisions
from nbrefactor.rules.definitions import uses_of_replaced


def unbound_use(program: Program, new_program: Program, decisions: Decisions) -> str | None:
    """What is wrong (`cell N: ...`) when a use that ran a removed definition does not reach
    an import from the library in `new_program`, the notebook migrated; None when all do."""
    placement = decisions.import_decision
    warned = placement is not None and bool(placement.warnings)
    module = program.catalog.module
    ran_removed = {id(use) for use in uses_of_replaced(program, decisions.definitions)}
    imported = decisions.definitions.imported

    def removed_of(name: str) -> list[Binding]:
        return [binding for binding in decisions.definitions.removed if binding.name == name]

    for name, bound_as in sorted(imported.items()):
        if all(_read_in_pieces(program, binding.cell) for binding in removed_of(name)):
            # Its definitions sat in cells that do not compile: Python never ran them, so no
            # use was bound by them, before or after (the import may land in such a cell).
            continue
        # Its uses, and those of the legacy names whose calls become uses of its name.
        renamed = decisions.definitions.renamed
        group = {name, bound_as.bound, bound_as.name}
        group |= {old for old, new in renamed.items() if new in group}
        old_by_cell = _uses_by_cell(program, group, decisions)
        new_by_cell = _uses_by_cell(new_program, group, None)
        for cell, old_uses in sorted(old_by_cell.items()):
            reading = new_program.reading(cell)
            if reading is None or reading.error is not None:
                continue  # a cell that does not parse never runs: nothing in it is bound
            new_uses = new_by_cell.get(cell, [])
            if len(new_uses) != len(old_uses):
                return f"cell {cell}: the uses of {name} are not as they were"
            for old, new in zip(old_uses, new_uses):
                if id(old) not in ran_removed or old.name != name:
                    continue
                if new.deferred:
                    bindings = new_program.bindings_of(new.name)
                    ok = any(new_program.imports_from_library(binding) for binding in bindings)
                elif warned:
                    continue  # the report warns about this import's place
                elif _ran_a_definition_never_run(program, old):
                    continue
                else:
                    binding = new_program.binding_at(new.name, new.position)
                    ok = binding is not None and new_program.imports_from_library(binding)
                if not ok:
                    return (
                        f"cell {cell}: {new.name} on line {new.line} is not bound by the "
                        f"import from {module}"
                    )
    return None


def _ran_a_definition_never_run(program: Program, use: Use) -> bool:
    """Whether the use reached a definition in a cell that does not compile: Python never ran
    it, so the use was not bound by it before the migration either."""
    reached = program.binding_at(use.name, use.position)
    return reached is not None and _read_in_pieces(program, reached.cell)


def _read_in_pieces(program: Program, cell: int) -> bool:
    reading = program.reading(cell)
    return reading is not None and reading.error is not None


def _uses_by_cell(
    program: Program, names: set[str], decisions: Decisions | None
) -> dict[int, list[Use]]:
    """Uses of the names, by cell, in source order; those in removed statements left out."""
    found: dict[int, list[Use]] = defaultdict(list)
    for name in names:
        for use in program.uses_of(name):
            if decisions is not None and decisions.definitions.removes_statement_of(use):
                continue
            found[use.cell].append(use)
    for uses in found.values():
        uses.sort(key=lambda use: (use.line, use.column))
    return found

"""The migration's rules, one module each, applied in this order.

The rules depend on each other, so they run as an explicit sequence rather
than from a registry. Each reads the `Program` (and what the earlier rules
decided) and returns frozen decisions; none edits anything.

1. `definitions`: which inline definitions of library names to replace and
   which to keep, with the reason. For each name it asks, in this order,
   2. `call_binding`: does every use that could run a definition bind to the
      library's signature (or is the inline signature compatible)?
   3. `same_function`, once the calls bind: is each definition the library's
      function, not only its name: the same parameters, no keyword a call
      passes that only the library's `**kwargs` would take, no notebook
      variable read? (Its reasons come after call binding's, so a call that
      does not bind is reported as such.) and
   4. `legacy_names`: is a legacy name imported under its new name (calls
      renamed), under its old one, or not at all (never used)?
   Legacy names are decided after current ones, so a rename knows which
   definitions of its new name go.
5. `legacy_names.renames`: the calls of legacy names to rename.
6. `import_placement`: which names to import, and where.
7. `version`: the title's version bump and changelog entry, applied by
   `refactor` after the cells are edited, only when code changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from nbrefactor.analysis.program import Program
from nbrefactor.rules.definitions import DefinitionDecisions, decide_definitions, uses_of_replaced

if TYPE_CHECKING:
    from nbrefactor.rules.import_placement import ImportDecision
    from nbrefactor.rules.legacy_names import Rename


@dataclass(frozen=True)
class Decisions:
    definitions: DefinitionDecisions
    renames: tuple[Rename, ...]
    import_decision: ImportDecision | None  # None when nothing is replaced
    used_names: frozenset[str] = frozenset()  # replaced names that something still uses


def decide(program: Program) -> Decisions:
    """Apply rules 1 to 6 to a program that holds an editable inline definition."""
    definitions = decide_definitions(program)
    if not definitions.replaced:
        return Decisions(definitions, (), None)
    # Only now rules 5 and 6: a notebook that keeps every definition needs neither.
    from nbrefactor.rules.import_placement import place_import
    from nbrefactor.rules.legacy_names import renames

    uses = uses_of_replaced(program, definitions)
    return Decisions(
        definitions,
        renames(definitions.renamed, uses),
        place_import(program, definitions, uses),
        frozenset(use.name for use in uses),
    )

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
      does not bind is reported as such.) A definition using a name whose
      definitions are kept is kept too (`_settled`), and so is one whose removal
      empties its cell when a later cell reads IPython's numbered history
      (`numbered_history`); and
   4. `legacy_names`: is a legacy name imported under its new name (calls
      renamed), under its old one, or not at all (never used)?
   Legacy names are decided after current ones, so a rename knows which
   definitions of its new name go.
5. `legacy_names.renames`: the calls of legacy names to rename.
6. `import_placement`: which names to import, and where. When the one
   import can stand in for the definitions nowhere (a use would run
   something else than before), every definition is kept instead, with why
   (a partial migration would move the import, and migrating its result
   again would change it).
7. `version`: the title's version bump and changelog entry, applied by
   `refactor` after the cells are edited, only when code changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from nbrefactor.analysis.events import Binding
from nbrefactor.analysis.program import Program
from nbrefactor.reasons import KeptForImport, KeptReason, ReadsKeptDefinition
from nbrefactor.rules.definitions import DefinitionDecisions, decide_definitions, uses_of_replaced
from nbrefactor.rules.numbered_history import emptied_cells_held
from nbrefactor.value_base import ValueBase

if TYPE_CHECKING:
    from nbrefactor.rules.import_decision import ImportBlocked, ImportDecision
    from nbrefactor.rules.legacy_names import Rename


@dataclass(frozen=True, eq=False, repr=False)
class Decisions(ValueBase):
    """What the rules decided for one notebook: what to replace and keep, the renames, the import."""

    definitions: DefinitionDecisions
    renames: tuple[Rename, ...]
    import_decision: ImportDecision | None  # None when nothing is replaced


def decide(program: Program) -> Decisions:
    """Apply rules 1 to 6 to a program that holds an editable inline definition."""
    definitions, held = _settled(program)
    emptied = emptied_cells_held(program, definitions)
    if emptied:  # a later cell reads IPython's numbered history: no cell is emptied
        definitions, held = _settled(program, emptied)
    if not definitions.replaced:
        return Decisions(definitions, (), None)
    # A cell that does not parse only because of definitions that go parses once they have,
    # and its bindings then run: decided so, as the run on the result will decide (when
    # those definitions still go).
    # Deciding so can make another cell's definitions go, and that cell parse too (a call
    # then binding to an import the fixed cell makes): until nothing more is fixed, as
    # long as what was fixed stays fixed (a hypothesis case: the second run replaced the
    # definition of cell 1 once cell 2 parsed). Each round fixes one cell more at least.
    fixed = _fixed_by_removal(program, definitions)
    while fixed:
        view = program.assuming_parsed(fixed)
        again, held_again = _settled(view, emptied)
        now = _fixed_by_removal(view, again)
        if now == fixed:
            program, definitions, held = view, again, held_again
            break
        if not now > fixed:
            break
        fixed = now
    # Only now rules 5 and 6: a notebook that keeps every definition needs neither.
    from nbrefactor.rules.cell_result import shown_results
    from nbrefactor.rules.import_decision import ImportBlocked
    from nbrefactor.rules.import_placement import place_import
    from nbrefactor.rules.legacy_names import renames

    uses = uses_of_replaced(program, definitions)
    placement = place_import(program, definitions, uses)
    if isinstance(placement, ImportBlocked):
        held = {**held, **_held(definitions, placement)}
        gone = definitions.removed_statements
        return Decisions(decide_definitions(program, held, gone), (), None)
    shown = shown_results(program, definitions, placement)
    if shown:  # said with each replacement: its cell now displays an expression
        replaced = tuple(
            replace(found, reasons=(*found.reasons, shown[found.binding]))
            if found.binding in shown
            else found
            for found in definitions.replaced
        )
        definitions = replace(definitions, replaced=replaced)
    return Decisions(definitions, renames(definitions.renamed, uses), placement)


def _fixed_by_removal(program: Program, definitions: DefinitionDecisions) -> frozenset[int]:
    """The cells that do not parse only because of definitions whose own body does not,
    all of which `definitions` removes."""
    removed = definitions.removed_statements
    return frozenset(
        reading.facts.cell
        for reading in program.readings()
        if reading.error is not None
        and reading.only_bodies
        and reading.broken_bodies
        and all((reading.facts.cell, index) in removed for index in reading.broken_bodies)
    )


def _settled(
    program: Program, held_first: dict[Binding, KeptReason] | None = None
) -> tuple[DefinitionDecisions, dict[Binding, KeptReason]]:
    """The definitions decided with the uses inside removed definitions gone with them,
    and no removed definition using a kept one.

    `def total(xs): return add(xs)` holds a call that does not bind to the library's
    `add`: while `total` stays, `add` stays. Once `total` is replaced, that call goes with
    it, and nothing keeps `add`; the rules run on the result would replace it. So the
    decision is taken again, without the uses inside the removed definitions, until it
    removes nothing more (fewer uses only ever replace more): one run migrates what two
    would.

    The other way round: when `add` is kept (it reads a notebook variable), the
    library's `total` would call the library's `add`, not the notebook's: `total` is
    kept too (`ReadsKeptDefinition`), and the decision taken again. The definitions held
    so (returned with the decisions) only grow, so this ends. `held_first`: definitions
    kept from the start (`numbered_history`).
    """
    held: dict[Binding, KeptReason] = dict(held_first or {})
    while True:
        definitions = decide_definitions(program, held)
        while _kept_for_a_use_that_goes(program, definitions):
            again = decide_definitions(program, held, definitions.removed_statements)
            if again.removed == definitions.removed:
                break
            definitions = again
        using_kept = _using_kept(program, definitions)
        if not using_kept:
            return definitions, held
        held |= using_kept


def _using_kept(program: Program, definitions: DefinitionDecisions) -> dict[Binding, KeptReason]:
    """The removed definitions that use a name that is kept, with why."""
    found: dict[Binding, KeptReason] = {}
    removed = {
        replacement.binding.position.top_level: replacement for replacement in definitions.replaced
    }
    for kept in definitions.kept:
        for use in program.uses_of(kept.name):
            replacement = removed.get(use.position.top_level)
            if replacement is None or replacement.binding in found:
                continue
            found[replacement.binding] = ReadsKeptDefinition(
                kept.name,
                kept.cell,
                replacement.library.qualified_name,
                program.catalog.function_for(kept.name).qualified_name,
            )
    return found


def _kept_for_a_use_that_goes(program: Program, definitions: DefinitionDecisions) -> bool:
    """Whether a kept name is used inside a definition that is removed."""
    return any(
        definitions.removes_statement_of(use)
        for name in {kept.name for kept in definitions.kept}
        for use in program.uses_of(name)
    )


def _held(definitions: DefinitionDecisions, blocked: ImportBlocked) -> dict[Binding, KeptReason]:
    """Why each replaced definition is kept when the import is blocked: its name's own
    problem with the import, or the first name's that has one."""
    bound = {name: imported.bound for name, imported in definitions.imported.items()}
    problems = dict(reversed(blocked.problems))  # the first problem of each bound name
    first = next(
        replacement
        for replacement in definitions.replaced
        if bound.get(replacement.name) in problems
    )
    others = KeptForImport(first.name, first.binding.cell)
    return {
        replacement.binding: problems.get(bound.get(replacement.name, ""), others)
        for replacement in definitions.replaced
    }

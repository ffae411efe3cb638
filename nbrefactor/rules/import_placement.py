"""Rule: one import of the replaced names, placed where every use that ran a definition reaches it.

Places are tried in this order, and the first where every such use now
reaches the import and no other use is captured wins:

1. merged into an existing `from <module> import ...`;
2. in the notebook's import cell, after its last import (and after any other
   binding of the names there, which the import then overrides), unless a
   cell between it and the first definition changes where modules are found
   or installs one (`import_cell`);
3. at the top of the cell of the first removed definition;
4. where that definition was.

A place in a cell that does not parse is never taken while another will do:
Python runs no line of such a cell. When no place satisfies everything, the
last is used, or else the latest where no use would run something else than
before (another binding coming between the import and a use that ran a
definition, or the import coming between another binding and its use).
When there is none, the import cannot stand in for the definitions
(`ImportBlocked`, with the last place's problems), and they are all kept
(`rules.decide`); so they are when the place found is a new import of a module
whose top level does something the notebook did not run before it
(`import_effects`), and when the notebook imports another module of the
library's name (`module_identity`). The report warns about a use that comes before every place
(it ran no definition when the notebook ran from the top) and about an import
in a cell that does not parse. A star import binds each name only if its module
has it (`Binding.conditional`): a use after it may see it or what came before.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from nbrefactor import messages, reasons
from nbrefactor.analysis.events import Binding, Position, Use
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.scopes import kernel_builtin
from nbrefactor.rules.deferred_uses import deferred_problems
from nbrefactor.rules.definitions import DefinitionDecisions
from nbrefactor.rules.import_cell import imported_before_setup
from nbrefactor.rules.import_decision import ImportBlocked, ImportDecision
from nbrefactor.rules.import_effects import runs_new_code
from nbrefactor.rules.import_places import Candidate, candidates
from nbrefactor.rules.module_identity import other_module_imported
from nbrefactor.rules.newly_bound import bound_at_last
from nbrefactor.value_base import ValueBase

# `ImportCaptures.kind` of a use that sees the builtin of its name (`binding_cell` 0).
BUILTIN = "builtin"


@dataclass(frozen=True, eq=False, repr=False)
class _Reach(ValueBase):
    """What every place is checked against: the names the import binds, the uses it must
    reach (by the name it binds), the other bindings of those names (`_other_bindings`),
    and the library function each name imports."""

    needed: Collection[str]
    must_reach: Sequence[tuple[str, Use]]
    deferred: Sequence[tuple[str, Use]]  # uses in function bodies: they run when called
    others: dict[str, tuple[list[Binding], list[Position]]]
    library: dict[str, str]
    # (name, cell) of each def kept because it read the name there unbound (NBR253).
    failed_defs: frozenset[tuple[str, int]]


def place_import(
    program: Program, decisions: DefinitionDecisions, uses_of_replaced: Sequence[Use]
) -> ImportDecision | ImportBlocked:
    """Where the import of the library names that `uses_of_replaced` need goes, or why
    it can go nowhere."""
    # Every replaced name is imported, used or not: a name the notebook's text never uses
    # may still be used by what the text does not show (`%run notebook.ipynb` elsewhere,
    # `eval`, `globals()`), and the definition bound it.
    imported = list(decisions.imported.values())
    items = tuple(sorted({str(name) for name in imported}))  # `a` or `a as b`
    needed = {name.bound for name in imported}  # the names the import binds
    by_bound = [(decisions.imported[use.name].bound, use) for use in uses_of_replaced]
    must_reach = [(bound, use) for bound, use in by_bound if not use.deferred]
    reach = _Reach(
        needed,
        must_reach,
        [(bound, use) for bound, use in by_bound if use.deferred],
        _other_bindings(program, decisions, {name for name, _ in must_reach}),
        # The library function each bound name imports (a legacy name may be imported as itself).
        {
            name.bound: f"{program.catalog.module}.{name.name}"
            for name in decisions.imported.values()
        },
        _failed_definitions(decisions),
    )
    # The notebook imports another module of the library's name: no import can stand in.
    other = other_module_imported(program)
    if other is not None:
        return ImportBlocked(tuple((name, other) for name in sorted(needed)))
    tried = []  # (place, its blocking problems, its warnings): each place looked at once
    for candidate in candidates(program, decisions, items, needed):
        blocking, warnings = _violations(program, decisions, candidate, reach)
        if not blocking and not warnings and _compiles(program, candidate.cell):
            chosen = candidate
            break
        tried.append((candidate, blocking, warnings))
    else:
        # The last place, or else the latest where no use would run something else.
        usable = [(candidate, warnings) for candidate, blocking, warnings in tried if not blocking]
        if not usable:
            return ImportBlocked(tuple(tried[-1][1]))  # the last place's problems
        chosen, warnings = usable[-1]
        if not _compiles(program, chosen.cell):
            warnings.append(messages.import_in_broken_cell(chosen.cell))
    # A new import of a module whose top level does something (`plt.style.use`) would do it
    # where the notebook never did: every definition is kept instead (`import_effects`).
    edit = chosen.edit
    runs_code = runs_new_code(program, chosen.cell, edit.statement_index, edit.merge)
    if runs_code is not None:
        return ImportBlocked(tuple((name, runs_code) for name in sorted(needed)))
    early = None if edit.merge else imported_before_setup(program, chosen.cell)
    if early is not None:  # it would import a package before the notebook set it up
        return ImportBlocked(tuple((name, early) for name in sorted(needed)))
    note = _describe(program, chosen, items)
    if _compiles(program, chosen.cell):
        # An import in a cell that does not parse never runs: the uses below it raise
        # NameError as they did, not "the new import now binds it there" (round 71a F10).
        warnings += bound_at_last(program, decisions, chosen.position, needed)
    return ImportDecision(chosen.cell, chosen.edit, note, tuple(dict.fromkeys(warnings)))


def _compiles(program: Program, cell: int) -> bool:
    """Whether the cell parses whole, or will once the definitions that keep it from parsing
    are gone (sweep 25 X11): an import in a cell read in pieces never runs."""
    reading = program.reading(cell)
    if reading is None:
        return False
    return reading.error is None or program.parses_once_migrated(cell)


def _violations(
    program: Program,
    decisions: DefinitionDecisions,
    candidate: Candidate,
    reach: _Reach,
) -> tuple[list[tuple[str, reasons.KeptReason]], list[str]]:
    """What would go wrong with the import at `candidate`: the uses that would run something
    else than before (by the name the import binds), and the warnings about uses before it."""
    position, cell = candidate.position, candidate.cell
    blocking: list[tuple[str, reasons.KeptReason]] = []
    warnings = []
    for name, use in reach.must_reach:
        if use.position <= position:
            seen, _ = program.bindings_seen(use)
            if any(binding in decisions.removed for binding in seen):
                # It ran a definition, which is gone: it would raise NameError.
                blocking.append((name, reasons.UsedBeforeImport(name, use.cell, cell)))
            else:  # above every definition: it ran none from the top (now it runs)
                warnings.append(messages.used_before_import(name, use.cell))
            continue
        bindings, positions = reach.others[name]
        index = bisect.bisect_right(positions, position)  # the first one after the import
        if index < len(bindings) and positions[index] < use.position:
            binding = bindings[index]
            kind, where = binding.kind.value, binding.cell
            library = reach.library[name]
            may_not_run = program.may_not_run(binding)
            problem = reasons.ImportRebound(name, use.cell, kind, where, cell, library, may_not_run)
            blocking.append((name, problem))
    for name in reach.needed:
        for use in program.uses_of(name):
            if use.deferred or decisions.removes_statement_of(use):
                continue
            if (name, use.cell) in reach.failed_defs and position < use.position:
                # A def kept because it read the name where nothing bound it (NBR253): the
                # import would make it run, and a second run replace it (sweep 28). Another
                # place is preferred; the last resort is warned about.
                warnings.append(messages.used_before_defined(name, use.cell))
                continue
            # The bindings it may see, latest first: past one that may not run (`%run`, a
            # star import), an earlier one may be the one it uses.
            seen, may_see_none = program.bindings_seen(use)
            for rank, bound in enumerate(seen):
                if bound in decisions.removed or program.imports_from_library(bound):
                    break
                # At the import's very position: a binding counted once its statement ran
                # (`%run` ending the import cell, re-check 42), before the import.
                if bound.position <= position < use.position:
                    kind, where = bound.kind.value, bound.cell
                    may_not_run = rank > 0 or program.may_not_run(bound)
                    captures = reasons.ImportCaptures(
                        name, use.cell, kind, where, cell, may_not_run
                    )
                    blocking.append((name, captures))
                    break
            else:
                # Seeing no binding of the notebook's, a builtin's name is the builtin: a
                # helper named `sum` or `filter`, whose import must not come before it.
                if may_see_none and kernel_builtin(name) and position < use.position:
                    builtin = reasons.ImportCaptures(
                        name, use.cell, BUILTIN, 0, cell, may_not_run=bool(seen)
                    )
                    blocking.append((name, builtin))
    blocking += deferred_problems(program, decisions, reach.deferred, position, cell, reach.library)
    return blocking, warnings


def _failed_definitions(decisions: DefinitionDecisions) -> frozenset[tuple[str, int]]:
    """(name, cell) for each definition kept because its decorator, default or annotation
    read `name` in `cell` where no cell had bound it: the `def` raised NameError there."""
    return frozenset(
        (kept.reason.name, kept.cell)
        for kept in decisions.kept
        if isinstance(kept.reason, reasons.UnboundWhenDefined)
    )


def _other_bindings(
    program: Program, decisions: DefinitionDecisions, names: Collection[str]
) -> dict[str, tuple[list[Binding], list[Position]]]:
    """Per name, the bindings that stay and do not import from the library, with their positions."""
    found = {}
    for name in names:
        bindings = [
            binding
            for binding in program.bindings_of(name)
            if binding not in decisions.removed and not program.imports_from_library(binding)
        ]
        found[name] = (bindings, [binding.position for binding in bindings])
    return found


def _describe(program: Program, chosen: Candidate, names: Sequence[str]) -> str:
    module = program.catalog.module
    if not chosen.edit.merge:
        return messages.import_added(names, module, chosen.cell)
    existing = next(
        found.names
        for found in program.facts(chosen.cell).module_imports
        if found.statement_index == chosen.edit.statement_index
    )
    missing = sorted(set(names) - existing)
    if not missing:
        return messages.import_already_there(names, module, chosen.cell)
    return messages.import_merged(missing, module, chosen.cell)

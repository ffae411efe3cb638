"""Rule: which inline definitions of library functions to replace, and which to keep.

A name's definitions are replaced together, or kept together with the reason:
every use that could run one of them must run the library function just as
well (`call_binding`), and each must be the library's function, not only its
name (`same_function`: parameters, forwarded keywords, notebook variables). A legacy name is imported under its new name (calls
renamed) or under the old one (`legacy_names`). Definitions in cells that
start with a cell magic are never edited, so they are always kept. Current
names are decided before legacy names, so that a legacy rename knows which
definitions of its new name go.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property

from nbrefactor import reasons
from nbrefactor.analysis.catalog import LibraryFunction
from nbrefactor.analysis.events import Binding, Use
from nbrefactor.analysis.magics import indented_alone
from nbrefactor.analysis.program import Program
from nbrefactor.rules.call_binding import check_uses
from nbrefactor.rules.drift import drift
from nbrefactor.rules.namespace_walk import namespace_walk
from nbrefactor.rules.notebook_runners import notebooks_running
from nbrefactor.rules.same_function import not_the_same
from nbrefactor.rules.scripts_run import scripts_in_namespace
from nbrefactor.value_base import ValueBase


@dataclass(frozen=True, eq=False, repr=False)
class ImportedName(ValueBase):
    """A library function as the notebook will import it: `name`, or `name as asname`."""

    name: str
    asname: str | None = None

    @property
    def bound(self) -> str:
        """The name the import binds in the notebook."""
        return self.asname or self.name

    def __str__(self) -> str:
        return self.name if self.asname is None else f"{self.name} as {self.asname}"


@dataclass(frozen=True, eq=False, repr=False)
class Replacement(ValueBase):
    """An inline definition that goes, the library function that runs instead, and how it is imported."""

    binding: Binding  # the inline definition to remove
    library: LibraryFunction  # what runs instead
    imported: ImportedName  # how the import binds it: every replaced name stays bound
    # For the report: the broken cell, the legacy name's plan, compatibility, how the copy differed.
    reasons: tuple[reasons.ReplacedReason, ...]

    @property
    def name(self) -> str:
        return self.binding.name


@dataclass(frozen=True, eq=False, repr=False)
class Kept(ValueBase):
    """An inline definition that stays, with why: a line of the report."""

    name: str
    cell: int
    reason: reasons.KeptReason


@dataclass(frozen=True, eq=False, repr=False)
class DefinitionDecisions(ValueBase):
    """Every definition of a library name, replaced or kept: what the later rules build on."""

    replaced: tuple[Replacement, ...]  # in the order names were decided
    kept: tuple[Kept, ...]

    @cached_property
    def imported(self) -> dict[str, ImportedName]:
        """Inline name -> how the library function is imported in its place."""
        return {replacement.name: replacement.imported for replacement in self.replaced}

    @cached_property
    def renamed(self) -> dict[str, str]:
        """Legacy name -> new name, for the legacy names whose calls are renamed."""
        return {
            name: imported.name
            for name, imported in self.imported.items()
            if imported.asname is None and imported.name != name
        }

    @cached_property
    def removed(self) -> frozenset[Binding]:
        return frozenset(replacement.binding for replacement in self.replaced)

    @cached_property
    def removed_statements(self) -> frozenset[tuple[int, int]]:
        """The top-level statement (`Position.top_level`) of each removed definition."""
        return frozenset(binding.position.top_level for binding in self.removed)

    def removes_statement_of(self, use: Use) -> bool:
        """Whether the use sits inside a statement that is removed (it goes with it)."""
        return use.position.top_level in self.removed_statements


def decide_definitions(
    program: Program,
    held: Mapping[Binding, reasons.KeptReason] | None = None,
    gone: Collection[tuple[int, int]] = frozenset(),
) -> DefinitionDecisions:
    """Replace or keep each name's definitions; `held` definitions are kept with the reason
    given (the import cannot stand in for them, or they use a kept definition: `rules`),
    and their name's other definitions with them. The uses inside the top-level
    statements `gone` holds (`Position.top_level`) are not asked about: the definitions
    that hold them are removed (`rules.decide`)."""
    catalog = program.catalog
    by_name: dict[str, list[Binding]] = defaultdict(list)
    for binding in program.inline_definitions():
        by_name[binding.name].append(binding)
    order = sorted(
        by_name,
        key=lambda name: (name in catalog.legacy_names, program.bindings_of(name)[0].position),
    )
    replaced: list[Replacement] = []
    kept: list[Kept] = []
    scripts = cache(lambda: scripts_in_namespace(program))  # read when a name needs them
    walk = cache(lambda: namespace_walk(program))
    runners = cache(lambda: notebooks_running(program))
    for name in order:
        definitions = by_name[name]
        editable = frozenset(
            binding for binding in definitions if program.is_editable(binding.cell)
        )
        for binding in definitions:
            if binding not in editable:
                magic = program.cell_magic(binding.cell)
                assert magic is not None  # a binding is read: only a cell magic keeps it
                reason = _in_magic(program, binding.cell, reasons.InCellMagic(magic))
                kept.append(Kept(name, binding.cell, reason))
        if not editable:
            continue
        check = check_uses(program, name, editable, gone, scripts, walk, runners)
        if check.problem is not None:
            # The problem is that of the definitions it concerns (a call runs them, or their
            # signature accepts more than the library's); the others stay with them.
            concerned = check.concerned or editable
            own = {binding: check.problem for binding in concerned}
            kept.extend(_kept_together(name, definitions, editable, own))
            continue
        different = not_the_same(program, name, editable, gone, runners)
        if different:
            kept.extend(Kept(name, binding.cell, reason) for binding, reason in different.items())
            continue
        own_held = (
            {binding: held[binding] for binding in editable if binding in held} if held else {}
        )
        if own_held:
            kept.extend(_kept_together(name, definitions, editable, own_held))
            continue
        library = catalog.function_for(name)
        imported = ImportedName(name)
        details: list[reasons.ReplacedReason] = []
        if name in catalog.legacy_names:
            from nbrefactor.rules.legacy_names import legacy_plan  # for legacy names only

            removed = frozenset(replacement.binding for replacement in replaced)
            plan = legacy_plan(program, name, editable, removed)
            imported = ImportedName(plan.imported, plan.asname)
            details.append(plan.how)
        if check.relied_on_compatibility:
            details.append(reasons.SignatureCompatible())
        replaced.extend(
            Replacement(
                binding,
                library,
                imported,
                (
                    *_broken_cell(program, binding),
                    *details,
                    *drift(binding.node, library),
                    *_found_by_library(program, binding, library),
                ),
            )
            for binding in definitions
            if binding in editable
        )
    return DefinitionDecisions(tuple(replaced), (*kept, *_unread_definitions(program)))


def _kept_together(
    name: str,
    definitions: Sequence[Binding],
    editable: Collection[Binding],
    own: Mapping[Binding, reasons.KeptReason],
) -> list[Kept]:
    """Each editable definition of `name` kept: with its own reason, or else with the first
    (in notebook order) that has one, since a name's definitions go together."""
    first = next(binding for binding in definitions if binding in own)
    return [
        Kept(name, binding.cell, own.get(binding, reasons.KeptWithOther(first.cell)))
        for binding in definitions
        if binding in editable
    ]


def _unread_definitions(program: Program) -> list[Kept]:
    """`def NAME(` text where no definition could be read: a cell that is not Python, a
    cell that could not be read at all, or lines of a cell that do not parse."""
    read = {(binding.cell, binding.name) for binding in program.inline_definitions()}
    kept = []
    for cell, names in sorted(program.defined.items()):
        reason = _why_unread(program, cell)
        if reason is None:
            # The cell parses: the text is a method, a nested def or a string, or an
            # `async def`, which is not the library's function (a call returns a coroutine).
            for name in _async_definitions(program, cell, names):
                library = program.catalog.function_for(name).qualified_name
                kept.append(Kept(name, cell, reasons.AsyncDefinition(library)))
            continue
        for name in dict.fromkeys(names):
            if (cell, name) not in read:
                kept.append(Kept(name, cell, reason))
    return kept


def _async_definitions(program: Program, cell: int, names: Collection[str]) -> list[str]:
    """The names among `names` that a top-level `async def` of the cell defines."""
    reading = program.reading(cell)
    if reading is None:
        return []
    return [
        statement.name
        for statement in reading.facts.tree.body
        if isinstance(statement, ast.AsyncFunctionDef) and statement.name in names
    ]


def _in_magic(program: Program, cell: int, reason: reasons.KeptReason) -> reasons.KeptReason:
    """`reason`, a cell magic's, unless the magic's line is indented alone (`indented_alone`):
    IPython 9 does not run the cell as that magic."""
    magic = program.cell_magic(cell)
    if magic is not None and indented_alone(program.cell(cell).source):
        return reasons.IndentedCellMagic(magic)
    return reason


def _why_unread(program: Program, cell: int) -> reasons.KeptReason | None:
    if cell in program.skipped:
        return _in_magic(program, cell, reasons.NotPython(program.skipped[cell]))
    if cell in program.unparseable:
        return reasons.CannotReadCell(program.unparseable[cell])
    reading = program.reading(cell)
    if reading is not None and reading.error is not None:
        return reasons.DefinitionNotRead(reading.error, reading.breaking_definition)
    return None


def uses_of_replaced(program: Program, decisions: DefinitionDecisions) -> list[Use]:
    """Uses that ran a replaced definition and stay: they must now reach the library function."""
    found = []
    for name in sorted({binding.name for binding in decisions.removed}):
        for use in program.uses_reaching(name, decisions.removed):
            if not decisions.removes_statement_of(use):
                found.append(use)
    return found


def _broken_cell(program: Program, binding: Binding) -> list[reasons.ReplacedReason]:
    """A note for a definition found in a cell that does not parse."""
    reading = program.reading(binding.cell)
    if reading is None or reading.error is None:
        return []
    body_broken = binding.statement_index in reading.broken_bodies
    fixed = body_broken and program.parses_once_migrated(binding.cell)
    return [reasons.InBrokenCell(reading.error, body_broken, fixed)]


def _found_by_library(
    program: Program, binding: Binding, library: LibraryFunction
) -> list[reasons.ReplacedReason]:
    """The names the copy reads that the notebook binds nowhere: calling it raised NameError,
    where the library's function finds its module's (`hidden_inputs`)."""
    return [
        reasons.FoundByLibrary(found.name, found.unbound_here, library.qualified_name)
        for found in program.hidden_inputs.get(binding, ())
        if found.unbound_here is not None
    ]

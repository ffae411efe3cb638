"""Rule: a legacy name (`__legacy_names__ = {"old": "new"}`) is replaced by the new function.

Its calls are renamed to the new name and the new name is imported. Where
that cannot be done safely (another binding of the new name would capture a
renamed call, or a call sits in a cell-magic cell, which is never edited),
the function is imported under the legacy name and the calls stay as they
are. So it is when a string names the legacy name (`eval('old(2)')`, the text
an f-string's `=` prints, a line magic's argument): a renamed call would not
rename it; when `del old` may run before every definition (`try: del old`),
where a renamed one would delete the import; and when a cell lists the
notebook's names (`%who`). A legacy definition that nothing uses is imported
under its name too: the name stays bound, for what the notebook's text does
not show (`%run`, `eval`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from nbrefactor import reasons
from nbrefactor.analysis.events import Binding, BindingKind, Use
from nbrefactor.analysis.namespace_reads import namespace_listing
from nbrefactor.analysis.program import Program
from nbrefactor.value_base import ValueBase


@dataclass(frozen=True, eq=False, repr=False)
class LegacyPlan(ValueBase):
    """How a legacy name is imported (under its new name, calls renamed, or its old one), and why."""

    imported: str  # the library function's name
    asname: str | None  # import it under the legacy name (calls stay), or None (calls renamed)
    how: reasons.LegacyHow  # for the report line


@dataclass(frozen=True, eq=False, repr=False)
class Rename(ValueBase):
    """A call of a legacy name to rename to the new one."""

    use: Use
    new_name: str


def legacy_plan(
    program: Program, name: str, definitions: Collection[Binding], removed: Collection[Binding]
) -> LegacyPlan:
    """How the legacy `name` is replaced; `removed`: definitions already replaced."""
    current = program.catalog.current_name(name)
    qualified = program.catalog.function_for(name).qualified_name
    own = {binding.position.top_level for binding in definitions}
    uses = [
        use for use in program.uses_reaching(name, definitions) if use.position.top_level not in own
    ]
    named = _named_in_text(program, name, qualified)
    if named is not None:
        return LegacyPlan(current, name, named)
    if not uses:  # imported under its name all the same: the name stays bound
        return LegacyPlan(current, name, reasons.UnusedUnderOldName(qualified, name))
    problem = _rename_problem(program, name, current, uses, definitions, removed, qualified)
    if problem is None:
        return LegacyPlan(current, None, reasons.CallsRenamed(qualified))
    return LegacyPlan(current, name, problem)


def _named_in_text(
    program: Program, name: str, qualified: str
) -> reasons.RenameInString | reasons.RenameInMagic | reasons.RenameInCellMagic | None:
    """A string, a line magic's argument or a cell magic's cell naming `name`, which no
    rename would change."""
    own = program.defining_statements(name)
    for found in program.named_in_strings(name):
        if found.top_level in own:  # in a definition of the name, which goes
            continue
        if found.cell_magic:  # never edited
            return reasons.RenameInCellMagic(qualified, name, found.cell, found.magic)
        if found.magic:
            return reasons.RenameInMagic(qualified, name, found.cell, found.magic)
        return reasons.RenameInString(qualified, name, found.cell)
    return None


def _rename_problem(
    program: Program,
    name: str,
    current: str,
    uses: Sequence[Use],
    definitions: Collection[Binding],
    removed: Collection[Binding],
    qualified: str,
) -> (
    reasons.RenameInCellMagic
    | reasons.RenameCaptured
    | reasons.RenameBeforeDefinition
    | reasons.RenameListed
    | None
):
    """Why renaming the calls of `name` to `current` would not be safe, or None."""
    for use in uses:
        # `try: del old` above every definition: it found nothing, and renamed it would
        # delete the import (round 58a: the last cell then raised NameError). One in a cell
        # that does not parse never runs. (Another use there is renamed, and told.)
        if (
            not use.deferred
            and program.bindings_seen(use)[1]
            and not program.in_unparsed_cell(use.cell)
            and _deletes(program, name, use)
        ):
            return reasons.RenameBeforeDefinition(qualified, name, use.cell)
        # A use that may see another binding of the old name (`case old:` capturing a value,
        # an assignment under `if`): renamed, it would read the function (round 53b).
        other = next(iter(_others_seen(program, use, definitions)), None)
        if other is not None:
            return reasons.RenameCaptured(qualified, name, name, other.cell, other.kind.value)
        if not program.is_editable(use.cell):
            magic = program.cell_magic(use.cell)
            assert magic is not None  # a use is read, so only a cell magic keeps it from edits
            return reasons.RenameInCellMagic(qualified, name, use.cell, magic)
        if current in use.shadowed:  # `[old(scale) for scale in ...]`, a parameter `scale`
            return reasons.RenameCaptured(qualified, name, current, use.cell, "local variable")
        if name in use.shadowed:  # a class body that binds the old name: it or the global
            return reasons.RenameCaptured(qualified, name, name, use.cell, "class attribute")
    for binding in program.bindings_of(current):
        if binding in removed or program.imports_from_library(binding):
            continue
        return reasons.RenameCaptured(qualified, name, current, binding.cell, binding.kind.value)
    for cell in program.notebook.cells:  # `%who` would show the new name (round 58a)
        listing = namespace_listing(cell.source) if cell.cell_type == "code" else None
        if listing is not None:
            return reasons.RenameListed(qualified, name, cell.number, listing)
    return None


def _deletes(program: Program, name: str, use: Use) -> bool:
    """Whether the use's top-level statement deletes `name` (`del old`, `try: del old`)."""
    return any(
        binding.kind is BindingKind.DELETION
        and binding.position.top_level == use.position.top_level
        for binding in program.bindings_of(name)
    )


def _others_seen(program: Program, use: Use, definitions: Collection[Binding]) -> list[Binding]:
    """The bindings of the use's name other than `definitions` (and imports of the library's
    function) that it may see: any, for a use in a function body, which runs later."""
    if use.deferred:
        seen = list(program.bindings_of(use.name))
    else:
        seen, _ = program.bindings_seen(use)
    return [
        binding
        for binding in seen
        if binding not in definitions and not program.imports_from_library(binding)
    ]


def renames(new_names: Mapping[str, str], uses_of_replaced: Collection[Use]) -> tuple[Rename, ...]:
    """The uses of legacy names whose calls are renamed (`new_names`: old -> new)."""
    return tuple(
        Rename(use, new_names[use.name]) for use in uses_of_replaced if use.name in new_names
    )

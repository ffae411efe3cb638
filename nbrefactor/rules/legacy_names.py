"""Rule: a legacy name (`__legacy_names__ = {"old": "new"}`) is replaced by the new function.

Its calls are renamed to the new name, so every call that ran the legacy
definition must be in a cell that can be edited, and no other binding of the
new name may capture the renamed calls.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from nbrefactor import messages
from nbrefactor.events import Binding, Use
from nbrefactor.program import Program


@dataclass(frozen=True)
class Rename:
    use: Use
    new_name: str


def rename_problem(
    program: Program, name: str, definitions: Collection[Binding], removed: Collection[Binding]
) -> str | None:
    """Why calls of the legacy `name` cannot be renamed; `removed`: definitions already replaced."""
    current = program.catalog.current_name(name)
    for use in program.uses_reaching(name, definitions):
        if not program.is_editable(use.cell):
            return messages.rename_in_cell_magic(use.cell, current, program.cell_magic(use.cell))
    for binding in program.bindings_of(current):
        if binding in removed or program.imports_from_library(binding):
            continue
        return messages.renamed_calls_captured(
            current, binding.cell, binding.kind.value, name, program.catalog.module
        )
    return None


def renames(program: Program, uses_of_replaced: Collection[Use]) -> tuple[Rename, ...]:
    """The uses of legacy names that ran a replaced definition, renamed to the new name."""
    current_name = program.catalog.current_name
    return tuple(
        Rename(use, current_name(use.name))
        for use in uses_of_replaced
        if current_name(use.name) != use.name
    )

"""Warnings for the uses the new import binds that no binding reached before.

Run from the top, a use of a helper above its first definition raised NameError
(cells run out of order, or `try: f() except NameError:` on purpose); with the
import in the import cell above it, the name is bound there now. The import's
place stays (a notebook whose cells were run out of order is the common case),
and the report says so. A builtin's name is the builtin there, which the import
must not come before (`import_placement`).
"""

from __future__ import annotations

from collections.abc import Collection

from nbrefactor import messages
from nbrefactor.analysis.events import Position
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.scopes import kernel_builtin
from nbrefactor.rules.definitions import DefinitionDecisions


def bound_at_last(
    program: Program, decisions: DefinitionDecisions, position: Position, needed: Collection[str]
) -> list[str]:
    """Warnings for the uses after the import that no binding reached: run from the top, the
    notebook raised NameError there (cells run out of order, or `try: f() except NameError`),
    and the import binds them now (a builtin's name is the builtin: `import_placement`)."""
    found = []
    for name in sorted(needed):
        if kernel_builtin(name):
            continue
        for use in program.uses_of(name):
            if use.deferred or use.position <= position or decisions.removes_statement_of(use):
                continue
            seen, _ = program.bindings_seen(use)
            if not seen:
                found.append(messages.used_before_defined(name, use.cell))
    return found

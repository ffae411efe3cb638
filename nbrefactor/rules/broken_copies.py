"""Rule: a copy in a cell that does not parse is kept when the notebook's own binding of its
name above it is what the code below ran (`NBR280`, rounds 75b F8, 76a F1-F3, 76b F6-F8).

Python ran none of the cell: `f = lambda x: 100` in cell 2, the copy in cell 3, and
`print(f(3))` in cell 4 printed 100; once the copy is replaced, the import binds the
library's `f` there and the cell prints 4, in a function's body or through a kept copy too.
An import of the name above the copies (`from utils.colab.visualizations import f`) is not
such a binding: the new import overrides it on purpose (docs/migration.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from nbrefactor import reasons
from nbrefactor.analysis.catalog import LibraryFunction
from nbrefactor.analysis.events import Binding, BindingKind
from nbrefactor.analysis.program import Program


def ran_another(
    program: Program, binding: Binding, copies: Sequence[Binding], library: LibraryFunction
) -> reasons.RanAnotherBinding | None:
    """The notebook's own binding of the name that ran where the copy stands, when the
    copy's cell does not parse (Python ran none of it): what the code below ran, which the
    import would replace (round 76a F1-F3). The binding nearest above it that ran (in a
    cell that parses), if it is neither a copy (the same function ran) nor an import of
    the name (overridden on purpose) nor a `del`."""
    # Its own body breaks the cell: kept, the cell stays as it was. A copy in a cell that
    # other, removed copies break runs once they are gone, kept or not: replaced (kept, a
    # second migration replaced it; the check before writing refused the first).
    reading = program.reading(binding.cell)
    if reading is None or reading.error is None:
        return None
    if binding.statement_index not in reading.broken_bodies:
        return None
    deleted_maybe = False  # a conditional `del` of the name between (round 77a F1)
    for earlier in reversed(program.bindings_of(binding.name)):
        if earlier.position >= binding.position or program.in_unparsed_cell(earlier.cell):
            continue
        if earlier.kind is BindingKind.DELETION and earlier.conditional:
            deleted_maybe = True  # `if ...: del f`: the binding above may have run, or not
            continue
        if earlier in copies or earlier.kind in (BindingKind.IMPORT, BindingKind.DELETION):
            return None
        # No use the copy's import would reach (a later binding, `f = lambda x: 7`, or a
        # copy that parses, serves them all): nothing changes (round 76b F6).
        if not any(program.uses_reaching(binding.name, (binding,))):
            return None
        # `exec(...)`, `%run`, a conditional binding: it may have bound the name, or not
        # (round 76b F8: "ran the f of cell 2" where nothing did).
        surely = earlier.kind in _SURE_KINDS and not earlier.conditional and not deleted_maybe
        qualified = library.qualified_name
        return reasons.RanAnotherBinding(earlier.cell, binding.name, qualified, surely)
    return None


_SURE_KINDS = (BindingKind.DEF, BindingKind.CLASS, BindingKind.ASSIGNMENT)

"""What a helper's definitions and imports would shadow in the module it joins.

In one module a name has one binding: a helper named like a builtin that the module's
code reads (`def filter`), or like a name the module binds by no statement of its own
(its `from math import *`'s `sqrt`), would become what that code reads; so would an
import of such a name a helper brings (`from math import pow`). `plan` skips such a
helper, with the reason worded here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from nbrefactor.analysis.scopes import kernel_builtin
from nbrefactor.extract.needs import Needs


def shadows(
    helper: str, needs: Needs, unbound_reads: Mapping[str, str], existing: Collection[str]
) -> str | None:
    """Why a name read would not be what it was in the module: a definition or an import
    this helper brings has the name of a builtin that a definition the module has or gets
    reads (`def filter`, `from math import pow`), or of a name the module's code reads where
    no statement binds it (its `from math import *` binds `sqrt`); or the helper reads a
    builtin whose name the module already binds. In one module, the read would reach the
    new name instead."""
    for definition in needs.definitions:
        name = definition.name
        reader = unbound_reads.get(name)
        if reader is not None:
            which = "it" if name == helper else f"it needs {name}, which"
            return f"{which} would shadow {_read_in_module(name, reader)}"
    for spec in needs.imports:
        reader = unbound_reads.get(spec.bound)
        if reader is not None and reader != helper:
            return f"it needs `{spec}`, which would shadow {_read_in_module(spec.bound, reader)}"
    for name in sorted(needs.builtins):
        if name in existing:
            return f"it reads the builtin {name}, which the module defines"
    return None


def _read_in_module(name: str, reader: str) -> str:
    """A name the module's `reader` reads and no statement of the module binds, as the reason
    says it."""
    if kernel_builtin(name):
        return f"the builtin {name} that {reader} reads in the module"
    return (
        f"the {name} that {reader} reads in the module, which no statement there binds"
        " (a star import or globals() may)"
    )

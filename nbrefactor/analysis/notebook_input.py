"""One input a function pasted into a notebook takes from it besides its arguments: the
value `hidden_inputs` finds (a notebook variable it reads, a name the notebook binds
otherwise than the library's function finds it)."""

from __future__ import annotations

from dataclasses import dataclass

from nbrefactor.value_base import ValueBase


@dataclass(frozen=True, eq=False, repr=False)
class HiddenInput(ValueBase):
    """A notebook variable a function reads (or, through `global`, only sets), or a name it
    reads that the notebook binds otherwise than the library's function finds it: imported
    as another thing (`imported`), or bound by another line (`bound_by`)."""

    name: str
    cell: int  # the first cell that binds it; 0 for IPython's history (`_`, `Out`)
    reads: bool  # False: the function declares it `global` and only assigns it
    # (what the notebook's import binds it to, what the library's binds it to)
    imported: tuple[str, str] | None = None
    # What else in the notebook binds it, where the library's function reads its module's
    # name or a builtin: an import, a `def`/`class` (its first line), or a line that may
    # bind any name (`from numpy import *`, `%pylab`, `%run`); what the library's function
    # reads (None: it does not read the name); and whether the notebook's line surely binds
    # it (False: it may).
    bound_by: tuple[str, str | None, bool] | None = None
    # With it: the line sets the name on a module (`LIB.g = fake`, `consts.SCALE = 10`).
    sets: bool = False
    # How the function reads the notebook's variables by no name (`globals()`, `eval()`:
    # `namespace_reads.namespace_read`); then `name` is that construct and `cell` is 0.
    through: str | None = None
    # The line that sets the library's function itself on its module (`LIB.f = wrapper`):
    # the import would bind what that line set.
    patched_line: str | None = None
    # With it: that line may set any attribute of the module (`setattr(LIB, key, value)`).
    patches_any: bool = False
    # What the library's function reads for a builtin the notebook binds nowhere, so that
    # the inline body reads the builtin (`math.pow` for `pow`); `cell` is then 0.
    builtin_here: str | None = None
    # What the library's function reads for a name the notebook binds nowhere, not even a
    # builtin (a forgotten `import numpy as np`): the inline body raised NameError, the
    # library's finds this. No reason to keep the definition, but one to say; `cell` is 0.
    unbound_here: str | None = None
    # What of the `def` reads a name no cell binds before the definition's ("decorator",
    # "default"): the `def` raised NameError where it ran; `cell` binds it later, or is 0.
    unbound_when_defined: str | None = None

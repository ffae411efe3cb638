"""Python's own warnings about the user's code, silenced while nbrefactor reads that code.

Parsing, compiling or taking the symbol table of a cell, a definition or a library file
makes Python warn about what the code does: `x is 1000` (a SyntaxWarning) or an invalid
escape such as `"\\d"` (a DeprecationWarning, a SyntaxWarning from Python 3.12). Those
warnings are the code's, not the run's: printed on nbrefactor's standard error as
`<definition>:2: SyntaxWarning: ...` they read as its own fault (round 59b). The kernel
still shows them when it runs the code. Only the reading call is silenced: a warning
nbrefactor's own code raises is still shown.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def code_warnings_ignored() -> Iterator[None]:
    """Around `ast.parse`, `compile` or `symtable.symtable` of the user's code: its
    SyntaxWarning and DeprecationWarning are not printed (and under `-W error` are not
    raised, which would make code Python runs look unparseable)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        yield

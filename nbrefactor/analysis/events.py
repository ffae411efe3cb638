"""What a cell does with a watched name: bindings and uses, at positions in run order.

These are the facts the rules decide from. A `Position` orders every event in
the notebook as it runs top to bottom (cell, top-level statement, sequence), so
events from all cells sort into one timeline.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from nbrefactor.value_base import ValueBase

# Sequence numbers of events inside a statement start at 1; these sort before
# and after all of them, and before the first statement of a cell.
BEFORE_ANY_EVENT = -1
AFTER_EVERY_EVENT = sys.maxsize
BEFORE_FIRST_STATEMENT = -1


class Position(NamedTuple):
    """Where something happens when the notebook runs top to bottom; compares in that order."""

    cell: int
    statement: int  # index among the cell's top-level `ast` statements
    sequence: int  # order of events within the cell

    @property
    def top_level(self) -> tuple[int, int]:
        """(cell, top-level statement index): the statement a definition's removal takes
        with it, and every use inside it."""
        return (self.cell, self.statement)

    @classmethod
    def top_of_cell(cls, cell: int) -> Position:
        return cls(cell, BEFORE_FIRST_STATEMENT, 0)

    @classmethod
    def before_statement(cls, cell: int, statement: int) -> Position:
        return cls(cell, statement, BEFORE_ANY_EVENT)

    @classmethod
    def after_statement(cls, cell: int, statement: int) -> Position:
        return cls(cell, statement, AFTER_EVERY_EVENT)


class BindingKind(Enum):
    DEF = "def"
    CLASS = "class"
    IMPORT = "import"
    ASSIGNMENT = "assignment"
    DELETION = "del"  # `del name`: a use that unbinds it, so a later use reaches no earlier binding
    # Lines that may bind any name, each binding every watched name conditionally:
    RUN = "%run"  # a script or notebook run into the namespace
    MAGIC = "line magic"  # another line magic that may bind any name (`line_magics`)
    EXEC = "exec"  # exec() of code the text does not show
    NAMESPACE = "assignment through globals()"  # globals()['K'] = 1, globals().update(...)
    # IPython's shell binding or deleting names: `get_ipython().push({...})`, `.reset()`.
    SHELL = "IPython namespace call"
    # `g = globals()` at the top level: through `g`, any name may be assigned, not followed.
    ALIAS = "alias of globals()"
    # A non-Python cell magic that binds names: `%%bash --out f`, rpy2's `%%R -o f`, `%%cython`.
    CELL_MAGIC = "cell magic"


# How a function or class body binds a module-level name other than through `global`, as
# the report says it (`NBR214`).
REBINDS_THROUGH = {
    BindingKind.NAMESPACE: "globals()",
    BindingKind.SHELL: "get_ipython()",
    BindingKind.EXEC: "exec",
    BindingKind.RUN: "%run",
    BindingKind.MAGIC: "a line magic",
}


@dataclass(frozen=True, eq=False)
class Binding:
    """A binding of a watched name (def, class, import, assignment, or a line that may bind it),
    at its place in run order."""

    name: str
    position: Position
    kind: BindingKind
    source_module: str | None = None  # for `from x import name`: x
    node: ast.FunctionDef | None = None  # for top-level defs: the def itself
    # True when it may not run: under `if`/`try`/`for`/`with`/..., or a star import (it
    # binds the name only if the module has it). A use after it may see an earlier binding.
    conditional: bool = False
    # For `from x import other as name`: `other`, the module's name it binds (None: `name`).
    imported_name: str | None = None

    @property
    def cell(self) -> int:
        return self.position.cell

    @property
    def statement_index(self) -> int:
        return self.position.statement


@dataclass(frozen=True, eq=False, repr=False)
class CallShape(ValueBase):
    """The arguments a call passes, by count and keyword: what `call_binding` checks against a
    signature."""

    positional_count: int
    keywords: tuple[str, ...]
    unpacks: bool  # *args or **kwargs: cannot be checked statically

    @classmethod
    def of(cls, call: ast.Call) -> CallShape:
        """The argument shape of a call, read the same way wherever the call was parsed."""
        return cls(
            positional_count=sum(1 for arg in call.args if not isinstance(arg, ast.Starred)),
            keywords=tuple(keyword.arg for keyword in call.keywords if keyword.arg is not None),
            unpacks=any(isinstance(arg, ast.Starred) for arg in call.args)
            or any(keyword.arg is None for keyword in call.keywords),
        )


@dataclass(frozen=True, eq=False)
class Use:
    """A read of a watched name, at its place in run order: called or not, and where it could
    run something else than the binding it reaches."""

    name: str
    position: Position
    deferred: bool  # inside a function or lambda body: runs when that is called
    call: CallShape | None  # None: the name is referenced without being called
    line: int  # 1-based line of the name in the (masked) cell source
    column: int  # UTF-8 byte offset of the name in that line, as ast counts
    # The watched names bound in an enclosing function, lambda, comprehension or class
    # body: there, a renamed call could be captured.
    shadowed: frozenset[str] = frozenset()
    attribute: bool = False  # `name.attr`: an attribute of what it is bound to
    # The name of the call it is an argument of (`curve_fit` of `curve_fit(model, x, y)`),
    # which may read the function's parameters; "" for none (or a callee of no name). For
    # an attribute giving its parameters, that attribute (".__code__": `SIGNATURE_ATTRIBUTES`).
    handed_to: str = ""

    @property
    def cell(self) -> int:
        return self.position.cell


@dataclass(frozen=True, eq=False, repr=False)
class NamedInString(ValueBase):
    """A watched name as a word inside a string: code the migration does not read or edit
    (`eval('old(2)')`, `exec(...)`, the text an f-string's `=` prints: `f"{old(2)=}"`), or
    in the argument of a line magic that may run it (`t = %timeit -o old(2)`, `%lprun -f
    old old(2)`): a string IPython hands to the magic; or in the text of a cell whose cell
    magic is not known to leave Python alone (`%%opts`, `%%R -i f`): HoloViews' runs the
    rest of the cell as Python, rpy2's hands `f` to R."""

    name: str
    cell: int
    statement: int  # index of the top-level statement holding the string
    magic: str = ""  # the line magic whose argument names it (`timeit`), if it is one
    line: int = 0  # the magic's line in the cell
    cell_magic: bool = False  # `magic` is the cell's cell magic (`opts` of `%%opts`)

    @property
    def top_level(self) -> tuple[int, int]:
        return (self.cell, self.statement)


@dataclass(frozen=True, eq=False, repr=False)
class ModuleImport(ValueBase):
    """A top-level `from <target module> import a, b` statement."""

    statement_index: int
    names: frozenset[str]


@dataclass(frozen=True, eq=False, repr=False)
class UnreadableUse(ValueBase):
    """A watched name in lines that do not parse, where no call of it could be read."""

    name: str
    cell: int
    line: int
    ipython: bool = False  # in a masked IPython line (`!echo {f(1)}`), not in broken lines
    # Not a use: a binding through `global` in a function or class body (on the line that
    # starts that top-level statement), which rebinds the name whenever the body runs.
    rebinds: bool = False
    through: str = "`global`"  # how it rebinds: `global`, globals(), exec

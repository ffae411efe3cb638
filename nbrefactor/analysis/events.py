"""What a cell does with a watched name: bindings and uses, at positions in run order.

These are the facts the rules decide from. A `Position` orders every event in
the notebook as it runs top to bottom (cell, top-level statement, sequence), so
events from all cells sort into one timeline.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache
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
    # `g = globals()` at the top level: through `g`, any name may be assigned, not followed.
    ALIAS = "alias of globals()"
    # A non-Python cell magic that binds names: `%%bash --out f`, rpy2's `%%R -o f`, `%%cython`.
    CELL_MAGIC = "cell magic"


# How a function or class body binds a module-level name other than through `global`, as
# the report says it (`NBR214`).
REBINDS_THROUGH = {
    BindingKind.NAMESPACE: "globals()",
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


# Calls that read the parameters of a function handed to them, common in notebooks: SciPy's
# `curve_fit` and lmfit's `Model` fit one coefficient per parameter after the first;
# ipywidgets' `interact` (and kin) shows a widget for each; `inspect`'s own; python-fire's
# `Fire` makes a flag of each; OpenMDAO's function components (`ExplicitFuncComp`,
# `ImplicitFuncComp`, `func_api.wrap`) make an input of each, its default the input's
# value (sweep 31: `scale` became an input); iminuit's `Minuit` and cost functions fit
# one parameter for
# each, within the limits their annotations give (`ANNOTATION_READERS`; `Use.handed_to`,
# `call_binding`); `typing.get_type_hints` and `inspect.get_annotations` give the
# annotations themselves (sweep 29: `{}` became the library's).
ANNOTATION_READERS = frozenset(
    {"Minuit", "LeastSquares", "UnbinnedNLL", "ExtendedUnbinnedNLL", "BinnedNLL"}
    | {"ExtendedBinnedNLL", "describe", "get_type_hints", "get_annotations"}
)
PARAMETER_READERS = (
    frozenset(
        {"curve_fit", "Model", "interact", "interactive", "interact_manual"}
        | {"signature", "getfullargspec", "getargspec", "getcallargs", "from_callable", "Fire"}
        | {"ExplicitFuncComp", "ImplicitFuncComp", "wrap"}
    )
    | ANNOTATION_READERS
)


# The readers that take the default values themselves: lmfit's `Model` as each parameter's
# starting value, ipywidgets' as each widget's, python-fire's as each flag's, OpenMDAO's
# as each input's (sweep 31: 3.0 became 4.0), `inspect`'s in what they give; a copy
# handed to one needs the library's defaults, not only its parameters.
DEFAULT_READERS = frozenset(
    {"Model", "interact", "interactive", "interact_manual", "Fire", "signature"}
    | {"getfullargspec", "getargspec", "getcallargs", "from_callable"}
    | {"ExplicitFuncComp", "ImplicitFuncComp", "wrap"}
)


# The function's own attributes that give its parameters (`model.__code__.co_argcount - 1`,
# a curve-fitting idiom; `list(model.__defaults__)`) or its annotations: reading one is
# reading its parameters (`Use.handed_to` is ".__code__"; sweep 28: 2 fitted became 3).
SIGNATURE_ATTRIBUTES = frozenset(
    {"__code__", "__defaults__", "__kwdefaults__", "__signature__", "__annotations__"}
)


def parameter_readers(sources: Iterable[str]) -> dict[str, str]:
    """Each name a call reading a function's parameters goes by in the notebook (`sources`:
    its cells' text), to how a report shows it: the `PARAMETER_READERS` themselves, and the
    names the notebook imports one under or assigns it to (`cf (curve_fit)` for `from
    scipy.optimize import curve_fit as cf` or `cf = curve_fit`). migrate's check of a use
    handed to a call and extract's list of the definitions migrate keeps both read it."""
    texts = list(sources)
    shown = {reader: reader for reader in PARAMETER_READERS}
    # `wrap` is OpenMDAO's only in a notebook naming it: `textwrap.wrap(f)` reads nothing
    # (re-check 31: a drifted copy was kept).
    if not any("openmdao" in text for text in texts):
        del shown["wrap"]
    # A function's own attributes giving its parameters, read of a function the value may
    # reach (`nparams(fn)` reading `fn.__code__`; re-check 28): shown as the attribute.
    shown.update({attribute: f".{attribute}" for attribute in SIGNATURE_ATTRIBUTES})
    for alias, reader in _reader_aliases(texts).items():
        shown.setdefault(alias, f"{alias} ({reader})")
    return shown


def reads_annotations(shown: str) -> bool:
    """Whether the reader a report shows so (`parameter_readers`: `LeastSquares`, `lsq
    (LeastSquares)`) reads the annotations of the function's parameters too."""
    return _reader_shown(shown) in ANNOTATION_READERS or shown == ".__annotations__"


def reads_defaults(shown: str) -> bool:
    """Whether the reader a report shows so takes the default values themselves
    (`DEFAULT_READERS`, `.__defaults__`, `.__kwdefaults__`)."""
    return _reader_shown(shown) in DEFAULT_READERS or shown in (".__defaults__", ".__kwdefaults__")


def _reader_shown(shown: str) -> str:
    """The `PARAMETER_READERS` call a report's text names: `curve_fit` of `cf (curve_fit)`."""
    return shown.rpartition(" (")[2].rstrip(")")


# The readers whose name is a common word (`class Model`, `df.describe()`): named only when
# the notebook names their package too.
_READER_PACKAGES = {
    "Model": "lmfit",
    "signature": "inspect",
    "describe": "iminuit",
    "interact": "ipywidgets",
    "interactive": "ipywidgets",
    "Fire": "fire",
    "wrap": "openmdao",
}


def reader_named(sources: Iterable[str], readers: dict[str, str]) -> str | None:
    """How a report shows the first of `readers` (`parameter_readers`) that the notebook's
    code cells (`sources`) name as a word, strings and comments included (a name taken for
    a reader only keeps a definition), a common word only with its package (`Model` with
    `lmfit`); None when they name none."""
    texts = list(sources)
    for source in texts:
        for name in sorted(name for name in readers if name in source):
            package = _READER_PACKAGES.get(_reader_shown(readers[name]))
            if package is not None and not any(package in text for text in texts):
                continue
            if re.search(rf"(?<!\w){re.escape(name)}\b", source) is not None:
                return readers[name]
    return None


def _reader_aliases(sources: Iterable[str]) -> dict[str, str]:
    """The names the notebook imports a `PARAMETER_READERS` call under, or assigns it to,
    to the call: `{"cf": "curve_fit"}` for `from scipy.optimize import curve_fit as cf` or
    `cf = curve_fit` (read in the text, strings and comments included: a name taken for a
    reader only keeps a definition)."""
    found: dict[str, str] = {}
    for source in sources:
        if any(reader in source for reader in PARAMETER_READERS):
            for match in _reader_alias().finditer(source):
                found.setdefault(match.group(2), match.group(1))
            for match in _name_assigned().finditer(source):  # `cf = curve_fit`
                reader = match.group(2).rpartition(".")[2]
                if reader in PARAMETER_READERS:
                    found.setdefault(match.group(1), reader)
    return found


@cache
def _reader_alias() -> re.Pattern[str]:
    """`curve_fit as cf`; compiled when first needed, not at every run's start."""
    readers = "|".join(sorted(PARAMETER_READERS))
    return re.compile(rf"\b({readers})[ \t]+as[ \t]+([A-Za-z_]\w*)")


@cache
def _name_assigned() -> re.Pattern[str]:
    """A line assigning a name a dotted name alone (`cf = curve_fit`, `fit = so.curve_fit`)."""
    return re.compile(
        r"^[ \t]*([A-Za-z_]\w*)[ \t]*=[ \t]*([A-Za-z_][\w.]*)[ \t]*(?:#[^\n]*)?$", re.MULTILINE
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

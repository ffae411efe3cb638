"""What computing an expression of a `def` reads or changes, when the `def` runs.

`definition_time` asks it of defaults and decorator arguments: a call other than
a builtin constructor's of constants or a numeric function's, a subscript, a walrus,
an attribute the notebook assigns (`cfg.SCALE`), a mutable value made anew.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Sequence
from functools import cache

from nbrefactor.analysis.evaluated import evaluated_now
from nbrefactor.analysis.import_targets import dotted_path
from nbrefactor.analysis.words import assignment_after, word_offsets

# Builtins whose call with constant arguments reads no state: those making an immutable
# value, and those making a new mutable one.
_IMMUTABLE_CONSTRUCTORS = frozenset(
    {"bool", "bytes", "complex", "float", "frozenset", "int", "range", "slice", "str", "tuple"}
)
_MUTABLE_CONSTRUCTORS = frozenset({"bytearray", "dict", "list", "set"})
# Calls whose value is immutable when their arguments are constants (`makes_mutable`).
_IMMUTABLE_RESULTS = (
    _IMMUTABLE_CONSTRUCTORS
    | frozenset(
        {"abs", "all", "any", "chr", "divmod", "format", "isinstance", "len", "max", "min"}
        | {"ord", "pow", "repr", "round", "sum", "torch.device", "Path", "pathlib.Path"}
        | {"os.path.join", "os.path.dirname", "os.path.basename"}
    )
    | frozenset(
        f"{module}.{name}"
        for module in ("np", "numpy")
        for name in ("finfo", "iinfo", "float16", "float32", "float64", "int8", "int16")
        + ("int32", "int64", "uint8", "dtype")
    )
)
# Functions of numbers, and constants, of numpy and math: `1 / np.sqrt(2 * np.pi)` is the
# same number whenever the `def` runs.
_NUMERIC_MODULES = frozenset({"np", "numpy", "math"})
_NUMERIC_FUNCTIONS = frozenset(
    {"sqrt", "exp", "log", "log2", "log10", "sin", "cos", "tan", "arctan", "atan", "radians"}
    | {"deg2rad", "floor", "ceil", "fabs", "hypot"}
)
_NUMERIC_CONSTANTS = frozenset({"pi", "e", "tau", "inf", "nan"})
_MUTABLE_DISPLAYS = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)
_DISPLAYS = (ast.List, ast.Set, ast.Tuple)
# Expressions whose value is a new object with state each time they run.
_MADE_ANEW = (*_MUTABLE_DISPLAYS, ast.GeneratorExp)
# Calls that make a value and change nothing else, common in defaults. `_VALUE_MAKERS`
# give the same value for the same constant arguments (`np.linspace(0, 1, 5)`,
# `torch.device("cpu")`); `_READERS` read state (the clock, the folder, the environment)
# and change none. `map` and `filter` call what they are handed: not here.
# fmt: off
_VALUE_MAKERS = frozenset(
    {
        "abs", "all", "any", "bool", "bytes", "chr", "complex", "dict", "divmod", "enumerate",
        "float", "format", "frozenset", "int", "isinstance", "len", "list", "max", "min",
        "ord", "pow", "range", "repr", "reversed", "round", "set", "slice", "sorted", "str",
        "sum", "tuple", "zip",
        "torch.device", "torch.tensor", "torch.zeros", "torch.ones", "torch.arange",
        "torch.linspace", "os.path.join", "os.path.dirname", "os.path.basename", "Path",
        "pathlib.Path",
    }
) | frozenset(
    f"{module}.{name}"
    for module in ("np", "numpy")
    for name in (
        "array", "asarray", "linspace", "logspace", "geomspace", "arange", "zeros", "ones",
        "full", "eye", "identity", "zeros_like", "ones_like", "full_like", "meshgrid", "finfo",
        "iinfo", "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
        "dtype",
    )
)
_READERS = frozenset(
    {
        # With no argument, the rc file's colormap or palette; `"now"` is the clock.
        "plt.get_cmap", "plt.cm.get_cmap", "cm.get_cmap", "matplotlib.cm.get_cmap",
        "mpl.colormaps.get_cmap", "pd.Timestamp", "pd.to_datetime", "sns.color_palette",
        "np.random.default_rng", "numpy.random.default_rng", "torch.cuda.is_available",
        "os.path.expanduser", "os.path.abspath", "os.getcwd", "os.getenv", "os.environ.get",
        "Path.home", "Path.cwd", "datetime.now", "datetime.today", "datetime.datetime.now",
        "date.today", "time.time",
    }
)
# fmt: on


def reads_state(default: ast.expr, notebook_sets: Callable[[str], bool]) -> bool:
    """Whether computing the default reads or changes state: a subscript, a walrus (it binds
    a notebook variable when the `def` runs), a call other than a builtin constructor's of
    constants or a numeric function's (`np.sqrt(2 * np.pi)`), or an attribute the notebook
    assigns (`notebook_sets`: `cfg.SCALE`). A lambda's body runs when it is called: not
    then."""
    constructors = _IMMUTABLE_CONSTRUCTORS | _MUTABLE_CONSTRUCTORS
    return any(
        isinstance(node, (ast.Subscript, ast.NamedExpr))
        or (
            isinstance(node, ast.Call)
            and not _constructs(node, constructors | _VALUE_MAKERS)
            and not _numeric(node)
        )
        for node in evaluated_now(default)
    ) or any(map(notebook_sets, _attribute_paths(default)))


def has_effects(default: ast.expr) -> bool:
    """Whether computing the default may change state: a walrus (it binds a notebook
    variable when the `def` runs) or a call not known to change nothing (`_VALUE_MAKERS`,
    `_READERS`, numeric functions): `np.random.rand()` moves every
    later draw, `os.makedirs(...)` makes a folder, `print(...)` prints; `np.linspace(0, 1,
    5)` or `torch.device("cpu")` only make a value. What a call's arguments compute counts
    too; a lambda's body does not (it runs when called)."""
    return any(
        isinstance(node, ast.NamedExpr) or (isinstance(node, ast.Call) and not _pure(node))
        for node in evaluated_now(default)
    )


def walrus_only(default: ast.expr) -> tuple[str, ...]:
    """The names the default's walruses bind (`k=(K := 2)`: K) when those are all it may
    change, which the report then says, not "runs a call" (round 59b); () when a call
    `has_effects` counts is among them, or it has no walrus."""
    names: list[str] = []
    for node in evaluated_now(default):
        if isinstance(node, ast.Call) and not _pure(node):
            return ()
        if isinstance(node, ast.NamedExpr) and node.target.id not in names:
            names.append(node.target.id)
    return tuple(names)


def _pure(call: ast.Call) -> bool:
    """Whether the call is known to make a value and change nothing else."""
    path = dotted_path(call.func)
    return path in _VALUE_MAKERS or path in _READERS or _numeric(call)


def attributes_assigned(sources: Sequence[str]) -> Callable[[str], bool]:
    """Whether one of a notebook's code cells (`sources`) assigns the attribute at a dotted
    path: its text holds `cfg.SCALE = ...` (or `+=`, ...) with `cfg.SCALE` a whole word, or
    calls a setter on it (`logging.root.setLevel(...)`, which sets `logging.root.level`:
    round 57b); each path looked for once."""

    @cache
    def assigns(path: str) -> bool:
        for source in sources:
            if path not in source:
                continue
            for offset in word_offsets(source, path):
                end = offset + len(path)
                if assignment_after(source, end) is not None or _setter_call(source, end):
                    return True
        return False

    return assigns


# A method call right after a dotted path (`.setLevel(` after `logging.root`); methods
# named so set what their object's attributes read (`setLevel`, `set_option`, `update`,
# `reset`): one called between the import and the `def` changes a default reading them.
_METHOD_CALL = re.compile(r"[ \t]*\.[ \t]*(\w+)[ \t]*\(")
_SETTER_PREFIXES = ("set", "update", "reset", "configure")


def _setter_call(text: str, end: int) -> bool:
    """Whether a call of a setter method follows offset `end`: `.setLevel(` after
    `logging.root`."""
    call = _METHOD_CALL.match(text, end)
    return call is not None and call.group(1).lower().startswith(_SETTER_PREFIXES)


def arguments_read_state(call: ast.Call, notebook_sets: Callable[[str], bool]) -> bool:
    """Whether a decorator's arguments read state: a subscript, a walrus, or an attribute the
    notebook assigns (a call is not counted: `@njit(float64(float64))` makes a signature)."""
    arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
    return any(
        isinstance(node, (ast.Subscript, ast.NamedExpr))
        for argument in arguments
        for node in ast.walk(argument)
    ) or any(notebook_sets(path) for argument in arguments for path in _attribute_paths(argument))


def _attribute_paths(expression: ast.expr) -> Iterator[str]:
    """The dotted paths of the attributes the expression reads: `cfg.SCALE`, `cfg.a.b` and
    `cfg.a`; those rooted at a name only."""
    for node in ast.walk(expression):
        path = dotted_path(node) if isinstance(node, ast.Attribute) else None
        if path is not None:
            yield path


def makes_mutable(default: ast.expr) -> bool:
    """Whether the default's value may be, or hold, a new mutable object each time it is
    computed: a list, dict or set display or comprehension, a generator, or a call other
    than one known to give an immutable value (`max(1, 2)`, `np.float32(1)`, `Path("a")`,
    of constants), wherever the value is made of it (`[0] * n`, `([0],)`, `a or []`,
    `{"k": []}["k"]`; sweep 31: each was taken for immutable, and both copies went, the
    second no longer resetting the state), a lambda's own defaults included; not what
    only gives a part of it (`np.finfo(float).eps`, an argument, a condition)."""
    pending = [default]
    while pending:  # not recursive: a default can be thousands of operators long
        node = pending.pop()
        if isinstance(node, _MADE_ANEW):
            return True
        if isinstance(node, ast.Call):
            if not _numeric(node) and not _immutable_result(node):
                return True
        elif isinstance(node, ast.Lambda):  # its body runs when called; its defaults now
            pending += (d for d in (*node.args.defaults, *node.args.kw_defaults) if d)
        elif isinstance(node, ast.Tuple):
            pending += node.elts
        elif isinstance(node, ast.BinOp):
            pending += (node.left, node.right)
        elif isinstance(node, ast.BoolOp):
            pending += node.values
        elif isinstance(node, ast.IfExp):
            pending += (node.body, node.orelse)
        elif isinstance(node, (ast.UnaryOp, ast.Starred, ast.NamedExpr, ast.Attribute)):
            pending.append(node.operand if isinstance(node, ast.UnaryOp) else node.value)
        elif isinstance(node, ast.Subscript):  # an item of what is made: `[[0]][0]`
            pending.append(node.value)
    return False


def _immutable_result(call: ast.Call) -> bool:
    """Whether the call gives an immutable value: one of `_IMMUTABLE_RESULTS` on scalar
    constants (`max(1, 2)`, `np.float32(1)`), or on a display of them for the
    constructors that copy it into an immutable one (`tuple([1, 2])`); not `max([0],
    [1])` or `np.float32([0, 0])` (re-check 32: a list and an array)."""
    path = dotted_path(call.func)
    if path not in _IMMUTABLE_RESULTS:
        return False
    arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
    if path in ("tuple", "frozenset"):
        return all(
            _scalar(item)
            for argument in arguments
            for item in (argument.elts if isinstance(argument, _DISPLAYS) else [argument])
        )
    return all(_scalar(argument) for argument in arguments)


def _scalar(node: ast.expr) -> bool:
    """A constant that holds nothing mutable: a number, a string, a type (`float`), a
    tuple of such."""
    if isinstance(node, ast.Tuple):
        return all(_scalar(item) for item in node.elts)
    if isinstance(node, (ast.List, ast.Set, ast.Dict)):
        return False
    if isinstance(node, ast.Call):  # `max(np.zeros(2))` is a number, `np.zeros(2)` is not
        return _numeric(node) or _immutable_result(node)
    return _constant(node)


def _constructs(call: ast.Call, constructors: frozenset[str]) -> bool:
    """`float("inf")`, `tuple()`, `np.linspace(0, 1, 5)`: a call of one of `constructors`
    (by its dotted name) on constants, the same value whenever it is made (re-check 29: an
    exact copy of such a default was kept, a drifted one replaced)."""
    return (
        dotted_path(call.func) in constructors
        and all(_constant(argument) for argument in call.args)
        and all(_constant(keyword.value) for keyword in call.keywords)
    )


def _constant(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) or _numeric(node):  # `2 * np.pi`
        return True
    # A type named as an argument: `np.finfo(float)`, `np.zeros(3, np.float32)`.
    path = dotted_path(node)
    if path in _VALUE_MAKERS and not isinstance(node, ast.Call):
        return True
    if isinstance(node, ast.Call):  # `tuple(np.linspace(0, 1, 5))`
        return _constructs(node, _VALUE_MAKERS)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.UnaryOp)):
        return all(
            _constant(child) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr)
        )
    return False


def _numeric(node: ast.expr) -> bool:
    """A number of numpy's or math's computed from constants: `1 / np.sqrt(2 * np.pi)`,
    `math.log(2)`, `np.inf`."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (int, float, complex)) and not isinstance(node.value, bool)
    if isinstance(node, ast.UnaryOp):
        return _numeric(node.operand)
    if isinstance(node, ast.BinOp):
        return _numeric(node.left) and _numeric(node.right)
    if isinstance(node, ast.Attribute):
        return _numeric_member(node, _NUMERIC_CONSTANTS)
    if isinstance(node, ast.Call):
        return (
            _numeric_member(node.func, _NUMERIC_FUNCTIONS)
            and not node.keywords
            and all(_numeric(argument) for argument in node.args)
        )
    return False


def _numeric_member(node: ast.expr, names: frozenset[str]) -> bool:
    """`np.NAME`, `numpy.NAME` or `math.NAME`, for a NAME of `names`."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr in names
        and isinstance(node.value, ast.Name)
        and node.value.id in _NUMERIC_MODULES
    )

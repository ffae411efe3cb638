"""Which statement of a module's top level runs for what it does rather than for a name
it binds (`import_effects` asks it of each file the import runs).

What counts: an expression statement (a call) other than a docstring, an
assignment or `del` of an attribute or an item, an assignment whose value
draws from a global random generator (`TEMPLATE = np.random.randn(3)` moves
the draws after a notebook's `np.random.seed(0)`; through an alias, a layer
drawing its weights, or the module's own function that draws: `random_draws`)
or calls a function run for what it changes (`old = np.seterr(all="ignore")`,
`FIG, AX = plt.subplots()`), a default of a `def` that draws or calls such a function
(`def f(p=np.set_printoptions(precision=2))`), and such
statements inside the top level's `if`, `try`, `with`, `for`, `while` and
`match` blocks (not under `if __name__ == "__main__":`). Any other
assignment of a call to a name (`logger = logging.getLogger(__name__)`)
binds the module's own name, a call or an item set on a list, dict or set
the module made itself (`__all__.append("f")`, `COLORS["loss"] = "red"`)
changes its own object, and a `def`'s decorators and a class body are taken
as defining theirs: what utility modules do there rarely reaches outside them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from nbrefactor.analysis.evaluated import evaluated_now
from nbrefactor.analysis.file_writes import writes_file
from nbrefactor.analysis.import_targets import bound_names, dotted_path, postpones_annotations
from nbrefactor.analysis.random_draws import RandomNames, draws_global_random, iterates_random
from nbrefactor.analysis.scopes import annotated, called_name

_BLOCK_FIELDS = ("body", "orelse", "handlers", "finalbody", "cases")


def first_effect(tree: ast.Module, may_draw: bool = True) -> ast.stmt | None:
    """The first statement a module runs at import for what it does (see above), if any;
    `may_draw` False: its text names no random generator (no value is walked for one)."""
    postponed = any(map(postpones_annotations, tree.body))
    own = _OwnContainers(may_draw, annotations=not postponed)
    for statement in top_level(tree.body):
        if own.runs_for_effect(statement):
            return statement
    return None


def top_level(statements: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements the module runs at import, blocks entered, definitions not."""
    for statement in statements:
        if isinstance(statement, ast.If) and (
            is_main_guard(statement.test) or _type_checking(statement.test)
        ):
            yield from top_level(statement.orelse)
            continue
        yield statement
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for field in _BLOCK_FIELDS:
            for child in getattr(statement, field, ()):
                if isinstance(child, ast.stmt):
                    yield from top_level([child])
                elif isinstance(child, (ast.ExceptHandler, ast.match_case)):
                    yield from top_level(child.body)


def _type_checking(test: ast.expr) -> bool:
    """`TYPE_CHECKING` or `typing.TYPE_CHECKING`: False when the module runs."""
    return (dotted_path(test) or "").rpartition(".")[2] == "TYPE_CHECKING"


def is_main_guard(test: ast.expr) -> bool:
    """`__name__ == "__main__"`, either way round."""
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return False
    sides = {ast.dump(test.left), ast.dump(test.comparators[0])}
    return isinstance(test.ops[0], ast.Eq) and sides == {
        ast.dump(ast.Name("__name__", ast.Load())),
        ast.dump(ast.Constant("__main__")),
    }


class _OwnContainers:
    """The module's names last bound to a list, dict, set or tuple it made itself (a display
    or a comprehension), an array or container a constructor makes anew (`np.identity(3)`,
    `dict(...)`), its own logger (`logging.getLogger(__name__)`), or its own function or
    class: `__all__.append("f")`, `COLORS["loss"] = "red"`, `C[C == 0] = 0.95`,
    `logger.addHandler(...)` or `cost.errordef = 1` (iminuit's idiom; sweep 23) changes
    the module's own object, not the notebook's state. Asked of the statements in order."""

    def __init__(self, may_draw: bool = True, annotations: bool = True) -> None:
        self.names: set[str] = set()
        self.random = RandomNames() if may_draw else None
        self.annotations = annotations  # a def's are computed (no `from __future__ import`)

    def runs_for_effect(self, statement: ast.stmt) -> bool:
        """Whether the statement does something besides binding or changing the module's
        own names (and notes what it binds)."""
        found = self._runs_for_effect(statement)
        self._note_bindings(statement)
        return found

    def _runs_for_effect(self, statement: ast.stmt) -> bool:
        evaluated = _evaluated(statement)
        if self.random is not None and any(
            draws_global_random(part, self.random) for part in evaluated
        ):
            return True  # `TEMPLATE = np.random.randn(3)` moves the notebook's seeded draws
        if (
            isinstance(statement, (ast.For, ast.AsyncFor))
            and self.random is not None
            and iterates_random(statement.iter, self.random)
        ):
            return True  # `for batch in LOADER:` of a shuffling DataLoader
        if isinstance(statement, ast.Expr):
            value = statement.value
            if isinstance(value, ast.Constant):
                return False  # a docstring, `...`
            func = value.func if isinstance(value, ast.Call) else None
            if isinstance(func, ast.Attribute) and self._is_own(func.value):
                if func.attr in _LOGGING_OUTPUT:
                    return True  # `logger.warning("loaded")` prints it (round 61a)
                return self._changes_state(value)  # `XS.append(...)`: what its arguments call
            return True
        # `old = np.seterr(all="ignore")`, `FIG, AX = plt.subplots()`, `if plt.figure():`, and
        # a def's default, computed at import as such a value is (`def f(p=np.set_printoptions(
        # precision=2))`, round 52b); not a decorator nor what a class is made from
        assigned = _assigned_values(statement, evaluated, self.annotations)
        if any(self._changes_state(part) for part in assigned):
            return True
        if isinstance(statement, (ast.Assign, ast.Delete)):
            return any(self._reaches_outside(target) for target in statement.targets)
        if isinstance(statement, ast.AugAssign):
            return self._reaches_outside(statement.target)
        if isinstance(statement, ast.AnnAssign):
            return statement.value is not None and self._reaches_outside(statement.target)
        return False

    def _reaches_outside(self, target: ast.expr) -> bool:
        """An assignment target that sets an attribute or an item of what the module did not
        make itself."""
        if isinstance(target, (ast.Attribute, ast.Subscript)):
            return not self._is_own(target.value)
        if isinstance(target, (ast.Tuple, ast.List)):
            return any(self._reaches_outside(element) for element in target.elts)
        if isinstance(target, ast.Starred):
            return self._reaches_outside(target.value)
        return False

    def _is_own(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Name) and node.id in self.names

    def _changes_state(self, value: ast.expr) -> bool:
        """Whether computing a value assigned to a name calls one of `_STATE_CHANGERS`, on
        anything but the module's own objects (re-check 44)."""
        for node in evaluated_now(value):
            if not isinstance(node, ast.Call):
                continue
            if writes_file(node):
                return True  # `LOG = open("train.log", "w")` emptied what the notebook wrote
            if called_name(node) not in _STATE_CHANGERS:
                continue
            func = node.func
            receiver = func.value if isinstance(func, ast.Attribute) else None
            # Not a method of the module's own object, nor of one made here
            # (`torch.Generator().manual_seed(0)`: re-check 45).
            if receiver is None or not (self._is_own(receiver) or isinstance(receiver, ast.Call)):
                return True
        return False

    def _note_bindings(self, statement: ast.stmt) -> None:
        if self.random is not None:
            self.random.note(statement)
        if isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            value = statement.value
            made = isinstance(value, _CONTAINERS) or _own_logger(value) or _made_anew(value)
            for target in targets:
                if isinstance(target, ast.Name):
                    (self.names.add if made else self.names.discard)(target.id)
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            self.names.difference_update(bound_names(statement))
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.names.add(statement.name)


_CONTAINERS = (ast.List, ast.Dict, ast.Set, ast.Tuple, ast.ListComp, ast.DictComp, ast.SetComp)


def _evaluated(statement: ast.stmt) -> list[ast.expr]:
    """The expressions a top-level statement evaluates itself (a block's own statements are
    `top_level`'s): its value, an `if`'s or `while`'s test, a `for`'s iterable, a `with`'s
    items, a `match`'s subject, an `assert`'s or `raise`'s operands, a `def`'s defaults
    and a class's bases; a decorator is called (re-check 45: `if np.random.rand() > 2:`)."""
    match statement:
        case ast.Expr(value) | ast.Assign(value=value) | ast.AugAssign(value=value):
            return [value]
        case ast.AnnAssign(value=value):
            return [value] if value is not None else []
        case ast.If(test) | ast.While(test):
            return [test]
        case ast.For(iter=iterable) | ast.AsyncFor(iter=iterable):
            return [iterable]
        case ast.With(items) | ast.AsyncWith(items):
            return [item.context_expr for item in items]
        case ast.Match(subject):
            return [subject]
        case ast.Assert(test, message):
            return [test] if message is None else [test, message]
        case ast.Raise(exception, cause):
            return [part for part in (exception, cause) if part is not None]
        case ast.FunctionDef() | ast.AsyncFunctionDef():
            return [*_defaults(statement), *_applied(statement)]
        case ast.ClassDef(bases=bases, keywords=keywords):
            return [*bases, *(keyword.value for keyword in keywords), *_applied(statement)]
    return []


def _assigned_values(
    statement: ast.stmt, evaluated: list[ast.expr], annotations: bool
) -> list[ast.expr]:
    """What the statement evaluates that is asked whether it changes state as an assigned
    value is: a def's defaults, and its annotations unless they are postponed (round 54b:
    `def f(x: print("annot") or int)` printed where a notebook imported it; its decorators
    are taken as defining theirs), nothing of a class, all else's `_evaluated`."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        computed = [annotation for _, annotation in annotated(statement)] if annotations else []
        return _defaults(statement) + computed
    if isinstance(statement, ast.ClassDef):
        return []
    return evaluated


def _defaults(definition: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.expr]:
    """A def's default values, positional then keyword-only, computed when the def runs."""
    arguments = definition.args
    return [part for part in (*arguments.defaults, *arguments.kw_defaults) if part is not None]


def _applied(definition: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> list[ast.expr]:
    """The calls applying a definition's decorators (`@deco` calls `deco`)."""
    return [
        decorator if isinstance(decorator, ast.Call) else ast.Call(decorator, [], [])
        for decorator in definition.decorator_list
    ]


# Calls run for what they change even when their value is kept (`old = np.seterr(...)`
# returns the old settings; `FIG, AX = plt.subplots()` makes pyplot's current figure):
# NumPy's, pyplot's, seaborn's, torch's and the standard library's global settings, the
# working folder, the environment, files and folders, standard output (re-check 44). A path's
# `mkdir`, `touch`, `write_text` and `open("w")` are `file_writes`', whoever holds the path.
_STATE_CHANGERS = frozenset(
    {"seterr", "seterrcall", "set_printoptions", "subplots", "subplot", "subplot_mosaic"}
    | {"figure", "axes", "gca", "gcf", "rc", "rcdefaults", "use", "switch_backend", "ion"}
    | {"ioff", "set_theme", "set_style", "set_context", "set_palette", "print", "makedirs"}
    | {"chdir", "putenv", "setdefault", "filterwarnings", "simplefilter"}
    | {"resetwarnings", "basicConfig", "captureWarnings", "seed", "manual_seed"}
    | {"manual_seed_all", "set_default_dtype", "set_default_device", "set_grad_enabled"}
    | {"set_num_threads", "setrecursionlimit", "set_option", "setlocale"}
    # Files made or written (round 59a: `FileHandler` and `sqlite3.connect` make theirs)
    | {"FileHandler", "RotatingFileHandler", "TimedRotatingFileHandler", "connect"}
    # Changing another module's object: `_ = sys.path.append(...)`, `rcParams.update(...)`
    | {"append", "extend", "insert", "remove", "clear", "update", "add", "discard", "pop"}
)


# Calls that return a new object each time: NumPy's (and torch's) array constructors, and
# the builtin containers'.
_CONSTRUCTORS = frozenset(
    {"array", "zeros", "ones", "empty", "full", "identity", "eye", "arange", "linspace"}
    | {"zeros_like", "ones_like", "empty_like", "full_like", "tensor"}
    | {"list", "dict", "set", "bytearray"}
    # a random generator of its own (`RNG = np.random.default_rng(0)`, then `RNG.shuffle(x)`)
    | {"default_rng", "RandomState", "Generator", "Random"}
)


def _made_anew(value: ast.expr | None) -> bool:
    """`np.identity(3)`, `dict(a=1)`: a call of a constructor that makes a new object."""
    return isinstance(value, ast.Call) and called_name(value) in _CONSTRUCTORS


def _own_logger(value: ast.expr | None) -> bool:
    """`logging.getLogger(__name__)`: the module's own logger, which the logging HOWTO has a
    library configure at import (`logger.addHandler(logging.NullHandler())`)."""
    return (
        isinstance(value, ast.Call)
        and called_name(value) == "getLogger"
        and len(value.args) == 1
        and isinstance(value.args[0], ast.Name)
        and value.args[0].id == "__name__"
    )


# A logger's methods that emit a record: through its handlers, or logging's last resort,
# which prints a warning to standard error when no handler is set.
_LOGGING_OUTPUT = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
)

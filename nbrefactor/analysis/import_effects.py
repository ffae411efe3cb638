"""What importing the library runs besides binding its own names.

A module's top level may change state that is not its own: `plt.style.use("ggplot")`,
`np.set_printoptions(precision=2)`, `warnings.filterwarnings("ignore")`,
`plt.rcParams["figure.dpi"] = 150`, `logging.basicConfig(...)`, `print("loaded")`. A
notebook that pasted one of its functions never ran that; the import a migration adds
would, and every cell after it could print, plot or warn otherwise
(`rules.import_effects`).

`import_effects(module, source_file)` finds the first such statement of each file
statically (the module is never imported), in the files the import runs, in the order
Python runs them: the packages above the module (`a/__init__.py` for `a.b`), the module,
then the modules of the same top package that these import (relatively, or by their
absolute name), in turn, each after the packages above it; for a single-file module,
the modules of its own folder it imports (`from style import PALETTE`, `from
plotting.style import PALETTE`, which runs `plotting/__init__.py` first). A module elsewhere (numpy) is not read. What counts is a statement run for what it does rather than for a name it binds:
an expression statement (a call) other than a docstring, an assignment or `del` of an
attribute or an item, an assignment whose value draws from a global random generator
(`TEMPLATE = np.random.randn(3)` moves the draws after a notebook's `np.random.seed(0)`), and such statements inside the top level's `if`, `try`, `with`,
`for`, `while` and `match` blocks (not under `if __name__ == "__main__":`). An
assignment of a call to a name (`logger = logging.getLogger(__name__)`) binds the
module's own name, a call or an item set on a list, dict or set the module made itself
(`__all__.append("f")`, `COLORS["loss"] = "red"`) changes its own object, and a `def`'s
decorators and a class body are taken as defining theirs: what utility modules do there
rarely reaches outside them.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.util import decode_source
from pathlib import Path

from nbrefactor.analysis.import_targets import bound_names, modules_of
from nbrefactor.analysis.module_path import module_file
from nbrefactor.analysis.random_draws import draws_global_random
from nbrefactor.analysis.scopes import called_name
from nbrefactor.analysis.source_trees import parsed_source
from nbrefactor.analysis.text import split_lines, stripped_line
from nbrefactor.value_base import ValueBase

_BLOCK_FIELDS = ("body", "orelse", "handlers", "finalbody", "cases")


@dataclass(frozen=True, eq=False, repr=False)
class ImportEffect(ValueBase):
    """A top-level statement of a file the import runs, run for what it does."""

    file: Path
    shown: str  # the file as the report names it: from the package's folder (`pkg/plots.py`)
    line: int
    text: str  # its first line, stripped
    module: str  # the dotted name of the file's module (`pkg` for `pkg/__init__.py`)


@dataclass(frozen=True, eq=False, repr=False)
class _Module(ValueBase):
    """A module the import runs, by its dotted name and file: one step of `import_effects`' walk."""

    name: str  # dotted
    file: Path

    @property
    def package(self) -> str:
        """The package its relative imports start from."""
        if self.file.name == "__init__.py":
            return self.name
        return self.name.rpartition(".")[0]


def import_effects(
    module: str, source_file: Path, stands_for: Path | None = None
) -> tuple[ImportEffect, ...]:
    """The first statement run for what it does in each file `import module` runs, in the
    order Python runs them, `source_file` being the module's own; () when they only bind
    names and define. `stands_for`: where `source_file`, a copy, will be written (`extract
    --dry-run`): the packages above it and the modules beside it are that place's."""
    located = stands_for if stands_for is not None else source_file
    root = _root(module, located)
    parts = module.split(".")
    pending: deque[_Module] = deque()
    if root is not None:  # the packages above the module, outermost first
        for depth in range(1, len(parts)):
            parent = module_file(root.joinpath(*parts[:depth]))
            if parent is not None and parent.name == "__init__.py":
                pending.append(_Module(".".join(parts[:depth]), parent))
    pending.append(_Module(module, source_file))
    # Where the modules it imports are looked for: its top package (not numpy), or, for a
    # single-file module, the other modules of its folder (`from style import PALETTE`),
    # unless that folder is where installed packages live.
    base = root if root is not None else located.parent
    siblings = root is None and not {"site-packages", "dist-packages"} & set(base.parts)
    seen = {entry.file for entry in pending}
    # The dotted names already looked for as files: each library file imports the same
    # few modules (`from ._style import ...`), two `stat`s a look.
    looked_up: set[tuple[str, ...]] = set()
    found: list[ImportEffect] = []
    while pending:
        current = pending.popleft()
        try:
            data = current.file.read_bytes()
            tree = parsed_source(data, str(current.file))
        except (OSError, SyntaxError, ValueError):
            continue  # the catalog reports the module it cannot read; the others are not asked
        # Its text says whether a draw from a global random generator is to be looked for.
        statement = first_effect(tree, may_draw=b"rand" in data or b"torch" in data)
        if statement is not None:
            line = _shown(decode_source(data), statement)  # PEP 263, as the catalog
            shown = _relative(located if current.file == source_file else current.file, base)
            found.append(ImportEffect(current.file, shown, statement.lineno, line, current.name))
        for imported in _imported_modules(tree, current.package):
            if root is not None and imported.partition(".")[0] != parts[0]:
                continue
            if root is None and not siblings:
                continue
            dotted = tuple(imported.split("."))
            for depth in range(1, len(dotted) + 1):  # `a/__init__.py` runs before `a.b`
                if dotted[:depth] in looked_up:  # found (and queued) or not, as before
                    continue
                looked_up.add(dotted[:depth])
                file = module_file(base.joinpath(*dotted[:depth]))
                if file is not None and file not in seen:
                    seen.add(file)
                    pending.append(_Module(".".join(dotted[:depth]), file))
    return tuple(found)


def _shown(text: str, statement: ast.stmt) -> str:
    """The statement's first line, stripped; a statement on one line without what follows it
    there (a trailing comment: sweep 23)."""
    line = stripped_line(text, statement.lineno)
    if statement.end_lineno != statement.lineno or statement.end_col_offset is None:
        return line
    whole = split_lines(text)[statement.lineno - 1].encode("utf-8", "surrogatepass")
    return whole[statement.col_offset : statement.end_col_offset].decode("utf-8", "replace")


def first_effect(tree: ast.Module, may_draw: bool = True) -> ast.stmt | None:
    """The first statement a module runs at import for what it does (see above), if any;
    `may_draw` False: its text names no random generator (no value is walked for one)."""
    own = _OwnContainers(may_draw)
    for statement in _top_level(tree.body):
        if own.runs_for_effect(statement):
            return statement
    return None


def _root(module: str, source_file: Path) -> Path | None:
    """The folder the module is imported from (its top package's parent), when the module is
    in a package whose folders bear its dotted name; None for a single-file module."""
    parts = module.split(".")
    folder = source_file.parent
    if source_file.name != "__init__.py":
        parts = parts[:-1]  # the file is the last part
    if not parts:
        return None
    for part in reversed(parts):
        if folder.name != part:
            return None
        folder = folder.parent
    return folder


def _relative(file: Path, root: Path) -> str:
    try:
        return file.relative_to(root).as_posix()
    except ValueError:
        return file.name


def _top_level(statements: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements the module runs at import, blocks entered, definitions not."""
    for statement in statements:
        if isinstance(statement, ast.If) and is_main_guard(statement.test):
            yield from _top_level(statement.orelse)
            continue
        yield statement
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for field in _BLOCK_FIELDS:
            for child in getattr(statement, field, ()):
                if isinstance(child, ast.stmt):
                    yield from _top_level([child])
                elif isinstance(child, (ast.ExceptHandler, ast.match_case)):
                    yield from _top_level(child.body)


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

    def __init__(self, may_draw: bool = True) -> None:
        self.names: set[str] = set()
        self.may_draw = may_draw

    def runs_for_effect(self, statement: ast.stmt) -> bool:
        """Whether the statement does something besides binding or changing the module's
        own names (and notes what it binds)."""
        found = self._runs_for_effect(statement)
        self._note_bindings(statement)
        return found

    def _runs_for_effect(self, statement: ast.stmt) -> bool:
        if isinstance(statement, ast.Expr):
            value = statement.value
            if isinstance(value, ast.Constant):
                return False  # a docstring, `...`
            func = value.func if isinstance(value, ast.Call) else None
            return not (isinstance(func, ast.Attribute) and self._is_own(func.value))
        assigned = getattr(statement, "value", None)
        if self.may_draw and isinstance(assigned, ast.expr) and draws_global_random(assigned):
            return True  # `TEMPLATE = np.random.randn(3)` moves the notebook's seeded draws
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

    def _note_bindings(self, statement: ast.stmt) -> None:
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


# Calls that return a new object each time: NumPy's (and torch's) array constructors, and
# the builtin containers'.
_CONSTRUCTORS = frozenset(
    {"array", "zeros", "ones", "empty", "full", "identity", "eye", "arange", "linspace"}
    | {"zeros_like", "ones_like", "empty_like", "full_like", "tensor"}
    | {"list", "dict", "set", "bytearray"}
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


def file_imports(source_file: Path, package: str | None) -> list[str]:
    """The modules a file's top level imports when it runs (`if __name__ == "__main__":`
    aside), by dotted name; relative ones resolved against `package`, none without one.
    [] for a file that cannot be read."""
    try:
        tree = parsed_source(source_file.read_bytes(), str(source_file))
    except (OSError, SyntaxError, ValueError):
        return []
    return list(_imported_modules(tree, package))


def _imported_modules(tree: ast.Module, package: str | None) -> Iterator[str]:
    """The modules the module's top level imports, by dotted name (`modules_of`, relative
    ones resolved against `package`)."""
    for statement in _top_level(tree.body):
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            yield from modules_of(statement, package)

"""What a library module binds at its top level, read from its tree.

Two questions of the catalog need more than the module's `def`s:

- which `def`s stay functions: `def scale(...)` followed by `scale = other`
  (or `del scale`, an import of `scale`, a star import, which binds what its
  module has) makes `scale` something else than the `def` that can be read,
  so it is no function of the catalog (a `global scale` inside a function,
  which rebinds it only when it runs, is not looked for);
- which `def`s the module changes after defining them: `@show.register(int)` on
  another `def` (`functools.singledispatch`), `show.cache = {}`: the library's
  function is not what its `def` alone makes (re-check 36: a copy of `show`
  replaced by the library's answered "int" where it had answered "object");
- what the module's other names are: a copy of a library function pasted in
  a notebook reads `fmt` or `sum` from the notebook, where the library's
  function reads its own module's `fmt`, or the builtin `sum`
  (`hidden_inputs`).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from nbrefactor.analysis.import_targets import bound_names
from nbrefactor.analysis.scopes import free_names, module_scope_statements, variables_bound_by
from nbrefactor.analysis.text import split_lines
from nbrefactor.analysis.words import has_word
from nbrefactor.value_base import ValueBase

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


@dataclass(frozen=True, eq=False, repr=False)
class ModuleNames(ValueBase):
    """The names a module binds at its top level by anything but an import."""

    module: str  # its dotted name, as the notebooks import it
    functions: Mapping[str, ast.FunctionDef]  # names whose last binding is this `def`
    # Every name bound otherwise than by an import: its `def` or `class` when that is its
    # last binding, else None (an assignment, a `del`, ...).
    defined: Mapping[str, Definition | None]
    # The modules it star-imports (`from numpy import *`), which may rebind builtins.
    star_imports: tuple[str, ...] = ()
    # Its text as Python decodes it (`importlib.util.decode_source`), when at hand.
    source: str | None = field(default=None, compare=False, repr=False)
    # `from __future__ import annotations`: its functions' annotations are never evaluated.
    future_annotations: bool = False
    # Function -> (line, what) of the first use of one of its attributes after its `def`
    # at the module's top level, run on import (`changed_after_definition`).
    changed_later: Mapping[str, tuple[int, str]] = field(default_factory=dict)
    # Function -> (line, what) of its first call there (`TABLE = [fib(i) for i in ...]`):
    # a function keeping state (a cache) starts with some once imported.
    called_later: Mapping[str, tuple[int, str]] = field(default_factory=dict)

    @cached_property
    def global_setters(self) -> dict[str, tuple[str, ...]]:
        """Name -> the module's functions whose body assigns it through `global`; read once
        for all its functions, and only when asked (not on every catalog load)."""
        found: dict[str, list[str]] = {}
        for function, node in self.functions.items():
            text = self.definition_text(node)
            if text is None:
                if not any(isinstance(inner, ast.Global) for inner in ast.walk(node)):
                    continue
                text = ast.unparse(node)
            elif not has_word(text, "global"):
                continue
            for name in free_names(text).declared_global:
                found.setdefault(name, []).append(function)
        return {name: tuple(functions) for name, functions in found.items()}

    def definition_text(self, node: Definition) -> str | None:
        """The text of one of its top-level definitions, decorators included, as its file
        holds it: what `free_names` reads of it. Unparsing the tree instead cost a
        millisecond a function (its docstring escaped character by character) on every
        run. None without the source, or for a definition not at the top level."""
        if self.source is None or node.col_offset != 0 or node.end_lineno is None:
            return None
        first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
        return "".join(self._lines[first - 1 : node.end_lineno])

    @cached_property
    def _lines(self) -> list[str]:
        assert self.source is not None
        return split_lines(self.source)


def module_names(tree: ast.Module, module: str, source: str | None = None) -> ModuleNames:
    """What the module `tree` (imported as `module`, its text `source`) binds, the last
    binding of each name winning."""
    defined: dict[str, Definition | None] = {}
    star_imports: list[str] = []
    future = False
    for statement in tree.body:
        bound: dict[str, Definition | None]
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            # Its body is not walked (a `global` there rebinds only when it runs): the
            # catalog is read on every run, and walking every function was half its cost.
            bound = {statement.name: statement}
        elif isinstance(statement, ast.ImportFrom) and statement.names[0].name == "*":
            star_imports.append("." * statement.level + (statement.module or ""))
            # It binds whatever its module has, over the definitions above it (`def sqrt`,
            # then `from math import *`: the name is math's): none is known to stay.
            defined.update(dict.fromkeys(defined))
            continue
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
                future = future or any(alias.name == "annotations" for alias in statement.names)
            names = set(bound_names(statement))
            for name in names:
                defined.pop(name, None)
            continue
        else:
            bound = dict.fromkeys(
                variables_bound_by(statement, False)
                | _deleted(statement)
                | _bound_in_blocks(statement)
            )
        defined.update(bound)
    functions = {name: node for name, node in defined.items() if isinstance(node, ast.FunctionDef)}
    changed, called = changed_after_definition(tree.body)
    return ModuleNames(
        module, functions, defined, tuple(star_imports), source, future, changed, called
    )


# Attributes of a function whose values are strings: reading one changes nothing.
_NAME_ATTRIBUTES = frozenset({"__name__", "__qualname__", "__module__", "__doc__"})


def changed_after_definition(
    statements: list[ast.stmt],
) -> tuple[dict[str, tuple[int, str]], dict[str, tuple[int, str]]]:
    """Function -> (line, `show.register`) of the first attribute of a function the
    module's top level uses after its `def` (`@show.register(int)` on another `def`,
    `show.cache = {}`, `show.register(float, f)`), but for its names (`show.__doc__`);
    and function -> (line, `fib(...)`) of its first call there (re-check 37: `TABLE =
    [fib(i) ...]` filled the cache the copy's uses then found): what the module runs
    when imported, not function bodies (they run when called)."""
    seen: set[str] = set()
    found: dict[str, tuple[int, str]] = {}
    called: dict[str, tuple[int, str]] = {}
    for statement in statements:
        parts: list[ast.AST]
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            parts = list(statement.decorator_list)
            if isinstance(statement, ast.ClassDef):
                parts += [*statement.bases, *(keyword.value for keyword in statement.keywords)]
            else:
                parts += [*statement.args.defaults, *filter(None, statement.args.kw_defaults)]
        elif isinstance(statement, (ast.Import, ast.ImportFrom)) or not seen:
            parts = []
        else:
            parts = [statement]
        for part in parts:
            for node in ast.walk(part):
                if (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id in seen
                    and node.attr not in _NAME_ATTRIBUTES
                ):
                    found.setdefault(node.value.id, (node.lineno, ast.unparse(node)))
                elif (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in seen
                ):
                    called.setdefault(node.func.id, (node.lineno, f"{node.func.id}(...)"))
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            seen.add(statement.name)
    return found, called


def _bound_in_blocks(statement: ast.stmt) -> set[str]:
    """Names an import or a `def`/`class` inside the statement's blocks may bind (`try: from
    _speedups import smooth`): the name may be that, not the `def` above (sweep W)."""
    found: set[str] = set()
    for inner in module_scope_statements([statement]):
        if isinstance(inner, (ast.Import, ast.ImportFrom)):
            found.update(bound_names(inner))
        elif isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(inner.name)
    return found


def _deleted(statement: ast.stmt) -> set[str]:
    """Names a `del` anywhere in the statement unbinds (`del scale`)."""
    return {
        node.id
        for node in ast.walk(statement)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Del)
    }


def importable_names(tree: ast.Module, package_dir: Path | None = None) -> frozenset[str] | None:
    """What `from <module> import NAME` finds in the module `tree`: the names it binds at its
    top level (in blocks too, by any statement), those its functions may bind there through
    `global` (`def setup(seed): global RNG_SEED`), and a package's submodules (`package_dir`,
    the folder of its `__init__.py`); None when a star import or a module `__getattr__` may
    give more."""
    names: set[str] = set()
    for statement in module_scope_statements(tree.body):
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if statement.name == "__getattr__":
                return None
            names.add(statement.name)
            for node in ast.walk(statement):
                if isinstance(node, ast.Global):
                    names.update(node.names)
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            if any(alias.name == "*" for alias in statement.names):
                return None
            names.update(bound_names(statement))
        else:
            names |= variables_bound_by(statement)
    if package_dir is not None:
        try:
            entries = list(package_dir.iterdir())
        except OSError:
            return None
        for entry in entries:
            if entry.suffix == ".py" or (entry / "__init__.py").is_file():
                names.add(entry.stem if entry.suffix == ".py" else entry.name)
    return frozenset(names)

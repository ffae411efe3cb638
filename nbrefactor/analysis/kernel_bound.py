"""The imports of names from a module a kernel binds, not the file of its name beside a
single-file library (round 70a N1), or beside a package library (round 71a F3: `lib/mypkg`,
its `__init__.py` or a submodule doing `from dateutil import to_day`, and `lib/dateutil.py`).

`helpers.py` doing `from dateutil import to_day` beside a `dateutil.py` of its own: a fresh
kernel has imported python-dateutil at its start (`kernel_modules.KERNEL_MODULES`), so the
import binds that package, and `dateutil.py` never runs; so for `from string import
custom` beside a `string.py` (`KERNEL_PRELOADED`), and for a standard module the kernel
finds before the library's folder (`standard_siblings`). Whether the kernel's module has
`to_day` is not known without importing it, which nbrefactor never does: the import may
raise ImportError where the notebook's own definitions ran (`rules.import_effects`,
`NBR279`). A plain `import dateutil` binds the same module the notebook's own would: not
one of these.
"""

from __future__ import annotations

import ast
from collections.abc import Collection
from dataclasses import dataclass
from importlib.util import decode_source
from pathlib import Path
from typing import NamedTuple

from nbrefactor.analysis.effect_statements import top_level
from nbrefactor.analysis.import_targets import postpones_annotations
from nbrefactor.analysis.module_path import import_file, module_file
from nbrefactor.analysis.scopes import computed_where_defined
from nbrefactor.analysis.text import stripped_line
from nbrefactor.value_base import ValueBase


@dataclass(frozen=True, eq=False, repr=False)
class KernelBoundImport(ValueBase):
    """A statement of a file the library's import runs, importing names (or a submodule)
    from a module the kernel binds while a file of its name lies beside the library."""

    shown: str  # its file as the report names it, from the library's folder: `helpers.py`
    line: int
    text: str  # its first line, stripped
    imported: str  # the module it imports from: `dateutil`, `dateutil.parser`
    # The module of its name beside the library, which the kernel does not run, from the
    # library's folder: `dateutil.py`, `dateutil/__init__.py`
    sibling: str
    names: tuple[str, ...]  # what it imports from it: `to_day`; `*`; `sub` of `import a.sub`


def kernel_bound_imports(
    run: RunOnImport,
    data: bytes,
    shown: str,
    bound: Collection[str],
    folder: Path,
    siblings: dict[str, Path | None],
) -> list[KernelBoundImport]:
    """The statements importing a file runs (`run`; `data` its bytes, `shown` as the report
    names it) that import names from a module whose top-level name is one of `bound` (bound
    by the kernel) and of which the library's `folder` holds a module; `siblings` caches the
    look for each name (one `stat` or two). Relative imports are the package's own: none."""
    found: list[KernelBoundImport] = []
    for statement in run.statements:
        for imported, names in _imported_names(statement, run.read):
            top = imported.partition(".")[0]
            if top not in bound:
                continue
            if top not in siblings:
                siblings[top] = module_file(folder / top)
            sibling = siblings[top] or _namespace_module(statement, imported, names, folder)
            if sibling is not None:
                text = stripped_line(decode_source(data), statement.lineno)  # PEP 263
                held = sibling.relative_to(folder).as_posix()
                found.append(
                    KernelBoundImport(shown, statement.lineno, text, imported, held, names)
                )
    return found


def _namespace_module(
    statement: ast.stmt, imported: str, names: tuple[str, ...], folder: Path
) -> Path | None:
    """The module of a folder without `__init__` (a namespace package) beside the library
    that the statement imports (`from dateutil.custom import g`, `import dateutil.custom`
    beside `dateutil/custom.py`), which the kernel's `dateutil`, a package, does not hold
    (round 73a F4: ModuleNotFoundError once migrated); None when it imports none."""
    dotted = f"{imported}.{names[0]}" if isinstance(statement, ast.Import) else imported
    if "." not in dotted:
        return None
    return import_file(folder.joinpath(*dotted.split(".")))


def _imported_names(
    statement: ast.stmt, read: dict[str, list[str]]
) -> list[tuple[str, tuple[str, ...]]]:
    """(module, names) for what the statement takes from a module rather than binding the
    module itself: `from a import b, c` gives (a, (b, c)); `import a.b` gives (a, (b,)),
    a submodule the kernel's `a` may not have; `import a` the attributes of it the file reads
    when imported (`read`: `K = a.helper(1)`, round 72b: AttributeError), else nothing."""
    if isinstance(statement, ast.ImportFrom):
        if statement.level or statement.module is None:
            return []
        return [(statement.module, tuple(alias.name for alias in statement.names))]
    if not isinstance(statement, ast.Import):
        return []
    found: list[tuple[str, tuple[str, ...]]] = []
    for alias in statement.names:
        if "." in alias.name:
            found.append((alias.name.rpartition(".")[0], (alias.name.rpartition(".")[2],)))
        elif read.get(alias.asname or alias.name):
            found.append((alias.name, tuple(dict.fromkeys(read[alias.asname or alias.name]))))
    return found


class RunOnImport(NamedTuple):
    """What importing a file runs (`run_on_import`)."""

    statements: list[ast.stmt]
    read: dict[str, list[str]]  # name -> the attributes of it read (`a.helper`)


def run_on_import(tree: ast.Module) -> RunOnImport:
    """The statements importing the file runs, and the attributes of names they read. Its
    `top_level` statements: their expressions, class bodies, and what a definition computes
    when it runs (`scopes.computed_where_defined`: decorators, defaults, bases, and
    annotations unless postponed: `def f(x: a.Thing)` reads `a.Thing` then); and, in turn,
    the bodies of the file's own functions that those call by name or decorate with (round
    73a F1: `K = _make()`, whose body reads `dateutil.custom` or does `from utils import
    helper`), of the lambdas they call (`_make = lambda: ...`), of the methods a call of one
    of its classes runs (`__init__`, `__new__`, `__post_init__`) and of those of its methods
    called by attribute (`A().m()`) (round 75b F2); not another function's body."""
    annotations = not any(postpones_annotations(statement) for statement in tree.body)
    statements = list(top_level(tree.body))
    by_name, methods = _callables(statements)
    entered: set[int] = set()  # the `id`s of the functions and lambdas whose bodies are in
    found: dict[str, list[str]] = {}
    # The decorators named alone (`@register`): called when the definition runs. A name
    # elsewhere is not a call (`K = _make`, `def g(cb=_make)`: round 75b F6).
    decorators: set[int] = set()  # their `id`s, taken as each definition is reached
    index = 0
    while index < len(statements):  # grows as called functions' bodies are entered
        statement = statements[index]
        index += 1
        decorators.update(map(id, getattr(statement, "decorator_list", ())))
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            pending = computed_where_defined(statement, annotations)
        else:
            pending = [
                child
                for child in ast.iter_child_nodes(statement)
                if not isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case))
            ]
            if isinstance(statement, ast.ClassDef):
                pending += statement.body
        while pending:
            node = pending.pop()
            decorators.update(map(id, getattr(node, "decorator_list", ())))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                pending += computed_where_defined(node, annotations)
                continue
            called = node.func if isinstance(node, ast.Call) else node
            # a call, or a decorator named alone: the function's body runs now
            if called is not node or id(node) in decorators:
                for function in _called(called, by_name, methods):
                    if id(function) not in entered:
                        entered.add(id(function))
                        statements += _body(function)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                found.setdefault(node.value.id, []).append(node.attr)
            pending.extend(ast.iter_child_nodes(node))
    return RunOnImport(statements, found)


_Function = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda

# The methods a call of a class runs (a metaclass's `__call__` is not followed).
_RUN_BY_CALLING_A_CLASS = ("__new__", "__init__", "__post_init__")


def _callables(
    statements: list[ast.stmt],
) -> tuple[dict[str, list[_Function]], dict[str, list[_Function]]]:
    """What a call runs, of the file's `statements` run at import: by the name called, a
    function, a lambda assigned to the name alone, a class's methods run by calling it; by
    the attribute called, the methods of that name of its classes (which object's, not
    followed)."""
    by_name: dict[str, list[_Function]] = {}
    methods: dict[str, list[_Function]] = {}
    for statement in statements:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            by_name.setdefault(statement.name, []).append(statement)
        elif isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Lambda):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    by_name.setdefault(target.id, []).append(statement.value)
        elif isinstance(statement, ast.ClassDef):
            for member in statement.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    methods.setdefault(member.name, []).append(member)
                    if member.name in _RUN_BY_CALLING_A_CLASS:
                        by_name.setdefault(statement.name, []).append(member)
    return by_name, methods


def _called(
    called: ast.AST, by_name: dict[str, list[_Function]], methods: dict[str, list[_Function]]
) -> list[_Function]:
    """The file's functions and lambdas whose bodies a call of `called` may run."""
    if isinstance(called, ast.Name):
        return by_name.get(called.id, [])
    if isinstance(called, ast.Attribute):
        return methods.get(called.attr, [])
    if isinstance(called, ast.Lambda):  # `(lambda: ...)()`
        return [called]
    return []


def _body(function: _Function) -> list[ast.stmt]:
    """The statements a call of the function runs: a lambda's expression, as one."""
    if isinstance(function, ast.Lambda):
        return [ast.copy_location(ast.Expr(function.body), function.body)]
    return list(top_level(function.body))

"""What the module file to extend already holds, read from its text: the names it binds,
its functions, guarded imports, `__all__`, legacy names, and the names its code reads but
binds by no statement.

`extract` plans against these (`plan`), and refuses a module it cannot extend
(`ModuleFileError`): one that does not parse, or that Python does not compile
(importing it would raise SyntaxError in every notebook), or whose `__all__` migrate
could not read. The text is parsed once for all these questions (`parsed_module`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from nbrefactor.analysis.code_warnings import code_warnings_ignored
from nbrefactor.analysis.module_declarations import (
    AllNotLiteral,
    all_in_effect,
    declared_all,
    legacy_names,
)
from nbrefactor.analysis.module_path import CatalogError
from nbrefactor.analysis.scopes import free_names, kernel_builtin, module_scope_statements
from nbrefactor.analysis.wildcard_lines import wildcard_lines
from nbrefactor.extract.import_specs import ImportSpec, statement_specs
from nbrefactor.extract.module_all import all_unfit
from nbrefactor.extract.plan_problems import OtherBinding

# What Python binds in every module: not a name a star import or a helper would change.
_MODULE_ATTRIBUTES = frozenset(
    {"__name__", "__file__", "__doc__", "__spec__", "__loader__", "__package__", "__builtins__"}
    | {"__path__", "__cached__", "__annotations__", "__dict__"}
)


class ModuleFileError(Exception):
    """The module file cannot be extended; the message says why."""


def module_bindings(text: str) -> dict[str, ImportSpec | None]:
    """The names the module binds at top level: by an import (its spec), or else (def, class,
    assignment: None). A name bound twice keeps its last binding, as the module runs."""
    return {
        name: bound if isinstance(bound, ImportSpec) else None
        for name, bound in _last_bindings(parsed_module(text)).items()
    }


def module_legacy_names(text: str, path: Path) -> dict[str, str]:
    """The module's `__legacy_names__` (old name -> its function's name): migrate replaces
    their copies with its functions, so they are the module's as its `def`s are (round 62b
    F2: extract wrote `def dbl` beside `"dbl": "double"`, which migrate then refused).
    A ModuleFileError when they are no literal dict of names, which migrate refuses too."""
    try:
        return legacy_names(parsed_module(text), path)
    except CatalogError as error:
        raise ModuleFileError(str(error)) from None


def module_functions(text: str) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """The module's top-level functions, by the name each binds last: the signatures the
    helpers moved in will call (`own_calls`)."""
    return {
        name: bound
        for name, bound in _last_bindings(parsed_module(text)).items()
        if isinstance(bound, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


def guarded_imports(text: str) -> tuple[ImportSpec, ...]:
    """The module's imports under `try` / `except Exception` (`module_text` writes those that
    some notebook importing from the module does not make): a helper reading one of their
    names while the module is imported is left out again (`plan.needed_at_import`), as the
    run that guarded it left it out (sweep 26)."""
    found: list[ImportSpec] = []
    for statement in parsed_module(text).body:
        if isinstance(statement, ast.Try) and is_guarded_import(statement):
            found.extend(_specs(statement.body[0]).values())
    return tuple(found)


def check_all(text: str) -> None:
    """Refuse a module whose `__all__` migrate's catalog cannot read (`declared_all`):
    migrate would refuse the module; or whose first `__all__` is not a list or tuple
    written out (`["a"] + ["b"]`, which migrate reads), where a helper appended could not
    be added (`module_all`)."""
    tree = parsed_module(text)
    try:
        declared_all(tree)
    except AllNotLiteral as error:
        raise ModuleFileError(
            f"__all__ (line {error.line}) must be a literal list of names, as migrate reads it"
        ) from None
    statement = all_in_effect(tree)
    if statement is None:
        return
    value = statement.value
    assert value is not None  # `all_in_effect` gives an assignment of a value
    if not isinstance(value, (ast.List, ast.Tuple)):
        raise ModuleFileError(
            f"__all__ (line {value.lineno}) must be a list or tuple written out, which the"
            " helpers added can join"
        )
    unfit = all_unfit(statement, text)
    if unfit is not None:
        raise ModuleFileError(f"__all__ (line {value.lineno}) {unfit}")


# The compound statements a name may be bound in, by the word that starts them.
_COMPOUND_WORDS: tuple[tuple[type[ast.stmt] | tuple[type[ast.stmt], ...], str], ...] = (
    (ast.If, "if"),
    ((ast.For, ast.AsyncFor), "for"),
    (ast.While, "while"),
    ((ast.With, ast.AsyncWith), "with"),
    ((ast.Try, ast.TryStar), "try"),
    (ast.Match, "match"),
)


def module_variables(text: str) -> dict[str, OtherBinding]:
    """The names whose last top-level binding in the module is neither an import nor a `def`
    or `class` (`unit = "cm"`): a helper of that name is not the module's, and cannot
    join it. Each with the statement binding it: the word of a compound one (`if` for a
    `def` under `if sys.version_info >= ...:`; round 62b: such a def was said to be "not by
    a def"), and, after a top-level def of the name, the first statement that may rebind
    or delete it (round 64 U1: `if False: del dbl` was said to be the only binding)."""
    found: dict[str, OtherBinding] = {}
    defined: dict[str, tuple[str, int]] = {}  # the top-level def or class binding it last
    written: dict[int, tuple[set[str], set[str]]] = {}  # a statement's names set, deleted
    for name, bound, statement in _top_level_bindings(parsed_module(text)):
        if bound is not None:
            found.pop(name, None)
            if isinstance(bound, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined[name] = (
                    "class" if isinstance(bound, ast.ClassDef) else "def",
                    bound.lineno,
                )
            else:
                defined.pop(name, None)
            continue
        earlier = found.get(name)
        if earlier is not None and earlier.after is not None:
            continue  # the first statement after the def is the one said
        if id(statement) not in written:
            written[id(statement)] = _names_written(statement)
        stored, deleted = written[id(statement)]
        words = (word for kind, word in _COMPOUND_WORDS if isinstance(statement, kind))
        found[name] = OtherBinding(
            next(words, ""),
            statement.lineno,
            name in stored or name not in deleted,  # an import or def in a block binds it
            name in deleted,
            defined.get(name),
        )
    return found


def unbound_reads(text: str) -> dict[str, str]:
    """Name -> the first of the module's statements that reads it (a function's or class's
    name, else `line N`), for each name the module reads but binds by no statement of its
    own: a builtin (`filter`), or, in a module with a line that may bind any name, what its
    star import (`from math import *`) or a write to its `globals()` binds. A helper or an
    import the module gets under that name would change what that code reads. (Elsewhere,
    a name bound nowhere raised NameError, which an import of it mends.)"""
    tree = parsed_module(text)
    bound = _last_bindings(tree)
    binds_any = bool(wildcard_lines(text, "", stars_only=False))
    found: dict[str, str] = {}
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            reader = statement.name
        else:
            reader = f"line {statement.lineno}"
        for name in free_names(ast.unparse(statement)).reads:
            if name in bound or name in _MODULE_ATTRIBUTES:
                continue
            if binds_any or kernel_builtin(name):
                found.setdefault(name, reader)
    return found


@lru_cache(maxsize=2)
def parsed_module(text: str) -> ast.Module:
    """The module's tree, parsed once for the several questions a run asks of its text
    (`module_bindings`, `check_all`, `unbound_reads`, `module_variables`); only read."""
    try:
        with code_warnings_ignored():  # the module's `"\d"` (round 59b)
            tree = ast.parse(text)
    except (SyntaxError, ValueError) as error:
        raise ModuleFileError(f"does not parse ({_where(error)})") from None
    except (RecursionError, MemoryError):  # Python cannot import it either (re-check 32)
        raise ModuleFileError("nested too deeply for Python to parse") from None
    # Parsed, yet Python may not compile it (a top-level `await`, `def f(x, x)`): importing
    # it raises SyntaxError, and extended, every notebook then failed (round 62b).
    try:
        with code_warnings_ignored():
            compile(tree, "<module>", "exec", dont_inherit=True)
    except SyntaxError as error:
        raise ModuleFileError(f"does not compile ({_where(error)})") from None
    except (ValueError, RecursionError, MemoryError):
        pass  # not Python's refusal of the code
    return tree


def _where(error: Exception) -> str:
    line = getattr(error, "lineno", None)
    return f"{f'line {line}: ' if line else ''}{getattr(error, 'msg', error)}"


def _last_bindings(tree: ast.Module) -> dict[str, ImportSpec | ast.stmt | None]:
    """Each name the module binds at top level, by its last binding, as the module runs: an
    import (its spec, guarded ones included), a `def` or `class` (its statement), or
    anything else (None: an assignment, a `for`, a `del`, an import or definition in a
    block, ...)."""
    return {name: bound for name, bound, _ in _top_level_bindings(tree)}


def _top_level_bindings(
    tree: ast.Module,
) -> Iterator[tuple[str, ImportSpec | ast.stmt | None, ast.stmt]]:
    """Each binding of a name at top level, in the order the module runs them, as
    `_last_bindings` reads it, with the top-level statement making it."""
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield statement.name, statement, statement
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            for name, spec in _specs(statement).items():
                yield name, spec, statement
        elif is_guarded_import(statement):
            assert isinstance(statement, ast.Try)
            for name, spec in _specs(statement.body[0]).items():
                yield name, spec, statement
        else:
            # An import or definition in a block (`if sys.version_info ...: import cmath as m`)
            # may or may not bind its name, and a `del np` unbinds it: bound otherwise.
            for inner in module_scope_statements([statement]):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    for name in _specs(inner):
                        yield name, None, statement
                elif isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    yield inner.name, None, statement
            for node in _written(statement):
                yield node.id, None, statement


def _names_written(statement: ast.stmt) -> tuple[set[str], set[str]]:
    """The names a statement assigns, and those it deletes (`del np`)."""
    written = _written(statement)
    stored = {node.id for node in written if isinstance(node.ctx, ast.Store)}
    return stored, {node.id for node in written if isinstance(node.ctx, ast.Del)}


def _written(statement: ast.stmt) -> list[ast.Name]:
    """The names a statement assigns or deletes, in the order `ast.walk` meets them. An
    annotation with no value (`dbl: Callable[[int], int]`) binds nothing (round 64 U2: it
    was taken for a binding of the def before it)."""
    annotated = {
        id(node.target)
        for node in ast.walk(statement)
        if isinstance(node, ast.AnnAssign) and node.value is None
    }
    return [
        node
        for node in ast.walk(statement)
        if isinstance(node, ast.Name)
        and isinstance(node.ctx, (ast.Store, ast.Del))
        and id(node) not in annotated
    ]


def _specs(statement: ast.stmt) -> dict[str, ImportSpec]:
    """The names an import binds, with their specs."""
    return {spec.bound: spec for spec in statement_specs(statement)}


def is_guarded_import(statement: ast.stmt) -> bool:
    """`try: import x` / `except Exception: x = None`, as `module_text` writes it (or
    `except ImportError`): the name is the import's where the package is installed."""
    return (
        isinstance(statement, ast.Try)
        and len(statement.body) == 1
        and isinstance(statement.body[0], (ast.Import, ast.ImportFrom))
        and len(statement.handlers) == 1
        and isinstance(statement.handlers[0].type, ast.Name)
        and statement.handlers[0].type.id in ("Exception", "ImportError", "ModuleNotFoundError")
    )

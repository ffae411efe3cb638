"""Reading a library module's source, and the submodules its import runs.

The catalog reads the module statically, never importing it; but the notebooks will:
a submodule its top level imports (`from .plots import *`, `from . import io`) must be
there and parse, or every migrated notebook fails at the new import.
"""

from __future__ import annotations

import ast
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

from nbrefactor.analysis.import_targets import bound_names
from nbrefactor.analysis.importable_names import importable_names
from nbrefactor.analysis.module_path import module_file, read_module


def imported_submodule_problem(tree: ast.Module, source_file: Path, import_name: str) -> str | None:
    """Why importing the module (`tree`, at `source_file`, imported as `import_name`) would
    fail at a top-level import of its own package's modules (not in a block: a `try` may
    expect the failure), or None. The modules it imports so are read and their own such
    imports looked at too (re-check 29: a submodule's `from .gone import z` failed the
    import); deeper ones are only looked for, not read (reading every module of a package
    cost 6% of a run on the demo):

    - a module named by `from .x import y`, `from .. import x`, or absolutely from its top
      package (`from pkg.x import y`, `import pkg.x`) must be a module, a package, a folder
      (a namespace package) or an extension there; one read must parse;
    - the names `from .x import y` takes from a module read must be bound by it (unless a
      star import or a module `__getattr__` may bind more); of `from . import y`, a
      submodule found counts (a name the package binds is not checked);
    - a relative import needs a package: an `__init__.py` beside it.
    """
    parts = import_name.split(".")
    top = source_file.parent
    for _ in range(len(parts) - (1 if source_file.name == "__init__.py" else 2)):
        top = top.parent
    failing = f"importing {import_name} would fail"
    pending = [(tree, source_file)]
    # Each module read once: its tree, and the names its top level binds.
    read: dict[Path, tuple[ast.Module, frozenset[str]]] = {}
    seen = {source_file}
    while pending:
        module_tree, file = pending.pop()
        reads = file == source_file  # the modules it imports are read, not theirs
        # A relative import needs a package: the module's own dotted name says it is in one
        # (a namespace package has no `__init__.py`); what it imports is in one.
        in_package = file != source_file or len(parts) > 1 or file.name == "__init__.py"
        for statement in module_tree.body:
            for stem, names in _own_imports(statement, file, top, parts[0], in_package):
                where = f"{file}:{statement.lineno}"
                if stem is None:
                    return f"{where}: a relative import outside a package: {failing}"
                dotted = _dotted(stem, top, parts[0])
                found = module_file(stem)
                if found is None:
                    if not _found(stem):
                        return f"{where}: imports {dotted}, which is not there: {failing}"
                    continue
                if not reads:
                    continue
                if found not in seen:
                    seen.add(found)
                    imported_tree = read_module(found)[0]
                    read[found] = imported_tree, _top_level_names(imported_tree)
                    pending.append((imported_tree, found))
                if found not in read:  # the module itself, imported by its own name
                    continue
                imported_tree, bound = read[found]
                if names and not bound.issuperset(names):
                    missing = _missing_name(imported_tree, found, names)
                    if missing is not None:
                        return (
                            f"{where}: imports {missing} from {dotted}, which does not bind"
                            f" it: {failing}"
                        )
    return None


def _own_imports(
    statement: ast.stmt, file: Path, top: Path, top_name: str, in_package: bool
) -> list[tuple[Path | None, tuple[str, ...]]]:
    """The modules of its own package a top-level statement imports: (where the module
    would be, the names taken from it); a None place for a relative import outside a
    package."""
    if isinstance(statement, ast.Import):
        return [
            (top.joinpath(*alias.name.split(".")[1:]), ())
            for alias in statement.names
            if alias.name.split(".")[0] == top_name and "." in alias.name
        ]
    if not isinstance(statement, ast.ImportFrom):
        return []
    if statement.level == 0:
        module = (statement.module or "").split(".")
        return [] if module[0] != top_name else [(top.joinpath(*module[1:]), _names(statement))]
    if not in_package:
        return [(None, ())]
    base = file.parent
    for _ in range(statement.level - 1):
        base = base.parent
    if statement.module is not None:
        return [(base.joinpath(*statement.module.split(".")), _names(statement))]
    # `from . import a, b`: each a submodule, or a name the package binds (not followed).
    return [
        (base / name, ())
        for name in _names(statement)
        if module_file(base / name) is not None or _found(base / name)
    ]


def _names(statement: ast.ImportFrom) -> tuple[str, ...]:
    return tuple(alias.name for alias in statement.names if alias.name != "*")


def _top_level_names(tree: ast.Module) -> frozenset[str]:
    """The names the module's top-level definitions, imports and assignments bind, read
    without walking anything (`importable_names`, asked when a name is not among them,
    walks every function for a `global`: a third of a run on the demo)."""
    names: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(statement.name)
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            names.update(bound_names(statement))
        elif isinstance(statement, ast.Assign):  # `A = 1`, `A, B = ...`: a name bound
            for target in statement.targets:
                elements = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
                names.update(e.id for e in elements if isinstance(e, ast.Name))
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            names.add(statement.target.id)
    return frozenset(names)


def _missing_name(tree: ast.Module, file: Path, names: tuple[str, ...]) -> str | None:
    """The first of `names` the module does not bind, as `importable_names` reads it (in
    blocks, through `global`, a package's submodules), or None (also when a star import or
    a module `__getattr__` may bind more)."""
    bound = importable_names(tree, file.parent if file.name == "__init__.py" else None)
    if bound is None or _binds_by_name(tree):
        return None
    return next((name for name in names if name not in bound), None)


def _dotted(stem: Path, top: Path, top_name: str) -> str:
    try:
        rest = stem.relative_to(top).parts
    except ValueError:
        return str(stem)
    return ".".join([top_name, *rest])


def _found(stem: Path) -> bool:
    """A folder (a namespace package) or an extension module at `stem`."""
    if stem.is_dir():
        return True
    return any(stem.with_name(stem.name + suffix).is_file() for suffix in EXTENSION_SUFFIXES)


def _binds_by_name(tree: ast.Module) -> bool:
    """Whether the module may bind names no statement shows: `globals()[name] = ...`,
    `setattr(sys.modules[__name__], ...)`, `vars()`, `exec` (re-check 29: such a module
    imports fine, and was refused)."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("globals", "setattr", "vars", "exec")
        for node in ast.walk(tree)
    )


def import_problem(tree: ast.Module, source_file: Path, import_name: str) -> str | None:
    """`imported_submodule_problem` of the module, and first of each package above it,
    whose `__init__` importing it runs first (re-check 29: `--module pkg/helpers.py` was
    migrated to while `pkg/__init__.py` imported a missing `.gone`)."""
    parts = import_name.split(".")
    # The folder of the package just above: the module's own, or a package's parent.
    folder = source_file.parent.parent if source_file.name == "__init__.py" else source_file.parent
    above = []  # (package name, its __init__), nearest first
    for depth in range(len(parts) - 1, 0, -1):
        init = folder / "__init__.py"
        if init.is_file():  # none: a namespace package, which runs nothing
            above.append((".".join(parts[:depth]), init))
        folder = folder.parent
    for package, init in reversed(above):
        problem = imported_submodule_problem(read_module(init)[0], init, package)
        if problem is not None:
            return problem
    return imported_submodule_problem(tree, source_file, import_name)

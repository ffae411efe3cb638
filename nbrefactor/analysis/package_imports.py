"""What a package's imports load and bind as they run, read statically.

A package's name can be its function or, once a submodule of the same name is
imported, that submodule (`taken_by_submodules`); a module's imports bind names to
what they import (`module_imports`). `reexports` and `catalog` ask both.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterable
from pathlib import Path

from nbrefactor.analysis.import_targets import bound_names, import_targets, modules_of
from nbrefactor.analysis.library_module import ModuleNames, module_names
from nbrefactor.analysis.module_declarations import AllNotLiteral, declared_all
from nbrefactor.analysis.module_path import CatalogError, module_file, read_module
from nbrefactor.analysis.scopes import module_scope_statements, variables_bound_by


def taken_by_submodules(
    tree: ast.Module, package: str, package_dir: Path, names: Collection[str]
) -> dict[str, str]:
    """Of `names`, those a submodule of the same name takes, or may take, from the package
    (`tree`, its `__init__`): name -> how.

    Importing `pkg.smooth` for the first time sets the package's name `smooth` to the
    submodule, over the function `from .core import smooth` bound there before (sweep 30:
    a copy was replaced, and the notebook's call raised "'module' object is not callable").
    So a name that is a submodule's too is the package's function only when that submodule
    was imported before the name was last bound (`from .smooth import smooth`): else the
    package's own imports take it, or any later import of `pkg.smooth` will (the notebook's,
    re-check 30). An import loads the modules it names (`from .smooth import kernel`, `import
    pkg.smooth`; not `from pkg import smooth` once the package binds `smooth`), and the
    first time a module loads, what its own imports load in turn, all before it binds its
    names. Imports in blocks count, but for `if TYPE_CHECKING:`; a star import binds what
    its module holds (`_star_names`), every such name when that cannot be read (the safe
    side). Only names that are a submodule too are looked for; in most packages there are
    none, and no module is read.
    """
    candidates = {name for name in names if _is_module(package_dir / name)}
    if not candidates:
        return {}
    loaded: set[str] = set()
    # Each such name bound in the package: whether its submodule was loaded by then.
    safe: dict[str, bool] = {}

    def load(modules: list[str]) -> None:
        """Import these (dotted names) and the package's modules their loading imports."""
        pending = list(reversed(modules))
        while pending:
            dotted = pending.pop()
            if not dotted.startswith(f"{package}.") or dotted in loaded:
                continue
            parts = dotted.removeprefix(f"{package}.").split(".")
            if len(parts) > 1 and f"{package}.{parts[0]}" not in loaded:
                pending += [dotted, f"{package}.{parts[0]}"]  # `pkg.a.b` loads `pkg.a` first
                continue
            stem = package_dir.joinpath(*parts)
            if not _is_module(stem):
                continue  # not a module (`pkg.core.smooth`: a name in pkg.core)
            loaded.add(dotted)
            source_file = module_file(stem)
            if source_file is None:
                continue  # a folder without `__init__.py`: a namespace package, nothing runs
            try:
                module_tree = read_module(source_file)[0]
            except CatalogError:
                continue  # `import_problem`'s to say, when its import is the package's own
            own_package = dotted if source_file.name == "__init__.py" else dotted.rpartition(".")[0]
            imported = [
                module
                for statement in run_statements(module_tree.body)
                if isinstance(statement, (ast.Import, ast.ImportFrom))
                for module in _loads(statement, own_package, package, safe)
            ]
            pending += reversed(imported)

    for statement in run_statements(tree.body):
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            load(_loads(statement, package, package, safe))
            rebound = set(bound_names(statement))
            if isinstance(statement, ast.ImportFrom) and statement.names[0].name == "*":
                starred = _star_names(statement, package, package_dir)
                if starred is None:  # what it binds is unknown: none of them is known to stay
                    safe.update(dict.fromkeys(candidates, False))
                    continue
                rebound = starred
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            rebound = {statement.name}
        elif isinstance(statement, _COMPOUND):
            continue  # its own statements come next
        else:
            rebound = variables_bound_by(statement)
        for name in rebound & candidates:
            safe[name] = f"{package}.{name}" in loaded
    return {
        name: (
            f"the submodule {package}.{name}, imported after it, takes the name"
            if f"{package}.{name}" in loaded
            else f"importing the submodule {package}.{name}, which the package does not,"
            " takes the name"
        )
        for name, loaded_first in safe.items()
        if not loaded_first
    }


# Statements whose own statements run in the module's scope after them (`run_statements`).
_COMPOUND = (
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.TryStar,
    ast.Match,
)


def run_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """The statements a module runs in its scope, in order (`module_scope_statements`), the
    body of `if TYPE_CHECKING:` left out (its `else:` runs)."""
    found: list[ast.stmt] = []
    for node in body:
        if isinstance(node, ast.If) and _checks_types(node):
            found += run_statements(node.orelse)
        else:
            found += module_scope_statements([node])
    return found


def _loads(
    statement: ast.Import | ast.ImportFrom, own_package: str, package: str, bound: Collection[str]
) -> list[str]:
    """The modules an import statement makes Python load (`modules_of`), but for `from pkg
    import name` where the package (`package`) already binds `name`: Python takes its
    attribute then, and loads no submodule (re-check 30: `from . import smooth` in a
    submodule)."""
    if isinstance(statement, ast.Import):
        return modules_of(statement, own_package)
    modules = modules_of(statement, own_package)
    if modules and modules[0] == package:
        return [
            modules[0],
            *(f"{package}.{a.name}" for a in statement.names if a.name not in bound),
        ]
    return modules


def _star_names(statement: ast.ImportFrom, package: str, package_dir: Path) -> set[str] | None:
    """What `from .plots import *` binds in the package: the submodule's `__all__`, or its
    public names, those its imports bind included; None when that cannot be read (another
    package's module, a computed `__all__`). Re-check 31: `from .smooth import *` binding
    only `kernel` was taken to bind `smooth` too, over the submodule it had just loaded."""
    modules = modules_of(statement, package)
    if not modules or not modules[0].startswith(f"{package}."):
        return None
    dotted = modules[0]
    source_file = module_file(package_dir.joinpath(*dotted.removeprefix(f"{package}.").split(".")))
    if source_file is None:
        return None
    try:
        tree = read_module(source_file)[0]
        exported = declared_all(tree)
    except (CatalogError, AllNotLiteral):
        return None
    if exported is not None:
        return set(exported)
    own_package = dotted if source_file.name == "__init__.py" else dotted.rpartition(".")[0]
    return set(star_bound(module_names(tree, dotted), module_imports(tree, own_package), None))


def star_bound(
    names: ModuleNames, imports: Iterable[tuple[str, str]], exported: list[str] | None
) -> list[str]:
    """What `from module import *` binds of a module read so (its names, what its imports
    bind, its `__all__`): the `__all__`, else every public name, those its imports bind
    included (sweep 30: `from .plots import plot_loss` there was left out)."""
    if exported is not None:
        return list(exported)
    return [
        name
        for name in [*names.defined, *(name for name, _ in imports)]
        if not name.startswith("_")
    ]


def loaded_submodules(
    body: list[ast.stmt], package: str, own_package: str, package_dir: Path
) -> set[str]:
    """The names of `package`'s submodules that these statements' imports load (`from
    .smooth import kernel` loads `package.smooth`): names of the package once loaded."""
    return {
        name
        for statement in run_statements(body)
        if isinstance(statement, (ast.Import, ast.ImportFrom))
        for module in modules_of(statement, own_package)
        if module.startswith(f"{package}.")
        and _is_module(package_dir / (name := module.removeprefix(f"{package}.").split(".")[0]))
    }


def _is_module(stem: Path) -> bool:
    """Whether `stem` is a module Python imports: a file, a package, or a folder (a namespace
    package)."""
    return module_file(stem) is not None or stem.is_dir()


def module_imports(tree: ast.Module, package: str | None) -> tuple[tuple[str, str], ...]:
    """What the module's imports bind: (name, `import_target`), the last at the top level
    winning; `package` resolves `from . import x` (None: the module is not in a package).

    An import in a block (`try: from scipy.special import factorial` / `except
    ImportError: from math import factorial`), or one a later star import may
    override, may leave the name another thing: it is bound to every target it
    may have (`scipy.special.factorial or math.factorial`), which no notebook
    import equals.
    """
    found: dict[str, list[str]] = {}
    for node in tree.body:
        # `if TYPE_CHECKING:` imports bind nothing when the module runs; its `else:` does.
        block = node.orelse if isinstance(node, ast.If) and _checks_types(node) else [node]
        for statement in module_scope_statements(block):
            if not isinstance(statement, (ast.Import, ast.ImportFrom)):
                continue
            if isinstance(statement, ast.ImportFrom) and statement.names[0].name == "*":
                star = f"what `from {'.' * statement.level}{statement.module or ''} import *` binds"
                for targets in found.values():
                    targets.append(star)
                continue
            for name, target in import_targets(statement, package).items():
                if statement is node:
                    found[name] = [target]
                else:
                    found.setdefault(name, []).append(target)
    return tuple((name, " or ".join(dict.fromkeys(targets))) for name, targets in found.items())


def _checks_types(node: ast.If) -> bool:
    """`if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`): a block only type checkers run
    (sweep 29: its `import numpy as np` counted, and a copy reading np was replaced; the
    library's function then raised NameError)."""
    test = node.test
    name = test.attr if isinstance(test, ast.Attribute) else getattr(test, "id", None)
    return name == "TYPE_CHECKING"

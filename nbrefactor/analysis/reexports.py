"""A package's re-exports, read statically: which submodule holds each name it exports.

`catalog` asks, for a name a package's `__init__` binds by importing it from one of its
submodules (`from .plots import f`, `from .plots import *`, `from pkg.plots import f`),
which `def` it is and in which module, following submodules that import it in turn
(what their imports bind: `package_imports`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

from nbrefactor.analysis.import_targets import bound_names
from nbrefactor.analysis.library_module import ModuleNames, module_names
from nbrefactor.analysis.module_declarations import AllNotLiteral, declared_all, submodule_all
from nbrefactor.analysis.module_path import CatalogError, module_file, read_module
from nbrefactor.analysis.package_imports import (
    loaded_submodules,
    module_imports,
    star_bound,
    taken_by_submodules,
)
from nbrefactor.analysis.scopes import variables_bound_by

# How many modules a re-export is followed through (`pkg` from `.plots` from `._impl`).
MOST_HOPS = 8
# A submodule as read: its names, what its imports bind, its `__all__` (None: none), and,
# of a package, the names its own submodules take (`taken_by_submodules`) or are: a
# submodule its imports load is its name too.
Submodule = tuple[ModuleNames, tuple[tuple[str, str], ...], list[str] | None, frozenset[str]]


def relative_reexports(
    tree: ast.Module, submodule: Callable[[str], Submodule], package: str, package_dir: Path
) -> dict[str, tuple[str, str]]:
    """`from .module import name [as alias]` statements that bind the name last at the top
    level: alias -> (module, name); `from .module import *` binds the submodule's `__all__`,
    or its public names, those its imports bind and its submodules imported included (sweep
    29: `__all__ = ["describe"]` beside `from .plots import *` was `declares no public
    functions`). A later binding (`f = _twice(f)`, a `def`, another
    import) is what the package's name is, not the submodule's function. The package's
    own absolute spelling (`from pkg.plots import f` in `pkg`) counts as `from .plots`
    (re-check 29)."""
    found: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        own = (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and (node.module or "").startswith(f"{package}.")
        )
        if isinstance(node, ast.ImportFrom) and (own or (node.level == 1 and node.module)):
            assert node.module is not None
            module = node.module.removeprefix(f"{package}.") if own else node.module
            for alias in node.names:
                if alias.name == "*":
                    names, imported, exported, taken = submodule(module)
                    # Its submodules the package's own imports load are its names too
                    # (`import mylib.sub.smooth` above `from .sub import *`, re-check 32).
                    folder = package_dir.joinpath(*module.split("."))
                    taken |= loaded_submodules(tree.body, f"{package}.{module}", package, folder)
                    # The catalog follows a name its imports bind to its `def`.
                    bound = star_bound(names, imported, exported)
                    if exported is None:  # and its public submodules, modules here
                        bound += [name for name in taken if not name.startswith("_")]
                    for name in bound:
                        if name in taken:  # a module there (re-checks 30, 32)
                            found.pop(name, None)
                        else:
                            found[name] = (module, name)
                    continue
                found[alias.asname or alias.name] = (module, alias.name)
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            rebound = {node.name}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            rebound = set(bound_names(node))
        else:
            rebound = variables_bound_by(node)
        for name in rebound:
            found.pop(name, None)
    return found


def submodule_functions(package_dir: Path, module_name: str, package: str) -> Submodule:
    source_file = module_file(package_dir.joinpath(*module_name.split(".")))
    if source_file is None:
        return ModuleNames(f"{package}.{module_name}", {}, {}), (), None, frozenset()
    tree, text = read_module(source_file, decoded=True)
    dotted = f"{package}.{module_name}"
    # Its own `from .helpers import _fmt` starts from its package (`pk.sub` for
    # `pk.sub.plots`, `pk.plots` for the package `pk.plots`), not the top one (sweep 29:
    # pk.helpers._fmt was taken for pk.sub.helpers._fmt, and a copy replaced).
    own_package = dotted if source_file.name == "__init__.py" else dotted.rpartition(".")[0]
    try:
        exported = declared_all(tree, submodule_all(source_file))
    except (AllNotLiteral, CatalogError):  # what its star import binds is unknown: nothing,
        exported = []  # here (re-check 30: a subpackage's computed `__all__` refused the run)
    names, imports = module_names(tree, dotted, text), module_imports(tree, own_package)
    taken: frozenset[str] = frozenset()
    if source_file.name == "__init__.py":  # a subpackage: its own submodules may take names
        bound = [*names.defined, *(name for name, _ in imports)]
        taken = frozenset(taken_by_submodules(tree, dotted, source_file.parent, bound))
        # And a submodule its own imports load becomes its name (`from .smooth import
        # kernel` binds `smooth` too), which its star import then binds (re-check 32).
        taken |= loaded_submodules(tree.body, dotted, own_package, source_file.parent) - set(bound)
    return names, imports, exported, taken

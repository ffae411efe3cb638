"""What `from <module> import NAME` can find in a library module, read from its tree.

Asked before a migration writes `from mylib import f` (does the module bind `f`?) and by
`extract` before it adds to a module: a name bound by any statement, in blocks too, by a
function's `global`, by naming it (`globals()["SCALE"] = 10`), or a package's submodule.
"""

from __future__ import annotations

import ast
from pathlib import Path

from nbrefactor.analysis.import_targets import bound_names
from nbrefactor.analysis.scopes import module_scope_statements, variables_bound_by


def importable_names(tree: ast.Module, package_dir: Path | None = None) -> frozenset[str] | None:
    """What `from <module> import NAME` finds in the module `tree`: the names it binds at its
    top level (in blocks too, by any statement), those its functions may bind there through
    `global` (`def setup(seed): global RNG_SEED`), or by naming them (`globals()["SCALE"] =
    10`, at its top level or in a function: round 55b), and a package's submodules
    (`package_dir`, the folder of its `__init__.py`); None when a star import, a module
    `__getattr__` or a line that may bind any name (`exec(code)`) may give more."""
    from nbrefactor.analysis.dynamic_bindings import dynamic_bindings

    names: set[str] = set()
    for statement in module_scope_statements(tree.body):
        for found in dynamic_bindings(statement):
            if found.names is None:
                return None
            names.update(found.names)
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

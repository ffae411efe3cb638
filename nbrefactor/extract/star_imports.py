"""Notebooks that star-import the module: what extending it would rebind there.

`from helpers import *` binds every public name the module has when the cell
runs (or those its `__all__` names, which `extract` extends). A name the
module gains is then bound by that line too, over what the notebook bound to
it before: `from utils import load` then `from helpers import *` calls
`helpers.load` once the module has one, and a definition `migrate` keeps
above the line is overridden the same way; a builtin's name hides the
builtin below it. So a helper is not extracted when a notebook read
star-imports the module after binding one of the names the helper adds to
another thing, or when such a name is a builtin's. The same import of a name
(`import numpy as np` in both) binds the same object, and a definition of
the chosen text is what the import will bind: neither changes anything.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from nbrefactor.analysis.import_targets import import_targets
from nbrefactor.analysis.scopes import kernel_builtin
from nbrefactor.extract.gather import NotebookReading
from nbrefactor.extract.needs import Needs


def star_imported_over(
    needs: Needs, readings: Sequence[NotebookReading], module: str
) -> str | None:
    """Why the names this helper adds to `module` would rebind something in a notebook that
    star-imports it (`module` is its import name's last part), or None."""
    added: dict[str, str | None] = {}  # name -> the definition key, or None for an import
    targets: dict[str, str] = {}  # an imported name -> what it is bound to
    for definition in needs.definitions:
        if not definition.name.startswith("_"):
            added[definition.name] = definition.key
    for spec in needs.imports:
        if not spec.bound.startswith("_"):
            added.setdefault(spec.bound, None)
            targets[spec.bound] = spec.target
    for reading in readings:
        for cell, line in reading.star_imports.get(module, ()):
            for name, key in added.items():
                if kernel_builtin(name):
                    return (
                        f"{reading.path}:cell {cell} star-imports {module}, which would then"
                        f" bind {name} over the builtin"
                    )
                for binding in reading.bindings.get(name, ()):
                    if (binding.cell, binding.statement.lineno) >= (cell, line):
                        continue
                    if _same(binding.statement, name, key, targets.get(name), reading):
                        continue
                    return (
                        f"{reading.path}:cell {cell} star-imports {module} after binding {name}"
                        f" (cell {binding.cell}), which the star import would then rebind"
                    )
    return None


def _same(
    statement: ast.stmt, name: str, key: str | None, target: str | None, reading: NotebookReading
) -> bool:
    """Whether the notebook's binding of `name` is what the module's would bind: the same
    import, or a definition of the text the module gets."""
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return target is not None and import_targets(statement).get(name) == target
    return key is not None and any(
        definition.node is statement and definition.key == key for definition in reading.definitions
    )

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
`%run helpers.py` binds every name the file binds the same way (round 57b
F5: `f = "mine"` then `%run helpers.py` rebound f to the extracted function).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from nbrefactor.analysis.import_targets import import_targets
from nbrefactor.analysis.scopes import kernel_builtin
from nbrefactor.extract.gather import NotebookReading
from nbrefactor.extract.needs import Needs
from nbrefactor.extract.script_runs import ModuleRun, module_runs


def module_file_runs(
    readings: Sequence[NotebookReading], module: str, module_folder: Path | None
) -> dict[Path, list[ModuleRun]]:
    """Each notebook's `%run` lines of the module's file (`module`.py in `module_folder`),
    by the notebook's path: read once for all the helpers `star_imported_over` is asked of."""
    if module_folder is None:
        return {}
    module_file = module_folder / f"{module}.py"
    return {
        reading.path: runs
        for reading in readings
        if (runs := module_runs(reading.sources, reading.path, module_file))
    }


def star_imported_over(
    needs: Needs,
    readings: Sequence[NotebookReading],
    module: str,
    runs: Mapping[Path, Sequence[ModuleRun]] = MappingProxyType({}),
) -> str | None:
    """Why the names this helper adds to `module` would rebind something in a notebook that
    star-imports it (`module` is its import name's last part), or runs its file with `%run`
    (`runs`: `module_file_runs`), or None."""
    added: dict[str, str | None] = {}  # name -> the definition key, or None for an import
    targets: dict[str, str] = {}  # an imported name -> what it is bound to
    for definition in needs.definitions:
        added[definition.name] = definition.key
    for spec in needs.imports:
        added.setdefault(spec.bound, None)
        targets[spec.bound] = spec.target
    public = {name: key for name, key in added.items() if not name.startswith("_")}
    for reading in readings:
        for cell, line in reading.star_imports.get(module, ()):
            found = _rebound(public, targets, reading, cell, line)
            if found is not None:
                what = f"{reading.path}:cell {cell} star-imports {module}"
                return _rebinding(what, "the star import", found)
        for run in runs.get(reading.path, ()):  # `%run` binds every name, `_private` too
            found = _rebound(added, targets, reading, run.cell, run.line)
            if found is not None:
                what = f"{reading.path}:cell {run.cell} runs {module}.py (`{run.text}`)"
                return _rebinding(what, "the run", found)
    return None


def _rebinding(what: str, by: str, found: tuple[str, int | None]) -> str:
    """Why a helper is skipped: `what` (a star import, a `%run`) would bind `found`'s name over
    the builtin, or over what the notebook bound in `found`'s cell."""
    name, bound = found
    if bound is None:
        return f"{what}, which would then bind {name} over the builtin"
    return f"{what} after binding {name} (cell {bound}), which {by} would then rebind"


def _rebound(
    added: dict[str, str | None],
    targets: dict[str, str],
    reading: NotebookReading,
    cell: int,
    line: int,
) -> tuple[str, int | None] | None:
    """(name, the cell binding it, or None for a builtin's name) of the first name `added`
    that a line binding them all at `line` of `cell` would rebind in the notebook, or None."""
    for name, key in added.items():
        if kernel_builtin(name):
            return name, None
        for binding in reading.bindings.get(name, ()):
            if (binding.cell, binding.statement.lineno) >= (cell, line):
                continue
            if _same(binding.statement, name, key, targets.get(name), reading):
                continue
            return name, binding.cell
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

"""The modules of the notebook's folder whose import changes where modules are found and
imports the library's name (`NBR275`): `tools.py`, a package `tools/`, and a module importing
one of them in turn (round 62c F1). `rules.cached_module` reads their statements for which
file that import finds."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from nbrefactor.analysis.path_changes import (
    file_changes_import_path,
    imported_tops,
    path_changers_beside,
)
from nbrefactor.analysis.text import import_lines


def path_changers_importing(folder: Path, top: str) -> dict[str, Path]:
    """The modules of the notebook's folder that change where modules are found
    (`path_changers_beside`, or a package whose `__init__.py` does) and whose import lines
    name `top` (`import mylib`, in a block too), by name with their file; and those importing
    one of them in turn (round 62c F1: `tools.py` importing `tools2.py`, which does it). The
    module of that name they import may be another file than the one a later import would
    find, and Python keeps it (round 62a F3). Which file, `rules.cached_module` reads their
    statements for (round 62c K2-K4)."""
    changers = {name: folder / f"{name}.py" for name in path_changers_beside(folder)}
    changers.update({name: folder / name / "__init__.py" for name in _package_changers(folder)})
    found = {
        name: file for name, file in changers.items() if name != top and top in _imported(file)
    }
    if not found:
        return found
    others = {name: file for name, file in _local_modules(folder).items() if name != top}
    while True:
        new = {
            name: file
            for name, file in others.items()
            if name not in found and not found.keys().isdisjoint(_imported(file))
        }
        if not new:
            return found
        found.update(new)


@functools.cache
def _package_changers(folder: Path) -> frozenset[str]:
    """The packages of the notebook's folder whose `__init__.py` changes where modules are
    found (round 62c F1: `tools/__init__.py` doing `sys.path.insert(0, "other")`)."""
    return frozenset(
        name
        for name, file in _local_modules(folder).items()
        if file.name == "__init__.py" and file_changes_import_path(file)
    )


@functools.cache
def _local_modules(folder: Path) -> dict[str, Path]:
    """The modules of the notebook's folder an import finds by name: `name.py`, and a
    package `name/__init__.py` (which Python finds before a `name.py` beside it)."""
    found: dict[str, Path] = {}
    try:
        with os.scandir(folder) as entries:
            names = [(entry.name, entry.is_dir()) for entry in entries]
    except OSError:
        return found
    for name, is_dir in names:
        if name.endswith(".py") and not is_dir and name[:-3].isidentifier():
            found.setdefault(name[:-3], folder / name)
        elif is_dir and name.isidentifier() and (folder / name / "__init__.py").is_file():
            found[name] = folder / name / "__init__.py"
    return found


def _imported(file: Path) -> set[str]:
    """The top-level modules the import lines of `file` name."""
    try:
        text = file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    return {top for match in import_lines().finditer(text) for top in imported_tops(match.group(1))}

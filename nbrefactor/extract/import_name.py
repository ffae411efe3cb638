"""The name the migrated notebooks import the module `extract` writes by: its dotted name,
as `migrate --module` names it, its bare name when the notebooks lie beside it, or the one
the settings give."""

from __future__ import annotations

import ast
import os
from collections.abc import Sequence
from pathlib import Path

from nbrefactor.analysis.module_path import dotted_name, importable_from
from nbrefactor.project import Settings


def settings_import_name(module: Path, settings: Settings) -> str | None:
    """The settings' `import-name`, when their `module` is the file `module` (round 49b:
    `extract --migrate` imported `src/helpers.py` as `src.helpers`, where the settings, and
    `migrate`, said `helpers`); else None."""
    if settings.import_name is None or not settings.names_file(module):
        return None
    return settings.import_name


def import_name(module: Path, notebooks: Sequence[Path]) -> str:
    """The name the notebooks will import the module written to `module` by: its dotted name
    from the top of its package (`pkg.h_nb`), as `migrate --module` names it, whether or not
    the file is written yet (`--dry-run` reads a copy elsewhere); but its bare name (`h_nb`)
    when the notebooks all lie beside it and that package is not found from there (not
    installed): a kernel starts in the notebook's folder, and finds the module beside it."""
    dotted = dotted_name(module)
    folder = Path(os.path.abspath(module)).parent
    beside = all(Path(os.path.abspath(notebook)).parent == folder for notebook in notebooks)
    if (
        "." in dotted
        and beside
        and not importable_from(dotted, folder)
        and not _imports_own_package(module, dotted)
    ):
        return module.stem
    return dotted


def _imports_own_package(module: Path, dotted: str) -> bool:
    """Whether the module imports from its own package (`from .consts import K`, `from
    pkg.consts import K`): imported by its bare name it would fail, so it keeps its dotted
    name, and migrate warns when that cannot be found from the notebooks."""
    try:
        tree = ast.parse(module.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return False
    package = dotted.partition(".")[0]
    return any(
        isinstance(node, ast.ImportFrom)
        and (node.level > 0 or (node.module or "").partition(".")[0] == package)
        or isinstance(node, ast.Import)
        and any(alias.name.partition(".")[0] == package for alias in node.names)
        for node in ast.walk(tree)
    )

"""What `extract` says to do next: the `migrate` command (`next:`, JSON `extraction.next`),
or why migrating to the module would break a notebook, said instead of it."""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence
from pathlib import Path

from nbrefactor.analysis.module_path import dotted_name
from nbrefactor.extract.import_name import import_name
from nbrefactor.extract.report import counted


def unreachable(module: str, notebooks: Sequence[Path]) -> str:
    """Why `extract --migrate` migrates nothing: a notebook's kernel would not find the module."""
    return (
        f"{_not_found(module, notebooks)}: nothing written; put the module beside the"
        " notebooks, or install it and then migrate"
    )


def unreachable_next_step(module: str, notebooks: Sequence[Path]) -> str:
    """What `extract` says instead of its next step when migrating to the module it wrote
    would break a notebook (round 50b: `next: nbrefactor migrate ...` exited 0, and every
    migrated notebook failed with ModuleNotFoundError)."""
    return (
        f"{_not_found(module, notebooks)} once migrated: put the module beside the"
        " notebooks, or install it, before `nbrefactor migrate`"
    )


def _not_found(module: str, notebooks: Sequence[Path]) -> str:
    first = notebooks[0]
    folder = os.path.dirname(first) or "."
    others = f" (and {counted(len(notebooks) - 1, 'other notebook')})" if notebooks[1:] else ""
    return f"the kernel of {first}{others}, started in {folder}, would not find {module}"


def next_command(
    module: Path,
    paths: Sequence[Path],
    in_settings: bool = False,
    selection: Sequence[str] = (),
    notebooks: Sequence[Path] = (),
) -> str:
    """The command that replaces the extracted definitions in the notebooks, quoted for a
    shell (the text output's `next:` line, JSON's `extraction.next`); without
    `--module` when the settings name that file (`in_settings`): given on the command line,
    it would leave out their `import-name` (round 49b: `from src.helpers import` then failed).
    `selection`: the options of the run that chose the notebooks and the settings (`--config`,
    the excludes); without them it migrated a notebook the run had excluded (round 59b).
    With `--import-name` when the name `extract --migrate` would import the module by, for
    the `notebooks`, is not the one `migrate --module` gives the file (round 61b:
    `pkg/helpers.py` beside the notebooks is `helpers` to them, `pkg.helpers` to migrate)."""
    module_option = [] if in_settings else ["--module", str(module)]
    if not in_settings and notebooks:
        name = import_name(module, notebooks)
        if name != dotted_name(module):
            module_option += ["--import-name", name]
    words = [
        "nbrefactor",
        "migrate",
        *module_option,
        *selection,
        *(str(path) for path in paths),
    ]
    return shlex.join(words)

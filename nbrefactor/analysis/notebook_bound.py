"""The modules of a single-file library's folder that the notebook imports itself, finding
another file, before the library's new import (round 71a F4).

Python keeps the first module it imports under a name (`sys.modules`). A notebook doing
`import colorsys` (or its own `import utils`) in cell 1, then `sys.path.insert(0, "lib")`:
`lib/mylib.py`'s `from colorsys import helper` binds the module the notebook imported, not
`lib/colorsys.py`, which never runs; whether that module has `helper` is not checked, and
the import may raise ImportError (`rules.import_effects`, `NBR278`). The file the notebook's
import found is read from the folders it searched at that import: those the notebook put
first by then, the standard library for a standard name, its own folder, the installed
packages, the folders it appended by then (as `kernel_search.shadowed` walks them). An
import that finds the library's own file (or a byte-identical copy: `shadowing_file`), or
none, binds nothing else. A notebook whose search literals do not say is read as putting
nothing first nor appending anything (the safe side: its own folder is searched).

A widely used package the notebook imports imports standard modules itself
(`import matplotlib.pyplot` imports `fractions`: `package_modules`): each is read as
imported by the notebook's import of the package (round 73a F8); so are the modules a
module of the notebook's own folder imports (`import nbsetup`, whose nbsetup.py does
`import utils`: round 73a F7).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from nbrefactor.analysis.import_search import ImportFolders
from nbrefactor.analysis.kernel_modules import is_standard
from nbrefactor.analysis.module_path import holds_module, installed_folder, shadowing_file
from nbrefactor.analysis.package_modules import standard_modules_imported
from nbrefactor.value_base import ValueBase


@dataclass(frozen=True, eq=False, repr=False)
class NotebookBound(ValueBase):
    """A module of the library's folder the notebook imports first, finding another file."""

    cell: int  # the notebook's first import of it
    # The file it found, from the notebook's folder (`utils.py`); None for a standard module
    # (`standard`) or an installed one.
    found: str | None
    standard: bool
    # The module the notebook imports that imports it: a package (`matplotlib.pyplot`,
    # round 73a F8) or its own (`nbsetup`, round 73a F7); None: the notebook imports it.
    through: str | None = None


def bound_first(
    beside: Iterable[tuple[str, Path]],
    imports: Iterable[tuple[int, int, list[str]]],
    folder: Path,
    folders: ImportFolders | None,
    local: Mapping[str, list[str]] | None = None,
) -> dict[str, NotebookBound]:
    """Top-level name -> `NotebookBound` for the modules of the library's folder (`beside`:
    dotted name, file) that the notebook's `imports` (cell, statement index, modules: those
    before the new import's place, in order) import first from another file. `folder` is the
    notebook's, `folders` what its code adds to the search (None: not known); `local` the
    modules of the notebook's folder that import some of them when they run (`nbsetup`:
    `utils`; round 73a F7), read as imported where the notebook imports those."""
    siblings: dict[str, tuple[str, Path]] = {}
    for name, file in beside:
        siblings.setdefault(name.partition(".")[0], (name, file))
    found: dict[str, NotebookBound] = {}
    decided: set[str] = set()  # the first import of a name decides: Python keeps that module
    for cell, index, modules in imports:
        for top, through in _imported(modules, local or {}):
            if top not in siblings or top in decided:
                continue
            decided.add(top)
            name, file = siblings[top]
            bound = _bound(name, file, (cell, index), folder, folders)
            if bound is not None:
                found[top] = replace(bound, through=through)
    return found


def _imported(
    modules: list[str], local: Mapping[str, list[str]]
) -> Iterator[tuple[str, str | None]]:
    """(top-level name, the module of `modules` importing it, or None: itself) of each module
    an import of `modules` imports, in order: each of them, what a module of the notebook's
    folder among them imports (`local`), and the standard modules one of them imports
    (`matplotlib.pyplot`: `fractions`, `package_modules`; round 73a F8)."""
    for module in modules:
        top = module.partition(".")[0]
        yield top, None
        for name in local.get(top, ()):
            yield name, module
        for standard in sorted(standard_modules_imported(module)):
            if is_standard(standard):  # on this platform (torch imports grp on POSIX only)
                yield standard, module


def _bound(
    name: str, file: Path, at: tuple[int, int], folder: Path, folders: ImportFolders | None
) -> NotebookBound | None:
    """What the notebook's import of `name` at `at` binds, when it is not the library's `file`
    (a standard module, an installed one, or a file of a folder searched before the library's);
    None when it finds that file, or no module of the name."""
    known = folders is not None and folders.complete
    first: list[Path] = []
    appended: list[Path] = []
    if folders is not None and known:
        before = [added for added in folders.added if folders.added_at.get(added, (0, 0)) < at]
        first = [place for place in folders.first if place in before]  # the latest first
        appended = [place for place in before if place not in folders.first]
    standard = is_standard(name)
    # A kernel searches the standard library's folders before its working folder.
    places = first if standard else [*first, folder]
    for place in places:
        if holds_module(name, place):
            return _other(name, file, place, folder, at[0])
    if standard:
        return NotebookBound(at[0], None, True)
    installed = installed_folder(name)
    if installed is not None:
        other = shadowing_file(name, file, installed)
        return None if other is None else NotebookBound(at[0], None, False)
    for place in appended:
        if holds_module(name, place):
            return _other(name, file, place, folder, at[0])
    return None  # not found: the notebook's own import raised, and left nothing bound


def _other(name: str, file: Path, place: Path, folder: Path, cell: int) -> NotebookBound | None:
    """The module of `name` in `place`, when it is not the library's `file`."""
    other = shadowing_file(name, file, place)
    if other is None:
        return None
    return NotebookBound(cell, os.path.relpath(other, folder), False)

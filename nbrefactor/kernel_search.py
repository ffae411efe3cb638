"""Where the kernel of a notebook finds the library, asked of the notebook's folder.

The driver's questions about files beside the notebook (`migration`): whether the
kernel, started in the notebook's folder, finds the module at all (`import_found`),
only through a folder the notebook's code adds (`found_only_from`), or finds another
module of the library's name first (`shadowed`, `NBR235`), or another module the
library imports from its own folder (`beside_shadowed`, `NBR274`), or none (`NBR277`).
Each is asked only when a migration would add an import, and reads the folder then.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from nbrefactor.analysis.catalog import Catalog
from nbrefactor.analysis.module_path import (
    held_as,
    holds_module,
    import_file,
    import_root,
    importable_from,
    installed_folder,
    shadowing_file,
)
from nbrefactor.import_reasons import LibraryImportNotFound, LibraryImportShadowed, ModuleShadowed

if TYPE_CHECKING:
    from nbrefactor.analysis.import_search import FoundThrough, ImportFolders
    from nbrefactor.nbfile.notebook import Notebook


def import_found(
    folder: Path, catalog: Catalog, folders: Callable[[], ImportFolders | None]
) -> bool:
    """Whether the notebook's kernel, started in `folder`, finds the catalog's module: there,
    installed, or in a folder the notebook's own code adds to where imports are found; True
    when that code names a folder literals do not say (no warning on a guess)."""
    if _finds(catalog, folder):
        return True
    found = folders()
    return (
        found is None or not found.complete or any(_finds(catalog, added) for added in found.added)
    )


def found_only_from(
    folder: Path, catalog: Catalog, folders: Callable[[], ImportFolders | None]
) -> FoundThrough | None:
    """`ImportFolders.through` for the catalog's module, when that is the only way the
    notebook's kernel finds it: neither in `folder` nor installed. None otherwise, and when
    that code names a folder literals do not say; another module of the name in `folder`
    does not find it."""
    if _finds(catalog, folder) and not other_beside(folder, catalog):
        return None
    found = folders()
    return None if found is None else found.through(lambda added: _finds(catalog, added))


def other_beside(folder: Path, catalog: Catalog) -> bool:
    """Whether the module of the library's name in `folder` is another than the one read: the
    one read is then found only through folders the notebook's code adds (round 60a F9:
    `NBR244` said "found only in the notebook's folder" of ../mylib.py after `%cd ..`)."""
    source = catalog.module_file
    return source is not None and shadowing_file(catalog.module, source, folder) is not None


def planned(catalog: Catalog) -> Path | None:
    """The module file `extract --dry-run` would write, absolute (`written_as`), else None."""
    written = catalog.written_as
    return None if written is None else Path(os.path.abspath(written))


def _finds(catalog: Catalog, folder: Path) -> bool:
    """`importable_from`, or `folder` is where the module `extract --dry-run` would write
    lies on the import path (`written_as`: not on disk yet), links resolved (round 49b:
    `--to lib/helpers.py`, `lib` a link to the `src` the notebooks add, was refused)."""
    if importable_from(catalog.module, folder):
        return True
    if catalog.written_as is None:
        return False
    written = Path(os.path.abspath(catalog.written_as))
    return os.path.realpath(import_root(written, catalog.module)) == os.path.realpath(folder)


def import_folders_of(notebook: Notebook, folder: Path) -> ImportFolders | None:
    """`import_folders`, imported when first asked: a run over notebooks that replace nothing
    never asks where their imports look, nor imports what reads it (cells parsed, magics)."""
    from nbrefactor.analysis.import_search import import_folders

    return import_folders(notebook, folder)


def shadowed(
    folder: Path,
    catalog: Catalog,
    folders: Callable[[], ImportFolders | None],
    at: tuple[int, int] | None = None,
) -> ModuleShadowed | None:
    """Another module of the library's name, which the kernel of a notebook in `folder`
    imports: in a folder the notebook searches first (`sys.path.insert(0, "../src")`,
    `%cd`) by the import's place `at` (cell, statement; re-check 43: a folder put first in a
    later cell did not hide an older copy installed, which the import bound), beside it,
    or installed."""
    module_file = catalog.module_file
    if module_file is None:
        return None
    # A line literals do not say stops the reading: what comes first is unknown.
    places = [
        (first, os.path.relpath(first, folder)) for first in _first_folders(folder, folders, at)
    ]
    # The first of these folders holding a module of the name is where the import finds it.
    for place, shown in [*places, (folder, None)]:
        if holds_module(catalog.module, place):
            found = shadowing_file(catalog.module, module_file, place)
            return None if found is None else _shadowing(found, catalog, shown)
    # Found in neither: an installed module of the name comes before the folders the
    # notebook appends (`sys.path.append("../src")`) and the one this run started in.
    installed = installed_folder(catalog.module)
    if installed is None:
        return None
    found = shadowing_file(catalog.module, module_file, installed)
    return None if found is None else _shadowing(found, catalog, str(installed), True)


def beside_shadowed(
    folder: Path,
    catalog: Catalog,
    folders: Callable[[], ImportFolders | None],
    at: tuple[int, int] | None = None,
) -> LibraryImportShadowed | LibraryImportNotFound | None:
    """A module of a single-file library's folder that importing it runs (`from utils import
    K`), of which the kernel finds another first: in a folder the notebook puts first by the
    import's place `at` (round 62c F2), or beside it (round 62a F1); the kernel binds that
    one. Or none (`_unsearched`). Asked only when an import would be added."""
    walk = catalog.import_walk
    if walk is None or not walk.beside:
        return None
    from nbrefactor.analysis.import_effects import shadowed_beside
    from nbrefactor.analysis.standard_siblings import standard_siblings

    # A module named like a standard one, when the notebook appends the library's folder:
    # the kernel binds the standard module (round 62a K1).
    library_file = catalog.module_file
    standard = () if library_file is None else standard_siblings(walk, library_file, folders())
    beside = tuple(entry for entry in walk.beside if entry[0].partition(".")[0] not in standard)
    # The order `shadowed` walks; a folder literals do not say leaves only the notebook's
    # own, which the kernel searches before the folders appended (the safe side).
    found = shadowed_beside(beside, [*_first_folders(folder, folders, at), folder])
    if found is None:
        return _unsearched(folder, catalog, folders, at, beside)
    name, other, read, place = found
    # Both from the notebook's folder: `nbrefactor migrate --module mylib.py nbs/` would
    # name them both `utils.py` otherwise.
    shown = os.path.relpath(read, folder)
    if place == folder:
        return LibraryImportShadowed(catalog.module, name, held_as(other), shown)
    where = os.path.relpath(place, folder)
    held = os.path.join(where, held_as(other))
    return LibraryImportShadowed(catalog.module, name, held, shown, where)


def _unsearched(
    folder: Path,
    catalog: Catalog,
    folders: Callable[[], ImportFolders | None],
    at: tuple[int, int] | None,
    beside: tuple[tuple[str, Path], ...],
) -> LibraryImportNotFound | None:
    """The first module of the library's folder it imports (`beside`) that the kernel finds
    nowhere, when it imports the library from another folder (a byte-identical copy or a link
    beside the notebook, or in a folder put first, accepted by `shadowed`): Python searches
    only its path (the folders the notebook puts first, its own, those it adds by `at`, the
    installed ones), never "the library's folder" as such (round 70a N2: a pasted copy of
    lib/helpers.py beside the notebook, whose `from utils import K` raised
    ModuleNotFoundError). None when that folder is on the path, the library is found
    otherwise (installed, appended: as before), or the notebook's code names a folder
    literals do not say."""
    library_file = catalog.module_file
    searched = folders()
    if library_file is None or searched is None or not searched.complete:
        return None
    first = _first_folders(folder, folders, at)
    added = [add for add in searched.added if at is None or searched.added_at.get(add, (0, 0)) < at]
    path = [*first, folder, *added]
    if os.path.realpath(library_file.parent) in {os.path.realpath(place) for place in path}:
        return None
    found_in = next(
        (place for place in [*first, folder] if holds_module(catalog.module, place)), None
    )
    if found_in is None:
        return None
    for name, file in beside:
        if not any(importable_from(name, place) for place in path):
            found = import_file(found_in / catalog.module.partition(".")[0])
            shown = os.path.relpath(found, folder) if found is not None else str(found_in)
            return LibraryImportNotFound(catalog.module, name, shown, os.path.relpath(file, folder))
    return None


def _first_folders(
    folder: Path, folders: Callable[[], ImportFolders | None], at: tuple[int, int] | None
) -> list[Path]:
    """The folders the notebook puts before its own by the import's place `at` (`first`,
    the latest first); none when its code names one literals do not say."""
    searched = folders()
    if searched is None or not searched.complete:
        return []
    return [
        first for first in searched.first if at is None or searched.added_at.get(first, (0, 0)) < at
    ]


def _shadowing(
    found: Path, catalog: Catalog, folder: str | None, installed: bool = False
) -> ModuleShadowed:
    return ModuleShadowed(
        held_as(found), catalog.module, str(catalog.module_file), folder, installed
    )

"""The migration of one notebook file: read, refactor, report, diff, write.

`process_notebook` never raises for bad input: whatever goes wrong with one
notebook becomes a failed `Outcome` naming the reason, and the others are still
processed. Reading and writing the file is `nbfile.disk`: a notebook is
replaced only if it is still the file that was read; an edit saved while
nbrefactor worked is never overwritten, its new content is migrated instead (once).
"""

from __future__ import annotations

import errno
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from nbrefactor import messages, written
from nbrefactor.analysis.catalog import Catalog
from nbrefactor.analysis.module_path import (
    found_only_in,
    held_as,
    holds_module,
    import_root,
    importable_from,
    installed_folder,
    shadowing_file,
)
from nbrefactor.config import Config, Mode
from nbrefactor.import_reasons import LibraryImportShadowed, ModuleShadowed
from nbrefactor.messages import NotebookReport
from nbrefactor.nbfile import temporary
from nbrefactor.nbfile.disk import ChangedSinceRead, NotARegularFile, read_file, write_atomically
from nbrefactor.nbfile.notebook import NotebookError, parse_notebook
from nbrefactor.refactor import CannotEdit, UnsafeMigration, refactor
from nbrefactor.value_base import ValueBase

if TYPE_CHECKING:
    from nbrefactor.analysis.import_search import FoundThrough, ImportFolders
    from nbrefactor.nbfile.notebook import Notebook


class Status(Enum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True, eq=False, repr=False)
class Outcome(ValueBase):
    """What became of one notebook file: its status, report and diffs, or the error that stopped it."""

    path: Path
    status: Status
    report: NotebookReport = field(default_factory=NotebookReport)
    diffs: tuple[str, ...] = ()
    error: str | None = None
    # Whether the module a migrated notebook now imports is found from it: beside it, installed,
    # or in a folder its own code adds (`sys.path.append("..")`, `import_search`); also
    # when that code names a folder literals do not say. False: `run.import_warning`.
    import_found: bool = True


def process_notebook(path: Path, config: Config, catalog: Catalog) -> Outcome:
    """Migrate one notebook as the config says: report, diff, write."""
    notes = _remove_stale_temporary_files(path) if config.writes else ()
    return _with_notes(_process(path, config, catalog), notes)


def _with_notes(outcome: Outcome, notes: tuple[str, ...]) -> Outcome:
    if not notes:
        return outcome
    return replace(outcome, report=replace(outcome.report, notes=(*outcome.report.notes, *notes)))


def _process(path: Path, config: Config, catalog: Catalog, again: bool = False) -> Outcome:
    """Read, migrate and write one notebook.

    A notebook that changes between the read and the write (a save from an
    editor, another nbrefactor run) is migrated once more from its new
    content: what the user saved is kept, and a run that finds the migration
    already done by another leaves it as it is. A notebook that changes again
    is left alone (`again`), with an error.
    """
    try:
        read = read_file(path)
    except NotARegularFile as error:
        return _failed(path, messages.not_a_regular_file(error.kind))
    except OSError as error:
        return _failed(path, _os_error_reason(error, "cannot read"))
    except MemoryError:
        return _failed(path, messages.file_too_large())
    try:
        notebook = parse_notebook(read.content)
    except NotebookError as error:
        return _failed(path, str(error))
    except MemoryError:
        return _failed(path, messages.notebook_too_large())
    folder = _folder(os.path.dirname(os.path.abspath(path)))
    # Where the notebook's code makes imports look: read once, and only when asked. A
    # lambda, not a `partial`, which has no name to copy: `cache` pays an AttributeError
    # for each missing one (half its cost, for every notebook).
    folders = functools.cache(lambda: _import_folders(notebook, folder))
    try:
        result = refactor(
            notebook,
            config,
            catalog,
            lambda at: _shadowed(folder, catalog, folders, at),
            found_only_in(catalog.module, folder, _planned(catalog))
            and not _other_beside(folder, catalog),
            folder,
            lambda: _found_only_from(folder, catalog, folders),
            file_name=os.path.basename(path),
            beside=lambda: _beside_shadowed(folder, catalog),
        )
    except CannotEdit as error:
        return _failed(path, messages.not_changed(str(error)))
    except UnsafeMigration as error:
        return _failed(path, messages.internal_check_failed(str(error)))
    except Exception as error:  # noqa: BLE001 - a bug must cost one notebook, not the run
        return _failed(path, messages.internal_error(error))
    if not result.changed:
        return Outcome(path, Status.UNCHANGED, result.report)
    report = result.report
    import_found = not report.replaced or _import_found(folder, catalog, folders)
    # Validation costs more than the JSON parse: only when its warning is shown.
    if (config.mode is not Mode.CHECK or config.verbose) and not config.quiet:
        from nbrefactor.nbfile.schema import schema_warning  # imported here: not under --check

        warning = schema_warning(notebook)
        if warning is not None:
            report = replace(report, warnings=(*report.warnings, warning))
    diffs: tuple[str, ...] = ()
    if config.show_diff:
        from nbrefactor.edits.diff import cell_diffs

        diffs = tuple(cell_diffs(notebook, result.new_sources, str(path)))
    if config.writes:
        # Imported here: a run that writes nothing (--check, --diff) never needs it.
        from nbrefactor.nbfile.splice import render

        try:
            write_atomically(
                path,
                render(notebook, result.new_sources),
                read,
                on_replaced=lambda: written.record(path),
            )
        except ChangedSinceRead:  # the report and diff are about content that is gone: not shown
            if again:
                return _failed(path, messages.changed_while_migrating())
            retried = _process(path, config, catalog, again=True)
            if retried.status is Status.FAILED:
                return retried
            return _with_notes(retried, (messages.migrated_again(),))
        # Nothing was replaced: the error alone is shown, as for a notebook that cannot be read.
        except NotebookError as error:
            return _failed(path, messages.not_written(str(error)))
        except OSError as error:
            return _failed(path, _os_error_reason(error, "cannot write"))
    return Outcome(path, Status.CHANGED, report, diffs, import_found=import_found)


@functools.lru_cache(maxsize=64)
def _folder(absolute: str) -> Path:
    """The notebook's folder, one `Path` for the notebooks it holds: making one parses the
    text, and `found_only_in`, remembered by folder, hashes it (a `Path` hashes once)."""
    return Path(absolute)


def _import_found(
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


def _found_only_from(
    folder: Path, catalog: Catalog, folders: Callable[[], ImportFolders | None]
) -> FoundThrough | None:
    """`ImportFolders.through` for the catalog's module, when that is the only way the
    notebook's kernel finds it: neither in `folder` nor installed. None otherwise, and when
    that code names a folder literals do not say; another module of the name in `folder`
    does not find it."""
    if _finds(catalog, folder) and not _other_beside(folder, catalog):
        return None
    found = folders()
    return None if found is None else found.through(lambda added: _finds(catalog, added))


def _other_beside(folder: Path, catalog: Catalog) -> bool:
    """Whether the module of the library's name in `folder` is another than the one read: the
    one read is then found only through folders the notebook's code adds (round 60a F9:
    `NBR244` said "found only in the notebook's folder" of ../mylib.py after `%cd ..`)."""
    source = catalog.module_file
    return source is not None and shadowing_file(catalog.module, source, folder) is not None


def _planned(catalog: Catalog) -> Path | None:
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


def _import_folders(notebook: Notebook, folder: Path) -> ImportFolders | None:
    """`import_folders`, imported when first asked: a run over notebooks that replace nothing
    never asks where their imports look, nor imports what reads it (cells parsed, magics)."""
    from nbrefactor.analysis.import_search import import_folders

    return import_folders(notebook, folder)


def _shadowed(
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
    searched = folders()
    if searched is not None and not searched.complete:
        searched = None  # stopped at a line literals do not say: what comes first, unknown
    places = (
        [
            (first, os.path.relpath(first, folder))
            for first in searched.first
            if at is None or searched.added_at.get(first, (0, 0)) < at
        ]
        if searched
        else []
    )
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


def _beside_shadowed(folder: Path, catalog: Catalog) -> LibraryImportShadowed | None:
    """A module of a single-file library's folder that importing it runs (`from utils import
    K`), of which the notebook's folder holds another: its kernel searches there first, and
    binds that one (round 62a F1). Asked only when an import would be added."""
    walk = catalog.import_walk
    if walk is None or not walk.beside:
        return None
    from nbrefactor.analysis.import_effects import shadowed_beside

    found = shadowed_beside(walk.beside, folder)
    if found is None:
        return None
    name, other, read = found
    # Both from the notebook's folder: `nbrefactor migrate --module mylib.py nbs/` would
    # name them both `utils.py` otherwise.
    shown = os.path.relpath(read, folder)
    return LibraryImportShadowed(catalog.module, name, held_as(other), shown)


def _shadowing(
    found: Path, catalog: Catalog, folder: str | None, installed: bool = False
) -> ModuleShadowed:
    return ModuleShadowed(
        held_as(found), catalog.module, str(catalog.module_file), folder, installed
    )


def _remove_stale_temporary_files(path: Path) -> tuple[str, ...]:
    """Remove temporary files left in the notebook's folder by killed runs; a note for each."""
    folder = os.path.dirname(os.path.realpath(path))
    return tuple(
        messages.removed_stale_temporary_file(name, pid)
        for name, pid in temporary.remove_stale(folder)
    )


def _failed(path: Path, reason: str) -> Outcome:
    return Outcome(path, Status.FAILED, error=reason)


def _os_error_reason(error: OSError, action: str) -> str:
    if isinstance(error, FileNotFoundError):
        return messages.no_such_file()
    if isinstance(error, IsADirectoryError):
        return messages.is_a_directory()
    if error.errno == errno.ELOOP:
        return messages.symlink_loop_while(action)
    if isinstance(error, PermissionError):
        detail = (
            error.strerror
            if error.strerror and error.strerror != "Permission denied"
            else "permission denied"
        )
        return messages.os_error(action, detail)
    return messages.os_error(action, str(error.strerror or error))

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
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path

from nbrefactor import kernel_search, messages, written
from nbrefactor.analysis.catalog import Catalog
from nbrefactor.analysis.module_path import found_only_in
from nbrefactor.config import Config, Mode
from nbrefactor.messages import NotebookReport
from nbrefactor.nbfile import temporary
from nbrefactor.nbfile.disk import ChangedSinceRead, NotARegularFile, read_file, write_atomically
from nbrefactor.nbfile.notebook import NotebookError, parse_notebook
from nbrefactor.refactor import CannotEdit, UnsafeMigration, refactor
from nbrefactor.value_base import ValueBase


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
    folders = functools.cache(lambda: kernel_search.import_folders_of(notebook, folder))
    try:
        result = refactor(
            notebook,
            config,
            catalog,
            lambda at: kernel_search.shadowed(folder, catalog, folders, at),
            found_only_in(catalog.module, folder, kernel_search.planned(catalog))
            and not kernel_search.other_beside(folder, catalog),
            folder,
            lambda: kernel_search.found_only_from(folder, catalog, folders),
            file_name=os.path.basename(path),
            beside=lambda at: kernel_search.beside_shadowed(folder, catalog, folders, at),
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
    import_found = not report.replaced or kernel_search.import_found(folder, catalog, folders)
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
            links = write_atomically(
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
        if links > 1:
            report = replace(report, warnings=(*report.warnings, messages.hard_links_split(links)))
    return Outcome(path, Status.CHANGED, report, diffs, import_found=import_found)


@functools.lru_cache(maxsize=64)
def _folder(absolute: str) -> Path:
    """The notebook's folder, one `Path` for the notebooks it holds: making one parses the
    text, and `found_only_in`, remembered by folder, hashes it (a `Path` hashes once)."""
    return Path(absolute)


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

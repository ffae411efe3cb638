"""The file side of a migration: finding notebooks, reading, writing atomically.

`process_notebook` never raises for bad input: whatever goes wrong with one
notebook becomes a failed `Outcome` naming the reason, and the others are still
processed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path

from nbrefactor.catalog import Catalog
from nbrefactor.config import Config, Mode
from nbrefactor.messages import NotebookReport
from nbrefactor.notebook import NotebookError, parse_notebook
from nbrefactor.refactor import CannotEdit, refactor
from nbrefactor.schema import schema_warning
from nbrefactor.splice import render


class Status(Enum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    path: Path
    status: Status
    report: NotebookReport = field(default_factory=NotebookReport)
    diffs: tuple[str, ...] = ()
    error: str | None = None


def process_notebook(path: Path, config: Config, catalog: Catalog) -> Outcome:
    """Migrate one notebook as the config says: report, diff, write."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return _failed(path, _os_error_reason(error, "cannot read"))
    try:
        notebook = parse_notebook(raw)
    except NotebookError as error:
        return _failed(path, str(error))
    del raw
    try:
        result = refactor(notebook, config, catalog)
    except CannotEdit as error:
        return _failed(path, f"{error}; the notebook was not changed")
    except Exception as error:  # noqa: BLE001 - a bug must cost one notebook, not the run
        return _failed(
            path, f"internal error ({type(error).__name__}: {error}); the notebook was not changed"
        )
    if not result.changed:
        return Outcome(path, Status.UNCHANGED, result.report)
    report = result.report
    # Validation costs more than the JSON parse: only when its warning is shown.
    if (config.mode is not Mode.CHECK or config.verbose) and not config.quiet:
        warning = schema_warning(notebook)
        if warning is not None:
            report = replace(report, warnings=(*report.warnings, warning))
    diffs = ()
    if config.show_diff:
        from nbrefactor.diff import cell_diffs

        diffs = tuple(cell_diffs(notebook, result.new_sources, str(path)))
    if config.writes:
        try:
            write_atomically(path, render(notebook, result.new_sources))
        except OSError as error:
            reason = _os_error_reason(error, "cannot write")
            return Outcome(path, Status.FAILED, report, diffs, reason)
    return Outcome(path, Status.CHANGED, report, diffs)


def write_atomically(path: Path, pieces: Iterable[bytes | memoryview]) -> None:
    """Replace the file's content through a temporary file in the same folder.

    A failure at any point leaves the original file as it was: the new
    content only replaces it, by a rename, once it is completely written. The
    new file keeps the original's permission bits; a symlink is followed, not
    replaced. Like black and ruff, no fsync: a crash of nbrefactor cannot
    leave a partial file, and filesystems flush a file renamed over another.
    """
    import tempfile  # only when writing: it costs a tenth of the start-up of a --check run

    target = path.resolve() if path.is_symlink() else path
    mode = stat.S_IMODE(target.stat().st_mode)
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise PermissionError(13, "the file is read-only", str(path))
    descriptor, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            for piece in pieces:
                stream.write(piece)
            os.fchmod(stream.fileno(), mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _failed(path: Path, reason: str) -> Outcome:
    return Outcome(path, Status.FAILED, error=reason)


def _os_error_reason(error: OSError, action: str) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file or directory"
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    if isinstance(error, PermissionError):
        detail = (
            error.strerror
            if error.strerror and error.strerror != "Permission denied"
            else "permission denied"
        )
        return f"{action}: {detail}"
    return f"{action}: {error.strerror or error}"

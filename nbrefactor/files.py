"""The file side of a migration: finding notebooks, reading, writing atomically.

`process_notebook` never raises for bad input: whatever goes wrong with one
notebook becomes a failed `Outcome` naming the reason, and the others are still
processed.

Only regular files are read: a FIFO, socket or device is reported, never
opened in a way that could block.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Sequence
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


def find_notebooks(paths: Sequence[Path]) -> list[Path | Outcome]:
    """Notebooks named or found below the given paths, in order, with a failure for each path that yields none.

    Directories are searched recursively for `*.ipynb`, skipping hidden
    folders and files and `.ipynb_checkpoints`; a file named explicitly is
    always taken. A file reached twice (by two spellings, or by a folder and
    by name) is taken once.
    """
    entries: list[Path | Outcome] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            below = sorted(_notebooks_below(path))
            if not below:
                entries.append(
                    Outcome(path, Status.FAILED, error="no notebooks (*.ipynb) in this directory")
                )
        elif path.exists() or path.is_symlink():
            below = [path]
        else:
            entries.append(Outcome(path, Status.FAILED, error="no such file or directory"))
            continue
        for notebook in below:
            key = notebook.resolve()
            if key not in seen:
                seen.add(key)
                entries.append(notebook)
    return entries


def _notebooks_below(directory: Path) -> Iterable[Path]:
    for root, folders, files in os.walk(directory):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in files:
            if name.endswith(".ipynb") and not name.startswith("."):
                yield Path(root, name)


def process_notebook(path: Path, config: Config, catalog: Catalog) -> Outcome:
    """Migrate one notebook as the config says: report, diff, write."""
    try:
        raw = read_file(path)
    except NotARegularFile as error:
        return _failed(path, f"not a regular file ({error.kind})")
    except OSError as error:
        return _failed(path, _os_error_reason(error, "cannot read"))
    except MemoryError:
        return _failed(path, "cannot read: not enough memory for a file this large")
    try:
        notebook = parse_notebook(raw)
    except NotebookError as error:
        return _failed(path, str(error))
    except MemoryError:
        return _failed(path, "not enough memory to read this notebook")
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


class NotARegularFile(Exception):
    """A FIFO, socket, device or directory where a notebook file was expected."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0)
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "fifo"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)


def read_file(path: Path) -> bytes:
    """The bytes of the regular file at `path` (a symlink is followed).

    The path is checked with stat before it is opened, so that a FIFO (whose
    open blocks until a writer comes), a socket or a device is never opened;
    the open is non-blocking and the descriptor checked again, in case the path
    was replaced in between. Raises NotARegularFile or OSError.
    """
    _require_regular(os.stat(path))
    descriptor = os.open(path, _READ_FLAGS)
    with open(descriptor, "rb", closefd=True) as stream:
        _require_regular(os.fstat(descriptor))
        return stream.read()


def _require_regular(info: os.stat_result) -> None:
    if stat.S_ISREG(info.st_mode):
        return
    kind = next((kind for test, kind in _KINDS if test(info.st_mode)), "not a file")
    if kind == "a directory":
        raise IsADirectoryError(errno.EISDIR, "Is a directory")
    raise NotARegularFile(kind)


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
    if error.errno == errno.ELOOP:
        return f"{action}: symlink loop (too many levels of symbolic links)"
    if isinstance(error, PermissionError):
        detail = (
            error.strerror
            if error.strerror and error.strerror != "Permission denied"
            else "permission denied"
        )
        return f"{action}: {detail}"
    return f"{action}: {error.strerror or error}"

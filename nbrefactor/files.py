"""The file side of a migration: finding notebooks, reading, writing atomically.

`process_notebook` never raises for bad input: whatever goes wrong with one
notebook becomes a failed `Outcome` naming the reason, and the others are still
processed.

Only regular files are read, and a notebook is replaced only if it is still
the file that was read: an edit saved while nbrefactor worked is never
overwritten with the migration of the older content.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path

from nbrefactor import messages, temporary
from nbrefactor.catalog import Catalog
from nbrefactor.config import Config, Mode
from nbrefactor.messages import NotebookReport
from nbrefactor.notebook import NotebookError, parse_notebook
from nbrefactor.refactor import CannotEdit, UnsafeMigration, refactor
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
    notes = _remove_stale_temporary_files(path) if config.writes else ()
    outcome = _process(path, config, catalog)
    if notes:
        report = replace(outcome.report, notes=(*outcome.report.notes, *notes))
        outcome = replace(outcome, report=report)
    return outcome


def _process(path: Path, config: Config, catalog: Catalog) -> Outcome:
    try:
        read = read_file(path)
    except NotARegularFile as error:
        return _failed(path, f"not a regular file ({error.kind})")
    except OSError as error:
        return _failed(path, _os_error_reason(error, "cannot read"))
    except MemoryError:
        return _failed(path, "cannot read: not enough memory for a file this large")
    try:
        notebook = parse_notebook(read.content)
    except NotebookError as error:
        return _failed(path, str(error))
    except MemoryError:
        return _failed(path, "not enough memory to read this notebook")
    try:
        result = refactor(notebook, config, catalog)
    except CannotEdit as error:
        return _failed(path, f"{error}; the notebook was not changed")
    except UnsafeMigration as error:
        return _failed(path, messages.internal_check_failed(str(error)))
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
            write_atomically(path, render(notebook, result.new_sources), read)
        except ChangedSinceRead:  # the report and diff are about content that is gone: not shown
            return _failed(path, "changed while migrating; not written")
        except NotebookError as error:
            return Outcome(path, Status.FAILED, report, diffs, f"{error}; not written")
        except OSError as error:
            reason = _os_error_reason(error, "cannot write")
            return Outcome(path, Status.FAILED, report, diffs, reason)
    return Outcome(path, Status.CHANGED, report, diffs)


class NotARegularFile(Exception):
    """A FIFO, socket or device where a notebook file was expected (a directory is IsADirectoryError)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class ChangedSinceRead(Exception):
    """The file on disk is no longer the one that was read."""


@dataclass(frozen=True)
class FileState:
    """What identifies a file's content without reading it, as `os.stat` reports it.

    A save in place changes the size or the modification time, a save by
    rename (Jupyter's) the inode; the change time is set by the kernel on
    every write and cannot be set back, unlike the modification time.
    """

    device: int
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, info: os.stat_result) -> FileState:
        return cls(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


@dataclass(frozen=True)
class ReadFile:
    """A file's bytes and its state when they were read."""

    content: bytes
    state: FileState


# Non-blocking: opening a FIFO for reading would wait for a writer. Flags a
# platform lacks are left out (getattr).
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "fifo"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)


def read_file(path: Path) -> ReadFile:
    """The bytes of the regular file at `path` (a symlink is followed), with its state.

    The path is checked with stat before it is opened, so that a FIFO (whose
    open blocks until a writer comes), a socket or a device is never opened;
    the open is non-blocking and the descriptor checked again, in case the path
    was replaced in between. Raises NotARegularFile or OSError.
    """
    _require_regular(os.stat(path))
    descriptor = os.open(path, _READ_FLAGS)
    with open(descriptor, "rb", closefd=True) as stream:
        info = os.fstat(descriptor)
        _require_regular(info)
        return ReadFile(stream.read(), FileState.of(info))


def _require_regular(info: os.stat_result) -> None:
    if stat.S_ISREG(info.st_mode):
        return
    kind = next((kind for test, kind in _KINDS if test(info.st_mode)), "not a file")
    if kind == "a directory":
        raise IsADirectoryError(errno.EISDIR, "Is a directory")
    raise NotARegularFile(kind)


def write_atomically(
    path: Path, pieces: Iterable[bytes | memoryview], read: ReadFile | None = None
) -> None:
    """Replace the file's content through a temporary file in the same folder.

    A failure at any point leaves the original file as it was: the new
    content only replaces it, by a rename, once it is completely written. The
    new file keeps the original's permission bits; a symlink is followed, not
    replaced. Like black and ruff, no fsync: a crash of nbrefactor cannot
    leave a partial file, and filesystems flush a file renamed over another.

    With `read`, the file is replaced only if it is still the one read: same
    device, inode, size and times, and the same bytes (compared again right
    before the rename; the notebook is about to be rewritten anyway, and bytes
    need no assumption about the file system's timestamp precision).
    Otherwise ChangedSinceRead is raised and nothing is written.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    info = os.stat(target)
    mode = stat.S_IMODE(info.st_mode)
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise PermissionError(13, "the file is read-only", str(path))
    if read is not None and FileState.of(info) != read.state:
        raise ChangedSinceRead
    descriptor, temporary_path = temporary.create(str(target.parent))
    try:
        with open(descriptor, "wb", closefd=True) as stream:
            stream.writelines(pieces)
            os.fchmod(stream.fileno(), mode)
        if read is not None and not _still_as_read(target, read):
            raise ChangedSinceRead
        os.replace(temporary_path, target)
        temporary.renamed(temporary_path)
    except BaseException:
        temporary.remove(temporary_path)
        raise


def _still_as_read(target: Path, read: ReadFile) -> bool:
    """True when the file at `target` has the state and the bytes it had when read."""
    try:
        descriptor = os.open(target, _READ_FLAGS)
    except OSError:
        return False
    with open(descriptor, "rb", closefd=True) as stream:
        if FileState.of(os.fstat(descriptor)) != read.state:
            return False
        content = memoryview(read.content)
        chunk = memoryview(bytearray(min(1 << 20, len(content) + 1)))  # +1: sees a longer file
        position = 0
        while True:
            length = stream.readinto(chunk)
            if not length:
                return position == len(content)
            if content[position : position + length] != chunk[:length]:
                return False
            position += length


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

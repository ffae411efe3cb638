"""Reading and writing one file: only a regular file is read, and it is replaced atomically.

A notebook is replaced only if it is still the file that was read: an edit
saved while nbrefactor worked is never overwritten with the migration of the
older content.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nbrefactor import messages
from nbrefactor.nbfile import temporary
from nbrefactor.value_base import ValueBase

# The signals that stop a run (nbrefactor.interrupts handles them): Ctrl-C, `kill`, and a
# closed terminal or dropped ssh session (SIGHUP, where there is one; CLI sweep 29).
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class NotARegularFile(Exception):
    """A FIFO, socket or device where a notebook file was expected (a directory is IsADirectoryError)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class ChangedSinceRead(Exception):
    """The file on disk is no longer the one that was read."""


@dataclass(frozen=True, eq=False, repr=False)
class FileState(ValueBase):
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


@dataclass(frozen=True, eq=False, repr=False)
class ReadFile(ValueBase):
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
_CHUNK = 1 << 16  # what is read at a time of a file that grew since its fstat
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
    try:
        info = os.fstat(descriptor)
        _require_regular(info)
        return ReadFile(_read_all(descriptor, info.st_size), FileState.of(info))
    finally:
        os.close(descriptor)


def _read_all(descriptor: int, size: int) -> bytes:
    """The bytes up to the end of the file, `size` of them unless it changes meanwhile.

    One read of them all, and one that finds the end: a file object, opened
    on the descriptor and read, makes five more system calls (two fstats, two
    seeks, a terminal test).
    """
    pieces: list[bytes] = []
    while piece := os.read(descriptor, size + 1 if not pieces else _CHUNK):
        pieces.append(piece)
    return b"".join(pieces)  # one piece is returned as it is, not copied


def read_script(path: Path, limit: int = 1 << 20) -> str | None:
    """The text of a file a notebook runs or imports (`%run setup.py`), or None when it is
    not a regular file, is larger than `limit` bytes, or cannot be read: such a script is
    not read, which is no error."""
    try:
        if not path.is_file() or path.stat().st_size > limit:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _require_regular(info: os.stat_result) -> None:
    if stat.S_ISREG(info.st_mode):
        return
    kind = next((kind for test, kind in _KINDS if test(info.st_mode)), "not a file")
    if kind == "a directory":
        raise IsADirectoryError(errno.EISDIR, "Is a directory")
    raise NotARegularFile(kind)


def write_atomically(
    path: Path,
    pieces: Iterable[bytes | memoryview],
    read: ReadFile | None = None,
    on_replaced: Callable[[], None] | None = None,
) -> int:
    """Replace the file's content through a temporary file in the same folder; the number
    of hard links the file had (more than one: the others keep the old content).

    A failure at any point leaves the original file as it was: the new
    content only replaces it, by a rename, once it is completely written. The
    new file keeps the original's permission bits; a symlink is followed, not
    replaced. Its owner, group and extended attributes (ACLs among them) are
    kept where the user may set them, as black and ruff keep them by writing in
    place: a run under sudo or in a container must not leave notebooks the user
    cannot save (CLI sweep 29). Like black and ruff, no fsync: a crash of nbrefactor cannot
    leave a partial file, and filesystems flush a file renamed over another.

    With `read`, the file is replaced only if it is still the one read: same
    device, inode, size and times, and the same bytes (compared again right
    before the rename; the notebook is about to be rewritten anyway, and bytes
    need no assumption about the file system's timestamp precision).
    Otherwise ChangedSinceRead is raised and nothing is written.

    `on_replaced` runs right after the rename, with the stop signals held
    until both are done: a notebook replaced is always recorded.

    A rename makes a new file, where black and ruff write in place: another
    hard link to the file keeps the old content (round 63). Writing in place
    would keep the link but could leave a partial notebook; the caller says so
    instead, from the count returned.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    info = os.stat(target)
    mode = stat.S_IMODE(info.st_mode)
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        if _on_read_only_file_system(target):  # CLI sweep 29: it said the file was read-only
            raise OSError(errno.EROFS, messages.read_only_file_system(), str(path))
        raise PermissionError(13, messages.read_only(), str(path))
    if read is not None and FileState.of(info) != read.state:
        raise ChangedSinceRead
    try:
        descriptor, temporary_path = temporary.create(str(target.parent))
    except PermissionError:  # the file may be writable, its folder is not (CLI sweep 29)
        folder = os.path.dirname(os.path.abspath(path)) if target is path else target.parent
        raise PermissionError(13, messages.folder_not_writable(folder), str(path)) from None
    try:
        with open(descriptor, "wb", closefd=True) as stream:
            stream.writelines(pieces)
            _keep_attributes(stream.fileno(), target, info)
        if read is not None and not _still_as_read(target, read):
            raise ChangedSinceRead
        with signals_held():
            os.replace(temporary_path, target)
            temporary.renamed(temporary_path)
            if on_replaced is not None:
                on_replaced()
    except BaseException:
        temporary.remove(temporary_path)
        raise
    return info.st_nlink


def _on_read_only_file_system(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows)
        return False


def _keep_attributes(descriptor: int, target: Path, info: os.stat_result) -> None:
    """Give the new file the original's extended attributes, owner and group, then its
    permission bits (last: a change of owner clears set-user-ID and set-group-ID).

    What the user may not set is left as the new file has it: another user's file in a
    group-writable folder becomes the writer's, as with any editor writing by rename.
    """
    if hasattr(os, "listxattr"):  # Linux
        try:
            names = os.listxattr(target)
        except OSError:  # not supported by the file system
            names = []
        for name in names:
            try:
                os.setxattr(descriptor, name, os.getxattr(target, name))
            except OSError:  # `security.*` needs privileges; not supported here
                pass
    new = os.fstat(descriptor)
    if (new.st_uid, new.st_gid) != (info.st_uid, info.st_gid):
        try:
            os.fchown(descriptor, info.st_uid, info.st_gid)
        except OSError:
            try:  # a group the user belongs to
                os.fchown(descriptor, -1, info.st_gid)
            except OSError:
                pass
    os.fchmod(descriptor, stat.S_IMODE(info.st_mode))


def _still_as_read(target: Path, read: ReadFile) -> bool:
    """True when the file at `target` has the state and the bytes it had when read.

    Each chunk read is compared by `bytes.startswith` at its offset in the content read:
    a memcmp, in place (comparing two memoryviews goes item by item, a hundred times
    slower). Unbuffered: each `readinto` is one read.
    """
    try:
        descriptor = os.open(target, _READ_FLAGS)
    except OSError:
        return False
    with open(descriptor, "rb", buffering=0, closefd=True) as stream:
        if FileState.of(os.fstat(descriptor)) != read.state:
            return False
        content = read.content
        chunk = bytearray(min(1 << 20, len(content) + 1))  # +1: sees a longer file
        view = memoryview(chunk)
        position = 0
        while length := stream.readinto(chunk):
            if not content.startswith(view[:length], position):
                return False
            position += length
        return position == len(content)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold the stop signals (SIGINT, SIGTERM, SIGHUP) until the block is over: for steps
    that must not be cut in two.

    The signal is delivered, and its handler runs, as the block ends.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)

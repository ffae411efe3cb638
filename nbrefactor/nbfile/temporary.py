"""The temporary files through which notebooks are replaced, and removing them.

A notebook is rewritten by writing a temporary file in its folder and renaming
it over the original. The temporary file is named `.nbrefactor-<pid>-<n>.tmp`:
short, so that a notebook whose name is near the file system's 255-byte limit
can still be written, and carrying the id of the process that writes it, so
that a later run can tell a file left behind by a killed process (that process
no longer exists) from one a running nbrefactor is still writing.

The files this process has created and not yet renamed or removed are kept in
one set for the whole process, not passed around: a signal handler must find
them whatever the code was doing when the signal came.
"""

from __future__ import annotations

import itertools
import os
import re
import stat
from functools import cache

_CREATE_FLAGS = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
)
_numbers = itertools.count()
_open: set[str] = set()  # paths created by this process, not yet renamed or removed
_searched: set[str] = set()  # folders this process has already cleared of stale files


def create(folder: str) -> tuple[int, str]:
    """A new, empty temporary file in `folder`, open for writing: (descriptor, path)."""
    pid = os.getpid()
    while True:
        path = os.path.join(folder, f".nbrefactor-{pid}-{next(_numbers)}.tmp")
        _open.add(path)  # before it exists: a signal just after the open still finds it
        try:
            return os.open(path, _CREATE_FLAGS, 0o600), path
        except FileExistsError:
            _open.discard(path)  # left by an earlier process that had this id
        except BaseException:
            _open.discard(path)
            raise


def renamed(path: str) -> None:
    """`path` was renamed over its notebook: it is no longer a temporary file."""
    _open.discard(path)


def remove(path: str) -> None:
    """Remove a temporary file of this process (already gone is fine)."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    _open.discard(path)


def remove_all() -> None:
    """Remove every temporary file of this process; for signal handlers, so it never raises.

    A forked worker inherits its parent's set: only the files named with this
    process's id are its own.
    """
    own = f"-{os.getpid()}-"
    for path in list(_open):
        if own in os.path.basename(path):
            try:
                os.unlink(path)
            except OSError:
                pass
    _open.clear()


@cache
def _temporary_name() -> re.Pattern[str]:
    """The name `create` gives a temporary file, group 1 the process id; compiled when first
    needed: only a run that writes looks for stale ones."""
    return re.compile(r"\.nbrefactor-(\d+)-\d+\.tmp")


def remove_stale(folder: str) -> list[tuple[str, int]]:
    """Remove the temporary files in `folder` whose process no longer exists: (name, pid) of each.

    A folder is searched once per process. A file whose process id belongs to
    a running process is left alone: it may be another nbrefactor's, still
    being written (or, if the id was reused, an orphan for a later run).
    Process ids are only meaningful on this machine: a folder shared with
    another machine may hold files of processes that run there, which is why
    their removal is reported.
    """
    if folder in _searched:
        return []
    _searched.add(folder)
    removed = []
    try:
        with os.scandir(folder) as entries:
            candidates = [
                (entry.name, int(match.group(1)))
                for entry in entries
                if (match := _temporary_name().fullmatch(entry.name))
            ]
    except OSError:
        return []
    for name, pid in candidates:
        path = os.path.join(folder, name)
        if _running(pid):
            continue
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                continue
            os.unlink(path)
        except OSError:
            continue
        removed.append((name, pid))
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except (OverflowError, ValueError, OSError):
        return False  # not a process id at all
    return True

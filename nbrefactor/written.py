"""The notebooks a run has written, shared by its processes, so that an interrupted run reports them all.

Worker processes send their outcomes to the main process a chunk at a time,
and the main process prints them in order: on Ctrl-C, notebooks already
written may not have been reported yet, and their outcomes die with the
workers. So every process of a run also appends the path of each notebook it
writes to one journal: a temporary file without a name (it cannot outlive
the run), opened in append mode by the main process before the workers are
forked, so that each short record is added whole wherever it comes from.

Like `temporary`, the journal is one per process and not passed around: the
writing step and the interrupted main process both reach it. Where workers are
not forked (no `fork` start method), or the platform has no `fcntl`, there is
no journal and an interrupted run reports what reached the main process.
"""

from __future__ import annotations

import os

_journal: int | None = None  # the descriptor, inherited by forked workers
_SEPARATOR = b"\0"  # cannot occur in a path


def start() -> None:
    """Open the run's journal (in the main process, before any worker starts)."""
    global _journal
    try:
        import fcntl
    except ImportError:
        return
    import tempfile  # here: a run that writes nothing needs none (shutil, random: ms)

    try:
        with tempfile.TemporaryFile(buffering=0) as stream:
            descriptor = os.dup(stream.fileno())
        flags = fcntl.fcntl(descriptor, fcntl.F_GETFL)
        fcntl.fcntl(descriptor, fcntl.F_SETFL, flags | os.O_APPEND)
    except OSError:
        return  # no writable temporary folder: an interrupted run reports what reached it
    _journal = descriptor


def record(path: os.PathLike[str] | str) -> None:
    """Note that the notebook at `path` (as the run names it) was written."""
    if _journal is None:
        return
    try:
        os.write(_journal, os.fsencode(path) + _SEPARATOR)
    except OSError:
        pass  # a full disk must not turn a notebook written into one reported as failed


def paths() -> list[str]:
    """Every notebook the run's processes have written so far, in the order written."""
    if _journal is None:
        return []
    size = os.fstat(_journal).st_size
    content = os.pread(_journal, size, 0) if size else b""
    return [os.fsdecode(item) for item in content.split(_SEPARATOR) if item]


def stop() -> None:
    """Close the journal; its file, which has no name, goes with it."""
    global _journal
    if _journal is not None:
        os.close(_journal)
        _journal = None

"""Stopping cleanly: on SIGINT, SIGTERM and SIGHUP, and when the parent process dies.

A notebook is only ever replaced by a rename, so stopping at any moment leaves
it either as it was or completely written; what stopping must not leave is a
temporary file, or a worker process nobody waits for. On SIGINT (Ctrl-C),
SIGTERM and SIGHUP (a closed terminal) the main process removes its temporary
files, stops its workers (each removes its own) and raises `Interrupted`, which
the command line catches to report every notebook written so far and exit with
130, 143 or 129, the codes shells report for these signals. A signal the run was
started ignoring (`nohup`, a background job's SIGINT) stays ignored, as Python
leaves it. A worker whose parent dies without a chance
to stop it (SIGKILL, a crash) is told by the kernel on Linux (the
parent-death signal of prctl) and by a thread that watches the parent's
process id elsewhere, and stops the same way.

Workers exit with `os._exit` rather than by raising: an exception raised at an
arbitrary point in a worker can be caught on its way up (a worker pool catches
everything its tasks raise), and the cleanup needs no unwinding. The rename
that replaces a notebook and the record that it was written happen with the
signals held (`signals_held`), so that no notebook is written unrecorded.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType

from nbrefactor.nbfile import temporary
from nbrefactor.nbfile.disk import STOP_SIGNALS

_WORKER_GRACE_SECONDS = 5.0  # a worker runs its handler between two bytecodes: usually at once
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class Interrupted(BaseException):
    """A stop signal reached the main process; its workers and temporary files are gone.

    A BaseException, as KeyboardInterrupt: `except Exception` around one
    notebook's step must not swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def handle_signals() -> Callable[[], None]:
    """Stop the run cleanly on the stop signals; returns a function restoring the previous handlers.

    Signal handlers can only be set from the main thread: elsewhere (a test
    running the command in a thread) nothing is changed.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    main_pid = os.getpid()

    def stop(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != main_pid:  # a worker, between its fork and its own handlers
            _stop_worker(signum, frame)
        temporary.remove_all()
        _stop_workers()
        raise Interrupted(signum)

    previous = {
        signum: signal.signal(signum, stop)
        for signum in STOP_SIGNALS
        if signal.getsignal(signum) is not signal.SIG_IGN
    }

    def restore() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    return restore


def exit_with_parent(parent_pid: int) -> None:
    """In a worker process: stop cleanly on the stop signals, and when the parent dies.

    Workers are forked by the parent's main thread (ProcessPoolExecutor starts
    them all at once with the fork method), whose end is the process's end:
    the parent-death signal fires when the parent process is gone.
    """
    for signum in STOP_SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:  # as the parent left it
            signal.signal(signum, _stop_worker)
    if not _ask_for_parent_death_signal(signal.SIGTERM):
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    if os.getppid() != parent_pid:  # the parent died before the kernel was asked to tell us
        _stop_worker(signal.SIGTERM, None)


def _stop_worker(signum: int, frame: FrameType | None) -> None:
    temporary.remove_all()
    os._exit(128 + signum)


def _stop_workers() -> None:
    """Terminate this process's worker processes and wait for them (each removes its files)."""
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is None:
        return
    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    deadline = time.monotonic() + _WORKER_GRACE_SECONDS
    for child in children:
        child.join(max(0.0, deadline - time.monotonic()))
        if child.exitcode is None:  # stuck: its temporary file is left for a later run
            child.kill()
            child.join(1.0)


def _ask_for_parent_death_signal(signum: int) -> bool:
    """On Linux, have the kernel send `signum` when the parent dies; False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent_pid: int) -> None:
    """Where the kernel cannot tell: notice that the parent is gone (we were re-parented)."""
    while os.getppid() == parent_pid:
        time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGTERM)  # the handler runs in the main thread

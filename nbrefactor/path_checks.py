"""Why a path given to a run, or a link found in a folder, cannot be searched or read: a
link loop, a missing path, a link to nothing (`discovery` asks; round 60b)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from nbrefactor import messages


def path_problem(path: Path) -> str | None:
    """Why a path given cannot be searched, or None. A dangling link is left to the read step."""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return messages.symlink_loop()
        if os.path.islink(path):
            return None
        if isinstance(error, (FileNotFoundError, NotADirectoryError)):
            # `-`, which black reads as standard input (round 60b)
            return messages.no_such_file(standard_input=str(path) == "-")
        return messages.os_error("cannot read", str(error.strerror or error))
    return None


def link_loop(path: Path) -> str | None:
    """Why a symbolic link cannot be followed (a loop), or None."""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return messages.symlink_loop()
    return None


def links_to_nothing(path: str) -> bool:
    """Whether `path` is a symbolic link whose target does not exist (a loop is not: it is an
    error, reported with the other notebooks)."""
    if not os.path.islink(path):
        return False
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False

"""The one settings object of a run, built by the CLI and passed down unchanged."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

from nbrefactor.value_base import ValueBase


class Mode(Enum):
    WRITE = "write"  # rewrite changed notebooks in place
    DRY_RUN = "dry-run"  # print diffs, write nothing
    CHECK = "check"  # report what would change, write nothing, exit 1 if anything would


class Bump(Enum):
    """Which part of the notebook's title version a migration bumps."""

    PATCH = "patch"
    MINOR = "minor"
    MAJOR = "major"
    NONE = "none"


@dataclass(frozen=True, eq=False, repr=False)
class Config(ValueBase):
    """The run's settings, from the command line and the settings file: one value for every notebook."""

    bump: Bump = Bump.PATCH
    changelog: str | None = None  # None: the entry names the replaced functions
    now: datetime = datetime(2000, 1, 1, tzinfo=UTC)
    mode: Mode = Mode.WRITE
    show_diff: bool = False
    color: bool | None = None  # None: colour when stdout is a terminal
    verbose: bool = False
    quiet: bool = False
    jobs: int = 1
    # Whether the run shows why a definition is kept and which cells could not be
    # read (not under -q, nor under --check in text without -v): when it does not,
    # a notebook where no definition can go is read no further (`read_program`).
    explains: bool = True

    @property
    def writes(self) -> bool:
        return self.mode is Mode.WRITE


def current_time() -> datetime:
    """Now, in UTC; SOURCE_DATE_EPOCH (reproducible builds) takes precedence."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC)


def colour_choice(flag: bool | None) -> bool | None:
    """--color/--no-color, else NO_COLOR (https://no-color.org), else FORCE_COLOR; None: ask the terminal.

    NO_COLOR wins over FORCE_COLOR, as in CPython's own colour switch; either
    counts when set to anything but the empty string.
    """
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return None

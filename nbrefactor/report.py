"""Counting the outcomes of a run, and owning its exit code (as black's `Report` does)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from nbrefactor import messages
from nbrefactor.config import Mode
from nbrefactor.migration import Outcome, Status


@dataclass
class RunReport:
    """The counts of a run's outcomes, added as each notebook finishes: its summary and exit code."""

    mode: Mode
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    kept: int = 0  # inline definitions kept, over every notebook
    stopped_by: int | None = None  # the signal that interrupted the run
    notebooks_done: int = 0  # with stopped_by: how many notebooks were finished...
    notebooks_total: int = 0  # ... of how many

    def add(self, outcome: Outcome) -> None:
        self.kept += len(outcome.report.kept)
        if outcome.status is Status.CHANGED:
            self.changed += 1
        elif outcome.status is Status.UNCHANGED:
            self.unchanged += 1
        else:
            self.failed += 1

    def interrupt(self, signum: int, done: int, total: int) -> None:
        """The run was stopped by `signum` after `done` of `total` notebooks."""
        self.stopped_by = signum
        self.notebooks_done = done
        self.notebooks_total = total

    @property
    def exit_code(self) -> int:
        """0: done or nothing to do; 1: --check found changes; 2: a notebook failed;
        128 + the signal number when interrupted (130 for Ctrl-C), as shells report it."""
        if self.stopped_by is not None:
            return 128 + self.stopped_by
        if self.failed:
            return 2
        return 1 if self.changed and self.mode is Mode.CHECK else 0

    def summary(self) -> str:
        writes = self.mode is Mode.WRITE
        if self.stopped_by is None:
            return messages.summary(self.changed, self.unchanged, self.failed, writes)
        counts = messages.counts(self.changed, self.unchanged, self.failed, writes)
        return messages.interrupted(self.notebooks_done, self.notebooks_total, counts)


def headline(outcome: Outcome, mode: Mode) -> str:
    if outcome.status is Status.FAILED:
        return messages.error_line(outcome.path, outcome.error or "")
    if outcome.status is Status.CHANGED:
        return messages.changed_line(outcome.path, writes=mode is Mode.WRITE)
    return messages.unchanged_line(outcome.path)


def details(outcome: Outcome) -> Iterator[str]:
    """The per-notebook lines under the headline: replaced, kept, notes, warnings."""
    yield from outcome.report.lines()


def has_details(outcome: Outcome) -> bool:
    return bool(outcome.report.lines())

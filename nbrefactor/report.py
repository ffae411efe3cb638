"""Counting the outcomes of a run, and owning its exit code (as black's `Report` does)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from nbrefactor import messages
from nbrefactor.config import Mode
from nbrefactor.migration import Outcome, Status


@dataclass
class RunReport:
    mode: Mode
    changed: int = 0
    unchanged: int = 0
    failed: int = 0

    def add(self, outcome: Outcome) -> None:
        if outcome.status is Status.CHANGED:
            self.changed += 1
        elif outcome.status is Status.UNCHANGED:
            self.unchanged += 1
        else:
            self.failed += 1

    @property
    def exit_code(self) -> int:
        """0: done or nothing to do; 1: --check found changes; 2: a notebook failed."""
        if self.failed:
            return 2
        return 1 if self.changed and self.mode is Mode.CHECK else 0

    def summary(self) -> str:
        return messages.summary(
            self.changed, self.unchanged, self.failed, writes=self.mode is Mode.WRITE
        )


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

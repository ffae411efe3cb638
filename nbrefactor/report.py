"""Counting outcomes, saying what happened, and owning the exit code."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from nbrefactor.config import Mode
from nbrefactor.files import Outcome, Status


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
        changed_verb = "migrated" if self.mode is Mode.WRITE else "would be migrated"
        parts = [
            f"{_count(self.changed, 'notebook')} {changed_verb}",
            f"{_count(self.unchanged, 'notebook')} unchanged",
        ]
        if self.failed:
            parts.append(f"{_count(self.failed, 'notebook')} failed")
        return ", ".join(parts) + "."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def headline(outcome: Outcome, mode: Mode) -> str:
    if outcome.status is Status.FAILED:
        return f"error: {outcome.path}: {outcome.error}"
    if outcome.status is Status.CHANGED:
        return f"{'migrated' if mode is Mode.WRITE else 'would migrate'} {outcome.path}"
    return f"unchanged {outcome.path}"


def details(outcome: Outcome) -> Iterator[str]:
    """The per-notebook lines under the headline: replaced, kept, notes, warnings."""
    report = outcome.report
    yield from report.replaced
    yield from report.kept
    yield from report.notes
    for warning in (*report.warnings, *outcome.warnings):
        yield f"warning: {warning}"


def has_details(outcome: Outcome) -> bool:
    report = outcome.report
    return bool(
        report.replaced or report.kept or report.notes or report.warnings or outcome.warnings
    )

"""The report of one notebook, and the words for each replaced or kept definition.

`NotebookReport` is the one report type: what a migration replaced, kept,
noted and warned about. A replaced or kept definition is a `Finding`, whose
name, cell and reason the JSON and GitHub formats print without reading them
back from the line; `reason_words.describe` words each reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nbrefactor.messages.reason_words import describe, rename_problem
from nbrefactor.value_base import ValueBase

if TYPE_CHECKING:
    # At run time each function imports `reasons` itself: a run where no notebook
    # defines a library name words no reason, and defining the types costs start-up.
    from nbrefactor import reasons as reasons_


@dataclass(frozen=True, eq=False, repr=False)
class Finding(ValueBase):
    """A replaced or kept definition: its name, cell and reason, and its report line."""

    name: str
    cell: int
    reason: str
    message: str  # the whole line, as the text format prints it
    code: str  # `NBR100` for a replaced definition, the reason's code for a kept one
    detail_codes: tuple[str, ...] = ()  # a replaced definition's details, in line order


@dataclass(frozen=True, eq=False, repr=False)
class NotebookReport(ValueBase):
    """What a migration found in one notebook, in the order it is shown."""

    replaced: tuple[Finding, ...] = ()
    kept: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def lines(self) -> tuple[str, ...]:
        return (
            *(finding.message for finding in self.replaced),
            *(finding.message for finding in self.kept),
            *self.notes,
            *(f"warning: {warning}" for warning in self.warnings),
        )


# -- definitions ---------------------------------------------------------------


def replaced(name: str, cell: int, reasons: Sequence[reasons_.ReplacedReason]) -> Finding:
    """`replaced NAME (cell N)`, then how (`with m.new`) and the details, `; `-separated."""
    from nbrefactor import reasons as reasons_

    line = f"replaced {name} (cell {cell})"
    how = next((describe(reason) for reason in reasons if _is_how(reason)), None)
    details = [text for reason in reasons for text in _details(reason)]
    if how is not None:
        line += f" {how}"
    reason = "; ".join(details if how is None else [how, *details])
    codes = tuple(reason.code for reason in reasons)
    return Finding(name, cell, reason, "; ".join([line, *details]), reasons_.REPLACED_CODE, codes)


def kept(name: str, cell: int, reason: reasons_.KeptReason) -> Finding:
    text = describe(reason)
    return Finding(name, cell, text, f"kept {name} (cell {cell}): {text}", reason.code)


def _is_how(reason: reasons_.ReplacedReason) -> bool:
    """Legacy names say how they were replaced right after the name, not as a detail."""
    from nbrefactor import reasons as reasons_

    return isinstance(reason, reasons_.LegacyHow)


def _details(reason: reasons_.ReplacedReason) -> list[str]:
    from nbrefactor import reasons as reasons_

    if isinstance(
        reason,
        (
            reasons_.RenameInCellMagic,
            reasons_.RenameCaptured,
            reasons_.RenameInString,
            reasons_.RenameInMagic,
            reasons_.RenameBeforeDefinition,
            reasons_.RenameListed,
        ),
    ):
        return [f"calls not renamed, since {rename_problem(reason)}"]
    if isinstance(reason, reasons_.UnusedUnderOldName):
        return ["not used in this notebook; its name stays bound"]
    return [] if _is_how(reason) else [describe(reason)]

"""What the import rule decides (`import_placement`): the import's edit and place, or why
no place will do. Data only, so that the edits (`edits.edit`, `edits.import_merge`) and
the later rules read it without the rule that decides it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from nbrefactor import reasons
from nbrefactor.value_base import ValueBase


class InsertMode(Enum):
    AFTER = "after"  # right after statement_index - 1, with no blank line
    TOP = "top"  # first statement of the cell, below a detached header comment
    REPLACE = "replace"  # where the removed statement at statement_index was


@dataclass(frozen=True, eq=False, repr=False)
class ImportEdit(ValueBase):
    """Add `names` to a cell: into the import at `statement_index`, or as a new import.

    A name is `a` or `a as b`; `statement_index` counts the cell's top-level
    statements as `ast` does.
    """

    module: str
    names: tuple[str, ...]
    statement_index: int
    merge: bool
    mode: InsertMode = InsertMode.AFTER


@dataclass(frozen=True, eq=False, repr=False)
class ImportDecision(ValueBase):
    """Where the import of the replaced names goes (the edit), with the report's note and warnings."""

    cell: int | None  # None: nothing needs importing
    edit: ImportEdit | None
    note: str
    warnings: tuple[str, ...]


@dataclass(frozen=True, eq=False, repr=False)
class ImportBlocked(ValueBase):
    """No place lets the import stand in for the definitions: why, by the name it binds.

    Nothing is replaced then (`rules.decide`): with some definitions kept, the import
    of the others could go elsewhere, and migrating the result again would change it.
    """

    problems: tuple[tuple[str, reasons.KeptReason], ...]  # (name the import binds, why)

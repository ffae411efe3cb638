"""The new import: where it goes and how it reads, in terms that need no parser."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


class InsertMode(Enum):
    AFTER = "after"  # right after statement_index - 1, with no blank line
    TOP = "top"  # first statement of the cell, below a detached header comment
    REPLACE = "replace"  # where the removed statement at statement_index was


@dataclass(frozen=True)
class ImportEdit:
    """Add `names` to the cell: into the import at statement_index, or as a new import."""

    module: str
    names: tuple[str, ...]
    statement_index: int
    merge: bool
    mode: InsertMode = InsertMode.AFTER


# Black's default line length: a longer new import is wrapped in parentheses.
MAX_IMPORT_LINE = 88


def format_import(module: str, names: Sequence[str], indent: str, newline: str = "\n") -> str:
    """`from module import a, b`, wrapped black-style (one name per line) when too long."""
    one_line = f"from {module} import {', '.join(names)}"
    if len(one_line) <= MAX_IMPORT_LINE:
        return one_line + newline
    lines = "".join(f"{indent}{name},{newline}" for name in names)
    return f"from {module} import ({newline}{lines}){newline}"

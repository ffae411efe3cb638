"""How a new `from module import ...` reads: one line, or wrapped as black wraps it."""

from __future__ import annotations

from collections.abc import Sequence

# Black's default line length: a longer new import is wrapped in parentheses.
MAX_IMPORT_LINE = 88


def format_import(module: str, names: Sequence[str], indent: str, newline: str = "\n") -> str:
    """`from module import a, b`, wrapped black-style (one name per line) when too long."""
    one_line = f"from {module} import {', '.join(names)}"
    if len(one_line) <= MAX_IMPORT_LINE:
        return one_line + newline
    lines = "".join(f"{indent}{name},{newline}" for name in names)
    return f"from {module} import ({newline}{lines}){newline}"

"""What a notebook's imports bind a name to: the other side of a library's own imports.

A copy of a library function reads `ser` from the notebook's `import pickle as
ser`; the library's function reads its module's `import json as ser`. The
same body then does another thing (`hidden_inputs` reports it). Only the
import lines naming the name are parsed, each on its own (with the lines
that close its parentheses), so the cells that merely use `np` are not read.
"""

from __future__ import annotations

import ast
import re

from nbrefactor.analysis.import_targets import import_targets
from nbrefactor.analysis.magics import PYTHON_CELL_MAGICS, cell_magic
from nbrefactor.analysis.parsing import AST_ERRORS
from nbrefactor.nbfile.notebook import Notebook

_CONTINUED_LINES = 50  # a parenthesized import longer than this is not read
# A line that starts (after its indent) with `import` or `from`: found by the engine.
_IMPORT_LINE = re.compile(r"^[ \t]*(?:import|from)[ \t][^\n]*", re.MULTILINE)


class NotebookImports:
    """Which cells import a name, and what each binds it to; each name looked for once."""

    def __init__(self, notebook: Notebook) -> None:
        self.notebook = notebook
        self._found: dict[str, tuple[tuple[int, str], ...]] = {}

    def targets(self, name: str) -> tuple[tuple[int, str], ...]:
        """(cell, what it binds `name` to, as `import_target` spells it) for each import of it."""
        if name not in self._found:
            self._found[name] = tuple(
                (cell.number, target)
                for cell in self.notebook.cells
                if cell.cell_type == "code" and name in cell.source and "import" in cell.source
                for target in _targets_in(cell.source, name)
            )
        return self._found[name]


def _targets_in(source: str, name: str) -> list[str]:
    magic = cell_magic(source)
    if magic is not None and magic not in PYTHON_CELL_MAGICS:
        return []
    found = []
    for match in _IMPORT_LINE.finditer(source):
        line = match.group()
        if name not in line and not line.rstrip().endswith(("(", "\\", ",")):
            continue  # neither names it nor goes on to lines that could
        statement = _parsed_import(source, match.start())
        if statement is not None:
            target = import_targets(statement).get(name)
            if target is not None:
                found.append(target)
    return found


def _parsed_import(source: str, start: int) -> ast.Import | ast.ImportFrom | None:
    """The import statement starting at `start`, read with the lines that close it."""
    end = source.find("\n", start)
    text = source[start : len(source) if end < 0 else end].strip()
    following: list[str] | None = None
    for index in range(_CONTINUED_LINES + 1):
        try:
            statement = ast.parse(text).body[0]
        except AST_ERRORS:
            if following is None:  # only for an import that goes on (rare): its next lines
                following = source[start:].split("\n", _CONTINUED_LINES + 1)[1:]
            if index >= len(following):
                return None
            text += "\n" + following[index].strip()
            continue
        return statement if isinstance(statement, (ast.Import, ast.ImportFrom)) else None
    return None

"""What a notebook's imports bind a name to: the other side of a library's own imports.

A copy of a library function reads `ser` from the notebook's `import pickle as
ser`; the library's function reads its module's `import json as ser`. The
same body then does another thing (`hidden_inputs` reports it). Only the
import lines naming the name are parsed, each on its own (with the lines
that close its parentheses), so the cells that merely use `np` are not read.
"""

from __future__ import annotations

import ast

from nbrefactor.analysis.import_targets import import_targets
from nbrefactor.analysis.magics import PYTHON_CELL_MAGICS, cell_magic
from nbrefactor.analysis.parsing import AST_ERRORS
from nbrefactor.analysis.text import split_lines
from nbrefactor.nbfile.notebook import Notebook

_CONTINUED_LINES = 50  # a parenthesized import longer than this is not read


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
    lines = split_lines(source)
    found = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped.startswith(("import ", "from ")) or name not in stripped:
            continue
        statement = _parsed_import(lines, index)
        if statement is not None:
            target = import_targets(statement).get(name)
            if target is not None:
                found.append(target)
    return found


def _parsed_import(lines: list[str], index: int) -> ast.Import | ast.ImportFrom | None:
    """The import statement starting on `lines[index]`, read with the lines that close it."""
    text = lines[index].strip()
    for following in [*lines[index + 1 : index + 1 + _CONTINUED_LINES], None]:
        try:
            statement = ast.parse(text).body[0]
        except AST_ERRORS:
            if following is None:
                return None
            text += "\n" + following.strip()
            continue
        return statement if isinstance(statement, (ast.Import, ast.ImportFrom)) else None
    return None

"""Rule: an import of a module found only in the notebook's folder runs before any change of
the working folder.

A kernel finds modules in its working folder through `''` on `sys.path`, not
through the notebook's folder itself: after `%cd ..` (a common first line of
notebooks kept in a project's `notebooks/` folder) or `os.chdir(...)`, a
`helpers.py` beside the notebook is no longer found. So when the module read
lies beside the notebook and is not installed (`migration` says so), a new
import placed after such a line would fail: every definition is kept
(`NBR244`). A module found elsewhere (installed, or in the folder the notebook
changes to: the demo's `%cd sentinel-ai`) is not asked about.
"""

from __future__ import annotations

import ast

from nbrefactor.analysis.import_search import cd_magic_argument
from nbrefactor.analysis.parsing import called_name
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.text import lines_holding


def folder_changed_before(
    program: Program, cell: int, statement_index: int
) -> tuple[int, str] | None:
    """(cell, line) of the first `%cd` or `chdir(...)` that runs before top-level statement
    `statement_index` of `cell`; None when there is none."""
    for before in program.notebook.cells[: cell - 1]:
        if before.cell_type != "code":
            continue
        for line in lines_holding(before.source, ("%cd", "chdir(")):
            if line.startswith("%cd") or "chdir(" in line:
                return before.number, line.rstrip()
    reading = program.reading(cell)
    if reading is None:
        return None
    for statement in reading.facts.tree.body[:statement_index]:
        argument = cd_magic_argument(statement, reading.masked.originals)
        if argument is not None:
            return cell, f"%cd {argument}".strip()
        if any(
            isinstance(node, ast.Call) and called_name(node) == "chdir"
            for node in ast.walk(statement)
        ):
            return cell, ast.unparse(statement).partition("\n")[0]
    return None

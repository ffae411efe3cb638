"""What the library's import must come after in the notebook's import cell, besides its imports.

The import goes right after the import cell's last import (`import_placement`),
and after the statements of that cell the library's module may need to have
run first: a `try`/`if`/`with` holding an import (`try: import control` /
`except ImportError: !pip install control` installs what the library may
import), and a line that changes where imports are found
(`sys.path.append("../src")`, `os.chdir(...)`, `%cd ..`), without which the
library's module may not be found at all.
"""

from __future__ import annotations

import ast

from nbrefactor.analysis.import_search import cd_magic_argument, changes_import_path
from nbrefactor.analysis.program import Program


def statements_to_follow(program: Program, cell: int) -> list[int]:
    """The top-level statements of the cell the import goes after, by index: a
    `try`/`if`/`with` holding an import (`try: import control` / `except ImportError:
    !pip install control`: the library's module may need what they import), and a change
    to where imports are found (`sys.path.append("../src")`, `os.chdir(...)`,
    `site.addsitedir(...)`, `%cd ..`: the library's module may be found only after it)."""
    reading = program.reading(cell)
    if reading is None or reading.skeletal:
        return []
    originals = reading.masked.originals
    return [
        index
        for index, statement in enumerate(reading.facts.tree.body)
        if cd_magic_argument(statement, originals) is not None
        or any(_must_come_first(statement, node) for node in ast.walk(statement))
    ]


def _must_come_first(statement: ast.stmt, node: ast.AST) -> bool:
    """Whether `node`, in the top-level `statement`, is an import guarded by it or a change
    to where imports are found."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return isinstance(statement, (ast.Try, ast.TryStar, ast.If, ast.With))
    return changes_import_path(node)

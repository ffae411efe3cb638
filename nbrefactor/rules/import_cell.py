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
    found = []
    for index, statement in enumerate(reading.facts.tree.body):
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Name):
            if originals.get(statement.value.id, "").split(None, 1)[:1] == ["%cd"]:
                found.append(index)
        elif any(_must_come_first(statement, node) for node in ast.walk(statement)):
            found.append(index)
    return found


def _must_come_first(statement: ast.stmt, node: ast.AST) -> bool:
    """Whether `node`, in the top-level `statement`, is an import guarded by it or a change
    to where imports are found."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return isinstance(statement, (ast.Try, ast.TryStar, ast.If, ast.With))
    return _changes_import_path(node)


def _changes_import_path(node: ast.AST) -> bool:
    """`sys.path` (appended to, assigned), `chdir(...)`, `addsitedir(...)`."""
    if isinstance(node, ast.Attribute):
        return node.attr == "path" and isinstance(node.value, ast.Name) and node.value.id == "sys"
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        return name in ("chdir", "addsitedir")
    return False

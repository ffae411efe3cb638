"""Where the notebook imports a module of the library's name before the new import's place.

Python keeps a module once imported (`sys.modules`): an import of the name further down
binds that module, wherever the search order then points. So when an earlier
`import helpers as old` found another file of that name (a stale copy beside the
notebook, before `sys.path.insert(0, "..")` put the module read first), the new
`from helpers import f` binds the stale copy too (round 60a F3). `refactor` asks the
same folder search as for `NBR235` what each such import found (`NBR269`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from nbrefactor import reasons
from nbrefactor.analysis.import_statements import parsed_imports
from nbrefactor.analysis.import_targets import modules_of
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.text import import_lines


def module_imports_before(program: Program, place: tuple[int, int]) -> list[tuple[int, int]]:
    """(cell, top-level statement) of each import naming the library's top-level module
    (`import helpers as old`, `from helpers import g`, in a block too) that runs before
    `place`, in notebook order. A cell not read is read from its text, as if its import
    were its first statement: no folder its lines add before it is counted."""
    top = program.catalog.module.partition(".")[0]
    found: list[tuple[int, int]] = []
    for cell in program.notebook.cells:
        if cell.cell_type != "code" or cell.number > place[0] or top not in cell.source:
            continue
        reading = program.reading(cell.number)
        if reading is None:
            if _text_imports(cell.source, top):
                found.append((cell.number, 0))
            continue
        for index, statement in enumerate(reading.facts.tree.body):
            if (cell.number, index) >= place:
                break
            if any(_imports(node, top) for node in ast.walk(statement)):
                found.append((cell.number, index))
    return found


def _imports(node: ast.AST, top: str) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name.partition(".")[0] == top for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return node.level == 0 and (node.module or "").partition(".")[0] == top
    return False


def _text_imports(source: str, top: str) -> bool:
    for match in import_lines().finditer(source):
        for statement in parsed_imports(source, match.start()):
            if any(module.partition(".")[0] == top for module in modules_of(statement)):
                return True
    return False


def stale_import(
    program: Program,
    shadowed: Callable[[tuple[int, int] | None], reasons.ModuleShadowed | None] | None,
    place: tuple[int, int] | None,
) -> reasons.StaleModuleImported | None:
    """A cell above the import's `place` importing the library's module name where it finds
    another file (`shadowed` asked at that import): Python keeps it, and the new import
    would bind it (round 60a F3: `import mylib as old` found nbs/mylib.py, then
    `sys.path.insert(0, "..")`)."""
    if shadowed is None or place is None:
        return None
    for cell, statement in module_imports_before(program, place):
        found = shadowed((cell, statement))
        if found is not None:
            return reasons.StaleModuleImported(
                cell, found.found, found.module, found.source_file, found.folder, found.installed
            )
    return None

"""Where the notebook imports a module of the library's name before the new import's place.

Python keeps a module once imported (`sys.modules`): an import of the name further down
binds that module, wherever the search order then points. So when an earlier
`import helpers as old` found another file of that name (a stale copy beside the
notebook, before `sys.path.insert(0, "..")` put the module read first), the new
`from helpers import f` binds the stale copy too (round 60a F3). `refactor` asks the
same folder search as for `NBR235` what each such import found (`NBR269`). A module of
the notebook's folder it imports there that changes where modules are found and imports
the library's name (`sys.path.insert(0, "other")` / `import mylib`) may have left another
file in `sys.modules` too (`NBR275`, on the safe side: round 62a F3).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from nbrefactor import reasons
from nbrefactor.analysis.import_statements import parsed_imports
from nbrefactor.analysis.import_targets import modules_of
from nbrefactor.analysis.parsing import Unparseable, parse_cell
from nbrefactor.analysis.path_changes import path_changers_importing, unindented
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.scopes import called_name
from nbrefactor.analysis.text import import_lines


def module_imports_before(
    program: Program, place: tuple[int, int], top: str | None = None
) -> list[tuple[int, int]]:
    """(cell, top-level statement) of each import naming the library's top-level module, or
    `top` (`import helpers as old`, `from helpers import g`, in a block too) that runs before
    `place`, in notebook order. A cell the program did not read is parsed here (round 61a
    S4: `%time import helpers as old`, `__import__("helpers")`); one that does not parse is
    read from its text, as if its import were its first statement: no folder its lines add
    before it is counted."""
    if top is None:
        top = program.catalog.module.partition(".")[0]
    found: list[tuple[int, int]] = []
    for cell in program.notebook.cells:
        if cell.cell_type != "code" or cell.number > place[0] or top not in cell.source:
            continue
        reading = program.reading(cell.number)
        try:
            tree, masked = (
                (reading.facts.tree, reading.masked) if reading else parse_cell(cell.source)
            )
        except Unparseable:
            if _text_imports(cell.source, top):
                found.append((cell.number, 0))
            continue
        lines = unindented(masked.originals)
        for index, statement in enumerate(tree.body):
            if (cell.number, index) >= place:
                break
            if any(_imports(node, top, lines) for node in ast.walk(statement)):
                found.append((cell.number, index))
    return found


def _imports(node: ast.AST, top: str, magic_lines: dict[str, str]) -> bool:
    """An import statement of `top`, and (round 61a S4) what imports it as well: a line
    magic running an import (`%time import mylib as old`), `importlib.import_module("mylib")`,
    `__import__("mylib")`, `exec("import mylib as old")`, their names as literals say."""
    if isinstance(node, ast.Import):
        return any(alias.name.partition(".")[0] == top for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return node.level == 0 and (node.module or "").partition(".")[0] == top
    if isinstance(node, ast.Name) and node.id in magic_lines:
        words = magic_lines[node.id].split(None, 1)  # `%time import mylib as old`
        return len(words) == 2 and _text_imports(words[1], top)
    if not isinstance(node, ast.Call) or not node.args:
        return False
    first = node.args[0]
    if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
        return False
    name = called_name(node)
    if name in ("import_module", "__import__"):
        return first.value.partition(".")[0] == top
    return name == "exec" and _text_imports(first.value, top)


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
) -> reasons.StaleModuleImported | reasons.LocalModuleImportsLibrary | None:
    """A cell above the import's `place` importing the library's module name where it finds
    another file (`shadowed` asked at that import): Python keeps it, and the new import
    would bind it (round 60a F3: `import mylib as old` found nbs/mylib.py, then
    `sys.path.insert(0, "..")`). Or a cell there importing a module of the notebook's
    folder that changes where modules are found and imports that name (`import tools`,
    tools.py doing `sys.path.insert(0, "other")` / `import mylib`: round 62a F3)."""
    if shadowed is None or place is None:
        return None
    for cell, statement in module_imports_before(program, place):
        found = shadowed((cell, statement))
        if found is not None:
            return reasons.StaleModuleImported(
                cell, found.found, found.module, found.source_file, found.folder, found.installed
            )
    return _through_local_module(program, place)


def _through_local_module(
    program: Program, place: tuple[int, int]
) -> reasons.LocalModuleImportsLibrary | None:
    """The first import above `place` of a module of the notebook's folder that changes
    where modules are found and imports the library's module name (`path_changers_importing`):
    which file it found, its literals need not say, and Python keeps it. The safe side."""
    folder = program.folder
    catalog = program.catalog
    if folder is None or catalog.source_file is None:
        return None
    locals_ = path_changers_importing(folder, catalog.module.partition(".")[0])
    found = [
        (cell, local)
        for local in sorted(locals_)
        for cell, _ in module_imports_before(program, place, local)[:1]
    ]
    if not found:
        return None
    cell, local = min(found)
    return reasons.LocalModuleImportsLibrary(cell, local, catalog.module, str(catalog.module_file))

"""Where the notebook imports a module of the library's name before the new import's place.

Python keeps a module once imported (`sys.modules`): an import of the name further down
binds that module, wherever the search order then points. So when an earlier
`import helpers as old` found another file of that name (a stale copy beside the
notebook, before `sys.path.insert(0, "..")` put the module read first), the new
`from helpers import f` binds the stale copy too (round 60a F3). `refactor` asks the
same folder search as for `NBR235` what each such import found (`NBR269`). A module of
the notebook's folder it imports there that changes where modules are found and imports
the library's name (`sys.path.insert(0, "other")` / `import mylib`) may have left another
file in `sys.modules` too (`NBR275`: round 62a F3): its statements are read in order for
the file that import finds (round 62c K2-K4).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable
from pathlib import Path

from nbrefactor import reasons
from nbrefactor.analysis.code_warnings import code_warnings_ignored
from nbrefactor.analysis.folder_literals import Unknown
from nbrefactor.analysis.folder_search import FolderSearch
from nbrefactor.analysis.import_statements import parsed_imports
from nbrefactor.analysis.import_targets import modules_of
from nbrefactor.analysis.local_path_modules import path_changers_importing
from nbrefactor.analysis.module_path import holds_module, shadowing_file
from nbrefactor.analysis.parsing import Unparseable, parse_cell
from nbrefactor.analysis.path_changes import path_changers_beside, unindented
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.scopes import called_name
from nbrefactor.analysis.sys_names import sys_names
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
    return _through_local_module(program, place, shadowed)


def _through_local_module(
    program: Program,
    place: tuple[int, int],
    shadowed: Callable[[tuple[int, int] | None], reasons.ModuleShadowed | None],
) -> reasons.LocalModuleImportsLibrary | None:
    """The first import above `place` of a module of the notebook's folder that changes
    where modules are found and imports the library's module name (`path_changers_importing`)
    where that import may find another file than the one read (`_may_find_another`):
    Python keeps it (round 62a F3)."""
    folder = program.folder
    catalog = program.catalog
    if folder is None or catalog.source_file is None:
        return None
    locals_ = path_changers_importing(folder, catalog.module.partition(".")[0])
    found = [
        (cell, local)
        for local in sorted(locals_)
        for cell, statement in module_imports_before(program, place, local)[:1]
        if _may_find_another(program, (local, locals_), shadowed, (cell, statement))
    ]
    if not found:
        return None
    cell, local = min(found)
    return reasons.LocalModuleImportsLibrary(cell, local, catalog.module, str(catalog.module_file))


def _may_find_another(
    program: Program,
    local: tuple[str, dict[str, Path]],
    shadowed: Callable[[tuple[int, int] | None], reasons.ModuleShadowed | None],
    at: tuple[int, int],
    seen: frozenset[str] = frozenset(),
) -> bool:
    """Whether importing the `local` module (its name, and `path_changers_importing`'s
    modules by name), imported by the notebook at `at`, may import another file of the
    library's name than the one read. A module of those it imports before any change of its
    own is read in turn (round 62c F1: `tools.py` importing `tools2.py`). Its top-level
    statements are read in order, as Python runs them, following the folders they put on
    `sys.path` (`FolderSearch`, as for the notebook's cells, relative to the kernel's
    folder); at its first import of the name,
    the search finds the file (round 62c K2: `paths.py` putting `../src` first, where the
    one read lies). An import inside a function never runs there (K3), one before any change
    finds what the notebook's own search finds (K4). The safe side (True): a change
    literals do not say, another module of the folder changing the path, an import in a
    block, a file that does not parse."""
    catalog = program.catalog
    module, module_file = catalog.module, catalog.module_file
    name, importing = local
    folder = program.folder
    if folder is None or name in seen:
        return name in seen  # a cycle: Python runs it once; nothing new
    try:
        text = importing[name].read_text(encoding="utf-8", errors="replace")
        with code_warnings_ignored():  # the module's `"\d"`: its warning, not ours (59b)
            tree = ast.parse(text)
    except (OSError, SyntaxError, ValueError):
        return True
    top = module.partition(".")[0]
    changers = path_changers_beside(folder) - {name}
    search = FolderSearch(Path(os.path.abspath(folder)), sys_names([text]))
    unknown = False
    for statement in tree.body:
        imported = _imports_outside_functions(statement)
        if top in imported:
            if (
                unknown
                or module_file is None
                or not isinstance(statement, (ast.Import, ast.ImportFrom))
            ):
                return True  # in a block: it may run after a change there (the safe side)
            return _found_other(module, module_file, search, shadowed, at)
        for other in sorted(imported & importing.keys() - {name}):
            if unknown or search.found or not isinstance(statement, (ast.Import, ast.ImportFrom)):
                return True  # after a change of its own, or in a block: the safe side
            if _may_find_another(program, (other, importing), shadowed, at, seen | {name}):
                return True
        if not changers.isdisjoint(imported):
            unknown = True  # another module changing the path: what it adds, its code says
        try:
            search.run(statement, {})
        except Unknown:
            unknown = True
    return False


def _found_other(
    module: str,
    module_file: Path,
    search: FolderSearch,
    shadowed: Callable[[tuple[int, int] | None], reasons.ModuleShadowed | None],
    at: tuple[int, int],
) -> bool:
    """Whether `import module`, after the local module's `search`, finds another file: the
    folders it put first (the latest first), then the notebook's search at `at` (`NBR235`:
    its folders put first, its own folder, installed), then the folders it appended."""
    for place in dict.fromkeys(reversed(search.first)):
        if holds_module(module, place):
            return shadowing_file(module, module_file, place) is not None
    if shadowed(at) is not None:
        return True
    first = set(search.first)
    return any(
        shadowing_file(module, module_file, place) is not None
        for place in search.found
        if place not in first
    )


def _imports_outside_functions(statement: ast.stmt) -> set[str]:
    """The top-level modules the statement imports when it runs: not in a function's body,
    which importing the module never runs (round 62c K3)."""
    found: set[str] = set()
    todo: list[ast.AST] = [statement]
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.partition(".")[0])
        todo.extend(ast.iter_child_nodes(node))
    return found

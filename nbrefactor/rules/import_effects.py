"""Rule: the import a migration adds runs no code the notebook did not run.

A definition pasted into a notebook came without its module's top level. When
that top level does something besides defining (`plt.style.use("ggplot")`,
`np.set_printoptions(precision=2)`, `warnings.filterwarnings("ignore")`:
`analysis.import_effects`), a new `from helpers import f` would do it too, and
every cell after it could plot, print or warn otherwise: a change outside the
helper's body. So a new import is only added where each file that does
something has run already: the notebook imported its module (or a submodule of
that package) before the import's place, in an earlier cell or an earlier
statement of the import's cell, itself or through a module of the notebook's
folder that imports it by a statement of its top level itself (one in a block
may not run: `try: import absent; import helpers`); a name merged into an
existing import of the module adds nothing that runs. Otherwise every definition is kept
(`NBR242`), and the report names the statement: a user who wants its effect can
import the module at the top and run `migrate` again. A module Python does not
compile, though `ast` reads it (a top-level `await`), keeps them too (`NBR271`):
the import would raise SyntaxError. So does a library taking names from a module
the kernel binds as its own while its folder holds another of that name (`from dateutil
import to_day` beside a dateutil.py, python-dateutil imported at the kernel's start:
`analysis.kernel_bound`): whether the kernel's has them is not checked (`NBR279`); or
from one a cell above the import's place imports first from another file (`import colorsys`
before `sys.path.insert(0, "lib")`: `analysis.notebook_bound`), which Python keeps (`NBR278`).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator

from nbrefactor import reasons
from nbrefactor.analysis.import_effects import ImportWalk, file_imports, import_walk
from nbrefactor.analysis.import_search import import_folders
from nbrefactor.analysis.import_targets import imports_module, modules_of
from nbrefactor.analysis.kernel_bound import KernelBoundImport
from nbrefactor.analysis.kernel_modules import KERNEL_BOUND, is_standard
from nbrefactor.analysis.magics import MaskedSource
from nbrefactor.analysis.module_path import module_file
from nbrefactor.analysis.notebook_bound import NotebookBound, bound_first
from nbrefactor.analysis.notebook_imports import NotebookImports
from nbrefactor.analysis.package_modules import packages_importing
from nbrefactor.analysis.parsing import Unparseable, parse_cell
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.run_imports import imports_run, may_import
from nbrefactor.analysis.standard_siblings import standard_siblings


def runs_new_code(
    program: Program, cell: int, statement_index: int, merge: bool
) -> (
    reasons.ImportRunsCode
    | reasons.ImportRaises
    | reasons.ImportFromKernelModule
    | reasons.ImportFromNotebookModule
    | None
):
    """Why an import of the library placed before top-level statement `statement_index` of
    `cell` (or merged into the import there) would run code the notebook did not, or raise
    SyntaxError (a file Python does not compile: `NBR271`), or may raise ImportError
    (`NBR279`, `NBR278`); None when it would not."""
    walk = program.catalog.import_walk
    if merge or walk is None or not (walk.effects or walk.bound or walk.beside):
        return None
    walk, first = _walk_run(program, walk, (cell, statement_index))
    effects = walk.effects
    module = program.catalog.module
    for effect in effects:
        if effect.raises is not None:
            return reasons.ImportRaises(module, effect.shown, effect.line, effect.raises)
    if walk.bound:
        return _kernel_bound(module, walk.bound[0], first)
    modules = [effect.module for effect in effects]
    ran = {
        name
        for number, index, names in _imports_before(program, cell, modules)
        if (number, index) < (cell, statement_index)
        for name in names
    }
    through_local: set[str] | None = None  # what the notebook's own modules import, if asked
    for effect in effects:
        # Importing `pkg.mod` ran `pkg/__init__.py`, and `pkg.mod`'s own file.
        if imports_module(ran, effect.module):
            continue
        if through_local is None:
            through_local = _imported_by_local_modules(program, ran)
        if imports_module(through_local, effect.module):
            continue
        return reasons.ImportRunsCode(module, effect.shown, effect.line, effect.text)
    return None


def _walk_run(
    program: Program, walk: ImportWalk, place: tuple[int, int]
) -> tuple[ImportWalk, dict[str, NotebookBound]]:
    """The catalog's `walk` as the import placed at `place` runs in this notebook's kernel,
    and the modules of the library's folder the notebook imported first from another file
    (`notebook_bound`: Python keeps those; round 71a F4). Not the files of modules beside
    the library named like standard modules, when the notebook only appends the library's
    folder (`standard_siblings`: the kernel binds the standard ones; round 62a K1), nor of
    those the notebook imported first; names imported from those are `bound`. The
    notebook's search is read only when the library imports such a module."""
    catalog = program.catalog
    source = catalog.source_file
    if source is None or program.folder is None or not walk.beside:
        return walk, {}
    folder = program.folder
    folders = functools.cache(lambda: import_folders(program.notebook, folder))
    standard: frozenset[str] = frozenset()
    if any(is_standard(name) for name, _ in walk.beside):
        library_file = catalog.written_as if catalog.written_as is not None else source
        standard = standard_siblings(walk, library_file, folders())
    beside = [entry for entry in walk.beside if entry[0].partition(".")[0] not in standard]
    tops = list(dict.fromkeys(name.partition(".")[0] for name, _ in beside))
    local = _local_importers(program, place[0], tops)
    # and the packages that import one of them, if standard (round 73a F8)
    importers = [*local, *packages_importing(frozenset(filter(is_standard, tops)))]
    searched = [*tops, *importers]
    imports = [
        found
        for found in _imports_before(program, place[0], searched, in_blocks=True)
        if found[:2] < place and any(imports_module(found[2], top) for top in searched)
    ]
    first = bound_first(beside, imports, folder, folders(), local) if imports else {}
    if not standard and not first:
        return walk, {}
    bound = KERNEL_BOUND | standard | first.keys()
    return import_walk(catalog.module, source, catalog.written_as, bound), first


def _kernel_bound(
    module: str, found: KernelBoundImport, first: dict[str, NotebookBound]
) -> reasons.ImportFromKernelModule | reasons.ImportFromNotebookModule:
    """`NBR279` for `found`: whether the kernel imported its module at its start, and
    whether that is a standard one, say which module it binds; `NBR278` when the notebook
    imported that module first (`first`)."""
    top = found.imported.partition(".")[0]
    statement = (found.shown, found.line, found.text, found.imported, found.sibling)
    if top in first:
        bound = first[top]
        return reasons.ImportFromNotebookModule(
            module, *statement, found.names, bound.cell, bound.found, bound.standard, bound.through
        )
    return reasons.ImportFromKernelModule(
        module, *statement, found.names, top in KERNEL_BOUND, is_standard(top)
    )


def _imports_before(
    program: Program, last_cell: int, modules: list[str], in_blocks: bool = False
) -> Iterator[tuple[int, int, list[str]]]:
    """(cell, statement index, modules imported) of the notebook's imports up to `last_cell`,
    in order; of an earlier cell, only if it imports one of `modules`. An earlier cell's
    import lines of one of `modules` count only if the cell parses and they are its
    statements: a line in a string, or in a cell that does not parse, runs no import.
    `in_blocks`: every import a top-level statement may run, with its index
    (`run_imports.imports_run`: `try: import utils`, a class body, `%time import utils`,
    `importlib.import_module("utils")`); not one in a function's body."""
    if in_blocks:
        tops = [module.partition(".")[0] for module in modules]
        cells = program.notebook.cells[: max(last_cell - 1, 0)]
        numbers = [
            cell.number
            for cell in cells
            if cell.cell_type == "code" and may_import(cell.source, tops)
        ]
    else:
        imports = NotebookImports(program.notebook)
        numbers = list(
            dict.fromkeys(
                number
                for number, names in imports.modules_imported(last_cell - 1)
                if any(imports_module(names, module) for module in modules)
            )
        )
    for number in numbers:
        read = program.reading(number)  # the cell as read already, or parsed here
        if read is not None:
            if read.error is not None:
                continue
            body, masked = read.facts.tree.body, read.masked
        else:
            try:
                tree, masked = parse_cell(program.cell(number).source)
            except Unparseable:
                continue
            body = tree.body
        yield from _statement_imports(number, body, masked, in_blocks)
    reading = program.reading(last_cell)
    if reading is None or reading.error is not None:
        return  # in a cell that does not parse, no import runs
    yield from _statement_imports(last_cell, reading.facts.tree.body, reading.masked, in_blocks)


def _statement_imports(
    number: int, body: list[ast.stmt], masked: MaskedSource, in_blocks: bool
) -> Iterator[tuple[int, int, list[str]]]:
    """(cell, statement index, modules) of the imports of a cell's statements: those at the
    top level, or with `in_blocks` every one they may run (round 72b: `try: import utils`
    before the library's folder was put first bound the notebook's utils, and the library's
    `from utils import K` raised ImportError; round 73a F7: a class body, `%time import
    utils`, `importlib.import_module("utils")`)."""
    for index, statement in enumerate(body):
        if in_blocks:
            for modules in imports_run(statement, masked):
                yield number, index, modules
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            yield number, index, modules_of(statement)


def _local_importers(program: Program, last_cell: int, tops: list[str]) -> dict[str, list[str]]:
    """The modules of the notebook's folder that its imports up to `last_cell` name (at a
    cell's top level: `NotebookImports.modules_imported`) which import one of `tops` when
    they run, in turn (`_imported_by_local_modules`): module -> those of `tops` (round 73a
    F7: `import nbsetup`, whose nbsetup.py does `import utils`, bound the notebook's
    utils.py first)."""
    folder = program.folder
    if folder is None:
        return {}
    imported = {
        name.partition(".")[0]
        for _, names in NotebookImports(program.notebook).modules_imported(last_cell)
        for name in names
    }
    found: dict[str, list[str]] = {}
    for top in sorted(imported.difference(tops)):
        if module_file(folder / top) is None:
            continue
        reached = _imported_by_local_modules(program, {top})
        names = [name for name in tops if imports_module(reached, name)]
        if names:
            found[top] = names
    return found


def _imported_by_local_modules(program: Program, ran: set[str]) -> set[str]:
    """What the modules the notebook imports from its own folder import when they run, in
    turn (`from localmod import THING`, localmod.py importing sidefx: sidefx ran too)."""
    folder = program.folder
    found: set[str] = set()
    pending = sorted(ran)
    while pending and folder is not None:
        file = module_file(folder / pending.pop().partition(".")[0])
        for name in file_imports(file, None) if file is not None else ():
            if name not in found and name not in ran:
                found.add(name)
                pending.append(name)
    return found

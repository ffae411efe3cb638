"""What the library's import must come after in the notebook's import cell, besides its imports.

The import goes right after the import cell's last import (`import_placement`),
and after the statements of that cell the library's module may need to have
run first: a `try`/`if`/`with` holding an import (`try: import control` /
`except ImportError: !pip install control` installs what the library may
import), and a line that changes where imports are found
(`sys.path.append("../src")`, `os.chdir(...)`, `%cd ..`), without which the
library's module may not be found at all, and a line installing a package or writing
a module the library imports (`open("geom.py", "w")`, round 73b F1).

Such a line in a later cell, before the first definition the import stands for
(`sys.path.insert(0, "vendor")`, `!pip install fastdeco`, `%%writefile geom.py` in the
cell after the imports), rules the import cell out: the import then goes to the definition's
cell (`cell_finds_modules`); in that cell above the definition, it rules out the
top of that cell too: the import goes where the definition was.
"""

from __future__ import annotations

import ast

from nbrefactor import reasons
from nbrefactor.analysis.events import Binding
from nbrefactor.analysis.install_lines import installs
from nbrefactor.analysis.module_writes import package_writes
from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.analysis.path_changes import (
    CHANGES_IMPORT_PATH_NAMES,
    FINDS_MODULES,
    changes_import_path,
    changing_names,
    folder_magic_within,
    imported_tops,
    path_changers_beside,
)
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.sys_names import SysNames, sys_names
from nbrefactor.analysis.text import (
    import_lines,
    line_around,
    line_numbers,
    line_start,
    line_starts,
    lines_holding,
    starts_holding,
)
from nbrefactor.rules.import_setup import (
    SETS_ENVIRONMENT,
    SETS_UP,
    PackageSetup,
    code_cells,
    imported_in,
    imported_packages,
    library_packages,
    library_tops,
    package_setups,
    sets_up,
)


def statements_to_follow(program: Program, cell: int, changers: frozenset[str]) -> list[int]:
    """The top-level statements of the cell the import goes after, by index: a
    `try`/`if`/`with` holding an import (`try: import control` / `except ImportError:
    !pip install control`: the library's module may need what they import), and a change
    to where imports are found (`sys.path.append("../src")`, `os.chdir(...)`,
    `site.addsitedir(...)`, `%cd ..`: the library's module may be found only after it), a
    line installing a package (`!pip install fakebk`) or writing a module the library
    imports (`open("geom.py", "w")`), or a call of one of the notebook's functions making
    such a change (`changers`, `path_changers`)."""
    reading = program.reading(cell)
    if reading is None or reading.skeletal:
        return []
    originals = reading.masked.originals
    text = reading.masked.text
    # Walked only where it may find something: a statement guarding an import, or any
    # statement when the text may change where imports are found.
    may_change_path = not text.isascii() or any(name in text for name in CHANGES_IMPORT_PATH_NAMES)
    # `P.append("lib")` after `from sys import path as P` in a cell above (round 57a)
    names = sys_names(source for number, source in code_cells(program) if number <= cell)
    markers = (*changers, *names.markers())
    may_change_path = may_change_path or any(marker in text for marker in markers)
    # And a line setting the environment (`os.environ["MPLBACKEND"] = "Agg"`, `%env`): a
    # package the library imports may read it when first imported (re-check 29).
    source = program.cell(cell).source
    setting_starts = [s for s in starts_holding(source, SETS_ENVIRONMENT) if sets_up(source, s)]
    # And a line installing a package, whichever (`!pip install fakebk` below the imports,
    # re-check 42): the library may import it, and the import loses nothing below it.
    setting_starts += [
        s for s in starts_holding(source, ("install",)) if installs(line_around(source, s)[1])
    ]
    # And a line writing a module the library imports (`open("geom.py", "w")`, round 73b F1).
    setting_starts += [start for start, _ in package_writes(source, library_tops(program).values())]
    setting = set(line_numbers(source, sorted(setting_starts)))
    return [
        index
        for index, statement in enumerate(reading.facts.tree.body)
        if folder_magic_within(statement, originals)
        or (
            (may_change_path or isinstance(statement, _GUARDS))
            and any(
                _must_come_first(statement, node, changers, names) for node in ast.walk(statement)
            )
        )
        or any(line in setting for line in range(*_line_range(statement)))
    ]


def _line_range(statement: ast.stmt) -> tuple[int, int]:
    first, last = statement_lines(statement)
    return first, last + 1


_GUARDS = (ast.Try, ast.TryStar, ast.If, ast.With)  # an import inside one may need to come first


def _must_come_first(
    statement: ast.stmt, node: ast.AST, changers: frozenset[str], names: SysNames
) -> bool:
    """Whether `node`, in the top-level `statement`, is an import guarded by it or a change
    to where imports are found (through `names` too: `_s.path.append`), or a call of one of
    the notebook's functions making one (`changers`)."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return isinstance(statement, _GUARDS)
    if isinstance(node, ast.Call) and changers:
        called = node.func.value if isinstance(node.func, ast.Attribute) else node.func
        if isinstance(called, ast.Name) and called.id in changers:
            return True  # `add_path("../src")`, `nbsetup.setup()`
    return changes_import_path(node, names)


def path_changers(program: Program, last: int) -> frozenset[str]:
    """`changing_names` of the code cells up to cell `last`: a function defined below runs
    no call above it."""
    cells = program.notebook.cells[:last]
    return changing_names(
        [cell.source for cell in cells if cell.cell_type == "code"], program.folder
    )


def cell_finds_modules(
    program: Program, after: int, first: Binding, changers: frozenset[str]
) -> int | None:
    """The first code cell after `after`, up to the definition `first` (its own cell's
    lines above it included), holding a line, other than a comment, that changes where
    modules are found (`sys.path.insert`, `%cd`), installs the library's package or one its
    module imports (`!pip install seaborn`), writes such a package's module (`%%writefile
    geom.py`, round 73b F1), or imports such a package for the first time
    (`import seaborn as sns`, after a cell installing it in a way no text shows, or setting
    the environment it reads: `os.environ["JAX_ENABLE_X64"]`; `import pandas` again after
    the import cell's does not count); read from the text (such a cell need not have been
    read). With `after` the cell above the definition's, only the lines above it count:
    the top of its cell is not a place for the import then (sweep 20: `sys.path.insert(0,
    "vendor")` above the `def` in its cell). A call of one of `changers` (`path_changers`)
    changes where modules are found too, and a line naming `sys.path` by a name the cells
    bind to it or to `sys` (round 57a: `path.append("lib")` after `from sys import path`
    in the import cell)."""
    packages: set[str] | None = None
    tops: dict[str, str] | None = None  # `library_tops`
    # What the import cell (or a cell above) imported: read from their text only when a
    # later import line names a package of the library's.
    importing_before: list[str] = []
    imported_before: set[str] | None = None
    # `add_path(...)`, `nbsetup.setup()`: a call of one, or of an attribute of a module
    changer_calls = tuple(f"{name}{suffix}" for name in changers for suffix in "(.")
    cells = [source for number, source in code_cells(program) if number <= first.cell]
    changer_calls += sys_names(cells).markers()
    for cell in program.notebook.cells:
        if cell.number > first.cell or cell.cell_type != "code":
            continue
        source = cell.source
        if cell.number == first.cell:
            source = _above(source, first)
        if cell.number <= after:
            if "import" in source:
                importing_before.append(source)
            continue
        if lines_holding(source, (*FINDS_MODULES, *changer_calls)):
            return cell.number
        if ".py" in source or "/" in source or "install" in source:
            # `!pip install seaborn`, `-r requirements.txt` (anything), `%%writefile geom.py`
            tops = tops if tops is not None else library_tops(program)
            if package_setups(source, tops):
                return cell.number
        if "import" not in source:
            continue
        for match in import_lines().finditer(source):
            packages = packages if packages is not None else library_packages(program)
            named = imported_tops(match.group(1))
            wanted = {name.lower() for name in named} & packages
            if wanted:
                if imported_before is None:
                    imported_before = imported_in(importing_before)
                if wanted - imported_before:
                    return cell.number
            if program.folder is not None and not named.isdisjoint(
                path_changers_beside(program.folder)
            ):
                return cell.number
    return None


def imported_before_setup(program: Program, cell: int) -> reasons.ImportedBeforeSetup | None:
    """Why an import of the library at the end of `cell` would import one of its packages
    before the notebook set it up, or None: the notebook first imports that package in a
    later cell, after a line (in that cell or one between) setting the environment or where
    modules are found (sweep 29: `os.environ["MATPLOTLIBRC"] = ...` then `import
    matplotlib`, in a cell below the helpers: the new import read the rc file before it
    was set, and every later plot changed), or installing or writing that package (round
    73b: `%pip install geomlib`, `%%writefile geom.py` below the helpers: the new import
    raised ModuleNotFoundError, or read an old geom.py); or the notebook never imports it,
    and a later cell installs or writes it; or the library itself, which reads the
    environment, when the notebook never imports it and a later cell sets it up. Read from
    the text."""
    # The packages its module imports, not itself: `from viz_utils import` below is a use;
    # unless it reads the environment, which the notebook may set before that import
    # (round 49a: `DATA_DIR = os.environ.get(...)` read before `os.environ["DATA_DIR"] = ...`).
    library = program.catalog.module.partition(".")[0].lower()
    packages = library_packages(program) - {library}
    if program.catalog.reads_environment:
        packages.add(library)
    cells = list(code_cells(program))
    markers = (*SETS_UP, *sys_names(source for _, source in cells).markers())  # `path.append`
    imported = imported_in([source for number, source in cells if number <= cell]) & packages
    tops = {name: top for name, top in library_tops(program).items() if name in packages}
    setup = None  # the first cell after `cell` with a line setting things up
    # The first line installing or writing each package (None: an install naming none), in
    # a cell after `cell`: it sets up that package only.
    prepared: dict[str | None, tuple[int, PackageSetup]] = {}
    for number, source in cells:
        if number <= cell:
            continue
        if imported >= packages:
            return None  # each imported already (the common case: looked at no further)
        starts = starts_holding(source, markers)
        first_setup = next((start for start in starts if sets_up(source, start)), None)
        own = package_setups(
            source, {name: top for name, top in tops.items() if name not in imported}
        )
        if "import" in source:
            for match in import_lines().finditer(source):
                wanted = imported_packages(match.group(1)) & packages
                new = wanted - imported
                set_up = setup is not None or (
                    first_setup is not None and first_setup < match.start()
                )
                if new and set_up:
                    setup_cell = setup if setup is not None else number
                    return reasons.ImportedBeforeSetup(min(new), cell, setup_cell, number)
                found = _prepared_for(new, prepared, own, number, match.start())
                if found is not None:
                    package, setup_cell, line = found
                    return reasons.ImportedBeforeSetup(
                        package, cell, setup_cell, number, line.line, line.written
                    )
                imported |= wanted
        if setup is None and first_setup is not None:
            setup = number
        for line in own:
            prepared.setdefault(line.package, (number, line))
    if library in packages and library not in imported and setup is not None:
        # The notebook never imports the library itself: the new import would be its first,
        # and would read the environment before the later cell sets it (round 50a N1:
        # `API_KEY = os.environ["KEY"]` in the library raised KeyError, and `f` was unbound).
        return reasons.ImportedBeforeSetup(library, cell, setup, None)
    for package in sorted(packages - imported):
        if package in prepared:  # `%pip install geomlib`, and only the library imports it
            setup_cell, line = prepared[package]
            return reasons.ImportedBeforeSetup(
                package, cell, setup_cell, None, line.line, line.written
            )
    return None


def _prepared_for(
    new: set[str],
    prepared: dict[str | None, tuple[int, PackageSetup]],
    own: list[PackageSetup],
    cell: int,
    at: int,
) -> tuple[str, int, PackageSetup] | None:
    """Of the packages `new` that an import line starting at `at` in `cell` imports first,
    one a line above it installs or writes (or an install naming no package, which may
    install any), with that line and its cell: in an earlier cell (`prepared`), or in
    `cell` above the import (`own`)."""
    for package in sorted(new):
        for key in (package, None):
            if key in prepared:
                return (package, *prepared[key])
            line = next((line for line in own if line.package == key and line.start < at), None)
            if line is not None:
                return package, cell, line
    return None


def _above(source: str, definition: Binding) -> str:
    """The lines of the cell above the definition (its decorators being its own), cut from
    the text: a huge cell is not split into a list of lines."""
    assert definition.node is not None  # an inline definition
    first_line = statement_lines(definition.node)[0]
    return source[: line_start(source, line_starts(source), first_line)]

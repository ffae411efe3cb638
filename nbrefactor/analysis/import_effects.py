"""What importing the library runs besides binding its own names.

A module's top level may change state that is not its own: `plt.style.use("ggplot")`,
`np.set_printoptions(precision=2)`, `warnings.filterwarnings("ignore")`,
`plt.rcParams["figure.dpi"] = 150`, `logging.basicConfig(...)`, `print("loaded")`. A
notebook that pasted one of its functions never ran that; the import a migration adds
would, and every cell after it could print, plot or warn otherwise
(`rules.import_effects`).

`import_effects(module, source_file)` finds the first such statement of each file
statically (the module is never imported), in the files the import runs, in the order
Python runs them: the packages above the module (`a/__init__.py` for `a.b`), the module,
then the modules of the same top package that these import (relatively, or by their
absolute name), in turn, each after the packages above it; and the modules of the folder
holding the single-file module or the top package that these import (`from style import
PALETTE`, `from plotting.style import PALETTE`, which runs `plotting/__init__.py` first),
but not one
named like a module the kernel has imported already (`import string` binds the standard
one, `import dateutil` the installed package: `kernel_modules`). A module elsewhere
(numpy) is not read. What counts as run for what it does is `effect_statements`'
question. A file Python does not compile (a top-level `await`, which `ast` reads) is one
too: importing it raises SyntaxError.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from importlib.util import decode_source
from pathlib import Path

from nbrefactor.analysis.code_warnings import code_warnings_ignored
from nbrefactor.analysis.effect_statements import first_effect
from nbrefactor.analysis.import_run import RunOnImport, run_on_import
from nbrefactor.analysis.import_targets import modules_of
from nbrefactor.analysis.kernel_bound import KernelBoundImport, kernel_bound_imports
from nbrefactor.analysis.kernel_modules import KERNEL_BOUND
from nbrefactor.analysis.module_path import holds_module, module_file, shadowing_file
from nbrefactor.analysis.source_trees import parsed_source
from nbrefactor.analysis.text import split_lines, stripped_line
from nbrefactor.value_base import ValueBase

# What a module's text holds when it may draw from a global random generator.
_DRAW_WORDS = (b"rand", b"torch", b"rvs", b"sample", b"sklearn", b"dropout")


@dataclass(frozen=True, eq=False, repr=False)
class ImportEffect(ValueBase):
    """A top-level statement of a file the import runs, run for what it does."""

    file: Path
    shown: str  # the file as the report names it: from the package's folder (`pkg/plots.py`)
    line: int
    text: str  # its first line, stripped
    module: str  # the dotted name of the file's module (`pkg` for `pkg/__init__.py`)
    # Why Python refuses to compile the file (`'await' outside function`), which `ast`
    # reads: importing it raises SyntaxError at `line`, and nothing after it runs. None for
    # a statement that runs.
    raises: str | None = None


@dataclass(frozen=True, eq=False, repr=False)
class _Module(ValueBase):
    """A module the import runs, by its dotted name and file: one step of `import_effects`' walk."""

    name: str  # dotted
    file: Path

    @property
    def package(self) -> str:
        """The package its relative imports start from."""
        if self.file.name == "__init__.py":
            return self.name
        return self.name.rpartition(".")[0]


@dataclass(frozen=True, eq=False, repr=False)
class ImportWalk(ValueBase):
    """What `import_walk` found: the effects, and the modules of the folder holding the
    library (its file, or its top package) the import runs, which the kernel looks for
    along its own search path."""

    effects: tuple[ImportEffect, ...]
    # (dotted name, file) of each, as the library's folder holds them, in the walk's order
    beside: tuple[tuple[str, Path], ...]
    # Their imports from a module the kernel binds, of which the folder holds another
    # (`from dateutil import to_day` beside a dateutil.py: round 70a N1), in the walk's order
    bound: tuple[KernelBoundImport, ...] = ()


def import_effects(
    module: str, source_file: Path, stands_for: Path | None = None
) -> tuple[ImportEffect, ...]:
    """The first statement run for what it does in each file `import module` runs, in the
    order Python runs them, `source_file` being the module's own; () when they only bind
    names and define. `stands_for`: where `source_file`, a copy, will be written (`extract
    --dry-run`): the packages above it and the modules beside it are that place's."""
    return import_walk(module, source_file, stands_for).effects


def import_walk(
    module: str,
    source_file: Path,
    stands_for: Path | None = None,
    standard: Collection[str] = KERNEL_BOUND,
) -> ImportWalk:
    """`import_effects`, and the modules of the folder holding the library (its file, or
    its top package: round 73a F6) the walk found it imports (`from utils import K`),
    transitively: the kernel finds those along
    its search path, the notebook's folder first (`shadowed_beside`). A module of its
    folder named like one of the modules `standard` is not: the kernel binds its own
    (round 62a K1: `import string` beside a `string.py`); by default those a kernel has
    imported before any cell runs (`KERNEL_BOUND`: standard, and `dateutil`, round 70a N1).
    Names imported from one of those are `ImportWalk.bound`, a package's files' too (from the
    folder holding the package: round 71a F3)."""
    located = stands_for if stands_for is not None else source_file
    root = _root(module, located)
    parts = module.split(".")
    top = parts[0]  # a package library's own modules are not beside it
    pending: deque[_Module] = deque()
    if root is not None:  # the packages above the module, outermost first
        for depth in range(1, len(parts)):
            parent = module_file(root.joinpath(*parts[:depth]))
            if parent is not None and parent.name == "__init__.py":
                pending.append(_Module(".".join(parts[:depth]), parent))
    pending.append(_Module(module, source_file))
    # Where the modules it imports are looked for: its top package (not numpy), and the
    # other modules of the folder holding it or the single-file module (`from style import
    # PALETTE`; `lib/mypkg/__init__.py` doing `from utils import helper` beside `lib/utils.py`,
    # round 73a F6), unless that folder is where installed packages live.
    base = root if root is not None else located.parent
    own_folder = not {"site-packages", "dist-packages"} & set(base.parts)
    seen = {entry.file for entry in pending}
    # The dotted names already looked for as files: each library file imports the same
    # few modules (`from ._style import ...`), two `stat`s a look.
    looked_up: set[tuple[str, ...]] = set()
    found: list[ImportEffect] = []
    beside: list[tuple[str, Path]] = []
    bound: list[KernelBoundImport] = []
    bound_siblings: dict[str, Path | None] = {}  # the look for each name `standard` holds
    while pending:
        current = pending.popleft()
        if current.file != source_file and (root is None or current.name.split(".")[0] != top):
            beside.append((current.name, current.file))
        try:
            data = current.file.read_bytes()
            tree = parsed_source(data, str(current.file))
        except (OSError, SyntaxError, ValueError):
            continue  # the catalog reports the module it cannot read; the others are not asked
        shown = _relative(located if current.file == source_file else current.file, base)
        refused = _compile_error(tree, current.file)
        if refused is not None:  # Python stops there: its imports never run
            number, why = refused
            text = stripped_line(decode_source(data), number)
            found.append(ImportEffect(current.file, shown, number, text, current.name, why))
            break
        # Its text says whether a draw from a global random generator is to be looked for.
        statement = first_effect(tree, may_draw=any(word in data for word in _DRAW_WORDS))
        if statement is not None:
            line = _shown(decode_source(data), statement)  # PEP 263, as the catalog
            found.append(ImportEffect(current.file, shown, statement.lineno, line, current.name))
        run = run_on_import(tree)
        if own_folder:  # beside a package too (round 71a F3: lib/mypkg, lib/dateutil.py)
            bound += kernel_bound_imports(run, data, shown, standard, base, bound_siblings)
        for imported in _imported_modules(run, current.package):
            imported_top = imported.partition(".")[0]
            if imported_top != top and (not own_folder or imported_top in standard):
                continue
            dotted = tuple(imported.split("."))
            for depth in range(1, len(dotted) + 1):  # `a/__init__.py` runs before `a.b`
                if dotted[:depth] in looked_up:  # found (and queued) or not, as before
                    continue
                looked_up.add(dotted[:depth])
                file = module_file(base.joinpath(*dotted[:depth]))
                if file is not None and file not in seen:
                    seen.add(file)
                    pending.append(_Module(".".join(dotted[:depth]), file))
    return ImportWalk(tuple(found), tuple(beside), tuple(bound))


def shadowed_beside(
    beside: tuple[tuple[str, Path], ...], places: Sequence[Path]
) -> tuple[str, Path, Path, Path] | None:
    """The first of the modules `beside` the library (`ImportWalk.beside`) that
    the kernel finds elsewhere, as (dotted name, that module's file, the file the library's
    folder holds, the folder found in): the kernel walks `places` (the folders the notebook
    puts first, then its own) and binds the first module of the name (a `.py` or a package)
    it meets, so the library's `from utils import K` binds the notebook's utils.py (round
    62a F1) or one of a folder put first (round 62c F2). None when each is first found as
    the library's own file (or a byte-identical copy), or in none of `places`."""
    for name, file in beside:
        for place in places:
            if not holds_module(name, place):
                continue
            found = shadowing_file(name, file, place)
            if found is not None:
                return name, found, file, place
            break  # the library's own module is the one found first
    return None


def _compile_error(tree: ast.Module, file: Path) -> tuple[int, str] | None:
    """(line, why) when Python compiles the parsed file to no code: a top-level `await`,
    `return` or `break`, `def f(x, x)`, a `nonlocal` binding nothing (round 62b: a module
    `extract` extended, whose import then raised SyntaxError in every notebook)."""
    try:
        with code_warnings_ignored():
            compile(tree, str(file), "exec", dont_inherit=True)
    except SyntaxError as error:
        return error.lineno or 1, error.msg
    except (ValueError, RecursionError, MemoryError):
        return None  # not Python's refusal of the code: the import is not known to fail
    return None


def _shown(text: str, statement: ast.stmt) -> str:
    """The statement's first line, stripped; a statement on one line without what follows it
    there (a trailing comment: sweep 23)."""
    line = stripped_line(text, statement.lineno)
    if statement.end_lineno != statement.lineno or statement.end_col_offset is None:
        return line
    whole = split_lines(text)[statement.lineno - 1].encode("utf-8", "surrogatepass")
    return whole[statement.col_offset : statement.end_col_offset].decode("utf-8", "replace")


def _root(module: str, source_file: Path) -> Path | None:
    """The folder the module is imported from (its top package's parent), when the module is
    in a package whose folders bear its dotted name; None for a single-file module."""
    parts = module.split(".")
    folder = source_file.parent
    if source_file.name != "__init__.py":
        parts = parts[:-1]  # the file is the last part
    if not parts:
        return None
    for part in reversed(parts):
        if folder.name != part:
            return None
        folder = folder.parent
    return folder


def _relative(file: Path, root: Path) -> str:
    try:
        return file.relative_to(root).as_posix()
    except ValueError:
        return file.name


def file_imports(source_file: Path, package: str | None) -> list[str]:
    """The modules a file imports for sure when it runs: by the import statements of its top
    level itself, by dotted name; relative ones resolved against `package`, none without one.
    [] for a file that cannot be read. One in an `if`, `try`, `for`, `while`, `with` or
    `match` block may not run (`try: import not_installed; import mylib`, `if False:`), as
    the notebook's own imports in a block do not count (`rules.import_effects`: round 62a F2)."""
    try:
        tree = parsed_source(source_file.read_bytes(), str(source_file))
    except (OSError, SyntaxError, ValueError):
        return []
    found: list[str] = []
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            found.extend(modules_of(statement, package))
    return found


def _imported_modules(run: RunOnImport, package: str | None) -> Iterator[str]:
    """The modules importing the module imports, by dotted name (`modules_of`, relative
    ones resolved against `package`): its top level's, and those of the bodies of its own
    functions it calls then (round 73a F1)."""
    for statement in run.statements:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            yield from modules_of(statement, package)

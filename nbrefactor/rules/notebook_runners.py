"""Which notebooks beside this one run it (`%run common.ipynb`): their cells call its functions.

`%run common.ipynb` runs the notebook and puts its names into the runner's namespace
(`-i`: runs it there): the runner's later cells call the functions it defines, with
arguments no cell of the notebook shows (round 59b: `c.ipynb` ran `a.ipynb`, whose
`def f(x, k=2)` became `helpers.f(x)`, then called `f(1, 3)`: TypeError). A runner naming
a function is a use that cannot be checked, as a script run in the notebook's namespace
is (`scripts_run`): the definition goes only where the library's signature accepts every
call the inline one does (`call_binding`). And each run runs the notebook's `def`s again:
a copy keeping state (`acc=[]`, a cache) starts it anew at each, where one import would
share it across runs (`same_function`, `StatePerRun`; round 62b): so each runner says how
often it runs the notebook, what else it runs, and what it binds itself (round 62c: a
setup notebook each runner runs once has one state per kernel either way).

Only the notebooks of the same folder are read (and, for their words, the files a runner
runs besides), and only a plain `%run PATH` line (or `run PATH` alone in its cell) naming
this notebook; a notebook run from another folder, or through
`get_ipython().run_line_magic`, or by a path IPython expands (`%run $nb`), is not seen.
The folder is read once a run (its catalog, one object a run and worker, keys the cache):
the run changes no `%run` line, and a run writing notebooks changes the folder with each
(a cache keyed by the folder's state would read it again each time).
"""

from __future__ import annotations

import ast
import os
import re
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from nbrefactor.analysis.catalog import Catalog
from nbrefactor.analysis.parsing import Unparseable, parse_cell
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.run_lines import run_lines
from nbrefactor.analysis.text import split_lines
from nbrefactor.nbfile.notebook import NotebookError, parse_notebook
from nbrefactor.value_base import ValueBase

# A notebook larger than this is not read as a runner (the scripts' limit, `read_script`,
# is 1 MiB; notebooks carry their outputs).
_LIMIT = 64 << 20


@dataclass(frozen=True, eq=False, repr=False)
class NotebookRunner(ValueBase):
    """A notebook that runs this one, and the code of its cells."""

    file_name: str
    cell: int  # its first cell running this notebook
    line: str  # that line, stripped
    names: frozenset[str]  # the names its code reads (`read_and_bound`)
    # How many of its lines run this notebook, and whether one may run it more than once
    # (in a `for`, `while` or `def` block, or a `%%timeit` cell).
    runs: int = 1
    repeated: bool = False
    # What else it runs (file name, the words of its code: names it may bind), and the names
    # its own code binds or imports (`read_and_bound`): a second way, in one kernel, to the
    # function a migrated copy would import (round 62c K1: a runner running a setup notebook
    # once, and nothing else binding its helpers, shares no state across runs).
    others: tuple[tuple[str, frozenset[str]], ...] = ()
    own: frozenset[str] = frozenset()


def notebooks_running(program: Program) -> tuple[NotebookRunner, ...]:
    """The notebooks beside the program's that run it, by file name; none when its folder or
    name is unknown."""
    if program.folder is None or program.file_name is None:
        return ()
    folder = Path(os.path.abspath(program.folder))
    key = (folder, id(program.catalog))
    known = _READ.get(key)
    if known is None or known[0]() is not program.catalog:
        for gone in [old for old, (catalog, _) in _READ.items() if catalog() is None]:
            del _READ[gone]  # runs that ended
        known = _READ[key] = (weakref.ref(program.catalog), _runners(folder))
    return known[1].get(program.file_name, ())


# (folder, id of the run's catalog) -> (the catalog, weakly, to tell a new run whose catalog
# took the same id; what the folder's notebooks run).
_READ: dict[tuple[Path, int], tuple[weakref.ref[Catalog], Mapping[str, tuple[NotebookRunner, ...]]]]
_READ = {}


def _notebooks_in(folder: Path) -> list[str]:
    """The names of the notebook files in the folder, sorted."""
    try:
        with os.scandir(folder) as entries:
            return sorted(
                entry.name for entry in entries if entry.name.endswith(".ipynb") and entry.is_file()
            )
    except OSError:
        return []


def _runners(folder: Path) -> Mapping[str, tuple[NotebookRunner, ...]]:
    """File name -> the notebooks of the folder running it, in name order."""
    found: dict[str, list[NotebookRunner]] = {}
    words: dict[str, frozenset[str]] = {}  # of the files run, read once
    for name in _notebooks_in(folder):
        code = _code_cells(folder / name, runs_only=True)
        if code is None:
            continue
        # target -> [(cell, line), ...], and the targets run where a line may repeat
        runs: dict[str, list[tuple[int, str]]] = {}
        repeated: set[str] = set()
        for number, source in code:
            timeit = source.lstrip().startswith("%%timeit")
            for at, line, run in run_lines(source):
                target = os.path.abspath(folder / run.path)
                if target == str(folder / name):
                    continue  # itself
                runs.setdefault(target, []).append((number, line.strip()))
                if timeit or _in_repeating_block(source, at):
                    repeated.add(target)
        mine = [target for target in runs if _runs_notebook_here(target, folder)]
        if not mine:
            continue
        names, own = read_and_bound(source for _, source in code)
        for target in mine:
            others = tuple(
                (os.path.relpath(other, folder), _words_of(Path(other), words))
                for other in runs
                if other != target
            )
            number, line = runs[target][0]
            runner = NotebookRunner(
                name, number, line, names, len(runs[target]), target in repeated, others, own
            )
            found.setdefault(os.path.basename(target), []).append(runner)
    return {name: tuple(runners) for name, runners in found.items()}


def _runs_notebook_here(target: str, folder: Path) -> bool:
    """Whether the path run is a notebook of the folder (only those are read as run)."""
    return target.endswith(".ipynb") and os.path.dirname(target) == str(folder)


def _code_cells(path: Path, runs_only: bool = False) -> list[tuple[int, str]] | None:
    """(number, source) of the notebook's code cells; None when it cannot be read, or, with
    `runs_only`, holds no `%run` of a notebook (most do not: not parsed)."""
    try:
        if path.stat().st_size > _LIMIT:
            return None
        raw = path.read_bytes()
    except OSError:
        return None
    if runs_only and (b".ipynb" not in raw or b"run" not in raw):
        return None
    try:
        notebook = parse_notebook(raw)
    except (NotebookError, MemoryError):
        return None
    return [(cell.number, cell.source) for cell in notebook.cells if cell.cell_type == "code"]


def _words_of(path: Path, known: dict[str, frozenset[str]]) -> frozenset[str]:
    """Every word of the code a runner runs besides (a notebook's code cells, a script's
    text): the names it may bind. Empty when it cannot be read (`%run` fails there)."""
    key = str(path)
    if key not in known:
        if path.suffix == ".ipynb":
            cells = _code_cells(path)
            text = "\n".join(source for _, source in cells or ())
        else:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")[:_LIMIT]
            except OSError:
                text = ""
        known[key] = frozenset(_WORD.findall(text))
    return known[key]


_REPEATING = re.compile(r"\s*(?:async\s+)?(?:for|while|def)\b")


def _in_repeating_block(source: str, line: int) -> bool:
    """Whether the cell's line (from 1) lies in a `for`, `while` or `def` block, by its
    indentation: the headers above it, each less indented than the last."""
    lines = split_lines(source)
    text = lines[line - 1]
    indent = len(text) - len(text.lstrip())
    for above in reversed(lines[: line - 1]):
        stripped = above.lstrip()
        if indent == 0:
            break
        if not stripped or stripped.startswith("#"):
            continue
        level = len(above) - len(stripped)
        if level < indent:
            if _REPEATING.match(above):
                return True
            indent = level
    return False


def read_and_bound(sources: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """What the cells read, and what they bind or import, from one reading of each cell.

    Read: the names they load (not those they only bind, `with open(p) as f`, nor a keyword,
    an attribute or a comment: round 61a kept `f` for each), and every word of their strings
    (code run by name: `eval("f(1)")`). Bound: the names they bind (`def`, assignment,
    import) and the modules they import (`import helpers`, `from helpers import add`:
    helpers and helpers.add). Every word of a cell that does not parse is in both (what it
    may name, on the safe side)."""
    read: set[str] = set()
    bound: set[str] = set()
    for source in sources:
        try:
            tree, _ = parse_cell(source)
        except Unparseable:
            words = _WORD.findall(source)
            read.update(words)
            bound.update(words)
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                read.update(_WORD.findall(node.value))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound.add(node.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    bound.update((alias.name, alias.asname or alias.name.partition(".")[0]))
            elif isinstance(node, ast.ImportFrom) and node.module is not None:
                bound.add(node.module)
                for alias in node.names:
                    bound.update((f"{node.module}.{alias.name}", alias.asname or alias.name))
    return frozenset(read), frozenset(bound)


_WORD = re.compile(r"[A-Za-z_]\w*")

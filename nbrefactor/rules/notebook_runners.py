"""Which notebooks beside this one run it (`%run common.ipynb`): their cells call its functions.

`%run common.ipynb` runs the notebook and puts its names into the runner's namespace
(`-i`: runs it there): the runner's later cells call the functions it defines, with
arguments no cell of the notebook shows (round 59b: `c.ipynb` ran `a.ipynb`, whose
`def f(x, k=2)` became `helpers.f(x)`, then called `f(1, 3)`: TypeError). A runner naming
a function is a use that cannot be checked, as a script run in the notebook's namespace
is (`scripts_run`): the definition goes only where the library's signature accepts every
call the inline one does (`call_binding`). And each run runs the notebook's `def`s again:
a copy keeping state (`acc=[]`, a cache) starts it anew at each, where one import would
share it across runs (`same_function`, `StatePerRun`; round 62b).

Only the notebooks of the same folder are read, and only a plain `%run PATH` line (or
`run PATH` alone in its cell) naming this notebook; a notebook run from another folder,
or through `get_ipython().run_line_magic`, is not seen. The folder is read once a run
(its catalog, one object a run and worker, keys the cache): the run changes no `%run`
line, and a run writing notebooks changes the folder with each (a cache keyed by the
folder's state would read it again each time).
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
    names: frozenset[str]  # the names its code reads (`names_read`)


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
    for name in _notebooks_in(folder):
        try:
            path = folder / name
            if path.stat().st_size > _LIMIT:
                continue
            raw = path.read_bytes()
        except OSError:
            continue
        if b".ipynb" not in raw or b"run" not in raw:  # most run no notebook
            continue
        try:
            notebook = parse_notebook(raw)
        except (NotebookError, MemoryError):
            continue
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        names: frozenset[str] | None = None  # read once, for a notebook that runs another
        seen: set[str] = set()
        for cell in code:
            if ".ipynb" not in cell.source:
                continue
            for _, line, run in run_lines(cell.source):
                if not run.path.endswith(".ipynb"):
                    continue
                target = os.path.abspath(folder / run.path)
                if os.path.dirname(target) != str(folder) or target in seen:
                    continue  # in another folder, or run again
                if os.path.basename(target) == name:
                    continue  # itself
                seen.add(target)
                if names is None:
                    names = names_read(cell.source for cell in code)
                runner = NotebookRunner(name, cell.number, line.strip(), names)
                found.setdefault(os.path.basename(target), []).append(runner)
    return {name: tuple(runners) for name, runners in found.items()}


def names_read(sources: Iterable[str]) -> frozenset[str]:
    """The names the cells read (not those they only bind, `with open(p) as f`, nor a
    keyword, an attribute or a comment: round 61a kept `f` for each), and every word of
    their strings (code run by name: `eval("f(1)")`) and of a cell that does not parse."""
    found: set[str] = set()
    for source in sources:
        try:
            tree, _ = parse_cell(source)
        except Unparseable:
            found.update(_WORD.findall(source))
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                found.add(node.id)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.update(_WORD.findall(node.value))
    return frozenset(found)


_WORD = re.compile(r"[A-Za-z_]\w*")

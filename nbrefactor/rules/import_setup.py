"""What the library's import needs the notebook to have run first, read from its text.

The library's module imports packages (`import geom`, `import matplotlib`), which a
notebook may set up before it first imports them: a line setting the environment they
read or where modules are found (`os.environ["MPLBACKEND"] = "Agg"`, `sys.path.insert`,
sweep 29), a line installing them (`%pip install geomlib`), or a line writing their
module (`%%writefile geom.py`, round 73b F1). The library's import must not run above
such a line (`rules.import_cell`). Here are the packages, as pip names them, and the
lines that set them up; `import_cell` says where the import goes and when it cannot.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from nbrefactor.analysis.install_lines import install_starts, installed_names, installs_unnamed
from nbrefactor.analysis.module_writes import package_writes
from nbrefactor.analysis.path_changes import FINDS_MODULES, imported_tops
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.text import import_lines, line_around
from nbrefactor.value_base import ValueBase

# A line that changes what a later first import of a package does: the environment it
# reads (`os.environ["MPLBACKEND"] = "Agg"`, `%env`), or where modules are found.
SETS_ENVIRONMENT = ("environ", "putenv", "%env", "%set_env")
SETS_UP = (*SETS_ENVIRONMENT, *FINDS_MODULES)


@dataclass(frozen=True, eq=False, repr=False)
class PackageSetup(ValueBase):
    """A line installing or writing a package of the library's (`package_setups`)."""

    start: int  # where the line starts in its cell
    package: str | None  # as pip names it; None: an install naming none (`-r reqs.txt`)
    line: str  # stripped
    written: str | None  # the file written (`geom.py`, `geom/`); None: an install


def package_setups(source: str, tops: Mapping[str, str]) -> list[PackageSetup]:
    """The lines of a code cell installing or writing a package of `tops` (as pip names it
    -> its import name: `geom` -> `geom`), in order: `%pip install geomlib`, `!pip install
    -r requirements.txt` (which may install any), `%%writefile geom.py`, `open("geom/io.py",
    "w")`. An install of another package sets up nothing (round 73b F2)."""
    found = []
    if "install" in source:
        for start in install_starts(source):
            line = line_around(source, start)[1].strip()
            if installs_unnamed(line):
                found.append(PackageSetup(start, None, line, None))
            for package in sorted(installed_names(line) & tops.keys()):
                found.append(PackageSetup(start, package, line, None))
    by_top = {top: package for package, top in tops.items()}
    for start, top in package_writes(source, (top for top in by_top if top in source)):
        line = line_around(source, start)[1].strip()
        written = f"{top}.py" if f"{top}.py" in line else f"{top}/"
        found.append(PackageSetup(start, by_top[top], line, written))
    return sorted(found, key=lambda setup: setup.start)


def sets_up(source: str, start: int) -> bool:
    """Whether the line starting at `start` sets the environment (`os.environ["X"] = ...`,
    `os.environ.update(...)`, `os.putenv`, `%env X=1`) or where modules are found; not a
    comment, a read (`os.environ.get("HOME")`) or `%env` listing it (re-check 29)."""
    line = line_around(source, start)[1].strip()
    if line.startswith("#"):
        return False
    if line.startswith(("%env", "%set_env")):
        return "=" in line or len(line.split()) >= 3
    if "environ" not in line and "putenv" not in line:
        return True  # a line of `FINDS_MODULES`
    if "putenv(" in line or any(
        f"environ.{method}(" in line for method in ("update", "setdefault", "pop", "clear")
    ):
        return True
    at = line.find("environ[")
    if at < 0:
        return False
    rest = line[line.find("]", at) + 1 :].lstrip()
    return rest.startswith("=") and not rest.startswith("==") or line.startswith("del ")


def code_cells(program: Program) -> Iterator[tuple[int, str]]:
    """Each code cell's number and source, in order."""
    for cell in program.notebook.cells:
        if cell.cell_type == "code":
            yield cell.number, cell.source


def imported_in(sources: Iterable[str]) -> set[str]:
    """The top-level packages the import lines of `sources` name (`imported_packages`)."""
    imported: set[str] = set()
    for source in sources:
        for match in import_lines().finditer(source):
            imported |= imported_packages(match.group(1))
    return imported


def imported_packages(line: str) -> set[str]:
    """The top-level packages an `import a.b as c, d` or `from a.b import c` line names,
    lower case (as pip names them)."""
    return {name.lower() for name in imported_tops(line)}


def library_packages(program: Program) -> set[str]:
    """The top-level packages of the library and of what its module imports, as pip names
    them (lower case, `_` for `-`)."""
    return set(library_tops(program))


def library_tops(program: Program) -> dict[str, str]:
    """`library_packages`, each with its import name as written (`Geom`: a file the notebook
    writes is named so)."""
    catalog = program.catalog
    targets = [catalog.module] + [
        target for function in catalog.functions.values() for _, target in function.imports
    ]
    tops = {target.partition(".")[0] for target in targets}
    return {
        top.lower().replace("-", "_"): top for top in tops if top not in sys.stdlib_module_names
    }

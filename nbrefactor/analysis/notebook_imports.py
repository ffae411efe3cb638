"""What a notebook's imports bind a name to: the other side of a library's own imports.

A copy of a library function reads `ser` from the notebook's `import pickle as
ser`; the library's function reads its module's `import json as ser`. The
same body then does another thing (`hidden_inputs` reports it). Only the
import lines naming the name are parsed, each on its own (with the lines
that close its parentheses), so the cells that merely use `np` are not read.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from functools import cached_property

from nbrefactor.analysis.cell_definitions import defined_names, definitions_in
from nbrefactor.analysis.import_statements import (
    bindings_in,
    goes_on,
    parsed_imports,
    star_follows,
    targets_in,
)
from nbrefactor.analysis.import_targets import import_targets, modules_of
from nbrefactor.analysis.magics import PYTHON_CELL_MAGICS, cell_magic
from nbrefactor.analysis.mentions import may_bind_any
from nbrefactor.analysis.module_patches import ANY_ATTRIBUTE, Places, module_patches
from nbrefactor.analysis.text import import_lines, line_around
from nbrefactor.analysis.wildcard_lines import ipython_aliases, wildcard_lines, wildcard_offsets
from nbrefactor.analysis.words import word_offsets
from nbrefactor.nbfile.notebook import Notebook


class NotebookImports:
    """Which cells import a name, and what each binds it to; each name looked for once.

    Also what may bind any name (`wildcard`: a star import from another module than
    the library's, `%pylab`, `%run` and other line magics, IPython's API, `exec(`, an
    assignment through `globals()`, `vars()` or `locals()`), and which cells `def` or `class` a name
    (`definitions`): the other ways a notebook binds a name a function reads.
    """

    def __init__(self, notebook: Notebook, replaceable: Collection[str] = ()) -> None:
        self.notebook = notebook
        # The library's names: their definitions in the notebook are the migration's to
        # decide (replaced, or kept with their users), not another binding.
        self.replaceable = frozenset(replaceable)
        self._found: dict[str, tuple[tuple[int, str], ...]] = {}
        self._defined: dict[str, tuple[tuple[int, ast.stmt | None], ...]] = {}
        self._defines: dict[str, bool] = {}
        self._wildcards: dict[tuple[str, bool, str | None], tuple[int, str] | None] = {}
        # Module -> its attributes the notebook sets, and those it calls (`module_patches`).
        self._patches: dict[str, tuple[Places, Places]] = {}
        self._named: dict[str, bool] = {}  # top-level module name -> whether a cell holds it
        self._aliases: frozenset[str] | None = None  # names bound to `get_ipython()`

    def wildcard(
        self, library: str, stars_only: bool = False, naming: str | None = None
    ) -> tuple[int, str] | None:
        """(cell, line) of the first line that may bind any name: a star import from another
        module than `library` or `%pylab` (a star import of numpy and pylab); unless
        `stars_only`, also `%run` (a script's names) and any other line magic that may bind
        (`line_magics`), IPython's `push`, `run_cell` and `run_line_magic`, `exec(` and an
        assignment through `globals()` (`vars()`, `locals()`). None when there is none.

        A builtin is shadowed by star imports (numpy's `sum`, `min`, `round`), hardly by a
        script: `stars_only` is what a builtin is asked about; and, with `naming`, a line of
        the other kinds that names it as what it binds (`globals()['max'] = min`, `__main__.max
        = min`; not `builtins.max = min`, which the library sees too): that line binds it as
        an assignment does (sweep 26 F1). Each answer is kept: every definition asks."""
        key = (library, stars_only, naming)
        if key not in self._wildcards:
            self._wildcards[key] = next(self._wildcard_lines(library, stars_only, naming), None)
        return self._wildcards[key]

    def wildcards(self, library: str) -> list[tuple[int, str]]:
        """(cell, line) of every line that may bind any name, in order (`wildcard` gives the
        first): asked only where each of them matters (round 55b: `from math import *`,
        then `from cmath import *`, binds cmath's `sqrt`)."""
        return list(self._wildcard_lines(library, False, None))

    def _wildcard_lines(
        self, library: str, stars_only: bool, naming: str | None
    ) -> Iterator[tuple[int, str]]:
        aliases = self._ipython_aliases() if not stars_only else frozenset()
        for cell in self.notebook.cells:
            source = cell.source
            if cell.cell_type != "code" or (naming is not None and naming not in source):
                continue
            if may_bind_any(source) or any(f"{alias}." in source for alias in aliases):
                for line in wildcard_lines(source, library, stars_only, naming, aliases):
                    yield cell.number, line

    def _ipython_aliases(self) -> frozenset[str]:
        """The notebook's names for IPython's shell (`ip = get_ipython()` in one cell, then
        `ip.push({...})` in another: sweep 27), found once."""
        if self._aliases is None:
            self._aliases = ipython_aliases(
                cell.source
                for cell in self.notebook.cells
                if cell.cell_type == "code" and "get_ipython()" in cell.source
            )
        return self._aliases

    def patch_of(self, module: str, name: str) -> tuple[int, str] | None:
        """(cell, line) of the first statement that assigns (or deletes) attribute `name` of
        `module` through a name the notebook imports it as (`import LIB` then `LIB.g =
        fake`, `setattr(LIB, 'g', fake)`), or through `sys.modules["LIB"]`; or that may set
        any attribute of it (`setattr(LIB, key, value)`, `vars(LIB).update(...)`,
        `LIB.__dict__[key] = ...`). The module's functions then read the notebook's `g`,
        whatever the module's text says. None when there is none."""
        patches = self._reached(module)[0]
        return patches.get(name) or patches.get(ANY_ATTRIBUTE)

    def patches_any(self, module: str, name: str) -> bool:
        """Whether `patch_of`'s statement is one that may set any attribute of `module`
        (`setattr(LIB, key, value)`), not one setting `name` by name."""
        patches = self._reached(module)[0]
        return name not in patches and ANY_ATTRIBUTE in patches

    def call_of(self, module: str, name: str) -> tuple[int, str] | None:
        """(cell, line) of the first statement calling attribute `name` of `module` through a
        name the notebook imports it as, or `sys.modules["LIB"]` (`import LIB` then
        `LIB.configure("out")`); None when there is none."""
        return self._reached(module)[1].get(name)

    def _reached(self, module: str) -> tuple[Places, Places]:
        if module not in self._patches:
            self._patches[module] = self._find_patches(module)
        return self._patches[module]

    def _find_patches(self, module: str) -> tuple[Places, Places]:
        top = module.partition(".")[0]
        if top not in self._named:  # shared by the module and the one defining what it re-exports
            code = (cell.source for cell in self.notebook.cells if cell.cell_type == "code")
            self._named[top] = any(top in source for source in code)
        if not self._named[top]:
            # No cell names it: none imports it or reaches it (`sys.modules["LIB"]`), so
            # none sets its attributes, and the import lines are not looked for.
            return {}, {}
        # The names bound to the module (`import LIB`, `from pkg import utils as U`), and
        # those bound to a package above it (`import pkg.utils` binds `pkg`: `pkg.utils.X`).
        aliases: dict[str, str] = {
            bound: target
            for number, lines in self._import_lines.items()
            for start, line in lines
            if top in line  # `import pkg` reaches `pkg.utils` too
            for statement in parsed_imports(self.notebook.cells[number - 1].source, start)
            for bound, target in import_targets(statement).items()
            if target == module or module.startswith(f"{target}.")
        }
        return module_patches(self.notebook, module, aliases)

    def bound_to(self, target: str) -> tuple[int, str] | None:
        """(cell, name) of the first import binding `target` under any name (`from mylib
        import configure as cfg` binds `cfg` to `mylib.configure`); None when none does."""
        attribute = target.rpartition(".")[2]
        for number, lines in self._import_lines.items():
            source = self.notebook.cells[number - 1].source
            for bound, found in bindings_in(source, lines, attribute):
                if found == target:
                    return number, bound
        return None

    def star_import_of(self, module: str) -> tuple[int, str] | None:
        """(cell, line) of the first star import of `module` itself (`from mylib import *`),
        which binds the module's public names to its own values; None when there is none."""
        for number, lines in self._import_lines.items():
            source = self.notebook.cells[number - 1].source
            for start, line in lines:
                if "*" not in line or module not in line:
                    continue  # `import os; from mylib import *` is read whole, below
                for statement in parsed_imports(source, start):
                    if _star_import(statement, module):
                        return number, line.strip()
        return None

    def naming(self, name: str) -> tuple[int, str] | None:
        """(cell, line) of the first line of a code cell holding `name` as a word (a call of
        a name a star import bound: `configure("out")`); None when none does."""
        for cell in self.notebook.cells:
            if cell.cell_type == "code" and name in cell.source:
                for offset in word_offsets(cell.source, name):
                    return cell.number, line_around(cell.source, offset)[1].strip()
        return None

    def definitions(self, name: str) -> tuple[tuple[int, ast.stmt | None], ...]:
        """(cell, the `def` or `class` of `name`) for each cell whose text defines it in
        module scope (at its top level, or in an `if`, `for`, `with` or `try` block); None for
        a cell that does not parse (it counts, the safe side).

        For the library's own names (`replaceable`), only what the migration does not
        decide: a `class`, or a `def` in a block (sweep 21: the notebook's `class g`, read by
        a pasted `f` that the library's `f` would have call its own `g`). Their top-level
        `def`s are replaced, or kept with their users."""
        if name not in self._defined:
            own = name in self.replaceable
            self._defined[name] = tuple(
                (number, node)
                for number in self._defining_cells.get(name, ())
                for node in definitions_in(self.notebook.cells[number - 1].source, name, own)
            )
        return self._defined[name]

    def defines(self, name: str) -> bool:
        """Whether a cell defines `name` (`def` or `class`) in module scope, the library's
        own names' top-level `def`s included, which `definitions` leaves out (the migration
        replaces or keeps them); a cell seeming to, that does not parse, counts."""
        if name not in self._defines:
            self._defines[name] = any(
                definitions_in(self.notebook.cells[number - 1].source, name)
                for number in self._defining_cells.get(name, ())
            )
        return self._defines[name]

    def first_defining_cell(self, name: str) -> int | None:
        """The first cell defining `name` (`def` or `class`) in module scope, the library's
        own names' top-level `def`s included; a cell seeming to, that does not parse,
        counts. None when none does."""
        return next(
            (
                number
                for number in self._defining_cells.get(name, ())
                if definitions_in(self.notebook.cells[number - 1].source, name)
            ),
            None,
        )

    def targets(self, name: str) -> tuple[tuple[int, str], ...]:
        """(cell, what it binds `name` to, as `import_target` spells it) for each import of it."""
        if name not in self._found:
            self._found[name] = tuple(
                (number, target)
                for number, lines in self._import_lines.items()
                if any(name in line or goes_on(line) for _, line in lines)
                for target in targets_in(self.notebook.cells[number - 1].source, lines, name)
            )
        return self._found[name]

    def star_after_import(self, name: str, library: str) -> tuple[int, str] | None:
        """(cell, line) of the first star import from another module than `library` (or
        `%pylab`) that runs after the notebook's last import of `name`, in cell and line
        order: it may rebind what that import bound (`import random`, then `from numpy
        import *`, which binds numpy's `random`). None when there is none."""
        if self.wildcard(library, stars_only=True) is None:
            return None  # no star import at all (asked once per notebook)
        last = None
        for number, lines in self._import_lines.items():
            source = self.notebook.cells[number - 1].source
            for start, line in lines:
                if (name in line or goes_on(line)) and targets_in(source, [(start, line)], name):
                    last = max(last or (number, start), (number, start))
        if last is None:
            return None
        for cell in self.notebook.cells[last[0] - 1 :]:
            if cell.cell_type != "code" or not may_bind_any(cell.source):
                continue
            for start, line in wildcard_offsets(cell.source, library, stars_only=True):
                if (cell.number, start) > last or (
                    (cell.number, start) == last and star_follows(line, name)
                ):
                    return cell.number, line
        return None

    def modules_imported(self, last_cell: int) -> Iterator[tuple[int, list[str]]]:
        """(cell, modules) of each import statement at the top level of the cells up to
        `last_cell`, in order (`modules_of`); one in a block (`if IN_COLAB: import LIB`)
        may not run, and is left out."""
        for number, lines in sorted(self._import_lines.items()):
            if number > last_cell:
                break
            source = self.notebook.cells[number - 1].source
            for start, line in lines:
                if line[:1] in (" ", "\t"):
                    continue
                for statement in parsed_imports(source, start):
                    yield number, modules_of(statement)

    @cached_property
    def _import_lines(self) -> dict[int, list[tuple[int, str]]]:
        """Cell -> (offset, text) of each line starting with an import: each cell scanned
        once, whatever the names asked about."""
        found = {}
        for cell in self.notebook.cells:
            source = cell.source
            if cell.cell_type != "code" or "import" not in source:
                continue
            magic = cell_magic(source)
            if magic is not None and magic not in PYTHON_CELL_MAGICS:
                continue
            lines = [(match.start(), match.group()) for match in import_lines().finditer(source)]
            if lines:
                found[cell.number] = lines
        return found

    @cached_property
    def _defining_cells(self) -> dict[str, list[int]]:
        """Name -> the cells whose text seems to `def` or `class` it: each cell scanned once."""
        found: dict[str, list[int]] = {}
        for cell in self.notebook.cells:
            if cell.cell_type == "code" and ("def" in cell.source or "class" in cell.source):
                for name in dict.fromkeys(defined_names(cell.source)):
                    found.setdefault(name, []).append(cell.number)
        return found


def _star_import(statement: ast.Import | ast.ImportFrom, module: str) -> bool:
    """Whether `statement` is `from module import *` (an absolute import of `module`)."""
    return (
        isinstance(statement, ast.ImportFrom)
        and statement.level == 0
        and statement.module == module
        and any(alias.name == "*" for alias in statement.names)
    )

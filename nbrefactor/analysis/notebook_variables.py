"""Where a notebook binds its variables: the cells to look in, each read once.

A **notebook variable** is a name the notebook binds at module level by
anything but `import`, `def` and `class`: an assignment of any kind, `for`,
`with ... as`, `except ... as`, a walrus, a `match` capture, or `global` in
any function. Builtins and names bound nowhere are not notebook variables
(a builtin the notebook assigns is). `hidden_inputs` asks, for each name a
function reads, which cell binds it first.

Finding a name's bindings must not parse every cell that mentions, say,
`plt`: an occurrence preceded by `.`, or followed (after spaces) by `.`, `(`
or `[`, or on a plain `import`/`from` line, cannot bind it by anything but an
import or a `def`/`class` (`binding_text`). Only cells with another kind of
occurrence are parsed (or read in pieces when they do not parse), each at
most once. Lines that cannot be read at all count as binding the name
(keeping a definition is safe, replacing it is not).
"""

from __future__ import annotations

import ast
import bisect
import itertools
import re
from collections.abc import Callable, Iterator

from nbrefactor.analysis.binding_text import binding_lines
from nbrefactor.analysis.constants import literal_assignment
from nbrefactor.analysis.magic_facts import names_assigned_by
from nbrefactor.analysis.magics import (
    PYTHON_CELL_MAGICS,
    MaskedSource,
    cell_magic,
    without_cell_magic,
)
from nbrefactor.analysis.mentions import Watched
from nbrefactor.analysis.parsing import AST_ERRORS, statement_lines
from nbrefactor.analysis.reader import CellReading, Unread, read_cell
from nbrefactor.analysis.scopes import (
    variables_bound,
    variables_bound_by,
)
from nbrefactor.analysis.text import column_offset, line_start
from nbrefactor.nbfile.notebook import Notebook

# What IPython binds in the notebook's namespace, no cell showing it: its input and output
# history (`_` the last output, `Out[3]`, `_3`, `_i3`, `_ih`, ...) and the exit code of the
# last `!cmd`. A function reading one reads the notebook; the same function in a library
# finds none (NameError).
_IPYTHON_HISTORY = frozenset(
    {"_", "__", "___", "_i", "_ii", "_iii", "_ih", "_oh", "_dh", "In", "Out", "_exit_code"}
)
# IPython's exit command, bound in the notebook's namespace too; while a cell runs IPython
# hides Python's own `exit` and `quit` from the builtins, so a library finds neither (sweep
# 26: a helper calling `exit()` raised NameError once moved).
IPYTHON_EXIT = frozenset({"exit", "quit"})
# An output or input by its number (`_3`, `_i3`); the history read by number (`Out[3]`).
NUMBERED_HISTORY = r"_i?[0-9]+"
HISTORY_BY_NUMBER = ("Out", "In", "_oh", "_ih")
_NUMBERED_HISTORY = re.compile(NUMBERED_HISTORY)


def ipython_binds(name: str) -> bool:
    """Whether IPython binds `name` in the notebook's namespace (`_`, `Out`, `_i3`, `_3`,
    `exit`)."""
    return (
        name in _IPYTHON_HISTORY
        or name in IPYTHON_EXIT
        or _NUMBERED_HISTORY.fullmatch(name) is not None
    )


# Nothing is watched when a cell is read only for what it binds.
_NOTHING = Watched(frozenset(), "<no module>")

# A cell already read elsewhere (the program's reading), or None.
KnownReading = Callable[[int], "CellReading | None"]


def _statement_text(reading: CellReading, statement: ast.stmt) -> str:
    """The text of a top-level statement, from its first character (decorators included)
    to its last: a simple statement may share its lines with others after `;`."""
    text, starts = reading.masked.text, reading.line_starts
    first, last = statement_lines(statement)
    start = starts[first - 1]
    if first == statement.lineno:  # not decorated
        start = column_offset(text, start, statement.col_offset)
    if statement.end_col_offset is None:
        return text[start : line_start(text, starts, last + 1)]
    return text[start : column_offset(text, starts[last - 1], statement.end_col_offset)]


class NotebookVariables:
    """Which cells of a notebook bind a name as a variable; each cell read at most once.

    `known` gives a cell already parsed elsewhere (the migration's program),
    so that it is not parsed twice: its tree, its masking, and whether it was
    read whole (False: in pieces). `earlier` is the same question asked of
    the notebook before a migration (the safety check): what it found in a
    cell whose text is unchanged holds, and is not looked for again.
    """

    def __init__(
        self,
        notebook: Notebook,
        known: KnownReading | None = None,
        earlier: NotebookVariables | None = None,
    ) -> None:
        self.notebook = notebook
        self.known = known
        self._bound: dict[int, _CellBindings] = {}
        self._first: dict[str, int | None] = {}
        self._binds_in: dict[tuple[int, str], bool] = {}  # (cell, name) -> whether it binds
        # cell -> its cell magic, or None: asked once per cell, not once per name in it
        self._magics: dict[int, str | None] = {}
        if earlier is not None:
            unchanged = {
                cell.number
                for cell, before in zip(notebook.cells, earlier.notebook.cells)
                if cell.source == before.source
            }
            self._bound = {n: b for n, b in earlier._bound.items() if n in unchanged}
            self._binds_in = {k: v for k, v in earlier._binds_in.items() if k[0] in unchanged}

    def first_binding(self, name: str) -> int | None:
        """The first cell that binds `name` as a notebook variable, or None."""
        if name not in self._first:
            self._first[name] = next(self._binding_cells(name), None)
        return self._first[name]

    def _binding_cells(self, name: str) -> Iterator[int]:
        """The cells that bind `name` as a notebook variable, in order, each read when asked."""
        for cell in self.notebook.cells:
            if cell.cell_type != "code":
                continue
            first = cell.source.find(name)  # where the scan for bindings may begin
            if first >= 0 and self._binds_cached(cell.number, cell.source, name, first):
                yield cell.number

    def only_constant(self, name: str) -> tuple[int, int, ast.expr] | None:
        """(cell, line, value) of `name`'s binding when the notebook binds it in one
        top-level assignment only, to a literal that cannot change after (`SEED = 42`:
        `constants`), in a cell read whole and run as Python at the top level (no cell
        magic: `%%timeit` runs its body in a function); None otherwise. An import, `def` or
        `class` of the name is `NotebookImports`' to say."""
        cells = list(itertools.islice(self._binding_cells(name), 2))  # one, or not
        bindings = self._bound.get(cells[0]) if len(cells) == 1 else None
        if bindings is None or bindings.skeletal is not None or bindings.unread_lines:
            return None
        if self._magics.get(cells[0]) is not None:
            return None  # round 56a: `%%timeit` binds nothing in the notebook
        if name in bindings.by_magics:
            return None
        found = [
            statement
            for statement in bindings.statements
            if name in variables_bound_by(statement, bindings.may_declare_global)
        ]
        value = literal_assignment(found[0], name) if len(found) == 1 else None
        return None if value is None else (cells[0], found[0].lineno, value)

    def _binds_cached(self, number: int, source: str, name: str, first: int) -> bool:
        key = (number, name)
        if key not in self._binds_in:
            self._binds_in[key] = self._binds(number, source, name, first)
        return self._binds_in[key]

    def _binds(self, number: int, source: str, name: str, first: int) -> bool:
        """Whether the cell binds `name`, whose first occurrence in `source` is at `first`."""
        if number not in self._magics:
            self._magics[number] = cell_magic(source)
        magic = self._magics[number]
        body = source
        if magic is not None:
            body = without_cell_magic(source)
            if next(binding_lines(source[: len(source) - len(body)], name), None) is not None:
                return True  # on the magic's line: `%%capture out` binds `out`
            if magic not in PYTHON_CELL_MAGICS:
                return False  # the body is not Python
            first = 0  # the body's first occurrence is not where the cell's is
        lines = list(binding_lines(body, name, first))
        if not lines:
            return False
        bindings = self._bound.get(number)
        if bindings is None:
            bindings = self._bound[number] = self._read(number, source)
        return bindings.binds(name, lines)

    def _read(self, number: int, source: str) -> _CellBindings:
        """What the cell binds, read by the one reader (`read_cell`), unless already read.

        A huge cell is read statement by statement (`statementwise`): no tree kept whole.
        """
        reading = self.known(number) if self.known is not None else None
        if reading is None:
            read = read_cell(number, source, _NOTHING, whole_trees=False)
            if isinstance(read, Unread):
                return _CellBindings([], frozenset(), [(1, source.count("\n") + 1)])
            reading = read
        return _CellBindings.of(reading)


class _CellBindings:
    """What a cell binds, statement by statement, walked only where a name could be bound.

    A binding of a name has the name's text inside the binding statement, so only the
    top-level statements holding such an occurrence are walked (each at most once). Of a
    cell read statement by statement (`skeletal`), only the lines of each statement are
    kept: such a statement is parsed again from its text when it must be walked.
    """

    def __init__(
        self,
        statements: list[ast.stmt],
        by_magics: frozenset[str],
        unread_lines: list[tuple[int, int]],
        skeletal: CellReading | None = None,
        may_declare_global: bool = True,
    ) -> None:
        self.statements = statements
        self.firsts = [statement_lines(statement)[0] for statement in statements]
        self.by_magics = by_magics  # `files = !ls`: masked before parsing, but bound
        self.unread_lines = unread_lines  # line ranges that could not be read
        self.skeletal = skeletal  # the reading whose text the statements are parsed from
        # False when the cell's text holds no `global`: no function body need be walked for one
        self.may_declare_global = may_declare_global
        self._bound: dict[int, set[str] | None] = {}  # None: its text did not parse

    @classmethod
    def of(cls, reading: CellReading) -> _CellBindings:
        tree = reading.facts.tree
        unread = []
        if reading.error is not None:  # read in pieces: placeholders over what does not parse
            unread = [
                (statement.lineno, statement.end_lineno or statement.lineno)
                for statement in tree.body
                if isinstance(statement, ast.Pass)
            ]
        by_magics = frozenset(_bound_by_magics(reading.masked))
        skeletal = reading if reading.skeletal else None
        declares = "global" in reading.masked.text
        return cls(list(tree.body), by_magics, unread, skeletal, declares)

    def binds(self, name: str, lines: list[int]) -> bool:
        """Whether the statements holding these lines (or lines not read) bind `name`."""
        if name in self.by_magics:
            return True
        for line in lines:
            if any(first <= line <= last for first, last in self.unread_lines):
                return True
            index = bisect.bisect_right(self.firsts, line) - 1
            # Back over the statements that hold the line (several share it after `;`).
            while index >= 0 and statement_lines(self.statements[index])[1] >= line:
                if index not in self._bound:
                    self._bound[index] = self._variables_bound(self.statements[index])
                bound = self._bound[index]
                if bound is None or name in bound:
                    return True  # a statement that cannot be read counts as binding it
                index -= 1
        return False

    def _variables_bound(self, statement: ast.stmt) -> set[str] | None:
        if self.skeletal is None:
            return variables_bound_by(statement, self.may_declare_global)
        try:
            tree = ast.parse(_statement_text(self.skeletal, statement))
            return variables_bound(tree, self.may_declare_global)
        except AST_ERRORS:
            return None


def _bound_by_magics(masked: MaskedSource) -> set[str]:
    """`files = !ls`, `out = %sx ls`: masked away before parsing, but they bind."""
    return {name for original in masked.originals.values() for name in names_assigned_by(original)}

"""Reading one code cell: the one entry of `analysis`.

`read_cell` takes a cell's source and gives what the rules decide from: the
cell's facts (bindings and uses of the watched names, `cell_facts`) and the
masking to undo when it is edited. On the way it skips a cell that starts
with a non-Python cell magic, masks IPython syntax and parses with `ast`
(`parsing`), and reads a cell that does not parse statement by statement
(`tolerant`).
"""

from __future__ import annotations

import ast
from array import array
from collections.abc import Container
from dataclasses import dataclass, field
from functools import cached_property

from nbrefactor.analysis.cell_facts import CellFacts, collect_facts
from nbrefactor.analysis.events import Binding, BindingKind, NamedInString
from nbrefactor.analysis.line_magics import automagic_line
from nbrefactor.analysis.magic_facts import (
    add_capture_binding,
    add_magic_facts,
    cell_magic_bindings,
    cell_magic_uses,
)
from nbrefactor.analysis.magics import (
    LINE_CODE_OPTIONS,
    PYTHON_CELL_MAGICS,
    MaskedSource,
    MaskingError,
    cell_magic,
    line_code,
    mask_magics,
    without_cell_magic,
)
from nbrefactor.analysis.mentions import Watched
from nbrefactor.analysis.parsing import Unparseable, parse_cell, statement_lines
from nbrefactor.analysis.scopes import FreeNames, free_names
from nbrefactor.analysis.statementwise import HUGE_CELL, NotWhole, read_statementwise
from nbrefactor.analysis.text import line_starts, whole_lines
from nbrefactor.value_base import ValueBase


@dataclass(frozen=True, eq=False, repr=False)
class CellReading(ValueBase):
    """One code cell read: its facts and the masking to undo after editing it."""

    facts: CellFacts
    masked: MaskedSource
    editable: bool  # False in cells that start with a (Python) cell magic: read, never edited
    error: str | None = None  # where the cell stops being Python, when it was read in pieces
    broken_bodies: frozenset[int] = frozenset()  # statements: defs whose own body does not parse
    only_bodies: bool = False  # of a cell read in pieces: nothing else in it fails to parse
    # True: of the statements, only the imports and the definitions of watched names are whole
    # trees; the others stand only for their lines, not to be walked. A huge cell read
    # statement by statement (`statementwise`), or a reading the safety check derived from
    # the text without parsing it.
    skeletal: bool = False
    # Of a cell read in pieces: the first line of a def left unread because without it the
    # cell would parse (`broken_definitions.parses_without`), or None.
    breaking_definition: int | None = None

    # `free_names` of the definitions asked, by first line: kept here, where `free_names`'s
    # own cache keeps 1,024 texts (a notebook of 10,000 definitions ran symtable twice on
    # each, 10% of `migrate`).
    _free_names: dict[int, FreeNames] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    @cached_property
    def line_starts(self) -> array[int]:
        """Where each line of the masked text starts: taken once, for every statement's text."""
        return line_starts(self.masked.text)

    def lines(self, first: int, last: int) -> str:
        """Lines `first` to `last` of the masked text, whole, found without splitting it."""
        return whole_lines(self.masked.text, self.line_starts, first, last)

    def free_names(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> FreeNames:
        """`scopes.free_names` of a top-level definition of this cell, read from its text
        (decorators included): asked first by the reader (does Python compile it?), then by
        `hidden_inputs`."""
        first, last = statement_lines(node)
        known = self._free_names.get(first)
        if known is None:
            known = self._free_names[first] = free_names(self.lines(first, last))
        return known


# Why a cell that parses is not read: an expression some 500 operators long.
TOO_DEEP = "nested too deeply to read"


@dataclass(frozen=True, eq=False, repr=False)
class Unread(ValueBase):
    """A code cell that could not be read at all; the report says why."""

    magic: str | None = None  # the non-Python cell magic it starts with
    reason: str | None = None  # where it stops being Python, when even masking failed
    bindings: tuple[Binding, ...] = ()  # what that cell magic binds (`cell_magic_bindings`)
    named: tuple[NamedInString, ...] = ()  # what it may run (`cell_magic_uses`)


def read_cell(
    number: int,
    source: str,
    watched: Watched,
    *,
    whole_trees: bool = True,
    variables: Container[str] = frozenset(),
) -> CellReading | Unread:
    """The cell read for the watched names, or why it cannot be.

    With `whole_trees` False, a huge cell keeps of its statements' trees only
    what the rules and edits use (`statementwise`): migrate's reading.
    `variables` are the names of magics the notebook binds as variables before
    the cell (`line_magics.automagic_variables`): a cell of one line naming one
    is Python, not the magic IPython's automagic would run.
    """
    magic = cell_magic(source)
    if magic is not None:
        if magic not in PYTHON_CELL_MAGICS:
            return Unread(
                magic=magic,
                bindings=cell_magic_bindings(number, source, magic, watched),
                named=cell_magic_uses(number, source, magic, watched),
            )
        magic_line = source.lstrip().partition("\n")[0]
        source = without_cell_magic(source)
        if magic in LINE_CODE_OPTIONS:  # its line's statement runs too, on line 1
            source = line_code(magic, magic_line) + source
    elif (automagic := automagic_line(source, variables)) is not None:
        source = automagic  # `run setup.py` alone in its cell: `%run setup.py`
    reading = _read(number, source, watched, magic is None, whole_trees)
    if magic == "capture" and isinstance(reading, CellReading):
        add_capture_binding(reading.facts, magic_line, watched)
    return reading


def _read(
    number: int, source: str, watched: Watched, editable: bool, whole_trees: bool
) -> CellReading | Unread:
    """`read_cell` of a cell without its cell magic."""
    if not whole_trees and len(source) > HUGE_CELL:
        reading = _read_huge(number, source, editable, watched)
        if reading is not None:
            return reading
    try:
        tree, masked = parse_cell(source)
    except Unparseable as error:
        if error.masked is None:
            return Unread(reason=str(error))
        return _read_in_pieces(number, error.masked, str(error), editable, watched)
    try:
        facts = collect_facts(number, tree, masked.text, watched)
    except RecursionError:  # parsed, but deeper than its reading recurses (sweep 31)
        return Unread(reason=TOO_DEEP)
    add_magic_facts(facts, masked, watched)
    reading = CellReading(facts, masked, editable)
    rejected = _not_compiled(reading)
    return reading if rejected is None else CellReading(facts, masked, editable, rejected)


def _not_compiled(reading: CellReading) -> str | None:
    """Where a definition of a watched name that `ast` read is one Python does not compile
    (`def f(x, x)`, a `nonlocal` binding nothing; re-check 46), or None: run, the cell raised
    SyntaxError, as one that does not parse. Its free names are asked once more of the same
    text (`hidden_inputs`): `free_names` keeps the answer."""
    for binding in reading.facts.bindings:
        node = binding.node
        if binding.kind is BindingKind.DEF and node is not None:
            error = reading.free_names(node).error
            if error is not None:
                return f"line {node.lineno}: {error}"
    return None


def _read_huge(number: int, source: str, editable: bool, watched: Watched) -> CellReading | None:
    """A huge cell read statement by statement; None when it does not parse so (read it whole)."""
    try:
        masked = mask_magics(source)
        facts = read_statementwise(number, masked.text, watched)
    except (MaskingError, NotWhole):
        return None
    add_magic_facts(facts, masked, watched)
    return CellReading(facts, masked, editable, skeletal=True)


def _read_in_pieces(
    number: int, masked: MaskedSource, error: str, editable: bool, watched: Watched
) -> CellReading | Unread:
    """A cell that does not parse, read statement by statement (`tolerant`)."""
    # Imported here: a run over notebooks whose cells all parse never needs it.
    from nbrefactor.analysis.tolerant import read_broken

    try:
        broken = read_broken(number, masked.text, watched)
    except (RecursionError, MemoryError, ValueError):
        return Unread(reason=error)
    return CellReading(
        broken.facts,
        masked,
        editable,
        error,
        broken.broken_bodies,
        only_bodies=broken.only_bodies,
        breaking_definition=broken.breaking_definition,
    )

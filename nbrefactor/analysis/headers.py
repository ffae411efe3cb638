"""Reading a cell's definitions of library names from their `def` headers alone.

A run that does not explain what it kept (`--check` without -v, -q) asks of a
notebook whose definitions all stay only that they stay, and how many. A
definition whose parameters are not the library's stays whatever the rest of
its cell holds, and its header (`def name(norms, title):`) says so: reading
the whole cell, in pieces with tree-sitter when it does not parse, would not
change the answer. `header_reading` reads a cell that way when the text shows
that the full reading (`reader.read_cell`) would count the same definitions:

- the cell starts with no cell magic, and continues no line with a backslash
  (`def NAME \\` then `(...)`: a header its own line does not hold);
- every `def NAME(` of a library name starts a line, and no name is defined
  twice: so each name is one definition, whether the full reading finds it
  (a binding), finds its lines unreadable, or cannot read the cell at all
  (one kept definition per name);
- no `def` line lies inside a string: no triple quote comes before it (or
  else the text before it parses, strings closed: `stands_alone`, asked last
  by a caller that may give up on the headers); at the start of a line and
  outside strings, a `def` starts a statement, as `ast` and the tolerant
  reading both see it;
- each header parses on its own, with a `pass` body (`broken_definitions.definition_header`).

Otherwise it returns None, and the cell is read whole.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nbrefactor.analysis.broken_definitions import definition_header
from nbrefactor.analysis.cell_facts import CellFacts
from nbrefactor.analysis.events import Binding, BindingKind, Position
from nbrefactor.analysis.magics import MaskedSource, MaskingError, cell_magic, mask_magics
from nbrefactor.analysis.mentions import definitions_in
from nbrefactor.analysis.parsing import AST_ERRORS, Unparseable, parse_cell
from nbrefactor.analysis.reader import CellReading
from nbrefactor.analysis.text import TextLines, line_numbers
from nbrefactor.value_base import ValueBase

_TRIPLE_QUOTES = ('"""', "'''")


@dataclass(frozen=True, eq=False, repr=False)
class HeaderReading(ValueBase):
    """A cell read from its headers, and the `def`s that stand for definitions only if the
    text before each parses (a triple quote comes before them: they may lie in a string)."""

    reading: CellReading
    doubtful: tuple[int, ...]  # offsets of those `def`s


def header_reading(
    number: int,
    source: str,
    names: frozenset[str],
    gives_up: Callable[[Binding], bool] | None = None,
) -> HeaderReading | None:
    """The cell's definitions of `names`, each read from its header; None: read the cell
    whole. Whether each doubtful `def` stands for a definition is left to
    `stands_alone`: a caller that may give up on the headers (a definition could go)
    asks it last. `gives_up` is asked of each definition as soon as it is read: True
    ends the reading (None), the headers after it unread.

    The reading holds only those definitions, each with a `pass` body: it is
    marked `skeletal`, for a program that is only asked which definitions
    stay (`program_reader`), never edited.
    """
    if cell_magic(source) is not None or "\\\n" in source or "\\\r" in source:
        return None
    found = definitions_in(source, names)
    if not found or len({name for name, _ in found}) < len(found):
        return None
    lines = TextLines(source)
    first_quote = _first_triple_quote(source)
    statements: list[ast.stmt] = []
    bindings = []
    doubtful = []
    offsets = [offset for _, offset in found]
    for (name, offset), line in zip(found, line_numbers(source, offsets)):
        if offset > 0 and source[offset - 1] not in "\r\n":
            return None  # glued to other code, indented or `async`: read whole
        if offset > first_quote:
            doubtful.append(offset)
        node = definition_header(lines, line, line, len(lines))
        if node is None or node.name != name:
            return None
        position = Position(number, len(statements), 1)
        binding = Binding(name, position, BindingKind.DEF, None, node)
        if gives_up is not None and gives_up(binding):
            return None
        bindings.append(binding)
        statements.append(node)
    tree = ast.Module(body=statements, type_ignores=[])
    facts = CellFacts(number, tree, bindings)
    reading = CellReading(facts, MaskedSource(source, {}), editable=True, skeletal=True)
    return HeaderReading(reading, tuple(doubtful))


def stands_alone(source: str, doubtful: Sequence[int]) -> bool:
    """Whether each doubtful `def` (at the start of a line, after a triple quote) lies outside
    strings: the text before it parses, strings closed."""
    return all(_parses(source[:offset]) for offset in doubtful)


def _parses(text: str) -> bool:
    """Whether `parse_cell` reads the text. Its first attempt is made with `symtable`: the
    same parser, without making a Python object of each node (about a quarter of the cost of
    `ast.parse`, paid for the whole text before each doubtful `def`). `symtable` checks more
    (a `nonlocal` at the top level), so a text it refuses is asked of `parse_cell`, which
    also makes its other attempts."""
    import symtable  # here: only a cell with a doubtful `def` is asked

    try:
        masked = mask_magics(text)
    except MaskingError:
        return False
    try:
        symtable.symtable(masked.text, "<unknown>", "exec")  # as `ast.parse` names it
    except AST_ERRORS:
        try:
            parse_cell(text)
        except Unparseable:
            return False
    return True


def _first_triple_quote(source: str) -> int:
    """Where the first triple quote starts; the text's length when there is none."""
    found = [offset for offset in map(source.find, _TRIPLE_QUOTES) if offset >= 0]
    return min(found, default=len(source))

"""Reading a cell's definitions of library names from their `def` headers alone.

A run that does not explain what it kept (`--check` without -v, -q) asks of a
notebook whose definitions all stay only that they stay, and how many. A
definition whose parameters are not the library's stays whatever the rest of
its cell holds, and its header (`def name(norms, title):`) says so: reading
the whole cell, in pieces with tree-sitter when it does not parse, would not
change the answer. `read_headers` reads a cell that way when the text shows
that the full reading (`reader.read_cell`) would count the same definitions:

- the cell starts with no cell magic, and continues no line with a backslash
  (`def NAME \\` then `(...)` is a definition the gate's pattern does not see);
- every `def NAME(` of a library name starts a line, and no name is defined
  twice: so each name is one definition, whether the full reading finds it
  (a binding), finds its lines unreadable, or cannot read the cell at all
  (one kept definition per name);
- no `def` line lies inside a string: no triple quote comes before it and
  the line before it does not end with a backslash (or else the text before
  it parses, strings closed); at the start of a line and outside strings, a
  `def` starts a statement, as `ast` and the tolerant reading both see it;
- each header parses on its own, with a `pass` body (`tolerant.definition_header`).

Otherwise it returns None, and the cell is read whole.
"""

from __future__ import annotations

import ast

from nbrefactor.analysis.cell_facts import CellFacts
from nbrefactor.analysis.events import Binding, BindingKind, Position
from nbrefactor.analysis.magics import MaskedSource, cell_magic
from nbrefactor.analysis.mentions import definitions_in
from nbrefactor.analysis.parsing import Unparseable, parse_cell
from nbrefactor.analysis.reader import CellReading
from nbrefactor.analysis.text import split_lines
from nbrefactor.analysis.tolerant import definition_header

_TRIPLE_QUOTES = ('"""', "'''")


def read_headers(number: int, source: str, names: frozenset[str]) -> CellReading | None:
    """The cell's definitions of `names`, each read from its header; None: read the cell whole.

    The reading holds only those definitions, each with a `pass` body: it is
    marked `skeletal`, for a program that is only asked which definitions
    stay (`program_reader`), never edited.
    """
    if cell_magic(source) is not None or "\\\n" in source or "\\\r" in source:
        return None
    found = definitions_in(source, names)
    if not found or len({name for name, _ in found}) < len(found):
        return None
    lines = split_lines(source)
    first_quote = _first_triple_quote(source)
    statements: list[ast.stmt] = []
    bindings = []
    for name, offset in found:
        if offset > 0 and source[offset - 1] not in "\r\n":
            return None  # glued to other code, indented or `async`: read whole
        line = _line_number(source, offset)
        if not _starts_statement(source, lines, line, offset, first_quote):
            return None
        node = definition_header(lines, line, line, len(lines))
        if node is None or node.name != name:
            return None
        position = Position(number, len(statements), 1)
        bindings.append(Binding(name, position, BindingKind.DEF, None, node))
        statements.append(node)
    tree = ast.Module(body=statements, type_ignores=[])
    facts = CellFacts(number, tree, bindings)
    return CellReading(facts, MaskedSource(source, {}), editable=True, skeletal=True)


def _line_number(source: str, offset: int) -> int:
    """The line at `offset`, lines ending at \\n, \\r\\n and \\r as in `split_lines`."""
    breaks = source.count("\n", 0, offset) + source.count("\r", 0, offset)
    return breaks - source.count("\r\n", 0, offset) + 1


def _first_triple_quote(source: str) -> int:
    """Where the first triple quote starts; the text's length when there is none."""
    found = [offset for offset in map(source.find, _TRIPLE_QUOTES) if offset >= 0]
    return min(found, default=len(source))


def _starts_statement(
    source: str, lines: list[str], line: int, offset: int, first_quote: int
) -> bool:
    """Whether the `def` at the start of `line` lies outside strings and continued lines."""
    continued = line > 1 and lines[line - 2].rstrip("\r\n").endswith("\\")
    if offset <= first_quote and not continued:
        return True
    try:
        parse_cell(source[:offset])
    except Unparseable:
        return False
    return True

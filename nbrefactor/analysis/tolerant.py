"""Reading what can be read of a cell that does not parse.

A third of real notebooks holding inline helpers have a cell `ast` rejects, and
it is usually the cell holding the `def`: a half-applied regex fix, a call whose
head was commented out, a stray `)`. The definition itself nearly always parses
on its own. So the cell is cut into its top-level statements, each is parsed
alone with `ast`, and the statements that parse are read as usual; the runs of
lines that do not are kept as opaque placeholders, so every byte of them
stays as it was.

Where to cut: before each line that starts at column 0 with code, unless it
lies inside a string or continues a compound statement (`else:`, a decorated
`def`). tree-sitter, an error-recovering parser, says which lines lie inside
strings even where the cell is broken, and reads the calls of watched names
in the broken lines. Neighbouring pieces are parsed together when a piece
does not parse alone (a line at column 0 inside brackets), the way Python
would read them.

A `def` of a watched name whose own body does not parse is still a
definition when its header (name and parameters) reads cleanly: the library
function is the fix, and its extent runs to the next top-level statement.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from nbrefactor.analysis.broken_definitions import (
    broken_definition,
    definition_before_stray_line,
    parse_at,
    parses_without,
)
from nbrefactor.analysis.cell_facts import CellFacts, collect_facts
from nbrefactor.analysis.events import CallShape, Position, UnreadableUse, Use
from nbrefactor.analysis.mentions import Watched
from nbrefactor.analysis.parsing import AST_ERRORS, continues_statement
from nbrefactor.analysis.recovering import (
    call_shape,
    in_string_or_comment,
    lines_in_strings,
    parse_recovering,
)
from nbrefactor.analysis.text import split_lines
from nbrefactor.value_base import ValueBase

if TYPE_CHECKING:
    from tree_sitter import Tree

# Pieces tried together when a piece does not parse alone.
_MERGE_LIMIT = 8
_DEFINES = re.compile(r"(?:@|class\b|def\b|async[ \t]+def\b)")


@dataclass(frozen=True, eq=False, repr=False)
class BrokenReading(ValueBase):
    """What was read of a cell that does not parse: the facts of its pieces that do, and which
    definitions parse only without their body."""

    facts: CellFacts  # of the statements that parse, and the uses read in those that do not
    broken_bodies: frozenset[int]  # statement indices of definitions whose body does not parse
    only_bodies: bool = False  # every other statement parsed: without those definitions, it does
    # The first line of a def that parses but without which the cell would parse too (left
    # unread: `broken_definitions.parses_without`), or None.
    breaking_definition: int | None = None


def read_broken(cell: int, text: str, watched: Watched) -> BrokenReading:
    """The facts of a (masked) cell that `ast` rejects as a whole.

    The statements that parse are read as any cell is (`collect_facts`); in
    the lines that do not, each watched name is a `Use` when its call reads
    on its own, and an `UnreadableUse` otherwise.
    """
    names = watched.names
    lines = split_lines(text)
    syntax = parse_recovering(text)
    in_strings = lines_in_strings(syntax)
    starts = _piece_starts(lines, in_strings)
    ends = [start - 1 for start in starts[1:]] + [len(lines)]
    statements: list[ast.stmt] = []
    broken_bodies: list[int] = []
    broken: list[tuple[int, int, int]] = []  # (statement index, first line, last line)
    breaking_definition = None
    index = 0
    while index < len(starts):
        parsed, used = _parse_pieces(lines, starts, ends, index)
        if parsed is not None:
            statements.extend(parsed)
            index += used
            continue
        first, last = starts[index], _last_code_line(lines, starts[index], ends[index])
        whole = definition_before_stray_line(lines, first, last, names, in_strings)
        if whole is None:
            definition = broken_definition(lines, first, last, names)
        elif not parses_without(lines, first, whole[1] - 1):
            # The def parses; a stray line after it does not, nor does the cell without it.
            definition_node, stray = whole
            statements.append(definition_node)
            broken.append((len(statements), stray, last))
            statements.append(_placeholder(lines, stray, last))
            index += 1
            continue
        else:  # the cell would parse without the def: it stays unread, with the lines after
            breaking_definition = breaking_definition or whole[0].lineno
            definition = None
        if definition is not None:
            broken_bodies.append(len(statements))
            statements.append(definition)
        else:
            broken.append((len(statements), first, last))
            statements.append(_placeholder(lines, first, last))
        index += 1
    tree = ast.Module(body=statements, type_ignores=[])
    facts = collect_facts(cell, tree, text, watched)
    reader = _BrokenLines(facts, syntax, lines, names)
    for statement, first, last in broken:
        deferred = _DEFINES.match(lines[first - 1]) is not None
        reader.read(statement, first, last, deferred)
    for statement in broken_bodies:
        node = statements[statement]
        # The header parsed (on one line or more: `def \` then `f(x):`), its names read with
        # the statement; the body starts where its placeholder `pass` does (on the header's
        # last line when the cell ends there).
        body = max(cast(ast.FunctionDef, node).body[0].lineno, node.lineno + 1)
        reader.read(statement, body, node.end_lineno or body, deferred=True)
    return BrokenReading(facts, frozenset(broken_bodies), not broken, breaking_definition)


# -- cutting the cell ------------------------------------------------------------


def _piece_starts(lines: Sequence[str], in_strings: Collection[int]) -> list[int]:
    """The lines that start a top-level statement, as far as lines alone can tell."""
    starts = [1]
    after_decorator = False
    after_backslash = False
    for number, line in enumerate(lines, start=1):
        first = line[:1]
        continued = after_backslash
        # A line ending in a backslash goes on in the next (`def \` then `f(x):`, round
        # 62a); one holding a `#` may end in a comment, and a wrong cut only reads less.
        after_backslash = line.rstrip("\r\n").endswith("\\") and "#" not in line
        if not first or first in " \t#\r\n)]}" or number in in_strings or continued:
            continue
        if number > 1 and not after_decorator and not continues_statement(line):
            starts.append(number)
        after_decorator = first == "@"
    return sorted(set(starts))


def _parse_pieces(
    lines: Sequence[str], starts: Sequence[int], ends: Sequence[int], index: int
) -> tuple[list[ast.stmt] | None, int]:
    """The statements of the piece at `index`, parsed alone or with the next few."""
    first = starts[index]
    for used in range(1, min(_MERGE_LIMIT, len(starts) - index) + 1):
        last = ends[index + used - 1]
        try:
            tree = parse_at("".join(lines[first - 1 : last]), first)
        except AST_ERRORS:
            continue
        return tree.body, used
    return None, 1


def _last_code_line(lines: Sequence[str], first: int, last: int) -> int:
    """The last line of first..last that is neither blank nor a comment at column 0."""
    while last > first and (not lines[last - 1].strip() or lines[last - 1].startswith("#")):
        last -= 1
    return last


def _placeholder(lines: Sequence[str], first: int, last: int) -> ast.stmt:
    """An opaque statement standing for lines that do not parse: nothing is read in it."""
    end = len(lines[last - 1].rstrip("\r\n").encode("utf-8"))
    return ast.Pass(lineno=first, col_offset=0, end_lineno=last, end_col_offset=end)


class _BrokenLines:
    """Reads the watched names in lines that do not parse, adding them to the cell's facts.

    The name of a `def` counts too: a definition that could not be read is an
    unknown binding, which keeps the other definitions of its name.
    """

    def __init__(
        self, facts: CellFacts, syntax: Tree, lines: Sequence[str], names: Collection[str]
    ) -> None:
        self.facts = facts
        self.syntax = syntax
        self.lines = lines
        self.pattern = _name_pattern(frozenset(names))
        # After the events `collect_facts` numbered: positions stay unique.
        self.sequence = max((use.position.sequence for use in facts.uses), default=0)

    def read(self, statement: int, first: int, last: int, deferred: bool) -> None:
        for number in range(first, last + 1):
            line = self.lines[number - 1]
            for match in self.pattern.finditer(line):
                column = len(line[: match.start()].encode("utf-8"))
                node = self.syntax.root_node.descendant_for_point_range(
                    (number - 1, column), (number - 1, column + len(match.group(0)))
                )
                if node is None or in_string_or_comment(node):
                    continue
                self._add(match.group(0), statement, number, column, call_shape(node), deferred)

    def _add(
        self,
        name: str,
        statement: int,
        line: int,
        column: int,
        call: CallShape | None,
        deferred: bool,
    ) -> None:
        if call is None:
            self.facts.unreadable.append(UnreadableUse(name, self.facts.cell, line))
            return
        self.sequence += 1
        position = Position(self.facts.cell, statement, self.sequence)
        self.facts.uses.append(Use(name, position, deferred, call, line, column))


@lru_cache(maxsize=16)
def _name_pattern(names: frozenset[str]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.])(?:{'|'.join(map(re.escape, sorted(names)))})\b")

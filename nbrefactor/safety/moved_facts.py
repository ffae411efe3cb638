"""A changed cell's reading moved from the old one, once its text is matched (`text_match`).

The old facts minus those in removed statements and in imports from the
library, statement indexes and lines moved with their run (a renamed use
renamed, the columns after it on its line moved), plus the facts of the
statements parsed between the runs (`FactsCollector`, as the reader collects
them). Its tree keeps whole, at their new lines, the imports and the
definitions of watched names, which the rules read (a moved one is parsed
again from its own lines: a few); a statement that did not move is the old
one; any other stands as a `pass` over its lines. No edit is made from this
reading and nothing walks those statements; it is marked `skeletal`, so that
the notebook's variables are read from the cell itself if they are asked
about.
"""

from __future__ import annotations

import ast
import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from nbrefactor.analysis.cell_facts import CellFacts, FactsCollector
from nbrefactor.analysis.events import Binding, Position, Use
from nbrefactor.analysis.mentions import Watched
from nbrefactor.analysis.parsing import AST_ERRORS, statement_lines
from nbrefactor.analysis.statementwise import pass_over
from nbrefactor.safety.runs import OldText, Renames, Run


@dataclass
class Parsed:
    """Lines between runs, parsed: imports from the library, statements with a renamed call
    (their lines as parsed alone)."""

    start: int  # where the lines are in the new text
    text: str
    statements: list[ast.stmt] = field(default_factory=list)
    line: int = 0  # the new line of `start`, 1-based, once placed


def moved_facts(
    old: CellFacts,
    runs: list[Run],
    imports: list[Parsed],
    old_text: OldText,
    watched: Watched,
    renames: Renames,
) -> CellFacts | None:
    """The cell's facts in the new text: the kept statements' moved, the imports' read."""
    cell = old.cell
    body: list[ast.stmt] = []
    facts = CellFacts(cell=cell, tree=ast.Module(body=body, type_ignores=[]))
    moves = _Moves()
    pieces: list[Run | Parsed] = sorted([*runs, *imports], key=lambda piece: piece.start)
    for piece in pieces:
        if isinstance(piece, Parsed):
            _read_parsed(facts, piece, watched)
            continue
        moved = _moved_statements(old.tree.body, piece, old_text, watched, renames)
        if moved is None:
            return None
        moves.add(piece, len(body))
        body += moved
    for binding in old.bindings:
        index = moves.index(binding.statement_index)
        if index is None:
            continue
        node = body[index] if binding.node is not None else None
        if index == binding.statement_index and node is binding.node:
            # Unmoved: the same binding, so that what was found about it holds (the
            # notebook variables a definition reads: `program_reader._hidden_inputs`).
            facts.bindings.append(binding)
            continue
        assert node is None or isinstance(node, ast.FunctionDef)
        position = Position(cell, index, binding.position.sequence)
        facts.bindings.append(
            Binding(
                binding.name,
                position,
                binding.kind,
                binding.source_module,
                node,
                imported_name=binding.imported_name,
            )
        )
    new_names = {id(r.use): r.new_name for found in renames.values() for r in found}
    widened = _widened_lines(renames)
    for use in old.uses:
        index = moves.index(use.position.statement)
        if index is not None:
            position = Position(cell, index, use.position.sequence)
            line = use.line + moves.shift(use.position.statement)
            column = use.column
            if use.line in widened:
                column += _widening(widened[use.line], use.column)
            name = new_names.get(id(use), use.name)
            facts.uses.append(
                Use(
                    name,
                    position,
                    use.deferred,
                    use.call,
                    line,
                    column,
                    use.shadowed,
                    use.attribute,
                )
            )
    for old_index in old.import_statements:
        index = moves.index(old_index)
        if index is not None:
            facts.import_statements.append(index)
    for old_index, name in old.star_imports:
        index = moves.index(old_index)
        if index is not None:
            facts.star_imports.append((index, name))
    _in_order(facts)
    return facts


class _Moves:
    """Where the kept statements went, held per run: a huge cell keeps tens of thousands of
    statements, and a dictionary entry for each took megabytes at the check's peak."""

    def __init__(self) -> None:
        self._firsts: list[int] = []  # each run's first old index, ascending (runs are in order)
        self._runs: list[tuple[range, int, int]] = []  # (old indexes, new first index, shift)

    def add(self, run: Run, new_first: int) -> None:
        self._firsts.append(run.statements.start)
        self._runs.append((run.statements, new_first, run.shift))

    def index(self, old_index: int) -> int | None:
        """The statement's new index; None when it went (removed, or an import read again)."""
        found = self._run_of(old_index)
        if found is None:
            return None
        statements, new_first, _ = found
        return new_first + old_index - statements.start

    def shift(self, old_index: int) -> int:
        """How many lines a kept statement moved."""
        found = self._run_of(old_index)
        assert found is not None
        return found[2]

    def _run_of(self, old_index: int) -> tuple[range, int, int] | None:
        at = bisect.bisect_right(self._firsts, old_index) - 1
        if at < 0 or old_index not in self._runs[at][0]:
            return None
        return self._runs[at]


def _in_order(facts: CellFacts) -> None:
    """Source order, as the reader lists them (its event positions count up as it reads)."""
    facts.bindings.sort(key=lambda binding: binding.position)
    facts.uses.sort(key=lambda use: use.position)
    facts.import_statements.sort()
    facts.module_imports.sort(key=lambda found: found.statement_index)
    facts.star_imports.sort()


def _moved_statements(
    old_body: Sequence[ast.stmt], run: Run, old_text: OldText, watched: Watched, renames: Renames
) -> list[ast.stmt] | None:
    """The run's statements at their new lines: unmoved, the old ones; moved, the imports and
    definitions of watched names whole (parsed again from their own lines: a few), the
    others a `pass` over their lines."""
    statements = old_body[run.statements.start : run.statements.stop]
    shift = run.shift
    if not shift and not any(index in renames for index in run.statements):
        return list(statements)
    moved: list[ast.stmt] = []
    for index, statement in zip(run.statements, statements):
        first, last = statement_lines(statement)
        if not kept_whole(statement, watched):
            wider = 0
            if index in renames:
                widened = _widened_lines({index: renames[index]})
                wider = _widening(widened.get(last, ()), None)
            moved.append(_over_lines(statement, shift, wider))
            continue
        if not shift:  # kept whole and not renamed (`_split_renames`)
            moved.append(statement)
            continue
        # Its lines, as matched: alone, they parse into the same statement (unless another
        # shares them through `;`: then the cell is re-read).
        try:
            again = ast.parse(old_text.lines(first, last)).body
        except AST_ERRORS:
            return None
        if len(again) != 1:
            return None
        ast.increment_lineno(again[0], first - 1 + shift)
        moved.append(again[0])
    return moved


def _over_lines(statement: ast.stmt, shift: int, wider: int = 0) -> ast.stmt:
    """A `pass` standing for the statement, over its lines moved by `shift` (its last line
    `wider` bytes wider: renamed uses)."""
    first, last = statement_lines(statement)
    end_col_offset = (statement.end_col_offset or 0) + wider
    return pass_over(first + shift, statement.col_offset, last + shift, end_col_offset)


def _widened_lines(renames: Renames) -> dict[int, list[tuple[int, int]]]:
    """Line -> (byte column, bytes wider) of each rename on it."""
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for renamed in renames.values():
        for rename in renamed:
            wider = len(rename.new_name.encode("utf-8")) - len(rename.use.name.encode("utf-8"))
            found[rename.use.line].append((rename.use.column, wider))
    return found


def _widening(renamed: Sequence[tuple[int, int]], column: int | None) -> int:
    """How much wider the line is before `column` (None: before its end)."""
    return sum(wider for at, wider in renamed if column is None or at < column)


def kept_whole(statement: ast.stmt, watched: Watched) -> bool:
    """What the rules read of a cell: its imports and its definitions of watched names."""
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return True
    # A huge cell's other definitions are skeletons (`statementwise.skeleton`): no name.
    return (
        isinstance(statement, ast.FunctionDef) and getattr(statement, "name", None) in watched.names
    )


def _read_parsed(facts: CellFacts, parsed: Parsed, watched: Watched) -> None:
    """The parsed statements' facts, read at their lines in `parsed.text` as the reader
    reads them; then the statements at their lines in the cell (whole, or a `pass` over
    their lines, as `_moved_statements` keeps them)."""
    collector = FactsCollector(facts, parsed.text, watched)
    shift = parsed.line - 1
    for statement in parsed.statements:
        index = len(facts.tree.body)
        facts.tree.body.append(statement)
        read = len(facts.uses)
        collector.collect(index, statement)
        facts.uses[read:] = [replace(use, line=use.line + shift) for use in facts.uses[read:]]
        if kept_whole(statement, watched):
            ast.increment_lineno(statement, shift)
        else:
            facts.tree.body[index] = _over_lines(statement, shift)

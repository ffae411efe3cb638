"""A changed cell read from its text alone: the old reading minus the removed definitions,
plus the import, without parsing the cell.

The check before every write needs each changed cell's reading, to compare
its statements with the original ones and to see where its uses are bound.
Parsing the cell again was most of the check's cost (a cell that held
definitions often holds thousands of characters of other code), yet a
migration only removes whole definitions, renames legacy calls and adds or
merges an import. `reading_from_text` shows that from the text and derives
the reading:

1. **Match.** The kept top-level statements (all but the removed definitions
   and the imports from the library) form runs, cut where a statement goes
   and where the import was put. Each run's text in the old masked text, from
   the start of its first line (decorators included) to the end of its last
   line, its renamed calls renamed (see `reading_from_text`), is found, in order,
   with `str.find` in the new masked text, starting a line and ending one
   (its last line ending aside). What lies between the runs is blank, comments,
   or lines that parse on their own into `from <module> import ...`
   statements and nothing else: the only text parsed, a few lines. IPython
   lines are masked as the reader masks them (`mask_magics`); where either
   side masked a line, the runs are also compared unmasked, so that a
   placeholder stands for the same line on both sides. One forward pass.
2. **Why equal text means equal statements.** Python reads a top-level
   statement from the start of its first line (column 0) to the end of its
   last. A `def` starts a line, and ends one (nothing follows a compound
   statement on its last line but its own body), so a removed definition
   owns its lines, apart from the runs (a kept statement sharing a line with
   one that goes, through `;`, sends the cell to the re-read). In the new text
   each run starts where the tokenizer holds nothing open: at the start of the
   text, after another run (which ended a statement, and does not end in a
   backslash), or after lines that are blank, comments, or parse on their own
   (text that parses closes its brackets and strings and does not end in a
   backslash). So the new text's tokens are its pieces' tokens in order, and
   `ast.parse` of it gives the old statements, unchanged (but for the renamed
   names), with the parsed imports between them: what the re-read would
   compare as trees. The new
   text parses with the reader's first masking, so that masking, made here,
   is the reader's.
3. **The reading.** The old facts minus those in removed statements and in
   imports from the library, statement indexes and lines moved with their run,
   plus the facts of the parsed imports (`FactsCollector`, as the reader
   collects them). Its tree keeps whole, at their new lines, the imports and
   the definitions of watched names, which the rules read (a moved one is
   parsed again from its own lines: a few); a statement that did not move is
   the old one; any other that moved stands as a `pass` over its lines. No
   edit is made from this reading and nothing walks those statements; it is
   marked `skeletal`, so that the notebook's variables are read from the cell
   itself if they are asked about.

None when the match fails or does not apply: a cell read in pieces, a huge
cell, a kept statement sharing a line with one that goes, a new text that
starts with a cell magic, any text not as decided. The caller then re-reads
the cell, which keeps every guarantee: a faulty edit is told by that full
comparison (or, a use moved above the import, by check 3 on this reading).
"""

from __future__ import annotations

import ast
import keyword
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate

from nbrefactor.analysis.cell_facts import CellFacts, FactsCollector
from nbrefactor.analysis.events import Binding, Position, Use
from nbrefactor.analysis.magics import MaskedSource, MaskingError, cell_magic, mask_magics
from nbrefactor.analysis.mentions import Watched
from nbrefactor.analysis.parsing import AST_ERRORS, statement_lines
from nbrefactor.analysis.reader import CellReading
from nbrefactor.analysis.statementwise import HUGE_CELL
from nbrefactor.analysis.text import line_numbers, split_lines
from nbrefactor.rules.legacy_names import Rename
from nbrefactor.safety.statements import Statements, is_library_import

_LINE_ENDINGS = "\r\n"
_BLANK = " \t\f\r\n"  # what Python's tokenizer skips between statements


@dataclass(frozen=True)
class Decided:
    """What the migration decided for one cell, statements counted as `ast` counts them."""

    removed: Collection[int]  # the definitions that go
    renames: Sequence[Rename] = ()  # of (legacy) uses in the statements that stay
    names: Mapping[str, str] = field(default_factory=dict)  # legacy name -> new name
    insert_before: int | None = None  # the statement a new import was put before, if any


def reading_from_text(
    old: CellReading, new_source: str, watched: Watched, decided: Decided
) -> CellReading | None:
    """The cell's reading after the edit, when its new text is shown to be the old cell
    minus the removed statements, with the renamed uses renamed, plus imports from the
    library; else None.

    A use renamed where it runs (not inside a function, nor in a definition kept whole)
    is renamed in the old text before matching: one name token for another, which keeps
    every other token, so the tree is the old one with that name changed, and the facts
    the old ones with that use's name and the columns after it on its line changed (at
    module level a name is never a local one). A statement with any other rename is
    parsed again and compared as a tree (`Statements`, legacy names read as the new).
    The runs are also cut before `decided.insert_before`: where the import really is, the
    match finds out."""
    if old.error is not None or not old.editable or old.skeletal or old.facts.unreadable:
        return None
    if len(old.masked.text) > HUGE_CELL or len(new_source) > HUGE_CELL:
        return None  # a huge cell is read statement by statement: left to the re-read
    if cell_magic(new_source) is not None:
        return None
    try:
        masked = mask_magics(new_source)
    except MaskingError:
        return None
    body = old.facts.tree.body
    reparsed, by_text = _split_renames(body, decided.renames, watched)
    ranges = _kept_runs(body, watched.module, decided, reparsed)
    if ranges is None:
        return None
    old_text = _OldText(old.masked.text)
    runs = []
    for statements in ranges:
        run = _Run.of(body, statements, old_text, by_text)
        if run is None or run.text.endswith("\\"):
            return None  # a rename not where said; a last line that goes on (into blank ones)
        runs.append(run)
    new_text = masked.text
    if not _match(runs, new_text):
        return None
    if _masking(old.masked) or _masking(masked):
        for run in runs:  # a placeholder stands for the same line on both sides
            if old.masked.unmask(run.text) != masked.unmask(new_text[run.start : run.end]):
                return None
    imports = _parsed_between(
        runs, body, new_text, watched.module, old.masked, masked, reparsed, decided.names
    )
    if imports is None:
        return None
    _place_lines(runs, imports, new_text)
    facts = _moved_facts(old.facts, runs, imports, old_text, watched, by_text)
    if facts is None:
        return None
    return CellReading(facts, masked, editable=True, skeletal=True)


@dataclass
class _Run:
    """Kept top-level statements with nothing removed between them, and where they are."""

    statements: range  # their indexes in the old cell
    first_line: int  # in the old text, 1-based (decorators included)
    text: str  # old masked text, from its first line's start to its last line's end (no ending)
    start: int = -1  # where the text is in the new text, once matched
    line: int = 0  # the new line of `start`, 1-based, once placed

    @classmethod
    def of(
        cls, body: Sequence[ast.stmt], statements: range, old: _OldText, renames: _Renames
    ) -> _Run | None:
        """The run's old text, its renamed uses renamed; None when a use is not there."""
        first = statement_lines(body[statements[0]])[0]
        last = statement_lines(body[statements[-1]])[1]
        text = old.lines(first, last)
        found = [rename for index in statements for rename in renames.get(index, ())]
        at_start = old.starts[first - 1]
        for rename in sorted(
            found, key=lambda rename: (rename.use.line, rename.use.column), reverse=True
        ):
            use = rename.use
            at = old.starts[use.line - 1] - at_start + old.column(use.line, use.column)
            if text[at : at + len(use.name)] != use.name:
                return None
            text = text[:at] + rename.new_name + text[at + len(use.name) :]
        return cls(statements, first, text)

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def shift(self) -> int:
        return self.line - self.first_line


@dataclass
class _Parsed:
    """Lines between runs, parsed: imports from the library, statements with a renamed call
    (their lines as parsed alone)."""

    start: int  # where the lines are in the new text
    text: str
    statements: list[ast.stmt] = field(default_factory=list)
    line: int = 0  # the new line of `start`, 1-based, once placed


class _OldText:
    """The old masked text with where each of its lines starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *accumulate(map(len, split_lines(text)))]

    def column(self, line: int, byte_column: int) -> int:
        """The character column of a UTF-8 byte column (as `ast` counts) on a line."""
        text = self.text[self.starts[line - 1] : self.starts[line]]
        if text.isascii():
            return byte_column
        return len(text.encode("utf-8")[:byte_column].decode("utf-8", errors="replace"))

    def lines(self, first: int, last: int) -> str:
        """Lines first..last (1-based), the ending of the last one left out."""
        text = self.text[self.starts[first - 1] : self.starts[last]]
        return text.rstrip(_LINE_ENDINGS) if text.endswith(("\n", "\r")) else text


def _kept_runs(
    body: Sequence[ast.stmt], module: str, decided: Decided, reparsed: Collection[int]
) -> list[range] | None:
    """The runs of kept statements, as index ranges, cut where a statement goes or is read
    again and before `decided.insert_before`; None when a kept statement shares a line
    with one that goes or is read again, or with an import from the library (never so
    for a `def`)."""
    cuts = [
        index
        for index, statement in enumerate(body)
        if index in decided.removed or index in reparsed or is_library_import(statement, module)
    ]
    insert_before = decided.insert_before
    runs = []
    start = 0
    for cut in [*cuts, len(body)]:
        if cut < len(body):
            first, last = statement_lines(body[cut])
            if cut > start and statement_lines(body[cut - 1])[1] >= first:
                return None
            if cut + 1 < len(body) and statement_lines(body[cut + 1])[0] <= last:
                return None
        if insert_before is not None and start < insert_before < cut:
            runs.append(range(start, insert_before))
            start = insert_before
        if cut > start:
            runs.append(range(start, cut))
        start = cut + 1
    return runs


def _match(runs: list[_Run], text: str) -> bool:
    """Whether each run's text is in the new text, in order, from a line's start to a line's
    end; each run's `start` set. The first place found is taken (no search again: linear)."""
    at = 0
    for run in runs:
        start = text.find(run.text, at)
        if start < 0 or (start > 0 and text[start - 1] not in _LINE_ENDINGS):
            return False
        end = start + len(run.text)
        if end < len(text) and text[end] not in _LINE_ENDINGS:
            return False
        run.start = start
        at = _after_line_ending(text, end)
    return True


def _after_line_ending(text: str, at: int) -> int:
    """After the line ending at `at` (the end of the text, if none)."""
    if text.startswith("\r\n", at):
        return at + 2
    return at + 1 if at < len(text) and text[at] in _LINE_ENDINGS else at


def _masking(masked: MaskedSource) -> bool:
    return bool(masked.originals or masked.prefixes)


def _parsed_between(
    runs: list[_Run],
    body: Sequence[ast.stmt],
    text: str,
    module: str,
    old_masked: MaskedSource,
    new_masked: MaskedSource,
    reparsed: Collection[int],
    names: Mapping[str, str],
) -> list[_Parsed] | None:
    """The lines between the runs (and before and after them), parsed where they are not
    blank: imports from the library and, in order, the statements with a renamed call,
    each the old one as trees compare (`Statements`, legacy names read as the new ones).
    None when they are anything else."""
    found = []
    at = 0
    after = 0  # the old statements after the previous run
    for run in [*runs, None]:
        start = len(text) if run is None else run.start
        upto = len(body) if run is None else run.statements.start
        between = text[at:start]
        expected = [body[index] for index in range(after, upto) if index in reparsed]
        if between.strip(_BLANK) or expected:
            try:
                tree = ast.parse(between)
            except AST_ERRORS:
                return None
            others = [s for s in tree.body if not is_library_import(s, module)]
            if len(others) != len(expected):
                return None
            if expected:
                before = Statements(expected, old_masked, module, names)
                masked = MaskedSource(between, new_masked.originals, new_masked.prefixes)
                if not before.same_as(Statements(others, masked, module, names)):
                    return None
            if tree.body:
                found.append(_Parsed(at, between, tree.body))
        if run is not None:
            at = _after_line_ending(text, run.end)
            after = run.statements.stop
    return found


def _place_lines(runs: list[_Run], imports: list[_Parsed], text: str) -> None:
    """The new line of each run and of each group of imports, counted in one pass."""
    pieces: list[_Run | _Parsed] = sorted([*runs, *imports], key=lambda piece: piece.start)
    for piece, line in zip(pieces, line_numbers(text, [piece.start for piece in pieces])):
        piece.line = line


def _moved_facts(
    old: CellFacts,
    runs: list[_Run],
    imports: list[_Parsed],
    old_text: _OldText,
    watched: Watched,
    renames: _Renames,
) -> CellFacts | None:
    """The cell's facts in the new text: the kept statements' moved, the imports' read."""
    cell = old.cell
    body: list[ast.stmt] = []
    facts = CellFacts(cell=cell, tree=ast.Module(body=body, type_ignores=[]))
    new_index: dict[int, int] = {}  # old statement index -> new
    shift_of: dict[int, int] = {}  # old statement index -> lines moved
    pieces: list[_Run | _Parsed] = sorted([*runs, *imports], key=lambda piece: piece.start)
    for piece in pieces:
        if isinstance(piece, _Parsed):
            _read_parsed(facts, piece, watched)
            continue
        moved = _moved_statements(old.tree.body, piece, old_text, watched, renames)
        if moved is None:
            return None
        for old_index in piece.statements:
            new_index[old_index] = len(body) + old_index - piece.statements[0]
            shift_of[old_index] = piece.shift
        body += moved
    for binding in old.bindings:
        index = new_index.get(binding.statement_index)
        if index is None:
            continue
        node = body[index] if binding.node is not None else None
        if index == binding.statement_index and node is binding.node:
            # Unmoved: the same binding, so that what was found about it holds (the
            # notebook variables a definition reads: `program._hidden_inputs`).
            facts.bindings.append(binding)
            continue
        assert node is None or isinstance(node, ast.FunctionDef)
        position = Position(cell, index, binding.position.sequence)
        facts.bindings.append(
            Binding(binding.name, position, binding.kind, binding.source_module, node)
        )
    new_names = {id(r.use): r.new_name for found in renames.values() for r in found}
    widened = _widened_lines(renames)
    for use in old.uses:
        index = new_index.get(use.position.statement)
        if index is not None:
            position = Position(cell, index, use.position.sequence)
            line = use.line + shift_of[use.position.statement]
            column = use.column + _widening(widened.get(use.line, ()), use.column)
            name = new_names.get(id(use), use.name)
            facts.uses.append(Use(name, position, use.deferred, use.call, line, column))
    facts.import_statements += [new_index[i] for i in old.import_statements if i in new_index]
    facts.star_imports += [(new_index[i], name) for i, name in old.star_imports if i in new_index]
    _in_order(facts)
    return facts


def _in_order(facts: CellFacts) -> None:
    """Source order, as the reader lists them (its event positions count up as it reads)."""
    facts.bindings.sort(key=lambda binding: binding.position)
    facts.uses.sort(key=lambda use: use.position)
    facts.import_statements.sort()
    facts.module_imports.sort(key=lambda found: found.statement_index)
    facts.star_imports.sort()


def _moved_statements(
    old_body: Sequence[ast.stmt], run: _Run, old_text: _OldText, watched: Watched, renames: _Renames
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
        if not _kept_whole(statement, watched):
            widened = _widened_lines({index: renames.get(index, ())})
            moved.append(_over_lines(statement, shift, _widening(widened.get(last, ()), None)))
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
    return ast.Pass(
        lineno=first + shift,
        col_offset=statement.col_offset,
        end_lineno=last + shift,
        end_col_offset=(statement.end_col_offset or 0) + wider,
    )


_Renames = Mapping[int, Sequence[Rename]]  # statement index -> its renames done in the text


def _split_renames(
    body: Sequence[ast.stmt], renames: Sequence[Rename], watched: Watched
) -> tuple[set[int], dict[int, list[Rename]]]:
    """The statements to parse again (a rename inside a function, whose local names the
    old facts do not tell, or in a statement kept whole, or to a name that is not plain),
    and, by statement, the renames to make in the text."""
    reparsed = set()
    by_text: dict[int, list[Rename]] = defaultdict(list)
    for rename in renames:
        index = rename.use.position.statement
        name = rename.new_name
        plain = name.isidentifier() and not (keyword.iskeyword(name) or keyword.issoftkeyword(name))
        if rename.use.deferred or not plain or _kept_whole(body[index], watched):
            reparsed.add(index)
        else:
            by_text[index].append(rename)
    return reparsed, {index: found for index, found in by_text.items() if index not in reparsed}


def _widened_lines(renames: _Renames) -> dict[int, list[tuple[int, int]]]:
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


def _kept_whole(statement: ast.stmt, watched: Watched) -> bool:
    """What the rules read of a cell: its imports and its definitions of watched names."""
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return True
    return isinstance(statement, ast.FunctionDef) and statement.name in watched.names


def _read_parsed(facts: CellFacts, parsed: _Parsed, watched: Watched) -> None:
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
        if _kept_whole(statement, watched):
            ast.increment_lineno(statement, shift)
        else:
            facts.tree.body[index] = _over_lines(statement, shift)

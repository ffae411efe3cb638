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
   in the new masked text, starting a line and ending one (its last line ending
   aside): its head with `str.find`, the rest compared in place (`runs`: a run
   is never copied out of the old text). What lies between the runs is blank,
   comments, or lines that parse on their own into `from <module> import ...`
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
3. **The reading** follows from the old one (`moved_facts`).

A huge cell, read statement by statement (`statementwise`), is matched the
same way: its skeletal reading keeps each statement's lines, which is all the
match reads of the statements it keeps; a statement parsed between the runs
is compared with the old one parsed again from its lines (`Statements`).

None when the match fails or does not apply: a cell read in pieces, a kept
statement sharing a line with one that goes, a new text that starts with a
cell magic, any text not as decided. The caller then re-reads
the cell, which keeps every guarantee: a faulty edit is told by that full
comparison (or, a use moved above the import, by check 3 on this reading).
"""

from __future__ import annotations

import ast
import keyword
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from nbrefactor.analysis.magics import MaskedSource, MaskingError, cell_magic, mask_magics
from nbrefactor.analysis.mentions import Watched
from nbrefactor.analysis.parsing import AST_ERRORS, statement_lines
from nbrefactor.analysis.reader import CellReading
from nbrefactor.analysis.text import line_numbers
from nbrefactor.rules.legacy_names import Rename
from nbrefactor.safety.moved_facts import Parsed, kept_whole, moved_facts
from nbrefactor.safety.runs import OldText, Run
from nbrefactor.safety.statements import Statements, is_library_import
from nbrefactor.value_base import ValueBase

_LINE_ENDINGS = "\r\n"
_BLANK = " \t\f\r\n"  # what Python's tokenizer skips between statements


@dataclass(frozen=True, eq=False, repr=False)
class Decided(ValueBase):
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
    if old.error is not None or not old.editable or old.facts.unreadable:
        return None
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
    old_text = OldText(old.masked.text, old.line_starts)
    runs = []
    for statements in ranges:
        run = Run.of(body, statements, old_text, by_text)
        if run is None or run.last_character() == "\\":
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
        runs, body, new_text, watched.module, old, masked, reparsed, decided.names
    )
    if imports is None:
        return None
    _place_lines(runs, imports, new_text)
    facts = moved_facts(old.facts, runs, imports, old_text, watched, by_text)
    if facts is None:
        return None
    return CellReading(facts, masked, editable=True, skeletal=True)


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


def _match(runs: list[Run], text: str) -> bool:
    """Whether each run's text is in the new text, in order, from a line's start to a line's
    end; each run's `start` set. The first place its head (`Run.head`) is found is taken
    (no search again: linear), and the rest compared there in chunks (no copy of a run)."""
    at = 0
    for run in runs:
        start = text.find(run.head(), at)
        if start < 0 or (start > 0 and text[start - 1] not in _LINE_ENDINGS):
            return False
        if not run.is_at(text, start):
            return False
        end = start + run.length
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
    runs: list[Run],
    body: Sequence[ast.stmt],
    text: str,
    module: str,
    old: CellReading,
    new_masked: MaskedSource,
    reparsed: Collection[int],
    names: Mapping[str, str],
) -> list[Parsed] | None:
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
                before = Statements(expected, old.masked, module, names, old.skeletal)
                masked = replace(new_masked, text=between)
                if not before.same_as(Statements(others, masked, module, names)):
                    return None
            if tree.body:
                found.append(Parsed(at, between, tree.body))
        if run is not None:
            at = _after_line_ending(text, run.end)
            after = run.statements.stop
    return found


def _place_lines(runs: list[Run], imports: list[Parsed], text: str) -> None:
    """The new line of each run and of each group of imports, counted in one pass."""
    pieces: list[Run | Parsed] = sorted([*runs, *imports], key=lambda piece: piece.start)
    for piece, line in zip(pieces, line_numbers(text, [piece.start for piece in pieces])):
        piece.line = line


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
        if rename.use.deferred or not plain or kept_whole(body[index], watched):
            reparsed.add(index)
        else:
            by_text[index].append(rename)
    return reparsed, {index: found for index, found in by_text.items() if index not in reparsed}

"""Rule: a definition whose removal empties its cell, in a notebook reading IPython's
numbered history, is kept.

IPython gives an empty cell no execution number (and nbclient and JupyterLab do
not run a blank cell at all), so once a removed definition leaves its cell empty,
every later cell runs one number lower: `_3`, `Out[3]`, `In[3]`, `%rerun 3`,
`%recall`, `%save f 1-3` then name another cell, or none (sweep 24); `_ii`,
`_iii` (the inputs before the last), `len(In)`, `Out.keys()` and the shell's
`execution_count` and `history_manager` change too (re-checks 41, 46). Where a later
code cell reads that history, each definition whose removal would leave no
statement in its cell, nor a comment, is kept (`NBR252`). IPython numbers a cell left
with comments only (sweep 28: counted as emptied, a copy was kept on a false reason).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from functools import cache

from nbrefactor import reasons
from nbrefactor.analysis.binding_text import after_word_or_dot
from nbrefactor.analysis.events import Binding
from nbrefactor.analysis.notebook_variables import HISTORY_BY_NUMBER
from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.text import TextLines
from nbrefactor.rules.definitions import DefinitionDecisions

# The magics that take cell numbers, also run by name; `_3` (an output), `_i3` (an input),
# and the history by index (`Out[3]`), whose character before is checked apart (`layer_2`
# is a name of its own). Each starts with a literal, which the engine skips ahead to: a
# lookbehind or an alternation first would have it try the pattern at every character
# (37 or 220 MB/s, against 1 GB/s and more).
_MAGICS = "rerun|recall|rep|history|hist|save|macro|pastebin|load|edit"
_PATTERNS = (
    rf"%(?:{_MAGICS})\b",
    rf"run_line_magic\([ \t]*['\"](?:{_MAGICS})['\"]",
    # `_3`, `_i3`, and the last inputs counted back (`_ii`: the one before the last, which an
    # emptied cell changes too: re-check 41), in one pattern: each one's search is a pass.
    r"_(?:i?[0-9]+|iii?)(?![\w])",  # NUMBERED_HISTORY, or `_ii`, `_iii`; not `_i`, a loop's
    # `Out[3]`, the history handed to a call (`len(In)`: how many cells ran, re-check 41),
    # and its methods (`Out.keys()`, `Out.get(4)`: re-check 46).
    *(rf"{name}[ \t]*[\[).]" for name in HISTORY_BY_NUMBER),
)
# The shell's count of the cells it ran (`get_ipython().execution_count`), and its history
# (`ip.history_manager.get_range()`, `.input_hist_raw`: re-check 46), read after a dot, in a
# notebook naming IPython (a notebook's cells read with nbformat have an execution_count).
_SHELL_ATTRIBUTES = ("execution_count", "history_manager", "input_hist_")


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    """Compiled when first needed, not at every run's start."""
    return tuple(re.compile(pattern) for pattern in _PATTERNS)


def emptied_cells_held(
    program: Program, definitions: DefinitionDecisions
) -> dict[Binding, reasons.KeptReason]:
    """The replaced definitions to keep, with why: those whose removal leaves their cell
    without a statement, when a later code cell reads IPython's numbered history."""
    removed = definitions.removed_statements
    emptied = {
        cell
        for cell in {replacement.binding.cell for replacement in definitions.replaced}
        if _left_empty(program, cell, removed)
    }
    if not emptied:
        return {}
    first = min(emptied)
    readers = []  # (cell, what it reads the history with), after the first emptied cell
    names_ipython = cache(lambda: _names_ipython(program))  # asked once, when needed
    for later in program.notebook.cells:
        if later.cell_type == "code" and later.number > first:
            shown = _reads_numbered_history(later.source, names_ipython)
            if shown is not None:
                readers.append((later.number, shown))
    held: dict[Binding, reasons.KeptReason] = {}
    for replacement in definitions.replaced:
        cell = replacement.binding.cell
        if cell not in emptied:
            continue
        reader = next(((number, shown) for number, shown in readers if number > cell), None)
        if reader is not None:
            held[replacement.binding] = reasons.EmptiesNumberedCell(cell, *reader)
    return held


def _left_empty(program: Program, cell: int, removed: frozenset[tuple[int, int]]) -> bool:
    """Whether the removed statements are every statement of the cell, and no comment line
    of it stays (`_keeps_a_comment`)."""
    reading = program.reading(cell)
    if reading is None:
        return False
    body = reading.facts.tree.body
    if not all((cell, index) in removed for index in range(len(body))):
        return False
    return not _keeps_a_comment(TextLines(reading.masked.text, starts=reading.line_starts), body)


def _keeps_a_comment(lines: Sequence[str], body: Sequence[ast.stmt]) -> bool:
    """Whether a comment line stays once every statement of the cell goes: one outside the
    statements, not in the comment block touching a statement below it (removed with it,
    `edits.layout`), and not indented after a statement (which may be its block's footer,
    removed too: the safe side, counted as going)."""
    spans = [statement_lines(statement) for statement in body]
    going: set[int] = set()  # 1-based line numbers
    for first, last in spans:
        going.update(range(first, last + 1))
        above = first - 1
        while above >= 1 and lines[above - 1].lstrip().startswith("#"):
            going.add(above)
            above -= 1
    first_line = min((first for first, _ in spans), default=len(lines) + 1)
    for number, line in enumerate(lines, start=1):
        if number in going or not line.lstrip().startswith("#"):
            continue
        if number > first_line and line[:1] in (" ", "\t"):
            continue
        return True
    return False


def _reads_numbered_history(source: str, names_ipython: Callable[[], bool]) -> str | None:
    """The first text in the cell that reads IPython's numbered history (`_3`, `Out[`,
    `%rerun`), or None; in strings and comments too (a name taken for one only keeps a
    definition). `names_ipython`: whether the notebook names IPython (`get_ipython()`)."""
    magic, run_magic, *names = _patterns()
    for pattern in names:
        for match in pattern.finditer(source):
            start = match.start()
            if start == 0 or not after_word_or_dot(source[start - 1]):
                return match.group(0).rstrip(" \t[).")
    found = magic.search(source) if "%" in source else None
    if found is None and "run_line_magic" in source:
        found = run_magic.search(source)
    if found is None:
        for attribute in _SHELL_ATTRIBUTES:
            # The shell's, not a cell's of nbformat (re-check 43), found in another cell
            # (`ip = get_ipython()` above: re-check 46).
            if f".{attribute}" in source and names_ipython():
                return attribute
    return None if found is None else found.group(0)


def _names_ipython(program: Program) -> bool:
    """Whether a code cell of the notebook names IPython (`get_ipython()`, `from IPython
    import get_ipython`)."""
    return any(
        "ipython" in cell.source.lower()
        for cell in program.notebook.cells
        if cell.cell_type == "code"
    )

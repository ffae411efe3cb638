"""Rule: a definition whose removal empties its cell, in a notebook reading IPython's
numbered history, is kept.

IPython gives an empty cell no execution number (and nbclient and JupyterLab do
not run a blank cell at all), so once a removed definition leaves its cell empty,
every later cell runs one number lower: `_3`, `Out[3]`, `In[3]`, `%rerun 3`,
`%recall`, `%save f 1-3` then name another cell, or none (sweep 24). Where a later
code cell reads that history, each definition whose removal would leave no
statement in its cell is kept (`NBR252`). A cell keeping only comments is counted
as emptied too: the safe side.
"""

from __future__ import annotations

import re
from functools import cache

from nbrefactor import reasons
from nbrefactor.analysis.events import Binding
from nbrefactor.analysis.program import Program
from nbrefactor.rules.definitions import DefinitionDecisions

# `_3` (an output), `_i3` (an input): found by the literal `_`, the character before
# checked apart (`layer_2` is a name of its own); the history by index; the magics that
# take cell numbers, also run by name. Each starts with a literal, which the engine skips
# ahead to: an alternation of them would be tried at every character.
_MAGICS = "rerun|recall|rep|history|hist|save|macro|pastebin|load|edit"
_PATTERNS = (
    r"_i?[0-9]+(?![\w])",
    r"(?<![\w.])(?:Out|In|_oh|_ih)[ \t]*\[",
    rf"%(?:{_MAGICS})\b",
    rf"run_line_magic\([ \t]*['\"](?:{_MAGICS})['\"]",
)


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
    emptied: dict[int, list[Binding]] = {}
    for replacement in definitions.replaced:
        cell = replacement.binding.cell
        reading = program.reading(cell)
        if reading is None or cell in emptied:
            continue
        statements = len(reading.facts.tree.body)
        if all((cell, index) in removed for index in range(statements)):
            emptied[cell] = []
    if not emptied:
        return {}
    for replacement in definitions.replaced:
        if replacement.binding.cell in emptied:
            emptied[replacement.binding.cell].append(replacement.binding)
    readers = []  # (cell, what it reads the history with), after the first emptied cell
    first = min(emptied)
    for later in program.notebook.cells:
        if later.cell_type == "code" and later.number > first:
            shown = _reads_numbered_history(later.source)
            if shown is not None:
                readers.append((later.number, shown))
    held: dict[Binding, reasons.KeptReason] = {}
    for cell, bindings in emptied.items():
        reader = next(((number, shown) for number, shown in readers if number > cell), None)
        if reader is not None:
            reason = reasons.EmptiesNumberedCell(cell, *reader)
            held.update(dict.fromkeys(bindings, reason))
    return held


def _reads_numbered_history(source: str) -> str | None:
    """The first text in the cell that reads IPython's numbered history (`_3`, `Out[`,
    `%rerun`), or None; in strings and comments too (a name taken for one only keeps a
    definition)."""
    numbered, by_index, magic, run_magic = _patterns()
    for match in numbered.finditer(source):
        start = match.start()
        if start == 0 or not (source[start - 1].isalnum() or source[start - 1] in "_."):
            return match.group(0)
    found = None
    if "[" in source and any(name in source for name in ("Out", "In", "_oh", "_ih")):
        found = by_index.search(source)
    if found is None and "%" in source:
        found = magic.search(source)
    if found is None and "run_line_magic" in source:
        found = run_magic.search(source)
    return None if found is None else found.group(0).rstrip(" \t[").strip()

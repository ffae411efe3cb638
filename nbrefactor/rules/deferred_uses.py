"""Rule: a function body finds, when it is called, what it found before the migration.

A use inside a function or lambda body runs when the function is called: at any point
of the notebook after it. Before the migration a call finds the latest binding of the
name before the call; after it, the same with the replaced definitions gone and the
import added. At every point from the use on where the notebook runs code, the two must
be the same thing: a replaced definition, an import of the library's function already
there and the new import all count as the library's function; any other binding as
itself. A call that raised NameError (the name bound by nothing yet) may find the
library's function instead, as a use outside a function may. Otherwise the place is not
one for the import (`import_placement`): with `report` defined in cell 2 calling the
replaced `smooth`, and called in cell 3, an import in cell 4 made cell 3 raise NameError;
an import in cell 1 made a call of a function using the builtin `sum` find a `def sum`
pasted in a later cell.

Only the changes that a call can see count: between the import and a definition it
stands in for, with nothing but removed statements between them, no code runs.
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Sequence

from nbrefactor import reasons
from nbrefactor.analysis.events import Binding, Position, Use
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.scopes import kernel_builtin
from nbrefactor.rules.definitions import DefinitionDecisions

# What a call finds where no binding ran: the builtin of the name, or nothing (NameError).
_UNBOUND = None


class _Event:
    """A binding of the name, as a call after it sees it. (Plain classes: a dataclass costs
    every run's start a compiled `__init__`.)"""

    __slots__ = ("binding", "found", "position", "surely")

    def __init__(
        self, position: Position, binding: Binding | None, library: bool, surely: bool
    ) -> None:
        self.position = position
        self.binding = binding  # None: the import being placed
        # What a call after it finds: the library's function (a replaced definition, an
        # import of it), or this binding.
        self.found: Binding | str = "library" if library or binding is None else binding
        self.surely = surely  # runs whenever the notebook runs top to bottom


class _Timeline:
    """The bindings of a name, in notebook order."""

    __slots__ = ("events", "positions")

    def __init__(self, events: list[_Event]) -> None:
        self.events = events
        self.positions = [event.position for event in events]

    def state(self, upto: Position | None) -> tuple[frozenset[Binding | str | None], _Event | None]:
        """What a call just after `upto` may find (the bindings at or before it, back to
        the first that surely runs), and the latest of them; everything unbound for None."""
        index = 0 if upto is None else bisect.bisect_right(self.positions, upto)
        latest = self.events[index - 1] if index else None
        found: set[Binding | str | None] = set()
        while index:
            index -= 1
            found.add(self.events[index].found)
            if self.events[index].surely:
                return frozenset(found), latest
        found.add(_UNBOUND)
        return frozenset(found), latest


def deferred_problems(
    program: Program,
    decisions: DefinitionDecisions,
    uses: Sequence[tuple[str, Use]],
    position: Position,
    import_cell: int,
    qualified_names: dict[str, str],
) -> list[tuple[str, reasons.KeptReason]]:
    """The function bodies' uses (`uses`: the name the import binds, the use) that a call
    at some point would see bound otherwise with the import at `position`."""
    problems: list[tuple[str, reasons.KeptReason]] = []
    changes: dict[tuple[str, str], _Changes] = {}  # by (name used, name bound): once each
    for bound, use in uses:
        key = (use.name, bound)
        if key not in changes:
            before = _timeline(program, decisions, use.name, None)
            after = _timeline(program, decisions, bound, position)
            changes[key] = _Changes(program, decisions, before, after, use.name)
        found = changes[key].first_seen(use)
        if found is not None:
            call_cell, (now, now_at), (then, then_at) = found
            qualified = qualified_names[bound]
            problem = reasons.CallFindsOther(
                use.name, use.cell, call_cell, now, now_at, then, then_at, import_cell, qualified
            )
            problems.append((bound, problem))
    return problems


def _timeline(
    program: Program, decisions: DefinitionDecisions, name: str, import_at: Position | None
) -> _Timeline:
    """The bindings of `name` before the migration (`import_at` None), or after it: the
    replaced definitions gone, the import at `import_at`."""
    events = []
    for binding in program.bindings_of(name):
        removed = binding in decisions.removed
        if removed and import_at is not None:
            continue
        library = removed or program.imports_from_library(binding)
        events.append(_Event(binding.position, binding, library, not program.may_not_run(binding)))
    if import_at is not None:
        bisect.insort(events, _Event(import_at, None, True, True), key=lambda e: e.position)
    return _Timeline(events)


Found = tuple[str, int]  # what a call finds, for the reason (`_described`)


class _Changes:
    """Where what a call finds changes, for one name: the stretches between consecutive
    positions where something binds it (before or after the migration), and those where a
    call finds another thing after than before, each worked out once for every use."""

    __slots__ = ("bounds", "decisions", "differing", "program", "runs_code", "words")

    def __init__(
        self,
        program: Program,
        decisions: DefinitionDecisions,
        before: _Timeline,
        after: _Timeline,
        name: str,
    ) -> None:
        self.program = program
        self.decisions = decisions
        # Stretch i runs from bounds[i - 1] (the start, for 0) to bounds[i] (the end, past
        # the last): what a call finds there stays.
        self.bounds = sorted({*before.positions, *after.positions})
        self.differing: list[int] = []  # the stretches where it finds another thing
        self.words: dict[int, tuple[Found, Found]] = {}
        for index in range(len(self.bounds) + 1):
            lo = self.bounds[index - 1] if index else None
            now, now_latest = before.state(lo)
            then, then_latest = after.state(lo)
            if now != then and not _fixes_name_error(now, then, name):
                self.differing.append(index)
                self.words[index] = (_described(now_latest, name), _described(then_latest, name))
        self.runs_code: dict[int, int | None] = {}  # stretch -> its first cell running code

    def first_seen(self, use: Use) -> tuple[int, Found, Found] | None:
        """The first cell from the use on where code runs in a stretch where a call finds
        another thing, with what it finds there before and after; None when nowhere."""
        here = bisect.bisect_right(self.bounds, use.position)  # the use's own stretch
        for index in self.differing[bisect.bisect_left(self.differing, here) :]:
            hi = self.bounds[index] if index < len(self.bounds) else None
            if index == here:  # from the use on, its own `def` aside
                cell = _runnable_cell(self.program, self.decisions, use, use.position, hi)
            else:
                if index not in self.runs_code:
                    lo = self.bounds[index - 1]
                    self.runs_code[index] = _runnable_cell(
                        self.program, self.decisions, None, lo, hi
                    )
                cell = self.runs_code[index]
            if cell is not None:
                return cell, *self.words[index]
        return None


def _fixes_name_error(now: frozenset[object], then: frozenset[object], name: str) -> bool:
    """A call that found the library's function or nothing (NameError) now surely finds the
    library's function: as a direct use may, when a definition's cell did not run."""
    return then == {"library"} and now <= {"library", _UNBOUND} and not kernel_builtin(name)


def _described(event: _Event | None, name: str) -> tuple[str, int]:
    """What a call finds, for the reason: a `BindingKind` value and its cell, "library" (the
    import placed), "builtin" or "nothing" (cell 0)."""
    if event is None:
        return ("builtin" if kernel_builtin(name) else "nothing", 0)
    if event.binding is None:
        return ("library", 0)
    return (event.binding.kind.value, event.binding.cell)


def _runnable_cell(
    program: Program,
    decisions: DefinitionDecisions,
    use: Use | None,
    lo: Position,
    hi: Position | None,
) -> int | None:
    """The first cell with a statement that runs strictly between `lo` and `hi` (None: the
    notebook's end): a cell that was not read runs whole; a removed statement never, nor
    the `def` or `class` holding the use (what it defines is not bound while it runs).
    Each statement looked at once, from `lo` on, and the first that runs ends the search."""
    last = len(program.notebook.cells) if hi is None else hi.cell
    removed = decisions.removed_statements
    holding = None  # the `def` or `class` statement holding the use
    holder = None if use is None else program.reading(use.cell)
    if use is not None and holder is not None:
        statement = holder.facts.tree.body[use.position.statement]
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            holding = use.position.top_level
    for number in range(lo.cell, last + 1):
        cell = program.cell(number)
        if cell.cell_type != "code" or not cell.source or cell.source.isspace():
            continue
        reading = program.reading(number)
        if reading is None:  # names nothing watched: it holds no `lo` or `hi`
            if lo.cell < number and (hi is None or number < hi.cell):
                return number
            continue
        first = max(lo.statement, 0) if number == lo.cell else 0
        for index in range(first, len(reading.facts.tree.body)):
            if (number, index) in removed or (number, index) == holding:
                continue
            if hi is not None and Position.before_statement(number, index) >= hi:
                break  # this one and the later ones start after `hi`
            if Position.after_statement(number, index) > lo:
                return number
    return None

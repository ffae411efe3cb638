"""Warnings for the uses the new import binds that no binding reached before.

Run from the top, a use of a helper above its first definition raised NameError
(cells run out of order, or `try: f() except NameError:` on purpose); with the
import in the import cell above it, the name is bound there now. So did a use
whose only definitions above it are in cells that do not parse: Python ran none
of their lines. A listing of the notebook's names above the first definition (`%who`,
`dir()`) now shows the name. The import's place stays (a notebook whose cells were run
out of order is the common case), and the report says so. A builtin's name is the
builtin there, which the import must not come before (`import_placement`).
"""

from __future__ import annotations

import ast
from bisect import bisect_right
from collections.abc import Collection, Sequence

from nbrefactor import messages
from nbrefactor.analysis.events import Binding, BindingKind, Position, Use
from nbrefactor.analysis.namespace_reads import listings, may_list_namespace, namespace_listing
from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.scopes import kernel_builtin
from nbrefactor.analysis.words import has_word
from nbrefactor.rules.code_strings import names_as_code, top_level_statement
from nbrefactor.rules.definitions import DefinitionDecisions


def bound_at_last(
    program: Program, decisions: DefinitionDecisions, position: Position, needed: Collection[str]
) -> list[str]:
    """Warnings for the uses after the import that no binding reached: run from the top, the
    notebook raised NameError there (cells run out of order, or `try: f() except NameError`),
    and the import binds them now (a builtin's name is the builtin: `import_placement`)."""
    found = []
    texts: dict[Binding, str] = {}  # each replaced copy's text, once (`_used_through`)
    listings = _Listings(program, position)
    # What ran from the top before the migration: a cell that parses only once the migration
    # removes the definitions whose bodies break it ran none of its lines (round 73a F11:
    # `def f(x):\n    return (x + 1` alone in its cell, `print(f(3))` below, raised NameError,
    # and prints 4 now, unsaid).
    before = program.assuming_parsed(())
    # The legacy names whose calls are renamed to each imported name: their uses are its.
    renamed: dict[str, list[str]] = {}
    for inline, imported in decisions.imported.items():
        if imported.bound != inline:
            renamed.setdefault(imported.bound, []).append(inline)
    for name in sorted(needed):
        if kernel_builtin(name):
            continue
        # (name used, definition's cell) -> the cells using it, when that cell does not
        # parse (one line)
        never_ran: dict[tuple[str, int], list[int]] = {}
        uses = [use for used in (name, *renamed.get(name, ())) for use in program.uses_of(used)]
        for use in uses:
            if use.deferred or use.position <= position or decisions.removes_statement_of(use):
                continue
            if program.in_unparsed_cell(use.cell):
                continue  # it never runs, before or after (it did not raise NameError)
            seen, maybe_unbound = before.bindings_seen(use)
            if not seen:  # a legacy name's call, renamed, is told by its own name (round 58a)
                defined = bool(program.bindings_of(use.name))
                found.append(messages.used_before_defined(use.name, use.cell, defined))
                continue
            # past a `del` that surely ran, only the bindings after it could have bound it
            before_del = seen[:-1] if _deleted_past(seen) else None
            ran = before_del if before_del is not None else seen
            if (maybe_unbound or before_del is not None) and _only_unparsed(program, ran, use.cell):
                cells = never_ran.setdefault((use.name, seen[0].cell), [])
                if use.cell not in cells:
                    cells.append(use.cell)
        found += [
            messages.defined_in_unparsed_cell(used, cells, defined_in)
            for (used, defined_in), cells in never_ran.items()
        ]
        # A lookup by name is also a listing (`"f" in dir()`): said once.
        found += _looked_up_above(program, decisions, position, name) or listings.above(name)
        found += _used_through(program, decisions, position, name, texts)
    return found


def _used_through(
    program: Program,
    decisions: DefinitionDecisions,
    position: Position,
    name: str,
    texts: dict[Binding, str],
) -> list[str]:
    """Warnings for the calls after the import of a replaced copy whose body reads `name`,
    itself or through the other replaced copies it calls, made where no binding of `name`
    (or a `del` of it) stands: run from the top, the copy raised NameError there, where the
    library's function finds its own (re-checks 44, 45: `plot_digits` calling `save_fig`,
    defined two cells below the call; `show` calling `plot_digits`). `texts`: each copy's
    text, filled as asked."""
    found = []
    for replacement in decisions.replaced:
        caller = replacement.binding
        if caller.name == name or caller.node is None:
            continue
        for use in program.uses_of(caller.name):
            if use.deferred or use.position <= position or decisions.removes_statement_of(use):
                continue
            if program.binding_at(caller.name, use.position) != caller:
                continue  # it calls another definition
            bound = program.binding_at(name, use.position)
            if bound is not None and bound.kind is not BindingKind.DELETION:
                continue
            warning = messages.used_through_before_defined(name, use.cell, caller.name)
            if warning not in found and _reads(program, decisions, caller, name, use, texts):
                found.append(warning)
    return found


def _reads(
    program: Program,
    decisions: DefinitionDecisions,
    copy: Binding,
    name: str,
    use: Use,
    texts: dict[Binding, str],
    seen: frozenset[Binding] = frozenset(),
) -> bool:
    """Whether calling the replaced `copy` where `use` stands reads `name`: its body names it
    (its text first, then its tree), or a replaced copy bound there that its body names does."""
    assert copy.node is not None
    if copy not in texts:
        reading = program.reading(copy.cell)
        assert reading is not None
        first, last = statement_lines(copy.node)
        texts[copy] = reading.lines(first, last)
    text = texts[copy]
    if not has_word(text, name) and not _names_another_copy(decisions, text, copy.name):
        return False  # most copies name neither: their trees are not walked
    names = {node.id for node in ast.walk(copy.node) if isinstance(node, ast.Name)}
    if name in names:
        return True
    for other in decisions.removed:
        if other in seen or other == copy or other.name not in names:
            continue
        if program.binding_at(other.name, use.position) == other and _reads(
            program, decisions, other, name, use, texts, seen | {copy}
        ):
            return True
    return False


def _names_another_copy(decisions: DefinitionDecisions, text: str, own: str) -> bool:
    """Whether the text holds the name of another replaced copy than `own` as a word."""
    return any(other != own and has_word(text, other) for other in decisions.imported)


def _looked_up_above(
    program: Program, decisions: DefinitionDecisions, position: Position, name: str
) -> list[str]:
    """Warnings for the lookups of the name by a string after the import and above every
    binding of it (`"f" in globals()`, `globals().get("f")`, `"f" not in dir()`): they found
    nothing, and find the import now (sweep 29: an `if "f" not in globals()` guard changed
    branch)."""
    found = []
    for named in program.named_in_strings(name):
        if named.magic or named.cell_magic or named.top_level <= position.top_level:
            continue
        if named.top_level in decisions.removed_statements:
            continue
        if program.binding_at(name, Position.before_statement(*named.top_level)) is not None:
            continue
        statement = top_level_statement(program, named.cell, named.statement)
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue  # looked up when the function is called, below the def (re-check 29)
        if names_as_code(statement, name):  # the statement read once, for both questions
            defined = bool(program.bindings_of(name))
            warning = messages.looked_up_before_defined(name, named.cell, defined)
            if warning not in found:
                found.append(warning)
    return found


class _Listings:
    """The cells after the import's that list the notebook's names, each cell looked at
    once however many names are asked about."""

    def __init__(self, program: Program, position: Position) -> None:
        self.program = program
        self.position = position  # the import's
        self.next_cell = position.cell + 1  # the first cell not looked at yet
        self.found: list[tuple[int, str]] = []  # (cell, its listing) of the cells looked at
        # The import's own cell: its listing below the import, looked for once.
        self.in_import_cell = _listing_between(program, position.cell, position, None)

    def above(self, name: str) -> list[str]:
        """A warning for the first listing of the notebook's names (`%who`,
        `sorted(globals())`) between the import and the name's first binding: it shows the
        name now. In a cell between them, or below the import in its cell, or above the
        binding in the binding's (round 57a: `%who` in either printed `f` once migrated)."""
        bindings = self.program.bindings_of(name)
        if not bindings:
            return []
        first = bindings[0].position
        if self.in_import_cell is not None and first.cell > self.position.cell:
            return [messages.listed_before_defined(name, self.position.cell, self.in_import_cell)]
        cells = self.program.notebook.cells
        while self.next_cell < first.cell:
            cell = cells[self.next_cell - 1]
            self.next_cell += 1
            listing = namespace_listing(cell.source) if cell.cell_type == "code" else None
            if listing is not None:
                self.found.append((cell.number, listing))
        if self.found and self.found[0][0] < first.cell:
            number, listing = self.found[0]  # in cell order: the first is above the binding
            return [messages.listed_before_defined(name, number, listing)]
        listing = _listing_between(self.program, first.cell, self.position, first)
        return (
            [] if listing is None else [messages.listed_before_defined(name, first.cell, listing)]
        )


def _listing_between(
    program: Program, cell: int, after: Position, before: Position | None
) -> str | None:
    """The first listing at the top level of `cell` (the import's, or the first binding's)
    that runs after `after` and before `before` (None: the cell's end). Found by its text,
    placed by the statement its line is in: only in a cell read whole, with no cell magic
    (whose first line the statements' lines do not count)."""
    source = program.notebook.cells[cell - 1].source
    if not may_list_namespace(source) or source.lstrip().startswith("%%"):
        return None
    reading = program.reading(cell)
    if reading is None or reading.error is not None or reading.skeletal:
        return None
    starts = [statement_lines(statement)[0] for statement in reading.facts.tree.body]
    line, counted = 1, 0  # the line of `counted`, counting on from the last listing's
    for listing in listings(source):
        line += source.count("\n", counted, listing.start())
        counted = listing.start()
        line_start = source.rfind("\n", 0, counted) + 1
        if source[line_start] in " \t":
            continue  # in a function's body, or a block's: not placed so
        at = Position.before_statement(cell, bisect_right(starts, line) - 1)
        if after < at and (before is None or at < before):
            return listing.group(0)
    return None


def _only_unparsed(program: Program, seen: Sequence[Binding], used_in: int) -> bool:
    """Whether every binding the use may see is in a cell that does not parse, which Python
    never ran (sweep 25 F4: `y = 1)` above the `def`), and the use's own cell parses: run
    from the top, the use raised NameError."""
    if program.in_unparsed_cell(used_in):
        return False
    return all(program.in_unparsed_cell(binding.cell) for binding in seen)


def _deleted_past(seen: Sequence[Binding]) -> bool:
    """Whether the binding that surely ran, the last of `seen`, is a `del` of the name, with
    bindings after it (in cells that do not parse, `_only_unparsed` asks): run from the top,
    the use raised NameError there too (round 76b F7: `f = lambda x: 100; del f`, then the
    broken copy, printed NameError, then 4, unsaid)."""
    return len(seen) > 1 and seen[-1].kind is BindingKind.DELETION

"""The check before every write: the edited cells are the original ones minus what was removed.

black re-parses what it formatted and refuses to write code that is not
equivalent (`assert_equivalent`, `assert_stable`). The same here, on the new
sources a migration built, before anything is written (and under --check):

1. every changed code cell that parsed before still parses;
2. its top-level statements are the original ones minus exactly the removed
   definitions, plus the import: compared as `ast.dump` compares them (equal
   text first, else one walk of both trees), IPython lines masked as the
   reader masks them, legacy calls compared under their new name, and the
   imports from the library compared by the names they bind;
3. every use that ran a removed definition and runs when its cell runs is
   bound, where it runs, by an import from the library (a cell that does not
   parse never runs, so its uses are not checked) (unless the report
   already warns about the import's place: the user was told); a use inside a
   function needs such an import somewhere;
4. migrating the result again changes nothing (the rules, run on the result
   read with the same watched names; the cells left unchanged are not read
   again).

A failure raises `InternalCheckFailed` naming the cell: nothing is written for
that notebook. It is a bug in nbrefactor, never the user's input.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import replace

from nbrefactor.analysis.events import Binding, BindingKind, Use
from nbrefactor.analysis.magics import MaskedSource
from nbrefactor.analysis.program import Program, read_program
from nbrefactor.analysis.text import line_starts
from nbrefactor.nbfile.notebook import Notebook
from nbrefactor.rules import Decisions, decide
from nbrefactor.rules.definitions import uses_of_replaced


class InternalCheckFailed(Exception):
    """The migration built something other than it decided; the message names the cell."""


def check_migration(program: Program, decisions: Decisions, new_sources: Mapping[int, str]) -> None:
    """Raise `InternalCheckFailed` unless the new sources are exactly the decided migration."""
    module = program.catalog.module
    removed: dict[int, set[int]] = defaultdict(set)
    for binding in decisions.definitions.removed:
        removed[binding.cell].add(binding.statement_index)
    renamed = decisions.definitions.renamed
    # The same names are watched, so an unchanged cell's reading holds as it is; each changed
    # cell is read (parsed) once, for the comparison and for the uses.
    new_program = read_program(
        _with_sources(program.notebook, new_sources),
        program.catalog,
        program.defined,
        earlier=program,
    )
    for number in sorted(new_sources):
        known = _known_reading(program, number)
        if known is None or not known[2]:
            continue  # not a code cell that parsed: the version cell, a cell read in pieces
        old_tree, old_masked, _ = known
        reading = new_program.reading(number)
        if reading is None or reading.error is not None:
            error = new_program.unparseable.get(number) if reading is None else reading.error
            raise InternalCheckFailed(f"cell {number}: no longer parses ({error})")
        kept = [
            statement
            for index, statement in enumerate(old_tree.body)
            if index not in removed[number]
        ]
        old = _Statements(kept, old_masked, module, renamed)
        new = _Statements(reading.facts.tree.body, reading.masked, module, renamed)
        if not old.same_as(new):
            raise InternalCheckFailed(
                f"cell {number}: its statements are not the original ones minus the removed "
                "definitions"
            )
        added = _imported_here(decisions, number)
        if new.imported != old.imported | added or new.imports > old.imports + 1:
            raise InternalCheckFailed(f"cell {number}: the import from {module} is not as decided")
    _check_uses_are_bound(program, new_program, decisions)
    if new_program.has_editable_definition() and decide(new_program).definitions.replaced:
        raise InternalCheckFailed("migrating the result again would change it")


class _Statements:
    """A cell's top-level statements, to compare: imports from the library apart."""

    def __init__(
        self,
        statements: list[ast.stmt],
        masked: MaskedSource,
        module: str,
        renamed: Mapping[str, str],
    ) -> None:
        self.masked = masked
        self.renamed = renamed
        self.line_starts = line_starts(masked.text)  # not its lines: a cell may be huge
        self.others: list[ast.stmt] = []
        self.imported: set[str] = set()  # `a` or `a as b`, from every import of the library
        self.imports = 0
        for statement in statements:
            if (
                isinstance(statement, ast.ImportFrom)
                and statement.module == module
                and statement.level == 0
            ):
                self.imported.update(_alias(alias) for alias in statement.names)
                self.imports += 1
            else:
                self.others.append(statement)

    def same_as(self, other: _Statements) -> bool:
        if len(self.others) != len(other.others):
            return False
        names = (self._names(), other._names())
        texts = (self._text, other._text)
        return all(
            self._text(ours) == other._text(theirs) or _same_tree(ours, theirs, names, texts)
            for ours, theirs in zip(self.others, other.others)
        )

    def _text(self, statement: ast.stmt) -> tuple[str, int, int]:
        """Where the statement's text lies (decorators included): equal texts, equal trees."""
        first = min(
            [statement.lineno] + [node.lineno for node in getattr(statement, "decorator_list", ())]
        )
        last = statement.end_lineno or statement.lineno
        whole, starts = self.masked.text, self.line_starts
        text = whole[starts[first - 1] : starts[last] if last < len(starts) else len(whole)]
        return text, statement.col_offset, statement.end_col_offset or 0

    def _names(self) -> dict[str, str]:
        """Name -> what it stands for: a placeholder its IPython line, a legacy name the new."""
        return _masked_lines(self.masked) | dict(self.renamed)


_StatementText = Callable[[ast.stmt], tuple[str, int, int]]


def _same_tree(
    ours: ast.AST,
    theirs: ast.AST,
    names: tuple[Mapping[str, str], Mapping[str, str]],
    texts: tuple[_StatementText, _StatementText],
) -> bool:
    """Whether two trees are equal as `ast.dump` (no positions) sees them, each `Name` read
    through its side's `names`; one walk, no text built but the statements'.

    A nested statement whose text (and columns) is the same on both sides is the same
    tree, as at the top level: the walk goes down only where the texts differ (a renamed
    call in a long loop is one line of it)."""
    pending: list[tuple[object, object]] = [(ours, theirs)]
    while pending:
        left, right = pending.pop()
        if isinstance(left, ast.AST):
            if type(left) is not type(right):
                return False
            if left is not ours and isinstance(left, ast.stmt):
                assert isinstance(right, ast.stmt)
                if texts[0](left) == texts[1](right):
                    continue
            if isinstance(left, ast.Name):
                assert isinstance(right, ast.Name)
                if names[0].get(left.id, left.id) != names[1].get(right.id, right.id):
                    return False
                continue  # its context follows from where it stands
            pending.extend(
                (getattr(left, field, None), getattr(right, field, None)) for field in left._fields
            )
        elif isinstance(left, list):
            if not isinstance(right, list) or len(left) != len(right):
                return False
            pending.extend(zip(left, right))
        elif left != right or type(left) is not type(right):
            return False
    return True


def _alias(alias: ast.alias) -> str:
    return alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"


def _masked_lines(masked: MaskedSource) -> dict[str, str]:
    """Placeholder name -> the IPython line it stands for, so that numbering does not matter."""
    found = {key.strip(): "%masked " + value.strip() for key, value in masked.originals.items()}
    for key, value in masked.prefixes.items():
        found[key.strip().rstrip(";").strip()] = "%masked " + value.strip()
    return found


def _imported_here(decisions: Decisions, cell: int) -> set[str]:
    placement = decisions.import_decision
    if placement is None or placement.cell != cell or placement.edit is None:
        return set()
    return set(placement.edit.names)


def _with_sources(notebook: Notebook, new_sources: Mapping[int, str]) -> Notebook:
    cells = tuple(
        replace(cell, source=new_sources[cell.number]) if cell.number in new_sources else cell
        for cell in notebook.cells
    )
    return replace(notebook, cells=cells)


def _check_uses_are_bound(program: Program, new_program: Program, decisions: Decisions) -> None:
    """Every use that ran a removed definition now reaches an import from the library."""
    placement = decisions.import_decision
    warned = placement is not None and bool(placement.warnings)
    module = program.catalog.module
    ran_removed = {id(use) for use in uses_of_replaced(program, decisions.definitions)}
    imported = decisions.definitions.imported

    def removed_of(name: str) -> list[Binding]:
        return [binding for binding in decisions.definitions.removed if binding.name == name]

    for name, bound_as in sorted(imported.items()):
        if all(_read_in_pieces(program, binding.cell) for binding in removed_of(name)):
            # Its definitions sat in cells that do not compile: Python never ran them, so no
            # use was bound by them, before or after (the import may land in such a cell).
            continue
        group = {name, bound_as.bound, bound_as.name}
        old_by_cell = _uses_by_cell(program, group, decisions)
        new_by_cell = _uses_by_cell(new_program, group, None)
        for cell, old_uses in sorted(old_by_cell.items()):
            known = _known_reading(new_program, cell)
            if known is None or not known[2]:
                continue  # a cell that does not parse never runs: nothing in it is bound
            new_uses = new_by_cell.get(cell, [])
            if len(new_uses) != len(old_uses):
                raise InternalCheckFailed(f"cell {cell}: the uses of {name} are not as they were")
            for old, new in zip(old_uses, new_uses):
                if id(old) not in ran_removed or old.name != name:
                    continue
                if new.deferred:
                    bindings = new_program.bindings_of(new.name)
                    ok = any(new_program.imports_from_library(binding) for binding in bindings)
                elif warned:
                    continue  # the report warns about this import's place
                elif _ran_a_definition_never_run(program, old):
                    continue
                else:
                    binding = new_program.binding_at(new.name, new.position)
                    ok = binding is not None and (
                        binding.kind is BindingKind.IMPORT and binding.source_module == module
                    )
                if not ok:
                    raise InternalCheckFailed(
                        f"cell {cell}: {new.name} on line {new.line} is not bound by the "
                        f"import from {module}"
                    )


def _ran_a_definition_never_run(program: Program, use: Use) -> bool:
    """Whether the use reached a definition in a cell that does not compile: Python never ran
    it, so the use was not bound by it before the migration either."""
    reached = program.binding_at(use.name, use.position)
    return reached is not None and _read_in_pieces(program, reached.cell)


def _read_in_pieces(program: Program, cell: int) -> bool:
    known = _known_reading(program, cell)
    return known is not None and not known[2]


def _known_reading(program: Program, cell: int) -> tuple[ast.Module, MaskedSource, bool] | None:
    """The cell's tree, masking and whether it parsed whole; None when it was not read."""
    reading = program.reading(cell)
    if reading is None:
        return None
    return reading.facts.tree, reading.masked, reading.error is None


def _uses_by_cell(
    program: Program, names: set[str], decisions: Decisions | None
) -> dict[int, list[Use]]:
    """Uses of the names, by cell, in source order; those in removed statements left out."""
    found: dict[int, list[Use]] = defaultdict(list)
    for name in names:
        for use in program.uses_of(name):
            if decisions is not None and decisions.definitions.removes_statement_of(use):
                continue
            found[use.cell].append(use)
    for uses in found.values():
        uses.sort(key=lambda use: (use.line, use.column))
    return found

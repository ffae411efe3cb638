"""Decide, across all cells, which definitions to replace and where the import goes.

The notebook is read as a program run top to bottom. Every use of a watched
name is bound to the latest module-level binding before it (a def, an import,
an assignment). A definition is replaced only when every call that could reach
it binds to the library signature; the import is placed where every use that
reached a removed definition now reaches the import, without capturing uses
that were bound to something else.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from nbrefactor.catalog import Catalog, LibraryFunction, parameters_of
from nbrefactor.cell_facts import Binding, BindingKind, CellFacts, Position, Use, collect_facts
from nbrefactor.imports import ImportEdit, InsertMode, format_import
from nbrefactor.magics import (
    PYTHON_CELL_MAGICS,
    MaskedSource,
    cell_magic,
    newline_of,
    split_lines,
    without_cell_magic,
)
from nbrefactor.mentions import Mentions, definition_pattern
from nbrefactor.notebook import Notebook
from nbrefactor.parsing import Unparseable, parse_cell, parse_for_edit
from nbrefactor.refactor import CannotEdit

_AFTER = 1 << 30  # sequence number later than anything inside a statement
_COMPOUND_STATEMENTS = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.TryStar,
    ast.Match,
)
_IMPORT_LINE = re.compile(r"^(?:import|from)[ \t]+[\w.]+", re.MULTILINE)


@dataclass
class ReportBuilder:
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _is_simple_append(edit: ImportEdit, tree: ast.Module) -> bool:
    """A new import right after a one-line-kind statement: a plain text insertion."""
    if edit.merge or edit.mode is not InsertMode.AFTER:
        return False
    previous = tree.body[edit.statement_index - 1]
    return not isinstance(previous, _COMPOUND_STATEMENTS)


def _insert_import_after(text: str, statement: ast.stmt, edit: ImportEdit) -> str:
    """Insert the import as a line after the statement's last line, in the cell's own newline."""
    lines = split_lines(text)
    end = statement.end_lineno or statement.lineno
    newline = newline_of(lines)
    indent = next(
        (
            line[: len(line) - len(line.lstrip(" \t"))]
            for line in lines
            if line[:1] in " \t" and line.strip()
        ),
        "    ",
    )
    new_import = format_import(edit.module, sorted(edit.names), indent, newline)
    if end == len(lines) and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline  # the cell had no final newline and still has none
        new_import = new_import[: -len(newline)]
    lines.insert(end, new_import)
    return "".join(lines)


def _compacted(text: str, removed: list[ast.stmt]) -> str:
    """Shrink each statement about to be removed to a stand-in, before libcst parses the cell.

    The bodies of pasted helpers are most of a cell, libcst's parse time grows
    with them, and they are removed anyway. The stand-in keeps what decides
    how libcst attributes the lines around it: the lines before and after are
    untouched, and its body keeps the original's indentation, so comments
    indented below the body still belong to it.
    """
    lines = split_lines(text)
    for node in sorted(removed, key=lambda statement: statement.lineno, reverse=True):
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", ())])
        last = node.end_lineno or node.lineno
        ending = lines[last - 1][len(lines[last - 1].rstrip("\r\n")) :]
        body = getattr(node, "body", None)
        body_line = lines[body[0].lineno - 1] if body else ""
        in_block = (
            body
            and body[0].lineno != node.lineno
            and not body_line.encode("utf-8")[: body[0].col_offset].strip()
        )
        if in_block:
            def_line = lines[node.lineno - 1]
            newline = def_line[len(def_line.rstrip("\r\n")) :]
            indent = body_line[: len(body_line) - len(body_line.lstrip(" \t"))]
            stand_in = ["def _nbrefactor_removed():" + newline, indent + "pass" + ending]
        else:
            stand_in = ["def _nbrefactor_removed(): pass" + ending]
        lines[first - 1 : last] = stand_in
    return "".join(lines)


def _renamed(text: str, renames: list[tuple[Use, str]]) -> str:
    """Rename uses in place, at the positions `ast` reported (byte columns)."""
    lines = split_lines(text)
    for use, new_name in sorted(
        renames, key=lambda item: (item[0].line, item[0].column), reverse=True
    ):
        line = lines[use.line - 1]
        column = len(line.encode("utf-8")[: use.column].decode("utf-8"))
        if line[column : column + len(use.name)] != use.name:
            raise CannotEdit(f"cell {use.cell}: cannot locate {use.name} on line {use.line}")
        lines[use.line - 1] = line[:column] + new_name + line[column + len(use.name) :]
    return "".join(lines)


@dataclass(frozen=True)
class _Candidate:
    """A place for the import: a position in notebook order and how to edit there."""

    position: Position
    edit: ImportEdit
    description: str


class Migration:
    def __init__(
        self,
        notebook: Notebook,
        catalog: Catalog,
        watched: frozenset[str],
        mentions: Mentions,
        definition_cells: frozenset[int],
    ) -> None:
        self.notebook = notebook
        self.catalog = catalog
        self.watched = watched  # the names whose bindings and uses are recorded
        self.mentions = mentions
        self.definition_cells = definition_cells  # cells whose text holds `def <watched name>(`
        self.report = ReportBuilder()
        self.cell_notes: dict[int, str] = {}  # skipped cells, reported in cell order
        self.cell_warnings: dict[int, str] = {}  # cells that do not parse
        self.facts: dict[int, CellFacts] = {}
        self.unreadable: set[int] = set()  # cell magics that are not Python, syntax errors
        self.unparseable: dict[int, str] = {}  # cell number -> where it stops being Python
        self.masked: dict[int, MaskedSource] = {}
        self.editable: set[int] = set()
        self.removed: set[Binding] = set()
        self.replaced_names: list[tuple[str, str]] = []  # (name, current name) in notebook order

    # -- reading -------------------------------------------------------------

    def _analyse(self, number: int) -> CellFacts | None:
        """Parse and read one code cell; None (and a report line, once) when it cannot be."""
        if number in self.facts or number in self.unreadable:
            return self.facts.get(number)
        self.unreadable.add(number)  # until it has been read
        cell = self.notebook.cells[number - 1]
        magic = cell_magic(cell.source)
        source = cell.source
        if magic is not None:
            if magic not in PYTHON_CELL_MAGICS:
                self.cell_notes[number] = f"skipped cell {number}: %%{magic} cell is not Python"
                return None
            source = without_cell_magic(source)
        try:
            tree, masked = parse_cell(source)
        except Unparseable as error:
            self.unparseable[number] = str(error)
            warning = f"cell {number} could not be parsed ({error})"
            mentioned = sorted(set(self._definition_names(cell.source)))
            if mentioned:
                listed = ", ".join(f"'def {name}'" for name in mentioned)
                warning += f"; it contains {listed}, which could not be analysed"
            self.cell_warnings[number] = warning
            return None
        facts = collect_facts(
            number, tree, masked.text, self.mentions, self.watched, self.catalog.module
        )
        self.facts[number] = facts
        self.masked[number] = masked
        self.unreadable.discard(number)
        if magic is None:
            self.editable.add(number)
        return facts

    def _definition_names(self, source: str) -> list[str]:
        return definition_pattern(self.catalog.replaceable_names).findall(source)

    # -- deciding ------------------------------------------------------------

    def run(self) -> dict[int, str]:
        try:
            return self._run()
        finally:
            self.report.notes[:0] = [self.cell_notes[n] for n in sorted(self.cell_notes)]
            self.report.warnings[:0] = [self.cell_warnings[n] for n in sorted(self.cell_warnings)]

    def _run(self) -> dict[int, str]:
        # The cells holding definitions first: when none of them holds one that
        # could be replaced, the uses elsewhere do not matter.
        for number in sorted(self.definition_cells):
            self._analyse(number)
        if any(
            self._is_inline_definition(binding) and binding.cell in self.editable
            for facts in self.facts.values()
            for binding in facts.bindings
        ):
            # Cells that only import other names from the module matter only
            # for placing the import: they are read then (`_candidates`).
            for cell in self.notebook.cells:
                if cell.cell_type == "code" and self.mentions.names_or_star_import(cell.source):
                    self._analyse(cell.number)
        bindings = sorted(
            (binding for facts in self.facts.values() for binding in facts.bindings),
            key=lambda binding: binding.position,
        )
        uses = sorted(
            (use for facts in self.facts.values() for use in facts.uses),
            key=lambda use: use.position,
        )
        self.bindings_by_name: dict[str, list[Binding]] = defaultdict(list)
        for binding in bindings:
            self.bindings_by_name[binding.name].append(binding)
        self.uses_by_name: dict[str, list[Use]] = defaultdict(list)
        for use in uses:
            self.uses_by_name[use.name].append(use)

        names_in_order = sorted(
            {binding.name for binding in bindings if self._is_inline_definition(binding)},
            key=lambda name: (
                name in self.catalog.legacy_names,
                self.bindings_by_name[name][0].position,
            ),
        )
        for name in names_in_order:
            self._decide(name)
        if not self.removed:
            return {}
        return self._edit_cells()

    def _is_inline_definition(self, binding: Binding) -> bool:
        return binding.kind is BindingKind.DEF and binding.node is not None

    def binding_at(self, name: str, position: Position) -> Binding | None:
        latest = None
        for binding in self.bindings_by_name.get(name, ()):
            if binding.position >= position:
                break
            latest = binding
        return latest

    def _decide(self, name: str) -> None:
        current = self.catalog.current_name(name)
        library = self.catalog.function_for(name)
        definitions = [b for b in self.bindings_by_name[name] if self._is_inline_definition(b)]
        editable = [b for b in definitions if b.cell in self.editable]
        for binding in definitions:
            if binding.cell not in self.editable:
                magic = cell_magic(self.notebook.cells[binding.cell - 1].source)
                self.report.kept.append(
                    f"kept {name} (cell {binding.cell}): the cell starts with %%{magic}; "
                    "cells with cell magics are not edited"
                )
        if not editable:
            return
        problem = self._call_problem(name, set(editable), library) or self._unreadable_problem(name)
        if problem is None and current != name:
            problem = self._rename_problem(name, current, set(editable))
        if problem is not None:
            for binding in editable:
                self.report.kept.append(f"kept {name} (cell {binding.cell}): {problem}")
            return
        self.removed.update(editable)
        self.replaced_names.append((name, current))
        for binding in editable:
            line = f"replaced {name} (cell {binding.cell})"
            if current != name:
                line += f" with {library.qualified_name}; calls renamed"
            drift = definition_drift(binding.node, library)
            if drift:
                line += "; " + "; ".join(drift)
            self.report.replaced.append(line)

    def _reaches_definition(self, use: Use, definitions: set[Binding]) -> bool:
        """Could this use run one of these definitions?"""
        if use.deferred:
            return True  # bound when the enclosing function runs: any definition may be current
        bound = self.binding_at(use.name, use.position)
        return bound is None or bound in definitions

    def _call_problem(self, name: str, definitions: set[Binding], library) -> str | None:
        for use in self.uses_by_name.get(name, ()):
            if not self._reaches_definition(use, definitions):
                continue
            if use.call is None:
                return (
                    f"cell {use.cell} refers to {name} without calling it, "
                    f"so that use cannot be checked against {library.qualified_name}"
                )
            if use.call.unpacks:
                return (
                    f"call in cell {use.cell} passes *args or **kwargs, "
                    f"which cannot be checked against {library.qualified_name}"
                )
            problem = library.binding_problem(use.call.positional_count, use.call.keywords)
            if problem is not None:
                return f"call in cell {use.cell} {problem}"
        return None

    def _unreadable_problem(self, name: str) -> str | None:
        """A cell that could not be parsed and names the function: its uses are unknown."""
        mention = re.compile(rf"\b{re.escape(name)}\b")
        for number, reason in sorted(self.unparseable.items()):
            if mention.search(self.notebook.cells[number - 1].source):
                return (
                    f"cell {number} mentions {name} but could not be parsed ({reason}), "
                    "so its uses cannot be checked"
                )
        return None

    def _rename_problem(self, name: str, current: str, definitions: set[Binding]) -> str | None:
        for use in self.uses_by_name.get(name, ()):
            if use.cell not in self.editable and self._reaches_definition(use, definitions):
                magic = cell_magic(self.notebook.cells[use.cell - 1].source)
                return (
                    f"the call in cell {use.cell} would have to be renamed to {current}, "
                    f"but the cell starts with %%{magic} and cells with cell magics are not edited"
                )
        for binding in self.bindings_by_name.get(current, ()):
            if binding in self.removed or self._imports_from_library(binding):
                continue
            return (
                f"{current} is also bound in cell {binding.cell} ({binding.kind.value}), "
                f"so calls renamed from {name} could reach that instead of {self.catalog.module}"
            )
        return None

    def _imports_from_library(self, binding: Binding) -> bool:
        return binding.kind is BindingKind.IMPORT and binding.source_module == self.catalog.module

    # -- placing the import --------------------------------------------------

    def _import_needs(
        self,
    ) -> tuple[set[str], list[tuple[str, Use]], dict[int, list[tuple[Use, str]]]]:
        """Names to import, uses the import must reach, and renames per cell."""
        needed: set[str] = set()
        must_reach: list[tuple[str, Use]] = []
        renames: dict[int, list[tuple[Use, str]]] = defaultdict(list)
        removed_names = {binding.name for binding in self.removed}
        for name in removed_names:
            current = self.catalog.current_name(name)
            for use in self.uses_by_name.get(name, ()):
                if self._inside_removed(use):
                    continue
                if not self._reaches_definition(use, self.removed):
                    continue
                needed.add(current)
                if current != name:
                    renames[use.cell].append((use, current))
                if not use.deferred:
                    must_reach.append((current, use))
        return needed, must_reach, renames

    def _inside_removed(self, use: Use) -> bool:
        cell, statement, _ = use.position
        return any(b.cell == cell and b.statement_index == statement for b in self.removed)

    def _other_bindings(self, name: str) -> list[Binding]:
        """Bindings of `name` that stay and do not come from the library."""
        return [
            binding
            for binding in self.bindings_by_name.get(name, ())
            if binding not in self.removed and not self._imports_from_library(binding)
        ]

    def _violations(
        self, position: Position, needed: set[str], must_reach: list[tuple[str, Use]]
    ) -> list[str]:
        problems = []
        for name, use in must_reach:
            if use.position <= position:
                problems.append(f"{name} is used in cell {use.cell} before the new import")
                continue
            for binding in self._other_bindings(name):
                if position < binding.position < use.position:
                    problems.append(
                        f"{name} in cell {use.cell} is rebound by the {binding.kind.value} in cell "
                        f"{binding.cell} after the new import, so it will not call {self.catalog.module}.{name}"
                    )
                    break
        for name in needed:
            for use in self.uses_by_name.get(name, ()):
                if use.deferred or self._inside_removed(use):
                    continue
                bound = self.binding_at(name, use.position)
                if bound is None or bound in self.removed or self._imports_from_library(bound):
                    continue
                if bound.position < position < use.position:
                    problems.append(
                        f"the new import rebinds {name} before its use in cell {use.cell}, "
                        f"which used the {bound.kind.value} in cell {bound.cell}"
                    )
        return problems

    def _candidates(self, needed: set[str]) -> list[_Candidate]:
        names = tuple(sorted(needed))
        module = self.catalog.module
        for cell in self.notebook.cells:
            if cell.cell_type == "code" and self.mentions.imports_from_module(cell.source):
                self._analyse(cell.number)
        candidates = []
        for number in sorted(self.editable):
            for existing in self.facts[number].module_imports:
                edit = ImportEdit(module, names, existing.statement_index, merge=True)
                position = (number, existing.statement_index, _AFTER)
                candidates.append(
                    _Candidate(position, edit, f"the existing import in cell {number}")
                )
        import_cell = self._import_cell()
        if import_cell is not None:
            facts = self.facts[import_cell]
            last = max(
                [*facts.import_statements]
                + [
                    b.statement_index
                    for b in facts.bindings
                    if b.name in needed and b not in self.removed
                ]
            )
            edit = ImportEdit(module, names, last + 1, merge=False, mode=InsertMode.AFTER)
            candidates.append(
                _Candidate((import_cell, last, _AFTER), edit, f"the import cell {import_cell}")
            )
        first = min(self.removed, key=lambda binding: binding.position)
        first_statement_removed = any(
            b.cell == first.cell and b.statement_index == 0 for b in self.removed
        )
        if not first_statement_removed:
            edit = ImportEdit(module, names, 0, merge=False, mode=InsertMode.TOP)
            candidates.append(
                _Candidate((first.cell, -1, 0), edit, f"the top of cell {first.cell}")
            )
        edit = ImportEdit(
            module, names, first.statement_index, merge=False, mode=InsertMode.REPLACE
        )
        candidates.append(
            _Candidate(
                (first.cell, first.statement_index, -1),
                edit,
                f"cell {first.cell}, where {first.name} was",
            )
        )
        return candidates

    def _import_cell(self) -> int | None:
        """The editable code cell with the most top-level imports (the first of equals)."""
        best, best_count = None, 0
        for cell in self.notebook.cells:
            if cell.cell_type != "code" or cell_magic(cell.source) is not None:
                continue
            count = len(_IMPORT_LINE.findall(cell.source))
            if count > best_count:
                best, best_count = cell.number, count
        if best is None or self._analyse(best) is None or best not in self.editable:
            return None
        if not self.facts[best].import_statements:
            return None
        return best

    # -- editing -------------------------------------------------------------

    def _edit_cells(self) -> dict[int, str]:
        needed, must_reach, renames = self._import_needs()
        chosen: _Candidate | None = None
        if needed:
            candidates = self._candidates(needed)
            for candidate in candidates:
                if not self._violations(candidate.position, needed, must_reach):
                    chosen = candidate
                    break
            else:
                chosen = candidates[-1]
                for problem in self._violations(chosen.position, needed, must_reach):
                    self.report.warnings.append(problem)
            self._warn_star_imports(chosen.position, must_reach)
            self.report.notes.append(self._describe_import(chosen, needed))
        else:
            self.report.notes.append("import: none needed (nothing calls the replaced functions)")

        removed_by_cell: dict[int, set[int]] = defaultdict(set)
        for binding in self.removed:
            removed_by_cell[binding.cell].add(binding.statement_index)
        cells_to_edit = set(removed_by_cell) | set(renames)
        if chosen is not None:
            cells_to_edit.add(chosen.position[0])
        new_sources = {}
        for number in sorted(cells_to_edit):
            import_edit = (
                chosen.edit if chosen is not None and chosen.position[0] == number else None
            )
            source = self._edited_source(
                number, removed_by_cell.get(number, set()), renames.get(number, []), import_edit
            )
            if source != self.notebook.cells[number - 1].source:
                new_sources[number] = source
        return new_sources

    def _edited_source(
        self,
        number: int,
        removed: set[int],
        renames: list[tuple[Use, str]],
        import_edit: ImportEdit | None,
    ) -> str:
        """Edit one cell; statement indices arrive in `ast` numbering.

        Renames, and an import added right after a simple statement, are text
        edits at positions `ast` gave; removals and other imports go through
        libcst, which is parsed only for those cells.
        """
        masked = self.masked[number]
        text = _renamed(masked.text, renames) if renames else masked.text
        tree = self.facts[number].tree
        if not removed and (import_edit is None or _is_simple_append(import_edit, tree)):
            if import_edit is not None:
                text = _insert_import_after(
                    text, tree.body[import_edit.statement_index - 1], import_edit
                )
            return masked.unmask(text)

        from nbrefactor.transform import edit_cell, statement_index_map  # imports libcst

        text = _compacted(text, [tree.body[index] for index in removed])
        try:
            module = parse_for_edit(text)
        except Unparseable as error:
            raise CannotEdit(f"cell {number}: {error}") from None
        index_map = statement_index_map(module)
        if len(index_map) != len(self.facts[number].tree.body):
            raise CannotEdit(f"cell {number}: libcst and ast disagree about its statements")
        if import_edit is not None:
            if import_edit.merge or import_edit.mode is InsertMode.REPLACE:
                index = index_map[import_edit.statement_index]
            elif import_edit.mode is InsertMode.AFTER:
                index = index_map[import_edit.statement_index - 1] + 1
            else:
                index = 0
            import_edit = replace(import_edit, statement_index=index)
        module = edit_cell(module, frozenset(index_map[index] for index in removed), import_edit)
        source = masked.unmask(module.code)
        return source if source.strip() else ""  # an emptied cell is empty, not a lone newline

    def _describe_import(self, chosen: _Candidate, needed: set[str]) -> str:
        names = ", ".join(sorted(needed))
        cell = chosen.position[0]
        if chosen.edit.merge:
            existing = next(
                found.names
                for found in self.facts[cell].module_imports
                if found.statement_index == chosen.edit.statement_index
            )
            missing = sorted(needed - existing)
            if not missing:
                return f"import: {names} already imported from {self.catalog.module} in cell {cell}"
            return f"import: added {', '.join(missing)} to the import from {self.catalog.module} in cell {cell}"
        return f"import: added 'from {self.catalog.module} import {names}' to cell {cell}"

    def _warn_star_imports(self, position: Position, must_reach: list[tuple[str, Use]]) -> None:
        if not must_reach:
            return
        last_use = max(use.position for _, use in must_reach)
        for number, facts in sorted(self.facts.items()):
            for statement, module in facts.star_imports:
                if position < (number, statement, 0) < last_use and module != self.catalog.module:
                    self.report.warnings.append(
                        f"cell {number} has 'from {module} import *' after the new import; "
                        "it may rebind the imported names"
                    )

    def changelog_entry(self) -> str:
        parts = []
        for name, current in self.replaced_names:
            parts.append(f"`{name}`" if name == current else f"`{name}` (now `{current}`)")
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        plural = "definition" if len(parts) == 1 else "definitions"
        return f"Replaced inline {plural} of {listed} with imports from `{self.catalog.module}`"


def definition_drift(node: ast.FunctionDef, library: LibraryFunction) -> list[str]:
    """How an inline definition differs from the library's: its body, its defaults."""
    notes = []
    if library.body_differs(node):
        notes.append(f"body differs from {library.qualified_name}")
    library_defaults = {parameter.name: parameter.default for parameter in library.parameters}
    for parameter in parameters_of(node.args):
        library_default = library_defaults.get(parameter.name)
        if (
            None not in (parameter.default, library_default)
            and parameter.default != library_default
        ):
            notes.append(
                f"default {parameter.name}={parameter.default} inline, {library_default} in the library"
            )
    return notes

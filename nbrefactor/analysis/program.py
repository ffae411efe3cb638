"""The notebook read as one program, run top to bottom: a read-only model for the rules.

Only the names a notebook defines inline (and the library names they stand
for) can matter, so only the cells that name them are parsed, with IPython
syntax masked. `read_program` (`program_reader`) decides which cells to read
and reads them, each once, before any rule runs; the `Program` built from the
readings is
then only queried (as pyflakes completes a scope before checking it): no
question a rule asks can cause a read. Every binding and use of the names
is indexed by name in notebook order, so that `binding_at` (which binding a
use sees) is a binary search rather than a scan.

The model remembers what it could not read (cells with a non-Python cell
magic, cells that do not parse) for the report.
"""

from __future__ import annotations

import bisect
import copy
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nbrefactor.analysis.catalog import Catalog
from nbrefactor.analysis.cell_facts import CellFacts
from nbrefactor.analysis.cell_texts import CellTexts
from nbrefactor.analysis.events import (
    Binding,
    BindingKind,
    NamedInString,
    Position,
    UnreadableUse,
    Use,
)
from nbrefactor.analysis.magics import cell_magic
from nbrefactor.analysis.mentions import Watched
from nbrefactor.analysis.reader import CellReading, Unread
from nbrefactor.nbfile.notebook import Cell, Notebook
from nbrefactor.value_base import ValueBase

if TYPE_CHECKING:
    from pathlib import Path

    from nbrefactor.analysis.notebook_input import HiddenInput
    from nbrefactor.analysis.notebook_variables import NotebookVariables


class Program:
    """The notebook's code cells as one program, read before the rules run; read-only."""

    def __init__(
        self,
        notebook: Notebook,
        catalog: Catalog,
        defined: Mapping[int, Sequence[str]],
        watch: Watched,
        readings: Mapping[int, CellReading | Unread],
        module_import_cells: Sequence[int],
        import_cell: int | None,
        read_for_import: Collection[int] = (),
        hidden_inputs: Mapping[Binding, tuple[HiddenInput, ...]] | None = None,
        variables: NotebookVariables | None = None,
        texts: CellTexts | None = None,
        folder: Path | None = None,
        file_name: str | None = None,
    ) -> None:
        self.notebook = notebook
        self.folder = folder  # the notebook's, where `%run` finds its scripts; None: unknown
        # The notebook's own file name, which another notebook in `folder` may run (`%run
        # common.ipynb`: `rules.notebook_runners`); None: unknown.
        self.file_name = file_name
        self.catalog = catalog
        self.defined = defined  # cell -> the library names its text seems to `def`
        self.names = watch.names
        self.watched = watch
        self.all_readings = dict(readings)  # every cell read, as read: for a re-read to reuse
        # Inline definition -> the notebook variables it reads (`notebook_variables`).
        self.hidden_inputs: Mapping[Binding, tuple[HiddenInput, ...]] = hidden_inputs or {}
        self.variables = variables  # what answered `hidden_inputs`, for a re-read to reuse
        self._readings = {
            number: reading
            for number, reading in sorted(readings.items())
            if isinstance(reading, CellReading)
        }
        self._parsed_after_migration: frozenset[int] = frozenset()  # `assuming_parsed`
        self.skipped: dict[int, str] = {}  # cell -> its non-Python cell magic
        self.unparseable: dict[int, str] = {}  # cell -> where it stops being Python
        for number, reading in sorted(readings.items()):
            if isinstance(reading, Unread) and reading.magic is not None:
                self.skipped[number] = reading.magic
            elif isinstance(reading, Unread):
                self.unparseable[number] = reading.reason or ""
        # The code cells whose text imports from the target module.
        self.module_import_cells = tuple(module_import_cells)
        # What every code cell's text says, for a re-read to reuse; None: not looked at.
        self.texts = texts
        # Cells read only because the import may go there: the report speaks of
        # them only when an import is placed.
        self.read_for_import = frozenset(read_for_import)
        # The notebook's import cell: the editable code cell with most top-level imports.
        self.import_cell = import_cell if import_cell in self._readings else None
        if self.import_cell is not None:
            reading = self._readings[self.import_cell]
            if not reading.editable or not reading.facts.import_statements:
                self.import_cell = None
        unread = (reading for reading in readings.values() if isinstance(reading, Unread))
        self._index = _Index.of(self._readings.values(), unread)

    # -- cells -------------------------------------------------------------------

    def cell(self, number: int) -> Cell:
        return self.notebook.cells[number - 1]

    def reading(self, number: int) -> CellReading | None:
        """The cell as read, or None when it was not read or could not be."""
        return self._readings.get(number)

    def facts(self, number: int) -> CellFacts:
        """The facts of a cell known to be read (see `reading`)."""
        return self._readings[number].facts

    def is_editable(self, number: int) -> bool:
        reading = self.reading(number)
        return reading is not None and reading.editable

    def cell_magic(self, number: int) -> str | None:
        return cell_magic(self.cell(number).source)

    def has_editable_definition(self) -> bool:
        """Whether a cell holds a top-level `def` of a watched name that can be edited."""
        return any(
            reading.editable
            and any(is_inline_definition(binding) for binding in reading.facts.bindings)
            for reading in self._readings.values()
        )

    def readings(self) -> Iterator[CellReading]:
        """Every cell read that parsed (whole or in pieces), in cell order."""
        return iter(self._readings.values())

    # -- bindings and uses -------------------------------------------------------

    def inline_definitions(self) -> list[Binding]:
        """Top-level `def`s of watched names, in notebook order."""
        return [
            binding
            for bindings in self._index.bindings.values()
            for binding in bindings
            if is_inline_definition(binding)
        ]

    def defining_statements(self, name: str) -> set[tuple[int, int]]:
        """The top-level statements (`Position.top_level`) that `def` or `class` `name`: a
        string naming it there is that definition's own text."""
        return {
            binding.position.top_level
            for binding in self.bindings_of(name)
            if binding.kind in (BindingKind.DEF, BindingKind.CLASS)
        }

    def bindings_of(self, name: str) -> Sequence[Binding]:
        return self._index.bindings.get(name, ())

    def uses_of(self, name: str) -> Sequence[Use]:
        return self._index.uses.get(name, ())

    def unreadable_uses_of(self, name: str) -> Sequence[UnreadableUse]:
        return self._index.unreadable.get(name, ())

    def named_in_strings(self, name: str) -> Sequence[NamedInString]:
        return self._index.named_in_strings.get(name, ())

    def binding_at(self, name: str, position: Position) -> Binding | None:
        """The latest module-level binding of `name` before `position`, if any."""
        index = bisect.bisect_left(self._index.binding_positions.get(name, ()), position)
        return self._index.bindings[name][index - 1] if index else None

    def reaches(self, use: Use, definitions: Collection[Binding]) -> bool:
        """Could this use run one of these definitions?

        Past a binding that may not run (`may_not_run`), the one before it may be
        the one the use sees."""
        if use.deferred:
            return True  # bound when the enclosing function runs: any definition may be current
        seen, maybe_unbound = self.bindings_seen(use)
        # Unbound before it: counted as running one (the safe side).
        return maybe_unbound or any(binding in definitions for binding in seen)

    def definitions_reached(self, use: Use, definitions: Collection[Binding]) -> list[Binding]:
        """Which of these definitions the use could run, in notebook order (`reaches`)."""
        if use.deferred:
            return sorted(definitions, key=lambda binding: binding.position)
        seen, _ = self.bindings_seen(use)
        return [binding for binding in reversed(seen) if binding in definitions]

    def bindings_seen(self, use: Use) -> tuple[list[Binding], bool]:
        """The module-level bindings a (not deferred) use may see, latest first: back to the
        first that surely runs; and whether it may see none (all may not run)."""
        bindings = self._index.bindings.get(use.name, ())
        index = bisect.bisect_left(self._index.binding_positions.get(use.name, ()), use.position)
        seen = []
        while index:
            index -= 1
            seen.append(bindings[index])
            if not self.may_not_run(bindings[index]):
                return seen, False
        return seen, True

    def in_unparsed_cell(self, number: int) -> bool:
        """Whether the cell was read in pieces: it does not parse, so Python ran none of it
        (whatever the migration makes of it)."""
        reading = self._readings.get(number)
        return reading is not None and reading.error is not None

    def parses_once_migrated(self, number: int) -> bool:
        """Whether the cell does not parse only because of definitions the migration removes
        (`assuming_parsed`): it parses, and runs, once they are gone."""
        return number in self._parsed_after_migration

    def may_not_run(self, binding: Binding) -> bool:
        """A conditional binding, or one in a cell that does not parse (Python runs none of
        it; once it is fixed, the binding runs), unless the migration fixes that cell
        (`assuming_parsed`)."""
        if binding.conditional:
            return True
        broken = self.in_unparsed_cell(binding.cell)
        return broken and binding.cell not in self._parsed_after_migration

    def assuming_parsed(self, cells: Collection[int]) -> Program:
        """The same program, its bindings in `cells` taken to run: cells that do not parse
        only because of definitions the migration removes, which parse once it has."""
        view = copy.copy(self)
        view._parsed_after_migration = frozenset(cells)
        return view

    def uses_reaching(self, name: str, definitions: Collection[Binding]) -> Iterator[Use]:
        return (use for use in self.uses_of(name) if self.reaches(use, definitions))

    def imports_from_library(self, binding: Binding) -> bool:
        """Whether the binding imports the library's function of its name: not another of
        the module's names under it (`from viz_utils import g as f`)."""
        if binding.kind is not BindingKind.IMPORT or binding.source_module != self.catalog.module:
            return False
        current = self.catalog.current_name
        return current(binding.imported_name or binding.name) == current(binding.name)


def is_inline_definition(binding: Binding) -> bool:
    return binding.kind is BindingKind.DEF and binding.node is not None


@dataclass(frozen=True, eq=False, repr=False)
class _Index(ValueBase):
    """The events of the cells read, by name, so that a rule's question reads only its name's."""

    bindings: Mapping[str, Sequence[Binding]]  # by name, in notebook order
    binding_positions: Mapping[str, Sequence[Position]]
    uses: Mapping[str, Sequence[Use]]  # by name, in notebook order
    unreadable: Mapping[str, Sequence[UnreadableUse]]  # by name, in cell order
    named_in_strings: Mapping[str, Sequence[NamedInString]]  # by name, in cell order

    @classmethod
    def of(cls, readings: Iterable[CellReading], skipped: Iterable[Unread] = ()) -> _Index:
        """Every binding and use in the cells read, by name, in notebook order, and what the
        cell magics of cells not read bind (`%%bash --out f`) and may run (`%%opts`)."""
        bindings: dict[str, list[Binding]] = defaultdict(list)
        uses: dict[str, list[Use]] = defaultdict(list)
        unreadable: dict[str, list[UnreadableUse]] = defaultdict(list)
        in_strings: dict[str, list[NamedInString]] = defaultdict(list)
        for reading in readings:
            for binding in reading.facts.bindings:
                bindings[binding.name].append(binding)
            for use in reading.facts.uses:
                uses[use.name].append(use)
            for unread in reading.facts.unreadable:
                unreadable[unread.name].append(unread)
            for found in reading.facts.named_in_strings:
                in_strings[found.name].append(found)
        for cell in skipped:
            for binding in cell.bindings:
                bindings[binding.name].append(binding)
            for found in cell.named:
                in_strings[found.name].append(found)
        for found_bindings in bindings.values():
            found_bindings.sort(key=lambda event: event.position)
        for found_uses in uses.values():
            found_uses.sort(key=lambda event: event.position)
        for found_named in in_strings.values():
            found_named.sort(key=lambda named: named.cell)  # stable: in its cell, as found
        positions = {
            name: [binding.position for binding in found] for name, found in bindings.items()
        }
        return cls(bindings, positions, uses, unreadable, in_strings)

"""The notebook read as one program, run top to bottom: a read-only model for the rules.

Only the names a notebook defines inline (and the library names they stand
for) can matter, so only the cells that name them are parsed, each once, on
first use, with IPython syntax masked. Every binding and use of those names is
indexed by name in notebook order, so that `binding_at` (which binding a use
sees) is a binary search rather than a scan.

The model remembers what it could not read (cells with a non-Python cell
magic, cells that do not parse) for the report.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from nbrefactor.catalog import Catalog
from nbrefactor.cell_facts import collect_facts
from nbrefactor.events import Binding, BindingKind, CellFacts, Position, UnreadableUse, Use
from nbrefactor.magics import PYTHON_CELL_MAGICS, MaskedSource, cell_magic, without_cell_magic
from nbrefactor.mentions import mentions_of
from nbrefactor.notebook import Cell, Notebook
from nbrefactor.parsing import Unparseable, parse_cell
from nbrefactor.tolerant import read_broken

# After a newline: the pattern starts with a literal, which the engine skips to.
_IMPORT_LINE = re.compile(r"\n(?:import|from)[ \t]+[\w.]")


@dataclass(frozen=True)
class CellReading:
    """One code cell read: its facts and the masking to undo after editing it."""

    facts: CellFacts
    masked: MaskedSource
    editable: bool  # False in cells that start with a (Python) cell magic: read, never edited
    error: str | None = None  # where the cell stops being Python, when it was read in pieces
    broken_bodies: frozenset[int] = frozenset()  # statements: defs whose own body does not parse


@dataclass(frozen=True)
class _Index:
    bindings: Mapping[str, Sequence[Binding]]  # by name, in notebook order
    binding_positions: Mapping[str, Sequence[Position]]
    uses: Mapping[str, Sequence[Use]]  # by name, in notebook order
    unreadable: Mapping[str, Sequence[UnreadableUse]]  # by name, in cell order


class Program:
    """The notebook's code cells as one program; cells are read on demand, each once."""

    def __init__(
        self, notebook: Notebook, catalog: Catalog, defined: Mapping[int, Sequence[str]]
    ) -> None:
        self.notebook = notebook
        self.catalog = catalog
        self.defined = defined  # cell -> the library names its text seems to `def`
        names = {name for found in defined.values() for name in found}
        # The defined names and what they would be renamed to: nothing else is read.
        self.names = frozenset(names) | {catalog.current_name(name) for name in names}
        self.mentions = mentions_of(self.names, catalog.module)
        self._readings: dict[int, CellReading | None] = {}
        self.skipped: dict[int, str] = {}  # cell -> its non-Python cell magic
        self.unparseable: dict[int, str] = {}  # cell -> where it stops being Python

    # -- cells -------------------------------------------------------------------

    def cell(self, number: int) -> Cell:
        return self.notebook.cells[number - 1]

    def reading(self, number: int) -> CellReading | None:
        """The cell parsed and read, or None when it cannot be (recorded once for the report)."""
        if number not in self._readings:
            self._readings[number] = self._read(number)
        return self._readings[number]

    def facts(self, number: int) -> CellFacts:
        """The facts of a cell already known to read (see `reading`)."""
        reading = self.reading(number)
        assert reading is not None
        return reading.facts

    def is_editable(self, number: int) -> bool:
        reading = self.reading(number)
        return reading is not None and reading.editable

    def cell_magic(self, number: int) -> str | None:
        return cell_magic(self.cell(number).source)

    def _read(self, number: int) -> CellReading | None:
        source = self.cell(number).source
        magic = cell_magic(source)
        if magic is not None:
            if magic not in PYTHON_CELL_MAGICS:
                self.skipped[number] = magic
                return None
            source = without_cell_magic(source)
        try:
            tree, masked = parse_cell(source)
        except Unparseable as error:
            if error.masked is None:
                self.unparseable[number] = str(error)
                return None
            return self._read_in_pieces(number, error.masked, str(error), magic is None)
        facts = collect_facts(
            number, tree, masked.text, self.mentions, self.names, self.catalog.module
        )
        return CellReading(facts, masked, editable=magic is None)

    def _read_in_pieces(
        self, number: int, masked: MaskedSource, error: str, editable: bool
    ) -> CellReading | None:
        """A cell that does not parse, read statement by statement (`tolerant`)."""
        try:
            broken = read_broken(masked.text, self.names)
        except (RecursionError, MemoryError, ValueError):
            self.unparseable[number] = error
            return None
        facts = collect_facts(
            number, broken.tree, masked.text, self.mentions, self.names, self.catalog.module
        )
        sequence = max((event.position.sequence for event in facts.uses), default=0)
        for mention in broken.mentions:
            if mention.call is None:
                facts.unreadable.append(UnreadableUse(mention.name, number, mention.line))
                continue
            sequence += 1
            position = Position(number, mention.statement, sequence)
            use = Use(
                mention.name, position, mention.deferred, mention.call, mention.line, mention.column
            )
            facts.uses.append(use)
        return CellReading(facts, masked, editable, error, broken.broken_bodies)

    def known_reading(self, number: int) -> tuple[ast.Module, MaskedSource, bool] | None:
        """A cell already read: its tree, its masking, whether it was read whole. Never reads."""
        reading = self._readings.get(number)
        if reading is None:
            return None
        return reading.facts.tree, reading.masked, reading.error is None

    def read_numbers(self) -> list[int]:
        """The cells read so far (parsed or not), in cell order."""
        return sorted(self._readings)

    def adopt_readings(self, other: Program, numbers: Collection[int]) -> None:
        """Take `other`'s readings of these cells, which must have the same text and watched
        names (the safety check re-reads only the cells a migration changed)."""
        assert self.names == other.names and "_index" not in self.__dict__
        for number in numbers:
            self._readings[number] = other._readings[number]
            if number in other.skipped:
                self.skipped[number] = other.skipped[number]
            if number in other.unparseable:
                self.unparseable[number] = other.unparseable[number]

    def read_cells(self, numbers: Collection[int]) -> None:
        for number in sorted(numbers):
            self.reading(number)

    def readings(self) -> Iterator[CellReading]:
        """Every cell read so far that parsed, in cell order."""
        for number in sorted(self._readings):
            reading = self._readings[number]
            if reading is not None:
                yield reading

    def module_import_cells(self) -> list[int]:
        """Code cells whose text imports from the target module, read."""
        found = [
            cell.number
            for cell in self.notebook.cells
            if cell.cell_type == "code" and self.mentions.imports_from_module(cell.source)
        ]
        self.read_cells(found)
        return found

    def import_cell(self) -> int | None:
        """The notebook's import cell: the editable code cell with most top-level imports."""
        best, best_count = None, 0
        for cell in self.notebook.cells:
            if cell.cell_type != "code" or "import" not in cell.source:
                continue
            if cell_magic(cell.source) is not None:
                continue
            count = len(_IMPORT_LINE.findall("\n" + cell.source))
            if count > best_count:
                best, best_count = cell.number, count
        if best is None or not self.is_editable(best):
            return None
        return best if self.facts(best).import_statements else None

    # -- bindings and uses -------------------------------------------------------

    def has_editable_definition(self) -> bool:
        """Whether a cell read so far holds a top-level `def` of a watched name that can be edited."""
        return any(
            _is_inline_definition(binding) and reading.editable
            for reading in self.readings()
            for binding in reading.facts.bindings
        )

    def inline_definitions(self) -> list[Binding]:
        """Top-level `def`s of watched names, in notebook order."""
        return [
            binding
            for bindings in self._index.bindings.values()
            for binding in bindings
            if _is_inline_definition(binding)
        ]

    def cells_naming_names(self) -> list[int]:
        """Every code cell that could bind or use the names: naming them, or star-importing."""
        return [
            cell.number
            for cell in self.notebook.cells
            if cell.cell_type == "code" and self.mentions.names_or_star_import(cell.source)
        ]

    @cached_property
    def _index(self) -> _Index:
        """Bindings and uses in the cells read when first asked for; read what matters first."""
        bindings: dict[str, list[Binding]] = defaultdict(list)
        uses: dict[str, list[Use]] = defaultdict(list)
        unreadable: dict[str, list[UnreadableUse]] = defaultdict(list)
        for reading in self.readings():
            for binding in reading.facts.bindings:
                bindings[binding.name].append(binding)
            for use in reading.facts.uses:
                uses[use.name].append(use)
            for mention in reading.facts.unreadable:
                unreadable[mention.name].append(mention)
        for found in (*bindings.values(), *uses.values()):
            found.sort(key=lambda event: event.position)
        positions = {
            name: [binding.position for binding in found] for name, found in bindings.items()
        }
        return _Index(bindings, positions, uses, unreadable)

    def bindings_of(self, name: str) -> Sequence[Binding]:
        return self._index.bindings.get(name, ())

    def uses_of(self, name: str) -> Sequence[Use]:
        return self._index.uses.get(name, ())

    def unreadable_uses_of(self, name: str) -> Sequence[UnreadableUse]:
        return self._index.unreadable.get(name, ())

    def binding_at(self, name: str, position: Position) -> Binding | None:
        """The latest module-level binding of `name` before `position`, if any."""
        index = bisect.bisect_left(self._index.binding_positions.get(name, ()), position)
        return self._index.bindings[name][index - 1] if index else None

    def reaches(self, use: Use, definitions: Collection[Binding]) -> bool:
        """Could this use run one of these definitions?"""
        if use.deferred:
            return True  # bound when the enclosing function runs: any definition may be current
        bound = self.binding_at(use.name, use.position)
        return bound is None or bound in definitions

    def uses_reaching(self, name: str, definitions: Collection[Binding]) -> Iterator[Use]:
        return (use for use in self.uses_of(name) if self.reaches(use, definitions))

    def imports_from_library(self, binding: Binding) -> bool:
        return binding.kind is BindingKind.IMPORT and binding.source_module == self.catalog.module


def _is_inline_definition(binding: Binding) -> bool:
    return binding.kind is BindingKind.DEF and binding.node is not None

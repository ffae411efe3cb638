"""The notebook read as one program, run top to bottom: a read-only model for the rules.

Only the names a notebook defines inline (and the library names they stand
for) can matter, so only the cells that name them are parsed, with IPython
syntax masked. `read_program` decides which cells to read and reads them,
each once, before any rule runs; the `Program` built from the readings is
then only queried (as pyflakes completes a scope before checking it): no
question a rule asks can cause a read. Every binding and use of the names
is indexed by name in notebook order, so that `binding_at` (which binding a
use sees) is a binary search rather than a scan.

The model remembers what it could not read (cells with a non-Python cell
magic, cells that do not parse) for the report.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from nbrefactor.analysis.catalog import Catalog
from nbrefactor.analysis.cell_facts import CellFacts
from nbrefactor.analysis.events import Binding, BindingKind, Position, UnreadableUse, Use
from nbrefactor.analysis.magics import cell_magic
from nbrefactor.analysis.mentions import Watched, watched
from nbrefactor.analysis.notebook_variables import (
    HiddenInput,
    NotebookVariables,
    definition_hidden_inputs,
)
from nbrefactor.analysis.reader import CellReading, Unread, read_cell
from nbrefactor.nbfile.notebook import Cell, Notebook

# After a newline: the pattern starts with a literal, which the engine skips to.
_IMPORT_LINE = re.compile(r"\n(?:import|from)[ \t]+[\w.]")


def read_program(
    notebook: Notebook,
    catalog: Catalog,
    defined: Mapping[int, Sequence[str]],
    earlier: Program | None = None,
    kept_by_own_text: Callable[[Binding], bool] | None = None,
    explains: bool = True,
    supplied: Mapping[int, CellReading] | None = None,
) -> Program:
    """Read every cell the rules can ask about, then freeze the program.

    First the cells that `def` a library name. Only when one of those
    definitions could go do the other cells matter: every cell that names the
    names (or star-imports), the cells the import may go into (those
    importing from the module, and the notebook's import cell), and what each
    definition reads from the notebook (`notebook_variables`).

    `kept_by_own_text` tells the definitions the rules keep from their own
    text alone, whatever the other cells hold (their parameters are not the
    library's): what those read from the notebook, the costliest question,
    is not asked. When every editable definition is one of them, nothing can
    go: the cells the import may go into are not read, and the other cells
    could only change which reason is given first (a call that does not bind
    comes before the parameters) and add warnings about cells that do not
    parse: they are read only when the run `explains` what it kept; otherwise
    the program is the definitions' cells alone.

    `earlier` is the program of the notebook before a migration (the safety
    check reads the result): every cell naming the names is read, and the
    reading of a cell whose text did not change is taken from it; a `supplied`
    reading is taken as it is (the safety check derives a changed cell's reading
    from its text, without parsing it).
    """
    names = {name for found in defined.values() for name in found}
    # The defined names and what they would be renamed to: nothing else is read.
    watch = watched(
        frozenset(names) | {catalog.current_name(name) for name in names}, catalog.module
    )

    def read(number: int) -> CellReading | Unread:
        if supplied is not None and number in supplied:
            return supplied[number]
        source = notebook.cells[number - 1].source
        if earlier is not None and earlier.cell(number).source == source:
            known = earlier.all_readings.get(number)
            if known is not None:
                return known
        return read_cell(number, source, watch, whole_trees=False)

    readings = {number: read(number) for number in sorted(defined)}
    module_imports: list[int] = []
    import_cell = None
    for_import: set[int] = set()
    hidden: dict[Binding, tuple[HiddenInput, ...]] = {}
    variables: NotebookVariables | None = None
    editable = [
        binding for binding, reading in _inline_definitions(readings.values()) if reading.editable
    ]
    undecided = [
        binding for binding in editable if kept_by_own_text is None or not kept_by_own_text(binding)
    ]
    if earlier is not None or undecided or (editable and explains):
        naming = _code_cells(notebook, watch.names_or_star_import)
        module_imports = _code_cells(notebook, watch.imports_from_module)
        import_cell = _most_imports(notebook)
        if undecided or earlier is not None:  # else nothing can go, and no import either
            for_import = {*module_imports, *([] if import_cell is None else [import_cell])}
            for_import -= {*defined, *naming}
        changed = set()
        if earlier is not None:  # every changed code cell is compared with what it was
            changed = {
                cell.number
                for cell in notebook.cells
                if cell.cell_type == "code" and cell.source != earlier.cell(cell.number).source
            }
        for number in sorted({*naming, *for_import, *changed} - readings.keys()):
            readings[number] = read(number)
        asked = [
            (binding, reading)
            for binding, reading in _inline_definitions(readings.values())
            if kept_by_own_text is None or not kept_by_own_text(binding)
        ]
        if asked:
            variables = _variables(notebook, readings, earlier)
            hidden = _hidden_inputs(asked, variables, earlier)
    return Program(
        notebook,
        catalog,
        defined,
        watch,
        readings,
        module_imports,
        import_cell,
        for_import,
        hidden,
        variables,
    )


def _variables(
    notebook: Notebook, readings: Mapping[int, CellReading | Unread], earlier: Program | None
) -> NotebookVariables:
    """Where the notebook binds its variables, asked through the cells already read."""

    def known(number: int) -> CellReading | None:
        reading = readings.get(number)
        return reading if isinstance(reading, CellReading) else None

    before = None if earlier is None else earlier.variables
    return NotebookVariables(notebook, known, before)


def _hidden_inputs(
    asked: Sequence[tuple[Binding, CellReading]],
    variables: NotebookVariables,
    earlier: Program | None,
) -> dict[Binding, tuple[HiddenInput, ...]]:
    """The notebook variables each inline definition asked about reads, its cells read once
    more at most.

    A definition in a cell the migration left unchanged (the same reading, so the same
    binding) reads what it read before: a migration removes `def`s and adds an import,
    neither of which binds a notebook variable (and the safety check compares every
    other statement of the changed cells).
    """
    known = {} if earlier is None else earlier.hidden_inputs
    return {
        binding: known[binding]
        if binding in known
        else definition_hidden_inputs(binding, reading, variables)
        for binding, reading in asked
    }


def _inline_definitions(
    readings: Iterable[CellReading | Unread],
) -> Iterator[tuple[Binding, CellReading]]:
    """Each inline definition read, with the reading of its cell."""
    for reading in readings:
        if isinstance(reading, CellReading):
            for binding in reading.facts.bindings:
                if _is_inline_definition(binding):
                    yield binding, reading


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
    ) -> None:
        self.notebook = notebook
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
        self.skipped: dict[int, str] = {}  # cell -> its non-Python cell magic
        self.unparseable: dict[int, str] = {}  # cell -> where it stops being Python
        for number, reading in sorted(readings.items()):
            if isinstance(reading, Unread) and reading.magic is not None:
                self.skipped[number] = reading.magic
            elif isinstance(reading, Unread):
                self.unparseable[number] = reading.reason or ""
        # The code cells whose text imports from the target module.
        self.module_import_cells = tuple(module_import_cells)
        # Cells read only because the import may go there: the report speaks of
        # them only when an import is placed.
        self.read_for_import = frozenset(read_for_import)
        # The notebook's import cell: the editable code cell with most top-level imports.
        self.import_cell = import_cell if import_cell in self._readings else None
        if self.import_cell is not None:
            reading = self._readings[self.import_cell]
            if not reading.editable or not reading.facts.import_statements:
                self.import_cell = None
        self._index = _Index.of(self._readings.values())

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
        return _has_editable_definition(self._readings.values())

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
            if _is_inline_definition(binding)
        ]

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


def _code_cells(notebook: Notebook, test: Callable[[str], bool]) -> list[int]:
    return [
        cell.number for cell in notebook.cells if cell.cell_type == "code" and test(cell.source)
    ]


def _most_imports(notebook: Notebook) -> int | None:
    """The code cell (not a cell magic's) with most lines starting with an import, if any."""
    best, best_count = None, 0
    for cell in notebook.cells:
        if cell.cell_type != "code" or "import" not in cell.source:
            continue
        if cell_magic(cell.source) is not None:
            continue
        count = len(_IMPORT_LINE.findall("\n" + cell.source))
        if count > best_count:
            best, best_count = cell.number, count
    return best


def _has_editable_definition(readings: Iterable[CellReading | Unread]) -> bool:
    """Whether a cell holds a top-level `def` of a watched name that can be edited."""
    return any(
        isinstance(reading, CellReading)
        and reading.editable
        and any(_is_inline_definition(binding) for binding in reading.facts.bindings)
        for reading in readings
    )


@dataclass(frozen=True)
class _Index:
    bindings: Mapping[str, Sequence[Binding]]  # by name, in notebook order
    binding_positions: Mapping[str, Sequence[Position]]
    uses: Mapping[str, Sequence[Use]]  # by name, in notebook order
    unreadable: Mapping[str, Sequence[UnreadableUse]]  # by name, in cell order

    @classmethod
    def of(cls, readings: Iterable[CellReading]) -> _Index:
        """Every binding and use in the cells read, by name, in notebook order."""
        bindings: dict[str, list[Binding]] = defaultdict(list)
        uses: dict[str, list[Use]] = defaultdict(list)
        unreadable: dict[str, list[UnreadableUse]] = defaultdict(list)
        for reading in readings:
            for binding in reading.facts.bindings:
                bindings[binding.name].append(binding)
            for use in reading.facts.uses:
                uses[use.name].append(use)
            for unread in reading.facts.unreadable:
                unreadable[unread.name].append(unread)
        for found_bindings in bindings.values():
            found_bindings.sort(key=lambda event: event.position)
        for found_uses in uses.values():
            found_uses.sort(key=lambda event: event.position)
        positions = {
            name: [binding.position for binding in found] for name, found in bindings.items()
        }
        return cls(bindings, positions, uses, unreadable)

"""Reading a notebook as a program: which cells to read, each read once, then frozen.

`read_program` reads, before any rule runs, every cell the rules can ask
about (the definitions' cells first; the others only when a definition could
go) and what each definition reads from the notebook (`notebook_variables`),
then builds the `Program` (`program`), which the rules only query.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING

from nbrefactor.analysis.catalog import Catalog
from nbrefactor.analysis.cell_texts import CellTexts, cell_texts, most_imports
from nbrefactor.analysis.events import Binding
from nbrefactor.analysis.headers import HeaderReading, header_reading, stands_alone
from nbrefactor.analysis.line_magics import automagic_variables
from nbrefactor.analysis.mentions import Watched, watched
from nbrefactor.analysis.program import Program, is_inline_definition
from nbrefactor.analysis.reader import CellReading, Unread, read_cell
from nbrefactor.analysis.wildcard_lines import ipython_aliases
from nbrefactor.nbfile.notebook import Notebook

if TYPE_CHECKING:
    from pathlib import Path

    from nbrefactor.analysis.notebook_input import HiddenInput
    from nbrefactor.analysis.notebook_variables import NotebookVariables


@contextmanager
def _trees_left_alone() -> Iterator[None]:
    """No cyclic garbage collection while the cells are read, then what was read moved to
    the oldest generation, as mypy does while it loads its modules' trees (`build.py`).

    The syntax trees are kept until the rules are done and hold no cycle, so each
    collection only walked them all again: on a notebook of 10,000 definitions the
    collections grew faster than the notebook (20,000 took 2.0x to 2.6x the time of
    10,000). `gc.freeze()` then `gc.unfreeze()` puts every object in the oldest
    generation without walking it, where only a full collection walks it again, which
    CPython runs once the objects moved there since the last have grown by a quarter.
    """
    if not gc.isenabled():  # the caller's choice, or a reading inside a reading
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.enable()


@_trees_left_alone()
def read_program(
    notebook: Notebook,
    catalog: Catalog,
    defined: Mapping[int, Sequence[str]],
    earlier: Program | None = None,
    kept_by_own_text: Callable[[Binding], bool] | None = None,
    explains: bool = True,
    supplied: Mapping[int, CellReading] | None = None,
    folder: Path | None = None,
    file_name: str | None = None,
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
    is not asked. Nor can the other definitions of their names go (a name's
    definitions go together). When that leaves no editable definition, nothing
    can go: the cells the import may go into are not read, and the other cells
    could only change which reason is given first (a call that does not bind
    comes before the parameters) and add warnings about cells that do not
    parse: they are read only when the run `explains` what it kept; otherwise
    the program is the definitions' cells alone.

    In such a run (one that does not explain), the definitions' cells are
    first read from their headers alone (`headers`): when that shows nothing
    can go, the program is those headers, and no cell is read whole (the
    costliest being a cell that does not parse, read in pieces). When a
    header cannot stand for its definition, or a definition could go, the
    cells are read as above.

    `folder` is the notebook's (where `%run` finds the scripts it runs), and `file_name`
    its file's name (which the notebooks beside it may run), kept on the program for the
    rules; None when unknown.

    `earlier` is the program of the notebook before a migration (the safety
    check reads the result): every cell naming the names is read, and the
    reading of a cell whose text did not change is taken from it, and so is whether it
    names the names or imports from the module (only the changed cells are looked at
    again: a cell's text gives the same answer twice); a `supplied`
    reading is taken as it is (the safety check derives a changed cell's reading
    from its text, without parsing it).
    """
    names = {name for found in defined.values() for name in found}
    # The defined names and what they would be renamed to: nothing else is read.
    shells = ipython_aliases(cell.source for cell in notebook.cells if cell.cell_type == "code")
    watch = watched(
        frozenset(names) | {catalog.current_name(name) for name in names},
        catalog.module,
        shells,  # `ip = get_ipython()`, then `ip.push({...})`
    )

    def read(number: int) -> CellReading | Unread:
        if supplied is not None and number in supplied:
            return supplied[number]
        source = notebook.cells[number - 1].source
        if earlier is not None and earlier.cell(number).source == source:
            known = earlier.all_readings.get(number)
            if known is not None:
                return known
        earlier_texts = (  # lazily: asked only of a cell of one line naming a magic
            cell.source for cell in islice(notebook.cells, number - 1) if cell.cell_type == "code"
        )
        variables = automagic_variables(source, earlier_texts)  # `import pylab`, then `pylab`
        return read_cell(number, source, watch, whole_trees=False, variables=variables)

    def undecided(binding: Binding) -> bool:
        """Not kept from its own text alone: what the other cells hold may matter."""
        return kept_by_own_text is None or not kept_by_own_text(binding)

    if kept_by_own_text is not None and not explains and earlier is None and supplied is None:
        headers = _headers(notebook, defined, catalog.replaceable_names, kept_by_own_text)
        if headers is not None:
            return Program(
                notebook,
                catalog,
                defined,
                watch,
                headers,
                (),
                None,
                folder=folder,
                file_name=file_name,
            )

    readings = {number: read(number) for number in sorted(defined)}
    module_imports: list[int] = []
    import_cell = None
    for_import: set[int] = set()
    hidden: dict[Binding, tuple[HiddenInput, ...]] = {}
    variables: NotebookVariables | None = None
    texts = None
    editable = [
        binding for binding, reading in _inline_definitions(readings.values()) if reading.editable
    ]
    can_go = _could_go(editable, kept_by_own_text)
    if earlier is not None or can_go or (editable and explains):
        changed: set[int] = set()
        if earlier is not None:  # every changed code cell is compared with what it was
            changed = {
                cell.number
                for cell in notebook.cells
                if cell.cell_type == "code" and cell.source != earlier.cell(cell.number).source
            }
        texts = cell_texts(notebook, watch, _looked_with(earlier, watch), changed)
        naming = texts.naming
        module_imports = list(texts.module_imports)
        import_cell = most_imports(texts.import_lines)
        if can_go or earlier is not None:  # else nothing can go, and no import either
            for_import = {*module_imports, *([] if import_cell is None else [import_cell])}
            for_import -= {*defined, *naming}
        for number in sorted({*naming, *for_import, *changed} - readings.keys()):
            readings[number] = read(number)
        asked = [
            (binding, reading)
            for binding, reading in _inline_definitions(readings.values())
            if undecided(binding)
        ]
        if asked:
            variables = _variables(notebook, readings, earlier)
            hidden = _hidden_inputs(asked, variables, earlier, catalog)
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
        texts,
        folder,
        file_name,
    )


def _could_go(
    definitions: Sequence[Binding], kept_by_own_text: Callable[[Binding], bool] | None
) -> list[Binding]:
    """The editable definitions the rules may replace: not those kept from their own
    text, nor the other definitions of their names (a name's definitions go together)."""
    if kept_by_own_text is None:
        return list(definitions)
    kept = {binding.name for binding in definitions if kept_by_own_text(binding)}
    return [binding for binding in definitions if binding.name not in kept]


def _headers(
    notebook: Notebook,
    defined: Mapping[int, Sequence[str]],
    names: frozenset[str],
    kept_by_own_text: Callable[[Binding], bool],
) -> dict[int, CellReading | Unread] | None:
    """Each cell that defines a library name, read from its definitions' headers, when they
    show that nothing can go; None otherwise (the cells are then read whole).

    A notebook with a definition to replace gives up on its headers cheaply: at the
    first header that the library's parameters fit, unless a definition of its name
    read before stays, or a later cell defines its name again (that one may stay, and
    keep this one with it: a notebook that kept its own version after the library's
    often shows both), and before the costlier check that each header stands for a
    definition (`stands_alone` parses the text before a doubtful `def`).
    """
    staying: set[str] = set()
    last_cell = {name: number for number in sorted(defined) for name in defined[number]}

    def could_go(binding: Binding) -> bool:
        if kept_by_own_text(binding):
            staying.add(binding.name)
            return False
        later = last_cell.get(binding.name, 0) > binding.position.cell
        return binding.name not in staying and not later

    found: dict[int, HeaderReading] = {}
    for number in sorted(defined):
        source = notebook.cells[number - 1].source
        header = header_reading(number, source, names, could_go)
        if header is None:
            return None
        found[number] = header
    readings = [header.reading for header in found.values()]
    definitions = [binding for binding, _ in _inline_definitions(readings)]
    if _could_go(definitions, kept_by_own_text):
        return None
    for number, header in found.items():
        if not stands_alone(notebook.cells[number - 1].source, header.doubtful):
            return None
    return {number: header.reading for number, header in found.items()}


def _variables(
    notebook: Notebook, readings: Mapping[int, CellReading | Unread], earlier: Program | None
) -> NotebookVariables:
    """Where the notebook binds its variables, asked through the cells already read."""
    # Imported here, as `hidden_inputs` below: a run that asks no definition what it reads
    # (every one kept for its parameters) never needs them.
    from nbrefactor.analysis.notebook_variables import NotebookVariables

    def known(number: int) -> CellReading | None:
        reading = readings.get(number)
        return reading if isinstance(reading, CellReading) else None

    before = None if earlier is None else earlier.variables
    return NotebookVariables(notebook, known, before)


def _hidden_inputs(
    asked: Sequence[tuple[Binding, CellReading]],
    variables: NotebookVariables,
    earlier: Program | None,
    catalog: Catalog,
) -> dict[Binding, tuple[HiddenInput, ...]]:
    """The notebook variables each inline definition asked about reads, its cells read once
    more at most.

    A definition in a cell the migration left unchanged (the same reading, so the same
    binding) reads what it read before: a migration removes `def`s and adds an import,
    neither of which binds a notebook variable (and the safety check compares every
    other statement of the changed cells).
    """
    from nbrefactor.analysis import hidden_inputs
    from nbrefactor.analysis.notebook_imports import NotebookImports

    known = {} if earlier is None else earlier.hidden_inputs
    imports = NotebookImports(variables.notebook, catalog.replaceable_names)
    return {
        binding: known[binding]
        if binding in known
        else hidden_inputs.definition_hidden_inputs(
            binding, reading, variables, (catalog.function_for(binding.name), imports)
        )
        for binding, reading in asked
    }


def _inline_definitions(
    readings: Iterable[CellReading | Unread],
) -> Iterator[tuple[Binding, CellReading]]:
    """Each inline definition read, with the reading of its cell."""
    for reading in readings:
        if isinstance(reading, CellReading):
            for binding in reading.facts.bindings:
                if is_inline_definition(binding):
                    yield binding, reading


def _looked_with(earlier: Program | None, watch: Watched) -> CellTexts | None:
    """What `earlier` found in the cells' text, when it looked for the same watched names."""
    if earlier is None or earlier.texts is None:
        return None
    same = earlier.watched.names == watch.names and earlier.watched.module == watch.module
    return earlier.texts if same else None

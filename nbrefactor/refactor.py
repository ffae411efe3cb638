"""The migration of one notebook, as a pure function of its contents.

`refactor(notebook, config, catalog)` knows nothing of files, terminals or
click: it returns the new source of every cell it changes and a report of
what it did, kept and could not read. The pipeline, in order:

1. gate: a Python notebook whose text `def`s a library name;
2. read the notebook as a program (`analysis.program_reader.read_program`): the
   cells that hold the definitions and, when one could go, every cell the rules
   can ask about; the program is then frozen;
3. apply the rules (`rules`): replace or keep each definition, renames, the import;
   every definition is kept when the import would bind another module
   (`shadowed`: one of the library's name beside the notebook, in a folder it
   searches first, or installed);
4. edit the cells (`edit`) and check the edits (`safety`), under --check too;
5. bump the version and add a changelog entry (`rules.version`), when code changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from nbrefactor import messages
from nbrefactor.analysis.catalog import Catalog
from nbrefactor.analysis.mentions import defined_in
from nbrefactor.config import Config, Mode
from nbrefactor.messages import Finding, NotebookReport
from nbrefactor.nbfile.notebook import Notebook
from nbrefactor.value_base import ValueBase

if TYPE_CHECKING:
    from pathlib import Path

    from nbrefactor import reasons
    from nbrefactor.analysis.import_search import FoundThrough
    from nbrefactor.analysis.program import Program
    from nbrefactor.rules import Decisions


@dataclass(frozen=True, eq=False, repr=False)
class Result(ValueBase):
    """The new source of each changed cell and the report: what `refactor` hands back to be written."""

    new_sources: Mapping[int, str]  # cell number -> new source, only for changed cells
    report: NotebookReport = field(default_factory=NotebookReport)
    decided_change: bool = False  # --check: there are edits, their sources not returned

    @property
    def changed(self) -> bool:
        return bool(self.new_sources) or self.decided_change


class CannotEdit(Exception):
    """A cell that must change cannot be edited safely; the message says which and why."""


class UnsafeMigration(Exception):
    """The safety check refused the edits built (a bug); the message names the cell."""


def refactor(
    notebook: Notebook,
    config: Config,
    catalog: Catalog,
    shadowed: Callable[[tuple[int, int] | None], reasons.ModuleShadowed | None] | None = None,
    found_only_beside: bool = False,
    folder: Path | None = None,
    found_only_from: Callable[[], FoundThrough | None] | None = None,
    file_name: str | None = None,
    beside: Callable[[tuple[int, int] | None], reasons.SiblingNotBound | None] | None = None,
) -> Result:
    """Replace inline definitions of the catalog's functions with an import.

    With `shadowed` saying so (the notebook's folder, one it searches first by the
    import's place, given as (cell, statement), or the installed packages hold another
    module of the library's name, which the import would bind), every definition is kept;
    it is asked only when a definition would be replaced (it reads the folders).
    `found_only_beside`: the module read lies in the notebook's folder and is not
    installed, so a new import must run before any change of the working folder
    (`rules.working_folder`). `folder`: the notebook's, where the scripts it runs
    (`%run setup.py`) are found; None when unknown (they are not read).
    `found_only_from`: where the notebook's code first puts the module on the path
    (`sys.path.append("../src")`; cell, statement), when nothing else finds it: a new
    import must come after it, and after no line that may take it out again (`%cd -`). `file_name`: the notebook's, which the notebooks beside it
    may run (`%run common.ipynb`); None when unknown (they are not read). `beside`: a module
    of the library's folder it imports that the kernel finds elsewhere by the import's place,
    asked only when a new import line would be added.
    """
    language = notebook.language
    if language not in (None, "python"):
        return Result({}, NotebookReport(notes=(messages.not_python_notebook(language),)))
    analysed = _analyse(notebook, catalog, config.explains, folder, file_name)
    if analysed is None:
        return Result({})
    program, decisions = analysed
    if not decisions.definitions.replaced:
        return Result({}, _report(program, decisions))
    placement = decisions.import_decision
    edit = placement.edit if placement is not None else None
    place = (
        None if edit is None or placement is None else (placement.cell or 0, edit.statement_index)
    )
    found = shadowed(place) if shadowed is not None else None
    if found is not None:
        return Result({}, _all_kept(program, decisions, found))
    sibling = beside(place) if beside is not None and edit is not None and not edit.merge else None
    if sibling is not None:
        return Result({}, _all_kept(program, decisions, sibling))
    from nbrefactor.rules.cached_module import stale_import

    stale = stale_import(program, shadowed, place)
    if stale is not None:
        return Result({}, _all_kept(program, decisions, stale))
    from nbrefactor.rules.module_written import module_written

    written = module_written(notebook, catalog.module_file)
    if written is not None:
        return Result({}, _all_kept(program, decisions, written))
    if found_only_beside and placement is not None and placement.edit is not None:
        from nbrefactor import reasons
        from nbrefactor.rules.working_folder import folder_changed_before

        edit = placement.edit
        changed = (
            None
            if edit.merge
            else folder_changed_before(program, placement.cell or 0, edit.statement_index)
        )
        if changed is not None:
            cell, line = changed
            moved = reasons.FolderChanged(cell, line, placement.cell or 0, catalog.module)
            return Result({}, _all_kept(program, decisions, moved))
    if found_only_from is not None and placement is not None and placement.edit is not None:
        edit = placement.edit
        through = None if edit.merge else found_only_from()
        place = (placement.cell or 0, edit.statement_index)
        if through is not None:
            from nbrefactor import reasons

            if place <= through.added_at:
                later = reasons.FoundOnlyLater(through.added_at[0], place[0], catalog.module)
                return Result({}, _all_kept(program, decisions, later))
            # Round 60a F1: `os.chdir(HERE)` after `os.chdir("..")`, above the import's place
            undo = next((u for u in through.undone if (u.cell, u.statement) < place), None)
            if undo is not None:
                out = reasons.FolderTakenOut(undo.cell, undo.line, place[0], catalog.module)
                return Result({}, _all_kept(program, decisions, out))
    # Only now the edits: a notebook that keeps every definition needs none.
    from nbrefactor.edits.edit import EditError, edited_sources
    from nbrefactor.rules.version import version_update
    from nbrefactor.safety import InternalCheckFailed, check_migration

    # The decisions become edits (`edits.edit`), applied and checked (`safety`)
    # in every mode, so that --check's exit code is the one migrating would give:
    # --check asks whether there are edits and whether they apply, and returns
    # no source.
    try:
        new_sources = edited_sources(program, decisions)
    except EditError as error:
        raise CannotEdit(str(error)) from None
    try:
        check_migration(program, decisions, new_sources)
    except InternalCheckFailed as error:
        raise UnsafeMigration(str(error)) from None

    replaced = dict.fromkeys(
        (replacement.name, program.catalog.current_name(replacement.name))
        for replacement in decisions.definitions.replaced
    )
    update, version_note = version_update(notebook, config, list(replaced), catalog.module)
    if update is not None:
        new_sources[update.cell] = update.source
    report = _report(program, decisions, version_note)
    if config.mode is Mode.CHECK and not config.show_diff:
        return Result({}, report, decided_change=bool(new_sources))
    return Result(new_sources, report)


def _analyse(
    notebook: Notebook,
    catalog: Catalog,
    explains: bool,
    folder: Path | None = None,
    file_name: str | None = None,
) -> tuple[Program, Decisions] | None:
    """Read the notebook as a program and apply the rules; None when it defines no library name.

    Unless the run `explains` what it kept, a notebook whose definitions all
    stay whatever the other cells hold is read no further than their cells.
    """
    defined = defined_names(notebook, catalog)
    if not defined:
        return None
    # Only now the analysis: most notebooks of a run over a migrated project stop above.
    from nbrefactor.analysis.program_reader import read_program
    from nbrefactor.rules import decide
    from nbrefactor.rules.parameters import kept_for_parameters

    # A definition whose parameters are not the library's is kept whatever the
    # other cells hold: what it reads from the notebook is not asked.
    program = read_program(
        notebook,
        catalog,
        defined,
        kept_by_own_text=kept_for_parameters(catalog),
        explains=explains,
        folder=folder,
        file_name=file_name,
    )
    return program, decide(program)


def defined_names(notebook: Notebook, catalog: Catalog) -> dict[int, list[str]]:
    """Cell number -> the library names its text seems to `def`, from the text alone."""
    names = catalog.replaceable_names
    found: dict[int, list[str]] = {}
    for cell in notebook.cells:
        source = cell.source
        # A substring test first: most cells hold no `def`, and a call costs more than the
        # test. Then `defined_in`, which skips from `def` to `def` (faster than a test per name).
        if cell.cell_type != "code" or "def" not in source:
            continue
        defined = defined_in(source, names)
        if defined:
            found[cell.number] = defined
    return found


def _all_kept(program: Program, decisions: Decisions, reason: reasons.KeptReason) -> NotebookReport:
    """The report with each replaced definition kept for `reason` instead, in cell order,
    and no import."""
    report = _report(program, replace(decisions, import_decision=None))
    kept = [messages.kept(found.name, found.cell, reason) for found in report.replaced]
    ordered = sorted((*kept, *report.kept), key=lambda found: found.cell)
    return replace(report, replaced=(), kept=_once(ordered))


def _report(
    program: Program, decisions: Decisions, version_note: str | None = None
) -> NotebookReport:
    """What happened, in the order it is shown: definitions, cells, the import, the version."""
    definitions = decisions.definitions
    kept_cells = {item.cell for item in definitions.kept}
    decided_cells = kept_cells | {replacement.binding.cell for replacement in definitions.replaced}
    import_placed = decisions.import_decision is not None and decisions.import_decision.cell
    # Cells that were not read, or read in pieces, and hold no definition the
    # report already speaks of; a cell read only because the import could go
    # there, only when an import goes somewhere.
    unspoken = set() if import_placed else program.read_for_import
    notes = [
        messages.skipped_cell(number, magic)
        for number, magic in sorted(program.skipped.items())
        if number not in kept_cells and number not in unspoken
    ]
    warnings = [
        messages.unparseable_cell(number, reason)
        for number, reason in sorted(program.unparseable.items())
        if number not in kept_cells and number not in unspoken
    ]
    warnings += [
        messages.read_in_pieces(reading.facts.cell, reading.error)
        for reading in program.readings()
        if reading.error is not None
        and reading.facts.cell not in decided_cells
        and reading.facts.cell not in unspoken
    ]
    replaced = _once(
        messages.replaced(replacement.name, replacement.binding.cell, replacement.reasons)
        for replacement in definitions.replaced
    )
    kept = _once(messages.kept(item.name, item.cell, item.reason) for item in definitions.kept)
    if decisions.import_decision is not None:
        notes.append(decisions.import_decision.note)
        warnings.extend(decisions.import_decision.warnings)
    if version_note is not None:
        notes.append(version_note)
    return NotebookReport(replaced, kept, tuple(notes), tuple(warnings))


def _once(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Each line once, in order: `@overload` stubs and the function they type, in one
    cell and kept for one reason, are one line, as `extract` names each place once."""
    return tuple(dict.fromkeys(findings))

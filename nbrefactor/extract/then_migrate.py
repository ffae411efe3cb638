"""`extract --migrate`: `migrate --module FILE` on the same notebooks, in the same run and report.

With `--dry-run` and `--check` the module is not written, so the catalog is
read from the module as extract would leave it: a copy in a temporary folder,
under the module's own file name (which gives the import name).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from nbrefactor.analysis.catalog import Catalog, CatalogError, NoPublicFunctions, load_catalog
from nbrefactor.analysis.module_path import forget_folders
from nbrefactor.analysis.path_changes import path_changers_beside
from nbrefactor.config import Bump, Config, current_time
from nbrefactor.config import Mode as MigrateMode
from nbrefactor.extract.import_name import import_name, settings_import_name
from nbrefactor.extract.migrate_keeps import KeptDefinition, kept_everywhere
from nbrefactor.extract.next_step import unreachable
from nbrefactor.extract.output import ExtractPrinter
from nbrefactor.extract.report import MigrateOutcomes, outcome_key
from nbrefactor.extract.run import ExtractRun, Mode, Readings, run_extract
from nbrefactor.import_reasons import KeptForImport
from nbrefactor.messages import Finding
from nbrefactor.migration import Outcome
from nbrefactor.output import RunInfo
from nbrefactor.project import ProjectRoot, Settings
from nbrefactor.report import RunReport
from nbrefactor.run import import_warning
from nbrefactor.same_function_reasons import KeptWithOther
from nbrefactor.workers import process_all

_MODES = {Mode.WRITE: MigrateMode.WRITE, Mode.DRY_RUN: MigrateMode.DRY_RUN}


def migrate_extracted(
    run: ExtractRun,
    notebooks: Sequence[Path],
    root: ProjectRoot,
    settings: Settings,
    printer: ExtractPrinter,
    verbose: bool,
) -> int:
    """Migrate the notebooks to the module `run` wrote (or would write); migrate's exit code.

    The version bump and changelog come from the settings, as for `migrate`
    without flags. A migration that would write an import some notebook's kernel
    cannot find is refused (exit 2): `then_migrate.foresee` asked it before the
    module was written; `--dry-run` and `--check` say so after their report.
    """
    assert run.change is not None
    if run.change.new is None:  # nothing extracted, no module: nothing to migrate to
        return 0
    mode = _MODES.get(run.mode, MigrateMode.CHECK)
    if run.change.written:
        _forget_searches()
    with tempfile.TemporaryDirectory() as folder:
        catalog = _catalog(run, notebooks, Path(folder), printer, settings)
        if isinstance(catalog, int):
            return catalog
        config = _config(settings, mode, verbose, printer.quiet, printer.show_diff)
        migrate_printer = printer.migrate_printer(config)
        module_file = Path(os.path.abspath(run.change.path))  # as `migrate` says it
        info = RunInfo(root.path, root.found_by, settings.file, catalog.module, module_file)
        migrate_printer.start(info, [])
        report = RunReport(mode)
        migrated = []
        for outcome in process_all(list(notebooks), config, catalog):
            report.add(outcome)
            migrate_printer.outcome(outcome)
            if outcome.report.replaced:
                migrated.append(outcome)
        lost = [outcome.path for outcome in migrated if not outcome.import_found]
        if lost and mode is not MigrateMode.WRITE:
            migrate_printer.finish(report)
            printer.migrated()
            printer.error(str(run.change.path), unreachable(catalog.module, lost))
            return 2
        warning = import_warning(catalog.module, migrated)  # found no more since the check
        if warning is not None:
            migrate_printer.run_warning(warning)
        migrate_printer.finish(report)
        printer.migrated()
    return report.exit_code


@dataclass(frozen=True)
class Foresight:
    """What migrate to the module would do, from a dry run of it (nothing written)."""

    # Each definition's outcome, for extract's report to say; None when migrate cannot run
    # (no module, or one migrate cannot read: its run says why).
    outcomes: MigrateOutcomes | None = None
    # The notebooks whose definitions it would replace and whose kernel would not find it,
    # neither beside them, nor installed, nor in a folder their code adds to where imports
    # are found (sweep 25 X2: a module written above `nb/` broke `nb/a.ipynb`); none when a
    # notebook could not be read. `--migrate` then writes nothing; `extract` alone gives
    # no next step (`next_step.unreachable_next_step`).
    lost: tuple[Path, ...] = ()
    module: str = ""  # the module's import name
    # The notebooks (absolute paths) it would make import the module, for which the module's
    # imports are guarded (`optional.optional_imports`); None: not known (no dry run).
    importers: frozenset[str] | None = None


def foresee(
    readings: Readings,
    to: Path,
    mode: Mode,
    names: Collection[str],
    places: Collection[tuple[str, int]],
    notebooks: Sequence[Path],
    settings: Settings,
) -> tuple[ExtractRun, Foresight, Mapping[str, str]]:
    """The run planned (in WRITE mode, as a dry run: not written yet), what migrate to its
    module would do, and the helpers migrate would keep in every place, which are then not
    extracted (`unmoved`, with why; round 49c F4: kalepy's module held a `func` no notebook
    would import). Planned again without them until none is left: each round leaves out
    more or ends. Its imports are guarded for the notebooks the dry run makes import the
    module (round 59b F6.2: a notebook whose copy migrate keeps was said to run the import
    by importing the module), and so are the helpers left out for a package some importer
    lacks (round 61b F6: left out for a notebook whose copy migrate keeps, then extracted
    by a second run): planned again with those, until every notebook the dry run
    makes import it was one of them (they only grow: each round ends or adds one)."""
    unmoved: dict[str, str] = {}
    importers: frozenset[str] | None = None
    planned = Mode.DRY_RUN if mode is Mode.WRITE else mode
    last: tuple[str | None, tuple[str, list[Outcome]]] | None = None  # module text, its dry run
    while True:
        run = run_extract(
            readings, to, planned, names, places, unmoved=unmoved, importers=importers
        )
        private = _private(run, names, unmoved)
        if private:  # before the dry run: a module of private helpers alone has none
            unmoved |= private
            continue
        # A notebook that could not be read fails in the dry run too, and says nothing of the
        # others (re-check 31: the report fell back to foreseeing them).
        text = None if run.change is None else run.change.new
        dry = last[1] if last is not None and last[0] == text else None
        if dry is None:  # the module's text is what the last dry run read: its outcomes
            dry = _dry_run(run, notebooks, settings, verbose=True)
        if dry is None:
            return run, Foresight(), unmoved
        last = text, dry
        module, outcomes = dry
        findings = _findings(outcomes)
        more = {
            name: found
            for name, found in _kept_everywhere(run, findings).items()
            if name not in unmoved
        }
        # Those kept for a reason of their own first: one kept only because another helper
        # is (`NBR232`: one import cannot serve both) may move once that one is left out
        # (sktime's `fetch_fred` beside `stats`).
        if not more:
            importing = frozenset(
                os.path.abspath(outcome.path) for outcome in outcomes if outcome.report.replaced
            )
            # Guarded or left out for notebooks that may not import the module after all.
            for_importers = run.plan is not None and bool(run.plan.guarded or run.plan.left_out)
            if (importers is None and not for_importers) or (
                importers is not None and importing <= importers
            ):
                break
            importers = importing if importers is None else importers | importing
            continue
        own = {name: reason for name, (reason, is_own) in more.items() if is_own}
        unmoved |= own or {name: reason for name, (reason, _) in more.items()}
    found = {key: None if kept is None else kept.reason for key, kept in findings.items()}
    lost = (
        ()
        if run.failed
        else tuple(o.path for o in outcomes if o.report.replaced and not o.import_found)
    )
    return run, Foresight(found, lost, module, importers), unmoved


def _private(run: ExtractRun, names: Collection[str], unmoved: Mapping[str, str]) -> dict[str, str]:
    """The private helpers (`_sq`) extracted, not named (`--name`), not yet left out: migrate
    replaces only public functions, so each copy would stay, beside a module function no
    notebook imports (round 52a); one another helper moving needs still goes in
    (`plan_problems.unmoved_problem`)."""
    return {
        decision.name: _PRIVATE_HELPER
        for decision in (run.plan.extracted if run.plan is not None else [])
        if decision.name.startswith("_") and decision.name not in names
        if decision.name not in unmoved
    }


_PRIVATE_HELPER = (
    "migrate replaces only public functions, and no helper moved needs it (a name without"
    " the leading underscore moves)"
)


def _findings(outcomes: Sequence[Outcome]) -> dict[tuple[str, int, str], Finding | None]:
    """What the dry run did with each definition, by `outcome_key`: the finding keeping it,
    or None where it replaced it."""
    found: dict[tuple[str, int, str], Finding | None] = {}
    for outcome in outcomes:
        for replaced in outcome.report.replaced:
            found[outcome_key(outcome.path, replaced.cell, replaced.name)] = None
        for kept in outcome.report.kept:
            found[outcome_key(outcome.path, kept.cell, kept.name)] = kept
    return found


def _kept_everywhere(
    run: ExtractRun, findings: Mapping[tuple[str, int, str], Finding | None]
) -> dict[str, tuple[str, bool]]:
    """The extracted helpers whose every definition the dry run keeps, each with why (a place
    kept for a reason of its own, not only because another definition of its name is, or
    another helper's use cannot be served by the import) and whether there is such a place."""
    found = {}
    for decision in run.plan.extracted if run.plan is not None else []:
        definitions = decision.helper.definitions
        places = []
        for definition in definitions:
            finding = findings.get(outcome_key(definition.path, definition.cell, definition.name))
            if finding is not None:
                derived = finding.code in _DERIVED
                places.append(
                    KeptDefinition(definition.path, definition.cell, finding.reason, derived)
                )
        reason = kept_everywhere(definitions, places)
        if reason is not None:
            found[decision.name] = (reason, any(not place.together for place in places))
    return found


# Kept only because of another definition: of its name (`NBR224`), or of another helper,
# whose uses the one import cannot serve (`NBR232`).
_DERIVED = frozenset({KeptWithOther.code, KeptForImport.code})


def _dry_run(
    run: ExtractRun, notebooks: Sequence[Path], settings: Settings, *, verbose: bool
) -> tuple[str, list[Outcome]] | None:
    """The import name of the module `run` leaves, and the outcomes of `migrate --check`
    to it; None when there is no module, or one migrate cannot read."""
    if run.module_error is not None or run.change is None or run.change.new is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        catalog = _catalog(run, notebooks, Path(folder), None, settings)
        if isinstance(catalog, int):
            return None
        config = _config(settings, MigrateMode.CHECK, verbose, True)
        return catalog.module, list(process_all(list(notebooks), config, catalog))


def _catalog(
    run: ExtractRun,
    notebooks: Sequence[Path],
    folder: Path,
    printer: ExtractPrinter | None,
    settings: Settings,
) -> Catalog | int:
    """The catalog of the module as `run` leaves it: read from a copy in `folder` when it is
    not written (yet), standing for the file it will be; else the exit code, said. Imported
    by the settings' `import-name` when their `module` is that file, as `migrate` does."""
    assert run.change is not None and run.change.new is not None
    module_file = run.change.path
    if not run.change.written and run.change.changed:
        module_file = folder / run.change.path.name
        module_file.write_text(run.change.new, encoding=run.change.encoding)
    try:
        catalog = load_catalog(
            str(module_file),
            import_name=settings_import_name(run.change.path, settings)
            or import_name(run.change.path, notebooks),
            stands_for=run.change.path,
        )
    except CatalogError as error:
        if printer is None:
            return 2
        # Its message names the file read, which may be a temporary copy.
        why = str(error).removeprefix(f"{module_file}: ")
        if isinstance(error, NoPublicFunctions):
            # Only private helpers (`_fmt`), or none that can be read (a `def` in a `try`'s
            # fallback), in it: migrate replaces public ones. Its words say which (round 57b:
            # "has no public function" followed "left f alone: already in helpers.py").
            printer.note(f"nothing to migrate: {run.change.path} {why}")
            return 0
        printer.error(str(run.change.path), why)
        return 2
    # The file the notebooks are to import: the one a copy stands for, or the one just written
    # (where a search of its folder made before it was written found nothing: `_beside`).
    return replace(catalog, written_as=Path(os.path.abspath(run.change.path)))


def _forget_searches() -> None:
    """What the folders held before the module was written, remembered by the searches that
    `foresee` made (`found_only_in` decides where the import may go): they hold
    it now."""
    forget_folders()
    path_changers_beside.cache_clear()


def _config(
    settings: Settings, mode: MigrateMode, verbose: bool, quiet: bool, show_diff: bool = False
) -> Config:
    return Config(
        bump=Bump(settings.bump or "patch"),
        changelog=None if settings.bump == "none" else settings.changelog,
        now=current_time(),
        mode=mode,
        show_diff=show_diff or mode is MigrateMode.DRY_RUN,
        verbose=verbose,
        quiet=quiet,
        jobs=settings.jobs or os.cpu_count() or 1,
    )

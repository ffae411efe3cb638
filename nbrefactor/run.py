"""One `migrate` run over the notebooks found: process them, report each, survive Ctrl-C.

Everything before this only reads options and settings; here notebooks are
found, read and written (in worker processes for several), each outcome is
printed as it comes, and the `RunReport` is what the command line ends with.
Knows nothing of click.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbrefactor.analysis.catalog import Catalog
    from nbrefactor.config import Config
    from nbrefactor.discovery import Exclusions
    from nbrefactor.migration import Outcome
    from nbrefactor.output import Printer, RunInfo
    from nbrefactor.report import RunReport


def run_migration(
    paths: Sequence[Path],
    rules: Exclusions,
    config: Config,
    catalog: Catalog,
    printer: Printer,
    info: RunInfo,
) -> RunReport:
    """Find the notebooks, migrate them, print each outcome: the report of the run.

    Everything before only reads settings; from here on notebooks are read and
    written. Ctrl-C and SIGTERM leave no temporary file and end the run with
    every notebook written so far reported, including those a worker wrote
    without its outcome coming back (`written`).
    """
    from nbrefactor import messages, written
    from nbrefactor.discovery import find_notebooks
    from nbrefactor.interrupts import Interrupted, handle_signals
    from nbrefactor.messages import NotebookReport
    from nbrefactor.migration import Outcome, Status
    from nbrefactor.nbfile.disk import signals_held
    from nbrefactor.report import RunReport
    from nbrefactor.workers import process_all

    # The notebooks are read as far as what the printer shows needs.
    config = replace(config, explains=printer.explains)
    report = RunReport(config.mode)
    notebooks: list[Path] = []
    finished: set[str] = set()  # the notebooks whose outcome was counted
    restore = handle_signals()
    if config.writes:
        written.start()
    processed = None
    try:
        discovery = find_notebooks(paths, rules)
        printer.start(info, discovery.excluded)
        notebooks = [entry for entry in discovery.entries if isinstance(entry, Path)]
        processed = process_all(notebooks, config, catalog)
        migrated = []
        for entry in discovery.entries:
            outcome = next(processed) if isinstance(entry, Path) else entry
            printer.outcome(outcome)
            with signals_held():  # counted once: here, or from the journal if interrupted
                report.add(outcome)
                if isinstance(entry, Path):
                    finished.add(str(entry))
            if outcome.report.replaced:
                migrated.append(outcome)
        warning = import_warning(catalog.module, migrated)
        if warning is not None:
            printer.run_warning(warning)
    except Interrupted as stop:
        restore()
        for path in written.paths():
            if path not in finished:
                finished.add(path)
                # What it replaced was lost with the worker: said, so that an empty `replaced`
                # (JSON) or annotation (GitHub) does not read as "nothing" (round 60b F5).
                lost = NotebookReport(notes=(messages.written_unreported(),))
                outcome = Outcome(Path(path), Status.CHANGED, lost)
                report.add(outcome)
                printer.outcome(outcome)
        report.interrupt(stop.signum, len(finished), len(notebooks))
    finally:
        restore()
        if processed is not None:
            processed.close()
        written.stop()
    return report


def import_warning(module: str, migrated: Sequence[Outcome]) -> str | None:
    """One warning when the import written into the notebooks cannot be found from their folder,
    nor from a folder their own code adds to where imports are found (`Outcome.import_found`)."""
    from nbrefactor import messages

    notebooks = [outcome.path for outcome in migrated if not outcome.import_found]
    lost = sorted({Path(os.path.abspath(path)).parent for path in notebooks})
    if not lost:
        return None
    shown = os.path.relpath(lost[0]) if lost[0].is_relative_to(Path.cwd()) else lost[0]
    return messages.import_not_found(module, shown, len(notebooks), len(lost) - 1)

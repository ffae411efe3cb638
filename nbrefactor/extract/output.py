"""What `extract` prints, in `migrate`'s three formats, through functions the CLI hands in.

- `text`: `--list` on stdout (it is the answer); an extraction's lines, the
  module line and the next step on stderr, the module's diff on stdout.
- `json`: one document on stdout at the end; with `--migrate`, migrate's own
  document under `"migrate"`.
- `github`: workflow commands on stdout, as migrate's: errors, and with
  `--check` a module that would change, fail the job (`::error`); a skipped
  helper is a warning, a module `--dry-run` would change a warning and one
  written a notice; the rest as text on stderr. -q keeps only the errors.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from nbrefactor import messages
from nbrefactor.config import Config
from nbrefactor.extract.module_io import module_diff
from nbrefactor.extract.next_step import next_command
from nbrefactor.extract.report import (
    MigrateOutcomes,
    ModuleChange,
    extraction_json,
    extraction_lines,
    list_json,
    list_lines,
    list_summary,
    module_line,
    skipped_line,
)
from nbrefactor.extract.run import ExtractRun, Mode
from nbrefactor.output import (
    OutputFormat,
    Printer,
    json_text,
    make_printer,
    workflow_command,
)

Write = Callable[[str], None]


def _module_warnings(change: ModuleChange) -> tuple[str, ...]:
    """What the report warns of the module's write: the other hard links it split, as
    migrate's report does for a notebook (round 64 U4: nothing was said)."""
    if not change.written or change.links < 2:
        return ()
    return (messages.hard_links_split(change.links, notebook=False),)


class ExtractPrinter:
    def __init__(
        self,
        output_format: str,
        quiet: bool,
        out: Write,
        err: Write,
        diff: Write,
        show_diff: bool = False,
    ) -> None:
        self.format = OutputFormat(output_format)
        self.quiet = quiet and self.format is not OutputFormat.JSON
        self.out, self.err, self.diff = out, err, diff
        # `--check --diff`: the diff too, as migrate and black show it (sweep 29); --dry-run
        # alone shows it anyway.
        self.show_diff = show_diff
        self.document: dict[str, object] = {"version": 1, "command": "extract", "errors": []}
        self._migrate_output: list[str] = []

    def error(self, path: str, reason: str) -> None:
        if self.format is OutputFormat.JSON:
            errors = self.document["errors"]
            assert isinstance(errors, list)
            errors.append({"path": path, "reason": reason})
        elif self.format is OutputFormat.GITHUB:
            self.out(workflow_command("error", path, "nbrefactor cannot extract", reason))
        else:
            self.err(f"error: {path}: {reason}")

    def note(self, line: str) -> None:
        """A line about the run, in the text it is told in (not in JSON: the document shows it
        by what it lacks)."""
        if self.format is not OutputFormat.JSON and not self.quiet:
            self.err(line)

    def extraction(
        self,
        run: ExtractRun,
        paths: Sequence[Path],
        next_step_shown: bool,
        outcomes: MigrateOutcomes | None = None,
        module_in_settings: bool = False,
        not_found: str | None = None,
        selection: Sequence[str] = (),
    ) -> None:
        """`outcomes`: what a dry run of migrate to the module does with each definition,
        which the report then says (`then_migrate.foresee`); `module_in_settings`:
        the settings' `module` is the file, which the next step then leaves to them;
        `not_found`: said instead of the next step, which would break a notebook;
        `selection`: the options that chose the notebooks and settings, for the next step."""
        self.document["mode"] = run.mode.value
        for path, reason in run.readings.failures:
            self.error(str(path), reason)
        if run.module_error is not None:
            self.error(str(run.to), run.module_error)
        plan = run.plan
        if plan is None:
            return
        if run.mode is Mode.LIST:
            self._list(run)
            return
        change = run.change
        if change is None:
            return
        diff = module_diff(change.path, change.old, change.new or "") if change.changed else ""
        # Not written, though it would change: a notebook could not be read, or the module
        # could not be written (its error said why; no `would write`, no next step after it).
        not_written = change.changed and not change.written and run.mode is Mode.WRITE
        not_written = not_written or (bool(run.readings.failures) and change.changed)
        command = None
        if next_step_shown and plan.extracted and not not_written and not_found is None:
            notebooks = [Path(reading.path) for reading in run.readings.notebooks]
            command = next_command(change.path, paths, module_in_settings, selection, notebooks)
        warnings = _module_warnings(change)
        if self.format is OutputFormat.JSON:
            self.document["extraction"] = extraction_json(
                plan, change, diff or None, outcomes, not_found, command, warnings
            )
            return
        if (run.mode is Mode.DRY_RUN or self.show_diff) and diff:
            self.diff(diff)
        if self.format is OutputFormat.GITHUB and change.changed and not not_written:
            level = {Mode.CHECK: "error", Mode.DRY_RUN: "warning"}.get(run.mode, "notice")
            if level == "error" or not self.quiet:
                title = "nbrefactor extract " + ("wrote" if change.written else "would write")
                self.out(
                    workflow_command(level, str(change.path), title, module_line(plan, change))
                )
        if self.quiet:
            return
        if self.format is OutputFormat.GITHUB:
            # As migrate's: annotations on stdout, on the notebook they are about (the first
            # defining the helper), and only the summary on stderr (CLI sweep 27).
            for decision in plan.decisions:
                if not decision.already and not decision.extractable:
                    where = str(decision.helper.definitions[0].path)
                    title = "nbrefactor extract skipped"
                    self.out(workflow_command("warning", where, title, skipped_line(decision)))
        else:
            for line in extraction_lines(plan, change, outcomes):
                self.err(line)
        if not_written and run.readings.failures:
            self.err(f"{change.path} not written: a notebook could not be read")
        elif not_written:
            self.err(f"{change.path} not written")
        else:
            self.err(module_line(plan, change))
        for warning in warnings:
            if self.format is OutputFormat.GITHUB:
                title = "nbrefactor warning"
                self.out(workflow_command("warning", str(change.path), title, warning))
            else:
                self.err(f"warning: {change.path}: {warning}")
        if next_step_shown and plan.extracted and not not_written:  # no module to migrate to
            if not_found is not None:
                self.err(f"warning: {not_found}")
            elif command is not None:
                self.err(f"next: {command}")

    def _list(self, run: ExtractRun) -> None:
        assert run.plan is not None
        if self.format is OutputFormat.JSON:
            self.document["helpers"] = list_json(run.plan)
            return
        for line in list_lines(run.plan, run.to):
            self.out(line)
        if not self.quiet:
            self.err(list_summary(run.plan, len(run.readings.notebooks)))

    def migrate_printer(self, config: Config) -> Printer:
        """migrate's own printer; in JSON its document is kept to go under `"migrate"`."""
        if self.format is OutputFormat.JSON:
            return make_printer(
                self.format, config, self._migrate_output.append, self.err, self.diff
            )
        return make_printer(self.format, config, self.out, self.err, self.diff)

    def migrated(self) -> None:
        """After the migration: in JSON, its document goes under `"migrate"`."""
        if self._migrate_output:
            self.document["migrate"] = json.loads("".join(self._migrate_output))

    def finish(self, exit_code: int) -> None:
        if self.format is OutputFormat.JSON:
            self.document["exit_code"] = exit_code
            self.out(json_text(self.document))

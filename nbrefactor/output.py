"""What a run prints, in the three formats `--output-format` offers.

- `text`, for people: diffs on stdout; per notebook a headline and its
  report lines, then the summary, on stderr.
- `json`, for scripts: one document on stdout once the run is over (the
  README documents its schema).
- `github`, for GitHub Actions: workflow commands (`::error file=...::`) on
  stdout, which the runner turns into annotations on the pull request.

The printers write through the functions the CLI hands them, so this module
knows nothing of click or the terminal (colour is the CLI's business).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from nbrefactor import messages
from nbrefactor.config import Config, Mode
from nbrefactor.discovery import Excluded
from nbrefactor.messages import Finding
from nbrefactor.migration import Outcome, Status
from nbrefactor.report import RunReport, details, has_details, headline
from nbrefactor.value_base import ValueBase

Write = Callable[[str], None]
JSON_SCHEMA_VERSION = 1


def json_text(document: object) -> str:
    """`document` as JSON in UTF-8 text, other characters as themselves, but a file name's
    undecodable byte (a lone surrogate, `bad\\udcff.ipynb`) written as its escape: written raw,
    it made the whole document invalid UTF-8, which `json.load` rejects (round 70b). The
    escape reads back as the same surrogate, which `os.fsencode` turns into the same byte."""
    return (
        json.dumps(document, indent=2, ensure_ascii=False)
        .encode("utf-8", "backslashreplace")
        .decode("utf-8")
    )


class OutputFormat(Enum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


@dataclass(frozen=True, eq=False, repr=False)
class RunInfo(ValueBase):
    """Where the run's settings came from, for `-v` and the JSON document."""

    project_root: Path
    found_by: str
    settings_file: Path | None
    module: str
    module_file: Path | None


class Printer:
    """The text format; the others change what is printed, not when."""

    shows_kept_reasons = False  # whether --check without -v says why a definition is kept

    def __init__(self, config: Config, out: Write, err: Write, diff: Write) -> None:
        self.config = config
        self.out = out
        self.err = err
        self.diff = diff

    @property
    def explains(self) -> bool:
        """Whether an unchanged notebook's report is shown: why each definition was kept, and
        which cells could not be read (`Config.explains`)."""
        config = self.config
        return not config.quiet and (config.mode is not Mode.CHECK or config.verbose)

    def start(self, info: RunInfo, excluded: list[Excluded]) -> None:
        """Before the first notebook: with -v, where the settings came from and what was left out."""
        if not self.config.verbose or self.config.quiet:
            return
        self.err(f"project root: {info.project_root} ({info.found_by})")
        self.err(f"configuration: {info.settings_file or 'none'}")
        self.err(f"module: {info.module} ({info.module_file or 'file unknown'})")
        for item in excluded:
            self.err(f"excluded {item.path} ({item.reason})")

    def outcome(self, outcome: Outcome) -> None:
        config = self.config
        if outcome.status is Status.FAILED:
            self.err(headline(outcome, config.mode))
            for line in details(outcome):
                self.err(f"  {line}")
            return
        for diff in outcome.diffs:
            self.diff(diff)
        if config.quiet:
            return
        changed = outcome.status is Status.CHANGED
        show_details = has_details(outcome) and (config.mode is not Mode.CHECK or config.verbose)
        if changed or show_details or config.verbose:
            self.err(headline(outcome, config.mode))
        if show_details:
            for line in details(outcome):
                self.err(f"  {line}")

    def run_warning(self, warning: str) -> None:
        """A warning about the run as a whole, before the summary."""
        if not self.config.quiet:
            self.err(f"warning: {warning}")

    def finish(self, report: RunReport) -> None:
        config = self.config
        if config.quiet:
            return
        quiet_about_kept = config.mode is Mode.CHECK and not config.verbose
        if report.kept and quiet_about_kept and not self.shows_kept_reasons:
            self.err(messages.kept_summary(report.kept))
        self.err(report.summary())


class JsonPrinter(Printer):
    """Collects everything and prints one document at the end; -q and -v change nothing."""

    def __init__(self, config: Config, out: Write, err: Write, diff: Write) -> None:
        super().__init__(config, out, err, diff)
        self.document: dict[str, object] = {"version": JSON_SCHEMA_VERSION}
        self.notebooks: list[dict[str, object]] = []
        self.warnings: list[str] = []

    @property
    def explains(self) -> bool:
        return True  # every report, whatever -q and -v say

    def start(self, info: RunInfo, excluded: list[Excluded]) -> None:
        self.document.update(
            {
                "mode": self.config.mode.value,
                "project_root": str(info.project_root),
                "configuration": None if info.settings_file is None else str(info.settings_file),
                "module": {
                    "name": info.module,
                    "file": None if info.module_file is None else str(info.module_file),
                },
                "notebooks": self.notebooks,
                "excluded": [{"path": str(item.path), "reason": item.reason} for item in excluded],
                "warnings": self.warnings,
            }
        )

    def run_warning(self, warning: str) -> None:
        self.warnings.append(warning)

    def outcome(self, outcome: Outcome) -> None:
        report = outcome.report
        self.notebooks.append(
            {
                "path": str(outcome.path),
                "status": outcome.status.value,
                "written": outcome.status is Status.CHANGED and self.config.writes,
                "replaced": [_finding_json(found) for found in report.replaced],
                "kept": [_finding_json(found) for found in report.kept],
                "notes": list(report.notes),
                "warnings": list(report.warnings),
                "error": outcome.error,
                "diffs": list(outcome.diffs),
            }
        )

    def finish(self, report: RunReport) -> None:
        self.document["summary"] = {
            "changed": report.changed,
            "unchanged": report.unchanged,
            "failed": report.failed,
            "text": report.summary(),
        }
        self.document["exit_code"] = report.exit_code
        self.out(json_text(self.document))


class GithubPrinter(Printer):
    """Workflow commands on stdout; the summary on stderr, so the log still ends with it.

    What fails the job is an error (a notebook that could not be processed,
    and with --check one that would change); a kept definition and a warning
    are warnings; a notebook `--dry-run` would change is a warning and one
    migrated in place a notice. -q keeps only the errors.
    """

    shows_kept_reasons = True  # each kept definition is a warning annotation

    @property
    def explains(self) -> bool:
        return not self.config.quiet  # a warning annotation for each kept definition

    def outcome(self, outcome: Outcome) -> None:
        config = self.config
        path = str(outcome.path)
        if outcome.status is Status.FAILED:
            self.out(
                workflow_command("error", path, "nbrefactor cannot migrate", outcome.error or "")
            )
        elif outcome.status is Status.CHANGED:
            for diff in outcome.diffs:
                self.diff(diff)
            level, title = {
                Mode.CHECK: ("error", "nbrefactor would migrate"),
                Mode.DRY_RUN: ("warning", "nbrefactor would migrate"),
                Mode.WRITE: ("notice", "nbrefactor migrated"),
            }[config.mode]
            lines = [*(found.message for found in outcome.report.replaced), *outcome.report.notes]
            if level == "error" or not config.quiet:
                self.out(workflow_command(level, path, title, "\n".join(lines)))
        if config.quiet:
            return
        for found in outcome.report.kept:
            title = f"nbrefactor kept {found.name} (cell {found.cell})"
            self.out(workflow_command("warning", path, title, found.reason))
        for warning in outcome.report.warnings:
            self.out(workflow_command("warning", path, "nbrefactor warning", warning))

    def start(self, info: RunInfo, excluded: list[Excluded]) -> None:
        """Nothing: the annotations are the output."""

    def run_warning(self, warning: str) -> None:
        if not self.config.quiet:
            self.out(workflow_command("warning", None, "nbrefactor warning", warning))


def make_printer(
    output_format: OutputFormat, config: Config, out: Write, err: Write, diff: Write
) -> Printer:
    printer = {
        OutputFormat.TEXT: Printer,
        OutputFormat.JSON: JsonPrinter,
        OutputFormat.GITHUB: GithubPrinter,
    }[output_format]
    return printer(config, out, err, diff)


def _finding_json(found: Finding) -> dict[str, object]:
    return {
        "name": found.name,
        "cell": found.cell,
        "code": found.code,
        "detail_codes": list(found.detail_codes),
        "reason": found.reason,
        "message": found.message,
    }


def workflow_command(level: str, file: str | None, title: str, message: str) -> str:
    """A GitHub Actions workflow command, escaped as the runner's toolkit escapes it; with no
    `file`, an annotation of the run rather than of a file."""
    where = "" if file is None else f"file={_property(file)},"
    return f"::{level} {where}title={_property(title)}::{_data(message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")

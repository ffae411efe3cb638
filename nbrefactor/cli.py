"""The `nbrefactor` command line.

The click group and `migrate`'s options: this module, `options.py` and
`extract_command.py` are the only ones that know about click and the
terminal. `migrate` takes the project and its settings (`options.py`),
builds the one `Config`, locates the catalog and hands the run over the
notebooks to `run.py`, printing in the format asked for (`output.py`).
Imports stay light: matplotlib, torch and the target module are never imported.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from nbrefactor.config import Bump
from nbrefactor.extract_command import extract
from nbrefactor.options import (
    FORMATS,
    PATTERN,
    checked_import_name,
    echo_diff,
    echo_err,
    echo_out,
    module_catalog,
    paths_and_config,
)

if TYPE_CHECKING:
    import re

    from nbrefactor.project import ProjectRoot, Settings

# `nbrefactor --help` imports nothing but click: everything else (the settings
# file, pathspec, nbformat) is imported inside `migrate`, when there is work to do.
_DEFAULT_MODULE = "viz_utils"


class _StoppedEarly(BaseException):
    """Ctrl-C before the run's own handling (`interrupts`): not click's KeyboardInterrupt,
    which it turns into exit 1."""


def _stop_early(signum: int, frame: object) -> None:
    raise _StoppedEarly


class _Group(click.Group):
    """click's group, listing each command with its whole one-line description.

    click cuts the description to what fits beside the command name on one
    line (`Replace inline definitions of a package's functions in...`);
    here the definition list wraps it instead, as `--help` does for options.
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """click's main, ending with exit 2 when a stream the run wrote to could not be written
        (a full disk, an I/O error: `options.output_lost`), after saying so on standard error if
        it still can: exit 0 or 1 would say that all was reported. A signal's exit code stays
        (round 60b F2). A reader closing a pipe is the reader's choice and changes nothing."""
        from nbrefactor.options import output_lost, start_output

        start_output()
        try:
            return self._main(*args, **kwargs)
        except SystemExit as stop:
            lost = output_lost()
            if not lost:
                raise
            from nbrefactor import messages

            for name, reason in lost.items():
                echo_err(f"error: {messages.output_lost(name, reason)}")
            if stop.code in (0, 1, None):
                sys.exit(2)
            raise

    def _main(self, *args: Any, **kwargs: Any) -> Any:
        """click's main, where Ctrl-C before the run handles it (reading the settings, the
        module) exits 130, as after; click's own exit code, 1, is --check's "would change"
        (CLI sweep 29). Nothing is written yet at that point."""
        import signal

        if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
            return super().main(*args, **kwargs)  # ignored, or handled by whoever runs us
        try:
            signal.signal(signal.SIGINT, _stop_early)
        except ValueError:  # not the main thread (a test running the command in one)
            return super().main(*args, **kwargs)
        try:
            return super().main(*args, **kwargs)
        except _StoppedEarly:
            from nbrefactor import messages

            echo_err(messages.aborted())
            sys.exit(130)
        finally:
            signal.signal(signal.SIGINT, signal.default_int_handler)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    None, "-V", "--version", package_name="notebook-helper-migrate", prog_name="nbrefactor"
)
def main() -> None:
    """Replace helper functions pasted into Jupyter notebooks with imports.

    Settings can also be given in pyproject.toml under [tool.nbrefactor],
    found at the project root of the paths given; command-line flags take
    precedence.
    """


@main.command()
@paths_and_config
@click.option(
    "--dry-run",
    "--diff",
    "dry_run",
    is_flag=True,
    help="Print a diff of every changed cell; write nothing (--diff: the same, as in black and ruff).",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any notebook would change.")
@click.option(
    "--module",
    "module_name",
    metavar="NAME",
    default=_DEFAULT_MODULE,
    show_default=True,
    help=(
        "Package or module (import name, or path to a package folder or .py file) whose "
        "public functions replace inline definitions."
    ),
)
@click.option(
    "--import-name",
    metavar="NAME",
    callback=lambda ctx, param, value: checked_import_name(value),
    help="The name the notebooks import the module by [default: for a path, its dotted"
    " name from the top of its package].",
)
@click.option(
    "--bump",
    type=click.Choice([bump.value for bump in Bump]),
    default="patch",
    show_default=True,
    help="Which part of the notebook's title version to bump when code changes.",
)
@click.option(
    "--changelog",
    metavar="TEXT",
    help="Changelog entry text (default: names the replaced functions).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for several notebooks [default: all cores].",
)
@click.option(
    "--exclude",
    metavar="REGEX",
    type=PATTERN,
    help="Skip files and folders whose path matches, in place of the default excludes"
    " (venv, build, dist, node_modules, ...).",
)
@click.option(
    "--extend-exclude",
    metavar="REGEX",
    type=PATTERN,
    help="Skip files and folders whose path matches, on top of the excludes.",
)
@click.option(
    "--force-exclude/--no-force-exclude",
    default=None,
    help="Apply the excludes and .gitignore to paths given explicitly too (for pre-commit).",
)
@click.option(
    "--output-format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people, json for scripts, github for GitHub Actions annotations.",
)
@click.option(
    "--color/--no-color",
    default=None,
    help="Colour diffs [default: when stdout is a terminal; NO_COLOR and FORCE_COLOR are honoured].",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also list unchanged notebooks, details with --check, the settings used and what was excluded.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors (and diffs with --dry-run).")
@click.pass_context
def migrate(
    ctx: click.Context,
    paths: tuple[Path, ...],
    project: tuple[ProjectRoot, Settings],
    dry_run: bool,
    check: bool,
    module_name: str,
    import_name: str | None,
    bump: str,
    changelog: str | None,
    jobs: int | None,
    exclude: re.Pattern[str] | None,
    extend_exclude: re.Pattern[str] | None,
    force_exclude: bool | None,
    output_format: str,
    color: bool | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Replace inline definitions of a package's functions in notebooks (files or folders).

    \b
    Exit codes: 0 nothing to do or all written; 1 --check found notebooks
    that would change; 2 usage error or a notebook could not be processed;
    130, 143 and 129 stopped by Ctrl-C, SIGTERM and SIGHUP.
    """
    import gc
    import signal

    # Importing what a run needs, then reading the catalog and the notebooks, makes many
    # small objects (functions, classes, syntax trees) that form no cycles; at CPython's
    # default threshold the cycle collector walks the growing heap every 700 allocations.
    # mypy raises it the same way.
    gc.set_threshold(50_000, 50, 100)

    from nbrefactor import messages
    from nbrefactor.config import Config, Mode, colour_choice, current_time
    from nbrefactor.discovery import Exclusions
    from nbrefactor.output import OutputFormat, RunInfo, make_printer
    from nbrefactor.run import run_migration

    root, settings = project
    from_command_line = click.core.ParameterSource.COMMANDLINE
    if changelog is not None and not changelog.strip():
        # As the settings' `changelog`: "" wrote the default entry, "  " an empty bullet.
        raise click.UsageError("--changelog needs a non-blank text (the changelog entry)")
    if bump == "none" and changelog is not None:
        if ctx.get_parameter_source("changelog") is from_command_line:
            raise click.UsageError(
                "--changelog has no effect with --bump none (no version, no changelog entry)"
            )
        changelog = None  # the settings' entry, for runs that bump
    rules = Exclusions.from_options(root.path, exclude, extend_exclude, force_exclude)
    module_source = ctx.get_parameter_source("module_name")
    from_settings = click.core.ParameterSource.DEFAULT_MAP
    if (
        module_source is from_command_line
        and ctx.get_parameter_source("import_name") is from_settings
    ):
        import_name = None  # the settings' import-name belongs to the settings' module
    catalog = module_catalog(
        module_name, import_name, settings if module_source is from_settings else None
    )
    if check:
        mode = Mode.CHECK
    elif dry_run:
        mode = Mode.DRY_RUN
    else:
        mode = Mode.WRITE
    config = Config(
        bump=Bump(bump),
        changelog=changelog,
        now=current_time(),
        mode=mode,
        show_diff=dry_run,
        color=colour_choice(color),
        verbose=verbose,
        quiet=quiet,
        jobs=jobs or os.cpu_count() or 1,
    )
    printer = make_printer(
        OutputFormat(output_format),
        config,
        out=echo_out,
        err=echo_err,
        diff=lambda text: echo_diff(text, config.color),
    )
    info = RunInfo(
        project_root=root.path,
        found_by=root.found_by,
        settings_file=settings.file,
        module=catalog.module,
        module_file=None
        if catalog.source_file is None
        else Path(os.path.abspath(catalog.source_file)),
    )
    report = run_migration(paths, rules, config, catalog, printer, info)
    printer.finish(report)
    if report.stopped_by == signal.SIGINT and output_format != "json":
        echo_err(messages.aborted())  # JSON: nothing on stderr (CLI sweep 27)
    ctx.exit(report.exit_code)


main.add_command(extract)

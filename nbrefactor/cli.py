"""The `nbrefactor` command line.

Only this module knows about click and the terminal. It finds the project
and its settings (`project.py`), builds the one `Config`, locates the
catalog, finds the notebooks (`discovery.py`), runs `process_notebook` over
them (in worker processes for several notebooks) and prints what the
`RunReport` collects in the format asked for (`output.py`). Imports stay
light: matplotlib, torch and the target module are never imported.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from nbrefactor.config import Bump

if TYPE_CHECKING:
    import re

    from nbrefactor.analysis.catalog import Catalog
    from nbrefactor.config import Config
    from nbrefactor.discovery import Exclusions
    from nbrefactor.output import Printer, RunInfo
    from nbrefactor.project import ProjectRoot, Settings
    from nbrefactor.report import RunReport

# `nbrefactor --help` imports nothing but click: everything else (the settings
# file, pathspec, nbformat) is imported inside `migrate`, when there is work to do.
_FORMATS = ("text", "json", "github")
_DEFAULT_MODULE = "viz_utils"


class _PatternType(click.ParamType):
    """An exclude regular expression; a pattern from the settings is already compiled."""

    name = "regex"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> re.Pattern[str]:
        import re

        from nbrefactor.project import compile_pattern

        if isinstance(value, re.Pattern):
            return value
        try:
            return compile_pattern(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


_PATTERN = _PatternType()


class _FileError(click.ClickException):
    """A settings file that cannot be used: one line, `error: FILE: reason`, exit 2."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)


class _Group(click.Group):
    """click's group, listing each command with its whole one-line description.

    click cuts the description to what fits beside the command name on one
    line (`Replace inline definitions of a package's functions in...`);
    here the definition list wraps it instead, as `--help` does for options.
    """

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


_Command = TypeVar("_Command", bound=Callable[..., Any])


def _paths_and_config(command: _Command) -> _Command:
    """The paths first (eager), then --config, which reads the settings into
    ctx.default_map before any other option takes its default: see _read_settings.
    Both commands take them so."""
    command = click.option(
        "--config",
        "project",
        metavar="FILE",
        type=click.Path(path_type=Path),
        callback=lambda ctx, param, value: _read_settings(ctx, value),
        help="Read [tool.nbrefactor] from this TOML file instead of the project's pyproject.toml.",
    )(command)
    return click.argument(
        "paths", nargs=-1, required=True, is_eager=True, type=click.Path(path_type=Path)
    )(command)


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
@_paths_and_config
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
    default=_DEFAULT_MODULE,
    show_default=True,
    help="Package (import name or folder path) whose public functions replace inline definitions.",
)
@click.option(
    "--import-name",
    metavar="NAME",
    callback=lambda ctx, param, value: _import_name(value),
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
    type=_PATTERN,
    help="Skip files and folders whose path matches, in place of the default excludes"
    " (venv, build, dist, node_modules, ...).",
)
@click.option(
    "--extend-exclude",
    metavar="REGEX",
    type=_PATTERN,
    help="Skip files and folders whose path matches, on top of the excludes.",
)
@click.option(
    "--force-exclude/--no-force-exclude",
    default=None,
    help="Apply the excludes and .gitignore to paths given explicitly too (for pre-commit).",
)
@click.option(
    "--output-format",
    type=click.Choice(_FORMATS),
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
    that would change; 2 usage error or a notebook could not be processed.
    """
    import signal

    from nbrefactor import messages
    from nbrefactor.config import Config, Mode, colour_choice, current_time
    from nbrefactor.discovery import DEFAULT_EXCLUDE, Exclusions
    from nbrefactor.output import OutputFormat, RunInfo, make_printer
    from nbrefactor.project import repository_top

    root, settings = project
    from_command_line = click.core.ParameterSource.COMMANDLINE
    if bump == "none" and changelog is not None:
        if ctx.get_parameter_source("changelog") is from_command_line:
            raise click.UsageError(
                "--changelog has no effect with --bump none (no version, no changelog entry)"
            )
        changelog = None  # the settings' entry, for runs that bump
    rules = Exclusions(
        root=root.path,
        gitignore_top=repository_top(root.path),
        exclude=exclude or DEFAULT_EXCLUDE,
        extend_exclude=extend_exclude,
        force_exclude=bool(force_exclude),
    )
    module_source = ctx.get_parameter_source("module_name")
    from_settings = click.core.ParameterSource.DEFAULT_MAP
    if (
        module_source is from_command_line
        and ctx.get_parameter_source("import_name") is from_settings
    ):
        import_name = None  # the settings' import-name belongs to the settings' module
    catalog = _catalog(
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
        out=click.echo,
        err=lambda text: click.echo(text, err=True),
        diff=lambda text: _echo_diff(text, config.color),
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
    report = _run(paths, rules, config, catalog, printer, info)
    printer.finish(report)
    if report.stopped_by == signal.SIGINT:
        click.echo(messages.aborted(), err=True)
    ctx.exit(report.exit_code)


def _run(
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
    from nbrefactor import written
    from nbrefactor.discovery import find_notebooks
    from nbrefactor.interrupts import Interrupted, handle_signals
    from nbrefactor.migration import Outcome, Status
    from nbrefactor.nbfile.disk import signals_held
    from nbrefactor.report import RunReport
    from nbrefactor.workers import process_all

    report = RunReport(config.mode)
    notebooks: list[Path] = []
    finished: set[str] = set()  # the notebooks whose outcome was counted
    restore = handle_signals()
    if config.writes:
        written.start()
    processed = None
    try:
        # Reading notebooks makes many small objects (syntax trees) that form no
        # cycles; at CPython's default threshold the cycle collector walks the
        # growing heap every 700 allocations. mypy raises it the same way.
        gc.set_threshold(50_000, 50, 100)
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
                migrated.append(outcome.path)
        warning = _import_warning(catalog.module, migrated)
        if warning is not None:
            printer.run_warning(warning)
    except Interrupted as stop:
        restore()
        for path in written.paths():
            if path not in finished:
                finished.add(path)
                outcome = Outcome(Path(path), Status.CHANGED)
                report.add(outcome)
                printer.outcome(outcome)
        report.interrupt(stop.signum, len(finished), len(notebooks))
    finally:
        restore()
        if processed is not None:
            processed.close()
        written.stop()
    return report


def _read_settings(ctx: click.Context, config_file: Path | None) -> tuple[ProjectRoot, Settings]:
    """The project root of the paths, and its settings as the defaults of the other options.

    As black's `read_pyproject_toml`: the settings from --config or the
    root's pyproject.toml go into `ctx.default_map`, so that click gives an
    option the setting's value unless the flag is given; no merge code.
    """
    from nbrefactor.project import Settings, SettingsError, find_project_root, load_settings

    paths = ctx.params.get("paths", ())
    try:
        root = find_project_root(paths, settings_given=config_file is not None)
        if config_file is not None:
            settings = load_settings(config_file, required=True)
        elif root.pyproject is not None:
            settings = load_settings(root.pyproject, required=False)
        else:
            settings = Settings()
    except SettingsError as error:
        raise _FileError(str(error)) from None
    defaults = {
        "module_name": settings.module,
        "import_name": settings.import_name,
        "bump": settings.bump,
        "changelog": settings.changelog,
        "jobs": settings.jobs,
        "exclude": settings.exclude,
        "extend_exclude": settings.extend_exclude,
        "force_exclude": settings.force_exclude,
        "to": None if settings.extract_to is None else Path(settings.extract_to),  # extract
    }
    ctx.default_map = {
        **{name: value for name, value in defaults.items() if value is not None},
        **(ctx.default_map or {}),
    }
    return root, settings


def _import_name(value: str | None) -> str | None:
    if value is not None and not all(part.isidentifier() for part in value.split(".")):
        raise click.BadParameter(
            f"{value!r} is not a dotted module name", param_hint="'--import-name'"
        )
    return value


def _catalog(module: str, import_name: str | None, settings: Settings | None) -> Catalog:
    """The catalog of the module from --module, the settings (`settings` given) or viz_utils.

    --module is read as typed, from the current folder. A module in the
    settings is the project's: a path there is already absolute, and a name
    is looked up first in the settings file's folder, then as --module would be.
    """
    from nbrefactor.analysis.catalog import CatalogError, load_catalog

    search_path = None if settings is None else settings.search_path()
    try:
        return load_catalog(module, search_path, import_name)
    except CatalogError as error:
        if settings is not None:
            raise _FileError(f"{settings.file}: [tool.nbrefactor] module: {error}") from None
        raise click.BadParameter(str(error), param_hint="'--module'") from None


def _import_warning(module: str, notebooks: Sequence[Path]) -> str | None:
    """One warning when the import written into the notebooks cannot be found from their folder."""
    from nbrefactor import messages
    from nbrefactor.analysis.catalog import importable_from

    folders = {Path(os.path.abspath(path)).parent for path in notebooks}
    lost = sorted(folder for folder in folders if not importable_from(module, folder))
    if not lost:
        return None
    count = sum(1 for path in notebooks if Path(os.path.abspath(path)).parent in lost)
    shown = os.path.relpath(lost[0]) if lost[0].is_relative_to(Path.cwd()) else lost[0]
    return messages.import_not_found(module, shown, count)


def _echo_diff(diff: str, color: bool | None) -> None:
    styled = []
    for line in diff.splitlines():
        if line.startswith(("---", "+++")):
            styled.append(click.style(line, bold=True))
        elif line.startswith("@@"):
            styled.append(click.style(line, fg="cyan"))
        elif line.startswith("+"):
            styled.append(click.style(line, fg="green"))
        elif line.startswith("-"):
            styled.append(click.style(line, fg="red"))
        else:
            styled.append(line)
    click.echo("\n".join(styled), color=color)


# -- extract ---------------------------------------------------------------------


@main.command()
@_paths_and_config
@click.option("--list", "list_only", is_flag=True, help="List the helpers found; change nothing.")
@click.option(
    "--to",
    "to",
    metavar="FILE",
    type=click.Path(path_type=Path),
    help="The module file to create or extend (required without --list; `extract-to` in settings).",
)
@click.option(
    "--name",
    "names",
    metavar="NAME",
    multiple=True,
    help="Extract this helper (repeatable; then one definition is enough).",
)
@click.option(
    "--from",
    "from_places",
    metavar="PATH:CELL",
    multiple=True,
    help="Extract the variant defined there (repeatable).",
)
@click.option(
    "--dry-run", "--diff", "dry_run", is_flag=True, help="Print the module's diff; write nothing."
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the module would change.")
@click.option(
    "--migrate", "then_migrate", is_flag=True, help="Then run migrate --module FILE on the paths."
)
@click.option("--exclude", metavar="REGEX", type=_PATTERN, help="As for migrate.")
@click.option("--extend-exclude", metavar="REGEX", type=_PATTERN, help="As for migrate.")
@click.option("--force-exclude/--no-force-exclude", default=None, help="As for migrate.")
@click.option("--output-format", type=click.Choice(_FORMATS), default="text", show_default=True)
@click.option("--color/--no-color", default=None, help="Colour diffs.")
@click.option("-v", "--verbose", is_flag=True, help="With --migrate: as for migrate.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors (and diffs).")
@click.pass_context
def extract(
    ctx: click.Context,
    paths: tuple[Path, ...],
    project: tuple[ProjectRoot, Settings],
    list_only: bool,
    to: Path | None,
    names: tuple[str, ...],
    from_places: tuple[str, ...],
    dry_run: bool,
    check: bool,
    then_migrate: bool,
    exclude: re.Pattern[str] | None,
    extend_exclude: re.Pattern[str] | None,
    force_exclude: bool | None,
    output_format: str,
    color: bool | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Turn helpers pasted into several notebooks into a module (then: migrate).

    \b
    Exit codes: 0 nothing to do or written; 1 --check: the module would
    change; 2 usage error, or a notebook or the module could not be read.
    """
    from nbrefactor.config import colour_choice
    from nbrefactor.discovery import DEFAULT_EXCLUDE, Exclusions, find_notebooks
    from nbrefactor.extract.run import Mode, parse_place, read_notebooks, run_extract
    from nbrefactor.project import repository_top

    root, settings = project
    if to is None and not list_only:
        raise click.UsageError("give the module file with --to FILE (or --list)")
    if list_only and (then_migrate or dry_run or check):
        raise click.UsageError(
            "--list changes nothing: it takes no --migrate, --dry-run or --check"
        )
    places = []
    for text in from_places:
        try:
            place, cell = parse_place(text)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="'--from'") from None
        places.append((os.path.realpath(place), cell))
    rules = Exclusions(
        root=root.path,
        gitignore_top=repository_top(root.path),
        exclude=exclude or DEFAULT_EXCLUDE,
        extend_exclude=extend_exclude,
        force_exclude=bool(force_exclude),
    )
    # From here on files are read and the module written: Ctrl-C and SIGTERM
    # leave no temporary file, as for migrate.
    from nbrefactor.interrupts import handle_signals

    ctx.call_on_close(handle_signals())
    discovery = find_notebooks(paths, rules)
    notebooks = [entry for entry in discovery.entries if isinstance(entry, Path)]
    readings = read_notebooks(notebooks)
    readings.failures[:0] = [
        (entry.path, entry.error or "")
        for entry in discovery.entries
        if not isinstance(entry, Path)
    ]
    from nbrefactor.extract.plan import unknown_choice

    problem = unknown_choice(readings.notebooks, names, places)
    if problem is not None:
        option, message = problem
        raise click.BadParameter(message, param_hint=f"'{option}'")
    if list_only:
        mode = Mode.LIST
    elif check:
        mode = Mode.CHECK
    elif dry_run:
        mode = Mode.DRY_RUN
    else:
        mode = Mode.WRITE
    run = run_extract(readings, to or Path("module.py"), mode, frozenset(names), frozenset(places))
    from nbrefactor.extract.output import ExtractPrinter

    printer = ExtractPrinter(
        output_format,
        quiet=quiet,
        out=click.echo,
        err=lambda text: click.echo(text, err=True),
        diff=lambda text: _echo_diff(text, colour_choice(color)),
    )
    printer.extraction(run, paths, next_step_shown=not then_migrate)
    exit_code = run.exit_code
    if then_migrate and not run.failed and run.change is not None:
        from nbrefactor.extract.then_migrate import migrate_extracted

        migrated = migrate_extracted(run, notebooks, root, settings, printer, verbose)
        exit_code = max(exit_code, migrated)
    printer.finish(exit_code)
    ctx.exit(exit_code)

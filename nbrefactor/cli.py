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
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    import re

    from nbrefactor.analysis.catalog import Catalog
    from nbrefactor.project import ProjectRoot, Settings

# `nbrefactor --help` imports nothing but click: everything else (the settings
# file, pathspec, nbformat) is imported inside `migrate`, when there is work to do.
_BUMPS = ("patch", "minor", "major", "none")
_FORMATS = ("text", "json", "github")
_DEFAULT_MODULE = "viz_utils"


class _FileError(click.ClickException):
    """A settings file that cannot be used: one line, `error: FILE: reason`, exit 2."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print a diff of every changed cell; write nothing.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any notebook would change.")
@click.option(
    "--module",
    "module_name",
    default=_DEFAULT_MODULE,
    show_default=True,
    help="Package (import name or folder path) whose public functions replace inline definitions.",
)
@click.option(
    "--bump",
    type=click.Choice(_BUMPS),
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
    help="Skip files and folders whose path matches, in place of the default excludes"
    " (venv, build, dist, node_modules, ...).",
)
@click.option(
    "--extend-exclude",
    metavar="REGEX",
    help="Skip files and folders whose path matches, on top of the excludes.",
)
@click.option(
    "--force-exclude/--no-force-exclude",
    default=None,
    help="Apply the excludes and .gitignore to paths given explicitly too (for pre-commit).",
)
@click.option(
    "--config",
    "config_file",
    metavar="FILE",
    type=click.Path(path_type=Path),
    help="Read [tool.nbrefactor] from this TOML file instead of the project's pyproject.toml.",
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
    dry_run: bool,
    check: bool,
    module_name: str,
    bump: str,
    changelog: str | None,
    jobs: int | None,
    exclude: str | None,
    extend_exclude: str | None,
    force_exclude: bool | None,
    config_file: Path | None,
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
    from nbrefactor.config import Bump, Config, Mode, colour_choice, current_time
    from nbrefactor.discovery import DEFAULT_EXCLUDE, Exclusions, find_notebooks
    from nbrefactor.output import OutputFormat, RunInfo, make_printer
    from nbrefactor.project import repository_top
    from nbrefactor.report import RunReport

    root, settings = _project(paths, config_file)

    def given(name: str) -> bool:
        """Whether the flag was given, so that it wins over the settings file."""
        return ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT

    if not given("bump") and settings.bump is not None:
        bump = settings.bump
    if bump == "none" and changelog is not None:
        raise click.UsageError(
            "--changelog has no effect with --bump none (no version, no changelog entry)"
        )
    if changelog is None and bump != "none":
        changelog = settings.changelog
    if jobs is None:
        jobs = settings.jobs
    if force_exclude is None:
        force_exclude = bool(settings.force_exclude)
    rules = Exclusions(
        root=root.path,
        gitignore_top=repository_top(root.path),
        exclude=_pattern("--exclude", exclude) or settings.exclude or DEFAULT_EXCLUDE,
        extend_exclude=_pattern("--extend-exclude", extend_exclude) or settings.extend_exclude,
        force_exclude=force_exclude,
    )
    catalog = _catalog(module_name if given("module_name") else None, settings)
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
    # Everything above only reads settings; from here on notebooks are read and
    # written: Ctrl-C and SIGTERM leave no temporary file and exit 130 and 143.
    from nbrefactor.interrupts import handle_signals

    ctx.call_on_close(handle_signals())
    # Reading notebooks makes many small objects (syntax trees) that form no
    # cycles; at CPython's default threshold the cycle collector walks the
    # growing heap every 700 allocations. mypy raises it the same way.
    gc.set_threshold(50_000, 50, 100)
    discovery = find_notebooks(paths, rules)
    printer.start(
        RunInfo(
            project_root=root.path,
            found_by=root.found_by,
            settings_file=settings.file,
            module=catalog.module,
            module_file=None
            if catalog.source_file is None
            else Path(os.path.abspath(catalog.source_file)),
        ),
        discovery.excluded,
    )
    notebooks = [entry for entry in discovery.entries if isinstance(entry, Path)]
    from nbrefactor.workers import process_all

    processed = process_all(notebooks, config, catalog)
    report = RunReport(mode)
    for entry in discovery.entries:
        outcome = next(processed) if isinstance(entry, Path) else entry
        report.add(outcome)
        printer.outcome(outcome)
    printer.finish(report)
    ctx.exit(report.exit_code)


def _project(paths: Sequence[Path], config_file: Path | None) -> tuple[ProjectRoot, Settings]:
    """The project root of the paths, and the settings from --config or the root's pyproject.toml."""
    from nbrefactor.project import Settings, SettingsError, find_project_root, load_settings

    try:
        root = find_project_root(paths, settings_given=config_file is not None)
        if config_file is not None:
            return root, load_settings(config_file, required=True)
        if root.pyproject is not None:
            return root, load_settings(root.pyproject, required=False)
    except SettingsError as error:
        raise _FileError(str(error)) from None
    return root, Settings()


def _pattern(option: str, text: str | None) -> re.Pattern[str] | None:
    from nbrefactor.project import compile_pattern

    if text is None:
        return None
    try:
        return compile_pattern(text)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint=f"'{option}'") from None


def _catalog(flag: str | None, settings: Settings) -> Catalog:
    """The catalog of the module from --module, else the settings, else viz_utils.

    --module is read as typed, from the current folder. A module in the
    settings is the project's: a path there is already absolute, and a name
    is looked up first in the settings file's folder, then as --module would be.
    """
    from nbrefactor.analysis.catalog import CatalogError, load_catalog

    if flag is not None:
        module, search_path, hint = flag, None, "'--module'"
    elif settings.module is not None:
        module, search_path, hint = settings.module, settings.search_path(), None
    else:
        module, search_path, hint = _DEFAULT_MODULE, None, "'--module'"
    try:
        return load_catalog(module, search_path)
    except CatalogError as error:
        if hint is None:
            raise _FileError(f"{settings.file}: [tool.nbrefactor] module: {error}") from None
        raise click.BadParameter(str(error), param_hint=hint) from None


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

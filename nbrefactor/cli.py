"""The `nbrefactor` command line.

Only this module knows about click and the terminal. It builds the one
`Config`, locates the catalog, runs `process_notebook` over the paths
(in worker processes for several notebooks) and prints what the `RunReport`
collects. Imports stay light: matplotlib, torch and the target module are
never imported, libcst only when a notebook needs parsing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from nbrefactor.catalog import Catalog
    from nbrefactor.config import Config
    from nbrefactor.files import Outcome

# `nbrefactor --help` imports nothing but click: everything else is imported
# inside `migrate`, when there is work to do.
_PYPROJECT_KEYS = {"module", "bump", "changelog", "jobs"}
_BUMPS = ("patch", "minor", "major", "none")


def _pyproject_defaults() -> dict[str, object]:
    """[tool.nbrefactor] from the nearest pyproject.toml at or above the current folder."""
    directory = Path.cwd()
    for folder in (directory, *directory.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            import tomllib

            try:
                with candidate.open("rb") as stream:
                    table = tomllib.load(stream).get("tool", {}).get("nbrefactor", {})
            except (OSError, tomllib.TOMLDecodeError) as error:
                raise click.UsageError(
                    f"{candidate}: cannot read [tool.nbrefactor]: {error}"
                ) from None
            unknown = sorted(set(table) - _PYPROJECT_KEYS)
            if unknown:
                raise click.UsageError(
                    f"{candidate}: unknown [tool.nbrefactor] setting {unknown[0]!r}"
                )
            # Keys are option names; click looks defaults up by parameter name.
            return {
                "module_name" if key == "module" else key: value for key, value in table.items()
            }
        if (folder / ".git").exists():
            break
    return {}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="notebook-helper-migrate", prog_name="nbrefactor")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Replace helper functions pasted into Jupyter notebooks with imports.

    Settings can also be given in pyproject.toml under [tool.nbrefactor]
    (module, bump, changelog, jobs); command-line flags take precedence.
    """
    if ctx.invoked_subcommand == "migrate":
        ctx.default_map = {"migrate": _pyproject_defaults()}


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print a diff of every changed cell; write nothing.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any notebook would change.")
@click.option(
    "--module",
    "module_name",
    default="viz_utils",
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
    "--color/--no-color", default=None, help="Colour diffs [default: when stdout is a terminal]."
)
@click.option(
    "-v", "--verbose", is_flag=True, help="Also list unchanged notebooks, and details with --check."
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
    color: bool | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Replace inline definitions of a package's functions in notebooks (files or folders).

    \b
    Exit codes: 0 nothing to do or all written; 1 --check found notebooks
    that would change; 2 usage error or a notebook could not be processed.
    """
    from nbrefactor.catalog import CatalogError, load_catalog
    from nbrefactor.config import Bump, Config, Mode, current_time
    from nbrefactor.files import find_notebooks
    from nbrefactor.interrupts import handle_signals
    from nbrefactor.report import RunReport

    ctx.call_on_close(handle_signals())  # Ctrl-C, SIGTERM: no temporary file left, exit 130, 143
    if bump == "none" and changelog is not None:
        raise click.UsageError(
            "--changelog has no effect with --bump none (no version, no changelog entry)"
        )
    if check:
        mode = Mode.CHECK
    elif dry_run:
        mode = Mode.DRY_RUN
    else:
        mode = Mode.WRITE
    try:
        catalog = load_catalog(module_name)
    except CatalogError as error:
        raise click.BadParameter(str(error), param_hint="'--module'") from None
    config = Config(
        bump=Bump(bump),
        changelog=changelog,
        now=current_time(),
        mode=mode,
        show_diff=dry_run,
        color=color,
        verbose=verbose,
        quiet=quiet,
        jobs=jobs or os.cpu_count() or 1,
    )
    entries = find_notebooks(paths)
    notebooks = [entry for entry in entries if isinstance(entry, Path)]
    processed = _run(notebooks, config, catalog)
    report = RunReport(mode)
    for entry in entries:
        outcome = next(processed) if isinstance(entry, Path) else entry
        report.add(outcome)
        _print_outcome(outcome, config)
    if not quiet:
        click.echo(report.summary(), err=True)
    ctx.exit(report.exit_code)


def _run(notebooks: Sequence[Path], config: Config, catalog: Catalog) -> Iterator[Outcome]:
    """Outcomes in the order of `notebooks`, from worker processes when there are several."""
    from nbrefactor.files import process_notebook

    jobs = min(config.jobs, len(notebooks))
    if jobs <= 1:
        for path in notebooks:
            yield process_notebook(path, config, catalog)
        return
    from nbrefactor.workers import process_in_parallel

    yield from process_in_parallel(notebooks, config, catalog, jobs)


def _print_outcome(outcome: Outcome, config: Config) -> None:
    from nbrefactor.config import Mode
    from nbrefactor.files import Status
    from nbrefactor.report import details, has_details, headline

    if outcome.status is Status.FAILED:
        click.echo(headline(outcome, config.mode), err=True)
        for line in details(outcome):
            click.echo(f"  {line}", err=True)
        return
    for diff in outcome.diffs:
        _echo_diff(diff, config.color)
    if config.quiet:
        return
    changed = outcome.status is Status.CHANGED
    show_details = has_details(outcome) and (config.mode is not Mode.CHECK or config.verbose)
    if changed or show_details or config.verbose:
        click.echo(headline(outcome, config.mode), err=True)
    if show_details:
        for line in details(outcome):
            click.echo(f"  {line}", err=True)


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

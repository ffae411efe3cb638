"""The `extract` command: helpers pasted into several notebooks become a module.

Registered on the `nbrefactor` group by `cli.py`. As for `migrate`, only
click is imported at module level; the work is in `nbrefactor.extract`.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from nbrefactor.options import (
    FORMATS,
    PATTERN,
    echo_diff,
    echo_err,
    echo_out,
    paths_and_config,
)

if TYPE_CHECKING:
    import re

    from nbrefactor.project import ProjectRoot, Settings


@click.command()
@paths_and_config
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
@click.option("--exclude", metavar="REGEX", type=PATTERN, help="As for migrate.")
@click.option("--extend-exclude", metavar="REGEX", type=PATTERN, help="As for migrate.")
@click.option("--force-exclude/--no-force-exclude", default=None, help="As for migrate.")
@click.option("--output-format", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--color/--no-color", default=None, help="Colour diffs.")
@click.option(
    "--bump",
    type=click.Choice(["patch", "minor", "major", "none"]),
    default=None,
    help="With --migrate: as for migrate [default: patch].",
)
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None, help="With --migrate: as for migrate."
)
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
    bump: str | None,
    jobs: int | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Turn helpers pasted into several notebooks into a module (then: migrate).

    \b
    Exit codes: 0 nothing to do or written; 1 --check: the module would
    change; 2 usage error, or a notebook or the module could not be read;
    130, 143 and 129 stopped by Ctrl-C, SIGTERM and SIGHUP.
    """
    from nbrefactor.config import colour_choice
    from nbrefactor.discovery import Exclusions, find_notebooks
    from nbrefactor.extract.run import Mode, parse_place, read_notebooks, run_extract

    root, settings = project
    flags = [
        f"--{name}"
        for name in ("bump", "jobs")
        if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE
    ]
    if flags and not then_migrate:
        verb = "applies" if len(flags) == 1 else "apply"
        raise click.UsageError(f"{' and '.join(flags)} {verb} to --migrate, which is not given")
    # The migration's, from the flags or the settings (`ctx.default_map`), as migrate's.
    settings = replace(settings, bump=bump, jobs=jobs)
    if to is None and not list_only:
        raise click.UsageError("give the module file with --to FILE (or --list)")
    if list_only and (then_migrate or dry_run or check):
        raise click.UsageError(
            "--list changes nothing: it takes no --migrate, --dry-run or --check"
        )
    # A name not ending in .py (a folder, `helpers.txt`) is the run's error, one line: not
    # one about the import name it would have (sweep 29: `--to utils`, a package folder).
    if to is not None and not list_only and to.suffix == ".py":
        from nbrefactor.analysis.import_names import import_name_problem, installed_elsewhere
        from nbrefactor.analysis.module_path import dotted_name, is_package_init

        name = dotted_name(to)
        unimportable = import_name_problem(name, to)
        if unimportable is not None:
            raise click.BadParameter(
                f"{unimportable}: choose another file name", param_hint="'--to'"
            )
        installed = installed_elsewhere(name, to)
        if installed is not None:
            top = name.partition(".")[0]
            shown = installed.parent if is_package_init(installed) else installed
            raise click.BadParameter(
                f"{top} is the name of an installed module ({shown}), which the notebooks'"
                " libraries may import and a kernel would find beside them instead: choose"
                " another file name",
                param_hint="'--to'",
            )
    places, given = [], []
    for text in from_places:
        try:
            place, cell = parse_place(text)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="'--from'") from None
        places.append((os.path.realpath(place), cell))
        given.append(str(place))
    rules = Exclusions.from_options(root.path, exclude, extend_exclude, force_exclude)
    # From here on files are read and the module written: Ctrl-C and SIGTERM
    # leave no temporary file, as for migrate.
    from nbrefactor.interrupts import Interrupted, handle_signals

    ctx.call_on_close(handle_signals())
    try:
        discovery = find_notebooks(paths, rules)
        notebooks = [entry for entry in discovery.entries if isinstance(entry, Path)]
        readings = read_notebooks(notebooks)
        readings.failures[:0] = [
            (entry.path, entry.error or "")
            for entry in discovery.entries
            if not isinstance(entry, Path)
        ]
        from nbrefactor.extract.choices import unknown_choice

        problem = unknown_choice(readings.notebooks, names, places, _module_names(to), given)
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
        from nbrefactor.extract.output import ExtractPrinter

        printer = ExtractPrinter(
            output_format,
            quiet=quiet,
            out=echo_out,
            err=echo_err,
            diff=lambda text: echo_diff(text, colour_choice(color)),
            show_diff=dry_run,
        )
        module = to or Path("module.py")
        outcomes = None
        not_found = None  # instead of the next step: migrating would break a notebook
        if mode is Mode.LIST:
            run = run_extract(
                readings, module, mode, frozenset(names), frozenset(places), to is not None
            )
        else:
            # What migrate does then, said from its own dry run, not foreseen (sweep 31);
            # helpers it would keep everywhere are not extracted (round 49c F4).
            from nbrefactor.extract.then_migrate import foresee

            run, foresight, unmoved = foresee(
                readings, module, mode, frozenset(names), frozenset(places), notebooks, settings
            )
            # Before writing: a module some notebook's kernel would not find breaks it once
            # migrated.
            if then_migrate and mode is Mode.WRITE and foresight.lost:
                from nbrefactor.extract.next_step import unreachable

                printer.error(str(module), unreachable(foresight.module, foresight.lost))
                printer.finish(2)
                ctx.exit(2)
            if mode is Mode.WRITE:
                run = run_extract(
                    readings,
                    module,
                    mode,
                    frozenset(names),
                    frozenset(places),
                    unmoved=unmoved,
                    importers=foresight.importers,
                )
            if not quiet or output_format == "json":
                outcomes = foresight.outcomes
            if foresight.lost and not then_migrate:
                from nbrefactor.extract.next_step import unreachable_next_step

                not_found = unreachable_next_step(foresight.module, foresight.lost)
        printer.extraction(
            run,
            paths,
            next_step_shown=not then_migrate,
            outcomes=outcomes,
            module_in_settings=settings.names_file(module),
            not_found=not_found,
            selection=_selection_options(ctx, exclude, extend_exclude, force_exclude),
        )
        exit_code = run.exit_code
        if then_migrate and not run.failed and run.change is not None:
            from nbrefactor.extract.then_migrate import migrate_extracted

            migrated = migrate_extracted(run, notebooks, root, settings, printer, verbose)
            exit_code = max(exit_code, migrated)
        printer.finish(exit_code)
        ctx.exit(exit_code)
    except RecursionError:  # Python's limit, not a bug: one line, as migrate (re-check 31)
        from nbrefactor import messages

        echo_err(f"error: {messages.too_deep()}")
        ctx.exit(2)
    except Interrupted as stop:  # as migrate: no traceback, 130 or 143 (CLI sweep 27)
        import signal

        from nbrefactor import messages

        echo_err(messages.extract_interrupted())
        if stop.signum == signal.SIGINT and output_format != "json":
            echo_err(messages.aborted())
        ctx.exit(stop.exit_code)


def _selection_options(
    ctx: click.Context,
    exclude: re.Pattern[str] | None,
    extend_exclude: re.Pattern[str] | None,
    force_exclude: bool | None,
) -> list[str]:
    """The options given on the command line that chose the notebooks and the settings, as
    `migrate` takes them, for the next step: without them it read the project's settings
    and migrated a notebook this run had excluded (round 59b). Settings the project's
    pyproject.toml gives are left out: `migrate` reads them itself."""
    from nbrefactor.options import CONFIG_GIVEN

    given = click.core.ParameterSource.COMMANDLINE
    options: list[str] = []
    config_file = ctx.meta.get(CONFIG_GIVEN)
    if config_file is not None:
        options += ["--config", str(config_file)]
    for name, pattern in (("exclude", exclude), ("extend-exclude", extend_exclude)):
        if pattern is not None and ctx.get_parameter_source(name.replace("-", "_")) == given:
            options += [f"--{name}", pattern.pattern]
    if force_exclude is not None and ctx.get_parameter_source("force_exclude") == given:
        options.append("--force-exclude" if force_exclude else "--no-force-exclude")
    return options


def _module_names(module: Path | None) -> list[str]:
    """The names the module file already binds, and its legacy names; none when it is missing
    or unreadable (the run itself then says why). Read as the run reads it (`read_module`): a
    FIFO named so is not opened (CLI sweep 27: it waited for a writer), and its encoding is
    the file's."""
    from nbrefactor.extract.module_io import read_module
    from nbrefactor.extract.module_reading import (
        ModuleFileError,
        module_bindings,
        module_legacy_names,
    )

    if module is None:
        return []
    try:
        text = read_module(module).text
        if text is None:
            return []
        return [*module_bindings(text), *module_legacy_names(text, module)]
    except (OSError, ModuleFileError):
        return []

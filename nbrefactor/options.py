"""The options `migrate` and `extract` share, and the settings file behind them.

The paths and --config (which turns the project's settings into click's
defaults), the exclude patterns, the output formats, the one-line error for
a settings file that cannot be used, and the coloured diff. Only click is
imported at module level: `--help` must stay fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    import re

    from nbrefactor.analysis.catalog import Catalog
    from nbrefactor.project import ProjectRoot, Settings

FORMATS = ("text", "json", "github")


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


PATTERN = _PatternType()

CONFIG_GIVEN = "nbrefactor.config_given"  # ctx.meta: the --config FILE as typed, or None


class _PathArgument(click.Path):
    """A path to search; an empty one is a usage error, as in black (`Path '' does not
    exist`): `Path("")` is the current folder, and an unset shell variable (`migrate
    "$NB"`) migrated every notebook below it (CLI sweep 27)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value == "":
            self.fail("Path '' does not exist.", param, ctx)
        return super().convert(value, param, ctx)


class FileError(click.ClickException):
    """A settings file that cannot be used: one line, `error: FILE: reason`, exit 2."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)


_Command = TypeVar("_Command", bound=Callable[..., Any])


def paths_and_config(command: _Command) -> _Command:
    """The paths first (eager), then --config, which reads the settings into
    ctx.default_map before any other option takes its default: see read_settings.
    Both commands take them so."""
    command = click.option(
        "--config",
        "project",
        metavar="FILE",
        type=click.Path(path_type=Path),
        callback=lambda ctx, param, value: read_settings(ctx, value),
        help="Read [tool.nbrefactor] from this TOML file instead of the project's pyproject.toml.",
    )(command)
    return click.argument(
        "paths", nargs=-1, required=True, is_eager=True, type=_PathArgument(path_type=Path)
    )(command)


def read_settings(ctx: click.Context, config_file: Path | None) -> tuple[ProjectRoot, Settings]:
    """The project root of the paths, and its settings as the defaults of the other options.

    As black's `read_pyproject_toml`: the settings from --config or the
    root's pyproject.toml go into `ctx.default_map`, so that click gives an
    option the setting's value unless the flag is given; no merge code.
    """
    from nbrefactor.project import Settings, SettingsError, find_project_root, load_settings

    paths = ctx.params.get("paths", ())
    # As given, for the command `extract` prints next, which must read the same settings.
    ctx.meta[CONFIG_GIVEN] = config_file
    try:
        root = find_project_root(paths, settings_given=config_file is not None)
        if config_file is not None:
            settings = load_settings(config_file, required=True)
        elif root.pyproject is not None:
            settings = load_settings(root.pyproject, required=False)
        else:
            settings = Settings()
    except SettingsError as error:
        raise FileError(str(error)) from None
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


def echo_out(text: str, color: bool | None = None) -> None:
    """`click.echo` to standard output. Once its reader is gone (`| head -1`), what follows is
    dropped and the run goes on to its end and its exit code: a run stopped there left
    notebooks half migrated, with no word on standard error (CLI sweep 27)."""
    _echo(text, color, err=False)


def echo_err(text: str) -> None:
    """`click.echo` to standard error, which the text report is written to: as for standard
    output, a reader gone (`2>&1 | head -1`) does not stop the run (sweep 28: a writing run
    stopped after 7 of 30 notebooks, exit 1)."""
    _echo(text, None, err=True)


# The streams a write to failed other than by its reader closing a pipe (ENOSPC, EIO), by
# name, with the reason: the run went on without them, and ends with exit 2 (`output_lost`).
_lost: dict[str, str] = {}


def _echo(text: str, color: bool | None, err: bool) -> None:
    """`click.echo`, where a stream that cannot be written to any more is dropped for the rest of
    the run, whatever the reason: a closed pipe, a full disk (`> /dev/full`) or an I/O error.
    Stopping there instead left a writing run half way, with a traceback (round 60b F2)."""
    try:
        click.echo(text, color=color, err=err)
    except OSError as error:
        _drop(err, error)


def _drop(err: bool, error: OSError) -> None:
    """Point the failed stream's descriptor at the null device, so that what is still in its
    buffer, and all that follows, goes nowhere, then and when Python flushes it at exit."""
    import errno
    import os
    import sys

    name = "standard error" if err else "standard output"
    if error.errno != errno.EPIPE:
        _lost.setdefault(name, error.strerror or str(error))
    stream = sys.stderr if err else sys.stdout
    try:
        descriptor = stream.fileno()
    except (OSError, ValueError):  # not a file (click's test runner): nothing left to flush
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


def start_output() -> None:
    """A new run: no stream lost yet (tests run several commands in one process)."""
    _lost.clear()


def output_lost() -> dict[str, str]:
    """The streams that could not be written to (not a reader gone), each with the reason: the
    run's report did not reach its reader, which exit 2 says."""
    return dict(_lost)


def echo_diff(diff: str, color: bool | None) -> None:
    """The diff on stdout, coloured or not, each line as it is: cut at \\n only, so that a
    module's \\r\\n line ends stay in its diff, which then gives the bytes written (round
    48b: `patch --binary` refused a diff of a CRLF module)."""
    styled = []
    for line in diff.split("\n"):
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
    echo_out("\n".join(styled), color=color)


def checked_import_name(value: str | None) -> str | None:
    """--import-name, checked as a dotted module name."""
    from nbrefactor.analysis.import_names import is_module_name

    if value is not None and not is_module_name(value):
        raise click.BadParameter(
            f"{value!r} is not a dotted module name", param_hint="'--import-name'"
        )
    return value


def module_catalog(module: str, import_name: str | None, settings: Settings | None) -> Catalog:
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
            raise FileError(f"{settings.file}: [tool.nbrefactor] module: {error}") from None
        raise click.BadParameter(str(error), param_hint="'--module'") from None

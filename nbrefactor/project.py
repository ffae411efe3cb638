"""The project a run belongs to: its root folder and its `[tool.nbrefactor]` settings.

The root is found from the paths given, not from the current folder, as black
and ruff do: running from a parent folder, a subfolder or a pre-commit hook
finds the same project, the same settings and the same `.gitignore` files.
Paths written in the settings are read relative to the file that holds them,
so `module = "lib/mypkg"` means the same folder wherever the command runs.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from nbrefactor.config import Bump
from nbrefactor.value_base import ValueBase


class SettingsError(Exception):
    """A configuration file that cannot be used; the message names the file and the reason."""


@dataclass(frozen=True, eq=False, repr=False)
class ProjectRoot(ValueBase):
    """The folder that holds the project, why it was taken, and its settings file if it has one."""

    path: Path  # absolute, symbolic links not resolved
    found_by: str  # why this folder, for -v: "has .git", ...
    pyproject: Path | None  # the root's pyproject.toml when it has [tool.nbrefactor]


@dataclass(frozen=True, eq=False, repr=False)
class Settings(ValueBase):
    """What `[tool.nbrefactor]` sets, checked; None where it sets nothing."""

    file: Path | None = None
    module: str | None = None  # a module name, or an absolute path to a package or .py file
    import_name: str | None = None  # the name the notebooks import the module by
    bump: str | None = None
    changelog: str | None = None
    jobs: int | None = None
    exclude: re.Pattern[str] | None = None
    extend_exclude: re.Pattern[str] | None = None
    force_exclude: bool | None = None
    extract_to: str | None = None  # `extract --to`: absolute when given in the settings

    def names_file(self, module: Path) -> bool:
        """Whether the settings' `module` is the file `module` (a path to it, not a name):
        its `import-name` is then that file's, and `migrate` needs no `--module` for it."""
        if self.module is None or not is_module_path(self.module):
            return False
        return os.path.realpath(self.module) == os.path.realpath(module)

    @property
    def folder(self) -> Path | None:
        """Where names and relative paths in the settings are looked up."""
        return None if self.file is None else self.file.parent

    def search_path(self) -> list[str] | None:
        """Where the module named in the settings is looked for: the settings file's folder
        when it holds that module (a package or a .py file), else as --module would be."""
        if self.module is None or self.folder is None:
            return None
        top = self.folder / self.module.split(".")[0]
        if (top / "__init__.py").is_file() or top.with_suffix(".py").is_file():
            return [str(self.folder)]
        return None


def find_project_root(paths: Sequence[Path], settings_given: bool = False) -> ProjectRoot:
    """The nearest folder, at or above every path, holding `.git`, `.hg` or our settings.

    As black's `find_project_root`: start from the deepest folder common to
    all the paths and walk up. Where none is found, that common folder is the
    root (black takes the file system root; then exclude patterns would see
    every folder above the paths, and a `/build/` among them excludes all). A `pyproject.toml` counts only when it has a
    `[tool.nbrefactor]` table, so a subproject's settings win over the
    repository's root; one that cannot be read is an error, since it may
    hold the settings, unless they come from elsewhere (`settings_given`,
    for `--config`). Paths are made absolute without resolving symbolic
    links: a notebook linked into a project belongs to that project (and a
    symbolic link loop must not stop the search).
    """
    common = _common_folder(paths)
    for folder in (common, *common.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_our_table(pyproject, settings_given):
            return ProjectRoot(folder, "has pyproject.toml with [tool.nbrefactor]", pyproject)
        for marker in (".git", ".hg"):
            if (folder / marker).exists():
                return ProjectRoot(folder, f"has {marker}", None)
    return ProjectRoot(common, "no .git, .hg or [tool.nbrefactor] at or above the paths", None)


def repository_top(root: Path) -> Path:
    """The git repository's top folder at or above `root`, else `root`: where `.gitignore` files start."""
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return folder
    return root


def _common_folder(paths: Sequence[Path]) -> Path:
    folders = []
    for path in paths:
        absolute = Path(os.path.abspath(path))
        folders.append(absolute if os.path.isdir(absolute) else absolute.parent)
    common = os.path.commonpath([str(folder) for folder in folders])
    return Path(common)


def _has_our_table(pyproject: Path, settings_given: bool) -> bool:
    """Whether the file has `[tool.nbrefactor]`.

    A file that never mentions nbrefactor is not parsed: however a TOML file
    spells the table (`[tool.nbrefactor]`, a dotted key, an inline table), the
    word is in it. So another project's broken pyproject.toml above ours is
    not our error, while a broken one that holds our settings is.
    """
    try:
        raw = pyproject.read_bytes()
        return b"nbrefactor" in raw and _table(pyproject, raw) is not None
    except OSError as error:
        if settings_given:
            return False
        raise SettingsError(f"{pyproject}: cannot read: {error.strerror or error}") from None
    except SettingsError:
        if settings_given:
            return False
        raise


def load_settings(file: Path, required: bool) -> Settings:
    """Read and check `[tool.nbrefactor]` from a TOML file.

    `required` is for `--config FILE`: a file named on purpose that has no
    table is an error, not silently nothing.
    """
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise SettingsError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise SettingsError(f"{file}: is a directory, not a TOML file") from None
    except OSError as error:
        raise SettingsError(f"{file}: cannot read: {error.strerror or error}") from None
    table = _table(file, raw)
    if table is None:
        if required:
            raise SettingsError(f"{file}: no [tool.nbrefactor] table")
        return Settings()
    absolute = Path(os.path.abspath(file))
    values: dict[str, object] = {}
    for key, value in table.items():
        check = _CHECKS.get(key)
        if check is None:
            raise SettingsError(f"{file}: {_unknown_key_message(key)}")
        field_name, checker = check
        try:
            values[field_name] = checker(value)
        except (TypeError, ValueError) as error:
            setting = f"{key} = {_as_toml(value)}"
            raise SettingsError(f"{file}: [tool.nbrefactor] {setting}: {error}") from None
    module = values.get("module")
    if isinstance(module, str) and is_module_path(module):
        values["module"] = str(absolute.parent / module)
    extract_to = values.get("extract_to")
    if isinstance(extract_to, str):
        values["extract_to"] = str(absolute.parent / extract_to)
    return Settings(file=absolute, **values)  # type: ignore[arg-type]


def _table(file: Path, raw: bytes) -> Mapping[str, object] | None:
    import tomllib  # only when a settings file is read: not on the --help path

    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SettingsError(f"{file}: invalid TOML: not UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{file}: invalid TOML: {error}") from None
    tool = document.get("tool")
    table = tool.get("nbrefactor") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise SettingsError(f"{file}: tool.nbrefactor must be a table")
    return table


def is_module_path(module: str) -> bool:
    """Whether a `module` value is a path (a folder or a .py file) rather than an import name."""
    parts = module.split(".")
    if module.endswith(".py"):
        return True
    return "/" in module or os.sep in module or not all(part.isidentifier() for part in parts)


def compile_pattern(text: str) -> re.Pattern[str]:
    """An exclude regular expression, as black reads one.

    A pattern holding a newline (a multi-line TOML string) is read in verbose
    mode, so it can be laid out one alternative per line with comments.
    """
    if "\n" in text:
        text = "(?x)" + text
    try:
        return re.compile(text)
    except re.error as error:
        raise ValueError(f"not a regular expression: {error}") from None


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a non-empty string")
    return value


def _dotted_name(value: object) -> str:
    text = _text(value)
    from nbrefactor.analysis.import_names import is_module_name

    if not is_module_name(text):
        raise ValueError("expected a dotted module name, like helpers.plots")
    return text


def _bump(value: object) -> str:
    bumps = [bump.value for bump in Bump]
    if value not in bumps:
        raise ValueError(f"expected one of {', '.join(bumps)}")
    return value


def _jobs(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("expected a whole number of at least 1")
    return value


def _pattern(value: object) -> re.Pattern[str]:
    if not isinstance(value, str):
        raise TypeError("expected a regular expression in a string")
    return compile_pattern(value)


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError("expected true or false")
    return value


# Setting name in [tool.nbrefactor] -> (Settings field, check).
_CHECKS: dict[str, tuple[str, Callable[[object], object]]] = {
    "module": ("module", _text),
    "import-name": ("import_name", _dotted_name),
    "bump": ("bump", _bump),
    "changelog": ("changelog", _text),
    "jobs": ("jobs", _jobs),
    "exclude": ("exclude", _pattern),
    "extend-exclude": ("extend_exclude", _pattern),
    "force-exclude": ("force_exclude", _boolean),
    "extract-to": ("extract_to", _text),
}


def _as_toml(value: object) -> str:
    """A setting's value as it is written in pyproject.toml (`true`, `"2"`), for its error."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string, escaped alike
    if isinstance(value, list):
        return "[" + ", ".join(map(_as_toml, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key} = {_as_toml(item)}" for key, item in value.items()) + "}"
    return str(value)  # a number, or a date: TOML writes them as Python prints them


def _unknown_key_message(key: str) -> str:
    message = f"unknown [tool.nbrefactor] setting {key!r}"
    spelled = key.replace("_", "-")
    if spelled in _CHECKS:
        return f"{message} (did you mean {spelled!r}?)"
    import difflib

    close = difflib.get_close_matches(key, list(_CHECKS), n=1)
    if close:
        return f"{message} (did you mean {close[0]!r}?)"
    return f"{message}; known settings: {', '.join(_CHECKS)}"

"""`[tool.nbrefactor]`: found at the project root of the paths given, checked, and named by -v.

Each test builds a project in its own `tmp_path` and runs `nbrefactor migrate`
through CliRunner from some folder of it (or from above it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from conftest import FIXED_EPOCH, FIXTURES, REPO, code, markdown, notebook_text

from nbrefactor.cli import main

VIZ_UTILS = REPO / "viz_utils"
WITH_IDS = "nbformat45_ids.ipynb"  # title "# Gradient Tracking (v0.0.14)", changes


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: object, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(
        main,
        ["migrate", "--jobs", "1", *map(str, args)],
        env={"SOURCE_DATE_EPOCH": str(FIXED_EPOCH), **(env or {})},
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def put(path: str | Path, name: str = WITH_IDS) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / name, target)
    return target


def title(path: Path) -> str:
    source = json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"]
    return (source if isinstance(source, str) else "".join(source)).splitlines()[0]


def pyproject(folder: str | Path, body: str) -> Path:
    path = Path(folder, "pyproject.toml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"[tool.nbrefactor]\n{body}", encoding="utf-8")
    return path


def write_mylib(folder: str | Path) -> None:
    """A one-function package (never imported by nbrefactor) for `module` settings."""
    package = Path(folder)
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        '__all__ = ["smooth"]\n\n\ndef smooth(values, window=3):\n    return values\n',
        encoding="utf-8",
    )


def write_smoothing_notebook(path: str | Path) -> Path:
    notebook = Path(path)
    notebook.parent.mkdir(parents=True, exist_ok=True)
    notebook.write_text(
        notebook_text(
            markdown("# Smoothing (v1.2.3)\n"),
            code("import numpy as np\n"),
            code("def smooth(values, window=3):\n    return values\n"),
            code("print(smooth([1, 2, 3], window=2))\n"),
        ),
        encoding="utf-8",
    )
    return notebook


def migrated_to_mylib(notebook: Path, import_line: str = "from mylib import smooth") -> bool:
    text = notebook.read_text(encoding="utf-8")
    return import_line in text and "def smooth" not in text


# --------------------------------------------------------------------------
# Where the settings come from


@pytest.mark.parametrize("where", ["parent", "project", "subfolder"])
def test_the_projects_settings_count_wherever_the_command_runs(
    where: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The issue's report: from a parent folder, bump = "minor" was silently ignored."""
    Path("project/.git").mkdir(parents=True)
    pyproject("project", f'module = "{VIZ_UTILS}"\nbump = "minor"\n')
    notebook = put("project/notebooks/nb.ipynb")
    folder = {"parent": tmp_path, "project": tmp_path / "project"}.get(
        where, tmp_path / "project" / "notebooks"
    )
    monkeypatch.chdir(folder)
    result = run(os.path.relpath(tmp_path / notebook))
    assert result.exit_code == 0, result.output
    assert title(tmp_path / notebook) == "# Gradient Tracking (v0.1.0)"


@pytest.mark.parametrize("where", ["parent", "project", "subfolder"])
@pytest.mark.parametrize("module", ["lib/mylib", "./lib/mylib/", "tools/mylib.py"])
def test_a_relative_module_path_is_read_from_the_settings_files_folder(
    where: str, module: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    Path("project/.git").mkdir(parents=True)
    pyproject("project", f'module = "{module}"\n')
    write_mylib("project/lib/mylib")
    Path("project/tools").mkdir()
    shutil.copyfile("project/lib/mylib/__init__.py", "project/tools/mylib.py")
    notebook = write_smoothing_notebook("project/notebooks/smoothing.ipynb")
    folder = {"parent": tmp_path, "project": tmp_path / "project"}.get(
        where, tmp_path / "project" / "notebooks"
    )
    monkeypatch.chdir(folder)
    result = run(os.path.relpath(tmp_path / "project" / "notebooks"))
    assert result.exit_code == 0, result.output
    assert migrated_to_mylib(tmp_path / notebook)


def test_a_module_name_in_the_settings_is_found_next_to_the_settings_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pyproject("project", 'module = "mylib"\n')
    write_mylib("project/mylib")
    notebook = write_smoothing_notebook("project/notebooks/smoothing.ipynb")
    monkeypatch.chdir(tmp_path / "project" / "notebooks")
    result = run(".")
    assert result.exit_code == 0, result.output
    assert migrated_to_mylib(tmp_path / notebook)


def test_module_flag_is_read_from_the_current_folder_and_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pyproject("project", 'module = "no_such_module_here"\n')
    notebook = put("project/nb.ipynb")
    monkeypatch.chdir(REPO)  # viz_utils/ is in the current folder
    result = run("--module", "viz_utils", tmp_path / notebook)
    assert result.exit_code == 0, result.output
    assert title(tmp_path / notebook) == "# Gradient Tracking (v0.0.15)"


def test_a_subprojects_settings_win_over_the_repository_root() -> None:
    Path(".git").mkdir()
    pyproject(".", f'module = "{VIZ_UTILS}"\nbump = "major"\n')
    pyproject("sub", f'module = "{VIZ_UTILS}"\nbump = "minor"\n')
    notebook = put("sub/nb.ipynb")
    assert run("sub").exit_code == 0
    assert title(notebook) == "# Gradient Tracking (v0.1.0)"


def test_settings_above_the_repository_root_do_not_count() -> None:
    pyproject(".", 'bump = "major"\n')
    Path("repo/.git").mkdir(parents=True)
    notebook = put("repo/nb.ipynb")
    result = run("--module", VIZ_UTILS, "repo")
    assert result.exit_code == 0, result.output
    assert title(notebook) == "# Gradient Tracking (v0.0.15)"


def test_a_pyproject_without_our_table_is_not_a_root_and_may_even_be_broken() -> None:
    """Another tool's pyproject.toml, however broken, is not nbrefactor's business."""
    Path(".git").mkdir()
    pyproject(".", 'bump = "minor"\n')
    Path("sub").mkdir()
    Path("sub/pyproject.toml").write_text("[tool.black\nline-length = 1\n", encoding="utf-8")
    notebook = put("sub/nb.ipynb")
    result = run("--module", VIZ_UTILS, "sub")
    assert result.exit_code == 0, result.output
    assert title(notebook) == "# Gradient Tracking (v0.1.0)"


def test_config_file_replaces_the_projects_settings() -> None:
    pyproject(".", 'bump = "major"\n')
    Path("settings").mkdir()
    Path("settings/nbrefactor.toml").write_text(
        '[tool.nbrefactor]\nmodule = "../lib/mylib"\nbump = "minor"\n', encoding="utf-8"
    )
    write_mylib("lib/mylib")
    notebook = write_smoothing_notebook("smoothing.ipynb")
    result = run("--config", "settings/nbrefactor.toml", notebook)
    assert result.exit_code == 0, result.output
    assert migrated_to_mylib(notebook)
    assert title(notebook) == "# Smoothing (v1.3.0)"


def test_config_file_is_used_even_if_the_projects_pyproject_is_broken() -> None:
    Path("pyproject.toml").write_text("[tool.nbrefactor\n", encoding="utf-8")
    Path("other.toml").write_text(f'[tool.nbrefactor]\nmodule = "{VIZ_UTILS}"\n', "utf-8")
    notebook = put("nb.ipynb")
    result = run("--config", "other.toml", notebook)
    assert result.exit_code == 0, result.output
    assert title(notebook) == "# Gradient Tracking (v0.0.15)"


def test_flags_win_over_every_setting() -> None:
    Path(".git").mkdir()
    pyproject(
        ".",
        'module = "no_such_module"\nbump = "major"\nchangelog = "From settings"\njobs = 3\n'
        'exclude = "/nbs/"\nforce-exclude = true\n',
    )
    notebook = put("nbs/nb.ipynb")
    result = run(
        "--module",
        VIZ_UTILS,
        "--bump",
        "minor",
        "--changelog",
        "From flags",
        "--exclude",
        "/nothing/",
        "--no-force-exclude",
        "nbs",
    )
    assert result.exit_code == 0, result.output
    text = notebook.read_text(encoding="utf-8")
    assert title(notebook) == "# Gradient Tracking (v0.1.0)"
    assert "From flags" in text and "From settings" not in text


def test_a_changelog_setting_is_dropped_by_bump_none_but_the_flag_is_an_error() -> None:
    pyproject(".", f'module = "{VIZ_UTILS}"\nchangelog = "From settings"\n')
    notebook = put("nb.ipynb")
    result = run("--bump", "none", notebook)
    assert result.exit_code == 0, result.output
    assert title(notebook) == "# Gradient Tracking (v0.0.14)"
    flag = run("--bump", "none", "--changelog", "From flags", put("other.ipynb"))
    assert flag.exit_code == 2
    assert "--changelog has no effect with --bump none" in flag.stderr


def test_exclude_settings_apply_and_multi_line_patterns_are_verbose() -> None:
    Path(".git").mkdir()
    pyproject(
        ".",
        f'module = "{VIZ_UTILS}"\n'
        "extend-exclude = '''\n"
        "/(\n"
        "    generated  # made by the pipeline\n"
        "  | archive\n"
        ")/\n"
        "'''\n",
    )
    skipped = [put("generated/a.ipynb"), put("archive/b.ipynb"), put("venv/c.ipynb")]
    taken = put("nbs/d.ipynb")
    result = run(".")
    assert result.exit_code == 0, result.output
    assert all(path.read_bytes() == (FIXTURES / WITH_IDS).read_bytes() for path in skipped)
    assert taken.read_bytes() != (FIXTURES / WITH_IDS).read_bytes()


def test_force_exclude_setting_applies_to_paths_given() -> None:
    Path(".git").mkdir()
    pyproject(".", f'module = "{VIZ_UTILS}"\nforce-exclude = true\nextend-exclude = "/old/"\n')
    skipped = put("old/nb.ipynb")
    result = run(skipped)
    assert result.exit_code == 0, result.output
    assert skipped.read_bytes() == (FIXTURES / WITH_IDS).read_bytes()


# --------------------------------------------------------------------------
# Broken settings: an error for migrate, never for --help or --version


BROKEN = [
    ("[tool.nbrefactor\n", "invalid TOML"),
    ('[tool.nbrefactor]\nmodul = "viz_utils"\n', "unknown [tool.nbrefactor] setting 'modul'"),
    ('[tool.nbrefactor]\nextend_exclude = "x"\n', "did you mean 'extend-exclude'?"),
    ('[tool.nbrefactor]\nbump = "huge"\n', 'bump = "huge": expected one of patch'),
    ("[tool.nbrefactor]\njobs = 0\n", "jobs = 0: expected a whole number of at least 1"),
    ('[tool.nbrefactor]\njobs = "2"\n', 'jobs = "2"'),
    ("[tool.nbrefactor]\njobs = true\n", "jobs = true: expected"),  # as TOML writes it
    ('[tool.nbrefactor]\nmodule = ["a", 1]\n', 'module = ["a", 1]: expected'),
    ('[tool.nbrefactor]\nexclude = "("\n', "not a regular expression"),
    ('[tool.nbrefactor]\nforce-exclude = "yes"\n', "expected true or false"),
    ('[tool.nbrefactor]\nmodule = ""\n', "expected a non-empty string"),
    ('[tool.nbrefactor]\nmodule = "./missing"\n', "missing"),
    ('[tool]\nnbrefactor = "viz_utils"\n', "tool.nbrefactor must be a table"),
    (b"[tool.nbrefactor]\nchangelog = '\xe9'\n", "not UTF-8"),
]


@pytest.mark.parametrize(("content", "mentions"), BROKEN, ids=[m for _, m in BROKEN])
def test_broken_settings_are_one_error_line_for_migrate(
    content: str | bytes, mentions: str
) -> None:
    settings = Path("pyproject.toml")
    if isinstance(content, bytes):
        settings.write_bytes(content)
    else:
        settings.write_text(content, encoding="utf-8")
    notebook = put("nb.ipynb")
    result = run(notebook)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {settings.resolve()}: "), lines[0]
    assert mentions in lines[0]
    assert notebook.read_bytes() == (FIXTURES / WITH_IDS).read_bytes()


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["-h"],
        ["--version"],
        ["-V"],
        ["migrate", "--help"],
        ["migrate", "--config", "pyproject.toml", "--help"],
        ["migrate", "nb.ipynb", "--help"],
    ],
    ids=" ".join,
)
def test_broken_settings_never_break_help_or_version(args: list[str]) -> None:
    Path("pyproject.toml").write_text("[tool.nbrefactor\n", encoding="utf-8")
    put("nb.ipynb")
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert "invalid TOML" not in result.output and "error:" not in result.output


@pytest.mark.parametrize(
    ("content", "mentions"),
    [(None, "no such file"), ("[tool.black]\n", "no [tool.nbrefactor] table")],
    ids=["missing", "no-table"],
)
def test_config_file_that_gives_nothing_is_an_error(content: str | None, mentions: str) -> None:
    if content is not None:
        Path("settings.toml").write_text(content, encoding="utf-8")
    notebook = put("nb.ipynb")
    result = run("--module", VIZ_UTILS, "--config", "settings.toml", notebook)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [f"error: settings.toml: {mentions}"]


@pytest.mark.parametrize("option", ["--exclude", "--extend-exclude"])
def test_an_invalid_pattern_flag_is_a_usage_error(option: str) -> None:
    notebook = put("nb.ipynb")
    result = run("--module", VIZ_UTILS, option, "(", notebook)
    assert result.exit_code == 2, result.output
    assert option in result.stderr and "not a regular expression" in result.stderr
    assert notebook.read_bytes() == (FIXTURES / WITH_IDS).read_bytes()


# --------------------------------------------------------------------------
# -v names what was used


def test_verbose_names_the_settings_file_the_project_root_and_the_module_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    Path("project/.git").mkdir(parents=True)
    settings = pyproject("project", 'module = "lib/mylib"\n').resolve()
    write_mylib("project/lib/mylib")
    write_smoothing_notebook("project/nbs/smoothing.ipynb")
    monkeypatch.chdir(tmp_path / "project" / "nbs")
    result = run("-v", "--check", ".")
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    project = tmp_path / "project"
    assert lines[:3] == [
        f"project root: {project} (has pyproject.toml with [tool.nbrefactor])",
        f"configuration: {settings}",
        f"module: mylib ({project / 'lib' / 'mylib' / '__init__.py'})",
    ]


def test_verbose_without_settings_says_so() -> None:
    Path(".git").mkdir()
    put("nb.ipynb")
    result = run("-v", "--check", "--module", VIZ_UTILS, "nb.ipynb")
    lines = result.stderr.splitlines()
    assert lines[:3] == [
        f"project root: {Path.cwd()} (has .git)",
        "configuration: none",
        f"module: viz_utils ({VIZ_UTILS / '__init__.py'})",
    ]


def test_quiet_verbose_prints_no_settings_lines() -> None:
    Path(".git").mkdir()
    put("nb.ipynb")
    result = run("-v", "-q", "--module", VIZ_UTILS, "nb.ipynb")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


# --------------------------------------------------------------------------
# docs/usage.md (linked from the README) documents every option and setting

USAGE = (REPO / "docs" / "usage.md").read_text(encoding="utf-8")


def test_the_usage_option_table_names_every_option_of_migrate() -> None:
    table = USAGE.split("| option | meaning |")[1].split("\n\n")[0]
    documented = set(re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", table))
    command = main.commands["migrate"]
    options = {
        name
        for param in command.params
        if isinstance(param, click.Option)
        for name in (*param.opts, *param.secondary_opts)
    }
    # Each of its own options, and no other (`-V` is the group's: `nbrefactor -V`, said below).
    assert options | {"-h", "--help"} == documented


def test_the_usage_settings_table_names_every_setting() -> None:
    from nbrefactor.project import _CHECKS

    table = USAGE.split("| setting | type | as the flag |")[1].split("\n\n")[0]
    assert set(re.findall(r"^\| `([\w-]+)` \|", table, flags=re.MULTILINE)) == set(_CHECKS)

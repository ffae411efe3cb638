"""`nbrefactor migrate` end to end, through click's CliRunner, on copies of the fixtures.

Every test runs in its own `tmp_path` (the autouse `in_tmp_path` fixture makes it
the current folder), so notebook paths are short and relative and the output can
be matched line by line. Fixture files are only ever read. Time is pinned with
SOURCE_DATE_EPOCH, the value the expected files were generated with.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from conftest import FIXED_EPOCH, FIXTURES, REPO, code, markdown, notebook_text, run_on_a_terminal

import nbrefactor.migration
import nbrefactor.nbfile.disk
import nbrefactor.nbfile.splice
from nbrefactor.cli import main

VIZ_UTILS = str(REPO / "viz_utils")
EPOCH_ENV = {"SOURCE_DATE_EPOCH": str(FIXED_EPOCH)}
# An old, fixed mtime given to every copied notebook, so "not rewritten" is visible.
OLD_MTIME_NS = 1_600_000_000_123_456_789

INPUTS = sorted(
    path.name for path in FIXTURES.glob("*.ipynb") if not path.name.endswith(".expected.ipynb")
)
CHANGING = [
    name for name in INPUTS if (FIXTURES / name.replace(".ipynb", ".expected.ipynb")).exists()
]
NO_OPS = [name for name in INPUTS if name not in CHANGING]

# Small notebooks used throughout: one that changes (no cell ids, one def kept),
# one that changes and has cell ids, and one with nothing to do.
GOOD = "unsafe_call_kept.ipynb"
WITH_IDS = "nbformat45_ids.ipynb"
NOOP = "noop_other_functions.ipynb"


# --------------------------------------------------------------------------
# Helpers


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(
    *args: object, module: str | None = VIZ_UTILS, jobs: int | None = 1, env: dict | None = None
) -> Result:
    """Invoke `nbrefactor migrate ARGS`; check that it never crashed with a traceback."""
    options: list[str] = []
    if module is not None:
        options += ["--module", module]
    if jobs is not None:
        options += ["--jobs", str(jobs)]
    result = CliRunner().invoke(
        main, ["migrate", *options, *map(str, args)], env={**EPOCH_ENV, **(env or {})}
    )
    assert_no_crash(result)
    return result


def assert_no_crash(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"crashed with {result.exception!r}\n{result.output}"
    )
    assert "Traceback" not in result.output


def put(name: str, to: str | Path = ".", as_name: str | None = None) -> Path:
    """Copy fixtures/NAME into the current folder (or `to`); returns the relative path."""
    target = Path(to, as_name or name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / name, target)
    os.utime(target, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    return target


def expected_bytes(name: str) -> bytes:
    expected = FIXTURES / name.replace(".ipynb", ".expected.ipynb")
    return expected.read_bytes() if expected.exists() else (FIXTURES / name).read_bytes()


def snapshot(root: Path = Path(".")) -> dict[str, tuple[bytes, int, int, int]]:
    """Every file below root (hidden ones included): bytes, mtime, inode and mode bits."""
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            info = path.stat()
            with open(path, "rb") as stream:  # not Path.read_bytes, which a test patches
                content = stream.read()
            files[path.relative_to(root).as_posix()] = (
                content,
                info.st_mtime_ns,
                info.st_ino,
                stat.S_IMODE(info.st_mode),
            )
    return files


def summary_counts(stderr: str) -> tuple[int, int, int]:
    """(changed, unchanged, failed) from the summary, which must be the last line of stderr."""
    last = stderr.rstrip("\n").splitlines()[-1]
    changed = re.search(r"(\d+) notebooks? (?:migrated|would be migrated)", last)
    unchanged = re.search(r"(\d+) notebooks? unchanged", last)
    failed = re.search(r"(\d+) notebooks? failed", last)
    assert changed and unchanged, f"no summary in the last stderr line: {last!r}"
    return int(changed.group(1)), int(unchanged.group(1)), int(failed.group(1)) if failed else 0


def lines_naming(stream: str, path: Path | str) -> list[str]:
    return [line for line in stream.splitlines() if str(path) in line]


def diff_headers(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith(("--- ", "+++ "))]


def cell_sources(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [
        cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        for cell in cells
    ]


# --------------------------------------------------------------------------
# Write mode


def test_write_gives_the_expected_bytes_for_every_fixture() -> None:
    for name in INPUTS:
        put(name, "nbs")
    before = snapshot()
    result = run("nbs")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    for name in INPUTS:
        assert Path("nbs", name).read_bytes() == expected_bytes(name), name
    after = snapshot()
    assert sorted(after) == sorted(before), "temporary files left behind"
    for name in NO_OPS:
        assert after[f"nbs/{name}"] == before[f"nbs/{name}"], f"{name} was rewritten"
    for name in CHANGING:
        assert f"migrated {Path('nbs', name)}" in result.stderr.splitlines()
    assert summary_counts(result.stderr) == (len(CHANGING), len(NO_OPS), 0)


def test_second_run_changes_nothing_and_check_then_passes() -> None:
    for name in INPUTS:
        put(name, "nbs")
    assert run("nbs").exit_code == 0
    once = snapshot()

    again = run("nbs")
    assert again.exit_code == 0, again.output
    assert snapshot() == once, "the second run rewrote files"
    assert summary_counts(again.stderr) == (0, len(INPUTS), 0)

    check = run("--check", "nbs")
    assert check.exit_code == 0, check.output
    assert "would migrate" not in check.stderr
    assert snapshot() == once


def test_write_reports_replaced_and_kept_functions() -> None:
    notebook = put(GOOD)
    result = run(notebook)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == f"migrated {notebook}"
    assert any(
        re.match(r"\s*replaced visualize_entropy_vs_gradient \(cell 4\)", line) for line in lines
    )
    assert any(
        re.match(
            r"\s*kept visualize_entropy_heatmap \(cell 3\): call in cell 6 passes 6 positional",
            line,
        )
        for line in lines
    ), result.stderr
    assert summary_counts(result.stderr) == (1, 0, 0)
    assert notebook.read_bytes() == expected_bytes(GOOD)


def test_an_unreadable_definition_is_reported_as_kept() -> None:
    notebook = put("unparseable_cell.ipynb")
    result = run(notebook)
    assert result.exit_code == 0, result.output
    kept = [line.strip() for line in result.stderr.splitlines() if line.strip().startswith("kept")]
    assert kept == [
        (
            "kept visualize_gradient_norms (cell 3): the cell does not parse (line 1: invalid syntax) "
            "and no definition with a readable header starts a line there"
        )
    ]
    assert notebook.read_bytes() == expected_bytes("unparseable_cell.ipynb")


def test_schema_invalid_notebook_is_migrated_with_a_warning_and_keeps_its_quirks() -> None:
    notebook = put("schema_quirks.ipynb")
    result = run(notebook)
    assert result.exit_code == 0, result.output
    warnings = [
        line.strip() for line in result.stderr.splitlines() if line.strip().startswith("warning:")
    ]
    assert any("nbformat schema" in warning for warning in warnings), result.stderr
    assert summary_counts(result.stderr) == (1, 0, 0)
    assert notebook.read_bytes() == expected_bytes("schema_quirks.ipynb")
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    assert cells[2]["cell_type"] == "markdown" and cells[2]["outputs"] == []
    assert "execution_count" not in cells[3]
    assert "".join(cells[3]["source"]) == ""


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755], ids=oct)
def test_write_keeps_permission_bits(mode: int) -> None:
    notebook = put(GOOD)
    notebook.chmod(mode)
    result = run(notebook)
    assert result.exit_code == 0, result.output
    assert notebook.read_bytes() == expected_bytes(GOOD)
    assert stat.S_IMODE(notebook.stat().st_mode) == mode


def test_notebook_with_nothing_to_do_is_not_rewritten() -> None:
    put(NOOP)
    before = snapshot()
    result = run(NOOP)
    assert result.exit_code == 0, result.output
    assert snapshot() == before  # same bytes, mtime and inode; no temporary file
    assert summary_counts(result.stderr) == (0, 1, 0)
    assert lines_naming(result.stderr, NOOP) == []  # unchanged notebooks are listed only with -v


def test_notebook_without_cells_is_valid_and_has_nothing_to_do() -> None:
    put("noop_no_cells.ipynb")
    before = snapshot()
    for flags in ([], ["--check"], ["--dry-run"]):
        result = run(*flags, "noop_no_cells.ipynb")
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        assert "error" not in result.stderr
        assert summary_counts(result.stderr) == (0, 1, 0)
    assert snapshot() == before


# --------------------------------------------------------------------------
# --dry-run and --check


def test_dry_run_prints_a_diff_per_changed_cell_with_ids() -> None:
    notebook = put(WITH_IDS, "sub")
    before = snapshot()
    result = run("--dry-run", notebook)
    assert result.exit_code == 0, result.output
    assert snapshot() == before
    label = f"{notebook}:cell"
    assert diff_headers(result.stdout) == [
        f"--- {label} 1 (id f3a2b1c0)",
        f"+++ {label} 1 (id f3a2b1c0)",
        f"--- {label} 2 (id a83b7d10)",
        f"+++ {label} 2 (id a83b7d10)",
        f"--- {label} 3 (id c5e2f6b4-9d01-4a7e-8b3c-2f6d1e0a9c57)",
        f"+++ {label} 3 (id c5e2f6b4-9d01-4a7e-8b3c-2f6d1e0a9c57)",
    ]
    lines = result.stdout.splitlines()
    assert "-# Gradient Tracking (v0.0.14)" in lines
    assert "+# Gradient Tracking (v0.0.15)" in lines
    assert "+from viz_utils import visualize_attention_matrix, visualize_gradient_norms" in lines
    assert " import numpy as np" in lines  # a context line
    assert any(line.startswith("@@ ") for line in lines)
    assert "-def visualize_gradient_norms(" in result.stdout
    # Cell 4 (the calls) does not change, so its lines never show up, not even as context.
    assert "visualize_gradient_norms(grad_norms, [(2, 7)]" not in result.stdout
    assert "\x1b[" not in result.stdout
    assert f"would migrate {notebook}" in result.stderr.splitlines()


def test_dry_run_headers_without_ids_count_every_cell() -> None:
    notebook = put(GOOD)
    result = run("--dry-run", notebook)
    assert result.exit_code == 0, result.output
    # Cell 3 holds the kept def: not changed, so no diff for it.
    assert diff_headers(result.stdout) == [
        f"{sign} {notebook}:cell {number}" for number in (1, 2, 4) for sign in ("---", "+++")
    ]
    assert "(id " not in result.stdout


def test_dry_run_cell_numbers_include_markdown_cells() -> None:
    notebook = put("schema_quirks.ipynb")  # cell 3 is markdown, cell 4 the def
    result = run("--dry-run", notebook)
    assert result.exit_code == 0, result.output
    headers = diff_headers(result.stdout)
    assert f"--- {notebook}:cell 4" in headers
    assert f"--- {notebook}:cell 3" not in headers


def test_dry_run_leaves_bytes_and_mtime_unchanged() -> None:
    for name in INPUTS:
        put(name, "nbs")
    before = snapshot()
    result = run("--dry-run", "nbs")
    assert result.exit_code == 0, result.output
    assert snapshot() == before
    assert summary_counts(result.stderr) == (len(CHANGING), len(NO_OPS), 0)
    changed_in_diffs = {line.split(":cell")[0][4:] for line in diff_headers(result.stdout)}
    assert changed_in_diffs == {str(Path("nbs", name)) for name in CHANGING}


def test_dry_run_of_a_notebook_with_nothing_to_do_prints_no_diff() -> None:
    put(NOOP)
    result = run("--dry-run", NOOP)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("flags", "coloured"),
    [([], False), (["--no-color"], False), (["--color"], True)],
    ids=["default-not-a-tty", "no-color", "color"],
)
def test_dry_run_colour(flags: list[str], coloured: bool) -> None:
    notebook = put(GOOD)
    plain = run("--dry-run", "--no-color", notebook).stdout
    result = run("--dry-run", *flags, notebook)
    assert result.exit_code == 0, result.output
    assert ("\x1b[" in result.stdout) is coloured
    assert click.unstyle(result.stdout) == plain
    assert "\x1b[" not in result.stderr


@pytest.mark.parametrize(
    ("flags", "coloured"), [([], True), (["--no-color"], False)], ids=["default", "no-color"]
)
def test_dry_run_colours_when_stdout_is_a_terminal(
    tmp_path: Path, flags: list[str], coloured: bool
) -> None:
    notebook = put(GOOD)
    args = ["migrate", "--dry-run", "--jobs", "1", "--module", VIZ_UTILS, *flags, str(notebook)]
    status, stdout, stderr = run_on_a_terminal(args, tmp_path, {**os.environ, **EPOCH_ENV})
    assert status == 0, stderr
    assert f"{notebook}:cell 1".encode() in stdout
    assert (b"\x1b[" in stdout) is coloured
    assert notebook.read_bytes() == (FIXTURES / GOOD).read_bytes()


def test_check_writes_nothing_and_names_each_notebook_that_would_change() -> None:
    put(GOOD, "nbs")
    put(WITH_IDS, "nbs")
    put(NOOP, "nbs")
    before = snapshot()
    result = run("--check", "nbs")
    assert result.exit_code == 1, result.output
    assert snapshot() == before
    assert result.stdout == ""
    assert [line for line in result.stderr.splitlines() if line.startswith("would migrate")] == [
        f"would migrate {Path('nbs', WITH_IDS)}",
        f"would migrate {Path('nbs', GOOD)}",
    ]
    assert lines_naming(result.stderr, NOOP) == []
    assert summary_counts(result.stderr) == (2, 1, 0)


def test_check_with_only_unchanged_notebooks_exits_0() -> None:
    put(NOOP)
    put("noop_already_migrated.ipynb")
    result = run("--check", NOOP, "noop_already_migrated.ipynb")
    assert result.exit_code == 0, result.output
    assert "would migrate" not in result.stderr


def test_check_with_dry_run_prints_diffs_on_stdout_and_exits_1() -> None:
    notebook = put(GOOD)
    before = snapshot()
    result = run("--check", "--dry-run", notebook)
    assert result.exit_code == 1, result.output
    assert snapshot() == before
    assert f"--- {notebook}:cell 1" in diff_headers(result.stdout)
    assert "would migrate" not in result.stdout
    assert f"would migrate {notebook}" in result.stderr.splitlines()
    assert "--- " not in result.stderr


def test_check_with_a_failed_notebook_exits_2_and_still_reports_the_others() -> None:
    notebook = put(GOOD)
    Path("broken.ipynb").write_text("{", encoding="utf-8")
    result = run("--check", "broken.ipynb", notebook)
    assert result.exit_code == 2, result.output
    assert f"would migrate {notebook}" in result.stderr.splitlines()
    assert summary_counts(result.stderr) == (1, 0, 1)
    assert notebook.read_bytes() == (FIXTURES / GOOD).read_bytes()


# --------------------------------------------------------------------------
# --module


def _write_mylib(package: str = "mylib", submodule: str | None = None) -> None:
    """A tiny package whose import would leave a marker file (it must never be imported).

    The marker is written by the module's own function, called in an assignment
    (`_MARKER = _mark()`): a statement run for what it does (a bare call, or
    `open(..., "w")` assigned) would keep every definition (`NBR242`); the bodies of the
    module's functions called so are not followed for such calls (a known limit)."""
    folder = Path(package)
    folder.mkdir()
    library = (
        '"""A tiny user package."""\n'
        "\n"
        '__all__ = ["smooth"]\n'
        "\n"
        "\n"
        "def smooth(values, window=3):\n"
        '    """Moving average."""\n'
        "    return [sum(values[max(0, i - window + 1) : i + 1]) / window for i in range(len(values))]\n"
        "\n"
        "\n"
        "def _mark():\n"
        '    open(__file__ + ".imported", "w").close()\n'
        "\n"
        "\n"
        "_MARKER = _mark()\n"
    )
    if submodule is None:
        (folder / "__init__.py").write_text(library, encoding="utf-8")
    else:
        (folder / "__init__.py").write_text(
            'def _mark():\n    open(__file__ + ".imported", "w").close()\n\n\n_MARKER = _mark()\n',
            encoding="utf-8",
        )
        (folder / f"{submodule}.py").write_text(library, encoding="utf-8")


def _write_smoothing_notebook(path: str = "smoothing.ipynb") -> Path:
    text = notebook_text(
        markdown(["# Smoothing (v1.2.3)\n", "\n", "### New in v1.2.3:\n", "- First version\n"]),
        code(["import numpy as np\n"]),
        code(
            [
                "def smooth(values, window=3):\n",
                "    return [sum(values[max(0, i - window + 1) : i + 1]) / window for i in range(len(values))]\n",
            ]
        ),
        code(["print(smooth([1, 2, 3, 4], window=2))\n"]),
    )
    notebook = Path(path)
    notebook.write_text(text, encoding="utf-8")
    return notebook


def _assert_smoothing_migrated(notebook: Path, import_line: str) -> None:
    sources = cell_sources(notebook)
    assert sources[0].startswith("# Smoothing (v1.2.4)")
    assert import_line in sources[1].splitlines()
    assert "def smooth" not in "".join(sources)
    assert sources[3] == "print(smooth([1, 2, 3, 4], window=2))\n"


@pytest.mark.parametrize(
    ("module", "submodule", "import_line"),
    [
        ("mylib", None, "from mylib import smooth"),
        ("mylib.plots", "plots", "from mylib.plots import smooth"),
    ],
    ids=["top-level", "dotted"],
)
def test_module_by_name_is_found_on_the_path_without_importing_it(
    module: str, submodule: str | None, import_line: str
) -> None:
    _write_mylib(submodule=submodule)
    notebook = _write_smoothing_notebook()
    result = run(notebook, module=module)
    assert result.exit_code == 0, result.output
    assert f"migrated {notebook}" in result.stderr.splitlines()
    _assert_smoothing_migrated(notebook, import_line)
    assert not list(Path("mylib").glob("*.imported")), "the module was imported"
    assert "mylib" not in sys.modules


def test_module_as_a_folder_path() -> None:
    _write_mylib()
    notebook = _write_smoothing_notebook()
    result = run(notebook, module=str(Path("mylib").resolve()))
    assert result.exit_code == 0, result.output
    _assert_smoothing_migrated(notebook, "from mylib import smooth")
    assert not list(Path("mylib").glob("*.imported"))


def test_module_defaults_to_viz_utils(monkeypatch: pytest.MonkeyPatch) -> None:
    notebook = put(GOOD).resolve()
    monkeypatch.chdir(REPO)  # viz_utils/ is found in the current folder
    result = run(notebook, module=None)
    assert result.exit_code == 0, result.output
    assert notebook.read_bytes() == expected_bytes(GOOD)


@pytest.mark.parametrize(
    "module", ["no_such_module_xyz", "no_such_module_xyz.sub", "./missing_folder"]
)
def test_module_that_cannot_be_found_is_a_usage_error(module: str) -> None:
    put(GOOD)
    before = snapshot()
    result = run(GOOD, module=module)
    assert result.exit_code == 2, result.output
    assert "--module" in result.stderr
    assert result.stdout == ""
    assert snapshot() == before


def test_module_folder_without_init_is_a_usage_error() -> None:
    put(GOOD)
    Path("not_a_package").mkdir()
    result = run(GOOD, module="not_a_package/")
    assert result.exit_code == 2, result.output
    assert "--module" in result.stderr
    assert (Path(GOOD)).read_bytes() == (FIXTURES / GOOD).read_bytes()


# --------------------------------------------------------------------------
# --bump and --changelog


@pytest.mark.parametrize(
    ("bump", "version"), [("patch", "v0.0.15"), ("minor", "v0.1.0"), ("major", "v1.0.0")]
)
def test_bump_sets_the_title_version_and_adds_a_changelog_section(bump: str, version: str) -> None:
    notebook = put(WITH_IDS)
    result = run("--bump", bump, "--changelog", "Use the shared plotting helpers", notebook)
    assert result.exit_code == 0, result.output
    title = cell_sources(notebook)[0].splitlines()
    assert title[0] == f"# Gradient Tracking ({version})"
    assert f"### New in {version}:" in title
    assert "- Use the shared plotting helpers" in title
    assert title.index(f"### New in {version}:") < title.index("### New in v0.0.14:")


def test_default_changelog_names_the_replaced_functions() -> None:
    notebook = put(WITH_IDS)
    assert run(notebook).exit_code == 0
    title = cell_sources(notebook)[0]
    assert "### New in v0.0.15:" in title
    entry = title.split("### New in v0.0.15:")[1].split("### New in v0.0.14:")[0]
    assert "visualize_gradient_norms" in entry and "visualize_attention_matrix" in entry


def test_bump_none_leaves_the_title_cell_untouched() -> None:
    notebook = put(WITH_IDS)
    original = cell_sources(FIXTURES / WITH_IDS)
    result = run("--bump", "none", notebook)
    assert result.exit_code == 0, result.output
    migrated = cell_sources(notebook)
    assert migrated[0] == original[0]
    assert migrated[2] == ""  # the defs are still removed
    assert "from viz_utils import" in migrated[1]
    assert "version: not bumped (--bump none)" in result.stderr


@pytest.mark.parametrize("text", ["", "  "])
def test_a_blank_changelog_is_a_usage_error(text: str) -> None:
    """Round 63 M4: "" wrote the default entry and "  " an empty bullet."""
    notebook = put(WITH_IDS)
    before = notebook.read_bytes()
    result = run("--changelog", text, notebook)
    assert result.exit_code == 2
    assert "--changelog needs a non-blank text" in result.stderr
    assert notebook.read_bytes() == before


def test_changelog_with_bump_none_is_a_usage_error() -> None:
    notebook = put(WITH_IDS)
    before = notebook.read_bytes()
    result = run("--bump", "none", "--changelog", "ignored", notebook)
    assert result.exit_code == 2
    assert "--changelog has no effect with --bump none" in result.stderr
    assert notebook.read_bytes() == before


def test_a_dash_for_standard_input_says_it_is_not_read() -> None:
    """black reads standard input for `-`; nbrefactor edits files in place (round 60b)."""
    result = run("-")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "error: -: no such file or directory (standard input is not read: give the notebook's path)"
    )


# --------------------------------------------------------------------------
# Atomic writes


def _fail_for(target: Path, real: Callable) -> Callable:
    def replace(source, destination, *args, **kwargs):
        if Path(destination).resolve() == target.resolve():
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(source, destination, *args, **kwargs)

    return replace


def _install_replace_failure(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    monkeypatch.setattr(nbrefactor.nbfile.disk.os, "replace", _fail_for(target, os.replace))


def _install_chmod_failure(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    def fchmod(descriptor, mode) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(nbrefactor.nbfile.disk.os, "fchmod", fchmod)


def _install_midway_failure(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    real_render = nbrefactor.nbfile.splice.render  # imported by migration when it writes

    def render(notebook, new_sources) -> Iterator[bytes]:
        pieces = real_render(notebook, new_sources)
        yield next(pieces)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(nbrefactor.nbfile.splice, "render", render)


@pytest.mark.parametrize(
    "install",
    [_install_replace_failure, _install_chmod_failure, _install_midway_failure],
    ids=["os.replace", "chmod", "midway"],
)
def test_failed_write_leaves_the_original_intact(
    monkeypatch: pytest.MonkeyPatch, install: Callable
) -> None:
    notebook = put(GOOD)
    before = snapshot()
    install(monkeypatch, notebook)
    result = run(notebook)
    assert result.exit_code == 2, result.output
    assert snapshot() == before, "original changed or temporary file left"
    naming = lines_naming(result.stderr, notebook)
    assert len(naming) == 1, result.stderr
    assert naming[0].startswith("error") and "cannot write" in naming[0]
    # Nothing was replaced: no line says so (sweep 17 saw "replaced ..." under the error).
    said = [line.strip() for line in result.stderr.splitlines()]
    assert not [line for line in said if line.startswith(("replaced", "import:", "version:"))]
    assert summary_counts(result.stderr) == (0, 0, 1)


def test_failed_write_of_one_notebook_does_not_stop_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    failing = put(GOOD, as_name="a_fails.ipynb")
    other = put(GOOD, as_name="b_other.ipynb")
    _install_replace_failure(monkeypatch, failing)
    result = run(failing, other)
    assert result.exit_code == 2, result.output
    assert failing.read_bytes() == (FIXTURES / GOOD).read_bytes()
    assert other.read_bytes() == expected_bytes(GOOD)
    assert sorted(path.name for path in Path(".").iterdir()) == ["a_fails.ipynb", "b_other.ipynb"]
    assert summary_counts(result.stderr) == (1, 0, 1)


# --------------------------------------------------------------------------
# Bad input: one line naming the file and the reason, exit 2, the others still processed


def _invalid_json(monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    path = Path("invalid.ipynb")
    path.write_text('{"cells": [}', encoding="utf-8")
    return path, "invalid JSON"


def _json_array(monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    path = Path("array.ipynb")
    path.write_text("[]", encoding="utf-8")
    return path, "not a notebook"


def _json_object_not_notebook(monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    path = Path("object.ipynb")
    path.write_text('{"a": 1}', encoding="utf-8")
    return path, "not a notebook"


def _nbformat3(monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    path = Path("old.ipynb")
    path.write_text(
        '{"nbformat": 3, "nbformat_minor": 0, "worksheets": [], "metadata": {}}', encoding="utf-8"
    )
    return path, "nbformat 3"


def _missing_file(monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    return Path("missing.ipynb"), "no such file"


def _jupytext_script(monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    path = Path("analysis.py")
    path.write_text("# %%\nimport numpy as np\n", encoding="utf-8")
    return path, "not a notebook"


def _unreadable(monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    # The tests may run as root, for whom chmod 000 does not stop reading: refuse the open.
    path = put(WITH_IDS, as_name="unreadable.ipynb")
    real_open = os.open

    def refusing_open(file, flags, *args, **kwargs):
        if Path(file).resolve() == path.resolve():
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(nbrefactor.nbfile.disk.os, "open", refusing_open)
    return path, "permission denied"


def _empty_file(monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    path = Path("empty.ipynb")
    path.write_bytes(b"")
    return path, "empty"


def _not_utf8(monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    path = Path("latin1.ipynb")
    text = (FIXTURES / "ascii_escaped.ipynb").read_text(encoding="utf-8")
    path.write_bytes(
        json.dumps(json.loads(text), ensure_ascii=False).encode("latin-1", errors="replace")
    )
    assert b"\xea" in path.read_bytes()  # a lone latin-1 byte: not UTF-8
    return path, "UTF-8"


def _read_only_needing_change(monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    path = put(WITH_IDS, as_name="readonly.ipynb")
    path.chmod(0o444)
    return path, "read-only"


BAD_INPUTS = [
    _invalid_json,
    _json_array,
    _json_object_not_notebook,
    _nbformat3,
    _missing_file,
    _jupytext_script,
    _unreadable,
    _empty_file,
    _not_utf8,
    _read_only_needing_change,
]


@pytest.mark.parametrize("make_bad", BAD_INPUTS, ids=lambda make: make.__name__.strip("_"))
def test_bad_input_is_one_error_line_and_the_others_are_still_processed(
    monkeypatch: pytest.MonkeyPatch, make_bad: Callable
) -> None:
    bad, reason = make_bad(monkeypatch)
    first = put(GOOD, as_name="a_good.ipynb")
    last = put(GOOD, as_name="z_good.ipynb")
    before = snapshot()
    result = run(first, bad, last)

    assert result.exit_code == 2, result.output
    naming = lines_naming(result.stderr, bad)
    assert len(naming) == 1, result.stderr
    assert naming[0].startswith("error"), naming
    assert reason.lower() in naming[0].lower(), naming
    assert result.stdout == ""
    # The bad file is as it was, nothing else appeared, and both good notebooks were migrated.
    after = snapshot()
    assert sorted(after) == sorted(before), "a file appeared or disappeared"
    for name, state in before.items():
        if name not in (first.as_posix(), last.as_posix()):
            assert after[name] == state, name
    assert first.read_bytes() == expected_bytes(GOOD)
    assert last.read_bytes() == expected_bytes(GOOD)
    assert f"migrated {first}" in result.stderr.splitlines()
    assert f"migrated {last}" in result.stderr.splitlines()
    assert summary_counts(result.stderr) == (2, 0, 1)


def test_read_only_notebook_is_fine_for_check_and_dry_run() -> None:
    notebook = put(WITH_IDS)
    notebook.chmod(0o444)
    check = run("--check", notebook)
    assert check.exit_code == 1, check.output
    assert "error" not in check.stderr
    dry_run = run("--dry-run", notebook)
    assert dry_run.exit_code == 0, dry_run.output
    assert "error" not in dry_run.stderr
    assert notebook.read_bytes() == (FIXTURES / WITH_IDS).read_bytes()


def test_read_only_notebook_with_nothing_to_do_is_not_an_error() -> None:
    notebook = put(NOOP)
    notebook.chmod(0o444)
    result = run(notebook)
    assert result.exit_code == 0, result.output
    assert "error" not in result.stderr


# --------------------------------------------------------------------------
# Paths and directories


def _project_tree() -> None:
    put(GOOD, "proj", as_name="b.ipynb")
    put(GOOD, "proj", as_name="a.ipynb")
    put(WITH_IDS, "proj/sub/deeper", as_name="c.ipynb")
    put(GOOD, "proj/sub", as_name="B.ipynb")
    put(NOOP, "proj", as_name="noop.ipynb")
    put(GOOD, "proj/.ipynb_checkpoints", as_name="a-checkpoint.ipynb")
    put(GOOD, "proj/sub/.ipynb_checkpoints", as_name="B-checkpoint.ipynb")
    put(GOOD, "proj/.hidden", as_name="d.ipynb")
    Path("proj/sub/readme.txt").write_text("not a notebook\n", encoding="utf-8")


def test_directories_are_searched_recursively_skipping_checkpoints_and_hidden_folders() -> None:
    _project_tree()
    before = snapshot()
    result = run("proj")
    assert result.exit_code == 0, result.output
    for path in ("proj/a.ipynb", "proj/b.ipynb", "proj/sub/B.ipynb"):
        assert Path(path).read_bytes() == expected_bytes(GOOD), path
    assert Path("proj/sub/deeper/c.ipynb").read_bytes() == expected_bytes(WITH_IDS)
    after = snapshot()
    for path in (
        "proj/.ipynb_checkpoints/a-checkpoint.ipynb",
        "proj/sub/.ipynb_checkpoints/B-checkpoint.ipynb",
        "proj/.hidden/d.ipynb",
        "proj/noop.ipynb",
    ):
        assert after[path] == before[path], path
    assert sorted(after) == sorted(before)
    assert summary_counts(result.stderr) == (4, 1, 0)
    assert "checkpoint" not in result.stderr and ".hidden" not in result.stderr


def test_output_lines_are_in_sorted_path_order() -> None:
    _project_tree()
    result = run("--check", "-v", "proj")
    assert result.exit_code == 1, result.output
    headlines = [
        line
        for line in result.stderr.splitlines()
        if line.startswith(("would migrate", "unchanged"))
    ]
    assert headlines == [
        "would migrate proj/a.ipynb",
        "would migrate proj/b.ipynb",
        "unchanged proj/noop.ipynb",
        "would migrate proj/sub/B.ipynb",
        "would migrate proj/sub/deeper/c.ipynb",
    ]
    assert run("--check", "-v", "proj").stderr == result.stderr


def test_several_paths_at_once() -> None:
    single = put(WITH_IDS, "single")
    put(GOOD, "folder")
    put(NOOP, "other")
    result = run(single, "folder", "other")
    assert result.exit_code == 0, result.output
    assert single.read_bytes() == expected_bytes(WITH_IDS)
    assert Path("folder", GOOD).read_bytes() == expected_bytes(GOOD)
    assert summary_counts(result.stderr) == (2, 1, 0)


@pytest.mark.parametrize(
    "spellings",
    [
        ["nb.ipynb", "nb.ipynb"],
        ["nb.ipynb", "./nb.ipynb"],
        [".", "nb.ipynb"],
        ["nb.ipynb", "ABSOLUTE"],
    ],
    ids=["same-twice", "dot-slash", "folder-and-file", "relative-and-absolute"],
)
def test_a_file_given_twice_is_processed_once(spellings: list[str]) -> None:
    notebook = put(GOOD, as_name="nb.ipynb")
    args = [
        str(notebook.resolve()) if spelling == "ABSOLUTE" else spelling for spelling in spellings
    ]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert notebook.read_bytes() == expected_bytes(GOOD)
    headlines = [
        line for line in result.stderr.splitlines() if line.startswith(("migrated", "unchanged"))
    ]
    assert len(headlines) == 1, result.stderr
    assert summary_counts(result.stderr) == (1, 0, 0)


def test_jobs_2_gives_the_same_outcome_and_order_as_jobs_1(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    names = [
        GOOD,
        WITH_IDS,
        NOOP,
        "schema_quirks.ipynb",
        "unparseable_cell.ipynb",
        "legacy_alias.ipynb",
    ]
    for folder in ("one", "two"):
        for index, name in enumerate(names):
            put(name, Path(folder, "sub" if index % 2 else "."))
        Path(folder, "broken.ipynb").write_text("{", encoding="utf-8")

    outputs = {}
    for folder, jobs in (("one", 1), ("two", 2)):
        monkeypatch.chdir(tmp_path / folder)
        outputs[jobs] = run("--check", "--dry-run", "-v", ".", jobs=jobs)
    assert outputs[1].exit_code == outputs[2].exit_code == 2
    assert outputs[2].stdout == outputs[1].stdout
    # -v starts with the project root, which is the folder itself here ("one" or "two").
    assert outputs[2].stderr.split("\n", 1)[1] == outputs[1].stderr.split("\n", 1)[1]
    assert outputs[2].stderr.startswith("project root: ")

    for folder, jobs in (("one", 1), ("two", 2)):
        monkeypatch.chdir(tmp_path / folder)
        outputs[jobs] = run(".", jobs=jobs)
    assert outputs[1].exit_code == outputs[2].exit_code == 2
    assert outputs[2].stderr == outputs[1].stderr
    monkeypatch.chdir(tmp_path)
    one = {name: state[0] for name, state in snapshot(Path("one")).items()}
    two = {name: state[0] for name, state in snapshot(Path("two")).items()}
    assert one == two
    assert Path("two", GOOD).read_bytes() == expected_bytes(GOOD)


# --------------------------------------------------------------------------
# -q and -v


def test_quiet_prints_only_errors() -> None:
    put(GOOD)
    put(NOOP)
    Path("broken.ipynb").write_text("{", encoding="utf-8")
    result = run("-q", GOOD, "broken.ipynb", NOOP)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error") and "broken.ipynb" in lines[0]
    assert Path(GOOD).read_bytes() == expected_bytes(GOOD)


@pytest.mark.parametrize("flags", [[], ["--check"]], ids=["write", "check"])
def test_quiet_without_errors_prints_nothing(flags: list[str]) -> None:
    put(GOOD)
    result = run("-q", *flags, GOOD)
    assert result.exit_code == (1 if flags else 0), result.output
    assert result.stdout == ""
    assert result.stderr == ""


def test_verbose_lists_unchanged_notebooks_too() -> None:
    put(GOOD)
    put(NOOP)
    quiet_about_unchanged = run("--check", GOOD, NOOP)
    assert lines_naming(quiet_about_unchanged.stderr, NOOP) == []
    verbose = run("--check", "-v", GOOD, NOOP)
    assert verbose.exit_code == 1, verbose.output
    assert lines_naming(verbose.stderr, NOOP) == [f"unchanged {NOOP}"]
    # With --check, the per-notebook details come only with -v.
    assert not any(
        "kept visualize_entropy_heatmap" in line
        for line in quiet_about_unchanged.stderr.splitlines()
    )
    assert any("kept visualize_entropy_heatmap" in line for line in verbose.stderr.splitlines())


# --------------------------------------------------------------------------
# pyproject.toml and usage errors


def test_pyproject_module_is_honoured() -> None:
    _write_mylib()
    Path("pyproject.toml").write_text('[tool.nbrefactor]\nmodule = "mylib"\n', encoding="utf-8")
    notebook = _write_smoothing_notebook()
    result = run(notebook, module=None)
    assert result.exit_code == 0, result.output
    # Without the pyproject setting, viz_utils would be used and the notebook left unchanged.
    assert f"migrated {notebook}" in result.stderr.splitlines(), result.stderr
    _assert_smoothing_migrated(notebook, "from mylib import smooth")


def test_pyproject_settings_are_honoured_and_flags_win() -> None:
    Path("pyproject.toml").write_text(
        f'[tool.nbrefactor]\nmodule = "{VIZ_UTILS}"\nbump = "minor"\nchangelog = "From pyproject"\n',
        encoding="utf-8",
    )
    from_pyproject = put(WITH_IDS, as_name="a.ipynb")
    assert run(from_pyproject, module=None).exit_code == 0
    title = cell_sources(from_pyproject)[0]
    assert title.startswith("# Gradient Tracking (v0.1.0)")
    assert "- From pyproject" in title.splitlines()

    from_flags = put(WITH_IDS, as_name="b.ipynb")
    assert (
        run("--bump", "major", "--changelog", "From flags", from_flags, module=None).exit_code == 0
    )
    title = cell_sources(from_flags)[0]
    assert title.startswith("# Gradient Tracking (v1.0.0)")
    assert "- From flags" in title.splitlines()


@pytest.mark.parametrize(
    ("table", "mentions"),
    [
        ('[tool.nbrefactor]\nmodul = "viz_utils"\n', "modul"),
        ('[tool.nbrefactor]\nbump = "huge"\n', "huge"),
        ("[tool.nbrefactor\n", "pyproject.toml"),
    ],
    ids=["unknown-key", "bad-value", "bad-toml"],
)
def test_bad_pyproject_is_a_usage_error(table: str, mentions: str) -> None:
    Path("pyproject.toml").write_text(table, encoding="utf-8")
    put(GOOD)
    before = snapshot()
    result = run(GOOD)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert mentions in result.stderr
    assert snapshot() == before


@pytest.mark.parametrize(
    "args",
    [[], ["--bump", "huge", GOOD], ["--jobs", "0", GOOD], ["--no-such-flag", GOOD]],
    ids=["no-paths", "bad-bump", "zero-jobs", "unknown-flag"],
)
def test_usage_errors_exit_2_and_write_nothing(args: list[str]) -> None:
    put(GOOD)
    before = snapshot()
    result = run(*args, jobs=None)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Usage:" in result.stderr or "Error" in result.stderr
    assert snapshot() == before


# --------------------------------------------------------------------------
# The console command


@pytest.mark.parametrize(
    ("name", "exit_code"),
    [(GOOD, 1), (NOOP, 0), ("broken.ipynb", 2)],
    ids=["changes", "no-op", "broken"],
)
def test_console_command_check_exit_codes(tmp_path: Path, name: str, exit_code: int) -> None:
    if name == "broken.ipynb":
        Path(name).write_text("{", encoding="utf-8")
    else:
        put(name)
    before = snapshot()
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "nbrefactor",
            "migrate",
            "--check",
            "--jobs",
            "1",
            "--module",
            VIZ_UTILS,
            name,
        ],
        capture_output=True,
        check=False,
        text=True,
        cwd=tmp_path,
        env={**os.environ, **EPOCH_ENV},
        timeout=60,
    )
    assert completed.returncode == exit_code, completed.stderr
    assert completed.stdout == ""
    assert "Traceback" not in completed.stderr
    assert len(lines_naming(completed.stderr, name)) == (0 if exit_code == 0 else 1)
    assert snapshot() == before

"""`nbrefactor extract` end to end, through click's CliRunner, on copies of fixtures/extract."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import conftest
import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES

from nbrefactor.cli import main
from nbrefactor.nbfile.notebook import parse_notebook

CASE = FIXTURES / "extract"
NOTEBOOKS = ["training.ipynb", "evaluation.ipynb", "report.ipynb"]
EXTRACTED = ("format_value", "plot_loss", "smooth")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in [*NOTEBOOKS, "existing_helpers.py"]:
        shutil.copy(CASE / name, tmp_path / name)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*arguments: str) -> Result:
    return CliRunner().invoke(main, list(arguments), catch_exceptions=False)


def _print_from_helpers(
    folder: Path, expression: str, python_path: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`import helpers; print(EXPRESSION)` in a fresh interpreter in `folder`: the module
    the notebooks will import, imported as a kernel started there would."""
    env = None if python_path is None else {**os.environ, "PYTHONPATH": str(python_path)}
    return subprocess.run(
        [sys.executable, "-c", f"import helpers; print({expression})"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def _assert_settled(folder: Path) -> None:
    """`extract --check .` passes in `folder` (the current one), and `extract --migrate .`
    changes nothing: what a CI job runs right after a clean `extract --migrate`."""
    assert run("extract", "--check", "--to", "helpers.py", ".").exit_code == 0
    before = snapshot(folder)
    again = run("extract", "--migrate", "--to", "helpers.py", ".")
    assert again.exit_code == 0, again.output
    assert snapshot(folder) == before


def top_level_defs(notebook: Path) -> list[str]:
    """`def NAME` lines at column 0 in the notebook's code cells."""
    found = []
    for cell in parse_notebook(notebook.read_bytes()).cells:
        if cell.cell_type == "code":
            found += re.findall(r"^def (\w+)\(", cell.source, flags=re.MULTILINE)
    return found


def test_list_names_every_helper_its_variants_and_whether_it_can_move(project: Path) -> None:
    before = snapshot(project)
    result = run("extract", "--list", *NOTEBOOKS)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "format_value: 3 notebooks, 1 variant: extractable",
        "  variant 1 (3 places): training.ipynb:cell 3",
        "plot_loss: 2 notebooks, 1 variant: extractable",
        "  variant 1 (2 places): training.ipynb:cell 3",
        "smooth: 3 notebooks, 2 variants: extractable",
        "  variant 1 (2 places): training.ipynb:cell 4",
        "  variant 2 (1 place): report.ipynb:cell 3 (chosen: it accepts every call)",
        (
            "save_plot: 2 notebooks, 1 variant: not extractable:"
            " reads notebook variable FIG_DIR (training.ipynb:cell 2)"
        ),
        "  variant 1 (2 places): training.ipynb:cell 5",
    ]
    assert result.stderr.splitlines() == ["4 helpers in 3 notebooks, 3 extractable"]
    assert snapshot(project) == before


def test_list_as_json_is_one_document(project: Path) -> None:
    result = run("extract", "--list", "--output-format", "json", *NOTEBOOKS)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    helpers = {helper["name"]: helper for helper in document["helpers"]}
    assert list(helpers) == ["format_value", "plot_loss", "smooth", "save_plot"]
    assert helpers["save_plot"]["extractable"] is False
    assert (
        helpers["save_plot"]["reason"] == "reads notebook variable FIG_DIR (training.ipynb:cell 2)"
    )
    smooth = helpers["smooth"]
    assert [variant["chosen"] for variant in smooth["variants"]] == [False, True]
    assert smooth["variants"][0]["places"] == ["training.ipynb:cell 4", "evaluation.ipynb:cell 5"]
    assert smooth["chosen_because"] == "it accepts every call"
    assert document["exit_code"] == 0


def test_extract_creates_the_module(project: Path) -> None:
    result = run("extract", "--to", "helpers.py", *NOTEBOOKS)
    assert result.exit_code == 0
    assert (project / "helpers.py").read_bytes() == (CASE / "helpers.expected.py").read_bytes()
    assert result.stderr.splitlines() == [
        "extracted format_value from training.ipynb:cell 3",
        "extracted plot_loss from training.ipynb:cell 3",
        (
            "extracted smooth from report.ipynb:cell 3 (it accepts every call);"
            " other variants: training.ipynb:cell 4"
        ),
        "  training.ipynb:cell 4: another variant, which migrate replaces with this one",
        "  evaluation.ipynb:cell 5: another variant, which migrate replaces with this one",
        "skipped save_plot: reads notebook variable FIG_DIR (training.ipynb:cell 2)",
        "created helpers.py: 3 definitions, 2 imports",
        "next: nbrefactor migrate --module helpers.py training.ipynb evaluation.ipynb report.ipynb",
    ]
    assert not list(project.glob(".nbrefactor-*"))


def test_an_existing_module_keeps_its_bytes_and_its_own_function(project: Path) -> None:
    old = (project / "existing_helpers.py").read_text()
    result = run("extract", "--to", "existing_helpers.py", *NOTEBOOKS)
    assert result.exit_code == 0
    new = (project / "existing_helpers.py").read_text()
    assert new == (CASE / "existing_helpers.expected.py").read_text()
    # Every old line is still there, in order; the import block got one line.
    old_lines = [line for line in old.splitlines() if line]
    assert [line for line in new.splitlines() if line in old_lines] == old_lines
    assert new.count("import numpy as np") == 1
    assert "import matplotlib.pyplot as plt\n" in new.split("def ")[0]
    assert new.count("def format_value") == 1
    assert "left format_value alone: already in existing_helpers.py" in result.stderr


@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_an_existing_module_with_another_hard_link_is_written_and_says_so(
    project: Path, output_format: str
) -> None:
    """Round 64 U4: the module is written by rename, as a notebook is, and its other hard
    link keeps the old content; the report said so of the notebooks only."""
    old = (project / "existing_helpers.py").read_bytes()
    os.link(project / "existing_helpers.py", project / "link.py")
    options = ["--output-format", output_format]
    result = run("extract", *options, "--to", "existing_helpers.py", *NOTEBOOKS)
    assert result.exit_code == 0, result.output
    assert (project / "existing_helpers.py").read_bytes() != old
    assert (project / "link.py").read_bytes() == old
    warning = (
        "it had 2 hard links: written as a new file (by rename, so that a failed write leaves"
        " the old one whole), the other link keeps the old content"
    )
    if output_format == "json":
        assert json.loads(result.stdout)["extraction"]["warnings"] == [warning]
    elif output_format == "github":
        assert f"title=nbrefactor warning::{warning}" in result.stdout
    else:
        assert f"warning: existing_helpers.py: {warning}\n" in result.stderr
    unlinked = run("extract", *options, "--to", "link.py", *NOTEBOOKS)  # one link now
    assert "hard link" not in unlinked.output


@pytest.mark.parametrize(
    ("names", "reason"),
    [
        (
            '[n for n in dir() if not n.startswith("_")]',
            "must be a literal list of names, as migrate reads it",
        ),
        ("[1, 2]", "must be a literal list of names, as migrate reads it"),
        # migrate reads it (sweep 29), but an added helper could not join it
        ('["a"] + ["b"]', "must be a list or tuple written out, which the helpers added can join"),
        # Re-check 46: one name written as two strings; a list assigned after a `;`
        ('["oth" "er"]', "must list each name as one string, which the helpers added can join"),
        (
            '["other"]; __all__ = ["other"]',
            "must be assigned at the start of its line, where the helpers added can join it",
        ),
    ],
)
def test_a_module_whose_all_migrate_cannot_read_is_not_extended(
    project: Path, names: str, reason: str
) -> None:
    """Sweep s24 F6: the module was extended (after its `__all__`, so not in it), then
    --migrate refused it (exit 2)."""
    module = project / "util.py"
    old = f"def other():\n    return 1\n\n\n__all__ = {names}\n"
    module.write_text(old, encoding="utf-8")
    result = run("extract", "--migrate", "--to", "util.py", *NOTEBOOKS)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"error: util.py: __all__ (line 5) {reason}"]
    assert module.read_text(encoding="utf-8") == old


def test_the_helpers_join_the_all_that_migrate_reads(project: Path) -> None:
    """Re-check 46: of two `__all__` assignments, extract extended the first, and migrate
    (as Python) read the second: the helpers were written, and no notebook changed."""
    module = project / "util.py"
    first = '__all__ = ["other"]\n\n\ndef other():\n    return 1\n\n\n'
    module.write_text(first + '__all__ = ["other"]  # final\n', encoding="utf-8")
    result = run("extract", "--to", "util.py", *NOTEBOOKS)
    assert result.exit_code == 0, result.output
    text = module.read_text(encoding="utf-8")
    assert first + '__all__ = ["other", "format_value", "plot_loss", "smooth"]  # final' in text


def test_dry_run_prints_the_module_diff_and_writes_nothing(project: Path) -> None:
    before = snapshot(project)
    result = run("extract", "--dry-run", "--to", "existing_helpers.py", *NOTEBOOKS)
    assert result.exit_code == 0
    assert result.stdout.startswith("--- existing_helpers.py\n+++ existing_helpers.py\n")
    assert "+import matplotlib.pyplot as plt" in result.stdout
    assert '+def smooth(values, window=5, mode="valid"):' in result.stdout
    assert "would write existing_helpers.py: 2 definitions, 1 import" in result.stderr
    assert snapshot(project) == before


def test_dry_run_diff_of_a_module_with_no_final_line_break_applies_as_the_write_writes(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Extract sweep 27: the old last line and the new one were glued on one diff line."""
    module = project / "existing_helpers.py"
    old = module.read_text(encoding="utf-8").rstrip("\n")
    module.write_text(old, encoding="utf-8")
    diff = run("extract", "--dry-run", "--to", "existing_helpers.py", *NOTEBOOKS).stdout
    assert f"-{old.splitlines()[-1]}\n\\ No newline at end of file\n" in diff
    elsewhere = tmp_path_factory.mktemp("apply")
    (elsewhere / "existing_helpers.py").write_text(old, encoding="utf-8")
    subprocess.run(["git", "apply", "-"], input=diff + "\n", text=True, cwd=elsewhere, check=True)
    assert run("extract", "--to", "existing_helpers.py", *NOTEBOOKS).exit_code == 0
    assert (elsewhere / "existing_helpers.py").read_bytes() == module.read_bytes()


def test_a_read_only_module_is_an_error_and_nothing_says_would_write(project: Path) -> None:
    """CLI sweep 27: after `cannot write: the file is read-only`, the report went on with
    `would write existing_helpers.py` and a next step to migrate to the module unwritten."""
    module = project / "existing_helpers.py"
    before = module.read_bytes()
    module.chmod(0o444)
    result = run("extract", "--to", "existing_helpers.py", *NOTEBOOKS)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "error: existing_helpers.py: cannot write: the file is read-only"
    assert lines[-1] == "existing_helpers.py not written"
    assert not [line for line in lines if "would write" in line or line.startswith("next:")]
    assert module.read_bytes() == before


def test_a_module_file_that_is_a_fifo_is_one_error_not_a_wait(project: Path, deadline) -> None:
    """CLI sweep 27: `--to helpers.py` naming a FIFO waited for a writer (the names the
    module binds were read before the run's own checks), and SIGTERM then showed a
    traceback; the run's reader says what it is."""
    os.mkfifo(project / "helpers.py")
    result = run("extract", "--to", "helpers.py", *NOTEBOOKS)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["error: helpers.py: not a regular file (fifo)"]


def test_check_exits_1_while_the_module_would_change(project: Path) -> None:
    before = snapshot(project)
    result = run("extract", "--check", "--to", "helpers.py", *NOTEBOOKS)
    assert result.exit_code == 1
    assert snapshot(project) == before
    assert run("extract", "--to", "helpers.py", *NOTEBOOKS).exit_code == 0
    written = (project / "helpers.py").read_bytes()
    again = run("extract", "--check", "--to", "helpers.py", *NOTEBOOKS)
    assert again.exit_code == 0
    assert "helpers.py unchanged" in again.stderr
    assert (project / "helpers.py").read_bytes() == written


@pytest.mark.parametrize("order", [("--check", "--diff"), ("--diff", "--check")])
def test_check_with_diff_prints_the_diffs_and_exits_1(
    project: Path, order: tuple[str, str]
) -> None:
    """Extract sweep 29: `--check --diff` printed no diff (migrate's and black's do), and
    with --migrate none of the notebooks' either."""
    before = snapshot(project)
    result = run("extract", *order, "--to", "existing_helpers.py", *NOTEBOOKS)
    assert result.exit_code == 1
    assert result.stdout.startswith("--- existing_helpers.py\n+++ existing_helpers.py\n")
    assert (
        result.stdout
        == run("extract", "--dry-run", "--to", "existing_helpers.py", *NOTEBOOKS).stdout
    )
    migrating = run("extract", *order, "--migrate", "--to", "existing_helpers.py", *NOTEBOOKS)
    assert migrating.exit_code == 1
    dry_run = run("extract", "--dry-run", "--migrate", "--to", "existing_helpers.py", *NOTEBOOKS)
    assert migrating.stdout == dry_run.stdout
    assert "+++ training.ipynb:cell " in migrating.stdout
    assert snapshot(project) == before


@pytest.mark.parametrize("package", [True, False], ids=["package-folder", "folder"])
def test_a_module_file_that_is_not_a_py_file_is_one_line_saying_so(
    project: Path, package: bool
) -> None:
    """Sweep 29: `--to utils`, a package folder, was a usage error about the name `import
    utils` finds; a plain folder, or `helpers.txt`, is the one line below."""
    (project / "utils").mkdir()
    if package:
        (project / "utils" / "__init__.py").write_text("", encoding="utf-8")
    result = run("extract", "--to", "utils", *NOTEBOOKS)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: utils: not a Python file (the module file must end in .py)"
    ]


@pytest.mark.parametrize("to", [".", "./", ".."])
@pytest.mark.parametrize("listing", [[], ["--list"]], ids=["extract", "list"])
def test_a_module_file_that_is_a_folder_is_one_line_at_once(
    project: Path, to: str, listing: list[str], deadline: None
) -> None:
    """Round 60b: `--to .` looked for the module's name, "", in every cell, and never ended."""
    result = run("extract", *listing, "--to", to, *NOTEBOOKS)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {Path(to)}: not a Python file (the module file must end in .py)"
    ]


def test_an_empty_word_stands_nowhere(deadline: None) -> None:
    from nbrefactor.analysis.words import has_word, word_offsets

    assert not has_word("f(x)", "")
    assert list(word_offsets("f(x)", "")) == []


def test_name_chooses_helpers_and_one_definition_is_enough(project: Path) -> None:
    result = run("extract", "--to", "helpers.py", "--name", "plot_loss", "training.ipynb")
    assert result.exit_code == 0
    text = (project / "helpers.py").read_text()
    assert re.findall(r"^def (\w+)", text, flags=re.MULTILINE) == ["format_value", "plot_loss"]
    assert "also extracted format_value (used by plot_loss)" in result.stderr
    assert "smooth" not in text


def test_name_that_no_notebook_defines_is_a_usage_error(project: Path) -> None:
    result = run("extract", "--to", "helpers.py", "--name", "nowhere", *NOTEBOOKS)
    assert result.exit_code == 2
    assert "no notebook defines a top-level function 'nowhere'" in result.stderr
    assert not (project / "helpers.py").exists()


def test_from_chooses_the_variant(project: Path) -> None:
    result = run(
        "extract",
        "--to",
        "helpers.py",
        "--from",
        "evaluation.ipynb:5",
        "--name",
        "smooth",
        *NOTEBOOKS,
    )
    assert result.exit_code == 0
    assert "def smooth(values, window = 5):" in (project / "helpers.py").read_text()
    assert (
        "extracted smooth from evaluation.ipynb:cell 5 (as --from asks);"
        " other variants: report.ipynb:cell 3"
    ) in result.stderr
    # The call passing mode= does not bind to that variant: migrate will keep report's copy,
    # as its own run says (sweep 31).
    assert (
        "  report.ipynb:cell 3: call in cell 5 passes keyword 'mode' that helpers.smooth does"
        " not accept; migrate will keep that definition\n"
    ) in result.stderr


def test_from_naming_a_function_defined_once_extracts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real sweep 27: `--from a.ipynb:1` naming `one`, defined nowhere else, was ignored
    (exit 0, only the other helpers extracted); chosen, one definition is enough."""
    (tmp_path / "a.ipynb").write_text(
        _notebook("def one(x):\n    return x + 1", "def two(x):\n    return 2 * x")
    )
    (tmp_path / "b.ipynb").write_text(_notebook("def two(x):\n    return 2 * x"))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--from", "a.ipynb:1", "--to", "helpers.py", "a.ipynb", "b.ipynb")
    assert result.exit_code == 0, result.stderr
    assert "extracted one from a.ipynb:cell 1 (as --from asks)" in result.stderr.splitlines()
    assert re.findall(r"^def (\w+)", (tmp_path / "helpers.py").read_text(), re.MULTILINE) == [
        "one",
        "two",
    ]


def test_list_with_name_lists_that_helper_with_or_without_to(project: Path) -> None:
    """Real sweep 27: `--list --name plot_loss` without `--to` listed every helper defined
    twice and not plot_loss (defined once here)."""
    listed = run("extract", "--list", "--name", "plot_loss", "training.ipynb")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[0] == "plot_loss: 1 notebook, 1 variant: extractable"
    with_to = run("extract", "--list", "--name", "plot_loss", "--to", "h.py", "training.ipynb")
    assert listed.stdout == with_to.stdout


def test_a_to_that_is_a_folder_is_one_line_and_exit_2(project: Path) -> None:
    (project / "pkg.py").mkdir()
    result = run("extract", "--to", "pkg.py", *NOTEBOOKS)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["error: pkg.py: is a directory, not a module file"]


@pytest.mark.parametrize(
    ("to", "problem"),
    [
        ("code.py", "code is the name of a standard-library module"),  # ruff's A005
        ("statistics.py", "statistics is the name of a standard-library module"),
        ("my-helpers.py", "'my-helpers' is not a name Python can import"),
        ("class.py", "'class' is not a name Python can import"),
        # Sweep 25 X3: `--to cycler.py` beside notebooks using matplotlib broke its import.
        ("click.py", "click is the name of an installed module"),
        # Sweep 26 F2: in a kernel, `from __main__ import sq` imports from the notebook.
        ("__main__.py", "__main__ is the notebook's own module in its kernel"),
        # Sweep 27: a kernel has imported the installed comm before the notebook's first cell.
        ("comm.py", "comm is the name of a package IPython's kernel imports at its start"),
        ("pydevconsole.py", "pydevconsole is the name of a package IPython's kernel imports"),
        ("my.helpers.py", "my.helpers.py has a dot before .py: Python cannot import it by name"),
    ],
)
def test_a_module_the_notebooks_could_not_import_by_its_name_is_refused(
    project: Path, to: str, problem: str
) -> None:
    """`from code import smooth` would bind the standard library's `code`, which a kernel
    has already imported; `from class import smooth` does not parse."""
    before = snapshot(project)
    result = run("extract", "--to", to, "--migrate", *NOTEBOOKS)
    assert result.exit_code == 2
    assert f"Invalid value for '--to': {problem}" in result.stderr
    assert result.stderr.rstrip().endswith("choose another file name")
    assert snapshot(project) == before


def test_a_notebook_that_is_not_json_is_one_line_exit_2_and_nothing_is_written(
    project: Path,
) -> None:
    (project / "broken.ipynb").write_text("{not json")
    result = run("extract", "--to", "helpers.py", *NOTEBOOKS, "broken.ipynb")
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: broken.ipynb: ")
    assert "Traceback" not in result.stderr
    assert not (project / "helpers.py").exists()
    assert "helpers.py not written: a notebook could not be read" in result.stderr
    assert "next:" not in result.stderr  # no module to migrate to (sweep T repro_2)


def test_extract_then_migrate_replaces_every_extracted_definition(project: Path) -> None:
    assert run("extract", "--to", "helpers.py", *NOTEBOOKS).exit_code == 0
    migrated = run("migrate", "--module", "helpers.py", *NOTEBOOKS)
    assert migrated.exit_code == 0, migrated.stderr
    for notebook in NOTEBOOKS:
        assert not set(top_level_defs(project / notebook)) & set(EXTRACTED), notebook
    assert top_level_defs(project / "training.ipynb") == ["save_plot"]
    module = project / "helpers.py"
    written = module.read_bytes()
    again = run("extract", "--to", "helpers.py", *NOTEBOOKS)
    assert again.exit_code == 0
    assert module.read_bytes() == written


def test_a_second_extract_changes_nothing(project: Path) -> None:
    assert run("extract", "--to", "helpers.py", *NOTEBOOKS).exit_code == 0
    before = snapshot(project)
    result = run("extract", "--to", "helpers.py", *NOTEBOOKS)
    assert result.exit_code == 0
    assert "left smooth alone: already in helpers.py" in result.stderr
    assert snapshot(project) == before


def test_migrate_flag_extracts_and_migrates_in_one_run(project: Path) -> None:
    result = run("extract", "--migrate", "--to", "helpers.py", *NOTEBOOKS)
    assert result.exit_code == 0, result.stderr
    assert "next:" not in result.stderr
    assert "migrated report.ipynb" in result.stderr
    for notebook in NOTEBOOKS:
        assert not set(top_level_defs(project / notebook)) & set(EXTRACTED)


@pytest.mark.parametrize(("flags", "title"), [((), "v0.1.1"), (("--bump", "none"), "v0.1.0")])
def test_migrate_flag_takes_migrate_s_bump_and_jobs(project: Path, flags, title) -> None:
    """Sweep 32: `extract --migrate` had no `--bump` (nor `-j`), and always bumped the
    title's version: a user wanting none had to write it in the settings."""
    result = run("extract", "--migrate", "--to", "helpers.py", "-j", "1", *flags, *NOTEBOOKS)
    assert result.exit_code == 0, result.stderr
    heading = parse_notebook((project / "training.ipynb").read_text()).cells[0].source
    assert heading.startswith(f"# Training ({title})")


def test_migrate_s_options_without_migrate_are_a_usage_error(project: Path) -> None:
    before = snapshot(project)
    result = run("extract", "--to", "helpers.py", "--bump", "none", "-j", "2", *NOTEBOOKS)
    assert result.exit_code == 2
    assert "--bump and --jobs apply to --migrate, which is not given" in result.stderr
    assert snapshot(project) == before


def test_migrate_flag_in_json_gives_one_document(project: Path) -> None:
    before = snapshot(project)
    result = run(
        "extract",
        "--migrate",
        "--check",
        "--output-format",
        "json",
        "--to",
        "helpers.py",
        *NOTEBOOKS,
    )
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["extraction"]["changed"] is True
    assert {entry["status"] for entry in document["migrate"]["notebooks"]} == {"changed"}
    # Absolute, as migrate's own document gives it (docs sweep 28: it was `helpers.py`).
    assert document["migrate"]["module"]["file"] == str(project / "helpers.py")
    assert snapshot(project) == before


def test_the_module_imports_and_has_no_undefined_name(project: Path) -> None:
    assert run("extract", "--to", "helpers.py", *NOTEBOOKS).exit_code == 0
    imported = _print_from_helpers(project, "helpers.format_value(0.5)")
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == "0.500\n"
    ruff = Path(sys.executable).with_name("ruff")
    checked = subprocess.run(
        [
            str(ruff),
            "check",
            "--no-cache",
            "--isolated",
            "--select",
            "F821,F401,F811",
            "helpers.py",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout


PROBE = """
import sys
from nbrefactor.cli import main
try:
    main({arguments!r}, prog_name="nbrefactor")
except SystemExit:
    pass
print("LIBCST" if "libcst" in sys.modules else "NO-LIBCST", file=sys.stderr)
"""


@pytest.mark.parametrize(
    "arguments",
    [["extract", "--help"], ["extract", "--list", *NOTEBOOKS]],
    ids=["help", "list"],
)
def test_extract_imports_libcst_only_to_write(project: Path, arguments: list[str]) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE.format(arguments=arguments)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.stderr.splitlines()[-1] == "NO-LIBCST"


def test_extract_to_in_the_settings_is_read_from_the_settings_folder(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.nbrefactor]\nextract-to = "lib/helpers.py"\n')
    (project / "lib").mkdir()
    result = run("extract", *NOTEBOOKS)
    assert result.exit_code == 0, result.stderr
    assert (project / "lib" / "helpers.py").read_bytes() == (
        CASE / "helpers.expected.py"
    ).read_bytes()


def test_without_to_or_list_is_a_usage_error(project: Path) -> None:
    result = run("extract", *NOTEBOOKS)
    assert result.exit_code == 2
    assert "give the module file with --to FILE (or --list)" in result.stderr


def test_github_format_fails_the_check_on_the_module_and_annotates_skipped_helpers(
    project: Path,
) -> None:
    """As migrate's: the module --check would write is an error (what fails the job), a
    skipped helper a warning."""
    result = run(
        "extract", "--check", "--output-format", "github", "--to", "helpers.py", *NOTEBOOKS
    )
    assert result.exit_code == 1
    error = "::error file=helpers.py,title=nbrefactor extract would write::would create helpers.py"
    # CLI sweep 27: on the notebook first defining it, and the text report not repeated.
    skipped = "::warning file=training.ipynb,title=nbrefactor extract skipped::skipped save_plot"
    assert result.stdout.splitlines() == [
        f"{error}: 3 definitions, 2 imports",
        f"{skipped}: reads notebook variable FIG_DIR (training.ipynb:cell 2)",
    ]
    assert result.stderr.splitlines() == [
        "would create helpers.py: 3 definitions, 2 imports",
        "next: nbrefactor migrate --module helpers.py training.ipynb evaluation.ipynb report.ipynb",
    ]
    quiet = run(
        "extract", "--check", "-q", "--output-format", "github", "--to", "helpers.py", *NOTEBOOKS
    )
    assert quiet.stdout.splitlines() == result.stdout.splitlines()[:1]


@pytest.mark.parametrize(("flag", "level"), [("--dry-run", "warning"), (None, "notice")])
def test_github_format_annotates_a_module_written_or_shown(
    project: Path, flag: str | None, level: str
) -> None:
    options = () if flag is None else (flag,)
    result = run("extract", *options, "--output-format", "github", "--to", "helpers.py", *NOTEBOOKS)
    assert result.exit_code == 0, result.stderr
    verb = "would create" if flag else "created"
    title = "would write" if flag else "wrote"
    annotation = (
        f"::{level} file=helpers.py,title=nbrefactor extract {title}"
        f"::{verb} helpers.py: 3 definitions, 2 imports"
    )
    assert annotation in result.stdout.splitlines()
    assert (project / "helpers.py").exists() is (flag is None)


def test_github_format_names_an_unreadable_notebook_in_an_error(project: Path) -> None:
    (project / "broken.ipynb").write_text("{", encoding="utf-8")
    result = run(
        "extract",
        "--check",
        "--output-format",
        "github",
        "--to",
        "helpers.py",
        *NOTEBOOKS,
        "broken.ipynb",
    )
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0].startswith(
        "::error file=broken.ipynb,title=nbrefactor cannot extract::invalid JSON"
    )


@pytest.mark.parametrize(
    ("place", "message"),
    [
        ("training.ipynb:1", "'--from': training.ipynb:1: no top-level function is defined"),
        ("training.ipynb", "is not PATH:CELL"),
        ("missing.ipynb:3", "'--from': missing.ipynb: not one of the notebooks read"),
    ],
)
def test_from_a_place_without_a_function_is_a_usage_error(
    project: Path, place: str, message: str
) -> None:
    result = run("extract", "--to", "helpers.py", "--from", place, *NOTEBOOKS)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (project / "helpers.py").exists()


def test_nothing_to_extract_creates_no_module(project: Path) -> None:
    """Every helper skipped: a module of a docstring alone would give migrate nothing."""
    result = run("extract", "--to", "helpers.py", "--name", "save_plot", "--migrate", *NOTEBOOKS)
    assert result.exit_code == 0
    assert (
        "skipped save_plot: reads notebook variable FIG_DIR (training.ipynb:cell 2)"
        in result.stderr
    )
    assert "nothing to extract: helpers.py not created" in result.stderr
    assert not (project / "helpers.py").exists()


def _notebook(*cells: str) -> str:
    return json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "metadata": {},
                    "source": source,
                    "outputs": [],
                    "execution_count": None,
                }
                for source in cells
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def test_migrate_after_extracting_nothing_into_a_module_without_functions_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The module holds constants only and the helper is skipped: there is nothing to
    migrate to, which is no error (it was `error: helpers.py: helpers.py: declares no
    public functions`, exit 2)."""
    helper = "def mean2(xs):\n    return float(np.mean(xs)) * 2"
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(_notebook("import numpy as np", helper))
    (tmp_path / "helpers.py").write_text("import numpy as np\n\nTAU = float(np.pi * 2)\ndel np\n")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    result = run("extract", "--to", "helpers.py", "--migrate", "a.ipynb", "b.ipynb")
    assert result.exit_code == 0, result.output
    assert "skipped mean2: it needs `import numpy as np`, but the module binds np otherwise" in (
        result.stderr
    )
    assert "error" not in result.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("imported", "loaded"),
    [
        ("from helpers import load", "load()"),
        ("import helpers", "helpers.load()"),  # sweep Y repro_3
    ],
)
def test_a_module_named_like_one_the_notebooks_import_from_elsewhere_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, imported: str, loaded: str
) -> None:
    """Sweep U repro_3: the notebooks import `load` from the project's src/helpers.py; a new
    notebooks/helpers.py would shadow it (`''` comes before `../src`), and their first cell
    would fail. Extending src/helpers.py itself is what they can import."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "helpers.py").write_text("def load():\n    return [1.0, 2.0]\n")
    (tmp_path / "notebooks").mkdir()
    setup = f'import sys\nsys.path.append("../src")\n{imported}'
    for name in ("a", "b"):
        (tmp_path / "notebooks" / f"{name}.ipynb").write_text(
            _notebook(setup, "def total(v):\n    return sum(v) * 2", f"print(total({loaded}))")
        )
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    before = snapshot(tmp_path / "notebooks")
    result = run("extract", "--to", "helpers.py", "--migrate", "a.ipynb", "b.ipynb")
    assert result.exit_code == 2
    cell = 1 if imported.startswith("from") else 3  # where `helpers.load` is taken
    assert (
        f"a.ipynb:cell {cell} imports load from helpers, which the new module would not define: "
        "the notebooks import another helpers; choose another --to"
    ) in result.stderr
    assert snapshot(tmp_path / "notebooks") == before
    result = run("extract", "--to", "../src/helpers.py", "--migrate", "a.ipynb", "b.ipynb")
    assert result.exit_code == 0, result.output
    assert "def total(v):" in (tmp_path / "src" / "helpers.py").read_text()
    assert "replaced total (cell 2)" in result.stderr


_INC = ("def inc(x):\n    return x + 1", "print(inc(2))")


@pytest.mark.parametrize(
    "importing",
    [
        "try:\n    import fancylib\nexcept ImportError:\n    fancylib = None",
        "try:\n    import fancylib as fl\nexcept ImportError:\n    fl = None",
        "import importlib.util\nfound = importlib.util.find_spec('fancylib') is not None",
        "try:\n    from fancylib import *\nexcept ImportError:\n    pass",
        "try:\n    __import__('fancylib')\nexcept ImportError:\n    pass",
        # Round 59b F3: the import as code in a string.
        'try:\n    exec("import fancylib")\nexcept ImportError:\n    pass',
        "exec('try:\\n    import fancylib\\nexcept ImportError:\\n    pass')",
        "get_ipython().run_cell('import fancylib as fl')",
    ],
)
def test_a_new_module_named_like_one_a_notebook_imports_itself_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, importing: str
) -> None:
    """Round 57b F4: `import fancylib` of an optional package not installed raised
    ImportError, and the notebook printed `fancylib available: False`; a new fancylib.py
    beside it is what the import then finds. Refused as `from fancylib import fast` is (and
    `import fancylib.sub` was: no submodule `sub`)."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(_notebook(importing, *_INC))
    assert (
        "a.ipynb:cell 1 imports fancylib, which would then find the new module where it found"
        " another fancylib or none; choose another --to"
    ) in _refused(tmp_path, monkeypatch, "fancylib.py")


@pytest.mark.parametrize(
    "importing",
    [
        "try:\n    from fancylib import inc\nexcept ImportError:\n    print('fallback')",
        "exec('from fancylib import inc as inc2')",
    ],
)
def test_an_import_of_a_name_the_new_module_defines_is_refused_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, importing: str
) -> None:
    """Round 61b F5: `try: from fancylib import inc` with a fallback found no fancylib before
    the file existed; the new file would define `inc`, and the notebook took the other path."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(_notebook(importing, *_INC))
    assert (
        "a.ipynb:cell 1 imports inc from fancylib, which would then find the new module where"
        " it found another fancylib or none; choose another --to"
    ) in _refused(tmp_path, monkeypatch, "fancylib.py")


@pytest.mark.parametrize(
    "importing",
    [
        "try:\n    from fancylib import inc\nexcept ImportError:\n    print('fallback')",
        "exec('from fancylib import inc as inc2')",
    ],
)
def test_an_import_of_a_name_an_existing_module_gains_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, importing: str
) -> None:
    """Round 73b F5: fancylib.py exists without `inc`: the import raised ImportError and the
    fallback ran; extended with `inc`, the import finds it, and the notebook takes the other
    path."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(_notebook(importing, *_INC))
    (tmp_path / "fancylib.py").write_text("X = 1\n")
    assert (
        "a.ipynb:cell 1 imports inc from fancylib, which fancylib.py does not define yet:"
        " extended, the import would find it where it raised ImportError; choose another --to"
    ) in _refused(tmp_path, monkeypatch, "fancylib.py")


def test_an_import_of_a_name_an_existing_module_has_lets_it_be_extended(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It found the module's `X` before, and finds it after: no reason to refuse."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(_notebook("from fancylib import X", *_INC))
    (tmp_path / "fancylib.py").write_text("X = 1\n")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "fancylib.py", ".")
    assert result.exit_code == 0, result.output
    assert "def inc(x):" in (tmp_path / "fancylib.py").read_text()


def test_a_from_import_in_an_exec_string_is_read_as_the_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 59b F3: `exec("from fancylib import fast")` found no fancylib before; the new
    module, which has no `fast`, is refused as for the import written as code."""
    importing = 'try:\n    exec("from fancylib import fast")\nexcept ImportError:\n    pass'
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(_notebook(importing, *_INC))
    assert (
        "a.ipynb:cell 1 imports fast from fancylib, which the new module would not define"
    ) in _refused(tmp_path, monkeypatch, "fancylib.py")


@pytest.mark.parametrize("named", [True, False])
def test_code_run_by_value_counts_as_an_import_when_a_string_names_the_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: bool
) -> None:
    """Round 59b F3: `exec(code)` runs code that cannot be read; when a string of the
    notebook names the module, the code may import it, and the new module is refused. Other
    code run by value is no reason: the notebook cannot name a module it does not write."""
    library = "fancylib" if named else "otherlib"
    importing = f'code = "import {library}"\ntry:\n    exec(code)\nexcept ImportError:\n    pass'
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(_notebook(importing, *_INC))
    if not named:
        (tmp_path / ".git").mkdir()
        monkeypatch.chdir(tmp_path)
        result = run("extract", "--to", "fancylib.py", "--migrate", ".")
        assert result.exit_code == 0, result.output
        assert "def inc(x):" in (tmp_path / "fancylib.py").read_text()
        return
    assert (
        "a.ipynb:cell 1 runs code given by a value (`exec(code)`), and a string in cell 1 names"
        " fancylib: the code may import fancylib, which would then find the new module where it"
        " found another fancylib or none; choose another --to"
    ) in _refused(tmp_path, monkeypatch, "fancylib.py")


def _refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, to: str) -> str:
    """`extract --to TO --migrate .` in `tmp_path` (a project root), which must refuse (exit
    2) and change nothing: its stderr."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    result = run("extract", "--to", to, "--migrate", ".")
    assert result.exit_code == 2, result.output
    assert snapshot(tmp_path) == before
    return result.stderr


def test_a_module_a_notebook_imports_itself_is_extended_when_it_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is there: `import fancylib` found it before, and finds it after."""
    importing = "try:\n    import fancylib\nexcept ImportError:\n    fancylib = None"
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(_notebook(importing, *_INC))
    (tmp_path / "fancylib.py").write_text("X = 1\n")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "fancylib.py", "--migrate", ".")
    assert result.exit_code == 0, result.output
    assert "def inc(x):" in (tmp_path / "fancylib.py").read_text()


_F = ("def f(x):\n    return x + 1",)


@pytest.mark.parametrize(
    "running",
    [
        "%run helpers.py",
        "%run -i helpers.py",
        "%run helpers",
        "run helpers.py",
        # round 73b F4: the file run in the notebook's namespace
        'exec(open("helpers.py").read())',
        'exec(compile(open("helpers.py").read(), "helpers.py", "exec"))',
        # round 75b F1: other spellings of reading the file
        'with open("helpers.py") as fh:\n    exec(fh.read())',
        'import pathlib\nexec(pathlib.Path("helpers.py").read_text())',
    ],
)
def test_a_helper_a_run_of_the_module_would_bind_over_a_notebook_name_is_not_extracted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, running: str
) -> None:
    """Round 57b F5: `%run helpers.py` binds every name of the file in the notebook, as a
    star import does: c.ipynb printed the extracted function instead of `mine 1`."""
    (tmp_path / "helpers.py").write_text("X = 1\n")
    (tmp_path / "a.ipynb").write_text(_notebook(*_F, "print(f(2))"))
    (tmp_path / "b.ipynb").write_text(_notebook(*_F, "print(f(3))"))
    (tmp_path / "c.ipynb").write_text(_notebook('f = "mine"', running, "print(f, X)"))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    result = run("extract", "--to", "helpers.py", "--migrate", ".")
    assert result.exit_code == 0, result.output
    shown = running.splitlines()[-1].strip()
    assert (
        f"skipped f: c.ipynb:cell 2 runs helpers.py (`{shown}`) after binding f (cell 1),"
        " which the run would then rebind"
    ) in result.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "running",
    [
        'exec(open("helpers.py").read(), {})',
        'exec(open("helpers.py").read(), {**globals()})',  # round 77a F8: binds in a copy
    ],
)
def test_a_run_of_the_module_in_a_namespace_of_its_own_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, running: str
) -> None:
    """Round 75b F7: `exec(open("helpers.py").read(), {})` binds nothing of the notebook's:
    f is extracted."""
    (tmp_path / "helpers.py").write_text("X = 1\n")
    (tmp_path / "a.ipynb").write_text(_notebook(*_F, "print(f(2))"))
    (tmp_path / "b.ipynb").write_text(_notebook(*_F, "print(f(3))"))
    (tmp_path / "c.ipynb").write_text(_notebook('f = "mine"', running, "print(f)"))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "helpers.py", "--migrate", ".")
    assert result.exit_code == 0, result.output
    assert "def f(x):" in (tmp_path / "helpers.py").read_text()


def test_a_run_of_the_module_before_the_notebook_binds_the_name_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`f = "mine"` after the `%run` binds f over what the run bound: f is extracted."""
    (tmp_path / "helpers.py").write_text("X = 1\n")
    (tmp_path / "a.ipynb").write_text(_notebook(*_F, "print(f(2))"))
    (tmp_path / "b.ipynb").write_text(_notebook(*_F, "print(f(3))"))
    (tmp_path / "c.ipynb").write_text(_notebook("%run helpers.py", 'f = "mine"', "print(f, X)"))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "helpers.py", "--migrate", ".")
    assert result.exit_code == 0, result.output
    assert "def f(x):" in (tmp_path / "helpers.py").read_text()


def test_a_new_module_a_notebook_runs_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 57b F5: `%run helpers.py` said `File not found` and the notebook went on; a new
    helpers.py is what it would then run."""
    (tmp_path / "a.ipynb").write_text(_notebook(*_F, "print(f(2))"))
    (tmp_path / "b.ipynb").write_text(_notebook(*_F, "print(f(3))"))
    (tmp_path / "c.ipynb").write_text(_notebook("%run helpers.py", "print(1)"))
    assert (
        "c.ipynb:cell 1 runs helpers.py (`%run helpers.py`), which would then run the new module"
        " where it found no file; choose another --to"
    ) in _refused(tmp_path, monkeypatch, "helpers.py")


MEAN = "def mean(xs):\n    return float(np.mean(xs))"
FETCH = "def fetch(name):\n    return absent_datareader.get(name)"


@pytest.fixture
def optional_dependency(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two notebooks use `mean` and import numpy only; two use `fetch`, which needs
    `absent_datareader` (installed nowhere)."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(
            _notebook("import numpy as np", MEAN, "print(mean([1, 2]))")
        )
    for name in ("c", "d"):
        (tmp_path / f"{name}.ipynb").write_text(
            _notebook("import numpy as np\nimport absent_datareader", MEAN, FETCH)
        )
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "loads",
    [
        "%run helpers.py",
        "import importlib\nhelpers = importlib.import_module('helpers')",
        "exec('from helpers import load')",
    ],
)
def test_a_notebook_loading_the_module_otherwise_than_by_import_gets_the_guard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loads: str
) -> None:
    """Round 61b: c.ipynb ran `%run helpers.py`; the import a.ipynb and b.ipynb make for
    `style` went unguarded into the module, and c.ipynb raised ModuleNotFoundError there."""
    (tmp_path / "helpers.py").write_text("def load(x):\n    return x * 10\n")
    style = "def style():\n    return absent_fancyplot.NAME.upper()"
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(
            _notebook("import absent_fancyplot", style, "print(style())")
        )
    (tmp_path / "c.ipynb").write_text(_notebook(loads, "print(1)"))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    listed = json.loads(
        run("extract", "--to", "helpers.py", "--dry-run", ".", "--output-format", "json").stdout
    )
    assert listed["extraction"]["guarded"] == [
        {"import": "import absent_fancyplot", "notebook": "c.ipynb"}
    ]


def test_the_next_command_names_the_module_as_the_notebooks_will_import_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 61b: `pkg/helpers.py` beside the notebooks of a package folder is `helpers` to
    their kernels (`extract --migrate` imports it so); the `next:` command left that out,
    and the migrate it ran wrote `from pkg.helpers import f`, which their kernels cannot find."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    for name in ("a", "c"):
        (tmp_path / "pkg" / f"{name}.ipynb").write_text(
            _notebook("def f(x):\n    return x * 2", "print(f(1))")
        )
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    extracted = run("extract", "--to", "pkg/helpers.py", "pkg")
    assert extracted.exit_code == 0, extracted.stderr
    command = "nbrefactor migrate --module pkg/helpers.py --import-name helpers pkg"
    assert f"next: {command}" in extracted.stderr.splitlines()
    migrated = run(*shlex.split(command)[1:])
    assert migrated.exit_code == 0, migrated.stderr
    cells = json.loads((tmp_path / "pkg" / "a.ipynb").read_text())["cells"]
    assert cells[0]["source"] == "from helpers import f"


def test_an_import_some_notebooks_do_not_make_is_guarded(optional_dependency: Path) -> None:
    """a.ipynb ran without `absent_datareader`: migrated, it imports the module, which must
    import there too (sweep E and G: pandas_datareader, mesa's optional extra)."""
    notebooks = ["a.ipynb", "b.ipynb", "c.ipynb", "d.ipynb"]
    listed = json.loads(
        run(
            "extract", "--to", "helpers.py", "--dry-run", *notebooks, "--output-format", "json"
        ).stdout
    )
    assert listed["extraction"]["guarded"] == [
        {"import": "import absent_datareader", "notebook": "a.ipynb"}
    ]
    extracted = run("extract", "--to", "helpers.py", *notebooks)
    assert extracted.exit_code == 0
    # Sweep 27 (mesa): what importing the module now runs in a.ipynb is said.
    assert (
        "guarded `import absent_datareader` (try/except): a.ipynb may run without it, and will"
        " run it by importing the module, wherever it can be imported"
    ) in extracted.stderr.splitlines()
    module = (optional_dependency / "helpers.py").read_text()
    assert "\nimport numpy as np\n" in module  # every importer imports numpy itself
    assert (
        "try:\n    import absent_datareader\n"
        "except Exception:  # not every notebook importing this module has it\n"
        "    absent_datareader = None\n"
    ) in module
    imported = _print_from_helpers(optional_dependency, "helpers.mean([1, 2])")
    assert (imported.returncode, imported.stdout) == (0, "1.5\n"), imported.stderr
    assert run("extract", "--check", "--to", "helpers.py", *notebooks).exit_code == 0
    migrated = run("migrate", "--module", "helpers.py", *notebooks)
    assert migrated.exit_code == 0, migrated.stderr
    assert "kept" not in migrated.stderr
    for notebook in notebooks:
        assert not {"mean", "fetch"} & set(top_level_defs(optional_dependency / notebook))


@pytest.mark.parametrize("migrate", [False, True])
def test_an_import_is_not_guarded_for_a_notebook_whose_copy_migrate_keeps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, migrate: bool
) -> None:
    """Round 59b F6.2: b.ipynb's `f` reads the builtin `round`, and migrate keeps it; yet
    the import was guarded for b.ipynb ("b.ipynb ... will run it by importing the module",
    `# not every notebook importing this module has it`), which never imports the module:
    the two that do import numpy themselves."""
    f = "def f(x):\n    return round(x)"
    for name in ("a", "c"):
        (tmp_path / f"{name}.ipynb").write_text(
            _notebook("from numpy import round", f, "print(repr(f(2.5)))")
        )
    (tmp_path / "b.ipynb").write_text(_notebook(f, "print(repr(f(2.5)))"))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "helpers.py", *(["--migrate"] if migrate else []), ".")
    assert result.exit_code == 0, result.output
    assert "guarded" not in result.stderr
    module = (tmp_path / "helpers.py").read_text()
    assert "\nfrom numpy import round\n" in module
    assert "try:" not in module
    if migrate:
        assert "unchanged b.ipynb" in result.stderr
        assert "def f(x)" in (tmp_path / "b.ipynb").read_text()


def test_a_helper_is_not_left_out_for_a_notebook_whose_copy_migrate_keeps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 61b F6: `h` reads `np` while the module is imported (its annotation), and was
    left out for c.ipynb, which lacks numpy ("c.ipynb, which would import the module, never
    runs `import numpy as np`"); but migrate keeps c.ipynb's `f` (a call it rejects), so
    c.ipynb never imports the module. A second run extracted `h`: `extract --check` failed
    right after `extract --migrate`. Planned again for the notebooks that import it."""
    f = "def f(x):\n    return int(np.sum(x))"
    h = "def h(x: np.ndarray) -> int:\n    return len(x)"
    (tmp_path / "a.ipynb").write_text(
        _notebook("import numpy as np", f, h, "print(f([1, 2]), h(np.zeros(3)))")
    )
    (tmp_path / "c.ipynb").write_text(
        _notebook(f, "try:\n    print(f([1], 2))\nexcept Exception as e:\n    print(e)")
    )
    (tmp_path / "d.ipynb").write_text(_notebook("import numpy as np", h, "print(h(np.ones(2)))"))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "helpers.py", "--migrate", ".")
    assert result.exit_code == 0, result.output
    assert "skipped h" not in result.stderr
    assert "created helpers.py: 2 definitions, 1 import" in result.stderr.splitlines()
    assert "unchanged c.ipynb" in result.stderr
    assert top_level_defs(tmp_path / "a.ipynb") == []
    assert top_level_defs(tmp_path / "c.ipynb") == ["f"]
    assert top_level_defs(tmp_path / "d.ipynb") == []
    _assert_settled(tmp_path)


def test_a_helper_keeping_state_in_notebooks_another_runs_stays_in_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 62b F1: `c.ipynb` ran `a.ipynb` and `b.ipynb`, each defining `add(x, acc=[])`:
    each `%run` made a new `acc`. `extract --migrate` moved `add`, both imported the
    module's one, and `c.ipynb`'s second print gave 3, not 1. migrate keeps those copies
    (`NBR272`); d.ipynb's, which no notebook runs, moves."""
    add = "def add(x, acc=[]):\n    acc.append(x)\n    return len(acc)"
    (tmp_path / "a.ipynb").write_text(_notebook(add, "print(add(1), add(2))"))
    (tmp_path / "b.ipynb").write_text(_notebook(add, "print(add(1))"))
    (tmp_path / "c.ipynb").write_text(_notebook("%run a.ipynb", "%run b.ipynb"))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "helpers.py", "--migrate", ".")
    assert result.exit_code == 0, result.output
    assert (
        "skipped add: migrate would keep every definition of it (a.ipynb:cell 1: c.ipynb runs"
        " this notebook (`%run a.ipynb`, cell 1) and b.ipynb, which may define add: each run"
        " makes its own acc=[], where one import would share helpers.add's)"
    ) in result.stderr.splitlines()
    assert not (tmp_path / "helpers.py").exists()
    assert top_level_defs(tmp_path / "a.ipynb") == ["add"]
    assert top_level_defs(tmp_path / "b.ipynb") == ["add"]
    (tmp_path / "d.ipynb").write_text(_notebook(add, "print(add(1))"))
    result = run("extract", "--to", "helpers.py", "--migrate", ".")
    assert result.exit_code == 0, result.output
    assert "migrated d.ipynb" in result.stderr.splitlines()
    assert top_level_defs(tmp_path / "a.ipynb") == ["add"]
    assert top_level_defs(tmp_path / "d.ipynb") == []
    _assert_settled(tmp_path)


def test_a_helper_keeping_state_in_a_setup_notebook_others_run_once_moves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 62c K1: setup.ipynb holds `log(msg, acc=[])` and an `@lru_cache` loader, and
    a.ipynb and b.ipynb each run it once (`%run`, `%run -i`): each kernel runs each `def`
    once, so one import shares nothing more. Both helpers move and setup.ipynb imports them."""
    log = "def log(msg, acc=[]):\n    acc.append(msg)\n    return len(acc)"
    load = (
        "import functools\n\n\n@functools.lru_cache(maxsize=None)\n"
        "def load(n):\n    return list(range(n))"
    )
    (tmp_path / "setup.ipynb").write_text(_notebook(load, log))
    (tmp_path / "other.ipynb").write_text(_notebook(load, log, "print(log(load(2)))"))
    (tmp_path / "a.ipynb").write_text(_notebook("%run setup.ipynb", "print(log('a'))"))
    (tmp_path / "b.ipynb").write_text(_notebook("%run -i setup.ipynb", "print(load(3))"))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "helpers.py", "--migrate", ".")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert "migrated setup.ipynb" in lines
    assert "  replaced log (cell 2)" in lines
    assert top_level_defs(tmp_path / "setup.ipynb") == []
    assert "def load(n):" in (tmp_path / "helpers.py").read_text()
    _assert_settled(tmp_path)


def test_a_legacy_name_of_the_module_is_already_in_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 62b F2: with `__legacy_names__ = {"dbl": "double"}` in helpers.py, extract
    appended `def dbl` and named it in `__all__`; migrate then refused the module (exit 2),
    on that run and every later one. A legacy name is the module's, as migrate reads it:
    left alone, and its copies replaced by `double`; a helper calling it is not moved until
    migrate has renamed its calls."""
    module = (
        '__all__ = ["double"]\n__legacy_names__ = {"dbl": "double"}\n\n\n'
        "def double(x):\n    return x * 2\n"
    )
    (tmp_path / "helpers.py").write_text(module)
    dbl = "def dbl(x):\n    return x * 2"
    tri = "def tri(x):\n    return x * 3"
    quad = "def quad(x):\n    return dbl(dbl(x))"
    for name in ["a.ipynb", "b.ipynb"]:
        (tmp_path / name).write_text(_notebook(dbl, tri, quad, "print(dbl(2), tri(2), quad(2))"))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    listed = run("extract", "--list", "--to", "helpers.py", ".")
    assert "dbl: 2 notebooks, 1 variant: already in helpers.py" in listed.stdout.splitlines()
    result = run("extract", "--to", "helpers.py", "--migrate", ".")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert "left dbl alone: already in helpers.py" in lines
    assert (
        "skipped quad: it needs dbl, an old name of helpers.double (__legacy_names__), which"
        " the module does not bind"
    ) in lines
    text = (tmp_path / "helpers.py").read_text()
    assert "def dbl" not in text
    assert '__all__ = ["double", "tri"]' in text
    for name in ["a.ipynb", "b.ipynb"]:
        assert top_level_defs(tmp_path / name) == ["quad"]
        assert "from helpers import double, tri" in (tmp_path / name).read_text()
    # migrate renamed quad's calls (`double(double(x))`): the next run moves it.
    second = run("extract", "--to", "helpers.py", "--migrate", ".")
    assert second.exit_code == 0, second.output
    assert "def quad(x):\n    return double(double(x))\n" in (tmp_path / "helpers.py").read_text()
    named = run("extract", "--name", "dbl", "--to", "helpers.py", ".")  # no notebook defines it
    assert named.exit_code == 0, named.output
    _assert_settled(tmp_path)


@pytest.mark.parametrize("mode", [None, "--dry-run", "--check"])
def test_migrate_flag_refuses_a_module_the_notebooks_cannot_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str | None
) -> None:
    """A kernel starts in the notebook's folder: there, `from helpers import add` fails. Plain
    `migrate` warns (sweep L); `extract --migrate` wrote the module and migrated all the
    same, and every notebook then failed (sweep 25 X2): it writes nothing, exit 2."""
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "nb.ipynb").write_text(
            _notebook("def add(x, y):\n    return x + y", "print(add(1, 2))")
        )
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    before = {path: path.read_bytes() for path in tmp_path.rglob("*.ipynb")}
    result = run("extract", "--migrate", *filter(None, [mode]), "--to", "helpers.py", ".")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.splitlines()[-1] == (
        "error: helpers.py: the kernel of one/nb.ipynb (and 1 other notebook), started in one,"
        " would not find helpers: nothing written; put the module beside the notebooks, or"
        " install it and then migrate"
    )
    assert not (tmp_path / "helpers.py").exists()
    assert {path: path.read_bytes() for path in tmp_path.rglob("*.ipynb")} == before
    beside = run("extract", "--migrate", "--to", "one/helpers.py", "one/nb.ipynb")
    assert beside.exit_code == 0, beside.stderr
    # Round 50b: without --migrate, the module is written, and the next step, which would
    # break the notebooks, is not given: a warning says why instead.
    result = run("extract", *filter(None, [mode]), "--to", "helpers.py", ".")
    assert result.exit_code == (1 if mode == "--check" else 0), result.stderr
    warning = (
        "warning: the kernel of one/nb.ipynb (and 1 other notebook), started in one, would not"
        " find helpers once migrated: put the module beside the notebooks, or install it,"
        " before `nbrefactor migrate`"
    )
    assert warning in result.stderr.splitlines()
    assert "next:" not in result.stderr
    document = json.loads(
        run("extract", "--output-format", "json", "--to", "helpers.py", ".").stdout
    )
    assert document["extraction"]["not_found"] == warning.removeprefix("warning: ")
    assert document["extraction"]["next"] is None


def test_migrate_flag_says_nothing_of_notebooks_beside_the_module(project: Path) -> None:
    result = run("extract", "--migrate", "--dry-run", "--to", "helpers.py", *NOTEBOOKS)
    assert result.exit_code == 0, result.stderr
    assert "neither installed nor beside" not in result.stderr


@pytest.mark.parametrize("mode", ["--dry-run", None])
def test_a_module_in_a_package_folder_beside_its_notebooks_is_imported_by_its_bare_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str | None
) -> None:
    """Sweep Z repro_1 (mesa's examples): the notebooks' folder holds an `__init__.py`. Its
    kernel starts there and finds `h_nb` beside it, not the package `pkg`, which is not
    installed: `from pkg.h_nb import f` raised ModuleNotFoundError. And `--dry-run`, which
    reads a copy of the module elsewhere, showed `from h_nb import f` all the same."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    notebook = tmp_path / "pkg" / "nb.ipynb"
    notebook.write_text(_notebook("def add(x, y):\n    return x + y", "print(add(1, 2))"))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    arguments = ["extract", "--migrate", "--name", "add", "--to", "pkg/h_nb.py", "pkg/nb.ipynb"]
    result = run(*arguments, *([mode] if mode else []))
    assert result.exit_code == 0, result.stderr
    assert "  import: added 'from h_nb import add' to cell 1" in result.stderr.splitlines()
    assert "neither installed nor beside" not in result.stderr
    if mode is None:
        done = subprocess.run(
            [sys.executable, "-c", "from h_nb import add; print(add(1, 2))"],
            cwd=tmp_path / "pkg",
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.stdout == "3\n", done.stderr


def test_a_new_module_in_a_package_beside_the_notebook_is_migrated_to_in_every_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Extract sweep 27: `--dry-run` and `--check` read a copy of the new `pkg/helpers.py`
    elsewhere and took the existing `pkg/` for another module of its name (`kept add: its
    import would bind the pkg/ beside the notebook`), where the write then migrated."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "nb.ipynb").write_text(
        _notebook("def add(x, y):\n    return x + y", "print(add(1, 2))")
    )
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    arguments = ["extract", "--migrate", "--name", "add", "--to", "pkg/helpers.py", "nb.ipynb"]
    added = "  import: added 'from pkg.helpers import add' to cell 1"
    for mode, code in (("--dry-run", 0), ("--check", 1), (None, 0)):
        result = run(*arguments, *([mode] if mode else []))
        assert result.exit_code == code, result.stderr
        assert "kept add" not in result.stderr
        if mode != "--check":
            assert added in result.stderr.splitlines()
    done = subprocess.run(
        [sys.executable, "-c", "from pkg.helpers import add; print(add(1, 2))"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout == "3\n", done.stderr


def test_a_module_beside_a_package_of_its_name_is_refused(project: Path) -> None:
    """Extract sweep 27: `--to helpers.py` beside `helpers/__init__.py` wrote a module that
    `import helpers` never finds (the package is found first), and exited 0."""
    (project / "helpers").mkdir()
    (project / "helpers" / "__init__.py").write_text("")
    before = snapshot(project)
    result = run("extract", "--to", "helpers.py", *NOTEBOOKS)
    assert result.exit_code == 2
    assert (
        "helpers/ beside it is a package, which `import helpers` finds instead of helpers.py"
    ) in " ".join(result.stderr.split())
    assert snapshot(project) == before


@pytest.mark.parametrize("suffix", EXTENSION_SUFFIXES)
def test_a_module_beside_an_extension_module_of_its_name_is_refused(
    project: Path, suffix: str
) -> None:
    """Round 63 F1: `--to helpers.py --migrate` beside helpers.cpython-311-...so (a stale
    build, which `import helpers` finds first) wrote helpers.py and migrated: the notebooks
    then called the build's functions. The file is never loaded: a name is enough."""
    (project / f"helpers{suffix}").write_bytes(b"not an ELF file")
    before = snapshot(project)
    result = run("extract", "--to", "helpers.py", "--migrate", *NOTEBOOKS)
    assert result.exit_code == 2
    assert (
        f"helpers{suffix} beside it is an extension module, which `import helpers` finds"
        " instead of helpers.py"
    ) in " ".join(result.stderr.split())
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("setup", "to", "kept"),
    [
        (
            {"pkg/__init__.py": "print('pkg imported')\n"},
            "pkg/helpers.py",
            (
                "kept add (cell 1): importing pkg.helpers runs `print('pkg imported')`"
                " (pkg/__init__.py, line 1), which no earlier import of the notebook runs"
            ),
        ),
        (
            {},
            "helpers.py",
            (
                "kept add (cell 2): cell 1 changes the working folder (`os.chdir('.')`) before the"
                " import's place (cell 1), and helpers is found only in the notebook's folder"
            ),
        ),
    ],
)
def test_dry_run_and_check_judge_a_new_module_where_it_will_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setup: dict[str, str], to: str, kept: str
) -> None:
    """Extract sweep 27: `--dry-run` read its copy of the new module in a temporary folder,
    so the effect of the package above it (`pkg/__init__.py` printing) and a `chdir` away
    from the folder that would hold it were not seen: it said `would migrate`, where the
    write kept every definition. Every definition kept, the helper is not extracted, and
    no module is written, in every mode (round 49c F4)."""
    for name, text in setup.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
    cells = ("def add(x, y):\n    return x + y", "print(add(1, 2))")
    if not setup:
        cells = ("import os\nos.chdir('.')", *cells)
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(_notebook(*cells))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    arguments = ["extract", "--migrate", "--to", to, "a.ipynb", "b.ipynb"]
    dry_run = run(*arguments, "--dry-run", "-v").stderr.splitlines()
    check = run(*arguments, "--check")
    written = run(*arguments).stderr.splitlines()
    cell, reason = kept.removeprefix("kept add (cell ").split("): ", 1)
    skipped = (
        f"skipped add: migrate would keep every definition of it (a.ipynb:cell {cell}: {reason})"
    )
    assert [line for line in dry_run if line.startswith("skipped")] == [skipped]
    assert [line for line in written if line.startswith("skipped")] == [skipped]
    assert check.exit_code == 0
    assert f"nothing to extract: {to} not created" in check.stderr
    assert not (tmp_path / to).exists()


@pytest.mark.parametrize("own_import", ["from .consts import K", "from pkg.consts import K"])
def test_a_module_importing_its_own_package_is_not_migrated_to_where_it_is_not_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, own_import: str
) -> None:
    """Sweep s24 N1: imported by its bare name from the notebooks' folder, `pkg/h_nb.py`'s
    own `from .consts import K` fails (ImportError), and the migrated notebooks with it;
    by its dotted name, `pkg` is not found from there either (it was written with a
    warning): nothing is written, exit 2 (sweep 25 X2)."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "consts.py").write_text("K = 2\n")
    (tmp_path / "pkg" / "h_nb.py").write_text(
        f"{own_import}\n\n\ndef twice(x):\n    return K * x\n"
    )
    notebook = tmp_path / "pkg" / "nb.ipynb"
    notebook.write_text(_notebook("def add(x, y):\n    return x + y", "print(add(1, 2))"))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    before = (tmp_path / "pkg" / "h_nb.py").read_bytes()
    result = run("extract", "--migrate", "--name", "add", "--to", "pkg/h_nb.py", "pkg/nb.ipynb")
    assert result.exit_code == 2, result.stderr
    assert "started in pkg, would not find pkg.h_nb: nothing written" in result.stderr
    assert (tmp_path / "pkg" / "h_nb.py").read_bytes() == before
    written = run("extract", "--name", "add", "--to", "pkg/h_nb.py", "pkg/nb.ipynb")
    assert written.exit_code == 0, written.stderr  # without --migrate: written, as before
    assert "def add(x, y):" in (tmp_path / "pkg" / "h_nb.py").read_text()


def test_a_packages_init_is_found_from_the_folder_above_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sweep 26 F1: `--to __init__.py` beside the notebooks makes them import the folder's
    package, which their kernel, started inside it, does not find: nothing written. From
    the folder above, it is found."""
    (tmp_path / "analysis").mkdir()
    for name in ("a", "b"):
        (tmp_path / "analysis" / f"{name}.ipynb").write_text(
            _notebook("def sq(x):\n    return x * x", "print(sq(3))")
        )
        (tmp_path / f"top_{name}.ipynb").write_text(
            _notebook("def cube(x):\n    return x ** 3", "print(cube(3))")
        )
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path / "analysis")
    before = snapshot(tmp_path / "analysis")
    inside = run("extract", "--migrate", "--to", "__init__.py", "a.ipynb", "b.ipynb")
    assert inside.exit_code == 2, inside.stderr
    assert "started in ., would not find analysis: nothing written" in inside.stderr
    assert snapshot(tmp_path / "analysis") == before
    monkeypatch.chdir(tmp_path)
    above = run(
        "extract", "--migrate", "--to", "analysis/__init__.py", "top_a.ipynb", "top_b.ipynb"
    )
    assert above.exit_code == 0, above.stderr
    assert "import: added 'from analysis import cube' to cell 1" in above.output


@pytest.mark.parametrize(
    "magic", ["%%writefile util.py", "%%file -a ./util.py", "%%writefile 'util.py'"]
)
def test_a_module_a_notebook_writes_is_not_extended(project: Path, magic: str) -> None:
    """Sweep s24 N2: running the notebook that writes it would overwrite what extract adds,
    and every notebook importing the added names would then fail."""
    pasted = "def fmt(v):\n    return str(v)"
    (project / "a.ipynb").write_text(_notebook(f"{magic}\ndef other():\n    return 1", pasted))
    (project / "b.ipynb").write_text(_notebook(pasted))
    result = run("extract", "--migrate", "--to", "util.py", "a.ipynb", "b.ipynb")
    assert result.exit_code == 2
    said = "error: util.py: a.ipynb:cell 1 writes it (%%writefile): running that notebook"
    assert result.stderr.splitlines() == [f"{said} would overwrite what extract adds"]
    assert not (project / "util.py").exists()


@pytest.mark.parametrize(
    "writer",
    [
        'with open("util.py", "w") as f:\n    f.write("x = 1\\n")',
        'Path("util.py").write_text("x = 1\\n")',
        'shutil.copy("old_util.py", "util.py")',
        "!cp old_util.py util.py",
    ],
)
def test_a_module_a_notebook_writes_by_code_is_not_extended(project: Path, writer: str) -> None:
    """Re-check 46: the `%%writefile` form was refused, these were not: the module was
    created, b.ipynb migrated, and running a.ipynb then b.ipynb raised ImportError."""
    pasted = "def fmt(v):\n    return str(v)"
    (project / "a.ipynb").write_text(_notebook(pasted, writer))
    (project / "b.ipynb").write_text(_notebook(pasted))
    result = run("extract", "--migrate", "--to", "util.py", "a.ipynb", "b.ipynb")
    assert result.exit_code == 2
    line = writer.split("\n")[0]
    said = f"error: util.py: a.ipynb:cell 2 writes it (`{line}`): running that notebook"
    assert result.stderr.splitlines() == [f"{said} would overwrite what extract adds"]
    assert not (project / "util.py").exists()


def test_extracting_only_private_helpers_leaves_nothing_to_migrate(project: Path) -> None:
    """Sweep s24 N5: migrate replaces public functions only; the run said `declares no public
    functions` (exit 2) after writing the module. Round 52a: nor is the module written, which
    no notebook would import."""
    for name in ("a", "b"):
        (project / f"{name}.ipynb").write_text(_notebook("def _fmt(v):\n    return str(v)"))
    result = run("extract", "--migrate", "--to", "util.py", "a.ipynb", "b.ipynb")
    assert result.exit_code == 0, result.stderr
    assert "nothing to extract: util.py not created" in result.stderr.splitlines()
    assert not (project / "util.py").exists()


def test_a_module_in_an_installed_package_keeps_its_dotted_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`nbrefactor` itself is installed: a module written into its folder is imported as
    `nbrefactor.h_nb`, as `migrate --module` names it."""
    from nbrefactor.extract.import_name import import_name

    package = Path(__import__("nbrefactor").__file__).parent
    assert import_name(package / "h_nb.py", [package / "nb.ipynb"]) == "nbrefactor.h_nb"
    assert import_name(tmp_path / "h_nb.py", [tmp_path / "nb.ipynb"]) == "h_nb"


@pytest.mark.parametrize(
    "fast",
    [
        "@absent_jit.jit\ndef fast(x):\n    return x * x",
        # Through a decorator the notebook defines (sweep O repro_2): it runs at import too.
        "def deco(f):\n    return absent_jit.jit(f)\n\n@deco\ndef fast(x):\n    return x * x",
    ],
)
def test_a_helper_reading_an_import_when_the_module_loads_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: str
) -> None:
    """`@absent_jit.jit` runs when the module is imported: guarded, it would call None
    where the package is missing (sweep L repro_2); left plain, c.ipynb, which never
    imported it, could not import the module for `mean` (sweep N repro_2). `fast` stays in
    its notebooks."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(
            _notebook("import absent_jit\nimport numpy as np", fast, MEAN)
        )
    (tmp_path / "c.ipynb").write_text(_notebook("import numpy as np", MEAN))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--migrate", "--to", "helpers.py", "a.ipynb", "b.ipynb", "c.ipynb")
    assert result.exit_code == 0, result.stderr
    module = (tmp_path / "helpers.py").read_text()
    assert "\nimport absent_jit\n" not in module  # only guarded, if at all (for `deco`)
    assert "def mean(" in module and "def fast(" not in module
    assert (
        "skipped fast: reads absent_jit when the module is imported, and c.ipynb, which would"
        " import the module, never runs `import absent_jit`"
    ) in result.output
    assert top_level_defs(tmp_path / "a.ipynb")[-1] == "fast"
    assert top_level_defs(tmp_path / "c.ipynb") == []
    imported = _print_from_helpers(tmp_path, "helpers.mean([1, 2])")
    assert (imported.returncode, imported.stdout) == (0, "1.5\n"), imported.stderr
    # Sweep 26 (holoviews' lissajous): a second run read the module's guarded import as the
    # notebooks', and appended `fast`. It is left out again (through `deco`, now the
    # module's, for its decorator), and nothing changes.
    before = snapshot(tmp_path)
    again = run("extract", "--migrate", "--to", "helpers.py", "a.ipynb", "b.ipynb", "c.ipynb")
    assert again.exit_code == 0, again.stderr
    assert "skipped fast: " in again.output
    assert snapshot(tmp_path) == before


def test_a_guard_catches_what_an_import_raises_and_follows_submodules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sweep N repro_1 and repro_3 (bokeh.sampledata.stocks): a data submodule raises
    RuntimeError when its data is missing, and `import fakebk.palettes` does not import
    `fakebk.sampledata.stocks`. a.ipynb and b.ipynb never import it: the module's import of
    it is guarded, catching any exception, without unbinding the `fakebk` that
    `import fakebk.palettes` binds."""
    package = tmp_path / "site" / "fakebk"
    (package / "sampledata").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "palettes.py").write_text("COLORS = [1, 2]\n")
    (package / "sampledata" / "__init__.py").write_text("")
    (package / "sampledata" / "stocks.py").write_text("raise RuntimeError('no data')\n")
    pal = "def pal():\n    return fakebk.palettes.COLORS"
    stock = "def stock():\n    return fakebk.sampledata.stocks.DATA"
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(_notebook("import fakebk.palettes", pal))
    for name in ("c", "d"):
        (tmp_path / f"{name}.ipynb").write_text(
            _notebook("import fakebk.palettes\nimport fakebk.sampledata.stocks", pal, stock)
        )
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    notebooks = ["a.ipynb", "b.ipynb", "c.ipynb", "d.ipynb"]
    assert run("extract", "--to", "helpers.py", *notebooks).exit_code == 0
    module = (tmp_path / "helpers.py").read_text()
    assert "\nimport fakebk.palettes\n" in module
    assert (
        "try:\n    import fakebk.sampledata.stocks\n"
        "except Exception:  # not every notebook importing this module has it\n"
        "    pass\n"
    ) in module
    imported = _print_from_helpers(tmp_path, "helpers.pal()", python_path=tmp_path / "site")
    assert (imported.returncode, imported.stdout) == (0, "[1, 2]\n"), imported.stderr
    assert run("extract", "--check", "--to", "helpers.py", *notebooks).exit_code == 0


def test_the_same_name_run_again_after_migrate_is_known_from_the_module(project: Path) -> None:
    """Sweep O repro_8: after `--name smooth --migrate`, no notebook defines `smooth`; the
    same command, or its `--check` in CI, finds it in the module instead of a usage error."""
    first = run("extract", "--to", "helpers.py", "--name", "smooth", "--migrate", *NOTEBOOKS)
    assert first.exit_code == 0, first.stderr
    before = snapshot(project)
    for extra in ("--migrate", "--check"):
        again = run("extract", "--to", "helpers.py", "--name", "smooth", extra, *NOTEBOOKS)
        assert again.exit_code == 0, again.stderr
        assert "helpers.py unchanged" in again.output
    assert snapshot(project) == before
    unknown = run("extract", "--to", "helpers.py", "--name", "nowhere", *NOTEBOOKS)
    assert unknown.exit_code == 2
    assert "no notebook defines a top-level function 'nowhere'" in unknown.stderr


ADD = "def add(x, y):\n    return x + y"


@pytest.mark.parametrize(
    "c_first_cell",
    [
        ADD,  # sweep O repro_1: migrated now, for a function the module already has
        "from helpers import add",  # sweep S repro_2: migrated by an earlier run
        (  # sweep S repro_3: an optional import proves nothing
            "from helpers import add\ntry:\n    import absent_datareader\nexcept ImportError:\n"
            "    absent_datareader = None"
        ),
    ],
)
def test_every_notebook_importing_from_the_module_counts_and_an_optional_import_proves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, c_first_cell: str
) -> None:
    """helpers.py already has `add`; c.ipynb imports from it once migrated, and never
    imports `absent_datareader`, which the new `fetch` needs: its import is guarded."""
    (tmp_path / "helpers.py").write_text(f'"""Helpers."""\n\n\n{ADD}\n')
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(_notebook("import absent_datareader", ADD, FETCH))
    (tmp_path / "c.ipynb").write_text(_notebook(c_first_cell, "print(add(2, 3))"))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--migrate", "--to", "helpers.py", "a.ipynb", "b.ipynb", "c.ipynb")
    assert result.exit_code == 0, result.stderr
    module = (tmp_path / "helpers.py").read_text()
    assert "try:\n    import absent_datareader\nexcept Exception:" in module
    assert top_level_defs(tmp_path / "c.ipynb") == []
    imported = _print_from_helpers(tmp_path, "helpers.add(2, 3)")
    assert (imported.returncode, imported.stdout) == (0, "5\n"), imported.stderr


@pytest.mark.parametrize(
    ("start", "encoding"),
    [
        (b"\xef\xbb\xbf", "utf-8-sig"),  # a BOM (Notepad's UTF-8)
        (b"# -*- coding: latin-1 -*-\n", "latin-1"),  # a PEP 263 coding line
    ],
)
def test_an_existing_module_is_read_and_written_in_its_own_encoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: bytes, encoding: str
) -> None:
    """Sweep S repro_6: a latin-1 module came back as UTF-8 (`°` became `Â°`), and one
    with a BOM was refused as "does not parse"; migrate read neither."""
    old = f'"""Mine: 20°C."""\n\n\n{ADD}\n'
    (tmp_path / "helpers.py").write_bytes(start + old.encode(encoding.replace("-sig", "")))
    degrees = 'def degrees(x):\n    return f"{x}°"'
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(_notebook(degrees, "print(degrees(3))"))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--migrate", "--to", "helpers.py", "a.ipynb", "b.ipynb")
    assert result.exit_code == 0, result.stderr
    written = (tmp_path / "helpers.py").read_bytes()
    assert written.startswith(start + '"""Mine: 20°C."""'.encode(encoding.replace("-sig", "")))
    assert written.decode(encoding).endswith(f"\n\n\n{degrees}\n")
    assert top_level_defs(tmp_path / "a.ipynb") == []


@pytest.mark.parametrize("mode", [[], ["--dry-run"], ["--check"]])
def test_a_module_in_its_own_encoding_is_judged_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: list[str]
) -> None:
    """Sweep 26 (extract) F3: the dry run read its copy of a latin-1 module as UTF-8, and
    said `body differs` of the same `café`; and a helper latin-1 cannot hold (`→`) was
    said to be written by --dry-run and --check, where the write fails."""
    (tmp_path / "helpers.py").write_bytes(b"# -*- coding: latin-1 -*-\n" + ADD.encode() + b"\n")
    cafe = "def cafe(x):\n    return f'caf\u00e9 {x}'"
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(_notebook(cafe, "print(cafe(1))"))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("extract", "-v", "--migrate", "--to", "helpers.py", *mode, "a.ipynb", "b.ipynb")
    assert "replaced cafe (cell 1)\n" in result.output
    assert "body differs" not in result.output
    arrow = "def arrow():\n    return '\u2192'"
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(_notebook(arrow, "print(arrow())"))
    before = snapshot(tmp_path)
    refused = run("extract", "--to", "helpers.py", *mode, "a.ipynb", "b.ipynb")
    assert refused.exit_code == 2, refused.output
    assert "cannot write: 'latin-1' codec can't encode character" in refused.stderr
    assert snapshot(tmp_path) == before


def test_a_module_file_that_is_a_dangling_link_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sweep 26 (extract) F3: the dry run said `would create helpers.py`, the write said
    `changed while extracting`."""
    (tmp_path / "helpers.py").symlink_to(tmp_path / "gone.py")
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(_notebook(ADD, "print(add(1, 2))"))
    monkeypatch.chdir(tmp_path)
    for mode in ([], ["--dry-run"]):
        result = run("extract", "--to", "helpers.py", *mode, "a.ipynb", "b.ipynb")
        assert result.exit_code == 2, result.output
        assert "a symbolic link to a file that does not exist" in result.stderr
    assert not (tmp_path / "gone.py").exists()


def test_a_variant_migrate_will_keep_for_its_parameters_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Text and JSON name each other variant's place whose parameters are not the chosen
    one's: migrate keeps it, and the module's function is not its."""
    monkeypatch.chdir(tmp_path)
    Path("a.ipynb").write_text(_notebook("def f(x, a, b):\n    return a * x + b", "f(1, 2, 3)"))
    Path("b.ipynb").write_text(_notebook("def f(g):\n    return g.sum()"))
    result = run("extract", "--to", "helpers.py", "a.ipynb", "b.ipynb")
    assert result.exit_code == 0, result.output
    assert (
        "  b.ipynb:cell 1: its parameters (g) are not helpers.f's (x, a, b); migrate will"
        " keep that definition"
    ) in result.stderr.splitlines()
    listed = run(
        "extract", "--list", "--to", "helpers.py", "--output-format", "json", "a.ipynb", "b.ipynb"
    )
    (helper,) = json.loads(listed.stdout)["helpers"]
    assert helper["definitions_kept"] == [
        {"path": "b.ipynb", "cell": 1, "reason": "its parameters (g) are not helpers.f's (x, a, b)"}
    ]


@pytest.mark.parametrize("mode", ["--dry-run", "--check"])
def test_a_dry_run_into_an_existing_module_migrates_as_the_write_would(
    project: Path, mode: str
) -> None:
    """Sweep 25 X1: with the module already there, the dry run read a copy of it elsewhere,
    and the one beside the notebooks counted as another module: every definition `kept`,
    `0 notebooks would be migrated`, where the write migrated all three."""
    before = snapshot(project)
    dry = run("extract", "--migrate", mode, "--to", "existing_helpers.py", *NOTEBOOKS)
    assert snapshot(project) == before
    assert "its import would bind" not in dry.stderr
    assert "3 notebooks would be migrated" in dry.stderr
    written = run("extract", "--migrate", "--to", "existing_helpers.py", *NOTEBOOKS)
    assert written.exit_code == 0, written.stderr
    assert "3 notebooks migrated" in written.stderr


def test_a_private_dependency_stays_out_of_an_existing_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sweep 25 X5: `__all__ = ["cube", "_fmt", "show"]` made `_fmt` public, and c.ipynb's
    own different `_fmt` was then replaced: `[3]` became `<3>`. Without `__all__` it was kept."""
    show = "def show(x):\n    return _fmt(x)"
    for name in ("a", "b"):
        notebook = _notebook("def _fmt(x):\n    return f'<{x}>'", show, "print(show(3))")
        (tmp_path / f"{name}.ipynb").write_text(notebook)
    (tmp_path / "c.ipynb").write_text(_notebook("def _fmt(x):\n    return f'[{x}]'", "_fmt(3)"))
    (tmp_path / "helpers.py").write_text('__all__ = ["cube"]\n\n\ndef cube(x):\n    return x**3\n')
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "helpers.py", "--migrate", "a.ipynb", "b.ipynb", "c.ipynb")
    assert result.exit_code == 0, result.output
    assert '__all__ = ["cube", "show"]' in (tmp_path / "helpers.py").read_text()
    assert "def _fmt(x):\n    return f'[{x}]'" in (tmp_path / "c.ipynb").read_text().replace(
        "\\n", "\n"
    )


def test_a_skipped_helper_another_brings_along_is_reported_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 59b F6.1: `_fmt`, whose variants differ, was reported `skipped` (and `not
    extractable` by `--list`), yet helpers.py held a.ipynb's `_fmt`, which `show` calls, and
    counted it. The lines say it is written, which variant, and why not on its own."""
    show = "def show(x):\n    return _fmt(x) + '!'"
    for name, mark in (("a", "<%s>"), ("b", "[%s]")):
        cells = (f"def _fmt(x):\n    return '{mark}' % x", show, "print(show(2))")
        (tmp_path / f"{name}.ipynb").write_text(_notebook(*cells))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    why = (
        "its variants may be other functions of that name (b.ipynb:cell 1 differs from"
        " a.ipynb:cell 1 in more than defaults)"
    )
    listed = run("extract", "--list", ".")
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.startswith(
        f"_fmt: 2 notebooks, 2 variants: brought along by show, not extractable on its own: {why}"
    )
    result = run("extract", "--to", "helpers.py", ".")
    assert result.exit_code == 0, result.output
    assert "def _fmt(x):\n    return '<%s>' % x" in (tmp_path / "helpers.py").read_text()
    assert "skipped _fmt" not in result.stderr
    assert (
        f"also extracted _fmt from a.ipynb:cell 1 (used by show), though not on its own: {why}"
    ) in result.stderr
    assert "created helpers.py: 2 definitions, 0 imports" in result.stderr


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            ["--name", "twice"],
            "twice is an async def (a.ipynb:cell 1), which extract does not move",
        ),
        (["--from", "a.ipynb:1"], "a.ipynb:1: an async def, which extract does not move"),
    ],
)
def test_naming_an_async_def_says_it_is_not_moved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: list[str], message: str
) -> None:
    """Sweep 25 X8: `no notebook defines a top-level function 'twice'` was false."""
    twice = "async def twice(x):\n    return 2 * x"
    (tmp_path / "a.ipynb").write_text(_notebook(twice, "print(await twice(3))"))
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "helpers.py", *option, "a.ipynb")
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "helpers.py").exists()


def test_list_with_to_says_what_the_module_already_holds(project: Path) -> None:
    """Sweep 25 X9: `--list --to` said `extractable` (JSON `already_in_module: false`) for a
    helper the write then left alone."""
    listed = run("extract", "--list", "--to", "existing_helpers.py", *NOTEBOOKS)
    assert listed.exit_code == 0, listed.stderr
    line = "format_value: 3 notebooks, 1 variant: already in existing_helpers.py"
    assert line in listed.stdout.splitlines()
    document = run(
        "extract", "--list", "--output-format", "json", "--to", "existing_helpers.py", *NOTEBOOKS
    )
    helpers = {helper["name"]: helper for helper in json.loads(document.stdout)["helpers"]}
    assert helpers["format_value"]["already_in_module"] is True
    assert helpers["smooth"]["already_in_module"] is False
    # Docs sweep 28: `extractable` said true for the helper the module already holds.
    assert helpers["format_value"]["extractable"] is False
    assert helpers["smooth"]["extractable"] is True
    written = run("extract", "--to", "existing_helpers.py", *NOTEBOOKS)
    assert "left format_value alone: already in existing_helpers.py" in written.stderr


_COLAB_IMPORT = (
    "try:\n    import numpy as np\nexcept ImportError:\n    %pip install numpy\n"
    "    import numpy as np"
)


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")])
def test_the_colab_form_of_an_import_is_the_import_it_makes(tmp_path, monkeypatch, order):
    """Sweep 28 (python-control's cds110 notebooks): a helper reading `np` imported in
    `try` / `except ImportError: %pip install` / import again was skipped as `np is imported
    conditionally` or extracted, by the order of the notebooks; extracted, the notice said
    the notebook never ran the import."""
    helper = "def f(x):\n    return np.sum(x)"
    (tmp_path / "a.ipynb").write_text(_notebook(_COLAB_IMPORT, helper, "f([1, 2])"))
    (tmp_path / "b.ipynb").write_text(_notebook("import numpy as np", helper, "f([3])"))
    monkeypatch.chdir(tmp_path)
    listed = run("extract", "--list", *(f"{name}.ipynb" for name in order))
    assert listed.exit_code == 0, listed.stderr
    assert listed.stdout.splitlines()[0] == "f: 2 notebooks, 1 variant: extractable"
    written = run("extract", "--to", "helpers.py", *(f"{name}.ipynb" for name in order))
    assert written.exit_code == 0, written.stderr
    assert "guarded" not in written.stderr
    assert "\nimport numpy as np\n" in (tmp_path / "helpers.py").read_text()


def test_a_cell_nested_too_deeply_to_read_is_not_a_traceback(tmp_path, monkeypatch) -> None:
    """Sweep 31: `def f(t, y=1+1+...+1)` (500 terms), which Python runs, made extract print a
    RecursionError traceback. How deep the reading gets depends on the stack it starts
    from: migrate keeps the definition (the cell cannot be read) or fails the notebook in
    one line, unchanged, saying why (not "internal error")."""
    monkeypatch.chdir(tmp_path)
    deep = "def f(t, y=" + "+".join(["1"] * 500) + "):\n    return t\n\nprint(f(1))"
    for name in ("a.ipynb", "b.ipynb"):
        (tmp_path / name).write_text(_notebook(deep), encoding="utf-8")
    result = run("extract", "--to", "helpers.py", "a.ipynb", "b.ipynb")
    assert result.exit_code == 0, result.output
    assert "nothing to extract" in result.stderr
    (tmp_path / "helpers.py").write_text("def f(t, y=2):\n    return t\n", encoding="utf-8")
    before = (tmp_path / "a.ipynb").read_bytes()
    result = CliRunner().invoke(main, ["migrate", "--module", "helpers.py", "a.ipynb"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (tmp_path / "a.ipynb").read_bytes() == before
    assert "Traceback" not in result.output
    said = ("nested too deeply to read", "an expression nests too deeply to read")
    assert any(words in result.stderr for words in said), result.stderr


def _double_extracted_from_two_copies(tmp_path: Path, cell: str) -> str:
    """What `helpers.double(2)` prints once extracted from `cell` pasted into two notebooks."""
    for name in ("a.ipynb", "b.ipynb"):
        (tmp_path / name).write_text(_notebook(cell), encoding="utf-8")
    result = run("extract", "--to", "helpers.py", "a.ipynb", "b.ipynb")
    assert result.exit_code == 0, result.output
    return _print_from_helpers(tmp_path, "helpers.double(2)").stdout


def test_a_helper_whose_last_line_ends_in_a_backslash_is_extracted_whole(
    tmp_path, monkeypatch
) -> None:
    """Sweep 31, devito: `x]\\` ending the def made extract print a traceback (its text
    alone did not parse), then write a module that did not; it takes the blank line its
    last line continues onto."""
    monkeypatch.chdir(tmp_path)
    cell = "def double(x):\n    return [x,\n            x]\\\n\n\nprint(double(2))"
    assert _double_extracted_from_two_copies(tmp_path, cell) == "[2, 2]\n"


def test_a_helper_whose_def_header_a_backslash_continues_is_found_in_a_broken_cell(
    tmp_path, monkeypatch
) -> None:
    """Round 70: `def \\` then `double(x):`, followed by a stray `else:` in a cell that does
    not parse: extract's guess of the names a cell defines read no blank but spaces and
    tabs after `def`, so the tolerant reader was not told to cut around `double` and
    found no helper ("0 helpers"); it reads the blanks migrate's text gate reads."""
    monkeypatch.chdir(tmp_path)
    cell = "def \\\ndouble(x):\n    return [x, x]\nelse:\n    pass\nprint(double(2))"
    assert _double_extracted_from_two_copies(tmp_path, cell) == "[2, 2]\n"


def test_what_migrate_keeps_and_replaces_is_what_its_own_run_does(tmp_path, monkeypatch) -> None:
    """Sweep 31: extract foresaw migrate with some of its rules and said "another variant,
    which migrate replaces with this one" of copies migrate kept (a call with `*args`, the
    name's definitions going together), and nothing of the chosen variant's copies it kept
    (`g = abs` between two of them). The report now says what a dry run of migrate does.
    (e's `g` computes otherwise: `--from` chooses a's to stand for it, round 50b.)"""
    monkeypatch.chdir(tmp_path)
    chosen = "def g(a, acc=None):\n    return a + 1"
    other = "def g(a, acc=None):\n    return a + 2"
    unchecked = "def g(a, acc=None, z=0):\n    return a + 2"  # accepts more calls
    notebooks = {
        "a.ipynb": (chosen, "print(g(1))"),
        "b.ipynb": (chosen, "print(g(2))"),
        "c.ipynb": (unchecked, "args = (1,)\nprint(g(*args))"),  # cannot be checked: kept
        "d.ipynb": (chosen, "g = abs", chosen, "print(g(3))"),  # kept, though the chosen text
        "e.ipynb": (other, "print(g(4))"),  # replaced by the chosen body
    }
    for name, cells in notebooks.items():
        (tmp_path / name).write_text(_notebook(*cells), encoding="utf-8")
    result = run("extract", "--to", "helpers.py", "--from", "a.ipynb:1", "--dry-run", *notebooks)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("  ")]
    assert "  e.ipynb:cell 1: another variant, which migrate replaces with this one" in lines
    assert not any(line.startswith("  c.ipynb:cell 1: another variant") for line in lines)
    assert any(
        line.startswith("  c.ipynb:cell 1: ")
        and line.endswith("; migrate will keep that definition")
        for line in lines
    ), lines
    assert any(line.startswith("  d.ipynb:cell 1: ") for line in lines), lines
    assert any(line.startswith("  d.ipynb:cell 3: ") for line in lines), lines
    # Re-check 31: a notebook that cannot be read does not turn the report back to foresight,
    (tmp_path / "z.ipynb").write_text("{not json", encoding="utf-8")
    result = run(
        "extract", "--to", "helpers.py", "--from", "a.ipynb:1", "--dry-run", *notebooks, "z.ipynb"
    )
    assert result.exit_code == 2
    assert "  c.ipynb:cell 1: another variant" not in result.stderr
    # and a helper the module already holds says what migrate keeps of it.
    (tmp_path / "z.ipynb").unlink()
    assert run("extract", "--to", "helpers.py", "--from", "a.ipynb:1", *notebooks).exit_code == 0
    result = run("extract", "--to", "helpers.py", "--from", "a.ipynb:1", *notebooks)
    assert "left g alone: already in helpers.py" in result.stderr
    assert "  d.ipynb:cell 3: " in result.stderr
    assert "another variant" not in result.stderr


def test_a_module_beside_any_notebook_defining_the_helper_keeps_it_out(
    tmp_path, monkeypatch
) -> None:
    """Sweep 31, sbi's `run_HH_model`: a helper importing `local`, which lies beside one of
    the two notebooks defining it, was skipped or extracted by the notebooks' order (the
    module written then failed `import helpers`)."""
    monkeypatch.chdir(tmp_path)
    cells = ("from local import g", "def run(p):\n    return g(p)", "print(run(1))")
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "n.ipynb").write_text(_notebook(*cells), encoding="utf-8")
    (tmp_path / "b" / "local.py").write_text("def g(p):\n    return p\n", encoding="utf-8")
    for order in (["a/n.ipynb", "b/n.ipynb"], ["b/n.ipynb", "a/n.ipynb"]):
        result = run("extract", "--to", "helpers.py", "--dry-run", *order)
        assert result.exit_code == 0, result.output
        assert "skipped run: imports g from b/local.py, beside " in result.stderr, order
        assert "nothing to extract" in result.stderr


def test_a_recursion_error_is_said_as_python_s_limit_not_an_internal_error() -> None:
    from nbrefactor import messages

    assert messages.internal_error(RecursionError("maximum recursion depth exceeded")) == (
        "an expression nests too deeply to read (a chain of some 400 operators);"
        " the notebook was not changed"
    )
    assert messages.internal_error(KeyError("x")).startswith("internal error (KeyError")


@pytest.mark.parametrize("terms", [1_000, 5_000])
def test_a_body_nested_too_deeply_is_never_a_traceback(tmp_path, monkeypatch, terms) -> None:
    """Re-check 31: a body of 1,000 `+` (Python compiles it) made extract print a
    RecursionError traceback from `ast.dump`; the helper is skipped, the cell unread, or
    the run ends in one line, whichever depth the reading reaches first."""
    monkeypatch.chdir(tmp_path)
    deep = "def f(t):\n    return " + "+".join(["t"] * terms) + "\n\nprint(f(1))"
    for name in ("a.ipynb", "b.ipynb"):
        (tmp_path / name).write_text(_notebook(deep), encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", "--to", "helpers.py", "a.ipynb", "b.ipynb"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 2)
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("module", "said"),
    [
        (  # re-check 32: a traceback ending in MemoryError
            "x = " + "+".join(["1"] * 200_000) + "\n",
            "error: helpers.py: nested too deeply for Python to parse",
        ),
        (  # re-check 32: "an expression nests too deeply to read", naming no file
            "X = " + "+".join(["1"] * 2_000) + "\n",
            "error: helpers.py: an expression nests too deeply to read",
        ),
        (  # round 62b: parsed, extended, and every notebook's import raised SyntaxError
            "async def fetch():\n    return 1\n\nRESULT = await fetch()\n",
            "error: helpers.py: does not compile (line 4: 'await' outside function)",
        ),
        (
            "def g(x, x=2):\n    return x\n",
            (
                "error: helpers.py: does not compile (line 1: duplicate argument 'x' in function"
                " definition)"
            ),
        ),
    ],
)
def test_a_module_too_deep_to_read_is_one_line_naming_it(tmp_path, monkeypatch, module, said):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "helpers.py").write_text(module, encoding="utf-8")
    for name in ("a.ipynb", "b.ipynb"):
        (tmp_path / name).write_text(_notebook("def f(t):\n    return t"), encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", "--to", "helpers.py", "a.ipynb", "b.ipynb"])
    assert result.exit_code == 2, result.output
    assert said in result.stderr


# Re-check 46: copies `ast` reads and Python does not compile, and a copy whose body does
# not parse beside one that does: each crashed extract with a traceback (symtable), or was
# written into a module that did not import.
_NOT_COMPILED = [
    ("def f(x):\n    nonlocal q\n    return x\n", "no binding for nonlocal 'q' found"),
    ("def f(x, x):\n    return x\n", "duplicate argument 'x' in function definition"),
    ("def f(x):\n    global x\n    return x\n", "name 'x' is parameter and global"),
    ("def f(x):\n    return await x\n", "'await' outside async function"),
    ("def f(x):\n    break\n", "'break' outside loop"),
]


@pytest.mark.parametrize(("helper", "why"), _NOT_COMPILED)
def test_a_copy_python_does_not_compile_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helper: str, why: str
) -> None:
    for name in ("a", "b"):
        text = conftest.notebook_text(
            conftest.code(helper),
            conftest.code("def g(x):\n    return x + 1\n"),
            conftest.code("g(1)"),
        )
        (tmp_path / f"{name}.ipynb").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "helpers.py", "a.ipynb", "b.ipynb")
    assert result.exit_code == 0, result.output
    assert f"skipped f: it does not compile ({why})" in result.stderr.splitlines()
    assert "def g(x):" in (tmp_path / "helpers.py").read_text()
    assert _print_from_helpers(tmp_path, "helpers.g(1)").stdout == "2\n"  # it imports


def test_a_copy_whose_body_does_not_parse_beside_one_that_does_is_no_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.ipynb").write_text(
        conftest.notebook_text(conftest.code("def f(x):\n    return (x))\n"))
    )
    (tmp_path / "b.ipynb").write_text(
        conftest.notebook_text(conftest.code("def f(x):\n    return (x)\n"))
    )
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "helpers.py", "a.ipynb", "b.ipynb")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "extracted f from b.ipynb:cell 1 (the only variant that can move);"
        " other variants: a.ipynb:cell 1"
    )
    assert _print_from_helpers(tmp_path, "helpers.f(3)").stdout == "3\n"
    listed = run("extract", "--list", "a.ipynb", "b.ipynb")
    assert listed.stdout.splitlines()[1:] == [
        "  variant 1 (1 place): a.ipynb:cell 1 (its body does not parse)",
        "  variant 2 (1 place): b.ipynb:cell 1 (chosen: the only variant that can move)",
    ]


def _write_notebooks(folder: Path, notebooks: dict[str, list[str]]) -> None:
    for name, cells in notebooks.items():
        text = conftest.notebook_text(*(conftest.code(cell) for cell in cells))
        (folder / f"{name}.ipynb").write_text(text, encoding="utf-8")


_SHOW = 'def show(v):\n    return "<" + fmt(v, {}) + ">"\n'


@pytest.mark.parametrize(
    "module",
    [
        None,  # the module gets a's fmt (as --from asks), and b's and c's show
        'def fmt(v):\n    return f"{v:.2f}"\n',  # the module's own fmt
    ],
)
def test_a_helper_calling_the_modules_function_in_a_way_it_does_not_accept_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str | None
) -> None:
    """Re-check 46: `show` went into the module calling `fmt(v, scale=2)`, and the module's
    `fmt` was another variant (or its own): once migrate replaced the copies, a.ipynb
    raised TypeError where it printed `<1.235>`. (The variants of `fmt` are other functions:
    `--from` chooses a's, round 50b.)"""
    digits = ['def fmt(v, digits=2):\n    return f"{v:.{digits}f}"\n', "print(fmt(1.23456))"]
    scale = ['def fmt(v, scale=1):\n    return f"{v * scale:.2f}"\n', _SHOW.format("scale=2")]
    _write_notebooks(tmp_path, {"a": digits, "b": scale, "c": scale, "d": digits[:1]})
    chosen: tuple[str, ...] = ("--from", "a.ipynb:1")
    if module is not None:
        (tmp_path / "helpers.py").write_text(module, encoding="utf-8")
        chosen = ()
    monkeypatch.chdir(tmp_path)
    notebooks = ("a.ipynb", "b.ipynb", "c.ipynb", "d.ipynb")
    result = run("extract", "--to", "helpers.py", *chosen, *notebooks)
    assert result.exit_code == 0, result.output
    keyword = "scale"  # b's and c's show: defined in the most places
    assert (
        f"skipped show: its call of fmt passes keyword '{keyword}' that helpers.fmt does not accept"
    ) in result.stderr.splitlines()
    assert "def show" not in (tmp_path / "helpers.py").read_text()


@pytest.mark.parametrize(
    ("module", "why"),
    [
        (
            "try:\n    from fastfmt import f\nexcept ImportError:\n    def f(x):\n        return x\n",
            (
                " (f: imported in a block (try, if) that may not run, so which function it is"
                " cannot be read)"
            ),
        ),
        ("def _f(x):\n    return x\n", ""),
    ],
)
def test_migrate_after_a_module_with_no_function_to_replace_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, why: str
) -> None:
    """Round 57b: "left f alone: already in helpers.py", then "nothing to migrate: helpers.py
    has no public function": the module defines `f`, in a `try`'s fallback, which migrate
    cannot read (its own error says so)."""
    _write_notebooks(tmp_path, {"a": ["def f(x):\n    return x\n", "print(f(1))"]})
    (tmp_path / "helpers.py").write_text(module, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--migrate", "--to", "helpers.py", "a.ipynb")
    assert result.exit_code == 0, result.output
    expected = f"nothing to migrate: helpers.py declares no public functions{why}"
    assert expected in result.stderr.splitlines(), result.stderr


def test_overload_stubs_are_not_the_function(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Re-check 46: two stubs differing in annotations only were the variant in the most
    places: the module's `double` raised NotImplementedError. (b's copy has no stubs: migrate
    keeps the copies typed by stubs, and a helper it would keep everywhere is not extracted.)"""
    stubs = "\n\n".join(
        f"@overload\ndef double(x: {kind}) -> {kind}: ..." for kind in ("int", "str")
    )
    cell = f"from typing import overload\n\n\n{stubs}\n\n\ndef double(x):\n    return x * 2\n"
    plain = "def double(x):\n    return x * 2\n"
    _write_notebooks(tmp_path, {"a": [cell], "b": [plain], "c": [cell]})
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "helpers.py", "a.ipynb", "b.ipynb", "c.ipynb")
    assert result.exit_code == 0, result.output
    assert "@overload" not in (tmp_path / "helpers.py").read_text()
    assert _print_from_helpers(tmp_path, "helpers.double(2)").stdout == "4\n"


def test_a_place_holding_several_definitions_of_a_helper_is_said_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Re-check 46b: a cell's two `@overload` stubs and its implementation gave `other
    variants: a.ipynb:cell 1, a.ipynb:cell 1` and the same kept line three times."""
    stubs = "\n".join(f"@overload\ndef double(x: {kind}) -> {kind}: ..." for kind in ("int", "str"))
    cell = f"from typing import overload\n{stubs}\ndef double(x):\n    return x * 2\n"
    _write_notebooks(
        tmp_path, {"a": [cell, "double(2)"], "b": ["def double(x):\n    return x * 2"]}
    )
    monkeypatch.chdir(tmp_path)
    for migrate in (("--dry-run",), ("--migrate", "--dry-run", "--bump", "none")):
        result = run("extract", "--to", "helpers.py", *migrate, "a.ipynb", "b.ipynb")
        assert result.exit_code == 0, result.output
        lines = result.stderr.splitlines()
        assert lines[0] == (
            "extracted double from a.ipynb:cell 1 (the only variant that can move);"
            " other variants: a.ipynb:cell 1"
        )
        assert len([line for line in lines if line.startswith("  a.ipynb:cell 1: ")]) == 1


@pytest.mark.parametrize("order", [("a.ipynb:1", "b.ipynb:1"), ("b.ipynb:1", "a.ipynb:1")])
def test_two_places_choosing_one_helper_are_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, order: tuple[str, str]
) -> None:
    """Re-check 46: one of the two was taken, whichever the order, and nothing said so."""
    (tmp_path / "a.ipynb").write_text(_notebook("def fmt(v):\n    return str(v)"))
    (tmp_path / "b.ipynb").write_text(_notebook("def fmt(v):\n    return repr(v)"))
    monkeypatch.chdir(tmp_path)
    first, second = order
    arguments = ["--from", first, "--from", second, "--to", "helpers.py"]
    result = run("extract", *arguments, "a.ipynb", "b.ipynb")
    assert result.exit_code == 2
    assert f"{first} and {second} both choose fmt; give one place for it" in result.stderr
    assert not (tmp_path / "helpers.py").exists()


@pytest.mark.parametrize(
    ("fmt", "said"),
    [
        ("def fmt(v):\n    return str(v)\n", "reads fmt, which the module defines as an async def"),
        ("from helpers import fmt", "its call of fmt reaches the module's async def fmt"),
    ],
)
def test_a_helper_calling_the_modules_own_async_def_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, said: str
) -> None:
    """Re-check 46: `show` went into a module whose `fmt` is an `async def`: its `"<" + fmt(v)`
    raised TypeError (a coroutine), where every notebook's `fmt` returned a string (defined
    there, or imported from the module after a migration)."""
    cells = [fmt, 'def show(v):\n    return "<" + fmt(v) + ">"\n']
    _write_notebooks(tmp_path, {"a": cells, "b": cells})
    (tmp_path / "helpers.py").write_text("async def fmt(v):\n    return str(v)\n")
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "helpers.py", "a.ipynb", "b.ipynb")
    assert result.exit_code == 0, result.output
    assert f"skipped show: {said}" in result.stderr.splitlines()
    assert "def show" not in (tmp_path / "helpers.py").read_text()


def test_the_diff_of_a_module_with_crlf_line_ends_gives_the_bytes_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 48b: the diff printed lost the module's \\r, so `patch --binary` refused it, and
    `patch` gave a file of mixed line ends; the run itself writes \\r\\n throughout."""
    _write_notebooks(tmp_path, {name: ["def double(x):\n    return 2 * x"] for name in "ab"})
    module = tmp_path / "helpers.py"
    module.write_bytes(b"def greet(n):\r\n    return n\r\n")
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "helpers.py", "--dry-run", "a.ipynb", "b.ipynb")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode().split("\n")[3:] == [
        " def greet(n):\r",
        "     return n\r",
        "+\r",
        "+\r",
        "+def double(x):\r",
        "+    return 2 * x\r",
        "",
    ]
    assert run("extract", "--to", "helpers.py", "a.ipynb", "b.ipynb").exit_code == 0
    assert (
        module.read_bytes()
        == b"def greet(n):\r\n    return n\r\n\r\n\r\ndef double(x):\r\n    return 2 * x\r\n"
    )


def test_a_name_removed_from_an_existing_module_does_not_block_extending_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 49b: after `--migrate`, `double` renamed by hand in the module, a notebook still
    importing it: every later extraction failed (exit 2), saying the notebooks import
    "another helpers"; the import finds this very file, and fails before as after."""
    _write_notebooks(tmp_path, {"a": ["from helpers import double", "print(double(2))"]})
    _write_notebooks(tmp_path, {name: ["def triple(x):\n    return 3 * x"] for name in "cd"})
    (tmp_path / "helpers.py").write_text("def twice(x):\n    return 2 * x\n")
    monkeypatch.chdir(tmp_path)
    paths = ["a.ipynb", "c.ipynb", "d.ipynb"]
    result = run("extract", "--to", "helpers.py", "--migrate", "--bump", "none", *paths)
    assert result.exit_code == 0, result.output
    assert "def triple(x):" in (tmp_path / "helpers.py").read_text()
    assert "from helpers import triple" in (tmp_path / "c.ipynb").read_text()


def test_migrate_after_extract_imports_the_module_by_the_settings_import_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 49b: with `module`, `extract-to` and `import-name = "helpers"` in the settings,
    `extract --migrate` imported `src/helpers.py` as `src.helpers` and refused (no kernel
    finds it); the `next:` step it printed named `--module`, which leaves the settings'
    import-name out: `from src.helpers import double`, and the notebooks failed."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "__init__.py").write_text("")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.nbrefactor]\nmodule = "src/helpers.py"\nimport-name = "helpers"\n'
        'extract-to = "src/helpers.py"\nbump = "none"\n'
    )
    cells = ['import sys\nsys.path.insert(0, "src")', "def double(x):\n    return 2 * x"]
    _write_notebooks(tmp_path, {"a": cells, "b": cells})
    monkeypatch.chdir(tmp_path)
    listed = run("extract", "--dry-run", "a.ipynb", "b.ipynb")
    assert listed.stderr.splitlines()[-1] == "next: nbrefactor migrate a.ipynb b.ipynb"
    result = run("extract", "--migrate", "a.ipynb", "b.ipynb")
    assert result.exit_code == 0, result.output
    for name in ("a", "b"):
        assert "from helpers import double" in (tmp_path / f"{name}.ipynb").read_text()


@pytest.mark.parametrize(
    ("options", "shown"),
    [
        (["--exclude", r"b\.ipynb"], r"--exclude 'b\.ipynb'"),
        (
            ["--extend-exclude", r"b\.ipynb", "--force-exclude"],
            r"--extend-exclude 'b\.ipynb' --force-exclude",
        ),
        (["--config", "alt settings.toml"], "--config 'alt settings.toml'"),
    ],
)
def test_the_next_step_selects_the_notebooks_and_settings_the_run_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: list[str], shown: str
) -> None:
    """Round 59b: the printed `next: nbrefactor migrate --module helpers.py .` left out
    `--exclude`, `--extend-exclude` and `--config`; run as printed, it migrated b.ipynb,
    which the extract run had excluded, and b's `x * 3` became helpers.f's `x * 2`."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "alt settings.toml").write_text(
        '[tool.nbrefactor]\nextract-to = "helpers.py"\nextend-exclude = "b\\\\.ipynb"\n'
    )
    twice = ["def f(x):\n    return x * 2", "print(f(1))"]
    thrice = ["def f(x):\n    return x * 3", "print(f(1))"]
    _write_notebooks(tmp_path, {"a": twice, "b": thrice, "c": twice})
    monkeypatch.chdir(tmp_path)
    excluded = (tmp_path / "b.ipynb").read_bytes()
    to = [] if options[0] == "--config" else ["--to", "helpers.py"]
    document = json.loads(
        run("extract", "--output-format", "json", "--dry-run", *options, *to, ".").stdout
    )
    result = run("extract", *options, *to, ".")
    assert result.exit_code == 0, result.output
    module = "helpers.py" if to else str(tmp_path / "helpers.py")
    line = result.stderr.splitlines()[-1]
    assert line == f"next: nbrefactor migrate --module {module} {shown} ."
    assert document["extraction"]["next"] == line.removeprefix("next: ")
    migrated = run(*shlex.split(line.removeprefix("next: "))[1:])
    assert migrated.exit_code == 0, migrated.output
    assert "from helpers import f" in (tmp_path / "a.ipynb").read_text()
    assert (tmp_path / "b.ipynb").read_bytes() == excluded


def test_the_next_step_names_no_option_the_run_took_from_its_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The project's own pyproject.toml is read by migrate too: the next step stays short."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.nbrefactor]\nextend-exclude = "b\\\\.ipynb"\nforce-exclude = true\n'
    )
    twice = ["def f(x):\n    return x * 2", "print(f(1))"]
    _write_notebooks(tmp_path, {"a": twice, "b": twice, "c": twice})
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--dry-run", "--to", "helpers.py", ".")
    assert result.stderr.splitlines()[-1] == "next: nbrefactor migrate --module helpers.py ."


def test_a_module_written_through_a_link_to_the_folder_the_notebooks_add_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 49b: `--to lib/helpers.py`, `lib` a link to `src`, which the notebooks put on
    the path: the folders were compared as spelt, and the run refused (their kernel "would
    not find helpers")."""
    (tmp_path / "src").mkdir()
    (tmp_path / "lib").symlink_to(tmp_path / "src", target_is_directory=True)
    cells = ['import sys\nsys.path.insert(0, "src")', "def double(x):\n    return 2 * x"]
    _write_notebooks(tmp_path, {"a": cells, "b": cells})
    monkeypatch.chdir(tmp_path)
    result = run(
        "extract", "--to", "lib/helpers.py", "--migrate", "--bump", "none", "a.ipynb", "b.ipynb"
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "src" / "helpers.py").is_file()
    assert "from helpers import double" in (tmp_path / "a.ipynb").read_text()


def test_variants_that_are_other_functions_move_only_as_from_chooses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 50b: sbi's `simulator`s, holoviews' `format_list`s: extract chose one by path
    order and migrate put it in place of the others, which computed otherwise or failed."""
    _write_notebooks(
        tmp_path,
        {
            "a": ["def sim(theta):\n    return theta + 0.5\n", "print(sim(1))"],
            "b": ["def sim(theta):\n    return theta + 1.0\n", "print(sim(2))"],
        },
    )
    monkeypatch.chdir(tmp_path)
    before = {name: (tmp_path / name).read_bytes() for name in ("a.ipynb", "b.ipynb")}
    result = run("extract", "--to", "helpers.py", "--migrate", "--bump", "none", ".")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "skipped sim: its variants may be other functions of that name (b.ipynb:cell 1 differs"
        " from a.ipynb:cell 1 in more than defaults); --from PATH:CELL chooses the one that"
        " migrate would put in place of the others"
    )
    assert not (tmp_path / "helpers.py").exists()
    assert {name: (tmp_path / name).read_bytes() for name in before} == before
    result = run(
        "extract", "--to", "helpers.py", "--from", "b.ipynb:1", "--migrate", "--bump", "none", "."
    )
    assert result.exit_code == 0, result.output
    assert "  a.ipynb:cell 1: another variant, which migrate replaces with this one" in (
        result.stderr.splitlines()
    )
    assert "return theta + 1.0" in (tmp_path / "helpers.py").read_text()
    assert before["a.ipynb"] != (tmp_path / "a.ipynb").read_bytes()


def test_a_helper_kept_only_for_another_moves_once_that_one_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 50b, sktime's fracdiff: `stats` is kept everywhere (rebound between the import's
    place and its use), and `fetch_fred` only because one import cannot serve `stats`
    (`NBR232`). Left out together, the module lost `fetch_fred` too; `stats` alone is."""
    cells = [
        "def fred(x):\n    return x + 1\n",
        "print(fred(1))",
        "stats = 3",
        "def stats(x):\n    return x * 2\n",
        "print(stats(2))",
    ]
    _write_notebooks(tmp_path, {"a": cells, "b": cells})
    monkeypatch.chdir(tmp_path)
    result = run(
        "extract", "--to", "helpers.py", "--migrate", "--bump", "none", "a.ipynb", "b.ipynb"
    )
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "extracted fred from a.ipynb:cell 1"
    assert lines[1].startswith("skipped stats: migrate would keep every definition of it")
    assert "2 notebooks migrated, 0 notebooks unchanged." in lines
    assert "def fred" in (tmp_path / "helpers.py").read_text()


@pytest.mark.parametrize(
    ("cells", "extracted", "skipped"),
    [
        # Round 52a: `_sq` went into the module, and every copy stayed in the notebooks.
        (
            ("def _sq(x):\n    return x * x", "def cube(x):\n    return x**3", "cube(_sq(2))"),
            ["cube"],
            True,
        ),
        (("def _sq(x):\n    return x * x", "print(_sq(3))"), [], True),
        # Needed by a helper that moves, it goes in with it.
        (
            ("def _sq(x):\n    return x * x", "def cube(x):\n    return _sq(x) * x", "cube(2)"),
            ["_sq", "cube"],
            False,
        ),
    ],
)
def test_a_private_helper_no_moved_helper_needs_is_not_extracted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cells: tuple[str, ...], extracted, skipped
) -> None:
    """Migrate replaces only public functions: a private helper alone in the module is one
    no notebook imports, beside copies that stay."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(_notebook(*cells))
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "helpers.py", "a.ipynb", "b.ipynb")
    assert result.exit_code == 0
    skip = (
        "skipped _sq: migrate replaces only public functions, and no helper moved needs it"
        " (a name without the leading underscore moves)"
    )
    assert (skip in result.stderr.splitlines()) is skipped
    module = tmp_path / "helpers.py"
    defined = (
        [] if not module.exists() else re.findall(r"^def (\w+)", module.read_text(), re.MULTILINE)
    )
    assert defined == extracted


def test_a_private_helper_named_is_extracted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--name _sq` asks for it: it goes in, though migrate will keep the copies."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.ipynb").write_text(_notebook("def _sq(x):\n    return x * x"))
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "helpers.py", "--name", "_sq", "a.ipynb", "b.ipynb")
    assert result.exit_code == 0
    assert "def _sq(x):" in (tmp_path / "helpers.py").read_text()


def test_list_says_a_helper_whose_every_definition_migrate_keeps_is_not_extractable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 53a (iminuit's `integral`): b.ipynb's second `f` reads no notebook variable and
    was chosen, but migrate keeps it with b's first `f` (a name's definitions go together),
    and a's reads `N`: `--list` said `extractable`, and the extraction then skipped it."""
    reads_n = "def f(x, s):\n    return x * s * N"
    _write_notebooks(
        tmp_path,
        {
            "a": ["N = 3", reads_n, "print(f(1, 2))"],
            "b": ["N = 5", reads_n, "print(f(1, 2))", "def f(x, s):\n    return x + s"],
        },
    )
    monkeypatch.chdir(tmp_path)
    listed = run("extract", "--list", "--to", "helpers.py", "a.ipynb", "b.ipynb")
    why = (
        "migrate would keep every definition of it (a.ipynb:cell 2: reads notebook variable N"
        " (cell 1), which helpers.f cannot see)"
    )
    assert f"f: 2 notebooks, 2 variants: not extractable: {why}" in listed.stdout.splitlines()
    as_json = run("extract", "--list", "--output-format", "json", "a.ipynb", "b.ipynb")
    (helper,) = json.loads(as_json.stdout)["helpers"]
    assert helper["extractable"] is False
    assert helper["definitions_kept"][-1] == {
        "path": "b.ipynb",
        "cell": 4,
        "reason": "the definition in cell 2 is kept, and a name's definitions go together",
    }
    extracted = run("extract", "--to", "helpers.py", "a.ipynb", "b.ipynb")
    assert f"skipped f: {why}" in extracted.stderr.splitlines()
    assert not (tmp_path / "helpers.py").exists()


def test_python_s_warnings_about_the_notebooks_code_are_not_printed(tmp_path: Path) -> None:
    """Round 59b: extract printed `<definition>:2: SyntaxWarning: "is" with a literal`, twice,
    for a helper holding `x is 1000`; with DeprecationWarning shown (a SyntaxWarning from
    Python 3.12), `"\\d"` warned from every reading of a cell, a definition or the module."""
    (tmp_path / ".git").mkdir()
    helper = 'import re\ndef f(x):\n    if x is 1000:\n        return re.findall("\\d+", x)\n'
    cells = [helper + "    return x", 'y = 5\nprint(f(1), y is 5, "\\w")']
    _write_notebooks(tmp_path, {"a": cells, "b": cells})
    (tmp_path / "lib").mkdir()
    _write_notebooks(tmp_path / "lib", {"c": cells})
    (tmp_path / "lib" / "lib.py").write_text(helper + "    return x\n")
    env = {**os.environ, "PYTHONWARNINGS": "default"}
    for arguments, folder in [
        (["extract", "--migrate", "--to", "helpers.py", "a.ipynb", "b.ipynb"], tmp_path),
        (["extract", "--to", "helpers.py", "a.ipynb", "b.ipynb"], tmp_path),  # module read
        (["migrate", "--module", "lib.py", "c.ipynb"], tmp_path / "lib"),
    ]:
        result = subprocess.run(
            [sys.executable, "-m", "nbrefactor", *arguments],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "SyntaxWarning" not in result.stderr
        assert "invalid escape sequence" not in result.stderr
    assert "from helpers import f" in (tmp_path / "a.ipynb").read_text()
    assert "from lib import f" in (tmp_path / "lib" / "c.ipynb").read_text()


@pytest.mark.parametrize(
    ("setup", "package", "reason"),
    [
        (
            "%%writefile geom.py\nPI = 3.14",
            "geom",
            "after cell 3 writes geom.py (`%%writefile geom.py`)",
        ),
        (
            "%pip install geomlib",
            "geomlib",
            "after cell 3 installs packages (`%pip install geomlib`)",
        ),
    ],
)
def test_a_helper_above_the_setup_of_a_package_it_imports_is_not_extracted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setup: str, package: str, reason: str
) -> None:
    """Round 73b F1, F2: the helper, first in each notebook, reads a module the notebook
    then writes (`%%writefile geom.py`) or installs (`%pip install geomlib`) and imports:
    the new module imports it at its top, and the import of the helper in the notebooks'
    import cell raised ModuleNotFoundError. Migrate would keep every copy (NBR258), so the
    helper is skipped and no module is written."""
    helper = f"def area(r):\n    return {package}.PI * r * r"
    for name in ("a", "b"):
        cells = ("import math", helper, setup, f"import {package}", "print(area(2))")
        (tmp_path / f"{name}.ipynb").write_text(_notebook(*cells))
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--to", "helpers.py", "--migrate", "a.ipynb", "b.ipynb")
    assert result.exit_code == 0, result.output
    assert (
        "skipped area: migrate would keep every definition of it (a.ipynb:cell 2: the import"
        f" (cell 1) would import {package}, which the notebook first imports in cell 4, {reason})"
    ) in result.stderr
    assert not (tmp_path / "helpers.py").exists()

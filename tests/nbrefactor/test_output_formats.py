"""--output-format json and github, colours (NO_COLOR, FORCE_COLOR), -V and shell completion.

CliRunner runs on copies of the fixtures in `tmp_path`; the terminal and
completion tests run the real command in a subprocess.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from conftest import FIXED_EPOCH, FIXTURES, REPO, code, notebook_text, run_on_a_terminal

from nbrefactor import messages
from nbrefactor.analysis.catalog import Catalog
from nbrefactor.cli import main
from nbrefactor.config import Config, Mode
from nbrefactor.messages import NotebookReport
from nbrefactor.migration import Outcome, Status
from nbrefactor.nbfile.notebook import parse_notebook
from nbrefactor.output import GithubPrinter
from nbrefactor.reasons import ForwardedKeyword, InBrokenCell, RenameCaptured
from nbrefactor.refactor import refactor

VIZ_UTILS = str(REPO / "viz_utils")
EPOCH_ENV = {"SOURCE_DATE_EPOCH": str(FIXED_EPOCH)}
KEPT = "unsafe_call_kept.ipynb"  # changes; one definition kept
WITH_IDS = "nbformat45_ids.ipynb"  # changes
NOOP = "noop_other_functions.ipynb"
WARNS = "broken_call_binds.ipynb"  # changes, with a warning
DOCS = REPO / "docs"
JSON_OUTPUT, EXTRACT_JSON_OUTPUT = (
    (DOCS / "json-output.md").read_text(encoding="utf-8").split("\n## extract\n")
)
USAGE = (DOCS / "usage.md").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    Path(".git").mkdir()
    return tmp_path


def run(*args: object, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(
        main,
        ["migrate", "--module", VIZ_UTILS, "--jobs", "1", *map(str, args)],
        env={**EPOCH_ENV, **(env or {})},
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def put(name: str, as_name: str | None = None) -> Path:
    target = Path("nbs", as_name or name)
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(FIXTURES / name, target)
    return target


def _mixed_folder() -> None:
    put(KEPT, "a_kept.ipynb")
    put(NOOP, "b_noop.ipynb")
    Path("nbs/c_broken.ipynb").write_text("{", encoding="utf-8")
    put(WARNS, "d_warns.ipynb")


# --------------------------------------------------------------------------
# What a run reads follows what it shows

# Kept: cell 4 uses the definition without a call (NBR205), the reason found
# first; its parameters differ too (NBR220), which its own cell says.
FIRST_REASON_ELSEWHERE = "noop_other_parameters_used_without_call.ipynb"
WITHOUT_CALL = "cell 4 refers to visualize_gradient_norms without calling it"


@pytest.mark.parametrize(
    ("flags", "explains"),
    [
        (["--check"], False),
        (["--check", "-q"], False),
        (["-q"], False),
        (["--check", "-v"], True),
        (["--dry-run"], True),
        ([], True),
        (["--check", "--output-format", "json", "-q"], True),
        (["--check", "--output-format", "github"], True),
        (["--check", "--output-format", "github", "-q"], False),
    ],
)
def test_a_run_that_shows_why_a_definition_is_kept_shows_the_first_reason(
    flags: list[str], explains: bool
) -> None:
    """Only a run that prints no reason skips the cells that only a reason needs."""
    put(FIRST_REASON_ELSEWHERE)
    result = run(*flags, "nbs")
    assert result.exit_code == 0
    printed = result.stdout + result.stderr
    assert (WITHOUT_CALL in printed or '"code": "NBR205"' in printed) is explains
    assert "NBR220" not in printed and "its parameters" not in printed
    if flags == ["--check"]:
        assert result.stderr == (
            "1 inline definition kept; -v says why\n"
            "0 notebooks would be migrated, 1 notebook unchanged.\n"
        )


# --------------------------------------------------------------------------
# JSON


def test_json_is_one_document_on_stdout_with_every_notebook_and_the_exit_code() -> None:
    _mixed_folder()
    before = {path: path.read_bytes() for path in Path("nbs").iterdir()}
    result = run("--check", "--output-format", "json", "nbs")
    assert result.exit_code == 2
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert {path: path.read_bytes() for path in Path("nbs").iterdir()} == before

    assert document["version"] == 1
    assert document["mode"] == "check"
    assert document["project_root"] == str(Path.cwd())
    assert document["configuration"] is None
    assert document["module"] == {"name": "viz_utils", "file": f"{VIZ_UTILS}/__init__.py"}
    assert document["exit_code"] == 2
    assert document["summary"] == {
        "changed": 2,
        "unchanged": 1,
        "failed": 1,
        "text": "2 notebooks would be migrated, 1 notebook unchanged, 1 notebook failed.",
    }
    notebooks = {Path(item["path"]).name: item for item in document["notebooks"]}
    assert [Path(item["path"]).name for item in document["notebooks"]] == [
        "a_kept.ipynb",
        "b_noop.ipynb",
        "c_broken.ipynb",
        "d_warns.ipynb",
    ]
    kept = notebooks["a_kept.ipynb"]
    assert kept["status"] == "changed" and kept["written"] is False and kept["error"] is None
    assert kept["replaced"] == [
        {
            "name": "visualize_entropy_vs_gradient",
            "cell": 4,
            "code": "NBR100",
            "detail_codes": ["NBR101"],
            "reason": "body differs from viz_utils.visualize_entropy_vs_gradient",
            "message": "replaced visualize_entropy_vs_gradient (cell 4); "
            "body differs from viz_utils.visualize_entropy_vs_gradient",
        }
    ]
    assert kept["kept"] == [
        {
            "name": "visualize_entropy_heatmap",
            "cell": 3,
            "code": "NBR201",
            "detail_codes": [],
            "reason": "call in cell 6 passes 6 positional arguments but "
            "viz_utils.visualize_entropy_heatmap takes at most 5",
            "message": "kept visualize_entropy_heatmap (cell 3): call in cell 6 passes 6 "
            "positional arguments but viz_utils.visualize_entropy_heatmap takes at most 5",
        }
    ]
    assert kept["notes"] == [
        "import: added 'from viz_utils import visualize_entropy_vs_gradient' to cell 2",
        "version: v0.0.21 -> v0.0.22 (cell 1), changelog entry added",
    ]
    assert kept["warnings"] == [] and kept["diffs"] == []
    assert notebooks["b_noop.ipynb"]["status"] == "unchanged"
    broken = notebooks["c_broken.ipynb"]
    assert broken["status"] == "failed" and broken["error"].startswith("invalid JSON")
    warns = notebooks["d_warns.ipynb"]
    assert len(warns["warnings"]) == 1 and "does not parse" in warns["warnings"][0]
    assert not warns["warnings"][0].startswith("warning:")


def test_json_in_write_mode_says_written_and_dry_run_carries_the_diffs() -> None:
    notebook = put(WITH_IDS)
    dry = json.loads(run("--dry-run", "--output-format", "json", notebook).stdout)
    (item,) = dry["notebooks"]
    assert item["written"] is False and dry["mode"] == "dry-run"
    assert len(item["diffs"]) == 3 and item["diffs"][0].startswith(f"--- {notebook}:cell 1")
    assert "\x1b[" not in "".join(item["diffs"])

    written = json.loads(run("--output-format", "json", notebook).stdout)
    assert written["mode"] == "write" and written["exit_code"] == 0
    assert written["notebooks"][0]["written"] is True
    assert written["notebooks"][0]["diffs"] == []


def test_json_ignores_quiet_and_verbose_and_never_colours() -> None:
    put(KEPT)
    documents = [
        json.loads(run("--check", *flags, "--output-format", "json", "nbs", env=env).stdout)
        for flags, env in [
            ([], None),
            (["-q"], None),
            (["-v"], None),
            (["--dry-run", "--color"], None),
            (["--dry-run"], {"FORCE_COLOR": "1"}),
        ]
    ]
    assert documents[0] == documents[1] == documents[2]
    assert all("\x1b[" not in json.dumps(document) for document in documents)


def test_json_lists_what_was_excluded() -> None:
    put(KEPT)
    Path("nbs/build").mkdir()
    shutil.copyfile(FIXTURES / KEPT, "nbs/build/x.ipynb")
    document = json.loads(run("--check", "--output-format", "json", ".").stdout)
    assert document["excluded"] == [
        {"path": ".git", "reason": "hidden"},
        {"path": "nbs/build", "reason": "matches the default excludes"},
    ]


def test_json_after_a_usage_error_is_no_document() -> None:
    result = run("--output-format", "json", "--bump", "huge", "nbs")
    assert result.exit_code == 2
    assert result.stdout == ""


def _flatten(value: object, prefix: str = "") -> set[str]:
    """Dotted field names of a JSON document, `[]` marking the items of a list."""
    if isinstance(value, dict):
        names = set()
        for key, item in value.items():
            name = f"{prefix}.{key}" if prefix else key
            names |= {name} | _flatten(item, name)
        return names
    if isinstance(value, list):
        names = set()
        for item in value:
            names |= {f"{prefix}[]"} | _flatten(item, f"{prefix}[]")
        return names
    return set()


def test_the_json_output_doc_names_every_field_of_the_document() -> None:
    _mixed_folder()
    put(WITH_IDS)
    Path("nbs/build").mkdir()
    document = json.loads(run("--dry-run", "--output-format", "json", ".").stdout)
    # A run-level warning: a module neither installed nor beside the notebook it migrates.
    Path("lib").mkdir()
    Path("lib/mylib.py").write_text("def double(x):\n    return x * 2\n", encoding="utf-8")
    Path("other").mkdir()
    cells = [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": s}
        for s in ("def double(x):\n    return x * 2", "double(2)")
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
    Path("other/a.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    warned = CliRunner().invoke(
        main,
        ["migrate", "--module", "lib/mylib.py", "--dry-run", "--output-format", "json", "other"],
    )
    assert json.loads(warned.stdout)["warnings"], warned.stdout
    assert _flatten(document) | _flatten(json.loads(warned.stdout)) == _documented(JSON_OUTPUT)


def _documented(table: str) -> set[str]:
    return set(re.findall(r"^\| `([^`]+)` \|", table, flags=re.MULTILINE))


def test_the_json_output_doc_names_every_field_of_extracts_documents() -> None:
    """Every field `extract --list` and `extract --check` print is in the extract table, and
    every field of the table but the items of lists these runs leave empty is printed."""
    for name in ("training", "evaluation", "report"):
        shutil.copyfile(REPO / "fixtures" / "extract" / f"{name}.ipynb", f"{name}.ipynb")
    notebooks = ["training.ipynb", "evaluation.ipynb", "report.ipynb"]
    printed = set()
    for options in (["--list"], ["--check", "--to", "helpers.py"]):
        result = CliRunner().invoke(
            main, ["extract", *options, "--output-format", "json", *notebooks]
        )
        printed |= _flatten(json.loads(result.stdout))
    # The items of one helper, listed once (under `helpers[]`), and migrate's document.
    printed = {
        name.removeprefix("extraction.") if "helpers[]" in name else name for name in printed
    }
    documented = _documented(EXTRACT_JSON_OUTPUT)
    assert printed <= documented
    empty_lists = ("errors[]", "calls_not_bound[]", "definitions_kept[]", "brought[]", "guarded[]")
    assert documented - printed == {
        name for name in documented if name.endswith(empty_lists) or ".errors[]." in f".{name}"
    } | {"migrate"}


def test_every_definition_in_the_fixture_reports_has_its_name_cell_and_reason_in_its_line(
    catalog: Catalog, config: Config
) -> None:
    """The JSON's name, cell and reason are those its report line shows: pinned on every fixture."""
    findings = []
    for report_file in sorted(FIXTURES.glob("*.report.txt")):
        source = report_file.with_name(report_file.name.removesuffix(".report.txt") + ".ipynb")
        notebook = parse_notebook(source.read_text(encoding="utf-8"))
        report = refactor(notebook, config, catalog).report
        findings += [("replaced", found) for found in report.replaced]
        findings += [("kept", found) for found in report.kept]
    assert len(findings) > 20
    for verb, found in findings:
        assert found.name.isidentifier(), found.message
        assert found.message.startswith(f"{verb} {found.name} (cell {found.cell})"), found.message
        assert found.reason and found.reason in found.message, found.message
    parsed = messages.replaced("f", 23, [InBrokenCell("line 9: unmatched ')'", False)])
    assert (parsed.name, parsed.cell, parsed.reason, parsed.message) == (
        "f",
        23,
        "the cell does not parse (line 9: unmatched ')'), its other lines are unchanged",
        (
            "replaced f (cell 23); the cell does not parse (line 9: unmatched ')'), "
            "its other lines are unchanged"
        ),
    )
    legacy = messages.replaced("old", 2, [RenameCaptured("m.new", "old", "new", 3, "def")])
    assert (legacy.name, legacy.cell, legacy.reason, legacy.message) == (
        "old",
        2,
        (
            "with m.new, imported as old; calls not renamed, since new is also bound in cell 3 (def) "
            "and could capture them"
        ),
        (
            "replaced old (cell 2) with m.new, imported as old; calls not renamed, since new is also "
            "bound in cell 3 (def) and could capture them"
        ),
    )
    assert (legacy.code, legacy.detail_codes) == ("NBR100", ("NBR108",))
    kept = messages.kept("f", 4, ForwardedKeyword("show_grid", "m.f"))
    assert (kept.reason, kept.message, kept.code) == (
        "show_grid= is a parameter inline; m.f passes it on through **kwargs",
        "kept f (cell 4): show_grid= is a parameter inline; m.f passes it on through **kwargs",
        "NBR221",
    )


# --------------------------------------------------------------------------
# GitHub Actions


def test_github_check_annotates_errors_and_warnings_and_ends_stderr_with_the_summary() -> None:
    _mixed_folder()
    result = run("--check", "--output-format", "github", "nbs")
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "::error file=nbs/a_kept.ipynb,title=nbrefactor would migrate::"
        "replaced visualize_entropy_vs_gradient (cell 4); "
        "body differs from viz_utils.visualize_entropy_vs_gradient"
        "%0Aimport: added 'from viz_utils import visualize_entropy_vs_gradient' to cell 2"
        "%0Aversion: v0.0.21 -> v0.0.22 (cell 1), changelog entry added"
    )
    assert lines[1] == (
        "::warning file=nbs/a_kept.ipynb,"
        "title=nbrefactor kept visualize_entropy_heatmap (cell 3)::"
        "call in cell 6 passes 6 positional arguments but "
        "viz_utils.visualize_entropy_heatmap takes at most 5"
    )
    assert lines[2].startswith(
        "::error file=nbs/c_broken.ipynb,title=nbrefactor cannot migrate::invalid JSON"
    )
    assert lines[3].startswith("::error file=nbs/d_warns.ipynb,title=nbrefactor would migrate::")
    assert lines[4].startswith("::warning file=nbs/d_warns.ipynb,title=nbrefactor warning::cell 4")
    assert len(lines) == 5
    assert not any("b_noop" in line for line in lines)
    assert result.stderr.splitlines() == [
        "2 notebooks would be migrated, 1 notebook unchanged, 1 notebook failed."
    ]


def test_github_quiet_keeps_only_the_errors() -> None:
    _mixed_folder()
    result = run("--check", "-q", "--output-format", "github", "nbs")
    lines = result.stdout.splitlines()
    assert [line.split(" ")[0] for line in lines] == ["::error", "::error", "::error"]
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("flags", "level", "title"),
    [([], "notice", "nbrefactor migrated"), (["--dry-run"], "warning", "nbrefactor would migrate")],
    ids=["write", "dry-run"],
)
def test_github_severity_follows_what_fails_the_job(
    flags: list[str], level: str, title: str
) -> None:
    notebook = put(WITH_IDS)
    result = run(*flags, "--output-format", "github", notebook)
    assert result.exit_code == 0
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations[0].startswith(f"::{level} file={notebook},title={title}::replaced ")
    if flags:  # the diffs are in the log too, before the annotations
        assert result.stdout.startswith(f"--- {notebook}:cell 1")


def test_github_escapes_properties_and_messages_as_the_runner_expects() -> None:
    printed: list[str] = []
    printer = GithubPrinter(Config(mode=Mode.CHECK), printed.append, printed.append, print)
    report = NotebookReport(warnings=("50% done\r\nsecond line",))
    printer.outcome(Outcome(Path("odd, name: 1.ipynb"), Status.UNCHANGED, report))
    assert printed == [
        "::warning file=odd%2C name%3A 1.ipynb,title=nbrefactor warning::50%25 done%0D%0Asecond line"
    ]


# --------------------------------------------------------------------------
# Colour: flags, then NO_COLOR, then FORCE_COLOR, then "is stdout a terminal"


@pytest.mark.parametrize(
    ("flags", "env", "coloured"),
    [
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"NO_COLOR": "1"}, False),
        ([], {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        ([], {"NO_COLOR": "", "FORCE_COLOR": ""}, False),
        (["--no-color"], {"FORCE_COLOR": "1"}, False),
        (["--color"], {"NO_COLOR": "1"}, True),
    ],
    ids=["force", "no-color", "no-color-wins", "empty-values", "flag-beats-force", "flag-beats-no"],
)
def test_colour_environment_variables(
    flags: list[str], env: dict[str, str], coloured: bool
) -> None:
    notebook = put(KEPT)
    plain = run("--dry-run", "--no-color", notebook).stdout
    result = run("--dry-run", *flags, notebook, env=env)
    assert result.exit_code == 0, result.output
    assert ("\x1b[" in result.stdout) is coloured
    assert click.unstyle(result.stdout) == plain
    assert "\x1b[" not in result.stderr


def _without_colour_variables() -> dict[str, str]:
    return {
        key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")
    }


@pytest.mark.parametrize(
    ("env", "coloured"),
    [({}, True), ({"NO_COLOR": "1"}, False), ({"NO_COLOR": ""}, True)],
    ids=["terminal", "no-color", "empty-no-color"],
)
def test_no_color_on_a_terminal(env: dict[str, str], coloured: bool) -> None:
    notebook = put(KEPT)
    args = ["migrate", "--dry-run", "--jobs", "1", "--module", VIZ_UTILS, str(notebook)]
    environment = {**_without_colour_variables(), **EPOCH_ENV, **env}
    status, stdout, stderr = run_on_a_terminal(args, Path.cwd(), environment)
    assert status == 0, stderr
    assert f"{notebook}:cell 1".encode() in stdout
    assert (b"\x1b[" in stdout) is coloured


# --------------------------------------------------------------------------
# -V and shell completion


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version_flags(flag: str) -> None:
    result = CliRunner().invoke(main, [flag])
    assert result.exit_code == 0
    assert re.fullmatch(r"nbrefactor, version \d+\.\d+\.\d+\S*\n", result.output)


def test_shell_completion_as_the_usage_doc_documents_it() -> None:
    """click's completion: docs/usage.md's bash line prints a script, and options complete."""
    command = [sys.executable, "-m", "nbrefactor"]
    script = subprocess.run(
        command,
        env={**os.environ, "_NBREFACTOR_COMPLETE": "bash_source"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "_nbrefactor_completion" in script and "complete " in script
    assert 'eval "$(_NBREFACTOR_COMPLETE=bash_source nbrefactor)"' in USAGE
    words = subprocess.run(
        command,
        env={
            **os.environ,
            "_NBREFACTOR_COMPLETE": "bash_complete",
            "COMP_WORDS": "nbrefactor migrate --output-f",
            "COMP_CWORD": "2",
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "plain,--output-format" in words.splitlines()


@pytest.mark.parametrize(
    "command",
    [
        ["migrate", "--module", "clib.py", "--check"],
        ["extract", "--to", "clib2.py", "--check"],
    ],
)
def test_json_names_a_file_whose_name_is_not_utf8_by_escapes(command: list[str]) -> None:
    """Round 70b: `caf\\xe9.ipynb` (a Latin-1 name) was written into the JSON as its raw
    byte, and `json.load` rejected the whole document; the escape `\\udce9` reads back as the
    name Python gives the file, which `os.fsencode` turns into the same bytes."""
    Path("clib.py").write_text("def double(x):\n    return [x, x]\n", encoding="utf-8")
    cell = code("def double(x):\n    return [x, x]\n\nprint(double(2))")
    for name in (b"caf\xe9.ipynb", b"b.ipynb"):
        Path(os.fsdecode(name)).write_text(notebook_text(cell), encoding="utf-8")
    finished = subprocess.run(
        [sys.executable, "-m", "nbrefactor", *command, "--output-format", "json", "."],
        check=False,
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:surrogateescape"},
    )
    assert finished.returncode == 1, finished.stderr
    document = json.loads(finished.stdout.decode("utf-8"))
    names = [os.fsencode(text) for text in _strings(document)]
    assert any(name.startswith(b"caf\xe9.ipynb") for name in names), names


def _strings(value: object) -> list[str]:
    """Every string of a JSON document (a path, or a place such as `a.ipynb:cell 2`)."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return [value] if isinstance(value, str) else []

"""Which notebooks `nbrefactor migrate` finds: project-aware, as black and ruff search folders.

Every test builds a small project in its own `tmp_path` (the current folder)
and runs the command through CliRunner; a notebook that must not be touched
is checked byte for byte (and by mtime) after the run.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import FIXED_EPOCH, FIXTURES, REPO

from nbrefactor.cli import main
from nbrefactor.discovery import DEFAULT_EXCLUDE, Exclusions, find_notebooks
from nbrefactor.migration import Outcome, Status

VIZ_UTILS = str(REPO / "viz_utils")
CHANGES = "unsafe_call_kept.ipynb"  # a notebook that a migration changes
OLD_MTIME_NS = 1_600_000_000_123_456_789


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: object) -> Result:
    result = CliRunner().invoke(
        main,
        ["migrate", "--module", VIZ_UTILS, "--jobs", "1", *map(str, args)],
        env={"SOURCE_DATE_EPOCH": str(FIXED_EPOCH)},
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def put(path: str | Path, name: str = CHANGES) -> Path:
    """Copy a fixture to PATH (relative to the current folder), with an old mtime."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / name, target)
    os.utime(target, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    return target


def untouched(path: Path, name: str = CHANGES) -> bool:
    return (
        path.read_bytes() == (FIXTURES / name).read_bytes()
        and path.stat().st_mtime_ns == OLD_MTIME_NS
    )


def migrated(path: Path) -> bool:
    return path.read_bytes() != (FIXTURES / CHANGES).read_bytes()


def headlines(result: Result) -> list[str]:
    return [
        line
        for line in result.stderr.splitlines()
        if line.startswith(("migrated ", "would migrate ", "unchanged ", "error: "))
    ]


# Folders that black and ruff never walk into (hidden ones are skipped anyway).
EXCLUDED_FOLDERS = [
    "venv",
    ".venv",
    "build",
    "dist",
    "buck-out",  # black's, which was missing (CLI sweep 27)
    "node_modules",
    "_build",
    ".tox",
    ".nox",
    ".mypy_cache",
    "__pypackages__",
    "lib/python3.11/site-packages",
    ".git",
    ".hg",
    ".ipynb_checkpoints",
    ".virtual_documents",  # jupyterlab-lsp's copies: hidden
    ".github",  # hidden: black and ruff search it, nbrefactor does not
]


def _typical_project(top: str) -> list[Path]:
    """A project below TOP with notebooks in the places a run must skip; returns those."""
    Path(top, ".git").mkdir(parents=True)
    Path(top, ".gitignore").write_text("# local data\nscratch/\n*.tmp.ipynb\n", encoding="utf-8")
    put(Path(top, "notebooks", "analysis.ipynb"))
    skipped = [put(Path(top, folder, "inside.ipynb")) for folder in EXCLUDED_FOLDERS]
    skipped.append(put(Path(top, "scratch", "draft.ipynb")))
    skipped.append(put(Path(top, "notebooks", "copy.tmp.ipynb")))
    skipped.append(put(Path(top, "notebooks", "venv", "deep.ipynb")))
    return skipped


@pytest.mark.parametrize("given", ["parent", "parent/project", "."], ids=str)
def test_venv_build_and_gitignored_notebooks_are_never_touched_from_a_parent_folder(
    given: str,
) -> None:
    skipped = _typical_project("parent/project")
    result = run(given)
    assert result.exit_code == 0, result.output
    assert migrated(Path("parent/project/notebooks/analysis.ipynb"))
    for path in skipped:
        assert untouched(path), path
    assert headlines(result) == ["migrated parent/project/notebooks/analysis.ipynb"]


def test_a_gitignored_folder_is_skipped_when_running_from_a_subfolder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The root's .gitignore counts, with its paths read from the root, whatever the current folder."""
    Path(".git").mkdir()
    Path(".gitignore").write_text("/notebooks/data/\n", encoding="utf-8")
    data = put("notebooks/data/raw.ipynb")
    kept = put("other/data/raw.ipynb")  # an anchored pattern matches at the root only
    mine = put("notebooks/mine.ipynb")
    monkeypatch.chdir(tmp_path / "notebooks")
    result = run(".")
    assert result.exit_code == 0, result.output
    assert untouched(tmp_path / data)
    assert migrated(tmp_path / mine)
    monkeypatch.chdir(tmp_path / "other")
    assert run(".").exit_code == 0
    assert migrated(tmp_path / kept)


def test_nested_gitignore_files_and_negation_follow_git() -> None:
    Path(".git").mkdir()
    Path(".gitignore").write_text("generated_*.ipynb\n", encoding="utf-8")
    Path("sub").mkdir()
    Path("sub/.gitignore").write_text("!generated_keep.ipynb\nlocal/\n", encoding="utf-8")
    ignored = [put("generated_a.ipynb"), put("sub/generated_b.ipynb"), put("sub/local/x.ipynb")]
    taken = [put("sub/generated_keep.ipynb"), put("local/x.ipynb")]  # sub's rules stay in sub
    result = run(".")
    assert result.exit_code == 0, result.output
    for path in ignored:
        assert untouched(path), path
    for path in taken:
        assert migrated(path), path


def test_invalid_gitignore_lines_are_ignored_as_git_ignores_them() -> None:
    Path(".git").mkdir()
    Path(".gitignore").write_text("foo\\\n[z-a]\nscratch/\n", encoding="utf-8")
    draft = put("scratch/draft.ipynb")
    taken = put("nb.ipynb")
    result = run(".")
    assert result.exit_code == 0, result.output
    assert untouched(draft)
    assert migrated(taken)


def test_gitignore_counts_without_a_git_folder_as_in_black() -> None:
    Path(".gitignore").write_text("scratch/\n", encoding="utf-8")
    draft = put("scratch/draft.ipynb")
    taken = put("nb.ipynb")
    assert run(".").exit_code == 0
    assert untouched(draft)
    assert migrated(taken)


def test_a_path_given_explicitly_is_processed_even_if_excluded() -> None:
    Path(".git").mkdir()
    Path(".gitignore").write_text("scratch/\n", encoding="utf-8")
    in_build = put("build/b.ipynb")
    in_scratch = put("scratch/s.ipynb")
    result = run(in_build, in_scratch)
    assert result.exit_code == 0, result.output
    assert migrated(in_build) and migrated(in_scratch)


def test_a_folder_given_explicitly_is_searched_even_if_excluded_and_its_insides_still_filtered() -> (
    None
):
    Path(".git").mkdir()
    Path(".gitignore").write_text("scratch/\n", encoding="utf-8")
    taken = [put("venv/nbs/a.ipynb"), put("scratch/b.ipynb")]
    still_skipped = [
        put("venv/nbs/.ipynb_checkpoints/a-checkpoint.ipynb"),
        put("scratch/node_modules/x.ipynb"),
    ]
    result = run("venv", "scratch")
    assert result.exit_code == 0, result.output
    for path in taken:
        assert migrated(path), path
    for path in still_skipped:
        assert untouched(path), path


def test_force_exclude_applies_the_excludes_to_paths_given_explicitly() -> None:
    """As pre-commit passes them: excluded ones are skipped quietly, the others migrated."""
    Path(".git").mkdir()
    Path(".gitignore").write_text("scratch/\n", encoding="utf-8")
    skipped = [
        put("build/b.ipynb"),
        put("scratch/s.ipynb"),
        put("nbs/.ipynb_checkpoints/a-checkpoint.ipynb"),
        put("nbs/venv/v.ipynb"),
    ]
    taken = put("nbs/a.ipynb")
    result = run("--force-exclude", *skipped, taken)
    assert result.exit_code == 0, result.output
    for path in skipped:
        assert untouched(path), path
    assert migrated(taken)
    assert headlines(result) == ["migrated nbs/a.ipynb"]


def test_force_exclude_with_every_path_excluded_is_not_an_error() -> None:
    Path(".git").mkdir()
    skipped = put("build/b.ipynb")
    result = run("--force-exclude", skipped)
    assert result.exit_code == 0, result.output
    assert untouched(skipped)
    assert "error" not in result.stderr


def test_force_exclude_skips_a_folder_given_explicitly_that_is_excluded() -> None:
    Path(".git").mkdir()
    skipped = put("build/b.ipynb")
    result = run("--force-exclude", "build")
    assert result.exit_code == 0, result.output
    assert untouched(skipped)


def test_exclude_replaces_the_default_excludes_and_extend_exclude_adds_to_them() -> None:
    Path(".git").mkdir()
    in_build = put("build/b.ipynb")
    in_generated = put("generated/g.ipynb")
    in_venv = put("venv/v.ipynb")
    result = run("--exclude", "/generated/", ".")
    assert result.exit_code == 0, result.output
    assert migrated(in_build) and migrated(in_venv) and untouched(in_generated)

    fresh = [put("b2/build/b.ipynb"), put("b2/generated/g.ipynb")]
    taken = put("b2/nb.ipynb")
    result = run("--extend-exclude", "^/b2/generated/", "b2")
    assert result.exit_code == 0, result.output
    assert all(untouched(path) for path in fresh)
    assert migrated(taken)


def test_exclude_patterns_see_the_path_from_the_project_root(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """As in black: "/" + the path relative to the root, with "/" after a folder."""
    Path(".git").mkdir()
    skipped = put("nbs/old/a.ipynb")
    taken = put("nbs/new/old.ipynb")
    monkeypatch.chdir(tmp_path / "nbs")
    result = run("--extend-exclude", "^/nbs/old/", ".")
    assert result.exit_code == 0, result.output
    assert untouched(tmp_path / skipped)
    assert migrated(tmp_path / taken)


def test_verbose_lists_what_was_excluded_and_why() -> None:
    Path(".git").mkdir()
    Path(".gitignore").write_text("scratch/\n*.tmp.ipynb\n", encoding="utf-8")
    put("build/b.ipynb")
    put("scratch/s.ipynb")
    put("gen/g.ipynb")
    put("z.tmp.ipynb")
    put("a.tmp.ipynb")
    put("nb.ipynb")
    put(".ipynb_checkpoints/nb-checkpoint.ipynb")
    put(".draft.ipynb")
    result = run("-v", "--check", "--extend-exclude", "/gen/", ".")
    assert result.exit_code == 1, result.output
    excluded = [line for line in result.stderr.splitlines() if line.startswith("excluded ")]
    gitignore = Path.cwd() / ".gitignore"
    assert excluded == [
        "excluded .draft.ipynb (hidden)",  # listed too (docs sweep 28), as black lists .git
        "excluded .git (hidden)",
        "excluded .ipynb_checkpoints (hidden)",
        f"excluded a.tmp.ipynb (ignored by {gitignore})",
        "excluded build (matches the default excludes)",
        "excluded gen (matches --extend-exclude)",
        f"excluded scratch (ignored by {gitignore})",
        f"excluded z.tmp.ipynb (ignored by {gitignore})",
    ]


def test_a_folder_whose_notebooks_are_all_excluded_is_nothing_to_do_like_an_empty_one() -> None:
    Path(".git").mkdir()
    put("proj/venv/v.ipynb")
    result = run("proj")
    assert result.exit_code == 0, result.output
    assert headlines(result) == []
    assert result.stderr.splitlines()[-1] == "No notebooks to migrate."


# --------------------------------------------------------------------------
# Symbolic links and special files


def test_a_symbolic_link_loop_given_explicitly_is_one_error_and_the_rest_is_processed() -> None:
    os.symlink("loop_b.ipynb", "loop_a.ipynb")
    os.symlink("loop_a.ipynb", "loop_b.ipynb")
    good = put("good.ipynb")
    result = run("loop_a.ipynb", good)
    assert result.exit_code == 2, result.output
    assert headlines(result) == [
        "error: loop_a.ipynb: symbolic link loop",
        "migrated good.ipynb",
    ]
    assert migrated(good)


def test_a_symbolic_link_loop_found_in_a_folder_is_one_error_and_the_rest_is_processed() -> None:
    Path("nbs").mkdir()
    os.symlink("self.ipynb", "nbs/self.ipynb")
    os.symlink("loop", "nbs/loop")  # a looping folder link: not a notebook, not followed
    good = put("nbs/good.ipynb")
    result = run("nbs")
    assert result.exit_code == 2, result.output
    assert headlines(result) == [
        "migrated nbs/good.ipynb",
        "error: nbs/self.ipynb: symbolic link loop",
    ]
    assert migrated(good)


def test_a_path_below_a_looping_link_is_a_loop_error() -> None:
    os.symlink("loop", "loop")
    result = run("loop/x.ipynb", put("good.ipynb"))
    assert result.exit_code == 2, result.output
    assert headlines(result)[0] == "error: loop/x.ipynb: symbolic link loop"


def test_a_link_to_nothing_found_in_a_folder_is_left_out_and_given_by_name_is_an_error() -> None:
    """Round 60b F3: a link left behind by a deleted notebook failed every run over its folder
    (exit 2); black passes over what a search finds that is neither a file nor a folder."""
    Path(".git").mkdir()
    os.symlink("gone.ipynb", "old.ipynb")
    good = put("nbs/good.ipynb")
    result = run("-v", "--check", ".")
    assert result.exit_code == 1, result.output
    assert headlines(result) == ["would migrate nbs/good.ipynb"]
    excluded = [line for line in result.stderr.splitlines() if line.startswith("excluded ")]
    assert excluded == ["excluded .git (hidden)", "excluded old.ipynb (a symbolic link to nothing)"]
    as_json = run("--output-format", "json", "--check", ".")
    assert as_json.exit_code == 1, as_json.output
    assert {"path": "old.ipynb", "reason": "a symbolic link to nothing"} in json.loads(
        as_json.stdout
    )["excluded"]
    given = run("--check", "old.ipynb", good)
    assert given.exit_code == 2, given.output
    assert headlines(given)[0] == "error: old.ipynb: no such file or directory"


def test_a_notebook_linked_into_the_project_is_processed_once() -> None:
    real = put("real/nb.ipynb")
    Path("nbs").mkdir()
    os.symlink("../real/nb.ipynb", "nbs/link.ipynb")
    result = run("nbs", "real")
    assert result.exit_code == 0, result.output
    assert len(headlines(result)) == 1, result.stderr
    assert migrated(real)


@pytest.mark.parametrize("link", ["a_link.ipynb", "z_link.ipynb"])
def test_a_search_finding_a_notebook_and_a_link_to_it_takes_the_notebook(link: str) -> None:
    """Round 60b F4: the one processed was the first by name, so renaming the link changed the
    path reported and whether the kernel warning (judged from the path's folder) was given."""
    real = put("real/r.ipynb")
    os.symlink("real/r.ipynb", link)
    result = run("--check", ".")
    assert result.exit_code == 1, result.output
    assert headlines(result) == ["would migrate real/r.ipynb"]
    alone = run("--check", link)  # given by name, the link is processed, as the user wrote it
    assert headlines(alone) == [f"would migrate {link}"]
    both = run("--check", ".", link)
    assert headlines(both) == [f"would migrate {link}"]
    assert untouched(real)


def test_a_link_found_without_its_notebook_is_processed_as_the_link() -> None:
    """Judged from the link's folder, as a link given by name is (docs/usage.md)."""
    Path(".git").mkdir()
    put("real/r.ipynb")
    Path("nbs").mkdir()
    os.symlink("../real/r.ipynb", "nbs/link.ipynb")
    result = run("--check", "nbs")
    assert headlines(result) == ["would migrate nbs/link.ipynb"]


def test_a_link_found_in_a_folder_to_a_notebook_outside_the_project_is_left_out(
    tmp_path: Path,
) -> None:
    """CLI sweep 29: a link in the project to another repository's notebook was followed and
    that notebook rewritten; black skips such a file (`-v`: "is a symbolic link that points
    outside"). Given by name, it is written through. A folder link is listed too."""
    outside = put("outside/shared.ipynb")
    project = tmp_path / "proj"
    (project / ".git").mkdir(parents=True)
    os.symlink("../outside/shared.ipynb", project / "shared.ipynb")
    os.symlink("../outside", project / "linked")
    inside = put("proj/real/nb.ipynb")
    os.symlink("real/nb.ipynb", project / "alias.ipynb")  # inside: the file is taken, once
    result = run("-v", "proj")
    assert result.exit_code == 0, result.output
    assert headlines(result) == ["migrated proj/real/nb.ipynb"]
    excluded = [line for line in result.stderr.splitlines() if line.startswith("excluded ")]
    assert excluded == [
        "excluded proj/.git (hidden)",
        "excluded proj/linked (a symbolic link to a folder, not searched)",
        f"excluded proj/shared.ipynb (a symbolic link pointing outside {project})",
    ]
    assert migrated(inside)
    assert (tmp_path / "outside/shared.ipynb").read_bytes() == (FIXTURES / CHANGES).read_bytes()
    given = run("proj/shared.ipynb")
    assert given.exit_code == 0, given.output
    assert migrated(outside)


def test_a_folder_given_twice_through_a_link_is_processed_once() -> None:
    """Each notebook is known by its folder's real path: a linked folder names the same files."""
    real = put("nbs/nb.ipynb")
    os.symlink("nbs", "alias")
    result = run("alias", "nbs", "./alias/")
    assert result.exit_code == 0, result.output
    assert len(headlines(result)) == 1, result.stderr
    assert migrated(real)


def _rules(root: Path) -> Exclusions:
    return Exclusions(root=root, gitignore_top=root, exclude=DEFAULT_EXCLUDE)


def test_discovery_lists_a_fifo_without_opening_it(tmp_path: Path) -> None:
    """Reading decides what to do with a FIFO; finding it must not block on it."""
    Path("nbs").mkdir()
    os.mkfifo("nbs/pipe.ipynb")
    put("nbs/good.ipynb")
    found = find_notebooks([Path("nbs")], _rules(tmp_path))
    assert found.entries == [Path("nbs/good.ipynb"), Path("nbs/pipe.ipynb")]


def test_discovery_reports_missing_paths_and_keeps_the_order_given(tmp_path: Path) -> None:
    put("b/x.ipynb")
    put("a.ipynb")
    found = find_notebooks([Path("b"), Path("missing.ipynb"), Path("a.ipynb")], _rules(tmp_path))
    assert found.entries == [
        Path("b/x.ipynb"),
        Outcome(Path("missing.ipynb"), Status.FAILED, error="no such file or directory"),
        Path("a.ipynb"),
    ]

"""A `.gitignore` says of a path what pathspec says, pathspec imported only when a line may match."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import warnings

import pytest
from conftest import FIXTURES, REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from nbrefactor.gitignore import GitIgnore, _spec

LINES = [
    "",
    "   ",
    "\t",
    "# a comment",
    " # not a comment",
    "\\#hash",
    "!",
    "!keep.ipynb",
    "\\!bang",
    "/",
    "*",
    "**",
    "?",
    "*.py[cod]",
    "[abc]*",
    "a[",
    "build/",
    "/build",
    "data/*.ipynb",
    "a/**/b",
    "**/nb?.ipynb",
    "out/**",
    "trailing   ",
    "escaped\\ ",
    "*.ipynb",
    "!important*.ipynb",
]
PATHS = [
    "build/",
    "build/x.ipynb",
    "src/build/",
    "data/",
    "data/run.ipynb",
    "data/deep/run.ipynb",
    "a/b",
    "a/x/y/b",
    "nb1.ipynb",
    "deep/nb2.ipynb",
    "important.ipynb",
    "keep.ipynb",
    "out/",
    "out/a.ipynb",
    "trailing",
    "escaped ",
    "#hash",
    "!bang",
    "c.pyc",
    "notes.ipynb",
]


@pytest.mark.parametrize("line", LINES)
def test_each_line_decides_as_pathspec(line: str) -> None:
    for lines in ([line], [line, "!keep.ipynb"], ["*.ipynb", line]):
        spec = _spec(lines)
        for path in PATHS:
            assert GitIgnore(lines).decision(path) == spec.check_file(path).include, (lines, path)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text("ab*?/[]!#\\ .\t", max_size=7), max_size=4),
    st.lists(st.text("ab./!#[] ", min_size=1, max_size=8), min_size=1, max_size=6),
)
def test_any_lines_decide_as_pathspec(lines: list[str], paths: list[str]) -> None:
    gitignore, spec = GitIgnore(lines), _spec(lines)
    for path in paths:
        assert gitignore.decision(path) == spec.check_file(path).include


@pytest.mark.parametrize(
    ("gitignore", "imported", "summary"),
    [
        (
            "__pycache__/\n*.py[cod]\nbuild/\n",
            False,
            "0 notebooks would be migrated, 1 notebook unchanged.",
        ),
        ("demo*\n", True, "No notebooks to migrate."),
    ],
)
def test_pathspec_is_imported_only_for_a_path_a_line_may_match(
    tmp_path, gitignore: str, imported: bool, summary: str
) -> None:
    """The pre-commit hook's check (--force-exclude) in a repository with a .gitignore."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text(gitignore)
    (tmp_path / "notebooks").mkdir()
    shutil.copy(
        FIXTURES / "NeuralPlasticityDemo.expected.ipynb", tmp_path / "notebooks" / "demo.ipynb"
    )
    arguments = [
        "migrate",
        "--check",
        "--force-exclude",
        "--module",
        str(REPO / "viz_utils"),
        "notebooks/demo.ipynb",
    ]
    probe = (
        "import sys\nfrom nbrefactor.cli import main\n"
        f"try:\n    main({arguments!r}, prog_name='nbrefactor')\nexcept SystemExit:\n    pass\n"
        "print('PATHSPEC', 'pathspec' in sys.modules, file=sys.stderr)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert completed.stderr.splitlines() == [summary, f"PATHSPEC {imported}"]


def test_a_line_python_warns_about_is_read_without_a_warning(tmp_path) -> None:
    """`[[a]` makes `re` warn (`FutureWarning: Possible nested set`) when pathspec compiles
    it: a run printed pathspec's file and line. It is read as before, silently."""
    re.purge()  # a pattern compiled before is cached, and warns no more
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spec = _spec(["[[a]", "*.log"])
        assert spec.check_file("x.log").include
        assert GitIgnore(["[[a]"]).decision("[") == spec.check_file("[").include

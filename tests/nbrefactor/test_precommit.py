"""The hooks of `.pre-commit-hooks.yaml`, driven by the real pre-commit in a temporary git repository.

The hook repository is a commit of this working tree's package files, so
the test checks the code and hook definitions as they are now, not the last
commit. pre-commit installs it as it would from a URL: into an environment
of its own, with pip (about ten seconds, once for this module; pip's
configured index serves the dependencies, no other network is used).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXED_EPOCH, FIXTURES, REPO

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
CHANGES = "unsafe_call_kept.ipynb"
NOOP = "noop_other_functions.ipynb"
# What pip needs to install the distribution, and the hooks.
HOOK_REPOSITORY_FILES = [
    "nbrefactor",
    "viz_utils",
    "pyproject.toml",
    "README.md",
    ".pre-commit-hooks.yaml",
]


def _git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    completed = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return completed.stdout.strip()


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Git without the user's settings, pre-commit's cache shared by this module's tests."""
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
        "SOURCE_DATE_EPOCH": str(FIXED_EPOCH),
    }


@pytest.fixture(scope="module")
def hook_repository(
    tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]
) -> tuple[str, str]:
    """(path, commit) of a git repository holding this working tree's package and hooks."""
    folder = tmp_path_factory.mktemp("hook-repository")
    for name in HOOK_REPOSITORY_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(source, folder / name)
    _git("init", "--quiet", cwd=folder, env=env)
    _git("add", "--all", cwd=folder, env=env)
    _git("commit", "--quiet", "--message", "hooks", cwd=folder, env=env)
    return str(folder), _git("rev-parse", "HEAD", cwd=folder, env=env)


def _project(
    tmp_path: Path, hook_repository: tuple[str, str], env: dict[str, str], hook: str
) -> Path:
    """A git repository using one of our hooks, as the README's configuration does."""
    project = tmp_path / "project"
    project.mkdir()
    path, commit = hook_repository
    config = {"repos": [{"repo": path, "rev": commit, "hooks": [{"id": hook}]}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git("init", "--quiet", cwd=project, env=env)
    _git("add", ".pre-commit-config.yaml", cwd=project, env=env)
    _git("commit", "--quiet", "--message", "configuration", cwd=project, env=env)
    subprocess.run([*PRE_COMMIT, "install"], cwd=project, env=env, check=True, capture_output=True)
    return project


def _put(project: Path, name: str, as_name: str) -> Path:
    target = project / as_name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / name, target)
    return target


def _commit(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`git commit`, which runs the hook; its output (git prints it on stderr) in `.stdout`."""
    return subprocess.run(
        ["git", "commit", "--message", "notebooks"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        timeout=600,
    )


def _expected(name: str) -> bytes:
    return (FIXTURES / name.replace(".ipynb", ".expected.ipynb")).read_bytes()


def test_the_hook_file_declares_both_hooks_as_the_readme_says() -> None:
    hooks = {
        hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    }
    assert sorted(hooks) == ["nbrefactor", "nbrefactor-check"]
    for hook in hooks.values():
        assert hook["types"] == ["jupyter"]
        assert hook["require_serial"] is True
        assert hook["language"] == "python"
        assert "--force-exclude" in hook["entry"].split()
    assert "--check" in hooks["nbrefactor-check"]["entry"].split()
    assert "--check" not in hooks["nbrefactor"]["entry"].split()


def test_a_staged_inline_definition_fails_the_commit_with_the_notebook_migrated_then_passes(
    tmp_path: Path, hook_repository: tuple[str, str], env: dict[str, str]
) -> None:
    project = _project(tmp_path, hook_repository, env, "nbrefactor")
    notebook = _put(project, CHANGES, "notebooks/analysis.ipynb")
    untouched = _put(project, NOOP, "notebooks/other.ipynb")
    # Staged, but excluded (by default and by .gitignore): --force-exclude leaves them alone.
    in_build = _put(project, CHANGES, "build/generated.ipynb")
    (project / ".gitignore").write_text("scratch/\n", encoding="utf-8")
    in_scratch = _put(project, CHANGES, "scratch/draft.ipynb")
    _git("add", "--all", cwd=project, env=env)
    _git("add", "--force", "scratch/draft.ipynb", cwd=project, env=env)

    first = _commit(project, env)
    assert first.returncode != 0, first.stdout
    assert "files were modified by this hook" in first.stdout
    assert "migrated notebooks/analysis.ipynb" in first.stdout
    assert notebook.read_bytes() == _expected(CHANGES)
    assert untouched.read_bytes() == (FIXTURES / NOOP).read_bytes()
    assert in_build.read_bytes() == (FIXTURES / CHANGES).read_bytes()
    assert in_scratch.read_bytes() == (FIXTURES / CHANGES).read_bytes()
    assert _git("log", "--oneline", cwd=project, env=env).count("\n") == 0  # nothing committed

    _git("add", "--all", cwd=project, env=env)
    second = _commit(project, env)
    assert second.returncode == 0, second.stdout
    assert "nbrefactor" in second.stdout and "Passed" in second.stdout
    committed = subprocess.run(
        ["git", "show", "HEAD:notebooks/analysis.ipynb"],
        cwd=project,
        env=env,
        capture_output=True,
        check=True,
    ).stdout
    assert committed == _expected(CHANGES)


def test_an_invalid_notebook_fails_with_exit_2_and_the_others_are_still_migrated(
    tmp_path: Path, hook_repository: tuple[str, str], env: dict[str, str]
) -> None:
    project = _project(tmp_path, hook_repository, env, "nbrefactor")
    first = _put(project, CHANGES, "a.ipynb")
    (project / "broken.ipynb").write_text("{", encoding="utf-8")
    last = _put(project, CHANGES, "z.ipynb")
    _git("add", "--all", cwd=project, env=env)

    result = _commit(project, env)
    assert result.returncode != 0
    assert "- exit code: 2" in result.stdout, result.stdout
    assert "error: broken.ipynb: invalid JSON" in result.stdout
    assert "Traceback" not in result.stdout
    assert first.read_bytes() == _expected(CHANGES)
    assert last.read_bytes() == _expected(CHANGES)
    assert (project / "broken.ipynb").read_text(encoding="utf-8") == "{"


def test_the_check_hook_fails_and_changes_nothing(
    tmp_path: Path, hook_repository: tuple[str, str], env: dict[str, str]
) -> None:
    project = _project(tmp_path, hook_repository, env, "nbrefactor-check")
    notebook = _put(project, CHANGES, "a.ipynb")
    _git("add", "--all", cwd=project, env=env)

    result = _commit(project, env)
    assert result.returncode != 0
    assert "- exit code: 1" in result.stdout, result.stdout
    assert "would migrate a.ipynb" in result.stdout
    assert "files were modified" not in result.stdout
    assert notebook.read_bytes() == (FIXTURES / CHANGES).read_bytes()

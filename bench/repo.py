"""The repository measured and the tools that measure it: paths, the library's names,
the commands found, the source revision, and the benchmark's one error."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
MODULE = REPO / "viz_utils"
DEMO = FIXTURES / "NeuralPlasticityDemo.ipynb"
MIGRATED_DEMO = FIXTURES / "NeuralPlasticityDemo.expected.ipynb"
MIB = 1024 * 1024


class BenchError(Exception):
    """A command failed unexpectedly, or the benchmark cannot run."""


class TimedOut(Exception):
    """A command ran longer than its timeout and was stopped."""


def library_names() -> frozenset[str]:
    """`__all__` and the keys of `__legacy_names__` of viz_utils, read from its source."""
    names: set[str] = set()
    tree = ast.parse((MODULE / "__init__.py").read_text(encoding="utf-8"))
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name) and target.id in ("__all__", "__legacy_names__"):
                names.update(ast.literal_eval(statement.value))
    if not names:
        raise BenchError(f"no __all__ in {MODULE / '__init__.py'}")
    return frozenset(names)


def compile_bytecode() -> None:
    """Write the bytecode of the packages measured, as `pip install` does.

    An editable install under PYTHONDONTWRITEBYTECODE (set on some machines,
    CI ones among them) would otherwise compile every module at every start,
    which is not what a user's runs cost.
    """
    import compileall
    import importlib.util

    for package in ("nbrefactor", "viz_utils"):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                compileall.compile_dir(location, quiet=1)


def find_tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def tool_version(argv: Sequence[str]) -> str:
    try:
        completed = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except OSError as error:
        return f"unavailable ({error})"
    return (
        (completed.stdout or completed.stderr).strip().splitlines()[0]
        if completed.returncode == 0
        else "?"
    )


def source_revision() -> str:
    """The repository's commit, and whether nbrefactor/ or viz_utils/ have local changes."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
        changes = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "nbrefactor", "viz_utils"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return f"{head} with local changes in nbrefactor/ or viz_utils/" if changes else head

"""Shared helpers for the nbrefactor tests: the real catalog, a fixed clock, notebook builders,
the command on a terminal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest

from nbrefactor.analysis.catalog import Catalog, load_catalog
from nbrefactor.config import Config
from nbrefactor.nbfile.notebook import Notebook, parse_notebook
from nbrefactor.nbfile.splice import render
from nbrefactor.refactor import Result, refactor

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
# Fixed time for reproducible timestamps: 2026-01-02 03:04:05 UTC.
FIXED_EPOCH = 1767323045
FIXED_NOW = datetime.fromtimestamp(FIXED_EPOCH, tz=UTC)


def rendered(
    notebook: Notebook, new_sources: Mapping[int, str], reuse_identical: bool = True
) -> bytes:
    """The new file content in one piece, as `render` streams it to the file."""
    return b"".join(render(notebook, new_sources, reuse_identical))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(str(REPO / "viz_utils"))


@pytest.fixture
def config() -> Config:
    return Config(now=FIXED_NOW)


def code(source: str | list[str], **extra: object) -> dict:
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": [],
        "source": source,
    }
    cell.update(extra)
    return cell


def markdown(source: str | list[str]) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def notebook_text(*cells: dict, minor: int = 4) -> str:
    """A notebook written the way Jupyter writes it."""
    document = {
        "cells": list(cells),
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": minor,
    }
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# Small inline copies of library helpers and the cells around them, for the rule tests.
GRAD_DEF = (
    "def visualize_gradient_norms(grad_norm_values, pruned_heads=None, revived_heads=None,"
    " title='Gradient Norms', save_path=None):\n"
    "    plt.imshow(grad_norm_values)\n"
    "    return plt.gcf()\n"
)
HEATMAP_DEF = (
    "def visualize_entropy_heatmap(entropy_values, title='Heatmap', save_path=None, min_value=0.0,"
    " annotate=True, cmap='viridis'):\n"
    "    plt.imshow(entropy_values, cmap=cmap)\n"
)
TITLE = markdown("# Demo (v0.0.7)\n\n### New in v0.0.7:\n- first\n")
IMPORTS = code("import numpy as np\nimport matplotlib.pyplot as plt")


def migrate_text(
    text: str, catalog: Catalog, config: Config | None = None, folder: Path | None = None
) -> tuple[Result, dict[int, str]]:
    """Run the pure migration on notebook text (of a notebook in `folder`, where the scripts
    and modules it runs are read, when given); returns the result and every cell's new
    source."""
    notebook = parse_notebook(text)
    result = refactor(notebook, config or Config(now=FIXED_NOW), catalog, folder=folder)
    sources = {
        cell.number: result.new_sources.get(cell.number, cell.source) for cell in notebook.cells
    }
    return result, sources


@pytest.fixture
def deadline():
    """Fail a test that runs longer than 20 s: for inputs on which a backtracking
    pattern or a quadratic step would run for minutes, where linear code takes
    milliseconds (a bound on hangs, not a speed target)."""
    import signal

    def expired(signum, frame):
        raise AssertionError("took over 20 s: not linear in the input")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def run_on_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, bytes, bytes]:
    """Run `python -m nbrefactor ARGS` with stdout on a pseudo-terminal: status, stdout, stderr."""
    import pty

    primary, secondary = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "nbrefactor", *args],
            stdout=secondary,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
        )
    finally:
        os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # EIO once the child has closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    stderr = process.stderr.read()
    process.stderr.close()
    return process.wait(timeout=60), b"".join(chunks), stderr


def put(name: str, as_name: str | None = None, folder: str = ".") -> Path:
    """Copy fixtures/NAME to FOLDER/AS_NAME (the current folder, its own name by default)."""
    target = Path(folder, as_name or name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / name, target)
    return target


def expected_bytes(name: str) -> bytes:
    """The bytes fixtures/NAME must migrate to (its .expected.ipynb)."""
    return (FIXTURES / name.replace(".ipynb", ".expected.ipynb")).read_bytes()

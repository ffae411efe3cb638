"""Markdown cells made into a notebook, and the version rule run on them at a fixed time:
what the title tests ask (test_rule_version*.py, test_rule_title_blocks.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from nbrefactor.config import Config
from nbrefactor.nbfile.notebook import Notebook, parse_notebook
from nbrefactor.rules.version import version_update

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def markdown_notebook(*sources: str) -> Notebook:
    """A notebook of markdown cells holding `sources`, in order."""
    cells = [{"cell_type": "markdown", "metadata": {}, "source": source} for source in sources]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return parse_notebook(json.dumps(notebook).encode())


def title_update(*sources: str) -> tuple[str | None, str]:
    """The title cell's new source (None: not bumped) and the report line, `f` replaced by
    `mylib`'s at `NOW`."""
    update, line = version_update(
        markdown_notebook(*sources), Config(now=NOW), [("f", "f")], "mylib"
    )
    return (None if update is None else update.source), line

"""Unified diffs of changed cells, headed `path:cell N` like black's notebook diffs."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping

from nbrefactor.analysis.text import split_lines
from nbrefactor.nbfile.notebook import Notebook


def cell_diffs(
    notebook: Notebook, new_sources: Mapping[int, str], path_label: str
) -> Iterator[str]:
    """One unified diff (as text, lines joined by \\n) per changed cell, in cell order."""
    for number in sorted(new_sources):
        cell = notebook.cells[number - 1]
        label = f"{path_label}:{cell.label}"
        lines = difflib.unified_diff(
            _lines(cell.source),
            _lines(new_sources[number]),
            fromfile=label,
            tofile=label,
            lineterm="",
        )
        yield "\n".join(lines)


def _lines(text: str) -> list[str]:
    return [line.rstrip("\r\n") for line in split_lines(text)]

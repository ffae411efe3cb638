"""A cell black leaves alone before the migration, black leaves alone after it.

Removing a definition between statements keeps at most the blank lines that
were on either side, and an import placed where a definition was (or atop its
cell) is spaced as black spaces imports. black itself is the judge: each code
cell goes through `black.format_cell`, as `black notebook.ipynb` does.
"""

from __future__ import annotations

import black
import pytest
from conftest import FIXTURES, migrate_text

BLACK_CLEAN = sorted(FIXTURES.glob("black_clean_*.ipynb"))
MODE = black.Mode(is_ipynb=True)


def _black_changes(source: str) -> bool:
    try:
        black.format_cell(source, fast=True, mode=MODE)
    except black.NothingChanged:
        return False
    return True


@pytest.mark.parametrize(
    "path", [p for p in BLACK_CLEAN if ".expected" not in p.name], ids=lambda p: p.stem
)
def test_a_black_clean_notebook_stays_black_clean(path, catalog):
    text = path.read_text(encoding="utf-8")
    result, sources = migrate_text(text, catalog)
    assert result.changed
    from nbrefactor.nbfile.notebook import parse_notebook

    cells = parse_notebook(text).cells
    for cell in cells:
        if cell.cell_type == "code":
            assert not _black_changes(cell.source), f"{path.name} cell {cell.number} before"
            assert not _black_changes(sources[cell.number]), (
                f"{path.name} cell {cell.number} after:\n{sources[cell.number]}"
            )

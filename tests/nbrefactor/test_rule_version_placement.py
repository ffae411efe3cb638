"""Where the new changelog section is written in the title cell, so that JupyterLab (marked)
shows it there and everything else as before (round 74a): after the title's introduction."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from nbrefactor.config import Bump
from nbrefactor.nbfile.notebook import Cell
from nbrefactor.rules.version import update_version

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
_SECTION = "### New in v0.0.4:\n- Entry\n"


def _update(source: str) -> str:
    cell = Cell(number=1, cell_type="markdown", source=source, cell_id=None)
    return update_version(cell, Bump.PATCH, NOW, "Entry").source


@pytest.mark.parametrize("after", ["- feature a\n- feature b", "- [ ] todo\n- [x] done"])
def test_the_section_goes_after_the_list_under_the_intro(after):
    """Round 74a F1: written between the intro and its list, the list's items became items of
    the entry's list, shown as new in v0.0.4."""
    source = _update(f"# Demo (v0.0.3)\n\nIntro.\n\n{after}")
    assert source == f"# Demo (v0.0.4)\n\nIntro.\n\n{after}\n\n{_SECTION}".removesuffix("\n")


@pytest.mark.parametrize(
    "intro",
    ["- Load data\n\n- Train model", "1. Load data\n\n   Details here.\n\n2. Train"],
    ids=["loose-list", "loose-ordered-list"],
)
def test_a_loose_list_under_the_title_is_not_cut(intro):
    """Round 74a F3: the section was written between two items of a loose list."""
    source = _update(f"# Demo (v0.0.3)\n\n{intro}\n")
    assert source == f"# Demo (v0.0.4)\n\n{intro}\n\n{_SECTION}"


@pytest.mark.parametrize(
    ("blank", "html"),
    [
        ("", "<pre>\nline\n\nmore\n</pre>"),
        ("", "<pre>\nline\n\nmore"),
        ("", "<details>\n<summary>Click</summary>\n\nHidden\n\n</details>"),
        ("\n", "<div>\n**New in v0.0.3:**\n- a\n</div>"),
        ("", "<div>\nhtml block\n</div>\n<!-- c -->\n~~~\nraw\n~~~"),
    ],
    ids=["pre", "unclosed-pre", "details", "bold-line-in-div", "comment-in-div"],
)
def test_the_section_goes_above_html_after_the_title(blank, html):
    """Round 74a F8, F9: written inside `<pre>` the section showed as raw text, inside
    `<details>` it was hidden; a bold line in an HTML block was taken for the changelog;
    a comment line in an HTML block was taken for the block's end."""
    source = _update(f"# Demo (v0.0.3)\n{blank}{html}")
    assert source == f"# Demo (v0.0.4)\n\n{_SECTION}\n{html}"


def test_a_setext_section_under_the_title_stays_below_the_new_one():
    """Round 74a F16: the new section went below the old setext one, at the cell's end."""
    source = _update("# Demo (v0.0.3)\nNew in v0.0.3:\n---\n- a")
    assert source == f"# Demo (v0.0.4)\n\n{_SECTION}\nNew in v0.0.3:\n---\n- a"

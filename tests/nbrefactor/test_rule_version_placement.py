"""Where the new changelog section is written in the title cell, so that JupyterLab (marked)
shows it there and everything else as before (round 74a): after the title's introduction,
and its list ended by an empty comment when the next line would continue it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbrefactor.config import Bump
from nbrefactor.nbfile.notebook import Cell
from nbrefactor.rules.version import update_version

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
_SECTION = "### New in v0.0.4:\n- Entry\n"
_END = "<!-- -->\n"  # ends the entry's list


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
    ("before", "after"),
    [
        ("", "    pip install demo\n"),
        ("Intro.\n\n", "  Note: needs a GPU."),
        ("", "    ### New in v0.0.3:\n\nText"),
    ],
    ids=["indented-code", "indented-note", "indented-code-heading"],
)
def test_an_indented_block_after_the_section_stays_out_of_the_entry(before, after):
    """Round 74a F2: a block indented 2 or more spaces after the entry and a blank line was a
    paragraph of the entry's item (code shown as text, a heading in code made real)."""
    source = _update(f"# Demo (v0.0.3)\n\n{before}{after}")
    assert source == f"# Demo (v0.0.4)\n\n{before}{_SECTION}\n{_END}\n{after}"


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
    ("after", "written"),
    [
        ("planned text\n", "- Entry\n\nplanned text\n"),
        ("    code", f"- Entry\n\n{_END}    code"),
        ("| a |\n|---|\n| b |", "- Entry\n\n| a |\n|---|\n| b |"),
        ("> quote", "- Entry\n\n> quote"),
        ("\n  indented planned note", f"\n- Entry\n\n{_END}  indented planned note"),
        ("  - planned", "  - Entry\n  - planned"),
    ],
    ids=["paragraph", "code", "table", "quote", "indented-note", "indented-list"],
)
def test_an_entry_in_a_planned_section_takes_nothing_into_it(after, written):
    """Round 74a F4: under an existing `### New in v0.0.4:`, a paragraph, code, a table or a
    quote became part of the entry; a list indented 2 spaces became a list nested in it."""
    source = _update(f"# Demo (v0.0.3)\n\n### New in v0.0.4:\n{after}")
    assert source == f"# Demo (v0.0.4)\n\n### New in v0.0.4:\n{written}"


@pytest.mark.parametrize(
    ("planned", "written"),
    [
        ("**New in v0.0.4:**\nplanned text", "**New in v0.0.4:**\nplanned text\n- Entry"),
        ("**New in v0.0.4:**  \nplanned text", "**New in v0.0.4:**  \nplanned text\n- Entry"),
        ("**New in v0.0.4:**\n    code", "**New in v0.0.4:**\n    code\n- Entry"),
        ("**New in v0.0.4:**\ntext\n- a", "**New in v0.0.4:**\ntext\n- Entry\n- a"),
        ("**New in v0.0.4:**\ntext\n\nmore", "**New in v0.0.4:**\ntext\n\n- Entry\n\nmore"),
        ("**New in v0.0.4:**\n\ntext", "**New in v0.0.4:**\n\n- Entry\n\ntext"),
    ],
    ids=["continued", "hard-break", "indented-line", "list-after", "paragraph-after", "alone"],
)
def test_an_entry_under_a_planned_bold_line_goes_after_its_paragraph(planned, written):
    """Round 75a A2: a planned `**New in v0.0.4:**` whose paragraph goes on below it was split
    by the entry written under the bold line, and the `<!-- -->` ending the entry's list made
    the paragraph's indented line code. The entry goes after the paragraph, whole."""
    source = _update(f"# Demo (v0.0.3)\n\n{planned}")
    assert source == f"# Demo (v0.0.4)\n\n{written}"


def test_an_indented_old_section_stays_out_of_the_entry():
    """Round 74a F5: an old `### New in v0.0.3:` indented 2 spaces became part of the entry,
    and its items items of the entry's list."""
    source = _update("# Demo (v0.0.3)\n\n  ### New in v0.0.3:\n- a")
    assert source == (
        f"# Demo (v0.0.4)\n\n  ### New in v0.0.4:\n- Entry\n\n{_END}  ### New in v0.0.3:\n- a"
    )


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


# The property: the blocks of the cell before, as CommonMark reads them, are the blocks after,
# in order and unchanged but for the title's version, with the new heading and its list (and
# the comment ending it) inserted. Render-free: markdown-it's tokens.
_BLOCKS = st.sampled_from(
    [
        "Intro.",
        "Intro line one\nline two",
        "- feature a\n- feature b",
        "* feature a\n  * nested",
        "- Load data\n\n- Train model",
        "1. step\n\n   Details.\n\n2. step",
        "    indented code",
        "  indented note",
        "```\n### New in v0.0.9:\n```",
        "| a |\n|---|\n| b |",
        "> quote",
        "<div>\nhtml block\n</div>",
        "<details>\n<summary>More</summary>\n\nHidden\n\n</details>",
        "<pre>\nline\n\nmore\n</pre>",
        "<!-- comment -->",
        "## Setup",
        "---",
        "### New in v0.0.3:\n- old",
        "  ### New in v0.0.3:\n- old",
        "**New in v0.0.3:**\n- old",
        "<div>\n**New in v0.0.3:**\n- a\n</div>",
    ]
)


def _tokens(source: str) -> list[tuple[str, ...]]:
    """Each token's kind, nesting level, markup and text; the title's version left out."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    title = next(at for at, token in enumerate(tokens) if token.type == "inline")
    return [
        (token.type, str(token.level), token.markup, "TITLE" if at == title else token.content)
        for at, token in enumerate(tokens)
    ]


def _without_section(tokens: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The tokens with the new section's heading (or bold line), its list and the comment
    ending it left out; it must be there once."""
    texts = [token[3] for token in tokens]
    at = next(at for at, text in enumerate(texts) if text in _NEW_HEADINGS)
    assert tokens[at - 1][1] == "0"  # a block of its own: not in a list item or a quote
    assert tokens[at + 2][0] == "bullet_list_open"
    close = texts.index("", at + 2)  # the list's close, the first token without text
    while tokens[close][0] != "bullet_list_close":
        close += 1
    assert [
        text
        for text, token in zip(texts[at:close], tokens[at:close], strict=True)
        if token[0] == "inline"
    ][1:] == ["Entry"]
    end = close + 1
    if end < len(tokens) and tokens[end][0] == "html_block" and texts[end] == _END:
        end += 1
    rest = tokens[: at - 1] + tokens[end:]
    assert not any(text in _NEW_HEADINGS for text in texts[end:])
    return rest


_NEW_HEADINGS = ("New in v0.0.4:", "**New in v0.0.4:**")


@settings(max_examples=400, deadline=None)
@given(st.lists(_BLOCKS, max_size=5), st.lists(st.sampled_from(["\n", "\n\n"]), min_size=5))
def test_the_cells_blocks_are_kept_and_one_section_is_added(blocks, separators):
    source = "# Demo (v0.0.3)"
    for block, separator in zip(blocks, separators, strict=False):
        source += separator + block
    assert _without_section(_tokens(_update(source))) == _tokens(source)


@pytest.mark.parametrize(
    "badges",
    [
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://x)",
        "![logo](logo.png)",
        "[![a](a.svg)](https://a) [![b](b.svg)](https://b)",
        '<a href="https://x"><img src="badge.svg"></a>',
    ],
)
def test_the_section_goes_after_the_text_below_the_badges(badges):
    """Round 75a A1: the badges under the title were taken for its introduction, and the
    section was written between them and the text introducing the notebook."""
    source = _update(f"# Demo (v0.0.3)\n\n{badges}\n\nThis notebook shows X.\n\n## Setup")
    assert source == (
        f"# Demo (v0.0.4)\n\n{badges}\n\nThis notebook shows X.\n\n{_SECTION}\n## Setup"
    )


def test_a_paragraph_with_an_image_and_text_is_the_introduction():
    source = _update("# Demo (v0.0.3)\n\nIntro with ![icon](i.png) inline.\n\nSecond.")
    assert source == f"# Demo (v0.0.4)\n\nIntro with ![icon](i.png) inline.\n\n{_SECTION}\nSecond."

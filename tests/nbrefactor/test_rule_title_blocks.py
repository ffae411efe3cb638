"""A title cell's blocks as CommonMark reads them (markdown-it-py's tokens): what changed
when they replaced the hand-written line walker, and a differential test against the
tokens."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from title_cells import title_update

from nbrefactor.rules.markdown_headings import read_blocks

_ENTRY = "### New in v0.0.4:\n- Replaced inline definition of `f` with imports from `mylib`\n"
_BUMPED = "version: v0.0.3 -> v0.0.4 (cell 1), changelog entry added"


def test_a_changelog_heading_in_an_html_block_is_no_section():
    """In an HTML block a `###` line is raw text (the new section was written there and
    showed as one line of text)."""
    block = "<details>\n### New in v0.0.3:\n- a\n</details>\n"
    source, line = title_update("# Demo (v0.0.3)\n\nIntro.\n\n" + block)
    assert line == _BUMPED
    assert source == "# Demo (v0.0.4)\n\nIntro.\n\n" + _ENTRY + "\n" + block


def test_a_changelog_heading_in_a_list_item_is_no_section():
    """In a list item the new section broke the list. The section goes after the list
    (round 74a F1: written above it, the list's items became the entry's)."""
    block = "- notes\n  ### New in v0.0.3:\n  - a\n"
    source, line = title_update("# Demo (v0.0.3)\n\nIntro.\n\n" + block)
    assert line == _BUMPED
    assert source == "# Demo (v0.0.4)\n\nIntro.\n\n" + block + "\n" + _ENTRY


def test_an_h1_after_an_empty_one_in_its_html_block_is_the_title():
    """`<h1 id="top"></h1>` then `<h1>Demo (v0.0.3)</h1>`: the block's rest was not read,
    and the title was said to hold no version."""
    source, line = title_update('<h1 id="top"></h1>\n<h1>Demo (v0.0.3)</h1>\n')
    assert line == _BUMPED
    assert source == '<h1 id="top"></h1>\n<h1>Demo (v0.0.4)</h1>\n\n' + _ENTRY


@pytest.mark.parametrize("empty", ["# ", "#", "## <!-- logo -->", "# #"])
def test_an_empty_heading_is_not_the_title(empty):
    """`# ` over `# Demo (v0.0.3)` was the title, said to hold no version (and `#` alone was
    no heading at all); as an empty `<h1>`, it names no title."""
    source, line = title_update(f"{empty}\n# Demo (v0.0.3)\n")
    assert line == _BUMPED
    assert source == f"{empty}\n# Demo (v0.0.4)\n\n" + _ENTRY


def test_indented_code_before_the_title_names_no_version_of_it():
    """Indented code is code, as fenced code is: its `v1.2.3` left the title unbumped."""
    source, line = title_update("    pip install x==v1.2.3\n\n# Demo (v0.0.3)\n")
    assert line == _BUMPED
    assert source == "    pip install x==v1.2.3\n\n# Demo (v0.0.4)\n\n" + _ENTRY


def test_a_glued_section_in_indented_code_is_not_the_changelog():
    """The code stays code: an empty comment ends the entry's list before it (round 74a F2:
    after the entry and a blank line, it became a paragraph of the entry's item)."""
    source, _ = title_update("# Demo (v0.0.3)\nIntro.\n\n    x = 1  ### New in v0.0.3:\n")
    assert source == (
        "# Demo (v0.0.4)\nIntro.\n\n" + _ENTRY + "\n<!-- -->\n\n    x = 1  ### New in v0.0.3:\n"
    )


@pytest.mark.parametrize(
    "title", ["**Demo (v0.0.3)**", "<b>Demo</b> (v0.0.3)", "| Demo (v0.0.3) |", "*Demo* v0.0.3"]
)
def test_a_setext_title_with_markup_is_the_title(title):
    """A one-line paragraph over `===` is a level-1 heading whatever it starts with: one
    starting with `*`, `<` or `|` was not read (taken for a list item, a tag or a table
    row), and the title was said to hold no version."""
    source, line = title_update(f"{title}\n===\n")
    assert line == _BUMPED
    assert source == f"{title.replace('v0.0.3', 'v0.0.4')}\n===\n\n" + _ENTRY


def test_the_new_entry_takes_the_marker_of_the_sections_list_not_of_code():
    """A `* x` line in fenced code under the changelog heading gave the entry its `*`."""
    after = "### New in v0.0.3:\n```\n* x\n```\n- a\n"
    source, _ = title_update("# Demo (v0.0.3)\n\n" + after)
    assert source == "# Demo (v0.0.4)\n\n" + _ENTRY + "\n" + after


@pytest.mark.parametrize(
    "title", ['<div align="center">\n# Demo (v0.0.3)\n</div>\n', "<p>\n# Demo (v0.0.3)\n</p>\n"]
)
def test_a_heading_line_in_an_html_block_is_not_the_title(title):
    """CommonMark shows the `#` line of an HTML block (to the next blank line) as raw text:
    it was taken for the title and bumped."""
    assert title_update(title) == (
        None,
        "version: no version (like v0.0.37) in a title heading; not bumped",
    )
    source, _ = title_update(title + "\n# Real (v0.0.3)\n")
    assert source is None


@pytest.mark.parametrize("depth", [10, 40])
def test_a_title_below_deeply_nested_lists_is_read(depth):
    """markdown-it reads ten nested lists by default, and nothing after them: the title
    below was not found, and the next cell's heading was taken for it."""
    source, line = title_update("- " * depth + "x\n\n# Demo (v0.0.3)\n", "# Other (v0.0.9)\n")
    assert line == _BUMPED
    assert source == "- " * depth + "x\n\n# Demo (v0.0.4)\n\n" + _ENTRY


@pytest.mark.parametrize("nested", ["- " * 60, "> " * 120])
def test_a_cell_nested_deeper_than_read_leaves_the_version_alone(nested):
    told = (
        "version: cell 1 nests its lists or block quotes too deep for nbrefactor to read its"
        " headings; not bumped"
    )
    assert title_update(nested + "x\n\n# Demo (v0.0.3)\n", "# Other (v0.0.9)\n") == (None, told)


def test_a_title_cell_is_parsed_once():
    source = "# Demo (v0.0.3)\n\nIntro.\n"
    assert read_blocks(source) is read_blocks(source)


# The differential test: a title cell built from a grammar of lines, whose title is the
# first heading markdown-it finds outside code and HTML blocks, under the safe-side rules.
_LINES = st.sampled_from(
    [
        "",
        "# Demo (v0.0.1)",
        "## Setup v0.0.2",
        "#  Demo #  ",
        "#\tTabbed (v0.0.3) ##",
        "# ",
        "   ### Three spaces",
        "    # Indented",
        "Title (v0.0.4)",
        "Intro text.",
        "===",
        "---",
        "```",
        "````",
        "```python",
        "~~~",
        "~~~~",
        "<!--",
        "-->",
        "<!-- note -->",
        "<!-->",
        "<div>",
        "</div>",
        '<h1 align="center">Centred (v0.0.5)</h1>',
        '<h1 id="top"></h1>',
        "<h1>",
        "- item",
        "- # In a list",
        "  # Two spaces",
        "> # Quoted",
        "1. step",
        "| a | b |",
        "|---|---|",
        # several lines, so that the blocks they make come up often
        "Intro text.\nTitle (v0.0.4)\n===",
        "Title (v0.0.4)\n===",
        "```\n# In code\n```",
        "<!--\n# Hidden (v0.0.9)\n-->",
        "<div>\n<!--\n<h1>Hidden (v0.0.9)</h1>\n-->\n</div>",
        '<h1 id="top"></h1>\n<h1>Demo (v0.0.6)</h1>',
        "<div>\n# Raw (v0.0.7)\n</div>",
    ]
)
_NEWLINES = st.sampled_from(["\n", "\r\n"])


def _oracle(source: str) -> tuple[int, str] | None:
    """The title by the tokens alone: the first top-level ATX heading with text, setext one
    over `===` from a one-line paragraph, or `<h1>` line opening an HTML block's line
    outside a comment in it."""
    from markdown_it import MarkdownIt

    lines = source.splitlines()
    for token in MarkdownIt("commonmark").enable("table").parse(source):
        if token.level != 0 or token.map is None:
            continue
        start, end = token.map
        if token.type == "heading_open":
            atx = token.markup.startswith("#")
            text = _inline_after(source, token)
            if text and (atx or (token.markup == "=" and end - start == 2)):
                return start, text
        elif token.type == "html_block" and not token.content.lstrip(" ").startswith("<!--"):
            opened = 0
            for index in range(start, end):
                line = lines[index]
                if re.match(r" {0,3}<!--", line) or opened:
                    opened = "-->" not in line
                elif line.startswith("<h1") and "</h1>" in line:
                    text = line[line.index(">") + 1 : line.index("</h1>")]
                    if text:
                        return index, text
                elif line.startswith("<h1"):
                    return index, ""
    return None


def _inline_after(source: str, opening) -> str:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    at = next(i for i, token in enumerate(tokens) if token.map == opening.map)
    return tokens[at + 1].content


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=10), _NEWLINES)
def test_the_title_is_the_first_heading_markdown_it_finds(lines, newline):
    source = "\n".join(lines).replace("\n", newline) + newline
    title = read_blocks(source).title
    found = None if title is None else (title.index, title.text)
    assert found == _oracle(source)

"""Which heading is the notebook's title, and what the text before it says (round 70b)."""

from __future__ import annotations

import pytest
from title_cells import title_update

_ENTRY = "### New in v0.0.4:\n- Replaced inline definition of `f` with imports from `mylib`\n"


@pytest.mark.parametrize(
    "sources",
    [
        ('<h1 align="center">Fine-tuning demo (v0.0.3)</h1>\n', "## Install torch v2.1.0\n"),
        ('<h1 align="center">Fine-tuning demo (v0.0.3)</h1>\n\n## Install torch v2.1.0\n',),
        ("<H1>Fine-tuning demo (v0.0.3)</H1>\n\n## Install torch v2.1.0\n",),
    ],
    ids=["later-cell", "same-cell", "upper-case"],
)
def test_an_html_title_is_the_title_not_the_heading_below_it(sources):
    """Round 70b F1: `## Install torch v2.1.0` below an HTML title was bumped to v2.1.1."""
    source, line = title_update(*sources)
    assert line == "version: v0.0.3 -> v0.0.4 (cell 1), changelog entry added"
    assert source is not None
    assert "demo (v0.0.4)</h1>\n\n" + _ENTRY in source.replace("</H1>", "</h1>")
    assert "## Install torch v2.1.0\n" in "".join(sources)
    assert "v2.1.1" not in source


def test_an_html_titles_changelog_gets_the_new_section_above_the_old_one():
    """Round 70b F1: `### New in v0.0.1:` was rewritten to v0.0.2, then a second added."""
    source, _ = title_update(
        '<h1 align="center">Demo (v0.0.3)</h1>\n\n### New in v0.0.3:\n- first\n'
    )
    assert source == (
        '<h1 align="center">Demo (v0.0.4)</h1>\n\n'
        + _ENTRY.replace("`\n", "`\n\n")
        + "### New in v0.0.3:\n- first\n"
    )


@pytest.mark.parametrize(
    ("title", "line"),
    [
        (
            "**Demo notebook (v0.0.1)**\n\n### v0.0.1\n- first release\n",
            (
                "version: cell 1 names v0.0.1 before its first heading, so which version is the"
                " notebook's is unclear; not bumped"
            ),
        ),
        (
            '<p align="center">Demo v0.0.3rc1</p>\n\n## Install torch v2.1.0\n',
            (
                "version: cell 1 names v0.0.3rc1 before its first heading, so which version is the"
                " notebook's is unclear; not bumped"
            ),
        ),
        (
            '<p align="center"><img src="logo.png"></p>\n\n## Tested with numpy v1.26.4\n',
            (
                "version: the first heading in cell 1 is not level 1 and follows text or an image"
                " there, so it is not taken for the title; not bumped"
            ),
        ),
        (
            '<h1 align="center">\n  Demo (v0.0.3)\n</h1>\n\n## Install torch v2.1.0\n',
            (
                "version: the title in cell 1 is an HTML heading closed on a later line, which"
                " nbrefactor does not read for a version; not bumped"
            ),
        ),
        (
            '<h1><img src="img/v0.0.3/logo.png"> Demo</h1>\n',
            (
                "version: the title heading in cell 1 holds its version in a link, a tag or a"
                " comment; not bumped"
            ),
        ),
    ],
    ids=["bold-title", "p-title", "logo", "multi-line-h1", "attribute"],
)
def test_a_title_the_rule_cannot_read_leaves_the_version_alone_and_says_why(title, line):
    """Round 70b F1: the first `#` heading after a bold, paragraph or HTML title was taken
    for the title: a library's version bumped, or the old changelog heading rewritten."""
    assert title_update(title, "## Changes\n\n### New in v0.0.1:\n") == (None, line)


def test_a_logo_before_a_level_1_title_leaves_it_the_title():
    source, line = title_update('<p align="center"><img src="logo.png"></p>\n\n# Demo (v0.0.3)\n')
    assert line == "version: v0.0.3 -> v0.0.4 (cell 1), changelog entry added"
    assert source is not None and "# Demo (v0.0.4)\n\n" + _ENTRY in source


@pytest.mark.parametrize(
    ("title", "bumped"),
    [
        (
            "# Sales report v0.0.1 (2023-01-01 to 2023-12-31)",
            "# Sales report v0.0.2 (2023-01-01 to 2023-12-31)",
        ),
        (
            "# Sales report v0.0.1 - 2023-01-01 - 2023-12-31",
            "# Sales report v0.0.2 - 2023-01-01 - 2023-12-31",
        ),
        (
            "# COVID dashboard (v0.0.4, 2020-03-15 data)",
            "# COVID dashboard (v0.0.5, 2020-03-15 data)",
        ),
        ("# Report (v0.0.1 2023-01-01~2023-12-31)", "# Report (v0.0.2 2023-01-01~2023-12-31)"),
        ("# Demo (v0.0.60 2025-04-20) - notes", "# Demo (v0.0.61 2026-01-02) - notes"),
        ("# Demo **v0.0.60, 2025-04-20**:", "# Demo **v0.0.61, 2026-01-02**:"),
        ("# Demo v0.0.60 - 2025-04-20 #", "# Demo v0.0.61 - 2026-01-02 #"),
        ("<h1>Demo (v0.0.60 2025-04-20)</h1>", "<h1>Demo (v0.0.61 2026-01-02)</h1>"),
    ],
)
def test_only_a_timestamp_ending_its_text_is_the_versions(title, bumped):
    """Round 70b F2: a period or a data date after the title's version is not the version's
    timestamp: it was overwritten with today's date (`(2026-01-02 to 2023-12-31)`)."""
    source, _ = title_update(title + "\n")
    assert source is not None
    assert source.splitlines()[0] == bumped


def test_a_heading_in_an_html_comment_is_not_the_title():
    """Round 70b F3: the commented-out old title was bumped and given the new section."""
    source, line = title_update("<!--\n# Old Title (v0.0.9)\n-->\n# Demo (v0.0.3)\n")
    assert line == "version: v0.0.3 -> v0.0.4 (cell 1), changelog entry added"
    assert source == "<!--\n# Old Title (v0.0.9)\n-->\n# Demo (v0.0.4)\n\n" + _ENTRY


@pytest.mark.parametrize(
    ("opening", "closer"), [("<!--", ""), ("  <!-- old changelog", "<!-- -->\n\n")]
)
def test_a_changelog_in_an_html_comment_is_not_the_changelog(opening, closer):
    """Round 70b F3: the new entry went into the comment, where no reader sees it. Round 74a
    F2: a comment indented 2 spaces right after the entry's list was taken into its item,
    which ended the comment at the item's end and showed the old changelog: an empty comment
    line ends the list first."""
    hidden = f"{opening}\n### New in v0.0.3:\n- a\n-->\n"
    source, _ = title_update("# Demo (v0.0.3)\n\n" + hidden)
    assert source == "# Demo (v0.0.4)\n\n" + _ENTRY + "\n" + closer + hidden


@pytest.mark.parametrize(
    "block",
    [
        "````\n```\n### New in v0.0.3:\n````\n",
        "```\n~~~\n### New in v0.0.3:\n```\n",
        "~~~~\n~~~\n### New in v0.0.3:\n~~~~\n",
        "```\n```python\n### New in v0.0.3:\n```\n",
    ],
    ids=["longer-backticks", "tildes-in-backticks", "longer-tildes", "info-string"],
)
def test_only_a_matching_fence_closes_a_code_block(block):
    """Round 70b F4: any fence line closed the block, so a changelog heading shown in a
    ```` ```` ```` block was read as the changelog and the new section written in the code."""
    source, _ = title_update("# Demo (v0.0.3)\n\n" + block)
    assert source == "# Demo (v0.0.4)\n\n" + _ENTRY + "\n" + block


def test_a_fence_closes_after_its_code_block_and_the_changelog_below_is_read():
    block = "````\n```\ncode\n`````\n\n### New in v0.0.3:\n- a\n"
    source, _ = title_update("# Demo (v0.0.3)\n\nIntro.\n\n" + block)
    assert source == "# Demo (v0.0.4)\n\nIntro.\n\n" + block.replace(
        "### New", _ENTRY + "\n### New"
    )


@pytest.mark.parametrize("comment", ["<!-->", "<!--->", "  <!-->x"])
def test_an_empty_html_comment_ends_on_its_line(comment):
    """Round 71a F1: `<!-->` was read as a comment left open, hiding the title below it, so
    the old changelog heading `### New in v0.0.3:` was bumped in its place."""
    after = "# Demo (v0.0.3)\n\nIntro.\n\n<!-- screenshot -->\n### New in v0.0.3:\n- first\n"
    source, line = title_update(f"{comment}\n{after}")
    assert line == "version: v0.0.3 -> v0.0.4 (cell 1), changelog entry added"
    assert source == f"{comment}\n" + after.replace("(v0.0.3)", "(v0.0.4)").replace(
        "<!-- screenshot -->\n", "<!-- screenshot -->\n" + _ENTRY + "\n"
    )


@pytest.mark.parametrize(
    "logo",
    [
        '<h1 align="center"><img src="logo.png" width="200"></h1>',
        '<h1 id="top"></h1>',
        "<h1><!-- Demo (v0.0.9) --> </h1>",
    ],
    ids=["logo", "anchor", "comment"],
)
def test_an_html_heading_showing_no_text_is_not_the_title(logo):
    """Round 71a F5: a centred logo in an `<h1>` was taken for the title, and the report said
    it held no version, the `# Demo (v0.0.3)` below it left unbumped."""
    source, line = title_update(f"{logo}\n\n# Demo (v0.0.3)\n\n### New in v0.0.3:\n- first\n")
    assert line == "version: v0.0.3 -> v0.0.4 (cell 1), changelog entry added"
    assert source == f"{logo}\n\n# Demo (v0.0.4)\n\n" + _ENTRY + "\n### New in v0.0.3:\n- first\n"


def test_a_heading_in_the_html_block_of_an_empty_html_heading_is_not_the_title():
    """An HTML block runs to the next blank line (CommonMark): the `#` line in it is raw
    text, which names another version before the title."""
    assert title_update('<h1 id="top"></h1>\n# Old (v0.0.9)\n\n# Demo (v0.0.3)\n') == (
        None,
        (
            "version: cell 1 names v0.0.9 before its first heading, so which version is the"
            " notebook's is unclear; not bumped"
        ),
    )


@pytest.mark.parametrize("rule", ["---", "***", " _ _ _"])
def test_a_rule_before_a_title_is_no_text(rule):
    """Round 71a F9: `---` over `## Demo (v0.0.3)` was "other text", so it was not bumped."""
    source, line = title_update(f"{rule}\n## Demo (v0.0.3)\n")
    assert line == "version: v0.0.3 -> v0.0.4 (cell 1), changelog entry added"
    assert source == f"{rule}\n## Demo (v0.0.4)\n\n" + _ENTRY


def test_a_timestamp_ending_the_title_with_a_period_is_the_versions():
    """Round 71a F9: `# Demo v0.0.1 2025-04-20.` kept its date."""
    source, _ = title_update("# Demo v0.0.1 2025-04-20.\n")
    assert source is not None and source.startswith("# Demo v0.0.2 2026-01-02.\n")


@pytest.mark.parametrize(
    "title",
    [
        '<h1><img src="v0.0.9/logo.png"> Demo (v0.0.3)</h1>',
        "<h1>Demo <!-- v0.0.9 --> (v0.0.3)</h1>",
        '<h1 title="a>b v0.0.9">Demo (v0.0.3)</h1>',
    ],
    ids=["attribute", "comment", "quoted-gt"],
)
def test_a_version_an_html_title_does_not_show_is_not_its_own(title):
    """Round 71a F9: the report said such a title held 2 versions."""
    source, line = title_update(title + "\n")
    assert line == "version: v0.0.3 -> v0.0.4 (cell 1), changelog entry added"
    assert source == title.replace("(v0.0.3)", "(v0.0.4)") + "\n\n" + _ENTRY


def test_a_badge_before_the_title_names_no_version_of_it():
    """Round 71a F9: a badge's alt text naming a version blocked the bump. An image names
    what it shows; a version in a code span or text before the title still does."""
    badge = "![v0.0.3](https://img.shields.io/badge/v0.0.3-blue)\n\n"
    source, line = title_update(badge + "# Demo (v0.0.3)\n")
    assert line == "version: v0.0.3 -> v0.0.4 (cell 1), changelog entry added"
    assert source == badge + "# Demo (v0.0.4)\n\n" + _ENTRY
    assert title_update("`pip install x==v1.2.3`\n# Demo (v0.0.3)\n")[0] is None


@pytest.mark.parametrize(
    ("before", "line"),
    [
        (
            "**Demo notebook (v0.0.1)**\n\nIntro.\n",
            (
                "version: cell 1 names v0.0.1 before the first heading, in cell 2, so which"
                " version is the notebook's is unclear; not bumped"
            ),
        ),
        (
            '<p align="center"><img src="logo.png"></p>\n',
            (
                "version: the first heading, in cell 2, is not level 1 and follows text or an"
                " image in cell 1, so it is not taken for the title; not bumped"
            ),
        ),
    ],
    ids=["bold-title-cell", "logo-cell"],
)
def test_the_text_of_the_cells_before_the_title_counts_as_text_before_it(before, line):
    """Round 71a F6: after a bold title or a logo in a cell of its own, the next cell's
    `## Install torch v2.1.0` was taken for the title and bumped to v2.1.1."""
    assert title_update(before, "## Install torch v2.1.0\n\n`pip install torch==2.1.0`\n") == (
        None,
        line,
    )


@pytest.mark.parametrize("before", ["<!-- logo -->\n", "---\n", "\n"])
def test_a_cell_showing_no_text_before_a_level_2_title_leaves_it_the_title(before):
    source, line = title_update(before, "## Demo (v0.0.3)\n")
    assert line == "version: v0.0.3 -> v0.0.4 (cell 2), changelog entry added"
    assert source == "## Demo (v0.0.4)\n\n" + _ENTRY


@pytest.mark.parametrize(
    ("after", "migrated"),
    [
        (
            "### New in v0.0.3:\n- first\n",
            "### New in v0.0.3:\n- first\n\n" + _ENTRY,
        ),
        (
            "<p>By me</p>\n\nIntro.\n\n### New in v0.0.3:\n- first\n",
            "<p>By me</p>\n\nIntro.\n\n" + _ENTRY + "\n### New in v0.0.3:\n- first\n",
        ),
        (
            "<p>By me</p>\n\nIntro.\n",
            "<p>By me</p>\n\nIntro.\n\n" + _ENTRY,
        ),
    ],
    ids=["raw-changelog", "changelog-below", "no-changelog"],
)
def test_the_new_section_goes_after_an_html_titles_html_block(after, migrated):
    """Round 71a F7: an `<h1>` line opens an HTML block running to the next blank line: the
    new section written right under the title showed as raw text in it."""
    source, line = title_update('<h1 align="center">Demo (v0.0.3)</h1>\n' + after)
    assert line == "version: v0.0.3 -> v0.0.4 (cell 1), changelog entry added"
    assert source == '<h1 align="center">Demo (v0.0.4)</h1>\n' + migrated


@pytest.mark.parametrize(
    "title",
    [
        '<h1 align="center">Demo (v0.0.3)</h1>\n<!-- TODO: add logo\n\nand badges -->\nIntro.\n',
        '<h1 align="center">Demo (v0.0.3)</h1>\n<!--\n\n### New in v0.0.0:\n- draft\n-->\n',
        '<h1 align="center">Demo (v0.0.3)</h1> <!-- a note\n\nmore -->\n',
    ],
    ids=["blank-line-in-comment", "commented-changelog", "opened-on-the-title-line"],
)
def test_a_comment_left_open_after_an_html_title_leaves_it_unbumped(title):
    """Rounds 72a F1 and 72c: a comment the HTML title's block opens and a blank line cuts
    stays open to a reader (CommonMark shows its `-->` as text), and hides the rest of the
    cell: the new section was written there, "changelog entry added"."""
    told = (
        "version: a comment after the HTML title in cell 1 is still open where its HTML block"
        " ends (a blank line), and a reader sees nothing after it; not bumped"
    )
    assert title_update(title) == (None, told)


def test_a_comment_closed_in_the_html_titles_block_leaves_it_the_title():
    source, line = title_update('<h1 align="center">Demo (v0.0.3)</h1>\n<!-- a note -->\nIntro.\n')
    assert line == "version: v0.0.3 -> v0.0.4 (cell 1), changelog entry added"
    assert source is not None and source.endswith(f"Intro.\n\n{_ENTRY}")


@pytest.mark.parametrize(
    "title",
    [
        "<center><h1>Demo (v0.0.3)</h1></center>\n",
        '<div align="center"><h1>Demo (v0.0.3)</h1></div>\n',
        '<P align="center"> <h1>Demo (v0.0.3)</h1></P>\n',
    ],
)
def test_an_h1_in_a_centring_tag_on_its_line_is_the_title(title):
    """Round 72c: `<center><h1>Demo (v0.0.1)</h1></center>` was no title: "names v0.0.1
    before its first heading", or no version at all."""
    source, line = title_update(title)
    assert line == "version: v0.0.3 -> v0.0.4 (cell 1), changelog entry added"
    assert source is not None and source.startswith(title.replace("v0.0.3", "v0.0.4"))


@pytest.mark.parametrize(
    "before",
    [
        ('<a id="top"></a>\n\n',),
        ('<a id="top"></a>', ""),
        ("<br>", ""),
        ('<div align="center">\n\n</div>\n\n',),
        ("&nbsp;\n\n",),
        # round 72c: other spaces as entities, an image in a comment, an empty spacer title
        ("&emsp;&#8203;\n\n",),
        ("<span><!-- <img src='logo.png'> --></span>\n\n",),
        ("<h1>&nbsp;</h1>\n\n",),
    ],
)
def test_a_line_showing_nothing_before_a_level_2_title_is_no_text(before):
    """Round 72a F2: an anchor, a `<br>`, an empty `<div>` or `&nbsp;` before `## Demo` was
    "other text", and the title was left unbumped, said to follow it."""
    *earlier, last = before
    _, line = title_update(*earlier, last + "## Demo (v0.0.3)\n")
    assert line.startswith("version: v0.0.3 -> v0.0.4 (cell"), line


def test_an_html_heading_below_level_1_is_not_the_title():
    """Round 72a F3: a centred `<h2>` in the cell before `# Demo (v0.0.3)` was taken for the
    title: its v0.0.9 was bumped, or with none, the title was said to have none."""
    _, line = title_update('<h3 align="center">Deep Learning Course</h3>', "# Lab 2 (v0.0.3)\n")
    assert line == "version: v0.0.3 -> v0.0.4 (cell 2), changelog entry added"
    source, line = title_update('<h2 align="center">Release notes v0.0.9</h2>', "# Demo (v0.0.3)\n")
    assert source is None
    assert "names v0.0.9 before the first heading" in line


@pytest.mark.parametrize(
    ("title", "bumped"),
    [
        ("# Demo v0.0.3 2025-04-20 <!-- auto -->\n", "# Demo v0.0.4 2026-01-02 <!-- auto -->\n"),
        (
            "<h1><b>Demo v0.0.3 - 2025-04-20</b></h1>\n",
            "<h1><b>Demo v0.0.4 - 2026-01-02</b></h1>\n",
        ),
    ],
)
def test_a_timestamp_followed_only_by_tags_or_comments_is_the_versions(title, bumped):
    """Round 72a F4: a comment or a closing `</b>` after the timestamp left it old."""
    source, _ = title_update(title)
    assert source is not None
    assert source.startswith(bumped)


def test_a_version_only_in_an_html_titles_comment_is_said_to_be_there():
    """Round 72a F5: `<h1>Demo <!-- v0.0.9 --></h1>` was said to hold its version in a link."""
    assert title_update("<h1>Demo <!-- v0.0.9 --></h1>\n")[1] == (
        "version: the title heading in cell 1 holds its version in a link, a tag or a comment;"
        " not bumped"
    )


def test_a_glued_section_in_an_html_comment_is_not_the_changelog():
    """Reading the change again: the search for a section glued mid-line walked the cell's
    fences itself and did not skip comment blocks, so the entry was pasted inside `<!--`
    ... `-->`, where no reader sees it; it reads the lines every other heading search does."""
    source, _ = title_update("# Demo (v0.0.3)\n<!--\nNotes ### New in v0.0.3: - a\n-->\nIntro.\n")
    assert source == (
        f"# Demo (v0.0.4)\n\n{_ENTRY}\n<!--\nNotes ### New in v0.0.3: - a\n-->\nIntro.\n"
    )

"""The title version bump and the changelog section, in the notebook's own style."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from nbrefactor.config import Bump, Config
from nbrefactor.nbfile.notebook import Cell, parse_notebook
from nbrefactor.rules.version import find_title_cell, update_version, version_update

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _markdown(source: str, number: int = 1) -> Cell:
    return Cell(number=number, cell_type="markdown", source=source, cell_id=None)


def _update(source: str, bump: Bump = Bump.PATCH) -> str:
    return update_version(_markdown(source), bump, NOW, "Entry").source


@pytest.mark.parametrize(
    ("bump", "version"), [(Bump.PATCH, "v1.2.4"), (Bump.MINOR, "v1.3.0"), (Bump.MAJOR, "v2.0.0")]
)
def test_bump_kinds(bump, version):
    assert _update("# T (v1.2.3)", bump).startswith(f"# T ({version})")


def test_new_section_goes_above_the_topmost_one_in_its_style():
    source = "# T (v0.0.60)\n\nIntro.\n\n## Changes in v0.0.58:\n* old\n\n## Changes in v0.0.60:\n* newer\n"
    assert _update(source) == (
        "# T (v0.0.61)\n\nIntro.\n\n## Changes in v0.0.61:\n* Entry\n\n## Changes in v0.0.58:\n* old\n\n"
        "## Changes in v0.0.60:\n* newer\n"
    )


def test_blank_line_after_section_heading_is_copied():
    source = "# T (v0.0.1)\n\n### New in v0.0.1:\n\n- first"
    assert (
        _update(source)
        == "# T (v0.0.2)\n\n### New in v0.0.2:\n\n- Entry\n\n### New in v0.0.1:\n\n- first"
    )


@pytest.mark.parametrize(
    ("stamp", "new_stamp"),
    [
        ("2025-04-20 15:30:00", "2026-01-02 03:04:05"),
        ("2025-04-20 15:30", "2026-01-02 03:04"),
        ("2025-04-20T15:30:00", "2026-01-02T03:04:05"),
        ("2025-04-20", "2026-01-02"),
    ],
)
def test_timestamp_after_the_version_is_refreshed_in_its_format(stamp, new_stamp):
    assert _update(f"# T (v0.0.60 {stamp})").startswith(f"# T (v0.0.61 {new_stamp})")


@pytest.mark.parametrize(
    ("stamp", "new_stamp"),
    [
        (", 2025-04-20T15:30:00Z", ", 2026-01-02T03:04:05Z"),
        (",2025-04-20", ",2026-01-02"),
        (" (2025-04-20 15:30)", " (2026-01-02 03:04)"),
        (" - 2025-04-20", " - 2026-01-02"),
    ],
)
def test_timestamp_after_a_comma_parenthesis_or_dash_is_refreshed(stamp, new_stamp):
    """Round 63 M8: `(v0.0.60, 2025-04-20T15:30:00Z)` kept the old time."""
    assert _update(f"# T (v0.0.60{stamp})").startswith(f"# T (v0.0.61{new_stamp})")


def test_without_changelog_a_section_follows_the_intro_paragraph():
    source = "# T (v0.0.9)\n\nIntro line one\nline two.\n\n## Setup\n"
    assert _update(source) == (
        "# T (v0.0.10)\n\nIntro line one\nline two.\n\n### New in v0.0.10:\n- Entry\n\n## Setup\n"
    )


def test_title_alone_without_trailing_newline():
    assert _update("# T (v0.0.9)") == "# T (v0.0.10)\n\n### New in v0.0.10:\n- Entry"


def test_crlf_cell_gets_crlf_lines():
    source = "# T (v0.0.1)\r\n\r\n### New in v0.0.1:\r\n- first\r\n"
    assert (
        _update(source)
        == "# T (v0.0.2)\r\n\r\n### New in v0.0.2:\r\n- Entry\r\n\r\n### New in v0.0.1:\r\n- first\r\n"
    )


def test_title_cell_is_the_first_markdown_cell_with_a_heading_when_it_has_a_version():
    cells = [
        _markdown("Some text v1.0.0 but no heading", 1),
        Cell(number=2, cell_type="code", source="# v1.0.0", cell_id=None),
        _markdown("```\n# v9.9.9 in a fence\n```\n# Real (v0.1.0)", 3),
    ]
    # Round 71a F6: a version named in a markdown cell before the title leaves unclear which
    # is the notebook's, as one named before it in its cell does: not bumped.
    assert find_title_cell(cells) is None
    cells[0] = _markdown("Some text but no heading", 1)
    assert find_title_cell(cells).number == 3
    glued = _markdown("# Demo (v0.0.30)Intro.### New in v0.0.30:- a### New in v0.0.29:- b", 1)
    assert find_title_cell([glued]).number == 1


def _notebook(*sources: str):
    return parse_notebook(
        json.dumps(
            {
                "cells": [
                    {"cell_type": "markdown", "metadata": {}, "source": source}
                    for source in sources
                ],
                "metadata": {},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        ).encode()
    )


_NO_VERSION = "version: no version (like v0.0.37) in a title heading; not bumped"


@pytest.mark.parametrize(
    "sources",
    [
        ("# Housing price analysis\n\nIntro.", "## Notes on scikit-learn v1.3.2\n\nText."),
        ("# Demo\n\nIntro.", "### Requires torch v2.1.0\n"),
        ("# Course\n## Lab 3 (v0.1.0)\n\nIntro.",),
        ("# Heading without version\n## v1.0.0 later heading", "# Real (v0.1.0)"),
    ],
    ids=["library-section", "requires", "second-heading", "later-cell-title"],
)
def test_only_the_notebooks_first_heading_is_its_title(sources):
    """Round 63 F2: without a version in the title, a later heading naming a dependency's
    version was bumped and given a changelog entry."""
    update, line = version_update(_notebook(*sources), Config(), [("f", "f")], "mylib")
    assert update is None
    assert line == _NO_VERSION


def test_a_title_naming_two_versions_is_not_the_notebooks_version():
    upgrading = _markdown("# Upgrading from v1.5.0 to v2.0.0\nSteps.", 1)
    assert find_title_cell([upgrading, _markdown("# Real (v0.1.0)", 2)]) is None


def test_headings_in_code_fences_are_not_sections():
    source = "# T (v0.0.1)\n\n```\n### New in v9.9.9:\n```\n\n### New in v0.0.1:\n- a\n"
    assert "### New in v0.0.2:\n- Entry\n\n### New in v0.0.1:" in _update(source)


def test_a_fence_after_the_title_paragraph_ends_it():
    """The entry goes above the fence, not inside it (sweep I repro_6)."""
    source = "# T (v0.0.1)\n\nA template:\n```markdown\n### New in v0.0.0:\n- what\n```"
    assert _update(source) == (
        "# T (v0.0.2)\n\nA template:\n\n### New in v0.0.2:\n- Entry\n\n"
        "```markdown\n### New in v0.0.0:\n- what\n```"
    )


@pytest.mark.parametrize(
    "hidden",
    ["<!-- ### New in v0.0.0: -->", "`### New in v0.0.0:`", "<!-- a --> `### New in v0.0.0:`"],
)
def test_a_changelog_heading_in_an_html_comment_or_a_code_span_is_not_one(hidden):
    """Not rendered: the entry would be written where no reader sees it (sweep M repro_11)."""
    source = f"# T (v0.0.1)\n\nTemplate for releases: {hidden} (hidden)"
    assert _update(source) == (
        f"# T (v0.0.2)\n\nTemplate for releases: {hidden} (hidden)\n\n### New in v0.0.2:\n- Entry"
    )


def test_a_title_cell_that_lost_its_newlines_gets_the_entry_above_the_newest_inline_section():
    source = (
        "# Demo (v0.0.30)This notebook prunes heads.### New in v0.0.30:- Fixed the plots"
        "### New in v0.0.29:- First"
    )
    assert _update(source) == (
        "# Demo (v0.0.31)This notebook prunes heads.### New in v0.0.31:- Entry"
        "### New in v0.0.30:- Fixed the plots### New in v0.0.29:- First"
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "# T (v0.0.9)\nIntro ## Changes in v0.0.9: * a ## Changes in v0.0.8: * b\n",
            (
                "# T (v0.0.10)\nIntro ## Changes in v0.0.10: * Entry## Changes in v0.0.9: * a "
                "## Changes in v0.0.8: * b\n"
            ),
        ),
        (
            "# T (v0.0.9) ### New in v0.0.9 first change",
            "# T (v0.0.10) ### New in v0.0.10 Entry### New in v0.0.9 first change",
        ),
    ],
    ids=["level-2-star-bullets", "no-colon-no-bullet"],
)
def test_inline_sections_keep_their_words_level_and_bullets(source, expected):
    assert _update(source) == expected


def test_a_section_at_a_line_start_wins_over_a_later_inline_one():
    source = "# T (v0.0.2)\n\n### New in v0.0.2:\n- a ### New in v0.0.1: - b\n"
    assert _update(source).startswith("# T (v0.0.3)\n\n### New in v0.0.3:\n- Entry\n\n")


@pytest.mark.parametrize(
    "line",
    [
        "#" + " " * 100_000 + "title (v0.0.1)",
        "# " + " " * 100_000 + "#",
        "# t" + " \t" * 50_000 + "x",
        "### New in " * 10_000,
    ],
    ids=["spaces-before-title", "spaces-before-closing", "mixed-whitespace", "repeated-headings"],
)
def test_headings_are_read_in_linear_time(deadline, line):
    """100,000-character lines: a backtracking pattern would take minutes (issue 10)."""
    source = line + "\n" + line
    assert find_title_cell([_markdown(source)]) is None or "v0.0.2" in _update(source)


def test_a_version_part_too_long_to_be_a_version_is_not_one():
    source = "# Demo (v0.0." + "9" * 4300 + ")"
    assert find_title_cell([_markdown(source)]) is None


_ENTRY = "### New in v0.0.38:\n- Entry\n\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # Round 58a: a changelog heading after markup is one of its own, not glued text: the
        # entry was pasted into the line; one in fenced code or a prose mention neither
        (
            "# Demo (v0.0.37)\nIntro.\n\n> ### New in v0.0.30:\n> - quoted\n",
            f"# Demo (v0.0.38)\nIntro.\n\n{_ENTRY}> ### New in v0.0.30:\n> - quoted\n",
        ),
        # after the list and the text right under it (round 74a F1: above it, its items
        # became the entry's)
        (
            "# Demo (v0.0.37)\nIntro.\n\n- ### New in v0.0.30:\n| v | ### New in v0.0.29: |\n",
            (
                "# Demo (v0.0.38)\nIntro.\n\n- ### New in v0.0.30:\n"
                f"| v | ### New in v0.0.29: |\n\n{_ENTRY.rstrip()}\n"
            ),
        ),
        (
            "# Demo (v0.0.37)\nIntro mentions ### New in v0.0.30: inline.\n\n### New in v0.0.37:\n- a",
            (
                "# Demo (v0.0.38)\nIntro mentions ### New in v0.0.30: inline.\n\n"
                f"{_ENTRY}### New in v0.0.37:\n- a"
            ),
        ),
        (
            "# Demo (v0.0.37)\nIntro.\n\n```\nx = 1  ### New in v0.0.30:\n```\n",
            f"# Demo (v0.0.38)\nIntro.\n\n{_ENTRY}```\nx = 1  ### New in v0.0.30:\n```\n",
        ),
    ],
    ids=["block-quote", "list-and-table", "prose-mention", "fenced-code"],
)
def test_a_changelog_heading_mid_line_is_glued_only_in_plain_text(source, expected):
    assert _update(source) == expected


@pytest.mark.parametrize(
    ("title", "told"),
    [
        ("# Demo <https://x.org/v0.0.37/>", "holds its version in a link"),
        (
            "# Demo ![v](https://img.shields.io/badge/version-v0.0.37-blue)",
            "holds its version in a link",
        ),
        (
            "# Demo [v0.0.37](https://x.org/releases/v0.0.37)",
            (
                "shows v0.0.37 and names a version in a link's or an image's address too, which"
                " a bump would leave behind"
            ),
        ),
    ],
)
def test_a_title_whose_version_is_in_a_link_is_not_bumped_and_says_why(title, told):
    """Round 58a: the link's target was bumped (it then pointed elsewhere), and a heading
    holding the version twice was said to hold none. Round 74a F15: nor is it two versions,
    as the line said: a reader sees one, the link's text (JupyterLab's marked shows
    `<a href=".../v0.0.37">v0.0.37</a>`)."""
    notebook = parse_notebook(
        json.dumps(
            {
                "cells": [{"cell_type": "markdown", "metadata": {}, "source": title}],
                "metadata": {},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        ).encode()
    )
    update, line = version_update(notebook, Config(), [("f", "f")], "mylib")
    assert update is None
    assert line == f"version: the title heading in cell 1 {told}; not bumped"


def test_the_bumped_version_is_reported_as_written():
    """Round 58a: `v0.0.099` was reported as `v0.0.99 -> v0.0.100`."""
    update = update_version(_markdown("# Demo (v0.0.099)"), Bump.PATCH, NOW, "Entry")
    assert (update.old_version, update.new_version) == ("v0.0.099", "v0.0.100")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("### New in v0.0.60 (2025-04-20 15:30:00):", "### New in v0.0.61 (2026-01-02 03:04:05):"),
        ("### New in v0.0.60 (2025-04-20):", "### New in v0.0.61 (2026-01-02):"),
        ("## Changes in v0.0.60 - 2025-04-20:", "## Changes in v0.0.61 - 2026-01-02:"),
        ("### New in v0.0.60 2025-04-20T15:30", "### New in v0.0.61 2026-01-02T03:04"),
        ("### New in v0.0.60 by @alice:", "### New in v0.0.61:"),
        ("### New in v0.0.60 ([#12](https://github.com/o/r/pull/12)):", "### New in v0.0.61:"),
        ("### **New in v0.0.60 by @bob:**", "### **New in v0.0.61:**"),
        # round 65: the marks closing after the version, or its timestamp, and its zone
        ("### Changes (v0.0.60):", "### Changes (v0.0.61):"),
        ("### New in `v0.0.60`:", "### New in `v0.0.61`:"),
        ("### New in **v0.0.60** (2025-04-20):", "### New in **v0.0.61** (2026-01-02):"),
        ("### (v0.0.60)", "### (v0.0.61)"),
        ("### Release (v0.0.60 2025-04-20):", "### Release (v0.0.61 2026-01-02):"),
        (
            "### New in v0.0.60, 2025-04-20T15:30:00Z:",
            "### New in v0.0.61, 2026-01-02T03:04:05Z:",
        ),
        (
            "### New in v0.0.60 (2025-04-20T15:30:00+02:00):",
            "### New in v0.0.61 (2026-01-02T03:04:05+00:00):",
        ),
        # round 66: what is cut after the timestamp leaves no parenthesis open; ` UTC` and
        # a fraction of a second are the timestamp's
        ("### New in v0.0.60 (2025-04-20, #12):", "### New in v0.0.61 (2026-01-02):"),
        ("### New in v0.0.60 (2025-04-20 by @alice)", "### New in v0.0.61 (2026-01-02)"),
        (
            "### New in v0.0.60 (2025-04-20 15:30 UTC):",
            "### New in v0.0.61 (2026-01-02 03:04 UTC):",
        ),
        (
            "### New in v0.0.60 (2025-04-20T15:30:00.123Z):",
            "### New in v0.0.61 (2026-01-02T03:04:05Z):",
        ),
    ],
    ids=[
        "timestamp",
        "date",
        "dash-date",
        "iso-minutes",
        "author",
        "pr-link",
        "bold",
        "paren",
        "code-span",
        "bold-version-date",
        "paren-only",
        "paren-around-both",
        "utc-z",
        "offset",
        "after-date",
        "after-date-no-colon",
        "utc-word",
        "fraction",
    ],
)
def test_the_new_section_heading_keeps_the_words_up_to_the_version_and_a_fresh_date(old, new):
    """Round 63 F3: the old heading's date, author or PR link was copied under the new
    version."""
    assert _update(f"# T (v0.0.60)\n\n{old}\n- a\n") == (
        f"# T (v0.0.61)\n\n{new}\n- Entry\n\n{old}\n- a\n"
    )


def test_an_old_entry_glued_to_its_heading_stays_in_its_section():
    """Round 63 F3 (glued_mixed): a title cell where only some lines lost their newline; the
    new section listed the old entry's "- Fixed"."""
    source = "# Demo (v0.0.30)Intro text\n### New in v0.0.30:- Fixed"
    assert _update(source) == (
        "# Demo (v0.0.31)Intro text\n### New in v0.0.31:\n- Entry\n\n### New in v0.0.30:- Fixed"
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("v0.0.07", "v0.0.08"),
        ("v0.0.09", "v0.0.10"),
        ("v0.0.99", "v0.0.100"),
        ("v01.0.0", "v01.0.1"),
    ],
)
def test_a_zero_padded_part_keeps_its_width(old, new):
    """Round 63 M3: `v0.0.07` became `v0.0.8`."""
    assert _update(f"# Demo ({old})").startswith(f"# Demo ({new})")


@pytest.mark.parametrize(
    "version", ["v0.0.37-rc1", "v0.0.37-beta", "v0.0.37.dev0", "v0.0.37+build", "v0.0.37a1"]
)
def test_a_pre_release_version_is_not_bumped_and_the_report_says_why(version):
    """Round 63 M1: `v0.0.37-rc1` became `v0.0.38-rc1`, reported `v0.0.37 -> v0.0.38`."""
    update, line = version_update(_notebook(f"# Demo ({version})\n\nBody."), Config(), [], "m")
    assert update is None
    assert line == (
        f"version: the title heading in cell 1 holds {version}, a pre-release or build version;"
        " not bumped"
    )


def test_a_given_changelog_entry_not_written_is_reported():
    """Round 63 M4: `--changelog TEXT` on a title without a version said only `not bumped`."""
    config = Config(changelog="Use shared helpers")
    update, line = version_update(_notebook("## Analysis v1.2\n"), config, [], "m")
    assert update is None
    assert line == (f"{_NO_VERSION}; the given changelog entry was not written")


def test_a_fence_right_after_the_title_keeps_one_blank_line():
    """Round 63 M9: the blank line between the title and the fence was doubled."""
    source = "# Demo (v0.0.5)\n\n```\n### New in v0.0.5:\n```\ntext"
    assert _update(source) == (
        "# Demo (v0.0.6)\n\n### New in v0.0.6:\n- Entry\n\n```\n### New in v0.0.5:\n```\ntext"
    )


@pytest.mark.parametrize("underline", ["=============", "="])
def test_a_setext_title_is_the_title(underline):
    """Round 63 M7: `Demo (v0.1.0)` / `=====` was said to hold no version in a title."""
    source = f"Demo (v0.1.0)\n{underline}\n\nIntro.\n\n## Setup\n"
    notebook = _notebook(source, "## Notes on torch v2.1.0\n")
    update, line = version_update(notebook, Config(now=NOW, changelog="Entry"), [], "m")
    assert line == "version: v0.1.0 -> v0.1.1 (cell 1), changelog entry added"
    assert update.source == (
        f"Demo (v0.1.1)\n{underline}\n\nIntro.\n\n### New in v0.1.1:\n- Entry\n\n## Setup\n"
    )


@pytest.mark.parametrize(
    "source",
    ["- Demo (v0.1.0)\n---\n", "1. Demo (v0.1.0)\n---\n", "    Demo (v0.1.0)\n---\n"],
    ids=["list-item", "ordered-item", "indented-code"],
)
def test_a_rule_under_a_list_item_or_code_makes_no_setext_title(source):
    assert find_title_cell([_markdown(source)]) is None


@pytest.mark.parametrize(
    "above",
    [
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](x)",
        "Author: Jane Doe",
        "Some intro text (v0.0.3)",
    ],
    ids=["badge", "author", "version-in-paragraph"],
)
def test_a_paragraph_over_a_rule_is_not_the_title(above):
    """Round 65: a one-line paragraph over `---` (a badge, an author line) was read as a
    setext title ahead of the `# Demo (v0.0.37)` under it, which then went unbumped (or,
    with a version in the paragraph, got a broken copy as a changelog section)."""
    source = f"{above}\n---\n\n# Demo (v0.0.37)\n"
    assert _update(source) == f"{above}\n---\n\n# Demo (v0.0.38)\n\n### New in v0.0.38:\n- Entry\n"


@pytest.mark.parametrize(
    ("planned", "expected"),
    [
        ("### New in v0.0.38:\n- planned\n", "### New in v0.0.38:\n- Entry\n- planned\n"),
        ("### New in v0.0.38:\n\n* planned\n", "### New in v0.0.38:\n\n* Entry\n* planned\n"),
        ("### New in v0.0.38:", "### New in v0.0.38:\n- Entry"),
    ],
    ids=["item", "blank-and-star", "heading-last"],
)
def test_an_entry_for_a_version_with_a_section_joins_it(planned, expected):
    """Round 63 M2: a planned `### New in v0.0.38:` got a second one above it."""
    source = f"# Demo (v0.0.37)\n\n{planned}"
    assert _update(source) == f"# Demo (v0.0.38)\n\n{expected}"


@pytest.mark.parametrize(
    "library_line", ["**v2.1.0 of torch required**", "**Requires torch v2.1.0**"]
)
def test_a_bold_line_naming_a_librarys_version_is_no_changelog_heading(library_line):
    """Round 65: `**v2.1.0 of torch required**` was taken for a bold-line changelog: a
    `**v0.0.38**` line and the entry went above it. It is the paragraph after the title,
    which the new changelog follows."""
    source = f"# Demo (v0.0.37)\n\n{library_line}\n"
    assert _update(source) == (
        f"# Demo (v0.0.38)\n\n{library_line}\n\n### New in v0.0.38:\n- Entry\n"
    )


def test_a_changelog_of_bold_lines_gets_a_bold_line_above_the_topmost():
    """Round 63 M5: the new `### New in v0.0.4:` went after it, at the cell's end."""
    source = "# Demo (v0.0.3)\n\n**New in v0.0.3:**\n- first"
    assert _update(source) == (
        "# Demo (v0.0.4)\n\n**New in v0.0.4:**\n- Entry\n\n**New in v0.0.3:**\n- first"
    )


def test_a_bold_line_naming_a_library_version_is_no_changelog():
    source = "# Demo (v0.0.3)\n\n**Requires torch v2.1.0**\n"
    assert (
        _update(source)
        == "# Demo (v0.0.4)\n\n**Requires torch v2.1.0**\n\n### New in v0.0.4:\n- Entry\n"
    )


@pytest.mark.parametrize(
    "library_heading",
    [
        "## Requires torch v2.1.0",
        "### Notes on scikit-learn v1.3.2",
        "## v2.1.0 torch required",  # round 66
    ],
)
def test_a_heading_naming_a_librarys_version_in_the_title_cell_is_no_changelog_section(
    library_heading,
):
    """Round 65: `## Requires torch v2.1.0` below the title was taken for the changelog: a
    `## Requires torch v0.0.4` section went above it, and the real changelog got nothing."""
    source = f"# Demo (v0.0.3)\n\n{library_heading}\n\n### New in v0.0.3:\n- first\n"
    assert _update(source) == (
        f"# Demo (v0.0.4)\n\n{library_heading}\n\n### New in v0.0.4:\n- Entry\n\n"
        "### New in v0.0.3:\n- first\n"
    )


@pytest.mark.parametrize(
    "heading",
    [
        "### Neu in v0.0.3:",
        "### Release notes v0.0.3",
        "### 2025-04-20 (v0.0.3)",
        "### What’s new in v0.0.3:",
        "### Fixes in v0.0.3:",
    ],
)
def test_a_changelog_section_naming_the_titles_version_is_one_in_any_words(heading):
    """Round 66: a changelog heading with words outside the list before its version
    (`### Neu in v0.0.3:`) was not read as the changelog after round 65's fix, and a
    second `### New in v0.0.4:` went after the title's paragraph: one naming the title's
    own version is the changelog, in whatever words (those before the version kept)."""
    source = f"# Demo (v0.0.3)\n\nIntro.\n\n{heading}\n- first\n"
    new_heading = heading.replace("v0.0.3", "v0.0.4")
    assert _update(source) == (
        f"# Demo (v0.0.4)\n\nIntro.\n\n{new_heading}\n- Entry\n\n{heading}\n- first\n"
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # `__v0.0.3__` holds no version `_VERSION` reads: no section, and no internal error
        (
            "# Demo (v0.0.3)\n\n__v0.0.3__\n- first\n",
            "# Demo (v0.0.4)\n\n__v0.0.3__\n- first\n\n### New in v0.0.4:\n- Entry\n",
        ),
        # a `)` before the version closes nothing of the parenthesis after it
        (
            "# Demo (v0.0.3)\n\n### 1) New in v0.0.3 (2025-04-20, by alice)\n- a\n",
            (
                "# Demo (v0.0.4)\n\n### 1) New in v0.0.4 (2026-01-02)\n- Entry\n\n"
                "### 1) New in v0.0.3 (2025-04-20, by alice)\n- a\n"
            ),
        ),
    ],
    ids=["underscore-bold", "paren-before"],
)
def test_round_67_shapes(source, expected):
    """Round 67, on round 66's fixes: `__v0.0.3__` stopped the run with an internal error;
    `### 1) New in v0.0.3 (...)` left a parenthesis open."""
    update, _ = version_update(_notebook(source), Config(now=NOW, changelog="Entry"), [], "m")
    assert update is not None
    assert update.source == expected


@pytest.mark.parametrize(
    ("title", "line"),
    [
        # round 68: torch's version was bumped, the title's glued pre-release unread
        ("# Demo (v0.0.3rc1) for torch v2.1.0", "holds 2 versions"),
        ("# Demo (v0.0.3) for torch v2.1.0rc1", "holds 2 versions"),
        ("# Demo (v0.0.3rc1)", "holds v0.0.3rc1, a pre-release or build version"),
        (
            "# Demo (v0.0.3rc1), see [docs](https://x.org/v1.0.0/)",
            "holds v0.0.3rc1, a pre-release or build version",
        ),
    ],
)
def test_a_title_naming_a_pre_release_and_another_version_is_not_bumped(title, line):
    update, said = version_update(_notebook(title), Config(now=NOW, changelog="Entry"), [], "m")
    assert update is None
    assert said.startswith(f"version: the title heading in cell 1 {line}")


@pytest.mark.parametrize(
    "library",
    [
        "## Requires torch v1.13.1",
        "## numpy v1.26.4",
        "## Docs: [pandas guide](https://pandas.pydata.org/pandas-docs/version/v1.5.3/)",
    ],
)
def test_a_heading_naming_an_older_library_version_is_no_changelog_section(library):
    """Round 68: under a v2.0.0 title, round 67's rule took a heading naming any older
    version for the changelog: `## Requires torch v2.0.1` and a rewritten docs link were
    written with the entry, and the real changelog got nothing."""
    source = f"# Demo (v2.0.0)\n\n{library}\n\n### New in v2.0.0:\n- first\n"
    assert _update(source) == (
        f"# Demo (v2.0.1)\n\n{library}\n\n### New in v2.0.1:\n- Entry\n\n"
        "### New in v2.0.0:\n- first\n"
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("**New in v0.0.3** - **breaking**", "**New in v0.0.4**"),
        ("**v0.0.3** and **v0.0.2**", "**v0.0.4**"),
    ],
)
def test_a_bold_changelog_line_with_more_bold_text_gets_no_stray_marks(old, new):
    """Round 68: `**New in v0.0.3** - **breaking**` gave a new line `**New in v0.0.4****`."""
    source = f"# Demo (v0.0.3)\n\n{old}\n- first\n"
    assert _update(source) == f"# Demo (v0.0.4)\n\n{new}\n- Entry\n\n{old}\n- first\n"


@pytest.mark.parametrize(
    "title",
    [
        "# Demo (v0.0.3) with [torch](https://pytorch.org/v2.1.0a1/)",
        "# Demo (v0.0.3), docs: https://pytorch.org/docs/v2.1.0rc1",
    ],
)
def test_a_pre_release_in_a_link_of_the_title_does_not_stop_the_bump(title):
    """Round 69: f189893 counted a suffixed version in a link's target among the title's
    versions, and such a title was no longer bumped."""
    update, _ = version_update(_notebook(title), Config(now=NOW, changelog="Entry"), [], "m")
    assert update is not None
    assert update.source.startswith(title.replace("v0.0.3", "v0.0.4", 1))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # round 69: a heading naming the title's version in a link's target keeps its style
        (
            "### [Release notes](https://github.com/x/y/releases/tag/v0.0.3)",
            "### [Release notes](https://github.com/x/y/releases/tag/v0.0.4)",
        ),
        # round 69: markup closed before the version is not closed again after it
        ("### **Changes** in v0.0.3 **(beta)**", "### **Changes** in v0.0.4"),
        ("### _New in_ v0.0.3 _(hotfix)_", "### _New in_ v0.0.4"),
    ],
)
def test_round_69_changelog_headings(old, new):
    source = f"# Demo (v0.0.3)\n\n{old}\n- first\n"
    assert _update(source) == f"# Demo (v0.0.4)\n\n{new}\n- Entry\n\n{old}\n- first\n"

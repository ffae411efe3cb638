"""What a reader sees of a title and of the changelog heading copied for the new section, as
JupyterLab's marked renders them (round 74a)."""

from __future__ import annotations

import pytest
from title_cells import title_update

_BUMPED = "version: v0.0.3 -> v0.0.4 (cell 1), changelog entry added"
_ENTRY = "- Replaced inline definition of `f` with imports from `mylib`\n"


def _not_bumped(words: str) -> str:
    return f"version: the title heading in cell 1 {words}; not bumped"


_MARKUP = _not_bumped("holds its version in a link, a tag or a comment")


@pytest.mark.parametrize(
    ("title", "line"),
    [
        ('# Demo <img src="assets/v0.0.3/logo.png" width=40>', _MARKUP),
        ("# Demo <!-- v0.0.3 -->", _MARKUP),
        ("Demo <!-- v0.0.3 -->\n=====", _MARKUP),
        ('# Demo <a href="releases/v0.0.3">release notes</a>', _MARKUP),
        ('# Demo <span title="v0.0.3">notebook</span>', _MARKUP),
        ("# ![Demo v0.0.3](banner.png)", _not_bumped("holds its version in an image's alt text")),
        ("# Demo www.example.com/docs/v0.0.3", _not_bumped("holds its version in a link")),
    ],
    ids=["img-src", "comment", "setext-comment", "href", "title-attribute", "alt", "www"],
)
def test_a_version_a_reader_does_not_see_in_a_markdown_title_is_not_bumped(title, line):
    """Round 74a F7: in a `#` or setext title, the version in a tag, a comment, an image's
    alt text or a `www.` autolink was bumped: the logo's path broke, a link went elsewhere,
    and the report said `v0.0.3 -> v0.0.4` with nothing visible changed."""
    assert title_update(title + "\n\nIntro\n") == (None, line)


@pytest.mark.parametrize(
    "title",
    [
        '# Demo <img src="assets/v0.0.9/logo.png"> (v0.0.3)',
        "# Demo (v0.0.3) <!-- v0.0.9 -->",
        "Demo (v0.0.3) <!-- v0.0.9 -->\n====",
        "# Demo (v0.0.3) ![v0.0.9](badge.png)",
    ],
    ids=["img-src", "comment", "setext-comment", "alt"],
)
def test_the_version_a_markdown_title_shows_is_bumped_not_a_hidden_one(title):
    """Round 74a F7: the hidden version is left as it is, the shown one bumped."""
    source, line = title_update(title + "\n")
    assert line == _BUMPED
    assert source is not None
    assert source.startswith(title.replace("(v0.0.3)", "(v0.0.4)") + "\n")


@pytest.mark.parametrize(
    "title",
    [
        "# Demo (v0.0.3) <v0.0.2>",
        "# Demo <v0.0.2> (v0.0.3)",
        "# Demo (v0.0.3) \\<b v0.0.2>",
        "# Demo (v0.0.3) <!-- v0.0.2",
    ],
    ids=["after", "before", "escaped", "unclosed-comment"],
)
def test_a_version_in_what_commonmark_does_not_read_as_html_is_shown(title):
    """Round 75a A3: `<v0.0.2>` was taken for a tag, hidden, and the v0.0.3 beside it bumped,
    while marked shows `Demo (v0.0.3) <v0.0.2>`: a tag's name has no `.`. What is HTML in a
    markdown title is what markdown-it's inline parser reads as HTML."""
    assert title_update(title + "\n\nIntro\n") == (None, _not_bumped("holds 2 versions"))


@pytest.mark.parametrize(
    ("title", "bumped"),
    [
        ("# Demo <v0.0.3>", "# Demo <v0.0.4>"),
        ("# Demo (v0.0.3) <from v0.0.2>", "# Demo (v0.0.4) <from v0.0.2>"),
        ("# Demo (v0.0.3) <a b='x>v0.0.2'>", "# Demo (v0.0.4) <a b='x>v0.0.2'>"),
    ],
    ids=["angled", "attribute", "quoted-attribute"],
)
def test_a_title_shows_a_version_in_angle_brackets_not_one_in_a_tag(title, bumped):
    """Round 75a A3: `# Demo <v0.0.3>` was said to hold its version in a tag, and left as it
    was; a tag's attribute (`<from v0.0.2>`) is still hidden."""
    source, line = title_update(title + "\n")
    assert line == _BUMPED
    assert source is not None
    assert source.startswith(bumped + "\n")


def test_a_four_part_version_is_not_bumped():
    """Round 74a F14: `v0.0.3.1` became `v0.0.4.1`, and a `### New in v0.0.4:` was added."""
    assert title_update("# Demo v0.0.3.1\n\nIntro\n") == (
        None,
        _not_bumped(
            "holds v0.0.3.1, a version of more than three parts, which nbrefactor does not bump"
        ),
    )


@pytest.mark.parametrize(
    ("title", "line"),
    [
        (
            "# Demo _v0.0.3_",
            _not_bumped(
                "holds v0.0.3 next to an underscore (emphasis like _v0.0.3_, or part of a"
                " name), which nbrefactor does not read as a version"
            ),
        ),
        (
            "# Demo (v0.0.3) ![version](https://img.shields.io/badge/version-v0.0.3-blue)",
            _not_bumped(
                "shows v0.0.3 and names a version in a link's or an image's address too, which"
                " a bump would leave behind"
            ),
        ),
        (
            '<img src="logo.png"> <h1>Demo (v0.0.3)</h1>',
            (
                "version: cell 1 shows an <h1> heading after other HTML on its line, which"
                " nbrefactor does not read as the title; not bumped"
            ),
        ),
        (
            "# Demo [v0.0.3]\n\nIntro\n\n[v0.0.3]: https://github.com/x/y/releases/tag/v0.0.3",
            _not_bumped("holds its version in a link"),
        ),
        ("# Demo _v0.0.3_ ~~v0.0.2~~", _not_bumped("holds 2 versions")),
    ],
    ids=["underscores", "badge-url", "h1-after-img", "reference-link", "underscored-and-other"],
)
def test_a_title_left_unbumped_is_said_why_truly(title, line):
    """Round 74a F15: `_v0.0.3_` and the `<h1>` after an `<img>` were said to hold no version,
    a badge's address was counted a second version; with `_v0.0.3_` not counted, the
    struck-through `v0.0.2` of `_v0.0.3_ ~~v0.0.2~~` was bumped. Round 74a F11: a reference
    link's label `[v0.0.3]` was bumped, leaving `[v0.0.4]` with no definition: literal
    brackets, no link."""
    assert title_update(title + "\n\nIntro\n") == (None, line)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('### <a id="v0.0.3"></a>New in v0.0.3:', "### New in v0.0.4:"),
        ("### New in ~~v0.0.2~~ v0.0.3:", "### New in v0.0.4:"),
        ("### New in <b>v0.0.3</b>:", "### New in <b>v0.0.4</b>:"),
        (
            "### New in <code>v0.0.3</code> (2025-04-20):",
            "### New in <code>v0.0.4</code> (2026-01-02):",
        ),
        (
            '### <span style="color:red">New in v0.0.3</span>',
            '### <span style="color:red">New in v0.0.4</span>',
        ),
        ('### <a id="top"></a> New in <!-- auto --> v0.0.3:', "### New in  v0.0.4:"),
        (
            '### <img src="new.png"> <b>New in</b> v0.0.3:',
            '### <img src="new.png"> <b>New in</b> v0.0.4:',
        ),
        ("### New in <v0.0.3>:", "### New in <v0.0.4>:"),
        ("### New in <v0.0.3 (2025-04-20)>:", "### New in v0.0.4 (2026-01-02):"),
    ],
    ids=[
        *["anchor", "struck", "bold-tag", "code-tag-date", "span", "anchor-comment", "kept"],
        *["angled", "angled-date"],
    ],
)
def test_the_new_changelog_heading_shows_the_old_ones_words_with_the_new_version(old, new):
    """Round 74a F6: the new heading was cut at the first version in the text, an anchor's
    id or a struck-through one: `### <a id="v0.0.4:`, `### New in ~~v0.0.4~~:`, `### New in
    <b>v0.0.4:` (its `</b>` lost). Round 75a A3: `<v0.0.3>`, shown as text, was read as a
    tag."""
    source, line = title_update(f"# Demo (v0.0.3)\n\n{old}\n- a\n")
    assert line == _BUMPED
    assert source == f"# Demo (v0.0.4)\n\n{new}\n{_ENTRY}\n{old}\n- a\n"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("## [v0.0.3] - 2025-04-20", "## v0.0.4 - 2026-01-02"),
        (
            "### [v0.0.3](https://github.com/x/y/releases/tag/v0.0.3) - 2025-04-20",
            "### [v0.0.4](https://github.com/x/y/releases/tag/v0.0.4) - 2026-01-02",
        ),
        (
            '### New in <a href="https://x.org/releases/tag/v0.0.3">v0.0.3</a>:',
            '### New in <a href="https://x.org/releases/tag/v0.0.4">v0.0.4</a>:',
        ),
        (
            "### <a href='https://x.org/tag/v0.0.3'>v0.0.3 (2025-04-20)</a>",
            "### <a href='https://x.org/tag/v0.0.4'>v0.0.4 (2026-01-02)</a>",
        ),
        (
            '### New in <a href="https://x.org/docs">v0.0.3</a>:',
            '### New in <a href="https://x.org/docs">v0.0.4</a>:',
        ),
    ],
    ids=["reference", "inline", "html", "html-date", "html-docs"],
)
def test_a_changelog_heading_whose_version_is_a_link_gets_the_new_releases(old, new):
    """Round 74a F11: `## [v0.0.4] - 2025-04-20` showed its brackets (no `[v0.0.4]:`
    definition) and the old release's date; an inline link went to the old release. Round
    75a A4: an HTML one, `<a href=".../tag/v0.0.3">v0.0.3</a>`, too; one not naming the
    version keeps its page, as a markdown one."""
    source, _ = title_update(f"# Demo (v0.0.3)\n\n{old}\n- a\n")
    assert source == f"# Demo (v0.0.4)\n\n{new}\n{_ENTRY}\n{old}\n- a\n"


@pytest.mark.parametrize(
    "stamp",
    [
        "(v0.0.3 2025-04-20<!-- stamp -->)",
        "<sub>(v0.0.3 2025-04-20</sub>)",
    ],
)
def test_a_timestamp_before_a_comment_or_tag_and_its_closing_mark_is_refreshed(stamp):
    """Round 74a F17: a comment or tag between the timestamp and its `)` kept it old."""
    source, _ = title_update(f"# Demo {stamp}\n\nIntro\n")
    assert source is not None
    expected = stamp.replace("v0.0.3", "v0.0.4").replace("2025-04-20", "2026-01-02")
    assert source.startswith(f"# Demo {expected}\n")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("### New in v0.0.3 🎉:", "### New in v0.0.4 🎉:"),
        ("### New in v0.0.3 <sub>2025-04-20</sub>", "### New in v0.0.4 <sub>2026-01-02</sub>"),
        ("### New in v0.0.3 - 2025-04-20 :tada:", "### New in v0.0.4 - 2026-01-02 :tada:"),
        ("### New in v0.0.3 <sub>by me</sub>", "### New in v0.0.4"),
        ("### New in v0.0.3 (2025-04-20) by @me 🎉", "### New in v0.0.4 (2026-01-02)"),
    ],
    ids=["emoji", "date-in-tag", "shortcode", "author-in-tag", "emoji-after-author"],
)
def test_the_new_changelog_heading_keeps_the_date_and_emoji_after_the_version(old, new):
    """Round 75a A5: after the version, an emoji and a date in a tag were dropped, and the last
    `:` of a shortcode (`:tada:`) taken for the heading's colon, while a date in parentheses
    was kept; an author or what follows one is still left out (round 63 F3)."""
    source, _ = title_update(f"# Demo (v0.0.3)\n\n{old}\n- a\n")
    assert source == f"# Demo (v0.0.4)\n\n{new}\n{_ENTRY}\n{old}\n- a\n"

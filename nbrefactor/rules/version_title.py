"""Which heading is the notebook's title, what versions it shows, and why what comes before
it may leave it unbumped (`rules.version` bumps it). Linear-time patterns only: a title
cell may be long.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from nbrefactor import messages
from nbrefactor.analysis.text import split_lines
from nbrefactor.nbfile.notebook import Cell
from nbrefactor.rules.glued_changelog import INLINE_SECTION
from nbrefactor.rules.markdown_headings import Blocks, Heading, inline_html, read_blocks
from nbrefactor.rules.markdown_inline import (
    html_hidden_spans,
    image_alts,
    is_thematic_break,
    merged_spans,
    shown,
    shows_image,
    starts_in,
)
from nbrefactor.rules.version_text import VERSION as _VERSION

# A version with a pre-release or build suffix (`v0.0.37-rc1`, `.dev0`, `+build`, `a1`) or a
# fourth part (`v0.0.3.1`; round 74a F14: it became `v0.0.4.1`): bumping its numbers would keep
# the rest, and the next release is not for nbrefactor to choose.
_SUFFIXED = re.compile(r"\bv\d{1,12}\.\d{1,12}\.\d{1,12}(?:[-+.]?[A-Za-z]|[-+.]\d)[0-9A-Za-z.+-]*")
# A version next to an underscore (`_v0.0.3_`, `__v0.0.3__`, `v0.0.3_beta`): emphasis or a
# name, which `_VERSION` does not read (round 74a F15: it was said to hold no version).
_UNDERSCORED = re.compile(
    r"(?<![^\W_])_v\d{1,12}\.\d{1,12}\.\d{1,12}|\bv\d{1,12}\.\d{1,12}\.\d{1,12}_"
)
# A link's target (`](https://x.org/v0.0.37/)`), an autolink (`<https://...>`) or a bare
# URL, GFM's `www.` ones too: a version there names a page, and bumping it would change
# where the link goes. No `(` in a target nor `<` in an autolink: each try stops at the next
# one, linear (`](](](`...).
_URL = re.compile(r"\]\([^()\s]*\)|<[a-zA-Z][\w+.-]*:[^<>\s]*>|\bhttps?://\S+|\bwww\.\S+")
# An HTML heading after other HTML on its line (`<img src="logo.png"> <h1>`), which
# `markdown_headings` does not read as the title.
_LATE_H1 = re.compile(r"<[hH]1[\s/>]")


class Title(NamedTuple):
    """The title's cell, the versions its heading names and why it is not bumped, if so."""

    cell: Cell
    versions: list[re.Match[str] | None]  # None: one in a link's target, a URL or hidden
    suffixed: str | None  # a version with a pre-release or build suffix: `v0.0.37-rc1`
    why: str | None = None  # the report line when what comes before it leaves it unbumped
    unseen: str = "link"  # where its versions are when none is seen: `messages.version_in_link`
    underscored: str | None = None  # a version next to an underscore, unread: `_v0.0.3_`


def title_of(cells: Sequence[Cell]) -> Title | None:
    """The first markdown cell with a heading and that heading's versions, the changelog
    glued after it left out."""
    earlier: list[Cell] = []  # the markdown cells before it, with no heading
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        blocks = read_blocks(cell.source)
        if blocks.too_deep:
            return Title(cell, [], None, messages.title_cell_too_deep(cell.number))
        first = blocks.title
        if first is None:
            earlier.append(cell)
            continue
        if not first.closed:
            return Title(cell, [], None, messages.html_title_unread(cell.number))
        if first.html and _comment_left_open(cell.source, first):
            return Title(cell, [], None, messages.html_title_comment_open(cell.number))
        title = first.text
        glued = INLINE_SECTION.search(title)
        title = title[: glued.start()] if glued else title
        urls = merged_spans(_link_spans(title, blocks))
        tags = merged_spans(unseen_spans(title, first.html))
        either = merged_spans(urls + tags)

        # Every version the title names counts, one with a suffix too: `v0.0.3rc1`, which
        # `_VERSION` does not read (a word character follows). One with a suffix is a
        # pre-release; two are two versions, whichever has the suffix (round 68: with
        # `# Demo (v0.0.3rc1) for torch v2.1.0`, torch's version was bumped).
        plain = list(_VERSION.finditer(title))
        starts = {found.start() for found in plain}
        # One next to an underscore (`_v0.0.3_`) counts too: shown, but not read (round 74a).
        unread = [
            found
            for found in [*_SUFFIXED.finditer(title), *_UNDERSCORED.finditer(title)]
            if found.start() not in starts and not starts_in(found, either)  # round 69: a link's
        ]
        named = sorted([*plain, *unread], key=lambda found: found.start())
        # A version in a tag, a comment or an image's alt text (`<img src="v0.0.9/logo.png">`,
        # `<!-- v0.0.9 -->`, `![Demo v0.0.9](banner.png)`) is not shown, so not the title's,
        # in any title (rounds 71a F9 and 74a F7: in a `#` title it was bumped); when only
        # there, the title holds its version where a reader does not see it.
        seen = [found for found in named if starts_in(found, urls) or not starts_in(found, tags)]
        versions = [None if starts_in(found, urls) else found for found in seen]
        readable = [found for found in versions if found is not None]
        suffixes = {found.start(): found.group(0) for found in _SUFFIXED.finditer(title)}
        only = readable[0] if len(readable) == 1 else None
        suffixed = None if only is None else suffixes.get(only.start())
        underscored = only.group(0).strip("_") if only and "_" in only.group(0) else None
        plain_one = only is not None and suffixed is None and underscored is None
        bumped = plain_one and len(versions) == 1
        why = _before_title(earlier, cell, first) if bumped else None
        unseen = _where(named, urls, tags, title)
        return Title(cell, versions or [None] * len(named), suffixed, why, unseen, underscored)
    return None


def _where(
    named: list[re.Match[str]], urls: list[tuple[int, int]], tags: list[tuple[int, int]], text: str
) -> str:
    """Where the title's versions are when a reader sees none (`messages.version_in_link`): all
    in links' targets, all in images' alt texts, else in tags or comments too."""
    if all(starts_in(found, urls) for found in named):
        return "link"
    alts = merged_spans(image_alts(text))
    if all(starts_in(found, alts) for found in named):
        return "alt"
    return "markup"


def late_html_title(cells: Sequence[Cell]) -> int | None:
    """The first markdown cell showing an `<h1>` naming a version after other HTML on its line
    (`<img src="logo.png"> <h1>Demo (v0.0.3)</h1>`), which is not read as the title: the
    report says so (round 74a F15: it said the title held no version)."""
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        for _, line in read_blocks(cell.source).content_lines():
            found = _LATE_H1.search(line)
            if found and line[: found.start()].strip() and _VERSION.search(line, found.end()):
                return cell.number
    return None


def _comment_left_open(source: str, title: Heading) -> bool:
    """Whether a comment opened after an HTML title, on its line or in the HTML block it
    opens, is still open at the block's end (a blank line): CommonMark then shows the rest
    of the cell after the raw `<!--`, its `-->` escaped, and a browser hides all of it, a
    new section too (round 72c: it was written there, "changelog entry added")."""
    lines = split_lines(source)
    open_comment = False
    for index in range(title.index, read_blocks(source).html_block_end(title.index)):
        line = lines[index][title.end :] if index == title.index else lines[index]
        opened = line.rfind("<!--")
        if open_comment:
            open_comment = "-->" not in line
        if opened >= 0:
            open_comment = "-->" not in line[opened + 2 :]
    return open_comment


def _hidden_spans(text: str, tags: bool) -> list[tuple[int, int]]:
    """Where a version names a page or a file, not the notebook: a link's target, a URL, and
    in HTML an attribute."""
    spans = [url.span() for url in _URL.finditer(text)]
    return spans + html_hidden_spans(text) if tags else spans


def _link_spans(title: str, blocks: Blocks) -> list[tuple[int, int]]:
    """Where a title's versions name a page: links' targets and URLs, and a reference link's
    label (`[v0.0.3]` with a `[v0.0.3]: https://...` definition in the cell; round 74a F11:
    bumped, it linked nowhere and showed its brackets)."""
    spans = _hidden_spans(title, tags=False)
    labels: set[str] | None = None  # the cell's definitions' labels, read once if needed
    at = title.find("[")
    while at >= 0:
        close = title.find("]", at + 1)
        if close < 0:
            break
        following = title[close + 1 : close + 3]
        if following == "[]" or following[:1] not in ("(", "["):
            labels = _defined_labels(blocks) if labels is None else labels
            if _label(title[at + 1 : close]) in labels:
                spans.append((at, close + 1))
        at = title.find("[", close + 1)
    return spans


def _defined_labels(blocks: Blocks) -> set[str]:
    """The labels of the cell's link reference definitions (`[v0.0.3]: https://...`)."""
    labels = set()
    for _, line in blocks.content_lines():
        body = line.lstrip(" ")
        close = body.find("]:")
        if len(line) - len(body) <= 3 and body.startswith("[") and close > 1:
            labels.add(_label(body[1:close]))
    return labels


def _label(text: str) -> str:
    """A reference label as CommonMark matches it: case and runs of spaces ignored."""
    return " ".join(text.split()).casefold()


def unseen_spans(text: str, html: bool) -> list[tuple[int, int]]:
    """Where a heading's text holds what a reader does not see: tags (`<img src="v0.0.9/..">`,
    an `<a href>`), comments, and in markdown images' alt texts, the image shown instead. In
    markdown, the tags are CommonMark's (`inline_html`): an autolink
    (`<https://x.org/v0.0.9/>`) and `<v0.0.2>` are shown (round 75a A3); in HTML, a browser's."""
    if html:
        return html_hidden_spans(text) if "<" in text else []
    return [*inline_html(text), *image_alts(text)]


def _before_title(earlier: list[Cell], cell: Cell, title: Heading) -> str | None:
    """Why a title with a version is not bumped, from the text before it, in its cell or in
    the markdown cells before it (rounds 70b F1 and 71a F6): a version named there (a bold
    title, `**Demo (v0.0.1)**`, with the changelog's `### v0.0.1` as the first heading)
    leaves unclear which is the notebook's; and a heading below level 1 after a logo or a
    paragraph is a section (`## Install torch v2.1.0`), the title being that text, in a
    form nbrefactor does not read."""
    text_here = False  # text before the title in its cell
    text_cell = 0  # else the first earlier cell showing text
    for each in [*earlier, cell]:
        for index, line in read_blocks(each.source).content_lines():
            if each is cell and index >= title.index:
                break
            version = _version_named(line)
            if version is not None and each is cell:
                return messages.version_before_title(cell.number, version)
            if version is not None:
                return messages.version_before_title_cell(each.number, version, cell.number)
            if _shows_text(line):
                text_here = text_here or each is cell
                text_cell = text_cell or each.number
    if title.level == 1 or not text_cell:
        return None
    if text_here:
        return messages.heading_not_title(cell.number)
    return messages.heading_after_text_cell(cell.number, text_cell)


def _shows_text(line: str) -> bool:
    """Whether a line shows something: text or an image (a logo is a title nbrefactor does
    not read), not a rule (`---`, round 71a F9), nor only other tags, comments and
    non-breaking spaces (`<a id="top"></a>`, `<br>`, `&nbsp;`; round 72a F2: a `##` title
    after one was said to follow other text)."""
    return not is_thematic_break(line) and (shows_image(line) or bool(shown(line)))


def _version_named(line: str) -> str | None:
    """The first version a line of text shows: not in a link's target, a URL, a tag or a
    comment, nor in an image's alt text (a badge names what it shows; round 71a F9)."""
    if "v" not in line:
        return None
    spans = merged_spans(_hidden_spans(line, tags=True) + image_alts(line))
    for found in _SUFFIXED.finditer(line):
        if not starts_in(found, spans):
            return found.group(0)
    for found in _VERSION.finditer(line):
        if not starts_in(found, spans):
            return found.group(0)
    return None


def shown_version(line: str, title: Heading) -> re.Match[str]:
    """The title's version on its line: the first shown, not one in a tag, a comment or an
    image's alt text (`<h1><img src="v0.0.9/logo.png"> Demo (v0.0.1)</h1>`, `# Demo (v0.0.1)
    <!-- v0.0.9 -->`; rounds 71a F9 and 74a F7)."""
    spans = unseen_spans(title.text, title.html)
    hidden = merged_spans([(title.start + start, title.start + end) for start, end in spans])
    for found in _VERSION.finditer(line, title.start):
        if not starts_in(found, hidden):
            return found
    raise AssertionError("a title bumped holds a version")

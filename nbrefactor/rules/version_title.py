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
from nbrefactor.rules.markdown_headings import Heading, read_blocks
from nbrefactor.rules.markdown_inline import (
    html_hidden_spans,
    image_alts,
    is_thematic_break,
    shown,
    shows_image,
)
from nbrefactor.rules.version_text import VERSION as _VERSION

# A version with a pre-release or build suffix (`v0.0.37-rc1`, `.dev0`, `+build`, `a1`): bumping
# its numbers would keep the suffix, and the next release is not for nbrefactor to choose.
_SUFFIXED = re.compile(r"\bv\d{1,12}\.\d{1,12}\.\d{1,12}(?:[-+.]?[A-Za-z]|[-+]\d)[0-9A-Za-z.+-]*")
# A link's target (`](https://x.org/v0.0.37/)`), an autolink (`<https://...>`) or a bare
# URL: a version there names a page, and bumping it would change where the link goes.
_URL = re.compile(r"\]\([^)\s]*\)|<[a-zA-Z][\w+.-]*:[^>\s]*>|\bhttps?://\S+")


class Title(NamedTuple):
    """The title's cell, the versions its heading names and why it is not bumped, if so."""

    cell: Cell
    versions: list[re.Match[str] | None]  # None: one in a link's target or a URL
    suffixed: str | None  # a version with a pre-release or build suffix: `v0.0.37-rc1`
    why: str | None = None  # the report line when what comes before it leaves it unbumped
    html: bool = False  # an HTML title (`<h1>`), whose tags and comments hide versions too


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
        urls = _hidden_spans(title, tags=first.html)
        html = html_hidden_spans(title) if first.html else []

        # Every version the title names counts, one with a suffix too: `v0.0.3rc1`, which
        # `_VERSION` does not read (a word character follows). One with a suffix is a
        # pre-release; two are two versions, whichever has the suffix (round 68: with
        # `# Demo (v0.0.3rc1) for torch v2.1.0`, torch's version was bumped).
        plain = list(_VERSION.finditer(title))
        starts = {found.start() for found in plain}
        unread = [
            found
            for found in _SUFFIXED.finditer(title)
            if found.start() not in starts and not _in(found, urls)  # round 69: a link's
        ]
        named = sorted([*plain, *unread], key=lambda found: found.start())
        # A version in an HTML title's tag or comment (`<img src="v0.0.9/logo.png">`,
        # `<!-- v0.0.9 -->`) is not shown, so not the title's (round 71a F9: "holds 2
        # versions"); when only there, the title holds its version in a link, as before.
        named = [found for found in named if not _in(found, html)] or named
        readable = [found for found in named if not _in(found, urls)]
        suffixes = {found.start(): found.group(0) for found in _SUFFIXED.finditer(title)}
        versions = [None if _in(found, urls) else found for found in named]
        suffixed = suffixes.get(readable[0].start()) if len(readable) == 1 else None
        bumped = suffixed is None and len(versions) == 1 and versions[0] is not None
        why = _before_title(earlier, cell, first) if bumped else None
        return Title(cell, versions, suffixed, why, first.html)
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
    spans = [url.span() for url in _URL.finditer(text)] if "/" in text else []
    return spans + html_hidden_spans(text) if tags else spans


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
    spans = _hidden_spans(line, tags=True) + image_alts(line)
    for found in _SUFFIXED.finditer(line):
        if not _in(found, spans):
            return found.group(0)
    for found in _VERSION.finditer(line):
        if not _in(found, spans):
            return found.group(0)
    return None


def _in(found: re.Match[str], spans: list[tuple[int, int]]) -> bool:
    return any(start <= found.start() < end for start, end in spans)


def shown_version(line: str, title: Heading) -> re.Match[str]:
    """The title's version on its line: in an HTML title, the first shown, not one in a tag
    or a comment (`<h1><img src="v0.0.9/logo.png"> Demo (v0.0.1)</h1>`; round 71a F9)."""
    spans = html_hidden_spans(title.text) if title.html else []
    hidden = [(title.start + start, title.start + end) for start, end in spans]  # on the line
    for found in _VERSION.finditer(line, title.start):
        if not _in(found, hidden):
            return found
    raise AssertionError("a title bumped holds a version")

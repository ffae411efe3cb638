"""Rule: when code changed, bump the notebook's own version and add a changelog entry.

Real notebooks carry their version in the title heading of the first markdown
cell (`# Demo (v0.0.37)`, sometimes with a timestamp: `(v0.0.60 2025-04-20
15:30:00)`) and a changelog of `### New in v0.0.37:` sections, newest first,
in the same cell. A migration bumps the one and extends the other in the style
already there. A notebook whose code does not change keeps its version.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from nbrefactor import messages
from nbrefactor.analysis.text import iter_lines, newline_of, split_lines
from nbrefactor.config import Bump, Config
from nbrefactor.nbfile.notebook import Cell, Notebook
from nbrefactor.rules.glued_changelog import (
    INLINE_SECTION,
    first_inline_section,
    with_inline_section,
)
from nbrefactor.rules.markdown_headings import (
    Heading,
    after_title_paragraph,
    bold_lines,
    content_lines,
    first_heading,
    headings,
    html_hidden_spans,
    image_alts,
    is_thematic_break,
    list_marker,
)
from nbrefactor.rules.version_text import VERSION as _VERSION
from nbrefactor.rules.version_text import (
    is_changelog_heading,
    new_section_heading,
    padded,
    retitled,
)
from nbrefactor.value_base import ValueBase

# A bold line that is a changelog heading (`**New in v0.0.3:**`, `__v0.0.3__`: the version
# alone), not one naming a library's version (`**Requires torch v2.1.0**`, `**v2.1.0 of
# torch required**`: round 65, it was taken for the changelog).
_BOLD_SECTION = re.compile(
    r"(?:\*\*|__)[ \t]*(?:(?:New|Changes)[ \t]+in[ \t]+v\d{1,12}\.\d{1,12}\.\d{1,12}\b"
    r"|v\d{1,12}\.\d{1,12}\.\d{1,12}[ \t]*:?[ \t]*(?:\*\*|__))",
    re.IGNORECASE,
)
# A version with a pre-release or build suffix (`v0.0.37-rc1`, `.dev0`, `+build`, `a1`): bumping
# its numbers would keep the suffix, and the next release is not for nbrefactor to choose.
_SUFFIXED = re.compile(r"\bv\d{1,12}\.\d{1,12}\.\d{1,12}(?:[-+.]?[A-Za-z]|[-+]\d)[0-9A-Za-z.+-]*")
# A link's target (`](https://x.org/v0.0.37/)`), an autolink (`<https://...>`) or a bare
# URL: a version there names a page, and bumping it would change where the link goes.
_URL = re.compile(r"\]\([^)\s]*\)|<[a-zA-Z][\w+.-]*:[^>\s]*>|\bhttps?://\S+")


@dataclass(frozen=True, eq=False, repr=False)
class VersionUpdate(ValueBase):
    """The title cell's new source, with its version before and after: applied only when code changed."""

    cell: int
    source: str
    old_version: str
    new_version: str


def version_update(
    notebook: Notebook, config: Config, replaced: Sequence[tuple[str, str]], module: str
) -> tuple[VersionUpdate | None, str]:
    """The title cell's new source (or None) and the report line saying what happened.

    `replaced` lists the replaced (inline name, library name) in notebook
    order, for the default changelog entry.
    """
    if config.bump is Bump.NONE:
        return None, messages.version_not_bumped_by_request()
    title = find_title_cell(notebook.cells)
    if title is None:
        why = _why_no_title(notebook.cells)
        # A given entry goes unwritten: say so (round 63 M4), as `--bump none` does.
        return None, why if config.changelog is None else messages.entry_not_written(why)
    entry = config.changelog or messages.changelog_entry(replaced, module)
    update = update_version(title, config.bump, config.now, entry)
    return update, messages.version_bumped(update.old_version, update.new_version, update.cell)


def find_title_cell(cells: Sequence[Cell]) -> Cell | None:
    """The title cell when the notebook's title carries one version like v0.0.37, else None.

    The title is the notebook's first heading (that of the first markdown cell with
    one): a later heading naming a version (`## Notes on scikit-learn v1.3.2`) is about
    a library, not the notebook (round 63 F2). A title naming two (`# Upgrading from
    v1.5.0 to v2.0.0`) is about a library's versions too: it is not bumped. In a title
    that lost its newlines, the versions of the changelog glued after it do not count.
    """
    title = _title(cells)
    if title is None or title.suffixed is not None or title.why is not None:
        return None
    cell, versions, _, _ = title
    return cell if len(versions) == 1 and versions[0] is not None else None


class _Title(NamedTuple):
    cell: Cell
    versions: list[re.Match[str] | None]  # None: one in a link's target or a URL
    suffixed: str | None  # a version with a pre-release or build suffix: `v0.0.37-rc1`
    why: str | None = None  # the report line when what comes before it leaves it unbumped


def _title(cells: Sequence[Cell]) -> _Title | None:
    """The first markdown cell with a heading and that heading's versions, the changelog
    glued after it left out."""
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        # Its lines cut one at a time: the first heading is most often its first line.
        first = first_heading(iter_lines(cell.source))
        if first is None:
            continue
        if not first.closed:
            return _Title(cell, [], None, messages.html_title_unread(cell.number))
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
        return _Title(cell, versions, suffixed, _before_title(cell, first) if bumped else None)
    return None


def _hidden_spans(text: str, tags: bool) -> list[tuple[int, int]]:
    """Where a version names a page or a file, not the notebook: a link's target, a URL, and
    in HTML an attribute."""
    spans = [url.span() for url in _URL.finditer(text)] if "/" in text else []
    return spans + html_hidden_spans(text) if tags else spans


def _before_title(cell: Cell, title: Heading) -> str | None:
    """Why a title with a version is not bumped, from the text before it in its cell (round
    70b F1): a version named there (a bold title, `**Demo (v0.0.1)**`, with the changelog's
    `### v0.0.1` as the first heading) leaves unclear which is the notebook's; and a heading
    below level 1 after a logo or a paragraph is a section (`## Install torch v2.1.0`), the
    title being that text, in a form nbrefactor does not read."""
    text = False
    for index, line in content_lines(iter_lines(cell.source)):
        if index >= title.index:
            break
        spans = _hidden_spans(line, tags=True) + image_alts(line)
        for found in _SUFFIXED.finditer(line) if "v" in line else ():
            if not _in(found, spans):
                return messages.version_before_title(cell.number, found.group(0))
        for found in _VERSION.finditer(line) if "v" in line else ():
            if not _in(found, spans):
                return messages.version_before_title(cell.number, found.group(0))
        text = text or (bool(line.strip()) and not is_thematic_break(line))  # round 71a F9
    return messages.heading_not_title(cell.number) if text and title.level > 1 else None


def _in(found: re.Match[str], spans: list[tuple[int, int]]) -> bool:
    return any(start <= found.start() < end for start, end in spans)


def _why_no_title(cells: Sequence[Cell]) -> str:
    """The report line for a notebook with no title to bump: its title holds no version, a
    pre-release one, more than one, or one in a link (round 58a: "no version ... in a title
    heading" of `# Demo [v0.0.37](.../v0.0.37)`)."""
    title = _title(cells)
    if title is None:
        return messages.no_version()
    cell, versions, suffixed, why = title
    if why is not None:
        return why
    if suffixed is not None:
        return messages.prerelease_in_title(cell.number, suffixed)
    if len(versions) > 1:
        return messages.versions_in_title(cell.number, len(versions))
    if versions:
        return messages.version_in_link(cell.number)
    return messages.no_version()  # true of the title: no version there


def update_version(cell: Cell, bump: Bump, now: datetime, changelog_entry: str) -> VersionUpdate:
    """Bump the title's version (and timestamp) and add a changelog section for it."""
    lines = split_lines(cell.source)
    newline = newline_of(lines)
    title = first_heading(lines)
    assert title is not None
    title_index = title.index
    version = _shown_version(lines[title_index], title)
    old = tuple(int(part) for part in version.groups())
    new = _bumped(old, bump)
    current = (old, new)  # the versions a changelog section of this notebook names
    new_version = "v" + ".".join(
        padded(part, written) for part, written in zip(new, version.groups(), strict=True)
    )
    glued = INLINE_SECTION.search(title.text)  # the title's text ends where a section starts
    end = title.start + (glued.start() if glued else len(title.text))
    lines[title_index] = retitled(lines[title_index], version, new_version, now, end)

    sections = [
        heading
        for heading in headings(lines)
        if heading.index > title_index and is_changelog_heading(heading.text, current)
    ] or [
        # A changelog of bold lines (`**New in v0.0.3:**`) when it has no heading (round 63
        # M5: the new section went after it, at the cell's end, in another style).
        line
        for line in bold_lines(lines)
        # `__v0.0.3__`: `_VERSION` reads no version there (a word character follows), and
        # a section must have one (round 67: the run stopped with an internal error)
        if _BOLD_SECTION.match(line.text)
        and _VERSION.search(line.text)
        and line.index > title_index
    ]
    inline = first_inline_section(lines, title_index, sections[0].index if sections else None)
    if inline is not None:
        index, at = inline
        lines[index] = with_inline_section(lines[index], at, new_version, changelog_entry)
    elif sections:
        heading = sections[0]
        heading_line = lines[heading.index]
        new_heading = heading_line[: heading.start] + new_section_heading(
            heading.text, new_version, now
        )
        marker = list_marker(lines[heading.index + 1 :])
        following = heading.index + 1
        gap = [newline] if following < len(lines) and not lines[following].strip() else []
        entry = f"{marker} {changelog_entry}{newline}"
        planned = _VERSION.search(heading.text)
        if planned is not None and planned.group(0) == new_version:
            # The new version's section is there already (planned): the entry goes first in
            # it (round 63 M2: a second `### New in v0.0.38:` went above it).
            at = following + len(gap)
            if at >= len(lines):
                lines[heading.index] = heading_line.rstrip("\r\n") + newline
                entry = entry.rstrip("\r\n")
            lines[at:at] = [entry]
        else:
            lines[heading.index : heading.index] = [new_heading + newline, *gap, entry, newline]
    else:
        # After a setext title's underline: the paragraph that follows it.
        insert_at = after_title_paragraph(lines, title_index + int(title.setext))
        block = [newline, f"### New in {new_version}:{newline}", f"- {changelog_entry}{newline}"]
        if insert_at < len(lines):
            if lines[insert_at].strip():
                block.append(newline)
        elif not lines[-1].endswith(("\n", "\r")):
            lines[-1] += newline
            block[-1] = block[-1].rstrip("\r\n")
        lines[insert_at:insert_at] = block
    return VersionUpdate(
        cell=cell.number,
        source="".join(lines),
        old_version=version.group(0),  # as written: `v0.0.099` (round 58a)
        new_version=new_version,
    )


def _shown_version(line: str, title: Heading) -> re.Match[str]:
    """The title's version on its line: in an HTML title, the first shown, not one in a tag
    or a comment (`<h1><img src="v0.0.9/logo.png"> Demo (v0.0.1)</h1>`; round 71a F9)."""
    hidden = html_hidden_spans(title.text) if title.html else []
    for found in _VERSION.finditer(line, title.start):
        if not any(start <= found.start() - title.start < end for start, end in hidden):
            return found
    raise AssertionError("a title bumped holds a version")


def _bumped(version: tuple[int, ...], bump: Bump) -> tuple[int, int, int]:
    major, minor, patch = version
    if bump is Bump.MAJOR:
        return major + 1, 0, 0
    if bump is Bump.MINOR:
        return major, minor + 1, 0
    return major, minor, patch + 1

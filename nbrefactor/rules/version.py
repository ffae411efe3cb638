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
from functools import cache

from nbrefactor import messages
from nbrefactor.analysis.text import iter_lines, newline_of, split_lines
from nbrefactor.config import Bump, Config
from nbrefactor.nbfile.notebook import Cell, Notebook
from nbrefactor.rules.markdown_headings import (
    after_title_paragraph,
    each_heading,
    headings,
    is_fence,
    list_marker,
)
from nbrefactor.value_base import ValueBase

# A changelog heading anywhere in a line: where a title cell lost its newlines.
_INLINE_SECTION = re.compile(
    r"#{1,6}[ \t]*(?:New|Changes)[ \t]+in[ \t]+v\d+\.\d+\.\d+", re.IGNORECASE
)
# At most 12 digits a part: a longer number is no version (and Python will not print
# an integer of over 4,300 digits).
_VERSION = re.compile(r"\bv(\d{1,12})\.(\d{1,12})\.(\d{1,12})\b")
# A link's target (`](https://x.org/v0.0.37/)`), an autolink (`<https://...>`) or a bare
# URL: a version there names a page, and bumping it would change where the link goes.
_URL = re.compile(r"\]\([^)\s]*\)|<[a-zA-Z][\w+.-]*:[^>\s]*>|\bhttps?://\S+")
# A timestamp after a version: bare, in parentheses or after a dash (`v0.0.60 - 2025-04-20`).
_TIMESTAMP = re.compile(
    r"([ \t]+|[ \t]*\([ \t]*|[ \t]+-[ \t]+)"
    r"(\d{4}-\d{2}-\d{2})(?:([ T])(\d{2}:\d{2}(?::\d{2})?))?"
)


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
        return None, _why_no_title(notebook.cells)
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
    if title is None:
        return None
    cell, versions = title
    return cell if len(versions) == 1 and versions[0] is not None else None


def _title(cells: Sequence[Cell]) -> tuple[Cell, list[re.Match[str] | None]] | None:
    """The first markdown cell with a heading and that heading's versions (None for one in
    a link's target or a URL, `_in_url`), the changelog glued after it left out."""
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        # Its lines cut one at a time: the first heading is most often its first line.
        first = next(each_heading(iter_lines(cell.source)), None)
        if first is None:
            continue
        title = first.text
        glued = _INLINE_SECTION.search(title)
        title = title[: glued.start()] if glued else title
        urls = [url.span() for url in _URL.finditer(title)] if "/" in title else []
        return (
            cell,
            [
                None if any(start <= found.start() < end for start, end in urls) else found
                for found in _VERSION.finditer(title)
            ],
        )
    return None


def _why_no_title(cells: Sequence[Cell]) -> str:
    """The report line for a notebook with no title to bump: its title holds no version, more
    than one, or one in a link (round 58a: "no version ... in a title heading" of `# Demo
    [v0.0.37](.../v0.0.37)`)."""
    title = _title(cells)
    if title is None:
        return messages.no_version()
    cell, versions = title
    if len(versions) > 1:
        return messages.versions_in_title(cell.number, len(versions))
    if versions:
        return messages.version_in_link(cell.number)
    return messages.no_version_in_title(cell.number)


def update_version(cell: Cell, bump: Bump, now: datetime, changelog_entry: str) -> VersionUpdate:
    """Bump the title's version (and timestamp) and add a changelog section for it."""
    lines = split_lines(cell.source)
    newline = newline_of(lines)
    found = headings(lines)
    title_index = found[0].index
    version = _VERSION.search(lines[title_index])
    assert version is not None
    old = tuple(int(part) for part in version.groups())
    new_version = "v" + ".".join(
        _padded(part, written)
        for part, written in zip(_bumped(old, bump), version.groups(), strict=True)
    )
    lines[title_index] = _retitled(lines[title_index], version, new_version, now)

    sections = [
        heading
        for heading in found[1:]
        if _VERSION.search(heading.text) and heading.index > title_index
    ]
    inline = _first_inline_section(lines, title_index, sections[0].index if sections else None)
    if inline is not None:
        index, at = inline
        lines[index] = _with_inline_section(lines[index], at, new_version, changelog_entry)
    elif sections:
        heading = sections[0]
        heading_line = lines[heading.index]
        new_heading = heading_line[: heading.start] + _new_section_heading(
            heading.text, new_version, now
        )
        marker = list_marker(lines[heading.index + 1 :])
        following = heading.index + 1
        gap = [newline] if following < len(lines) and not lines[following].strip() else []
        entry = f"{marker} {changelog_entry}{newline}"
        lines[heading.index : heading.index] = [new_heading + newline, *gap, entry, newline]
    else:
        insert_at = after_title_paragraph(lines, title_index)
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


def _first_inline_section(
    lines: list[str], title_index: int, first_section: int | None
) -> tuple[int, int] | None:
    """(line index, column) of the topmost changelog heading when it sits mid-line, else None.

    A section at a line start is the changelog: a mid-line one is looked for only in a
    cell without one, outside fenced code, and not after a block quote's, a list's or a
    table's marker or a tag (`> ### New in`, `| ### New in`, `<br>### New in`), where it
    is a heading of its own (round 58a: the entry was pasted into such lines).
    """
    if first_section is not None:
        return None
    in_fence = False
    for index in range(title_index, len(lines)):
        line = lines[index]
        if is_fence(line):
            in_fence = not in_fence
            continue
        for found in [] if in_fence else _INLINE_SECTION.finditer(line):
            before = line[: found.start()]
            if _hidden(before) or _in_markup(before):
                continue  # `<!-- ### New in v0.0.0: -->`, `` `### New in ...` ``: not shown
            if before.strip(" "):  # text before it: mid-line
                return index, found.start()
            if index != title_index:
                return None  # a heading at a line start comes first
    return None


# A list item's marker at the line's start (in a block quote too: `> - `, `1. `).
_LIST_MARKER = re.compile(r"[ \t>]*(?:[*+-]|\d{1,9}[.)])")


def _in_markup(before: str) -> bool:
    """Whether the text before a changelog heading on its line is markup that makes the
    heading one of its own, not one glued to the text before it: a block quote's `>` or a
    tag's (`<br>`), a table's `|`, a list item's marker."""
    mark = before.rstrip(" \t")
    return mark.endswith((">", "|")) or _LIST_MARKER.fullmatch(mark) is not None


def _hidden(before: str) -> bool:
    """Whether text following `before` on its line is inside an HTML comment or a code span,
    where a heading is not rendered: a comment opened and not closed, an odd count of
    backticks."""
    return before.rfind("<!--") > before.rfind("-->") or before.count("`") % 2 == 1


@cache
def _inline_bullet() -> re.Pattern[str]:
    """The bullet after an inline changelog heading; compiled when first needed: only a title
    cell that lost its newlines is asked."""
    return re.compile(r"[ \t]*[-*+][ \t]*")


def _with_inline_section(line: str, at: int, new_version: str, entry: str) -> str:
    """The line with a new section written before the heading at `at`, in its inline style:
    `### New in v0.0.31:- entry### New in v0.0.30:- ...`."""
    existing = _INLINE_SECTION.match(line, at)
    assert existing is not None
    heading = _VERSION.sub(new_version, existing.group(0), count=1)
    after = existing.end()
    colon = ":" if line[after : after + 1] == ":" else ""
    bullet = _inline_bullet().match(line, after + len(colon))
    lead = bullet.group(0) if bullet is not None else " "
    return line[:at] + heading + colon + lead + entry + line[at:]


def _padded(part: int, written: str) -> str:
    """The part in the width of the one written when that was zero-padded: `v0.0.07` becomes
    `v0.0.08`, not `v0.0.8` (round 63 M3); `v0.0.99` becomes `v0.0.100`."""
    width = len(written) if written.startswith("0") else 1
    return str(part).zfill(width)


def _bumped(version: tuple[int, ...], bump: Bump) -> tuple[int, int, int]:
    major, minor, patch = version
    if bump is Bump.MAJOR:
        return major + 1, 0, 0
    if bump is Bump.MINOR:
        return major, minor + 1, 0
    return major, minor, patch + 1


def _retitled(line: str, version: re.Match[str], new_version: str, now: datetime) -> str:
    rest = line[version.end() :]
    timestamp = _TIMESTAMP.match(rest)
    if timestamp:
        rest = _restamped(timestamp, now) + rest[timestamp.end() :]
    return line[: version.start()] + new_version + rest


def _restamped(timestamp: re.Match[str], now: datetime) -> str:
    """The timestamp's text with its lead, set to `now` in the same format."""
    lead, _, separator, time = timestamp.groups()
    stamp = now.strftime("%Y-%m-%d")
    if time is not None:
        stamp += separator + now.strftime("%H:%M:%S" if time.count(":") == 2 else "%H:%M")
    return lead + stamp


# Markup closing a heading's text, and its final colon: `**New in v0.0.3:**`.
_CLOSERS = frozenset(":*_~ \t")


def _new_section_heading(text: str, new_version: str, now: datetime) -> str:
    """The new changelog heading's text from the topmost old one's: its words up to the
    version, the new version, a timestamp right after it set to `now`, and its final colon
    and closing markup; not the rest, an author, a PR link or the old entry's first item in
    a cell that lost some newlines (round 63 F3: they were copied under the new version).
    """
    version = _VERSION.search(text)
    assert version is not None
    before = text[: version.start()]
    if before.count("[") > before.count("]"):
        return _VERSION.sub(new_version, text, count=1)  # the version is a link's text
    rest = text[version.end() :]
    stamp = ""
    timestamp = _TIMESTAMP.match(rest)
    if timestamp is not None:
        stamp = _restamped(timestamp, now)
        rest = rest[timestamp.end() :]
        if stamp.lstrip(" \t").startswith("(") and rest.startswith(")"):
            stamp, rest = stamp + ")", rest[1:]
    kept = len(rest)
    while kept > 0 and rest[kept - 1] in _CLOSERS:
        kept -= 1
    tail = rest[kept:].strip(" \t")
    if ":" not in tail and rest.lstrip(" \t").startswith(":"):
        tail = ":" + tail  # `### New in v0.0.30:- Fixed`: the glued item is the old entry's
    return before + new_version + stamp + tail

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

from nbrefactor import messages
from nbrefactor.analysis.text import newline_of, split_lines
from nbrefactor.config import Bump, Config
from nbrefactor.nbfile.notebook import Cell, Notebook
from nbrefactor.rules.changelog_heading import new_section_heading
from nbrefactor.rules.glued_changelog import (
    INLINE_SECTION,
    first_inline_section,
    with_inline_section,
)
from nbrefactor.rules.markdown_headings import Blocks, Heading, read_blocks
from nbrefactor.rules.markdown_inline import html_hidden_spans
from nbrefactor.rules.version_text import VERSION as _VERSION
from nbrefactor.rules.version_text import is_changelog_heading, padded, retitled
from nbrefactor.rules.version_title import late_html_title, shown_version, title_of
from nbrefactor.value_base import ValueBase

# A bold line that is a changelog heading (`**New in v0.0.3:**`, `__v0.0.3__`: the version
# alone), not one naming a library's version (`**Requires torch v2.1.0**`, `**v2.1.0 of
# torch required**`: round 65, it was taken for the changelog).
# A version of four parts or more (`v0.0.3.1`), not a pre-release's suffix.
_MORE_PARTS = re.compile(r"v\d{1,12}\.\d{1,12}\.\d{1,12}\.\d")
_BOLD_SECTION = re.compile(
    r"(?:\*\*|__)[ \t]*(?:(?:New|Changes)[ \t]+in[ \t]+v\d{1,12}\.\d{1,12}\.\d{1,12}\b"
    r"|v\d{1,12}\.\d{1,12}\.\d{1,12}[ \t]*:?[ \t]*(?:\*\*|__))",
    re.IGNORECASE,
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
    title = title_of(cells)
    if title is None or title.why is not None:
        return None
    if title.suffixed is not None or title.underscored is not None:
        return None
    cell, versions = title.cell, title.versions
    return cell if len(versions) == 1 and versions[0] is not None else None


def _why_no_title(cells: Sequence[Cell]) -> str:
    """The report line for a notebook with no title to bump: its title holds no version, a
    pre-release one, more than one, or one in a link (round 58a: "no version ... in a title
    heading" of `# Demo [v0.0.37](.../v0.0.37)`), and what a reader sees of it: one shown and
    one in a link's target is not two (round 74a F15), nor a version in emphasis none."""
    title = title_of(cells)
    late = late_html_title(cells)
    if title is None:
        return messages.html_title_after_html(late) if late else messages.no_version()
    cell, versions, suffixed, why = title.cell, title.versions, title.suffixed, title.why
    if why is not None:
        return why
    if suffixed is not None:
        if _MORE_PARTS.match(suffixed):
            return messages.version_of_more_parts(cell.number, suffixed)
        return messages.prerelease_in_title(cell.number, suffixed)
    if title.underscored is not None:
        return messages.version_by_underscore(cell.number, title.underscored)
    readable = [found.group(0) for found in versions if found is not None]
    if len(readable) > 1:
        return messages.versions_in_title(cell.number, len(readable))
    if readable:
        return messages.version_also_in_link(cell.number, readable[0])
    if versions:
        return messages.version_in_link(cell.number, title.unseen)
    if late is not None and late <= cell.number:
        return messages.html_title_after_html(late)
    return messages.no_version()  # true of the title: no version there


def update_version(cell: Cell, bump: Bump, now: datetime, changelog_entry: str) -> VersionUpdate:
    """Bump the title's version (and timestamp) and add a changelog section for it."""
    lines = split_lines(cell.source)
    newline = newline_of(lines)
    blocks = read_blocks(cell.source)
    title = blocks.title
    assert title is not None
    title_index = title.index
    version = shown_version(lines[title_index], title)
    old = tuple(int(part) for part in version.groups())
    new = _bumped(old, bump)
    current = (old, new)  # the versions a changelog section of this notebook names
    shown_from = _after_html_block(blocks, title)  # the lines a reader sees as markdown
    new_version = "v" + ".".join(
        padded(part, written) for part, written in zip(new, version.groups(), strict=True)
    )
    glued = INLINE_SECTION.search(title.text)  # the title's text ends where a section starts
    end = title.start + _shown_end(title.text[: glued.start()] if glued else title.text)
    lines[title_index] = retitled(lines[title_index], version, new_version, now, end)

    sections = [
        heading
        for heading in blocks.headings
        if heading.index >= shown_from and is_changelog_heading(heading.text, current)
    ] or [
        # A changelog of bold lines (`**New in v0.0.3:**`) when it has no heading (round 63
        # M5: the new section went after it, at the cell's end, in another style).
        line
        for line in blocks.bold_lines()
        # `__v0.0.3__`: `_VERSION` reads no version there (a word character follows), and
        # a section must have one (round 67: the run stopped with an internal error)
        if _BOLD_SECTION.match(line.text)
        and _VERSION.search(line.text)
        and line.index >= shown_from
    ]
    first_section = sections[0].index if sections else None
    inline = first_inline_section(blocks, lines, title_index, first_section)
    if inline is not None:
        index, at = inline
        lines[index] = with_inline_section(lines[index], at, new_version, changelog_entry)
    elif sections:
        heading = sections[0]
        heading_line = lines[heading.index]
        new_heading = heading_line[: heading.start] + new_section_heading(
            heading.text, new_version, now
        )
        marker = blocks.list_marker(heading.index)
        following = heading.index + 1
        gap = [newline] if following < len(lines) and not lines[following].strip() else []
        entry = f"{marker} {changelog_entry}{newline}"
        planned = _VERSION.search(heading.text)
        if planned is not None and planned.group(0) == new_version:
            # The new version's section is there already (planned): the entry goes first in
            # it (round 63 M2: a second `### New in v0.0.38:` went above it), after the
            # paragraph a bold line starts (`_heading_end`).
            end = _heading_end(blocks, heading.index)
            blank = end < len(lines) and not lines[end].strip()
            _into_planned(blocks, lines, end + int(blank), changelog_entry, newline)
        else:
            closer = _list_closer(blocks, heading.index, marker, newline)
            lines[heading.index : heading.index] = [
                new_heading + newline,
                *gap,
                entry,
                newline,
                *closer,
            ]
    else:
        # After a setext title's underline: the introduction that follows it.
        insert_at = blocks.introduction_end(shown_from + int(title.setext))
        block = [newline, f"### New in {new_version}:{newline}", f"- {changelog_entry}{newline}"]
        closer = _list_closer(blocks, insert_at, "-", newline)
        if closer:
            block += [newline, *closer]
        elif insert_at < len(lines):
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


def _heading_end(blocks: Blocks, index: int) -> int:
    """The line after a section's heading at line `index`: for a bold line, after the
    paragraph it starts, which may go on below it (`**New in v0.0.4:**` then `planned text`,
    shown as one paragraph; round 75a A2: the entry written between them split it, and
    `<!-- -->` made an indented line of it code)."""
    ends = (end for start, end, _ in blocks.top if start == index)
    return next(ends, index + 1)


def _into_planned(
    blocks: Blocks, lines: list[str], at: int, changelog_entry: str, newline: str
) -> None:
    """Write the entry first in the new version's section, which starts at line `at`: as the
    first item of its list when its first block is one, with its indent and marker (round 74a
    F4: `- entry` over `  - planned` made that a nested list); else as a list of its own, a
    blank line after it (round 74a F4: a paragraph, code, a table or a quote there was taken
    into the entry)."""
    first = blocks.next_text(at)
    if first is None:  # the section is empty: the entry ends the cell as it did
        if at >= len(lines):
            lines[-1] = lines[-1].rstrip("\r\n") + newline
            lines.append(f"- {changelog_entry}")
        else:
            lines[at:at] = [f"- {changelog_entry}{newline}"]
        return
    body = blocks.lines[first]
    indent = body[: len(body) - len(body.lstrip(" \t"))]
    marker = next((mark for start, mark in blocks.bullets if start == first), None)
    if marker is not None:
        lines[first:first] = [f"{indent}{marker} {changelog_entry}{newline}"]
        return
    closer = _list_closer(blocks, at, "-", newline)
    lines[at:at] = [f"- {changelog_entry}{newline}", newline, *closer]


# Ends the new entry's list before a line that would continue it: an HTML comment, which
# shows nothing (the way CommonMark's spec ends a list).
_LIST_END = "<!-- -->"


def _list_closer(blocks: Blocks, at: int, marker: str, newline: str) -> list[str]:
    """The line to write after the new entry's list and the blank line after it, before the
    line `at`: none, or `<!-- -->` when the next line that is not blank would continue that
    list, indented past its marker (round 74a F2, F5: indented code, a note or an old
    changelog heading became part of the entry) or an item with its marker."""
    following = blocks.next_text(at)
    if following is None:
        return []
    body = blocks.lines[following]
    if _columns(body) > len(marker) or (following, marker) in blocks.bullets:
        return [_LIST_END + newline]
    return []


def _columns(line: str) -> int:
    """How far a line is indented, a tab counting to the next multiple of 4 (CommonMark's tab
    stop)."""
    return len(line[: len(line) - len(line.lstrip(" \t"))].expandtabs(4))


def _shown_end(text: str) -> int:
    """Where a title's text ends for a reader: tags and comments after it left out (`</b>`,
    `<!-- auto -->`; round 72a F4: a timestamp before one was no longer refreshed)."""
    end = len(text)
    for start, stop in reversed(html_hidden_spans(text) if "<" in text else []):
        if text[stop:end].strip():
            break
        end = start
    return end


def _after_html_block(blocks: Blocks, title: Heading) -> int:
    """The first line after the title's: for an HTML title, after the HTML block it opens,
    which runs to the next blank line (CommonMark), its lines shown as raw HTML, not
    markdown (round 71a F7: the new section written right under `<h1>Demo (v0.0.2)</h1>`
    showed as one line of text, the old `### New in v0.0.1:` there too)."""
    # A comment left open there leaves the title unbumped (`version_title`).
    return blocks.html_block_end(title.index) if title.html else title.index + 1


def _bumped(version: tuple[int, ...], bump: Bump) -> tuple[int, int, int]:
    major, minor, patch = version
    if bump is Bump.MAJOR:
        return major + 1, 0, 0
    if bump is Bump.MINOR:
        return major, minor + 1, 0
    return major, minor, patch + 1

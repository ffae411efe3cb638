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
from nbrefactor.config import Bump, Config
from nbrefactor.notebook import Cell, Notebook
from nbrefactor.text import newline_of, split_lines

_HEADING = re.compile(r"\A[ ]{0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*\Z")
_VERSION = re.compile(r"\bv(\d+)\.(\d+)\.(\d+)\b")
_TIMESTAMP = re.compile(r"(\s+)(\d{4}-\d{2}-\d{2})(?:([ T])(\d{2}:\d{2}(?::\d{2})?))?")
_LIST_ITEM = re.compile(r"\A[ \t]*([-*+])[ \t]+")
_FENCE = re.compile(r"\A[ ]{0,3}(```|~~~)")


@dataclass(frozen=True)
class VersionUpdate:
    cell: int
    source: str
    old_version: str
    new_version: str


def version_update(
    notebook: Notebook, config: Config, replaced: Sequence[tuple[str, str]], module: str
) -> tuple[VersionUpdate | None, str]:
    """The title cell's new source (or None) and the report line saying what happened.

    `replaced` lists the replaced (inline name, library name) pairs in notebook order,
    for the default changelog entry.
    """
    if config.bump is Bump.NONE:
        return None, messages.version_not_bumped_by_request()
    title = find_title_cell(notebook.cells)
    if title is None:
        return None, messages.no_version()
    entry = config.changelog or messages.changelog_entry(replaced, module)
    update = update_version(title, config.bump, config.now, entry)
    return update, messages.version_bumped(update.old_version, update.new_version, update.cell)


def find_title_cell(cells: Sequence[Cell]) -> Cell | None:
    """The first markdown cell whose first heading carries a version like v0.0.37."""
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        headings = _headings(split_lines(cell.source))
        if headings and _VERSION.search(headings[0][1].group(2)):
            return cell
    return None


def update_version(cell: Cell, bump: Bump, now: datetime, changelog_entry: str) -> VersionUpdate:
    """Bump the title's version (and timestamp) and add a changelog section for it."""
    lines = split_lines(cell.source)
    newline = newline_of(lines)
    headings = _headings(lines)
    title_index, _title = headings[0]
    version = _VERSION.search(lines[title_index])
    assert version is not None
    old = tuple(int(part) for part in version.groups())
    new_version = "v" + ".".join(str(part) for part in _bumped(old, bump))
    lines[title_index] = _retitled(lines[title_index], version, new_version, now)

    sections = [
        (index, match)
        for index, match in headings[1:]
        if _VERSION.search(match.group(2)) and index > title_index
    ]
    if sections:
        index, match = sections[0]
        heading_line = lines[index]
        new_heading = (
            heading_line[: match.start(2)]
            + _VERSION.sub(new_version, match.group(2), count=1)
            + heading_line[match.end(2) :].rstrip("\r\n")
        )
        marker = _list_marker(lines[index + 1 :])
        gap = [newline] if index + 1 < len(lines) and not lines[index + 1].strip() else []
        entry = f"{marker} {changelog_entry}{newline}"
        lines[index:index] = [new_heading + newline, *gap, entry, newline]
    else:
        insert_at = _after_title_paragraph(lines, title_index)
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
        old_version="v" + ".".join(str(part) for part in old),
        new_version=new_version,
    )


def _headings(lines: list[str]) -> list[tuple[int, re.Match[str]]]:
    """ATX headings outside fenced code blocks, as (line index, match)."""
    found = []
    in_fence = False
    for index, line in enumerate(lines):
        body = line.rstrip("\r\n")
        if _FENCE.match(body):
            in_fence = not in_fence
            continue
        match = None if in_fence else _HEADING.match(body)
        if match:
            found.append((index, match))
    return found


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
        space, _, separator, time = timestamp.groups()
        stamp = now.strftime("%Y-%m-%d")
        if time is not None:
            stamp += separator + now.strftime("%H:%M:%S" if time.count(":") == 2 else "%H:%M")
        rest = space + stamp + rest[timestamp.end() :]
    return line[: version.start()] + new_version + rest


def _list_marker(lines: list[str]) -> str:
    for line in lines:
        if _HEADING.match(line.rstrip("\r\n")):
            break
        match = _LIST_ITEM.match(line)
        if match:
            return match.group(1)
    return "-"


def _after_title_paragraph(lines: list[str], title_index: int) -> int:
    """The line index just after the paragraph that follows the title heading."""
    index = title_index + 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index == len(lines) or _HEADING.match(lines[index].rstrip("\r\n")):
        return title_index + 1
    while (
        index < len(lines)
        and lines[index].strip()
        and not _HEADING.match(lines[index].rstrip("\r\n"))
    ):
        index += 1
    return index

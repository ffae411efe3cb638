"""Reading a markdown cell's lines as CommonMark does, as far as the version rule needs:
ATX headings (`# Title`), outside fenced code blocks, a list item's marker and the end of
a paragraph. Line by line and without backtracking: a title cell may be long.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from nbrefactor.value_base import ValueBase

_HEADING_START = re.compile(r"[ ]{0,3}#{1,6}(?=[ \t])")
_LIST_ITEM = re.compile(r"\A[ \t]*([-*+])[ \t]+")
_FENCE = re.compile(r"\A[ ]{0,3}(```|~~~)")


@dataclass(frozen=True, eq=False, repr=False)
class Heading(ValueBase):
    """An ATX heading on one line: where its text starts and ends (closing #s left out)."""

    index: int  # line index in the cell
    start: int
    end: int
    text: str


def is_fence(line: str) -> bool:
    """Whether the line (its ending included or not) opens or closes a fenced code block."""
    return _FENCE.match(line.rstrip("\r\n")) is not None


def headings(lines: list[str]) -> list[Heading]:
    """ATX headings outside fenced code blocks."""
    return list(each_heading(lines))


def each_heading(lines: Iterable[str]) -> Iterator[Heading]:
    """`headings` one at a time: the title is the first, the rest of a cell is not read."""
    in_fence = False
    for index, line in enumerate(lines):
        body = line.rstrip("\r\n")
        if is_fence(body):
            in_fence = not in_fence
            continue
        heading = None if in_fence else _heading(index, body)
        if heading is not None:
            yield heading


def _heading(index: int, line: str) -> Heading | None:
    """The heading on a line (without its ending), read without backtracking."""
    opening = _HEADING_START.match(line)
    if opening is None:
        return None
    start = len(line) - len(line[opening.end() :].lstrip(" \t"))
    end = len(line.rstrip(" \t"))
    text = line[start:end]
    closing = len(text.rstrip("#"))
    if closing == 0:
        end = start  # only a closing sequence: an empty heading
    elif closing < len(text) and text[closing - 1] in " \t":
        end = start + len(text[:closing].rstrip(" \t"))
    return Heading(index, start, max(start, end), line[start : max(start, end)])


def list_marker(lines: list[str]) -> str:
    for line in lines:
        if _HEADING_START.match(line):
            break
        match = _LIST_ITEM.match(line)
        if match:
            return match.group(1)
    return "-"


def after_title_paragraph(lines: list[str], title_index: int) -> int:
    """The line index just after the paragraph that follows the title heading."""
    index = title_index + 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index == len(lines) or _HEADING_START.match(lines[index]) or is_fence(lines[index]):
        return title_index + 1  # no paragraph: a fence there doubled a blank (round 63 M9)
    while (
        index < len(lines)
        and lines[index].strip()
        and not _HEADING_START.match(lines[index])
        and not is_fence(lines[index])  # a fence ends the paragraph
    ):
        index += 1
    return index

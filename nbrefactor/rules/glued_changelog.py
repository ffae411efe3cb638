"""A title cell whose lines lost their newlines (Jupyter shows one line: `# Demo
(v0.0.30)Intro...### New in v0.0.30:- Fixed...`): where its changelog's topmost section
sits mid-line, and the new section written before it in the same glued style.
"""

from __future__ import annotations

import re
from functools import cache

from nbrefactor.rules.markdown_headings import Blocks
from nbrefactor.rules.version_text import VERSION

# A changelog heading anywhere in a line: where a title cell lost its newlines.
INLINE_SECTION = re.compile(
    r"#{1,6}[ \t]*(?:New|Changes)[ \t]+in[ \t]+v\d+\.\d+\.\d+", re.IGNORECASE
)


def first_inline_section(
    blocks: Blocks, lines: list[str], title_index: int, first_section: int | None
) -> tuple[int, int] | None:
    """(line index, column) of the topmost changelog heading when it sits mid-line, else None.

    A section at a line start is the changelog: a mid-line one is looked for only in a
    cell without one, in the lines a reader sees (`Blocks.content_lines`: not in code or an
    HTML comment block, as for every other heading), and not after a block quote's, a
    list's or a table's marker or a tag (`> ### New in`, `| ### New in`, `<br>### New
    in`), where it is a heading of its own (round 58a: the entry was pasted into such lines).
    """
    if first_section is not None:
        return None
    for index, _ in blocks.content_lines(title_index):
        line = lines[index].rstrip("\r\n")  # the title's, bumped already
        for found in INLINE_SECTION.finditer(line):
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


def with_inline_section(line: str, at: int, new_version: str, entry: str) -> str:
    """The line with a new section written before the heading at `at`, in its inline style:
    `### New in v0.0.31:- entry### New in v0.0.30:- ...`."""
    existing = INLINE_SECTION.match(line, at)
    assert existing is not None
    heading = VERSION.sub(new_version, existing.group(0), count=1)
    after = existing.end()
    colon = ":" if line[after : after + 1] == ":" else ""
    bullet = _inline_bullet().match(line, after + len(colon))
    lead = bullet.group(0) if bullet is not None else " "
    return line[:at] + heading + colon + lead + entry + line[at:]

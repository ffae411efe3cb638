"""Reading a markdown cell's lines as CommonMark does, as far as the version rule needs:
ATX headings (`# Title`), a setext title (`Title` over `===`) and an HTML title
(`<h1 align="center">Title</h1>`), outside fenced code blocks and HTML comments, a list
item's marker and the end of a paragraph. Line by line and without backtracking: a title
cell may be long.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from nbrefactor.rules.markdown_inline import shown, tag_end
from nbrefactor.value_base import ValueBase

_HEADING_START = re.compile(r"[ ]{0,3}#{1,6}(?=[ \t])")
# An HTML title starting a line (`<h1 align="center">`), in many public notebooks because it
# can be centred (round 70b F1: the `## Install torch v2.1.0` below it was taken for the
# title and bumped). Only `<h1>`: a centred `<h2>` banner or release note above the `#`
# title was taken for it (round 72a F3); a lower one is text before the title. Inside a
# centring tag on the same line too (`<center><h1>Demo (v0.0.1)</h1></center>`, round 72c).
# Each tag before it ends at its own `>`: no backtracking.
_HTML_HEADING = re.compile(r"[ ]{0,3}(?:<(?i:center|div|p)\b[^<>]*>[ \t]*)*<[hH](1)(?=[\s/>]|\Z)")
_LIST_ITEM = re.compile(r"\A[ \t]*([-*+])[ \t]+")
_FENCE_RUN = re.compile(r"\A[ ]{0,3}(`{3,}|~{3,})")
_COMMENT_START = re.compile(r"\A[ ]{0,3}<!--")
# Only `===` (a level-1 title): a one-line paragraph over `---` is most often a badge or an
# author line over a rule in a title cell (round 65: it was taken for the title, ahead of
# the `# Demo (v0.0.37)` below it).
_SETEXT_UNDERLINE = re.compile(r"\A[ ]{0,3}=+[ \t]*\Z")
# A line that starts a paragraph, not a list item, block quote, table row, tag or code.
_PARAGRAPH_START = re.compile(r"\A[ ]{0,3}(?!\d{1,9}[.)])[^ \t>|<*+\-=#]")


@dataclass(frozen=True, eq=False, repr=False)
class Heading(ValueBase):
    """A heading's line: where its text starts and ends (closing #s left out)."""

    index: int  # line index in the cell
    start: int
    end: int
    text: str
    setext: bool = False  # underlined on the next line (`===`, `---`), not `#`-led
    level: int = 1
    html: bool = False  # `<h1>Title</h1>`: the text is what the tags enclose
    closed: bool = True  # False: an HTML heading not closed on its line, its text unread


def headings(lines: list[str]) -> list[Heading]:
    """ATX headings outside fenced code blocks."""
    return list(each_heading(lines))


def content_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(index, line without its ending) of each line outside fenced code blocks and HTML
    comments, fences left out."""
    for index, body in _walk(lines):
        if body is not None:
            yield index, body


def _walk(lines: Iterable[str]) -> Iterator[tuple[int, str | None]]:
    """(index, line without its ending) of each line, None for one a reader does not see as
    text: a fence, fenced code, or an HTML comment block (`<!--` starting a line, to the line
    holding `-->`, itself included; round 70b F3: a commented-out title or changelog was
    read, and the bump and the new entry written where no reader sees them)."""
    fence = ""  # the open fence (```` ```` ````, `~~~`), "" outside fenced code
    in_comment = False
    for index, line in enumerate(lines):
        body = line.rstrip("\r\n")
        run = _FENCE_RUN.match(body)
        if in_comment:
            in_comment = "-->" not in body
        elif fence:
            fence = "" if run is not None and _closes(fence, run, body) else fence
        elif run is not None and not (run.group(1)[0] == "`" and "`" in body[run.end() :]):
            fence = run.group(1)  # a backtick fence's info string holds no backtick
        elif _COMMENT_START.match(body):
            # The line holding `-->` ends the block, the opening line too, overlapping
            # allowed: `<!-->` and `<!--->` are whole comments (CommonMark; round 71a F1:
            # the title below one was hidden and an old changelog heading bumped instead).
            in_comment = "-->" not in body
        else:
            yield index, body
            continue
        yield index, None


def _closes(fence: str, run: re.Match[str], body: str) -> bool:
    """Whether a fence line closes the open one: as CommonMark has it, a run of the same
    character at least as long, with nothing after it (round 70b F4: any fence line did, so
    a ```` ```` ```` block showing a ``` line was read as text after it)."""
    closing = run.group(1)
    return closing[0] == fence[0] and len(closing) >= len(fence) and not body[run.end() :].strip()


def each_heading(lines: Iterable[str]) -> Iterator[Heading]:
    """`headings` one at a time: the title is the first, the rest of a cell is not read."""
    for index, body in content_lines(lines):
        heading = _heading(index, body)
        if heading is not None:
            yield heading


def bold_lines(lines: list[str]) -> Iterator[Heading]:
    """Lines outside fenced code that are all bold text (`**New in v0.0.3:**`, `__v0.0.3__:`),
    a changelog's headings in some notebooks: the whole line is the heading's text."""
    for index, body in content_lines(lines):
        start = len(body) - len(body.lstrip(" "))
        text = body.strip(" \t")
        closing = text.rstrip(":")
        if (
            start <= 3
            and len(closing) > 4
            and closing[:2] in ("**", "__")
            and closing.endswith(closing[:2])
        ):
            yield Heading(index, start, start + len(text), text)


def first_heading(lines: Iterable[str]) -> Heading | None:
    """The first heading, ATX or setext (`Demo (v0.1.0)` underlined by `===`; round 63 M7:
    such a title was said to hold no version). Only a one-line paragraph's underline
    counts: a multi-line setext heading is not read as a title, nor one over `---`."""
    previous: tuple[int, str] | None = None  # a one-line paragraph so far: (index, text)
    paragraph_lines = 0
    html_block = False  # in the HTML block of an HTML heading showing no text
    for index, body in _walk(lines):
        if body is None:  # a fence, fenced code or a comment: no paragraph goes on
            previous, paragraph_lines = None, 0
            continue
        if html_block:  # raw HTML to the next blank line (CommonMark), no heading read
            html_block = bool(body.strip())
            continue
        heading = _heading(index, body) or _html_heading(index, body)
        if heading is not None and heading.html and heading.closed and not shown(heading.text):
            # A centred logo or an anchor (`<h1 align="center"><img src="logo.png"></h1>`,
            # `<h1 id="top"></h1>`) names no title (round 71a F5: the `# Demo (v0.0.1)`
            # below it was left unbumped, the report saying the title held no version).
            previous, paragraph_lines, html_block = None, 0, True
            continue
        if heading is not None:
            return heading
        if previous is not None and paragraph_lines == 1 and _SETEXT_UNDERLINE.match(body):
            at, text = previous
            start = len(text) - len(text.lstrip(" "))
            end = len(text.rstrip(" \t"))
            return Heading(at, start, end, text[start:end], setext=True)
        if not body.strip():
            previous, paragraph_lines = None, 0
        else:
            paragraph_lines += 1
            plain = paragraph_lines == 1 and _PARAGRAPH_START.match(body) is not None
            previous = (index, body) if plain else previous
    return None


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
    level = len(opening.group(0).lstrip(" "))
    return Heading(index, start, max(start, end), line[start : max(start, end)], level=level)


def _html_heading(index: int, line: str) -> Heading | None:
    """An HTML heading opening the line: its text is what its tags enclose on the line, or,
    closed on a later line, none read (`closed` False)."""
    opening = _HTML_HEADING.match(line)
    if opening is None:
        return None
    level = int(opening.group(1))
    start = tag_end(line, opening.start(1) - 2)  # `<h1 title="a>b">`: a quoted `>` is text
    found = [line.find(f"</{h}{level}", start) for h in "hH"] if start > 0 else []
    end = min((at for at in found if at >= 0), default=-1)
    if end < 0:
        return Heading(index, len(line), len(line), "", level=level, html=True, closed=False)
    return Heading(index, start, end, line[start:end], level=level, html=True)


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
    bodies = [body for _, body in _walk(lines)]  # None: a fence, fenced code or a comment

    def ends(index: int) -> bool:
        body = bodies[index]
        return body is None or not body.strip() or _HEADING_START.match(body) is not None

    index = title_index + 1
    while index < len(lines) and _blank(bodies[index]):
        index += 1
    if index == len(lines) or ends(index):
        # No paragraph: a fence there doubled a blank (round 63 M9); in a comment the new
        # section would not show (round 70b F3)
        return title_index + 1
    while index < len(lines) and not ends(index):
        index += 1
    return index


def html_block_end(lines: Sequence[str], start: int) -> int:
    """The index of the blank line ending the HTML block that line `start` opens (or the
    lines' end): CommonMark shows its lines as raw HTML, not markdown."""
    index = start + 1
    while index < len(lines) and lines[index].strip():
        index += 1
    return index


def _blank(body: str | None) -> bool:
    return body is not None and not body.strip()

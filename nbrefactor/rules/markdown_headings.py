"""Reading a title cell as CommonMark does, as far as the version rule needs. Its blocks are
markdown-it-py's (a CommonMark parser; GFM tables on, as Jupyter renders them): which lines
are code, fenced or indented, HTML comments or other HTML blocks, and where the headings
are: ATX (`# Title`), setext (`Title` over `===`) and HTML titles (`<h1 align="center">
Title</h1>`). The tokens give lines, not columns: where a heading's text sits on its line,
and what an HTML line shows, are read here, line by line and without backtracking (a title
cell may be long). markdown-it is imported when a title cell is first read: a notebook whose
code does not change reads none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from nbrefactor.rules.markdown_inline import only_images, shown, tag_end
from nbrefactor.value_base import ValueBase

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline

_HEADING_START = re.compile(r"[ ]{0,3}#{1,6}(?=[ \t]|\Z)")
# An HTML title starting a line (`<h1 align="center">`), in many public notebooks because it
# can be centred (round 70b F1: the `## Install torch v2.1.0` below it was taken for the
# title and bumped). Only `<h1>`: a centred `<h2>` banner or release note above the `#`
# title was taken for it (round 72a F3); a lower one is text before the title. Inside a
# centring tag on the same line too (`<center><h1>Demo (v0.0.1)</h1></center>`, round 72c).
# Each tag before it ends at its own `>`: no backtracking.
_HTML_HEADING = re.compile(r"[ ]{0,3}(?:<(?i:center|div|p)\b[^<>]*>[ \t]*)*<[hH](1)(?=[\s/>]|\Z)")
_COMMENT_START = re.compile(r"\A[ ]{0,3}<!--")
# The blocks after a title that are not its introduction: the new section goes before them.
# An HTML block too: it may open an element that a later block closes (`<details>`), or one
# that a blank line does not end (`<pre>`), and the section written after it is inside.
_NOT_INTRODUCTION = frozenset({"heading", "fence", "code_block", "comment", "html_block"})
# How deep lists and block quotes may nest (markdown-it's default for CommonMark is 20: ten
# nested lists, after which the rest of the cell was not read, a title below them unfound).
# A cell nested deeper is not read for its headings (`Blocks.too_deep`).
_MAX_NESTING = 100
# Where lines end, as `analysis.text.split_lines` and CommonMark have it.
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, eq=False, repr=False)
class Heading(ValueBase):
    """A heading's line: where its text starts and ends (closing #s left out)."""

    index: int  # line index in the cell
    start: int
    end: int
    text: str
    setext: bool = False  # underlined on the next line (`===`), not `#`-led
    level: int = 1
    html: bool = False  # `<h1>Title</h1>`: the text is what the tags enclose
    closed: bool = True  # False: an HTML heading not closed on its line, its text unread


@dataclass(frozen=True, eq=False, repr=False)
class Blocks(ValueBase):
    """A markdown cell's lines (without their endings) and what CommonMark makes of them.
    Only blocks at the top level count as headings, HTML blocks and lists: a heading in a
    list item or a block quote (`- # Demo`, `> ### New in v0.0.3:`) is neither the title
    nor a changelog section, on the safe side: the edits write at a line's start."""

    lines: tuple[str, ...]
    hidden: frozenset[int]  # code (fenced or indented), fences and HTML comments
    headings: tuple[Heading, ...]  # the ATX headings
    title: Heading | None  # the first heading showing text, ATX, setext or HTML
    html_blocks: tuple[tuple[int, int], ...]  # each HTML block's [first line, end)
    bullets: tuple[tuple[int, str], ...]  # each bullet list's first line and marker
    too_deep: bool  # nested as deep as the parser reads: what follows may be unread
    top: tuple[tuple[int, int, str], ...]  # each top-level block's [first line, end), kind

    def content_lines(self, start: int = 0) -> Iterator[tuple[int, str]]:
        """(index, line) of each line from `start` outside code, fences and HTML comments
        (round 70b F3: a commented-out title or changelog was read, and the bump and the new
        entry written where no reader sees them)."""
        for index in range(start, len(self.lines)):
            if index not in self.hidden:
                yield index, self.lines[index]

    def html_block_end(self, index: int) -> int:
        """The line just after the HTML block holding line `index` (most often the blank line
        ending it): CommonMark shows its lines as raw HTML, not markdown."""
        ends = (end for start, end in self.html_blocks if start <= index < end)
        return next(ends, index + 1)

    def list_marker(self, after: int) -> str:
        """The marker of the first bullet list after line `after`, before the next heading."""
        following = (heading.index for heading in self.headings if heading.index > after)
        until = next(following, len(self.lines))
        markers = (marker for start, marker in self.bullets if after < start < until)
        return next(markers, "-")

    def introduction_end(self, start: int) -> int:
        """The line just after the title's introduction, the title's lines ending before
        `start`: the top-level block there, whole, and the lists right after it, and the
        blocks right under them with no blank line between (in JupyterLab a block quote or a
        table there is in the list's last item). Whole: a
        loose list was cut between two items (round 74a F3). The lists after it: the new
        section written between an intro and its list showed that list as new in the
        version, even as items of the entry's (round 74a F1). `start` itself when that block
        is a heading, code or a comment, where the section would not show, or other HTML
        (round 74a F8, F9: the section written in `<pre>` or `<details>` showed as raw text
        or not at all, and a blank line written in an HTML block ended it early)."""
        following = [block for block in self.top if block[0] >= start]
        # Badges and logos under the title (`[![Open In Colab](...)](...)`) are not what
        # introduces the notebook: the section goes after the text below them (round 75a
        # A1: it was written between a Colab badge and "This notebook shows ...").
        while following and following[0][2] == "paragraph" and self._only_images(following[0]):
            start = self._text_end(following[0])
            following = following[1:]
        if not following or following[0][2] in _NOT_INTRODUCTION:
            return start
        end = self._text_end(following[0])
        for block in following[1:]:
            adjacent = block[0] == end and block[2] not in _NOT_INTRODUCTION
            if not adjacent and block[2] not in ("bullet_list", "ordered_list"):
                break
            end = self._text_end(block)
        return end

    def _only_images(self, block: tuple[int, int, str]) -> bool:
        """Whether a paragraph shows images only, linked or not (badges, a logo)."""
        first, end, _ = block
        return all(only_images(line) for line in self.lines[first:end])

    def _text_end(self, block: tuple[int, int, str]) -> int:
        """The line after a block's last line that is not blank (a list's map holds the blank
        lines after its last item)."""
        start, end, _ = block
        while end > start and not self.lines[end - 1].strip():
            end -= 1
        return end

    def next_text(self, start: int) -> int | None:
        """The first line from `start` that is not blank, if any."""
        following = (index for index in range(start, len(self.lines)) if self.lines[index].strip())
        return next(following, None)

    def bold_lines(self) -> Iterator[Heading]:
        """Lines that are all bold text (`**New in v0.0.3:**`, `__v0.0.3__:`) starting a
        top-level paragraph, a changelog's headings in some notebooks: the whole line is the
        heading's text. Not in an HTML block, where they are raw text, nor in a table or
        after a paragraph's first line (round 74a F8: the new section written there showed
        as raw text, the old one as markdown)."""
        for index, _, kind in self.top:
            body = self.lines[index]
            start = len(body) - len(body.lstrip(" "))
            text = body.strip(" \t")
            closing = text.rstrip(":")
            if (
                kind == "paragraph"
                and len(closing) > 4
                and closing[:2] in ("**", "__")
                and closing.endswith(closing[:2])
            ):
                yield Heading(index, start, start + len(text), text)


@lru_cache(maxsize=64)
def read_blocks(source: str) -> Blocks:
    """A markdown cell's blocks, parsed once per source: the rules ask the title cell many
    questions, and each earlier markdown cell is asked for its title and its text."""
    lines = _LINE_END.split(source)
    if lines[-1] == "":
        lines.pop()  # after the last line's ending
    hidden: set[int] = set()
    headings: list[Heading] = []
    html_blocks: list[tuple[int, int]] = []
    bullets: list[tuple[int, str]] = []
    titles: list[Heading] = []
    top: list[tuple[int, int, str]] = []
    too_deep = False
    for token in _parser().parse(source):
        too_deep = too_deep or token.level >= _MAX_NESTING - 1
        if token.map is None:
            continue
        start, end = token.map
        comment = token.type == "html_block" and _COMMENT_START.match(token.content) is not None
        if token.level == 0:
            kind = "comment" if comment else token.type.removesuffix("_open")
            top.append((start, end, kind))
        if token.type in ("fence", "code_block") or comment:
            # `<!--` to the line holding `-->`, that line included, `<!-->` a whole comment
            hidden.update(range(start, end))
        elif token.level != 0:
            continue
        elif token.type == "html_block":
            html_blocks.append((start, end))
            titles.extend(_html_titles(lines, start, end, hidden))
        elif token.type == "bullet_list_open":
            bullets.append((start, token.markup))
        elif token.type == "heading_open" and token.markup.startswith("#"):
            heading = _heading(start, lines[start])
            headings.extend([heading] if heading is not None else [])
            titles.extend([heading] if heading is not None and shown(heading.text) else [])
        elif token.type == "heading_open" and token.markup == "=" and end - start == 2:
            # Only a one-line paragraph over `===` (round 63 M7): a multi-line one is not
            # read as a title, nor one over `---`, most often a badge or an author line over
            # a rule (round 65: it was taken for the title, ahead of the `# Demo (v0.0.37)`
            # below it).
            text = lines[start]
            at = len(text) - len(text.lstrip(" "))
            end_at = len(text.rstrip(" \t"))
            titles.append(Heading(start, at, end_at, text[at:end_at], setext=True))
    title = titles[0] if titles else None
    return Blocks(
        tuple(lines),
        frozenset(hidden),
        tuple(headings),
        title,
        tuple(html_blocks),
        tuple(bullets),
        too_deep,
        tuple(top),
    )


@cache
def _parser() -> MarkdownIt:
    """CommonMark with GFM tables, its blocks only: the inline rules are not run on the cell (a
    heading's text is read on its line here, its HTML by `inline_html`)."""
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import html_inline

    def placed_html(state: StateInline, silent: bool) -> bool:
        """markdown-it's own rule, its token told where it is in the text read."""
        start = state.pos
        if not html_inline(state, silent):
            return False
        if not silent:
            state.tokens[-1].meta["span"] = (start, state.pos)
        return True

    parser = MarkdownIt("commonmark", {"maxNesting": _MAX_NESTING}).enable("table")
    parser.core.ruler.disable("inline")  # `text_join` then joins no text: none is read
    parser.inline.ruler.at("html_inline", placed_html)
    return parser


@lru_cache(maxsize=64)
def inline_html(text: str) -> tuple[tuple[int, int], ...]:
    """Where a heading's markdown text holds HTML, tags and comments, as CommonMark reads it:
    markdown-it's `html_inline` tokens (not in an image's alt text). Not `<v0.0.2>` (a tag's
    name has no `.`), `< b >`, `\\<b>` nor one in a code span: text a reader sees (round 75a
    A3: `<v0.0.2>` was taken for a tag, and the v0.0.3 beside it bumped). Only the heading's
    text is read, once: the cell's blocks are read without their inline rules."""
    if "<" not in text:
        return ()
    parser = _parser()
    tokens = parser.inline.parse(text, parser, {}, [])
    return tuple(token.meta["span"] for token in tokens if token.type == "html_inline")


def _html_titles(lines: list[str], start: int, end: int, hidden: set[int]) -> list[Heading]:
    """The HTML headings showing text in an HTML block's lines (round 71a F5: a centred logo
    or an anchor, `<h1 align="center"><img src="logo.png"></h1>`, `<h1 id="top"></h1>`,
    names no title; the `# Demo (v0.0.1)` below it was left unbumped). The lines of the
    comments in the block go to `hidden`: a comment opens on a line starting with `<!--`
    and ends on the line holding `-->`, the raw HTML's own, which hides what it holds."""
    found = []
    in_comment = False
    for index in range(start, end):
        body = lines[index]
        if in_comment or _COMMENT_START.match(body):
            hidden.add(index)
            in_comment = "-->" not in body
            continue
        heading = _html_heading(index, body)
        if heading is not None and (not heading.closed or shown(heading.text)):
            found.append(heading)
    return found


def _heading(index: int, line: str) -> Heading | None:
    """Where an ATX heading's text is on its line (the tokens give lines, not columns), its
    closing `#`s left out; read without backtracking."""
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

"""What a line of markdown shows a reader, as far as the version rule needs: its HTML tags
and comments, spaces written as entities, images and their alt texts, rules. Read within a
line, one pass each, without backtracking (a title cell may be long); the blocks the lines
make are `markdown_headings`'.
"""

from __future__ import annotations

import bisect
import re

# A space written as an entity: no text to a reader.
_BLANK_ENTITY = re.compile(
    r"&(?:nbsp|ensp|emsp|thinsp|#160|#8194|#8195|#8201|#8203|#x[aA]0|#x200[2-9aAbB]);"
)


def shown(text: str) -> str:
    """The text a reader sees of a line holding HTML: its tags and comments left out, and
    spaces written as entities (`&nbsp;`, `&emsp;`, `&#8203;`: round 72c, an empty spacer
    `<h1>&nbsp;</h1>` was taken for the title)."""
    at = 0
    parts = []
    for start, end in html_hidden_spans(text):
        parts.append(text[at:start])
        at = end
    text = "".join(parts) + text[at:]
    if "&" in text:
        text = _BLANK_ENTITY.sub("", text)
    return text.replace("\u200b", "").strip()


# A markdown image, `![alt](src)`, and what is left of a link around one, `[` and `](href)`:
# no nested quantifier, so no backtracking.
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK_PARTS = re.compile(r"\]\([^)\n]*\)|\[")


def only_images(line: str) -> bool:
    """Whether a line shows images and nothing else, linked or not (`[![Open In
    Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://...)`, an
    `<img>` in an `<a>`): a badge or a logo, not text."""
    if not shows_image(line):
        return not line.strip()
    return not shown(_LINK_PARTS.sub("", _IMAGE.sub("", line)))


def shows_image(text: str) -> bool:
    """Whether a line shows an image: an `<img>` tag (not one in a comment or an attribute:
    round 72c) or a markdown image."""
    spans = html_hidden_spans(text) if "<" in text else []
    return "![" in text or any(text[start : start + 4].lower() == "<img" for start, _ in spans)


def html_hidden_spans(text: str) -> list[tuple[int, int]]:
    """Where a line's tags (`<img src="v0.0.9/logo.png">`, a `>` in a quoted attribute
    included) and comments (`<!-- v0.0.9 -->`) are: a version there is not shown. One pass,
    each tag's scan stopping at the next `<` outside quotes."""
    spans: list[tuple[int, int]] = []
    at = text.find("<")
    while at >= 0:
        if text.startswith("<!--", at):
            close = text.find("-->", at + 2)
            end = len(text) if close < 0 else close + 3
        elif text[at + 1 : at + 2].isalpha() or text[at + 1 : at + 2] == "/":
            end = tag_end(text, at)
        else:
            end = -1
        if end > 0:
            spans.append((at, end))
        at = text.find("<", max(end, at + 1))
    return spans


def tag_end(text: str, at: int) -> int:
    """Just after the `>` closing the tag opened at `at`, quoted attributes skipped; -1 when
    another `<` or the line's end comes first."""
    quote = ""
    for index in range(at + 1, len(text)):
        char = text[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == ">":
            return index + 1
        elif char == "<":
            return -1
    return -1


def is_thematic_break(body: str) -> bool:
    """Whether a line is a rule (`---`, `* * *`, `___`): a break, no text."""
    marks = body.replace(" ", "").replace("\t", "")
    indent = len(body) - len(body.lstrip(" "))
    return indent <= 3 and len(marks) >= 3 and marks[0] in "-*_" and marks == marks[0] * len(marks)


def image_alts(line: str) -> list[tuple[int, int]]:
    """Where a line's images' alt texts are (`![v0.0.1](https://img.shields.io/...)`): a badge
    names what it shows, not a title (round 71a F9: one before the title blocked its bump).
    Each `]` found once: linear."""
    spans = []
    at = line.find("![")
    while at >= 0:
        close = line.find("]", at + 2)
        if close < 0:
            break
        if line.startswith("(", close + 1):
            spans.append((at, close + 1))
        at = line.find("![", close + 1)
    return spans


def delimited(text: str, opening: str, closing: str) -> list[tuple[int, int]]:
    """The spans from each `opening` to the first `closing` after it, both included, each
    searched for once: linear (`~~v0.0.2~~`, a link's `](...)`)."""
    spans = []
    at = text.find(opening)
    while at >= 0:
        close = text.find(closing, at + len(opening))
        if close < 0:
            break
        spans.append((at, close + len(closing)))
        at = text.find(opening, close + len(closing))
    return spans


def merged_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans sorted and merged where they overlap, for `starts_in`'s binary search: a
    title or a heading may name many versions between many tags."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def starts_in(found: re.Match[str], spans: list[tuple[int, int]]) -> bool:
    """Whether a match starts in one of the spans (sorted and merged: `merged_spans`)."""
    index = bisect.bisect_right(spans, (found.start(), len(found.string) + 1)) - 1
    return index >= 0 and spans[index][0] <= found.start() < spans[index][1]

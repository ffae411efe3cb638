"""The new changelog section's heading, written from the topmost old one's as a reader sees
it: its words up to the version, the markup still open at it closed after it, a timestamp
right after it set anew (`rules.version` finds where it goes). Linear-time scans only: a
title cell may be long.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from nbrefactor.rules.markdown_headings import inline_html
from nbrefactor.rules.markdown_inline import delimited, image_alts, merged_spans, starts_in
from nbrefactor.rules.version_text import CLOSING_MARKS, TIMESTAMP, VERSION, restamped


def _unclosed(text: str) -> int:
    """How many of the text's parentheses are left open, reading it left to right."""
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
    return depth


def _closing_marks(text: str) -> int:
    """How many of the text's first characters are closing marks (`CLOSING_MARKS`)."""
    count = 0
    while count < len(text) and text[count] in CLOSING_MARKS:
        count += 1
    return count


# A URL in a changelog heading: a version there names a page.
_URL = re.compile(r"\bhttps?://\S+")
# An HTML tag's name, a closing one's `/` first; a comment has none.
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
# A link's address in its tag.
_HREF = re.compile(r"\shref[ \t]*=", re.IGNORECASE)
# Tags with no closing one: none is left open.
_VOID = frozenset({"br", "img", "hr", "wbr", "input", "source", "area", "col", "embed", "meta"})

# What a shortcode names between its colons (`:tada:`).
_SHORTCODE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_+-")
# Markup closing a heading's text, and its final colon: `**New in v0.0.3:**`.
_CLOSERS = frozenset(":*_~ \t")


def new_section_heading(text: str, new_version: str, now: datetime) -> str:
    """The new changelog heading's text from the topmost old one's: its words up to the
    version, the new version, the marks closing right after it, a timestamp right after it
    set to `now` (and the marks closing after that), and its final colon and closing
    markup; not the rest, an author, a PR link or the old entry's first item in a cell that
    lost some newlines (round 63 F3: they were copied under the new version).

    The version is the first a reader sees: not one in a tag, a comment, an image's alt
    text, a link's target or struck through (round 74a F6: `<a id="v0.0.3"></a>New in
    v0.0.3:` gave `<a id="v0.0.4:`, `~~v0.0.2~~ v0.0.3` a struck-through new version). Of
    the words before it, the tags still open at it (`New in <b>v0.0.3</b>:`) are kept and
    closed after it; other tags, comments and struck-through text are not copied. A tag is
    what CommonMark reads as one (`inline_html`): `<v0.0.3>` is text (round 75a A3).
    """
    tags = list(inline_html(text))
    version = _shown_version(text, tags)
    if version is None:
        linked = _linked_version(text, tags)
        if linked is None:
            return f"New in {new_version}:"  # none shown: the plain heading
        # Only in a link's target (`[Release notes](.../tag/v0.0.3)`): the new release's
        # page, the style kept (round 69).
        return text[: linked.start()] + new_version + text[linked.end() :]
    release = (version.group(0), new_version)
    before, closers = _open_markup(text[: version.start()], tags, release)
    end, written = version.end(), new_version
    if before.count("[") > before.count("]"):  # the version is a link's text
        link = _link_end(text, version.end())
        if link is None:
            return text[: version.start()] + new_version + text[version.end() :]
        end, close, inline = link
        if inline:  # `[v0.0.3](.../tag/v0.0.3)`: the new release's text and page
            written = text[version.start() : end].replace(version.group(0), new_version)
        else:  # `[v0.0.3]`: a reference, whose label `[v0.0.4]` has no definition
            opening = before.rfind("[")
            before = before[:opening] + before[opening + 1 :]
            written = new_version + text[version.end() : close]
    elif before.endswith("<"):  # `<v0.0.3>`, shown as text (round 75a A3)
        if text.startswith(">", end):
            end, written = end + 1, new_version + ">"
        else:
            before = before[:-1]  # closed further on, past what is copied
    rest = text[end:]
    marks = _closing_marks(rest)
    stamp, rest = rest[:marks], rest[marks:]
    if closers and rest[: len(closers)].lower() == closers.lower():
        stamp, rest, closers = stamp + closers, rest[len(closers) :], ""  # `<b>v0.0.3</b>`
        marks = _closing_marks(rest)
        stamp, rest = stamp + rest[:marks], rest[marks:]
    timestamp = TIMESTAMP.match(rest)
    found = (restamped(timestamp, now), timestamp.end()) if timestamp is not None else None
    found = found or _wrapped_timestamp(text, len(text) - len(rest), tags, now)
    if found is not None:
        stamp, rest = stamp + found[0], rest[found[1] :]
        marks = _closing_marks(rest)
        stamp, rest = stamp + rest[:marks], rest[marks:]
    decorations = _decorations(rest)  # ` 🎉`, ` :tada:`
    stamp, rest = stamp + rest[:decorations], rest[decorations:]
    stamp += closers
    # A parenthesis or code span left open by what was cut (`(2025-04-20, #12):`, round 66);
    # a `)` closing nothing (`### 1) New in`, round 67) closes nothing here either.
    opened = before + stamp
    stamp += ")" * _unclosed(opened)
    stamp += "`" * (opened.count("`") % 2)
    kept = len(rest)
    while kept > 0 and rest[kept - 1] in _CLOSERS:
        kept -= 1
    tail = rest[kept:].strip(" \t")
    # Closing markup only for what the words before the version opened and the marks after
    # it did not close (round 68: `**New in v0.0.3** - **breaking**` became `**New in
    # v0.0.4****`).
    for mark in "*_~":
        run = re.compile(re.escape(mark) + "+")
        runs = run.findall(before) + run.findall(stamp)  # apart: `**` then `**` are two
        still_open = len(runs[-1]) if len(runs) % 2 else 0  # `**Changes** in`: none (round 69)
        for _ in range(max(0, tail.count(mark) - still_open)):
            tail = tail.replace(mark, "", 1)
    if ":" not in tail and rest.lstrip(" \t").startswith(":"):
        tail = ":" + tail  # `### New in v0.0.30:- Fixed`: the glued item is the old entry's
    return before + written + stamp + tail


def _wrapped_timestamp(
    text: str, at: int, tags: list[tuple[int, int]], now: datetime
) -> tuple[str, int] | None:
    """A timestamp alone in a tag from `at`, right after the version (` <sub>2025-04-20</sub>`):
    its text set to `now`, and the length of the old (round 75a A5: the date was dropped, as
    it was kept in other styles)."""
    start = len(text) - len(text[at:].lstrip(" \t"))
    tag = _TAG_NAME.match(text, start)
    ends = [end for begin, end in tags if begin == start]
    if tag is None or tag.group(1) or not ends or tag.group(2).lower() == "a":
        return None
    timestamp = TIMESTAMP.match(" " + text[ends[0] :])  # ` 2025-04-20`: its lead a space
    close = ends[0] + (timestamp.end() - 1 if timestamp else 0)
    closing = text[close : close + len(tag.group(2)) + 3]
    if (
        timestamp is None
        or timestamp.group(1) != " "
        or closing.lower() != f"</{tag.group(2)}>".lower()
    ):
        return None
    return text[at : ends[0]] + restamped(timestamp, now)[1:] + closing, close + len(closing) - at


def _decorations(text: str) -> int:
    """How many of the text's first characters are emoji and shortcodes after spaces (` 🎉`, `
    :tada:`): a heading's decoration, copied (round 75a A5: dropped, and a shortcode's last
    `:` taken for the heading's colon)."""
    kept = 0
    while True:
        at = kept
        while at < len(text) and text[at] in " \t":
            at += 1
        end = at
        while end < len(text) and _is_emoji(text[end]):
            end += 1
        if end == at and at > kept and text.startswith(":", at):
            code = at + 1
            while code < len(text) and text[code] in _SHORTCODE:
                code += 1
            end = code + 1 if code > at + 1 and text.startswith(":", code) else at
        if end == at:
            return kept
        kept = end


def _is_emoji(char: str) -> bool:
    """Whether a character is part of an emoji: a symbol past ASCII, a skin tone, a joiner."""
    return not char.isascii() and (
        unicodedata.category(char) in ("So", "Sk") or char in "\u200d\ufe0f"
    )


def _shown_version(text: str, tags: list[tuple[int, int]]) -> re.Match[str] | None:
    """The first version of a heading's text a reader sees as text (`new_section_heading`),
    `tags` its tags and comments."""
    spans = merged_spans(_unshown(text, tags))
    for found in VERSION.finditer(text):
        if not starts_in(found, spans):
            return found
    return None


def _unshown(text: str, tags: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where a heading's text holds what is not read as its words: tags and comments (`tags`),
    images' alt texts, links' targets and struck-through text (`~~v0.0.2~~`)."""
    return tags + image_alts(text) + _targets(text, tags) + _struck(text)


def _targets(text: str, tags: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where a heading's links' targets (`](https://.../v0.0.3)`) and URLs are: a version there
    names a page. Not a URL in a tag: the tag's (round 75a A4: `<a href="https://...">`
    ran on to the link's text, whose version was then not read). Each `](` and `)` found
    once: linear."""
    inside = merged_spans(tags)
    urls = [found.span() for found in _URL.finditer(text) if not starts_in(found, inside)]
    return urls + delimited(text, "](", ")")


def _struck(text: str) -> list[tuple[int, int]]:
    """Where a text's struck-through runs are (`~~v0.0.2~~`), each `~~` found once."""
    return delimited(text, "~~", "~~")


def _open_markup(
    before: str, tags: list[tuple[int, int]], release: tuple[str, str]
) -> tuple[str, str]:
    """The words before a heading's version as they are to be copied, and the tags closing
    those still open at the version, in order (`New in <b>` and `</b>`). Left out: comments,
    struck-through text (an older version: `~~v0.0.2~~`), and tags naming a version or
    anchors and links (`<a id="v0.0.3"></a>`: the old release's id or page) with their
    closing tags; other tags (`<span style=...>`, `<img src="new.png">`) are copied, and so
    is the link whose text the version is, naming the new version where it named the old
    (`<a href="https://x/releases/tag/v0.0.3">`; `release`: old, new), as a markdown link's
    target (round 75a A4: it kept the old release's page)."""
    left_out: list[tuple[int, int]] = _struck(before)
    opened: list[tuple[str, bool]] = []  # each opening tag: name and whether left out
    still_open: list[bool] = []  # whether it is open at the version
    by_name: dict[str, list[int]] = {}  # the open ones' indexes by name: linear
    links: list[tuple[int, int, int]] = []  # each `<a href>`: its index and span
    for start, end in (span for span in tags if span[1] <= len(before)):
        tag = _TAG_NAME.match(before, start)
        if tag is None:
            left_out.append((start, end))  # a comment
            continue
        name = tag.group(2)  # as written: `</B>` closes `<B>`
        drop = name.lower() == "a" or VERSION.search(before, start, end) is not None
        if tag.group(1):
            same = by_name.get(name.lower())
            if same:
                index = same.pop()
                still_open[index] = False
                drop = opened[index][1]
        elif before[end - 2 : end] != "/>" and name.lower() not in _VOID:
            by_name.setdefault(name.lower(), []).append(len(opened))
            if name.lower() == "a" and _HREF.search(before, start, end):
                links.append((len(opened), start, end))
            opened.append((name, drop))
            still_open.append(True)
        if drop:
            left_out.append((start, end))
    rewritten: dict[tuple[int, int], str] = {}  # the link whose text the version is
    for index, start, end in [link for link in links if still_open[link[0]]][-1:]:
        left_out.remove((start, end))
        opened[index] = (opened[index][0], False)
        rewritten[start, end] = _renamed(before[start:end], *release)
    struck = set(_struck(before))
    parts = []
    at = 0
    for start, end in sorted([*left_out, *rewritten]):
        if start < at:
            continue  # in one left out already: a tag in struck-through text
        parts.append(before[at:start] + rewritten.get((start, end), ""))
        at = end
        if (start, end) in struck:
            at = len(before) - len(before[end:].lstrip(" \t"))  # its space too
    parts.append(before[at:])
    words = "".join(parts).lstrip(" \t")  # `<a id="top"></a> New in`: no space first
    kept = [
        name for (name, drop), open_ in zip(opened, still_open, strict=True) if open_ and not drop
    ]
    closers = "".join(f"</{name}>" for name in reversed(kept))
    return words, closers


def _renamed(tag: str, old: str, new: str) -> str:
    """The tag naming the new version where it named the old one."""
    return VERSION.sub(lambda found: new if found.group(0) == old else found.group(0), tag)


def _linked_version(text: str, tags: list[tuple[int, int]]) -> re.Match[str] | None:
    """The first version of a heading's text in a link's target, not in a tag, a comment, an
    alt text or struck through."""
    targets = merged_spans(_targets(text, tags))
    hidden = merged_spans(tags + image_alts(text) + _struck(text))
    for found in VERSION.finditer(text):
        if starts_in(found, targets) and not starts_in(found, hidden):
            return found
    return None


def _link_end(text: str, at: int) -> tuple[int, int, bool] | None:
    """Where the link whose text holds `at` ends, where its text closes, and whether it is an
    inline link (`[v0.0.3](https://...)`) or a reference (`[v0.0.3]`, `[v0.0.3][rel]`, round
    74a F11: its label bumped had no definition, and showed its brackets). None when its
    text or target does not close."""
    close = text.find("]", at)
    if close < 0:
        return None
    if text.startswith("(", close + 1):
        target = text.find(")", close + 1)
        return None if target < 0 else (target + 1, close, True)
    label = text.find("]", close + 1) if text.startswith("[", close + 1) else -1
    return (close + 1 if label < 0 else label + 1), close, False

"""The text of a bumped version: its parts' width and the title's timestamp, written in the
style the notebook already has (`rules.version` finds where; the new changelog heading is
`changelog_heading`'s). Linear-time patterns only: a title cell may be long.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime

from nbrefactor.rules.markdown_inline import html_hidden_spans

# At most 12 digits a part: a longer number is no version (and Python will not print
# an integer of over 4,300 digits).
VERSION = re.compile(r"\bv(\d{1,12})\.(\d{1,12})\.(\d{1,12})\b")
# A timestamp after a version: bare, in parentheses, after a comma or a dash
# (`v0.0.60, 2025-04-20T15:30:00Z`, `v0.0.60 - 2025-04-20`), with its fraction of a second
# and its zone: `Z`, an offset or ` UTC`, written anew as UTC's (the time written is UTC;
# rounds 65 and 66: a `Z` or `UTC` was dropped from a changelog heading, an offset kept
# with the UTC time).
TIMESTAMP = re.compile(
    r"([ \t]+|[ \t]*[(,][ \t]*|[ \t]+-[ \t]+)"
    r"(\d{4}-\d{2}-\d{2})(?:([ T])(\d{2}:\d{2}(?::\d{2})?)(?:\.\d{1,9})?"
    r"(Z|[+-]\d{2}:?\d{2}|[ \t]+UTC\b)?)?"
)
# Marks right after a version or its timestamp, closing what opened before it:
# `**v0.0.37**`, `` `v0.0.37` ``, `(v0.0.37)`, `(v0.0.37 2025-04-20)` (round 65: they were
# dropped from the new changelog heading, leaving `(v0.0.38:`).
CLOSING_MARKS = frozenset("*_~`)]")


# The words a changelog heading may hold before its version (`### New in v0.0.37:`,
# `## Changes in v0.0.37`, `### Release (v0.0.37 ...)`, `### v0.0.37`); a heading naming a
# library's version holds others (`## Requires torch v2.1.0`: round 65, it was taken for the
# changelog and a `## Requires torch v0.0.4` section written).
_CHANGELOG_WORDS = frozenset(
    {"new", "in", "changes", "change", "changed", "what's", "whats", "version", "release"}
    | {"released", "changelog", "updates", "update", "added", "fixed"}
)


# A word of two letters or more: after a changelog heading's version, a date or a time
# holds none but a zone's (`UTC`); `## v2.1.0 torch required` does (round 66).
_WORD = re.compile(r"[^\W\d_]{2,}")
_ZONE_WORDS = frozenset({"utc", "gmt"})


def is_changelog_heading(text: str, current: Collection[tuple[int, ...]]) -> bool:
    """Whether a heading in the title cell is a changelog section's: its version is one of
    `current` (the title's, or the next: a changelog names the notebook's own releases, in
    any words: `### Neu in v0.0.3`; round 66), or, another, it holds only changelog words
    before it and no word after it but a zone's (not `## Requires torch v2.1.0` nor `##
    v2.1.0 torch required`: rounds 65 and 66). Round 67 counted any older version in any
    words (`### v0.0.4 hotfix` under a v0.0.5 title); round 68 then found library headings
    of older versions taken in v1 notebooks, and links rewritten: not kept. A version in a
    path (`/v1.5.3/`) is none."""
    version = VERSION.search(text)
    if version is None:
        return False
    if tuple(int(part) for part in version.groups()) in current:
        return True  # the title's or the next: the notebook's own releases
    if text[version.start() - 1 : version.start()] == "/":
        return False  # another, in a link's target or a path (`.../version/v1.5.3/`)
    words = "".join(
        char if char.isalnum() or char == "'" else " " for char in text[: version.start()]
    )
    if not all(word in _CHANGELOG_WORDS for word in words.lower().split()):
        return False
    after = _WORD.findall(text[version.end() :])
    return all(word.lower() in _ZONE_WORDS for word in after)


def padded(part: int, written: str) -> str:
    """The part in the width of the one written when that was zero-padded: `v0.0.07` becomes
    `v0.0.08`, not `v0.0.8` (round 63 M3); `v0.0.99` becomes `v0.0.100`."""
    width = len(written) if written.startswith("0") else 1
    return str(part).zfill(width)


def retitled(line: str, version: re.Match[str], new_version: str, now: datetime, end: int) -> str:
    """The title's line with the new version, and the timestamp right after the old one set
    to `now` when it is the version's: one that ends the title's text or is closed right
    after (`(v0.0.60 2025-04-20)`), not the start of a period or a data date (`v0.0.1
    (2023-01-01 to 2023-12-31)`, `(v0.0.4, 2020-03-15 data)`; round 70b F2: they were
    overwritten with today's date). `end` is where the title's text ends on the line."""
    rest = line[version.end() :]
    timestamp = TIMESTAMP.match(rest)
    if timestamp and _ends_its_text(line[version.end() + timestamp.end() : end]):
        rest = restamped(timestamp, now) + rest[timestamp.end() :]
    return line[: version.start()] + new_version + rest


def _ends_its_text(after: str) -> bool:
    """Whether the text after a timestamp leaves it the last thing in its parenthesis, markup
    or title: a closing mark next (not a range's `~` before a date), or only closing marks,
    a colon and a final period to the end (round 71a F9: `2025-04-20.` was kept). Tags and
    comments are not read: `(v0.0.3 2025-04-20<!-- stamp -->)` (round 74a F17: kept old)."""
    at = 0
    shown = []
    for start, stop in html_hidden_spans(after) if "<" in after else []:
        shown.append(after[at:start])
        at = stop
    after = "".join(shown) + after[at:]
    closed = after[:1] in CLOSING_MARKS and not after[1:2].isdigit()
    return closed or not after.strip(" \t:." + "".join(CLOSING_MARKS))


def restamped(timestamp: re.Match[str], now: datetime) -> str:
    """The timestamp's text with its lead, set to `now` in the same format (the title's and a
    new changelog heading's: `changelog_heading`)."""
    lead, _, separator, time, zone = timestamp.groups()
    stamp = now.strftime("%Y-%m-%d")
    if time is not None:
        stamp += separator + now.strftime("%H:%M:%S" if time.count(":") == 2 else "%H:%M")
    if zone is not None:
        stamp += (
            zone
            if zone in ("Z", "UTC") or zone.endswith("UTC")
            else ("+00:00" if ":" in zone else "+0000")
        )
    return lead + stamp

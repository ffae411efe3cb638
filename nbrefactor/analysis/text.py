"""Lines of cell text, split and joined the way Python and Jupyter count them."""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from itertools import accumulate, count
from operator import add
from typing import overload

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
# Characters above which `line_starts` finds the breaks one by one rather than splitting.
_SPLIT_AT_MOST = 1_000_000


def split_lines(text: str) -> list[str]:
    """Lines with their endings, splitting only at \\n, \\r\\n and \\r as Python does."""
    return _LINE.findall(text)


def iter_lines(text: str) -> Iterator[str]:
    """`split_lines` one line at a time: a reader that stops early leaves the rest uncut."""
    return (match.group() for match in _LINE.finditer(text))


def line_starts(text: str) -> array[int]:
    """The offset where each line starts (line N at index N - 1), lines ending as in
    `split_lines`; a machine-integer array, 8 bytes a line, for cells of any size.

    Without a \r (nearly every cell), line K + 1 starts after the K first pieces
    between \n's and their K \n's: summed by C iterators, no Python step per line.
    Not for a huge text, whose pieces would all be alive at once (a string each).
    """
    starts = array("q", [0])
    if "\r" in text or len(text) > _SPLIT_AT_MOST:
        starts.extend(match.end() for match in _line_break().finditer(text))
    else:
        pieces = text.split("\n")
        starts.extend(map(add, accumulate(map(len, pieces[:-1])), count(1)))
    return starts


@cache
def _line_break() -> re.Pattern[str]:
    """A line break as Python counts them; compiled when first needed: only a text holding a
    \\r, or a huge one, is cut at each."""
    return re.compile(r"\r\n?|\n")


def line_start(text: str, starts: Sequence[int], line: int) -> int:
    """Where line `line` (1-based) starts, by `line_starts`; the text's end after its last."""
    return starts[line - 1] if line <= len(starts) else len(text)


def whole_lines(text: str, starts: Sequence[int], first: int, last: int) -> str:
    """Lines `first` to `last` (1-based) of the text, endings included, cut without
    splitting the text into lines."""
    return text[line_start(text, starts, first) : line_start(text, starts, last + 1)]


class TextLines(Sequence[str]):
    """The lines of a text as `split_lines` cuts them, each cut from the text when read.

    For a huge cell, whose list of lines would take twice its size in small strings.
    `last_ending` is added to the last line (a cell laid out as if it ended with one).
    `starts`: the text's `line_starts`, when already taken (a reading's), not taken again.
    """

    def __init__(
        self, text: str, last_ending: str = "", starts: Sequence[int] | None = None
    ) -> None:
        self.text = text
        self.starts = line_starts(text) if starts is None else starts
        self.last_ending = last_ending
        self._count = len(self.starts) - (self.starts[-1] == len(text))

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[number] for number in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        if index == self._count - 1:
            return self.text[self.starts[index] :] + self.last_ending
        return self.text[self.starts[index] : self.starts[index + 1]]


def column_offset(text: str, line_start: int, utf8_column: int) -> int:
    """The character offset of `ast`'s column (counted in UTF-8 bytes) on the line starting
    at `line_start`."""
    if utf8_column == 0:
        return line_start
    head = text[line_start : line_start + utf8_column].encode("utf-8", "surrogatepass")
    return line_start + len(head[:utf8_column].decode("utf-8", "surrogatepass"))


def newline_of(lines: Sequence[str]) -> str:
    """The line ending the text uses (its first one), "\\n" when it has none."""
    for line in lines:
        if line.endswith("\r\n"):
            return "\r\n"
        if line.endswith(("\n", "\r")):
            return line[-1]
    return "\n"


def line_around(text: str, position: int) -> tuple[int, str]:
    """Where the line holding `position` starts, and its text without the ending: a line found
    by searching the text (`str.find`), not by splitting it. Lines end at `\n` (a `\r`
    before it stays with the text)."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, text[start : end if end >= 0 else len(text)]


def line_numbers(text: str, offsets: Iterable[int]) -> list[int]:
    """The 1-based line of each character offset (in ascending order), lines ending as in
    `split_lines`: line breaks are counted between one offset and the next, never re-scanned."""
    found = []
    line, position = 1, 0
    only_newlines = "\r" not in text  # nearly every cell: each break a \n, counted in one scan
    for offset in offsets:
        if only_newlines:
            line += text.count("\n", position, offset)
        else:
            line += _breaks(text, position, offset)
        position = offset
        found.append(line)
    return found


def _breaks(text: str, start: int, end: int) -> int:
    """The line breaks (\\n, \\r\\n, \\r) that end within text[start:end]."""
    if end <= start:
        return 0
    count = text.count("\n", start, end) + text.count("\r", start, end)
    count -= text.count("\r\n", start, end)  # a \r\n is one break, counted at its \n
    if text[end - 1] == "\r" and text[end : end + 1] == "\n":
        count -= 1  # a \r\n whose \n is at `end` has not ended yet
    return count


def lines_holding(source: str, markers: tuple[str, ...]) -> list[str]:
    """The lines of `source` (their indent stripped), other than comments, holding one of
    `markers`, in the order they come: found by searching the text, not line by line."""
    lines = (line_around(source, start)[1].lstrip() for start in starts_holding(source, markers))
    return [line for line in lines if not line.startswith("#")]


def starts_holding(text: str, words: tuple[str, ...]) -> list[int]:
    """Where each line holding one of `words` starts, in order, each line once: found with
    `str.find`, which skips through the text many times faster than a pattern steps from
    one line break to the next; once a word is found, its search goes on from the next
    line, so each line is looked at once a word."""
    starts = set()
    for word in words:
        position = text.find(word)
        while position >= 0:
            starts.add(text.rfind("\n", 0, position) + 1)
            end = text.find("\n", position)
            position = -1 if end < 0 else text.find(word, end + 1)
    return sorted(starts)


def stripped_line(text: str, number: int) -> str:
    """Line `number` (1-based) of the text, stripped, for a report: "" past its end. Lines
    are numbered as `ast` numbers them (`split_lines`): a form feed or \\u2028 in the text
    does not end one, as `str.splitlines` would."""
    lines = split_lines(text)
    return lines[number - 1].strip() if 0 < number <= len(lines) else ""


class LinePattern:
    """A pattern matched at the start of each line (after a \\n, as `^` with
    `re.MULTILINE`), found by skipping from \\n to \\n.

    Python's engine tries a multiline `^` at every character of the text; a pattern
    starting with the literal \\n is searched for by skipping ahead to each one, which
    on notebook cells is about three times faster. The pattern must not match across a line
    break, so that matches found line by line are those `finditer` would find.

    `words`, when given, are words one of which every match holds (`import`, `from`):
    the pattern is tried only at the lines holding one (`starts_holding`).
    """

    def __init__(self, pattern: str, words: tuple[str, ...] = ()) -> None:
        self.pattern = re.compile(pattern)
        self._after_break = re.compile(rf"\n(?={pattern})")
        self.words = words

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches starting a line, in order, as `pattern` matches there."""
        if self.words:
            for start in starts_holding(text, self.words):
                match = self.pattern.match(text, start)
                if match is not None:
                    yield match
            return
        first = self.pattern.match(text)
        if first is not None:
            yield first
        for line_break in self._after_break.finditer(text):
            match = self.pattern.match(text, line_break.end())
            if match is not None:  # always: the lookahead matched the same pattern
                yield match

    def search(self, text: str) -> re.Match[str] | None:
        """The first match starting a line, or None."""
        return next(self.finditer(text), None)


@cache
def import_lines() -> LinePattern:
    """A line that starts, after its indent, with `import` or `from`: the match is the line,
    group 1 its text from that word (compiled when first needed, not at every run's start)."""
    return LinePattern(r"[ \t]*((?:import|from)[ \t][^\n]*)", ("import", "from"))

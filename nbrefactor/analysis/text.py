"""Lines of cell text, split and joined the way Python and Jupyter count them."""

from __future__ import annotations

import bisect
import re

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str) -> list[str]:
    """Lines with their endings, splitting only at \\n, \\r\\n and \\r as Python does."""
    return _LINE.findall(text)


def newline_of(lines: list[str]) -> str:
    """The line ending the text uses (its first one), "\\n" when it has none."""
    for line in lines:
        if line.endswith("\r\n"):
            return "\r\n"
        if line.endswith(("\n", "\r")):
            return line[-1]
    return "\n"


def line_ending(line: str) -> str:
    """The ending of one line ("" for a last line without one)."""
    return line[len(line.rstrip("\r\n")) :]


class LineStarts:
    """Character offsets of each line of a text, to cut out line ranges without rescanning."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        for line in split_lines(text):
            self.starts.append(self.starts[-1] + len(line))

    def line_of(self, offset: int) -> int:
        """The 1-based line holding character `offset`."""
        return bisect.bisect_right(self.starts, offset)

    def lines(self, first: int, last: int) -> str:
        """Lines first..last (1-based, inclusive)."""
        return self.text[self.starts[first - 1] : self.starts[min(last, len(self.starts) - 1)]]

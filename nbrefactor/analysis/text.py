"""Lines of cell text, split and joined the way Python and Jupyter count them."""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_BREAK = re.compile(r"\r\n?|\n")


def split_lines(text: str) -> list[str]:
    """Lines with their endings, splitting only at \\n, \\r\\n and \\r as Python does."""
    return _LINE.findall(text)


def line_starts(text: str) -> array[int]:
    """The offset where each line starts (line N at index N - 1), lines ending as in
    `split_lines`; a machine-integer array, 8 bytes a line, for cells of any size."""
    starts = array("q", [0])
    starts.extend(match.end() for match in _BREAK.finditer(text))
    return starts


def column_offset(text: str, line_start: int, utf8_column: int) -> int:
    """The character offset of `ast`'s column (counted in UTF-8 bytes) on the line starting
    at `line_start`."""
    if utf8_column == 0:
        return line_start
    head = text[line_start : line_start + utf8_column].encode("utf-8", "surrogatepass")
    return line_start + len(head[:utf8_column].decode("utf-8", "surrogatepass"))


def newline_of(lines: list[str]) -> str:
    """The line ending the text uses (its first one), "\\n" when it has none."""
    for line in lines:
        if line.endswith("\r\n"):
            return "\r\n"
        if line.endswith(("\n", "\r")):
            return line[-1]
    return "\n"


def line_numbers(text: str, offsets: Iterable[int]) -> list[int]:
    """The 1-based line of each character offset (in ascending order), lines ending as in
    `split_lines`: line breaks are counted between one offset and the next, never re-scanned."""
    found = []
    line, position = 1, 0
    for offset in offsets:
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

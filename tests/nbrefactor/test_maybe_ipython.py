"""The quick test before masking: the same answer as one pattern of alternatives."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from nbrefactor.analysis.magics import _maybe_ipython, mask_magics
from nbrefactor.analysis.text import split_lines

# The definition, on each line as Python splits them (at `\r\n`, `\n` and `\r`): a line
# starting with `!`, `%` or `?`, a line ending with `?`, `= !`/`= %`.
_ONE_PATTERN = re.compile(r"\A[ \t]*[!%?]|\?[ \t]*\Z|=[ \t]*[!%]")


def _one_pattern(source: str) -> bool:
    lines = (line.rstrip("\r\n") for line in split_lines(source))
    return any(_ONE_PATTERN.search(line) for line in lines)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="ab!%?= \t\n\r", max_size=40))
def test_the_same_as_one_pattern(source: str) -> None:
    assert _maybe_ipython(source) == _one_pattern(source)


def test_lines_ended_by_a_carriage_return_are_looked_at() -> None:
    """A help query before `\r\n`, a magic after a lone `\r`: both were missed."""
    assert _maybe_ipython("smooth?\r\n")
    assert _maybe_ipython("y = 1\r%who\r")
    assert "%who" not in mask_magics("y = 1\r%who\r").text


def test_a_magic_on_a_later_line_is_masked() -> None:
    masked = mask_magics("x = 1\n  %time f(x)\ny = 2\n")
    assert masked.prefixes and "%time" not in masked.text

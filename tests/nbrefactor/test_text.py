"""Line numbers of offsets agree with the lines `split_lines` gives, for every line ending;
line patterns find what `re.MULTILINE`'s `^` finds, and two literal patterns what one of two
alternatives finds."""

from __future__ import annotations

import ast
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbrefactor.analysis.notebook_imports import defined_names
from nbrefactor.analysis.text import (
    LinePattern,
    line_numbers,
    line_starts,
    split_lines,
    stripped_line,
)


def _line_of(text: str, offset: int) -> int:
    """The 1-based line holding `offset`, from the split lines."""
    end = 0
    for number, line in enumerate(split_lines(text), start=1):
        end += len(line)
        if offset < end:
            return number
    return len(split_lines(text)) + 1


@given(st.text(alphabet="ab\r\n", max_size=30), st.data())
def test_line_numbers_match_split_lines(text, data):
    offsets = sorted(
        data.draw(st.lists(st.integers(0, max(len(text) - 1, 0)), max_size=6)) if text else []
    )
    assert line_numbers(text, offsets) == [_line_of(text, offset) for offset in offsets]


@given(st.text(alphabet="ab\r\n\x0c\u2028", max_size=30))
def test_line_starts_are_where_split_lines_start(text):
    lengths = [len(line) for line in split_lines(text)]
    expected = [sum(lengths[:index]) for index in range(len(lengths) + 1)]
    if not text or text.endswith(("\n", "\r")):
        pass  # after a final break, the empty last line starts at the end
    else:
        expected.pop()  # the last line has no break: no line after it
    assert list(line_starts(text)) == expected


# The line patterns the reader searches cells with (notebook_imports, import_cell,
# wildcard_lines, mentions).
# Each with the words one of which its every match holds (`LinePattern`'s `words`).
_LINE_PATTERNS = {
    r"[ \t]*(?:import|from)[ \t][^\n]*": ("import", "from"),
    r"[ \t]*((?:import|from)[ \t][^\n]*)": ("import", "from"),
    r"[ \t]*(?:from[ \t]|import[ \t]|%)[^\n]*": ("from", "import", "%"),
    r"[ \t]*from[ \t]+viz_utils[ \t]+import\b": ("from",),
}


@pytest.mark.parametrize("pattern", _LINE_PATTERNS)
@given(
    st.lists(
        st.sampled_from(["import", "from", " ", "\t", "\n", "\r", "%", "x", "viz_utils", "#"]),
        max_size=14,
    ).map("".join)
)
def test_line_pattern_finds_what_a_multiline_caret_finds(pattern, text):
    expected = re.compile(f"^{pattern}", re.MULTILINE)
    found = [(m.span(), m.groups()) for m in LinePattern(pattern).finditer(text)]
    assert found == [(m.span(), m.groups()) for m in expected.finditer(text)]
    first = LinePattern(pattern).search(text)
    assert (first and first.span()) == (expected.search(text) and expected.search(text).span())
    words = _LINE_PATTERNS[pattern]
    found = [(m.span(), m.groups()) for m in LinePattern(pattern, words).finditer(text)]
    assert found == [(m.span(), m.groups()) for m in expected.finditer(text)]


@given(
    st.lists(
        st.sampled_from(["def", "class", " ", "\t", "\n", "x", "_1", "(", "async "]), max_size=16
    ).map("".join)
)
def test_defined_names_are_what_one_pattern_of_alternatives_finds(text):
    assert defined_names(text) == re.findall(r"(?:def|class)[ \t]+(\w+)", text)


@pytest.mark.parametrize(
    "text",
    [
        "x = 1\n\x0cy = 2\n",  # a form feed starts the line: whitespace to the parser
        "s = 'a\u2028b'\nz = 3\n",  # \u2028 inside a string
        "# note\x1c here\nw = 4\r\nv = 5\rq = 6",  # \x1c in a comment; \r\n and \r
    ],
)
def test_stripped_line_is_the_line_ast_numbers(text):
    for statement in ast.parse(text).body:
        line = stripped_line(text, statement.lineno)
        assert line.startswith(ast.unparse(statement.targets[0])), (statement.lineno, line)
    assert stripped_line(text, 0) == stripped_line(text, 99) == ""

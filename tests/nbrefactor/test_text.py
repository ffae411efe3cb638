"""Line numbers of offsets agree with the lines `split_lines` gives, for every line ending."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nbrefactor.analysis.text import _found_line_starts, line_numbers, line_starts, split_lines


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


@given(
    st.one_of(
        st.text(alphabet="ab\r\n", max_size=30),
        st.text(alphabet="ab\r\n\f\v\x1c\x85\u2028", max_size=30),
    )
)
def test_line_starts_are_where_split_lines_start(text):
    """Also with the endings `str.splitlines` cuts at and Python does not."""
    lines = split_lines(text)
    expected = [0]
    for line in lines:
        if line.endswith(("\n", "\r")):
            expected.append(expected[-1] + len(line))
    assert list(line_starts(text)) == expected
    assert list(_found_line_starts(text)) == expected  # as a huge text's are found

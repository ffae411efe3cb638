"""The quick test before masking: the same answer as one pattern of alternatives."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from nbrefactor.analysis.magics import _maybe_ipython, mask_magics

# The definition: a line starting with `!`, `%` or `?`, a line ending with `?`, `= !`/`= %`.
_ONE_PATTERN = re.compile(r"^[ \t]*[!%?]|\?[ \t]*$|=[ \t]*[!%]", re.MULTILINE)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="ab!%?= \t\n\r", max_size=40))
def test_the_same_as_one_pattern(source: str) -> None:
    assert _maybe_ipython(source) == (_ONE_PATTERN.search(source) is not None)


def test_a_magic_on_a_later_line_is_masked() -> None:
    masked = mask_magics("x = 1\n  %time f(x)\ny = 2\n")
    assert masked.prefixes and "%time" not in masked.text

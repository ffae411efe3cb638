"""IPython's prompts pasted with the code (`In [3]: x = 1`), which IPython strips.

A cell copied from an IPython session keeps its prompts. IPython removes them
before running the cell (`ipython_prompt`, one of its cleanup transforms) when
the cell's first line starts with `In [N]: `, or its second with one or the
continuation prompt `...: `. Python reads `In [3]: describe = len` as an annotated
assignment to `In[3]`, so what the line binds (`describe`) would be read as a
use: such a cell is not read (re-check 46), as `>>> ` prompts, which do not parse,
are not.
"""

from __future__ import annotations

import re
from functools import cache

# The text before the first line that is not blank, as IPython's `leading_empty_lines`
# drops it (with `leading_indent`, which `magics.without_indent` mirrors, run before).
_LEADING_BLANK_LINES = re.compile(r"(?:[ \t\f]*(?:\r\n|\r|\n))*")


@cache
def _prompts() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """IPython 9's patterns: the first line's prompt, and either prompt. Compiled when a
    cell's text starts as one could."""
    first = r"(?:(?:\[nav\]|\[ins\])? )?In \[\d+\]: "
    return re.compile(first), re.compile(rf"{first}|[ \t\f\v]*\.{{3,}}: ?")


def pasted_prompt(source: str) -> str | None:
    """The prompt IPython strips from the cell (`In [3]:`), or None when it strips none."""
    blank = _LEADING_BLANK_LINES.match(source)  # always matches, perhaps nothing
    start = blank.end() if blank else 0
    newline = source.find("\n", start)
    if newline < 0:
        head, second = source[start:], None
    else:
        end = source.find("\n", newline + 1)
        head, second = source[start : end if end >= 0 else len(source)], newline + 1 - start
    if "In [" not in head and "...:" not in head:
        return None  # most cells: the first two lines hold no prompt
    initial, either = _prompts()
    found = initial.match(head) or (either.match(head, second) if second is not None else None)
    return found.group(0).strip() if found else None

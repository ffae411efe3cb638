"""Where a name could be bound in a cell's text, found without parsing it.

Finding the cells that bind a notebook variable must not parse every cell
that mentions, say, `plt`. An occurrence preceded by `.`, or followed (after
spaces) by `.`, `(` or `[`, or on a plain `import`/`from` line, cannot bind
the name by anything but an import or a `def`/`class`: only the lines with
another kind of occurrence are worth reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache


def binding_lines(source: str, name: str, start: int = 0) -> Iterator[int]:
    """Lines where `name` stands as a word in a way that could bind it by something other
    than an import, a `def` or a `class`.

    `start`: a position before which `name` occurs nowhere in `source` (the caller's
    `str.find` of it, which skips text faster than the pattern's search): the scan
    begins there, as no match can begin before it.

    Sound, and linear in the text: `x.name`, `name.attr`, `name(`, `name[` never bind
    `name` by assignment; nor does a plain `import`/`from` line (without `;` or `=`).
    The occurrences followed by `.`, `(` or `[` (most: `plt.plot(`) are passed over
    by the pattern, in C; the character before is checked here.
    """
    line = 1
    line_start = 0
    counted = 0  # newlines counted up to here
    import_lines: dict[int, bool] = {}  # line start -> whether it is a plain import line
    for match in _occurrence(name).finditer(source, start):
        position = match.start()
        if position > 0 and after_word_or_dot(source[position - 1]):
            continue
        line += source.count("\n", counted, position)
        newline = source.rfind("\n", counted, position)
        line_start = newline + 1 if newline >= 0 else line_start
        counted = position
        if line_start not in import_lines:
            import_lines[line_start] = _plain_import_line(source, line_start)
        if not import_lines[line_start]:
            yield line


@lru_cache(maxsize=512)
def _occurrence(name: str) -> re.Pattern[str]:
    """`name` not followed by a word character, nor (after spaces) by `.`, `(` or `[`.

    Starting with the literal lets the engine skip ahead to each occurrence; the
    lookaheads are bounded by the spaces after it: linear.
    """
    return re.compile(rf"{re.escape(name)}(?!\w)(?![ \t]*[.(\[])")


def after_word_or_dot(character: str) -> bool:
    """Whether a name found right after `character` is the end of another name (`layer_2`)
    or an attribute (`x.name`), not a name of its own."""
    return character == "." or character.isalnum() or character == "_"


def _plain_import_line(source: str, line_start: int) -> bool:
    line_end = source.find("\n", line_start)
    line = source[line_start : line_end if line_end >= 0 else len(source)].lstrip()
    return line.startswith(("import ", "from ")) and ";" not in line and "=" not in line

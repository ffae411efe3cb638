"""Where a name could be bound in a cell's text, found without parsing it.

Finding the cells that bind a notebook variable must not parse every cell
that mentions, say, `plt`. An occurrence preceded by `.`, or followed (after
spaces) by `.`, `(` or `[`, or on a plain `import`/`from` line, cannot bind
the name by anything but an import or a `def`/`class`: only the lines with
another kind of occurrence are worth reading. One `str.find` loop: linear.
"""

from __future__ import annotations

from collections.abc import Iterator


def binding_lines(source: str, name: str) -> Iterator[int]:
    """Lines where `name` stands as a word in a way that could bind it by something other
    than an import, a `def` or a `class`.

    Sound, and linear in the text: `x.name`, `name.attr`, `name(`, `name[` never bind
    `name` by assignment; nor does a plain `import`/`from` line (without `;` or `=`).
    """
    line = 1
    line_start = 0
    counted = 0  # newlines counted up to here
    import_lines: dict[int, bool] = {}  # line start -> whether it is a plain import line
    position = source.find(name)
    while position >= 0:
        end = position + len(name)
        line += source.count("\n", counted, position)
        newline = source.rfind("\n", counted, position)
        line_start = newline + 1 if newline >= 0 else line_start
        counted = position
        before = source[position - 1] if position > 0 else ""
        after = source[end] if end < len(source) else ""
        if not _word(before) and not _word(after) and not _cannot_bind(source, position, end):
            if line_start not in import_lines:
                import_lines[line_start] = _plain_import_line(source, line_start)
            if not import_lines[line_start]:
                yield line
        position = source.find(name, end)


def _cannot_bind(source: str, position: int, end: int) -> bool:
    """Whether the word at position..end is an attribute, or the head of an attribute,
    call or subscript."""
    if position > 0 and source[position - 1] == ".":
        return True
    rest = end
    while rest < len(source) and source[rest] in " \t":
        rest += 1
    return rest < len(source) and source[rest] in ".(["


def _plain_import_line(source: str, line_start: int) -> bool:
    line_end = source.find("\n", line_start)
    line = source[line_start : line_end if line_end >= 0 else len(source)].lstrip()
    return line.startswith(("import ", "from ")) and ";" not in line and "=" not in line


def _word(character: str) -> bool:
    return character.isalnum() or character == "_"

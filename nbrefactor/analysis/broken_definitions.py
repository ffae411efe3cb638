"""The definitions of a cell that does not parse, read apart from the lines around them.

A `def` of a watched name in a broken cell (`tolerant`) is found from its own
lines: parsed whole when it parses up to a stray line the cutting took with it
(a `)`, an `else:` at column 0), or read from its header alone when its own body
does not parse. `headers` reads the header of a definition the same way.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Sequence
from functools import cache

from nbrefactor.analysis.mentions import DEF_BLANK
from nbrefactor.analysis.parsing import AST_ERRORS

# Lines tried for a broken definition's header (`def f(a,\n b):` may span several).
_HEADER_LINES = 30


@cache
def _def_line() -> re.Pattern[str]:
    """A line starting with a `def`, group 1 its name, the blanks between as the text gate
    reads them (`mentions.DEF_BLANK`: `def \\` then `f(x):` on the next line); compiled
    when first needed: only a cell that does not parse is asked."""
    return re.compile(rf"(?:async{DEF_BLANK}+)?def{DEF_BLANK}+(\w+){DEF_BLANK}*\(")


def parse_at(text: str, first: int) -> ast.Module:
    """`text` parsed as the cell's lines from `first` on.

    Leading newlines give every node its line in the cell as the parser
    makes it: no walk over the tree afterwards to renumber it
    (`ast.increment_lineno`), which cost more than the parse.
    """
    return ast.parse("\n" * (first - 1) + text)


def definition_before_stray_line(
    lines: Sequence[str],
    first: int,
    last: int,
    names: Collection[str],
    in_strings: Collection[int],
) -> tuple[ast.stmt, int] | None:
    """A `def` of a watched name that parses on its own lines, followed in its piece by a
    line at column 0 that the cutting took as its continuation and that does not parse with
    it (sweep 24: a stray `)`, an `else:` after a def pasted between an `if` and its
    `else`): the def, and the first of those lines. They are not the def's body: removing
    the def must leave them."""
    start = _watched_def_line(lines, first, last, names)
    if start is None:
        return None
    for stray in range(start + 1, last + 1):
        line = lines[stray - 1]
        if line[:1] in ("", " ", "\t", "#", "\r", "\n") or stray in in_strings:
            continue
        try:
            tree = parse_at("".join(lines[first - 1 : stray - 1]), first)
        except AST_ERRORS:
            continue  # not the def's end: its header's `):` at column 0, say
        body = tree.body
        if len(body) == 1 and isinstance(body[0], (ast.FunctionDef, ast.AsyncFunctionDef)):
            return body[0], stray
        return None
    return None


def _watched_def_line(
    lines: Sequence[str], first: int, last: int, names: Collection[str]
) -> int | None:
    """The `def` line of a watched name that the piece first..last starts with, below its
    decorators; None when it starts with none."""
    start = first
    while start <= last and lines[start - 1].startswith("@"):
        start += 1
    match = _def_line().match(_joined_line(lines, start, last)) if start <= last else None
    if match is None or match.group(1) not in names:
        return None
    return start


def _joined_line(lines: Sequence[str], start: int, last: int) -> str:
    """Line `start` with the lines its ending backslashes continue (at most `_HEADER_LINES`,
    none past `last`): `def \\` then `f(x):` is one line to Python."""
    end = start
    limit = min(last, start + _HEADER_LINES)
    while end < limit and lines[end - 1].rstrip("\r\n").endswith("\\"):
        end += 1
    return "".join(lines[start - 1 : end])


def parses_without(lines: Sequence[str], first: int, last: int) -> bool:
    """Whether the cell parses once lines `first` to `last` are gone: a def pasted between
    an `if` and its `else` is what breaks the cell, and removing it would make the cell run
    what it never ran, read as nobody read it. The def is then left unread (an unknown
    binding, kept), as the lines around it."""
    try:
        ast.parse("".join([*lines[: first - 1], *lines[last:]]))
    except AST_ERRORS:
        return False
    return True


def broken_definition(
    lines: Sequence[str], first: int, last: int, names: Collection[str]
) -> ast.FunctionDef | None:
    """A `def` of a watched name whose body does not parse, read from its header alone."""
    start = _watched_def_line(lines, first, last, names)
    if start is None:
        return None
    node = definition_header(lines, first, start, last)
    if node is None:
        return None
    body_line = min(node.body[0].lineno, last)
    text = lines[body_line - 1]
    indent = len(text) - len(text.lstrip(" \t"))
    node.body = [ast.Pass(lineno=body_line, col_offset=indent, end_lineno=last, end_col_offset=0)]
    node.end_lineno = last
    node.end_col_offset = len(lines[last - 1].rstrip("\r\n").encode("utf-8"))
    return node


def definition_header(
    lines: Sequence[str], first: int, start: int, last: int
) -> ast.FunctionDef | None:
    """The `def` on line `start` (decorated from line `first`), read from its header alone.

    Its body is a `pass` on the line after the header. The header is the
    fewest lines from `start` (at most `_HEADER_LINES`, none past `last`) that
    parse with that body: a shorter run of lines cuts the parameters' brackets
    or the closing colon, so the first that parses is the def's own header.
    None when none does, or when what parses is not one `def`.
    """
    for header_end in range(start, min(last, start + _HEADER_LINES) + 1):
        if _inside_brackets(lines[header_end - 1]):
            continue
        header = "".join(lines[first - 1 : header_end]).rstrip() + "\n    pass\n"
        try:
            tree = parse_at(header, first)
        except AST_ERRORS:
            continue
        node = tree.body[0] if len(tree.body) == 1 else None
        return node if isinstance(node, ast.FunctionDef) else None
    return None


def _inside_brackets(line: str) -> bool:
    """Whether a header cannot end with this line, from its text alone, so that it is not
    parsed: a line ending with `(`, `[`, `{` or `,` outside a comment (it holds no `#`) ends
    inside a string, which the `pass` after it leaves open, or inside brackets, where the
    `pass` does not parse, or ends a statement of a body whose header ended on an earlier
    line, which parsed first. A header spread over lines, one parameter a line
    (`def f(\n    a,\n    b,\n):`), is parsed once, not once a line: a failed parse costs
    more than one that succeeds."""
    text = line.rstrip()
    return text.endswith(("(", "[", "{", ",")) and "#" not in text

"""Which lines of a cell belong to which top-level statement, as libcst attributes them.

A cell is cut into pieces, one per line-group of top-level statements (`a = 1;
b = 2` on one line is one group). A piece's *leading* lines are the blank and
comment lines above it; its *body* is its own lines plus, for a statement
ending in an indented block, the block's footer: the following blank and
comment lines up to the last one indented at the block's level. Lines after
the last piece are the cell's footer.

Removing a piece takes its body and the comment lines directly above it (no
blank line between: they describe it); the blank lines around it are joined,
keeping the longer run, so the layout between the neighbours stays as it was.
These are libcst's rules; nbrefactor applies them to text so that it can edit
cells libcst cannot parse, at a fraction of the cost (the tests check the two
agree).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.analysis.text import split_lines


@dataclass(frozen=True)
class Piece:
    leading: tuple[str, ...]  # blank and comment lines above it
    body: tuple[str, ...]  # its own lines and its block's footer
    first_line: int = 0  # 1-based line of the body's first line in the cell (0: new text)

    def replaced_text(self, start: int, end: int, replacement: str) -> Piece:
        """The piece with body characters start..end replaced."""
        text = "".join(self.body)
        new_body = text[:start] + replacement + text[end:]
        return Piece(self.leading, tuple(split_lines(new_body)), self.first_line)


def cell_pieces(
    lines: Sequence[str], statements: Sequence[ast.stmt]
) -> tuple[list[Piece], list[int], tuple[str, ...]]:
    """The pieces of a cell, the piece of each statement, and the cell's footer lines."""
    groups: list[list] = []  # [first line, last line, last statement]
    group_of = []
    for statement in statements:
        first, last = statement_lines(statement)
        if groups and first <= groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], last)
            groups[-1][2] = statement
        else:
            groups.append([first, last, statement])
        group_of.append(len(groups) - 1)
    pieces = []
    position = 1  # the first line not yet given to a piece
    for index, (first, last, statement) in enumerate(groups):
        next_first = groups[index + 1][0] if index + 1 < len(groups) else len(lines) + 1
        end = last
        indent = block_indent(statement, lines)
        if indent is not None:
            for number in range(last + 1, next_first):
                if lines[number - 1].startswith(indent):
                    end = number
        pieces.append(
            Piece(tuple(lines[position - 1 : first - 1]), tuple(lines[first - 1 : end]), first)
        )
        position = end + 1
    return pieces, group_of, tuple(lines[position - 1 :])


def join_pieces(
    ordered: Iterable[tuple[Piece, bool]], footer: Sequence[str], mark: Piece | None = None
) -> tuple[list[str], int | None]:
    """The lines of the cell made of these (piece, removed?) in order, then the footer,
    and the index of the line just after the `mark` piece (None when it is not there)."""
    after_mark = None
    out: list[str] = []
    kept = False
    pending: Sequence[str] | None = None  # lines of removed pieces still to place
    for piece, removed in ordered:
        lines = list(piece.leading)
        if pending is not None:
            lines = _joined(pending, lines)
            if not kept:
                lines = _without_blanks(lines, leading=True)
        if removed:
            pending, _ = split_attached(lines)
            continue
        pending = None
        out += lines
        out += piece.body
        kept = True
        if piece is mark:
            after_mark = len(out)
    end = list(footer)
    if pending is not None:
        end = _without_blanks(_joined(pending, end), leading=not kept, trailing=True)
    return out + end, after_mark


def space_after_import(lines: list[str], index: int, newline: str) -> list[str]:
    """The blank lines right after an import at `index` set as black sets them.

    One blank line before code, two before a `def`, `class` or decorator
    (comments in between count as what they stand before); the spacing before
    another import, or at the end of the cell, is left as it is.
    """
    end = index
    while end < len(lines) and _is_blank(lines[end]):
        end += 1
    following = end
    while following < len(lines) and lines[following].lstrip().startswith("#"):
        following += 1
    if following == len(lines):
        return lines
    code = lines[following]
    if code.startswith(("import ", "from ")):
        return lines
    wanted = 2 if code.startswith(("def ", "class ", "@", "async def ")) else 1
    return lines[:index] + [newline] * wanted + lines[end:]


def split_attached(lines: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(detached, attached): attached is the comment block touching the statement below."""
    start = len(lines)
    while start > 0 and not _is_blank(lines[start - 1]):
        start -= 1
    return tuple(lines[:start]), tuple(lines[start:])


def block_indent(statement: ast.stmt, lines: Sequence[str]) -> str | None:
    """The indentation of the statement's last indented block, None when it has none."""
    block = _last_block(statement, lines)
    return _indent_of_block(block, lines) if block else None


def default_indent(statements: Sequence[ast.stmt], lines: Sequence[str]) -> str:
    """The cell's indentation unit, as libcst finds it: its first indented block's, else 4 spaces."""
    for statement in statements:
        for block in _blocks(statement):
            indent = _indent_of_block(block, lines)
            if indent is not None:
                return indent
    return "    "


def _blocks(statement: ast.stmt) -> list[list[ast.stmt]]:
    """The statement's blocks in source order (one level deep)."""
    blocks = [getattr(statement, "body", None) or []]
    blocks += [handler.body for handler in getattr(statement, "handlers", ())]
    blocks += [case.body for case in getattr(statement, "cases", ())]
    blocks += [
        getattr(statement, "orelse", None) or [],
        getattr(statement, "finalbody", None) or [],
    ]
    return [block for block in blocks if block and isinstance(block, list)]


def _indent_of_block(block: list[ast.stmt], lines: Sequence[str]) -> str | None:
    """The indentation of a block whose first statement starts its line; None for `if x: y`."""
    first = block[0]
    line = lines[first.lineno - 1]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    return indent if len(indent.encode("utf-8")) == first.col_offset else None


def _last_block(statement: ast.stmt, lines: Sequence[str]) -> list[ast.stmt]:
    if isinstance(statement, ast.If) and statement.orelse:
        nested = statement.orelse[0]
        is_elif = (
            len(statement.orelse) == 1
            and isinstance(nested, ast.If)
            and lines[nested.lineno - 1].lstrip().startswith("elif")
        )
        return _last_block(nested, lines) if is_elif else statement.orelse
    if isinstance(statement, (ast.Try, ast.TryStar)):
        if statement.finalbody:
            return statement.finalbody
        if statement.orelse:
            return statement.orelse
        if statement.handlers:
            return statement.handlers[-1].body
        return statement.body
    if isinstance(statement, (ast.For, ast.AsyncFor, ast.While)):
        return statement.orelse or statement.body
    if isinstance(statement, ast.Match):
        return statement.cases[-1].body if statement.cases else []
    return getattr(statement, "body", None) or []


def _is_blank(line: str) -> bool:
    return not line.strip()


def _joined(first: Sequence[str], second: Sequence[str]) -> list[str]:
    """Concatenate, keeping the longer of the two blank runs where they meet."""
    trailing = 0
    while trailing < len(first) and _is_blank(first[len(first) - 1 - trailing]):
        trailing += 1
    leading = 0
    while leading < len(second) and _is_blank(second[leading]):
        leading += 1
    if trailing <= leading:
        return list(first[: len(first) - trailing]) + list(second)
    return list(first) + list(second[leading:])


def _without_blanks(
    lines: Sequence[str], leading: bool = False, trailing: bool = False
) -> list[str]:
    start, end = 0, len(lines)
    if leading:
        while start < end and _is_blank(lines[start]):
            start += 1
    if trailing:
        while end > start and _is_blank(lines[end - 1]):
            end -= 1
    return list(lines[start:end])

"""The indentation of a cell's blocks, as libcst reads it.

`layout` asks for a statement's last indented block (whose indentation bounds the
statement's footer: the comment lines that belong to it), and `edit` for the
cell's indentation unit, with which a new or merged import that spans several
lines is indented.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence


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

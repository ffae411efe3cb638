"""What tree-sitter, a parser that recovers from errors, tells about a cell `ast` rejects.

Which lines lie inside strings (so that cutting the cell into statements
never cuts a string), whether a name stands in a string or a comment, and the
argument shape of a call whose own text reads. tree-sitter is imported only
when a cell does not parse.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from typing import TYPE_CHECKING

from nbrefactor.analysis.events import CallShape
from nbrefactor.analysis.parsing import AST_ERRORS

if TYPE_CHECKING:
    from tree_sitter import Node, Parser, Query, Tree


@lru_cache(maxsize=1)
def _parser() -> Parser:
    import tree_sitter  # imported only when a cell does not parse
    import tree_sitter_python

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_python.language()))


@lru_cache(maxsize=1)
def _strings_query() -> Query:
    import tree_sitter

    language = _parser().language
    assert language is not None
    return tree_sitter.Query(language, "(string) @string")


def parse_recovering(text: str) -> Tree:
    return _parser().parse(text.encode("utf-8"))


def lines_in_strings(syntax: Tree) -> set[int]:
    """Lines (1-based) that continue a string begun on an earlier line.

    A triple-quoted string that never closes runs to the end of the cell:
    tree-sitter would read its text as code.
    """
    import tree_sitter

    found: set[int] = set()
    captures = tree_sitter.QueryCursor(_strings_query()).captures(syntax.root_node)
    for node in captures.get("string", []):
        start, end = node.start_point.row + 1, node.end_point.row + 1
        found.update(range(start + 1, end + 1))
    for node in _unterminated_triple_quotes(syntax.root_node):
        found.update(range(node.start_point.row + 2, syntax.root_node.end_point.row + 2))
    return found


def _unterminated_triple_quotes(root: Node) -> list[Node]:
    """`string_start` tokens of triple-quoted strings with no end, where tree-sitter gave up."""
    if not root.has_error:
        return []
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        text = node.text or b""
        if node.type == "string_start" and text.lstrip(b"rRbBuUfF")[:3] in (b'"""', b"'''"):
            parent = node.parent
            if (
                parent is None
                or parent.type != "string"
                or parent.child_count < 2
                or (parent.children[-1].type != "string_end" or parent.children[-1].is_missing)
            ):
                found.append(node)
        elif node.has_error:
            stack.extend(node.children)
    return found


def in_string_or_comment(node: Node | None) -> bool:
    while node is not None:
        if node.type in ("string", "comment", "string_content"):
            return True
        node = node.parent
    return False


def call_shape(node: Node) -> CallShape | None:
    """The argument shape of the call whose function is `node`, read by `ast` from its own text."""
    parent = node.parent
    if parent is None or parent.type != "call" or parent.child_by_field_name("function") != node:
        return None
    if parent.has_error or parent.text is None:
        return None
    try:
        expression = ast.parse(parent.text.decode("utf-8"), mode="eval").body
    except (*AST_ERRORS, UnicodeDecodeError):
        return None
    return CallShape.of(expression) if isinstance(expression, ast.Call) else None

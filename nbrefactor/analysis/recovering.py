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
    from tree_sitter import Node, Parser, Tree


@lru_cache(maxsize=1)
def _parser() -> Parser:
    import tree_sitter  # imported only when a cell does not parse
    import tree_sitter_python

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_python.language()))


def parse_recovering(text: str) -> Tree:
    return _parser().parse(text.encode("utf-8"))


def lines_in_strings(syntax: Tree) -> set[int]:
    """Lines (1-based) that continue a string begun on an earlier line.

    A string that spans lines lies in nodes that span lines: only those are gone
    into, not the statements of one line, nor a query's walk over every node.
    A triple-quoted string that never closes runs to the end of the cell:
    tree-sitter would read its text as code.
    """
    found: set[int] = set()
    spanning = [syntax.root_node]
    while spanning:
        for node in spanning.pop().children:
            start, end = node.start_point.row + 1, node.end_point.row + 1
            if start == end:
                continue  # nothing in it spans lines
            if node.type == "string":
                found.update(range(start + 1, end + 1))
            spanning.append(node)
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
        # The type first: a node's text is a copy of its bytes (the whole cell's, at the root).
        if node.type == "string_start" and _opens_triple_quote(node):
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


def _opens_triple_quote(token: Node) -> bool:
    return (token.text or b"").lstrip(b"rRbBuUfF")[:3] in (b'"""', b"'''")


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

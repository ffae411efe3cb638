"""Visiting only the statements of a cell that name a watched name.

A long training loop that calls a helper once is mostly statements that can
neither bind nor use a watched name: `MentionedStatementsVisitor` visits a
statement only when one of its lines names one, and finds those statements in
a block by bisection over the mentioned lines instead of going through the
block. `cell_facts` reads the facts with it.
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Callable, Sequence

from nbrefactor.analysis.parsing import statement_lines

# visitor class -> node class -> the method `NodeVisitor.visit` calls for it (`_method`).
_METHODS: dict[type, dict[type, Callable[[ast.NodeVisitor, ast.AST], None]]] = {}


class MentionedStatementsVisitor(ast.NodeVisitor):
    """An `ast.NodeVisitor` that skips the statements on no line of `mention_lines`."""

    def __init__(self, mention_lines: Sequence[int]) -> None:
        self.mention_lines = mention_lines  # sorted: the lines that name a watched name
        self.line_offset = 0  # added to the statements' line numbers (`statementwise`)
        self.block_depth = 0  # inside a block of a compound statement: a binding may not run
        self._methods = _METHODS.setdefault(type(self), {})  # node class -> its visit method

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.stmt) and not self._mentioned(*statement_lines(node)):
            return  # names no watched name: nothing in it binds or uses one
        # `NodeVisitor.visit`, with the method looked up once per pair of classes (`_method`).
        method = self._methods.get(type(node)) or _method(type(self), type(node))
        method(self, node)

    def generic_visit(self, node: ast.AST) -> None:
        """`NodeVisitor.generic_visit`, with a block of statements read by `_visit_block`."""
        for name in node._fields:
            value = getattr(node, name, None)  # a field left unset is skipped, as ast skips it
            if isinstance(value, list):
                if value and isinstance(value[0], ast.stmt):
                    self._visit_block(value)
                    continue
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    def _visit_block(self, block: list[ast.stmt]) -> None:
        """The statements of a block that hold a mention, in order.

        They are found from the mentioned lines by bisection over the statements'
        last lines (in order, as statements do not overlap): a long loop body that
        calls a helper once is not gone through statement by statement.
        """
        if not block:
            return
        offset = self.line_offset
        mentions = self.mention_lines
        low = bisect.bisect_left(mentions, statement_lines(block[0])[0] + offset)
        high = bisect.bisect_right(mentions, (block[-1].end_lineno or block[-1].lineno) + offset)
        if low == high:
            return
        following = 0  # the first statement not visited yet
        self.block_depth += 1
        for line in mentions[low:high]:
            # The statements' last lines are bisected in place, not listed: a long block
            # would be gone through to list them.
            index = bisect.bisect_left(block, line - offset, following, key=_last_line)
            # Several statements can share the line (after `;`).
            while index < len(block) and statement_lines(block[index])[0] + offset <= line:
                # It holds `line`: `visit` would ask again whether it names a watched name.
                statement = block[index]
                kind = type(statement)
                (self._methods.get(kind) or _method(type(self), kind))(self, statement)
                index += 1
                following = index
        self.block_depth -= 1

    def _mentioned(self, first: int, last: int) -> bool:
        first, last = first + self.line_offset, last + self.line_offset
        index = bisect.bisect_left(self.mention_lines, first)
        return index < len(self.mention_lines) and self.mention_lines[index] <= last


def _last_line(statement: ast.stmt) -> int:
    return statement.end_lineno or statement.lineno


def _method(
    visitor: type[ast.NodeVisitor], node: type[ast.AST]
) -> Callable[[ast.NodeVisitor, ast.AST], None]:
    """The method `NodeVisitor.visit` calls for a node of that class: `visit_<class>`, else
    `generic_visit`; remembered in `_METHODS`. Looked up once, not at every node: a lookup
    that fails (most nodes have no `visit_` method) raises and catches an exception."""
    method: Callable[[ast.NodeVisitor, ast.AST], None] = getattr(
        visitor, "visit_" + node.__name__, visitor.generic_visit
    )
    _METHODS[visitor][node] = method
    return method

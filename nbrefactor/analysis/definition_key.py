"""A definition as text that is equal for definitions that differ only in formatting,
comments and docstrings: how the rules and extract tell copies of one function."""

from __future__ import annotations

import ast
import copy


def without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    """A body without its docstring (a first statement that is a string)."""
    first = body[0] if body else None
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return body[1:]
    return body


def definition_key(node: ast.stmt) -> str:
    """A `def` or `class` as a string, equal for definitions that differ only in formatting,
    comments and docstrings (those of the functions and classes inside it too)."""
    bare = copy.copy(node)
    bare.body = without_docstring(list(getattr(node, "body", [])))  # type: ignore[attr-defined]
    return _dump(bare, annotate_fields=False, include_attributes=False)


def same_syntax(inline: ast.AST, library: ast.AST) -> bool:
    """Whether two statements are the same syntax, positions, formatting and the docstrings
    of the functions and classes inside them aside (`LibraryFunction.body_differs`)."""
    return _dump(inline, annotate_fields=False) == _dump(library, annotate_fields=False)


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _dump(node: ast.AST, **options: bool) -> str:
    """`ast.dump`, without the docstrings of the functions and classes inside `node` (round
    49c: spaghetti's `arc_labels` copies differing only in an inner function's docstring
    were two variants, and extract chose another body by path order)."""
    nested = [
        inner
        for inner in ast.walk(node)
        if isinstance(inner, _SCOPES) and len(without_docstring(inner.body)) != len(inner.body)
    ]
    if nested:
        node = _WithoutDocstrings().visit(copy.deepcopy(node))
    return ast.dump(node, **options)


class _WithoutDocstrings(ast.NodeTransformer):
    """Takes the docstring off each function and class, the node visited first included
    (when `definition_key` took its own off already, a string statement next goes too:
    it does nothing, so the definitions still behave alike)."""

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        return self._strip(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        return self._strip(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        return self._strip(node)

    def _strip(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> ast.AST:
        node.body = without_docstring(node.body)
        self.generic_visit(node)
        return node

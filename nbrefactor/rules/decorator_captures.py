"""What the functions a decorator defines take from its scope, asked of Python's own
`symtable` (`decorator_shapes`): a wrapper taking a list the decorator made, or changing
a name of its scope (`nonlocal`), keeps state per decoration; one taking only the
decorated function, which it calls or whose name it reads, and values nothing changes,
does not."""

from __future__ import annotations

import ast
import symtable
from collections.abc import Iterator

from nbrefactor.rules.decorator_names import harmless_use

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def takes_changeable(
    decorator: ast.FunctionDef | ast.AsyncFunctionDef,
    table: symtable.SymbolTable,
    takeable: frozenset[str] | set[str],
    local: frozenset[str] | set[str],
    function: str | None,
) -> bool:
    """Whether a function, lambda, class or comprehension `decorator` defines takes from
    its scope (or its factory's: `local`, their names) a name not `takeable`, changes one
    (`nonlocal count; count += 1`), or uses the decorated `function` otherwise than by
    calling it, reading its name or inspecting it (`harmless_use`; not `registry[fn]`)."""
    for scope in _descendants(table):
        for symbol in scope.get_symbols():
            if not symbol.is_free():
                continue
            if symbol.is_assigned() or symbol.is_nonlocal():
                return True
            name = symbol.get_name()
            if name not in takeable and name in local:
                return True
    return any(
        isinstance(node, ast.Name)
        and node.id == function
        and not harmless_use(node, getattr(node, "parent", None))
        for node in _inner_nodes(decorator)
    )


def table_of(
    table: symtable.SymbolTable, node: ast.FunctionDef | ast.AsyncFunctionDef
) -> symtable.SymbolTable | None:
    """The table of a function `table`'s own body defines."""
    for child in table.get_children():
        if child.get_name() == node.name and child.get_lineno() == node.lineno:
            return child
    return None


def _descendants(table: symtable.SymbolTable) -> Iterator[symtable.SymbolTable]:
    pending = list(table.get_children())
    while pending:
        scope = pending.pop()
        yield scope
        pending += scope.get_children()


def _inner_nodes(decorator: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    """The nodes the functions it defines run when called (not their decorators and
    defaults, which run in its scope), each with a link to the node holding it."""
    pending: list[ast.AST] = []
    for statement in decorator.body:
        if isinstance(statement, _SCOPES):
            pending += statement.body
        else:
            for node in ast.walk(statement):
                if isinstance(node, (ast.Lambda, *_COMPREHENSIONS)):
                    pending.append(node)
    while pending:
        node = pending.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            child.parent = node  # type: ignore[attr-defined]
            pending.append(child)

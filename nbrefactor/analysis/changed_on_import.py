"""Which functions a library module changes, or uses, when it is imported.

`@show.register(int)` on another `def` (`functools.singledispatch`), `show.cache = {}`, a
top-level `TABLE = [fib(i) ...]` that fills `fib`'s cache: the library's function is not
what its `def` alone makes (re-checks 36 to 39), and a copy replaced by it would answer
otherwise. Read from the module's statements, not function bodies (they run when called).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping

# Attributes of a function the module may set without changing what the function does
# when called: its names and what introspection reads (re-check 38: `__signature__`).
_DESCRIBING_ATTRIBUTES = frozenset(
    {"__name__", "__qualname__", "__module__", "__doc__", "__signature__", "__annotations__"}
)


def changed_after_definition(
    statements: list[ast.stmt],
) -> tuple[dict[str, tuple[int, str]], dict[str, tuple[int, str]]]:
    """Function -> (line, `show.register`) of the first attribute of a function the
    module's top level sets, deletes or calls after its `def` (`@show.register(int)` on
    another `def`, `show.cache = {}`, `show.cache.clear()`), but for what only describes
    it (`show.__doc__ = ...`) or only reads it (`raw = fib.__wrapped__`); and function ->
    (line, `fib`) of the first other use of its name there, a call or not (re-checks 37
    and 38: `TABLE = [fib(i) ...]`, `map(fib, xs)`, `_f = fib`, a class body's call filled
    the cache the copy's uses then found): what the module runs when imported, not
    function bodies (they run when called)."""
    seen: set[str] = set()
    found: dict[str, tuple[int, str]] = {}
    used: dict[str, tuple[int, str]] = {}
    parents: dict[int, ast.AST | None] = {}  # id(node) -> the node holding it
    for part, parent in _run_on_import(statements, seen):
        parents[id(part)] = parent
        if not isinstance(part, ast.Name) or part.id not in seen:
            continue
        if not isinstance(parent, ast.Attribute):
            used.setdefault(part.id, (part.lineno, part.id))
        elif parent.attr not in _DESCRIBING_ATTRIBUTES and _changes(parent, parents):
            found.setdefault(part.id, (part.lineno, ast.unparse(parent)))
    return found, _reached(statements, used)


def _reached(
    statements: list[ast.stmt], used: dict[str, tuple[int, str]]
) -> dict[str, tuple[int, str]]:
    """`used`, with what the functions and classes it names use in turn: `TABLE = _table()`
    runs `_table`, whose `fib(i)` fills `fib`'s cache (re-check 39), at the first use's
    line. (A function a decorator is given is not counted: the decorator's own reading
    says whether applying it runs anything.)"""
    definitions = {
        statement.name: statement
        for statement in statements
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    }
    reached = dict(used)
    pending = [name for name in reached if name in definitions]
    while pending:
        name = pending.pop()
        for node in ast.walk(definitions[name]):
            if isinstance(node, ast.Name) and node.id in definitions and node.id not in reached:
                reached[node.id] = reached[name]
                pending.append(node.id)
    return reached


def _run_on_import(
    statements: list[ast.stmt], seen: set[str]
) -> Iterator[tuple[ast.AST, ast.AST | None]]:
    """Each node the top level runs on import, with the node holding it, parents first,
    adding each function to `seen` after its `def`: not function bodies, but class
    bodies, decorators, defaults and lambdas (`reduce(lambda a, n: a + fib(n), ...)`
    calls them there: re-check 39)."""
    for statement in statements:
        pending: list[tuple[ast.AST, ast.AST | None]]
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = statement.args
            parts = [*statement.decorator_list, *arguments.defaults]
            pending = [(part, None) for part in [*parts, *filter(None, arguments.kw_defaults)]]
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            pending = []
        else:
            pending = [(statement, None)]
        while pending:
            node, parent = pending.pop()
            yield node, parent
            children: list[ast.AST]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):  # a method's body
                inner = [*node.decorator_list, *node.args.defaults]  # runs when called
                children = [*inner, *filter(None, node.args.kw_defaults)]
            else:
                children = list(ast.iter_child_nodes(node))
            pending += [(child, node) for child in children]
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            seen.add(statement.name)


def _changes(attribute: ast.Attribute, parents: Mapping[int, ast.AST | None]) -> bool:
    """Whether the attribute (or an attribute or item of it) is set, deleted or called:
    `show.cache = {}`, `show.cache[k] = v`, `show.register(int)`, not `raw = fib.__wrapped__`."""
    top: ast.AST = attribute
    parent = parents.get(id(top))
    while isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is top:
        top, parent = parent, parents.get(id(parent))
    if isinstance(getattr(top, "ctx", None), (ast.Store, ast.Del)):
        return True
    return isinstance(parent, ast.Call) and parent.func is top

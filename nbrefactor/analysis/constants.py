"""A name bound once to a literal no code can change: the same constant on both sides.

A pasted helper often reads a constant of the notebook (`SEED = 42`, `DATA_DIR =
"data"`) that the library's module binds to the same literal. When each side binds
it in one top-level assignment of a value that cannot change after (a number, a
string, bytes, `True`/`False`/`None`, a tuple of those), the copy and the library's
function read equal values, and the name is no hidden input (round 55a: Géron-style
`SEED` and `DATA_DIR` kept every helper reading them).
"""

from __future__ import annotations

import ast

_IMMUTABLE = (int, float, complex, str, bytes, bool, type(None))


def literal_assignment(statement: ast.stmt, name: str) -> ast.expr | None:
    """The value of `name = <literal>` (one target, a value that cannot change after), or
    None for any other statement."""
    match statement:
        case ast.Assign(targets=[ast.Name(id=target)], value=value) if target == name:
            return value if immutable_literal(value) else None
    return None


def same_literal(ours: ast.expr, theirs: ast.expr) -> bool:
    """Whether two literals are the same value of the same types (`1` is not `1.0`)."""
    return ast.dump(ours) == ast.dump(theirs)


def immutable_literal(value: ast.expr) -> bool:
    """A literal no code can change and every evaluation gives equal: a number, a string,
    bytes, `True`/`False`/`None`, `-1`, a tuple of those (`extract` reads a default so)."""
    if isinstance(value, ast.Constant):
        return isinstance(value.value, _IMMUTABLE)
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, (ast.USub, ast.UAdd)):
        return isinstance(value.operand, ast.Constant) and isinstance(
            value.operand.value, (int, float, complex)
        )
    if isinstance(value, ast.Tuple):
        return all(immutable_literal(element) for element in value.elts)
    return False

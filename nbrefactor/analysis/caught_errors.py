"""Whether a call's TypeError is caught where it is made: a `try` around it whose handler may
catch TypeError, or `with contextlib.suppress(...)` of such a type.

A call that the inline signature rejects raised TypeError. Uncaught, the cell stopped
there (issue 16: such a call now runs, the library's signature accepting it, as the
fixture `keyword_no_signature_names` shows); caught, the notebook went on and printed
what its handler does, and once the definition is replaced the call runs instead: a
change the notebook shows without an error (round 62). Only what encloses the call in its
own top-level statement is read, not the callers of a function it is in.
"""

from __future__ import annotations

import ast
import builtins

from nbrefactor.analysis.scopes import nested_statements

# A handler of one of these catches a TypeError; of another builtin exception, it does not.
_CATCHING = frozenset({"TypeError", "Exception", "BaseException"})
_OTHER_BUILTIN_ERRORS = frozenset(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException) and name not in _CATCHING
)


# A block that may catch a TypeError raised in it: (start, end) of its statements as
# (line, column), and the first line of its `try` or `with`.
CatchingBlock = tuple[tuple[int, int], tuple[int, int], int]


def catching_blocks(statement: ast.stmt) -> tuple[CatchingBlock, ...]:
    """The blocks of the statement whose `try` (or `with suppress(...)`) may catch a
    TypeError raised in them: walked once per statement, however many uses it holds.

    Only its statements are visited (`scopes.nested_statements`), not their expressions: a
    `try` or `with` is a statement and sits in none (a tenth of the nodes `ast.walk` met)."""
    found = []
    for node in (statement, *nested_statements(statement)):
        if isinstance(node, (ast.Try, ast.TryStar)):
            catches = any(_may_catch(handler.type) for handler in node.handlers)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            catches = any(_suppresses(item.context_expr) for item in node.items)
        else:
            continue
        if catches and node.body:
            first, last = node.body[0], node.body[-1]
            start = (first.lineno, first.col_offset)
            end = (last.end_lineno or last.lineno, last.end_col_offset or 0)
            found.append((start, end, node.lineno))
    return tuple(found)


def catching_line(blocks: tuple[CatchingBlock, ...], line: int, column: int) -> int | None:
    """The first line of the innermost of the `blocks` around the place (`line`, `column`: a
    name's, as `ast` counts), or None."""
    around = [first for start, end, first in blocks if start <= (line, column) < end]
    return max(around, default=None)


def _may_catch(kind: ast.expr | None) -> bool:
    """Whether an `except` of this type may catch a TypeError: a bare `except`, TypeError or
    a base of it, or a type not known to be another builtin error (a name of the notebook's,
    an attribute, a call)."""
    if kind is None:
        return True
    if isinstance(kind, ast.Tuple):
        return any(_may_catch(element) for element in kind.elts)
    if isinstance(kind, ast.Name):
        return kind.id not in _OTHER_BUILTIN_ERRORS
    return True


def _suppresses(context: ast.expr) -> bool:
    """`suppress(...)` or `contextlib.suppress(...)` of a type that may be a TypeError; or a
    context manager of another name handed TypeError or a base of it (`assertRaises(TypeError)`,
    `pytest.raises(TypeError)`, `suppress` imported as `ignored`: round 62c), which catches
    what the block raises, or asserts it does."""
    if not isinstance(context, ast.Call):
        return False
    function = context.func
    name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", None)
    if name == "suppress":
        return any(
            isinstance(argument, ast.Starred) or _may_catch(argument) for argument in context.args
        )
    return any(_names_catching(argument) for argument in context.args)


def _names_catching(kind: ast.expr) -> bool:
    """Whether the expression names TypeError or a base of it (in a tuple too)."""
    if isinstance(kind, ast.Tuple):
        return any(_names_catching(element) for element in kind.elts)
    return isinstance(kind, ast.Name) and kind.id in _CATCHING

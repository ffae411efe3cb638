"""Whether importing a module reads the process environment: code run at import naming
`environ` or `getenv` (`API_KEY = os.environ["KEY"]`, `DATA = getenv("DATA")`), or calling
one of the module's own functions, which may read it (`CONFIG = load_config()`).

A notebook that sets the environment below the new import's place must not find the
module imported already (`rules.import_cell`, `NBR258`). A function body that reads it
runs only when called, as the inline copy's did: a module reading the environment only
there is imported early without harm (round 50a N1 made the text test too wide).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

_READERS = frozenset({"environ", "getenv", "environb", "getenvb"})


def reads_environment_at_import(text: bytes) -> bool:
    """Whether importing the module whose source is `text` may read the environment; True
    for a text that does not parse (the safe side)."""
    if b"environ" not in text and b"getenv" not in text:
        return False
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    functions = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    for node in _run_at_import(tree):
        if isinstance(node, ast.Name) and node.id in _READERS:
            return True
        if isinstance(node, ast.Attribute) and node.attr in _READERS:
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in functions
        ):
            return True  # one of its functions, run at import, may read it
    return False


def _run_at_import(tree: ast.Module) -> Iterator[ast.AST]:
    """The nodes of the code importing the module runs: all but function and lambda bodies
    (a class body runs; a function's decorators, defaults and annotations run)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            stack.extend(node.decorator_list)
            stack.append(node.args)
            if node.returns is not None:
                stack.append(node.returns)
        elif isinstance(node, ast.Lambda):
            stack.append(node.args)
        else:
            stack.extend(ast.iter_child_nodes(node))

"""Whether importing a module reads the process environment: code run at import naming
`environ` or `getenv` (`API_KEY = os.environ["KEY"]`, `DATA = getenv("DATA")`), or calling
one of the module's own functions or classes, which may read it (`CONFIG = load_config()`,
`SETTINGS = Settings()`).

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
    # Its functions and classes (a class's methods run when it is instantiated), and the
    # names its imports give `environ` and `getenv` (`from os import environ as env`).
    own = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    }
    readers = _READERS | {
        alias.asname
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name in _READERS and alias.asname
    }
    for node in _run_at_import(tree):
        if isinstance(node, ast.Name) and node.id in readers:
            return True
        if isinstance(node, ast.Attribute) and node.attr in _READERS:
            return True
        if isinstance(node, ast.Call) and _root_name(node.func) in own:
            return True  # its own code, run at import (`load()`, `Config()`, `Config.load()`)
    return False


def _root_name(node: ast.expr) -> str | None:
    """`a` of `a`, `a.b` or `a.b.c`; None for anything else (`f()()`, `x[0].g`)."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


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

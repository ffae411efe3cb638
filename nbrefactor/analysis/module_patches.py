"""What a notebook statement sets on a module: the library's, which its functions then read.

`import LIB` then `LIB.SCALE = 10`, `setattr(LIB, "SCALE", 10)`,
`sys.modules["LIB"].SCALE = 10` or `vars(LIB)["SCALE"] = 10` set one attribute;
`setattr(LIB, key, value)` in a loop, `vars(LIB).update(...)` and
`LIB.__dict__.update(...)` may set any (`ANY_ATTRIBUTE`). `NotebookImports.patch_of`
asks this of each statement of the cells that name the module.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from nbrefactor.analysis.dynamic_bindings import attribute_assignment

ANY_ATTRIBUTE = "*"  # a patch that may set any attribute of the module


def patched_attributes(node: ast.AST, is_module: Callable[[ast.expr], bool]) -> tuple[str, ...]:
    """The attributes of a module (that `is_module` recognises) that `node` assigns or
    deletes: `LIB.g = ...`, `del LIB.g`, `setattr(LIB, 'g', ...)`, `pkg.utils.g = ...`,
    `vars(LIB)['g'] = ...`; `ANY_ATTRIBUTE` for a `setattr` of a name that is not a
    literal, `vars(LIB).update(...)` and `LIB.__dict__.update(...)`."""
    found = attribute_assignment(node, is_module)
    if found is not None:
        return found.names or (ANY_ATTRIBUTE,)

    def namespace(value: ast.expr) -> bool:  # `vars(LIB)`, `LIB.__dict__`
        if isinstance(value, ast.Attribute):
            return value.attr == "__dict__" and is_module(value.value)
        return (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id == "vars"
            and len(value.args) == 1
            and is_module(value.args[0])
        )

    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("update", "setdefault", "__setitem__", "pop", "clear")
    ):
        return (ANY_ATTRIBUTE,) if namespace(node.func.value) else ()
    targets: list[ast.expr] = []
    if isinstance(node, (ast.Assign, ast.Delete)):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    for target in targets:
        if isinstance(target, ast.Subscript) and namespace(target.value):
            key = target.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                return (key.value,)
            return (ANY_ATTRIBUTE,)
    return ()

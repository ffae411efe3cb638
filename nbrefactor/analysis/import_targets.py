"""What an import statement binds each name to, spelled one way whatever the statement's.

The library's module and a notebook may import the same thing differently
(`import matplotlib.pyplot as plt`, `from matplotlib import pyplot as plt`):
comparing what each binds a name to must not depend on the spelling.
"""

from __future__ import annotations

import ast
from collections.abc import Collection


def import_targets(node: ast.Import | ast.ImportFrom, package: str | None = None) -> dict[str, str]:
    """Each name an import statement binds, with what it is bound to (`bound_and_target`).
    A relative import resolves against `package` (`from .. import config` in `pkg.sub`
    reads `pkg`); one that leaves it binds nothing known."""
    if isinstance(node, ast.Import):
        return dict(bound_and_target(alias.name, None, alias.asname) for alias in node.names)
    module = _from_module(node, package)
    if module is None:
        return {}
    return dict(
        bound_and_target(module, alias.name, alias.asname)
        for alias in node.names
        if alias.name != "*"
    )


def bound_and_target(module: str, obj: str | None, asname: str | None) -> tuple[str, str]:
    """The name `import module [as asname]` (`obj` None) or `from module import obj [as
    asname]` binds, and what to, spelled one way whatever the statement's: `import a.b`
    binds `a` to `a`; `import a.b as c` and `from a import b as c` bind `c` to `a.b`."""
    if obj is not None:
        return asname or obj, f"{module}.{obj}"
    if asname:
        return asname, module
    top = module.split(".")[0]
    return top, top


def bound_names(statement: ast.Import | ast.ImportFrom) -> list[str]:
    """The names an import statement binds (`import a.b` binds `a`); none for a star."""
    return [
        (alias.asname or alias.name).partition(".")[0]
        for alias in statement.names
        if alias.name != "*"
    ]


def postpones_annotations(statement: ast.stmt) -> bool:
    """Whether the statement is `from __future__ import annotations`: the module's
    annotations are then never evaluated."""
    return (
        isinstance(statement, ast.ImportFrom)
        and statement.module == "__future__"
        and any(alias.name == "annotations" for alias in statement.names)
    )


def modules_of(statement: ast.Import | ast.ImportFrom, package: str | None = None) -> list[str]:
    """The modules an import statement may import, by dotted name: `import a.b` -> a.b;
    `from a import b` -> a, and a.b (which may be a submodule). A relative one is resolved
    against `package` (where its module's relative imports start); without one, or above
    its top, it gives none."""
    if isinstance(statement, ast.Import):
        return [alias.name for alias in statement.names]
    base = _from_module(statement, package)
    if base is None:
        return []
    return [base, *(f"{base}.{alias.name}" for alias in statement.names if alias.name != "*")]


def imports_module(modules: Collection[str], module: str) -> bool:
    """Whether importing `modules` (`modules_of`) imports `module`: it, or a submodule of it,
    whose import runs it first."""
    prefix = module + "."
    return any(found == module or found.startswith(prefix) for found in modules)


def _from_module(statement: ast.ImportFrom, package: str | None) -> str | None:
    """The dotted module a `from` import reads, a relative one resolved against `package`."""
    if not statement.level:
        return statement.module
    if package is None:
        return None
    parts = package.split(".") if package else []
    if statement.level - 1 >= len(parts):
        return None
    base = parts[: len(parts) - (statement.level - 1)]
    return ".".join([*base, *([statement.module] if statement.module else [])])


def dotted_path(node: ast.AST) -> str | None:
    """`pkg.utils` for the expression `pkg.utils`, `LIB` for `LIB`: the way a module (or an
    attribute of one) is spelled; None for any other expression."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


# The calls that import a module by its name (`importlib.import_module("utils")`).
IMPORTING_CALLS = frozenset({"__import__", "import_module"})


def imported_by_call(call: ast.Call) -> str | None:
    """The module a call importing one by its name imports, when a literal names it:
    `utils` for `importlib.import_module("utils")` and `__import__("utils")` (also what
    `sys.modules` holds under that name: `import_module("sys").path` is `sys.path`); None
    for any other call, or another first argument. One reading, for every question asked
    of such calls (round 73a F7)."""
    func = call.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if called not in IMPORTING_CALLS or not call.args:
        return None
    first = call.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None

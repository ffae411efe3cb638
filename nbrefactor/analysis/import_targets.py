"""What an import statement binds each name to, spelled one way whatever the statement's.

The library's module and a notebook may import the same thing differently
(`import matplotlib.pyplot as plt`, `from matplotlib import pyplot as plt`):
comparing what each binds a name to must not depend on the spelling.
"""

from __future__ import annotations

import ast


def import_targets(node: ast.Import | ast.ImportFrom, package: str | None = None) -> dict[str, str]:
    """Each name an import statement binds, with what it is bound to (`bound_and_target`).
    A relative import resolves against `package` (one level only)."""
    if isinstance(node, ast.Import):
        return dict(bound_and_target(alias.name, None, alias.asname) for alias in node.names)
    module = node.module or ""
    if node.level:
        if package is None or node.level > 1:
            return {}
        module = f"{package}.{module}" if module else package
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

"""What an import statement binds each name to, spelled one way whatever the statement's.

The library's module and a notebook may import the same thing differently
(`import matplotlib.pyplot as plt`, `from matplotlib import pyplot as plt`):
comparing what each binds a name to must not depend on the spelling.
"""

from __future__ import annotations

import ast


def import_targets(node: ast.Import | ast.ImportFrom, package: str | None = None) -> dict[str, str]:
    """Each name an import binds, with what it is bound to, spelled one way whatever the
    statement's: `import a.b` binds `a` to `a`; `import a.b as c` and `from a import b as
    c` bind `c` to `a.b`. A relative import resolves against `package` (one level only)."""
    if isinstance(node, ast.Import):
        return {
            alias.asname or alias.name.split(".")[0]: alias.name
            if alias.asname
            else alias.name.split(".")[0]
            for alias in node.names
        }
    module = node.module or ""
    if node.level:
        if package is None or node.level > 1:
            return {}
        module = f"{package}.{module}" if module else package
    return {
        alias.asname or alias.name: f"{module}.{alias.name}"
        for alias in node.names
        if alias.name != "*"
    }

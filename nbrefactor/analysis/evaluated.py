"""The nodes of an expression that are computed when it is: what a default, a library's
top-level value or an argument runs then, and not what a `lambda` or a generator it
only makes would run later."""

from __future__ import annotations

import ast
from collections.abc import Iterator


def evaluated_now(node: ast.AST) -> Iterator[ast.AST]:
    """`ast.walk`, but a `lambda`'s body and a generator expression's items (all but its
    first iterable, computed at once) only when they are handed to a call, which may call
    or consume them (`sorted(xs, key=lambda v: ...)`, `sum(f(x) for x in xs)`; re-check
    29); a `lambda`'s own defaults are computed then (re-checks 44, 45: `lambda n:
    np.random.randn(n)` draws nothing when the module is imported)."""
    pending = [node]
    while pending:
        current = pending.pop()
        yield current
        if isinstance(current, ast.Lambda):
            pending.extend(current.args.defaults)
            pending.extend(default for default in current.args.kw_defaults if default is not None)
            continue
        if isinstance(current, ast.GeneratorExp):
            pending.append(current.generators[0].iter)
            continue
        if isinstance(current, ast.Call):
            if isinstance(current.func, ast.Lambda):
                pending.append(current.func.body)  # `(lambda: ...)()`: run now (re-check 47)
            for handed in (*current.args, *(keyword.value for keyword in current.keywords)):
                if isinstance(handed, ast.Lambda):
                    pending.append(handed.body)
                elif isinstance(handed, ast.GeneratorExp):
                    pending.append(handed.elt)
                    for index, generator in enumerate(handed.generators):
                        pending.extend(generator.ifs)
                        if index:
                            pending.append(generator.iter)
        pending.extend(ast.iter_child_nodes(current))

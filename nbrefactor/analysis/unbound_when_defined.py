"""A name a `def` reads when it runs that no cell binds before it: the `def` raised NameError.

A `def` evaluates its decorators and default values where it runs. A copy whose
decorator reads `np` in a cell above the one doing `import numpy as np` raised
NameError there (sweep 25 F3): it never bound its name, the rest of its cell never
ran, and later calls raised NameError too. The import would bind the name there and
make them work, so such a definition is kept (`rules.same_function`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from nbrefactor.analysis.notebook_imports import NotebookImports
from nbrefactor.analysis.notebook_variables import NotebookVariables, ipython_binds
from nbrefactor.analysis.scopes import kernel_builtin

# Scopes of their own inside an expression: the names read there may be theirs.
_OWN_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def unbound_when_defined(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    cell: int,
    variables: NotebookVariables,
    notebook: NotebookImports,
    library: str,
) -> tuple[str, str, int] | None:
    """(name, "decorator" or "default", the first cell binding it or 0) for the first name
    a decorator or default of the `def` in `cell` reads that no cell binds before that cell;
    None when there is none.

    A binding anywhere in the definition's own cell, or in a cell above it, counts (the
    safe side: the name is then taken to be bound), and so does a line above that may bind
    any name (`from x import *`, `%run`; `library`: the module a star import of which does
    not count); builtins, IPython's names, dunder names and the library's own names (which
    the migration decides on) are bound."""
    for where, expression in _run_when_defined(node):
        for name in _names_read(expression):
            if kernel_builtin(name) or ipython_binds(name) or name in notebook.replaceable:
                continue
            if name.startswith("__") and name.endswith("__"):
                continue  # `__name__`, `__file__`: the kernel's module binds them
            first = _first_binding_cell(name, variables, notebook, library)
            if first is None or first > cell:
                return name, where, first or 0
    return None


def _run_when_defined(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
) -> Iterator[tuple[str, ast.expr]]:
    """What a `def` evaluates when it runs, besides annotations (which
    `from __future__ import annotations` leaves unevaluated): its decorators and defaults."""
    for decorator in node.decorator_list:
        yield "decorator", decorator
    for default in (*node.args.defaults, *node.args.kw_defaults):
        if default is not None:
            yield "default", default


def _names_read(expression: ast.expr) -> Iterator[str]:
    """The names the expression reads in the scope it is in: not those inside a lambda or
    a comprehension, which may be its own (the safe side: they are not asked about)."""
    pending: list[ast.AST] = [expression]
    while pending:
        node = pending.pop()
        if isinstance(node, _OWN_SCOPES):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            yield node.id
        pending.extend(ast.iter_child_nodes(node))


def _first_binding_cell(
    name: str, variables: NotebookVariables, notebook: NotebookImports, library: str
) -> int | None:
    """The first cell that binds `name` by any statement (an assignment, an import, a `def`
    or `class`) or by a line that may bind any name; None when none does."""
    cells = [variables.first_binding(name)]
    cells += [number for number, _ in notebook.targets(name)]
    cells += [number for number, _ in notebook.definitions(name)]
    wildcard = notebook.wildcard(library)
    cells.append(None if wildcard is None else wildcard[0])
    found = [number for number in cells if number is not None]
    return min(found) if found else None

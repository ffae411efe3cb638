"""Why a module declares no function a migration could replace, when it has public `def`s:
the words after `declares no public functions` (sweep 30: that line came unexplained)."""

from __future__ import annotations

import ast
from collections.abc import Mapping

from nbrefactor.analysis.import_targets import bound_names
from nbrefactor.analysis.scopes import module_scope_statements, variables_bound_by


def why_no_public_functions(
    tree: ast.Module, exported: list[str] | None, taken: Mapping[str, str]
) -> str:
    """Why public `def`s there are do not count: each bound again later (`from math import
    *`), or an `async def`, which a migration does not replace (a call of it returns a
    coroutine); the names submodules take (`taken_by_submodules`); names imported in a
    block; and a module `__getattr__` (lazy imports, sweep 30: "declares no public functions", unexplained); ""
    when there are none."""
    public = [
        statement
        for statement in tree.body
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
        and (statement.name in exported if exported is not None else statement.name[0] != "_")
    ]
    rebound = [node.name for node in public if isinstance(node, ast.FunctionDef)]
    asynchronous = [node.name for node in public if isinstance(node, ast.AsyncFunctionDef)]
    rebound = [name for name in rebound if name not in taken]
    parts = [f"{', '.join(rebound)}: bound again later in the module"] if rebound else []
    parts += [f"{name}: {how}" for name, how in taken.items()]
    if asynchronous:
        parts.append(f"{', '.join(asynchronous)}: async def, which nbrefactor does not replace")
    guarded = [  # imports in blocks: a top-level statement's own, after it
        name
        for node in tree.body
        for statement in module_scope_statements([node])[1:]
        if isinstance(statement, (ast.Import, ast.ImportFrom))
        for name in bound_names(statement)
        if (name in exported if exported is not None else name[0] != "_")
    ]
    if guarded:  # sweep 30: `try: from .torch_plots import plot_loss` was unexplained
        parts.append(
            f"{', '.join(dict.fromkeys(guarded))}: imported in a block (try, if) that may not"
            " run, so which function it is cannot be read"
        )
    if _binds_getattr(tree):  # PEP 562: what it binds cannot be read
        parts.append(
            "a module __getattr__ binds names on use, which cannot be read without importing"
            " the module; give the module that defines them: --module path/to/that_module.py"
        )
    return f" ({'; '.join(parts)})" if parts else ""


def _binds_getattr(tree: ast.Module) -> bool:
    """Whether the module's top level binds `__getattr__` (a `def`, or `lazy.attach`'s
    `__getattr__, __dir__, __all__ = ...`)."""
    return any(
        statement.name == "__getattr__"
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
        else "__getattr__" in variables_bound_by(statement)
        for statement in tree.body
        if not isinstance(statement, (ast.ClassDef, ast.Import, ast.ImportFrom))
    )

"""What the notebook's imports surely bind a name to when a cell starts to run.

A copy reading `np` finds the notebook's `np` when it is called, not when it is
defined: `import math as np` in cell 1, then `import numpy as np` in cell 3, and a
call in cell 4 reads numpy, as the library's function does (round 62a K3). Only the
plain case is told: every binding of the name before the cell is a top-level import
of a cell that parses, and no line may bind any name; anything else is unknown.
"""

from __future__ import annotations

import ast
from collections.abc import Collection

from nbrefactor.analysis.import_targets import import_targets
from nbrefactor.analysis.magics import cell_magic
from nbrefactor.analysis.mentions import may_bind_any
from nbrefactor.analysis.parsing import Unparseable, parse_cell
from nbrefactor.nbfile.notebook import Notebook

_UNKNOWN = "?"  # a cell binding the name otherwise than by a top-level import


def imports_in_effect(
    notebook: Notebook, name: str, cells: Collection[int]
) -> dict[int, str | None]:
    """What `name` is bound to when each code cell of `cells` starts (as `import_target`
    spells it), when only top-level imports bind it before then and the cell itself binds
    it nowhere; None when that cannot be told, or nothing imports it before. One pass over
    the cells up to the last asked, whatever the number of calls asked about."""
    wanted = set(cells)
    last = max(wanted, default=0)
    in_effect: dict[int, str | None] = {}
    found: str | None = None
    told = True  # False from a cell that may bind the name otherwise than by an import
    for current in notebook.cells:
        if current.number > last:
            break
        bound = None
        if current.cell_type == "code":
            source = current.source
            if may_bind_any(source):
                told = False  # a star import, `%run`, `exec(`: it may bind the name too
            elif name in source:
                bound = _bound_in(source, name)
                told = told and bound != _UNKNOWN
        if current.number in wanted:
            in_effect[current.number] = found if told and bound is None else None
        if bound is not None:
            found = bound
    return in_effect


def _bound_in(source: str, name: str) -> str | None:
    """What the cell's last top-level import of `name` binds it to; None when the cell
    binds it nowhere; `_UNKNOWN` when it may bind it otherwise (in a block, by an
    assignment, a `del`, a cell magic, or the cell does not parse)."""
    if cell_magic(source) is not None:
        return _UNKNOWN
    try:
        tree, _ = parse_cell(source)
    except Unparseable:
        return _UNKNOWN
    top_level = {id(statement) for statement in tree.body}
    found: str | None = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            if any(alias.name == "*" for alias in node.names):
                return _UNKNOWN
            target = import_targets(node).get(name)
            if target is None:
                continue
            if id(node) not in top_level:
                return _UNKNOWN
            found = target  # ast.walk visits the top-level statements in order, first
        elif _binds_otherwise(node, name):
            return _UNKNOWN
    return found


def _binds_otherwise(node: ast.AST, name: str) -> bool:
    """Whether the node binds or unbinds `name` otherwise than by an import (an assignment,
    a `del`, a `def`, an `except ... as`, a `match` capture, a `global` declaration)."""
    if isinstance(node, ast.Name):
        return node.id == name and not isinstance(node.ctx, ast.Load)
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name == name
    if isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar):
        return node.name == name
    if isinstance(node, ast.MatchMapping):
        return node.rest == name
    if isinstance(node, ast.Global | ast.Nonlocal):
        return name in node.names
    return False

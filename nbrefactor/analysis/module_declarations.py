"""What a library module declares about itself by assigning a variable at its top level:
the names it exports (`__all__`) and the legacy names it answers to (`__legacy_names__`).

Both must be literals: the module is read, never imported (`catalog`), so a computed
value cannot be known. `extract` asks `declared_all` too, before extending a module that
`migrate` would then refuse.
"""

from __future__ import annotations

import ast
from pathlib import Path

from nbrefactor.analysis.module_path import CatalogError

LEGACY_NAMES_VARIABLE = "__legacy_names__"


class AllNotLiteral(ValueError):
    """The module's `__all__` is not a literal list or tuple of names (`line`: its value's)."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def declared_all(tree: ast.Module) -> list[str] | None:
    """The names the module's first `__all__` assignment lists, None without one;
    AllNotLiteral when it is not a literal list or tuple of names. The names the top level
    adds to it after, as pyflakes reads them, count too: `__all__ += [...]`, `__all__ =
    __all__ + [...]`, `__all__.extend([...])`, `__all__.append("f")` (sweep 29: `def b`
    added so was left in the notebooks, unsaid), and a later plain assignment replaces
    them; one of these whose names are not literal is AllNotLiteral. Other changes
    (`.remove`, `.insert`, one in a block) are not read."""
    value = first_assignment(tree, "__all__")
    if value is None:
        return None
    names = _literal_names(value)
    started = False
    for node in tree.body:
        if not started:
            started = getattr(node, "value", None) is value
            continue
        change = _change_to_all(node)
        if change is not None:
            value, replaces = change
            names = _literal_names(value) if replaces else names + _literal_names(value)
    return names


def _literal_names(value: ast.expr) -> list[str]:
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):  # `["a"] + ["b"]`
        return _literal_names(value.left) + _literal_names(value.right)
    try:
        names = ast.literal_eval(value)
    except ValueError:
        raise AllNotLiteral(value.lineno) from None
    if isinstance(names, str):  # `__all__.append("f")`
        names = [names]
    if not isinstance(names, (list, tuple)) or not all(isinstance(name, str) for name in names):
        raise AllNotLiteral(value.lineno)
    return list(names)


def _change_to_all(node: ast.stmt) -> tuple[ast.expr, bool] | None:
    """How a top-level statement changes `__all__`: (the names' expression, whether they
    replace the list rather than add to it), or None when it does not change it."""
    if isinstance(node, ast.AugAssign) and _is_all(node.target):
        return (node.value if isinstance(node.op, ast.Add) else node.target), False
    if isinstance(node, ast.Assign) and any(_is_all(target) for target in node.targets):
        value = node.value
        if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add) and _is_all(value.left):
            return value.right, False
        if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add) and _is_all(value.right):
            return value.left, False  # `["b"] + __all__`: the same names, b first
        return value, True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        call = node.value
        function = call.func
        if (
            isinstance(function, ast.Attribute)
            and _is_all(function.value)
            and function.attr in ("extend", "append")
            and len(call.args) == 1
        ):
            return call.args[0], False
    return None


def _is_all(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "__all__"


def exported_names(tree: ast.Module, source_file: Path) -> list[str] | None:
    """`declared_all`, with a computed `__all__` a CatalogError naming the file."""
    try:
        return declared_all(tree)
    except AllNotLiteral:
        raise CatalogError(f"{source_file}: __all__ must be a literal list of names") from None


def legacy_names(tree: ast.Module, source_file: Path) -> dict[str, str]:
    """The module's `__legacy_names__` (old name -> new name), {} without one; a
    CatalogError when it is not a literal dict of names."""
    value = first_assignment(tree, LEGACY_NAMES_VARIABLE)
    if value is None:
        return {}
    try:
        names = ast.literal_eval(value)
    except ValueError:
        names = None
    if not isinstance(names, dict) or not all(
        isinstance(key, str) and isinstance(item, str) for key, item in names.items()
    ):
        raise CatalogError(
            f"{source_file}: {LEGACY_NAMES_VARIABLE} must be a literal dict of old name to new name"
        )
    return names


def first_assignment(tree: ast.Module, variable: str) -> ast.expr | None:
    """The value of the first top-level assignment of `variable` (an annotated one without a
    value counts as none)."""
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            continue
        if any(isinstance(target, ast.Name) and target.id == variable for target in targets):
            return node.value
    return None

"""What a library module declares about itself by assigning a variable at its top level:
the names it exports (`__all__`) and the legacy names it answers to (`__legacy_names__`).

Both must be literals: the module is read, never imported (`catalog`), so a computed
value cannot be known; a package's `__all__` may also read its submodules' (`core.__all__
+ ["x"]`, `[*core.__all__, "x"]`), as numpy's and scipy's do. `extract` asks
`declared_all` too, before extending a module that `migrate` would then refuse.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

from nbrefactor.analysis.module_path import CatalogError, module_file, read_module

LEGACY_NAMES_VARIABLE = "__legacy_names__"
# How many packages deep `core.__all__` is followed (`pkg` reads `pkg.core`'s, which reads
# `pkg.core.plots`'s): more is taken for a loop.
_MOST_PACKAGES = 8
# The names `X.__all__` lists, X a submodule (read at the line given): `submodule_all`.
SubmoduleAll = Callable[[str, int], list[str]]


class AllNotLiteral(ValueError):
    """The module's `__all__` is not a literal list or tuple of names (`line`: its value's)."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def declared_all(tree: ast.Module, submodule: SubmoduleAll | None = None) -> list[str] | None:
    """The names the module's first `__all__` assignment lists, None without one;
    AllNotLiteral when it is not a literal list or tuple of names. The names the top level
    adds to it after, as pyflakes reads them, count too: `__all__ += [...]`, `__all__ =
    __all__ + [...]`, `__all__.extend([...])`, `__all__.append("f")` (sweep 29: `def b`
    added so was left in the notebooks, unsaid), and a later plain assignment replaces
    them; one of these whose names are not literal is AllNotLiteral. Other changes
    (`.remove`, `.insert`, one in a block) are not read. With `submodule` (a package's:
    `submodule_all`), a submodule's `__all__` counts as its names: `core.__all__ + [...]`,
    `[*core.__all__, "x"]`, `list(core.__all__)`."""
    value = first_assignment(tree, "__all__")
    if value is None:
        return None
    names = _literal_names(value, submodule)
    started = False
    for node in tree.body:
        if not started:
            started = getattr(node, "value", None) is value
            continue
        change = _change_to_all(node)
        if change is not None:
            value, replaces = change
            added = _literal_names(value, submodule)
            names = added if replaces else names + added
    return names


def _literal_names(value: ast.expr, submodule: SubmoduleAll | None = None) -> list[str]:
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):  # `["a"] + ["b"]`
        return _literal_names(value.left, submodule) + _literal_names(value.right, submodule)
    if submodule is not None:
        if (
            isinstance(value, ast.Attribute)
            and value.attr == "__all__"
            and isinstance(value.value, ast.Name)
        ):
            return submodule(value.value.id, value.lineno)
        if isinstance(value, (ast.List, ast.Tuple)) and any(
            isinstance(element, ast.Starred) for element in value.elts
        ):
            return [
                name
                for element in value.elts
                for name in (
                    _literal_names(element.value, submodule)
                    if isinstance(element, ast.Starred)
                    else _literal_names(ast.List([element]), submodule)
                )
            ]
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id in ("list", "tuple", "sorted")
            and len(value.args) == 1
            and not value.keywords
        ):
            names = _literal_names(value.args[0], submodule)
            return sorted(names) if value.func.id == "sorted" else names
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
    if isinstance(node, ast.AugAssign) and is_all(node.target):
        return (node.value if isinstance(node.op, ast.Add) else node.target), False
    if isinstance(node, ast.Assign) and any(is_all(target) for target in node.targets):
        value = node.value
        if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add) and is_all(value.left):
            return value.right, False
        if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add) and is_all(value.right):
            return value.left, False  # `["b"] + __all__`: the same names, b first
        return value, True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        call = node.value
        function = call.func
        if (
            isinstance(function, ast.Attribute)
            and is_all(function.value)
            and function.attr in ("extend", "append")
            and len(call.args) == 1
        ):
            return call.args[0], False
    return None


def is_all(node: ast.expr) -> bool:
    """Whether the node is the name `__all__` (a target or operand; `extract` asks too)."""
    return isinstance(node, ast.Name) and node.id == "__all__"


def exported_names(tree: ast.Module, source_file: Path) -> list[str] | None:
    """`declared_all`, a package's reading its submodules' (`submodule_all`), with a
    computed `__all__` a CatalogError naming the file and line."""
    try:
        return declared_all(tree, submodule_all(source_file))
    except AllNotLiteral as error:
        raise CatalogError(_not_literal(source_file, error.line)) from None


def submodule_all(source_file: Path, depth: int = 0) -> SubmoduleAll | None:
    """How a package's `__init__.py` (`source_file`) reads `X.__all__`, X a submodule: the
    names X's `__all__` lists. None for a module that is not a package's: there `X.__all__`
    is not read. X's `__all__` must be readable, or there must be one (without, importing
    the package raises AttributeError): a CatalogError naming X's file, else."""
    if source_file.name != "__init__.py" or depth >= _MOST_PACKAGES:
        return None

    def names(submodule: str, line: int) -> list[str]:
        found = module_file(source_file.parent / submodule)
        if found is None:  # another module's: not read
            raise AllNotLiteral(line)
        tree = read_module(found)[0]
        try:
            listed = declared_all(tree, submodule_all(found, depth + 1))
        except AllNotLiteral as error:
            raise CatalogError(_not_literal(found, error.line)) from None
        if listed is None:
            raise CatalogError(
                f"{found}: no __all__, which {source_file} reads (line {line}):"
                " importing the package would fail"
            )
        return listed

    return names


def _not_literal(source_file: Path, line: int) -> str:
    return (
        f"{source_file}:{line}: __all__ must list its names as literals (a list or tuple of"
        " strings, or a submodule's __all__ added to one: core.__all__ + [...])"
    )


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


def all_in_effect(tree: ast.Module) -> ast.Assign | ast.AnnAssign | None:
    """The top-level assignment of `__all__` whose list `declared_all` starts from: the first,
    or a later one that replaces it (`__all__ = [...]`, not `__all__ = __all__ + [...]`);
    None without one. Where `extract` adds its helpers (re-check 46: it extended the first
    of two, which migrate did not read)."""
    found: ast.Assign | ast.AnnAssign | None = None
    for node in tree.body:
        if found is None:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(is_all(target) for target in targets):
                    if node.value is None:
                        return None  # `__all__: list[str]`, as `first_assignment` reads it
                    found = node
            continue
        change = _change_to_all(node)
        if change is not None and change[1]:
            assert isinstance(node, ast.Assign)  # only an assignment replaces the list
            found = node
    return found


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

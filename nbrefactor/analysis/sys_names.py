"""How a notebook may name `sys.path`, besides the text `sys.path` itself.

`import sys as _s` then `_s.path.append("lib")`, and `from sys import path as P`
in the import cell then `P.append("lib")` in a later cell (round 57a F1): neither
line holds the text `sys.path`, by which a line changing where imports are found
was looked for, so the library's import went above the change and raised
ModuleNotFoundError. The names such imports bind are read once from the
notebook's import lines (`sys_names`); the text they give (`_s.path`,
`P.append`) finds those lines as `sys.path` finds the others, and `is_path`
reads them in a tree. A name assigned the list (`p = sys.path` in the import
cell, `p.insert(0, "lib")` in a later one) counts as one of those imports.

An expression for the module is read too (`os.sys.path`, `__import__("sys").path`,
`sys.modules["sys"].path`, `importlib.import_module("sys").path`): no name is
needed for those, and `path_changes.FINDS_MODULES` holds their text.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from nbrefactor.analysis.import_statements import parsed_imports
from nbrefactor.analysis.import_targets import imported_by_call
from nbrefactor.analysis.parsing import AST_ERRORS
from nbrefactor.analysis.text import import_lines, lines_holding
from nbrefactor.value_base import ValueBase

# The calls that change a list in place: on `sys.path`, under any name, a change to it.
LIST_CHANGES = ("append", "insert", "extend", "remove", "pop", "clear", "reverse")


@dataclass(frozen=True, eq=False, repr=False)
class SysNames(ValueBase):
    """The names the notebook binds to the `sys` module other than `sys` (`modules`:
    `import sys as _s`), and to `sys.path` (`paths`: `from sys import path` binds `path`,
    `from sys import path as P` binds `P`)."""

    modules: frozenset[str] = frozenset()
    paths: frozenset[str] = frozenset()

    def markers(self) -> tuple[str, ...]:
        """The text one of a line changing `sys.path` through these names holds (`_s.path`,
        `P.append`, `P[:0] = ...`, `P += ...`); without the call's bracket, as `P.append
        (x)` is one too. () for no names: nearly every notebook looks for no more text."""
        return (
            *(f"{name}.path" for name in sorted(self.modules)),
            *(
                f"{name}{change}"
                for name in sorted(self.paths)
                for change in (*(f".{method}" for method in LIST_CHANGES), "[", " +=", "+=")
            ),
        )

    def is_path(self, node: ast.AST) -> bool:
        """Whether the node is `sys.path`: written with `sys` or one of `modules`, or one of
        `paths` (`P` of `P.append("lib")`; `P = [...]` only rebinds the name: not a change)."""
        if isinstance(node, ast.Name):
            return node.id in self.paths
        return is_sys_path(node, self.modules)

    def changes_path(self, node: ast.AST) -> bool:
        """Whether the node is an assignment changing `sys.path` in place through one of
        `paths`: to a slice of it, or added to it (`P[:0] = ["lib"]`, `P += ["lib"]`); a
        call on it is one on `is_path`."""
        if isinstance(node, ast.AugAssign):
            return isinstance(node.target, ast.Name) and node.target.id in self.paths
        if isinstance(node, ast.Assign):
            return any(
                isinstance(target, ast.Subscript)
                and isinstance(target.value, ast.Name)
                and target.value.id in self.paths
                for target in node.targets
            )
        return False


NO_SYS_NAMES = SysNames()


def sys_names(sources: Iterable[str]) -> SysNames:
    """The names the import lines of `sources` bind to `sys` (besides `sys`) and to
    `sys.path`, and the names a line assigns `sys.path` (`p = sys.path`, `p = _s.path`);
    only a line naming `sys` is parsed."""
    modules: set[str] = set()
    paths: set[str] = set()
    sources = [source for source in sources if _holds_sys(source)]
    for source in sources:
        imported = _imported_names(source)
        modules |= imported.modules
        paths |= imported.paths
    found = SysNames(frozenset(modules), frozenset(paths))
    lists = (*(f"{name}.path" for name in sorted(modules)), "sys.path")
    for source in sources:
        for line in lines_holding(source, lists):
            paths.update(_assigned_the_path(line, found))
    if not modules and not paths:
        return NO_SYS_NAMES
    return SysNames(frozenset(modules), frozenset(paths))


@lru_cache(maxsize=1024)
def _holds_sys(source: str) -> bool:
    """Whether the cell's text holds `sys`: asked by several rules of every code cell (a
    notebook's cells are searched once; the cell's string keeps its hash)."""
    return "sys" in source


@lru_cache(maxsize=256)
def _imported_names(source: str) -> SysNames:
    """`sys_names` of one cell's import lines: asked by several rules of the same cells (the
    answer is kept for the cells of the last notebooks)."""
    modules: set[str] = set()
    paths: set[str] = set()
    for match in import_lines().finditer(source):
        if "sys" not in match.group(1):
            continue
        for statement in parsed_imports(source, match.start(1)):
            if isinstance(statement, ast.Import):
                modules.update(
                    alias.asname
                    for alias in statement.names
                    if alias.name == "sys" and alias.asname and alias.asname != "sys"
                )
            elif statement.module == "sys" and statement.level == 0:
                for alias in statement.names:
                    if alias.name in ("path", "*"):
                        paths.add(alias.asname or "path")
    return SysNames(frozenset(modules), frozenset(paths))


def _assigned_the_path(line: str, names: SysNames) -> list[str]:
    """The names a one-line assignment binds to `sys.path` (`p = sys.path`); [] for any
    other line, or one that does not parse alone."""
    if "=" not in line:
        return []
    try:
        body = ast.parse(line).body
    except AST_ERRORS:
        return []
    return [
        target.id
        for statement in body
        if isinstance(statement, ast.Assign) and names.is_path(statement.value)
        for target in statement.targets
        if isinstance(target, ast.Name)
    ]


def is_sys_path(node: ast.AST, modules: frozenset[str] = frozenset()) -> bool:
    """Whether the node is `sys.path`: through `sys` or another name for it (`modules`:
    `_s.path`), or an expression for the module (`os.sys.path`, `__import__("sys").path`,
    `sys.modules["sys"].path`, `importlib.import_module("sys").path`)."""
    if not isinstance(node, ast.Attribute) or node.attr != "path":
        return False
    value = node.value
    if isinstance(value, ast.Name):
        return value.id == "sys" or value.id in modules
    if isinstance(value, ast.Attribute):
        return value.attr == "sys"
    if isinstance(value, ast.Subscript):
        return _names_sys(value.slice)
    if isinstance(value, ast.Call):
        return imported_by_call(value) == "sys"
    return False


def _names_sys(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == "sys"

"""The folders a notebook's own code adds to where its imports are found.

A kernel starts in the notebook's folder and finds modules there; many
notebooks then reach a module elsewhere by themselves, with the snippet every
project copies (`sys.path.append("..")`, `module_path =
os.path.abspath(os.path.join(".."))` / `if module_path not in sys.path:
sys.path.append(module_path)`), with `os.chdir` or `%cd`, or with
`site.addsitedir`. The warning that a migrated notebook's import may not be
found (`run.import_warning`) asks here first, so that it does not tell a user
to install a module their notebook already finds.

Only what literals say is followed: string constants, `os.path.join`,
`abspath`, `dirname`, `pathlib.Path` and `/`, `os.getcwd()`, `Path.cwd()`,
`.parent`, and names assigned such a value in module scope. Anything else
(`sys.path.append(ROOT)` with ROOT read from a file, or `import setup_paths`,
a module beside the notebook that changes the path when imported) cannot be
told, and the result is None: the warning then says nothing rather than guess.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from nbrefactor.analysis.parsing import Unparseable, parse_cell
from nbrefactor.analysis.path_changes import (
    FINDS_MODULES,
    cd_magic_argument,
    changes_import_path,
    folder_stack_magic,
    imports_path_changer,
    path_changers_beside,
)
from nbrefactor.analysis.scopes import called_name
from nbrefactor.analysis.sys_names import SysNames, is_sys_path, sys_names
from nbrefactor.nbfile.notebook import Notebook
from nbrefactor.value_base import ValueBase

# Text a cell that changes where imports are found must hold; other cells are not parsed.
# Those of a line that does, without the call's bracket (`os.chdir (path)` is one too).
_MARKERS = tuple(marker.rstrip("(") for marker in FINDS_MODULES)
_SAME_PATH = frozenset({"abspath", "realpath", "normpath", "str"})
_JOINS = frozenset({"join", "Path", "PurePath"})  # os.path.join(a, b), Path(a, b), Path(a)
_CURRENT_FOLDER = frozenset({"getcwd", "cwd"})


class _Unknown(Exception):
    """A change to the import path whose folder literals do not say."""


@dataclass(frozen=True, eq=False, repr=False)
class ImportFolders(ValueBase):
    """The folders the notebook's code makes its imports search, besides the one its kernel
    starts in: each folder added to `sys.path` or `addsitedir`, and each working folder it
    changes to (`sys.path` holds `''`, the working folder, in a kernel); and of those, the
    ones searched before the notebook's own (`first`): put first on `sys.path`
    (`sys.path.insert(0, "../src")`) or changed to (`%cd`, `os.chdir`), the latest first."""

    added: tuple[Path, ...]
    first: tuple[Path, ...]
    # Where each folder of `added` is first added: (cell, top-level statement index).
    added_at: Mapping[Path, tuple[int, int]] = field(default_factory=dict)


def import_folders(notebook: Notebook, folder: Path) -> ImportFolders | None:
    """The folders a notebook in `folder` makes its imports search (each cell that may change
    them parsed once); None when a change names a folder literals do not say."""
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    # `import sys as _s`, then `_s.path.append("lib")` (round 57a): followed as `sys.path`
    names = sys_names(cell.source for cell in cells)
    markers = (*_MARKERS, *names.markers())
    search = _Search(Path(os.path.abspath(folder)), names)
    changers = path_changers_beside(folder)
    added_at: dict[Path, tuple[int, int]] = {}
    for cell in cells:
        if changers and imports_path_changer(cell.source, changers):
            return None  # `import setup_paths`: which folders it adds, only its code says
        if not any(marker in cell.source for marker in markers):
            continue
        try:
            tree, masked = parse_cell(cell.source)
        except Unparseable:
            return None
        try:
            for index, statement in enumerate(tree.body):
                known = len(search.found)
                search.run(statement, masked.originals)
                for added in search.found[known:]:
                    added_at.setdefault(added, (cell.number, index))
        except _Unknown:
            return None
    return ImportFolders(
        tuple(dict.fromkeys(search.found)),
        tuple(dict.fromkeys(reversed(search.first))),
        MappingProxyType(added_at),
    )


class _Search:
    """The working folder, the names assigned a folder, and the folders found, in cell order;
    `sys.path` read under the names the notebook binds to `sys` too (`sys_names`)."""

    def __init__(self, folder: Path, sys_path_names: SysNames) -> None:
        self.sys_names = sys_path_names
        self.working = folder
        self.names: dict[str, Path] = {}
        self.found: list[Path] = []
        self.first: list[Path] = []  # searched before the notebook's folder

    def run(self, statement: ast.stmt, magic_lines: dict[str, str]) -> None:
        argument = cd_magic_argument(statement, magic_lines)
        if argument is not None:
            self._change_folder(_joined(self.working, _cd_folder(argument)))
            return
        if folder_stack_magic(statement, magic_lines):
            raise _Unknown
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                try:
                    self.names[target.id] = self.folder_of(statement.value)
                except _Unknown:
                    self.names.pop(target.id, None)
        for node in ast.walk(statement):
            self._follow(node)

    def _follow(self, node: ast.AST) -> None:
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            # `sys.path[:0] = ["../src"]`: a slice of it, the front one searched first
            sliced = [
                target.slice
                for target in targets
                if isinstance(target, ast.Subscript) and self.sys_names.is_path(target.value)
            ]
            value = node.value
            indexed = [part for part in sliced if not isinstance(part, ast.Slice)]
            if indexed:  # `sys.path[0] = "sub"`: one folder, in place of another
                self.found.append(self.folder_of(value))
                if not all(_is_positive(part) for part in indexed):
                    self.first.append(self.found[-1])
            elif sliced or any(self._replaces_path(node, target) for target in targets):
                if not isinstance(value, (ast.List, ast.Tuple, ast.BinOp)):
                    raise _Unknown
                added = [self.folder_of(element) for element in _list_elements(value)]
                self.found.extend(added)
                if any(_is_front(part) for part in sliced):
                    self.first.extend(reversed(added))
                elif isinstance(node, ast.Assign) and not sliced:
                    # `sys.path = ["sub"] + sys.path`: what comes before it is searched first
                    front = [self.folder_of(element) for element in _front_elements(value)]
                    self.first.extend(reversed(front))
            return
        if not isinstance(node, ast.Call) or not changes_import_path(node, self.sys_names):
            return
        func = node.func
        name = called_name(node)
        if isinstance(func, ast.Attribute) and self.sys_names.is_path(func.value):
            if name in ("append", "insert") and node.args:
                self.found.append(self.folder_of(node.args[-1]))
                # `insert(0, ...)`, and one at a place not written as a number (`-len(...)`)
                if name == "insert" and not _is_positive(node.args[0]):
                    self.first.append(self.found[-1])
            elif name in ("reverse", "sort"):  # any folder found may come first now
                self.first.extend(self.found)
            elif name == "extend":
                if not node.args or not isinstance(node.args[0], (ast.List, ast.Tuple)):
                    raise _Unknown
                self.found.extend(self.folder_of(element) for element in node.args[0].elts)
        elif name == "addsitedir":
            if not node.args:
                raise _Unknown
            self.found.append(self.folder_of(node.args[0]))
        elif name == "chdir":
            if not node.args:
                raise _Unknown
            self._change_folder(self.folder_of(node.args[0]))

        else:  # `path.append(...)` with no `from sys import path`, `run_line_magic("cd", ...)`
            raise _Unknown

    def _replaces_path(self, node: ast.Assign | ast.AugAssign, target: ast.expr) -> bool:
        """`sys.path = [...]`, `sys.path += [...]`, `P += [...]` (`from sys import path as P`).
        `P = [...]` binds the name to another list: which one a later `P.append` changes,
        the cells' order does not say; `p = sys.path` binds it to the same."""
        if isinstance(node, ast.Assign) and isinstance(target, ast.Name):
            if target.id in self.sys_names.paths and not self.sys_names.is_path(node.value):
                raise _Unknown
            return False
        return self.sys_names.is_path(target)

    def _change_folder(self, folder: Path) -> None:
        self.working = folder
        self.found.append(folder)
        self.first.append(folder)

    def folder_of(self, node: ast.expr) -> Path:
        """The absolute folder an expression names, relative ones taken from the working one."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return _joined(self.working, node.value)
        if isinstance(node, ast.Name) and node.id in self.names:
            return self.names[node.id]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return _joined(self.folder_of(node.left), _literal(node.right))
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            return self.folder_of(node.value).parent
        if isinstance(node, ast.Call):
            func = node.func
            receiver = func.value if isinstance(func, ast.Attribute) else None
            name = called_name(node)
            args = node.args
            if node.keywords:
                raise _Unknown
            if name in _CURRENT_FOLDER and not args:
                return self.working
            if name in _JOINS and args:
                folder = self.folder_of(args[0])
                for part in args[1:]:
                    folder = _joined(folder, _literal(part))
                return folder
            if name == "dirname" and len(args) == 1:
                return self.folder_of(args[0]).parent
            if name in _SAME_PATH and len(args) == 1:
                return self.folder_of(args[0])
            if name in ("resolve", "absolute") and receiver is not None and not args:
                return self.folder_of(receiver)
        raise _Unknown


def _is_front(part: ast.expr) -> bool:
    """`[:0]` or `[0:0]`: a slice assignment that puts its folders before every other."""

    def zero(bound: ast.expr | None) -> bool:
        return isinstance(bound, ast.Constant) and bound.value == 0

    if not isinstance(part, ast.Slice) or part.step is not None:
        return False
    return (part.lower is None or zero(part.lower)) and zero(part.upper)


def _list_elements(node: ast.expr) -> list[ast.expr]:
    """The elements of `[a, b]`, `[a] + sys.path`, `sys.path + [a]`; `sys.path` itself adds none."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return list(node.elts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _list_elements(node.left) + _list_elements(node.right)
    if is_sys_path(node):
        return []
    raise _Unknown


def _front_elements(node: ast.expr) -> list[ast.expr]:
    """The elements of an assigned value that come before `sys.path` in it (all of them
    when it holds none: the path is replaced)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        if _holds_sys_path(node.left):
            return _front_elements(node.left)
        return _list_elements(node.left) + _front_elements(node.right)
    return [] if is_sys_path(node) else _list_elements(node)


def _holds_sys_path(node: ast.expr) -> bool:
    return any(is_sys_path(part) for part in ast.walk(node))


def _is_positive(node: ast.expr) -> bool:
    """A place written as a number above 0 (`insert(1, ...)`, `[2]`): not the front."""
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value > 0


def _literal(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    raise _Unknown


def _joined(folder: Path, relative: str) -> Path:
    if relative.startswith("~") or "$" in relative:
        raise _Unknown
    return Path(os.path.normpath(os.path.join(folder, relative)))


def _cd_folder(argument: str) -> str:
    """The folder of `%cd FOLDER`, quoted or not; `%cd` alone, `%cd -` and `%cd -b` are unknown."""
    if len(argument) >= 2 and argument[0] == argument[-1] and argument[0] in "'\"":
        argument = argument[1:-1]
    if not argument or argument.startswith("-"):
        raise _Unknown
    return argument

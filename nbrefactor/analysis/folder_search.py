"""The search `import_search.import_folders` runs over a notebook's statements, in order: the
working folder (`%cd`, `%pushd`/`%popd`, `os.chdir`), the names assigned a folder, the
folders added to where imports look, and the lines that may take one out again."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from nbrefactor.analysis.folder_literals import (
    Unknown,
    cd_folder,
    front_elements,
    holds_sys_path,
    is_front,
    is_positive,
    joined,
    list_elements,
    literal,
)
from nbrefactor.analysis.path_changes import changes_import_path, folder_magic, unindented
from nbrefactor.analysis.scopes import called_name
from nbrefactor.analysis.sys_names import SysNames

_SAME_PATH = frozenset({"abspath", "realpath", "normpath", "str"})
_JOINS = frozenset({"join", "Path", "PurePath"})  # os.path.join(a, b), Path(a, b), Path(a)
_CURRENT_FOLDER = frozenset({"getcwd", "cwd"})


class FolderSearch:
    """The working folder, the names assigned a folder, and the folders found, in cell order;
    `sys.path` read under the names the notebook binds to `sys` too (`sys_names`)."""

    def __init__(self, folder: Path, sys_path_names: SysNames) -> None:
        self.sys_names = sys_path_names
        # None once a change the notebook may undo names a folder literals do not say
        self.working: Path | None = folder
        self.stack: list[Path | None] = []  # what `%pushd` pushed, for `%popd`
        self.changed = False  # the notebook changed its working folder
        self.names: dict[str, Path] = {}
        self.found: list[Path] = []
        self.first: list[Path] = []  # searched before the notebook's folder
        # Appended (`append`, `extend`): searched after the standard library
        self.appended: list[Path] = []
        self.undone: list[tuple[str, Path | None]] = []  # `undo`: line, folder (None: any)
        # The line the search stopped at (`Unknown`) when it may take a folder out again: a
        # folder change or `sys.path` replaced, not a folder added (`sys.path.append(ROOT)`)
        self.stopped_at: str | None = None

    def run(self, statement: ast.stmt, magic_lines: dict[str, str]) -> None:
        """Follow one top-level statement, and the lines it holds in their order (a `%cd ..`
        under an `if` too: round 60a F2)."""
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                try:
                    self.names[target.id] = self.folder_of(statement.value)
                except Unknown:
                    self.names.pop(target.id, None)
        lines = unindented(magic_lines)
        for node in _in_order(statement):
            magic = folder_magic(node, lines) if isinstance(node, ast.stmt) else None
            try:
                if magic is not None:
                    self._folder_magic(*magic)
                else:
                    self._follow(node)
            except Unknown:
                if magic is not None:
                    self.stopped_at = " ".join(magic).strip()
                elif not _adds_only(node):
                    self.stopped_at = ast.unparse(node)
                raise

    def _folder_magic(self, name: str, argument: str, line: str | None = None) -> None:
        """`%cd FOLDER`, `%pushd FOLDER` (the folder left pushed), `%popd` (back to it);
        `line` as the report shows it (`ip.run_line_magic('cd', '-')`), else the magic's."""
        line = line or f"{name} {argument}".strip()
        if name == "%popd":
            if not self.stack and not self.changed:
                raise Unknown  # a stack pushed elsewhere: where it goes, nothing says
            self._undo(line, self.working)
            self.working = self.stack.pop() if self.stack else None
            return
        try:
            folder = joined(self._working(), cd_folder(argument))
        except Unknown:
            if not self.changed:
                raise
            folder = None  # `%cd -`, `%cd $HERE`: may go back (round 60a F1)
        if name == "%pushd":
            self.stack.append(self.working)
        self._change_folder(folder, line)

    def _undo(self, line: str, folder: Path | None) -> None:
        """A line that may take `folder` (None: any) out of where imports look (round 60a
        F1: `%cd -`, `%popd`, `os.chdir(saved)`, `sys.path.remove("..")`)."""
        self.undone.append((line, folder))

    def _undo_path(self, node: ast.stmt | ast.expr, removed: ast.expr | None) -> None:
        """`sys.path.remove(removed)`, `.pop()`, `del sys.path[0]`: a folder the notebook
        added may be taken out again (any, unless `removed` names one)."""
        if not self.found:
            return  # nothing added to take out
        try:
            folder = None if removed is None else self.folder_of(removed)
        except Unknown:
            folder = None
        self._undo(ast.unparse(node), folder)

    def _working(self) -> Path:
        if self.working is None:
            raise Unknown
        return self.working

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
                if not all(is_positive(part) for part in indexed):
                    self.first.append(self.found[-1])
            elif sliced or any(self._replaces_path(node, target) for target in targets):
                if not isinstance(value, (ast.List, ast.Tuple, ast.BinOp)):
                    if not self.found or not isinstance(node, ast.Assign) or sliced:
                        raise Unknown
                    self._undo(ast.unparse(node), None)  # `sys.path = saved`: may go back
                    return
                added = [self.folder_of(element) for element in list_elements(value)]
                self.found.extend(added)
                if isinstance(node, ast.AugAssign) and not sliced:
                    # `sys.path += ["lib"]` appends, as `extend` does (round 73a F5)
                    self.appended.extend(added)
                elif any(is_front(part) for part in sliced):
                    self.first.extend(reversed(added))
                elif isinstance(node, ast.Assign) and not sliced:
                    # `sys.path = ["sub"] + sys.path`: what comes before it is searched first
                    front = [self.folder_of(element) for element in front_elements(value)]
                    self.first.extend(reversed(front))
                    if holds_sys_path(value):  # `sys.path = sys.path + ["lib"]` appends it
                        self.appended.extend(added[len(front) :])  # (round 75b F4)
            return
        if isinstance(node, ast.Delete) and any(
            isinstance(target, ast.Subscript) and self.sys_names.is_path(target.value)
            for target in node.targets
        ):
            self._undo_path(node, None)  # `del sys.path[0]`
            return
        if not isinstance(node, ast.Call) or not changes_import_path(node, self.sys_names):
            return
        func = node.func
        name = called_name(node)
        if isinstance(func, ast.Attribute) and self.sys_names.is_path(func.value):
            if name in ("append", "insert") and node.args:
                self.found.append(self.folder_of(node.args[-1]))
                if name == "append":
                    self.appended.append(self.found[-1])
                # `insert(0, ...)`, and one at a place not written as a number (`-len(...)`)
                if name == "insert" and not is_positive(node.args[0]):
                    self.first.append(self.found[-1])
            elif name in ("reverse", "sort"):  # any folder found may come first now
                self.first.extend(self.found)
            elif name in ("remove", "pop", "clear"):
                self._undo_path(node, node.args[0] if name == "remove" and node.args else None)
            elif name == "extend":
                if not node.args or not isinstance(node.args[0], (ast.List, ast.Tuple)):
                    raise Unknown
                added = [self.folder_of(element) for element in node.args[0].elts]
                self.found.extend(added)
                self.appended.extend(added)
        elif name == "addsitedir":
            if not node.args:
                raise Unknown
            # Appended too, but it runs the import lines of the folder's `.pth` files, which
            # may put it first (round 64 F6): never counted as only appended (the safe side).
            self.found.append(self.folder_of(node.args[0]))
        elif name == "chdir":
            if not node.args:
                raise Unknown
            try:
                folder: Path | None = self.folder_of(node.args[0])
            except Unknown:
                if not self.changed:
                    raise
                folder = None  # `os.chdir(saved)` after `os.chdir("..")`: may go back
            self._change_folder(folder, ast.unparse(node))
        elif name == "run_line_magic" and (magic := _magic_run(node)) is not None:
            self._folder_magic(*magic, ast.unparse(node))
        else:  # `path.append(...)` with no `from sys import path`, `run_line_magic("cd", ...)`
            raise Unknown

    def _replaces_path(self, node: ast.Assign | ast.AugAssign, target: ast.expr) -> bool:
        """`sys.path = [...]`, `sys.path += [...]`, `P += [...]` (`from sys import path as P`).
        `P = [...]` binds the name to another list: which one a later `P.append` changes,
        the cells' order does not say; `p = sys.path` binds it to the same."""
        if isinstance(node, ast.Assign) and isinstance(target, ast.Name):
            if target.id in self.sys_names.paths and not self.sys_names.is_path(node.value):
                raise Unknown
            return False
        return self.sys_names.is_path(target)

    def _change_folder(self, folder: Path | None, line: str) -> None:
        """To `folder` (None: one literals do not say, after a change it may undo); a change
        after another leaves the folder changed to before, which imports searched only as
        the working folder (`''` on `sys.path`)."""
        if self.changed:
            self._undo(line, self.working)
        self.changed = True
        self.working = folder
        if folder is not None:
            self.found.append(folder)
            self.first.append(folder)

    def folder_of(self, node: ast.expr) -> Path:
        """The absolute folder an expression names, relative ones taken from the working one."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return joined(self._working(), node.value)
        if isinstance(node, ast.Name) and node.id in self.names:
            return self.names[node.id]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return joined(self.folder_of(node.left), literal(node.right))
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            return self.folder_of(node.value).parent
        if isinstance(node, ast.Call):
            func = node.func
            receiver = func.value if isinstance(func, ast.Attribute) else None
            name = called_name(node)
            args = node.args
            if node.keywords:
                raise Unknown
            if name in _CURRENT_FOLDER and not args:
                return self._working()
            if name in _JOINS and args:
                folder = self.folder_of(args[0])
                for part in args[1:]:
                    folder = joined(folder, literal(part))
                return folder
            if name == "dirname" and len(args) == 1:
                return self.folder_of(args[0]).parent
            if name in _SAME_PATH and len(args) == 1:
                return self.folder_of(args[0])
            if name in ("resolve", "absolute") and receiver is not None and not args:
                return self.folder_of(receiver)
        raise Unknown


def _adds_only(node: ast.AST) -> bool:
    """Whether a change of where imports look may only add a folder (`sys.path.append(ROOT)`,
    `sys.path += paths`, `site.addsitedir(d)`), not take one out."""
    if isinstance(node, ast.AugAssign):
        return True
    return isinstance(node, ast.Call) and called_name(node) in (
        *("append", "insert", "extend", "addsitedir"),
    )


def _magic_run(node: ast.Call) -> tuple[str, str] | None:
    """The magic and argument of `run_line_magic("cd", "-")` on any shell object
    (`get_ipython()`, `ip` bound to it, `IPython.get_ipython()`), as `%cd -`: its literals
    say which (round 61a S1: read as unknown, the search stopped, and a later
    `run_line_magic("cd", "-")` went unseen). None for another magic or another argument."""
    if node.keywords or len(node.args) != 2:
        return None
    name, argument = node.args
    if not isinstance(name, ast.Constant) or not isinstance(name.value, str):
        return None
    if not isinstance(argument, ast.Constant) or not isinstance(argument.value, str):
        return None
    magic = "%" + name.value.lstrip("%")  # IPython takes `run_line_magic("%cd", ...)` too
    if magic not in ("%cd", "%pushd", "%popd"):
        return None
    return magic, argument.value.strip()


def _in_order(statement: ast.stmt) -> Iterator[ast.AST]:
    """The statement and the nodes it holds, each before what it holds and in the order of
    the text; a stack, not recursion: a long `a + b + ...` nests deep."""
    todo: list[ast.AST] = [statement]
    while todo:
        node = todo.pop()
        yield node
        todo.extend(reversed(list(ast.iter_child_nodes(node))))

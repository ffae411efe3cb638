"""Folders as a notebook's literals write them (`import_search`): joined to the working folder,
read from `sys.path`'s list expressions (`["../src"] + sys.path`), and where a slice or index
puts them. Anything literals do not say raises `Unknown`."""

from __future__ import annotations

import ast
import os
from pathlib import Path

from nbrefactor.analysis.sys_names import is_sys_path


class Unknown(Exception):
    """A change to the import path whose folder literals do not say."""


def is_front(part: ast.expr) -> bool:
    """`[:0]` or `[0:0]`: a slice assignment that puts its folders before every other."""

    def zero(bound: ast.expr | None) -> bool:
        return isinstance(bound, ast.Constant) and bound.value == 0

    if not isinstance(part, ast.Slice) or part.step is not None:
        return False
    return (part.lower is None or zero(part.lower)) and zero(part.upper)


def list_elements(node: ast.expr) -> list[ast.expr]:
    """The elements of `[a, b]`, `[a] + sys.path`, `sys.path + [a]`; `sys.path` itself adds none."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return list(node.elts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return list_elements(node.left) + list_elements(node.right)
    if is_sys_path(node):
        return []
    raise Unknown


def front_elements(node: ast.expr) -> list[ast.expr]:
    """The elements of an assigned value that come before `sys.path` in it (all of them
    when it holds none: the path is replaced)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        if holds_sys_path(node.left):
            return front_elements(node.left)
        return list_elements(node.left) + front_elements(node.right)
    return [] if is_sys_path(node) else list_elements(node)


def holds_sys_path(node: ast.expr) -> bool:
    return any(is_sys_path(part) for part in ast.walk(node))


def is_positive(node: ast.expr) -> bool:
    """A place written as a number above 0 (`insert(1, ...)`, `[2]`): not the front."""
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value > 0


def literal(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    raise Unknown


def joined(folder: Path, relative: str) -> Path:
    if relative.startswith("~") or "$" in relative:
        raise Unknown
    return Path(os.path.normpath(os.path.join(folder, relative)))


def cd_folder(argument: str) -> str:
    """The folder of `%cd FOLDER`, quoted or not, after IPython's quiet option `-q` (`%cd -q
    ..`, `%pushd -q ..`: round 61a S1, read as unknown, turned the search off); `%cd` alone,
    `%cd -` and `%cd -b` are unknown."""
    argument = argument.strip()
    while argument == "-q" or argument.startswith(("-q ", "-q\t")):
        argument = argument[2:].strip()
    if len(argument) >= 2 and argument[0] == argument[-1] and argument[0] in "'\"":
        argument = argument[1:-1]
    if not argument or argument.startswith("-"):
        raise Unknown
    return argument

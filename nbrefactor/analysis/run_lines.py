"""The `%run PATH` lines of a cell: what it runs, line by line (`run PATH` alone in its cell
too, which IPython's automagic runs so). Asked for the module's own file (`extract`'s
`module_runs`) and for notebooks run by others (`notebook_runners`). And the files a cell
runs in the notebook's namespace with `exec`, as `%run -i` does (`scripts_run`,
`module_runs`): `exec(open(PATH).read())` and the other spellings of reading the file's text.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

from nbrefactor.analysis.line_magics import ScriptRun, automagic_line, script_run
from nbrefactor.analysis.parsing import Unparseable, parse_cell
from nbrefactor.analysis.scopes import called_name
from nbrefactor.analysis.text import split_lines


def run_lines(source: str) -> Iterator[tuple[int, str, ScriptRun]]:
    """(line from 1, the line as written, what it runs) of each line of the cell that runs a
    script or notebook with `%run`."""
    automagic = automagic_line(source)  # `run helpers.py` alone in its cell
    if automagic is None and "%run" not in source:
        return
    lines = [source] if automagic is not None else split_lines(source)
    for number, line in enumerate(lines, start=1):
        run = script_run(automagic or line)
        if run is not None:
            yield number, line, run


@cache
def _exec_open() -> re.Pattern[str]:
    """`exec(open("report.py").read())`, `exec(compile(open("report.py").read(), ...))`: the
    path a literal, up to its closing quote. Compiled when first needed."""
    return re.compile(r"""exec\([ \t]*(?:compile\([ \t]*)?open\([ \t]*['"]([^'"\n]+)['"]""")


def exec_open_path(line: str) -> str | None:
    """The file `exec(open(PATH).read())` on the line runs, or None (also for a comment)."""
    if line.lstrip().startswith("#"):
        return None
    found = _exec_open().search(line)
    return None if found is None else found.group(1)


class FileExec(NamedTuple):
    """A call of `exec` running a file's text with the notebook's names."""

    line: int  # the call's first line, from 1
    path: str  # the file, as the cell names it
    # What it binds goes into the notebook's namespace: not so for a copy of it,
    # `exec(..., {**globals()})`, where the file's calls still find the notebook's names
    # (round 77a F8: `extract` skipped a helper such a run binds nothing over)
    binds: bool = True


def file_execs(source: str) -> list[FileExec]:
    """The calls of the cell that run a file in the notebook's namespace, in line order:
    `exec(open(PATH).read())`, through `compile(...)`, `exec(Path(PATH).read_text())` and
    `with open(PATH) as fh:` then `exec(fh.read())` (round 75b F1: those two ran the module
    once written, rebinding a notebook's own name, unsaid); not one given a namespace of its
    own, `exec(..., {})` (round 75b F7: a false reason). A cell that does not parse is read
    line by line for the first spelling (`exec_open_path`)."""
    if "exec(" not in source:
        return []
    try:
        tree, _masked = parse_cell(source)
    except Unparseable:
        lines = enumerate(split_lines(source), start=1)
        return [FileExec(number, path) for number, line in lines if (path := exec_open_path(line))]
    opened: dict[str, str] = {}  # `with open(PATH) as fh`: fh -> PATH
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                path = _opened(item.context_expr)
                if path is not None and isinstance(item.optional_vars, ast.Name):
                    opened[item.optional_vars.id] = path
        elif isinstance(node, ast.Call) and _is_exec(node):
            path = _read_file(node.args[0], opened)
            namespace = _namespace(node)
            if path is not None and namespace != "own":
                found.append(FileExec(node.lineno, path, namespace == "notebook's"))
    return sorted(found)


def _is_exec(call: ast.Call) -> bool:
    """`exec(...)`, `builtins.exec(...)` (round 76b F9); not another object's method of that
    name, `client.exec(...)` (round 77a F7)."""
    func = call.func
    if isinstance(func, ast.Attribute):
        builtin = isinstance(func.value, ast.Name) and func.value.id in ("builtins", "__builtins__")
        return builtin and func.attr == "exec" and bool(call.args)
    return isinstance(func, ast.Name) and func.id == "exec" and bool(call.args)


def _read_file(node: ast.expr, opened: dict[str, str]) -> str | None:
    """The file whose text `node` is: `open(PATH).read()`, `compile(<that>, ...)`,
    `Path(PATH).read_text()` (`pathlib.Path`, `read_bytes`), `fh.read()` of a file opened
    by a `with` of the cell."""
    if isinstance(node, ast.Call) and called_name(node) == "compile" and node.args:
        return _read_file(node.args[0], opened)
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    reader, method = node.func.value, node.func.attr
    if method == "read" and isinstance(reader, ast.Name):
        return opened.get(reader.id)
    if method == "read":
        return _opened(reader)
    if (
        method in ("read_text", "read_bytes")
        and isinstance(reader, ast.Call)
        and called_name(reader) == "Path"
    ):
        return _literal_argument(reader)
    return None


def _opened(node: ast.expr) -> str | None:
    """PATH of `open(PATH, ...)`."""
    if isinstance(node, ast.Call) and called_name(node) == "open":
        return _literal_argument(node)
    return None


def _literal_argument(call: ast.Call) -> str | None:
    first = call.args[0] if call.args else None
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return None


def _namespace(call: ast.Call) -> str:
    """Where the file runs: "own" for a new namespace holding nothing of the notebook's
    (`exec(code, {})`, `{"x": 1}`, `dict(x=1)`: round 75b F7), "copy" for a copy of the
    notebook's names (`{**globals()}`, `dict(globals())`: the file's calls find them, round
    76b F9, and what it binds stays in the copy), else "notebook's" (none given,
    `globals()`, a variable)."""
    given = call.args[1] if len(call.args) > 1 else None
    for keyword in call.keywords:
        if keyword.arg == "globals":
            given = keyword.value
    if isinstance(given, ast.Dict):
        return "own" if None not in given.keys else "copy"
    if isinstance(given, ast.Call) and called_name(given) == "dict":
        copies = given.args or any(keyword.arg is None for keyword in given.keywords)
        return "copy" if copies else "own"
    return "notebook's"

"""What changes where a notebook's imports find modules, as statements and as text.

`sys.path` changed (`sys.path.insert(0, "../src")`, `path.append(...)` after
`from sys import path`), the working folder changed (`os.chdir`, `%cd`, `%pushd`,
`run_line_magic("cd", ...)`), a folder added as a site (`site.addsitedir`), or a
module beside the notebook imported whose own text does one of these (`import
setup_paths`). `import_search` follows the folders such statements name; the
import's placement (`rules.import_cell`) only asks where one stands.
"""

from __future__ import annotations

import ast
import functools
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from nbrefactor.analysis.import_statements import parsed_imports
from nbrefactor.analysis.scopes import called_name
from nbrefactor.analysis.sys_names import (
    LIST_CHANGES,
    NO_SYS_NAMES,
    SysNames,
    sys_names,
)
from nbrefactor.analysis.text import import_lines, lines_holding, starts_holding

# Text of a line that changes where modules are found, in a cell or a module's file: also
# `from sys import path` (then `path.append("src")`), `%pushd`, a magic run by name
# (`get_ipython().run_line_magic("cd", "src")`), and `sys.path` reached through an
# expression for the module (`__import__("sys").path`, `sys.modules["sys"].path`; round
# 57a). What names bound to `sys` or `sys.path` make one is `sys_names.SysNames.markers`.
FINDS_MODULES = (
    *("sys.path", "chdir(", "addsitedir(", "%cd", "%pushd", "%popd"),
    *("from sys import", "run_line_magic("),
    *("sys').path", 'sys").path', "sys'].path", 'sys"].path'),
)


def imported_tops(line: str) -> set[str]:
    """The top-level modules an `import a.b as c, d` or `from a.b import c` line names, as
    written (a file beside the notebook is found by that name)."""
    if line.startswith("from "):
        return {line[5:].lstrip().split(None, 1)[0].partition(".")[0]} - {""}
    names = line[7:].split(";", 1)[0].split("#", 1)[0]
    return {part.split()[0].partition(".")[0] for part in names.split(",") if part.split()}


@functools.cache
def path_changers_beside(folder: Path) -> frozenset[str]:
    """The modules in the notebook's folder whose text changes where modules are found when
    imported (sweep 22: `import setup_paths`, whose file does `sys.path.insert(0, "lib")`),
    by the names an import writes (`SetupPaths`): each folder's files read once, so that a
    notebook's import lines are only looked at when they may name one."""
    try:
        with os.scandir(folder) as entries:
            files = [entry.name for entry in entries if entry.name.endswith(".py")]
    except OSError:
        return frozenset()
    return frozenset(name[:-3] for name in files if file_changes_import_path(folder / name))


def file_changes_import_path(path: Path) -> bool:
    """Whether the text of the module at `path` changes where modules are found (a line
    holding `FINDS_MODULES` or a name bound to `sys`/`sys.path`); False when unread."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:  # a folder named `x.py`, a file gone
        return False
    return bool(lines_holding(text, (*FINDS_MODULES, *sys_names([text]).markers())))


def imports_path_changer(source: str, changers: frozenset[str]) -> bool:
    """Whether the cell's import lines name one of `changers` (`path_changers_beside`)."""
    if not any(name in source for name in changers):
        return False
    return any(
        not changers.isdisjoint(imported_tops(match.group(1)))
        for match in import_lines().finditer(source)
    )


def path_changing_functions(sources: Sequence[str]) -> frozenset[str]:
    """The notebook's top-level functions whose body changes where modules are found, and
    those whose body calls one (re-check 41: `def add_path(p): sys.path.insert(0, p)` above
    `add_path("../src")`; the import placed between them found no module): a call of one
    changes it, not its `def`. Read from the code cells' text: an indented line holding a
    change (`FINDS_MODULES`) or such a call, below a `def` line at column 0 and before the
    next line there other than a comment; through a name bound to `sys` or `sys.path`
    too (`sys_names`: `P.append(p)` after `from sys import path as P`)."""
    found: set[str] = set()
    markers: tuple[str, ...] = (*FINDS_MODULES, *sys_names(sources).markers())
    sources = [source for source in sources if "def" in source]  # one search, not eight
    while True:
        new = {
            name
            for source in sources
            if any(marker in source for marker in markers)
            for name in _functions_holding(source, markers)
        } - found
        if not new:
            return frozenset(found)
        found |= new
        markers = tuple(f"{name}(" for name in new)


def changing_names(sources: Sequence[str], folder: Path | None) -> frozenset[str]:
    """The names whose call changes where modules are found: the notebook's functions doing
    so (`path_changing_functions`; re-check 41: `add_path("../src")`), and what the
    notebook imports from a module in its `folder` whose text does (`path_changers_beside`;
    re-check 42: `from nbsetup import setup_notebook`, then `setup_notebook()`; `import
    nbsetup`, then `nbsetup.setup()`), by the name the import binds."""
    found = path_changing_functions(sources)
    beside = path_changers_beside(folder) if folder is not None else frozenset()
    if not beside:
        return found
    names = set(found)
    for source in sources:
        if not any(module in source for module in beside):
            continue
        for match in import_lines().finditer(source):
            if beside.isdisjoint(imported_tops(match.group(1))):
                continue
            for statement in parsed_imports(source, match.start(1)):
                if isinstance(statement, ast.ImportFrom):
                    if (statement.module or "").partition(".")[0] in beside:
                        names.update(alias.asname or alias.name for alias in statement.names)
                    continue
                for alias in statement.names:
                    if alias.name.partition(".")[0] in beside:
                        names.add(alias.asname or alias.name.partition(".")[0])
    return frozenset(names)


def _functions_holding(source: str, markers: tuple[str, ...]) -> Iterator[str]:
    """The top-level functions of `source` with an indented line holding one of `markers`.
    Each line is looked at once: a line's function is looked for up to the last line
    holding a marker, whose function it shares when no line at column 0 comes between."""
    owner: str | None = None
    looked_to = 0
    for start in starts_holding(source, markers):
        if source[start : start + 1] not in (" ", "\t"):
            # At column 0: a top-level statement, not a body, but for a `def` with its body
            # on its own line (`def add_path(p): sys.path.insert(0, p)`, re-check 43).
            end = source.find("\n", start)
            one_line = _defined_name(source[start : end if end >= 0 else len(source)])
            owner, looked_to = None, start
            if one_line is not None:
                yield one_line
            continue
        head = start
        while head > looked_to:
            head = source.rfind("\n", 0, head - 1) + 1  # the line above
            if source[head : head + 1] not in _IN_A_BODY:
                end = source.find("\n", head)
                owner = _defined_name(source[head : end if end >= 0 else len(source)])
                break
        looked_to = start
        if owner is not None:
            yield owner


# How a line inside a function's body may start: indented, blank, or a comment.
_IN_A_BODY = frozenset({" ", "\t", "\n", "\r", "\f", "#"})


def _defined_name(line: str) -> str | None:
    """The name a `def` or `async def` line defines, or None."""
    words = line.partition("(")[0].split()
    if words[:1] == ["async"]:
        words = words[1:]
    if len(words) == 2 and words[0] == "def" and words[1].isidentifier():
        return words[1]
    return None


# The names one of which `changes_import_path` needs in the text of a node it finds: a cell
# whose text (ASCII: an identifier is read NFKC-normalized) holds none has no such node.
CHANGES_IMPORT_PATH_NAMES = ("path", "chdir", "addsitedir", "run_line_magic")


def changes_import_path(node: ast.AST, names: SysNames = NO_SYS_NAMES) -> bool:
    """Whether the node may change where imports are found: `sys.path` (a call on it, an
    assignment to it: the node is the attribute; `_s.path` after `import sys as _s`, by
    `names`), `chdir(...)`, `addsitedir(...)`, a magic run by name (`run_line_magic("cd",
    "src")`), or a call changing a list named `path` (`path.append("src")` after `from sys
    import path`), or one `names` binds to `sys.path` (`P.append`, `P[:0] = ...`)."""
    if names.changes_path(node):
        return True
    if isinstance(node, ast.Attribute):
        return names.is_path(node)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and names.is_path(func.value):
            return True
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "path"
            and func.attr in LIST_CHANGES
        ):
            return True
        return called_name(node) in ("chdir", "addsitedir", "run_line_magic")
    return False


def folder_stack_magic(statement: ast.stmt, magic_lines: dict[str, str]) -> bool:
    """A `%pushd`/`%popd` line (masked as a placeholder statement)."""
    return _magic_words(statement, magic_lines)[:1] in (["%pushd"], ["%popd"])


def folder_magic(statement: ast.stmt, magic_lines: dict[str, str]) -> tuple[str, str] | None:
    """The name and argument ("" when none) of a `%cd`, `%pushd` or `%popd` line (masked as a
    placeholder statement); None for any other statement."""
    words = _magic_words(statement, magic_lines)
    if words[:1] not in (["%cd"], ["%pushd"], ["%popd"]):
        return None
    return words[0], words[1].strip() if len(words) > 1 else ""


def folder_magic_within(statement: ast.stmt, magic_lines: dict[str, str]) -> bool:
    """Whether the statement is, or holds at any depth, a `%cd`, `%pushd` or `%popd` line
    (`if not os.path.exists("lib"):` / `    %cd ..`): the working folder may change there
    (round 60a F2). Walked only when the cell has magic lines."""
    if not magic_lines:
        return False
    lines = unindented(magic_lines)
    return any(
        isinstance(node, ast.stmt) and folder_magic(node, lines) is not None
        for node in ast.walk(statement)
    )


def unindented(magic_lines: dict[str, str]) -> dict[str, str]:
    """`magic_lines` keyed by the placeholder's name, without the indentation that a line
    in a block has (`    _nbrefactor_masked_line_0_`): the name an `ast.Name` holds."""
    return {placeholder.strip(): line for placeholder, line in magic_lines.items()}


def cd_magic_argument(statement: ast.stmt, magic_lines: dict[str, str]) -> str | None:
    """The argument of a `%cd` line (masked as a placeholder statement; `magic_lines` maps
    placeholders to the lines they stand for), "" for `%cd` alone; None for any other
    statement."""
    words = _magic_words(statement, magic_lines)
    if words[:1] != ["%cd"]:
        return None
    return words[1].strip() if len(words) > 1 else ""


def _magic_words(statement: ast.stmt, magic_lines: dict[str, str]) -> list[str]:
    """The magic's name and the rest of its line, for a statement that stands for a line
    magic; [] for any other."""
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Name):
        return magic_lines.get(statement.value.id, "").split(None, 1)
    return []

"""The lines of a cell that may bind any name, found from its text (`NotebookImports.wildcard`).

A name a library function reads, bound nowhere in sight in the notebook, may
still be bound by a star import of another module, a line magic (`%run
setup.py`), IPython's API (`get_ipython().push(...)`), `exec(...)` or an
assignment through `globals()`: these lines are what the notebook may have
bound it with, which the library's function would not see.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from functools import cache

from nbrefactor.analysis.dynamic_bindings import NAMESPACE_CHANGES
from nbrefactor.analysis.line_magics import (
    automagic_line,
    binds_any,
    line_binds_any,
    star_imports,
)
from nbrefactor.analysis.parsing import AST_ERRORS
from nbrefactor.analysis.text import LinePattern, line_around
from nbrefactor.analysis.words import assignment_after, is_word_character, word_offsets

# IPython's API run from the notebook: `get_ipython().run_line_magic('run', 'setup.py')`,
# also through a name (`ip = get_ipython()`, `ip.push({...})`). Found by the method's text
# (`str.find`), the receiver read backwards from it: no pattern tried at every position.
_IPYTHON_METHODS = (".push(", ".run_cell(", ".run_line_magic(", ".ex(", ".run_code(")


@cache
def _wildcard_line() -> LinePattern:
    """A line that may bind any name: `from m import *`, a line magic (`%run script.py`).
    Compiled when first needed: only a cell that may bind any name is asked."""
    return LinePattern(r"[ \t]*(?:from[ \t]|import[ \t]|%)[^\n]*")


@cache
def _magic_argument() -> re.Pattern[str]:
    """The quoted magic name `run_line_magic` is given; compiled when first needed."""
    return re.compile(r"[ \t]*['\"](\w+)['\"]")


# Code that may bind names its text does not show: `exec('K = 1')`, `globals()['K'] = 1`
# (`_binds_through_namespace` tells an assignment from a look-up); `vars()` and `locals()`
# are `globals()` at a notebook's top level.
# IPython's namespace too (`get_ipython().user_ns['K'] = 1`, `ip.user_ns.update(...)`,
# `user_global_ns`), and a frame's (`sys._getframe().f_globals['K'] = 1`: sweep 27).
_NAMESPACES = (
    *("globals()", "vars()", "locals()", "user_ns", "user_global_ns"),
    *("f_globals", "f_locals"),
)
# Any line holding one of these may bind a name: the notebook's module by another name
# (`import __main__ as m` / `m.K = 1`, `vars(__main__)`, `sys.modules['__main__'].__dict__`),
# and the builtins (`builtins.K = 1`: a name bound nowhere is found there).
# `if __name__ == "__main__":` binds nothing.
# `sys.modules[__name__]` is the notebook's module too (`setattr(sys.modules[__name__], "K",
# 1)`, `this = sys.modules[__name__]`).
# A target in the notebook's module given as a string (`mock.patch("__main__.K")`, or
# `f"{__name__}.K"`): the call sets K there (round 57b).
_ALWAYS_BINDERS = ("__main__", "builtins", "modules[__name__]", "{__name__}.")
_DYNAMIC_BINDERS = ("exec(", *_NAMESPACES, *_ALWAYS_BINDERS)


def ipython_aliases(sources: Iterable[str]) -> frozenset[str]:
    """The names these cells bind to IPython's shell (`ip = get_ipython()`), through which a
    later cell may call its API (`ip.push({...})`: sweep 27)."""
    found = set()
    for source in sources:
        position = source.find("get_ipython()")
        while position >= 0:
            start, line = line_around(source, position)
            target, equals, between = line[: position - start].rpartition("=")
            if equals and not between.strip() and target.strip().isidentifier():
                found.add(target.strip())
            position = source.find("get_ipython()", position + 1)
    return frozenset(found)


def wildcard_lines(
    source: str,
    library: str,
    stars_only: bool,
    naming: str | None = None,
    aliases: frozenset[str] = frozenset(),
) -> list[str]:
    """The lines of a cell that may bind any name (`NotebookImports.wildcard`), in order;
    with `naming`, only those naming it as what they bind (`globals()['max'] = min`).
    `aliases`: the notebook's names for IPython's shell (`ipython_aliases`)."""
    return [line for _, line in wildcard_offsets(source, library, stars_only, naming, aliases)]


def wildcard_offsets(
    source: str,
    library: str,
    stars_only: bool,
    naming: str | None = None,
    aliases: frozenset[str] = frozenset(),
) -> list[tuple[int, str]]:
    """`wildcard_lines`, each with the offset where its line starts."""
    found = []
    automagic = automagic_line(source)  # `run setup.py` alone in its cell
    if automagic is not None:
        magic = line_binds_any(automagic)
        if star_imports(magic, automagic) or (magic is not None and not stars_only):
            found.append((0, source.strip()))
    for match in _wildcard_line().finditer(source):
        line = match.group().strip()
        if line.startswith("%"):
            magic = line_binds_any(line)
            if star_imports(magic, line) or (magic is not None and not stars_only):
                found.append((match.start(), line))
        # `from numpy import *`, and after `;`: `import numpy as np; from numpy import *`
        elif "*" in line and "from" in line and _star_imports_another(line, library):
            found.append((match.start(), line))
    for binder in () if stars_only else _DYNAMIC_BINDERS:
        if naming is not None and binder == "builtins":
            continue  # `builtins.max = min` rebinds the builtin for the library too
        position = source.find(binder)
        while position >= 0:
            start, line = line_around(source, position)
            if _binds_any(line, position - start, binder) and (
                naming is None or _names_binding(line, naming)
            ):
                found.append((start, line.strip()))
                break  # the first is enough: the cell may bind any name
            position = source.find(binder, position + len(binder))
    if "get_ipython" in source or any(f"{alias}." in source for alias in aliases):
        found.extend(_ipython_calls(source, stars_only, aliases))
    if naming is not None:
        found = [(start, line) for start, line in found if _names_binding(line, naming)]
    return sorted(found)


def _ipython_calls(source: str, stars_only: bool, aliases: frozenset[str]) -> list[tuple[int, str]]:
    """(offset, line) of the calls of IPython's API that may bind any name: `push`,
    `run_cell`, `run_line_magic` of a magic that may (`line_magics`); with `stars_only`,
    only `%pylab`'s. Called on `get_ipython()`, on a name this cell binds to it, or on one
    of `aliases`."""
    found = []
    for method in _IPYTHON_METHODS:
        position = source.find(method)
        while position >= 0:
            end = position + len(method)
            start, line = line_around(source, position)
            receiver = _receiver(source, start, position)
            if (
                receiver == "get_ipython()"
                or receiver in aliases
                or f"{receiver} = get_ipython()" in source
            ):
                named = _magic_argument().match(source, end)
                magic = named.group(1) if named else None
                binds = method != ".run_line_magic(" or magic is None or binds_any(magic)
                if star_imports(magic, line) or (binds and not stars_only):
                    found.append((start, line.strip()))
            position = source.find(method, end)
    return found


_STRING_TARGETS = ("'__main__.", '"__main__.', "{__name__}.")


def _names_binding(line: str, name: str) -> bool:
    """Whether the line names `name` as what it binds: a key (`globals()['max'] = min`,
    `setattr(m, "max", min)`), a keyword (`update(max=min)`) or an attribute assigned
    (`__main__.max = min`), or a target in the notebook's module given as a string
    (`mock.patch("__main__.max")`, `f"{__name__}.max"`); not a name it only reads
    (`__import__('__main__')`, `__main__.max(1)`)."""
    if f"'{name}'" in line or f'"{name}"' in line:
        return True
    for offset in word_offsets(line, name):
        if line.endswith(_STRING_TARGETS, 0, offset):
            return True
        end = offset + len(name)
        after = assignment_after(line, end)
        if after == "=" or (after is not None and line[offset - 1 : offset] == "."):
            return True
    return False


def _receiver(source: str, line_start: int, dot: int) -> str:
    """What the method at `dot` is called on, within its line: `get_ipython()`, or a name."""
    if source.endswith("get_ipython()", line_start, dot):
        return "get_ipython()"
    begin = dot
    while begin > line_start and is_word_character(source[begin - 1]):
        begin -= 1
    return source[begin:dot]


def _binds_any(line: str, column: int, binder: str) -> bool:
    """Whether the line, which holds `binder` at `column`, may bind any name."""
    if binder == "builtins" and column and is_word_character(line[column - 1]):
        # `__builtins__` may bind through many spellings (`setattr(__builtins__, ...)`,
        # `b = __builtins__`, `vars(__builtins__)[...]`: round 76b F16), but not when its
        # type is all that is asked (`type(__builtins__)`: round 73b F6, a false reason);
        # another word holding `builtins` (`mybuiltins`) is not it
        dunder = line.startswith("__builtins__", column - 2)
        before = line[: column - 2].rstrip()
        asked_type = before.endswith("type(") and not is_word_character(before[-6:-5] or " ")
        return dunder and not asked_type  # not `settype(__builtins__)` (round 77a F5)
    if binder in ("exec(", "builtins", "modules[__name__]", "{__name__}."):
        return True
    if binder == "__main__":
        return "__name__" not in line  # `if __name__ == "__main__":` binds nothing
    return _binds_through_namespace(line[:column], line[column:], binder)


# A call of a method changing the namespace (`.update(`), as text; `.pop` also as a
# prefix (`.pop (`).
_CHANGES = (*sorted(f".{method}(" for method in NAMESPACE_CHANGES), ".pop")


def _binds_through_namespace(before: str, text: str, namespace: str) -> bool:
    """Whether `globals()...` (the `namespace` call) at the start of `text` assigns
    (`globals()['K'] = 1`, `globals().update(...)`) or is handed to other code that may
    (`ns = globals()`, `run(globals())`), rather than looks up (`'K' in globals()`,
    `globals()['K']`, `globals().get('K')`)."""
    rest = text[len(namespace) :].lstrip()
    if rest.startswith(_CHANGES):
        return True  # `.pop(` and `.popitem(` delete a name (round 50a N4: `.clear()`)
    if rest.startswith("[") and before.split()[-1:] == ["del"]:
        return True  # `del globals()['K']` (round 56a: it raised NameError after)
    if not rest.startswith("["):
        # Handed on: assigned to a name, or an argument; `in globals()` and the
        # read-only methods look up.
        before = before.rstrip()
        if rest.startswith(".") or before.endswith(" in"):
            return False
        return "=" in before or before.endswith(("(", ","))
    depth = 0
    for index, character in enumerate(rest):  # to the closing bracket, on this line
        depth += {"[": 1, "]": -1}.get(character, 0)
        if depth == 0:  # `globals()['K'] = 1`, `globals()['K'] += 1`
            return assignment_after(rest, index + 1) is not None
    return False


def _star_imports_another(line: str, library: str) -> bool:
    """Whether the line (`from m import *` takes no parentheses) star-imports a module of
    another package than the library's."""
    try:
        statements = ast.parse(line).body
    except AST_ERRORS:
        return False
    return any(
        isinstance(statement, ast.ImportFrom)
        and statement.names[0].name == "*"
        and (statement.module or "").partition(".")[0] != library.partition(".")[0]
        for statement in statements
    )

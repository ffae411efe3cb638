"""Whether a notebook's imports of the library's name are imports of the module read.

Projects name their own modules `helpers` or `utils`. A notebook that runs
`sys.path.append("../src")` and imports its project's `helpers` shares that
name with the module `extract` writes beside it, or `--module` names: Python
imports a module once, so one of the two imports fails. The notebook ran, so
what it takes from its `helpers` is there, and a name the module read does not
bind shows that the notebook's is another module: `from helpers import load`,
`from helpers.io import load` or `import helpers.io` (no such submodule),
`helpers.load()` after `import helpers`. Wherever the import stands (in a
`try`, in a function): the other module exists all the same. An attribute the
notebook stores first (`helpers.RUN_NAME = "exp1"`), or one a function of the
module binds through `global`, shows nothing.

Found in the cells' text, as `notebook_imports` finds imports (each import
line parsed alone), so that migrate and extract ask the same question of their
own readings.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Container, Sequence
from types import ModuleType

from nbrefactor.analysis.import_statements import parsed_imports
from nbrefactor.analysis.text import import_lines
from nbrefactor.analysis.words import assignment_after

# What every module has, as a module object (`helpers.__setattr__`, round 52b: read as a name
# the module lacks) or bound by the import system: `helpers.__file__` shows nothing; a
# `__version__` is the module's own.
_EVERY_MODULES = frozenset(dir(ModuleType("_"))) | frozenset(
    {"__file__", "__path__", "__builtins__", "__cached__", "__annotations__"}
)


def other_module_import(
    sources: Sequence[tuple[int, str]], module: str, names: Container[str]
) -> tuple[int, str] | None:
    """(cell, name) of the first name the notebook's code cells (`sources`, in order) take
    from a module named `module` that the module read does not bind (`names`:
    `importable_names`, with the legacy names); None when there is none."""
    aliases: list[tuple[int, str]] = []  # (cell, what `import module [as a]` binds to it)
    for cell, source in sources:
        if module not in source:
            continue
        for match in import_lines().finditer(source):
            if module not in match.group():
                continue
            for statement in parsed_imports(source, match.start()):
                taken = _taken(statement, module, names)
                if taken is not None:
                    return cell, taken
                if isinstance(statement, ast.Import):
                    aliases += [
                        (cell, alias.asname or alias.name)
                        for alias in statement.names
                        if alias.name == module
                    ]
    stored: set[str] = set()  # `helpers.RUN_NAME = "exp1"`: the notebook's own, from then on
    for first, alias in aliases:
        attribute = re.compile(rf"(?<![\w.]){re.escape(alias)}\.(\w+)")
        for cell, source in sources:
            if cell < first or alias not in source:
                continue
            for match in attribute.finditer(source):
                name = match.group(1)
                if name in names or name in _EVERY_MODULES or name in stored:
                    continue
                if assignment_after(source, match.end()) == "=":
                    stored.add(name)
                    continue
                return cell, name
    return None


def _taken(
    statement: ast.Import | ast.ImportFrom, module: str, names: Container[str]
) -> str | None:
    """The first name the import takes from `module` that `names` lacks: an imported name,
    or the submodule of `from module.sub import x` / `import module.sub`."""
    prefix = module + "."
    if isinstance(statement, ast.ImportFrom):
        if statement.level or statement.module is None:
            return None
        if statement.module == module:
            missing = [alias.name for alias in statement.names if alias.name not in names]
            return next((name for name in missing if name != "*"), None)
        dotted = [statement.module]
    else:
        dotted = [alias.name for alias in statement.names]
    for name in dotted:
        if name.startswith(prefix):
            submodule = name[len(prefix) :].partition(".")[0]
            if submodule not in names:
                return submodule
    return None


def module_itself_import(sources: Sequence[tuple[int, str]], module: str) -> int | None:
    """The first cell of the notebook's code cells (`sources`, in order) that imports a
    module named `module` itself, whatever it takes from it: `import module [as m]`,
    `import module.sub`, `from module import *`, or the name as a string given to
    `find_spec`, `import_module` or `__import__`. Before a module of that name is created
    such a line found another module or none (`except ImportError: module = None`); after,
    it finds the new one (round 57b)."""
    by_string = re.compile(
        rf"""(?:find_spec|import_module|__import__)\([ \t]*(['"]){re.escape(module)}\1"""
    )
    prefix = module + "."
    for cell, source in sources:
        if module not in source:
            continue
        if by_string.search(source):
            return cell
        for match in import_lines().finditer(source):
            if module not in match.group():
                continue
            for statement in parsed_imports(source, match.start()):
                if isinstance(statement, ast.Import):
                    dotted = [alias.name for alias in statement.names]
                elif statement.level == 0 and statement.names[0].name == "*":
                    dotted = [statement.module or ""]
                else:
                    continue
                if any(name == module or name.startswith(prefix) for name in dotted):
                    return cell
    return None

"""The modules a top-level statement of a notebook imports when it runs, in every way read:
what Python keeps in `sys.modules` before a library's new import (`notebook_bound`,
`NBR278`).

An import statement at the top level, in a block there (`try: import utils`, round 72b)
or in a class body, which runs where it stands; the code of a line magic that runs Python
(`%time import utils`, `%timeit -n1 -r1 import utils`), which the parser reads as a
statement after the masked magic (`magics.mask_magics`); autoreload's `%aimport utils`; a
call importing a module a literal names (`importlib.import_module("utils")`,
`__import__("utils")`: `import_targets.imported_by_call`), and what the literal given to
`exec` imports (`exec("import utils")`), on the safe side, as a call may not run (round
73a F7: each of these bound the notebook's own utils.py first, and the library's `from
utils import helper` raised ImportError). Not an import in a function's body or a lambda,
which runs only when called.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from nbrefactor.analysis.import_targets import imported_by_call, modules_of
from nbrefactor.analysis.magics import PYTHON_CELL_MAGICS, MaskedSource, cell_magic
from nbrefactor.analysis.parsing import AST_ERRORS
from nbrefactor.analysis.words import has_word

_AIMPORT = "%aimport"


def may_import(source: str, tops: Iterable[str]) -> bool:
    """Whether a code cell's text may import one of the top-level modules `tops` in a way
    `imports_run` reads: it says `import` (`%aimport`, `import_module`, `__import__` too)
    and the module's name as a word, outside a cell magic that is not Python."""
    if "import" not in source:
        return False
    magic = cell_magic(source)
    if magic is not None and magic not in PYTHON_CELL_MAGICS:
        return False
    return any(top in source and has_word(source, top) for top in tops)


def imports_run(statement: ast.stmt, masked: MaskedSource | None = None) -> list[list[str]]:
    """The modules (`modules_of`) of each import that the top-level `statement` runs, or may
    run, in order; `masked` tells the magic lines the statement stands for."""
    lines = {key.strip(): line for key, line in masked.originals.items()} if masked else {}
    found: list[tuple[int, int, list[str]]] = []
    pending: list[ast.AST] = [statement]
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue  # runs when called
        at = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append((*at, modules_of(node)))
            continue
        if isinstance(node, ast.Call):
            found += [(*at, modules) for modules in _called(node)]
        elif isinstance(node, ast.Name) and node.id in lines:
            found += [(*at, [module]) for module in _aimported(lines[node.id])]
        pending += ast.iter_child_nodes(node)
    return [modules for *_, modules in sorted(found, key=lambda entry: entry[:2])]


def _called(call: ast.Call) -> list[list[str]]:
    """The modules a call imports: one a literal names (`import_module("utils")`), or those
    the code a literal gives `exec` imports (`exec("import utils")`)."""
    imported = imported_by_call(call)
    if imported is not None:
        return [[imported]] if imported and not imported.startswith(".") else []
    func, args = call.func, call.args
    if not (isinstance(func, ast.Name) and func.id == "exec" and args):
        return []
    code = args[0]
    if not (isinstance(code, ast.Constant) and isinstance(code.value, str)):
        return []
    try:
        body = ast.parse(code.value).body
    except AST_ERRORS:
        return []
    return [modules for statement in body for modules in imports_run(statement)]


def _aimported(line: str) -> list[str]:
    """The modules autoreload's `%aimport a, b` line imports (IPython's `aimport`: each name
    after the comma; none for `%aimport` alone, nor `%aimport -a`, which marks it not to be
    reloaded)."""
    text = line.strip()
    rest = text[len(_AIMPORT) :]
    if not text.startswith(_AIMPORT) or rest[:1] not in (" ", "\t"):
        return []
    rest = rest.strip()
    if rest.startswith("-"):
        return []
    names = [name.strip() for name in rest.split(",")]
    return [name for name in names if name and all(map(str.isidentifier, name.split(".")))]

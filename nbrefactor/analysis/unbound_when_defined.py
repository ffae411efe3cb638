"""A name a `def` reads when it runs that no cell binds before it: the `def` raised NameError.

A `def` evaluates its decorators and default values where it runs. A copy whose
decorator reads `np` in a cell above the one doing `import numpy as np` raised
NameError there (sweep 25 F3): it never bound its name, the rest of its cell never
ran, and later calls raised NameError too. The import would bind the name there and
make them work, so such a definition is kept (`rules.same_function`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from nbrefactor.analysis.notebook_imports import NotebookImports
from nbrefactor.analysis.notebook_variables import NotebookVariables, ipython_binds
from nbrefactor.analysis.scopes import annotated, kernel_builtin


def unbound_when_defined(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    cell: int,
    variables: NotebookVariables,
    notebook: NotebookImports,
    library: str,
) -> tuple[str, str, int] | None:
    """(name, "decorator", "default" or "annotation", the first cell binding it or 0) for
    the first name a decorator, default or annotation of the `def` in `cell` reads that no
    cell binds before that cell; None when there is none.

    A binding anywhere in the definition's own cell, or in a cell above it, counts (the
    safe side: the name is then taken to be bound), and so does a line above that may bind
    any name (`from x import *`, `%run`; `library`: the module a star import of which does
    not count); builtins, IPython's names and dunder names are bound. The library's own
    names count where the notebook defines or imports them (sweep 28: `def apply(x,
    fn=double)` above the cell defining `double` raised NameError, and the import binding
    both made the cell run)."""
    annotations = not _annotations_postponed(notebook, cell, node.lineno)
    for where, expression in _run_when_defined(node, annotations):
        for name in _names_read(expression):
            if kernel_builtin(name) or ipython_binds(name):
                continue
            if name.startswith("__") and name.endswith("__"):
                continue  # `__name__`, `__file__`: the kernel's module binds them
            first = _first_binding_cell(name, variables, notebook, library)
            if first is None or first > cell:
                return name, where, first or 0
    return None


def _annotations_postponed(notebook: NotebookImports, cell: int, line: int) -> bool:
    """Whether `from __future__ import annotations` runs before the `def` on `line` of
    `cell`: in a cell above, or above that line. IPython compiles a cell's statements one
    by one and keeps a future statement for those compiled after it, which then leave
    their annotations unevaluated; a `def` above it in its cell evaluated them (re-check
    28)."""
    for number, target in notebook.targets("annotations"):
        if target != "__future__.annotations" or number > cell:
            continue
        if number < cell or _future_above(notebook.notebook.cells[cell - 1].source, line):
            return True
    return False


def _future_above(source: str, line: int) -> bool:
    """Whether a line above `line` (1-based) of the cell imports annotations from
    `__future__`."""
    return any(
        text.lstrip().startswith("from __future__ import") and "annotations" in text
        for text in source.splitlines()[: line - 1]
    )


def _run_when_defined(
    node: ast.FunctionDef | ast.AsyncFunctionDef, annotations: bool
) -> Iterator[tuple[str, ast.expr]]:
    """What a `def` evaluates when it runs: its decorators, defaults and, unless
    `from __future__ import annotations` postponed them, its annotations (sweep 28:
    `def f(x: np.ndarray)` above `import numpy as np` raised NameError)."""
    for decorator in node.decorator_list:
        yield "decorator", decorator
    arguments = node.args
    for default in (*arguments.defaults, *arguments.kw_defaults):
        if default is not None:
            yield "default", default
    if annotations:
        yield from (("annotation", annotation) for _, annotation in annotated(node))


def _names_read(expression: ast.expr) -> Iterator[str]:
    """The names the expression reads when it is evaluated, in the scope it is in. A
    lambda's body runs later: only its defaults are read. A generator expression reads its
    first iterable (sweep 28: `d=(v for v in np.r_)`); a list, set or dict comprehension
    runs whole, reading every name but those its own `for`s bind (re-check 28: `[a for a in
    (1, 2) if np.pi]`)."""
    pending: list[ast.AST] = [expression]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Lambda):
            pending.extend(node.args.defaults)
            pending.extend(default for default in node.args.kw_defaults if default is not None)
            continue
        if isinstance(node, ast.GeneratorExp):
            pending.append(node.generators[0].iter)
            continue
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp)):
            yield from _comprehension_reads(node)
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            yield node.id
        pending.extend(ast.iter_child_nodes(node))


def _comprehension_reads(node: ast.ListComp | ast.SetComp | ast.DictComp) -> Iterator[str]:
    """The names a comprehension run whole reads from where it stands: its first iterable's,
    and the others' but those its `for`s bind."""
    yield from _names_read(node.generators[0].iter)
    bound = {
        target.id
        for generator in node.generators
        for target in ast.walk(generator.target)
        if isinstance(target, ast.Name)
    }
    rest: list[ast.AST] = [*node.generators[0].ifs, *node.generators[1:]]
    rest += [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
    for part in rest:
        for name in _names_read(part):  # type: ignore[arg-type]
            if name not in bound:
                yield name


def _first_binding_cell(
    name: str, variables: NotebookVariables, notebook: NotebookImports, library: str
) -> int | None:
    """The first cell that binds `name` by any statement (an assignment, an import, a `def`
    or `class`) or by a line that may bind any name; None when none does."""
    cells = [variables.first_binding(name)]
    cells += [number for number, _ in notebook.targets(name)]
    cells += [number for number, _ in notebook.definitions(name)]
    if name in notebook.replaceable:  # its top-level `def`s, which `definitions` leaves out
        cells.append(notebook.first_defining_cell(name))
        star = notebook.wildcard("", stars_only=True)  # the library's `import *` binds it too
        cells.append(None if star is None else star[0])
    wildcard = notebook.wildcard(library)
    cells.append(None if wildcard is None else wildcard[0])
    found = [number for number in cells if number is not None]
    return min(found) if found else None

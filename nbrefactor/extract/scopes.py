"""Which names a definition reads from module scope, and what kind of name each is in a notebook.

A helper moved into a module sees the module's globals, not the notebook's:
whatever it reads from the notebook's module scope must either come along
(an import, another definition) or stop it from moving (a notebook variable).
Both questions are answered with the standard library's `symtable`, which
knows Python's scoping rules (comprehensions, `global`, class bodies, default
values evaluated at definition time), not with a regular expression.

`notebook_variables_read` is the one entry point that `migrate`'s same-function
rule can share: a *notebook variable* is a name the notebook binds at module
level by anything other than `import`, `def` and `class` (assignment, `for`,
`with`, augmented assignment, `global` in a function, ...).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from nbrefactor.analysis.dynamic_bindings import names_bound
from nbrefactor.analysis.scopes import (
    all_arguments,
    free_names,
    locally_bound,
    module_scope_statements,
    variables_bound,
)


class BindingKind(Enum):
    IMPORT = "import"
    DEFINITION = "def or class"
    VARIABLE = "variable"


@dataclass(frozen=True)
class ModuleBinding:
    """A module-level name a notebook binds, where, and how."""

    name: str
    kind: BindingKind
    cell: int
    statement: ast.stmt  # the top-level statement that binds it


def names_read_from_module(source: str) -> tuple[str, ...]:
    """The names a top-level `def` or `class` reads (or sets through `global`) in module scope,
    in first-seen order: the same free names as `migrate`'s same-function rule
    (`analysis.scopes.free_names`). Raises SyntaxError when the source does not parse.
    """
    free = free_names(source)
    return (*free.reads, *sorted(free.declared_global - set(free.reads)))


def star_imports(statement: ast.stmt) -> list[tuple[int, str]]:
    """(line, the module's last name) of each `from MODULE import *` the top-level statement
    runs at module level: `from pkg.helpers import *` star-imports `helpers`."""
    return [
        (node.lineno, node.module.rpartition(".")[2])
        for node in module_scope_statements([statement])
        if isinstance(node, ast.ImportFrom) and node.names[0].name == "*" and node.module
    ]


def statement_bindings(statement: ast.stmt, cell: int) -> list[ModuleBinding]:
    """The module-level names one top-level statement of a cell binds, each with its kind.

    `def`/`class` at top level (or inside an `if`/`try`) bind a definition,
    `import` an import, anything else a variable; a `global NAME` assigned
    in any function the statement holds binds NAME as a variable too.
    """
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        own = [ModuleBinding(statement.name, BindingKind.DEFINITION, cell, statement)]
    elif isinstance(statement, (ast.Import, ast.ImportFrom)):
        return [
            ModuleBinding(_bound_name(alias), BindingKind.IMPORT, cell, statement)
            for alias in statement.names
            if alias.name != "*"
        ]
    else:
        own = []
    found = list(own)
    if not own:
        # Inside `if`/`try` at module level: `try: import x` / `except ImportError: x = None`.
        for node in _module_level(statement):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found += [
                    ModuleBinding(_bound_name(alias), BindingKind.IMPORT, cell, statement)
                    for alias in node.names
                    if alias.name != "*"
                ]
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.append(ModuleBinding(node.name, BindingKind.DEFINITION, cell, statement))
    variables = variables_bound(ast.Module(body=[statement], type_ignores=[]))
    variables |= names_bound(statement)  # `globals()['K'] = 1`, `__main__.K = 1`
    found += [
        ModuleBinding(name, BindingKind.VARIABLE, cell, statement) for name in sorted(variables)
    ]
    return found


def _module_level(statement: ast.stmt) -> Iterator[ast.stmt]:
    """The statements nested in a top-level compound statement that run in module scope."""
    pending: list[ast.stmt] = [statement]
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            for child in getattr(node, field, ()):
                if isinstance(child, ast.stmt):
                    pending.append(child)
                else:  # an except handler or a match case holds statements
                    pending.extend(getattr(child, "body", ()))


def _bound_name(alias: ast.alias) -> str:
    return alias.asname or alias.name.split(".")[0]


def notebook_variables_read(
    definition_source: str, bindings: Mapping[str, Sequence[ModuleBinding]]
) -> list[tuple[str, int]]:
    """The notebook variables a definition reads: (name, first cell binding it), in reading order.

    `definition_source` is the top-level `def` (or `class`) alone; `bindings`
    is every module-level binding of the notebook by name. A name counts
    when any binding of it is a variable (an import or `def` elsewhere does
    not make it safe: which one runs depends on the order cells ran in).
    Builtins and names bound nowhere are not notebook variables.
    """
    found = []
    for name in names_read_from_module(definition_source):
        variables = [b for b in bindings.get(name, ()) if b.kind is BindingKind.VARIABLE]
        if variables:
            found.append((name, min(binding.cell for binding in variables)))
    return found


def module_name_calls(statement: ast.stmt) -> list[ast.Call]:
    """The calls in a top-level statement of a name that is the module's where it is called,
    in `ast.walk` order: `fmt(x)`, not the call of a parameter, local variable or
    comprehension target `fmt` inside a function, lambda or comprehension (sweep S: `def
    apply(fmt, x): fmt(x, 99)` counted as a call of the helper `fmt`). Scopes are walked
    without recursion."""
    local_calls: set[int] = set()  # id() of the calls of a local name
    pending: list[tuple[ast.AST, frozenset[str]]] = [(statement, frozenset())]
    while pending:
        node, local = pending.pop()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in local:
            local_calls.add(id(node))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            body = node.body if isinstance(node.body, list) else [node.body]
            inner = local | {argument.arg for argument in all_arguments(node.args)}
            inner |= locally_bound(list(body))
            # Decorators, defaults and annotations run where the `def` is.
            in_body = {id(child) for child in body}
            for child in ast.iter_child_nodes(node):
                pending.append((child, inner if id(child) in in_body else local))
            continue
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            targets = {
                name.id
                for generator in node.generators
                for name in ast.walk(generator.target)
                if isinstance(name, ast.Name)
            }
            first = node.generators[0].iter  # runs outside the comprehension
            pending.append((first, local))
            for child in ast.iter_child_nodes(node):
                if child is not node.generators[0]:
                    pending.append((child, local | targets))
            for child in ast.iter_child_nodes(node.generators[0]):
                if child is not first:
                    pending.append((child, local | targets))
            continue
        pending.extend((child, local) for child in ast.iter_child_nodes(node))
    return [
        node
        for node in ast.walk(statement)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and id(node) not in local_calls
    ]

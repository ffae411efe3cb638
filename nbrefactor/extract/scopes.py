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
import symtable
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum


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
    """The names a top-level `def` or `class` reads (or writes) in module scope, in first-seen order.

    `source` is the statement alone, starting at column 0. Decorators,
    default values and annotations run in module scope; inside the body a
    name is the module's when no enclosing function binds it (symtable's
    `is_global`), or when the body declares it `global`. The statement's own
    name is left out. Raises SyntaxError when the source does not parse.
    """
    top = symtable.symtable(source, "<definition>", "exec")
    defined = {child.get_name() for child in top.get_children()}
    found: dict[str, None] = {}
    for symbol in top.get_symbols():
        if symbol.is_referenced() and symbol.get_name() not in defined:
            found[symbol.get_name()] = None
    for child in top.get_children():
        for name in _globals_below(child):
            found[name] = None
    return tuple(found)


def _globals_below(table: symtable.SymbolTable) -> Iterator[str]:
    for symbol in table.get_symbols():
        if symbol.is_global() and (symbol.is_referenced() or symbol.is_assigned()):
            yield symbol.get_name()
    for child in table.get_children():
        yield from _globals_below(child)


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
    try:
        top = symtable.symtable(ast.unparse(statement), "<cell>", "exec")
    except (SyntaxError, ValueError, RecursionError):
        return own
    found = list(own)
    if not own:
        for symbol in top.get_symbols():
            kinds = []
            if symbol.is_imported():
                kinds.append(BindingKind.IMPORT)  # `try: import x` ...
            if symbol.is_namespace():
                kinds.append(BindingKind.DEFINITION)
            elif symbol.is_assigned():
                kinds.append(BindingKind.VARIABLE)  # ... `except ImportError: x = None`
            found += [ModuleBinding(symbol.get_name(), kind, cell, statement) for kind in kinds]
    for child in top.get_children():
        for name in _declared_globals_assigned(child):
            found.append(ModuleBinding(name, BindingKind.VARIABLE, cell, statement))
    return found


def _declared_globals_assigned(table: symtable.SymbolTable) -> Iterator[str]:
    for symbol in table.get_symbols():
        if symbol.is_declared_global() and symbol.is_assigned():
            yield symbol.get_name()
    for child in table.get_children():
        yield from _declared_globals_assigned(child)


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

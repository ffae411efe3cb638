"""What the module runs while it is imported, and so the order its definitions are written in.

A module runs each `def` when it is imported: the decorators, the default
values and the annotations are read then, and a function a decorator calls
runs then too. A body is read only when its function is called. So a
definition must be written after every definition it reads when it runs
(`def total(xs, key=weight)` after `def weight`), and an import such a read
needs cannot be left out where a package is missing (`optional`).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from nbrefactor.analysis.scopes import all_arguments
from nbrefactor.extract.gather import Definition


class ReadBeforeDefined(Exception):
    """Definitions that read each other when they run: no order defines them."""


def read_when_defined(node: ast.stmt) -> set[str]:
    """The names a `def` or `class` statement reads when it runs: decorators, annotations,
    defaults, bases, a class's body."""
    parts: list[ast.AST] = list(getattr(node, "decorator_list", []))
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        arguments = node.args
        parts += [arg.annotation for arg in all_arguments(arguments) if arg.annotation]
        parts += [*arguments.defaults, *(d for d in arguments.kw_defaults if d is not None)]
        parts += [node.returns] if node.returns else []
    elif isinstance(node, ast.ClassDef):
        parts += [*node.bases, *node.keywords, *node.body]
    return {found.id for part in parts for found in ast.walk(part) if isinstance(found, ast.Name)}


def read_at_import(definition: Definition, by_name: Mapping[str, Definition]) -> set[str]:
    """The names the definition reads when the module runs it (`read_when_defined`), and
    those the module's functions it then calls read (`@deco` whose body reads
    `fastdeco.wrap`), transitively; a called function's whole text counts."""
    read = read_when_defined(definition.node)
    pending = list(read)
    while pending:
        called = by_name.get(pending.pop())
        if called is None:
            continue
        for node in ast.walk(called.node):
            if isinstance(node, ast.Name) and node.id not in read:
                read.add(node.id)
                pending.append(node.id)
    return read


def defined_before_read(definitions: list[Definition]) -> tuple[Definition, ...]:
    """The definitions, each after those it reads when it runs (a default `key=weight`, a
    decorator), otherwise in the order given: `def weight` calling `total` and `def
    total(xs, key=weight)` form a cycle a search may enter from either end, and only the
    default orders them. Raises `ReadBeforeDefined` for a cycle of such reads."""
    by_name = {definition.name: definition for definition in definitions}
    placed: dict[int, Definition] = {}
    placing: set[int] = set()

    def place(current: Definition) -> None:
        if id(current) in placed:
            return
        if id(current) in placing:
            raise ReadBeforeDefined(f"{current.name} is read when a definition it reads is defined")
        placing.add(id(current))
        for name in sorted(read_when_defined(current.node) & by_name.keys() - {current.name}):
            place(by_name[name])
        placing.discard(id(current))
        placed[id(current)] = current

    for definition in definitions:
        place(definition)
    return tuple(placed.values())

"""What a decorator's names hold, and what a value computed when it is applied does
(`decorator_shapes`, which reads its statements): made to be changed, another name for
the decorated function, a read of its module's variables, a call that may do anything."""

from __future__ import annotations

import ast
import enum
from collections.abc import Callable
from typing import Self

from nbrefactor.analysis.scopes import all_arguments
from nbrefactor.rules.decorator_names import (
    INSPECTING,
    MAKERS,
    NAME_ATTRIBUTES,
    harmless_use,
    is_cache,
    last_name,
    reads_a_name,
)


class Decoration(enum.IntEnum):
    """What applying a decorator does, from least to most: the worst of its parts wins."""

    ONLY_WRAPS = 0
    KEEPS_STATE = 1  # each decoration makes state its wrapper may change
    RUNS = 2  # does something when applied: may change state beyond the new function


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_MUTABLE = (ast.List, ast.Dict, ast.Set, *_COMPREHENSIONS, ast.Lambda)
_RUN = (ast.NamedExpr, ast.Await, ast.Yield, ast.YieldFrom)


class DecoratorScope:
    """A decorator's (or its factory's) names, as its statements bind them."""

    def __init__(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        variable: Callable[[str], bool],
        factory: Self | None = None,
        decorates: bool = True,
    ) -> None:
        self.node = node
        self.variable = variable  # its module's, which may change before it is applied
        self.parameters = {argument.arg for argument in all_arguments(node.args)}
        # The decorated function: its first parameter (`*fns`: all of them). The others
        # keep their defaults, made once where the library defines the decorator: shared.
        self.function = _first_parameter(node) if decorates else None  # a factory's: none
        self.factory = factory
        self.nested: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.harmless: set[str] = set()  # locals bound only to harmless values
        self.bound: set[str] = set(self.parameters)
        self.classes: set[str] = set()  # the classes it defines: calling one makes an instance

    @property
    def makers(self) -> frozenset[str]:
        return MAKERS | self.classes

    @property
    def known(self) -> set[str]:
        """Its names whose values are not made to be changed: parameters (the function,
        defaults made once), harmless locals, the functions it defines."""
        return self.parameters | self.harmless | self.nested.keys()

    def bind(self, name: str, harmless: bool) -> None:
        if harmless and name not in self.bound:
            self.harmless.add(name)
        else:
            self.harmless.discard(name)
        self.bound.add(name)

    def value(self, value: ast.expr, parent: ast.AST | None = None) -> Decoration:
        """A value computed when the decorator runs: a call other than an inspecting one
        (or a walrus, an await) may do anything; a list, dict, set or lambda is made to
        be changed or may close over what is; so is what a read of the function's or a
        local's attributes gives (`fn.__dict__`), but for its names (`fn.__name__`)."""
        worst = Decoration.ONLY_WRAPS
        pending: list[tuple[ast.AST, ast.AST | None]] = [(value, parent)]
        while pending:
            node, parent = pending.pop()
            if isinstance(node, _RUN):
                return Decoration.RUNS
            if isinstance(node, ast.Call):
                called = last_name(node.func)
                if is_cache(node.func) or called in self.makers:
                    worst = max(worst, Decoration.KEEPS_STATE)
                elif called == "getattr":  # an attribute of what it is given: `__dict__`?
                    named = reads_a_name(node)
                    worst = max(worst, Decoration.ONLY_WRAPS if named else Decoration.KEEPS_STATE)
                elif called not in INSPECTING:
                    return Decoration.RUNS
            elif isinstance(node, ast.Name) and node.id == self.function:
                if not harmless_use(node, parent):  # another name for it (`target = fn`)
                    worst = max(worst, Decoration.KEEPS_STATE)
            elif isinstance(node, ast.Name) and self._module_variable(node, parent):
                return Decoration.RUNS  # the notebook may have changed it since the import
            elif isinstance(node, ast.Attribute) and self._module_attribute(node, parent):
                return Decoration.RUNS  # `settings.DEBUG`, which the notebook may have set
            elif self._changeable(node):
                worst = max(worst, Decoration.KEEPS_STATE)
            children: list[ast.AST]
            if isinstance(node, ast.Lambda):  # its body runs when it is called
                children = [*node.args.defaults, *filter(None, node.args.kw_defaults)]
            else:
                children = list(ast.iter_child_nodes(node))
            pending += [(child, node) for child in children]
        return worst

    def names_function(self, value: ast.expr) -> bool:
        return isinstance(value, ast.Name) and value.id == self.function

    def _module_attribute(self, node: ast.Attribute, parent: ast.AST | None) -> bool:
        """An attribute of what a module-level name holds, read, not called (`settings.DEBUG`;
        not `inspect.signature(fn)`): the notebook may set it (re-check 38)."""
        if isinstance(parent, ast.Call) and parent.func is node:
            return False
        if isinstance(parent, ast.Attribute) and parent.value is node:
            return False  # a part of a longer one, looked at whole
        start = root(node)
        if start is None or start in self.bound:
            return False
        return self.factory is None or start not in self.factory.bound

    def _module_variable(self, node: ast.Name, parent: ast.AST | None) -> bool:
        """A variable of its module read, not one of its own or its factory's names, nor a
        function it calls (`signature(fn)` after `from inspect import signature`)."""
        name = node.id
        if name in self.bound or (self.factory is not None and name in self.factory.bound):
            return False
        if isinstance(parent, ast.Call) and parent.func is node:
            return False
        return self.variable(name)

    def _changeable(self, node: ast.AST) -> bool:
        """A list, dict, set or lambda made here; a local holding such a value; what an
        attribute or item of a local or of the function gives (`fn.__dict__`), but for the
        function's names (`fn.__name__`)."""
        if isinstance(node, _MUTABLE):
            return True
        if isinstance(node, ast.Name):
            return node.id in self.bound - self.known
        if isinstance(node, ast.Attribute) and node.attr in NAME_ATTRIBUTES:
            return False
        start = root(node) if isinstance(node, (ast.Attribute, ast.Subscript)) else None
        return start in self.bound - self.harmless  # not a module's (`inspect.signature`)


def _first_parameter(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    if positional:
        return positional[0].arg
    return arguments.vararg.arg if arguments.vararg is not None else None


def arguments(call: ast.Call) -> list[ast.expr]:
    return [*call.args, *(keyword.value for keyword in call.keywords)]


def root(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None

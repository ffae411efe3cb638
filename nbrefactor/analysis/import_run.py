"""What importing a file runs, read from its text: the statements, and the attributes of
names they read (`kernel_bound`: `K = dateutil.custom(1)` beside a `dateutil.py`; the
sibling walk of `import_effects`: `from utils import helper` in a function called then).

Its top-level statements run (blocks entered, `if __name__ == "__main__":` and `if
TYPE_CHECKING:` not), with what a definition computes when it runs (decorators,
defaults, bases, annotations unless postponed) and class bodies. So does the body of each
of the file's own functions and lambdas that those call, decorate with, or hand to a call
(`map(_make, xs)`, `functools.partial(_make)`, `field(default_factory=_make)`, `sorted(xs,
key=lambda x: ...)`: the callee may call it, unless a builtin calling nothing it is given,
`isinstance(x, A)`; round 76a F4), in turn. A lambda kept in a container (`{"a": lambda:
...}["a"]()`) is not followed. A call of one of its
classes (`A()`, or of an attribute of it: `A.build()`) runs every method of the class, of
its nested classes, of its bases and of its metaclass among the file's classes: which of
them Python then calls (`__init__`, `__call__`, a property, `__enter__`, `__set_name__`)
is not followed (rounds 75b F2, 76a F4). A class statement runs its bases'
`__init_subclass__` and its metaclass's methods. A name only bound or passed as a default
(`K = _make`, `def g(cb=_make)`) runs nothing (round 75b F6), nor does a method call on
any other object (`"{}".format(1)` beside a class with a `format` method: round 76a F5).
"""

from __future__ import annotations

import ast
from typing import NamedTuple

from nbrefactor.analysis.effect_statements import top_level
from nbrefactor.analysis.import_targets import postpones_annotations
from nbrefactor.analysis.scopes import annotated, called_name, computed_where_defined

_Function = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


class RunOnImport(NamedTuple):
    """What importing a file runs (`run_on_import`)."""

    statements: list[ast.stmt]
    read: dict[str, list[str]]  # name -> the attributes of it read (`a.helper`)


class _Callables(NamedTuple):
    """The file's own functions and classes, by the name its top level binds them to."""

    functions: dict[str, list[_Function]]  # a def, or a lambda assigned to the name
    classes: dict[str, ast.ClassDef]


def run_on_import(tree: ast.Module) -> RunOnImport:
    """The statements importing the file runs, and the attributes of names they read (the
    module's docstring says which). Postponed annotations are read where something reads
    them then: a def decorated with `X.register` (`functools.singledispatch`) or handed to
    `get_type_hints` (round 73a F2). An attribute read is `a.helper`, `getattr(a,
    "helper")`, or through `du = a` (round 73a F3)."""
    annotations = not any(postpones_annotations(statement) for statement in tree.body)
    statements = list(top_level(tree.body))
    callables = _callables(statements)
    aliases = _module_aliases(statements)
    entered: set[int] = set()  # the `id`s of the functions and lambdas whose bodies are in
    in_bodies: set[int] = set()  # the `id`s of their statements
    found: dict[str, list[str]] = {}
    # The decorators named alone (`@register`): called when the definition runs.
    decorators: set[int] = set()  # their `id`s, taken as each definition is reached
    index = 0
    while index < len(statements):  # grows as called functions' bodies are entered
        statement = statements[index]
        index += 1
        decorators.update(map(id, getattr(statement, "decorator_list", ())))
        run: list[_Function] = []
        if isinstance(statement, _DEFS):
            pending = computed_where_defined(statement, annotations or _registered(statement))
        else:
            pending = [
                child
                for child in ast.iter_child_nodes(statement)
                if not isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case))
            ]
            if isinstance(statement, ast.AnnAssign) and (
                not annotations or id(statement) in in_bodies
            ):
                # a local variable's annotation is never evaluated (round 76b F5)
                pending.remove(statement.annotation)
            if isinstance(statement, ast.ClassDef):
                pending += statement.body
                run += _defining_runs(statement, callables)
        while pending:
            node = pending.pop()
            decorators.update(map(id, getattr(node, "decorator_list", ())))
            if isinstance(node, (*_DEFS, ast.Lambda)):
                pending += computed_where_defined(node, annotations)
                continue
            if isinstance(node, ast.AnnAssign) and not annotations:
                # `x: a.Thing = 1` postponed: a string, never evaluated (round 73a F9)
                pending += [node.target, *([node.value] if node.value else [])]
                continue
            if isinstance(node, ast.Call):
                run += _called(node.func, callables)
                for argument in _handed_on(node):
                    run += _called(argument, callables)  # it may be called
                pending += _hints_read(node, callables)
            elif id(node) in decorators:
                run += _called(node, callables)
            read = _attribute_read(node)
            if read is not None:
                found.setdefault(aliases.get(read[0], read[0]), []).append(read[1])
            pending.extend(ast.iter_child_nodes(node))
        for function in run:
            if id(function) not in entered:
                entered.add(id(function))
                body = _body(function)
                in_bodies.update(map(id, body))
                statements += body
    return RunOnImport(statements, found)


# Builtins that call nothing they are given (`isinstance(x, A)` runs no method of A's).
_NOT_CALLING = frozenset(
    {"isinstance", "issubclass", "callable", "id", "type", "hasattr", "getattr", "setattr"}
    | {"delattr", "print", "repr", "str", "hash", "len"}
)


def _handed_on(call: ast.Call) -> list[ast.expr]:
    """The arguments of a call that the callee may call: every one, but of a builtin that
    calls none."""
    if isinstance(call.func, ast.Name) and call.func.id in _NOT_CALLING:
        return []
    return [*call.args, *(keyword.value for keyword in call.keywords)]


def _callables(statements: list[ast.stmt]) -> _Callables:
    functions: dict[str, list[_Function]] = {}
    classes: dict[str, ast.ClassDef] = {}
    for statement in statements:
        if isinstance(statement, _DEFS):
            functions.setdefault(statement.name, []).append(statement)
        elif isinstance(statement, ast.ClassDef):
            classes[statement.name] = statement
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)) and isinstance(
            statement.value, ast.Lambda
        ):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    functions.setdefault(target.id, []).append(statement.value)
    return _Callables(functions, classes)


def _called(node: ast.AST, callables: _Callables) -> list[_Function]:
    """The file's functions and lambdas whose bodies calling `node` may run: a function or
    lambda by name, a lambda itself, a class by name or an attribute of it (its methods)."""
    if isinstance(node, ast.Lambda):
        return [node]
    if isinstance(node, ast.Attribute):
        node = node.value  # `A.build()`, `Outer.Inner()`
        if not (isinstance(node, ast.Name) and node.id in callables.classes):
            return []
    if not isinstance(node, ast.Name):
        return []
    if node.id in callables.classes:
        return _methods(callables.classes[node.id], callables, set())
    return callables.functions.get(node.id, [])


def _methods(cls: ast.ClassDef, callables: _Callables, seen: set[str]) -> list[_Function]:
    """Every method of the class and of its nested classes, then its bases' and its
    metaclass's among the file's classes."""
    seen.add(cls.name)
    found: list[_Function] = [
        node for node in ast.walk(cls) if isinstance(node, _DEFS) and node is not cls
    ]
    for other in _related(cls, callables):
        if other.name not in seen:
            found += _methods(other, callables, seen)
    return found


def _related(cls: ast.ClassDef, callables: _Callables) -> list[ast.ClassDef]:
    """The class's bases and metaclass that are the file's classes."""
    named = [*cls.bases, *(keyword.value for keyword in cls.keywords)]
    return [
        callables.classes[node.id]
        for node in named
        if isinstance(node, ast.Name) and node.id in callables.classes
    ]


def _defining_runs(cls: ast.ClassDef, callables: _Callables) -> list[_Function]:
    """What a class statement runs of the file's: its metaclass's methods, its bases'
    `__init_subclass__` (round 76a F4)."""
    found: list[_Function] = []
    for keyword in cls.keywords:
        if keyword.arg == "metaclass":
            found += _called(keyword.value, callables)
    for base in _related(cls, callables):
        found += [
            node
            for node in base.body
            if isinstance(node, _DEFS) and node.name == "__init_subclass__"
        ]
    return found


def _body(function: _Function) -> list[ast.stmt]:
    """The statements a call of the function runs: a lambda's expression, as one."""
    if isinstance(function, ast.Lambda):
        return [ast.copy_location(ast.Expr(function.body), function.body)]
    return list(top_level(function.body))


def _registered(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`@show.register` alone: `functools.singledispatch` reads the first parameter's
    annotation when the def runs, postponed or not."""
    return any(
        isinstance(decorator, ast.Attribute) and decorator.attr == "register"
        for decorator in function.decorator_list
    )


def _hints_read(call: ast.Call, callables: _Callables) -> list[ast.AST]:
    """The annotations a call evaluates of the file's own functions: `get_type_hints(g)`
    (`typing.`), `inspect.get_annotations(g, eval_str=True)`."""
    name = called_name(call)
    evaluates = name == "get_type_hints" or (
        name == "get_annotations"
        and any(
            keyword.arg == "eval_str"
            and isinstance(keyword.value, ast.Constant)
            and keyword.value.value is True
            for keyword in call.keywords
        )
    )
    if not evaluates or not call.args or not isinstance(call.args[0], ast.Name):
        return []
    return [
        annotation
        for function in callables.functions.get(call.args[0].id, ())
        if isinstance(function, _DEFS)
        for _parameter, annotation in annotated(function)
    ]


def _attribute_read(node: ast.AST) -> tuple[str, str] | None:
    """(name, attribute) of `name.attribute` or `getattr(name, "attribute")`."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id, node.attr
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "getattr"
        and len(node.args) >= 2
        and isinstance(node.args[0], ast.Name)
        and isinstance(node.args[1], ast.Constant)
        and isinstance(node.args[1].value, str)
    ):
        return node.args[0].id, node.args[1].value
    return None


def _module_aliases(statements: list[ast.stmt]) -> dict[str, str]:
    """`du = dateutil` among the statements run at import: the other name -> the name."""
    return {
        target.id: statement.value.id
        for statement in statements
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Name)
        for target in statement.targets
        if isinstance(target, ast.Name)
    }

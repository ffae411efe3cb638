"""What a function keeps on itself, which each `def` of it makes anew.

A notebook that defines a helper twice holds two function objects: each
`def` starts its own cache (`@functools.cache`), its own counter an attribute
keeps (`f.calls += 1`), its own state a decorator's wrapper keeps
(`@counted`, whose wrapper counts calls). One import shares the library's one
object, so replacing both copies would carry the first copy's state into the
second's uses (`StatePerDefinition`, `rules.definition_time`); and a single
copy's state would be shared with the library's own uses of its function
(`StateShared`). Which library decorators keep state is `decorator_shapes`'
question. So does a notebook that another notebook runs (`%run a.ipynb`): each run
runs the `def` again (`state_per_definition`, `StatePerRun`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping

from nbrefactor.analysis.catalog import LibraryFunction, parameters_of
from nbrefactor.analysis.reader import CellReading
from nbrefactor.analysis.scopes import all_arguments
from nbrefactor.rules.computed_values import makes_mutable
from nbrefactor.rules.decorator_names import NAME_ATTRIBUTES, is_cache, last_name

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# Callees that only call a function they are given (re-check 40: a recursive `flatten`
# handing itself to `map` was kept), and the keywords that name a callback.
_CONSUMERS = frozenset(
    {"map", "filter", "sorted", "min", "max", "partial", "reduce", "starmap", "accumulate"}
    | {"groupby", "apply_along_axis", "vectorize", "submit"}
)
_CALLBACK_KEYWORDS = frozenset({"key", "default", "object_hook", "func", "fn"})
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def state_per_definition(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    library: LibraryFunction,
    reading: CellReading | None = None,
) -> str | None:
    """What each `def` of the copy makes its own, which one import of the library's function
    would share: a mutable default of the library's text (`acc=[]`, as `name=value`; one of
    other text is drift), or what it keeps on itself (`state_on_itself`). The test of
    `DefaultPerDefinition` and `StatePerDefinition`, for a copy whose `def` runs more than
    once otherwise: its notebook run again by another (round 62b, `StatePerRun`)."""
    theirs = {parameter.name: parameter.default for parameter in library.parameters}
    ours = {parameter.name: parameter.default for parameter in parameters_of(node.args)}
    for name, default in parameter_defaults(node.args):
        text = ours[name]
        if text == theirs.get(name) and makes_mutable(default):
            return f"{name}={text}"
    defined = library.names.functions if library.names is not None else {}
    return state_on_itself(node, defined, reading)


def state_per_run(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    library: LibraryFunction,
    reading: CellReading | None = None,
) -> str | None:
    """What each run of the copy's notebook makes anew (`StatePerRun`): a mutable default of
    any text (round 62c F5: `acc=list()` beside the library's `acc=[]` was replaced, and a
    notebook run twice then shared it), or what `state_per_definition` finds. A mutable
    default only the library's function has is not the copy's state: the report says the
    defaults differ (`acc=None` inline, a call of the copy alone differs as much)."""
    for name, default in parameter_defaults(node.args):
        if makes_mutable(default):
            return f"{name}={ast.unparse(default)}"
    return state_per_definition(node, library, reading)


def parameter_defaults(arguments: ast.arguments) -> Iterator[tuple[str, ast.expr]]:
    """(parameter, default value) for each parameter that has one, positional ones first."""
    positional = [*arguments.posonlyargs, *arguments.args]
    yield from zip(
        (argument.arg for argument in positional[len(positional) - len(arguments.defaults) :]),
        arguments.defaults,
    )
    for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
        if default is not None:
            yield argument.arg, default


def state_on_itself(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    defined: Mapping[str, ast.FunctionDef],
    reading: CellReading | None = None,
) -> str | None:
    """What the function keeps on itself, which each `def` makes anew (sweep 31: a second
    `@functools.cache` def recomputed, `f.calls` counted from 0 again; one import shared
    both): a cache a decorator adds, by its name (`cache`, `lru_cache`, `memoize`), the
    state a decorator of `defined` (the library's) may keep (`decorator_shapes`), or
    anything its body does with its own name but call it or read its `__name__`
    (`f.calls = ...`, `f.table[n] = r`, `me = f`, `bump(f)`, `setattr(f, ...)`: re-check
    36 found the last three replaced) while the name is not its own local there.
    `reading`: of the cell holding it, whose text says first whether the body may name it."""
    for decorator in node.decorator_list:
        called = decorator.func if isinstance(decorator, ast.Call) else decorator
        if is_cache(called):
            return f"cache (@{ast.unparse(decorator)})"
        function = defined.get(called.id) if isinstance(called, ast.Name) else None
        if function is None:
            continue
        # Imported here: only a copy decorated by the library's own decorator asks.
        from nbrefactor.rules.decorator_scope import Decoration
        from nbrefactor.rules.decorator_shapes import decoration

        call = decorator if isinstance(decorator, ast.Call) else None
        if decoration(function, call) is not Decoration.ONLY_WRAPS:
            return f"wrapper's state (@{ast.unparse(decorator)})"
    name = node.name
    if not _may_name_itself(node, reading):
        return None
    named = (inner for statement in node.body for inner in ast.walk(statement))
    if not any(isinstance(inner, ast.Name) and inner.id == name for inner in named):
        return None
    if name in _own_scope_names(node):
        return None  # `f = SimpleNamespace()`: `f.lr` is the local's (re-check 31)
    for found, parent in _references(node, name):
        if isinstance(parent, ast.Call) and parent.func is found:
            continue  # recursion
        if isinstance(parent, ast.Call) and last_name(parent.func) in _CONSUMERS:
            continue  # `map(flatten, xs)`, `partial(walk, ...)`: called, not changed
        if isinstance(parent, ast.keyword) and parent.arg in _CALLBACK_KEYWORDS:
            continue  # `json.dumps(o, default=encode)`, `sorted(xs, key=score)`
        if isinstance(parent, ast.Attribute) and parent.value is found:
            if parent.attr in NAME_ATTRIBUTES and isinstance(parent.ctx, ast.Load):
                continue
            if parent.attr != "__dict__":
                return f"{name}.{parent.attr}"
        return f"{name}'s attributes"
    return None


def _may_name_itself(
    node: ast.FunctionDef | ast.AsyncFunctionDef, reading: CellReading | None
) -> bool:
    """Whether the body may name its function: its lines' text holds the name (or a
    character other than ASCII, which `ast` may read as another spelling of it, NFKC).
    Most bodies never name their function, and a walk of each one's nodes to see so took
    a third of `migrate`'s time on a notebook of 10,000 definitions."""
    if reading is None or not node.body:
        return True
    first, last = node.body[0].lineno, node.end_lineno or node.lineno
    text = reading.lines(first, last)
    return node.name in text or not text.isascii()


def _references(
    function: ast.FunctionDef | ast.AsyncFunctionDef, name: str
) -> Iterator[tuple[ast.Name, ast.AST]]:
    """Each use of `name` in the function's body that finds the function (not a local of
    a function, lambda or comprehension inside it), with the node holding it, in order."""
    pending: list[tuple[ast.AST, ast.AST]] = [(statement, function) for statement in function.body]
    pending.reverse()
    while pending:
        node, parent = pending.pop()
        if isinstance(node, ast.Name) and node.id == name:
            yield node, parent
            continue
        children = list(ast.iter_child_nodes(node))
        if isinstance(node, (*_FUNCTIONS, ast.Lambda)) and name in _bound_by_scope(node):
            # Its decorators and defaults run in the enclosing scope; its body is its own.
            children = [*getattr(node, "decorator_list", ()), *node.args.defaults]
            children += [default for default in node.args.kw_defaults if default is not None]
        elif isinstance(node, _COMPREHENSIONS) and name in _comprehension_targets(node):
            children = [node.generators[0].iter]
        pending += [(child, node) for child in reversed(children)]


def _bound_by_scope(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> set[str]:
    if isinstance(node, ast.Lambda):
        return {argument.arg for argument in all_arguments(node.args)}
    return _own_scope_names(node)


def _comprehension_targets(node: ast.expr) -> set[str]:
    return {
        target.id
        for generator in getattr(node, "generators", ())
        for target in ast.walk(generator.target)
        if isinstance(target, ast.Name)
    }


def _own_scope_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The names the function binds in its own scope: its parameters, what its body
    assigns, imports, defines; not those of a lambda, comprehension or function inside it
    (re-check 32: `key=lambda rank: -rank` inside `rank` was taken for a local `rank`)."""
    names = {argument.arg for argument in all_arguments(function.args)}
    for node in _own_scope_nodes(function):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.partition(".")[0])
    return names


def _own_scope_nodes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    """The nodes of the function's own body, not those of a function, lambda, class or
    comprehension inside it, but for the decorators of a function or class, which run in
    this one."""
    found: list[ast.AST] = []
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        found.append(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            pending += node.decorator_list  # run in this scope; the body is another
        if isinstance(node, (*_FUNCTIONS, ast.Lambda, ast.ClassDef, *_COMPREHENSIONS)):
            continue
        pending += ast.iter_child_nodes(node)
    return found

"""What a function keeps on itself, which each `def` of it makes anew.

A notebook that defines a helper twice holds two function objects: each
`def` starts its own cache (`@functools.cache`), its own counter an attribute
keeps (`f.calls += 1`), its own state a decorator's wrapper keeps
(`@counted`, whose wrapper counts calls). One import shares the library's one
object, so replacing both copies would carry the first copy's state into the
second's uses (`StatePerDefinition`, `rules.definition_time`). A library
decorator counts when what it returns may keep state made at each decoration:
the analysis here reads the decorator's own functions, each in its own scope.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from nbrefactor.analysis.import_targets import dotted_path


def state_on_itself(
    node: ast.FunctionDef | ast.AsyncFunctionDef, defined: Mapping[str, ast.FunctionDef]
) -> str | None:
    """What the function keeps on itself, which each `def` makes anew (sweep 31: a second
    `@functools.cache` def recomputed, `f.calls` counted from 0 again; one import shared
    both): a cache a decorator adds, by its name (`cache`, `lru_cache`, `memoize`), the
    state a wrapper of the library's keeps (`defined`: `@counted`, its wrapper counting
    calls), or an attribute of itself its body sets (`f.calls = ...`, `setattr(f, ...)`,
    `f.__dict__[...] = ...`) while the name is not its own local there."""
    for decorator in node.decorator_list:
        called = decorator.func if isinstance(decorator, ast.Call) else decorator
        last = (dotted_path(called) or "").rpartition(".")[2]
        if _CACHE_WORDS.intersection(last.lower().split("_")):
            return f"cache (@{ast.unparse(decorator)})"
        function = defined.get(last) if isinstance(called, ast.Name) else None
        if function is not None and _wrapper_keeps_state(function, isinstance(decorator, ast.Call)):
            return f"wrapper's state (@{ast.unparse(decorator)})"
    name = node.name
    if name in _own_scope_names(node):
        return None  # `f = SimpleNamespace()`: `f.lr` is the local's (re-check 31)
    for inner in ast.walk(node):
        if _sets_attribute(inner, name):
            return (
                f"{name}.{inner.attr}"
                if isinstance(inner, ast.Attribute)
                else f"{name}'s attributes"
            )
    return None


def _sets_attribute(node: ast.AST, name: str) -> bool:
    """Whether `node` sets or deletes an attribute of the function `name`: `f.calls = ...`,
    `setattr(f, ...)`, `f.__dict__[...] = ...`, `vars(f).setdefault(...)`."""
    if isinstance(node, (ast.Attribute, ast.Subscript)):
        if not isinstance(node.ctx, (ast.Store, ast.Del)):
            return False
        if isinstance(node, ast.Attribute):
            return _names(node.value, name)
        return _namespace_of(node.value, name)
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name) and func.id == "setattr":
        return bool(node.args) and _names(node.args[0], name)
    return (
        isinstance(func, ast.Attribute)
        and func.attr in _MUTATORS
        and _namespace_of(func.value, name)
    )


# Words of a decorator's name that say it caches (`lru_cache`, `memoize`; not `log_memory`).
_CACHE_WORDS = frozenset({"cache", "cached", "lru", "memo", "memoize", "memoized", "memoise"})
# Methods that change the container they are called on.
_MUTATORS = frozenset(
    {"append", "extend", "insert", "update", "setdefault", "pop", "popitem", "clear", "add"}
    | {"remove", "discard", "__setitem__", "__delitem__"}
)


def _names(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _namespace_of(node: ast.expr, name: str) -> bool:
    """`f.__dict__` or `vars(f)`: the function's attributes as a dict."""
    if isinstance(node, ast.Attribute):
        return node.attr == "__dict__" and _names(node.value, name)
    return (
        isinstance(node, ast.Call)
        and _names(node.func, "vars")
        and len(node.args) == 1
        and _names(node.args[0], name)
    )


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _own_scope_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The names the function binds in its own scope: its parameters, what its body
    assigns, imports, defines; not those of a lambda, comprehension or function inside it
    (re-check 32: `key=lambda rank: -rank` inside `rank` was taken for a local `rank`)."""
    names = _parameter_names(function)
    for node in _own_scope_nodes(function):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.partition(".")[0])
    return names


def _wrapper_keeps_state(decorator: ast.FunctionDef, factory: bool = False) -> bool:
    """Whether what the decorator returns may keep state of its own, made at each
    decoration: something other than what it was given or a function it defines (an
    instance, `functools.partial(...)`: re-check 33); a cache it applies
    (`return functools.lru_cache(maxsize=None)(f)`, by a word of the callee's name); or a
    function or class it defines that changes, when called, something it did not make
    afresh in its own scope (`wrapper.calls += 1`, `self.calls += 1`, `cache[key] =
    value`, `seen.append(x)` or `heapq.heappush(seen, x)` of a list the decorator made,
    `next(counter)`, a `nonlocal`). A list, dict or set a function makes itself (`out =
    []`), its `**kwargs`, or the library's own `global`, is not (re-check 32). With
    `factory` (`@tagged("x")`), the decorator is the function the factory returns, whose
    own body runs once per decoration (`fn.tag = label` there is set-up: re-check 34)."""
    given = _parameter_names(decorator)
    defined = {
        node.name: node
        for node in ast.walk(decorator)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node is not decorator
    }
    returned = _own_returns(decorator)
    if factory:  # the factory's own functions, not a helper's of the same name (re-check 35)
        own = {
            node.name: node
            for node in _own_scope_nodes(decorator)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        named = [own.get(value.id) for value in returned if isinstance(value, ast.Name)]
        inner = [node for node in named if isinstance(node, ast.FunctionDef)]
        if inner and len(inner) == len(returned):
            return any(_wrapper_keeps_state(node) for node in inner)
    if any(not _returns_function(value, given | set(defined)) for value in returned):
        return True
    for inner_scope in ast.walk(decorator):
        if isinstance(inner_scope, ast.Call):
            called = dotted_path(inner_scope.func) or ""
            if _CACHE_WORDS.intersection(called.rpartition(".")[2].lower().split("_")):
                return True
        if inner_scope is decorator or not isinstance(inner_scope, (*_SCOPES, *_COMPREHENSIONS)):
            continue
        fresh = _made_afresh(inner_scope)
        declared = _declared_global(inner_scope)
        for node in _own_scope_nodes(inner_scope):
            if isinstance(node, ast.Nonlocal):
                return True
            root = _changed_root(node)
            if root is not None and root not in fresh and root not in declared:
                return True
    return False


def _parameter_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return {argument.arg for argument in every}


def _changed_root(node: ast.AST) -> str | None:
    """The name whose value `node` changes: `a` of `a.b = ...`, `a[k] = ...`,
    `a.append(x)`, `heapq.heappush(a, x)`, `next(a)`; None for anything else."""
    changed: ast.expr | None = None
    if isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(
        node.ctx, (ast.Store, ast.Del)
    ):
        changed = node.value
    elif (
        isinstance(node, ast.Call)
        and node.args
        and (
            _names(node.func, "next")
            or (dotted_path(node.func) or "").rpartition(".")[2] in _CHANGING_FIRST_ARGUMENT
        )
    ):
        changed = node.args[0]
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        changed = node.func.value if node.func.attr in _MUTATORS else None
    return _root_name(changed) if changed is not None else None


# Functions that change their first argument (re-check 34: `heapq.heappush(seen, x)`).
_CHANGING_FIRST_ARGUMENT = frozenset(
    {"heappush", "heappop", "heapify", "heapreplace", "heappushpop", "insort", "insort_left"}
    | {"insort_right", "setitem", "delitem", "shuffle", "setattr", "delattr"}
)


def _own_scope_nodes(scope: ast.AST) -> list[ast.AST]:
    """The nodes of `scope`'s own body, not those of a function, lambda, class or
    comprehension inside it (each is looked at as its own scope) but for the decorators of
    a function or class, which run in this one."""
    found: list[ast.AST] = []
    body = getattr(scope, "body", None)
    if isinstance(body, list):  # a function's or class's statements
        pending: list[ast.AST] = list(body)
    elif isinstance(body, ast.expr):  # a lambda's expression
        pending = [body]
    else:  # a comprehension: its element and clauses (re-check 35)
        pending = list(ast.iter_child_nodes(scope))
    while pending:
        node = pending.pop()
        found.append(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            pending += node.decorator_list  # run in this scope; the body is another
        if isinstance(node, (*_SCOPES, *_COMPREHENSIONS)):
            continue
        pending += ast.iter_child_nodes(node)
    return found


def _own_returns(function: ast.FunctionDef) -> list[ast.expr]:
    """What the function's own `return` statements give, not those of functions inside."""
    return [
        node.value
        for node in _own_scope_nodes(function)
        if isinstance(node, ast.Return) and node.value is not None
    ]


def _returns_function(value: ast.expr, functions: set[str]) -> bool:
    """Whether a decorator's `return` gives what it was given or a function it defines:
    `fn`, `wrapper`, `fns[0]`, `functools.wraps(fn)(wrapper)`,
    `functools.update_wrapper(wrapper, fn)`, `cast(F, wrapper)`, `wrapper if DEBUG else
    fn` (re-check 34: each was taken for another object). A lambda is not: it may close
    over state, or be a factory's decorator returning an instance (re-check 35)."""
    if isinstance(value, ast.Name):
        return value.id in functions
    if isinstance(value, ast.Subscript):
        return _returns_function(value.value, functions)
    if isinstance(value, ast.IfExp):
        return _returns_function(value.body, functions) and _returns_function(
            value.orelse, functions
        )
    if isinstance(value, ast.NamedExpr):
        return _returns_function(value.value, functions)
    if not isinstance(value, ast.Call):
        return False
    name = (dotted_path(value.func) or "").rpartition(".")[2]
    if name == "update_wrapper" and value.args:
        return _returns_function(value.args[0], functions)
    if name == "cast" and len(value.args) == 2:
        return _returns_function(value.args[1], functions)
    return (
        isinstance(value.func, ast.Call)
        and (dotted_path(value.func.func) or "").rpartition(".")[2] == "wraps"
        and len(value.args) == 1
        and _returns_function(value.args[0], functions)
    )


def _made_afresh(scope: ast.AST) -> set[str]:
    """The names that hold, in `scope`'s own body, only what it makes at each call:
    `**kwargs`, and names assigned nothing but a list, dict or set display or
    comprehension, or `list()`, `dict()`, `set()` (`out = []`). A parameter (`self`) or
    an alias (`s = store`) may be shared; a helper's own `store = []` inside it is not
    this scope's (re-check 34)."""
    assigned: dict[str, bool] = {}
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) and scope.args.kwarg:
        assigned[scope.args.kwarg.arg] = True
    for node in _own_scope_nodes(scope):
        if isinstance(node, ast.Assign):
            made = isinstance(node.value, _MADE_AFRESH) or (
                isinstance(node.value, ast.Call)
                and dotted_path(node.value.func) in ("list", "dict", "set")
            )
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned[target.id] = assigned.get(target.id, True) and made
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.withitem)):
            bound = node.optional_vars if isinstance(node, ast.withitem) else node.target
            if isinstance(bound, ast.Name):
                assigned[bound.id] = False
    return {name for name, made in assigned.items() if made}


_MADE_AFRESH = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)


def _root_name(node: ast.expr) -> str | None:
    """`a` of `a.b[c].d`: the name an attribute or item chain starts from."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _declared_global(function: ast.AST) -> set[str]:
    return {
        name for node in ast.walk(function) if isinstance(node, ast.Global) for name in node.names
    }

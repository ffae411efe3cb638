"""Names that say what a decorator or a call does, for `decorator_shapes` and
`definition_time`: known only to wrap (`functools.lru_cache`, `numba.njit`), caching
(`memoize`), only inspecting its arguments (`inspect.signature`), only making a new object
(`itertools.count`)."""

from __future__ import annotations

import ast

from nbrefactor.analysis.import_targets import dotted_path

# Decorators known only to wrap the function or record facts on it when the `def` runs, by
# their last name (`functools.lru_cache`, `@numba.njit(cache=True)`, `@torch.no_grad()`).
# fmt: off
WRAPPING_DECORATORS = frozenset(
    {
        "wraps", "lru_cache", "cache", "cached_property", "total_ordering", "singledispatch",
        "singledispatchmethod", "staticmethod", "classmethod", "property", "abstractmethod",
        "contextmanager", "asynccontextmanager", "dataclass", "overload", "final",
        "no_type_check", "deprecated", "jit", "njit", "vectorize", "guvectorize", "cfunc",
        "stencil", "no_grad", "enable_grad", "inference_mode", "script", "compile",
        "function", "vmap", "pmap", "grad", "value_and_grad", "checkpoint", "custom_jvp",
        "custom_vjp",
    }
)
# fmt: on
# Words of a callee's name that say it caches (`lru_cache`, `memoize`; not `log_memory`).
CACHE_WORDS = frozenset({"cache", "cached", "lru", "memo", "memoize", "memoized", "memoise"})
# Calls that only inspect their arguments, whose results are not made to be changed.
INSPECTING = frozenset(
    {"signature", "hasattr", "isinstance", "issubclass", "callable", "len", "str", "repr"}
    | {"int", "float", "bool", "tuple", "frozenset", "getLogger", "getdoc", "ismethod"}
    | {"iscoroutinefunction", "isgeneratorfunction", "isasyncgenfunction", "isfunction"}
    | {"id", "type", "format"}
)
# Of those, the calls that may be given the decorated function itself (`signature(fn)`),
# and the decorators' own helpers: nothing they give holds the function's state.
FUNCTION_INSPECTORS = frozenset(
    {"signature", "getfullargspec", "get_type_hints", "getdoc", "callable", "isfunction"}
    | {"iscoroutinefunction", "isgeneratorfunction", "isasyncgenfunction", "ismethod"}
    | {"wraps", "update_wrapper", "type"}  # not `str(fn)`, which holds its id (re-check 39)
)
# The modules whose decorators `WRAPPING_DECORATORS` names (a project's own `checkpoint`
# may register: re-check 38), by their top package; `builtins` for `property`.
WRAPPING_MODULES = frozenset(
    {"functools", "contextlib", "abc", "dataclasses", "typing", "typing_extensions"}
    | {"warnings", "numba", "numpy", "torch", "jax", "tensorflow", "cupy", "deprecated"}
    | {"deprecation", "equinox", "flax", "builtins"}
)
# What says where a function was defined: the notebook's copy and the library's differ
# (`logging.getLogger(fn.__module__)` names another logger: re-check 37).
PLACE_ATTRIBUTES = frozenset({"__module__", "__globals__", "__code__", "__builtins__"})
PLACE_CALLS = frozenset({"getmodule", "getfile", "getsourcefile", "getsource", "getsourcelines"})
# Calls that make a new object, changeable, and do nothing else (`itertools.count()`).
MAKERS = frozenset(
    {"iter", "range", "count", "list", "dict", "set", "deque", "Counter", "defaultdict"}
    | {"OrderedDict", "Random", "default_rng", "Lock", "RLock", "local", "StringIO"}
    | {"BytesIO", "SimpleNamespace", "WeakKeyDictionary", "WeakValueDictionary", "WeakSet"}
    | {"get_type_hints", "getfullargspec"}  # a new dict, a tuple of lists (re-check 38)
)
# Attributes of a function whose values are strings: reading one is harmless.
NAME_ATTRIBUTES = frozenset({"__name__", "__qualname__", "__doc__"})


def last_name(callee: ast.expr) -> str:
    """`jit` of `numba.jit`, `f` of `f`; empty for another callee (`fs[0]`)."""
    return (dotted_path(callee) or "").rpartition(".")[2]


def reads_a_name(call: ast.Call) -> bool:
    """`getattr(fn, "__name__")`, with or without a default: a name of the function."""
    name = call.args[1] if len(call.args) > 1 else None
    return isinstance(name, ast.Constant) and name.value in NAME_ATTRIBUTES


def harmless_use(node: ast.Name, parent: ast.AST | None) -> bool:
    """Whether the decorated function's name, used where `parent` holds it, is called
    (`fn(x)`), asked a name (`fn.__name__`, `getattr(fn, "__name__")`), or inspected
    (`signature(fn)`, `functools.wraps(fn)`): not kept elsewhere, where its state would
    be another's."""
    if isinstance(parent, ast.Call):
        if parent.func is node:
            return True
        called = last_name(parent.func)
        if called == "getattr":
            return bool(parent.args) and parent.args[0] is node and reads_a_name(parent)
        return called in FUNCTION_INSPECTORS and node in parent.args
    return (
        isinstance(parent, ast.Attribute)
        and parent.value is node
        and isinstance(parent.ctx, ast.Load)
        and parent.attr in NAME_ATTRIBUTES
    )


def is_cache(callee: ast.expr) -> bool:
    """Whether a decorator or callee says by its last name that it caches."""
    return bool(CACHE_WORDS.intersection(last_name(callee).lower().split("_")))

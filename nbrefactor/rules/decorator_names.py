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
    {"signature", "getattr", "hasattr", "isinstance", "issubclass", "callable", "len", "str"}
    | {"repr", "int", "float", "bool", "tuple", "frozenset", "getLogger", "getfullargspec"}
    | {"iscoroutinefunction", "isgeneratorfunction", "isasyncgenfunction", "get_type_hints"}
    | {"getdoc", "getmodule", "id", "type", "format"}
)
# Calls that make a new object, changeable, and do nothing else (`itertools.count()`).
MAKERS = frozenset(
    {"iter", "range", "count", "list", "dict", "set", "deque", "Counter", "defaultdict"}
    | {"OrderedDict", "Random", "default_rng", "Lock", "RLock", "local", "StringIO"}
    | {"BytesIO", "SimpleNamespace", "WeakKeyDictionary", "WeakValueDictionary", "WeakSet"}
)
# Attributes of a function whose values are strings: reading one is harmless.
NAME_ATTRIBUTES = frozenset({"__name__", "__qualname__", "__module__", "__doc__"})


def last_name(callee: ast.expr) -> str:
    """`jit` of `numba.jit`, `f` of `f`; empty for another callee (`fs[0]`)."""
    return (dotted_path(callee) or "").rpartition(".")[2]


def is_cache(callee: ast.expr) -> bool:
    """Whether a decorator or callee says by its last name that it caches."""
    return bool(CACHE_WORDS.intersection(last_name(callee).lower().split("_")))

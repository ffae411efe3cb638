"""How code reads a module's namespace by no name, which `symtable` cannot list.

A pasted helper can read a notebook variable without naming it:
`globals().get('FIG_DIR')`, `eval('FIG_DIR')` (or `eval(text, None, ...)`),
`__main__.FIG_DIR`, a function's `__globals__`, `sys._getframe(1).f_globals`;
or its module's own attributes (`__name__`, `__file__`). Moved into a library,
the same code reads the library's module. `namespace_read` finds such a read
in a definition (`migrate` keeps it, `extract` does not move it); `lists_locals`
a body's listing of its own locals (`locals()`), where a parameter it never
names shows;
`is_main_module`, `main_attribute` and `builtin_name` name the pieces the
reader and the rules look for.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

from nbrefactor.analysis.words import has_word

# The attributes every module has, which a function reads as names of its module
# (`logging.getLogger(__name__)`): the notebook's (`__main__`) inline, the library's
# once moved. `__name__` is read too (`namespace_read`).
_MODULE_ATTRIBUTES = (
    "__annotations__",  # the module's variable annotations (`rate: float = 0.1`; sweep 28)
    "__builtins__",
    "__cached__",
    "__doc__",
    "__file__",
    "__loader__",
    "__package__",
    "__spec__",
)
# Words without which a text cannot read its module's namespace by no name: most
# definitions hold none of them and are not parsed again.
_NAMESPACE_WORDS = (
    "globals",
    "eval",
    "exec",
    "__main__",
    "f_globals",
    "f_locals",
    "f_back",
    "user_ns",
    "__globals__",
    *_MODULE_ATTRIBUTES,
)
# Attributes that lead to the caller's namespace: a frame's (`sys._getframe(1).f_globals`,
# `inspect.currentframe().f_back`) or IPython's (`get_ipython().user_ns`).
_NAMESPACE_ATTRIBUTES = frozenset({"f_globals", "f_locals", "f_back", "user_ns", "user_global_ns"})


def module_attribute(name: str) -> bool:
    """Whether `name` is one of its module's own attributes (`__name__`, `__file__`): the
    notebook's in a copy, the library module's once moved (`namespace_read` says so)."""
    return name == "__name__" or name in _MODULE_ATTRIBUTES


def reads_other_namespace(through: str) -> bool:
    """Whether what `namespace_read` found (`.f_globals`, or `f_globals` in a body read by
    its words) reaches a frame's or IPython's namespace, not the function's module: the
    caller's frame is the same from a library, where `globals()` would be another."""
    return through.lstrip(".") in _NAMESPACE_ATTRIBUTES


def builtin_name(node: ast.expr) -> str | None:
    """The name an expression reads as a builtin would be: `eval` of `eval`, and of
    `builtins.eval` or `__builtins__.eval` (the builtin itself, whatever the notebook binds);
    None for anything else. For the builtins that reach the caller's namespace (`eval`,
    `exec`, `globals`), which a notebook may call either way."""
    if isinstance(node, ast.Name):
        return node.id
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ("builtins", "__builtins__")
    ):
        return node.attr
    return None


def namespace_read(source: str) -> str | None:
    """How the definition `source` reads its module's variables by no name, or None.

    A pasted helper can read a notebook variable without naming it:
    `globals().get('FIG_DIR')`, `eval('FIG_DIR')`, `__main__.FIG_DIR`,
    `sys._getframe(1).f_globals`, `get_ipython().user_ns`; or its module's own
    attributes: `logging.getLogger(__name__)`, `__file__`. Moved into a library,
    the same code reads the library's module instead. Returns the construct
    (`globals()`, `eval()`, ...). A source that does not parse is judged by its
    words alone (the safe side).
    """
    # The dunder words are looked for only in a text that holds `__` (most do not).
    dunder = "__" in source
    words = [
        word
        for word in _NAMESPACE_WORDS
        if (dunder or not word.startswith("__")) and has_word(source, word)
    ]
    if dunder and has_word(source, "__name__"):
        words.append("__name__")
    if not words:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return words[0]
    for node in ast.walk(tree):
        if isinstance(node, (ast.Name, ast.Attribute)) and builtin_name(node) == "globals":
            return "globals()"  # `globals`, `builtins.globals`
        if is_main_module(node):
            return "__main__"
        if (  # without a namespace (or given None), eval and exec run in the function's module
            isinstance(node, ast.Call)
            and (called := builtin_name(node.func)) in ("eval", "exec")
            and (len(node.args) < 2 or _is_none(node.args[1]))
            and not node.keywords
        ):
            return f"{called}()"
        if isinstance(node, ast.Attribute) and node.attr in _NAMESPACE_ATTRIBUTES:
            return f".{node.attr}"
        if isinstance(node, ast.Attribute) and node.attr == "__globals__":
            return ".__globals__"  # a function's module: `save_plot.__globals__['FIG_DIR']`
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [alias.name for alias in node.names] + [getattr(node, "module", None)]
            if "__main__" in modules:
                return "__main__"
        if isinstance(node, ast.Subscript) and _is_main(node.slice):  # any `x['__main__']`
            return "__main__"
        if isinstance(node, ast.Name) and module_attribute(node.id):
            return node.id  # `sys.modules[__name__]`, its parent, was seen first
        if isinstance(node, ast.Call) and any(map(_is_main, node.args)):  # __import__('__main__')
            return "__main__"
    return None


# Builtins that, called with no argument, list the calling function's own local names, its
# parameters among them.
_LOCALS_LISTINGS = ("locals", "vars", "dir")


def lists_locals(statements: Sequence[ast.stmt]) -> str | None:
    """How a function body lists its local names without naming them: `locals()`, `vars()`
    or `dir()` (`builtins.locals()` too, returned as `locals()`), or None. A parameter only
    one of two signatures has shows there though the body never names it (round 57b:
    `config = dict(locals())` printed `{'lr': 0.1}` inline and `{'lr': 0.1, 'epochs': 10}`
    from the library)."""
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and not node.args and not node.keywords:
                called = builtin_name(node.func)
                if called in _LOCALS_LISTINGS:
                    return f"{called}()"
    return None


# What lists the notebook's names (re-check 46): IPython's `%who`, `%whos`, `%who_ls`, and
# `dir()`, `vars()`, `globals()`, `locals()` called with nothing. Looked for in the text
# (the cells holding them name no helper, and are not read): one in a string only warns.
_LISTING_TEXTS = ("%who", "dir(", "vars(", "als(")
_LISTING = re.compile(r"%who(?:_ls|s)?\b|\b(?:dir|vars|globals|locals)\([ \t]*\)")


def may_list_namespace(source: str) -> bool:
    """Whether the text may hold a listing of the notebook's names (`listings`)."""
    return any(text in source for text in _LISTING_TEXTS)


def listings(source: str) -> Iterator[re.Match[str]]:
    """Each listing of the notebook's names in the text, in order: `%who`, `dir()`."""
    return _LISTING.finditer(source)


def namespace_listing(source: str) -> str | None:
    """The first listing of the notebook's names at the top level of a cell's text."""
    if not may_list_namespace(source):
        return None
    for listing in listings(source):
        line_start = source.rfind("\n", 0, listing.start()) + 1
        if source[line_start] not in " \t":  # at the top level: not in a function's body
            return listing.group(0)
    return None


def is_main_module(node: ast.AST) -> bool:
    """`__main__` (imported), `sys.modules['__main__']` or `sys.modules[__name__]`,
    `__import__('__main__')` or `importlib.import_module('__main__')`: in a notebook, its
    own module (in a library, the library's, for `__name__`)."""
    if isinstance(node, ast.Name):
        return node.id == "__main__"
    if isinstance(node, ast.Call):  # sweep 26 F7
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        return (
            called in ("__import__", "import_module") and bool(node.args) and _is_main(node.args[0])
        )
    if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute)):
        return False
    key = node.slice
    by_name = isinstance(key, ast.Name) and key.id == "__name__"
    return node.value.attr == "modules" and (_is_main(key) or by_name)


def main_attribute(node: ast.Attribute) -> str | None:
    """The name `__main__.f` (or `sys.modules[__name__].f`) reads: the notebook's own `f`,
    read as an attribute of its module, which no local `f` hides."""
    return node.attr if isinstance(node.ctx, ast.Load) and is_main_module(node.value) else None


def _is_none(node: ast.expr) -> bool:
    """`None` given as eval's or exec's globals: the caller's module, as when none is given."""
    return isinstance(node, ast.Constant) and node.value is None


def _is_main(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == "__main__"

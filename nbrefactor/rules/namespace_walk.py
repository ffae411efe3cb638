"""What reaches every function of the notebook through its namespace without naming it
(`for k, v in globals().items(): v(1, 2)`, `dir()`, `inspect.getmembers(sys.modules[__name__])`):
a use of each function whose arguments the reader cannot see (`call_binding`, `NBR256`;
sweep 28b)."""

from __future__ import annotations

import ast
import re

from nbrefactor.analysis.dynamic_bindings import is_namespace
from nbrefactor.analysis.namespace_reads import builtin_name, is_main_module
from nbrefactor.analysis.program import Program
from nbrefactor.rules.code_strings import first_node

# A namespace's methods and the calls that hand out all it holds: `globals().items()`,
# `dict(globals())`, `inspect.getmembers(sys.modules[__name__])`.
_WALK_METHODS = frozenset({"items", "values", "keys", "copy"})
_WALK_CALLS = frozenset({"dict", "list", "tuple", "set", "sorted", "iter", "reversed"})
# What a cell must say to walk the namespace, looked for as plain text first (`als(` for
# `globals(` and `locals(`), then with this pattern, which rules out `listdir(` (a pattern
# of alternatives tried at every character costs several times what `in` does).
_WALK_TEXTS = ("als(", "vars(", "dir(", "__main__", "getmembers", "user_ns")
_WALK_WORDS = re.compile(r"\b(?:globals|vars|locals|dir)[ \t]*\(|getmembers|__main__|user_ns")


def namespace_walk(program: Program) -> tuple[int, str] | None:
    """(cell, line) of the first statement that reaches the notebook's functions through its
    namespace without naming them (`for k, v in globals().items(): if k.startswith("plot_"):
    v(1, 2)`, `for name in dir(): eval(name)`, `inspect.getmembers(sys.modules[__name__])`),
    None when there is none: each function may be called there, with arguments not read
    (sweep 28b). Cells that do not parse are not read."""

    def may_hold(source: str) -> bool:
        return any(text in source for text in _WALK_TEXTS) and bool(_WALK_WORDS.search(source))

    return first_node(program, may_hold, _walks)


def _walks(node: ast.AST) -> bool:
    if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        return _is_walked(node.iter)
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    called = builtin_name(func)
    if isinstance(func, ast.Attribute) and func.attr in _WALK_METHODS:
        return _is_walked(func.value)
    if called in _WALK_CALLS and node.args:
        return _is_walked(node.args[0])
    if called == "dir":
        return not node.args or _is_walked(node.args[0])  # `dir()`: the notebook's names
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name == "getmembers" and bool(node.args) and _is_walked(node.args[0])


def _is_walked(node: ast.expr) -> bool:
    """The notebook's namespace, or its module (`sys.modules[__name__]`, `__main__`)."""
    return is_namespace(node, in_function=False) or is_main_module(node)

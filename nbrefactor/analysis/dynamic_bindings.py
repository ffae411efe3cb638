"""What binds a name the code does not spell as a binding, read from one `ast` node.

`exec(code)` run in the module, `globals()['K'] = 1`, `globals().update(...)`,
`ns = globals()` (then `ns['K'] = 1`), `__main__.K = 1`, `builtins.K = 1`,
`setattr(sys.modules[__name__], 'K', 1)`, IPython's
`get_ipython().push(...)`, `.reset()`, `.del_var(...)`, `.run_cell(...)`, `.ex(...)`,
`.run_code(...)`, `.run_cell_magic(...)` and `.run_line_magic(...)` of a magic
that may bind (`line_magics`): each may rebind a name a migration replaces,
between the import and a use. `cell_facts` asks these of the calls and subscripts it
visits and records what they bind like any other binding (conditionally when
they may bind any name). A star import and the `%` lines are read elsewhere
(`cell_facts`, `magic_facts`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass

from nbrefactor.analysis import line_magics
from nbrefactor.analysis.events import BindingKind
from nbrefactor.analysis.namespace_reads import builtin_name, is_main_module
from nbrefactor.value_base import ValueBase

# Methods through which a namespace (`globals()`, a module's `vars(LIB)`) is assigned:
# they may bind any name (`__ior__`: `vars(mylib).__ior__({...})`, rerun 59). The one set
# `module_patches` and `wildcard_lines` ask too.
NAMESPACE_CHANGES = frozenset(
    {"update", "__ior__", "setdefault", "__setitem__", "__delitem__", "pop", "popitem", "clear"}
)
# IPython's shell methods that bind or delete names in the notebook's namespace (round 50a
# N4: `get_ipython().reset()` between two definitions was not seen, as `%reset -f` is).
_SHELL_ASSIGNMENTS = frozenset({"push", "reset", "del_var", "drop_by_id"})


@dataclass(frozen=True, eq=False, repr=False)
class DynamicBinding(ValueBase):
    """What a call or subscript binds that the code does not spell as a binding (`exec`, `globals()`)."""

    kind: BindingKind
    names: tuple[str, ...] | None  # the names it binds; None: it may bind any


def call_binding(
    call: ast.Call, in_function: bool, shells: Container[str] = frozenset()
) -> DynamicBinding | None:
    """What a call binds in the module: `exec(...)` (in a function, only given the module's
    namespace), a namespace's `update`/`setdefault`/..., IPython's `push`, `run_cell` and
    `run_line_magic` of a magic that may bind, called on `get_ipython()` or on one of
    `shells`, the notebook's names for it (`ip = get_ipython()`; round 60a: `ip.push({'f':
    5})` was not seen to bind `f`)."""
    func = call.func
    patched = _patched_in_notebook(call)
    if patched is not None:
        return DynamicBinding(BindingKind.NAMESPACE, (patched,))
    if _calls(call, ("setattr", "delattr")):
        # `setattr(__main__, 'f', g)`, `setattr(sys.modules[__name__], 'f', g)`
        return attribute_assignment(call, _binds_in_notebook)
    if isinstance(func, ast.Name) and func.id == "exec":
        # In a function, exec runs in its locals, unless given the module's namespace.
        if not in_function or any(
            is_namespace(argument, in_function) for argument in call.args[1:]
        ):
            return DynamicBinding(BindingKind.EXEC, None)
        return None
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr in NAMESPACE_CHANGES and is_namespace(func.value, in_function):
        named = None if func.attr in ("clear", "popitem") else _named_only(call)
        return DynamicBinding(BindingKind.NAMESPACE, named)
    if not _is_ipython(func.value, shells):
        return None
    if func.attr in _SHELL_ASSIGNMENTS:
        return DynamicBinding(BindingKind.SHELL, _shell_names(func.attr, call))
    if func.attr in ("run_cell", "ex", "run_code", "run_cell_magic"):
        return DynamicBinding(BindingKind.EXEC, None)
    if func.attr != "run_line_magic":
        return None
    first = call.args[0] if call.args else None
    magic = first.value if isinstance(first, ast.Constant) else None
    if magic == "run":
        return DynamicBinding(BindingKind.RUN, None)
    if not isinstance(magic, str) or line_magics.binds_any(magic):
        return DynamicBinding(BindingKind.MAGIC, None)
    return None


def _patched_in_notebook(call: ast.Call) -> str | None:
    """The notebook's name a call is given as a dotted target in its own module:
    `mock.patch("__main__.load")`, `mock.patch(f"{__name__}.load")`, pytest's
    `monkeypatch.setattr("__main__.load", ...)` set the notebook's `load` (round 57b: a
    replaced `report` then called the library's `load`, and the patch no longer reached
    it). The first argument or `target=`; None for any other call."""
    first = call.args[0] if call.args else None
    if first is None:
        first = next((kw.value for kw in call.keywords if kw.arg == "target"), None)
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        module, dot, rest = first.value.partition(".")
        name = rest.partition(".")[0] if module == "__main__" and dot else ""
    elif (
        isinstance(first, ast.JoinedStr)
        and len(first.values) == 2
        and isinstance(own := first.values[0], ast.FormattedValue)
        and isinstance(own.value, ast.Name)
        and own.value.id == "__name__"
        and isinstance(tail := first.values[1], ast.Constant)
        and isinstance(tail.value, str)
        and tail.value.startswith(".")
    ):
        name = tail.value[1:].partition(".")[0]
    else:
        return None
    return name if name.isidentifier() else None


def names_bound(statement: ast.stmt) -> set[str]:
    """The names a top-level statement binds by naming them, without spelling a binding, as
    the reader finds them for the watched names: `globals()['K'] = 1`, `__main__.K = 1`,
    `setattr(sys.modules[__name__], 'K', 1)`, `globals().update(K=1)`, IPython's
    `push({'K': 1})`, in a function's body too (run when it is called, as `global K`). A
    line that may bind any name (`exec(code)`, `globals().update(options)`) names none."""
    names: set[str] = set()
    for found in dynamic_bindings(statement):
        if found.names is not None:
            names.update(found.names)
    return names


def dynamic_bindings(statement: ast.stmt) -> Iterator[DynamicBinding]:
    """Each binding `names_bound` finds in a statement, those that may bind any name too."""
    pending: list[tuple[ast.AST, bool]] = [(statement, False)]
    while pending:
        node, in_function = pending.pop()
        found = None
        if isinstance(node, ast.Attribute) or _calls(node, ("setattr", "delattr")):
            # Not `builtins.K = 1`: the library's function finds that K too.
            found = attribute_assignment(node, is_main_module)
        elif isinstance(node, ast.Call):
            found = call_binding(node, in_function)
        elif isinstance(node, ast.Subscript):
            found = subscript_binding(node, in_function)
        if found is not None:
            yield found
        inner = in_function or isinstance(node, _FUNCTIONS)
        pending.extend((child, inner) for child in ast.iter_child_nodes(node))


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _calls(node: ast.AST, names: tuple[str, ...]) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names


def attribute_binding(node: ast.Attribute) -> DynamicBinding | None:
    """`__main__.f = g` (or `del`): the notebook's module, assigned by attribute; or
    `builtins.f = g`, where the notebook finds `f` while nothing else binds it."""
    return attribute_assignment(node, _binds_in_notebook)


def handed_on(value: ast.expr | None) -> DynamicBinding | None:
    """`ns = globals()` at the top level: the namespace bound to another name, through
    which code may then assign any name (`ns['f'] = g`), which is not followed: it may
    bind any, there. Asked only at the top level: in a function it would keep every
    definition the function could rebind when it runs (`NBR214`), and such a function
    mostly reads through it (`g = globals()`, then `g.get(...)`)."""
    if value is not None and is_namespace(value, in_function=False):
        return DynamicBinding(BindingKind.ALIAS, None)
    return None


def _binds_in_notebook(node: ast.expr) -> bool:
    """A module whose attributes the notebook's names are: its own, or the builtins."""
    return is_main_module(node) or (isinstance(node, ast.Name) and node.id == "builtins")


def attribute_assignment(
    node: ast.AST, is_module: Callable[[ast.expr], bool]
) -> DynamicBinding | None:
    """What `node` assigns (or deletes) on a module that `is_module` recognises: `m.f = g`,
    `del m.f`, `setattr(m, 'f', g)`, `delattr(m, 'f')`; any name for `setattr` of a name
    that is not a literal. `__main__` is the notebook's own module (`attribute_binding`);
    the library's, through the name the notebook imports it as, is another
    (`NotebookImports.patched`)."""
    if isinstance(node, ast.Attribute):
        if isinstance(node.ctx, ast.Load) or not is_module(node.value):
            return None
        return DynamicBinding(BindingKind.NAMESPACE, (node.attr,))
    if not (
        isinstance(node, ast.Call)
        and _calls(node, ("setattr", "delattr"))
        and len(node.args) >= 2
        and is_module(node.args[0])
    ):
        return None
    name = node.args[1]
    if isinstance(name, ast.Constant) and isinstance(name.value, str):
        return DynamicBinding(BindingKind.NAMESPACE, (name.value,))
    return DynamicBinding(BindingKind.NAMESPACE, None)


def subscript_binding(node: ast.Subscript, in_function: bool) -> DynamicBinding | None:
    """`globals()['K'] = 1` binds K (`del` unbinds it); another key, any name."""
    if isinstance(node.ctx, ast.Load) or not is_namespace(node.value, in_function):
        return None
    key = node.slice
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return DynamicBinding(BindingKind.NAMESPACE, (key.value,))
    return DynamicBinding(BindingKind.NAMESPACE, None)


def is_namespace(node: ast.expr, in_function: bool) -> bool:
    """`globals()` (and `vars()`, `locals()` outside a function; or `builtins.globals()`),
    IPython's `user_ns`, the notebook's module's `__dict__` (`vars(__main__)`), a frame's
    `f_globals` or `f_locals` (`sys._getframe().f_globals`: the notebook's, in a cell)."""
    if isinstance(node, ast.Attribute):
        if node.attr == "__dict__":
            return is_main_module(node.value)
        return node.attr in ("user_ns", "user_global_ns", "f_globals", "f_locals")
    if not isinstance(node, ast.Call):
        return False
    called = builtin_name(node.func)
    if node.args:
        return called == "vars" and len(node.args) == 1 and is_main_module(node.args[0])
    return called == "globals" or (called in ("vars", "locals") and not in_function)


def _named_only(call: ast.Call) -> tuple[str, ...] | None:
    """The names a namespace method call assigns when it says them (`update(K=1)`,
    `setdefault('K', 1)`, `update({'K': 1})`); None when it may assign any."""
    named = [keyword.arg for keyword in call.keywords if keyword.arg is not None]
    if len(named) < len(call.keywords):
        return None  # `**options`
    for argument in call.args[:1]:
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            named.append(argument.value)
        elif isinstance(argument, ast.Dict):
            keys = _strings(argument.keys)
            if keys is None:
                return None
            named.extend(keys)
        else:
            return None
    return tuple(named)


def _shell_names(method: str, call: ast.Call) -> tuple[str, ...] | None:
    """The names IPython's `push` or `del_var` binds or deletes when the call says them
    (`push({'n': 1})`, `push('a b')`, `push(['a'])`, `del_var('n')`; round 52b: a
    `push({'_n': x})` was said to rebind the library's name); None when it may be any."""
    argument = call.args[0] if call.args else None
    text = argument.value if isinstance(argument, ast.Constant) else None
    if method == "del_var":
        return (text,) if isinstance(text, str) else None
    if method != "push":  # `reset()`, `drop_by_id(...)`
        return None
    if isinstance(text, str):
        return tuple(text.split())
    if isinstance(argument, ast.Dict):
        return _strings(argument.keys)
    if isinstance(argument, (ast.List, ast.Tuple)):
        return _strings(argument.elts)
    return None


def _strings(nodes: Sequence[ast.expr | None]) -> tuple[str, ...] | None:
    """The nodes' values when each is a string constant (a dict display's keys, a list's
    items); None otherwise (`{**options}`, `{name: 1}`)."""
    values = [node.value if isinstance(node, ast.Constant) else None for node in nodes]
    strings = tuple(value for value in values if isinstance(value, str))
    return strings if len(strings) == len(values) else None


def _is_ipython(node: ast.expr, shells: Container[str] = frozenset()) -> bool:
    """`get_ipython()`, or one of `shells`, names bound to it."""
    if isinstance(node, ast.Name):
        return node.id in shells
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "get_ipython"
    )

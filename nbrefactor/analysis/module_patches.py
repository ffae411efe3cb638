"""What a notebook statement sets on a module: the library's, which its functions then read.

`import LIB` then `LIB.SCALE = 10`, `setattr(LIB, "SCALE", 10)`,
`sys.modules["LIB"].SCALE = 10` or `vars(LIB)["SCALE"] = 10` set one attribute;
`setattr(LIB, key, value)` in a loop, `vars(LIB).update(...)`,
`LIB.__dict__.update(...)` and handing the module to other code
(`configure(LIB, SCALE=10)`, `for m in [LIB]: ...`) may set any
(`ANY_ATTRIBUTE`); `mock.patch("LIB.SCALE", 10)` sets the one its string names, and
`mock.patch.multiple("LIB", SCALE=10)` those its keywords name. `module_patches` asks this of each statement of the cells
that name the module (for `NotebookImports.patch_of`), following the names the
notebook gives the module by assignment too (`h = LIB`, `h =
importlib.import_module("LIB")`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from functools import cache

from nbrefactor.analysis.dynamic_bindings import NAMESPACE_CHANGES, attribute_assignment
from nbrefactor.analysis.import_targets import dotted_path, imported_by_call
from nbrefactor.analysis.parsing import Unparseable, parse_cell
from nbrefactor.analysis.scopes import called_name
from nbrefactor.analysis.text import stripped_line
from nbrefactor.analysis.words import has_word
from nbrefactor.nbfile.notebook import Notebook

ANY_ATTRIBUTE = "*"  # a patch that may set any attribute of the module
# Of the methods that change a module's `__dict__` (`NAMESPACE_CHANGES`), the ones given
# one key.
_BY_KEY = frozenset({"setdefault", "__setitem__", "__delitem__", "pop"})

# Attribute of a module -> (cell, line) of the first statement of the notebook doing it.
Places = dict[str, tuple[int, str]]


def patched_attributes(node: ast.AST, is_module: Callable[[ast.expr], bool]) -> tuple[str, ...]:
    """The attributes of a module (that `is_module` recognises) that `node` assigns or
    deletes: `LIB.g = ...`, `del LIB.g`, `setattr(LIB, 'g', ...)`, `pkg.utils.g = ...`,
    `vars(LIB)['g'] = ...`, `vars(LIB).__setitem__('g', ...)`, `LIB.__setattr__('g', ...)`;
    `ANY_ATTRIBUTE` for a `setattr` of a name that is not a literal, `vars(LIB).update(...)`
    (or `.__ior__(...)`, `.popitem()`, `.clear()`) and `LIB.__dict__.update(...)`."""
    found = attribute_assignment(node, is_module)
    if found is not None:
        return found.names or (ANY_ATTRIBUTE,)

    def namespace(value: ast.expr) -> bool:  # `vars(LIB)`, `LIB.__dict__`
        if isinstance(value, ast.Attribute):
            return value.attr == "__dict__" and is_module(value.value)
        return (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id == "vars"
            and len(value.args) == 1
            and is_module(value.args[0])
        )

    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("__setattr__", "__delattr__")
        and is_module(node.func.value)
    ):  # `LIB.__setattr__('K', 10)` (round 52b)
        return _named(node.args[0] if node.args else None)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in NAMESPACE_CHANGES
    ):
        if not namespace(node.func.value):
            return ()
        # `vars(LIB).__setitem__('K', 10)` sets K (round 52b); `vars(LIB).__ior__({...})`
        # sets what its dict holds (round 54a's w11, found again by rerun 59)
        named = node.args[0] if node.args and node.func.attr in _BY_KEY else None
        return _named(named)
    if _hands_on(node, lambda value: is_module(value) or namespace(value)):
        return (ANY_ATTRIBUTE,)
    targets: list[ast.expr] = []
    if isinstance(node, (ast.Assign, ast.Delete)):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    for target in targets:
        if isinstance(target, ast.Subscript) and namespace(target.value):
            return _named(target.slice)
    return ()


def _named(key: ast.expr | None) -> tuple[str, ...]:
    """The attribute a key names when it is a string literal (`'K'`), else any."""
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return (key.value,)
    return (ANY_ATTRIBUTE,)


# Calls that only read what they are given: the module handed to them stays as it is.
_READERS = frozenset(
    {"dir", "help", "print", "repr", "str", "type", "id", "vars", "getattr", "hasattr"}
    | {"isinstance", "display", "pprint", "reload", "getsource", "getmembers", "getfile"}
    | {"getmodule", "signature", "len", "sorted", "list", "iter"}
)


def _hands_on(node: ast.AST, is_module: Callable[[ast.expr], bool]) -> bool:
    """Whether `node` hands the module (or its namespace) to code that may set any of its
    attributes: an argument of a call other than a reader's (`configure(LIB, SCALE=10)`,
    `exec(code, vars(LIB))`), or an item of a list, tuple, set or dict (`for m in [LIB]:
    m.SCALE = 10`)."""
    if isinstance(node, ast.Call):
        values = [*node.args, *(keyword.value for keyword in node.keywords)]
        return called_name(node) not in _READERS and any(is_module(value) for value in values)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return any(is_module(value) for value in node.elts)
    if isinstance(node, ast.Dict):
        return any(is_module(value) for value in node.values)
    return False


def module_patches(
    notebook: Notebook, module: str, aliases: dict[str, str]
) -> tuple[Places, Places]:
    """Attribute of `module` -> (cell, line) of the first statement setting it, in cell
    order; and attribute -> (cell, line) of the first statement calling it through the
    module (`LIB.configure("out")`, which may set what the module's functions read;
    re-check 44). `aliases`: the names the notebook's imports bind to the module or to a
    package above it (`import pkg.utils` binds `pkg`); `h = LIB` adds `h` from its cell on."""
    names = dict(aliases)

    def reached(value: ast.expr) -> str | None:
        """The module, or a package above it, that `value` names (`LIB`, `pkg.utils`,
        `sys.modules["LIB"]`, `sys.modules.get("LIB")`); None for anything else."""
        if isinstance(value, ast.Subscript):
            key = value.slice
            named = isinstance(value.value, ast.Attribute) and value.value.attr == "modules"
            is_lib = named and isinstance(key, ast.Constant) and key.value == module
            return module if is_lib else None
        if isinstance(value, ast.Call) and value.args:  # `importlib.import_module("LIB")`
            func = value.func  # `sys.modules.get("LIB")` (round 54a)
            if isinstance(func, ast.Attribute) and func.attr == "get":
                imports = isinstance(func.value, ast.Attribute) and func.value.attr == "modules"
                return module if imports and _literal(value.args[0]) == module else None
            return module if imported_by_call(value) == module else None
        path = dotted_path(value)
        if path is None:
            return None
        head, _, rest = path.partition(".")
        target = names.get(head)
        if target is None:
            return None
        return f"{target}.{rest}" if rest else target

    def is_module(value: ast.expr) -> bool:
        return reached(value) == module

    found: Places = {}
    calls: Places = {}
    patchers = cache(lambda: _patchers(notebook))  # read once, when a call is given a string
    for cell in notebook.cells:
        source = cell.source
        # A patch names the module through a name for it or in full (`sys.modules["LIB"]`);
        # its last part alone (`gradients` of `viz_utils.gradients`) is in most cells.
        if cell.cell_type != "code" or not (
            module in source or any(has_word(source, name) for name in names)
        ):
            continue
        try:
            tree, _ = parse_cell(source)
        except Unparseable:
            continue
        nodes = list(ast.walk(tree))
        for node in nodes:  # `h = LIB`: another name for the module, from this cell on
            path = reached(node.value) if isinstance(node, ast.Assign) else None
            if path is not None and (path == module or module.startswith(f"{path}.")):
                for target in node.targets:  # type: ignore[attr-defined]
                    if isinstance(target, ast.Name):
                        names[target.id] = path
        for node in nodes:
            by_name = _patched_by_name(node, module, patchers)
            for attribute in by_name or patched_attributes(node, is_module):
                if attribute not in found:
                    found[attribute] = (
                        cell.number,
                        stripped_line(source, getattr(node, "lineno", 1)),
                    )
            func = node.func if isinstance(node, ast.Call) else None
            if isinstance(func, ast.Attribute) and is_module(func.value):
                calls.setdefault(func.attr, (cell.number, stripped_line(source, func.lineno)))
    return found, calls


def _patched_by_name(
    node: ast.AST, module: str, patchers: Callable[[], frozenset[str]]
) -> tuple[str, ...]:
    """The attributes of `module` that a patcher sets by naming them in a string: the
    attribute a dotted target names (`unittest.mock`'s `patch("LIB.K", 100)`, pytest's
    `monkeypatch.setattr("LIB.K", 100)`; sweep 31: the library's function then read 101
    where the copy had read 2), or the keywords of `patch.multiple("LIB", K=100)`.
    `patchers`: the names a call of one goes by (`patch`, and `p` after `from
    unittest.mock import patch as p`), asked only of a call given a string; any other
    call's string is not a target (re-check 32: `open("mylib.json")` kept a copy reading
    `json`)."""
    if not isinstance(node, ast.Call):
        return ()
    targets = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "target")]
    target = _literal(targets[0]) if targets else None
    if not isinstance(target, str) or called_name(node) not in patchers():
        return ()
    if target == module and called_name(node) == "multiple":
        names = tuple(keyword.arg for keyword in node.keywords if keyword.arg != "target")
        return tuple(name or ANY_ATTRIBUTE for name in names)
    attribute = target.removeprefix(f"{module}.").partition(".")[0]
    if not target.startswith(f"{module}.") or not attribute.isidentifier():
        return ()
    return (attribute,)


# Calls that set what a dotted string names: `mock.patch`, `patch.multiple`, pytest's
# `monkeypatch.setattr` (the builtin `setattr` takes an object first, not a string).
_PATCHERS = frozenset({"patch", "multiple", "setattr"})


def _patchers(notebook: Notebook) -> frozenset[str]:
    """`_PATCHERS`, and the other names the notebook gives `patch`: by an import (`from
    unittest.mock import MagicMock, patch as p`, over several lines too), an assignment
    (`P = unittest.mock.patch`) or a partial (`p100 = functools.partial(patch, new=100)`;
    re-check 33: each was missed)."""
    names = set(_PATCHERS)
    for cell in notebook.cells:
        if cell.cell_type != "code" or "patch" not in cell.source:
            continue
        try:
            tree, _ = parse_cell(cell.source)
        except Unparseable:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names.update(a.asname for a in node.names if a.name == "patch" and a.asname)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets: list[ast.expr] = (
                    node.targets if isinstance(node, ast.Assign) else [node.target]
                )
                for target, value in _pairs(targets, node.value):
                    if isinstance(value, ast.Call) and called_name(value) == "partial":
                        value = value.args[0] if value.args else value
                    if (dotted_path(value) or "").rpartition(".")[2] in names:
                        names.add(target.id)
    return frozenset(names)


def _pairs(targets: list[ast.expr], value: ast.expr) -> list[tuple[ast.Name, ast.expr]]:
    """Each name an assignment binds with the value it gets, where the text says it: `P =
    patch`, `P: object = patch`, `P, Q = patch, 1` (re-check 34)."""
    found: list[tuple[ast.Name, ast.expr]] = []
    for target in targets:
        if isinstance(target, ast.Name):
            found.append((target, value))
        elif (
            isinstance(target, ast.Tuple)
            and isinstance(value, ast.Tuple)
            and len(target.elts) == len(value.elts)
        ):
            found += [
                (name, item)
                for name, item in zip(target.elts, value.elts, strict=True)
                if isinstance(name, ast.Name)
            ]
    return found


def _literal(node: ast.expr) -> object:
    return node.value if isinstance(node, ast.Constant) else None

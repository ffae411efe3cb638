"""What a library module binds at its top level, read from its tree.

Two questions of the catalog need more than the module's `def`s:

- which `def`s stay functions: `def scale(...)` followed by `scale = other`
  (or `del scale`, an import of `scale`, a star import, which binds what its
  module has) makes `scale` something else than the `def` that can be read,
  so it is no function of the catalog (a `global scale` inside a function,
  which rebinds it only when it runs, is not looked for);
- which `def`s the module changes after defining them (`changed_on_import`):
  `@show.register(int)` on another `def` (`functools.singledispatch`),
  `show.cache = {}`: the library's function is not what its `def` alone makes
  (re-check 36: a copy of `show` replaced by the library's answered "int" where
  it had answered "object");
- what the module's other names are: a copy of a library function pasted in
  a notebook reads `fmt` or `sum` from the notebook, where the library's
  function reads its own module's `fmt`, or the builtin `sum`
  (`hidden_inputs`).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from nbrefactor.analysis.changed_on_import import changed_after_definition
from nbrefactor.analysis.constants import literal_assignment
from nbrefactor.analysis.import_targets import bound_names, postpones_annotations
from nbrefactor.analysis.scopes import free_names, module_scope_statements, variables_bound_by
from nbrefactor.analysis.text import split_lines
from nbrefactor.analysis.words import has_word
from nbrefactor.value_base import ValueBase

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


@dataclass(frozen=True, eq=False, repr=False)
class ModuleNames(ValueBase):
    """The names a module binds at its top level by anything but an import."""

    module: str  # its dotted name, as the notebooks import it
    functions: Mapping[str, ast.FunctionDef]  # names whose last binding is this `def`
    # Every name bound otherwise than by an import: its `def` or `class` when that is its
    # last binding, else None (an assignment, a `del`, ...).
    defined: Mapping[str, Definition | None]
    # The modules it star-imports (`from numpy import *`), which may rebind builtins.
    star_imports: tuple[str, ...] = ()
    # Its text as Python decodes it (`importlib.util.decode_source`), when at hand.
    source: str | None = field(default=None, compare=False, repr=False)
    # `from __future__ import annotations`: its functions' annotations are never evaluated.
    future_annotations: bool = False
    # Function -> (line, what) of the first use of one of its attributes after its `def`
    # at the module's top level, run on import (`changed_after_definition`).
    changed_later: Mapping[str, tuple[int, str]] = field(default_factory=dict)
    # Function -> (line, what) of its first call there (`TABLE = [fib(i) for i in ...]`):
    # a function keeping state (a cache) starts with some once imported.
    called_later: Mapping[str, tuple[int, str]] = field(default_factory=dict)
    # Its tree, for the questions asked of it only when a rule needs them
    # (`bound_dynamically`, `only_constant`).
    tree: ast.Module | None = field(default=None, compare=False, repr=False)

    @property
    def global_setters(self) -> dict[str, tuple[str, ...]]:
        """Name -> the module's functions whose body assigns it through `global`, or calls
        one that does (`set_chapter` calling `configure`; re-check 44)."""
        return self._setters[0]

    def setter_called(self, function: str) -> str | None:
        """The function a setter of `global_setters` calls to set the name, when it does not
        set it itself (`configure` for `set_chapter`); None for one that does."""
        return self._setters[1].get(function)

    @cached_property
    def _setters(self) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
        """`global_setters`, and each setter that sets through another to the one it calls;
        read once for all its functions, and only when asked (not on every catalog load)."""
        found: dict[str, list[str]] = {}
        for function, node in self.functions.items():
            text = self.definition_text(node)
            if text is None:
                if not any(isinstance(inner, ast.Global) for inner in ast.walk(node)):
                    continue
                text = ast.unparse(node)
            elif not has_word(text, "global"):
                continue
            for name in free_names(text).declared_global:
                found.setdefault(name, []).append(function)
        calls: dict[str, str] = {}
        # Each function's text, taken once when a setter is found (unparsed without source).
        texts = {
            name: self.definition_text(node) or ast.unparse(node)
            for name, node in (self.functions.items() if found else ())
        }
        for setters in found.values():
            pending = list(setters)
            while pending:  # the functions calling a setter, then those calling them, ...
                setter = pending.pop()
                for function in _callers(setter, texts):
                    if function not in setters:
                        setters.append(function)
                        calls.setdefault(function, setter)
                        pending.append(function)
        return {name: tuple(functions) for name, functions in found.items()}, calls

    @cached_property
    def bound_dynamically(self) -> tuple[frozenset[str], bool]:
        """The names its top level binds by naming them in a string (`globals()["SCALE"] =
        10`), and whether a line there may bind any name (`exec(code)`,
        `globals().update(DEFAULTS)`): asked only of a name it binds by no statement
        (`LibraryFunction.reads_unbound`), so walked only then. A function's body binds only
        when called, as its `global` assignments do: not counted."""
        from nbrefactor.analysis.dynamic_bindings import dynamic_bindings

        names: set[str] = set()
        binds_any = False
        for statement in self._others:
            for found in dynamic_bindings(statement):
                if found.names is None:
                    binds_any = True
                else:
                    names.update(found.names)
        return frozenset(names), binds_any

    def only_constant(self, name: str) -> ast.expr | None:
        """The literal `name` is bound to when one top-level assignment binds it and nothing
        else may (no other statement, star import, `global` setter or dynamic binding):
        `SEED = 42` (`constants`); None otherwise."""
        if self.star_imports or name in self.global_setters:
            return None
        if name not in self.defined or self.defined[name] is not None:
            return None  # bound last by a `def` or `class`, or by an import
        named, binds_any = self.bound_dynamically
        if binds_any or name in named:
            return None
        binding = [statement for statement in self._others if name in _bound_by(statement)]
        value = literal_assignment(binding[0], name) if len(binding) == 1 else None
        if value is None:
            return None
        # Anything else in the module that may bind it, however deep (round 56a: a class
        # body's `global SEED`, `globals()['SEED'] = 0` in a function the notebook calls).
        others = [node for node in self._nodes[0] if _may_rebind(node, name)]
        exported = [node for node in others if id(node) in self._nodes[1]]  # `__all__`'s
        return value if len(others) - len(exported) == 1 else None

    @cached_property
    def _others(self) -> list[ast.stmt]:
        """Its top-level statements but `def`s, `class`es and imports."""
        left_out = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)
        body = self.tree.body if self.tree is not None else []
        return [statement for statement in body if not isinstance(statement, left_out)]

    @cached_property
    def _nodes(self) -> tuple[list[ast.AST], frozenset[int]]:
        """Every node of its tree, and the ids of those in what it assigns to `__all__`
        (`["SEED", "f"]` names, and binds nothing): for `only_constant`, once."""
        nodes = list(ast.walk(self.tree)) if self.tree is not None else []
        exported = {
            id(part)
            for node in nodes
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
            and "__all__"
            in {target.id for target in _targets(node) if isinstance(target, ast.Name)}
            and node.value is not None
            for part in ast.walk(node.value)
        }
        return nodes, frozenset(exported)

    def definition_text(self, node: Definition) -> str | None:
        """The text of one of its top-level definitions, decorators included, as its file
        holds it: what `free_names` reads of it. Unparsing the tree instead cost a
        millisecond a function (its docstring escaped character by character) on every
        run. None without the source, or for a definition not at the top level."""
        if self.source is None or node.col_offset != 0 or node.end_lineno is None:
            return None
        first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
        return "".join(self._lines[first - 1 : node.end_lineno])

    @cached_property
    def _lines(self) -> list[str]:
        assert self.source is not None
        return split_lines(self.source)


def _callers(function: str, texts: Mapping[str, str]) -> list[str]:
    """The module's other functions (by their texts) whose body reads `function` (calls it,
    mostly)."""
    return [
        name
        for name, text in texts.items()
        if name != function and has_word(text, function) and function in free_names(text).reads
    ]


def module_names(tree: ast.Module, module: str, source: str | None = None) -> ModuleNames:
    """What the module `tree` (imported as `module`, its text `source`) binds, the last
    binding of each name winning."""
    defined: dict[str, Definition | None] = {}
    star_imports: list[str] = []
    future = False
    for statement in tree.body:
        bound: dict[str, Definition | None]
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            # Its body is not walked (a `global` there rebinds only when it runs): the
            # catalog is read on every run, and walking every function was half its cost.
            bound = {statement.name: statement}
        elif isinstance(statement, ast.ImportFrom) and statement.names[0].name == "*":
            star_imports.append("." * statement.level + (statement.module or ""))
            # It binds whatever its module has, over the definitions above it (`def sqrt`,
            # then `from math import *`: the name is math's): none is known to stay.
            defined.update(dict.fromkeys(defined))
            continue
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            future = future or postpones_annotations(statement)
            names = set(bound_names(statement))
            for name in names:
                defined.pop(name, None)
            continue
        else:
            bound = dict.fromkeys(_bound_by(statement))
        defined.update(bound)
    functions = {name: node for name, node in defined.items() if isinstance(node, ast.FunctionDef)}
    changed, called = changed_after_definition(tree.body)
    return ModuleNames(
        module,
        functions,
        defined,
        tuple(star_imports),
        source,
        future,
        changed,
        called,
        tree,
    )


def _bound_in_blocks(statement: ast.stmt) -> set[str]:
    """Names an import or a `def`/`class` inside the statement's blocks may bind (`try: from
    _speedups import smooth`): the name may be that, not the `def` above (sweep W)."""
    found: set[str] = set()
    for inner in module_scope_statements([statement]):
        if isinstance(inner, (ast.Import, ast.ImportFrom)):
            found.update(bound_names(inner))
        elif isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(inner.name)
    return found


def _targets(node: ast.Assign | ast.AugAssign | ast.AnnAssign) -> list[ast.expr]:
    return node.targets if isinstance(node, ast.Assign) else [node.target]


def _may_rebind(node: ast.AST, name: str) -> bool:
    """Whether the node may bind `name` in its module: a `Name` stored or deleted (the one
    assignment too), `global` of it, an attribute of that name set, the name as a string
    (`globals()['SEED'] = 0`, `setattr(...)`), or a line that may bind any name
    (`globals().update(...)`, `exec(...)`) at any depth."""
    match node:
        case ast.Name(id=found, ctx=ast.Store() | ast.Del()):
            return found == name
        case ast.Global(names=names) | ast.Nonlocal(names=names):
            return name in names
        case ast.Attribute(attr=attribute, ctx=ast.Store() | ast.Del()):
            return attribute == name
        case ast.Constant(value=str(text)):
            return text == name
        case ast.Call(func=ast.Name(id="exec")):
            return True
        case ast.Call(func=ast.Attribute(attr="update" | "setdefault" | "__setitem__")):
            return True
    return False


def _bound_by(statement: ast.stmt) -> set[str]:
    """The names a top-level statement other than an import or a definition binds (or
    deletes), in its blocks too."""
    return variables_bound_by(statement, False) | _deleted(statement) | _bound_in_blocks(statement)


def _deleted(statement: ast.stmt) -> set[str]:
    """Names a `del` anywhere in the statement unbinds (`del scale`)."""
    return {
        node.id
        for node in ast.walk(statement)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Del)
    }

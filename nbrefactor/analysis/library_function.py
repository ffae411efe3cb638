"""A library function as the catalog reads it from its module's source: its parameters,
its body, its decorators, and what its module binds around it."""

from __future__ import annotations

import ast
import weakref
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from nbrefactor.analysis.definition_key import same_syntax, without_docstring
from nbrefactor.analysis.library_module import ModuleNames
from nbrefactor.analysis.namespace_reads import lists_locals
from nbrefactor.analysis.scopes import free_names, is_generator, kernel_builtin
from nbrefactor.value_base import ValueBase


class ParameterKind(Enum):
    POSITIONAL_ONLY = "positional-only"
    POSITIONAL_OR_KEYWORD = "positional-or-keyword"
    VAR_POSITIONAL = "*args"
    KEYWORD_ONLY = "keyword-only"
    VAR_KEYWORD = "**kwargs"


# The kinds of parameter a positional argument, a keyword argument and an unpacked
# argument (`*args`, `**kwargs`) of a call can fill: asked by the call and signature rules.
POSITIONAL_KINDS = (ParameterKind.POSITIONAL_ONLY, ParameterKind.POSITIONAL_OR_KEYWORD)
KEYWORD_KINDS = (ParameterKind.POSITIONAL_OR_KEYWORD, ParameterKind.KEYWORD_ONLY)
STARRED_KINDS = (ParameterKind.VAR_POSITIONAL, ParameterKind.VAR_KEYWORD)


@dataclass(frozen=True, eq=False, repr=False)
class Parameter(ValueBase):
    """One parameter of a function, as its signature declares it: what calls are checked against."""

    name: str
    kind: ParameterKind
    default: str | None  # normalised source of the default value, None when required


@dataclass(frozen=True, eq=False, repr=False)
class LibraryFunction(ValueBase):
    """A public function of the target module, as declared in its source."""

    qualified_name: str
    parameters: tuple[Parameter, ...]
    body: tuple[ast.stmt, ...]  # docstring left out
    # What the imports of its module bind: name -> what (`import_target`), for the names a
    # copy in a notebook may read from the notebook's own imports.
    imports: tuple[tuple[str, str], ...] = ()
    decorators: tuple[str, ...] = ()  # as `ast.unparse` writes them, in order
    annotations: tuple[str | None, ...] = ()  # `annotations_of` its definition
    generator: bool = False  # a `yield` in its own body (`scopes.is_generator`)
    # Its module's other names, and its own tree: what it reads (`bound_otherwise`).
    names: ModuleNames | None = field(default=None, compare=False, repr=False)
    node: ast.FunctionDef | None = field(default=None, compare=False, repr=False)

    def imported(self, name: str) -> str | None:
        """What its module's imports bind `name` to, or None when they do not bind it."""
        return self._imports_by_name.get(name)

    @property
    def module(self) -> str:
        """The dotted name of its module, as the notebooks import it."""
        return self.qualified_name.rpartition(".")[0]

    def bound_otherwise(self, name: str) -> str | None:
        """What `name` is where the function reads it, when its module binds it otherwise
        than by an import: `module.name` for a name the module defines, `builtins.name`
        for a builtin, what its module's star import may bind (in a builtin's place, or of
        any other name); None when the function does not read it (or neither is it)."""
        if self.names is None or self.node is None or name not in self._reads:
            return None
        if name in self.names.defined:
            return f"{self.names.module}.{name}"
        if self.names.star_imports:  # `from numpy import *` binds numpy's `sum`, `floor`
            stars = " or ".join(f"`from {module} import *`" for module in self.names.star_imports)
            if not kernel_builtin(name):
                return f"what {stars} binds"
            return f"what {stars} binds, else builtins.{name}"
        if not kernel_builtin(name):
            return None
        return f"builtins.{name}"

    def star_targets(self, name: str) -> frozenset[str]:
        """What its module's star imports would bind `name` to, spelled as `import_target`
        spells an import (`math.sqrt` for `from math import *`); only absolute ones."""
        if self.names is None:
            return frozenset()
        return frozenset(
            f"{module}.{name}" for module in self.names.star_imports if not module.startswith(".")
        )

    @cached_property
    def unbound_reads(self) -> tuple[str, ...]:
        """The names it reads that its module binds nowhere (`reads_unbound`), sorted: asked
        of each copy of it (`same_function`), found once."""
        if self.names is None or self.node is None:
            return ()
        return tuple(sorted(name for name in self._reads if self.reads_unbound(name)))

    @cached_property
    def locals_listing(self) -> str | None:
        """How its body lists its locals by no name (`namespace_reads.lists_locals`: `locals()`),
        or None: asked of each copy lacking one of its parameters, found once."""
        return lists_locals(self.body)

    def reads_unbound(self, name: str) -> bool:
        """Whether the function reads `name` and its module binds it nowhere (no import,
        definition or assignment, `globals()["name"] = ...` included, no star import or line
        that may bind any name, no builtin or module attribute of that name): a forgotten
        `import numpy as np`, where the call raises NameError."""
        if self.names is None or self.node is None or name not in self._reads:
            return False
        dunder = name.startswith("__") and name.endswith("__")
        return not (
            name in self.names.defined
            or self.imported(name) is not None
            or kernel_builtin(name)
            or dunder
            or self.names.star_imports
            or name in self.names.bound_dynamically[0]
            or self.names.bound_dynamically[1]
        )

    def setters_of(self, name: str) -> tuple[str, ...]:
        """The module's functions whose body assigns its `name` through `global`
        (`def set_mode(m): global _unit; _unit = ...`): a notebook calling one changes what
        the module's functions read."""
        return () if self.names is None else self.names.global_setters.get(name, ())

    def setter_called(self, setter: str) -> str | None:
        """The function one of `setters_of` calls to set the name, when it does not set it
        itself (`configure` for `set_chapter`); None for one that does."""
        return None if self.names is None else self.names.setter_called(setter)

    def sibling(self, name: str) -> LibraryFunction | None:
        """The module's function `name`, read as this one is (its module's names and
        imports): for comparing a notebook's copy of a helper the library's function calls."""
        if self.names is None or name not in self.names.functions:
            return None
        qualified = f"{self.names.module}.{name}"
        return library_function(qualified, self.names.functions[name], self.imports, self.names)

    def definition(self, name: str) -> ast.stmt | None:
        """The module's `def` or `class` of `name`, when that is what binds it last."""
        return None if self.names is None else self.names.defined.get(name)

    @cached_property
    def _reads(self) -> frozenset[str]:
        assert self.node is not None
        text = None if self.names is None else self.names.definition_text(self.node)
        text = ast.unparse(self.node) if text is None else text
        if self.names is not None and self.names.future_annotations:
            # Its annotations are strings, read by nothing when it runs (re-check 29: `np`
            # only in `-> np.ndarray`, imported under TYPE_CHECKING, kept an exact copy).
            text = f"from __future__ import annotations\n{text}"
        return frozenset(free_names(text).reads)

    @cached_property
    def _imports_by_name(self) -> dict[str, str]:
        return dict(self.imports)

    def body_differs(self, node: ast.FunctionDef) -> bool:
        """Whether an inline definition's body is not this function's (compared lazily),
        docstrings aside, those of the functions and classes inside it too."""
        body = without_docstring(node.body)
        if len(body) != len(self.body):
            return True
        return any(not same_syntax(inline, library) for inline, library in zip(body, self.body))


def library_function(
    qualified_name: str,
    node: ast.FunctionDef,
    imports: tuple[tuple[str, str], ...],
    names: ModuleNames,
) -> LibraryFunction:
    return LibraryFunction(
        qualified_name=qualified_name,
        parameters=parameters_of(node.args),
        body=tuple(without_docstring(node.body)),
        imports=imports,
        decorators=tuple(ast.unparse(decorator) for decorator in node.decorator_list),
        annotations=annotations_of(node),
        generator=_is_generator(node, names),
        names=names,
        node=node,
    )


def as_library_function(name: str, node: ast.stmt, module: str) -> LibraryFunction:
    """The `def` `node` as the module `module` will hold it (`extract` writes it there), read
    from its own tree, for the rules `migrate` applies to the notebooks' other copies and
    calls."""
    assert isinstance(node, ast.FunctionDef)
    return LibraryFunction(
        f"{module}.{name}",
        parameters_of(node.args),
        (),
        decorators=tuple(ast.unparse(decorator) for decorator in node.decorator_list),
        annotations=annotations_of(node),
        generator=is_generator(node.body),
    )


def _is_generator(node: ast.FunctionDef, names: ModuleNames) -> bool:
    """`scopes.is_generator`, walked only when the function's text holds `yield` (a catalog
    load walked every function's body: 3% of a run on the demo)."""
    text = names.definition_text(node)
    return (text is None or "yield" in text) and is_generator(node.body)


def annotations_of(node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str | None, ...]:
    """Each parameter's annotation, then the return's, as `ast.unparse` writes them (None
    where there is none): data a function carries (`__annotations__`), which
    `functools.singledispatch`, `typing.get_type_hints` or a CLI maker reads."""
    arguments = node.args
    every = [*arguments.posonlyargs, *arguments.args, arguments.vararg, *arguments.kwonlyargs]
    every.append(arguments.kwarg)
    found = [
        ast.unparse(argument.annotation) if argument and argument.annotation else None
        for argument in every
    ]
    found.append(ast.unparse(node.returns) if node.returns else None)
    return tuple(found) if any(found) else ()


# The rules ask each definition's parameters several times, and unparsing its
# defaults is the cost: kept for as long as its tree lives.
_PARAMETERS: weakref.WeakKeyDictionary[ast.arguments, tuple[Parameter, ...]] = (
    weakref.WeakKeyDictionary()
)


def parameters_of(arguments: ast.arguments) -> tuple[Parameter, ...]:
    """The parameters of an `ast` function signature, defaults as normalised source."""
    known = _PARAMETERS.get(arguments)
    if known is None:
        known = _PARAMETERS[arguments] = _read_parameters(arguments)
    return known


def _read_parameters(arguments: ast.arguments) -> tuple[Parameter, ...]:
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
    defaults += arguments.defaults
    parameters = [
        Parameter(
            argument.arg,
            ParameterKind.POSITIONAL_ONLY
            if index < len(arguments.posonlyargs)
            else ParameterKind.POSITIONAL_OR_KEYWORD,
            ast.unparse(default) if default is not None else None,
        )
        for index, (argument, default) in enumerate(zip(positional, defaults))
    ]
    if arguments.vararg is not None:
        parameters.append(Parameter(arguments.vararg.arg, ParameterKind.VAR_POSITIONAL, None))
    for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
        parameters.append(
            Parameter(
                argument.arg,
                ParameterKind.KEYWORD_ONLY,
                ast.unparse(default) if default is not None else None,
            )
        )
    if arguments.kwarg is not None:
        parameters.append(Parameter(arguments.kwarg.arg, ParameterKind.VAR_KEYWORD, None))
    return tuple(parameters)


def signature_too_deep(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a default, an annotation or a decorator nests deeper than `ast.unparse` can
    write under Python's recursion limit (a chain of some 400 `+`): the rules compare them
    as that text (sweep 31: a traceback)."""
    try:
        parameters_of(node.args)
        annotations_of(node)
        for decorator in node.decorator_list:
            ast.unparse(decorator)
    except RecursionError:
        return True
    return False

"""Rule: what a `def` computes when it runs is computed at the same time, once replaced.

A `def` statement evaluates its default values when it runs: inline, at
the definition's place in the notebook; the library's, when its module is
first imported. Two defaults of the same text can therefore differ:

- **a default computed by a call or a subscript** reads state at that moment
  (`figsize=plt.rcParams["figure.figsize"]` after a cell set it,
  `eps=np.random.normal()` after `np.random.seed(0)`, which also moves every
  later draw), or one binding a variable (`by=(offset := 3)`): the
  definition is kept (`DefaultComputed`). A call of a
  builtin constructor with constant arguments (`float("inf")`) reads none;
- **a default holding a mutable value** (`acc=[]`, `cache={}`, a call's
  object) is made anew by each `def`: a notebook that defines the name twice
  starts the second with an empty `acc`, where the one import would share
  the library's (`DefaultPerDefinition`).

An attribute the notebook assigns (`cfg.SCALE = 10`, then `factor=cfg.SCALE`)
is state too: the library read it before the notebook set it.

So does a decorator, unless it is known only to wrap the function
(`functools.lru_cache`, `numba.njit`, `torch.no_grad()`): `@interact(n=(1, 5))`
displays a widget when the `def` runs, and would display it where the library
is imported (`DecoratorRuns`); and one known only to wrap whose arguments read
such state (`@lru_cache(maxsize=cfg.CACHE_SIZE)`).

The function object itself is made anew by each `def` too: a name defined
more than once whose attributes a use before its last `def` reads or sets
(`fib.cache`, `tag.__defaults__`) is several objects inline and one once
imported (`ObjectPerDefinition`); so is one that keeps state on itself, a
cache (`@functools.cache`) or an attribute its body sets (`f.calls = ...`),
each `def` starting its own (`StatePerDefinition`). Passing it on (`nlsys(update, ...)`,
`map(f, xs)`) is not counted: the other object does not change it.

A default whose text differs from the library's is drift, reported as such
(`rules.definitions`), not kept here; unless computing it may change state (a call,
a walrus: `title=str(np.random.rand())` moved every later draw, `save_path=
os.makedirs(...)` made a folder), which the replaced definition would no longer do
where it ran (`DefaultComputed`; sweep 29).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

from nbrefactor import reasons
from nbrefactor.analysis.catalog import LibraryFunction, parameters_of
from nbrefactor.analysis.events import Binding, Use
from nbrefactor.analysis.reader import CellReading
from nbrefactor.analysis.scopes import annotated, kernel_builtin
from nbrefactor.rules.computed_values import (
    arguments_read_state,
    has_effects,
    makes_mutable,
    reads_state,
    walrus_only,
)
from nbrefactor.rules.function_state import parameter_defaults


def definition_time_problem(
    binding: Binding,
    library: LibraryFunction,
    definitions: Sequence[Binding],
    used_as_object: Sequence[Use] = (),
    notebook_sets: Callable[[str], bool] = lambda path: False,
    library_imported: int | None = None,
    attribute_uses: Sequence[Use] = (),
    reading: CellReading | None = None,
) -> (
    reasons.DefaultComputed
    | reasons.AnnotationRuns
    | reasons.DefaultPerDefinition
    | reasons.ObjectPerDefinition
    | reasons.StatePerDefinition
    | reasons.StateShared
    | reasons.ChangedInModule
    | reasons.DecoratorRuns
    | None
):
    """Why the inline definition's defaults would not be the library's once replaced, or
    None. `definitions`: every definition of the name the migration decides on;
    `used_as_object`: its uses of an attribute (`fib.cache`) before the last of them,
    outside them; `notebook_sets`: whether the notebook assigns an attribute, by its
    dotted path (`cfg.SCALE`); `library_imported`: the first cell that may import the
    library's module, whose own function a copy keeping state would share it with (or
    the attributes `attribute_uses` set or call: `fmt.register(int)`, re-check 37);
    `reading`: of the definition's cell, whose text is looked at before its body is walked."""
    node = binding.node
    assert node is not None
    names = library.names
    defined = names.functions if names is not None else {}
    decorator = decorator_run_for_effect(node, defined, notebook_sets, library)
    if decorator is not None:
        return reasons.DecoratorRuns(decorator, library.qualified_name)
    theirs = {parameter.name: parameter.default for parameter in library.parameters}
    # The cell of the first other definition of the name: asked of each definition, so found
    # in a step or two, not by listing the others (a notebook can hold thousands).
    another = next((other.cell for other in definitions if other is not binding), None)
    if another is not None and used_as_object:
        use = used_as_object[0]
        return reasons.ObjectPerDefinition(another, use.cell, library.qualified_name)
    called = names.called_later.get(library.node.name) if names and library.node else None
    if another is not None or library_imported is not None or called is not None:
        # Imported here, as the decorators' analysis below: most copies have neither
        # another definition nor a decorator, and a run over them never loads it.
        from nbrefactor.rules.function_state import state_on_itself

        state = state_on_itself(node, defined, reading)
        if state is not None and another is not None:
            return reasons.StatePerDefinition(state, another, library.qualified_name)
        if state is not None and called is not None:  # its module called it: state warmed
            return reasons.ChangedInModule(*called, library.qualified_name)
        if state is not None and library_imported is not None:
            return reasons.StateShared(state, library_imported, library.qualified_name)
    if library_imported is not None and attribute_uses:
        state = f"function object (cell {attribute_uses[0].cell} uses its attributes)"
        return reasons.StateShared(state, library_imported, library.qualified_name)
    # Each default's text as `parameters_of` unparsed it (once per definition).
    ours = {
        parameter.name: parameter.default
        for parameter in parameters_of(node.args)
        if parameter.default is not None
    }
    for name, default in parameter_defaults(node.args):
        text = ours[name]
        if theirs.get(name) != text:
            lost = _lost_call(name, default, text, theirs.get(name), library)
            if lost is not None:
                return lost
            continue  # drift: reported when replaced
        if reads_state(default, notebook_sets):
            return reasons.DefaultComputed(name, text, library.qualified_name)
        # A mutable default is state the function keeps, which another `def` makes anew, the
        # module's own call may have filled, or one import would share: asked only then.
        sharing = (another, called, library_imported) != (None, None, None)
        if not sharing or not makes_mutable(default):
            continue
        if another is not None:
            return reasons.DefaultPerDefinition(name, text, another, library.qualified_name)
        if called is not None:
            # Its module called it: the default may hold what that call put there (round
            # 48a: `def f(x, seen={})`, then `DEFAULT = f("a")` in the module).
            return reasons.ChangedInModule(*called, library.qualified_name)
        assert library_imported is not None
        return reasons.StateShared(f"{name}={text}", library_imported, library.qualified_name)
    return annotation_problem(node, library)


def annotation_problem(
    node: ast.FunctionDef | ast.AsyncFunctionDef, library: LibraryFunction
) -> reasons.AnnotationRuns | None:
    """The first annotation of the `def` whose computing may change state (`has_effects`: a
    call, a walrus), which runs when the `def` runs: once replaced, it would not run there
    (round 54a: `def f(x: (n := 3))`, then `print(n)`). One under `from __future__ import
    annotations`, which does not run, counts too: the safe side, and rare."""
    for name, annotation in annotated(node):
        if has_effects(annotation):
            return reasons.AnnotationRuns(name, ast.unparse(annotation), library.qualified_name)
    return None


def drifted_default_problem(
    node: ast.FunctionDef | ast.AsyncFunctionDef, library: LibraryFunction
) -> reasons.DefaultComputed | None:
    """The first default whose text is not the library's and whose computing may change
    state (`has_effects`), as `definition_time_problem` finds it: `extract` lists such a
    copy as one `migrate` keeps."""
    theirs = {parameter.name: parameter.default for parameter in library.parameters}
    ours = {parameter.name: parameter.default for parameter in parameters_of(node.args)}
    for name, default in parameter_defaults(node.args):
        text = ours[name]
        if text is not None and theirs.get(name) != text:
            lost = _lost_call(name, default, text, theirs.get(name), library)
            if lost is not None:
                return lost
    return None


def _lost_call(
    name: str, default: ast.expr, text: str, theirs: str | None, library: LibraryFunction
) -> reasons.DefaultComputed | None:
    """A default of other text than the library's (`theirs`) whose computing may change
    state: once replaced, it no longer runs where the `def` ran (sweep 29)."""
    if not has_effects(default):
        return None
    return reasons.DefaultComputed(
        name, text, library.qualified_name, theirs or "none", walrus_only(default)
    )


def state_read_by_default(
    node: ast.stmt, notebook_sets: Callable[[str], bool] = lambda path: False
) -> str | None:
    """The first default of a `def` computed by reading state (`figsize=plt.rcParams[...]`,
    an attribute the notebook assigns), as `name=value`, or None: `extract` does not move
    such a function, which `migrate` would keep."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    for name, default in parameter_defaults(node.args):
        if reads_state(default, notebook_sets):
            return f"{name}={ast.unparse(default)}"
    return None


def decorator_run_for_effect(
    node: ast.stmt,
    defined: Mapping[str, ast.FunctionDef] = MappingProxyType({}),
    notebook_sets: Callable[[str], bool] = lambda path: False,
    library: LibraryFunction | None = None,
) -> str | None:
    """The first decorator of a `def` not known only to wrap the function, as `@text`, or
    None: `@interact(n=(1, 5))` displays a widget when the `def` runs, and would display it
    where the library is imported. Known: a function of `defined` (the library's module,
    the notebook's helpers) that does nothing when applied but wrap (`decorator_shapes`:
    `def timer(f)` returning a wrapper), read before the names of `WRAPPING_DECORATORS`
    (re-check 36: the library's own `checkpoint`, appending to a list, was taken for
    `torch.utils.checkpoint`); unless its arguments read state
    (`@lru_cache(maxsize=cfg.CACHE_SIZE)` after `cfg.CACHE_SIZE = 4`, `notebook_sets`).
    `library`: the copy's function in the library, whose module's variables a decorator
    may read when applied (`decoration`), which a decorator of `defined` defined below
    it did not decorate (an earlier one of its name did: re-check 37), and whose module's
    imports say where a decorator of a known name comes from (re-check 38)."""
    decorators = getattr(node, "decorator_list", ())
    if not decorators:
        return None
    from nbrefactor.rules.decorator_names import WRAPPING_DECORATORS
    from nbrefactor.rules.decorator_scope import Decoration
    from nbrefactor.rules.decorator_shapes import decoration

    variable = _module_variable(library) if library is not None else lambda name: False
    before = library.node.lineno if library is not None and library.node else None
    for decorator in decorators:
        called = decorator.func if isinstance(decorator, ast.Call) else decorator
        call = decorator if isinstance(decorator, ast.Call) else None
        if call is not None and arguments_read_state(call, notebook_sets):
            return "@" + ast.unparse(decorator)
        function = defined.get(called.id) if isinstance(called, ast.Name) else None
        if function is not None:
            later = before is not None and function.lineno > before
            if later or decoration(function, call, variable) is Decoration.RUNS:
                return "@" + ast.unparse(decorator)
            continue
        name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
        if name not in WRAPPING_DECORATORS or not _from_known_module(called, library):
            return "@" + ast.unparse(decorator)
    return None


def _from_known_module(called: ast.expr, library: LibraryFunction | None) -> bool:
    """Whether a decorator of a known name comes, by the library's imports, from a module
    known for it (`WRAPPING_MODULES`): `from mytools import checkpoint` is a project's own,
    which may register the function (re-check 38). True without a library to ask, or
    where its imports do not bind the name (the copy's spelling, `@lru_cache` for
    `@functools.lru_cache`, the same decorator by `decorators_problem`)."""
    root = called
    while isinstance(root, ast.Attribute):
        root = root.value
    if library is None or not isinstance(root, ast.Name):
        return library is None
    if library.names is not None and root.id in library.names.defined:
        return False  # its own `deprecated` class, `jit = _r.jit`, `app.function` (re-check 39)
    target = library.imported(root.id)
    if target is None:
        return True
    from nbrefactor.rules.decorator_names import WRAPPING_MODULES

    return target.partition(".")[0] in WRAPPING_MODULES


def _module_variable(library: LibraryFunction) -> Callable[[str], bool]:
    """Whether a name of the library's module is a variable a notebook may change (re-checks
    37, 38): bound by an assignment, a `from` import, a function's `global`, or, with a
    star import, not bound otherwise; not a `def`, a `class` or an imported module."""
    names = library.names
    if names is None:
        return lambda name: False
    imported = {name: target for name, target in library.imports}

    def variable(name: str) -> bool:
        if name in names.defined:
            return names.defined[name] is None
        if name in imported:
            return "." in imported[name]  # `from settings import DEBUG`, not `import np`
        if name in names.global_setters:
            return True
        return bool(names.star_imports) and not kernel_builtin(name)

    return variable

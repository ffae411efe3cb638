"""Why a definition whose calls bind is still not the library's function (`NBR220`-`NBR229`).

The `same_function` rule's reasons (and `KeptWithOther`, which every rule
gives a name's other definitions), apart from `reasons` so that each stays
short; `reasons` re-exports them, where the codes are listed.
"""

from __future__ import annotations

from typing import ClassVar

from nbrefactor.reason_base import ReasonBase


class ParametersDiffer(ReasonBase):
    """The inline parameters are not the library's: calls that bind mean something else."""

    code: ClassVar[str] = "NBR220"
    inline: tuple[str, ...]
    qualified_name: str
    library: tuple[str, ...]


class ForwardedKeyword(ReasonBase):
    """A call passes an inline parameter by keyword; the library hands it to its `**kwargs`."""

    code: ClassVar[str] = "NBR221"
    keyword: str
    qualified_name: str


class CollectedArgument(ReasonBase):
    """A call passes an argument the inline `*args`/`**kwargs` collects; the library binds it to
    a named parameter."""

    code: ClassVar[str] = "NBR226"
    cell: int  # of the call
    argument: str  # `argument 2` (by position) or `factor=`
    collector: str  # `*factors` or `**opts`
    parameter: str  # the library's parameter it binds to
    qualified_name: str


class ReadsNotebookVariable(ReasonBase):
    """The body, a decorator or a default reads a variable the notebook binds."""

    code: ClassVar[str] = "NBR222"
    variable: str
    cell: int  # the first cell that binds it; 0: IPython does (`_`, `Out`: its history)
    qualified_name: str


class WritesNotebookVariable(ReasonBase):
    """The body declares a notebook variable `global` and only assigns it."""

    code: ClassVar[str] = "NBR223"
    variable: str
    qualified_name: str


class KeptWithOther(ReasonBase):
    """Another definition of the same name is kept: a name's definitions go together."""

    code: ClassVar[str] = "NBR224"
    cell: int  # the cell of the definition kept for a reason of its own


class ImportedOtherwise(ReasonBase):
    """The body reads a name the notebook imports as one thing, the library's module as
    another (`import pickle as ser`, `import json as ser`)."""

    code: ClassVar[str] = "NBR227"
    name: str
    cell: int  # an import of it in the notebook
    notebook_target: str
    library_target: str
    qualified_name: str


class BoundOtherwise(ReasonBase):
    """The body reads a name the library's function reads from its own module, or a
    builtin, and the notebook binds it otherwise (`from numpy import *` and `sum`, a
    `def fmt` that is not the module's, an import of another `fmt`); or a name bound
    nowhere in sight, which a line binding any name may bind (`%run setup.py`)."""

    code: ClassVar[str] = "NBR233"
    name: str
    cell: int  # the notebook's line that binds it
    binding: str  # that line's words: "`from numpy import *`", "an import of mylib.fmt"
    surely: bool  # False: the line may bind it (a star import, `%run`)
    library_target: str | None  # `module.name`, `builtins.name`; None: it does not read it
    qualified_name: str
    sets: bool = False  # the line sets it on a module (`consts.SCALE = 10`)


class BuiltinHere(ReasonBase):
    """The body reads a builtin the notebook binds nowhere, where the library's function
    reads its module's name (`from math import pow`, `def pow`, `from numpy import *`)."""

    code: ClassVar[str] = "NBR236"
    name: str
    library_target: str  # what the library's function reads: `math.pow`, `mylib.pow`
    qualified_name: str


class ObjectPerDefinition(ReasonBase):
    """A name defined more than once whose attributes a use before the last `def` reads or
    sets (`fib.cache`): each `def` makes another function object, one import one."""

    code: ClassVar[str] = "NBR240"
    other_cell: int  # another definition of the name
    use_cell: int  # a use of an attribute of it
    qualified_name: str


class UnboundWhenDefined(ReasonBase):
    """A decorator, default or annotation reads a name that no cell binds before the definition's
    (`@np.vectorize` above `import numpy as np`): the `def` raised NameError where it
    ran, so its name stayed unbound and the rest of its cell never ran; the import would
    bind the name there, and a migration changes nothing outside the function's body."""

    code: ClassVar[str] = "NBR253"
    name: str
    where: str  # "decorator", "default", "annotation"
    cell: int  # the first cell that binds it, 0 for none
    qualified_name: str


class ModulePatched(ReasonBase):
    """The notebook sets the library's function on its module (`LIB.f = wrapper`): the
    import would bind what it set, not the function the module's text defines."""

    code: ClassVar[str] = "NBR239"
    name: str
    cell: int
    line: str
    qualified_name: str
    any_attribute: bool = False  # the line may set any attribute (`setattr(LIB, key, v)`)


class DefaultComputed(ReasonBase):
    """A default computed by a call or a subscript (`plt.rcParams[...]`): inline when the
    `def` runs, the library's when its module is imported (`rules.definition_time`). Or a
    default of other text than the library's (`library_default`) whose call may change
    state (`np.random.rand()`): once replaced, it no longer runs."""

    code: ClassVar[str] = "NBR237"
    parameter: str
    default: str
    qualified_name: str
    library_default: str | None = None  # the library's, when the texts differ
    assigns: tuple[str, ...] = ()  # the names its walruses bind, when they are all it runs


class AnnotationRuns(ReasonBase):
    """An annotation whose computing may change state (a call, a walrus: `x: (n := 3)`,
    `-> print("ann")`): inline it runs when the `def` runs; once replaced, where the
    library's module is imported, if at all (round 54a: `n` was no longer bound)."""

    code: ClassVar[str] = "NBR266"
    annotated: str  # the parameter, or "return"
    annotation: str
    qualified_name: str


class DecoratorRuns(ReasonBase):
    """A decorator not known only to wrap the function (`@interact(n=(1, 5))` displays a
    widget, a registry records it): it runs when the `def` runs, inline at the
    definition's place, the library's when its module is imported
    (`rules.definition_time`)."""

    code: ClassVar[str] = "NBR246"
    decorator: str
    qualified_name: str


class DefaultPerDefinition(ReasonBase):
    """A default holding a new mutable value (`acc=[]`), in a name defined more than once:
    each `def` makes its own, where the one import would share the library's."""

    code: ClassVar[str] = "NBR238"
    parameter: str
    default: str
    other_cell: int  # another definition of the name
    qualified_name: str


class StatePerDefinition(ReasonBase):
    """A name defined more than once whose function keeps state on itself: a cache
    (`@functools.cache`) or an attribute its body sets (`f.calls = ...`). Each `def` starts
    its own, where the one import would share the library's."""

    code: ClassVar[str] = "NBR259"
    state: str  # what each def makes its own: "cache (@functools.cache)", "f.calls"
    other_cell: int  # another definition of the name
    qualified_name: str


class ChangedInModule(ReasonBase):
    """The library's module changes its function after the `def` when imported
    (`@show.register(int)` on another `def`, `show.cache = {}`): the library's function is
    not what the copy's `def` makes (re-check 36: `show(1)` gave "int" once replaced)."""

    code: ClassVar[str] = "NBR261"
    line: int  # of the module, where the attribute is used
    used: str  # `show.register`
    qualified_name: str


class LibraryReadsUnbound(ReasonBase):
    """The library's function reads a name its module binds nowhere (a forgotten `import numpy
    as np`), and the copy does not read it: where the copy ran, the call would raise NameError
    (round 53b: `return x * 10` inline, `x * SCALE` in the library). A copy reading it too is
    `hidden_inputs`' question (`bound_otherwise`)."""

    code: ClassVar[str] = "NBR264"
    name: str
    qualified_name: str


class StateShared(ReasonBase):
    """A definition whose function keeps state on itself, in a notebook that imports from
    the library too: the library's own function (which its other functions call, or the
    notebook through `mylib.load`) keeps its own, where one import would share it with
    this copy's uses (re-check 36: a cached `load` printed "loading" once, not twice)."""

    code: ClassVar[str] = "NBR260"
    state: str  # as `StatePerDefinition`'s
    import_cell: int  # the first cell importing from the library
    qualified_name: str


class StatePerRun(ReasonBase):
    """A definition whose function keeps state (a mutable default, a cache, attributes set on
    it), in a notebook another of its folder runs (`%run a.ipynb`) so that one kernel would
    reach the library's function twice: it runs the notebook more than once, or runs another
    file that may define the name too, or binds it or imports the library itself. Each run
    runs the `def`, starting the state anew, where one import would share the library's
    (round 62b: `c.ipynb` ran `a.ipynb` and `b.ipynb`, each defining `add(x, acc=[])`; once
    both were migrated, the second printed 3, not 1). A runner running it once, and nothing
    else binding it, shares nothing (round 62c K1: the "setup notebook")."""

    code: ClassVar[str] = "NBR272"
    state: str  # `acc=[]`, or as `StatePerDefinition`'s
    runner: str  # the other notebook's file name
    cell: int  # its first cell running this one
    line: str
    qualified_name: str
    name: str = ""  # the copy's name
    runs: int = 1  # how many of the runner's lines run this notebook
    repeated: bool = False  # one of them in a loop, a function or a `%%timeit` cell
    other: str = ""  # another file the runner runs, which may define the name


class ReadsNamespace(ReasonBase):
    """The body reads the notebook's variables by no name (`globals()`, one-argument
    `eval`, `__main__`): the library's function reads its own module's instead. Or it reads
    a frame's or IPython's namespace (`.f_globals`, `.user_ns`), which nbrefactor does not
    follow: the library's function may or may not read the same (`by_frame`)."""

    code: ClassVar[str] = "NBR234"
    through: str  # the construct: "globals()", "eval()", "__main__", ".f_globals"
    qualified_name: str
    by_frame: (
        bool  # through a frame's or IPython's namespace (`namespace_reads.reads_other_namespace`)
    )
    # One of its module's own attributes (`__file__`: `namespace_reads.module_attribute`),
    # no way to the notebook's variables.
    own_attribute: bool = False


class DecoratorsDiffer(ReasonBase):
    """The inline decorators are not the library's: the name is bound to another object."""

    code: ClassVar[str] = "NBR229"
    inline: tuple[str, ...]
    qualified_name: str
    library: tuple[str, ...]


class AnnotationsRead(ReasonBase):
    """The annotations differ from the library's, and a decorator that does not only run
    the body in a context may read them when the `def` runs: `@torch.jit.script` compiles
    by them (round 76c F5: `k: float` against the library's `k: int`, then RuntimeError),
    as `@functools.singledispatch`'s `register` or a validator does."""

    code: ClassVar[str] = "NBR281"
    decorator: str
    qualified_name: str


class AsyncDefinition(ReasonBase):
    """An `async def` of the name: a call returns a coroutine, the library's does not."""

    code: ClassVar[str] = "NBR228"
    qualified_name: str


class GeneratorDiffers(ReasonBase):
    """One of the inline function and the library's is a generator (a `yield` in its body),
    the other is not: a call returns a generator from one, the body's result from the other
    (sweep 29)."""

    code: ClassVar[str] = "NBR257"
    qualified_name: str
    inline_is_generator: bool


class ReadsKeptDefinition(ReasonBase):
    """The body uses a name whose inline definitions are kept: the library's function would
    use the library's function of that name instead."""

    code: ClassVar[str] = "NBR225"
    name: str  # the name the body uses
    cell: int  # a kept definition of it
    qualified_name: str  # the library function that would run instead of the definition
    used_qualified_name: str  # the library function it would use instead of the kept one

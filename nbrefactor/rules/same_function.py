"""Rule: an inline definition goes only if it is the library's function, not only its name.

Call binding (`call_binding`) says every call would be accepted by the
library's signature; that is not enough. A definition whose calls bind is
still kept when, in this order:

1. **its parameters or its decorators are not the library's** (decorators
   that only run the body in a context, `@torch.no_grad()`, aside), or one of the two is
   a generator and the other is not (a call returns a generator): the inline positional
   parameters must be the library's by name and in order (a prefix of them);
   an inline parameter past the library's positional ones must be a named
   parameter of the library, or optional (then no call may pass it: see 2;
   a call passing it by position does not bind). Never counting the
   library's `**kwargs`: `def make_data(N, f=0.3)` is not `make_data(N=30,
   err=1.0)`, though `make_data(30, 0.5)` binds to both;
2. **a call passes an inline parameter by keyword that the library only
   takes through `**kwargs`**: `show_grid=True` would reach `imshow`; or,
   the other way round, an argument the inline `*args`/`**kwargs` collects
   that the library binds to a named parameter (`scale(3, 5)` against
   `def scale(x, *factors)` and the library's `scale(x, factor=2)`);
3. **a default, or the function object, is made otherwise once replaced**
   (`definition_time`): a default computed by a call or a subscript when the `def`
   runs; a mutable default, or the function whose attributes a use reads, anew by each
   `def` of a name defined more than once; state the function keeps (a mutable default, a
   cache) anew by each run of a notebook another notebook runs (`%run a.ipynb`);
4. **it reads a notebook variable** (`analysis.hidden_inputs`, read with the program):
   the library cannot see `FIG_DIR` set in a cell above, by name or by none
   (`globals()['FIG_DIR']`).

Before these, a copy in a cell that does not parse is kept when the notebook's own
binding of the name above it ran instead (`broken_copies`, round 76a).

A name's definitions go together: when one is kept for a reason of its own,
the others are kept with it (`KeptWithOther`). The parameters' half of 1, and 2,
are `rules.parameters`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Sequence

from nbrefactor import reasons
from nbrefactor.analysis.catalog import LibraryFunction, annotations_of, parameters_of
from nbrefactor.analysis.events import Binding
from nbrefactor.analysis.namespace_reads import module_attribute, reads_other_namespace
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.scopes import is_generator
from nbrefactor.rules.attribute_uses import changes_attributes
from nbrefactor.rules.broken_copies import ran_another
from nbrefactor.rules.computed_values import attributes_assigned
from nbrefactor.rules.decorators import context_decorators, decorators_problem
from nbrefactor.rules.definition_time import definition_time_problem
from nbrefactor.rules.function_state import state_per_run
from nbrefactor.rules.notebook_runners import NotebookRunner, notebooks_running
from nbrefactor.rules.parameters import (
    collected_argument,
    forwarded_keyword,
    parameters_problem,
)


def not_the_same(
    program: Program,
    name: str,
    definitions: Collection[Binding],
    gone: Collection[tuple[int, int]] = frozenset(),
    runners: Callable[[], Sequence[NotebookRunner]] | None = None,
) -> dict[Binding, reasons.KeptReason]:
    """Each definition of `name` to keep, with why; empty when all are the library's function.

    A call inside a top-level statement that `gone` holds (`Position.top_level`) goes with it.
    `runners`: the notebooks running this one (`notebooks_running`, read once a run).
    """
    library = program.catalog.function_for(name)
    ordered = sorted(definitions, key=lambda binding: binding.position)
    reaching = [
        use
        for use in program.uses_reaching(name, definitions)
        if use.position.top_level not in gone
    ]
    calls = [use for use in reaching if use.call is not None]
    # What uses a function object's attributes before another `def` makes another
    # (`fib.cache`, `tag.__defaults__`), other than its own body.
    own_bodies = {binding.position.top_level for binding in ordered}
    objects = [
        use
        for use in reaching
        if use.attribute
        and use.position < ordered[-1].position
        and use.position.top_level not in own_bodies
    ]
    # What uses its attributes anywhere (`fmt.register(int)`, `load.disabled = True`): once
    # replaced, the library's function, which the library's own code uses too.
    attributes = [
        use
        for use in reaching
        if use.position.top_level not in own_bodies and changes_attributes(use, program)
    ]
    own: dict[Binding, reasons.KeptReason] = {}
    # `cfg.SCALE = 10`: state a default reads
    assigned = attributes_assigned(
        [cell.source for cell in program.notebook.cells if cell.cell_type == "code"]
    )
    # The first cell that may import the library: its own function keeps its own state.
    texts = program.texts
    library_imported = texts.module_named[0] if texts is not None and texts.module_named else None
    for binding in ordered:
        assert binding.node is not None
        parameters = parameters_of(binding.node.args)
        problem: reasons.KeptReason | None = ran_another(program, binding, ordered, library)
        if problem is None:
            problem = parameters_problem(parameters, library)
        if problem is None:
            problem = decorators_problem(binding.node, library, program.notebook)
        if problem is None:
            problem = _annotations_read(binding.node, library)
        if problem is None:
            problem = _changed_in_module(library)
        if problem is None:
            problem = generator_problem(
                binding.node.body, program.cell(binding.cell).source, library
            )
        if problem is None:
            problem = forwarded_keyword(calls, parameters, library)
        if problem is None:
            problem = collected_argument(calls, parameters, library)
        if problem is None:
            problem = definition_time_problem(
                binding,
                library,
                ordered,
                objects,
                assigned,
                library_imported,
                attributes,
                program.reading(binding.cell),
            )
        if problem is None:
            problem = _hidden_input(binding, library, program)
        if problem is None:
            problem = _unbound_in_library(binding, library, program)
        if problem is None:
            problem = _state_per_run(binding, library, program, runners)
        if problem is not None:
            own[binding] = problem
    if not own:
        return {}
    first = next(iter(own)).cell
    return {binding: own.get(binding, reasons.KeptWithOther(first)) for binding in ordered}


def _annotations_read(
    node: ast.FunctionDef | ast.AsyncFunctionDef, library: LibraryFunction
) -> reasons.AnnotationsRead | None:
    """Annotations other than the library's under a decorator that may read them when the
    `def` runs (`AnnotationsRead`; the decorators are the library's by now)."""
    if annotations_of(node) == library.annotations:
        return None
    decorators = [ast.unparse(decorator) for decorator in node.decorator_list]
    context = context_decorators(decorators)
    reading = next((decorator for decorator in decorators if decorator not in context), None)
    if reading is None:
        return None
    return reasons.AnnotationsRead(reading, library.qualified_name)


def _state_per_run(
    binding: Binding,
    library: LibraryFunction,
    program: Program,
    runners: Callable[[], Sequence[NotebookRunner]] | None,
) -> reasons.StatePerRun | None:
    """A copy keeping state (`state_per_run`: `acc=[]`, a cache) in a notebook another of its
    folder runs (`%run a.ipynb`) so that one kernel reaches the function twice: each run runs
    the `def`, starting the state anew, where the runs would share the one import's (round
    62b: `c.ipynb` ran `a.ipynb` and `b.ipynb`, whose second `add(1)` printed 3, not 1).
    A runner running the notebook once, binding the name no other way, keeps one state
    either way (round 62c K1: `%run setup.ipynb` in each analysis notebook). The folder is
    read only for a copy keeping state (most keep none, and most folders run no notebook)."""
    assert binding.node is not None
    state = state_per_run(binding.node, library, program.reading(binding.cell))
    if state is None:
        return None
    name = binding.node.name
    names = {name, library.qualified_name.rpartition(".")[2]}
    module = library.qualified_name.rpartition(".")[0]
    for runner in runners() if runners is not None else notebooks_running(program):
        other = next((file for file, words in runner.others if names & words), "")
        binds = bool(names & runner.own) or (module in runner.own and bool(names & runner.names))
        if runner.runs > 1 or runner.repeated or other or binds:
            return reasons.StatePerRun(
                state,
                runner.file_name,
                runner.cell,
                runner.line,
                library.qualified_name,
                name,
                runner.runs,
                runner.repeated,
                other,
            )
    return None


def _changed_in_module(library: LibraryFunction) -> reasons.ChangedInModule | None:
    """The library's module uses an attribute of its function after the `def`
    (`@show.register(int)`): the copy lacks what that did."""
    if library.names is None or library.node is None:
        return None
    changed = library.names.changed_later.get(library.node.name)
    if changed is None:
        return None
    return reasons.ChangedInModule(changed[0], changed[1], library.qualified_name)


def generator_problem(
    body: Sequence[ast.stmt], source: str, library: LibraryFunction
) -> reasons.GeneratorDiffers | None:
    """A generator where the library's function is not one, or the other way round (sweep
    29: `yield fig` was replaced, and `for x in r` then iterated the library's Figure).
    `source`: text holding the definition, looked at first: no `yield` in it, no walk."""
    inline = "yield" in source and is_generator(body)
    if inline == library.generator:
        return None
    return reasons.GeneratorDiffers(library.qualified_name, inline)


def _unbound_in_library(
    binding: Binding, library: LibraryFunction, program: Program
) -> reasons.LibraryReadsUnbound | None:
    """A name the library's function reads that its module binds nowhere, which the copy
    does not read (`LibraryReadsUnbound`); None when there is none."""
    unbound = library.unbound_reads
    reading = program.reading(binding.cell)
    if not unbound or reading is None or binding.node is None:
        return None
    read = set(reading.free_names(binding.node).reads)
    missing = next((name for name in unbound if name not in read), None)
    return None if missing is None else reasons.LibraryReadsUnbound(missing, library.qualified_name)


def _hidden_input(
    binding: Binding, library: LibraryFunction, program: Program
) -> (
    reasons.ReadsNotebookVariable
    | reasons.WritesNotebookVariable
    | reasons.ImportedOtherwise
    | reasons.BoundOtherwise
    | reasons.ReadsNamespace
    | reasons.BuiltinHere
    | reasons.ModulePatched
    | reasons.UnboundWhenDefined
    | None
):
    """The first notebook variable the definition reads or sets (rule 3), or None."""
    for found in program.hidden_inputs.get(binding, ()):
        if found.unbound_here is not None:
            continue  # the copy raised NameError there: replaced, and said (`definitions`)
        if found.unbound_when_defined is not None:
            where, qualified = found.unbound_when_defined, library.qualified_name
            return reasons.UnboundWhenDefined(found.name, where, found.cell, qualified)
        if found.patched_line is not None:
            return reasons.ModulePatched(
                found.name,
                found.cell,
                found.patched_line,
                library.qualified_name,
                found.patches_any,
            )
        if found.through is not None:
            by_frame = reads_other_namespace(found.through)
            own = module_attribute(found.through)
            return reasons.ReadsNamespace(found.through, library.qualified_name, by_frame, own)
        if found.builtin_here is not None:
            return reasons.BuiltinHere(found.name, found.builtin_here, library.qualified_name)
        if found.bound_by is not None:
            line, theirs, surely = found.bound_by
            qualified = library.qualified_name
            return reasons.BoundOtherwise(
                found.name, found.cell, line, surely, theirs, qualified, found.sets
            )
        if found.imported is not None:
            ours, theirs = found.imported
            qualified = library.qualified_name
            return reasons.ImportedOtherwise(found.name, found.cell, ours, theirs, qualified)
        if found.reads:
            return reasons.ReadsNotebookVariable(found.name, found.cell, library.qualified_name)
        return reasons.WritesNotebookVariable(found.name, library.qualified_name)
    return None

"""The words for why a definition is not the same function as the library's
(`same_function_reasons`).

Apart from `reason_words` so that each stays short; `reason_words.describe` asks
here for the reasons it does not word itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbrefactor import reasons as reasons_


def describe_same_function(reason: reasons_.Reason) -> str | None:
    """The words for a reason the definition is not the library's function, as the report
    line shows them; None for another reason."""
    from nbrefactor import reasons as reasons_

    match reason:
        case reasons_.ParametersDiffer(inline, qualified_name, library):
            return (
                f"its parameters ({', '.join(inline)}) are not {qualified_name}'s "
                f"({', '.join(library)})"
            )
        case reasons_.ForwardedKeyword(keyword, qualified_name):
            return (
                f"{keyword}= is a parameter inline; {qualified_name} passes it on through **kwargs"
            )
        case reasons_.ReadsNotebookVariable(variable, 0, qualified_name):
            return (
                f"reads {variable}, which IPython binds in the notebook "
                f"({ipython_binding(variable)}), and {qualified_name} cannot see"
            )
        case reasons_.ReadsNotebookVariable(variable, cell, qualified_name):
            return (
                f"reads notebook variable {variable} (cell {cell}), which {qualified_name} "
                "cannot see"
            )
        case reasons_.BuiltinHere(name, theirs, qualified_name):
            return f"reads {name}, the builtin here, where {qualified_name} reads {theirs}"
        case reasons_.ObjectPerDefinition(other_cell, use_cell, qualified_name):
            return (
                f"defined again in cell {other_cell}, and cell {use_cell} uses an attribute of "
                f"it: each def makes another function, where one import would share "
                f"{qualified_name}"
            )
        case reasons_.UnboundWhenDefined(name, where, cell, qualified_name):
            bound = f"bound first in cell {cell}, after it" if cell else "which no cell binds"
            return (
                f"its {where} reads {name}, {bound}: the def raised NameError when it ran, "
                f"and the import would bind {qualified_name} there"
            )
        case reasons_.ModulePatched(_, cell, line, qualified_name, True):
            module = qualified_name.rpartition(".")[0]
            return (
                f"cell {cell} may set any attribute of {module} (`{line}`), {qualified_name}"
                " among them, which the import would bind"
            )
        case reasons_.ModulePatched(_, cell, line, qualified_name):
            return f"cell {cell} sets {qualified_name} (`{line}`), which the import would bind"
        case reasons_.DefaultComputed(parameter, default, qualified_name, str(theirs), assigns):
            # A walrus binds a name, which is not a call (round 59b: `k=(K := 2)`).
            runs = f"assigns {' and '.join(assigns)}" if assigns else "runs a call"
            return (
                f"its default {parameter}={default} {runs} when the def runs, which"
                f" {qualified_name}'s ({theirs}) does not: once replaced, it would not run"
            )
        case reasons_.DefaultComputed(parameter, default, qualified_name):
            return (
                f"its default {parameter}={default} is computed when the def runs, and "
                f"{qualified_name}'s when its module is imported"
            )
        case reasons_.AnnotationRuns(annotated, annotation, qualified_name):
            shown = f"-> {annotation}" if annotated == "return" else f"{annotated}: {annotation}"
            module = qualified_name.rpartition(".")[0]
            return (
                f"its annotation {shown} runs a call or a walrus when the def runs: once "
                f"replaced, it would run where {module} is imported, if at all"
            )
        case reasons_.DecoratorRuns(decorator, qualified_name):
            return (
                f"its decorator {decorator} runs when the def runs, and "
                f"{qualified_name}'s when its module is imported"
            )
        case reasons_.DefaultPerDefinition(parameter, default, other_cell, qualified_name):
            return (
                f"defined again in cell {other_cell}: each def makes its own {parameter}="
                f"{default}, where one import would share {qualified_name}'s"
            )
        case reasons_.StatePerDefinition(state, other_cell, qualified_name):
            return (
                f"defined again in cell {other_cell}: each def keeps its own {state}, where "
                f"one import would share {qualified_name}'s"
            )
        case reasons_.LibraryReadsUnbound(name, qualified_name):
            return (
                f"{qualified_name} reads {name}, which its module binds nowhere (a call raises "
                "NameError), and the inline copy does not"
            )
        case reasons_.ChangedInModule(line, used, qualified_name) if "." not in used:
            return (
                f"{qualified_name} is used by its module when imported (line {line} uses "
                f"{used}), which may change what it keeps, and the inline copy is not"
            )
        case reasons_.ChangedInModule(line, used, qualified_name):
            return (
                f"{qualified_name} is changed after its def (line {line} of its module uses "
                f"{used}), and the inline copy is not"
            )
        case reasons_.StateShared(state, import_cell, qualified_name):
            module = qualified_name.rpartition(".")[0]
            return (
                f"keeps its own {state}, where one import would share {qualified_name}'s "
                f"with the {module} cell {import_cell} imports, whose own code may use it"
            )
        case reasons_.StatePerRun(state, runner, cell, line, qualified_name, _, runs):
            return f"{runner} {_runs_how(reason)}: " + (
                f"each run makes its own {state}, where one import would share {qualified_name}'s"
                if runs > 1 or reason.repeated or reason.other
                else f"this notebook's def makes its own {state}, where one import would share "
                f"{qualified_name}'s with {runner}'s"
            )
        case reasons_.ReadsNamespace(through, qualified_name, True):
            return (
                f"reads variables through {through} (a frame's or IPython's namespace), "
                f"which nbrefactor does not compare with what {qualified_name} would read"
            )
        case reasons_.ReadsNamespace(through, qualified_name, False, True):
            # `__file__`, `__name__`: no variable of the notebook's (extract sweep 28b)
            return (
                f"reads its module's own {through}: the notebook's inline, {qualified_name}'s"
                " module's once moved"
            )
        case reasons_.ReadsNamespace(through, qualified_name, False):
            return (
                f"reads the notebook's variables through {through}, where {qualified_name} "
                "would read its own module's"
            )
        case reasons_.WritesNotebookVariable(variable, qualified_name):
            return f"sets notebook variable {variable} (global), which {qualified_name} cannot"
        case reasons_.KeptWithOther(cell):
            return f"the definition in cell {cell} is kept, and a name's definitions go together"
        case reasons_.CollectedArgument(cell, argument, collector, parameter, qualified):
            return (
                f"call in cell {cell} passes {argument}, which the inline {collector} collects "
                f"and {qualified} takes as {parameter}"
            )
        case reasons_.ImportedOtherwise(name, cell, ours, theirs, qualified):
            return (
                f"reads {name}, which cell {cell} imports as {ours} and the module of "
                f"{qualified} as {theirs}"
            )
        case reasons_.BoundOtherwise(name, cell, binding, surely, theirs, qualified, sets):
            binds = "sets" if sets else "binds" if surely else "may bind"
            where = (
                f"where {qualified} reads {theirs}" if theirs else f"and {qualified} cannot see it"
            )
            return f"reads {name}, which {binding} in cell {cell} {binds}, {where}"
        case reasons_.AnnotationsRead(decorator, qualified_name):
            return (
                f"its annotations differ from {qualified_name}'s, and its decorator"
                f" (@{decorator}) may read them"
            )
        case reasons_.DecoratorsDiffer(inline, qualified, library):
            ours, theirs = decorators_text(inline), decorators_text(library)
            return f"its decorators ({ours}) are not {qualified}'s ({theirs})"
        case reasons_.AsyncDefinition(qualified):
            return f"an async def, and {qualified} is not: a call would return a coroutine"
        case reasons_.GeneratorDiffers(qualified, True):
            return f"a generator, and {qualified} is not: a call would return a generator"
        case reasons_.GeneratorDiffers(qualified, False):
            return (
                f"not a generator, and {qualified} is: a call would return a generator instead"
                " of its result"
            )
        case reasons_.ReadsKeptDefinition(name, cell, qualified, used):
            return (
                f"uses {name}, whose definition in cell {cell} is kept; {qualified} would use "
                f"{used} instead"
            )
    return None


def ipython_binding(name: str) -> str:
    """What a name IPython binds in the notebook is (`ReadsNotebookVariable` in cell 0)."""
    return "its exit command" if name in ("exit", "quit") else "its input and output history"


def decorators_text(decorators: tuple[str, ...]) -> str:
    """`@a @b(1)`, or `none`."""
    return " ".join(f"@{decorator}" for decorator in decorators) or "none"


def _runs_how(reason: reasons_.StatePerRun) -> str:
    """How the runner reaches the library's function twice in one kernel (`StatePerRun`)."""
    where = f"(`{reason.line}`, cell {reason.cell})"
    if reason.runs > 1:
        return f"runs this notebook {reason.runs} times {where}"
    if reason.repeated:
        return f"runs this notebook in a loop or function {where}"
    if reason.other:
        return f"runs this notebook {where} and {reason.other}, which may define {reason.name}"
    module = reason.qualified_name.rpartition(".")[0]
    return f"runs this notebook {where} and binds {reason.name} or imports {module} itself"

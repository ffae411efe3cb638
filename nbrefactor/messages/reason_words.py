"""The words for each replaced or kept reason `reasons.py` defines (`describe`).

Apart from `findings` (the report and its lines) so that each stays short; the
reasons a definition is not the library's function are worded in
`same_function_words`, and those an import cannot stand in for the definitions in
`import_findings`: `describe` asks them for the reasons it does not word itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nbrefactor.messages.import_findings import describe_import
from nbrefactor.messages.same_function_words import decorators_text, describe_same_function

if TYPE_CHECKING:
    # At run time each function imports `reasons` itself: a run where no notebook
    # defines a library name words no reason, and defining the types costs start-up.
    from nbrefactor import reasons as reasons_


def rename_problem(
    reason: (
        reasons_.RenameInCellMagic
        | reasons_.RenameCaptured
        | reasons_.RenameInString
        | reasons_.RenameInMagic
        | reasons_.RenameBeforeDefinition
        | reasons_.RenameListed
    ),
) -> str:
    from nbrefactor import reasons as reasons_

    match reason:
        case reasons_.RenameBeforeDefinition(_, name, cell):
            return (
                f"`del {name}` in cell {cell} may run before any definition of it, where renamed"
                " it would delete the import"
            )
        case reasons_.RenameListed(_, name, cell, listing):
            return (
                f"{listing} in cell {cell} lists the notebook's names, where {name} would no"
                " longer be"
            )
        case reasons_.RenameInMagic(_, name, cell, magic):
            return (
                f"the argument of %{magic} in cell {cell} names {name}, which renaming would not"
                " change"
            )
        case reasons_.RenameInString(_, name, cell):
            return (
                f"a string in cell {cell} names {name}, which renaming would not change (eval or"
                " exec may run it, an f-string's = shows it)"
            )
        case reasons_.RenameInCellMagic(_, _, cell, magic):
            return f"the call in cell {cell} is in a %%{magic} cell, which is never edited"
    # A line that may bind any name (`%run`, `exec`) may bind it, or not (round 58a).
    bound = "may also be bound" if reason.kind in _MAY_BIND else "is also bound"
    return f"{reason.current} {bound} in cell {reason.cell} ({reason.kind}) and could capture them"


# The kinds of binding (`events.BindingKind`'s words) that may bind a name, or not.
_MAY_BIND = frozenset(
    {
        "%run",
        "line magic",
        "exec",
        "assignment through globals()",
        "IPython namespace call",
        "alias of globals()",
        "cell magic",
    }
)


def describe(reason: reasons_.Reason) -> str:
    """The words for one reason, as the report line shows them."""
    from nbrefactor import call_reasons
    from nbrefactor import reasons as reasons_

    match reason:
        # replaced
        case reasons_.BodyDiffers(qualified_name):
            return f"body differs from {qualified_name}"
        case reasons_.DefaultDiffers(parameter, inline, None):
            return f"default {parameter}={inline} inline, none in the library"
        case reasons_.DefaultDiffers(parameter, inline, library):
            return f"default {parameter}={inline} inline, {library} in the library"
        case reasons_.ParametersDropped(parameters, qualified_name):
            what = "a parameter" if len(parameters) == 1 else "parameters"
            return (
                f"{', '.join(parameters)} inline, which no call passes, not {what} of"
                f" {qualified_name}"
            )
        case reasons_.ResultShown(cell, expression):
            return (
                f"cell {cell} now ends with `{expression}`, which IPython displays unless it"
                " is None"
            )
        case reasons_.AnnotationsDiffer(qualified_name):
            return f"annotations differ from {qualified_name}'s"
        case reasons_.ContextDiffers(inline, library):
            ours, theirs = decorators_text(inline), decorators_text(library)
            return f"runs in another context: {ours} inline, {theirs} in the library"
        case reasons_.SignatureCompatible():
            return "signature compatible"
        case reasons_.FoundByLibrary(name, library, qualified_name):
            return (
                f"reads {name}, which the notebook binds nowhere (calling the copy raised"
                f" NameError), where {qualified_name} reads {library}"
            )
        case reasons_.ImportsRelatively(line, qualified_name):
            return (
                f"its body imports relatively (`{line}`), which raises ImportError in a"
                f" notebook (no package), where {qualified_name} imports it from its package"
            )
        case reasons_.LocalsListed(parameters, listing, qualified_name):
            what = "parameters" if len(parameters) > 1 else "a parameter"
            listed = ", ".join(parameters)
            return f"{qualified_name}'s {listing} lists {listed} too, {what} the copy lacks"
        case reasons_.InBrokenCell(error, True, True):
            return (
                f"its own body does not parse ({error}): the library function is the fix, and"
                " the cell, which raised SyntaxError, parses and runs once it is gone"
            )
        case reasons_.InBrokenCell(error, True):
            return (
                f"its own body does not parse ({error}): the library function is the fix; "
                "the cell's other lines are unchanged"
            )
        case reasons_.InBrokenCell(error, False):
            return f"the cell does not parse ({error}), its other lines are unchanged"
        case reasons_.CallsRenamed(qualified_name):
            return f"with {qualified_name}; calls renamed"
        case (
            reasons_.RenameInCellMagic(qualified_name, name)
            | reasons_.RenameCaptured(qualified_name, name)
            | reasons_.RenameInString(qualified_name, name)
            | reasons_.RenameInMagic(qualified_name, name)
            | reasons_.RenameBeforeDefinition(qualified_name, name)
            | reasons_.RenameListed(qualified_name, name)
            | reasons_.UnusedUnderOldName(qualified_name, name)
        ):
            return f"with {qualified_name}, imported as {name}"
        # kept: a call that does not bind
        case reasons_.CallDoesNotBind(cell, problem):
            return f"call in cell {cell} {describe(problem)}"
        case reasons_.CaughtWhereLibraryAccepts(cell, name, line, qualified_name):
            return (
                f"cell {cell} uses {name} where a TypeError is caught (line {line}), and"
                f" {qualified_name} accepts calls this definition rejects: one the copy refused"
                " would run"
            )
        case reasons_.CallOnlyLibraryBinds(cell, problem, line, qualified_name):
            return (
                f"call in cell {cell} {describe(problem)}, a TypeError caught on line {line};"
                f" {qualified_name} accepts the call, which would then run"
            )
        case call_reasons.TooManyPositional(count, qualified_name, most):
            return f"passes {count} positional arguments but {qualified_name} takes at most {most}"
        case call_reasons.UnknownKeyword(keyword, qualified_name):
            return f"passes keyword '{keyword}' that {qualified_name} does not accept"
        case call_reasons.PassedTwice(keyword):
            return f"passes '{keyword}' both by position and by keyword"
        case call_reasons.MissingArgument(parameter, qualified_name):
            return f"does not pass '{parameter}', which {qualified_name} requires"
        # kept: a use that cannot be checked
        case reasons_.UseWithoutCall(cell, name, qualified_name):
            return _unchecked(f"cell {cell} refers to {name} without calling it", qualified_name)
        case reasons_.HandedToParameterReader(
            cell, name, reader, qualified_name, inline, library, as_value, annotations
        ):
            if reader.startswith(".") and as_value:  # `nparams(model)` reading `fn.__code__`
                how = (
                    f"cell {cell} uses {name} as a value, and the notebook reads a function's"
                    f" {reader[1:]}, which gives its parameters"
                )
            elif reader.startswith("."):  # `model.__code__`
                how = f"cell {cell} reads {name}{reader}, which gives its parameters"
            elif as_value:
                how = (
                    f"cell {cell} uses {name} as a value, and the notebook names {reader}, which"
                    " reads the parameters of a function it reaches"
                )
            else:
                how = f"cell {cell} hands {name} to {reader}, which reads its parameters"
            if annotations:
                return (
                    f"{how} and their annotations: the inline annotations are not"
                    f" {qualified_name}'s"
                )
            return f"{how}: ({inline}) inline, ({library}) in {qualified_name}"
        case reasons_.NamedInCode(cell, name, qualified_name):
            use = f"a string in cell {cell} names {name} (eval, exec, globals()[...])"
            return _unchecked(f"{use}, a use that cannot be checked", qualified_name)
        case reasons_.NamedInMagic(cell, line, name, magic, qualified_name):
            use = f"cell {cell} names {name} on line {line}, in the argument of %{magic}"
            return _unchecked(f"{use}, a use that cannot be checked", qualified_name)
        case reasons_.NamedInCellMagic(cell, line, name, magic, qualified_name):
            use = f"cell {cell} names {name} on line {line}, in a %%{magic} cell (the magic"
            return _unchecked(f"{use} may run it), a use that cannot be checked", qualified_name)
        case reasons_.ReachedThroughNamespace(cell, line, qualified_name):
            use = f"cell {cell} reaches the notebook's functions through its namespace (`{line}`)"
            return _unchecked(f"{use}, a use that cannot be checked", qualified_name)
        case reasons_.NamedInFormula(cell, name, qualified_name):
            use = f"a formula in cell {cell} calls {name} (patsy runs it in the notebook)"
            return _unchecked(f"{use}, a use that cannot be checked", qualified_name)
        case reasons_.NamedInPandasExpression(cell, name, qualified_name):
            use = f"a string in cell {cell} calls @{name} (pandas' query and eval run it in the"
            return _unchecked(f"{use} notebook), a use that cannot be checked", qualified_name)
        case reasons_.NamedForCodeByValue(cell, name, runner_cell, runner, qualified_name):
            use = f"a string in cell {cell} reads as code naming {name}, and cell {runner_cell}"
            use += f" runs code given by value (`{runner}`)"
            return _unchecked(f"{use}, a use that cannot be checked", qualified_name)
        case reasons_.NamedInScript(cell, line, script, name, qualified_name):
            use = f"cell {cell} runs {script} in the notebook's namespace (`{line}`)"
            return _unchecked(
                f"{use}, which names {name}, a use that cannot be checked", qualified_name
            )
        case reasons_.RunByNotebook(runner, cell, line, name, qualified_name):
            use = f"{runner} runs this notebook (`{line}`, cell {cell}) and names {name}"
            return _unchecked(f"{use}, a use that cannot be checked", qualified_name)
        case reasons_.UnpackedArguments(cell, qualified_name):
            use = f"call in cell {cell} passes *args or **kwargs"
            return _unchecked(use, qualified_name)
        case reasons_.UnreadableUse(cell, line, name, error):
            return (
                f"cell {cell} does not parse ({error}) and {name} on its line {line} is not a "
                "call that can be read, so that use cannot be checked"
            )
        case reasons_.UseInIPythonLine(cell, line, name):
            return (
                f"cell {cell} names {name} on line {line}, an IPython line that IPython may "
                "expand ({...} or $name), so that use cannot be checked"
            )
        case reasons_.RebindsThroughGlobal(cell, line, name, through):
            return (
                f"the function or class on line {line} of cell {cell} may rebind {name} through "
                f"{through} when it runs, and no one import can stand for that"
            )
        case reasons_.MentionedInUnparseableCell(cell, name, cause):
            return (
                f"cell {cell} mentions {name} but could not be parsed ({cause}), "
                "so its uses cannot be checked"
            )
        case reasons_.RanAnotherBinding(cell, name, qualified_name, surely):
            ran = (
                f"ran the {name} of cell {cell}"
                if surely
                else f"may have run a {name} cell {cell} may bind"
            )
            return (
                f"its cell does not parse, so it never ran: the code below it {ran}, where the"
                f" import would bind {qualified_name}"
            )
        # kept: the definition's cell
        case reasons_.InCellMagic(magic):
            return f"the cell starts with %%{magic}; cells with cell magics are not edited"
        case reasons_.NotPython(magic):
            return f"the cell is a %%{magic} cell, not read as Python; it is never edited"
        case reasons_.IndentedCellMagic(magic):
            return (
                f"the cell's %%{magic} line is indented and a line after it is not:"
                f" IPython 9 raises IndentationError for the cell, IPython 8 runs it as a"
                f" %%{magic} cell; it is never edited"
            )
        case reasons_.CannotReadCell(cause):
            return f"the cell cannot be read ({cause})"
        case reasons_.EmptiesNumberedCell(cell, reader_cell, shown):
            return (
                f"removing it leaves cell {cell} empty, which IPython does not number, and cell"
                f" {reader_cell} reads IPython's numbered history ({shown}): each later cell's"
                " number would shift"
            )
        case reasons_.DefinitionNotRead(error, int(line)):
            return (
                f"the cell does not parse ({error}), but would without the def on line {line}:"
                " removing it would run lines that never ran"
            )
        case reasons_.DefinitionNotRead(error):
            return (
                f"the cell does not parse ({error}) and no definition with a readable header "
                "starts a line there"
            )
    words = describe_same_function(reason) or describe_import(reason)
    if words is not None:
        return words
    raise AssertionError(f"no words for {reason!r}")


def _unchecked(use: str, qualified_name: str) -> str:
    """A use that cannot be checked keeps the definition when the signatures differ."""
    return (
        f"{use}, and the inline signature accepts calls that {qualified_name} does not bind "
        "the same way"
    )

"""Rules 1 and 2 of the same-function check (`same_function`): the copy's parameters, and
what its calls pass.

1. The inline positional parameters must be the library's by name and in
   order (a prefix of them); an inline parameter past the library's
   positional ones must be a named parameter of the library, or optional.
   Never counting the library's `**kwargs`: `def make_data(N, f=0.3)` is not
   `make_data(N=30, err=1.0)`, though `make_data(30, 0.5)` binds to both.
2. No call may pass by keyword an inline parameter that the library only
   takes through `**kwargs`, nor pass an argument the inline `*args` or
   `**kwargs` collects that the library binds to a named parameter.

Rule 1 reads the definition's own text alone: `read_program` is told which
definitions it keeps (`kept_for_parameters`) and asks no more of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from nbrefactor import reasons
from nbrefactor.analysis.catalog import (
    KEYWORD_KINDS,
    POSITIONAL_KINDS,
    STARRED_KINDS,
    Catalog,
    LibraryFunction,
    Parameter,
    ParameterKind,
    parameters_of,
)
from nbrefactor.analysis.events import Binding, Use


def kept_for_parameters(catalog: Catalog) -> Callable[[Binding], bool]:
    """`parameters_differ` for one catalog, as `read_program` is told it (`kept_by_own_text`):
    each definition asked once (the reader asks twice: can one go, which to ask about).
    A lambda, not a `partial`, which has no name for `cache` to copy: an AttributeError
    for each missing one, at every notebook."""
    return cache(lambda binding: parameters_differ(catalog, binding))


def parameters_differ(catalog: Catalog, binding: Binding) -> bool:
    """Whether the inline definition is kept from its own text alone: its parameters are not
    the library's (rule 1), so nothing the other cells hold can make it go.

    `read_program` is told so, and does not ask which notebook variables it reads.
    """
    assert binding.node is not None
    library = catalog.function_for(binding.name)
    return not _same_parameters(parameters_of(binding.node.args), library)


def parameters_problem(
    inline: Sequence[Parameter], library: LibraryFunction
) -> reasons.ParametersDiffer | None:
    """Why the inline parameters are not the library's (rule 1), or None."""
    if _same_parameters(inline, library):
        return None
    return reasons.ParametersDiffer(
        tuple(_shown(parameter) for parameter in inline),
        library.qualified_name,
        tuple(_shown(parameter) for parameter in library.parameters),
    )


def _same_parameters(inline: Sequence[Parameter], library: LibraryFunction) -> bool:
    """Whether the inline parameters are the library's (rule 1): all the reader asks
    (`parameters_differ`); the reason, which shows both lists, is built for the rules alone."""
    theirs = library.parameters
    # A name that collects extra arguments on one side only (`**y` inline, `y=None` in the
    # library) means another thing in the body: `f(1)` gives `{}` on one side, None on the
    # other.
    their_kinds = {parameter.name: parameter.kind for parameter in theirs}
    for ours in inline:
        kind = their_kinds.get(ours.name)
        if kind is not None and kind is not ours.kind and {kind, ours.kind} & set(STARRED_KINDS):
            return False
    positional = [parameter for parameter in theirs if parameter.kind in POSITIONAL_KINDS]
    ours_positional = [parameter for parameter in inline if parameter.kind in POSITIONAL_KINDS]
    if any(ours.name != their.name for ours, their in zip(ours_positional, positional)):
        return False
    # Past the library's positional parameters: passed by position, it would land in the
    # library's *args; by keyword, it must be one of the library's names (or be optional
    # and never passed: rule 2 and call binding see to that). So must a keyword-only one.
    past = ours_positional[len(positional) :]
    if past and any(parameter.kind is ParameterKind.VAR_POSITIONAL for parameter in theirs):
        return False
    by_keyword = [*past, *(ours for ours in inline if ours.kind is ParameterKind.KEYWORD_ONLY)]
    if not by_keyword:  # the usual case: the library's names are not needed
        return True
    named = {parameter.name for parameter in theirs if parameter.kind not in STARRED_KINDS}
    return all(ours.name in named or ours.default is not None for ours in by_keyword)


def _shown(parameter: Parameter) -> str:
    # Compared by identity: an `Enum` hashes in Python, and a reason shows every parameter.
    if parameter.kind is ParameterKind.VAR_POSITIONAL:
        return "*" + parameter.name
    if parameter.kind is ParameterKind.VAR_KEYWORD:
        return "**" + parameter.name
    return parameter.name


def forwarded_keyword(
    calls: Sequence[Use], inline: Sequence[Parameter], library: LibraryFunction
) -> reasons.ForwardedKeyword | None:
    """A keyword one of the `calls` passes that names an inline parameter but that only the
    library's `**kwargs` would take (rule 2), or None."""
    ours = {parameter.name for parameter in inline if parameter.kind in KEYWORD_KINDS}
    theirs = {parameter.name for parameter in library.parameters if parameter.kind in KEYWORD_KINDS}
    forwarded = ours - theirs
    for use in calls if forwarded else ():
        assert use.call is not None
        for keyword in use.call.keywords:
            if keyword in forwarded:
                return reasons.ForwardedKeyword(keyword, library.qualified_name)
    return None


def collected_argument(
    calls: Sequence[Use], inline: Sequence[Parameter], library: LibraryFunction
) -> reasons.CollectedArgument | None:
    """An argument one of the `calls` passes that the inline `*args` or `**kwargs` collects
    but that the library binds to a named parameter (rule 2, the other way round), or None."""
    collectors = {p.kind: p for p in inline if p.kind in STARRED_KINDS}
    if not collectors:
        return None
    count = sum(1 for parameter in inline if parameter.kind in POSITIONAL_KINDS)
    theirs = [parameter for parameter in library.parameters if parameter.kind in POSITIONAL_KINDS]
    ours = {parameter.name for parameter in inline if parameter.kind in KEYWORD_KINDS}
    by_keyword = {p.name: p for p in library.parameters if p.kind in KEYWORD_KINDS}
    varargs = collectors.get(ParameterKind.VAR_POSITIONAL)
    varkw = collectors.get(ParameterKind.VAR_KEYWORD)
    qualified = library.qualified_name
    for use in calls:
        assert use.call is not None
        collected = use.call.positional_count > count  # by the inline *args
        if varargs is not None and collected and count < len(theirs):
            argument = f"argument {count + 1}"
            collector = _shown(varargs)
            return reasons.CollectedArgument(
                use.cell, argument, collector, theirs[count].name, qualified
            )
        if varkw is not None:
            for keyword in use.call.keywords:
                if keyword not in ours and keyword in by_keyword:
                    return reasons.CollectedArgument(
                        use.cell, f"{keyword}=", _shown(varkw), keyword, qualified
                    )
    return None

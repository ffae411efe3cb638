"""Whether a call binds to a signature, and whether two signatures agree.

Pure questions about parameters, asked by `call_binding` (may an inline
definition go, given its uses?) and by `extract` (which pasted variant accepts
every call?): a call's shape against a library signature (`binding_problem`) or
another (`call_problem`), an inline signature against the library's
(`signature_compatible`, `same_parameters`), and a signature written as a `def`
writes it (`signature_text`).
"""

from __future__ import annotations

from collections.abc import Sequence

from nbrefactor import reasons
from nbrefactor.analysis.catalog import (
    KEYWORD_KINDS,
    POSITIONAL_KINDS,
    STARRED_KINDS,
    LibraryFunction,
    Parameter,
    ParameterKind,
)
from nbrefactor.analysis.events import CallShape


def same_parameters(inline: Sequence[Parameter], library: Sequence[Parameter]) -> bool:
    """Whether both have the same parameters, in order, by name, kind and whether each is
    optional (their default values may differ, as for a call): what code handed the
    function (`curve_fit(f, x, y)`, `interact(f, n=(1, 5))`) may read of it."""

    def shape(parameters: Sequence[Parameter]) -> list[tuple[str, ParameterKind, bool]]:
        return [(p.name, p.kind, p.default is not None) for p in parameters]

    return shape(inline) == shape(library)


def signature_text(parameters: Sequence[Parameter]) -> str:
    """The parameters as a `def` writes them, defaults included (`x, /, a, *, c=None`)."""
    shown: list[str] = []
    starred = False  # a `*args` or a bare `*` written: keyword-only parameters follow
    for index, parameter in enumerate(parameters):
        kind = parameter.kind
        if kind is ParameterKind.KEYWORD_ONLY and not starred:
            shown.append("*")
        starred = starred or kind in (ParameterKind.KEYWORD_ONLY, ParameterKind.VAR_POSITIONAL)
        if kind in STARRED_KINDS:
            shown.append(("*" if kind is ParameterKind.VAR_POSITIONAL else "**") + parameter.name)
        else:
            default = "" if parameter.default is None else f"={parameter.default}"
            shown.append(parameter.name + default)
        following = parameters[index + 1].kind if index + 1 < len(parameters) else None
        if kind is ParameterKind.POSITIONAL_ONLY and following is not ParameterKind.POSITIONAL_ONLY:
            shown.append("/")
    return ", ".join(shown)


def signature_compatible(inline: Sequence[Parameter], library: Sequence[Parameter]) -> bool:
    """Whether the library accepts every call the inline signature accepts.

    The same positional parameters, by name and in order; what is optional inline
    is optional in the library; every keyword the inline version takes is taken;
    `*args`/`**kwargs` inline need theirs in the library, and collect nothing
    that the library takes as a parameter (`color=`, which the inline `**kw`
    collects, is the library's `color`); whatever else the library has is
    optional.
    """
    inline_kinds = {parameter.kind for parameter in inline}
    library_kinds = {parameter.kind for parameter in library}
    for star in STARRED_KINDS:
        if star in inline_kinds and star not in library_kinds:
            return False
    inline_positional = [p for p in inline if p.kind in POSITIONAL_KINDS]
    library_positional = [p for p in library if p.kind in POSITIONAL_KINDS]
    if len(library_positional) < len(inline_positional):
        return False
    if ParameterKind.VAR_POSITIONAL in inline_kinds and len(library_positional) > len(
        inline_positional
    ):
        return False  # values the inline `*args` collects would fill other parameters
    matched = set()
    for ours, theirs in zip(inline_positional, library_positional):
        if ours.name != theirs.name or (ours.default is not None and theirs.default is None):
            return False
        if ours.kind is ParameterKind.POSITIONAL_OR_KEYWORD and theirs.kind not in KEYWORD_KINDS:
            return False
        if (
            ours.kind is ParameterKind.POSITIONAL_ONLY
            and theirs.kind is not ParameterKind.POSITIONAL_ONLY
            and ParameterKind.VAR_KEYWORD in inline_kinds
        ):
            return False  # `f(x, name=y)` sends `name` to the inline `**kwargs`
        matched.add(theirs.name)
    by_name = {parameter.name: parameter for parameter in library}
    for ours in inline:
        if ours.kind is not ParameterKind.KEYWORD_ONLY:
            continue
        named = by_name.get(ours.name)
        if named is None:
            return False  # the library's `**kwargs` would pass it on, not use it
        if named.kind not in KEYWORD_KINDS:
            return False
        if ours.default is not None and named.default is None:
            return False
        matched.add(named.name)
    if ParameterKind.VAR_KEYWORD in inline_kinds and any(
        parameter.kind in KEYWORD_KINDS and parameter.name not in matched for parameter in library
    ):
        return False  # `f(x, color=c)` sends `color` to the inline `**kwargs`, not to a parameter
    return all(
        parameter.name in matched
        or parameter.default is not None
        or parameter.kind in STARRED_KINDS
        for parameter in library
    )


def binding_problem(library: LibraryFunction, call: CallShape) -> reasons.BindingProblem | None:
    """Why a call of this shape would not bind to the library's signature, or None."""
    return call_problem(library.parameters, library.qualified_name, call)


def call_problem(
    parameters: Sequence[Parameter], qualified_name: str, call: CallShape
) -> reasons.BindingProblem | None:
    """Why a call of this shape would not bind to these parameters (of the function named
    `qualified_name` in the words), or None: the TypeError Python raises."""
    by_name = {parameter.name: parameter for parameter in parameters}
    kinds = {parameter.kind for parameter in parameters}
    positional = [parameter for parameter in parameters if parameter.kind in POSITIONAL_KINDS]
    if call.positional_count > len(positional) and ParameterKind.VAR_POSITIONAL not in kinds:
        return reasons.TooManyPositional(call.positional_count, qualified_name, len(positional))
    bound = {parameter.name for parameter in positional[: call.positional_count]}
    for keyword in call.keywords:
        parameter = by_name.get(keyword)
        accepts = parameter is not None and parameter.kind in KEYWORD_KINDS
        if not accepts and ParameterKind.VAR_KEYWORD not in kinds:
            return reasons.UnknownKeyword(keyword, qualified_name)
        if keyword in bound:
            return reasons.PassedTwice(keyword)
        bound.add(keyword)
    for parameter in parameters:
        required = parameter.default is None and parameter.kind not in STARRED_KINDS
        if required and parameter.name not in bound:
            return reasons.MissingArgument(parameter.name, qualified_name)
    return None

"""Rule: an inline definition may go only if every call that could run it runs the library's.

A call binds when the library function accepts its arguments: not too many
positional ones, every keyword a parameter (or `**kwargs`), nothing passed
twice, every required parameter given. A call with `*args`/`**kwargs`, or a
use of the name without a call (a callback, say), cannot be checked. A cell
that does not parse but names the function hides its uses, so it keeps the
definition too.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from nbrefactor import messages
from nbrefactor.catalog import LibraryFunction, ParameterKind
from nbrefactor.events import Binding, CallShape
from nbrefactor.program import Program

_POSITIONAL = (ParameterKind.POSITIONAL_ONLY, ParameterKind.POSITIONAL_OR_KEYWORD)
_BY_KEYWORD = (ParameterKind.POSITIONAL_OR_KEYWORD, ParameterKind.KEYWORD_ONLY)
_STARRED = (ParameterKind.VAR_POSITIONAL, ParameterKind.VAR_KEYWORD)


def call_problem(program: Program, name: str, definitions: Collection[Binding]) -> str | None:
    """Why some use that could run these definitions of `name` would not run the library's."""
    library = program.catalog.function_for(name)
    for use in program.uses_reaching(name, definitions):
        if use.call is None:
            return messages.use_without_call(use.cell, name, library.qualified_name)
        if use.call.unpacks:
            return messages.unpacked_arguments(use.cell, library.qualified_name)
        problem = binding_problem(library, use.call)
        if problem is not None:
            return messages.call_does_not_bind(use.cell, problem)
    return _unreadable_problem(program, name)


def binding_problem(library: LibraryFunction, call: CallShape) -> str | None:
    """Why a call of this shape would not bind to the library's signature, or None."""
    parameters = library.parameters
    by_name = {parameter.name: parameter for parameter in parameters}
    kinds = {parameter.kind for parameter in parameters}
    positional = [parameter for parameter in parameters if parameter.kind in _POSITIONAL]
    if call.positional_count > len(positional) and ParameterKind.VAR_POSITIONAL not in kinds:
        return messages.too_many_positional(
            call.positional_count, library.qualified_name, len(positional)
        )
    bound = {parameter.name for parameter in positional[: call.positional_count]}
    for keyword in call.keywords:
        parameter = by_name.get(keyword)
        accepts = parameter is not None and parameter.kind in _BY_KEYWORD
        if not accepts and ParameterKind.VAR_KEYWORD not in kinds:
            return messages.unknown_keyword(keyword, library.qualified_name)
        if keyword in bound:
            return messages.passed_twice(keyword)
        bound.add(keyword)
    for parameter in parameters:
        required = parameter.default is None and parameter.kind not in _STARRED
        if required and parameter.name not in bound:
            return messages.missing_argument(parameter.name, library.qualified_name)
    return None


def _unreadable_problem(program: Program, name: str) -> str | None:
    mention = re.compile(rf"\b{re.escape(name)}\b")
    for number, reason in sorted(program.unparseable.items()):
        if mention.search(program.cell(number).source):
            return messages.mentioned_in_unparseable_cell(number, name, reason)
    return None

"""How a replaced copy differs from the library's function: the details of its line.

A copy whose body drifted from the library's is replaced (the library is someone's
chosen version), and the report says how it differs, so that the user reading the
diff knows what the notebook now runs: its body (`NBR101`), the context its
decorators run it in (`NBR111`), its annotations (`NBR112`), its defaults (`NBR102`),
parameters only the copy has (`NBR116`), a relative import in its body (`NBR117`),
parameters only the library's has where its body lists its locals (`NBR118`).
"""

from __future__ import annotations

import ast

from nbrefactor import reasons
from nbrefactor.analysis.catalog import LibraryFunction, annotations_of, parameters_of
from nbrefactor.analysis.scopes import nested_statements
from nbrefactor.rules.decorators import context_decorators


def drift(node: ast.FunctionDef | None, library: LibraryFunction) -> list[reasons.ReplacedReason]:
    """How an inline definition differs from the library's: its body, the context its
    decorators run it in, its defaults, the parameters the library lacks."""
    assert node is not None
    notes: list[reasons.ReplacedReason] = []
    if library.body_differs(node):
        notes.append(reasons.BodyDiffers(library.qualified_name))
    decorators = tuple(ast.unparse(decorator) for decorator in node.decorator_list)
    # The others are the library's, or bind it as the library's imports do (`same_function`).
    if context_decorators(decorators) != context_decorators(library.decorators):
        notes.append(reasons.ContextDiffers(decorators, library.decorators))
    annotations = annotations_of(node)
    if annotations and annotations != library.annotations:  # an untyped copy relies on none
        notes.append(reasons.AnnotationsDiffer(library.qualified_name))
    parameters = parameters_of(node.args)
    library_defaults = {parameter.name: parameter.default for parameter in library.parameters}
    for parameter in parameters:
        if parameter.default is None or parameter.name not in library_defaults:
            continue
        library_default = library_defaults[parameter.name]
        if parameter.default != library_default:  # None: no default (each call passes it)
            notes.append(reasons.DefaultDiffers(parameter.name, parameter.default, library_default))
    dropped = tuple(
        f"{parameter.name}={parameter.default}"
        for parameter in parameters
        if parameter.default is not None and parameter.name not in library_defaults
    )
    if dropped:  # no call passes them: the rules keep a copy whose call does
        notes.append(reasons.ParametersDropped(dropped, library.qualified_name))
    relative = next(
        (
            statement
            for statement in nested_statements(node)
            if isinstance(statement, ast.ImportFrom) and statement.level
        ),
        None,
    )
    if relative is not None:  # `from .util import K`: ImportError in a notebook (round 55b)
        notes.append(reasons.ImportsRelatively(ast.unparse(relative), library.qualified_name))
    ours = {parameter.name for parameter in parameters}
    added = tuple(parameter.name for parameter in library.parameters if parameter.name not in ours)
    listing = library.locals_listing if added else None
    if listing is not None:  # `dict(locals())` now holds them (round 57b)
        notes.append(reasons.LocalsListed(added, listing, library.qualified_name))
    return notes

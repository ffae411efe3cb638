"""Rule: a function handed to a call known to read its parameters (`PARAMETER_READERS`:
`curve_fit` counts them, `interact` makes a widget for each) may be replaced only by a
library function with the same parameters, by name, kind and which are optional; for
readers of default values, the same defaults; for iminuit's, the same annotations.

Asked by `call_binding` for each such use of a notebook's copy, and by extract
(`migrate_keeps`) for the helpers it plans to move.
"""

from __future__ import annotations

import ast

from nbrefactor import reasons
from nbrefactor.analysis.catalog import LibraryFunction, parameters_of
from nbrefactor.analysis.library_function import annotations_of
from nbrefactor.analysis.parameter_readers import reads_annotations, reads_defaults
from nbrefactor.rules.signatures import same_parameters, signature_text


def handed_problem(
    cell: int,
    name: str,
    reader: str,
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    library: LibraryFunction,
    as_value: bool = False,
) -> reasons.HandedToParameterReader | None:
    """Why the function `node` handed to `reader` in `cell` (a `PARAMETER_READERS` call), or
    used there as a value in a notebook naming `reader` (`as_value`), would read other
    parameters once replaced by the library's (or, for iminuit's, which take limits from
    them, other annotations, in either direction: sweeps 23 and 26), or None when they are
    the same."""
    inline = parameters_of(node.args)
    annotations = annotations_of(node)
    # Either way: an untyped copy handed to iminuit has no limits, the library's may have
    # some (sweep 26, iminuit's basic.ipynb: the fit changed).
    other_annotations = reads_annotations(reader) and annotations != library.annotations
    same = same_parameters(inline, library.parameters)
    if reads_defaults(reader):  # the default values themselves
        same = same and [p.default for p in inline] == [p.default for p in library.parameters]
    if same and not other_annotations:
        return None
    shown = signature_text(inline), signature_text(library.parameters)
    return reasons.HandedToParameterReader(
        cell, name, reader, library.qualified_name, *shown, as_value, annotations=same
    )

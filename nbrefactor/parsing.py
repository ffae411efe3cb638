"""Parse a code cell with libcst, IPython syntax masked."""

from __future__ import annotations

import libcst as cst

from nbrefactor.magics import MaskedSource, MaskingError, mask_magics

_PARSE_ERRORS = (cst.ParserSyntaxError, RecursionError, ValueError)


class Unparseable(Exception):
    """A cell that does not parse as Python even with IPython syntax masked."""


def parse_cell(source: str) -> tuple[cst.Module, MaskedSource]:
    """The cell's module and the masking to undo after editing it."""
    try:
        masked = mask_magics(source)
    except MaskingError as error:
        raise Unparseable(str(error)) from None
    try:
        return cst.parse_module(masked.text), masked
    except _PARSE_ERRORS as error:
        first_error = error
    if masked.originals:
        # What looked like a magic may be a continuation line such as `    % args)`.
        try:
            return cst.parse_module(source), MaskedSource(source, {})
        except _PARSE_ERRORS:
            pass
    if isinstance(first_error, cst.ParserSyntaxError):
        raise Unparseable(f"syntax error on line {first_error.raw_line}") from None
    raise Unparseable(f"{type(first_error).__name__}: {first_error}") from None

"""Parse a code cell with libcst, IPython syntax masked."""

from __future__ import annotations

import ast

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
    if masked.prefixes:
        # The argument of `%time ...` may not be a statement on its own.
        whole_lines = mask_magics(source, keep_magic_code=False)
        try:
            return cst.parse_module(whole_lines.text), whole_lines
        except _PARSE_ERRORS:
            pass
    if masked.originals or masked.prefixes:
        # What looked like a magic may be a continuation line such as `    % args)`.
        try:
            return cst.parse_module(source), MaskedSource(source, {})
        except _PARSE_ERRORS:
            pass
    raise Unparseable(_describe_syntax_error(masked.text, first_error)) from None


def _describe_syntax_error(text: str, error: Exception) -> str:
    """Where the cell stops being Python; `ast` points at the line more precisely than libcst."""
    try:
        ast.parse(text)
    except SyntaxError as syntax_error:
        if syntax_error.lineno is not None:
            return f"line {syntax_error.lineno}: {syntax_error.msg}"
    except (ValueError, RecursionError):
        pass
    if isinstance(error, cst.ParserSyntaxError):
        return f"line {error.raw_line}: syntax error"
    return f"{type(error).__name__}: {error}"

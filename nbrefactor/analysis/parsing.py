"""Parse a code cell with `ast`, IPython syntax masked; the lines a parsed statement spans,
and the name a call calls; where a clause continues a statement (cutting a cell in pieces)."""

from __future__ import annotations

import ast
import re
from functools import cache

from nbrefactor.analysis.code_warnings import code_warnings_ignored
from nbrefactor.analysis.magics import MaskedSource, MaskingError, mask_magics, without_indent

# What `ast.parse` raises for text it cannot read (deep nesting, NUL characters, huge input).
AST_ERRORS = (SyntaxError, ValueError, RecursionError, MemoryError)


class Unparseable(Exception):
    """A cell that does not parse as Python even with IPython syntax masked.

    `masked` is the cell with its IPython lines masked, for reading what can be
    read of it (`tolerant`); None when the masking itself failed.
    """

    def __init__(self, reason: str, masked: MaskedSource | None = None) -> None:
        super().__init__(reason)
        self.masked = masked


def parse_cell(source: str) -> tuple[ast.Module, MaskedSource]:
    """The cell's syntax tree and the masking to undo after editing it."""
    try:
        masked = mask_magics(source)
    except MaskingError as error:
        raise Unparseable(str(error)) from None
    try:
        with code_warnings_ignored():  # `"\d"`: the code's warning (round 59b)
            return ast.parse(masked.text), masked
    except AST_ERRORS as error:
        # Its words, not the exception: a kept exception holds its traceback, whose frames
        # hold it (and the trees of every caller's locals) in a cycle only the collector frees.
        first_error = _describe(error)
    attempts: list[MaskedSource] = []
    if masked.prefixes:
        # The argument of `%time ...` may not be a statement on its own.
        attempts.append(mask_magics(source, keep_magic_code=False))
    if masked.originals or masked.prefixes:
        # What looked like a magic may be a continuation line such as `    % args)`.
        attempts.append(without_indent(source))
    for attempt in attempts:
        try:
            with code_warnings_ignored():
                return ast.parse(attempt.text), attempt
        except AST_ERRORS:
            pass
    raise Unparseable(first_error, masked) from None


def _describe(error: Exception) -> str:
    if isinstance(error, SyntaxError) and error.lineno is not None:
        return f"line {error.lineno}: {error.msg}"
    return f"{type(error).__name__}: {error}"


def statement_lines(statement: ast.stmt) -> tuple[int, int]:
    """First and last line of a statement, decorators included."""
    first = statement.lineno
    for decorator in getattr(statement, "decorator_list", ()):
        first = min(first, decorator.lineno)
    return first, statement.end_lineno or statement.lineno


def continues_statement(text: str, position: int = 0) -> bool:
    """Whether the line at `position` starts with a clause that continues a compound
    statement (`else:`, `except ValueError:`): no top-level statement starts there. Asked
    by both readers that cut a cell into statements from its lines (`tolerant`,
    `statementwise`)."""
    return _continuation().match(text, position) is not None


@cache
def _continuation() -> re.Pattern[str]:
    """Compiled when first needed: only a cell cut into pieces is asked."""
    return re.compile(r"(?:else|elif|except|finally)\b")

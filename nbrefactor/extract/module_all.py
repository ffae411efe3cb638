"""A module's `__all__`, extended by `extract` with the helpers it adds, in its own layout.

migrate replaces only what `__all__` names, so a helper left out of it would never be
replaced. libcst keeps every byte of the list that is not added: one name per line when
the list is written so (a comment staying on its line), else after `, `. libcst is
imported only here and in `module_file`, when there is a module to write.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Sequence
from typing import TYPE_CHECKING

from nbrefactor.analysis.module_declarations import all_in_effect, is_all

if TYPE_CHECKING:
    import libcst


def all_occurrence(tree: ast.Module) -> int | None:
    """Which of the module's lines assigning `__all__` (at the start of a top-level line)
    holds the list migrate reads (`all_in_effect`), counted from 0; None when none does."""
    in_effect = all_in_effect(tree)
    lines = [statement for statement in tree.body if _assigns_all_on_its_line(statement)]
    return lines.index(in_effect) if in_effect in lines else None


def all_unfit(statement: ast.Assign | ast.AnnAssign, text: str) -> str | None:
    """Why the helpers cannot join the `__all__` list of `statement` where migrate reads it
    (it follows a `;`, a name is written as several strings: `"cwd" "x"`), or None."""
    if not _assigns_all_on_its_line(statement):
        return "must be assigned at the start of its line, where the helpers added can join it"
    value = statement.value
    assert isinstance(value, (ast.List, ast.Tuple))  # `module_reading.check_all` asked first
    for element in value.elts:
        segment = ast.get_source_segment(text, element) or ""
        if not isinstance(element, ast.Constant) or not _one_string(segment):
            return "must list each name as one string, which the helpers added can join"
    return None


def _assigns_all_on_its_line(statement: ast.stmt) -> bool:
    if statement.col_offset != 0:
        return False  # after a `;`
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        targets = [statement.target]
    else:
        return False
    return any(is_all(target) for target in targets)


def _one_string(segment: str) -> bool:
    """Whether the source of a constant is one string literal (not `"cwd" "x"`)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(segment).readline))
    except (tokenize.TokenError, SyntaxError):
        return False
    kinds = [token.type for token in tokens if token.type not in _LAYOUT]
    return kinds == [tokenize.STRING]


_LAYOUT = frozenset({tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.COMMENT})


def with_all_extended(
    tree: libcst.Module, names: Sequence[str], occurrence: int | None
) -> libcst.Module:
    """The module with `names` added to its `__all__` (assigned, or annotated): to the list of
    the `occurrence`th line assigning it (`all_occurrence`), when that is a list or tuple of
    strings; else as it is (`module_reading.check_all` refuses what migrate could not read)."""
    import libcst

    seen = -1
    for index, statement in enumerate(tree.body):
        if not isinstance(statement, libcst.SimpleStatementLine):
            continue
        line = statement.body[0]
        if isinstance(line, libcst.Assign):
            targets = [target.target for target in line.targets]
        elif isinstance(line, libcst.AnnAssign) and line.value is not None:
            targets = [line.target]  # `__all__: list[str] = [...]`
        else:
            continue
        if not any(
            isinstance(target, libcst.Name) and target.value == "__all__" for target in targets
        ):
            continue
        seen += 1
        if seen != occurrence:
            continue  # not the one migrate reads (re-check 46: two assignments)
        value = line.value
        if not isinstance(value, (libcst.List, libcst.Tuple)):
            return tree
        strings = [element.value for element in value.elements]
        if not all(isinstance(string, libcst.SimpleString) for string in strings):
            return tree  # not a list of strings: left as it is
        listed = {
            string.evaluated_value for string in strings if isinstance(string, libcst.SimpleString)
        }
        added = [name for name in names if name not in listed]
        if not added:
            return tree
        quote = strings[0].quote if strings and isinstance(strings[0], libcst.SimpleString) else '"'
        elements = list(value.elements)
        new: list[libcst.BaseElement] = [
            libcst.Element(libcst.SimpleString(f"{quote}{name}{quote}")) for name in added
        ]
        laid_out = _one_per_line(value, elements, new)
        if laid_out is not None:
            value, elements, new = laid_out
        elif elements:
            elements[-1] = elements[-1].with_changes(comma=libcst.MaybeSentinel.DEFAULT)
        if isinstance(value, libcst.Tuple) and len(elements) + len(new) == 1:
            new[-1] = new[-1].with_changes(comma=libcst.Comma())  # ("a",)
        assignment = line.with_changes(value=value.with_changes(elements=[*elements, *new]))
        changed = statement.with_changes(body=[assignment, *statement.body[1:]])
        return tree.with_changes(body=[*tree.body[:index], changed, *tree.body[index + 1 :]])
    return tree


def _one_per_line(
    value: libcst.List | libcst.Tuple,
    elements: list[libcst.BaseElement],
    new: list[libcst.BaseElement],
) -> tuple[libcst.List | libcst.Tuple, list[libcst.BaseElement], list[libcst.BaseElement]] | None:
    """`__all__`'s value, its elements and the new ones laid out one per line, when the list
    is written so (each on its line, a trailing comma); else None. A comment stays on its
    line (`"old",  # keep`, `[  # public`, a comment line before the closing bracket); the
    new lines carry none."""
    import libcst

    opening: libcst.LeftSquareBracket | libcst.LeftParen
    closing: libcst.RightSquareBracket | libcst.RightParen
    if isinstance(value, libcst.List):
        opening, closing = value.lbracket, value.rbracket
    elif value.lpar and value.rpar:
        opening, closing = value.lpar[0], value.rpar[0]
    else:
        return None
    last_comma = elements[-1].comma if elements else None
    before_closing = closing.whitespace_before
    if not (
        isinstance(opening.whitespace_after, libcst.ParenthesizedWhitespace)
        and isinstance(before_closing, libcst.ParenthesizedWhitespace)
        and isinstance(last_comma, libcst.Comma)
    ):
        return None
    plain = libcst.TrailingWhitespace()
    next_line = opening.whitespace_after.with_changes(first_line=plain, empty_lines=[])
    old_last = last_comma.with_changes(
        whitespace_after=next_line.with_changes(first_line=before_closing.first_line)
    )
    elements = [*elements[:-1], elements[-1].with_changes(comma=old_last)]
    new = [element.with_changes(comma=libcst.Comma(whitespace_after=next_line)) for element in new]
    new[-1] = new[-1].with_changes(comma=last_comma)
    closed = closing.with_changes(whitespace_before=before_closing.with_changes(first_line=plain))
    if isinstance(value, libcst.List):
        return value.with_changes(rbracket=closed), elements, new
    return value.with_changes(rpar=[closed, *value.rpar[1:]]), elements, new

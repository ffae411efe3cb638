"""An independent reference for nbrefactor's cell edits: the same edit made by libcst.

nbrefactor edits cell text at the line positions `ast` reports (libcst cannot
parse broken cells, and parsing every cell with it cost more than the rest of a
migration). Here the edit is made the libcst way, with nothing taken from
nbrefactor's layout or import text: a `CSTTransformer` removes each definition
with `RemoveFromParent`, and the import statement is libcst's own code, written
by `AddImportsVisitor`. Where the import goes (which statement it replaces,
follows or merges into) is the rule's decision, given as the `ImportEdit`.

nbrefactor's layout departs from libcst's on purpose in a few places, each
named in `DEPARTURES` and made here, on libcst's nodes, only when asked for:
`reference_edit(..., departures=ALL_DEPARTURES)` must equal nbrefactor's cell,
and for each name a pinned case shows libcst's own result without it
(tests/nbrefactor/test_edit_matches_libcst.py).
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Sequence
from typing import Any

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor

DEPARTURES = {
    "header-comments-belong-to-the-first-statement": (
        "libcst keeps the comment lines atop a module in Module.header, so removing the "
        "first def leaves the comment that described it; nbrefactor reads them as the first "
        "statement's leading lines, like the comments above any other statement"
    ),
    "detached-lines-kept": (
        "RemoveFromParent drops a statement's leading lines whole; nbrefactor removes only "
        "the comment block touching the def and keeps the lines above its last blank line "
        "(section comments, spacing), the longer blank run surviving where they meet the "
        "next statement's"
    ),
    "blank-edges-trimmed": (
        "a cell whose first statements were removed does not start with blank lines, one "
        "whose last statements were removed does not end with them, and a cell left with "
        "only blank lines is empty; libcst keeps the blank lines where they were"
    ),
    "top-import-below-detached-lines": (
        "an import added atop a cell goes below the cell's detached comments and above the "
        "comment block touching the first statement; libcst puts a new first statement "
        "above all of that statement's leading lines"
    ),
    "black-spacing-after-new-import": (
        "after an import added atop a cell or in a removed def's place, black's spacing: one "
        "blank line before code, two before a def or class, none changed before an import; "
        "libcst keeps the spacing the next statement had"
    ),
    "black-spacing-after-import-where-a-def-was": (
        "a removed def between an import (the cell's own or the one added) and code: black's "
        "spacing after the import, one blank line before code, two before a def or class "
        "(black 26 changes two blank lines between an import and code to one); libcst keeps "
        "the spacing the next statement had, nbrefactor otherwise the longer blank run"
    ),
    "long-import-wrapped": (
        "AddImportsVisitor writes one line however long; nbrefactor wraps an import longer "
        "than black's 88 columns in parentheses, one name per line"
    ),
    "merged-names-in-order": (
        "AddImportsVisitor puts the added names before the existing ones; nbrefactor puts them "
        "in sorted order when the existing names are sorted (else after them) and keeps the "
        "statement's layout: one line (wrapped when too long) or its parentheses and commas"
    ),
    "colab-form-lines-kept": (
        "a Colab form's `#@title` or `#@markdown` line in the comment block touching a def "
        "stays with the cell (and above an import added atop it); libcst takes it with the "
        "def's leading lines"
    ),
}
ALL_DEPARTURES = frozenset(DEPARTURES)
COLAB_FORM_LINES = ("#@title", "# @title", "#@markdown", "# @markdown")
BLACK_LINE_LENGTH = 88

Statement = cst.SimpleStatementLine | cst.BaseCompoundStatement


def reference_edit(
    text: str,
    tree: ast.Module,
    removed: Collection[int],
    import_edit: Any,
    departures: Collection[str] = ALL_DEPARTURES,
) -> str:
    """The masked cell `text` with the `ast` statements at `removed` gone and the import added.

    `import_edit` is nbrefactor's `ImportEdit` (module, names, statement_index,
    merge, mode), read by attribute only; None adds no import.
    """
    unknown = set(departures) - ALL_DEPARTURES
    assert not unknown, unknown
    module = cst.parse_module(text)
    index_map = statement_index_map(module)
    assert len(index_map) == len(tree.body)
    targets = sorted({index_map[index] for index in removed})
    body: list[Statement] = list(module.body)
    header, footer = list(module.header), list(module.footer)
    if body and "header-comments-belong-to-the-first-statement" in departures:
        body[0] = body[0].with_changes(leading_lines=[*header, *body[0].leading_lines])
        header = []

    import_at = None  # index in `body` of the new import
    if import_edit is not None and import_edit.merge:
        at = index_map[import_edit.statement_index]
        body[at] = _merged(body[at], import_edit, module.default_indent, departures)
    elif import_edit is not None:
        mode = import_edit.mode.name
        if mode == "REPLACE":
            import_at = index_map[import_edit.statement_index] + 1  # after the def it replaces
        elif mode == "AFTER":
            import_at = index_map[import_edit.statement_index - 1] + 1
        else:
            import_at = 0
        new_import = _new_import(import_edit, module.default_indent, departures)
        if mode == "TOP" and body and "top-import-below-detached-lines" in departures:
            detached, attached = _split_attached(list(body[0].leading_lines), departures)
            new_import = new_import.with_changes(leading_lines=detached)
            body[0] = body[0].with_changes(leading_lines=attached)
        body.insert(import_at, new_import)
        targets = [index + 1 if index >= import_at else index for index in targets]

    if "detached-lines-kept" in departures:
        body, footer = _carry_detached_lines(body, footer, targets, departures)
    imports_before_removed = _imports_before_removed(body, targets)
    module = module.with_changes(header=header, body=body, footer=footer)
    removing = _RemoveStatements({id(body[index]) for index in targets})
    module = module.visit(removing)
    if "black-spacing-after-import-where-a-def-was" in departures:
        for index in reversed(imports_before_removed):
            module = _black_spaced_after(module, index - sum(1 for t in targets if t < index))

    spaced = import_edit is not None and import_edit.mode.name in ("TOP", "REPLACE")
    if import_at is not None and spaced and "black-spacing-after-new-import" in departures:
        index = import_at - sum(1 for target in targets if target < import_at)
        module = _black_spaced_after(module, index)
    source = module.code
    if "blank-edges-trimmed" in departures and not source.strip():
        return ""
    return source


class _RemoveStatements(cst.CSTTransformer):
    """Removes the given top-level definitions, as a libcst codemod does."""

    def __init__(self, targets: set[int]) -> None:
        super().__init__()
        self.targets = targets

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef | cst.RemovalSentinel:
        if id(original_node) in self.targets:
            return cst.RemoveFromParent()
        return updated_node


def statement_index_map(module: cst.Module) -> list[int]:
    """For each `ast` top-level statement, the index of the libcst statement holding it.

    They differ only where `a = 1; b = 2` share a line: one libcst statement, two ast ones.
    """
    indices: list[int] = []
    for index, statement in enumerate(module.body):
        count = len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
        indices.extend([index] * count)
    return indices


# -- the import ----------------------------------------------------------------


def _libcst_import(module: str, names: Sequence[str]) -> cst.SimpleStatementLine:
    """`from module import names` as AddImportsVisitor writes it into an empty module."""
    context = CodemodContext()
    for name in names:
        AddImportsVisitor.add_needed_import(context, module, name)
    written = AddImportsVisitor(context).transform_module(cst.Module(body=[]))
    statement = written.body[0]
    assert isinstance(statement, cst.SimpleStatementLine)
    return statement


def _new_import(edit: Any, indent: str, departures: Collection[str]) -> cst.SimpleStatementLine:
    statement = _libcst_import(edit.module, sorted(edit.names))
    if "long-import-wrapped" in departures:
        return _wrapped_if_long(statement, indent)
    return statement


def _wrapped_if_long(statement: cst.SimpleStatementLine, indent: str) -> cst.SimpleStatementLine:
    """The import in parentheses, a name per line, when its one line passes black's limit."""
    node = statement.body[0]
    assert isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar)
    if len(cst.Module(body=[]).code_for_node(statement).rstrip("\n")) <= BLACK_LINE_LENGTH:
        return statement
    each_line = cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(), indent=True, last_line=cst.SimpleWhitespace(indent)
    )
    closing = cst.ParenthesizedWhitespace(first_line=cst.TrailingWhitespace(), indent=True)
    names = [
        alias.with_changes(comma=cst.Comma(whitespace_after=each_line)) for alias in node.names
    ]
    names[-1] = names[-1].with_changes(comma=cst.Comma(whitespace_after=closing))
    wrapped = node.with_changes(
        names=names, lpar=cst.LeftParen(whitespace_after=each_line), rpar=cst.RightParen()
    )
    return statement.with_changes(body=[wrapped])


def _merged(statement: Statement, edit: Any, indent: str, departures: Collection[str]) -> Statement:
    """The names added to the `from module import ...` in `statement`."""
    assert isinstance(statement, cst.SimpleStatementLine)
    if "merged-names-in-order" in departures:
        return _merged_in_order(statement, edit, indent)
    context = CodemodContext()
    for name in edit.names:
        AddImportsVisitor.add_needed_import(context, edit.module, name)
    alone = cst.Module(body=[statement], default_indent=indent)
    merged = AddImportsVisitor(context).transform_module(alone).body
    assert len(merged) == 1, "AddImportsVisitor merges into the one import"
    return merged[0]


def _merged_in_order(
    statement: cst.SimpleStatementLine, edit: Any, indent: str
) -> cst.SimpleStatementLine:
    position, node = next(
        (position, small)
        for position, small in enumerate(statement.body)
        if isinstance(small, cst.ImportFrom)
        and not small.relative
        and not isinstance(small.names, cst.ImportStar)
        and _dotted(small.module) == edit.module
    )
    assert not isinstance(node.names, cst.ImportStar)
    aliases = list(node.names)
    present = {alias.evaluated_name for alias in aliases if alias.asname is None}
    missing = sorted(name for name in edit.names if name not in present)
    if not missing:
        return statement
    names = [alias.evaluated_name for alias in aliases]
    in_order = names == sorted(names)
    if node.lpar is None and len(statement.body) == 1 and all(a.asname is None for a in aliases):
        # One line stays one line, wrapped as a new import would be when too long.
        merged = sorted(names + missing) if in_order else names + missing
        rewritten = _wrapped_if_long(_libcst_import(edit.module, merged), indent)
        return statement.with_changes(body=rewritten.body)
    if len(aliases) > 1 and isinstance(aliases[-2].comma, cst.Comma):
        separator = aliases[-2].comma
    elif node.lpar is not None and isinstance(
        node.lpar.whitespace_after, cst.ParenthesizedWhitespace
    ):
        separator = cst.Comma(whitespace_after=node.lpar.whitespace_after)
    else:
        separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    final_comma = aliases[-1].comma
    combined = aliases + [cst.ImportAlias(name=cst.Name(name)) for name in missing]
    if in_order:
        combined.sort(key=lambda alias: alias.evaluated_name)
    combined = [alias.with_changes(comma=separator) for alias in combined[:-1]] + [
        combined[-1].with_changes(comma=final_comma)
    ]
    body = list(statement.body)
    body[position] = node.with_changes(names=combined)
    return statement.with_changes(body=body)


def _dotted(expression: cst.BaseExpression | None) -> str:
    if isinstance(expression, cst.Name):
        return expression.value
    if isinstance(expression, cst.Attribute):
        return f"{_dotted(expression.value)}.{expression.attr.value}"
    return ""


# -- the lines around removed statements and the new import ------------------------


def _carry_detached_lines(
    body: list[Statement],
    footer: list[cst.EmptyLine],
    targets: Collection[int],
    departures: Collection[str],
) -> tuple[list[Statement], list[cst.EmptyLine]]:
    """Each removed statement's detached lines moved onto the next statement kept (or the
    footer), so that RemoveFromParent takes only its attached comments."""
    trim = "blank-edges-trimmed" in departures
    body = list(body)
    pending: list[cst.EmptyLine] | None = None
    kept_before = False
    for index, statement in enumerate(body):
        lines = list(statement.leading_lines)
        if pending is not None:
            lines = _join(pending, lines)
            if trim and not kept_before:
                lines = _strip_blank(lines, leading=True)
        if index in targets:
            pending, attached = _split_attached(lines, departures)
            body[index] = statement.with_changes(leading_lines=attached)
            continue
        if pending is not None:
            body[index] = statement.with_changes(leading_lines=lines)
            pending = None
        kept_before = True
    if pending is not None:
        footer = _join(pending, footer)
        if trim:
            footer = _strip_blank(footer, leading=not kept_before, trailing=True)
    return body, footer


def _black_spaced_after(module: cst.Module, index: int) -> cst.Module:
    """The blank lines after the import at body `index` as black sets them: one before code,
    two before a def or class, unchanged before an import or at the cell's end. Comments
    count as what they stand before; the lines after the last statement are the footer."""
    body = list(module.body)
    following = body[index + 1] if index + 1 < len(body) else None
    lines = list(module.footer if following is None else following.leading_lines)
    blanks = 0
    while blanks < len(lines) and _is_blank(lines[blanks]):
        blanks += 1
    comments = blanks
    while comments < len(lines) and not _is_blank(lines[comments]):
        comments += 1
    if comments < len(lines):
        wanted = 1  # the comments stand before a blank line
    elif following is None or _is_import(following):
        return module
    else:
        wanted = 2 if isinstance(following, (cst.FunctionDef, cst.ClassDef)) else 1
    spaced = [cst.EmptyLine() for _ in range(wanted)] + lines[blanks:]
    if following is None:
        return module.with_changes(footer=spaced)
    body[index + 1] = following.with_changes(leading_lines=spaced)
    return module.with_changes(body=body)


def _imports_before_removed(body: Sequence[Statement], targets: Collection[int]) -> list[int]:
    """The indexes of the kept statements ending with an import that removed statements
    follow, and then a kept statement."""
    found = []
    for index, statement in enumerate(body):
        if index in targets or not _ends_with_import(statement):
            continue
        after = index + 1
        while after < len(body) and after in targets:
            after += 1
        if after > index + 1 and after < len(body):
            found.append(index)
    return found


def _ends_with_import(statement: Statement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and isinstance(
        statement.body[-1], (cst.Import, cst.ImportFrom)
    )


def _is_import(statement: Statement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and isinstance(
        statement.body[0], (cst.Import, cst.ImportFrom)
    )


def _is_blank(line: cst.EmptyLine) -> bool:
    return line.comment is None


def _split_attached(
    lines: list[cst.EmptyLine], departures: Collection[str]
) -> tuple[list[cst.EmptyLine], list[cst.EmptyLine]]:
    """(detached, attached): attached is the comment block touching the statement."""
    start = len(lines)
    while start > 0 and not _is_blank(lines[start - 1]):
        start -= 1
    if "colab-form-lines-kept" in departures:
        for index in range(len(lines) - 1, start - 1, -1):
            comment = lines[index].comment
            if comment is not None and comment.value.startswith(COLAB_FORM_LINES):
                start = index + 1
                break
    return lines[:start], lines[start:]


def _join(first: list[cst.EmptyLine], second: list[cst.EmptyLine]) -> list[cst.EmptyLine]:
    """Concatenate, keeping the longer of the two blank runs where they meet."""
    trailing = 0
    while trailing < len(first) and _is_blank(first[len(first) - 1 - trailing]):
        trailing += 1
    leading = 0
    while leading < len(second) and _is_blank(second[leading]):
        leading += 1
    if trailing <= leading:
        return first[: len(first) - trailing] + second
    return first + second[leading:]


def _strip_blank(
    lines: list[cst.EmptyLine], leading: bool = False, trailing: bool = False
) -> list[cst.EmptyLine]:
    start, end = 0, len(lines)
    if leading:
        while start < end and _is_blank(lines[start]):
            start += 1
    if trailing:
        while end > start and _is_blank(lines[end - 1]):
            end -= 1
    return lines[start:end]

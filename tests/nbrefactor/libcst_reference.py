"""The reference for `nbrefactor.edits.edit`: the same cell edits made on libcst trees.

nbrefactor edits cell text at the line positions its parsers report (libcst
cannot parse broken cells, and parsing long cells with it cost more than the
rest of a migration). The layout rules it follows are libcst's: a statement's
leading lines are the blank and comment lines above it, a block's footer runs
to the last following line indented at the block's level, a removed statement
takes its attached comments, the longer blank run survives where two meet.
This module applies those rules with libcst itself, as nbrefactor did before;
the property tests check that both give the same cells.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

import libcst as cst

from nbrefactor.edits.import_text import format_import
from nbrefactor.rules.import_placement import ImportEdit, InsertMode

Statement = cst.SimpleStatementLine | cst.BaseCompoundStatement


def reference_edit(
    text: str, tree: ast.Module, removed: frozenset[int], import_edit: ImportEdit | None
) -> str:
    """The masked cell `text` with the `ast` statements at `removed` gone and the import added."""
    module = cst.parse_module(text)
    index_map = statement_index_map(module)
    assert len(index_map) == len(tree.body)
    import_index = -1
    if import_edit is not None:
        if import_edit.merge or import_edit.mode is InsertMode.REPLACE:
            import_index = index_map[import_edit.statement_index]
        elif import_edit.mode is InsertMode.AFTER:
            import_index = index_map[import_edit.statement_index - 1] + 1
        else:
            import_index = 0
    module = edit_module(
        module, frozenset(index_map[i] for i in removed), import_edit, import_index
    )
    source = module.code
    if import_edit is not None and import_edit.mode in (InsertMode.TOP, InsertMode.REPLACE):
        removed_before = sum(1 for index in removed if index_map[index] < import_index)
        new_index = 0 if import_edit.mode is InsertMode.TOP else import_index - removed_before
        source = _spaced_after_import(module, new_index)
    return source if source.strip() else ""


def _spaced_after_import(module: cst.Module, index: int) -> str:
    """nbrefactor spaces a new import placed where a definition was, or atop its cell, as
    black would (one blank line before code, two before a def); libcst keeps the old
    spacing. The rule is checked against black itself elsewhere; here it is applied as
    nbrefactor applies it, after the import at body `index`."""
    from libcst.metadata import MetadataWrapper, PositionProvider

    from nbrefactor.analysis.text import newline_of, split_lines
    from nbrefactor.edits.layout import space_after_import

    wrapper = MetadataWrapper(module)
    positions = wrapper.resolve(PositionProvider)
    last_line = positions[wrapper.module.body[index]].end.line
    source = wrapper.module.code
    lines = split_lines(source)
    newline = newline_of(lines)
    had_ending = lines[-1].endswith(("\n", "\r"))
    if not had_ending:
        lines[-1] += newline
    spaced = "".join(space_after_import(lines, last_line, newline))
    return spaced if had_ending else spaced[: -len(newline)]


def statement_index_map(module: cst.Module) -> list[int]:
    """For each `ast` top-level statement, the index of the libcst statement holding it.

    They differ only where `a = 1; b = 2` share a line: one libcst statement, two ast ones.
    """
    indices: list[int] = []
    for index, statement in enumerate(module.body):
        count = len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
        indices.extend([index] * count)
    return indices


def edit_module(
    module: cst.Module,
    removed: frozenset[int],
    import_edit: ImportEdit | None,
    import_index: int,
) -> cst.Module:
    """Remove the statements at `removed` and add or extend the import.

    Indices are libcst's (see `statement_index_map`); `import_index` is where
    the import goes or which statement it merges into.
    """
    body: list[Statement] = list(module.body)
    if import_edit is not None and import_edit.merge:
        body[import_index] = _merge_import(body[import_index], import_edit, module.default_indent)
    # The header is the leading lines of the first statement; treating it that
    # way lets removal and insertion handle the first statement like any other.
    if body:
        body[0] = body[0].with_changes(leading_lines=[*module.header, *body[0].leading_lines])
    items: list[tuple[Statement, bool]] = []  # (statement, removed?)
    insert_at = -1 if import_edit is None or import_edit.merge else import_index
    new_import = _new_import(import_edit, module.default_indent) if insert_at >= 0 else None
    for index, statement in enumerate(body):
        removed_here = index in removed
        if index == insert_at and removed_here and import_edit.mode is not InsertMode.AFTER:
            # Where the removed statement was: the import takes its place and spacing.
            items += [(statement, True), (new_import, False)]
            continue
        if index == insert_at and import_edit.mode is InsertMode.TOP:
            detached, attached = _split_attached(list(statement.leading_lines))
            new_import = new_import.with_changes(leading_lines=detached)
            statement = statement.with_changes(leading_lines=attached)
        if index == insert_at:
            items.append((new_import, False))
        items.append((statement, removed_here))
    if insert_at >= len(body):
        items.append((new_import, False))
    new_body, footer = _drop_removed(items, list(module.footer))
    return module.with_changes(header=() if body else module.header, body=new_body, footer=footer)


def _drop_removed(
    items: Sequence[tuple[Statement, bool]], footer: list[cst.EmptyLine]
) -> tuple[list[Statement], list[cst.EmptyLine]]:
    kept: list[Statement] = []
    pending: list[cst.EmptyLine] | None = None  # lines of removed statements still to place
    for statement, removed in items:
        lines = list(statement.leading_lines)
        if pending is not None:
            lines = _join(pending, lines)
            if not kept:
                lines = _strip_blank(lines, leading=True)
        if removed:
            pending, _ = _split_attached(lines)
            continue
        if pending is not None:
            statement = statement.with_changes(leading_lines=lines)
            pending = None
        kept.append(statement)
    if pending is not None:
        footer = _strip_blank(_join(pending, footer), leading=not kept, trailing=True)
    return kept, footer


def _is_blank(line: cst.EmptyLine) -> bool:
    return line.comment is None


def _split_attached(lines: list[cst.EmptyLine]) -> tuple[list[cst.EmptyLine], list[cst.EmptyLine]]:
    """Split leading lines into (detached, attached): attached is the comment block touching the statement."""
    start = len(lines)
    while start > 0 and not _is_blank(lines[start - 1]):
        start -= 1
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


def _import_statement(module: str, names: Sequence[str], indent: str) -> cst.SimpleStatementLine:
    """`from module import names`, wrapped black-style when one line would be too long."""
    return cst.parse_statement(format_import(module, names, indent))


def _new_import(edit: ImportEdit, indent: str) -> cst.SimpleStatementLine:
    return _import_statement(edit.module, sorted(edit.names), indent)


def _merge_import(statement: Statement, edit: ImportEdit, indent: str) -> Statement:
    """Add names to an existing `from module import ...`, in its own layout."""
    assert isinstance(statement, cst.SimpleStatementLine)
    position, node = next(
        (position, small)
        for position, small in enumerate(statement.body)
        if isinstance(small, cst.ImportFrom)
        and not small.relative
        and not isinstance(small.names, cst.ImportStar)
        and _dotted(small.module) == edit.module
    )
    aliases = list(node.names)
    present = {alias.evaluated_name for alias in aliases if alias.asname is None}
    missing = sorted(name for name in edit.names if name not in present)
    if not missing:
        return statement
    names = [alias.evaluated_name for alias in aliases]
    if (
        node.lpar is None
        and len(statement.body) == 1
        and all(alias.asname is None for alias in aliases)
    ):
        # A one-line import: keep it one line unless that gets too long for black.
        merged = sorted(names + missing) if names == sorted(names) else names + missing
        return statement.with_changes(body=_import_statement(edit.module, merged, indent).body)
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
    if names == sorted(names):
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

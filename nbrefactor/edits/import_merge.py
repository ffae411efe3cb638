"""Adding names to an existing `from <module> import ...`, in its layout."""

from __future__ import annotations

import ast
from collections.abc import Sequence

from nbrefactor.edits.import_text import format_import
from nbrefactor.edits.text_edit import Edit, OffsetsInText
from nbrefactor.rules.import_decision import ImportEdit


def merge_edits(
    node: ast.ImportFrom,
    edit: ImportEdit,
    lines: Sequence[str],
    indent: str,
    newline: str,
    cell: int,
) -> list[Edit]:
    """The edit adding the missing names to `from <module> import ...`, in its layout."""
    present = {
        alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"
        for alias in node.names
    }
    missing = sorted(name for name in edit.names if name not in present)
    if not missing:
        return []
    offset = OffsetsInText(lines)
    text = "".join(lines)
    start = offset.at(node.lineno, node.col_offset)
    end = offset.at(node.end_lineno or node.lineno, node.end_col_offset or 0)
    aliases = [
        (
            offset.at(alias.lineno, alias.col_offset),
            offset.at(alias.end_lineno or alias.lineno, alias.end_col_offset or 0),
        )
        for alias in node.names
    ]
    names = [alias.name for alias in node.names]
    in_order = names == sorted(names)
    parenthesized = "(" in text[start : aliases[0][0]]
    alone = start == offset.line_start(node.lineno) and _rest_is_trailer(text[end:])
    if not parenthesized and alone and all(alias.asname is None for alias in node.names):
        merged = sorted(names + missing) if in_order else names + missing
        replacement = format_import(edit.module, merged, indent, newline)
        return [Edit.replacement(cell, start, end, replacement[: -len(newline)])]
    if parenthesized and "#" in text[aliases[0][0] : end]:
        by_lines = _merge_by_lines(node, missing, in_order, offset, lines, newline, cell)
        if by_lines is not None:
            return by_lines
        # Comments among the names, not one name a line: each name goes in beside another,
        # and no text between them is written again (round 58a: `(g,  # first\n    h)` got
        # `# first` twice, and two comments would have become the last one twice).
        return _merge_beside(node.names, aliases, missing, in_order, cell)
    texts = [text[alias_start:alias_end] for alias_start, alias_end in aliases]
    if len(aliases) > 1:
        separator = text[aliases[-2][1] : aliases[-1][0]]
    elif parenthesized and "\n" in text[text.index("(", start) + 1 : aliases[0][0]]:
        between = text[text.index("(", start) + 1 : aliases[0][0]]
        # `(  # group` on the parenthesis's line: the comment stays there alone (round 58a)
        separator = "," + (between[between.find(newline) :] if "#" in between else between)
    else:
        separator = ", "
    combined = list(zip(names, texts)) + [(name.split(" as ")[0], name) for name in missing]
    if in_order:
        combined.sort(key=lambda item: item[0])
    replacement = separator.join(text for _, text in combined)
    return [Edit.replacement(cell, aliases[0][0], aliases[-1][1], replacement)]


def _merge_beside(
    names: Sequence[ast.alias],
    aliases: Sequence[tuple[int, int]],
    missing: Sequence[str],
    in_order: bool,
    cell: int,
) -> list[Edit]:
    """The missing names inserted beside the present ones on their lines: before the first
    that sorts after it when the names are in order (`f, g`), else after the last (`h, f`)."""
    edits = []
    for name in missing:
        following = next(
            (
                start
                for alias, (start, _) in zip(names, aliases)
                if in_order and alias.name > name.split(" as ")[0]
            ),
            None,
        )
        if following is None:
            edits.append(Edit.insertion(cell, aliases[-1][1], f", {name}"))
        else:
            edits.append(Edit.insertion(cell, following, f"{name}, "))
    return edits


def _rest_is_trailer(rest: str) -> bool:
    """Whether what follows a statement on its line is only a comment and the line ending."""
    first_line = rest.split("\n", 1)[0].strip()
    return not first_line or first_line.startswith("#")


def _merge_by_lines(
    node: ast.ImportFrom,
    missing: Sequence[str],
    in_order: bool,
    offset: OffsetsInText,
    lines: Sequence[str],
    newline: str,
    cell: int,
) -> list[Edit] | None:
    """The missing names as lines of their own, in a parenthesized import with one name a
    line and comments among them (`greet,  # noqa`): each comment stays on its name's line.
    None when the import is not laid out so."""
    aliases = node.names
    if len({alias.lineno for alias in aliases}) != len(aliases) or any(
        alias.end_lineno != alias.lineno for alias in aliases
    ):
        return None
    starts = [offset.at(alias.lineno, alias.col_offset) for alias in aliases]
    indents = [
        lines[alias.lineno - 1][: start - offset.line_start(alias.lineno)]
        for alias, start in zip(aliases, starts)
    ]
    if any(indent.strip() for indent in indents):
        return None
    last = aliases[-1]
    last_end = offset.at(last.lineno, last.end_col_offset or 0)
    after_last = lines[last.lineno - 1][last_end - offset.line_start(last.lineno) :]
    if ")" in after_last.partition("#")[0] or last.lineno >= len(lines):
        return None  # the closing parenthesis on the last name's line
    edits = []
    appended = []
    for name in missing:
        following = (
            next((alias for alias in aliases if alias.name > name.split(" as ")[0]), None)
            if in_order
            else None
        )
        if following is None:
            appended.append(name)
        else:
            at = offset.line_start(following.lineno)
            edits.append(Edit.insertion(cell, at, f"{indents[0]}{name},{newline}"))
    if appended:
        if not after_last.lstrip().startswith(","):
            edits.append(Edit.insertion(cell, last_end, ","))
        added = "".join(f"{indents[0]}{name},{newline}" for name in appended)
        edits.append(Edit.insertion(cell, offset.line_start(last.lineno + 1), added))
    return edits

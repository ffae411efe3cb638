"""Which lines of a cell belong to which top-level statement, as libcst attributes them.

A cell is cut into pieces, one per line-group of top-level statements (`a = 1;
b = 2` on one line is one group). A piece's *leading* lines are the blank and
comment lines above it; its *body* is its own lines plus, for a statement
ending in an indented block, the block's footer: the following blank and
comment lines up to the last one indented at the block's level. Lines after
the last piece are the cell's footer.

Removing a piece takes its body and the comment lines directly above it (no
blank line between: they describe it); the blank lines around it are joined,
keeping the longer run, so the layout between the neighbours stays as it was
(after an import, black's spacing: `join_pieces`).
These are libcst's rules; nbrefactor applies them to text so that it can edit
cells libcst cannot parse, at a fraction of the cost (the tests check the two
agree).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.edits.indentation import block_indent
from nbrefactor.edits.text_edit import Edit, line_offsets
from nbrefactor.value_base import ValueBase

# A line of the cell being laid out: its index (0-based) in the cell's lines
# when it is the cell's own, its text when it is new (the import).
Line = int | str
# An entry of a laid-out cell: a line, or a statement's own lines of the cell (a range of
# indexes, never empty, its first line code): a huge cell's plan is not one entry a line.
Entry = Line | range


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Piece(ValueBase):
    """Lines of the cell by index (ranges: a huge cell has tens of thousands of pieces),
    or new lines (the import) by text."""

    leading: Sequence[Line]  # blank and comment lines above it
    body: Sequence[Line]  # its own lines and its block's footer
    # Whether it ends with an import: the blank lines after it are black's (`join_pieces`).
    is_import: bool = False


def cell_pieces(
    lines: Sequence[str], statements: Sequence[ast.stmt]
) -> tuple[list[Piece], list[int], Sequence[Line]]:
    """The pieces of a cell, the piece of each statement, and the cell's footer lines."""
    firsts: list[int] = []  # of each group of statements sharing lines
    lasts: list[int] = []
    ends: list[ast.stmt] = []  # the group's last statement
    group_of = []
    for statement in statements:
        first, last = statement_lines(statement)
        if firsts and first <= lasts[-1]:
            lasts[-1] = max(lasts[-1], last)
            ends[-1] = statement
        else:
            firsts.append(first)
            lasts.append(last)
            ends.append(statement)
        group_of.append(len(firsts) - 1)
    pieces = []
    position = 0  # the first line (0-based) not yet given to a piece
    for index, (first, last, statement) in enumerate(zip(firsts, lasts, ends)):
        next_first = firsts[index + 1] if index + 1 < len(firsts) else len(lines) + 1
        last = _through_continuations(lines, last, next_first)
        end = footer_end(statement, lines, last, next_first)
        start = first - 1  # one number for both ranges: a huge cell has tens of thousands
        is_import = isinstance(statement, (ast.Import, ast.ImportFrom))
        pieces.append(Piece(range(position, start), range(start, end), is_import))
        position = end
    return pieces, group_of, range(position, len(lines))


def _through_continuations(lines: Sequence[str], last: int, next_first: int) -> int:
    """The statement's last line (1-based), taking the lines its backslashes join to it:
    `x = 1 \\` then a blank or comment line, where `ast` ends it on the first (round 62b:
    the blank line went with the `def` below, and `x = 1 \\` ended the cell, which then
    did not parse). A comment ending in a backslash joins nothing; its next line, a blank
    or comment one, staying with it changes only which piece keeps that line."""
    while last + 1 < next_first and _continues(lines[last - 1]):
        last += 1
    return last


def footer_end(statement: ast.stmt, lines: Sequence[str], last: int, next_first: int) -> int:
    """The last line of the statement's piece (1-based): its own `last`, or the last line
    before `next_first` (where the next piece begins) indented at the level of its last
    block, whose footer that is (comment lines below a `def`'s body)."""
    end = last
    # Its block's indent only when lines come before the next piece (they may be its footer).
    indent = block_indent(statement, lines) if last + 1 < next_first else None
    if indent is not None:
        for number in range(last + 1, next_first):
            if lines[number - 1].startswith(indent):
                end = number
    return end


def join_pieces(
    ordered: Iterable[tuple[Piece, bool]],
    footer: Sequence[Line],
    lines: Sequence[str],
    mark: Piece | None = None,
) -> tuple[list[Entry], int | None, list[int]]:
    """The lines of the cell made of these (piece, removed?) in order, then the footer;
    the index of the entry just after the `mark` piece (None when it is not there); and
    the index just after each import that removed pieces followed, code coming next: the
    blank lines there are black's (`space_after_import`), not the longer run kept
    elsewhere. black (since 26) puts one blank line between an import and code: the two
    that stood before the removed `def` and after it would make a black-clean cell one
    black changes (docs sweep 28).

    A kept piece's own lines of the cell are one entry, their range (`Entry`)."""
    after_mark = None
    after_imports = []
    out: list[Entry] = []
    kept = False
    after_import = False  # the last piece kept ends with an import
    pending: Sequence[Line] | None = None  # lines of removed pieces still to place
    for piece, removed in ordered:
        leading = list(piece.leading)
        if pending is not None:
            leading = _joined(pending, leading, lines)
            if not kept:
                leading = _without_blanks(leading, lines, leading=True)
        if removed:
            pending, _ = split_attached(leading, lines)
            continue
        if pending is not None and after_import:
            after_imports.append(len(out))
        pending = None
        out += leading
        if isinstance(piece.body, range):
            out.append(piece.body)
        else:
            out += piece.body
        kept = True
        after_import = piece.is_import
        if piece is mark:
            after_mark = len(out)
    end = list(footer)
    if pending is not None:
        end = _without_blanks(_joined(pending, end, lines), lines, leading=not kept, trailing=True)
    out += end
    return out, after_mark, after_imports


def space_after_import(
    plan: list[Entry], index: int, newline: str, lines: Sequence[str]
) -> list[Entry]:
    """The blank lines right after an import at `index` set as black sets them.

    One blank line before code, two before a `def`, `class` or decorator
    (comments in between count as what they stand before); the spacing before
    another import, or at the end of the cell, is left as it is.
    """
    end = index
    while end < len(plan) and _is_blank(plan[end], lines):
        end += 1
    following = end
    while following < len(plan) and _text(plan[following], lines).lstrip().startswith("#"):
        following += 1
    if following == len(plan):
        return plan
    code = _text(plan[following], lines)
    if code.startswith(("import ", "from ")):
        return plan
    wanted = 2 if code.startswith(("def ", "class ", "@", "async def ")) else 1
    return plan[:index] + [newline] * wanted + plan[end:]


def plan_edits(
    cell: int, lines: Sequence[str], plan: Sequence[Entry], added_newline: str | None = None
) -> list[Edit]:
    """The edits that turn the cell's `lines` into the laid-out `plan`.

    The cell's own lines in the plan stay where they are, in order; each run
    of lines missing from it is one deletion and each new line an insertion
    before the next line of the cell. `added_newline`: the cell has no final
    line ending and its last line was given this one to be laid out; the
    result loses its last line ending too, as the cell had none. A cell left
    blank becomes empty.
    """
    starts = line_offsets(lines)
    length = starts[-1] - len(added_newline or "")  # the cell's true length
    if all(_is_blank(line, lines) for line in plan):
        return [Edit.deletion(cell, 0, length)] if length else []
    edits = []
    position = 0  # the next line of the cell not yet placed
    for entry in plan:
        if isinstance(entry, str):
            edits.append(Edit.insertion(cell, starts[position], entry))
            continue
        first, after = (entry.start, entry.stop) if isinstance(entry, range) else (entry, entry + 1)
        if first > position:
            edits.append(Edit.deletion(cell, starts[position], starts[first]))
        position = after
    if position < len(lines):
        edits.append(Edit.deletion(cell, starts[position], starts[-1]))
    if added_newline is None:
        return edits
    last = plan[-1] if not isinstance(plan[-1], range) else plan[-1][-1]
    if isinstance(last, str):
        at = max(index for index, edit in enumerate(edits) if edit.text)
        cut = _ending_cut(edits[at].text, added_newline)
        edits[at] = Edit.insertion(
            cell, edits[at].start, edits[at].text[: len(edits[at].text) - cut]
        )
    elif last == 0 or not _continues(lines[last - 1]) or lines[last].strip():
        # Not a blank line a backslash joins to the line above: without its line ending,
        # the cell would end in the backslash, which does not parse.
        end = starts[last + 1]
        edits.append(Edit.deletion(cell, end - _ending_cut(lines[last], added_newline), end))
    return _without_added_newline(edits, length, added_newline)


def _continues(line: str) -> bool:
    """Whether the line ends in a backslash, which joins the next line to it."""
    return line.rstrip("\r\n").endswith("\\")


def _ending_cut(line: str, newline: str) -> int:
    """How many characters taking the line ending off a text's last line removes."""
    if line.endswith(newline):
        return len(newline)
    return 1 if line.endswith(("\n", "\r")) else 0


def _without_added_newline(edits: Sequence[Edit], length: int, newline: str) -> list[Edit]:
    """Edits of the laid-out text (the cell plus `newline`) as edits of the cell itself."""
    mapped = []
    prefixed = False
    for edit in edits:
        text = edit.text
        if edit.start > length and not prefixed:  # after the added newline, which stays
            text = newline + text
            prefixed = True
        start, end = min(edit.start, length), min(edit.end, length)
        if start < end or text:
            mapped.append(Edit(edit.cell, start, end, text))
    return mapped


# The comment lines that make a Colab cell a form: its title and its text.
COLAB_FORM_LINES = ("#@title", "# @title", "#@markdown", "# @markdown")


def split_attached(
    lines: Sequence[Line], text: Sequence[str]
) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    """(detached, attached): attached is the comment block touching the statement below,
    below its last Colab form line (`#@title Helpers`, `#@markdown ...`), which belongs to the
    cell: removed with the def, the cell's form lost its title (sweep 29)."""
    start = len(lines)
    while start > 0 and not _is_blank(lines[start - 1], text):
        start -= 1
    for index in range(len(lines) - 1, start - 1, -1):
        if _text(lines[index], text).lstrip().startswith(COLAB_FORM_LINES):
            start = index + 1
            break
    return tuple(lines[:start]), tuple(lines[start:])


def _text(line: Entry, lines: Sequence[str]) -> str:
    """The line's text; of a range of the cell's lines, its first line's."""
    if isinstance(line, range):
        return lines[line.start]
    return line if isinstance(line, str) else lines[line]


def _is_blank(line: Entry, lines: Sequence[str]) -> bool:
    return not isinstance(line, range) and not _text(line, lines).strip()


def _joined(first: Sequence[Line], second: Sequence[Line], lines: Sequence[str]) -> list[Line]:
    """Concatenate, keeping the longer of the two blank runs where they meet."""
    trailing = 0
    while trailing < len(first) and _is_blank(first[len(first) - 1 - trailing], lines):
        trailing += 1
    leading = 0
    while leading < len(second) and _is_blank(second[leading], lines):
        leading += 1
    if trailing <= leading:
        return list(first[: len(first) - trailing]) + list(second)
    return list(first) + list(second[leading:])


def _without_blanks(
    entries: Sequence[Line], lines: Sequence[str], leading: bool = False, trailing: bool = False
) -> list[Line]:
    start, end = 0, len(entries)
    if leading:
        while start < end and _is_blank(entries[start], lines):
            start += 1
    if trailing:
        while end > start and _is_blank(entries[end - 1], lines):
            end -= 1
    return list(entries[start:end])

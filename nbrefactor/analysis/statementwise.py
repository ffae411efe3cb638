"""Reading a huge cell one top-level statement at a time, so that its memory stays bounded.

Python's syntax tree of a cell takes about a hundred times the cell's size: a
5 MB cell holds over 500 MiB. Above `HUGE_CELL` characters the cell is cut
before each line that starts a statement at column 0, each piece is parsed
alone (with the next pieces when it does not parse alone: a string or
brackets running over a column-0 line), its facts are taken, and its tree is
dropped, keeping of each statement only what edits need (`skeleton`): its
lines, the first statement of each block, and whole the definitions of
watched names and the imports, which the rules read. Memory is then bounded
by the largest statement, not by the cell.

Cutting is sound because a piece is only ever cut after text that parsed
whole: there the tokenizer is outside any string or bracket, as it is at the
start of a cell, so the pieces parse exactly when the cell does and give the
same statements. A cell whose pieces do not all parse is read whole, as any
other cell (`reader`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from nbrefactor.analysis.cell_facts import CellFacts, FactsCollector
from nbrefactor.analysis.mentions import Watched
from nbrefactor.analysis.parsing import AST_ERRORS, continues_statement
from nbrefactor.analysis.text import line_numbers

# Characters of masked text above which a cell is read statement by statement:
# far above any cell measured in real notebooks (the longest, 8,478 lines, is
# about 300 KB), so their reading is unchanged.
HUGE_CELL = 1_000_000

# Stands, shared, for a block's statements after the first: only their existence is read.
_MORE = ast.Pass(lineno=0, col_offset=0)


@cache
def _code_at_column_0() -> re.Pattern[str]:
    """A line starting with code at column 0; compiled when first needed: only a huge cell
    is cut so."""
    return re.compile(r"^[^ \t#\r\n\f)\]}]", re.MULTILINE)


class NotWhole(Exception):
    """A piece of the cell does not parse, even with all the text after it."""


def read_statementwise(cell: int, text: str, watched: Watched) -> CellFacts:
    """The facts of a (masked) cell, as `collect_facts` reads them from its whole tree.

    Raises `NotWhole` when the cell does not parse.
    """
    facts = CellFacts(cell=cell, tree=ast.Module(body=[], type_ignores=[]))
    body = facts.tree.body
    collector = FactsCollector(facts, text, watched)
    for offset, statements in statement_chunks(text):
        for statement in statements:
            index = len(body)
            body.append(statement)
            collector.collect(index, statement, offset)
            if _kept_whole(statement, watched):
                shift_lines(statement, offset)
            else:
                body[index] = skeleton(statement, offset)
    return facts


def _kept_whole(statement: ast.stmt, watched: Watched) -> bool:
    """Imports (edits merge into them) and definitions of watched names (the rules read them)."""
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return True
    return isinstance(statement, ast.FunctionDef) and statement.name in watched.names


def statement_chunks(text: str) -> Iterator[tuple[int, list[ast.stmt]]]:
    """(line offset, statements) of consecutive pieces of `text`, in order, parsed alone.

    Statements' line numbers are relative to their piece: add the offset.
    Raises `NotWhole` when the text does not parse.
    """
    starts = _piece_starts(text)
    index = 0
    while index < len(starts):
        line, start = starts[index]
        used = 1
        while True:  # 1, 2, 4... pieces: a string over many column-0 lines stays linear
            last_index = min(index + used, len(starts)) - 1
            end = starts[last_index + 1][1] if last_index + 1 < len(starts) else len(text)
            try:
                tree = ast.parse(text[start:end])
            except AST_ERRORS:
                if last_index == len(starts) - 1:
                    raise NotWhole from None
                used *= 2
                continue
            break
        yield line - 1, tree.body
        index = last_index + 1


def _piece_starts(text: str) -> list[tuple[int, int]]:
    """(line, offset) of the lines that may start a top-level statement, from lines alone.

    Found with a pattern anchored after \\n (no list of lines: the cell is huge);
    a lone \\r, which Python also counts as a line break, is never cut at.
    """
    offsets = [0]
    after_decorator = False
    for match in _code_at_column_0().finditer(text):
        offset = match.start()
        if offset and not after_decorator and not continues_statement(text, offset):
            offsets.append(offset)
        after_decorator = match.group() == "@"
    return list(zip(line_numbers(text, offsets), offsets))


def shift_lines(node: ast.AST, offset: int) -> None:
    """Move a (small) tree kept whole to its lines in the cell."""
    if offset:
        ast.increment_lineno(node, offset)


def skeleton(statement: ast.stmt, offset: int) -> ast.stmt:
    """What edits need of a statement that is neither removed nor merged into, lines in the cell.

    Its extent (decorators included) and, per block, the first statement's
    position (the block's indentation), recursively along `elif` chains.
    An instance of the statement's type (`_skeleton_type`), so that it is
    told apart as the statement is.
    """
    blocks: dict[str, list[Any]] = {}
    others = []  # every list field is there, as layout reads them: these empty
    for field in statement._fields:
        value = getattr(statement, field, None)
        if not isinstance(value, list):
            continue
        if not value:
            others.append(field)
        elif field in ("body", "orelse", "finalbody"):
            blocks[field] = _block(value, offset)
        elif field == "handlers":
            blocks[field] = [_handler(handler, offset) for handler in value]
        elif field == "cases":
            blocks[field] = [
                ast.match_case(pattern=case.pattern, body=_block(case.body, offset))
                for case in value
            ]
        elif field == "decorator_list":
            blocks[field] = [_position(decorator, offset) for decorator in value]
        else:
            others.append(field)  # targets, names...: not read by edits
    node = _skeleton_type(type(statement), tuple(blocks), tuple(others))()
    node.lineno = statement.lineno + offset
    node.col_offset = statement.col_offset
    node.end_lineno = (statement.end_lineno or statement.lineno) + offset
    node.end_col_offset = statement.end_col_offset
    for field, value in blocks.items():
        setattr(node, field, value)
    return node


_POSITION = ("lineno", "col_offset", "end_lineno", "end_col_offset")


def pass_over(lineno: int, col_offset: int, end_lineno: int, end_col_offset: int) -> ast.stmt:
    """A `pass` standing for a statement over these positions, in slots (`_skeleton_type`):
    what the safety check keeps of a huge cell's moved statements (tens of thousands)."""
    node = _skeleton_type(ast.Pass, (), ())()
    node.lineno = lineno
    node.col_offset = col_offset
    node.end_lineno = end_lineno
    node.end_col_offset = end_col_offset
    return node


# (statement type, blocks, empty fields) -> its skeleton type: a few dozen at most.
_SKELETON_TYPES: dict[tuple[type[ast.stmt], tuple[str, ...], tuple[str, ...]], type[ast.stmt]] = {}


def _skeleton_type(
    statement_type: type[ast.stmt], blocks: tuple[str, ...], empty: tuple[str, ...]
) -> type[ast.stmt]:
    """A subclass of `statement_type` holding its position and `blocks` in slots, its
    `empty` list fields read as one shared empty tuple (a class attribute).

    An `ast` node keeps its attributes in a dictionary of its own; a skeleton
    holds four numbers and a block or two, and a huge cell has tens of
    thousands of statements: in slots, with no empty list of their own, they
    take half the memory. Nothing changes a skeleton in place.
    """
    key = (statement_type, blocks, empty)
    found = _SKELETON_TYPES.get(key)
    if found is None:
        namespace = {
            "__slots__": (*_POSITION, *blocks),
            "__module__": __name__,
            **dict.fromkeys(empty, ()),
        }
        found = _SKELETON_TYPES[key] = type(statement_type.__name__, (statement_type,), namespace)
    return found


def _block(block: list[ast.stmt], offset: int) -> list[ast.stmt]:
    """The first statement, as a skeleton (it may be an `elif`); the rest only counted."""
    return [skeleton(block[0], offset)] + [_MORE] * (len(block) > 1)


def _handler(handler: ast.ExceptHandler, offset: int) -> ast.ExceptHandler:
    return ast.ExceptHandler(
        body=_block(handler.body, offset),
        lineno=handler.lineno + offset,
        col_offset=handler.col_offset,
    )


def _position(node: ast.expr, offset: int) -> ast.expr:
    return ast.Constant(value=None, lineno=node.lineno + offset, col_offset=node.col_offset)

"""The `def`s and `class`es a cell's text holds: their names from the text alone, and the
statements of one name, parsed (`NotebookImports.definitions` reads them)."""

from __future__ import annotations

import ast
import re

from nbrefactor.analysis.magics import PYTHON_CELL_MAGICS, cell_magic, without_cell_magic
from nbrefactor.analysis.mentions import DEF_BLANK
from nbrefactor.analysis.parsing import Unparseable, parse_cell
from nbrefactor.analysis.scopes import module_scope_statements

# `def name` and `class name` anywhere, read as the one pattern `(?:def|class)[ \t]+(\w+)`
# would read them (`defined_names`); each starts with its literal, which the engine skips
# to, where the pattern of two alternatives is tried at every character. A backslash
# ending the line is a blank too (`def \` then `f(x):`), as the text gate reads it.
_DEF_NAME = re.compile(rf"def{DEF_BLANK}+(\w+)")
_CLASS_NAME = re.compile(rf"class{DEF_BLANK}+(\w+)")


def defined_names(source: str) -> list[str]:
    """The names after each `def` or `class` (and spaces), left to right, as `findall` of
    the one pattern of the two alternatives gives them: the earlier of the two patterns'
    next matches, then both searched on from its end. A match is searched for again only
    when the one taken overlapped it: linear in the text."""
    found: list[str] = []
    position = 0
    patterns = (_DEF_NAME, _CLASS_NAME)
    pending = [pattern.search(source) for pattern in patterns]
    while True:
        for index, pattern in enumerate(patterns):
            match = pending[index]
            if match is not None and match.start() < position:
                pending[index] = pattern.search(source, position)
        matches = [match for match in pending if match is not None]
        if not matches:
            return found
        first = min(matches, key=lambda match: match.start())
        found.append(first.group(1))
        position = first.end()


def definitions_in(source: str, name: str, undecided_only: bool = False) -> list[ast.stmt | None]:
    """The `def`s and `class`es of `name` in a cell's module scope (one whose text seems to
    define it): read with the reader's masking; [None] when it does not parse.
    `undecided_only`: none of the top-level `def`s, which the migration decides, and
    nothing for a cell that does not parse (read in pieces, its definitions are decided)."""
    magic = cell_magic(source)
    if magic is not None and magic not in PYTHON_CELL_MAGICS:
        return []
    try:
        tree, _ = parse_cell(source if magic is None else without_cell_magic(source))
    except Unparseable:
        return [] if undecided_only else [None]
    decided = {
        id(node)
        for node in tree.body
        if undecided_only and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    return [
        node
        for node in module_scope_statements(tree.body)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and node.name == name
        and id(node) not in decided
    ]

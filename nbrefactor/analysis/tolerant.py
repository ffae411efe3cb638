"""Reading what can be read of a cell that does not parse.

A third of real notebooks holding inline helpers have a cell `ast` rejects, and
it is usually the cell holding the `def`: a half-applied regex fix, a call whose
head was commented out, a stray `)`. The definition itself nearly always parses
on its own. So the cell is cut into its top-level statements, each is parsed
alone with `ast`, and the statements that parse are read as usual; the runs of
lines that do not are kept as opaque placeholders, so every byte of them
stays as it was.

Where to cut: before each line that starts at column 0 with code, unless it
lies inside a string or continues a compound statement (`else:`, a decorated
`def`). tree-sitter, an error-recovering parser, says which lines lie inside
strings even where the cell is broken, and reads the calls of watched names
in the broken lines. Neighbouring pieces are parsed together when a piece
does not parse alone (a line at column 0 inside brackets), the way Python
would read them.

A `def` of a watched name whose own body does not parse is still a
definition when its header (name and parameters) reads cleanly: the library
function is the fix, and its extent runs to the next top-level statement.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from nbrefactor.analysis.events import CallShape
from nbrefactor.analysis.text import split_lines

if TYPE_CHECKING:  # imported only when a cell does not parse: see _parser
    from tree_sitter import Language, Node, Parser, Query, Tree

# Pieces tried together when a piece does not parse alone.
_MERGE_LIMIT = 8
# Lines tried for a broken definition's header (`def f(a,\n b):` may span several).
_HEADER_LINES = 30
_CONTINUATION = re.compile(r"(?:else|elif|except|finally)\b")
_DEF = re.compile(r"(?:async[ \t]+)?def[ \t]+(\w+)[ \t]*\(")
_DEFINES = re.compile(r"(?:@|class\b|def\b|async[ \t]+def\b)")
_AST_ERRORS = (SyntaxError, ValueError, RecursionError, MemoryError)


@dataclass(frozen=True)
class Mention:
    """A watched name in lines that do not parse."""

    name: str
    statement: int  # index of its placeholder in the cell's statements
    line: int
    column: int  # UTF-8 byte offset, as `ast` counts
    call: CallShape | None  # None: no call whose own text reads
    deferred: bool  # in the body of a def or class: runs when that runs


@dataclass(frozen=True)
class BrokenReading:
    tree: ast.Module  # statements that parse, placeholders, definitions with readable headers
    mentions: tuple[Mention, ...]
    broken_bodies: frozenset[int]  # statement indices of definitions whose body does not parse


def read_broken(text: str, names: Collection[str]) -> BrokenReading:
    """The statements of a (masked) cell that `ast` rejects as a whole."""
    lines = split_lines(text)
    syntax = _parse(text)
    in_strings = _lines_in_strings(syntax)
    starts = _piece_starts(lines, in_strings)
    ends = [start - 1 for start in starts[1:]] + [len(lines)]
    statements: list[ast.stmt] = []
    broken_bodies: set[int] = set()
    broken: list[tuple[int, int, int]] = []  # (statement index, first line, last line)
    index = 0
    while index < len(starts):
        parsed, used = _parse_pieces(lines, starts, ends, index)
        if parsed is not None:
            statements.extend(parsed)
            index += used
            continue
        first, last = starts[index], _last_code_line(lines, starts[index], ends[index])
        definition = _broken_definition(lines, first, last, names)
        if definition is not None:
            broken_bodies.add(len(statements))
            statements.append(definition)
        else:
            broken.append((len(statements), first, last))
            statements.append(_placeholder(lines, first, last))
        index += 1
    mentions = []
    for statement, first, last in broken:
        deferred = _DEFINES.match(lines[first - 1]) is not None
        mentions.extend(_mentions(syntax, lines, statement, first, last, names, deferred))
    for statement in broken_bodies:
        node = statements[statement]
        last = node.end_lineno or node.lineno
        mentions.extend(
            mention
            for mention in _mentions(syntax, lines, statement, node.lineno, last, names, True)
            if mention.line != node.lineno
        )
    return BrokenReading(
        ast.Module(body=statements, type_ignores=[]), tuple(mentions), frozenset(broken_bodies)
    )


# -- cutting the cell ------------------------------------------------------------


def _piece_starts(lines: Sequence[str], in_strings: Collection[int]) -> list[int]:
    """The lines that start a top-level statement, as far as lines alone can tell."""
    starts = [1]
    after_decorator = False
    for number, line in enumerate(lines, start=1):
        first = line[:1]
        if not first or first in " \t#\r\n)]}" or number in in_strings:
            continue
        if number > 1 and not after_decorator and not _CONTINUATION.match(line):
            starts.append(number)
        after_decorator = first == "@"
    return sorted(set(starts))


def _parse_pieces(
    lines: Sequence[str], starts: Sequence[int], ends: Sequence[int], index: int
) -> tuple[list[ast.stmt] | None, int]:
    """The statements of the piece at `index`, parsed alone or with the next few."""
    first = starts[index]
    for used in range(1, min(_MERGE_LIMIT, len(starts) - index) + 1):
        last = ends[index + used - 1]
        try:
            tree = ast.parse("".join(lines[first - 1 : last]))
        except _AST_ERRORS:
            continue
        ast.increment_lineno(tree, first - 1)
        return tree.body, used
    return None, 1


def _last_code_line(lines: Sequence[str], first: int, last: int) -> int:
    """The last line of first..last that is neither blank nor a comment at column 0."""
    while last > first and (not lines[last - 1].strip() or lines[last - 1].startswith("#")):
        last -= 1
    return last


def _placeholder(lines: Sequence[str], first: int, last: int) -> ast.stmt:
    """An opaque statement standing for lines that do not parse: nothing is read in it."""
    end = len(lines[last - 1].rstrip("\r\n").encode("utf-8"))
    return ast.Pass(lineno=first, col_offset=0, end_lineno=last, end_col_offset=end)


def _broken_definition(
    lines: Sequence[str], first: int, last: int, names: Collection[str]
) -> ast.FunctionDef | None:
    """A `def` of a watched name whose body does not parse, read from its header alone."""
    start = first
    while start <= last and lines[start - 1].startswith("@"):
        start += 1
    match = _DEF.match(lines[start - 1]) if start <= last else None
    if match is None or match.group(1) not in names:
        return None
    for header_end in range(start, min(last, start + _HEADER_LINES) + 1):
        header = "".join(lines[first - 1 : header_end]).rstrip() + "\n    pass\n"
        try:
            tree = ast.parse(header)
        except _AST_ERRORS:
            continue
        node = tree.body[0] if len(tree.body) == 1 else None
        if not isinstance(node, ast.FunctionDef):
            return None
        ast.increment_lineno(tree, first - 1)
        body_line = min(header_end + 1, last)
        text = lines[body_line - 1]
        indent = len(text) - len(text.lstrip(" \t"))
        node.body = [
            ast.Pass(lineno=body_line, col_offset=indent, end_lineno=last, end_col_offset=0)
        ]
        node.end_lineno = last
        node.end_col_offset = len(lines[last - 1].rstrip("\r\n").encode("utf-8"))
        return node
    return None


# -- what tree-sitter tells ---------------------------------------------------------


@lru_cache(maxsize=1)
def _language() -> Language:
    import tree_sitter  # imported only when a cell does not parse
    import tree_sitter_python

    return tree_sitter.Language(tree_sitter_python.language())


@lru_cache(maxsize=1)
def _parser() -> Parser:
    import tree_sitter

    return tree_sitter.Parser(_language())


@lru_cache(maxsize=1)
def _strings_query() -> Query:
    import tree_sitter

    return tree_sitter.Query(_language(), "(string) @string")


def _parse(text: str) -> Tree:
    return _parser().parse(text.encode("utf-8"))


def _lines_in_strings(syntax: Tree) -> set[int]:
    """Lines (1-based) that continue a string begun on an earlier line.

    A triple-quoted string that never closes runs to the end of the cell:
    tree-sitter would read its text as code.
    """
    import tree_sitter

    found: set[int] = set()
    captures = tree_sitter.QueryCursor(_strings_query()).captures(syntax.root_node)
    for node in captures.get("string", []):
        start, end = node.start_point.row + 1, node.end_point.row + 1
        found.update(range(start + 1, end + 1))
    for node in _unterminated_triple_quotes(syntax.root_node):
        found.update(range(node.start_point.row + 2, syntax.root_node.end_point.row + 2))
    return found


def _unterminated_triple_quotes(root: Node) -> list[Node]:
    """`string_start` tokens of triple-quoted strings with no end, where tree-sitter gave up."""
    if not root.has_error:
        return []
    found: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        quotes = (node.text or b"").lstrip(b"rRbBuUfF")[:3]
        if node.type == "string_start" and quotes in (b'"""', b"'''"):
            parent = node.parent
            if (
                parent is None
                or parent.type != "string"
                or parent.child_count < 2
                or (parent.children[-1].type != "string_end" or parent.children[-1].is_missing)
            ):
                found.append(node)
        elif node.has_error:
            stack.extend(node.children)
    return found


def _mentions(
    syntax: Tree,
    lines: Sequence[str],
    statement: int,
    first: int,
    last: int,
    names: Collection[str],
    deferred: bool,
) -> list[Mention]:
    """The watched names in lines first..last, each with its call when the call reads.

    The name of a `def` counts too: a definition that could not be read is an
    unknown binding, which keeps the other definitions of its name.
    """
    pattern = _name_pattern(frozenset(names))
    found = []
    for number in range(first, last + 1):
        line = lines[number - 1]
        for match in pattern.finditer(line):
            column = len(line[: match.start()].encode("utf-8"))
            node = syntax.root_node.descendant_for_point_range(
                (number - 1, column), (number - 1, column + len(match.group(0)))
            )
            if node is None or _in_string_or_comment(node):
                continue
            call = _call_shape(node)
            found.append(Mention(match.group(0), statement, number, column, call, deferred))
    return found


@lru_cache(maxsize=16)
def _name_pattern(names: frozenset[str]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.])(?:{'|'.join(map(re.escape, sorted(names)))})\b")


def _in_string_or_comment(node: Node | None) -> bool:
    while node is not None:
        if node.type in ("string", "comment", "string_content"):
            return True
        node = node.parent
    return False


def _call_shape(node: Node) -> CallShape | None:
    """The argument shape of the call whose function is `node`, read by `ast` from its own text."""
    parent = node.parent
    if parent is None or parent.type != "call" or parent.child_by_field_name("function") != node:
        return None
    if parent.has_error:
        return None
    try:
        expression = ast.parse((parent.text or b"").decode("utf-8"), mode="eval").body
    except (*_AST_ERRORS, UnicodeDecodeError):
        return None
    if not isinstance(expression, ast.Call):
        return None
    return CallShape(
        positional_count=sum(1 for arg in expression.args if not isinstance(arg, ast.Starred)),
        keywords=tuple(keyword.arg for keyword in expression.keywords if keyword.arg is not None),
        unpacks=any(isinstance(arg, ast.Starred) for arg in expression.args)
        or any(keyword.arg is None for keyword in expression.keywords),
    )

"""Error-recovering parsers for cells that `ast` rejects: parso and tree-sitter.

    python bench/archive/parsers.py [--cases] [--speed] [--imports] [--details]

With no flag, prints everything. nbrefactor reads cells with `ast`; about a
third of real notebooks have a cell that `ast` rejects, usually the one
holding an inline definition. This script measures what an error-recovering
parser would find in such cells:

  --cases    correctness on broken cells modelled on the real breakages: the
             top-level definitions of library names (first line including the
             decorators and the comment lines directly above, `def` line, last
             line of the body; whether the header and the body read cleanly),
             the calls and uses of library names (positional count, keyword
             names, *args/**kwargs where the call's own text reads), and the
             line of the first syntax error;
  --speed    parse (and read) time on long broken cells: 100, 1,000 and 10,000
             lines and a 5 MB cell;
  --imports  import time in a fresh process, and what is installed.

Readers compared (each returns the same `Reading`):

  parso        parso.load_grammar().parse(error_recovery=True) + iter_errors
  tree-sitter  tree_sitter.Parser(Language(tree_sitter_python.language()))
  ast-blocks   no parser: `def NAME(` at column 0 by regex, the block to its
               dedent re-parsed alone with `ast`; calls by re-parsing the lines
               around each mention
  parso+ast    parso, each definition it finds (and each `def NAME(` that is a
  ts+ast       keyword token to it) re-read with ast-blocks when that block
               parses alone; calls and the error line from the parser

Requires `pip install parso tree-sitter tree-sitter-python` (not project
dependencies); a reader whose package is missing is reported as such.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import importlib.metadata
import importlib.util
import json
import random
import re
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

# Archived in bench/archive/: bench/ (for realistic.py) and the repository above it.
BENCH = Path(__file__).resolve().parent.parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import realistic  # bench/realistic.py
from broken_cells import CASES, NAMES, Call, Case, Def, Reading  # bench/archive

# --------------------------------------------------------------------------
# Shared helpers


_DEF = re.compile(r"^(?:async[ \t]+)?def[ \t]+(\w+)[ \t]*\(", re.MULTILINE)


def comments_above(lines: list[str], line: int) -> int:
    """The first of the comment lines directly above line `line` (1-based), or `line`."""
    first = line
    while first > 1 and lines[first - 2].lstrip().startswith("#") and lines[first - 2].strip():
        first -= 1
    return first


def decorators_above(lines: list[str], line: int) -> int:
    first = line
    while first > 1 and lines[first - 2].startswith("@"):
        first -= 1
    return first


def char_column(line_text: str, byte_column: int) -> int:
    """tree-sitter columns are byte offsets into the UTF-8 line: the column in characters."""
    return len(line_text.encode("utf-8")[:byte_column].decode("utf-8", errors="replace"))


# --------------------------------------------------------------------------
# ast-blocks: no error-recovering parser, only ast on pieces of the cell


def ast_block(lines: list[str], line: int, name: str) -> Def | None:
    """The def at `line`, read by re-parsing the block to its dedent alone with ast.

    Candidate ends are the lines before each later line that starts at column 0
    with code; the shortest block that parses is the def (a dedented `)` or a
    string line inside the def fails to parse and is passed over). When none
    parses, the extent is up to the first candidate end, and the header is
    checked alone (`def ...:` + `pass`).
    """
    first = comments_above(lines, decorators_above(lines, line))
    start = decorators_above(lines, line)
    ends = [
        number - 1
        for number in range(line + 1, len(lines) + 1)
        if lines[number - 1][:1] not in ("", " ", "\t", "#")
    ] + [len(lines)]
    for end in ends:
        try:
            tree = ast.parse("\n".join(lines[start - 1 : end]))
        except (SyntaxError, ValueError, RecursionError):
            continue
        node = tree.body[0] if tree.body else None  # the block starts with the def
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            return Def(name, first, line, start - 1 + node.end_lineno, True, True)
        break
    end = ends[0]
    while end > line and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    header_clean = False
    for header_end in range(line, min(end, line + 30) + 1):
        try:
            ast.parse("\n".join(lines[line - 1 : header_end]) + "\n    pass")
        except (SyntaxError, ValueError, RecursionError):
            continue
        header_clean = True
        break
    return Def(name, first, line, end, header_clean, False)


def read_ast_blocks(source: str, names: frozenset[str]) -> Reading:
    lines = source.split("\n")
    defs = tuple(
        ast_block(lines, source.count("\n", 0, match.start()) + 1, match[1])
        for match in _DEF.finditer(source)
        if match[1] in names
    )
    try:
        ast.parse(source)
        error_line = None
    except SyntaxError as error:
        error_line = error.lineno
    def_lines = {definition.line for definition in defs}
    calls = []
    mention = re.compile(rf"(?<![\w.])({'|'.join(sorted(names))})\b")
    for number, text in enumerate(lines, start=1):
        if number in def_lines:
            continue
        for match in mention.finditer(text):
            if "#" in text[: match.start()] or text[: match.start()].rstrip().endswith("def"):
                continue
            calls.append(_ast_call(lines, number, match.start(), match[1]))
    return Reading(defs, tuple(calls), error_line)


def _ast_call(lines: list[str], line: int, column: int, name: str) -> Call:
    """The mention at (line, column), read from the smallest run of lines around it that parses."""
    is_call = lines[line - 1][column + len(name) :].lstrip().startswith("(")
    for start in range(line, max(0, line - 5), -1):
        for end in range(line, min(len(lines), line + 30) + 1):
            snippet = "\n".join(lines[start - 1 : end])
            try:
                tree = ast.parse(textwrap.dedent(snippet))
            except (SyntaxError, ValueError, RecursionError):
                continue
            # dedent removed the same indentation from every line
            indent = len(lines[start - 1]) - len(textwrap.dedent(snippet).split("\n")[0])
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == name
                    and node.lineno + start - 1 == line
                    # ast's col_offset counts UTF-8 bytes; `column` counts characters
                    and char_column(lines[line - 1], indent + node.col_offset) == column
                ):
                    return _call_from_ast(node, name, line, column)
            return Call(name, line, column, is_call, not is_call)
    return Call(name, line, column, is_call, False)


def _call_from_ast(node: ast.Call, name: str, line: int, column: int) -> Call:
    return Call(
        name,
        line,
        column,
        True,
        True,
        sum(not isinstance(arg, ast.Starred) for arg in node.args),
        tuple(keyword.arg for keyword in node.keywords if keyword.arg),
        any(isinstance(arg, ast.Starred) for arg in node.args),
        any(keyword.arg is None for keyword in node.keywords),
    )


# --------------------------------------------------------------------------
# parso


_PARSO_GRAMMAR = None


def parso_grammar():
    global _PARSO_GRAMMAR
    if _PARSO_GRAMMAR is None:
        import parso

        _PARSO_GRAMMAR = parso.load_grammar(version="3.11")
    return _PARSO_GRAMMAR


def read_parso(source: str, names: frozenset[str]) -> Reading:
    grammar = parso_grammar()
    module = _LAST_TREE["parso"] = grammar.parse(source, error_recovery=True)
    lines = source.split("\n")
    defs = []
    for node in _parso_top_level(module):
        funcdef = node.children[-1] if node.type == "decorated" else node
        if funcdef.type == "async_stmt":
            funcdef = funcdef.children[-1]
        if funcdef.type != "funcdef" or funcdef.children[1].value not in names:
            continue
        if node.start_pos[1] != 0:  # glued onto a line: not a top-level statement
            continue
        line = funcdef.start_pos[0]
        defs.append(
            Def(
                funcdef.children[1].value,
                comments_above(lines, node.start_pos[0]),
                line,
                _parso_last_line(funcdef),
                not any(_parso_has_error(child) for child in funcdef.children[1:-1])
                and [leaf.value for leaf in funcdef.children if leaf.type == "operator"][-1:]
                == [":"],
                not _parso_has_error(funcdef.children[-1]),
            )
        )
    defs += _parso_broken_defs(module, names, lines, {d.line for d in defs})
    errors = list(grammar.iter_errors(module))
    error_line = min((error.start_pos[0] for error in errors), default=None)
    return Reading(tuple(defs), tuple(_parso_calls(module, names)), error_line)


def _parso_top_level(module):
    """Statements of the module, looking one level into error nodes."""
    for child in module.children:
        if child.type == "error_node":
            yield from (
                grandchild for grandchild in child.children if hasattr(grandchild, "children")
            )
        else:
            yield child


def _parso_broken_defs(module, names, lines, found):
    """`def NAME` keyword leaves at column 0 that did not become a funcdef (a broken header)."""
    leaf = module.get_first_leaf()
    while leaf is not None:
        if (
            leaf.type == "keyword"
            and leaf.value == "def"
            and leaf.start_pos[1] == 0
            and leaf.start_pos[0] not in found
            and leaf.parent.type != "funcdef"
        ):
            name = leaf.get_next_leaf()
            if name is not None and name.type == "name" and name.value in names:
                line = leaf.start_pos[0]
                end = line
                for number in range(line + 1, len(lines) + 1):
                    text = lines[number - 1]
                    if text[:1] not in ("", " ", "\t", "#"):
                        break
                    if text.strip() and not text.lstrip().startswith("#"):
                        end = number
                yield Def(name.value, comments_above(lines, line), line, end, False, False)
        leaf = leaf.get_next_leaf()


def _parso_last_line(node) -> int:
    leaf = node.get_last_leaf()
    while leaf is not None and leaf.type in ("newline", "endmarker", "dedent"):
        leaf = leaf.get_previous_leaf()
    return leaf.end_pos[0]


def _parso_has_error(node) -> bool:
    if node.type in ("error_node", "error_leaf"):
        return True
    return any(_parso_has_error(child) for child in getattr(node, "children", ()))


def _parso_calls(module, names):
    # get_used_names(): every Name leaf of the module by value, built in one walk and cached
    used = module.get_used_names()
    for name in sorted(names):
        for leaf in used.get(name, ()):
            call = _parso_mention(leaf)
            if call is not None:
                yield call


def _parso_mention(leaf) -> Call | None:
    parent = leaf.parent
    if parent.type in ("funcdef", "classdef") and parent.children[1] is leaf:
        return None  # the name being defined
    previous = leaf.get_previous_leaf()
    if previous is not None and previous.value == ".":
        return None  # an attribute
    if previous is not None and previous.type == "keyword" and previous.value == "def":
        return None  # the name of a def that did not parse
    if (
        parent.type == "argument"
        and parent.children[0] is leaf
        and len(parent.children) > 1
        and parent.children[1].value == "="
    ):
        return None  # a keyword argument's name
    line, column = leaf.start_pos  # parso: (line, column in characters)
    following = leaf.get_next_sibling()
    if following is not None and following.type == "trailer" and following.children[0].value == "(":
        readable = following.children[-1].value == ")" and not _parso_has_error(following)
        if not readable:
            return Call(leaf.value, line, column, True, False)
        return _parso_arguments(leaf.value, line, column, following)
    next_leaf = leaf.get_next_leaf()
    if next_leaf is not None and next_leaf.value == "(":
        return Call(leaf.value, line, column, True, False)
    return Call(leaf.value, line, column, False)


def _parso_arguments(name, line, column, trailer) -> Call:
    inner = trailer.children[1:-1]
    if not inner:
        arguments = []
    elif inner[0].type == "arglist":
        arguments = [
            child
            for child in inner[0].children
            if child.type != "operator" or child.value in ("*", "**")
        ]
    else:
        arguments = inner
    positional, keywords, star, double_star = 0, [], False, False
    for argument in arguments:
        if argument.type == "argument" and argument.children[0].type == "operator":
            if argument.children[0].value == "**":
                double_star = True
            else:
                star = True
        elif argument.type == "star_expr":
            star = True
        elif (
            argument.type == "argument"
            and len(argument.children) == 3
            and argument.children[1].value == "="
        ):
            keywords.append(argument.children[0].value)
        else:
            positional += 1
    return Call(name, line, column, True, True, positional, tuple(keywords), star, double_star)


# --------------------------------------------------------------------------
# tree-sitter


_TS_PARSER = None
_TS_QUERIES: dict[frozenset[str], object] = {}


def ts_parser():
    global _TS_PARSER
    if _TS_PARSER is None:
        import tree_sitter
        import tree_sitter_python

        _TS_PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_python.language()))
    return _TS_PARSER


def ts_identifiers(root, names: frozenset[str]):
    """The identifier nodes naming one of `names`, found by a query (in C, not a Python walk)."""
    import tree_sitter

    query = _TS_QUERIES.get(names)
    if query is None:
        alternatives = " ".join(f'"{name}"' for name in sorted(names))
        query = tree_sitter.Query(
            ts_parser().language, f"((identifier) @name (#any-of? @name {alternatives}))"
        )
        _TS_QUERIES[names] = query
    return tree_sitter.QueryCursor(query).captures(root).get("name", [])


def read_tree_sitter(source: str, names: frozenset[str]) -> Reading:
    data = source.encode("utf-8")
    tree = _LAST_TREE["tree-sitter"] = ts_parser().parse(data)
    lines = source.split("\n")
    defs = []
    for node in _ts_top_level(tree.root_node):
        function = (
            node.child_by_field_name("definition") if node.type == "decorated_definition" else node
        )
        if function is None or function.type != "function_definition":
            continue
        name = function.child_by_field_name("name")
        if name is None or name.text.decode() not in names:
            continue
        if node.start_point.column != 0:  # glued onto a line: not a top-level statement
            continue
        parameters = function.child_by_field_name("parameters")
        colon = next((child for child in function.children if child.type == ":"), None)
        header_clean = (
            parameters is not None
            and not parameters.has_error
            and not name.is_missing
            and colon is not None
            and not colon.is_missing
        )
        # The body: everything after the colon (error recovery may leave an ERROR
        # node there, beside an empty block).
        after = function.children[function.children.index(colon) + 1 :] if colon else []
        body_clean = bool(after) and not any(
            child.has_error or child.type == "ERROR" for child in after
        )
        defs.append(
            Def(
                name.text.decode(),
                comments_above(lines, node.start_point.row + 1),
                function.start_point.row + 1,
                _ts_last_line(function),
                header_clean,
                body_clean,
            )
        )
    return Reading(
        tuple(defs), tuple(_ts_calls(tree.root_node, names, lines)), _ts_error_line(tree.root_node)
    )


def _ts_top_level(root):
    for child in root.children:
        if child.type == "ERROR":
            yield from child.children
        else:
            yield child


def _ts_last_line(node) -> int:
    """The last line holding code of the node (tree-sitter rows are 0-based)."""
    last = node
    while last.children:
        named = [child for child in last.children if child.type != "comment"]
        if not named:
            break
        last = named[-1]
    row, column = last.end_point
    return row if column == 0 else row + 1


def _ts_error_line(root) -> int | None:
    """The first line of an ERROR or MISSING node, in document order.

    A MISSING hidden token (`_newline`, `_indent`) is in no node's `children`
    (it shows only in `str(node)`): then the end of the deepest node whose
    `has_error` is set and whose children have none.
    """
    if not root.has_error:
        return None
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            return node.start_point.row + 1
        erroneous = [child for child in node.children if child.has_error]
        if not erroneous:
            return node.end_point.row + 1
        stack.extend(reversed(erroneous))
    return None


def _ts_calls(root, names, lines):
    for node in ts_identifiers(root, names):
        call = _ts_mention(node, lines)
        if call is not None:
            yield call


def _ts_mention(node, lines) -> Call | None:
    name = node.text.decode()
    parent = node.parent
    if (
        parent.type in ("function_definition", "class_definition")
        and parent.child_by_field_name("name") == node
    ):
        return None
    if parent.type == "attribute" and parent.child_by_field_name("attribute") == node:
        return None
    if parent.type == "keyword_argument" and parent.child_by_field_name("name") == node:
        return None
    previous = node.prev_sibling
    if previous is not None and previous.type == ".":
        return None  # an attribute inside an ERROR node
    if _ts_after_def(node) or (
        parent.type == "call"
        and parent.child_by_field_name("function") == node
        and _ts_after_def(parent)
    ):
        return None  # the name of a def that error recovery did not read as one
    line = node.start_point.row + 1
    column = char_column(lines[line - 1], node.start_point.column)
    if parent.type == "call" and parent.child_by_field_name("function") == node:
        arguments = parent.child_by_field_name("arguments")
        if parent.has_error or arguments is None or arguments.type != "argument_list":
            return Call(name, line, column, True, False)
        return _ts_arguments(name, line, column, arguments)
    following = node.next_sibling
    if following is not None and following.type in ("(", "argument_list"):
        return Call(name, line, column, True, False)
    return Call(name, line, column, False)


def _ts_after_def(node) -> bool:
    """Whether the node follows a `def` keyword (lexed as an identifier inside ERROR nodes)."""
    previous = node.prev_sibling
    return (
        previous is not None and previous.type in ("def", "identifier") and previous.text == b"def"
    )


def _ts_arguments(name, line, column, arguments) -> Call:
    positional, keywords, star, double_star = 0, [], False, False
    for argument in arguments.named_children:
        if argument.type == "comment":
            continue
        if argument.type == "keyword_argument":
            keywords.append(argument.child_by_field_name("name").text.decode())
        elif argument.type == "list_splat":
            star = True
        elif argument.type == "dictionary_splat":
            double_star = True
        else:
            positional += 1
    return Call(name, line, column, True, True, positional, tuple(keywords), star, double_star)


# --------------------------------------------------------------------------
# A parser, with each definition re-read by ast when its block parses alone


def combined(
    read: Callable[[str, frozenset[str]], Reading],
) -> Callable[[str, frozenset[str]], Reading]:
    def read_combined(source: str, names: frozenset[str]) -> Reading:
        reading = read(source, names)
        lines = source.split("\n")
        by_line = {definition.line: definition for definition in reading.defs}
        # `def NAME(` at column 0 that the parser sees as code (not inside a string).
        keyword_lines = _code_def_lines(read, names)
        defs = []
        for line in sorted(set(by_line) | keyword_lines):
            name = by_line[line].name if line in by_line else _DEF.match(lines[line - 1])[1]
            block = ast_block(lines, line, name)
            parsed = by_line.get(line)
            if block.body_clean:
                defs.append(block)  # exact: ast read the block alone
            elif parsed is not None and parsed.last <= block.last:
                defs.append(parsed)
            else:  # missing, or running past the dedent: error recovery swallowed lines
                defs.append(block)
        return Reading(tuple(defs), reading.calls, reading.error_line)

    return read_combined


# The tree of the last cell each parser read, so that the combined readers parse once.
_LAST_TREE: dict[str, object] = {}


def _code_def_lines(read, names: frozenset[str]) -> set[int]:
    """`def NAME(` at column 0 that the parser of the cell just read saw as code."""
    lines = set()
    if read is read_parso:
        leaf = _LAST_TREE["parso"].get_first_leaf()
        while leaf is not None:
            if leaf.type == "keyword" and leaf.value == "def" and leaf.start_pos[1] == 0:
                name = leaf.get_next_leaf()
                if name is not None and name.value in names:
                    lines.add(leaf.start_pos[0])
            leaf = leaf.get_next_leaf()
    else:
        stack = [_LAST_TREE["tree-sitter"].root_node]
        unterminated = None  # line of a triple-quoted string that never closes
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            # An unterminated triple-quoted string: tree-sitter lexes the text after
            # it as code, so a `def` there is the string's text.
            if (
                node.type == "string_start"
                and node.parent.type != "string"
                and node.text.lstrip(b"rRbBuUfF")[:3] in (b'"""', b"'''")
            ):
                row = node.start_point.row + 1
                unterminated = row if unterminated is None else min(unterminated, row)
            # Inside ERROR nodes the keyword may come out as an identifier "def",
            # and the name with its parameters as a call.
            if node.type not in ("def", "identifier") or node.start_point.column != 0:
                continue
            if node.text != b"def":
                continue
            name = node.next_sibling
            if name is not None and name.type == "call":
                name = name.child_by_field_name("function")
            if name is not None and name.type == "identifier" and name.text.decode() in names:
                lines.add(node.start_point.row + 1)
        if unterminated is not None:
            lines = {line for line in lines if line < unterminated}
    return lines


READERS: dict[str, Callable[[str, frozenset[str]], Reading]] = {
    "parso": read_parso,
    "tree-sitter": read_tree_sitter,
    "ast-blocks": read_ast_blocks,
    "parso+ast": combined(read_parso),
    "ts+ast": combined(read_tree_sitter),
}


# --------------------------------------------------------------------------
# Scoring


@dataclasses.dataclass
class Score:
    defs_found: int = 0
    defs_exact: int = 0  # first, def and last lines
    flags_right: int = 0  # header_clean and body_clean
    defs_expected: int = 0
    false_defs: int = 0
    calls_found: int = 0
    calls_right: int = 0  # call/use, readable, argument shapes
    calls_expected: int = 0
    false_calls: int = 0
    error_right: int = 0
    cases: int = 0
    notes: list[str] = dataclasses.field(default_factory=list)

    def add(self, other: Score) -> None:
        for field in dataclasses.fields(self):
            if field.name != "notes":
                setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))
        self.notes += other.notes


def score(case: Case, reading: Reading) -> Score:
    result = Score(cases=1, defs_expected=len(case.defs))
    got = {(d.name, d.line): d for d in reading.defs}
    for expected in case.defs:
        found = got.pop((expected.name, expected.line), None)
        if found is None:
            result.notes.append(f"missed def {expected.name} (line {expected.line})")
            continue
        result.defs_found += 1
        if (found.first, found.last) == (expected.first, expected.last):
            result.defs_exact += 1
        else:
            result.notes.append(
                f"def {expected.name}: lines {found.first}-{found.last}, expected {expected.first}-{expected.last}"
            )
        if found.header_clean == expected.header_clean and (
            found.body_clean == expected.body_clean or not expected.header_clean
        ):  # the body of a def whose header does not read is not judged
            result.flags_right += 1
        else:
            result.notes.append(
                f"def {expected.name}: header/body clean {found.header_clean}/{found.body_clean}, "
                f"expected {expected.header_clean}/{expected.body_clean}"
            )
    for extra in got.values():
        result.false_defs += 1
        result.notes.append(f"false def {extra.name} at lines {extra.first}-{extra.last}")
    if case.calls is not None:
        result.calls_expected = len(case.calls)
        calls = {(c.name, c.line, c.column): c for c in reading.calls}
        for expected in case.calls:
            found = calls.pop((expected.name, expected.line, expected.column), None)
            if found is None:
                result.notes.append(f"missed {expected.name} at {expected.line}:{expected.column}")
                continue
            result.calls_found += 1
            if found == expected:
                result.calls_right += 1
            else:
                result.notes.append(f"{_show(found)}, expected {_show(expected)}")
        for extra in calls.values():
            result.false_calls += 1
            result.notes.append(f"false mention {_show(extra)}")
    if reading.error_line == case.error_line:
        result.error_right = 1
    else:
        result.notes.append(f"error line {reading.error_line}, expected {case.error_line}")
    return result


def _show(call: Call) -> str:
    where = f"{call.name} at {call.line}:{call.column}"
    if not call.call:
        return f"use of {where}"
    if not call.readable:
        return f"unreadable call of {where}"
    stars = ("*" if call.star else "") + ("**" if call.double_star else "")
    return f"call of {where} ({call.positional} positional, keywords {list(call.keywords)}{', ' + stars if stars else ''})"


def evaluate_cases(details: bool) -> str:
    available = {key: read for key, read in READERS.items() if _available(key)}
    missing = [key for key in READERS if key not in available]
    header = ["case", "ast error line", *available]
    rows = []
    totals = {key: Score() for key in available}
    all_notes: dict[str, list[str]] = {}
    for case in CASES:
        try:
            ast.parse(case.source)
            raise SystemExit(f"case {case.key} parses with ast")
        except SyntaxError as error:
            ast_line = str(error.lineno)
        cells = [case.key, ast_line]
        for key, read in available.items():
            try:
                result = score(case, read(case.source, NAMES))
            except Exception as error:  # noqa: BLE001 - a reader that crashes on a case is a finding
                result = Score(cases=1, defs_expected=len(case.defs), notes=[f"crashed: {error!r}"])
            totals[key].add(result)
            cells.append(_cell(result, case))
            if result.notes:
                all_notes.setdefault(case.key, []).extend(f"{key}: {note}" for note in result.notes)
        rows.append(cells)
    rows.append(["-" * 4, "", *("" for _ in available)])
    for label, numerator, denominator in (
        ("defs found", "defs_found", "defs_expected"),
        ("defs exact lines", "defs_exact", "defs_expected"),
        ("header/body flags", "flags_right", "defs_expected"),
        ("false defs", "false_defs", None),
        ("calls/uses found", "calls_found", "calls_expected"),
        ("calls/uses right", "calls_right", "calls_expected"),
        ("false mentions", "false_calls", None),
        ("error line right", "error_right", "cases"),
    ):
        rows.append(
            [
                label,
                "",
                *(
                    f"{getattr(totals[key], numerator)}"
                    + (f"/{getattr(totals[key], denominator)}" if denominator else "")
                    for key in available
                ),
            ]
        )
    text = _table([header, *rows])
    if missing:
        text += f"\nnot installed, not measured: {', '.join(missing)}"
    legend = (
        "cell: d = defs exact/expected (+N false), c = calls and uses right/expected (+N false), "
        "e = error line right (+) or wrong (-); '!' marks a miss"
    )
    text += "\n" + legend
    if details:
        text += "\n\nWhat each reader got wrong, by case:\n"
        for key, notes in all_notes.items():
            text += f"  {key}:\n" + "".join(f"    {note}\n" for note in notes)
    return text


def _cell(result: Score, case: Case) -> str:
    parts = [
        f"d{result.defs_exact}/{result.defs_expected}"
        + (f"+{result.false_defs}" if result.false_defs else "")
    ]
    if case.calls is not None:
        parts.append(
            f"c{result.calls_right}/{result.calls_expected}"
            + (f"+{result.false_calls}" if result.false_calls else "")
        )
    parts.append("e+" if result.error_right else "e-")
    flag = (
        result.defs_exact < result.defs_expected
        or result.false_defs
        or result.flags_right < result.defs_expected
        or result.calls_right < result.calls_expected
        or result.false_calls
    )
    return " ".join(parts) + (" !" if flag else "")


def _available(key: str) -> bool:
    module = {
        "parso": "parso",
        "tree-sitter": "tree_sitter_python",
        "parso+ast": "parso",
        "ts+ast": "tree_sitter_python",
    }.get(key)
    if module is None:
        return True
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    rendered = [
        "  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    rendered.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(rendered)


# --------------------------------------------------------------------------
# Speed


def broken_cell(lines: int) -> str:
    """About `lines` lines of notebook code, an inline def near the top and a regex-fix breakage
    just after it, and calls all the way down (the shape of a long def cell)."""
    rng = random.Random(lines)
    helpers = realistic.load_helpers(REPO / "fixtures")
    head = realistic.definitions_cell(rng, ["visualize_gradient_norms"], helpers, 0, [])
    body = head + realistic.breakage("regex-fix", rng)
    while len(body) < lines:
        body += realistic.training_loop(
            rng, rng.randint(30, 120), [realistic.CALLS["visualize_gradient_norms"][1]]
        )
    return "\n".join(body[:lines]) if lines < len(body) else "\n".join(body)


def _time(function: Callable[[], object], budget: float = 2.0) -> tuple[float, int]:
    """Median seconds of `function` over a few runs (at least one, within about `budget` s)."""
    times = []
    started = time.perf_counter()
    while not times or (len(times) < 5 and time.perf_counter() - started < budget):
        begin = time.perf_counter()
        function()
        times.append(time.perf_counter() - begin)
    return statistics.median(times), len(times)


def evaluate_speed() -> str:
    sizes = [("100 lines", 100), ("1,000 lines", 1_000), ("10,000 lines", 10_000)]
    cells = [(label, broken_cell(count)) for label, count in sizes]
    big = broken_cell(10_000)
    while len(big.encode()) < 5_000_000:
        big += "\n" + broken_cell(10_000)
    cells.append((f"5 MB ({big.count(chr(10)) + 1:,} lines)", big))
    columns: list[tuple[str, Callable[[str], object] | None]] = [
        ("ast.parse (fails)", _ast_fails),
    ]
    if _available("parso"):
        columns += [
            ("parso parse", lambda text: parso_grammar().parse(text, error_recovery=True)),
            ("parso iter_errors", None),  # timed on a tree parsed beforehand
            ("parso read", lambda text: read_parso(text, NAMES)),
        ]
    if _available("tree-sitter"):
        columns += [
            ("tree-sitter parse", lambda text: ts_parser().parse(text.encode("utf-8"))),
            ("tree-sitter read", lambda text: read_tree_sitter(text, NAMES)),
        ]
    columns.append(("ast-blocks read", lambda text: read_ast_blocks(text, NAMES)))
    if _available("tree-sitter"):
        ts_parser()  # built once, outside the timings (as is parso's grammar above)
    rows = [["cell", *(label for label, _ in columns)]]
    for label, text in cells:
        row = [f"{label}, {len(text.encode()) / 1e6:.2f} MB"]
        for _, function in columns:
            if function is None:  # parso's iter_errors alone; one tree alive at a time
                module = parso_grammar().parse(text, error_recovery=True)
                function = lambda _, module=module: list(parso_grammar().iter_errors(module))
            seconds, runs = _time(
                lambda function=function, text=text: function(text),
                budget=2.0 if len(text) < 1e6 else 0.0,
            )
            module = function = None
            row.append(f"{seconds * 1000:,.1f} ms" + ("" if runs > 1 else " (1 run)"))
        rows.append(row)
    return _table(rows) + (
        "\nmedian of up to 5 runs in this process (1 run for the 5 MB cell); 'read' = parse + "
        "finding the defs, calls and error line as in the cases; ast.parse stops at the first error"
    )


def corpus_cells(count: int = 1000, seed: int = 1) -> list[str]:
    """The code cells of bench/run.py's realistic corpus that `ast` rejects and that name a
    library function: what a tolerant reader would be given (IPython lines masked)."""
    helpers = realistic.load_helpers(REPO / "fixtures")
    mention = re.compile(rf"\b(?:{'|'.join(sorted(NAMES))})\b")
    cells = []
    for index in range(count):
        text, _ = realistic.realistic_notebook(seed, index, helpers)
        for cell in json.loads(text)["cells"]:
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            if cell["cell_type"] != "code" or not mention.search(source):
                continue
            source = re.sub(r"(?m)^([ \t]*)[!%].*$", r"\1pass", source)
            try:
                ast.parse(source)
            except SyntaxError:
                cells.append(source)
    return cells


def evaluate_corpus() -> str:
    """Total read time over the broken cells of the realistic corpus, per reader."""
    cells = corpus_cells()
    lines = sorted(cell.count("\n") + 1 for cell in cells)
    rows = [["reader", "all broken cells naming a library function"]]
    steps = dict(READERS)
    if _available("parso"):
        steps["parso parse only"] = lambda cell, _: parso_grammar().parse(cell)
    if _available("tree-sitter"):
        steps["tree-sitter parse only"] = lambda cell, _: ts_parser().parse(cell.encode("utf-8"))
    steps["ast.parse (fails)"] = lambda cell, _: _ast_fails(cell)
    for key, read in steps.items():
        if not _available(key.split()[0]):
            continue
        begin = time.perf_counter()
        for cell in cells:
            read(cell, NAMES)
        rows.append([key, f"{(time.perf_counter() - begin) * 1000:,.0f} ms"])
    return _table(rows) + (
        f"\n{len(cells)} cells of the 1,000 notebooks of bench/run.py's realistic corpus (seed 1); "
        f"lines per cell: median {statistics.median(lines):.0f}, max {lines[-1]}"
    )


def _ast_fails(text: str) -> None:
    try:
        ast.parse(text)
    except SyntaxError:
        pass


# --------------------------------------------------------------------------
# Import time and packages


# label: (code run in a fresh process, the top modules whose -X importtime is summed)
IMPORTS = {
    "parso": ("import parso; parso.load_grammar(version='3.11')", ("parso",)),
    "tree-sitter": (
        (
            "import tree_sitter, tree_sitter_python; "
            "tree_sitter.Parser(tree_sitter.Language(tree_sitter_python.language()))"
        ),
        ("tree_sitter", "tree_sitter_python"),
    ),
    "libcst (for reference)": ("import libcst", ("libcst",)),
    "ast (for reference)": ("import ast", ("ast",)),
}
DISTRIBUTIONS = ("parso", "tree-sitter", "tree-sitter-python", "libcst")


def evaluate_imports() -> str:
    rows = [["import", "fresh process (median of 7)", "-X importtime, top module (cumulative)"]]
    bare, _ = _process_time("pass")
    rows.append(["python -c pass", f"{bare * 1000:.0f} ms", "-"])
    for label, (code, modules) in IMPORTS.items():
        if any(importlib.util.find_spec(module) is None for module in modules):
            rows.append([label, "not installed", "-"])
            continue
        seconds, _ = _process_time(code)
        rows.append(
            [
                label,
                f"{seconds * 1000:.0f} ms ({(seconds - bare) * 1000:+.0f})",
                _importtime(modules),
            ]
        )
    text = _table(rows)
    packages = [["distribution", "version", "wheel tags", "pure Python", "installed size"]]
    for name in DISTRIBUTIONS:
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            packages.append([name, "not installed", "-", "-", "-"])
            continue
        wheel = distribution.read_text("WHEEL") or ""
        tags = ", ".join(
            line.split(":", 1)[1].strip() for line in wheel.splitlines() if line.startswith("Tag:")
        )
        pure = next(
            (
                line.split(":", 1)[1].strip()
                for line in wheel.splitlines()
                if line.startswith("Root-Is-Purelib")
            ),
            "?",
        )
        size = sum(
            (
                Path(distribution.locate_file(file)).stat().st_size
                for file in distribution.files or ()
                if Path(distribution.locate_file(file)).is_file()
            ),
        )
        packages.append([name, distribution.version, tags or "?", pure, f"{size / 1e6:.1f} MB"])
    return text + "\n\n" + _table(packages)


def _process_time(code: str) -> tuple[float, int]:
    def run() -> None:
        subprocess.run([sys.executable, "-c", code], check=True)

    run()  # warm the bytecode cache
    times = []
    for _ in range(7):
        begin = time.perf_counter()
        run()
        times.append(time.perf_counter() - begin)
    return statistics.median(times), len(times)


def _importtime(modules: tuple[str, ...]) -> str:
    """The cumulative -X importtime of the top modules, imported in one fresh process."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {', '.join(modules)}"],
        capture_output=True,
        text=True,
        check=False,
    )
    total = 0
    for line in completed.stderr.splitlines():
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 3 and parts[2] in modules:
            total += int(parts[1])
    return f"{total / 1000:.1f} ms" if total else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", action="store_true", help="correctness on broken cells")
    parser.add_argument("--speed", action="store_true", help="parse time on long cells")
    parser.add_argument("--imports", action="store_true", help="import time and packages")
    parser.add_argument("--details", action="store_true", help="list every miss by case")
    arguments = parser.parse_args(argv)
    everything = not (arguments.cases or arguments.speed or arguments.imports)
    print(
        f"Python {sys.version.split()[0]}; "
        + ", ".join(f"{name} {_version(name)}" for name in DISTRIBUTIONS)
    )
    if everything or arguments.cases:
        print("\nCorrectness on broken cells\n")
        print(evaluate_cases(arguments.details or everything))
    if everything or arguments.speed:
        print("\nSpeed on long broken cells\n")
        print(evaluate_speed())
    if everything or arguments.speed:
        print("\nRead time over the realistic corpus\n")
        print(evaluate_corpus())
    if everything or arguments.imports:
        print("\nImport time and packages\n")
        print(evaluate_imports())
    return 0


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


if __name__ == "__main__":
    sys.exit(main())

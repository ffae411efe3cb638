"""Import statements read from a cell's import lines, each line parsed on its own with
the lines that close its parentheses: a notebook's imports of a name are found without
reading the cells that merely use it (`notebook_imports`, `module_identity`,
`working_folder`)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from nbrefactor.analysis.import_targets import import_targets
from nbrefactor.analysis.parsing import AST_ERRORS

_CONTINUED_LINES = 50  # a parenthesized import longer than this is not read


def star_follows(line: str, name: str) -> bool:
    """Whether a star import follows the import of `name` on one line (`import random; from
    numpy import *`)."""
    statements = parsed_imports(line, 0)
    binding = [index for index, found in enumerate(statements) if name in import_targets(found)]
    stars = [
        index
        for index, found in enumerate(statements)
        if any(alias.name == "*" for alias in found.names)
    ]
    return bool(binding and stars) and max(stars) > min(binding)


def goes_on(line: str) -> bool:
    """Whether an import line goes on to the next (`from m import (`, also with a comment
    after it: `from m import (  # noqa: F401`, sweep 27). An import line holds no string, so
    its `#` starts a comment."""
    return line.partition("#")[0].rstrip().endswith(("(", "\\", ","))


def targets_in(source: str, lines: list[tuple[int, str]], name: str) -> list[str]:
    """What the imports of these lines bind `name` to, in order."""
    return [target for bound, target in bindings_in(source, lines, name) if bound == name]


def bindings_in(source: str, lines: list[tuple[int, str]], word: str) -> Iterator[tuple[str, str]]:
    """(name, what it is bound to) of each import statement of these import lines (offset,
    text) that holds `word`, or goes on to lines that could."""
    for start, line in lines:
        if word not in line and not goes_on(line):
            continue  # neither names it nor goes on to lines that could
        for statement in parsed_imports(source, start):
            yield from import_targets(statement).items()


def parsed_imports(source: str, start: int) -> list[ast.Import | ast.ImportFrom]:
    """The import statements of the line starting at `start` (`import math; from numpy
    import mean` holds two), read with the lines that close it."""
    end = source.find("\n", start)
    text = source[start : len(source) if end < 0 else end].strip()
    following: list[str] | None = None
    for index in range(_CONTINUED_LINES + 1):
        try:
            body = ast.parse(text).body
        except AST_ERRORS:
            if following is None:  # only for an import that goes on (rare): its next lines
                following = source[start:].split("\n", _CONTINUED_LINES + 1)[1:]
            if index >= len(following):
                return []
            text += "\n" + following[index].strip()
            continue
        return [
            statement for statement in body if isinstance(statement, (ast.Import, ast.ImportFrom))
        ]
    return []

"""A new module's imports, laid out as isort and ruff's `I` rules lay them out.

`module_file` writes a new module's import block with this, not with libcst's
`AddImportsVisitor` (which orders by nothing a reader would recognise, and puts
the standard library's imports beside numpy's): ruff's `I001` passes on it
(sweep 26 q57). An existing module's block is the user's, merged into by libcst,
and laid out so again only where it was laid out so before (`laid_out_block`).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Collection, Sequence

from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.analysis.text import split_lines
from nbrefactor.extract.import_specs import ImportSpec, statement_specs


def import_block(specs: Sequence[ImportSpec], wrapped: Collection[str] = ()) -> str:
    """A new module's imports as isort and ruff's `I` rules lay them out (sweep 26 q57): the
    `__future__` ones, the standard library's, then the others (relative ones last), a
    blank line between sections; in each, `import x` lines before `from x import ...` ones,
    by module, the names of one module in one statement (a renamed one in its own),
    constants, classes, then the rest; a `from` import longer than a line, or of a module
    in `wrapped` (written wrapped, with its magic trailing comma, which ruff keeps), one
    name a line."""
    sections: list[list[ImportSpec]] = [[], [], [], []]
    for spec in dict.fromkeys(specs):
        top = spec.module.partition(".")[0]
        if spec.module == "__future__":
            sections[0].append(spec)
        elif spec.module.startswith("."):
            sections[3].append(spec)
        else:
            sections[1 if top in sys.stdlib_module_names else 2].append(spec)
    blocks = []
    for section in sections:
        straight = sorted((s for s in section if s.obj is None), key=_by_module)
        lines = [str(spec) for spec in straight]
        names: dict[str, list[str]] = {}
        for spec in section:
            if spec.obj is not None:
                alias = f" as {spec.asname}" if spec.asname else ""
                names.setdefault(spec.module, []).append(f"{spec.obj}{alias}")
        for module in sorted(names, key=lambda name: (name.lower(), name)):
            # As `combine-as-imports = false`: the plain names in one statement, then each
            # renamed one in its own.
            listed = sorted(dict.fromkeys(names[module]), key=_by_type)
            plain = [name for name in listed if " as " not in name]
            if plain:
                lines.append(_from_import(module, plain, module in wrapped))
            lines += [f"from {module} import {name}" for name in listed if " as " in name]
        if lines:
            blocks.append("".join(f"{line}\n" for line in lines))
    return "\n".join(blocks)


# ruff's (and black's) line length: a longer `from` import is wrapped, one name a line.
_LINE_LENGTH = 88


def _from_import(module: str, names: list[str], wrapped: bool) -> str:
    """`from module import a, b`, or, longer than a line may be or `wrapped`, wrapped as
    ruff's isort rules and ruff format wrap it (round 76c F2: a 91-character line failed
    I001)."""
    line = f"from {module} import {', '.join(names)}"
    if len(line) <= _LINE_LENGTH and not wrapped:
        return line
    listed = "".join(f"    {name},\n" for name in names)
    return f"from {module} import (\n{listed})"


def _by_module(spec: ImportSpec) -> tuple[str, str]:
    return spec.module.lower(), str(spec)


def _by_type(name: str) -> tuple[int, str]:
    """isort's `order-by-type`: CONSTANTS, then Classes, then the rest."""
    bare = name.partition(" ")[0]
    kind = 0 if bare.isupper() and len(bare) > 1 else 1 if bare[:1].isupper() else 2
    return kind, name


def laid_out_block(old: str, new: str) -> str:
    """`new`, the module `old` with imports merged into its top import block by libcst, that
    block laid out again by `import_block` when `old`'s was laid out so, or `old` had none
    (extract sweep 27: libcst put `import numpy as np` right under `import os`, and after
    `from __future__ import ...`, where ruff's `I001` wants a section of its own); and where
    libcst made the block, followed by two blank lines before a `def` or `class` (libcst
    left one), one before anything else, as black and ruff lay a module out. A block laid
    out otherwise (its own order, comments in it) is the user's: left as libcst merged it."""
    before = _top_block(ast.parse(old))
    if before is not None:
        new = _blank_lines_kept(split_lines(old), before[0], new)
    lines = split_lines(new)
    tree = ast.parse(new)
    block = _top_block(tree)
    if block is None or before is not None and not _laid_out(split_lines(old), before[0]):
        return new
    statements, following = block
    first, end = statements[0].lineno - 1, statement_lines(statements[-1])[1]
    region = lines[first:end]
    if any(line.lstrip().startswith("#") for line in region):
        return new  # a comment libcst's insertion moved into the block: not ours to drop
    newline = "\r\n" if region[0].endswith("\r\n") else "\n"
    wrapped = _wrapped(before[0]) if before is not None else ()
    laid_out = split_lines(import_block(_specs(statements), wrapped).replace("\n", newline))
    head, rest = lines[:first], lines[end:]
    if before is None:
        head = _one_blank_after_docstring(head, tree, newline)
    if before is None and following is not None:
        blank = 0
        while not rest[blank].strip():
            blank += 1
        rest = [newline] * (2 if isinstance(following, _DEFINITIONS) else 1) + rest[blank:]
    return "".join([*head, *laid_out, *rest])


def _blank_lines_kept(old: list[str], statements: list[ast.stmt], new: str) -> str:
    """`new` with as many blank lines right after its top import block as `old` had after
    its own (`statements`): libcst's merge adds one before a statement that followed the
    block directly (round 73b F7: `import os` followed by a string statement on the next
    line gained a blank line between them, where every byte but the import lines stays)."""
    kept = _blanks_from(old, statement_lines(statements[-1])[1])
    block = _top_block(ast.parse(new))
    if block is None:
        return new
    lines = split_lines(new)
    end = statement_lines(block[0][-1])[1]
    added = _blanks_from(lines, end) - kept
    return new if added <= 0 else "".join(lines[:end] + lines[end + added :])


def _blanks_from(lines: list[str], start: int) -> int:
    """How many blank lines run from index `start` (up to the end)."""
    count = 0
    while start + count < len(lines) and not lines[start + count].strip():
        count += 1
    return count


def _one_blank_after_docstring(head: list[str], tree: ast.Module, newline: str) -> list[str]:
    """The lines above a new import block, one blank line after the module's docstring when
    nothing else comes between (sweep 28: libcst put the block right under it, which ruff
    format and black change)."""
    if ast.get_docstring(tree, clean=False) is None:
        return head
    docstring_end = tree.body[0].end_lineno or tree.body[0].lineno
    trimmed = list(head)
    while trimmed and not trimmed[-1].strip():
        trimmed.pop()
    if len(trimmed) != docstring_end:
        return head  # comments between: the user's
    return [*trimmed, newline]


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _top_block(tree: ast.Module) -> tuple[list[ast.stmt], ast.stmt | None] | None:
    """The module's top import block: the imports in a row from its first statement (after
    its docstring), each on lines of its own, and the statement after them (or None)."""
    start = int(ast.get_docstring(tree, clean=False) is not None)
    statements: list[ast.stmt] = []
    following = None
    for statement in tree.body[start:]:
        if not isinstance(statement, (ast.Import, ast.ImportFrom)):
            following = statement
            break
        statements.append(statement)
    if not statements:
        return None
    ends = [statement_lines(statement)[1] for statement in statements]
    if any(statement.col_offset for statement in statements) or (
        following is not None and statement_lines(following)[0] <= ends[-1]
    ):
        return None  # `import os; x = 1`, `"""Doc."""; import os`
    return statements, following


def _laid_out(lines: list[str], statements: list[ast.stmt]) -> bool:
    """Whether the block's lines are `import_block`'s text of its imports, to the letter."""
    first, end = statements[0].lineno - 1, statement_lines(statements[-1])[1]
    text = "".join(lines[first:end]).replace("\r\n", "\n")
    return text == import_block(_specs(statements), _wrapped(statements))


def _wrapped(statements: list[ast.stmt]) -> frozenset[str]:
    """The modules whose `from` import the block writes on more than one line (round 76c F3:
    `from typing import (\n    Any,\n)`, as ruff format keeps it, was not taken for laid
    out, and the merged block failed I001)."""
    return frozenset(
        statement.module
        for statement in statements
        if isinstance(statement, ast.ImportFrom)
        and statement.module is not None
        and not statement.level
        and statement_lines(statement)[1] > statement.lineno
    )


def _specs(statements: list[ast.stmt]) -> list[ImportSpec]:
    return [spec for statement in statements for spec in statement_specs(statement)]

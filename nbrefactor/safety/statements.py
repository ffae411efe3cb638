"""A changed cell's top-level statements against the original ones, compared as trees.

The full comparison, for a cell re-read (parsed) after the edit: the
statements other than the imports from the library must be the original
ones as `ast.dump` compares them (equal text first, else one walk of both
trees), IPython lines masked as the reader masks them and legacy calls
compared under their new name (`__main__.old` too: the name `old`); the imports from the library are compared by
the names they bind (`library_imports`). In a skeletal reading (a huge cell
read statement by statement) a statement stands only for its lines: where
the texts differ, it is parsed again from them before the trees are compared.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping

from nbrefactor.analysis.code_warnings import code_warnings_ignored
from nbrefactor.analysis.magics import MaskedSource
from nbrefactor.analysis.namespace_reads import is_main_module
from nbrefactor.analysis.parsing import AST_ERRORS, statement_lines
from nbrefactor.analysis.text import line_starts, whole_lines


def library_imports(statements: Iterable[ast.stmt], module: str) -> tuple[set[str], int]:
    """The names (`a` or `a as b`) the statements import from the library, and how many
    statements do so."""
    imported: set[str] = set()
    count = 0
    for statement in statements:
        if is_library_import(statement, module):
            assert isinstance(statement, ast.ImportFrom)
            imported.update(_alias(alias) for alias in statement.names)
            count += 1
    return imported, count


def is_library_import(statement: ast.stmt, module: str) -> bool:
    """`from <module> import ...`, not relative."""
    return (
        isinstance(statement, ast.ImportFrom)
        and statement.module == module
        and statement.level == 0
    )


class Statements:
    """A cell's top-level statements, to compare: imports from the library apart."""

    def __init__(
        self,
        statements: list[ast.stmt],
        masked: MaskedSource,
        module: str,
        renamed: Mapping[str, str],
        skeletal: bool = False,
    ) -> None:
        self.masked = masked
        self.skeletal = skeletal  # statements that stand only for their lines (`CellReading`)
        self.renamed = renamed
        self.line_starts = line_starts(masked.text)  # not its lines: a cell may be huge
        self.others = [
            statement for statement in statements if not is_library_import(statement, module)
        ]
        # `a` or `a as b`, from every import of the library; how many such imports
        self.imported, self.imports = library_imports(statements, module)

    def same_as(self, other: Statements) -> bool:
        if len(self.others) != len(other.others):
            return False
        names = (self._names(), other._names())
        texts = (self._text, other._text)
        for ours, theirs in zip(self.others, other.others):
            if self._text(ours) == other._text(theirs):
                continue
            whole = (self._whole(ours), other._whole(theirs))
            if whole[0] is None or whole[1] is None:
                return False
            if not _same_tree(whole[0], whole[1], names, texts):
                return False
        return True

    def _whole(self, statement: ast.stmt) -> ast.stmt | None:
        """The statement as a whole tree: in a skeletal reading, parsed again from its lines
        (a skeleton holds no more than its lines, so two would compare equal); None when
        its lines do not give it back."""
        if not self.skeletal:
            return statement
        text, column, _ = self._text(statement)
        first = statement_lines(statement)[0]
        try:
            with code_warnings_ignored():  # the code's `"\d"` (round 59b)
                parsed = ast.parse(text).body
        except AST_ERRORS:
            return None
        for found in parsed:  # another statement may share its lines, through `;`
            if statement_lines(found)[0] == 1 and found.col_offset == column:
                ast.increment_lineno(found, first - 1)
                return found
        return None

    def _text(self, statement: ast.stmt) -> tuple[str, int, int]:
        """Where the statement's text lies (decorators included): equal texts, equal trees."""
        text = whole_lines(self.masked.text, self.line_starts, *statement_lines(statement))
        return text, statement.col_offset, statement.end_col_offset or 0

    def _names(self) -> dict[str, str]:
        """Name -> what it stands for: a placeholder its IPython line, a legacy name the new."""
        return _masked_lines(self.masked) | dict(self.renamed)


_StatementText = Callable[[ast.stmt], tuple[str, int, int]]


def _same_tree(
    ours: ast.AST,
    theirs: ast.AST,
    names: tuple[Mapping[str, str], Mapping[str, str]],
    texts: tuple[_StatementText, _StatementText],
) -> bool:
    """Whether two trees are equal as `ast.dump` (no positions) sees them, each `Name` read
    through its side's `names`; one walk, no text built but the statements'.

    A nested statement whose text (and columns) is the same on both sides is the same
    tree, as at the top level: the walk goes down only where the texts differ (a renamed
    call in a long loop is one line of it)."""
    pending: list[tuple[object, object]] = [(ours, theirs)]
    while pending:
        left, right = pending.pop()
        if isinstance(left, ast.AST):
            if type(left) is not type(right):
                return False
            if left is not ours and isinstance(left, ast.stmt):
                assert isinstance(right, ast.stmt)
                if texts[0](left) == texts[1](right):
                    continue
            if isinstance(left, ast.Name):
                assert isinstance(right, ast.Name)
                if names[0].get(left.id, left.id) != names[1].get(right.id, right.id):
                    return False
                continue  # its context follows from where it stands
            if isinstance(left, ast.Attribute) and is_main_module(left.value):
                assert isinstance(right, ast.Attribute)  # `__main__.old`: the name `old`
                if names[0].get(left.attr, left.attr) != names[1].get(right.attr, right.attr):
                    return False
                pending.append((left.value, right.value))
                continue
            pending.extend(
                (getattr(left, field, None), getattr(right, field, None)) for field in left._fields
            )
        elif isinstance(left, list):
            if not isinstance(right, list) or len(left) != len(right):
                return False
            pending.extend(zip(left, right))
        elif left != right or type(left) is not type(right):
            return False
    return True


def _alias(alias: ast.alias) -> str:
    return alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"


def _masked_lines(masked: MaskedSource) -> dict[str, str]:
    """Placeholder name -> the IPython line it stands for, so that numbering does not matter."""
    found = {key.strip(): "%masked " + value.strip() for key, value in masked.originals.items()}
    for key, value in masked.prefixes.items():
        suffix = masked.suffixes.get(key, "").strip()  # a help query's `?`
        found[key.strip().rstrip(";").strip()] = f"%masked {value.strip()} ... {suffix}"
    return found

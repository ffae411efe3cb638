"""Runs of kept statements: spans of the old cell's text, compared with the new text in place.

A migration keeps most of a cell's text: between the removed definitions, runs
of statements stay as they were (but for renamed calls). The safety check
(`text_match`) finds each run in the new text; a run is held as spans of the
old text and the new names put in it, never copied out: a 5 MB cell's runs
would be a second 5 MB of text at the check's peak. They are compared a
bounded chunk at a time (`str.startswith` at an offset), so the memory the
comparison takes does not grow with the cell.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.analysis.text import column_offset, line_start
from nbrefactor.rules.legacy_names import Rename

_LINE_ENDINGS = "\r\n"
# Characters of old text compared (or searched for) at once: a copy this long at most.
_CHUNK = 64 * 1024

Renames = Mapping[int, Sequence[Rename]]  # statement index -> its renames done in the text


class OldText:
    """The old masked text with where each of its lines starts."""

    def __init__(self, text: str, line_starts: Sequence[int]) -> None:
        self.text = text
        self.line_starts = line_starts  # the reading's (`CellReading.line_starts`): 8 bytes a line

    def start(self, line: int) -> int:
        """Where line `line` (1-based) starts; the text's end after its last line."""
        return line_start(self.text, self.line_starts, line)

    def column(self, line: int, byte_column: int) -> int:
        """The character column of a UTF-8 byte column (as `ast` counts) on a line."""
        start = self.start(line)
        return column_offset(self.text, start, byte_column) - start

    def lines(self, first: int, last: int) -> str:
        """Lines first..last (1-based), the ending of the last one left out."""
        start, end = self.span(first, last)
        return self.text[start:end]

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Where lines first..last (1-based) are, the ending of the last one left out."""
        start, end = self.start(first), self.start(last + 1)
        while end > start and self.text[end - 1] in _LINE_ENDINGS:
            end -= 1
        return start, end


@dataclass
class Run:
    """Kept top-level statements with nothing removed between them, and where they are.

    Its text is the old masked text from its first line's start to its last
    line's end (no ending), its renamed uses renamed: `pieces`, spans of the
    old text (start, end) and the new names between them, in order.
    """

    statements: range  # their indexes in the old cell
    first_line: int  # in the old text, 1-based (decorators included)
    old: str  # the old masked text the spans are in
    pieces: list[tuple[int, int] | str]
    length: int  # of its text
    start: int = -1  # where the text is in the new text, once matched
    line: int = 0  # the new line of `start`, 1-based, once placed

    @classmethod
    def of(
        cls, body: Sequence[ast.stmt], statements: range, old: OldText, renames: Renames
    ) -> Run | None:
        """The run over these statements, its renamed uses renamed; None when a use is not there."""
        first = statement_lines(body[statements[0]])[0]
        last = statement_lines(body[statements[-1]])[1]
        position, end = old.span(first, last)
        found = [rename for index in statements for rename in renames.get(index, ())]
        pieces: list[tuple[int, int] | str] = []
        length = end - position
        for rename in sorted(found, key=lambda rename: (rename.use.line, rename.use.column)):
            use = rename.use
            at = old.start(use.line) + old.column(use.line, use.column)
            if at < position or at + len(use.name) > end or not old.text.startswith(use.name, at):
                return None
            pieces += [(position, at), rename.new_name]
            position = at + len(use.name)
            length += len(rename.new_name) - len(use.name)
        pieces.append((position, end))
        return cls(statements, first, old.text, pieces, length)

    @property
    def end(self) -> int:
        return self.start + self.length

    @property
    def shift(self) -> int:
        return self.line - self.first_line

    @property
    def text(self) -> str:
        """The run's whole text: a copy, for the few cells whose IPython lines were masked."""
        return "".join(self._chunks())

    def head(self) -> str:
        """The start of the run's text, a chunk long at most: what is searched for."""
        found = []
        size = 0
        for chunk in self._chunks():
            found.append(chunk[: _CHUNK - size])
            size += len(found[-1])
            if size == _CHUNK:
                break
        return "".join(found)

    def last_character(self) -> str:
        """The last character of the run's text ("" when it is empty)."""
        for piece in reversed(self.pieces):
            if isinstance(piece, str):
                if piece:
                    return piece[-1]
            elif piece[1] > piece[0]:
                return self.old[piece[1] - 1]
        return ""

    def is_at(self, text: str, at: int) -> bool:
        """Whether the run's text is in `text` at offset `at`, compared a chunk at a time."""
        for chunk in self._chunks():
            if not text.startswith(chunk, at):
                return False
            at += len(chunk)
        return True

    def _chunks(self) -> Iterator[str]:
        """The run's text in order, in pieces a chunk long at most."""
        for piece in self.pieces:
            if isinstance(piece, str):
                yield piece
                continue
            start, end = piece
            for at in range(start, end, _CHUNK):
                yield self.old[at : min(at + _CHUNK, end)]

"""Why a definition was kept because a cell, a line or the definition cannot be read or
edited (`NBR207`-`NBR214`, `NBR252`).

A use in lines or a cell that do not parse, in an IPython line or a cell magic, a
rebinding through `global`, a cell that cannot be edited or read, or one left
empty that IPython would no longer number. Apart from `reasons` so that each stays
short; `reasons` re-exports them, where the codes are listed.
"""

from __future__ import annotations

from typing import ClassVar

from nbrefactor.reason_base import ReasonBase


class UnreadableUse(ReasonBase):
    code: ClassVar[str] = "NBR207"
    cell: int
    line: int
    name: str
    error: str


class UseInIPythonLine(ReasonBase):
    """The name is in a masked IPython line (`!echo {f(1)}`), which IPython expands."""

    code: ClassVar[str] = "NBR213"
    cell: int
    line: int
    name: str


class RebindsThroughGlobal(ReasonBase):
    """A function or class body may rebind the name through `global` (or `globals()`,
    `exec`) when it runs: no import can be placed so that every use sees it."""

    code: ClassVar[str] = "NBR214"
    cell: int
    line: int  # the first line of the top-level statement holding that body
    name: str
    through: str  # `global`, globals(), exec


class MentionedInUnparseableCell(ReasonBase):
    code: ClassVar[str] = "NBR208"
    cell: int
    name: str
    reason: str


class InCellMagic(ReasonBase):
    code: ClassVar[str] = "NBR209"
    magic: str | None


class NotPython(ReasonBase):
    code: ClassVar[str] = "NBR210"
    magic: str


class IndentedCellMagic(ReasonBase):
    """The cell's cell magic line is indented and a line after it is not (`indented_alone`):
    IPython 9 raises IndentationError for the cell, IPython 8 runs the magic."""

    code: ClassVar[str] = "NBR276"
    magic: str


class CannotReadCell(ReasonBase):
    code: ClassVar[str] = "NBR211"
    reason: str


class EmptiesNumberedCell(ReasonBase):
    """Removing the definition leaves its cell empty, which IPython does not number, and
    a later cell reads IPython's numbered history (`rules.numbered_history`)."""

    code: ClassVar[str] = "NBR252"
    cell: int  # the cell left empty
    reader_cell: int  # a later cell reading the history
    shown: str  # what it reads it with: `_3`, `Out`, `%rerun`


class DefinitionNotRead(ReasonBase):
    code: ClassVar[str] = "NBR212"
    error: str
    # The line of a def that parses, but without which the cell would (an `else:` after a
    # def pasted between an `if` and its `else`): removing it would run what never ran.
    breaking_line: int | None = None


class RanAnotherBinding(ReasonBase):
    """A copy in a cell that does not parse never ran: the notebook's own binding of the
    name above it (`f = lambda x: 100`) is what the code below ran, which the import would
    replace with the library's function (round 76a F1-F3: `print(f(3))` printed 100, then
    4; a use in a function's body, a kept copy calling it, after a conditional binding).
    An import of the name above the copies is not one: the new import overrides it on
    purpose."""

    code: ClassVar[str] = "NBR280"
    cell: int  # of that binding
    name: str
    qualified_name: str
    surely: bool  # it binds the name when it runs: not conditional, nor a line binding any

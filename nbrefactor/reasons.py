"""Why a definition was replaced or kept, as data: a small frozen type per reason, with a code.

The rules decide and return these values; only `messages` words them (as
pyflakes keeps its message classes apart from the reporter), so a script can
filter on a stable `code` instead of matching prose. The codes:

- `NBR100`: a replaced definition (the code of every `replaced` finding).
  Its details, in the order the line shows them:
  `NBR101` the body differs from the library's, `NBR102` a default differs,
  `NBR103` the signature is compatible (a use without a call relied on it),
  `NBR104` the cell does not parse (the definition's lines were read),
  `NBR105` never used, so nothing is imported, `NBR106` a legacy name whose
  calls are renamed, `NBR107`/`NBR108` a legacy name imported under its old
  name because a call is in a cell-magic cell / would be captured.
- `NBR2xx`: why a definition was kept. `NBR201`-`NBR204` a call does not
  bind to the library's signature; `NBR205`/`NBR206` a use that cannot be
  checked (no call, or `*args`/`**kwargs`); `NBR207`/`NBR208` a use in lines
  or a cell that do not parse; `NBR209`-`NBR212` the definition's cell cannot
  be edited or read; `NBR220`-`NBR224` not the same function (parameters,
  forwarded keywords, notebook variables, another definition kept).

A code never changes meaning; a new reason gets a new code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

# -- replaced: the details of a `replaced` line ------------------------------------

REPLACED_CODE = "NBR100"


@dataclass(frozen=True)
class BodyDiffers:
    code: ClassVar[str] = "NBR101"
    qualified_name: str


@dataclass(frozen=True)
class DefaultDiffers:
    code: ClassVar[str] = "NBR102"
    parameter: str
    inline: str
    library: str


@dataclass(frozen=True)
class SignatureCompatible:
    code: ClassVar[str] = "NBR103"


@dataclass(frozen=True)
class InBrokenCell:
    code: ClassVar[str] = "NBR104"
    error: str
    body_broken: bool


@dataclass(frozen=True)
class NeverCalled:
    code: ClassVar[str] = "NBR105"


@dataclass(frozen=True)
class CallsRenamed:
    """A legacy name: imported under its new name, its calls renamed (said after the name)."""

    code: ClassVar[str] = "NBR106"
    qualified_name: str


@dataclass(frozen=True)
class RenameInCellMagic:
    """A legacy name imported under its old name: a call is in a cell-magic cell."""

    code: ClassVar[str] = "NBR107"
    qualified_name: str
    name: str
    cell: int
    magic: str | None


@dataclass(frozen=True)
class RenameCaptured:
    """A legacy name imported under its old name: another binding would capture renamed calls."""

    code: ClassVar[str] = "NBR108"
    qualified_name: str
    name: str
    current: str
    cell: int
    kind: str


LegacyHow = CallsRenamed | RenameInCellMagic | RenameCaptured
ReplacedDetail = BodyDiffers | DefaultDiffers | SignatureCompatible | InBrokenCell | NeverCalled
ReplacedReason = LegacyHow | ReplacedDetail


# -- kept: why a definition stays ------------------------------------------------------


@dataclass(frozen=True)
class TooManyPositional:
    code: ClassVar[str] = "NBR201"
    count: int
    qualified_name: str
    most: int


@dataclass(frozen=True)
class UnknownKeyword:
    code: ClassVar[str] = "NBR202"
    keyword: str
    qualified_name: str


@dataclass(frozen=True)
class PassedTwice:
    code: ClassVar[str] = "NBR203"
    keyword: str


@dataclass(frozen=True)
class MissingArgument:
    code: ClassVar[str] = "NBR204"
    parameter: str
    qualified_name: str


@dataclass(frozen=True)
class UseWithoutCall:
    code: ClassVar[str] = "NBR205"
    cell: int
    name: str
    qualified_name: str


@dataclass(frozen=True)
class UnpackedArguments:
    code: ClassVar[str] = "NBR206"
    cell: int
    qualified_name: str


@dataclass(frozen=True)
class UnreadableUse:
    code: ClassVar[str] = "NBR207"
    cell: int
    line: int
    name: str
    error: str


@dataclass(frozen=True)
class MentionedInUnparseableCell:
    code: ClassVar[str] = "NBR208"
    cell: int
    name: str
    reason: str


@dataclass(frozen=True)
class InCellMagic:
    code: ClassVar[str] = "NBR209"
    magic: str | None


@dataclass(frozen=True)
class NotPython:
    code: ClassVar[str] = "NBR210"
    magic: str


@dataclass(frozen=True)
class CannotReadCell:
    code: ClassVar[str] = "NBR211"
    reason: str


@dataclass(frozen=True)
class DefinitionNotRead:
    code: ClassVar[str] = "NBR212"
    error: str


@dataclass(frozen=True)
class ParametersDiffer:
    """The inline parameters are not the library's: calls that bind mean something else."""

    code: ClassVar[str] = "NBR220"
    inline: tuple[str, ...]
    qualified_name: str
    library: tuple[str, ...]


@dataclass(frozen=True)
class ForwardedKeyword:
    """A call passes an inline parameter by keyword; the library hands it to its `**kwargs`."""

    code: ClassVar[str] = "NBR221"
    keyword: str
    qualified_name: str


@dataclass(frozen=True)
class ReadsNotebookVariable:
    """The body, a decorator or a default reads a variable the notebook binds."""

    code: ClassVar[str] = "NBR222"
    variable: str
    cell: int  # the first cell that binds it
    qualified_name: str


@dataclass(frozen=True)
class WritesNotebookVariable:
    """The body declares a notebook variable `global` and only assigns it."""

    code: ClassVar[str] = "NBR223"
    variable: str
    qualified_name: str


@dataclass(frozen=True)
class KeptWithOther:
    """Another definition of the same name is kept: a name's definitions go together."""

    code: ClassVar[str] = "NBR224"
    cell: int  # the cell of the definition kept for a reason of its own


BindingProblem = TooManyPositional | UnknownKeyword | PassedTwice | MissingArgument


@dataclass(frozen=True)
class CallDoesNotBind:
    """A call that could run the definition does not bind to the library's signature."""

    cell: int
    problem: BindingProblem

    @property
    def code(self) -> str:
        return self.problem.code


KeptReason = (
    CallDoesNotBind
    | UseWithoutCall
    | UnpackedArguments
    | UnreadableUse
    | MentionedInUnparseableCell
    | InCellMagic
    | NotPython
    | CannotReadCell
    | DefinitionNotRead
    | ParametersDiffer
    | ForwardedKeyword
    | ReadsNotebookVariable
    | WritesNotebookVariable
    | KeptWithOther
)
Reason = ReplacedReason | KeptReason | BindingProblem

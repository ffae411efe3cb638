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


class _Reason:
    """Equality, hash and repr by field values, written once for every reason type.

    Each type is `@dataclass(frozen=True, eq=False, repr=False)` and inherits
    these: `dataclass` would otherwise generate the three methods for each of
    the types, compiling them at every start of the command (about 40% of
    this module's import time, paid by every run that reports a definition).
    The fields are the `__match_args__` that `dataclass` gives each type.
    """

    __match_args__: ClassVar[tuple[str, ...]] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__match_args__)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Reason) or type(other) is not type(self):
            return NotImplemented
        return other._values() == self._values()

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        fields = zip(self.__match_args__, self._values())
        return f"{type(self).__name__}({', '.join(f'{name}={value!r}' for name, value in fields)})"


# -- replaced: the details of a `replaced` line ------------------------------------

REPLACED_CODE = "NBR100"


@dataclass(frozen=True, eq=False, repr=False)
class BodyDiffers(_Reason):
    code: ClassVar[str] = "NBR101"
    qualified_name: str


@dataclass(frozen=True, eq=False, repr=False)
class DefaultDiffers(_Reason):
    code: ClassVar[str] = "NBR102"
    parameter: str
    inline: str
    library: str


@dataclass(frozen=True, eq=False, repr=False)
class SignatureCompatible(_Reason):
    code: ClassVar[str] = "NBR103"


@dataclass(frozen=True, eq=False, repr=False)
class InBrokenCell(_Reason):
    code: ClassVar[str] = "NBR104"
    error: str
    body_broken: bool


@dataclass(frozen=True, eq=False, repr=False)
class NeverCalled(_Reason):
    code: ClassVar[str] = "NBR105"


@dataclass(frozen=True, eq=False, repr=False)
class CallsRenamed(_Reason):
    """A legacy name: imported under its new name, its calls renamed (said after the name)."""

    code: ClassVar[str] = "NBR106"
    qualified_name: str


@dataclass(frozen=True, eq=False, repr=False)
class RenameInCellMagic(_Reason):
    """A legacy name imported under its old name: a call is in a cell-magic cell."""

    code: ClassVar[str] = "NBR107"
    qualified_name: str
    name: str
    cell: int
    magic: str | None


@dataclass(frozen=True, eq=False, repr=False)
class RenameCaptured(_Reason):
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


@dataclass(frozen=True, eq=False, repr=False)
class TooManyPositional(_Reason):
    code: ClassVar[str] = "NBR201"
    count: int
    qualified_name: str
    most: int


@dataclass(frozen=True, eq=False, repr=False)
class UnknownKeyword(_Reason):
    code: ClassVar[str] = "NBR202"
    keyword: str
    qualified_name: str


@dataclass(frozen=True, eq=False, repr=False)
class PassedTwice(_Reason):
    code: ClassVar[str] = "NBR203"
    keyword: str


@dataclass(frozen=True, eq=False, repr=False)
class MissingArgument(_Reason):
    code: ClassVar[str] = "NBR204"
    parameter: str
    qualified_name: str


@dataclass(frozen=True, eq=False, repr=False)
class UseWithoutCall(_Reason):
    code: ClassVar[str] = "NBR205"
    cell: int
    name: str
    qualified_name: str


@dataclass(frozen=True, eq=False, repr=False)
class UnpackedArguments(_Reason):
    code: ClassVar[str] = "NBR206"
    cell: int
    qualified_name: str


@dataclass(frozen=True, eq=False, repr=False)
class UnreadableUse(_Reason):
    code: ClassVar[str] = "NBR207"
    cell: int
    line: int
    name: str
    error: str


@dataclass(frozen=True, eq=False, repr=False)
class MentionedInUnparseableCell(_Reason):
    code: ClassVar[str] = "NBR208"
    cell: int
    name: str
    reason: str


@dataclass(frozen=True, eq=False, repr=False)
class InCellMagic(_Reason):
    code: ClassVar[str] = "NBR209"
    magic: str | None


@dataclass(frozen=True, eq=False, repr=False)
class NotPython(_Reason):
    code: ClassVar[str] = "NBR210"
    magic: str


@dataclass(frozen=True, eq=False, repr=False)
class CannotReadCell(_Reason):
    code: ClassVar[str] = "NBR211"
    reason: str


@dataclass(frozen=True, eq=False, repr=False)
class DefinitionNotRead(_Reason):
    code: ClassVar[str] = "NBR212"
    error: str


@dataclass(frozen=True, eq=False, repr=False)
class ParametersDiffer(_Reason):
    """The inline parameters are not the library's: calls that bind mean something else."""

    code: ClassVar[str] = "NBR220"
    inline: tuple[str, ...]
    qualified_name: str
    library: tuple[str, ...]


@dataclass(frozen=True, eq=False, repr=False)
class ForwardedKeyword(_Reason):
    """A call passes an inline parameter by keyword; the library hands it to its `**kwargs`."""

    code: ClassVar[str] = "NBR221"
    keyword: str
    qualified_name: str


@dataclass(frozen=True, eq=False, repr=False)
class ReadsNotebookVariable(_Reason):
    """The body, a decorator or a default reads a variable the notebook binds."""

    code: ClassVar[str] = "NBR222"
    variable: str
    cell: int  # the first cell that binds it
    qualified_name: str


@dataclass(frozen=True, eq=False, repr=False)
class WritesNotebookVariable(_Reason):
    """The body declares a notebook variable `global` and only assigns it."""

    code: ClassVar[str] = "NBR223"
    variable: str
    qualified_name: str


@dataclass(frozen=True, eq=False, repr=False)
class KeptWithOther(_Reason):
    """Another definition of the same name is kept: a name's definitions go together."""

    code: ClassVar[str] = "NBR224"
    cell: int  # the cell of the definition kept for a reason of its own


BindingProblem = TooManyPositional | UnknownKeyword | PassedTwice | MissingArgument


@dataclass(frozen=True, eq=False, repr=False)
class CallDoesNotBind(_Reason):
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

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
  forwarded keywords, notebook variables, another definition kept);
  `NBR230`-`NBR232` the one import cannot serve every use (another binding
  comes between it and a use, or it would capture a use of another binding).

A code never changes meaning; a new reason gets a new code.
"""

from __future__ import annotations

import inspect
from dataclasses import FrozenInstanceError
from typing import ClassVar, dataclass_transform


@dataclass_transform(frozen_default=True, eq_default=True)
class _Reason:
    """A frozen value with the fields its subclass annotates: built, compared, hashed and
    shown by field values, the code written once for every reason type.

    Not `@dataclass`: it compiles `__init__`, `__eq__`, `__hash__`, `__repr__` and
    the frozen `__setattr__` for each type at every start of the command, which
    made this module a tenth of the start-up of a run that reports a definition
    (10 ms). `dataclass_transform` gives type checkers each type's signature, as
    for a frozen dataclass; the fields, in order, are its `__match_args__`.
    """

    __match_args__: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        # The annotations as written (strings: `from __future__ import annotations`).
        annotations = inspect.get_annotations(cls)
        fields = tuple(
            name
            for name, annotation in annotations.items()
            if not str(annotation).startswith(("ClassVar", "typing.ClassVar"))
        )
        cls.__match_args__ = fields  # type: ignore[misc]  # mypy: __match_args__ is final

    def __init__(self, *values: object, **named: object) -> None:
        fields = self.__match_args__
        kind = type(self).__name__
        if len(values) > len(fields):
            raise TypeError(f"{kind}() takes {len(fields)} arguments but {len(values)} were given")
        given = dict(zip(fields, values))
        for name, value in named.items():
            if name not in fields or name in given:
                raise TypeError(f"{kind}() got an unexpected or repeated argument {name!r}")
            given[name] = value
        missing = [name for name in fields if name not in given]
        if missing:
            raise TypeError(f"{kind}() missing arguments: {', '.join(missing)}")
        for name in fields:
            object.__setattr__(self, name, given[name])

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

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


class BodyDiffers(_Reason):
    code: ClassVar[str] = "NBR101"
    qualified_name: str


class DefaultDiffers(_Reason):
    code: ClassVar[str] = "NBR102"
    parameter: str
    inline: str
    library: str


class SignatureCompatible(_Reason):
    code: ClassVar[str] = "NBR103"


class InBrokenCell(_Reason):
    code: ClassVar[str] = "NBR104"
    error: str
    body_broken: bool


class NeverCalled(_Reason):
    code: ClassVar[str] = "NBR105"


class CallsRenamed(_Reason):
    """A legacy name: imported under its new name, its calls renamed (said after the name)."""

    code: ClassVar[str] = "NBR106"
    qualified_name: str


class RenameInCellMagic(_Reason):
    """A legacy name imported under its old name: a call is in a cell-magic cell."""

    code: ClassVar[str] = "NBR107"
    qualified_name: str
    name: str
    cell: int
    magic: str | None


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


class TooManyPositional(_Reason):
    code: ClassVar[str] = "NBR201"
    count: int
    qualified_name: str
    most: int


class UnknownKeyword(_Reason):
    code: ClassVar[str] = "NBR202"
    keyword: str
    qualified_name: str


class PassedTwice(_Reason):
    code: ClassVar[str] = "NBR203"
    keyword: str


class MissingArgument(_Reason):
    code: ClassVar[str] = "NBR204"
    parameter: str
    qualified_name: str


class UseWithoutCall(_Reason):
    code: ClassVar[str] = "NBR205"
    cell: int
    name: str
    qualified_name: str


class UnpackedArguments(_Reason):
    code: ClassVar[str] = "NBR206"
    cell: int
    qualified_name: str


class UnreadableUse(_Reason):
    code: ClassVar[str] = "NBR207"
    cell: int
    line: int
    name: str
    error: str


class MentionedInUnparseableCell(_Reason):
    code: ClassVar[str] = "NBR208"
    cell: int
    name: str
    reason: str


class InCellMagic(_Reason):
    code: ClassVar[str] = "NBR209"
    magic: str | None


class NotPython(_Reason):
    code: ClassVar[str] = "NBR210"
    magic: str


class CannotReadCell(_Reason):
    code: ClassVar[str] = "NBR211"
    reason: str


class DefinitionNotRead(_Reason):
    code: ClassVar[str] = "NBR212"
    error: str


class ParametersDiffer(_Reason):
    """The inline parameters are not the library's: calls that bind mean something else."""

    code: ClassVar[str] = "NBR220"
    inline: tuple[str, ...]
    qualified_name: str
    library: tuple[str, ...]


class ForwardedKeyword(_Reason):
    """A call passes an inline parameter by keyword; the library hands it to its `**kwargs`."""

    code: ClassVar[str] = "NBR221"
    keyword: str
    qualified_name: str


class ReadsNotebookVariable(_Reason):
    """The body, a decorator or a default reads a variable the notebook binds."""

    code: ClassVar[str] = "NBR222"
    variable: str
    cell: int  # the first cell that binds it
    qualified_name: str


class WritesNotebookVariable(_Reason):
    """The body declares a notebook variable `global` and only assigns it."""

    code: ClassVar[str] = "NBR223"
    variable: str
    qualified_name: str


class KeptWithOther(_Reason):
    """Another definition of the same name is kept: a name's definitions go together."""

    code: ClassVar[str] = "NBR224"
    cell: int  # the cell of the definition kept for a reason of its own


class ImportRebound(_Reason):
    """Another binding of the name comes between the import's place and a use that ran the
    definition: that use would not reach the library function."""

    code: ClassVar[str] = "NBR230"
    name: str  # the name the import binds
    use_cell: int
    kind: str  # of the binding in between
    binding_cell: int
    import_cell: int
    qualified_name: str


class ImportCaptures(_Reason):
    """The import would come between another binding of the name and a use of that binding."""

    code: ClassVar[str] = "NBR231"
    name: str
    use_cell: int
    kind: str
    binding_cell: int
    import_cell: int


class KeptForImport(_Reason):
    """One import serves every replaced name, and it cannot serve `name`'s uses."""

    code: ClassVar[str] = "NBR232"
    name: str
    cell: int  # a definition of `name`, kept for a reason of its own


BindingProblem = TooManyPositional | UnknownKeyword | PassedTwice | MissingArgument


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
    | ImportRebound
    | ImportCaptures
    | KeptForImport
)
Reason = ReplacedReason | KeptReason | BindingProblem

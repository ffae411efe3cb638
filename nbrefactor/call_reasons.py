"""Why a call decides a definition's fate (`NBR201`-`NBR204`, `NBR270`, `NBR273`).

A call the library's signature rejects keeps the definition (`CallDoesNotBind`,
its code the problem's); so does a call the inline signature rejects and the
library's accepts, where a `try` around it caught the TypeError it raised
(`CallOnlyLibraryBinds`): it would run.
Apart from `reasons` so that each stays short; `reasons` re-exports them, where
the codes are listed.
"""

from __future__ import annotations

from typing import ClassVar

from nbrefactor.reason_base import ReasonBase


class TooManyPositional(ReasonBase):
    code: ClassVar[str] = "NBR201"
    count: int
    qualified_name: str
    most: int


class UnknownKeyword(ReasonBase):
    code: ClassVar[str] = "NBR202"
    keyword: str
    qualified_name: str


class PassedTwice(ReasonBase):
    code: ClassVar[str] = "NBR203"
    keyword: str


class MissingArgument(ReasonBase):
    code: ClassVar[str] = "NBR204"
    parameter: str
    qualified_name: str


BindingProblem = TooManyPositional | UnknownKeyword | PassedTwice | MissingArgument


class CallDoesNotBind(ReasonBase):
    """A call that could run the definition does not bind to the library's signature."""

    cell: int
    problem: BindingProblem

    @property
    def code(self) -> str:
        return self.problem.code


class CallOnlyLibraryBinds(ReasonBase):
    """A call that could run the definition does not bind to its own signature, and the
    TypeError it raised was caught around it; it binds to the library's, and would run."""

    code: ClassVar[str] = "NBR270"
    cell: int
    problem: BindingProblem  # against the inline signature, named "this definition"
    line: int  # of the `try` (or `with suppress(...)`) around the call, in its cell
    qualified_name: str


class CaughtWhereLibraryAccepts(ReasonBase):
    """A use that cannot be checked (`map(f, ...)`, `f(*args)`) inside a `try` that may catch
    a TypeError, where the library's signature accepts calls the copy's rejects: a call the
    copy refused, and the notebook caught, would run."""

    code: ClassVar[str] = "NBR273"
    cell: int
    name: str
    line: int  # of the `try` (or `with suppress(...)`) around the use, in its cell
    qualified_name: str

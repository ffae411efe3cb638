"""Why and how a definition was replaced (`NBR101`-`NBR120`): the details of a `replaced` line.

Apart from `reasons` so that each stays short; `reasons` re-exports them, where
the codes are listed.
"""

from __future__ import annotations

from typing import ClassVar

from nbrefactor.reason_base import ReasonBase


class BodyDiffers(ReasonBase):
    code: ClassVar[str] = "NBR101"
    qualified_name: str


class DefaultDiffers(ReasonBase):
    code: ClassVar[str] = "NBR102"
    parameter: str
    inline: str
    library: str | None  # None: the library's parameter has no default (round 73a F12)


class ParametersDropped(ReasonBase):
    """Parameters the inline copy has and the library's function has not, which no call
    passes (so their defaults were what the copy ran with): the library's body holds its
    own values instead, as a drifted body may (round 50b: sktime's `fetch_yahoo(ticker,
    begin="1998-01-01")` became a `fetch_yahoo(ticker)` that starts in 2000)."""

    code: ClassVar[str] = "NBR116"
    parameters: tuple[str, ...]  # `begin='1998-01-01'`, as written inline
    qualified_name: str


class ContextDiffers(ReasonBase):
    """The decorators that run the body in a context (`@torch.no_grad()`) are not the
    library's: what the body computes may differ, as a drifted body's may."""

    code: ClassVar[str] = "NBR111"
    inline: tuple[str, ...]
    library: tuple[str, ...]


class AnnotationsDiffer(ReasonBase):
    """The annotations are not the library's: data the function carries, which
    `functools.singledispatch` or `typing.get_type_hints` reads."""

    code: ClassVar[str] = "NBR112"
    qualified_name: str


class ResultShown(ReasonBase):
    """The definition ended its cell after an expression, which IPython displays once the
    definitions after it are gone (`rules.cell_result`)."""

    code: ClassVar[str] = "NBR113"
    cell: int
    expression: str  # its first line


class FoundByLibrary(ReasonBase):
    """The copy reads a name the notebook binds nowhere (a forgotten `import numpy as np`):
    calling it raised NameError, and the library's function finds its module's."""

    code: ClassVar[str] = "NBR115"
    name: str
    library: str  # what the library's function reads for it
    qualified_name: str


class ImportsRelatively(ReasonBase):
    """The copy's body imports relatively (`from .util import K`), which raises ImportError
    in a notebook (its module is no package's), where the library's function, in its
    package, imports it (round 55b: `f(2)` raised ImportError, and printed 20 once
    replaced)."""

    code: ClassVar[str] = "NBR117"
    line: str  # the import, as `ast.unparse` writes it
    qualified_name: str


class LocalsListed(ReasonBase):
    """The library's function has parameters the copy lacks, which no call passes, and its
    body lists its locals by no name (`locals()`): there they show, though no line names
    them (round 57b: the same body's `config = dict(locals())` printed another dict)."""

    code: ClassVar[str] = "NBR118"
    parameters: tuple[str, ...]  # the library's, by name
    listing: str  # `locals()`, as `lists_locals` says it
    qualified_name: str


class SignatureCompatible(ReasonBase):
    code: ClassVar[str] = "NBR103"


class InBrokenCell(ReasonBase):
    code: ClassVar[str] = "NBR104"
    error: str
    body_broken: bool
    # The cell parses once the definitions whose own bodies break it are gone: it runs now,
    # where it raised SyntaxError (round 73a F11).
    cell_fixed: bool = False


class CallsRenamed(ReasonBase):
    """A legacy name: imported under its new name, its calls renamed (said after the name)."""

    code: ClassVar[str] = "NBR106"
    qualified_name: str


class RenameInCellMagic(ReasonBase):
    """A legacy name imported under its old name: a call is in a cell-magic cell."""

    code: ClassVar[str] = "NBR107"
    qualified_name: str
    name: str
    cell: int
    magic: str | None


class RenameCaptured(ReasonBase):
    """A legacy name imported under its old name: another binding would capture renamed calls."""

    code: ClassVar[str] = "NBR108"
    qualified_name: str
    name: str
    current: str
    cell: int
    kind: str


class RenameBeforeDefinition(ReasonBase):
    """A legacy name imported under its old name: `del old` may run before any of its
    definitions (it found nothing), where a renamed one would delete the import (round
    58a: `del old` became `del new`, and the last cell raised NameError)."""

    code: ClassVar[str] = "NBR119"
    qualified_name: str
    name: str
    cell: int


class RenameListed(ReasonBase):
    """A legacy name imported under its old name: a cell lists the notebook's names (`%who`,
    `dir()`), which would show the new name where the old one was (round 58a)."""

    code: ClassVar[str] = "NBR120"
    qualified_name: str
    name: str
    cell: int
    listing: str  # `%who`, as written


class RenameInString(ReasonBase):
    """A legacy name imported under its old name: a string names it (`eval('old(2)')`, an
    f-string's `=` text), which renaming the calls would leave naming an unbound name."""

    code: ClassVar[str] = "NBR110"
    qualified_name: str
    name: str
    cell: int


class RenameInMagic(ReasonBase):
    """A legacy name imported under its old name: a line magic's argument names it
    (`t = %timeit -o old(2)`), which renaming the calls would leave naming an unbound name."""

    code: ClassVar[str] = "NBR114"
    qualified_name: str
    name: str
    cell: int
    magic: str


class UnusedUnderOldName(ReasonBase):
    """A legacy name nothing in the notebook uses: imported under it all the same, so that
    the name stays bound (`%run notebook.ipynb`, `eval`, `globals()` may use it)."""

    code: ClassVar[str] = "NBR109"
    qualified_name: str
    name: str

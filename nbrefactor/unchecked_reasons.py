"""Why a use of the function cannot be checked (`NBR205`, `NBR206`, `NBR215`, `NBR245`,
`NBR247`, `NBR248`, `NBR249`, `NBR250`).

A use without a call, a call with `*args`/`**kwargs`, or code that runs the
function by name (a string, a line magic's argument, a script run in the
notebook's namespace): a definition is kept for one unless the signatures agree
(`call_binding`). Apart from `reasons` so that each stays short; `reasons`
re-exports them, where the codes are listed.
"""

from __future__ import annotations

from typing import ClassVar

from nbrefactor.reason_base import ReasonBase


class UseWithoutCall(ReasonBase):
    code: ClassVar[str] = "NBR205"
    cell: int
    name: str
    qualified_name: str


class HandedToParameterReader(ReasonBase):
    """The function is handed to a call that reads its parameters (`curve_fit(model, x, y)`
    counts them, `interact(f, ...)` makes a widget for each), and the library's are not the
    inline ones, though every call would bind."""

    code: ClassVar[str] = "NBR250"
    cell: int
    name: str
    reader: str  # the call's name: `curve_fit`
    qualified_name: str
    inline: str  # the inline parameters, as a `def` writes them
    library: str  # the library's
    # Not handed to it: the function is used as a value (`m = model`, `fit(model)`, `for fn
    # in [model]`) in a notebook that names the reader, which it may reach that way; `reader`
    # is then the reader the notebook names.
    as_value: bool = False
    # The parameters are the same, their annotations are not, and the reader takes limits
    # from them (iminuit's `LeastSquares`, `Minuit`).
    annotations: bool = False


class UnpackedArguments(ReasonBase):
    code: ClassVar[str] = "NBR206"
    cell: int
    qualified_name: str


class NamedInCode(ReasonBase):
    """A string names the function: code run by name (`eval("f(2, show=True)")`,
    `globals()["f"](...)`), a use whose arguments cannot be read."""

    code: ClassVar[str] = "NBR215"
    cell: int
    name: str
    qualified_name: str


class NamedInMagic(ReasonBase):
    """A line magic's argument names the function (`t = %timeit -o f(2, show=True)`,
    `%lprun -f f f(2)`): code IPython hands to the magic, a use whose arguments cannot
    be read."""

    code: ClassVar[str] = "NBR245"
    cell: int
    line: int
    name: str
    magic: str
    qualified_name: str


class NamedInCellMagic(ReasonBase):
    """The text of a cell whose cell magic is not known to leave Python alone names the
    function (HoloViews' `%%opts` runs the rest of its cell as Python, rpy2's `%%R -i f`
    hands `f` to R): a use whose arguments cannot be read."""

    code: ClassVar[str] = "NBR249"
    cell: int
    line: int
    name: str
    magic: str
    qualified_name: str


class NamedInFormula(ReasonBase):
    """A formula string calls the function (`"y ~ f(x)"`): patsy, which statsmodels'
    formulas use, runs it in the notebook's namespace, with arguments not read here."""

    code: ClassVar[str] = "NBR255"
    cell: int
    name: str
    qualified_name: str


class NamedInPandasExpression(ReasonBase):
    """A string calls the function as pandas' expressions call a variable (`"a > @f(1)"`):
    `DataFrame.query` and `eval` run it in the caller's namespace, with arguments not read
    here (round 54a: `df.query('a > @f(1, 5)')` then called the library's `f`, which takes
    one argument)."""

    code: ClassVar[str] = "NBR265"
    cell: int
    name: str
    qualified_name: str


class ReachedThroughNamespace(ReasonBase):
    """The notebook reaches its functions through its namespace without naming them (`for
    k, v in globals().items(): v(1, 2)`): any of them may be called there, with arguments
    that cannot be read."""

    code: ClassVar[str] = "NBR256"
    cell: int
    line: str
    qualified_name: str


class NamedForCodeByValue(ReasonBase):
    """A string reads as a call of the function, or as its name alone, and the notebook
    runs code or looks a name up by a value not written in place (`eval(expr)`,
    `globals()[name]`): the string may be run, with arguments that cannot be read."""

    code: ClassVar[str] = "NBR247"
    cell: int
    name: str
    runner_cell: int
    runner: str  # the runner's line
    qualified_name: str


class NamedInScript(ReasonBase):
    """A script the notebook runs in its own namespace (`%run -i report.py`,
    `exec(open("report.py").read())`) names the function: its calls call the notebook's."""

    code: ClassVar[str] = "NBR248"
    cell: int
    line: str
    script: str
    name: str
    qualified_name: str


class RunByNotebook(ReasonBase):
    """Another notebook beside this one runs it (`%run common.ipynb`) and names the
    function: its cells call the function this notebook defines, with arguments read from
    no cell of this one (round 59b: `c.ipynb` ran `a.ipynb`, then called `f(1, 3)`)."""

    code: ClassVar[str] = "NBR267"
    runner: str  # the other notebook's file name
    cell: int  # its cell running this one
    line: str
    name: str
    qualified_name: str

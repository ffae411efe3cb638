"""Calls that read the parameters of a function handed to them, and how a notebook names them.

A copy handed to one (`curve_fit(model, x, y)`) is kept unless its parameters,
and for some its defaults and annotations, are the library's: the call reads
them (`rules.call_binding`; `extract` lists such copies as migrate keeps them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

# Calls that read the parameters of a function handed to them, common in notebooks: SciPy's
# `curve_fit` and lmfit's `Model` fit one coefficient per parameter after the first;
# ipywidgets' `interact` (and kin) shows a widget for each; `inspect`'s own; python-fire's
# `Fire` makes a flag of each; OpenMDAO's function components (`ExplicitFuncComp`,
# `ImplicitFuncComp`, `func_api.wrap`) make an input of each, its default the input's
# value (sweep 31: `scale` became an input); iminuit's `Minuit` and cost functions fit
# one parameter for
# each, within the limits their annotations give (`ANNOTATION_READERS`; `Use.handed_to`,
# `call_binding`); `typing.get_type_hints` and `inspect.get_annotations` give the
# annotations themselves (sweep 29: `{}` became the library's).
ANNOTATION_READERS = frozenset(
    {"Minuit", "LeastSquares", "UnbinnedNLL", "ExtendedUnbinnedNLL", "BinnedNLL"}
    | {"ExtendedBinnedNLL", "describe", "get_type_hints", "get_annotations"}
)
PARAMETER_READERS = (
    frozenset(
        {"curve_fit", "Model", "interact", "interactive", "interact_manual"}
        | {"signature", "getfullargspec", "getargspec", "getcallargs", "from_callable", "Fire"}
        | {"ExplicitFuncComp", "ImplicitFuncComp", "wrap"}
    )
    | ANNOTATION_READERS
)


# The readers that take the default values themselves: lmfit's `Model` as each parameter's
# starting value, ipywidgets' as each widget's, python-fire's as each flag's, OpenMDAO's
# as each input's (sweep 31: 3.0 became 4.0), `inspect`'s in what they give; a copy
# handed to one needs the library's defaults, not only its parameters.
DEFAULT_READERS = frozenset(
    {"Model", "interact", "interactive", "interact_manual", "Fire", "signature"}
    | {"getfullargspec", "getargspec", "getcallargs", "from_callable"}
    | {"ExplicitFuncComp", "ImplicitFuncComp", "wrap"}
)


# The function's own attributes that give its parameters (`model.__code__.co_argcount - 1`,
# a curve-fitting idiom; `list(model.__defaults__)`) or its annotations: reading one is
# reading its parameters (`Use.handed_to` is ".__code__"; sweep 28: 2 fitted became 3).
SIGNATURE_ATTRIBUTES = frozenset(
    {"__code__", "__defaults__", "__kwdefaults__", "__signature__", "__annotations__"}
)


def parameter_readers(sources: Iterable[str]) -> dict[str, str]:
    """Each name a call reading a function's parameters goes by in the notebook (`sources`:
    its cells' text), to how a report shows it: the `PARAMETER_READERS` themselves, and the
    names the notebook imports one under or assigns it to (`cf (curve_fit)` for `from
    scipy.optimize import curve_fit as cf` or `cf = curve_fit`). migrate's check of a use
    handed to a call and extract's list of the definitions migrate keeps both read it."""
    texts = list(sources)
    shown = {reader: reader for reader in PARAMETER_READERS}
    # `wrap` is OpenMDAO's only in a notebook naming it: `textwrap.wrap(f)` reads nothing
    # (re-check 31: a drifted copy was kept).
    if not any("openmdao" in text for text in texts):
        del shown["wrap"]
    # A function's own attributes giving its parameters, read of a function the value may
    # reach (`nparams(fn)` reading `fn.__code__`; re-check 28): shown as the attribute.
    shown.update({attribute: f".{attribute}" for attribute in SIGNATURE_ATTRIBUTES})
    for alias, reader in _reader_aliases(texts).items():
        shown.setdefault(alias, f"{alias} ({reader})")
    return shown


def reads_annotations(shown: str) -> bool:
    """Whether the reader a report shows so (`parameter_readers`: `LeastSquares`, `lsq
    (LeastSquares)`) reads the annotations of the function's parameters too."""
    return _reader_shown(shown) in ANNOTATION_READERS or shown == ".__annotations__"


def reads_defaults(shown: str) -> bool:
    """Whether the reader a report shows so takes the default values themselves
    (`DEFAULT_READERS`, `.__defaults__`, `.__kwdefaults__`)."""
    return _reader_shown(shown) in DEFAULT_READERS or shown in (".__defaults__", ".__kwdefaults__")


def _reader_shown(shown: str) -> str:
    """The `PARAMETER_READERS` call a report's text names: `curve_fit` of `cf (curve_fit)`."""
    return shown.rpartition(" (")[2].rstrip(")")


# The readers whose name is a common word (`class Model`, `df.describe()`): named only when
# the notebook names their package too.
_READER_PACKAGES = {
    "Model": "lmfit",
    "signature": "inspect",
    "describe": "iminuit",
    "interact": "ipywidgets",
    "interactive": "ipywidgets",
    "Fire": "fire",
    "wrap": "openmdao",
}


def reader_named(sources: Iterable[str], readers: dict[str, str]) -> str | None:
    """How a report shows the first of `readers` (`parameter_readers`) that the notebook's
    code cells (`sources`) name as a word, strings and comments included (a name taken for
    a reader only keeps a definition), a common word only with its package (`Model` with
    `lmfit`); None when they name none."""
    texts = list(sources)
    for source in texts:
        for name in sorted(name for name in readers if name in source):
            package = _READER_PACKAGES.get(_reader_shown(readers[name]))
            if package is not None and not any(package in text for text in texts):
                continue
            if re.search(rf"(?<!\w){re.escape(name)}\b", source) is not None:
                return readers[name]
    return None


def _reader_aliases(sources: Iterable[str]) -> dict[str, str]:
    """The names the notebook imports a `PARAMETER_READERS` call under, or assigns it to,
    to the call: `{"cf": "curve_fit"}` for `from scipy.optimize import curve_fit as cf` or
    `cf = curve_fit` (read in the text, strings and comments included: a name taken for a
    reader only keeps a definition)."""
    found: dict[str, str] = {}
    for source in sources:
        if any(reader in source for reader in PARAMETER_READERS):
            for match in _reader_alias().finditer(source):
                found.setdefault(match.group(2), match.group(1))
            for match in _name_assigned().finditer(source):  # `cf = curve_fit`
                reader = match.group(2).rpartition(".")[2]
                if reader in PARAMETER_READERS:
                    found.setdefault(match.group(1), reader)
    return found


@cache
def _reader_alias() -> re.Pattern[str]:
    """`curve_fit as cf`; compiled when first needed, not at every run's start."""
    readers = "|".join(sorted(PARAMETER_READERS))
    return re.compile(rf"\b({readers})[ \t]+as[ \t]+([A-Za-z_]\w*)")


@cache
def _name_assigned() -> re.Pattern[str]:
    """A line assigning a name a dotted name alone (`cf = curve_fit`, `fit = so.curve_fit`)."""
    return re.compile(
        r"^[ \t]*([A-Za-z_]\w*)[ \t]*=[ \t]*([A-Za-z_][\w.]*)[ \t]*(?:#[^\n]*)?$", re.MULTILINE
    )

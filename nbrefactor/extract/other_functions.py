"""Whether a helper's variants are one function or several of one name.

`migrate` replaces a copy whose body drifted from the library's: the library
is someone's chosen version. The module `extract` writes holds one variant
that extract picked, and on real collections the other variants were mostly
other functions of a common name (rounds 49c and 50b: sbi's `simulator`s,
holoviews' `format_list`, dynesty's `prior_transform`s; migrated, notebooks
computed something else or failed). So a variant migrate would replace by the
chosen one must compute what the chosen one does for every call it accepts:
the same defaults for the parameters both have, and the same body once each
parameter only one of them has is read as its default (`smooth(values,
window=5, mode="valid")`, the copies without `mode` having "valid" written
in). Otherwise the helper is not extracted unless `--from` chose the variant:
then the user said which one stands for the others. Variants that cannot move
themselves (a body that does not parse, an `@overload` stub) are not compared:
migrate reads or keeps them otherwise; one holding IPython syntax (`!echo {msg}`,
`%time`) is another function: migrate replaces it (round 73b F3: `good bye` became
`GOOD BYE`).
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Collection, Mapping

from nbrefactor.analysis.constants import immutable_literal
from nbrefactor.analysis.definition_key import definition_key
from nbrefactor.analysis.library_function import STARRED_KINDS, parameters_of
from nbrefactor.analysis.namespace_reads import lists_locals
from nbrefactor.extract.gather import IPYTHON_IN_BODY, Definition
from nbrefactor.extract.needs import Needs
from nbrefactor.extract.variants import Choice, Helper


def other_functions(
    helper: Helper, choice: Choice, chosen_places: Collection[tuple[str, int]]
) -> str | None:
    """Why the helper is not extracted: another variant, which migrate would replace by the
    chosen one, computes otherwise; None when none does, or `--from` chose the variant."""
    chosen = choice.variant
    if chosen is None or any(
        (str(definition.path.resolve()), definition.cell) in chosen_places
        for definition in chosen.definitions
    ):
        return None
    kept = {(place.path, place.cell) for place in choice.kept}
    unbound = {call.path for call in choice.unbound_calls}  # migrate keeps those notebooks'
    # A variant's places share one text (`Definition.key`): compared once, by its first.
    differing = [
        (variant.first.place, what)
        for variant in helper.variants
        if not choice.is_chosen(variant)
        # one that cannot move is not compared, but for IPython syntax (see above)
        and variant.first.problem in (None, IPYTHON_IN_BODY)
        and any(
            (definition.path, definition.cell) not in kept and definition.path not in unbound
            for definition in variant.definitions
        )
        and (what := _differs(chosen.first, variant.first)) is not None
    ]
    if not differing:
        return None
    whats = {what for _, what in differing}
    if len(differing) == 1:
        said = f"{differing[0][0]} differs from {chosen.first.place} in {differing[0][1]}"
    elif len(whats) == 1:
        places = ", ".join(place for place, _ in differing)
        said = f"{places} differ from {chosen.first.place} in {whats.pop()}"
    else:
        places = ", ".join(f"{place} ({what})" for place, what in differing)
        said = f"{places} differ from {chosen.first.place}"
    return (
        f"its variants may be other functions of that name ({said}); --from PATH:CELL chooses"
        " the one that migrate would put in place of the others"
    )


def brings_differing(helper: str, needs: Needs, differing: Mapping[str, str]) -> str | None:
    """Why a helper bringing along a public one whose variants may be other functions is not
    extracted: in the module, migrate would put the variant brought in place of the others
    (round 52d: `show` brought `fmt`, skipped for its variants, and b.ipynb's `[ab]` became
    `[AB]`). A private one is not replaced by migrate: its copies stay."""
    for definition in needs.definitions:
        name = definition.name
        if name != helper and name in differing and not name.startswith("_"):
            return f"needs {name}: {differing[name]}"
    return None


def _differs(chosen: Definition, other: Definition) -> str | None:
    """`difference`, or the IPython syntax of `other`'s body: it shells out, times, or runs
    a magic where `chosen` does not."""
    return _IPYTHON if other.problem == IPYTHON_IN_BODY else difference(chosen, other)


def difference(chosen: Definition, other: Definition) -> str | None:
    """What makes `other` perhaps another function than `chosen`, in the words of the skip:
    "the default of k" when only the defaults of parameters both have differ (round 51a:
    `scale(x, k=2)` and `scale(x, k=3)` are two functions), "more than defaults" otherwise;
    None when it computes what `chosen` does for every call both accept: the parameters
    both have have the same defaults, and their bodies are the same, docstrings aside, once
    each parameter only one of them has is read as its default, an immutable constant that
    the body never rebinds. Compared as syntax: a rewrite that does the same (renamed
    locals, `f"{x}"` for `str(x)`) is another body."""
    ours, theirs = chosen.node, other.node
    if not isinstance(ours, ast.FunctionDef) or not isinstance(theirs, ast.FunctionDef):
        return _MORE
    our_parameters, their_parameters = _defaults(ours), _defaults(theirs)
    if our_parameters is None or their_parameters is None:
        return _MORE
    only_ours = {name: our_parameters[name] for name in our_parameters.keys() - their_parameters}
    only_theirs = {
        name: their_parameters[name] for name in their_parameters.keys() - our_parameters
    }
    our_body, their_body = (
        _read_as_defaults(ours, only_ours),
        _read_as_defaults(theirs, only_theirs),
    )
    if our_body is None or our_body != their_body:
        return _MORE
    shared = sorted(
        name
        for name in our_parameters.keys() & their_parameters.keys()
        if our_parameters[name] != their_parameters[name]
    )
    if shared:
        return f"the default{'s' if len(shared) > 1 else ''} of {', '.join(shared)}"
    return None


_MORE = "more than defaults"
_IPYTHON = "IPython syntax"


def _defaults(node: ast.FunctionDef) -> dict[str, str | None] | None:
    """Each parameter's default as normalised source (`parameters_of`; None: none); None for
    `*args` or `**kwargs`, whose calls are not compared so."""
    parameters = parameters_of(node.args)
    if any(parameter.kind in STARRED_KINDS for parameter in parameters):
        return None
    return {parameter.name: parameter.default for parameter in parameters}


def _read_as_defaults(node: ast.FunctionDef, defaults: Mapping[str, str | None]) -> str | None:
    """The body's key (`definition_key`) with each parameter of `defaults` read as its
    default; None when one has no default, or one that is not an immutable constant (a list
    default is one list for every call), or the body binds its name or lists its locals
    (`locals()`, round 57b)."""
    values = {
        name: ast.parse(text, mode="eval").body
        for name, text in defaults.items()
        if text is not None
    }
    if len(values) < len(defaults) or not all(map(immutable_literal, values.values())):
        return None
    bare = copy.deepcopy(node)
    if _bound_in(bare.body) & defaults.keys():
        return None
    if defaults and lists_locals(bare.body) is not None:
        return None  # `dict(locals())` holds the parameter, whatever its value
    bare.body = [_Substituted(values).visit(statement) for statement in bare.body]
    bare.args = ast.arguments(
        posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]
    )
    bare.decorator_list, bare.returns, bare.name = [], None, "_"
    return definition_key(bare)


# What binds the name it holds in `.name` (None for `except E:`, a `case _` wildcard).
_NAMED = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.ExceptHandler,
    ast.MatchAs,
    ast.MatchStar,
)


def _bound_in(body: list[ast.stmt]) -> set[str]:
    """Every name the statements bind or declare, at any depth: assigned, deleted, a
    parameter, an `except ... as`, a `def` or `class`, an import, a `match` capture, a
    `global` or `nonlocal` (round 51a: `except ValueError as bad` rebound a parameter).
    In every scope, unlike `scopes.locally_bound`: a nested function's or comprehension's
    own `n` is not the parameter `n`, and reading it as the default would be wrong too."""
    found: set[str] = set()
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                found.add(node.id)
            elif isinstance(node, ast.arg):
                found.add(node.arg)
            elif isinstance(node, _NAMED) and node.name:
                found.add(node.name)
            elif isinstance(node, ast.alias):
                found.add(node.asname or node.name.partition(".")[0])
            elif isinstance(node, ast.MatchMapping) and node.rest:
                found.add(node.rest)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                found.update(node.names)
    return found


class _Substituted(ast.NodeTransformer):
    """Each read of a parameter of `defaults` as its default."""

    def __init__(self, defaults: Mapping[str, ast.expr]) -> None:
        self.defaults = defaults

    def visit_Name(self, node: ast.Name) -> ast.expr:
        default = self.defaults.get(node.id)
        if default is None or not isinstance(node.ctx, ast.Load):
            return node
        return copy.deepcopy(default)

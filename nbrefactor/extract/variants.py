"""Helpers (functions defined in several places) grouped into variants, and the variant to extract.

Definitions of one name are grouped by body, formatting, comments and
docstrings aside (`gather.Definition.key`). The variant extracted is the
one whose signature accepts every call of the name in the notebooks that
define it (elsewhere the name is another function, or nothing), as
`migrate`'s call-binding rule decides (so that `migrate` then replaces the
definitions it came from), then one that reads no notebook variable (which
could not move), then the one defined in the most places, then
the first in path order; `--from PATH:CELL` overrides all of these.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from nbrefactor import messages, reasons
from nbrefactor.analysis.catalog import LibraryFunction, parameters_of
from nbrefactor.analysis.import_targets import import_targets
from nbrefactor.analysis.library_function import annotations_of
from nbrefactor.analysis.namespace_reads import (
    module_attribute,
    namespace_read,
    reads_other_namespace,
)
from nbrefactor.analysis.scopes import is_generator
from nbrefactor.extract.gather import Definition, NotebookReading
from nbrefactor.extract.scopes import ModuleBinding, notebook_variables_read
from nbrefactor.rules.call_binding import handed_problem
from nbrefactor.rules.decorators import decorators_problem, imported_as
from nbrefactor.rules.definition_time import decorator_run_for_effect, drifted_default_problem
from nbrefactor.rules.same_function import generator_problem, parameters_problem
from nbrefactor.rules.signatures import binding_problem


@dataclass(frozen=True)
class Variant:
    definitions: tuple[Definition, ...]  # its places, in path order

    @property
    def first(self) -> Definition:
        return self.definitions[0]


@dataclass(frozen=True)
class Helper:
    """A top-level function name and its variants, in the order they first appear."""

    name: str
    variants: tuple[Variant, ...]

    @property
    def definitions(self) -> list[Definition]:
        return [definition for variant in self.variants for definition in variant.definitions]

    @property
    def notebooks(self) -> int:
        return len({definition.path for definition in self.definitions})


@dataclass(frozen=True)
class UnboundCall:
    path: Path
    cell: int
    problem: str


@dataclass(frozen=True)
class KeptDefinition:
    """A place of another variant that `migrate` keeps whatever its calls: its parameters are
    not the chosen one's (the same-function rule 1; or it is a generator and the chosen one
    is not, or the other way round), or its notebook hands it to a call that
    reads them while they differ (`NBR250`); or a place whose text reads a notebook variable
    (`NBR222`)."""

    path: Path
    cell: int
    problem: str


@dataclass(frozen=True)
class Choice:
    variant: Variant | None  # None: no variant can be moved
    why: str | None  # which rule chose it, when there was a choice
    unbound_calls: tuple[UnboundCall, ...] = ()  # calls the chosen signature does not accept
    kept: tuple[KeptDefinition, ...] = ()  # other variants' places migrate will keep

    def is_chosen(self, variant: Variant) -> bool:
        """Whether `variant` is the chosen one (whose places may come in another order)."""
        if self.variant is None:
            return False
        return {id(d) for d in variant.definitions} == {id(d) for d in self.variant.definitions}


def find_helpers(
    readings: Sequence[NotebookReading],
    names: Collection[str] = (),
    chosen_places: Collection[tuple[str, int]] = (),
) -> list[Helper]:
    """Functions defined in two or more places, and every function in `names` defined at all,
    or defined at a `--from` place (`chosen_places`, (real path, cell)): chosen, one
    definition is enough, as with `--name` (sweep 27: it was ignored, with exit 0)."""
    by_name: dict[str, dict[str, list[Definition]]] = {}
    chosen: set[str] = set()
    for reading in readings:
        for definition in reading.definitions:
            if definition.is_function:
                by_name.setdefault(definition.name, {}).setdefault(definition.key, []).append(
                    definition
                )
                if chosen_places and (str(definition.path.resolve()), definition.cell) in (
                    chosen_places
                ):
                    chosen.add(definition.name)
    helpers = []
    for name, groups in by_name.items():
        variants = tuple(Variant(tuple(group)) for group in groups.values())
        defined = sum(len(variant.definitions) for variant in variants)
        if defined >= 2 or name in names or name in chosen:
            helpers.append(Helper(name, variants))
    return helpers


def choose_variant(
    helper: Helper,
    readings: Sequence[NotebookReading],
    module: str,
    chosen_places: Collection[tuple[str, int]] = (),
) -> Choice:
    """The variant to extract (see the module docstring), and the calls it does not accept.

    `chosen_places` holds `--from` places as (real path, cell).
    """
    candidates = [variant for variant in helper.variants if variant.first.problem is None]
    if not candidates:
        return Choice(None, None)
    order = {id(variant): index for index, variant in enumerate(helper.variants)}
    unbound = {
        id(variant): _unbound_calls(helper.name, variant, readings, module)
        for variant in candidates
    }
    picked = [
        variant
        for variant in candidates
        if any((str(d.path.resolve()), d.cell) in chosen_places for d in variant.definitions)
    ]
    why: str | None = "as --from asks"
    if picked:
        # The place asked for gives the text (its comments and layout), not the variant's first.
        at_place = [
            d for d in picked[0].definitions if (str(d.path.resolve()), d.cell) in chosen_places
        ]
        others = [d for d in picked[0].definitions if d is not at_place[0]]
        chosen = Variant((at_place[0], *others))
        unbound[id(chosen)] = unbound[id(picked[0])]
    else:
        # A variant reading a notebook variable cannot move: another can (sweep 26, nengo's
        # test_doubleintegrator: the first in path order read `pr_press`, and none moved).
        by_path = {reading.path: reading for reading in readings}
        stays = {
            id(v): bool(notebook_variables_read(v.first.source, by_path[v.first.path].bindings))
            for v in candidates
        }
        ranked = sorted(
            candidates,
            key=lambda v: (bool(unbound[id(v)]), stays[id(v)], -len(v.definitions), order[id(v)]),
        )
        chosen, why = ranked[0], _why(ranked, unbound, stays)
    kept = _kept_by_migrate(helper, chosen, module, readings)
    return Choice(chosen, why, unbound[id(chosen)], kept)


def _kept_by_migrate(
    helper: Helper, chosen: Variant, module: str, readings: Sequence[NotebookReading]
) -> tuple[KeptDefinition, ...]:
    """The places of the other variants whose parameters or decorators are not the chosen
    one's (rule 1), that read the notebook's namespace by no name (`globals()`, `NBR234`),
    or that their notebook hands to a call reading them (`curve_fit(model, x, y)`) while they
    are not the same (`NBR250`), or whose default of other text is computed by a call
    (`NBR237`); and the places, but the chosen one, whose text reads a
    variable their notebook binds (`NBR222`): the module's function cannot see it (sweep 29:
    22 `save_fig` copies reading `IMAGES_PATH` went unlisted)."""
    function = _as_library_function(helper.name, chosen, module)
    chosen_places = {id(definition) for definition in chosen.definitions}
    handed = {reading.path: reading.handed.get(helper.name, []) for reading in readings}
    bindings = {reading.path: reading.bindings for reading in readings}
    # A chosen text reading one itself is not extracted at all (`Decision.problem`).
    chosen_reads = notebook_variables_read(chosen.first.source, bindings[chosen.first.path])
    found = []
    for definition in helper.definitions:
        node = definition.node
        if definition is chosen.first or not isinstance(node, ast.FunctionDef):
            continue
        problem: reasons.KeptReason | None = None
        if id(definition) not in chosen_places:
            problem = parameters_problem(parameters_of(node.args), function)
            problem = problem or generator_problem(node.body, definition.source, function)
            problem = problem or drifted_default_problem(node, function)
            # Re-check 30: a copy with other decorators, or reading the notebook's namespace
            # (`globals()`), was said to be replaced; migrate keeps it.
            # Re-check 33: `@memo(maxsize=None)` after `from functools import lru_cache as
            # memo` is not known only to wrap: migrate keeps such a copy (`DecoratorRuns`).
            # (Decorators as the chosen copy's are its question as much as this one's.)
            decorators = tuple(ast.unparse(decorator) for decorator in node.decorator_list)
            decorator = (
                None if decorators == function.decorators else decorator_run_for_effect(node)
            )
            if problem is None and decorator is not None:
                problem = reasons.DecoratorRuns(decorator, function.qualified_name)
            problem = problem or _decorators_problem(
                definition,
                function,
                chosen.first,
                bindings[definition.path],
                bindings[chosen.first.path],
            )
            through = namespace_read(definition.source)
            if problem is None and through is not None:
                problem = reasons.ReadsNamespace(
                    through,
                    function.qualified_name,
                    reads_other_namespace(through),
                    module_attribute(through),
                )
            for cell, reader, as_value in handed.get(definition.path, []):
                problem = problem or handed_problem(
                    cell, helper.name, reader, node, function, as_value
                )
        if problem is None and not chosen_reads:
            read = notebook_variables_read(definition.source, bindings[definition.path])
            if read:
                variable, cell = read[0]
                problem = reasons.ReadsNotebookVariable(variable, cell, function.qualified_name)
        if problem is not None:
            found.append(
                KeptDefinition(definition.path, definition.cell, messages.describe(problem))
            )
    return tuple(found)


def _decorators_problem(
    definition: Definition,
    function: LibraryFunction,
    chosen: Definition,
    bindings: Mapping[str, list[ModuleBinding]],
    chosen_bindings: Mapping[str, list[ModuleBinding]],
) -> reasons.DecoratorsDiffer | None:
    """`decorators_problem` of a definition against the chosen one, but for decorators that
    are the same once each is read through its notebook's imports (`@lru_cache` after `from
    functools import lru_cache` is `@functools.lru_cache`), as migrate reads them: it
    replaced a copy extract said it keeps (re-check 31); and `@mylib.cache` is not
    `@functools.cache` (re-check 32)."""
    node, chosen_node = definition.node, chosen.node
    assert isinstance(node, ast.FunctionDef) and isinstance(chosen_node, ast.FunctionDef)
    problem = decorators_problem(node, function)
    if problem is None:
        return None
    ours = _imported_as(node, definition.cell, bindings)
    if ours is not None and ours == _imported_as(chosen_node, chosen.cell, chosen_bindings):
        return None
    return problem


def _imported_as(
    node: ast.FunctionDef, cell: int, bindings: Mapping[str, list[ModuleBinding]]
) -> list[str] | None:
    """The decorators, each spelled from what the import binding its first name binds it to
    (`decorators.imported_as`), the last such import at or above the definition's cell; None
    when one starts with a name no import binds there."""

    def target(name: str) -> str | None:
        imports = [
            binding.statement
            for binding in bindings.get(name, [])
            if binding.cell <= cell and isinstance(binding.statement, (ast.Import, ast.ImportFrom))
        ]
        return import_targets(imports[-1]).get(name) if imports else None

    found = [imported_as(ast.unparse(decorator), target) for decorator in node.decorator_list]
    return None if None in found else [text for text in found if text is not None]


def _as_library_function(name: str, variant: Variant, module: str) -> LibraryFunction:
    """The variant as the module will hold it, for the rules `migrate` applies to the others."""
    node = variant.first.node
    assert isinstance(node, ast.FunctionDef)
    return LibraryFunction(
        f"{module}.{name}",
        parameters_of(node.args),
        (),
        decorators=tuple(ast.unparse(decorator) for decorator in node.decorator_list),
        annotations=annotations_of(node),
        generator=is_generator(node.body),
    )


def _why(
    ranked: Sequence[Variant],
    unbound: dict[int, tuple[UnboundCall, ...]],
    stays: dict[int, bool],
) -> str | None:
    if len(ranked) == 1:
        return None
    chosen, runner_up = ranked[0], ranked[1]
    if not unbound[id(chosen)] and unbound[id(runner_up)]:
        return "it accepts every call"
    if not stays[id(chosen)] and stays[id(runner_up)]:
        return "it reads no notebook variable"
    why = "first in path order"
    if len(chosen.definitions) > len(runner_up.definitions):
        why = "defined in the most places"
    among = []
    if not unbound[id(chosen)] and any(unbound[id(variant)] for variant in ranked):
        # Another variant, perhaps first in path order, rejects a call (sweep 26, statsmodels).
        among.append("accepting every call")
    if not stays[id(chosen)] and any(stays[id(variant)] for variant in ranked):
        # Another variant, perhaps first in path order, reads a notebook variable (sweep 29).
        among.append("reading no notebook variable")
    return f"{why} of those {' and '.join(among)}" if among else why


def _unbound_calls(
    name: str, variant: Variant, readings: Sequence[NotebookReading], module: str
) -> tuple[UnboundCall, ...]:
    function = _as_library_function(name, variant, module)
    found = []
    for reading in readings:
        if not any(d.name == name and d.is_function for d in reading.definitions):
            # The name is another function there (an import) or nothing: its calls are not
            # the helper's, and migrate has no definition there to keep or replace.
            continue
        for cell, shape in reading.calls.get(name, ()):
            if shape.unpacks:
                continue  # cannot be checked on its own; migrate compares the signatures
            problem = binding_problem(function, shape)
            if problem is not None:
                found.append(UnboundCall(reading.path, cell, messages.describe(problem)))
    # Two calls of one cell that fail alike are one line (sweep 30: botorch's cell 20 twice).
    return tuple(dict.fromkeys(found))

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

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from nbrefactor import messages
from nbrefactor.analysis.library_function import as_library_function
from nbrefactor.extract.gather import Definition, NotebookReading
from nbrefactor.extract.migrate_keeps import KeptDefinition, kept_by_migrate
from nbrefactor.extract.scopes import notebook_variables_read
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
        if why is None and len(helper.variants) > 1:
            why = "the only variant that can move"  # the others' problems are said beside them
    kept = kept_by_migrate(helper.name, helper.definitions, chosen.definitions, module, readings)
    return Choice(chosen, why, unbound[id(chosen)], kept)


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
    function = as_library_function(name, variant.first.node, module)
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

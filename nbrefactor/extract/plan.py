"""Every helper decided: extracted (with what it brings along), skipped with the reason, or
already in the module; and what the module gets, in the order it gets it.

Pure: notebooks already read (`gather`), the module's existing top-level
names, the choices from the command line in; a `Plan` out.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from nbrefactor.extract.gather import Definition, NotebookReading
from nbrefactor.extract.import_specs import ImportSpec
from nbrefactor.extract.migrate_keeps import kept_everywhere
from nbrefactor.extract.needs import needs_of
from nbrefactor.extract.optional import needed_at_import, optional_imports
from nbrefactor.extract.other_functions import brings_differing, other_functions
from nbrefactor.extract.own_calls import unbound_own_call
from nbrefactor.extract.plan_problems import (
    OtherBinding,
    bound_twice,
    clash,
    left_out_problem,
    legacy_needed,
    unmoved_problem,
)
from nbrefactor.extract.shadows import shadows
from nbrefactor.extract.star_imports import module_file_runs, star_imported_over
from nbrefactor.extract.variants import Choice, Helper, choose_variant, find_helpers


@dataclass(frozen=True)
class Decision:
    """One helper: its variants, the one chosen, and why it is or is not extracted."""

    helper: Helper
    choice: Choice
    problem: str | None  # why it cannot be extracted
    already: bool = False  # the module already defines the name (or its legacy name): left alone

    @property
    def name(self) -> str:
        return self.helper.name

    @property
    def extractable(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class Plan:
    decisions: tuple[Decision, ...]
    definitions: tuple[Definition, ...] = ()  # to append to the module, in dependency order
    imports: tuple[ImportSpec, ...] = ()  # to merge into the module's imports
    # A dependency not extracted on its own -> the helper using it (a skipped helper too).
    brought: Mapping[str, str] = field(default_factory=dict)
    # Of `imports`, those a notebook that will import from the module does not make itself,
    # each with the first such notebook: written under `try`/`except Exception`
    # (`optional.optional_imports`).
    guarded: Mapping[ImportSpec, str] = field(default_factory=dict)
    # Definition name -> why it is left out: it reads, while the module is imported, a
    # package a notebook importing from the module never imports (`needed_at_import`).
    left_out: Mapping[str, str] = field(default_factory=dict)

    @property
    def extracted(self) -> list[Decision]:
        return [d for d in self.decisions if d.extractable and not d.already]


def list_helpers(
    readings: Sequence[NotebookReading],
    module: str,
    names: Collection[str] = (),
    chosen_places: Collection[tuple[str, int]] = (),
) -> Plan:
    """`--list`: every function defined in two or more places, and whether it can be extracted;
    with `--name` or `--from`, the helpers they choose, as a write would take them (sweep 27:
    `--list --name f` listed every other helper and not f)."""
    return plan_extraction(readings, module, names, chosen_places)


def plan_extraction(
    readings: Sequence[NotebookReading],
    module: str,
    names: Collection[str] = (),
    chosen_places: Collection[tuple[str, int]] = (),
    existing: Mapping[str, ImportSpec | None] | None = None,
    module_folder: Path | None = None,
    existing_unbound: Mapping[str, str] | None = None,
    existing_variables: Mapping[str, OtherBinding] | None = None,
    existing_guarded: Sequence[ImportSpec] = (),
    existing_functions: Mapping[str, ast.FunctionDef | ast.AsyncFunctionDef] | None = None,
    unmoved: Mapping[str, str] | None = None,
    importers: Collection[str] | None = None,
    legacy: Mapping[str, str] | None = None,
) -> Plan:
    """Which helpers go into the module, with which variant, and what they bring along.

    `names` (from `--name`) limits the helpers to those, and makes one
    definition enough; `existing` are the names the module already binds
    (`module_reading.module_bindings`), `existing_unbound` the names its code reads but
    binds by no statement (`module_reading.unbound_reads`), `existing_variables` the names
    it binds last by neither an import nor a `def` (`module_reading.module_variables`),
    `existing_guarded` its imports under `try` (`module_reading.guarded_imports`),
    `existing_functions` its functions (`module_reading.module_functions`). `unmoved`: the
    helpers a dry run of migrate to the module keeps in every place, with why
    (`then_migrate.foresee`): not extracted, unless another helper needs them.
    `importers`: the notebooks a dry run of migrate makes import the module, the only ones
    its guarded imports are for (`optional.optional_imports`); None: not known yet.
    `legacy`: the module's `__legacy_names__`, names it holds as a `def` holds its own.
    """
    # A helper needing, while the module is imported, a package that a notebook importing
    # from the module never imports is not extracted (`needed_at_import`); without it,
    # the module has fewer importers, and may need no more such package: planned again
    # until nothing more is left out. Each round leaves out more or ends.
    left_out: dict[str, str] = {}
    while True:
        plan = _plan(
            readings,
            module,
            names,
            chosen_places,
            existing,
            module_folder,
            left_out,
            existing_unbound or {},
            existing_variables or {},
            existing_functions or {},
            unmoved or {},
            importers,
            legacy or {},
        )
        more = needed_at_import(
            (*plan.imports, *existing_guarded),
            readings,
            plan.definitions,
            _defined(existing, legacy),
            module,
            module_folder,
            importers,
        )
        if more.keys() <= left_out.keys():
            return replace(plan, left_out=left_out)
        left_out |= more


def _plan(
    readings: Sequence[NotebookReading],
    module: str,
    names: Collection[str],
    chosen_places: Collection[tuple[str, int]],
    existing: Mapping[str, ImportSpec | None] | None,
    module_folder: Path | None,
    left_out: Mapping[str, str],
    existing_unbound: Mapping[str, str],
    existing_variables: Mapping[str, OtherBinding],
    existing_functions: Mapping[str, ast.FunctionDef | ast.AsyncFunctionDef],
    unmoved: Mapping[str, str],
    importers: Collection[str] | None,
    legacy: Mapping[str, str],
) -> Plan:
    # A name the module binds by a variable is no definition the notebooks' can stand for.
    existing = {
        name: spec for name, spec in (existing or {}).items() if name not in existing_variables
    }
    every = find_helpers(readings, names, chosen_places)
    helpers = [helper for helper in every if helper.name in names] if names else every
    by_path = {reading.path: reading for reading in readings}
    choices = {
        helper.name: choose_variant(helper, readings, module, chosen_places) for helper in every
    }
    chosen = {
        name: choice.variant.first
        for name, choice in choices.items()
        if choice.variant is not None and (not names or name in names)
    }
    needs = {
        helper.name: needs_of(
            choice.variant.first,
            by_path,
            chosen,
            existing,
            module_folder,
            module,
            existing_functions,
        )
        for helper in helpers
        if helper.name not in existing and (choice := choices[helper.name]).variant is not None
    }
    # A name read where nothing binds it by name (a builtin, what the module's star import
    # binds) -> the module's code reading it, or the first helper bringing that definition.
    unbound_reads: dict[str, str] = dict(existing_unbound)
    for name, found in needs.items():
        if found.problem is None:
            for builtin in sorted(found.builtins):
                unbound_reads.setdefault(builtin, name)
    # The helpers whose variants may be other functions, asked before any helper bringing one
    # along is decided.
    differing = {
        helper.name: words
        for helper in every  # not only those `--name` names: one of them may bring another
        if (words := other_functions(helper, choices[helper.name], chosen_places)) is not None
    }
    runs = module_file_runs(readings, module, module_folder)  # `%run helpers.py` lines
    decisions: list[Decision] = []
    definitions: dict[str, Definition] = {}
    imports: dict[ImportSpec, None] = {}
    brought: dict[str, str] = {}
    for helper in helpers:
        choice = choices[helper.name]
        if helper.name in existing or helper.name in legacy:
            decisions.append(Decision(helper, choice, None, already=True))
            continue
        if choice.variant is None:
            unmovable = helper.variants[0].first.problem or "no variant can be moved"
            decisions.append(Decision(helper, choice, unmovable))
            continue
        helper_needs = needs[helper.name]
        problem: str | None = (
            helper_needs.problem
            or differing.get(helper.name)
            or brings_differing(helper.name, helper_needs, differing)
            or left_out_problem(helper.name, helper_needs, left_out)
            or legacy_needed(helper_needs, legacy, module)
            or shadows(helper.name, helper_needs, unbound_reads, existing)
            or star_imported_over(helper_needs, readings, module, runs)
            or clash(helper_needs, definitions)
            or bound_twice(helper_needs, imports, definitions, existing, existing_variables)
            or unbound_own_call(helper_needs, existing_functions, module)
            or unmoved_problem(helper.name, unmoved, needs)
            or kept_everywhere(helper.definitions, choice.kept)
        )
        decisions.append(Decision(helper, choice, problem))
        if problem is not None:
            continue
        for definition in helper_needs.definitions:
            definitions.setdefault(definition.name, definition)
        imports.update(dict.fromkeys(helper_needs.imports))
        for name, user in helper_needs.used_by.items():
            brought.setdefault(name, user)
    # A helper extracted itself is not "also" extracted; one skipped (`_fmt`, whose variants
    # differ) that an extracted helper brings along is, and the report says so (round 59b
    # F6.1: "skipped _fmt" while helpers.py held it).
    extracted = {decision.name for decision in decisions if decision.extractable}
    ordered = tuple(sorted(imports, key=_import_order))
    return Plan(
        tuple(decisions),
        tuple(definitions.values()),
        ordered,
        {name: user for name, user in brought.items() if name not in extracted},
        optional_imports(
            ordered,
            readings,
            definitions.values(),
            _defined(existing, legacy),
            module,
            module_folder,
            importers,
        ),
    )


def _defined(
    existing: Mapping[str, ImportSpec | None] | None, legacy: Mapping[str, str] | None
) -> list[str]:
    """The names the module already binds otherwise than by an import: its functions, which
    migrate replaces as well, making their notebooks import from the module; and its legacy
    names, whose copies migrate replaces with its functions."""
    return [name for name, spec in (existing or {}).items() if spec is None] + [*(legacy or {})]


def _import_order(spec: ImportSpec) -> tuple[bool, str, str, str]:
    """Plain imports first, then `from` imports, each by module: what isort and ruff would do."""
    return (spec.obj is not None, spec.module, spec.obj or "", spec.asname or "")

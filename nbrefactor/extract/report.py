"""What `extract` reports, worded in one place: text lines and the JSON document.

Pure: a `Plan` (and for a run, what happened to the module file) in, lines
or a JSON-ready dict out. The CLI decides where they go.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from nbrefactor.extract.plan import Decision, Plan

_Item = TypeVar("_Item")


@dataclass(frozen=True)
class ModuleChange:
    """What happened to the module file: its path, old and new text, and whether it was written."""

    path: Path
    old: str | None  # None: the file did not exist
    new: str | None  # None: nothing to extract, and no file to create
    written: bool
    encoding: str = "utf-8"  # the file's, as read (a coding line): a copy of `new` is written so
    links: int = 1  # the hard links the file had when written: the others keep the old content

    @property
    def changed(self) -> bool:
        return self.old != self.new


# What a dry run of migrate to the module does with each definition, by (its notebook's
# absolute path, cell, name): the reason it keeps it, or None where it replaces it
# (`then_migrate.foresee`). The report says that, not extract's own foresight of
# it, which missed rules (sweep 31: "migrate replaces" copies migrate kept).
MigrateOutcomes = Mapping[tuple[str, int, str], str | None]


def outcome_key(path: Path, cell: int, name: str) -> tuple[str, int, str]:
    return os.path.abspath(path), cell, name


def counted(number: int, noun: str) -> str:
    """`1 import`, `2 imports`."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


# -- --list ---------------------------------------------------------------------


def list_lines(plan: Plan, module: Path) -> list[str]:
    """`--list` for people: a line per helper, then a line per variant with one place. A
    helper the module (`--to`) already defines is left alone, as a write would leave it."""
    lines = []
    for decision in plan.decisions:
        helper = decision.helper
        state = "extractable" if decision.extractable else f"not extractable: {decision.problem}"
        user = plan.brought.get(helper.name)
        if user is not None and not decision.extractable:  # written all the same (round 59b)
            state = f"brought along by {user}, not extractable on its own: {decision.problem}"
        if decision.already:
            state = f"already in {module}"
        lines.append(
            f"{helper.name}: {counted(helper.notebooks, 'notebook')},"
            f" {counted(len(helper.variants), 'variant')}: {state}"
        )
        for number, variant in enumerate(helper.variants, start=1):
            chosen = ""
            if decision.choice.is_chosen(variant) and len(helper.variants) > 1:
                chosen = f" (chosen: {decision.choice.why})"
            elif variant.first.problem is not None and decision.extractable:
                chosen = f" ({variant.first.problem})"  # why it is not the one chosen
            lines.append(
                f"  variant {number} ({counted(len(variant.definitions), 'place')}):"
                f" {variant.first.place}{chosen}"
            )
    return lines


def list_summary(plan: Plan, notebooks: int) -> str:
    extractable = sum(1 for item in plan.decisions if item.extractable and not item.already)
    return (
        f"{counted(len(plan.decisions), 'helper')} in {counted(notebooks, 'notebook')},"
        f" {extractable} extractable"
    )


def list_json(plan: Plan) -> list[dict[str, object]]:
    return [_decision_json(decision) for decision in plan.decisions]


def _decision_json(
    decision: Decision, outcomes: MigrateOutcomes | None = None
) -> dict[str, object]:
    helper, choice = decision.helper, decision.choice
    kept = [(kept.path, kept.cell, kept.problem) for kept in choice.kept]
    if outcomes is not None:
        kept = _kept_in_dry_run(decision, outcomes)
    return {
        "name": helper.name,
        "notebooks": helper.notebooks,
        "extractable": decision.extractable and not decision.already,  # as `list_summary`
        "reason": decision.problem,
        "already_in_module": decision.already,
        "variants": [
            {
                "place": variant.first.place,
                "places": [definition.place for definition in variant.definitions],
                "chosen": choice.is_chosen(variant),
            }
            for variant in helper.variants
        ],
        "chosen_because": choice.why,
        "calls_not_bound": [
            {"path": str(call.path), "cell": call.cell, "reason": call.problem}
            for call in choice.unbound_calls
        ],
        "definitions_kept": [
            {"path": str(path), "cell": cell, "reason": reason} for path, cell, reason in kept
        ],
    }


# -- an extraction ---------------------------------------------------------------


def _kept_in_dry_run(decision: Decision, outcomes: MigrateOutcomes) -> list[tuple[Path, int, str]]:
    """The places of the helper that the dry migrate keeps, with its reason, each once (a
    cell may hold several of its definitions: re-check 46b, `@overload` stubs)."""
    found = []
    for definition in decision.helper.definitions:
        key = outcome_key(definition.path, definition.cell, definition.name)
        reason = outcomes.get(key)
        if reason is not None:
            found.append((definition.path, definition.cell, reason))
    return _once(found)


def _migrate_lines(
    decision: Decision, outcomes: MigrateOutcomes, *, others: bool = True
) -> list[str]:
    """A line for each place of the helper the dry migrate keeps, with its reason, and with
    `others`, for each place of another variant it replaces: its body is not the one
    extracted (sweep 30: a notebook's `servomech_output` returning one value became the
    module's returning two)."""
    lines = [
        f"  {path}:cell {cell}: {reason}; migrate will keep that definition"
        for path, cell, reason in _kept_in_dry_run(decision, outcomes)
    ]
    replaced = []
    choice = decision.choice
    for variant in decision.helper.variants:
        if choice.is_chosen(variant) or not others:
            continue
        for definition in variant.definitions:
            key = outcome_key(definition.path, definition.cell, definition.name)
            if key in outcomes and outcomes[key] is None:
                replaced.append(
                    f"  {definition.place}: another variant, which migrate replaces with this one"
                )
    return lines + _once(replaced)


def _other_bodies(decision: Decision) -> list[str]:
    """A line for each place of another variant that no line above says migrate keeps: its
    body is not the one extracted, and migrate replaces such a drifted copy (sweep 30: a
    notebook's `servomech_output` returning one value became the module's returning two,
    and "other variants" alone did not say so)."""
    choice = decision.choice
    kept = {(kept.path, kept.cell) for kept in choice.kept}
    unbound = {call.path for call in choice.unbound_calls}
    return _once(
        f"  {definition.place}: another variant, which migrate replaces with this one"
        for variant in decision.helper.variants
        if not choice.is_chosen(variant)
        for definition in variant.definitions
        if (definition.path, definition.cell) not in kept and definition.path not in unbound
    )


def _once(items: Iterable[_Item]) -> list[_Item]:
    """The items (lines, places) in order, each once: the places are cells, and a cell may
    hold several definitions of a helper (re-check 46b: `@overload` stubs repeated
    `a.ipynb:cell 2`)."""
    return list(dict.fromkeys(items))


def extraction_lines(
    plan: Plan, change: ModuleChange, outcomes: MigrateOutcomes | None = None
) -> list[str]:
    """What an extraction did, helper by helper, then the module file; with `outcomes`, what
    migrate keeps and replaces is what its dry run did."""
    lines = []
    module = change.path
    for decision in plan.decisions:
        name, choice = decision.name, decision.choice
        if decision.already:
            lines.append(f"left {name} alone: already in {module}")
            if outcomes is not None:  # what migrate keeps of it (re-check 31)
                lines += _migrate_lines(decision, outcomes, others=False)
        elif not decision.extractable:
            if name not in plan.brought:  # else said where it is brought along
                lines.append(skipped_line(decision))
        elif choice.variant is not None:
            others = _once(
                v.first.place for v in decision.helper.variants if not choice.is_chosen(v)
            )
            line = f"extracted {name} from {choice.variant.first.place}"
            if choice.why:
                line += f" ({choice.why})"
            if others:
                line += f"; other variants: {', '.join(others)}"
            lines.append(line)
            if outcomes is not None:
                lines += _migrate_lines(decision, outcomes)
                continue
            lines += _once(
                f"  {call.path}:cell {call.cell}: a call of {name} does not bind to it"
                f" ({call.problem}); migrate will keep that notebook's definition"
                for call in choice.unbound_calls
            )
            lines += _once(
                f"  {kept.path}:cell {kept.cell}: {kept.problem}; migrate will keep that definition"
                for kept in choice.kept
            )
            lines += _other_bodies(decision)
    lines += brought_lines(plan)
    for spec, notebook in plan.guarded.items():
        # What importing the module now runs there (sweep 27: a package's import warned).
        lines.append(
            f"guarded `{spec}` (try/except): {notebook} may run without it, and will run it"
            " by importing the module, wherever it can be imported"
        )
    return lines


def brought_lines(plan: Plan) -> list[str]:
    """A line for each definition written because an extracted helper calls it. One that is
    a helper skipped on its own (`_fmt`, whose variants differ) says which variant is
    written, and why it is not offered alone: the module holds it all the same (round 59b
    F6.1: "skipped _fmt" while helpers.py held the a.ipynb variant)."""
    skipped = {decision.name: decision for decision in plan.decisions if not decision.extractable}
    places = {definition.name: definition.place for definition in plan.definitions}
    lines = []
    for name, user in plan.brought.items():
        decision = skipped.get(name)
        if decision is None:
            lines.append(f"also extracted {name} (used by {user})")
        else:
            lines.append(
                f"also extracted {name} from {places[name]} (used by {user}), though not on"
                f" its own: {decision.problem}"
            )
    return lines


def skipped_line(decision: Decision) -> str:
    """A helper not extracted, and why."""
    return f"skipped {decision.name}: {decision.problem}"


def module_line(plan: Plan, change: ModuleChange) -> str:
    if change.new is None:
        return f"nothing to extract: {change.path} not created"
    if not change.changed:
        return f"{change.path} unchanged"
    verb = "wrote" if change.written else "would write"
    if change.old is None:
        verb = "created" if change.written else "would create"
    return (
        f"{verb} {change.path}: {counted(len(plan.definitions), 'definition')},"
        f" {counted(len(plan.imports), 'import')}"
    )


def extraction_json(
    plan: Plan,
    change: ModuleChange,
    diff: str | None,
    outcomes: MigrateOutcomes | None = None,
    not_found: str | None = None,
    next_step: str | None = None,
    warnings: Sequence[str] = (),
) -> dict[str, object]:
    return {
        "module": str(change.path),
        "created": change.old is None and change.changed,
        "changed": change.changed,
        "written": change.written,
        "helpers": [_decision_json(decision, outcomes) for decision in plan.decisions],
        "definitions": [
            {"name": definition.name, "from": definition.place} for definition in plan.definitions
        ],
        "brought": [{"name": name, "used_by": user} for name, user in plan.brought.items()],
        "imports": [str(spec) for spec in plan.imports],
        "guarded": [
            {"import": str(spec), "notebook": notebook} for spec, notebook in plan.guarded.items()
        ],
        "diff": diff,
        "warnings": list(warnings),
        "not_found": not_found,
        "next": next_step,
    }

"""Why a helper, its variant chosen, cannot go into the module: what it brings along
clashes with what the module or another helper holds, or is left out of it; apart from
`plan`, which asks them in order, so that each stays short.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from nbrefactor.extract.gather import Definition
from nbrefactor.extract.import_specs import ImportSpec
from nbrefactor.extract.needs import Needs


def unmoved_problem(
    helper: str, unmoved: Mapping[str, str], needs: Mapping[str, Needs]
) -> str | None:
    """Why migrate would leave the helper's every copy in place (`unmoved`), unless another
    helper moving needs it in the module (round 49c F4: a module nothing would import)."""
    reason = unmoved.get(helper)
    if reason is None:
        return None
    needed = any(
        user != helper
        and user not in unmoved
        and found.problem is None
        and any(definition.name == helper for definition in found.definitions)
        for user, found in needs.items()
    )
    return None if needed else reason


def left_out_problem(helper: str, needs: Needs, left_out: Mapping[str, str]) -> str | None:
    """Why a definition this helper brings is left out of the module (`needed_at_import`)."""
    for definition in needs.definitions:
        reason = left_out.get(definition.name)
        if reason is not None:
            return (
                reason
                if definition.name == helper
                else f"it needs {definition.name}, which {reason}"
            )
    return None


def legacy_needed(needs: Needs, legacy: Mapping[str, str], module: str) -> str | None:
    """A definition this helper brings whose name the module gives as a legacy name: written,
    migrate would refuse the module (a legacy name that is a function of it too), and left
    out, the helper's calls of it would find nothing in the module (round 62b F2)."""
    for definition in needs.definitions:
        current = legacy.get(definition.name)
        if current is not None:
            return (
                f"it needs {definition.name}, an old name of {module}.{current}"
                " (__legacy_names__), which the module does not bind"
            )
    return None


@dataclass(frozen=True)
class OtherBinding:
    """How the module last binds a name otherwise than by an import or a top-level def or
    class (`module_reading.module_variables`): what `bound_twice` says of a helper of that
    name. After a top-level def of it (`after`), the first such statement that follows: an
    `if DEBUG:` rebinding `dbl`, an `if False:` deleting it (round 64 U1)."""

    word: str = ""  # the compound statement's first word (`if`), "" for a simple statement
    line: int = 0  # the top-level statement's line
    binds: bool = True  # it may bind the name (`dbl = print`)
    deletes: bool = False  # it may delete the name (`del dbl`)
    after: tuple[str, int] | None = None  # "def" or "class" and the line of the one it follows


def bound_twice(
    needs: Needs,
    imports: Collection[ImportSpec],
    definitions: Mapping[str, Definition],
    existing: Mapping[str, ImportSpec | None],
    variables: Mapping[str, OtherBinding],
) -> str | None:
    """A name this helper needs bound to one thing that the module binds to another: the
    module gets `import json as ser` and `import pickle as ser`, or `import math` and a
    helper `def math`. One module has one binding per name; the reads would see the last."""
    imported = {spec.bound: spec for spec in imports}
    imported |= {name: spec for name, spec in existing.items() if spec is not None}
    defined = set(definitions) | {name for name, spec in existing.items() if spec is None}
    own = {definition.name for definition in needs.definitions}
    for spec in needs.imports:
        other = imported.get(spec.bound)
        if other is not None and other.target != spec.target:
            return f"it needs `{spec}`, but the module gets `{other}`"
        if spec.bound in defined | own:
            return f"it needs `{spec}`, but the module defines {spec.bound}"
        if spec.bound in variables:  # `del np`, `np = None`, an import in an `if`
            return f"it needs `{spec}`, but the module binds {spec.bound} otherwise"
    for name in sorted(own & set(imported)):
        return f"it needs a definition of {name}, but the module gets `{imported[name]}`"
    for name in sorted(own & set(variables)):
        if name == needs.definitions[-1].name:  # the helper itself
            return _bound_otherwise(name, variables[name])
        return f"it needs a definition of {name}, but the module binds {name} otherwise"
    return None


# What a statement after a def may do to its name: the verb, its third person, the field.
_UNDOING = (("rebind", "rebinds", "binds"), ("delete", "deletes", "deletes"))


def _bound_otherwise(name: str, other: OtherBinding) -> str:
    """Why a helper is not the module's, named like what `other` binds."""
    article = "an" if other.word == "if" else "a"
    if other.after is not None:  # round 64 U1: a top-level def the statement may undo
        kind, line = other.after
        does = [(plain, third) for plain, third, done in _UNDOING if getattr(other, done)]
        if other.word:
            verb = " or ".join(plain for plain, _ in does)
            what = f"{article} `{other.word}` statement that may {verb} it"
        else:
            what = f"a statement that {' or '.join(third for _, third in does)} it"
        return f"the module's {kind} {name} (line {line}) is followed by {what} (line {other.line})"
    if other.word:  # round 62b: a def in a block is no "otherwise"
        return (
            f"the module binds {name} in {article} `{other.word}` statement, not by a top-level def"
        )
    return f"the module binds {name} otherwise (not by a def)"


def clash(needs: Needs, planned: Mapping[str, Definition]) -> str | None:
    """A definition this helper brings that another helper already brings in another version."""
    for definition in needs.definitions:
        other = planned.get(definition.name)
        if other is not None and other.key != definition.key:
            return (
                f"needs {definition.name} from {definition.place}, but another helper"
                f" brings a different {definition.name} from {other.place}"
            )
    return None

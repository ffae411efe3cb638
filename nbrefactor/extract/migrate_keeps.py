"""What `migrate` will keep of the other places of a helper once extract has chosen the
variant the module holds: extract's report says so ("migrate will keep") before
anyone runs migrate, from migrate's own rules.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from nbrefactor import messages, reasons
from nbrefactor.analysis.catalog import LibraryFunction, parameters_of
from nbrefactor.analysis.import_targets import import_targets
from nbrefactor.analysis.library_function import as_library_function
from nbrefactor.analysis.namespace_reads import (
    module_attribute,
    namespace_read,
    reads_other_namespace,
)
from nbrefactor.extract.gather import Definition, NotebookReading
from nbrefactor.extract.scopes import ModuleBinding, notebook_variables_read
from nbrefactor.rules.decorators import decorators_problem, imported_as
from nbrefactor.rules.definition_time import decorator_run_for_effect, drifted_default_problem
from nbrefactor.rules.handed_readers import handed_problem
from nbrefactor.rules.parameters import parameters_problem
from nbrefactor.rules.same_function import generator_problem


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
    # kept only because another definition is: of its name in its notebook (`NBR224`), or,
    # in the dry run of migrate, of another helper, whose uses the one import cannot serve
    together: bool = False


def kept_by_migrate(
    name: str,
    definitions: Sequence[Definition],
    chosen: Sequence[Definition],
    module: str,
    readings: Sequence[NotebookReading],
) -> tuple[KeptDefinition, ...]:
    """The places of the other variants whose parameters or decorators are not the chosen
    one's (rule 1), that read the notebook's namespace by no name (`globals()`, `NBR234`),
    or that their notebook hands to a call reading them (`curve_fit(model, x, y)`) while they
    are not the same (`NBR250`), or whose default of other text is computed by a call
    (`NBR237`); and the places, but the chosen one, whose text reads a
    variable their notebook binds (`NBR222`): the module's function cannot see it (sweep 29:
    22 `save_fig` copies reading `IMAGES_PATH` went unlisted).

    `definitions` are all the places of the helper `name`; `chosen`, those of the chosen
    variant, the one whose text the module takes first.
    """
    function = as_library_function(name, chosen[0].node, module)
    chosen_places = {id(definition) for definition in chosen}
    handed = {reading.path: reading.handed.get(name, []) for reading in readings}
    bindings = {reading.path: reading.bindings for reading in readings}
    # A chosen text reading one itself is not extracted at all (`Decision.problem`).
    chosen_reads = notebook_variables_read(chosen[0].source, bindings[chosen[0].path])
    found = []
    for definition in definitions:
        node = definition.node
        if definition is chosen[0] or not isinstance(node, ast.FunctionDef):
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
                chosen[0],
                bindings[definition.path],
                bindings[chosen[0].path],
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
                problem = problem or handed_problem(cell, name, reader, node, function, as_value)
        if problem is None and not chosen_reads:
            read = notebook_variables_read(definition.source, bindings[definition.path])
            if read:
                variable, cell = read[0]
                problem = reasons.ReadsNotebookVariable(variable, cell, function.qualified_name)
        if problem is not None:
            found.append(
                KeptDefinition(definition.path, definition.cell, messages.describe(problem))
            )
    return (*found, *_kept_with(found, definitions))


def _kept_with(
    kept: Sequence[KeptDefinition], definitions: Sequence[Definition]
) -> list[KeptDefinition]:
    """The other places in a notebook where a place is kept: migrate keeps a name's
    definitions together (`NBR224`; round 53a: `--list` said a helper was extractable whose
    every definition migrate keeps, the chosen one beside a kept one)."""
    first: dict[Path, int] = {}
    for place in kept:
        first.setdefault(place.path, place.cell)
    places = {(place.path, place.cell) for place in kept}
    found = []
    for definition in definitions:
        cell = first.get(definition.path)
        if cell is not None and (definition.path, definition.cell) not in places:
            places.add((definition.path, definition.cell))
            reason = messages.describe(reasons.KeptWithOther(cell))
            found.append(KeptDefinition(definition.path, definition.cell, reason, True))
    return found


def kept_everywhere(
    definitions: Sequence[Definition], kept: Sequence[KeptDefinition]
) -> str | None:
    """Why the helper is not extracted when migrate keeps every one of its `definitions`, as
    `kept_by_migrate` foresees (`--list`) or its dry run did (`then_migrate`), naming a place
    kept for a reason of its own first; None when it replaces one."""
    by_place = {(place.path, place.cell): place for place in kept}
    places = [by_place.get((definition.path, definition.cell)) for definition in definitions]
    if not places or any(place is None for place in places):
        return None
    found = [place for place in places if place is not None]
    place = next((place for place in found if not place.together), found[0])
    return f"migrate would keep every definition of it ({place.path}:cell {place.cell}: {place.problem})"


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

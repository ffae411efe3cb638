"""Rule: an inline definition may go only if every call that could run it runs the library's.

A call binds when the library function accepts its arguments: not too many
positional ones, every keyword a parameter (or `**kwargs`), nothing passed
twice, every required parameter given. A call with `*args`/`**kwargs`, a
use of the name without a call (a callback, say), a string naming it (code
run by name: `eval("f(2)")`, `globals()["f"](2)`) or a line magic's argument
(`t = %timeit -o f(2)`) cannot be checked on its own; it is safe all the same when the library's signature accepts every call
the inline one accepts (`signature_compatible`). The function handed to a call
known to read its parameters (`PARAMETER_READERS`: `curve_fit` counts them,
`interact` makes a widget for each) also needs the same parameters, by name,
kind and which are optional (`same_parameters`). A use that cannot be read
(in a cell that does not parse) keeps the definition.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import cache

from nbrefactor import reasons
from nbrefactor.analysis.catalog import parameters_of
from nbrefactor.analysis.caught_errors import CatchingBlock, catching_blocks, catching_line
from nbrefactor.analysis.events import Binding, CallShape, Use
from nbrefactor.analysis.parameter_readers import parameter_readers, reader_named
from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.words import has_word
from nbrefactor.rules.code_strings import (
    calling_strings,
    code_by_value,
    pandas_call,
    runs_by_name,
)
from nbrefactor.rules.handed_readers import handed_problem
from nbrefactor.rules.notebook_runners import NotebookRunner
from nbrefactor.rules.scripts_run import ScriptInNamespace
from nbrefactor.rules.signatures import (
    binding_problem,
    call_problem,
    signature_compatible,
)
from nbrefactor.value_base import ValueBase


@dataclass(frozen=True, eq=False, repr=False)
class UsesCheck(ValueBase):
    """Whether the uses of a name let its definitions go, and if not, why and which definitions."""

    problem: reasons.KeptReason | None  # why the definitions must stay, or None
    relied_on_compatibility: bool  # an unchecked use is safe only because the signatures agree
    # The definitions the problem is about (the others stay with them): those a call that
    # does not bind may run; when a use could not be checked, those whose signature accepts
    # calls the library's does not. Empty: all of them.
    concerned: tuple[Binding, ...] = ()


def _rejected_inline(
    reached: Collection[Binding], call: CallShape
) -> tuple[Binding, reasons.BindingProblem] | None:
    """The first definition the call may run whose own signature rejects it, and why: the
    call raised TypeError there."""
    for binding in reached:
        if binding.node is not None:
            problem = call_problem(parameters_of(binding.node.args), "this definition", call)
            if problem is not None:
                return binding, problem
    return None


def _caught_at(
    program: Program, use: Use, blocks: dict[tuple[int, int], tuple[CatchingBlock, ...] | int]
) -> int | None:
    """The line of a `try` (or `with suppress(...)`) around the use in its top-level
    statement that may catch a TypeError it raises (`caught_errors`), or None; `blocks`
    keeps each statement's, read once. Of a huge cell read statement by statement, whose
    statements are not whole trees, the first line of a statement naming `try`, `suppress`
    or `TypeError`."""
    reading = program.reading(use.cell)
    if reading is None or reading.error is not None:
        return None  # a cell that does not parse never runs
    key = use.position.top_level
    known = blocks.get(key)
    if known is None:
        statement = reading.facts.tree.body[use.position.statement]
        if reading.skeletal:
            first, last = statement_lines(statement)
            text = reading.lines(first, last)
            words = ("try", "suppress", "TypeError")
            known = first if any(has_word(text, word) for word in words) else ()
        else:
            known = catching_blocks(statement)
        blocks[key] = known
    if isinstance(known, int):
        return known
    return catching_line(known, use.line, use.column)


def check_uses(
    program: Program,
    name: str,
    definitions: Collection[Binding],
    gone: Collection[tuple[int, int]] = frozenset(),
    scripts: Callable[[], Sequence[ScriptInNamespace]] = list,
    walk: Callable[[], tuple[int, str] | None] = lambda: None,
    runners: Callable[[], Sequence[NotebookRunner]] = tuple,
) -> UsesCheck:
    """Whether every use that could run these definitions of `name` runs the library's as well.

    A use inside a top-level statement that `gone` holds (`Position.top_level`) goes with it.
    `scripts`: those the notebook runs in its namespace (`scripts_run`), and `walk`: where
    it reaches its functions through its namespace (`namespace_walk`), each
    looked for once a notebook, when needed; so are `runners`, the notebooks beside it that
    run it (`notebook_runners`), whose cells may call the name.
    """
    library = program.catalog.function_for(name)
    # Decided once for each definition, when a use needs it: whether the library accepts
    # every call it accepts (`compatible`), and whether it accepts every call the library
    # accepts (`accepts_all`).
    compatible: dict[Binding, bool] = {}
    accepts_all: dict[Binding, bool] = {}

    def widest(reached: Collection[Binding]) -> bool:
        """Whether each of `reached` accepts every call the library's signature accepts."""
        for binding in reached:
            if binding not in accepts_all:
                accepts_all[binding] = binding.node is not None and signature_compatible(
                    library.parameters, parameters_of(binding.node.args)
                )
        return all(accepts_all[binding] for binding in reached)

    def incompatible(reached: Collection[Binding]) -> tuple[Binding, ...]:
        """Those of `reached` whose signature accepts calls the library's does not bind so."""
        for binding in reached:
            if binding not in compatible:
                compatible[binding] = binding.node is None or signature_compatible(
                    parameters_of(binding.node.args), library.parameters
                )
        return tuple(binding for binding in reached if not compatible[binding])

    # `curve_fit`, `cf` after `curve_fit as cf`: read once, when a use is handed to a call.
    readers = cache(lambda: parameter_readers(cell.source for cell in program.notebook.cells))
    named_readers = cache(
        lambda: reader_named(
            (cell.source for cell in program.notebook.cells if cell.cell_type == "code"),
            readers(),
        )
    )
    relied = False
    blocks: dict[tuple[int, int], tuple[CatchingBlock, ...] | int] = {}  # `_caught_at`'s
    for use in program.uses_reaching(name, definitions):
        if use.position.top_level in gone:
            continue
        if use.call is not None and not use.call.unpacks:
            problem = binding_problem(library, use.call)
            if problem is not None:
                run = tuple(program.definitions_reached(use, definitions))
                return UsesCheck(reasons.CallDoesNotBind(use.cell, problem), False, run)
            rejected = _rejected_inline(program.definitions_reached(use, definitions), use.call)
            caught = None if rejected is None else _caught_at(program, use, blocks)
            if rejected is not None and caught is not None:
                binding, problem = rejected
                only = reasons.CallOnlyLibraryBinds(
                    use.cell, problem, caught, library.qualified_name
                )
                return UsesCheck(only, False, (binding,))
            continue
        # The definitions this use may run (none seen: unbound before it, any of them).
        reached = program.definitions_reached(use, definitions) or sorted(
            definitions, key=lambda binding: binding.position
        )
        concerned = incompatible(reached)
        if concerned:
            unchecked: reasons.KeptReason
            if use.call is None:
                unchecked = reasons.UseWithoutCall(use.cell, name, library.qualified_name)
            else:
                unchecked = reasons.UnpackedArguments(use.cell, library.qualified_name)
            return UsesCheck(unchecked, False, concerned)
        caught = None if widest(reached) else _caught_at(program, use, blocks)
        if caught is not None:
            # Round 62c: `try: list(map(f, [1], [5]))` / `except TypeError:`, `f(*args)`:
            # the copy's TypeError was caught; the library's accepts what it rejected.
            wider = reasons.CaughtWhereLibraryAccepts(
                use.cell, name, caught, library.qualified_name
            )
            return UsesCheck(wider, False, tuple(reached))
        reader = None
        if use.call is None and use.attribute:
            reader = use.handed_to or None  # `model.__code__`: its parameters (sweep 28)
        elif use.call is None and use.handed_to:
            reader = readers().get(use.handed_to)
        as_value = use.call is None and reader is None and not use.attribute
        if as_value:
            # Used as a value (`m = model`, `fit(model)`, `for fn in [model]`): it may reach a
            # reader the notebook names through a name, a container or a function of its own.
            reader = named_readers()
        if reader is not None:
            handed = {
                binding: handed_problem(use.cell, name, reader, binding.node, library, as_value)
                for binding in reached
                if binding.node is not None
            }
            other = [binding for binding, problem in handed.items() if problem is not None]
            if other:
                return UsesCheck(handed[other[0]], False, tuple(other))
        relied = True
    # A string naming the function as code run by name (`eval("f(2, show=True)")`,
    # `globals()["f"](...)`: `runs_by_name`) is a use that cannot be checked, reaching any
    # definition. One inside a definition of the name, or in a statement that goes, is that
    # text's own.
    own = program.defining_statements(name) | set(gone)
    # So is a line magic's argument naming it (`t = %timeit -o f(2, show=True)`), and a
    # string reading as its call when the notebook runs code by value (`eval(expr)`).
    runner = cache(lambda: code_by_value(program))  # looked for once, when first needed
    for found in program.named_in_strings(name):
        if found.top_level in own:
            continue
        named: reasons.KeptReason = reasons.NamedInCode(found.cell, name, library.qualified_name)
        calling = None  # its statement's strings reading as a call of the name; None: unread
        if not (found.cell_magic or found.magic):
            calling = calling_strings(program, found.cell, found.statement, name)
        if found.cell_magic:
            named = reasons.NamedInCellMagic(
                found.cell, found.line, name, found.magic, library.qualified_name
            )
        elif found.magic:
            named = reasons.NamedInMagic(
                found.cell, found.line, name, found.magic, library.qualified_name
            )
        elif any("~" in text for text in calling or ()):  # a formula, which patsy runs
            named = reasons.NamedInFormula(found.cell, name, library.qualified_name)
        elif any(pandas_call(text, name) for text in calling or ()):  # `df.query(...)`
            named = reasons.NamedInPandasExpression(found.cell, name, library.qualified_name)
        elif not runs_by_name(program, found.cell, found.statement, name):
            if calling == []:  # None: the statement cannot be read again, the safe side
                continue
            by_value = runner()
            if by_value is None:
                continue
            named = reasons.NamedForCodeByValue(found.cell, name, *by_value, library.qualified_name)
        concerned = incompatible(sorted(definitions, key=lambda binding: binding.position))
        if concerned:
            return UsesCheck(named, False, concerned)
        relied = True
    # And what reaches every function through the namespace (`globals().items()`, `dir()`):
    # looked for only when some definition's signature accepts calls the library's does not
    # (it costs a search of every cell; otherwise any call there runs the library's as well,
    # and the report does not say `signature compatible` for it).
    concerned = incompatible(sorted(definitions, key=lambda binding: binding.position))
    walked = walk() if concerned else None
    if walked is not None:
        through = reasons.ReachedThroughNamespace(*walked, library.qualified_name)
        return UsesCheck(through, False, concerned)
    # And a script the notebook runs in its namespace (`%run -i report.py`) naming it.
    script = next((script for script in scripts() if has_word(script.text, name)), None)
    if script is not None:
        concerned = incompatible(sorted(definitions, key=lambda binding: binding.position))
        if concerned:
            named = reasons.NamedInScript(
                script.cell, script.line, script.path, name, library.qualified_name
            )
            return UsesCheck(named, False, concerned)
        relied = True
    # And another notebook running this one (`%run common.ipynb`) naming it: its calls are
    # read from no cell here (round 59b). Looked for only when a signature accepts calls the
    # library's does not (it reads the folder's notebooks, once).
    concerned = incompatible(sorted(definitions, key=lambda binding: binding.position))
    running = next(
        (found for found in (runners() if concerned else ()) if name in found.names),
        None,
    )
    if running is not None:
        run_by = reasons.RunByNotebook(
            running.file_name, running.cell, running.line, name, library.qualified_name
        )
        return UsesCheck(run_by, False, concerned)
    return UsesCheck(_unreadable_problem(program, name), relied)


def _unreadable_problem(program: Program, name: str) -> reasons.KeptReason | None:
    """A use that cannot be read: in lines that do not parse, or in a cell not read at all."""
    for use in program.unreadable_uses_of(name):
        if use.rebinds:
            return reasons.RebindsThroughGlobal(use.cell, use.line, name, use.through)
        if use.ipython:
            return reasons.UseInIPythonLine(use.cell, use.line, name)
        reading = program.reading(use.cell)
        error = reading.error if reading is not None and reading.error else "it does not parse"
        return reasons.UnreadableUse(use.cell, use.line, name, error)
    if not program.unparseable:
        return None
    mention = re.compile(rf"\b{re.escape(name)}\b")
    for number, reason in sorted(program.unparseable.items()):
        if mention.search(program.cell(number).source):
            return reasons.MentionedInUnparseableCell(number, name, reason)
    return None

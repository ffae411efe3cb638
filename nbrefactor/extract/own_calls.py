"""The calls the module's functions make of each other, bound against the signatures the
module will hold.

A helper moved into the module takes its calls of other helpers with it, where `migrate`
no longer sees them: once it replaces the notebooks' copies, a call `show` makes of
`fmt(v, digits=3)` reaches the module's `fmt`, which may be another variant (`fmt(v,
scale=1)`, chosen from other notebooks) or the module's own `fmt(v)`. Re-check 46: both
notebooks then raised TypeError. Such a helper stays in the notebooks, as a call in a
notebook's own code keeps `migrate` from replacing the copy it needs.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from nbrefactor import messages
from nbrefactor.analysis.events import CallShape
from nbrefactor.analysis.library_function import as_library_function
from nbrefactor.extract.needs import Needs
from nbrefactor.extract.scopes import module_name_calls
from nbrefactor.rules.signatures import binding_problem


def unbound_own_call(
    needs: Needs, existing: Mapping[str, ast.FunctionDef | ast.AsyncFunctionDef], module: str
) -> str | None:
    """Why a definition this helper brings calls a function of the module (one it brings, or
    one `existing` in the module) in a way that function does not accept, or None. A call
    of the module's own `async def` gets a coroutine, which no copy of a `def` returned."""
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = dict(existing)
    functions.update(
        (definition.name, definition.node)
        for definition in needs.definitions
        if isinstance(definition.node, ast.FunctionDef)
    )
    for definition in needs.definitions:
        for call in module_name_calls(definition.node):
            assert isinstance(call.func, ast.Name)  # as module_name_calls gives them
            called = functions.get(call.func.id)
            shape = CallShape.of(call)
            where = "its" if definition is needs.definitions[-1] else f"{definition.name}'s"
            if isinstance(called, ast.AsyncFunctionDef):
                return f"{where} call of {called.name} reaches the module's async def {called.name}"
            if called is None or shape.unpacks:
                continue  # not the module's function, or not to be checked on its own
            problem = binding_problem(as_library_function(called.name, called, module), shape)
            if problem is not None:
                return f"{where} call of {called.name} {messages.describe(problem)}"
    return None

"""What a decorator defined in the library (or beside the helper) does when applied.

A copy decorated by one of the library's own decorators (`@timed`, `@tagged("x")`)
means what the library's function means only when applying it does nothing but wrap:
no effect when the `def` runs (`@register` would run where the library is imported,
`DecoratorRuns`), and no state made at each decoration that its wrapper changes
(`@counted`: two `def`s count apart, one import counts once, `StatePerDefinition`).
Which objects a wrapper changes cannot be told from its text (`stats.record()`,
`_record(timings, x)`: re-check 36 found each replaced, after five rounds of listing
the ways a wrapper changes state), so the question is turned around: a decorator only
wraps when all its text shows is known to be harmless (docs/migration.md lists what);
anything else counts as state or as an effect, the safe side.
"""

from __future__ import annotations

import ast
import symtable
from collections.abc import Callable

from nbrefactor.analysis.code_warnings import code_warnings_ignored
from nbrefactor.rules.decorator_captures import table_of, takes_changeable
from nbrefactor.rules.decorator_names import (
    PLACE_ATTRIBUTES,
    PLACE_CALLS,
    WRAPPING_DECORATORS,
    is_cache,
    last_name,
)
from nbrefactor.rules.decorator_scope import Decoration, DecoratorScope, arguments, root

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def decoration(
    function: ast.FunctionDef,
    call: ast.Call | None = None,
    variable: Callable[[str], bool] = lambda name: False,
) -> Decoration:
    """What applying `function` as a decorator does; `call`: the decorator as the copy
    writes it when it calls `function` first (`@tagged("x")`, a factory); `variable`:
    whether a name of its module is a variable, which the notebook may change before the
    copy's `def` applies it (re-check 37: `verbose = VERBOSE` when applied)."""
    if function.decorator_list:  # the module's name is what its own decorators made
        return Decoration.RUNS
    try:
        text = ast.unparse(function)
        with code_warnings_ignored():  # the code's `"\d"` (round 59b)
            tree = ast.parse(text)  # the positions symtable's tables give
            table = symtable.symtable(text, "<decorator>", "exec")
    except (RecursionError, SyntaxError, ValueError, MemoryError):
        return Decoration.RUNS
    outer = tree.body[0]
    assert isinstance(outer, _FUNCTIONS)
    # Found by name and line: a lambda in its defaults has a table too (re-check 37).
    outer_table = table_of(table, outer)
    if outer_table is None or _reads_place(outer):
        return Decoration.RUNS
    if call is None:
        return _Decorator(outer, outer_table, frozenset(), variable).decoration()
    # A factory: its statements run at each decoration too, and it must give back a
    # decorator it defines, read as one; its parameters are harmless when constants.
    factory = _Decorator(outer, outer_table, frozenset(), variable, decorates=False)
    worst = factory.set_up()
    made = [
        factory.nested.get(value.id) if isinstance(value, ast.Name) else None
        for value in factory.returns
    ]
    if not made or None in made:
        return max([worst, *(factory.returned(value) for value in factory.returns)])
    constant = all(_constant(argument) for argument in arguments(call))
    takeable = factory.harmless | (factory.parameters if constant else set())
    for decorator in made:
        assert decorator is not None
        inner = table_of(outer_table, decorator)
        if inner is None:
            return Decoration.RUNS
        read = _Decorator(decorator, inner, frozenset(takeable), variable, factory)
        worst = max(worst, read.decoration())
    return worst


def _reads_place(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether the decorator reads where a function was defined (`fn.__module__`,
    `inspect.getsourcefile(fn)`): the copy's answer is the notebook, the library's its
    module (re-check 37: `logging.getLogger(fn.__module__)` named another logger)."""
    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and node.attr in PLACE_ATTRIBUTES:
            return True
        if isinstance(node, ast.Call) and last_name(node.func) in PLACE_CALLS:
            return True
        if isinstance(node, ast.Call) and last_name(node.func) == "getattr":
            named = node.args[1] if len(node.args) > 1 else None  # `getattr(fn, "__module__")`
            if isinstance(named, ast.Constant) and named.value in PLACE_ATTRIBUTES:
                return True
    return False


class _Decorator(DecoratorScope):
    """One decorator function read: its set-up statements, its locals, what its functions
    take from its scope."""

    def __init__(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        table: symtable.SymbolTable,
        harmless_outer: frozenset[str],
        variable: Callable[[str], bool],
        factory: _Decorator | None = None,
        decorates: bool = True,
    ) -> None:
        super().__init__(node, variable, factory, decorates)
        self.table = table
        self.harmless_outer = harmless_outer  # a factory's names its functions may take
        self.returns: list[ast.expr] = []

    def _class_part(self, statement: ast.stmt) -> Decoration:
        """A statement of a class it defines, run when it runs: methods, names bound to
        values that do nothing when computed."""
        if _docstring(statement) or isinstance(statement, (*_FUNCTIONS, ast.Pass)):
            decorators = getattr(statement, "decorator_list", [])
            return Decoration.RUNS if decorators else Decoration.ONLY_WRAPS
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
            return self.value(statement.value)
        return Decoration.RUNS

    def decoration(self) -> Decoration:
        worst = self.set_up()
        for value in self.returns:
            worst = max(worst, self.returned(value))
        return max(worst, self._taken())

    def set_up(self) -> Decoration:
        """What its own statements do when it runs (once per decoration)."""
        worst = Decoration.ONLY_WRAPS
        for statement in self.node.body:
            worst = max(worst, self._statement(statement))
        return worst

    def _statement(self, statement: ast.stmt) -> Decoration:
        if isinstance(statement, ast.Pass) or _docstring(statement):
            return Decoration.ONLY_WRAPS
        if isinstance(statement, _FUNCTIONS):
            self.nested[statement.name] = statement
            self.bound.add(statement.name)
            worst = Decoration.ONLY_WRAPS
            for decorator in statement.decorator_list:
                worst = max(worst, self._inner_decorator(decorator))
            defaults = [*statement.args.defaults, *statement.args.kw_defaults]
            for default in defaults:
                if default is not None:
                    worst = max(worst, self.value(default))
            return worst
        if isinstance(statement, ast.ClassDef):
            # Made anew at each decoration: its instances may keep state (`self.calls`).
            self.classes.add(statement.name)
            self.bind(statement.name, harmless=False)
            if statement.keywords or statement.decorator_list:
                return Decoration.RUNS
            parts = [self._class_part(part) for part in statement.body]
            return max([Decoration.KEEPS_STATE, *parts, *map(self.value, statement.bases)])
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            for alias in statement.names:
                name = alias.asname or alias.name.partition(".")[0]
                self.bind(name, harmless=True)
            return Decoration.ONLY_WRAPS
        if isinstance(statement, ast.Return):
            if statement.value is not None:
                self.returns.append(statement.value)
            return Decoration.ONLY_WRAPS
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
            value = self.value(statement.value)
            if value is Decoration.RUNS:
                return value
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            if self.names_function(statement.value) and not any(
                isinstance(target, ast.Name) for target in targets
            ):
                value = Decoration.ONLY_WRAPS  # `wrapper.__wrapped__ = fn`
            return max((self._target(target, value) for target in targets), default=value)
        if isinstance(statement, ast.Raise):
            return Decoration.ONLY_WRAPS  # refusing the function, here and in the library
        if isinstance(statement, ast.Assert):
            return self.value(statement.test)  # `assert callable(fn)` (re-check 40)
        if isinstance(statement, ast.If):  # `if inspect.iscoroutinefunction(fn):`
            branches = [self._statement(inner) for inner in [*statement.body, *statement.orelse]]
            return max([self.value(statement.test), *branches])
        call = statement.value if isinstance(statement, ast.Expr) else None
        if isinstance(call, ast.Call) and last_name(call.func) == "update_wrapper":
            return max(
                [
                    Decoration.ONLY_WRAPS,
                    *(self.value(argument, call) for argument in arguments(call)),
                ]
            )
        return Decoration.RUNS  # a loop, a test, a call for what it does, a class...

    def _inner_decorator(self, decorator: ast.expr) -> Decoration:
        """`@functools.wraps(fn)` only copies names; a cache keeps state; anything else may
        do anything when the decorator runs."""
        called = decorator.func if isinstance(decorator, ast.Call) else decorator
        if is_cache(called):
            return Decoration.KEEPS_STATE
        if isinstance(decorator, ast.Call) and last_name(called) == "wraps":
            return max(
                (self.value(argument, decorator) for argument in arguments(decorator)),
                default=Decoration.ONLY_WRAPS,
            )
        return Decoration.RUNS

    def _target(self, target: ast.expr, value: Decoration) -> Decoration:
        """Binding a local, or setting an attribute of the function or its wrapper (state
        when the value may be changed: `fn.log = []`); anything else changes what is not
        its own (a module's dict, a global's attribute)."""
        if isinstance(target, ast.Name):
            self.bind(target.id, harmless=value is Decoration.ONLY_WRAPS)
            return Decoration.ONLY_WRAPS
        if (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and (target.value.id == self.function or target.value.id in self.nested)
        ):
            return value  # not a default's or a module's (`_into.latest = ...`: re-check 38)
        return Decoration.RUNS

    def returned(self, value: ast.expr) -> Decoration:
        """What it gives back: the function, a function it defines (or one of the
        functions it was given), alone or through `wraps`, `update_wrapper`, `cast` or a
        choice between such; anything else is another object, which may keep state."""
        if isinstance(value, ast.Name):
            known = value.id in self.parameters or value.id in self.nested
            return Decoration.ONLY_WRAPS if known else Decoration.KEEPS_STATE
        if isinstance(value, ast.Subscript) and root(value) in self.parameters:
            return self.value(value.slice)
        if isinstance(value, ast.IfExp):
            test = self.value(value.test)
            return max(test, self.returned(value.body), self.returned(value.orelse))
        if not isinstance(value, ast.Call):
            return max(Decoration.KEEPS_STATE, self.value(value))
        name = last_name(value.func)
        # `cast(F, wrapper)`: its type is not computed for what it holds (re-check 39)
        given_values = value.args[1:] if name == "cast" else arguments(value)
        given = max(
            [Decoration.ONLY_WRAPS, *(self.value(argument, value) for argument in given_values)]
        )
        wrapped: ast.expr | None = None
        if isinstance(value.func, ast.Call) and last_name(value.func.func) == "wraps":
            given = max(given, self._inner_decorator(value.func))  # `wraps(fn)(wrapper)`
            wrapped = value.args[0] if len(value.args) == 1 else None
        elif name == "update_wrapper" and value.args:
            wrapped = value.args[0]
        elif name == "cast" and len(value.args) == 2:
            wrapped = value.args[1]
        if wrapped is not None:
            return max(given, self.returned(wrapped))
        callee = value.func.func if isinstance(value.func, ast.Call) else value.func
        if name == "partial" or name in self.classes or is_cache(callee):  # new state
            return max(Decoration.KEEPS_STATE, given)
        if last_name(callee) in WRAPPING_DECORATORS:  # `numba.jit(fn)`
            return given
        return Decoration.RUNS  # another object, made by code that may do anything

    def _taken(self) -> Decoration:
        """What the functions it defines take from its scope (and a factory's)."""
        local = self.bound | (self.factory.bound if self.factory is not None else set())
        takeable = self.parameters | self.harmless | self.harmless_outer
        changeable = takes_changeable(self.node, self.table, takeable, local, self.function)
        return Decoration.KEEPS_STATE if changeable else Decoration.ONLY_WRAPS


def _constant(node: ast.expr) -> bool:
    """What a factory may keep without keeping state per decoration: a constant, a name or
    attribute (`ValueError`, `np.float32`: one object for every copy), a tuple of such;
    not what each evaluation makes anew (`[]`, a call)."""
    if isinstance(node, (ast.Constant, ast.Name)):
        return True
    if isinstance(node, ast.Attribute):
        return _constant(node.value)
    if isinstance(node, ast.UnaryOp):
        return _constant(node.operand)
    return isinstance(node, ast.Tuple) and all(_constant(element) for element in node.elts)


def _docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)

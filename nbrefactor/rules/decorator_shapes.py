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
import enum
import symtable

from nbrefactor.rules.decorator_captures import table_of, takes_changeable
from nbrefactor.rules.decorator_names import (
    INSPECTING,
    MAKERS,
    NAME_ATTRIBUTES,
    PLACE_ATTRIBUTES,
    PLACE_CALLS,
    WRAPPING_DECORATORS,
    harmless_use,
    is_cache,
    last_name,
    reads_a_name,
)


class Decoration(enum.IntEnum):
    """What applying a decorator does, from least to most: the worst of its parts wins."""

    ONLY_WRAPS = 0
    KEEPS_STATE = 1  # each decoration makes state its wrapper may change
    RUNS = 2  # does something when applied: may change state beyond the new function


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_MUTABLE = (ast.List, ast.Dict, ast.Set, *_COMPREHENSIONS, ast.Lambda)
_RUN = (ast.NamedExpr, ast.Await, ast.Yield, ast.YieldFrom)


def decoration(
    function: ast.FunctionDef,
    call: ast.Call | None = None,
    variables: frozenset[str] = frozenset(),
) -> Decoration:
    """What applying `function` as a decorator does; `call`: the decorator as the copy
    writes it when it calls `function` first (`@tagged("x")`, a factory); `variables`:
    the names its module binds by assignment, which the notebook may change before the
    copy's `def` applies it (re-check 37: `verbose = VERBOSE` when applied)."""
    try:
        text = ast.unparse(function)
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
        return _Decorator(outer, outer_table, frozenset(), variables).decoration()
    # A factory: its statements run at each decoration too, and it must give back a
    # decorator it defines, read as one; its parameters are harmless when constants.
    factory = _Decorator(outer, outer_table, frozenset(), variables, decorates=False)
    worst = factory.set_up()
    made = [
        factory.nested.get(value.id) if isinstance(value, ast.Name) else None
        for value in factory.returns
    ]
    if not made or None in made:
        return max([worst, *(factory.returned(value) for value in factory.returns)])
    constant = all(_constant(argument) for argument in _arguments(call))
    takeable = factory.harmless | (factory.parameters if constant else set())
    for decorator in made:
        assert decorator is not None
        inner = table_of(outer_table, decorator)
        if inner is None:
            return Decoration.RUNS
        read = _Decorator(decorator, inner, frozenset(takeable), variables, factory)
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
    return False


class _Decorator:
    """One decorator function read: its set-up statements, its locals, what its functions
    take from its scope."""

    def __init__(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        table: symtable.SymbolTable,
        harmless_outer: frozenset[str],
        variables: frozenset[str],
        factory: _Decorator | None = None,
        decorates: bool = True,
    ) -> None:
        self.node = node
        self.variables = variables  # its module's, which may change before it is applied
        self.table = table
        self.parameters = _parameter_names(node)
        # The decorated function: its first parameter (`*fns`: all of them). The others
        # keep their defaults, made once where the library defines the decorator: shared.
        self.function = _first_parameter(node) if decorates else None  # a factory's: none
        self.harmless_outer = harmless_outer  # a factory's names its functions may take
        self.factory = factory
        self.nested: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.harmless: set[str] = set()  # locals bound only to harmless values
        self.bound: set[str] = set(self.parameters)
        self.returns: list[ast.expr] = []
        self.classes: set[str] = set()  # the classes it defines: calling one makes an instance

    @property
    def makers(self) -> frozenset[str]:
        return MAKERS | self.classes

    def _class_part(self, statement: ast.stmt) -> Decoration:
        """A statement of a class it defines, run when it runs: methods, names bound to
        values that do nothing when computed."""
        if _docstring(statement) or isinstance(statement, (*_FUNCTIONS, ast.Pass)):
            decorators = getattr(statement, "decorator_list", [])
            return Decoration.RUNS if decorators else Decoration.ONLY_WRAPS
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
            return self._value(statement.value)
        return Decoration.RUNS

    @property
    def known(self) -> set[str]:
        """Its names whose values are not made to be changed: parameters (the function,
        defaults made once), harmless locals, the functions it defines."""
        return self.parameters | self.harmless | self.nested.keys()

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
                    worst = max(worst, self._value(default))
            return worst
        if isinstance(statement, ast.ClassDef):
            # Made anew at each decoration: its instances may keep state (`self.calls`).
            self.classes.add(statement.name)
            self._bind(statement.name, harmless=False)
            if statement.keywords or statement.decorator_list:
                return Decoration.RUNS
            parts = [self._class_part(part) for part in statement.body]
            return max([Decoration.KEEPS_STATE, *parts, *map(self._value, statement.bases)])
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            for alias in statement.names:
                name = alias.asname or alias.name.partition(".")[0]
                self._bind(name, harmless=True)
            return Decoration.ONLY_WRAPS
        if isinstance(statement, ast.Return):
            if statement.value is not None:
                self.returns.append(statement.value)
            return Decoration.ONLY_WRAPS
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
            value = self._value(statement.value)
            if value is Decoration.RUNS:
                return value
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            if self._names_function(statement.value) and not any(
                isinstance(target, ast.Name) for target in targets
            ):
                value = Decoration.ONLY_WRAPS  # `wrapper.__wrapped__ = fn`
            return max((self._target(target, value) for target in targets), default=value)
        call = statement.value if isinstance(statement, ast.Expr) else None
        if isinstance(call, ast.Call) and last_name(call.func) == "update_wrapper":
            return max(
                [
                    Decoration.ONLY_WRAPS,
                    *(self._value(argument, call) for argument in _arguments(call)),
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
                (self._value(argument, decorator) for argument in _arguments(decorator)),
                default=Decoration.ONLY_WRAPS,
            )
        return Decoration.RUNS

    def _target(self, target: ast.expr, value: Decoration) -> Decoration:
        """Binding a local, or setting an attribute of the function or its wrapper (state
        when the value may be changed: `fn.log = []`); anything else changes what is not
        its own (a module's dict, a global's attribute)."""
        if isinstance(target, ast.Name):
            self._bind(target.id, harmless=value is Decoration.ONLY_WRAPS)
            return Decoration.ONLY_WRAPS
        if (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id in self.bound
        ):
            return value
        return Decoration.RUNS

    def _bind(self, name: str, harmless: bool) -> None:
        if harmless and name not in self.bound:
            self.harmless.add(name)
        else:
            self.harmless.discard(name)
        self.bound.add(name)

    def _value(self, value: ast.expr, parent: ast.AST | None = None) -> Decoration:
        """A value computed when the decorator runs: a call other than an inspecting one
        (or a walrus, an await) may do anything; a list, dict, set or lambda is made to
        be changed or may close over what is; so is what a read of the function's or a
        local's attributes gives (`fn.__dict__`), but for its names (`fn.__name__`)."""
        worst = Decoration.ONLY_WRAPS
        pending: list[tuple[ast.AST, ast.AST | None]] = [(value, parent)]
        while pending:
            node, parent = pending.pop()
            if isinstance(node, _RUN):
                return Decoration.RUNS
            if isinstance(node, ast.Call):
                called = last_name(node.func)
                if is_cache(node.func) or called in self.makers:
                    worst = max(worst, Decoration.KEEPS_STATE)
                elif called == "getattr":  # an attribute of what it is given: `__dict__`?
                    named = reads_a_name(node)
                    worst = max(worst, Decoration.ONLY_WRAPS if named else Decoration.KEEPS_STATE)
                elif called not in INSPECTING:
                    return Decoration.RUNS
            elif isinstance(node, ast.Name) and node.id == self.function:
                if not harmless_use(node, parent):  # another name for it (`target = fn`)
                    worst = max(worst, Decoration.KEEPS_STATE)
            elif isinstance(node, ast.Name) and self._module_variable(node.id):
                return Decoration.RUNS  # the notebook may have changed it since the import
            elif self._changeable(node):
                worst = max(worst, Decoration.KEEPS_STATE)
            children: list[ast.AST]
            if isinstance(node, ast.Lambda):  # its body runs when it is called
                children = [*node.args.defaults, *filter(None, node.args.kw_defaults)]
            else:
                children = list(ast.iter_child_nodes(node))
            pending += [(child, node) for child in children]
        return worst

    def _names_function(self, value: ast.expr) -> bool:
        return isinstance(value, ast.Name) and value.id == self.function

    def _module_variable(self, name: str) -> bool:
        """A name its module binds by assignment, not one of its own or its factory's."""
        if name not in self.variables or name in self.bound:
            return False
        return self.factory is None or name not in self.factory.bound

    def _changeable(self, node: ast.AST) -> bool:
        """A list, dict, set or lambda made here; a local holding such a value; what an
        attribute or item of a local or of the function gives (`fn.__dict__`), but for the
        function's names (`fn.__name__`)."""
        if isinstance(node, _MUTABLE):
            return True
        if isinstance(node, ast.Name):
            return node.id in self.bound - self.known
        if isinstance(node, ast.Attribute) and node.attr in NAME_ATTRIBUTES:
            return False
        root = _root(node) if isinstance(node, (ast.Attribute, ast.Subscript)) else None
        return root in self.bound - self.harmless  # not a module's (`inspect.signature`)

    def returned(self, value: ast.expr) -> Decoration:
        """What it gives back: the function, a function it defines (or one of the
        functions it was given), alone or through `wraps`, `update_wrapper`, `cast` or a
        choice between such; anything else is another object, which may keep state."""
        if isinstance(value, ast.Name):
            known = value.id in self.parameters or value.id in self.nested
            return Decoration.ONLY_WRAPS if known else Decoration.KEEPS_STATE
        if isinstance(value, ast.Subscript) and _root(value) in self.parameters:
            return self._value(value.slice)
        if isinstance(value, ast.IfExp):
            test = self._value(value.test)
            return max(test, self.returned(value.body), self.returned(value.orelse))
        if not isinstance(value, ast.Call):
            return max(Decoration.KEEPS_STATE, self._value(value))
        name = last_name(value.func)
        given = max(
            [
                Decoration.ONLY_WRAPS,
                *(self._value(argument, value) for argument in _arguments(value)),
            ]
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


def _first_parameter(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    if positional:
        return positional[0].arg
    return arguments.vararg.arg if arguments.vararg is not None else None


def _parameter_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return {argument.arg for argument in every}


def _arguments(call: ast.Call) -> list[ast.expr]:
    return [*call.args, *(keyword.value for keyword in call.keywords)]


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


def _root(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None

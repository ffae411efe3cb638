"""Python's own scoping, asked of one definition or one statement.

`free_names`: the module-level names a top-level `def` reads (body,
decorators, defaults) or sets through `global`, from the standard library's
`symtable`, which knows comprehensions, nested functions, `global` and
`nonlocal`. `variables_bound`: the names statements bind (or `del`) at module
level by anything but `import`, `def` and `class`. `migrate` (a definition reading a
notebook variable is kept) and `extract` (such a helper is not moved) both
ask these. `locally_bound`: the names local to a function body, for the
reader, which must not count a local `name(...)` as a call of the library's.
How a definition reads its module's namespace by no name (`globals()`,
one-argument `eval`), which symtable cannot list, is `namespace_reads`'s.
`kernel_builtin`: what a name bound nowhere finds in a notebook's kernel.
"""

from __future__ import annotations

import ast
import builtins
import symtable
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from nbrefactor.analysis.code_warnings import code_warnings_ignored
from nbrefactor.analysis.words import names_in_code
from nbrefactor.value_base import ValueBase

# What IPython adds to the builtins in a kernel: where the notebook binds it nowhere, the name
# is that (`display(df)`), in the notebook's code and a module's alike.
IPYTHON_BUILTINS = frozenset({"display", "get_ipython"})
# What importing them binds, spelled as `import_targets` spells an import: the same
# `display` (`from IPython.display import display`; `IPython.core.display` in IPython 8),
# and a `get_ipython` giving the same shell (re-check 46: a copy calling `display` was kept).
IPYTHON_BUILTIN_IMPORTS = {
    "IPython.display.display": "builtins.display",
    "IPython.core.display.display": "builtins.display",
    "IPython.core.display_functions.display": "builtins.display",
    "IPython.get_ipython": "builtins.get_ipython",
    "IPython.core.getipython.get_ipython": "builtins.get_ipython",
}


def kernel_builtin(name: str) -> bool:
    """Whether a use of `name` that no binding of the notebook's reaches finds a builtin in
    the notebook's kernel: Python's, or one IPython adds (`display`, `get_ipython`)."""
    return hasattr(builtins, name) or name in IPYTHON_BUILTINS


@dataclass(frozen=True, eq=False, repr=False)
class FreeNames(ValueBase):
    """Module-level names a function uses: read (when defined or run), and declared `global`."""

    reads: tuple[str, ...]  # in first-seen order
    declared_global: frozenset[str]  # assigned through `global` somewhere in the function
    # Why Python would not compile the definition (`def f(x, x)`, a `nonlocal` with nothing to
    # bind); then `reads` is every name in its text but attributes, parameters included.
    error: str | None = None


@lru_cache(maxsize=1024)
def free_names(source: str) -> FreeNames:
    """The module-level names the function defined by `source` (one top-level `def`) reads,
    and those it assigns through `global`.

    Cached by text: `symtable` parses the text again, and notebooks paste the same
    helper many times (and the reader, which asks first, the safety check, which asks
    again of every kept definition).

    Annotations count as read (symtable puts them with the defaults): a notebook
    variable used as an annotation keeps a definition, the safe side. A definition Python
    does not compile is answered too (`FreeNames.error`): it never raises.
    """
    if source.rstrip("\r\n").endswith("\\"):
        # `x]\` ends its last line: the statement went on over the blank line after it,
        # which its text alone lacks (sweep 31, devito: "unexpected EOF while parsing").
        source += "\n"
    try:
        with code_warnings_ignored():  # `"\d"`: the code's warning (round 59b)
            table = symtable.symtable(source, "<definition>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        # Python rejects it where `ast` read it (re-check 46: migrate and extract failed on
        # such a copy with a traceback): no scopes to go by, every name counts as read.
        reason = error.msg if isinstance(error, SyntaxError) else type(error).__name__
        return FreeNames(tuple(dict.fromkeys(names_in_code(source))), frozenset(), reason)
    reads: dict[str, None] = {}
    declared: set[str] = set()
    # What runs when the `def` runs: decorators and defaults, read at module level.
    for symbol in table.get_symbols():
        if symbol.is_referenced():
            reads[symbol.get_name()] = None
    for scope in _scopes(table.get_children()):
        for symbol in _maybe_global(scope):
            # `is_local()` too: CPython 3.11's symtable takes any table named "top" for the
            # module's, so in a function named `top` its parameters and locals are "global".
            if not symbol.is_global() or symbol.is_local():
                continue
            if symbol.is_referenced():
                reads[symbol.get_name()] = None
            if symbol.is_declared_global() and symbol.is_assigned():
                declared.add(symbol.get_name())
    return FreeNames(tuple(reads), frozenset(declared))


def _maybe_global(scope: symtable.SymbolTable) -> list[symtable.Symbol]:
    """The symbols of a scope that may be global, in order: of a function, those whose scope
    is global (`get_globals`, from the table's flags), not every local and parameter made a
    `Symbol` to be asked; of a class body, all."""
    if isinstance(scope, symtable.Function):
        return [scope.lookup(name) for name in scope.get_globals()]
    return scope.get_symbols()


def _scopes(tables: list[symtable.SymbolTable]) -> Iterator[symtable.SymbolTable]:
    pending = list(tables)
    while pending:
        table = pending.pop()
        yield table
        pending.extend(table.get_children())


def called_name(call: ast.Call) -> str | None:
    """The name a call calls: `f` of `f(x)`, `append` of `xs.append(x)`; None for another
    callee (`fs[0](x)`)."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def variables_bound_by(statement: ast.stmt, may_declare_global: bool = True) -> set[str]:
    """Names a top-level statement binds, by anything but `import`, `def` and `class`."""
    return variables_bound(ast.Module(body=[statement], type_ignores=[]), may_declare_global)


def variables_bound(tree: ast.Module, may_declare_global: bool = True) -> set[str]:
    """Names a cell binds at module level, by anything but `import`, `def` and `class`, or
    unbinds (`del math`: what a function reads of it changes as by an assignment; round
    48a found a copy's NameError after `del math` replaced by the library's value).

    `may_declare_global` False says the text holds no `global`: the bodies of
    functions and classes, which bind only what they declare global, are not walked.
    """
    names: set[str] = set()
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            # Decorators and defaults run here; the body binds only what it declares global.
            pending.extend(getattr(node, "decorator_list", ()))
            pending.extend(node.args.defaults)
            pending.extend(default for default in node.args.kw_defaults if default is not None)
            if may_declare_global:
                names.update(_declared_global(node))
            continue
        if isinstance(node, ast.ClassDef):
            pending.extend((*node.decorator_list, *node.bases, *node.keywords))
            if may_declare_global:
                names.update(_declared_global(node))
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.comprehension):
            # Its target is local to the comprehension; a walrus in it binds here.
            pending.extend((node.iter, *node.ifs))
            _walrus_targets(node.target, names)
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names.add(node.rest)
        elif isinstance(node, ast.Global):
            names.update(node.names)
        pending.extend(ast.iter_child_nodes(node))
    return names


def _declared_global(node: ast.AST) -> set[str]:
    return {
        name for inner in ast.walk(node) if isinstance(inner, ast.Global) for name in inner.names
    }


def _walrus_targets(node: ast.AST, names: set[str]) -> None:
    for inner in ast.walk(node):
        if isinstance(inner, ast.NamedExpr) and isinstance(inner.target, ast.Name):
            names.add(inner.target.id)


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_NEW_SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Lambda,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


def locally_bound(body: list[ast.AST]) -> set[str]:
    """Names a function body binds, which are local in all of it (Python's scoping rule)."""
    bound: set[str] = set()
    declared_global: set[str] = set()
    pending = list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)  # its body is another scope
            continue
        if isinstance(node, _COMPREHENSIONS):
            # A walrus in a comprehension binds in the function around it (PEP 572).
            _walrus_targets(node, bound)
            continue
        if isinstance(node, _NEW_SCOPES):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            declared_global.update(node.names)
        pending.extend(ast.iter_child_nodes(node))
    return bound - declared_global


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_BLOCKS = (ast.stmt, ast.excepthandler, ast.match_case)
# The fields holding statements (or handlers and cases, which hold them), in `_fields` order.
_STATEMENT_LISTS = ("body", "handlers", "orelse", "finalbody", "cases")


def module_scope_statements(statements: list[ast.stmt]) -> list[ast.stmt]:
    """The statements that run in the module's scope, in order: `statements` and those in
    their blocks (`if`, `for`, `with`, `try`, `match`), not those in a `def`'s or
    `class`'s body (the `def` and the `class` themselves are)."""
    found = []
    pending: list[ast.AST] = list(reversed(statements))
    while pending:
        node = pending.pop()
        if isinstance(node, ast.stmt):
            found.append(node)
            if isinstance(node, _DEFINITIONS):
                continue
        blocks = [child for child in ast.iter_child_nodes(node) if isinstance(child, _BLOCKS)]
        pending.extend(reversed(blocks))
    return found


def nested_statements(node: ast.AST) -> Iterator[ast.stmt]:
    """The statements under `node` at any depth (a `def`'s or `class`'s body too), in the order
    `ast.walk` meets them, without visiting an expression: no statement sits in one."""
    pending: deque[ast.AST] = deque([node])
    while pending:
        part = pending.popleft()
        if isinstance(part, ast.stmt) and part is not node:
            yield part
        for field in _STATEMENT_LISTS:
            pending.extend(getattr(part, field, ()))


def is_generator(body: Sequence[ast.stmt]) -> bool:
    """Whether a function with this body is a generator: a `yield` in its own scope (a call
    returns a generator, not what the body returns)."""
    pending: list[ast.AST] = list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(node, (*_DEFINITIONS, ast.Lambda)):
            # Another scope, but what defines it runs in this one: decorators, defaults,
            # annotations, bases (re-check 29: `def inner(x=(yield n))`). A comprehension
            # cannot hold a `yield`.
            pending.extend(computed_where_defined(node))
            continue
        pending.extend(ast.iter_child_nodes(node))
    return False


def computed_where_defined(node: ast.AST, annotations: bool = True) -> list[ast.AST]:
    """The parts of a `def`, `class` or lambda computed in the scope around it, when the
    definition runs; its annotations only with `annotations` (False: `from __future__ import
    annotations` postponed them)."""
    found: list[ast.AST] = list(getattr(node, "decorator_list", ()))
    arguments = getattr(node, "args", None)
    if isinstance(arguments, ast.arguments):
        found += arguments.defaults
        found += [default for default in arguments.kw_defaults if default is not None]
        if annotations and not isinstance(node, ast.Lambda):
            found += [a.annotation for a in all_arguments(arguments) if a.annotation]
    if isinstance(node, ast.ClassDef):
        found += [*node.bases, *node.keywords]
    returns = getattr(node, "returns", None)
    if annotations and returns is not None:
        found.append(returns)
    return found


def annotated(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[str, ast.expr]]:
    """(parameter, annotation) of each annotated parameter of a `def`, then ("return", its
    return annotation): what the `def` computes when it runs, unless postponed."""
    found = [(argument.arg, argument.annotation) for argument in all_arguments(node.args)]
    found.append(("return", node.returns))
    return [(name, annotation) for name, annotation in found if annotation is not None]


def all_arguments(arguments: ast.arguments) -> list[ast.arg]:
    """Every parameter of a signature: positional-only, plain, keyword-only, `*`, `**`."""
    found = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    for star in (arguments.vararg, arguments.kwarg):
        if star is not None:
            found.append(star)
    return found

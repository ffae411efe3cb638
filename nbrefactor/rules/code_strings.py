"""Which strings naming a function run it by name: code in a string, or a namespace's key.

A string that names a replaced function may be code (`eval("f(2, show=True)")`,
`timeit.timeit("f(2)", globals=globals())`, `cProfile.run("f(2)")`,
`get_ipython().run_cell("f(2)")`) or a key of the notebook's namespace
(`globals()["f"](2)`, `globals().get("f")`, `get_ipython().user_ns["f"]`,
`getattr(__main__, "f")`): a
use of the function whose arguments the reader cannot see (`call_binding`,
`NBR215`). A string that reads as a call of the function or as its name alone
(`EXPERIMENTS = ["f(data)"]`, `name = "f"`) is such a use too when the notebook
runs code or looks a name up by a value not written in place (`eval(expr)`,
`globals()[name]`, `g = globals()`: `code_by_value`, `NBR247`). Any other
string (`metrics=["accuracy"]`, a title, a docstring) is data, however it is
spelled.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from nbrefactor.analysis.dynamic_bindings import is_namespace
from nbrefactor.analysis.namespace_reads import builtin_name, is_main_module
from nbrefactor.analysis.parsing import Unparseable, parse_cell
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.text import stripped_line
from nbrefactor.analysis.words import has_word, word_offsets

# Calls whose string argument is code: Python's (`timeit.timeit`, `cProfile.run`, `pdb.run`
# run it too), and IPython's.
_CODE_FUNCTIONS = frozenset({"eval", "exec", "compile", "timeit", "Timer"})
_CODE_METHODS = frozenset(
    {"run_cell", "run_line_magic", "run_cell_magic", "ev", "ex"}
    | {"timeit", "repeat", "Timer", "run", "runctx", "runeval"}
    | {"runsource", "runcode"}  # `code.InteractiveInterpreter(globals())` (sweep 28b)
)
# What a cell must say to run code, or look a name up, by a value: the cells parsed for it.
_BY_VALUE_WORDS = ("eval", "exec", "compile", "run_cell", "globals", "vars", "locals", "user_ns")
# Methods that read a namespace by key: `globals().get("f")`.
_KEY_METHODS = frozenset({"get", "pop", "setdefault", "__getitem__"})
# What holds the notebook's namespace, by key.
_NAMESPACE_CALLS = frozenset({"globals", "vars", "locals"})  # with an argument: `vars(m)`
_READ_ATTRIBUTES = frozenset({"__dict__", "f_globals"})


def runs_by_name(program: Program, cell: int, statement: int, name: str) -> bool:
    """Whether a string in top-level `statement` of `cell` names `name` as code or as a key
    of the notebook's namespace. A statement that cannot be read again counts as doing so."""
    return names_as_code(top_level_statement(program, cell, statement), name)


def names_as_code(node: ast.AST | None, name: str) -> bool:
    """`runs_by_name` of a statement already read (`top_level_statement`); None counts."""
    return node is None or any(_names_as_code(inner, name) for inner in ast.walk(node))


def top_level_statement(program: Program, cell: int, statement: int) -> ast.AST | None:
    """Top-level `statement` of `cell` as read (its lines parsed again for a broken cell);
    None when it cannot be read."""
    reading = program.reading(cell)
    if reading is None or statement >= len(reading.facts.tree.body):
        return None
    node: ast.AST = reading.facts.tree.body[statement]
    if reading.skeletal:  # the statement stands only for its lines: read them
        first, last = node.lineno, node.end_lineno or node.lineno  # type: ignore[attr-defined]
        text = reading.lines(first, last)
        try:
            node = ast.parse(text.strip())
        except (SyntaxError, ValueError):
            return None
    return node


def calling_strings(program: Program, cell: int, statement: int, name: str) -> list[str] | None:
    """The strings in top-level `statement` of `cell` that read as a call of `name`
    (`"f(data)"`) or are `name` alone (`"f"`): what `eval(expr)` or `globals()[key]` may
    run when the string reaches them through a variable. One with a `~` is a formula
    (`"y ~ f(x) + z"`), whose calls patsy, which statsmodels' formulas (`smf.ols`,
    `from_formula`) use, runs in the caller's namespace (sweep 28: statsmodels'
    glm_formula.ipynb then called the library's `double_it` with one argument). None when
    the statement cannot be read again."""
    node = top_level_statement(program, cell, statement)
    if node is None:
        return None
    return [text for text in _strings(node) if text.strip() == name or _calls(text, name)]


def _strings(node: ast.AST) -> list[str]:
    return [
        inner.value
        for inner in ast.walk(node)
        if isinstance(inner, ast.Constant) and isinstance(inner.value, str)
    ]


def _calls(text: str, name: str) -> bool:
    """Whether `name` stands in `text` before a `(` (`f(`, `f (`)."""
    return next(_call_offsets(text, name), None) is not None


def pandas_call(text: str, name: str) -> bool:
    """Whether `text` calls `name` as pandas' expressions call a variable: `@f(` (`"a >
    @f(1)"`, which `DataFrame.query` and `eval` run in the caller's namespace)."""
    return any(text[offset - 1 : offset] == "@" for offset in _call_offsets(text, name))


def _call_offsets(text: str, name: str) -> Iterator[int]:
    """The offsets where `name` stands in `text` before a `(`."""
    for offset in word_offsets(text, name):
        end = offset + len(name)
        if text[end : end + 80].lstrip().startswith("("):
            yield offset


def code_by_value(program: Program) -> tuple[int, str] | None:
    """(cell, line) of the first statement running code given by a value not written in
    place (`eval(expr)`, `exec(code)`, `get_ipython().run_cell(text)`), looking a name up in
    the notebook's namespace by one (`globals()[name]`, `globals().get(key)`,
    `getattr(__main__, name)`), or holding the namespace under another name (`g =
    globals()`); None when there is none. Cells that do not parse are not read."""
    return first_node(
        program, lambda source: any(word in source for word in _BY_VALUE_WORDS), _by_value
    )


def first_node(
    program: Program, may_hold: Callable[[str], bool], found: Callable[[ast.AST], bool]
) -> tuple[int, str] | None:
    """(cell, line) of the first node `found` accepts in the code cells whose text
    `may_hold` one (each cell's own string: a 5 MB cell is not copied); cells that do not
    parse are not read."""
    code = (
        (cell.number, cell.source) for cell in program.notebook.cells if cell.cell_type == "code"
    )
    for number, source, tree in _parsed(code, may_hold):
        for node in ast.walk(tree):
            if found(node):
                return number, stripped_line(source, getattr(node, "lineno", 1))
    return None


def _parsed(
    sources: Iterable[tuple[int, str]], may_hold: Callable[[str], bool]
) -> Iterator[tuple[int, str, ast.Module]]:
    """(cell, text, tree) of each of the cells (`sources`) whose text `may_hold` what is
    looked for, asked as each comes; the cells that do not parse are passed over."""
    for number, source in sources:
        if not may_hold(source):
            continue
        try:
            tree, _ = parse_cell(source)
        except Unparseable:
            continue
        yield number, source, tree


def _by_value(node: ast.AST) -> bool:
    def written(value: ast.expr) -> bool:
        return isinstance(value, ast.Constant)

    if isinstance(node, ast.Subscript):
        return _is_namespace(node.value) and not written(node.slice)
    if isinstance(node, ast.Assign):  # `g = globals()`: the namespace under another name
        return is_namespace(node.value, in_function=False)
    if not isinstance(node, ast.Call) or not node.args:
        return False
    func, first = node.func, node.args[0]
    called = builtin_name(func)  # `eval`, `builtins.eval`
    if _runs_code_by_value(node):
        return True
    if called in ("getattr", "hasattr") and len(node.args) >= 2:
        return _is_namespace(first) and not written(node.args[1])
    if isinstance(func, ast.Attribute) and func.attr in _KEY_METHODS:
        return _is_namespace(func.value) and not written(first)
    return False


def _runs_code_by_value(node: ast.Call) -> bool:
    """Whether the call runs code given by a value not written in place: `eval(expr)`,
    `exec(code)`, `get_ipython().run_cell(text)`."""
    if not node.args:
        return False
    func, first = node.func, node.args[0]
    if builtin_name(func) in ("eval", "exec", "compile") or (
        isinstance(func, ast.Attribute) and func.attr in ("run_cell", "ev", "ex")
    ):
        return not isinstance(first, ast.Constant)
    return False


def _code_texts(node: ast.Call) -> list[str]:
    """The strings written in the arguments of a call that runs its strings as code
    (`exec("import m")`, `timeit.timeit("f(2)")`, `get_ipython().run_cell("f(2)")`); none for
    another call."""
    func = node.func
    if builtin_name(func) not in _CODE_FUNCTIONS and not (  # `eval`, `builtins.eval`
        isinstance(func, ast.Attribute) and func.attr in _CODE_METHODS
    ):
        return []
    return [
        value.value
        for argument in node.args
        for value in ast.walk(argument)
        if isinstance(value, ast.Constant) and isinstance(value.value, str)
    ]


class StringCode(NamedTuple):
    """What a notebook's cells run as code from strings, for one word (a module's name)."""

    texts: list[tuple[int, str]]  # (cell, string) written in a call running it, holding the word
    by_value: tuple[int, str] | None  # (cell, line) of the first call running code by a value
    named: int | None  # the first cell with a string holding the word as a word


def string_code(sources: Sequence[tuple[int, str]], word: str) -> StringCode:
    """The code strings of the notebook's code cells (`sources`, in order) that hold `word`
    (`exec("import fancylib")`): code the cells run, which reading the cells' text alone
    misses (round 59b F3). With the first call running code given by a value, whose text
    cannot be read (`exec(code)`), and the first cell with a string naming `word`, which such
    code may have been built from. Cells that do not parse are not read."""
    texts: list[tuple[int, str]] = []
    by_value: tuple[int, str] | None = None
    named: int | None = None

    def may_hold(source: str) -> bool:  # the word, or a call running code not found yet
        return word in source or (by_value is None and _runs_code_words(source))

    for cell, source, tree in _parsed(sources, may_hold):
        holds = word in source
        for node in ast.walk(tree):
            if holds and named is None and _names_word(node, word):
                named = cell
            if not isinstance(node, ast.Call):
                continue
            if holds:
                texts += [(cell, text) for text in _code_texts(node) if word in text]
            if by_value is None and _runs_code_by_value(node):
                by_value = cell, stripped_line(source, node.lineno)
    return StringCode(texts, by_value, named)


def _names_word(node: ast.AST, word: str) -> bool:
    """Whether the node is a string holding `word` as a word."""
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and has_word(node.value, word)
    )


def _runs_code_words(source: str) -> bool:
    """Whether the cell's text may run code given by a value (`_runs_code_by_value`)."""
    return any(word in source for word in ("eval", "exec", "compile", "run_cell", ".ev", ".ex"))


def _names_as_code(node: ast.AST, name: str) -> bool:
    if isinstance(node, ast.Subscript):
        return _is_namespace(node.value) and _is_literal(node.slice, name)
    if isinstance(node, ast.Compare):  # `"f" in globals()`, `"f" not in dir()` (sweep 29)
        return (
            _is_literal(node.left, name)
            and isinstance(node.ops[0], (ast.In, ast.NotIn))
            and _lists_names(node.comparators[0])
        )
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    called = builtin_name(func)  # `eval`, `builtins.eval`
    if any(has_word(text, name) for text in _code_texts(node)):
        return True
    if called in ("getattr", "hasattr") and len(node.args) >= 2:
        return _is_namespace(node.args[0]) and _is_literal(node.args[1], name)
    if isinstance(func, ast.Attribute) and func.attr in _KEY_METHODS and node.args:
        return _is_namespace(func.value) and _is_literal(node.args[0], name)
    return False


def _is_namespace(node: ast.expr) -> bool:
    """What a write to the namespace goes through (`dynamic_bindings.is_namespace`:
    `globals()`, `vars()`, `X.user_ns`), and what else a read may: `vars(__main__)`,
    `X.__dict__`, `frame.f_globals`, `__main__`, `sys.modules[...]`."""
    if is_namespace(node, in_function=False) or is_main_module(node):
        return True
    if isinstance(node, ast.Call):
        return builtin_name(node.func) in _NAMESPACE_CALLS  # `vars(__main__)`
    if isinstance(node, ast.Attribute):
        return node.attr in _READ_ATTRIBUTES
    if isinstance(node, ast.Name):
        return node.id == "__main__"
    if isinstance(node, ast.Subscript):
        value = node.value
        return isinstance(value, ast.Attribute) and value.attr == "modules"
    return False


def _lists_names(node: ast.expr) -> bool:
    """The notebook's namespace, or its names: `globals()`, `dir()`, `globals().keys()`
    (re-check 29)."""
    if _is_namespace(node):
        return True
    if not isinstance(node, ast.Call) or node.args:
        return False
    function = node.func
    if builtin_name(function) == "dir":
        return True
    return (
        isinstance(function, ast.Attribute)
        and function.attr == "keys"
        and _is_namespace(function.value)
    )


def _is_literal(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Constant) and node.value == name

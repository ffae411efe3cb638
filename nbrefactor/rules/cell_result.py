"""Rule: what removing definitions changes in what a cell displays, said in the report.

IPython displays the value of a cell's last statement when it is an expression
(and binds it to `_` and `Out[n]`), unless a `;` ends it. A definition is a
statement, so `sorted(values)` followed by `def f(...)` displays nothing: once
the definitions that end the cell are removed, the expression above them is
displayed. The migration still goes (the displayed value is output, not the
notebook's computation), and its report says so: `ResultShown`, a detail of
the replacement, as a drifted body is.

IPython displays nothing for None: a call known to return None (`print`,
logging, `plt.show()`, a list's `append`; `_RETURNS_NONE`) is not said, unless the
notebook binds that name itself (`log = np.log`) or `display` is given a `display_id`.
Any other call may return something to display, and so does a numeric module's
function named like a method that returns None (`np.log(10)`, `np.append(a, 4)`), and
a `log` called with nothing (a tensor's, `t.log()`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Sequence

from nbrefactor import reasons
from nbrefactor.analysis.binding_text import binding_lines
from nbrefactor.analysis.events import Binding
from nbrefactor.analysis.magics import MaskedSource
from nbrefactor.analysis.notebook_imports import NotebookImports
from nbrefactor.analysis.parsing import Unparseable, parse_cell
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.scopes import called_name, variables_bound
from nbrefactor.analysis.text import column_offset, line_start, whole_lines
from nbrefactor.rules.definitions import DefinitionDecisions
from nbrefactor.rules.import_decision import ImportDecision

# Functions and methods, by name, that return None: what is displayed of a call of one
# is nothing. Builtins and IPython's, logging's, matplotlib's, the containers' mutators, and
# the calls of a training loop.
_RETURNS_NONE = frozenset(
    {
        *("print", "display", "pprint", "sleep", "exec"),
        *("show", "savefig", "close", "tight_layout", "clf", "cla"),
        *("debug", "info", "warning", "warn", "error", "critical", "exception", "log"),
        *("append", "extend", "insert", "sort", "reverse", "clear", "update"),
        *("discard", "remove"),  # not `add`: pandas' and `operator.add` return a value
        # random's and numpy's `seed` (`_SEEDS`); torch training (`step` with no argument:
        # `optimizer.step()`, not `plt.step(x, y)` nor `env.step(action)`; re-check 46)
        *("seed", "zero_grad", "backward", "step"),
        # Settings: warnings', matplotlib's (`mpl.rc`, `plt.style.use`), numpy's, pandas',
        # seaborn's, logging's; folders made or changed (sweep U).
        *("filterwarnings", "simplefilter", "rc", "rcdefaults", "use", "set_printoptions"),
        *("set_option", "set_style", "set_theme", "set_context", "basicConfig"),
        *("makedirs", "mkdir", "chdir"),
    }
)


def shown_results(
    program: Program, definitions: DefinitionDecisions, placement: ImportDecision
) -> Mapping[Binding, reasons.ResultShown]:
    """The removed definitions after which their cell ends with a displayed expression,
    unless the import goes after that expression."""
    by_cell: dict[int, list[Binding]] = {}
    for binding in definitions.removed:
        by_cell.setdefault(binding.cell, []).append(binding)
    found: dict[Binding, reasons.ResultShown] = {}
    imports: list[NotebookImports] = []  # made when first asked: few cells end so

    def notebook_imports() -> NotebookImports:
        if not imports:
            imports.append(NotebookImports(program.notebook))
        return imports[0]

    def module_of(name: str) -> str | None:
        """What an import of the notebook binds `name` to (`numpy` for `np`), or None."""
        targets = notebook_imports().targets(name)
        return targets[-1][1] if targets else None

    def bound_otherwise(name: str) -> bool:
        """Whether the notebook may bind `name` by other than an import (`log = np.log`,
        `def print(...)`): then what a call of it returns is not what its name says."""
        return notebook_imports().defines(name) or any(
            cell.cell_type == "code"
            and name in cell.source
            and next(binding_lines(cell.source, name), None) is not None
            and _binds(cell.source, name)
            for cell in program.notebook.cells
        )

    for cell, bindings in by_cell.items():
        reading = program.reading(cell)
        if reading is None or reading.error is not None or reading.skeletal:
            continue
        body = reading.facts.tree.body
        gone = {binding.statement_index for binding in bindings}
        if len(body) - 1 not in gone:
            continue  # the cell's last statement stays
        remaining = [index for index in range(len(body)) if index not in gone]
        if not remaining:
            continue
        last = body[remaining[-1]]
        if not isinstance(last, ast.Expr) or _returns_none(last.value, module_of, bound_otherwise):
            continue
        text = _statement_text(reading.masked, reading.line_starts, last)
        if text is None:
            continue  # `x;`, or an IPython line that displays nothing (`!ls`, `%matplotlib`)
        edit = placement.edit
        if placement.cell == cell and edit is not None and edit.statement_index > remaining[-1]:
            continue  # the import ends the cell
        for binding in bindings:
            if binding.statement_index > remaining[-1]:
                found[binding] = reasons.ResultShown(cell, text)
    return found


def _binds(source: str, name: str) -> bool:
    """Whether the cell binds `name` in module scope by other than an import, a `def` or a
    `class` (asked only of cells whose text may: `binding_lines`); a cell that does not
    parse is taken not to (a comment or string naming `print` is not a binding of it)."""
    try:
        tree, _ = parse_cell(source)
    except Unparseable:
        return False
    return name in variables_bound(tree)


def _statement_text(masked: MaskedSource, starts: Sequence[int], statement: ast.Expr) -> str | None:
    """The expression's first line, or None when a `;` after it keeps IPython quiet; of a
    masked IPython line, the line when IPython displays what it returns (`_magic_displays`),
    else None."""
    text = masked.text
    if masked.originals or masked.prefixes:
        last = statement.end_lineno or statement.lineno
        lines = whole_lines(text, starts, statement.lineno, last)
        original = masked.unmask(lines)
        if original != lines:
            line = original.strip().split("\n", 1)[0].rstrip()
            return line if _magic_displays(line) else None
    end_line = line_start(text, starts, statement.end_lineno or statement.lineno)
    end = column_offset(text, end_line, statement.end_col_offset or 0)
    if text[end:].lstrip(" \t").startswith(";"):
        return None
    return ast.unparse(statement).split("\n", 1)[0]


# Line magics whose value IPython displays (sweep 27): `%time EXPR` (a statement or a call
# known to return None is not asked), `%pwd`, `%who_ls`, `%sx CMD` (and `!!CMD`), `%dirs`,
# `%precision`, `%env` asked for the environment or one variable, `%timeit -o`.
_DISPLAYING_MAGICS = frozenset({"time", "pwd", "who_ls", "sx", "system", "dirs", "precision"})


def _magic_displays(line: str) -> bool:
    """Whether IPython displays what the IPython line returns, when it ends its cell."""
    if line.endswith(";"):
        return False
    if line.startswith("!!"):
        return True
    if not line.startswith("%") or line.startswith("%%"):
        return False
    name, _, arguments = line[1:].partition(" ")
    if name == "timeit":
        return "-o" in arguments.split()
    if name == "env":
        return "=" not in arguments and len(arguments.split()) <= 1
    return name in _DISPLAYING_MAGICS


# Names that return None as methods (`values.append(4)`, `stats.update(d)`) and a value as
# the functions of numeric modules (`np.append(a, 4)`, `np.log(10)`, `math.log(8, 2)`,
# `torch.add(x, 1)`): only such a module's is said to display (sweep 27); another module's
# (`wandb.log(...)`, `logging.log(...)`) is taken to return None, as the name says.
_METHOD_NAMES = frozenset(
    {
        *("append", "extend", "insert", "sort", "reverse", "clear", "update"),
        *("discard", "remove", "log"),
    }
)
# The `seed` functions that return None: a gym environment's `env.seed(0)` returns its
# seeds, `torch.seed()` one (re-check 46).
_SEEDS = frozenset({"random.seed", "numpy.random.seed"})
_NUMERIC_MODULES = frozenset(
    {"numpy", "math", "cmath", "torch", "jax", "scipy", "sympy", "tensorflow", "cupy"}
)


def _returns_none(
    expression: ast.expr,
    module_of: Callable[[str], str | None],
    bound_otherwise: Callable[[str], bool],
) -> bool:
    """Whether the expression is a call of a function known to return None (`_RETURNS_NONE`):
    by its name, but for a method name called on a numeric module (`np.append(a, 4)`), which
    `module_of` says the name the call starts with is an import of; `step` only given
    nothing, `seed` only random's and numpy's; `display` not given a `display_id` (it then
    returns a handle); a bare name not one the notebook binds itself (`bound_otherwise`:
    `log = np.log`, round 52b)."""
    if not isinstance(expression, ast.Call):
        return False
    name = called_name(expression)
    if name not in _RETURNS_NONE:
        return False
    if name == "display" and any(keyword.arg == "display_id" for keyword in expression.keywords):
        return False  # `display(x, display_id=True)` returns its DisplayHandle
    if isinstance(expression.func, ast.Name) and bound_otherwise(name):
        return False
    given = bool(expression.args or expression.keywords)
    if name == "log" and not given:
        return False  # `t.log()`: a tensor's logarithm; a logger's `log` is given a message
    if name == "step":
        return not given  # `optimizer.step()`; `plt.step(x, y)` returns its lines
    attributes = []
    root = expression.func
    while isinstance(root, ast.Attribute):
        attributes.append(root.attr)
        root = root.value
    module = module_of(root.id) if isinstance(root, ast.Name) else None
    if name == "seed":
        return module is not None and ".".join([module, *reversed(attributes)]) in _SEEDS
    if name not in _METHOD_NAMES:
        return True  # `print(...)`, `plt.show()`, `logger.info(...)`
    return module is None or module.partition(".")[0] not in _NUMERIC_MODULES

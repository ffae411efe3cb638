"""What `extract` needs to know of one notebook: its top-level definitions, bindings and calls.

Cells are read as `migrate` reads them: non-Python cell magics skipped,
IPython lines masked (`parsing`), and a cell that does not parse read
statement by statement (`tolerant`), so that a helper whose own lines parse
is found in a broken cell. A definition is kept with the text it would have
in a module (its decorators and the comment lines directly above it), and
with the reason it cannot be moved when its body holds IPython syntax or
does not parse.
"""

from __future__ import annotations

import ast
import re
import shlex
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nbrefactor.analysis.code_warnings import code_warnings_ignored
from nbrefactor.analysis.definition_key import definition_key
from nbrefactor.analysis.events import CallShape
from nbrefactor.analysis.library_function import signature_too_deep
from nbrefactor.analysis.magics import PYTHON_CELL_MAGICS, MaskedSource, cell_magic
from nbrefactor.analysis.mentions import DEF_BLANK, Watched
from nbrefactor.analysis.parameter_readers import parameter_readers, reader_named
from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.analysis.reader import Unread, read_cell
from nbrefactor.analysis.scopes import called_name
from nbrefactor.analysis.text import split_lines
from nbrefactor.edits.layout import COLAB_FORM_LINES, footer_end
from nbrefactor.extract.scopes import (
    ModuleBinding,
    module_name_calls,
    star_imports,
    statement_bindings,
)
from nbrefactor.nbfile.notebook import Notebook

# A variant whose body holds IPython syntax: it cannot move, and `migrate` replaces it all
# the same (body differs), so `other_functions` compares it as another function.
IPYTHON_IN_BODY = "IPython syntax in its body"

# Names a broken cell seems to `def`, for the tolerant reader, the blanks read as the text
# gate reads them (`def \` then `f(x):`); `^` then literals: no backtracking.
_DEF_LINE = re.compile(rf"^(?:async{DEF_BLANK}+)?def{DEF_BLANK}+(\w+)", re.MULTILINE)
# No module is watched: a word that cannot be a module name.
_NO_MODULE = "<no module>"


@dataclass(frozen=True, eq=False)
class Definition:
    """A top-level `def` or `class` of a notebook, as it would be written into a module."""

    path: Path
    cell: int
    name: str
    node: ast.stmt  # ast.FunctionDef, ast.AsyncFunctionDef or ast.ClassDef
    source: str  # comment lines above, decorators and the statement; "\n" line endings
    key: str  # equal for definitions that differ only in formatting, comments and docstrings
    problem: str | None = None  # why it cannot be moved into a module

    @property
    def place(self) -> str:
        return f"{self.path}:cell {self.cell}"

    @property
    def is_function(self) -> bool:
        return isinstance(self.node, ast.FunctionDef)

    @property
    def is_async(self) -> bool:
        """An `async def`: read (its name is bound), never moved."""
        return isinstance(self.node, ast.AsyncFunctionDef)


@dataclass
class NotebookReading:
    """One notebook read for `extract`: every cell that parsed, in whole or in pieces."""

    path: Path
    definitions: list[Definition] = field(default_factory=list)
    bindings: dict[str, list[ModuleBinding]] = field(default_factory=lambda: defaultdict(list))
    calls: dict[str, list[tuple[int, CallShape]]] = field(default_factory=lambda: defaultdict(list))
    # name -> (cell, the call) where it is handed to a call reading its parameters
    # (`curve_fit(model, x, y)`: `parameter_readers.PARAMETER_READERS`)
    # name -> (cell, reader as shown, whether used as a value there rather than handed to it)
    handed: dict[str, list[tuple[int, str, bool]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    parsed_cells: list[int] = field(default_factory=list)  # cells that parsed as a whole
    unreadable: dict[int, str] = field(default_factory=dict)  # cell -> why it was not read
    # (cell, source) of the code cells in Python (`analysis.module_identity` reads their imports)
    sources: list[tuple[int, str]] = field(default_factory=list)
    # cell -> the file its `%%writefile FILE` (or `%%file`) cell writes, as written there
    writes_files: dict[int, str] = field(default_factory=dict)
    # module's last name -> (cell, line) of each `from ... MODULE import *`
    star_imports: dict[str, list[tuple[int, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )


def read_notebook(path: Path, notebook: Notebook) -> NotebookReading:
    """The definitions, module-level bindings and calls of every code cell that can be read."""
    reading = NotebookReading(path)
    if notebook.language not in (None, "python"):
        return reading
    # The parameter readers and the names the notebook gives them (`curve_fit as cf`), and
    # the first the notebook names, which a function it uses as a value may reach.
    sources = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    readers = parameter_readers(sources)
    named = reader_named(sources, readers)
    defined = frozenset(name for source in sources for name in _DEF_LINE.findall(source))
    for cell in notebook.cells:
        if cell.cell_type == "code":
            _read_cell(reading, cell.number, cell.source, readers, (named, defined))
            if cell_magic(cell.source) in (None, *PYTHON_CELL_MAGICS):
                reading.sources.append((cell.number, cell.source))
    return reading


def _read_cell(
    reading: NotebookReading,
    number: int,
    source: str,
    readers: dict[str, str],
    values: tuple[str | None, frozenset[str]],
) -> None:
    """`values`: the reader the notebook names first, if any, and the names it seems to
    `def`, whose uses as values may reach it."""
    # migrate's reader; the names a cell seems to `def` are watched, so that a
    # broken cell's pieces are cut around them as migrate cuts them.
    watched = Watched(frozenset(_DEF_LINE.findall(source)), _NO_MODULE)
    read = read_cell(number, source, watched)
    if isinstance(read, Unread):
        reading.unreadable[number] = (
            f"%%{read.magic} cell, not read as Python"
            if read.magic is not None
            else str(read.reason)
        )
        if read.magic in ("writefile", "file"):
            written = _written_file(source)
            if written is not None:
                reading.writes_files[number] = written
        return
    if read.error is None:
        reading.parsed_cells.append(number)
    tree, masked, broken_bodies = read.facts.tree, read.masked, read.broken_bodies
    lines = split_lines(masked.text)
    may_star_import = "*" in masked.text and "import" in masked.text
    for index, statement in enumerate(tree.body):
        for binding in statement_bindings(statement, number):
            reading.bindings[binding.name].append(binding)
        if may_star_import:
            for line, module in star_imports(statement):
                reading.star_imports[module].append((number, line))
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            # Comment lines above it, not the last lines of the statement before (a string).
            above = (tree.body[index - 1].end_lineno or 0) if index else 0
            after = tree.body[index + 1 : index + 2]
            below = statement_lines(after[0])[0] if after else None
            reading.definitions.append(
                _definition(
                    reading.path,
                    number,
                    statement,
                    lines,
                    masked,
                    index in broken_bodies,
                    above,
                    below,
                )
            )
        for call in module_name_calls(statement):
            assert isinstance(call.func, ast.Name)  # as module_name_calls gives them
            reading.calls[call.func.id].append((number, CallShape.of(call)))
        named, defined = values
        if named is not None or any(reader in masked.text for reader in readers):
            for name, reader, as_value in _reaching_readers(statement, readers, named, defined):
                reading.handed[name].append((number, reader, as_value))


def _written_file(source: str) -> str | None:
    """The file a `%%writefile [-a] FILE` cell writes (quotes removed), or None."""
    try:
        words = shlex.split(source.lstrip().partition("\n")[0])[1:]
    except ValueError:
        return None
    files = [word for word in words if not word.startswith("-")]
    return files[0] if files else None


def _reaching_readers(
    statement: ast.stmt, readers: dict[str, str], named: str | None, defined: frozenset[str]
) -> list[tuple[str, str, bool]]:
    """(name, call as shown, False) for each plain name handed to a call that reads a
    function's parameters in the statement (`curve_fit(model, x, y)`; `readers`: the calls'
    names, aliases included), and, when the notebook names a reader (`named`), (name,
    `named`, True) for each other name it uses as a value (`m = model`, `fit(model)`) among
    the names it seems to `def` (`defined`), which may reach that reader: as migrate's call
    binding reads them. A definition's own name in its body is its own.

    One walk: `ast.walk` yields a call or an attribute before the names in it, so a name
    is known as handed, called or read for an attribute by the time it comes."""
    handed, values = [], []
    not_values = set()  # names handed to a reader, called, or read for an attribute
    own = statement.name if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
    for node in ast.walk(statement):
        if isinstance(node, ast.Call):
            not_values.add(id(node.func))
            if (callee := called_name(node)) in readers:
                for value in (*node.args, *(keyword.value for keyword in node.keywords)):
                    if isinstance(value, ast.Name):
                        not_values.add(id(value))
                        handed.append((value.id, readers[callee], False))
        elif isinstance(node, ast.Attribute):
            not_values.add(id(node.value))  # `model.__name__`: an attribute, not the value
        elif (
            named is not None
            and isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Load)
            and node.id in defined
            and id(node) not in not_values
            and node.id != own
        ):
            values.append((node.id, named, True))
    return handed + values


def _definition(
    path: Path,
    cell: int,
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
    lines: Sequence[str],
    masked: MaskedSource,
    body_broken: bool,
    above: int = 0,
    below: int | None = None,
) -> Definition:
    """The definition `node` with the comment lines directly above it, below line `above`
    (where the statement before it ends), and its block's footer, above line `below` (where
    the next statement begins; None: the cell's end)."""
    below = len(lines) + 1 if below is None else below
    first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
    while first > above + 1 and lines[first - 2].startswith("#"):
        if lines[first - 2].startswith(COLAB_FORM_LINES):  # the cell's, as migrate keeps it
            break
        first -= 1
    # With its block's footer, as removing it from the notebook takes it (`edits.layout`):
    # the comment lines below the body at its indentation (sweep 26 q53: a body's last
    # comment left the notebook and never reached the module).
    last = footer_end(node, lines, node.end_lineno or node.lineno, below)
    chosen = [line.rstrip("\r\n") for line in lines[first - 1 : last]]
    if chosen[-1].endswith("\\"):
        # `x]\` ends it: its statement goes on over the blank line below, which it takes
        # (sweep 31, devito: the module written did not parse).
        chosen.append("")
    problem = None
    if body_broken:
        problem = "its body does not parse"
    elif any(_is_overload(decorator) for decorator in node.decorator_list):
        # Re-check 46: two stubs differing in annotations only made the most-places variant,
        # and the module's function raised NotImplementedError; the implementation is below.
        problem = "an @overload stub, not the function"
    elif any(_is_masked(line, masked) for line in chosen):
        problem = IPYTHON_IN_BODY
    elif not isinstance(node, ast.ClassDef) and signature_too_deep(node):
        problem = "a default, annotation or decorator nests too deeply to read"
    text = "\n".join(chosen) + "\n"
    if problem is None:
        problem = _not_compiled(text)
    key = f"broken {path}:{cell}:{node.lineno}"
    if problem is None:
        try:
            key = definition_key(node)
        except RecursionError:  # `ast.dump` of a body some 1,000 operators deep (re-check 31)
            problem = "its body nests too deeply to read"
    return Definition(path, cell, node.name, node, text, key, problem)


def _not_compiled(text: str) -> str | None:
    """Why Python does not compile the definition that `ast` read (`return await x` in a
    `def`, `break` outside a loop, `def f(x, x)`; re-check 46: the module written did not
    import), or None."""
    try:
        with code_warnings_ignored():  # `x is 1000`: the code's warning (round 59b)
            compile(text, "<definition>", "exec", dont_inherit=True)
    except SyntaxError as error:
        return f"it does not compile ({error.msg})"
    except (ValueError, RecursionError, MemoryError) as error:
        return f"it does not compile ({type(error).__name__})"
    return None


def _is_overload(decorator: ast.expr) -> bool:
    """`@overload`, `@typing.overload`, `@typing_extensions.overload`."""
    if isinstance(decorator, ast.Attribute):
        return decorator.attr == "overload"
    return isinstance(decorator, ast.Name) and decorator.id == "overload"


def _is_masked(line: str, masked: MaskedSource) -> bool:
    return line in masked.originals or any(line.startswith(prefix) for prefix in masked.prefixes)

"""The notebook variables a function reads: its hidden inputs.

A function pasted into a notebook can read names the notebook binds:
`FIG_DIR` set in a cell above, `t0, t1 = 200, 1000`. The same function in a
library cannot see them, so replacing the definition with an import changes
what the notebook does. `hidden_inputs(node, variables)` is the one place
that says which names those are; `migrate` keeps such a definition, and
`extract` can refuse to move one.

The function's free names come from the standard library's `symtable`
(Python's own scoping: comprehensions, nested functions, `global`,
`nonlocal`), for its body and for what runs when the `def` runs (decorators,
default values, and annotations, which symtable reads with them: counting
them is the safe side). Where the notebook binds each is
`notebook_variables`'s question.
"""

from __future__ import annotations

import ast
import io
import keyword
import tokenize
from dataclasses import dataclass

from nbrefactor.analysis.catalog import LibraryFunction
from nbrefactor.analysis.events import Binding
from nbrefactor.analysis.notebook_imports import NotebookImports
from nbrefactor.analysis.notebook_variables import NotebookVariables
from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.analysis.reader import CellReading
from nbrefactor.analysis.scopes import all_arguments, free_names
from nbrefactor.analysis.text import whole_lines

# The library function a definition would become, and the notebook's imports.
Imports = tuple[LibraryFunction, NotebookImports]


@dataclass(frozen=True)
class HiddenInput:
    """A notebook variable a function reads (or, through `global`, only sets), or a name it
    reads that the notebook imports as one thing and the library's module as another."""

    name: str
    cell: int  # the first cell that binds it
    reads: bool  # False: the function declares it `global` and only assigns it
    # (what the notebook's import binds it to, what the library's binds it to)
    imported: tuple[str, str] | None = None


def hidden_inputs(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    variables: NotebookVariables,
    source: str | None = None,
    unread_body: str | None = None,
    imports: Imports | None = None,
) -> tuple[HiddenInput, ...]:
    """The notebook variables the function `node` reads, or sets through `global`, in order.

    `node` is a top-level definition as `ast` read it, `source` its text
    (decorators included) when at hand, else it is unparsed; `variables` knows
    the notebook it sits in. `unread_body` is the text of a body that does not
    parse (the definition was read from its header): with no scopes to go by,
    every name in it that is not an attribute or a parameter counts as read.
    With `imports` (the library function the definition would become, and the
    notebook's imports), a name it reads that the library's module imports as
    one thing and the notebook as another counts too.
    """
    free = free_names(source if source is not None else ast.unparse(node))
    reads = list(free.reads)
    if unread_body is not None:
        parameters = {argument.arg for argument in all_arguments(node.args)}
        reads += [name for name in _words(unread_body) if name not in parameters]
    found = []
    for name in dict.fromkeys(reads):
        cell = variables.first_binding(name)
        if cell is not None:
            found.append(HiddenInput(name, cell, reads=True))
        elif imports is not None:
            found.extend(_imported_otherwise(name, *imports))
    read = set(free.reads)
    for name in sorted(free.declared_global - read):
        cell = variables.first_binding(name)
        found.append(HiddenInput(name, cell if cell is not None else node.lineno, reads=False))
    return tuple(found)


def _imported_otherwise(
    name: str, library: LibraryFunction, notebook: NotebookImports
) -> list[HiddenInput]:
    """`name` as the notebook imports it, when the library's module imports it otherwise
    (a name the library's module does not import is the body's own business)."""
    theirs = library.imported(name)
    if theirs is None:
        return []
    for cell, ours in notebook.targets(name):
        if ours != theirs:
            return [HiddenInput(name, cell, reads=True, imported=(ours, theirs))]
    return []


def definition_hidden_inputs(
    binding: Binding,
    reading: CellReading,
    variables: NotebookVariables,
    imports: Imports | None = None,
) -> tuple[HiddenInput, ...]:
    """`hidden_inputs` of a top-level definition as the reader found it in its cell.

    Its text is taken from the masked cell (decorators included); a body
    that does not parse (the cell was read in pieces) is read word by word.
    """
    node = binding.node
    assert node is not None
    source, unread_body = None, None
    if binding.statement_index in reading.broken_bodies:
        body = node.body[0]  # a placeholder over the lines that do not parse
        unread_body = _lines(reading, body.lineno, body.end_lineno or body.lineno)
    else:
        source = _lines(reading, *statement_lines(node))
    return hidden_inputs(node, variables, source, unread_body, imports)


def _lines(reading: CellReading, first: int, last: int) -> str:
    """Lines `first` to `last` of the masked cell, whole, found without splitting the cell."""
    return whole_lines(reading.masked.text, reading.line_starts, first, last)


def _words(text: str) -> list[str]:
    """The names in code that may not parse, from Python's tokenizer: attributes and keywords
    left out. Unterminated brackets or strings end the reading (what came before counts)."""
    found: list[str] = []
    previous = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if (
                token.type == tokenize.NAME
                and not keyword.iskeyword(token.string)
                and not (previous is not None and previous.string == ".")
            ):
                found.append(token.string)
            if token.type not in (tokenize.NL, tokenize.COMMENT):
                previous = token
    except (tokenize.TokenError, SyntaxError):
        pass
    return found

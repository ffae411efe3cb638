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

from nbrefactor.analysis.bound_otherwise import bound_otherwise
from nbrefactor.analysis.catalog import LibraryFunction
from nbrefactor.analysis.constants import same_literal
from nbrefactor.analysis.events import Binding
from nbrefactor.analysis.namespace_reads import module_attribute, namespace_read
from nbrefactor.analysis.notebook_imports import NotebookImports
from nbrefactor.analysis.notebook_input import HiddenInput
from nbrefactor.analysis.notebook_variables import NotebookVariables, ipython_binds
from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.analysis.reader import CellReading
from nbrefactor.analysis.scopes import FreeNames, all_arguments, free_names
from nbrefactor.analysis.unbound_when_defined import unbound_when_defined
from nbrefactor.analysis.words import names_in_code

# The library function a definition would become, and the notebook's imports.
Imports = tuple[LibraryFunction, NotebookImports]


def hidden_inputs(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    variables: NotebookVariables,
    source: str | None = None,
    unread_body: str | None = None,
    imports: Imports | None = None,
    defined_in: int | None = None,
    free: FreeNames | None = None,
) -> tuple[HiddenInput, ...]:
    """The notebook variables the function `node` reads, or sets through `global`, in order.

    `node` is a top-level definition as `ast` read it, `source` its text
    (decorators included) when at hand, else it is unparsed; `variables` knows
    the notebook it sits in. `unread_body` is the text of a body that does not
    parse (the definition was read from its header): with no scopes to go by,
    every name in it that is not an attribute or a parameter counts as read.
    With `imports` (the library function the definition would become, and the
    notebook's imports), a name it reads that the notebook binds otherwise than the
    library's function finds it counts too (`bound_otherwise`). Last comes a read of the
    notebook's variables by no name (`globals()`, `eval()`: `namespace_reads.namespace_read`).
    With `imports` and the definition's cell (`defined_in`) too, first comes a name its
    decorators or defaults read that no cell binds before it (`unbound_when_defined`).
    `free` is `free_names(source)` when the reader already asked it.
    """
    text = source if source is not None else ast.unparse(node)
    if free is None:
        free = free_names(text)
    reads = list(free.reads)
    if unread_body is not None:
        parameters = {argument.arg for argument in all_arguments(node.args)}
        reads += [name for name in names_in_code(unread_body) if name not in parameters]
    found = []
    for name in dict.fromkeys(reads):
        if module_attribute(name):
            continue  # `__builtins__`: its module's own, said below (sweep 28: a false line)
        cell = variables.first_binding(name)
        if cell is not None:
            if not _same_constant(name, node, defined_in, variables, imports):
                found.append(HiddenInput(name, cell, reads=True))
        elif ipython_binds(name):  # bound by IPython, in no cell: `cell` 0
            found.append(HiddenInput(name, 0, reads=True))
        elif imports is not None:
            found.extend(bound_otherwise(name, *imports, variables))
    read = set(free.reads)
    for name in sorted(free.declared_global - read):
        cell = variables.first_binding(name)
        found.append(HiddenInput(name, cell if cell is not None else node.lineno, reads=False))
    if imports is not None:
        library, notebook = imports
        patch = notebook.patch_of(library.module, node.name)
        if patch is not None:
            any_attribute = notebook.patches_any(library.module, node.name)
            found.insert(
                0,
                HiddenInput(
                    node.name, patch[0], True, patched_line=patch[1], patches_any=any_attribute
                ),
            )
    through = namespace_read(text if unread_body is None else f"{text}\n{unread_body}")
    if through is not None:
        found.append(HiddenInput(through, 0, reads=True, through=through))
    if imports is not None and defined_in is not None:
        library, notebook = imports
        unbound = unbound_when_defined(node, defined_in, variables, notebook, library.module)
        if unbound is not None:
            name, where, first = unbound
            found.insert(0, HiddenInput(name, first, True, unbound_when_defined=where))
    return tuple(found)


def _same_constant(
    name: str,
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    defined_in: int | None,
    variables: NotebookVariables,
    imports: Imports | None,
) -> bool:
    """Whether the notebook variable `name` is the constant the library's function reads
    from its module: each side binds it once, to the same literal (`SEED = 42`:
    `constants`), the notebook above the `def`, and nothing else in the notebook may bind
    it (a line that may bind any name) or set it on the module (`mylib.SEED = 1`)."""
    if imports is None or defined_in is None:
        return False
    library, notebook = imports
    names = library.names
    if names is None or library.bound_otherwise(name) != f"{names.module}.{name}":
        return False  # the library's function reads no constant of its module by that name
    ours, theirs = variables.only_constant(name), names.only_constant(name)
    if ours is None or theirs is None or not same_literal(ours[2], theirs):
        return False
    if (ours[0], ours[1]) >= (defined_in, node.lineno):
        return False  # bound after the `def`: a call before it raised NameError
    if notebook.targets(name) or notebook.defines(name) or notebook.definitions(name):
        return False  # round 56a: `from math import pi as SEED` rebinds it
    return (
        notebook.wildcard(library.module) is None and notebook.patch_of(names.module, name) is None
    )


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
    source, unread_body, free = None, None, None
    if binding.statement_index in reading.broken_bodies:
        body = node.body[0]  # a placeholder over the lines that do not parse
        unread_body = reading.lines(body.lineno, body.end_lineno or body.lineno)
    else:
        source, free = reading.lines(*statement_lines(node)), reading.free_names(node)
    # A cell that does not parse never ran: its `def` did not either, whatever it reads.
    defined_in = binding.cell if reading.error is None else None
    return hidden_inputs(node, variables, source, unread_body, imports, defined_in, free)

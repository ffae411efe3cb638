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
from dataclasses import dataclass

from nbrefactor.analysis.catalog import LibraryFunction
from nbrefactor.analysis.events import Binding
from nbrefactor.analysis.library_function import definition_key
from nbrefactor.analysis.namespace_reads import module_attribute, namespace_read
from nbrefactor.analysis.notebook_imports import NotebookImports
from nbrefactor.analysis.notebook_variables import NotebookVariables, ipython_binds
from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.analysis.reader import CellReading
from nbrefactor.analysis.scopes import all_arguments, free_names, kernel_builtin
from nbrefactor.analysis.text import whole_lines
from nbrefactor.analysis.unbound_when_defined import unbound_when_defined
from nbrefactor.analysis.words import names_in_code
from nbrefactor.value_base import ValueBase

# The library function a definition would become, and the notebook's imports.
Imports = tuple[LibraryFunction, NotebookImports]


@dataclass(frozen=True, eq=False, repr=False)
class HiddenInput(ValueBase):
    """A notebook variable a function reads (or, through `global`, only sets), or a name it
    reads that the notebook binds otherwise than the library's function finds it: imported
    as another thing (`imported`), or bound by another line (`bound_by`)."""

    name: str
    cell: int  # the first cell that binds it; 0 for IPython's history (`_`, `Out`)
    reads: bool  # False: the function declares it `global` and only assigns it
    # (what the notebook's import binds it to, what the library's binds it to)
    imported: tuple[str, str] | None = None
    # What else in the notebook binds it, where the library's function reads its module's
    # name or a builtin: an import, a `def`/`class` (its first line), or a line that may
    # bind any name (`from numpy import *`, `%pylab`, `%run`); what the library's function
    # reads (None: it does not read the name); and whether the notebook's line surely binds
    # it (False: it may).
    bound_by: tuple[str, str | None, bool] | None = None
    # With it: the line sets the name on a module (`LIB.g = fake`, `consts.SCALE = 10`).
    sets: bool = False
    # How the function reads the notebook's variables by no name (`globals()`, `eval()`:
    # `namespace_reads.namespace_read`); then `name` is that construct and `cell` is 0.
    through: str | None = None
    # The line that sets the library's function itself on its module (`LIB.f = wrapper`):
    # the import would bind what that line set.
    patched_line: str | None = None
    # What the library's function reads for a builtin the notebook binds nowhere, so that
    # the inline body reads the builtin (`math.pow` for `pow`); `cell` is then 0.
    builtin_here: str | None = None
    # What the library's function reads for a name the notebook binds nowhere, not even a
    # builtin (a forgotten `import numpy as np`): the inline body raised NameError, the
    # library's finds this. No reason to keep the definition, but one to say; `cell` is 0.
    unbound_here: str | None = None
    # What of the `def` reads a name no cell binds before the definition's ("decorator",
    # "default"): the `def` raised NameError where it ran; `cell` binds it later, or is 0.
    unbound_when_defined: str | None = None


def hidden_inputs(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    variables: NotebookVariables,
    source: str | None = None,
    unread_body: str | None = None,
    imports: Imports | None = None,
    defined_in: int | None = None,
) -> tuple[HiddenInput, ...]:
    """The notebook variables the function `node` reads, or sets through `global`, in order.

    `node` is a top-level definition as `ast` read it, `source` its text
    (decorators included) when at hand, else it is unparsed; `variables` knows
    the notebook it sits in. `unread_body` is the text of a body that does not
    parse (the definition was read from its header): with no scopes to go by,
    every name in it that is not an attribute or a parameter counts as read.
    With `imports` (the library function the definition would become, and the
    notebook's imports), a name it reads that the notebook binds otherwise than the
    library's function finds it counts too (`_bound_otherwise`). Last comes a read of the
    notebook's variables by no name (`globals()`, `eval()`: `namespace_reads.namespace_read`).
    With `imports` and the definition's cell (`defined_in`) too, first comes a name its
    decorators or defaults read that no cell binds before it (`unbound_when_defined`).
    """
    text = source if source is not None else ast.unparse(node)
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
            found.append(HiddenInput(name, cell, reads=True))
        elif ipython_binds(name):  # bound by IPython, in no cell: `cell` 0
            found.append(HiddenInput(name, 0, reads=True))
        elif imports is not None:
            found.extend(_bound_otherwise(name, *imports, variables))
    read = set(free.reads)
    for name in sorted(free.declared_global - read):
        cell = variables.first_binding(name)
        found.append(HiddenInput(name, cell if cell is not None else node.lineno, reads=False))
    if imports is not None:
        library, notebook = imports
        patch = notebook.patch_of(library.module, node.name)
        if patch is not None:
            found.insert(0, HiddenInput(node.name, patch[0], reads=True, patched_line=patch[1]))
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


def _bound_otherwise(
    name: str,
    library: LibraryFunction,
    notebook: NotebookImports,
    variables: NotebookVariables,
    seen: frozenset[str] = frozenset(),
) -> list[HiddenInput]:
    """`name` as the notebook binds it, when the library's function reads another thing.

    A name the library's module imports: the notebook's imports of it must bind the
    same, and no `def` or `class` of the notebook may bind it. A name the library's
    function reads from its module's own definitions, or a builtin (`fmt`, `sum`):
    nothing in the notebook may bind it otherwise (an import of another thing, a `def`
    or `class` that is not the module's, a star import, `%run`), and a `def` that is the
    module's must itself read nothing the notebook binds otherwise (`_differs`). A
    builtin the notebook binds nowhere is the builtin there, where the library's
    function may read its module's (`from math import pow`, `def pow`). Any other name
    is the body's own business (the demo's helpers read `plt`, which viz_utils'
    functions import themselves), unless the library's function reads it too and its
    module binds it nowhere (a forgotten import): that call would raise NameError. `seen`:
    the module's definitions being compared, for definitions that read one another.
    """
    imported = library.imported(name)
    theirs = imported if imported is not None else library.bound_otherwise(name)
    if theirs is not None:
        # The globals it reads are those of the module that defines it (`pkg.utils` for a
        # function `--module pkg` re-exports), wherever the import takes it from.
        defining = library.names.module if library.names is not None else library.module
        patch = notebook.patch_of(defining, name)
        if patch is None and imported is not None:
            patch = _source_patched(imported, notebook)
        if patch is not None:  # `LIB.g = fake`: the module's g is the notebook's now
            cell, line = patch
            return [HiddenInput(name, cell, True, bound_by=(f"`{line}`", theirs, True), sets=True)]
        for setter in library.setters_of(name):  # `set_mode("double")` rebinds LIB._unit
            target = f"{library.module}.{setter}"
            through = library.setter_called(setter)
            sets = f"calls {through}, which sets" if through is not None else "sets"
            sets = f"its body {sets} {theirs} through `global`"
            for cell, ours in notebook.targets(setter):
                if ours == target:
                    what = f"an import of {target} ({sets})"
                    return [HiddenInput(name, cell, True, bound_by=(what, theirs, False))]
            called = notebook.call_of(library.module, setter)  # `import LIB`, `LIB.set_mode(2)`
            if called is None and notebook.star_import_of(library.module) is not None:
                called = notebook.naming(setter)  # `from LIB import *`, then `set_mode(2)`
            if called is not None:
                cell, line = called
                what = f"`{line}` ({sets})"
                return [HiddenInput(name, cell, True, bound_by=(what, theirs, False))]
    if theirs is None and library.reads_unbound(name):
        # The library's module forgot it (`np` never imported): its function raises
        # NameError where the notebook's copy finds the notebook's.
        for cell, node in notebook.definitions(name):
            return [HiddenInput(name, cell, True, bound_by=(_first_line(node), None, True))]
        for cell, ours in notebook.targets(name):
            return [HiddenInput(name, cell, True, bound_by=(f"an import of {ours}", None, True))]
    is_builtin = theirs is not None and theirs.startswith("builtins.")
    wildcard = notebook.wildcard(library.module, is_builtin)
    if is_builtin and wildcard is None:
        wildcard = notebook.wildcard(library.module, naming=name)
    if theirs is None and (wildcard is None or kernel_builtin(name)):
        return []  # the body's own business
    definitions, imports = notebook.definitions(name), notebook.targets(name)
    if theirs is not None:
        for cell, node in definitions:
            if node is None:
                difference: str | None = "a def"
            elif imported is not None:
                difference = ""  # a definition, where the module imports it
            else:
                difference = _differs(node, name, library, notebook, variables, seen)
            if difference is not None:
                what = _first_line(node)
                if difference and node is not None:
                    what = f"{what} ({difference})"
                return [HiddenInput(name, cell, True, bound_by=(what, theirs, True))]
        for cell, ours in imports:
            if ours == theirs or ours in library.star_targets(name):
                continue  # `from math import sqrt`, where the module's `from math import *` is
            if imported is not None:
                return [HiddenInput(name, cell, reads=True, imported=(ours, theirs))]
            return [HiddenInput(name, cell, True, bound_by=(f"an import of {ours}", theirs, True))]
        if imports and imported is not None:
            # The same import, then a star import that may rebind it (`from numpy import *`
            # binds numpy's `random` over `import random`).
            star = notebook.star_after_import(name, library.module)
            if star is not None:
                cell, line = star
                return [HiddenInput(name, cell, True, bound_by=(f"`{line}`", theirs, False))]
    if definitions or imports:
        return []
    if wildcard is not None and imported is None:
        # Bound by nothing the notebook shows: a line that may bind any name may bind it (a
        # star import rebinding `sum`, `%run setup.py` setting `K`).
        cell, line = wildcard
        return [HiddenInput(name, cell, True, bound_by=(f"`{line}`", theirs, False))]
    if theirs is None or is_builtin:
        return []
    # Where the notebook binds it nowhere, the copy reads the builtin, or nothing (it raised
    # NameError), and the library's function `theirs`; a `def open` of the notebook's own,
    # which the migration replaces (then imports) or keeps, is neither.
    builtin = kernel_builtin(name)
    if not builtin and name[0] != "_" and notebook.star_import_of(library.module) is not None:
        return []  # `from LIB import *` bound it to the module's own value (re-check 44)
    if (builtin or wildcard is None) and not notebook.defines(name):
        if builtin:
            return [HiddenInput(name, 0, reads=True, builtin_here=theirs)]
        return [HiddenInput(name, 0, reads=True, unbound_here=theirs)]
    return []


def _differs(
    ours: ast.stmt,
    name: str,
    library: LibraryFunction,
    notebook: NotebookImports,
    variables: NotebookVariables,
    seen: frozenset[str],
) -> str | None:
    """How the notebook's `def`/`class` of `name` is another thing than the module's: ""
    when their texts differ (docstrings aside); what it reads otherwise when they do not
    (a notebook variable, a name bound otherwise: the same questions, one level down);
    None when it is the same.

    A class is another class whatever its text: the notebook's `except FitError` or
    `isinstance(r, Result)` would not catch or recognise the module's, which the
    library's function raises or returns."""
    theirs = library.definition(name)
    if theirs is None or definition_key(ours) != definition_key(theirs):
        return ""
    if isinstance(ours, ast.ClassDef):
        return "a class of its own, though of the same text"
    callee = library.sibling(name)
    if callee is None or name in seen or not isinstance(ours, ast.FunctionDef):
        return None
    for read in free_names(ast.unparse(ours)).reads:
        cell = variables.first_binding(read)
        if cell is not None:
            return f"reading notebook variable {read} from cell {cell}"
        if _bound_otherwise(read, callee, notebook, variables, seen | {name}):
            return f"reading {read}, which the notebook binds otherwise"
    return None


def _source_patched(imported: str, notebook: NotebookImports) -> tuple[int, str] | None:
    """(cell, line) of a statement setting what the library's module imports by name, on the
    module it comes from (`from consts import SCALE` there, `consts.SCALE = 10` here): the
    library took its value when it was imported, the notebook's own import takes it after,
    and which comes first is the import's place (sweep 25). None when nothing sets it, or
    the name is a module (`import numpy as np`) or one of several things."""
    source, _, attribute = imported.rpartition(".")
    if not source or " " in imported:  # `scipy.special.f or math.f`: no one module
        return None
    return notebook.patch_of(source, attribute)


def _first_line(node: ast.stmt | None) -> str:
    """The `def` or `class` line of a definition, its decorators left out."""
    if node is None:
        return "a def"
    lines = ast.unparse(node).split("\n")
    return f"`{next((line for line in lines if not line.startswith('@')), lines[0])}`"


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
    # A cell that does not parse never ran: its `def` did not either, whatever it reads.
    defined_in = binding.cell if reading.error is None else None
    return hidden_inputs(node, variables, source, unread_body, imports, defined_in)


def _lines(reading: CellReading, first: int, last: int) -> str:
    """Lines `first` to `last` of the masked cell, whole, found without splitting the cell."""
    return whole_lines(reading.masked.text, reading.line_starts, first, last)

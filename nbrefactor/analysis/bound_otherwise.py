"""A name a copy reads that the notebook binds otherwise than the library's function finds
it: another import of it, a `def` or `class` of the notebook's, a line that may bind any
name, a setter the notebook calls (`hidden_inputs` asks it of each name a copy reads)."""

from __future__ import annotations

import ast

from nbrefactor.analysis.catalog import LibraryFunction
from nbrefactor.analysis.definition_key import definition_key
from nbrefactor.analysis.helper_state import kept_apart
from nbrefactor.analysis.line_magics import line_binds_any, star_imports
from nbrefactor.analysis.notebook_imports import NotebookImports
from nbrefactor.analysis.notebook_input import HiddenInput
from nbrefactor.analysis.notebook_variables import NotebookVariables
from nbrefactor.analysis.parsing import AST_ERRORS
from nbrefactor.analysis.scopes import IPYTHON_BUILTIN_IMPORTS, free_names, kernel_builtin


def bound_otherwise(
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
            imported_as = notebook.bound_to(target)  # `configure`, or `configure as cfg`
            if imported_as is not None:
                cell, bound = imported_as
                alias = f" as {bound}" if bound != setter else ""
                what = f"an import of {target}{alias} ({sets})"
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
            # The same (`from IPython.display import display` binds IPython's builtin), or
            # `from math import sqrt`, where the module's `from math import *` is.
            if _ipython_builtin(ours) == _ipython_builtin(theirs):
                continue
            if ours in library.star_targets(name):
                continue
            if imported is not None:
                return [HiddenInput(name, cell, reads=True, imported=(ours, theirs))]
            return [HiddenInput(name, cell, True, bound_by=(f"an import of {ours}", theirs, True))]
        if imports and imported is not None:
            # The same import, then a star import that may rebind it (`from numpy import *`
            # binds numpy's `random` over `import random`).
            star = notebook.star_after_import(name, library.module)
            if star is not None:
                return _line_may_bind(name, star, theirs)
    same = definitions or imports or (imported is None and notebook.defines(name))
    if theirs is not None and not is_builtin and same:
        # The notebook binds it as the module does (the same import or `def`; the notebook's
        # `def` of the module's name becomes its import), but a line naming it may rebind it
        # as an assignment would (round 52d: `show`, reading `sq`, was replaced after
        # `globals()['sq'] = abs`, and called the module's `sq` where the copy called `abs`;
        # round 55b: `from mylib import K`, then `globals()['K'] = 100`).
        named = notebook.wildcard(library.module, naming=name)
        if named is not None:
            return _line_may_bind(name, named, theirs)
    if definitions or imports:
        return []
    if wildcard is not None and not notebook.defines(name):
        # Bound by nothing the notebook shows: a line that may bind any name may bind it (a
        # star import rebinding `sum`, `%run setup.py` setting `K`). A top-level `def` of the
        # library's own name shows one, as the import it becomes does (or it is kept, and so
        # are its users): round 48a, `exec(...)` kept `h` reading `g` until `g` was migrated,
        # so that migrating again changed the result. A name the module imports too (round
        # 54b: `from cmath import *` bound `sqrt`, where the module's `from math import
        # sqrt` did), unless the line is a star import of what the module imports.
        other: tuple[int, str] | None = wildcard
        if imported is not None:
            other = _binding_otherwise(notebook, library.module, name, imported)
        if other is not None:
            return _line_may_bind(name, other, theirs)
    if theirs is None or is_builtin or _ipython_builtin(theirs) == f"builtins.{name}":
        # `display`, which the module imports from IPython.display, is the kernel's builtin
        # (round 55a: helpers calling `display(df.head())` were kept, NBR236)
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
    (a notebook variable, a name bound otherwise: the same questions, one level down), or
    what it keeps or changes apart from the module's (`kept_apart`: round 59a); None when
    it is the same.

    A class is another class whatever its text: the notebook's `except FitError` or
    `isinstance(r, Result)` would not catch or recognise the module's, which the
    library's function raises or returns."""
    theirs = library.definition(name)
    if theirs is None or definition_key(ours) != definition_key(theirs):
        return ""
    if isinstance(ours, ast.ClassDef):
        return "a class of its own, though of the same text"
    if isinstance(ours, (ast.FunctionDef, ast.AsyncFunctionDef)):
        code = (cell.source for cell in notebook.notebook.cells if cell.cell_type == "code")
        apart = kept_apart(ours, code)
        if apart is not None:
            return apart
    callee = library.sibling(name)
    if callee is None or name in seen or not isinstance(ours, ast.FunctionDef):
        return None
    for read in free_names(ast.unparse(ours)).reads:
        cell = variables.first_binding(read)
        if cell is not None:
            return f"reading notebook variable {read} from cell {cell}"
        if bound_otherwise(read, callee, notebook, variables, seen | {name}):
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


def _line_may_bind(name: str, place: tuple[int, str], theirs: str | None) -> list[HiddenInput]:
    """`name` as a line (cell, text) that may bind it binds it: `from cmath import *`,
    `globals()['K'] = 100`."""
    cell, line = place
    return [HiddenInput(name, cell, True, bound_by=(f"`{line}`", theirs, False))]


# What `%pylab` binds by name, besides its star imports of pylab and then numpy.
_PYLAB = {"np": "numpy", "numpy": "numpy", "plt": "matplotlib.pyplot"}
_NOT_BOUND = ""  # `_star_binds`: the line is known not to bind the name


def _binding_otherwise(
    notebook: NotebookImports, library: str, name: str, imported: str
) -> tuple[int, str] | None:
    """(cell, line) of the first line that may bind any name (`NotebookImports.wildcards`)
    and may bind `name`, which the module imports as `imported`, otherwise: another star import
    (`from cmath import *`) or an unknown line (`%run`, `exec`); not one binding it as the
    module does (`from math import *` for its `from math import sqrt`) or not at all
    (`%pylab --no-import-all`). Round 55b: `from math import *` then `from cmath import *`."""
    for cell, line in notebook.wildcards(library):
        if _star_binds(line, name) not in (imported, _NOT_BOUND):
            return cell, line
    return None


def _star_binds(line: str, name: str) -> str | None:
    """What a star import binds `name` to, spelled as `import_target` spells an import,
    should it bind it: `math.sqrt` for `from math import *`, `numpy.sqrt` and `numpy` (for
    `np`) for `%pylab`; `_NOT_BOUND` for `sqrt` and `%pylab --no-import-all`; None for
    another line, whose names are not known (`%run`, `exec`, two statements)."""
    text = line.strip()
    magic = line_binds_any(text)
    if magic == "pylab":
        star = f"numpy.{name}" if star_imports(magic, text) else _NOT_BOUND
        return _PYLAB.get(name, star)
    if magic is not None:
        return None  # `%run`: the script's names
    try:
        statements = ast.parse(text).body
    except AST_ERRORS:
        return None
    match statements:
        case [ast.ImportFrom(module=str(module), names=[ast.alias(name="*")], level=0)]:
            return f"{module}.{name}"
    return None


def _first_line(node: ast.stmt | None) -> str:
    """The `def` or `class` line of a definition, its decorators left out."""
    if node is None:
        return "a def"
    lines = ast.unparse(node).split("\n")
    return f"`{next((line for line in lines if not line.startswith('@')), lines[0])}`"


def _ipython_builtin(target: str) -> str:
    """An import target, as the IPython builtin it binds where it binds one."""
    return IPYTHON_BUILTIN_IMPORTS.get(target, target)

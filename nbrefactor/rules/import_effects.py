"""Rule: the import a migration adds runs no code the notebook did not run.

A definition pasted into a notebook came without its module's top level. When
that top level does something besides defining (`plt.style.use("ggplot")`,
`np.set_printoptions(precision=2)`, `warnings.filterwarnings("ignore")`:
`analysis.import_effects`), a new `from helpers import f` would do it too, and
every cell after it could plot, print or warn otherwise: a change outside the
helper's body. So a new import is only added where the notebook already
imported the module (or one of its submodules) before it: an earlier cell, or
an earlier statement of the import's cell; a name merged into an existing import
of the module adds nothing that runs. Otherwise every definition is kept
(`NBR242`), and the report names the statement: a user who wants its effect can
import the module at the top and run `migrate` again.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from nbrefactor import reasons
from nbrefactor.analysis.notebook_imports import NotebookImports, imports_module
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.scopes import module_scope_statements


def runs_new_code(
    program: Program, cell: int, statement_index: int, merge: bool
) -> reasons.ImportRunsCode | None:
    """Why an import of the library placed before top-level statement `statement_index` of
    `cell` (or merged into the import there) would run code the notebook did not; None when
    it would not."""
    effect = program.catalog.import_effect
    if merge or effect is None:
        return None
    module = program.catalog.module
    if any(
        (number, index) < (cell, statement_index)
        for number, index in _module_imports(program, module, cell)
    ):
        return None
    return reasons.ImportRunsCode(module, effect.shown, effect.line, effect.text)


def _module_imports(program: Program, module: str, last_cell: int) -> Iterator[tuple[int, int]]:
    """(cell, statement index) of the notebook's imports of `module` or a submodule of it, up
    to `last_cell`; in the cells before it the index is -1 (they are read from their import
    lines alone)."""
    imports = NotebookImports(program.notebook)
    for number in imports.cells_importing(module):
        if number > last_cell:
            break
        if number < last_cell:
            yield number, -1
            continue
        reading = program.reading(number)
        if reading is None or reading.error is not None:
            return  # in a cell that does not parse, no import runs
        for index, statement in enumerate(reading.facts.tree.body):
            inner = module_scope_statements([statement])
            if any(
                isinstance(node, (ast.Import, ast.ImportFrom)) and imports_module(node, module)
                for node in inner
            ):
                yield number, index

"""Rule: the module the notebook already imports by the library's name is the module read.

Projects name their own modules `helpers` or `utils`. A notebook that runs
`sys.path.append("../src")` and `from helpers import load` imports another
`helpers` than the one `extract` just wrote beside it, or `--module` names: an
import of the library's replaced names would bind one of the two modules for
both (Python imports a module once), and the other import fails. A name the
notebook takes from its `helpers` that the module read does not bind shows it
(`analysis.module_identity`): the notebook ran, so its `helpers` has it. Every
definition is kept then (`NBR243`). A legacy name is not asked (the module need
not bind it), nor is a module that may bind more than its text shows (a star
import, `__getattr__`).
"""

from __future__ import annotations

from nbrefactor import reasons
from nbrefactor.analysis.magics import PYTHON_CELL_MAGICS, cell_magic
from nbrefactor.analysis.module_identity import other_module_import
from nbrefactor.analysis.program import Program


def other_module_imported(program: Program) -> reasons.OtherModuleImported | None:
    """The first name the notebook takes from a module of the library's name that the
    module read does not bind; None when there is none."""
    catalog = program.catalog
    module = catalog.module
    # Only a cell naming the module can import it: asked first, the cheaper question.
    sources = [
        (cell.number, cell.source)
        for cell in program.notebook.cells
        if cell.cell_type == "code"
        and module in cell.source
        and cell_magic(cell.source) in (None, *PYTHON_CELL_MAGICS)
    ]
    if not sources:
        return None
    names = catalog.importable_names
    if names is None:
        return None
    found = other_module_import(sources, module, names | set(catalog.legacy_names))
    if found is None:
        return None
    cell, name = found
    return reasons.OtherModuleImported(cell, name, module, str(catalog.module_file))

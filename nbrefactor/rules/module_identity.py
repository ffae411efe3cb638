"""Rule: the module the notebook already imports by the library's name is the module read.

Projects name their own modules `helpers` or `utils`. A notebook that runs
`sys.path.append("../src")` and `from helpers import load` imports another
`helpers` than the one `extract` just wrote beside it, or `--module` names: an
import of the library's replaced names would bind one of the two modules for
both (Python imports a module once), and the other import fails. A name the
notebook imports that the module read does not bind (`load`) shows it: the
notebook ran, so its `helpers` has it. Every definition is kept then
(`NBR243`). A legacy name is not asked (the module need not bind it), nor is a
module that may bind more than its text shows (a star import, `__getattr__`).
"""

from __future__ import annotations

from nbrefactor import reasons
from nbrefactor.analysis.program import Program


def other_module_imported(program: Program) -> reasons.OtherModuleImported | None:
    """The first import, in the cells read, of a name from a module of the library's name
    that the module read does not bind; None when there is none."""
    catalog = program.catalog
    names = None
    for reading in program.readings():
        for found in reading.facts.module_imports:
            if names is None:
                names = catalog.importable_names
                if names is None:
                    return None
            for entry in sorted(found.names):
                name = entry.partition(" as ")[0]
                if name not in names and name not in catalog.legacy_names:
                    source = str(catalog.source_file)
                    return reasons.OtherModuleImported(
                        reading.facts.cell, name, catalog.module, source
                    )
    return None

"""Rule: the notebook does not write the module's own file.

A notebook that keeps its helpers in a file it writes itself (`%%writefile
helpers.py`, then `import helpers`) makes the import bind what it wrote when it
ran, which need not be the file nbrefactor reads now: the notebook may have
changed since it last ran, write another version further down, or rewrite the
file under `%autoreload`. So when a code cell writes a file of the module's name,
every definition is kept (`NBR254`): the library read is not known to be the one
the notebook imports (sweep 26 F2).

Found in the text, only in the cells that name the file as a word
(`analysis.module_writes`, which `import_cell` asks too: a notebook writing a module
the library imports).
"""

from __future__ import annotations

from pathlib import Path

from nbrefactor.analysis.module_path import held_as
from nbrefactor.analysis.module_writes import writing_line
from nbrefactor.nbfile.notebook import Notebook
from nbrefactor.reasons import ModuleWritten


def module_written(notebook: Notebook, module_file: Path | None) -> ModuleWritten | None:
    """The first line of a code cell that writes the module's file; None when there is none
    (or the module's file is not known)."""
    if module_file is None:
        return None
    name = held_as(module_file)
    for cell in notebook.cells:
        if cell.cell_type != "code" or name not in cell.source:
            continue
        line = writing_line(cell.source, name)
        if line is not None:
            return ModuleWritten(cell.number, line, name)
    return None

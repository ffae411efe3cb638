"""Which scripts the notebook runs in its own namespace, naming a replaced function.

`%run -i report.py` runs the script with the notebook's names, and so does
`exec(open("report.py").read())` (`run_lines.file_execs`): a call of `f` in the script calls the
notebook's `f`, with arguments the reader of the notebook cannot see
(`call_binding`, `NBR248`), as a string run by name is. The script is read
from the notebook's folder (where `%run` looks first); one that is not found
there is not read. A plain `%run report.py` runs the script in a namespace of
its own: its calls are its own names'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nbrefactor.analysis.line_magics import automagic_line, script_run
from nbrefactor.analysis.magics import PYTHON_CELL_MAGICS, cell_magic
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.run_lines import file_execs
from nbrefactor.analysis.text import split_lines
from nbrefactor.nbfile.disk import read_script
from nbrefactor.value_base import ValueBase

_STARTS_WITH_RUN = re.compile(r"\s*run[ \t]")  # `run -i report.py` alone: automagic


@dataclass(frozen=True, eq=False, repr=False)
class ScriptInNamespace(ValueBase):
    """A script a line runs with the notebook's names, and its text: its calls are the notebook's."""

    cell: int
    line: str  # the line that runs it
    path: str  # as the line names it
    text: str


def scripts_in_namespace(program: Program) -> list[ScriptInNamespace]:
    """Every script beside the notebook that a line runs in the notebook's namespace, in
    cell order; none when the notebook's folder is unknown. Asked once per notebook: each
    name is then looked for in their texts (`call_binding`)."""
    folder = program.folder
    if folder is None:
        return []
    found = []
    for cell in program.notebook.cells:
        source = cell.source
        if cell.cell_type != "code" or not (
            "%run" in source or "exec(" in source or _STARTS_WITH_RUN.match(source)
        ):
            continue
        magic = cell_magic(source)
        if magic is not None and magic not in PYTHON_CELL_MAGICS:
            continue
        lines = split_lines(source)
        runs = [(run.line, run.path) for run in file_execs(source)]
        magic = automagic_line(source)  # `run -i report.py` alone runs `%run -i report.py`
        for number, line in enumerate(lines, start=1):
            run = None if line.lstrip().startswith("#") else script_run(magic or line)
            if run is not None and run.in_namespace:
                runs.append((number, run.path))
        for number, script in sorted(runs):
            text = read_script(folder / script)
            if text is not None:
                found.append(
                    ScriptInNamespace(cell.number, lines[number - 1].strip(), script, text)
                )
    return found

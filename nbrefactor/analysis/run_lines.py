"""The `%run PATH` lines of a cell: what it runs, line by line (`run PATH` alone in its cell
too, which IPython's automagic runs so). Asked for the module's own file (`extract`'s
`module_runs`) and for notebooks run by others (`notebook_runners`). And the path of
`exec(open(PATH).read())`, which runs the file in the notebook's namespace as `%run -i`
does (`scripts_run`, `module_runs`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from nbrefactor.analysis.line_magics import ScriptRun, automagic_line, script_run
from nbrefactor.analysis.text import split_lines


def run_lines(source: str) -> Iterator[tuple[int, str, ScriptRun]]:
    """(line from 1, the line as written, what it runs) of each line of the cell that runs a
    script or notebook with `%run`."""
    automagic = automagic_line(source)  # `run helpers.py` alone in its cell
    if automagic is None and "%run" not in source:
        return
    lines = [source] if automagic is not None else split_lines(source)
    for number, line in enumerate(lines, start=1):
        run = script_run(automagic or line)
        if run is not None:
            yield number, line, run


@cache
def _exec_open() -> re.Pattern[str]:
    """`exec(open("report.py").read())`, `exec(compile(open("report.py").read(), ...))`: the
    path a literal, up to its closing quote. Compiled when first needed."""
    return re.compile(r"""exec\([ \t]*(?:compile\([ \t]*)?open\([ \t]*['"]([^'"\n]+)['"]""")


def exec_open_path(line: str) -> str | None:
    """The file `exec(open(PATH).read())` on the line runs, or None (also for a comment)."""
    if line.lstrip().startswith("#"):
        return None
    found = _exec_open().search(line)
    return None if found is None else found.group(1)

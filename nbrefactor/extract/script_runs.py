"""Notebooks that run the module's file with `%run` or `exec(open(...).read())`: what
writing it changes there.

`%run helpers.py` (or `%run -i helpers.py`, or `run helpers.py` alone in a
cell: automagic) runs the file and binds every name it binds at its top level
in the notebook, over what the notebook bound to them before, as `from
helpers import *` does, but without regard to `__all__` or a leading `_`
(round 57b F5). `%run helpers` runs `helpers.py` too: IPython adds `.py` to a
name that is no file. The path is read from the notebook's folder, where the
kernel starts and `%run` looks. A `%run` of a file not yet there failed
(`File not found`) and went on: once the module is created, it runs it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nbrefactor.analysis.run_lines import file_execs, run_lines
from nbrefactor.analysis.text import split_lines


@dataclass(frozen=True)
class ModuleRun:
    """A line of a notebook that runs the module's file."""

    cell: int
    line: int  # from 1, in the cell
    text: str  # the line, stripped, as the user wrote it


def module_runs(
    sources: Sequence[tuple[int, str]], notebook: Path, module: Path
) -> list[ModuleRun]:
    """Each `%run` line of the notebook's code cells (`sources`, in order) that runs the file
    `module`, read from the notebook's folder."""
    folder = os.path.dirname(os.path.abspath(notebook))
    target = os.path.realpath(module)
    found = []
    for cell, source in sources:
        for number, line, run in run_lines(source):
            if _names(run.path, folder, target):
                found.append(ModuleRun(cell, number, line.strip()))
        # `exec(open("helpers.py").read())` runs it in the notebook's namespace, as `%run -i`
        # does (round 73b F4: a notebook's kept `save` was rebound by the module's new one).
        execs = file_execs(source)
        lines = split_lines(source) if execs else []
        for number, path, binds in execs:
            if binds and os.path.realpath(os.path.join(folder, path)) == target:
                found.append(ModuleRun(cell, number, lines[number - 1].strip()))
    return sorted(found, key=lambda run: (run.cell, run.line))


def _names(path: str, folder: str, target: str) -> bool:
    """Whether `%run path`, run in `folder`, runs the file `target` (`path` with `.py` added
    when IPython would add it: the name is no file and does not end in `.py`)."""
    full = os.path.join(folder, os.path.expanduser(path))
    if os.path.realpath(full) == target:
        return True
    return (
        not path.endswith(".py")
        and not os.path.isfile(full)
        and (os.path.realpath(full + ".py") == target)
    )

"""Rule: an import of a module found only in the notebook's folder runs before any change of
the working folder.

A kernel finds modules in its working folder through `''` on `sys.path`, not
through the notebook's folder itself: after `%cd ..` (a common first line of
notebooks kept in a project's `notebooks/` folder, often under an `if` that
looks where it is) or `os.chdir(...)`, a `helpers.py` beside the notebook is
no longer found. So when the module read lies beside the notebook and is not
installed (`migration` says so), a new import placed after such a line would
fail: every definition is kept (`NBR244`). A module found elsewhere
(installed, or in the folder the notebook changes to: the demo's `%cd
sentinel-ai`) is not asked about.

The lines are found in the text, at any indentation: `%cd`, `%pushd`, `%popd`,
`cd ..` alone in its cell (IPython's automagic runs a one-line cell's magic
without its `%`), `chdir(` and `run_line_magic("cd", ...)` outside a comment;
not in a cell whose cell magic is not Python (`%%writefile`, `%%bash`: not the
kernel's folder).
"""

from __future__ import annotations

import re

from nbrefactor.analysis.magics import PYTHON_CELL_MAGICS, cell_magic
from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.text import lines_holding, split_lines

_MARKERS = ("%cd", "%pushd", "%popd", "chdir(", "run_line_magic(")
_FOLDER_MAGIC = re.compile(r"%?(?:cd|pushd|popd)(?:[ \t]|\Z)")
_RUN_FOLDER_MAGIC = re.compile(r"""run_line_magic\([ \t]*['"](?:cd|pushd|popd)['"]""")


def folder_changed_before(
    program: Program, cell: int, statement_index: int
) -> tuple[int, str] | None:
    """(cell, line) of the first line that changes the working folder before top-level
    statement `statement_index` of `cell` runs; None when there is none."""
    for before in program.notebook.cells[: cell - 1]:
        if before.cell_type == "code":
            line = _folder_change(before.source)
            if line is not None:
                return before.number, line
    reading = program.reading(cell)
    if reading is None:
        return None
    lines = split_lines(program.cell(cell).source)
    body = reading.facts.tree.body
    if statement_index < len(body):  # the lines above the statement the import comes before
        lines = lines[: statement_lines(body[statement_index])[0] - 1]
    line = _folder_change("".join(lines))
    return None if line is None else (cell, line)


def _folder_change(source: str) -> str | None:
    """The first line of a code cell's `source` that changes the kernel's working folder."""
    magic = cell_magic(source)
    if magic is not None and magic not in PYTHON_CELL_MAGICS:
        return None
    stripped = source.strip()
    if "\n" not in stripped and _FOLDER_MAGIC.match(stripped):  # automagic: `cd ..` alone
        return stripped
    for line in lines_holding(source, _MARKERS):
        code = _without_comment(line).rstrip()
        if (
            (code.startswith("%") and _FOLDER_MAGIC.match(code))
            or "chdir(" in code
            or _RUN_FOLDER_MAGIC.search(code)
        ):
            return line.rstrip()
    return None


def _without_comment(line: str) -> str:
    """The line before a `#` that starts a comment (not one inside a string)."""
    quote, escaped = "", False
    for index, character in enumerate(line):
        if quote:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == quote:
                quote = ""
        elif character in "'\"":
            quote = character
        elif character == "#":
            return line[:index]
    return line

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
kernel's folder). And `%run setup_env.py` (`run ...` alone in its cell) or
`import setup_env` of a script beside the notebook whose text holds such a
line: shared set-up scripts often move to the project's root.
"""

from __future__ import annotations

import re
from pathlib import Path

from nbrefactor.analysis.import_statements import parsed_imports
from nbrefactor.analysis.import_targets import modules_of
from nbrefactor.analysis.line_magics import automagic_line, script_run
from nbrefactor.analysis.magics import PYTHON_CELL_MAGICS, cell_magic
from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.analysis.program import Program
from nbrefactor.analysis.text import import_lines, lines_holding, split_lines
from nbrefactor.nbfile.disk import read_script

_MARKERS = ("%cd", "%pushd", "%popd", "chdir(", "run_line_magic(")
_FOLDER_MAGIC = re.compile(r"%?(?:cd|pushd|popd)(?:[ \t]|\Z)")
_RUN_FOLDER_MAGIC = re.compile(r"""run_line_magic\([ \t]*['"](?:cd|pushd|popd)['"]""")


def folder_changed_before(
    program: Program, cell: int, statement_index: int
) -> tuple[int, str] | None:
    """(cell, line) of the first line that changes the working folder before top-level
    statement `statement_index` of `cell` runs; None when there is none. The scripts a cell
    runs are read from the notebook's folder (`program.folder`), when known."""
    library = program.catalog.module.partition(".")[0]
    folder = program.folder
    for before in program.notebook.cells[: cell - 1]:
        if before.cell_type == "code":
            line = _folder_change(before.source, folder, library)
            if line is not None:
                return before.number, line
    reading = program.reading(cell)
    if reading is None:
        return None
    lines = split_lines(program.cell(cell).source)
    body = reading.facts.tree.body
    if statement_index < len(body):  # the lines above the statement the import comes before
        lines = lines[: statement_lines(body[statement_index])[0] - 1]
    line = _folder_change("".join(lines), folder, library)
    return None if line is None else (cell, line)


def _folder_change(source: str, folder: Path | None, library: str = "") -> str | None:
    """The first line of a code cell's `source` that changes the kernel's working folder
    (through a script of `folder` it runs or imports, unless None; not the `library`)."""
    magic = cell_magic(source)
    if magic is not None and magic not in PYTHON_CELL_MAGICS:
        return None
    stripped = source.strip()
    if "\n" not in stripped and _FOLDER_MAGIC.match(stripped):  # automagic: `cd ..` alone
        return stripped
    if folder is not None:
        line = _script_changing_folder(source, folder, library)
        if line is not None:
            return line
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


def _script_changing_folder(source: str, folder: Path, library: str) -> str | None:
    """The first line of `source` that runs a script of `folder` (`%run setup_env.py`,
    `import setup_env`) whose own text changes the working folder."""
    if "run" in source:
        magic = automagic_line(source)  # `run setup.py` alone in its cell runs `%run setup.py`
        for line in split_lines(source):
            run = script_run(magic or _without_comment(line))
            script = None if run is None else read_script(folder / run.path)
            if script is not None and _folder_change(script, None) is not None:
                return line.rstrip()
    if "import" in source:
        for match in import_lines().finditer(source):
            for statement in parsed_imports(source, match.start()):
                for module in modules_of(statement):
                    if module.partition(".")[0] == library:
                        continue  # what it runs when imported is NBR242's
                    text = read_script(folder / f"{module.partition('.')[0]}.py")
                    if text is not None and _folder_change(text, None) is not None:
                        return match.group().strip()
    return None

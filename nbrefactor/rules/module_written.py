"""Rule: the notebook does not write the module's own file.

A notebook that keeps its helpers in a file it writes itself (`%%writefile
helpers.py`, then `import helpers`) makes the import bind what it wrote when it
ran, which need not be the file nbrefactor reads now: the notebook may have
changed since it last ran, write another version further down, or rewrite the
file under `%autoreload`. So when a code cell writes a file of the module's name,
every definition is kept (`NBR254`): the library read is not known to be the one
the notebook imports (sweep 26 F2).

Found in the text, line by line, only in the cells that name the file as a word
(`helpers.py`; a package's folder, `helpers/`): a `%%writefile` or `%%file`
cell magic writing it, or a line naming it beside something that writes a file
(`open(..., "w")`, `.write_text(`, a shell `>`, `cp`, `mv`, `shutil.copy`, a
download). A line that only reads it (`%load helpers.py`, `!cat helpers.py`)
does not count, nor does a comment.
"""

from __future__ import annotations

from pathlib import Path

from nbrefactor.analysis.magics import cell_magic
from nbrefactor.analysis.module_path import held_as
from nbrefactor.analysis.text import split_lines
from nbrefactor.analysis.words import has_word, is_word_character
from nbrefactor.nbfile.notebook import Notebook
from nbrefactor.reasons import ModuleWritten

_FILE_MAGICS = ("writefile", "file")
# What, on a line naming the module's file, writes it: an open mode, a writing method, a
# shell redirection or command, a copy, move or download.
_WRITERS = (
    *("'w", '"w', "'a", '"a', "'x", '"x', "mode=", "write", ">"),
    *("cp ", "mv ", "copy(", "copyfile(", "copytree(", "move(", "rename(", "replace("),
    *("symlink", "link_to(", "urlretrieve", "wget ", "curl ", "download"),
)


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


def writing_line(source: str, name: str) -> str | None:
    """The first line of a code cell's source that writes the file `name` (`held_as`), or
    None; asked by `extract` too, which refuses a module a notebook writes."""
    magic = cell_magic(source)
    for line in split_lines(source):
        if not _names(line, name):
            continue
        text = line.strip()
        if text.startswith("#"):
            continue  # a comment writes nothing
        if magic in _FILE_MAGICS and text.startswith("%%"):
            return text  # `%%writefile helpers.py`, `%%file -a helpers.py`
        if any(writer in line for writer in _WRITERS):
            return text
    return None


def _names(line: str, name: str) -> bool:
    """Whether the line names the file `name` (`helpers.py`, not `my_helpers.py` nor
    `helpers.pyc`) or a file in the folder `name` (`helpers/io.py`)."""
    if not name.endswith("/"):
        return has_word(line, name)
    found = line.find(name)
    while found >= 0:
        if found == 0 or not is_word_character(line[found - 1]):
            return True
        found = line.find(name, found + 1)
    return False

"""Lines of a notebook that write a module's file, read from their text.

A notebook may write a module itself (`%%writefile helpers.py`, then `import helpers`):
the library's own file (`rules.module_written`, `NBR254`) or a module the library
imports (`rules.import_cell`: the library's import must come after that line, round 73b
F1). Found line by line, only in the lines that name the file as a word (`helpers.py`;
a package's folder, `helpers/`): a `%%writefile` or `%%file` cell magic writing it, or a
line naming it beside something that writes a file (`open(..., "w")`, `.write_text(`, a
shell `>`, `cp`, `mv`, `shutil.copy`, a download). A line that only reads it (`%load
helpers.py`, `!cat helpers.py`) does not count, nor does a comment.
"""

from __future__ import annotations

from collections.abc import Iterable

from nbrefactor.analysis.magics import cell_magic
from nbrefactor.analysis.text import line_around, split_lines, starts_holding
from nbrefactor.analysis.words import has_word, is_word_character

_FILE_MAGICS = ("writefile", "file")
# What, on a line naming the module's file, writes it: an open mode, a writing method, a
# shell redirection or command, a copy, move or download.
_WRITERS = (
    # `mode="w"` through its quote: `open("geom.py", mode="r")` reads (round 75b F5)
    *("'w", '"w', "'a", '"a', "'x", '"x', "+'", '+"', "write", ">"),
    *("cp ", "mv ", "copy(", "copyfile(", "copytree(", "move(", "rename(", "replace("),
    *("symlink", "link_to(", "urlretrieve", "wget ", "curl ", "download"),
)


def writing_line(source: str, name: str) -> str | None:
    """The first line of a code cell's source that writes the file `name` (`held_as`:
    `helpers.py`, or `helpers/` for a file in that folder), stripped, or None."""
    magic = cell_magic(source)
    for line in split_lines(source):
        if _writes(line, name, magic):
            return line.strip()
    return None


def package_writes(source: str, packages: Iterable[str]) -> list[tuple[int, str]]:
    """Where each line of a code cell's source writing a module of `packages` (top-level
    names: `geom` for `geom.py`, or a file in `geom/`) starts, with that package, in order;
    a package's files looked for only when the text names them."""
    magic = None if not source.startswith("%%") else cell_magic(source)
    found = set()
    for package in packages:
        for name in (f"{package}.py", f"{package}/"):
            if name not in source:
                continue
            for start in starts_holding(source, (name,)):
                if _writes(line_around(source, start)[1], name, magic):
                    found.add((start, package))
    return sorted(found)


def _writes(line: str, name: str, magic: str | None) -> bool:
    """Whether the line, of a cell starting with the cell magic `magic` (None: none), writes
    the file `name`."""
    if not _names(line, name):
        return False
    text = line.strip()
    if text.startswith("#"):
        return False  # a comment writes nothing
    if magic in _FILE_MAGICS and text.startswith("%%"):
        return True  # `%%writefile helpers.py`, `%%file -a helpers.py`
    return any(writer in line for writer in _WRITERS)


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

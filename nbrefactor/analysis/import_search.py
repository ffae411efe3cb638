"""The folders a notebook's own code adds to where its imports are found.

A kernel starts in the notebook's folder and finds modules there; many
notebooks then reach a module elsewhere by themselves, with the snippet every
project copies (`sys.path.append("..")`, `module_path =
os.path.abspath(os.path.join(".."))` / `if module_path not in sys.path:
sys.path.append(module_path)`), with `os.chdir` or `%cd`, or with
`site.addsitedir`. The warning that a migrated notebook's import may not be
found (`run.import_warning`) asks here first, so that it does not tell a user
to install a module their notebook already finds.

Only what literals say is followed: string constants, `os.path.join`,
`abspath`, `dirname`, `pathlib.Path` and `/`, `os.getcwd()`, `Path.cwd()`,
`.parent`, and names assigned such a value in module scope. Anything else
(`sys.path.append(ROOT)` with ROOT read from a file, or `import setup_paths`,
a module beside the notebook that changes the path when imported) cannot be
told, and the result is None: the warning then says nothing rather than guess.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from nbrefactor.analysis.folder_literals import (
    Unknown,
)
from nbrefactor.analysis.folder_search import FolderSearch
from nbrefactor.analysis.line_magics import bound_as_variable
from nbrefactor.analysis.parsing import Unparseable, parse_cell
from nbrefactor.analysis.path_changes import (
    FINDS_MODULES,
    imports_path_changer,
    path_changers_beside,
)
from nbrefactor.analysis.sys_names import sys_names
from nbrefactor.nbfile.notebook import Notebook
from nbrefactor.value_base import ValueBase

# Text a cell that changes where imports are found must hold; other cells are not parsed.
# Those of a line that does, without the call's bracket (`os.chdir (path)` is one too).
_MARKERS = tuple(marker.rstrip("(") for marker in FINDS_MODULES)


@dataclass(frozen=True, eq=False, repr=False)
class ImportFolders(ValueBase):
    """The folders the notebook's code makes its imports search, besides the one its kernel
    starts in: each folder added to `sys.path` or `addsitedir`, and each working folder it
    changes to (`sys.path` holds `''`, the working folder, in a kernel); and of those, the
    ones searched before the notebook's own (`first`): put first on `sys.path`
    (`sys.path.insert(0, "../src")`) or changed to (`%cd`, `os.chdir`), the latest first."""

    added: tuple[Path, ...]
    first: tuple[Path, ...]
    # Where each folder of `added` is first added: (cell, top-level statement index).
    added_at: Mapping[Path, tuple[int, int]] = field(default_factory=dict)
    # The lines that may take a folder out again, in order (round 60a F1).
    undone: tuple[Undo, ...] = ()
    # False when the search stopped at a line whose folder literals do not say, after it had
    # added one (the last of `undone`; round 61a S1): only `through` may be asked.
    complete: bool = True
    # The folders of `added` only ever appended (`sys.path.append`, `extend`; not
    # `site.addsitedir`, whose `.pth` lines may put it first: round 64 F6): a kernel
    # searches them after the standard library's (round 62a K1).
    appended: frozenset[Path] = frozenset()

    def through(self, finds: Callable[[Path], bool]) -> FoundThrough | None:
        """Where the notebook's code first adds a folder holding the module (`finds` says
        which do), and the lines that may take such a folder out; None when none holds it."""
        places = [self.added_at[added] for added in self.added if finds(added)]
        if not places:
            return None
        taken = [undo for undo in self.undone if undo.folder is None or finds(undo.folder)]
        return FoundThrough(min(places), tuple(taken))


@dataclass(frozen=True, eq=False, repr=False)
class Undo(ValueBase):
    """A line that may take a folder the notebook added out of where imports look: a change
    back of the working folder (`%cd -`, `%popd`, `os.chdir(saved)`; any change after
    another), or of `sys.path` (`sys.path.remove("..")`, `.pop()`, `sys.path = saved`)."""

    cell: int
    statement: int  # the top-level statement holding it
    line: str  # as the report shows it: `os.chdir(HERE)`
    folder: Path | None  # the folder taken out; None: any may be


@dataclass(frozen=True, eq=False, repr=False)
class FoundThrough(ValueBase):
    """How a module found only through the notebook's own code is found: where that code
    first adds a folder holding it (cell, top-level statement), and the lines that may take
    such a folder out again (`%cd -`, `sys.path.remove(...)`), in order."""

    added_at: tuple[int, int]
    undone: tuple[Undo, ...]


def import_folders(notebook: Notebook, folder: Path) -> ImportFolders | None:
    """The folders a notebook in `folder` makes its imports search (each cell that may change
    them parsed once); None when a change names a folder literals do not say."""
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    # `import sys as _s`, then `_s.path.append("lib")` (round 57a): followed as `sys.path`
    names = sys_names(cell.source for cell in cells)
    markers = (*_MARKERS, *names.markers())
    search = FolderSearch(Path(os.path.abspath(folder)), names)
    changers = path_changers_beside(folder)
    added_at: dict[Path, tuple[int, int]] = {}
    undone: list[Undo] = []
    complete = True
    for cell in cells:
        if changers and imports_path_changer(cell.source, changers):
            return None  # `import setup_paths`: which folders it adds, only its code says
        # `popd`, `cd ..` alone in a cell: IPython's automagic runs the magic (round 60a F1)
        earlier = (other.source for other in cells if other.number < cell.number)
        source = _automagic(cell.source, earlier) or cell.source
        if not any(marker in source for marker in markers):
            continue
        try:
            tree, masked = parse_cell(source)
        except Unparseable:
            return None
        for index, statement in enumerate(tree.body):
            known, undoing = len(search.found), len(search.undone)
            try:
                search.run(statement, masked.originals)
            except Unknown:
                complete = False
            for added in search.found[known:]:
                added_at.setdefault(added, (cell.number, index))
            for line, taken in search.undone[undoing:]:
                undone.append(Undo(cell.number, index, line, taken))
            if not complete:
                if search.stopped_at is None or not search.found:
                    return None
                # Round 61a S1: `%cd $OTHER` after `%cd ..`: where imports look next,
                # literals do not say, and the line may take out the folder found
                undone.append(Undo(cell.number, index, search.stopped_at, None))
                break
        if not complete:
            break
    return ImportFolders(
        tuple(dict.fromkeys(search.found)),
        tuple(dict.fromkeys(reversed(search.first))),
        MappingProxyType(added_at),
        tuple(undone),
        complete,
        _only_appended(search),
    )


def _only_appended(search: FolderSearch) -> frozenset[Path]:
    """The folders the notebook only ever appends: added no other way, never put first."""
    appended, found = Counter(search.appended), Counter(search.found)
    first = set(search.first)
    return frozenset(
        added for added, times in appended.items() if found[added] == times and added not in first
    )


# `cd`, `cd ..`, `pushd ..`, `popd -q` alone (round 61a S2: `cd`, to $HOME, was missed); not
# `cd = "x"`, `cd, x = ...`: an assignment IPython leaves alone
_AUTOMAGIC = re.compile(r"(cd|pushd|popd)(?:[ \t]+(?![=,])\S.*)?")


def _automagic(source: str, earlier: Iterable[str]) -> str | None:
    """`%popd` for a cell holding only `popd` (`%cd ..` for `cd ..`, `%cd` for `cd`):
    IPython's automagic runs a one-line cell's magic without its `%`, unless an `earlier`
    cell binds its name as a variable (`cd = "data"`: then Python); None for any other."""
    line = source.strip()
    if "\n" in line or "\r" in line:
        return None
    match = _AUTOMAGIC.fullmatch(line)
    if match is None or bound_as_variable(match.group(1), earlier):
        return None
    return "%" + line

"""The modules beside a single-file library, named like standard modules, that a notebook's
kernel does not run: it finds the standard ones first (round 62a K1).

`mylib.py` doing `import colorsys` beside a `colorsys.py` of its own: a kernel's search
path holds the standard library's folders before the working folder (`''`) and the
folders a notebook appends (`sys.path.append("lib")`), so `import colorsys` binds the
standard module there and `lib/colorsys.py` never runs. Only a folder the notebook puts
before those (`sys.path.insert(0, "lib")`) or `PYTHONPATH` names may hold the one found:
then, or when the notebook's search is not known, the sibling counts (the safe side).
The modules a kernel has imported before any cell runs are never the sibling's
(`kernel_modules.KERNEL_BOUND`, left out by `import_effects.import_walk` itself).
"""

from __future__ import annotations

import os
from pathlib import Path

from nbrefactor.analysis.import_effects import ImportWalk
from nbrefactor.analysis.import_search import ImportFolders
from nbrefactor.analysis.kernel_modules import is_standard


def standard_siblings(
    walk: ImportWalk, module_file: Path, folders: ImportFolders | None
) -> frozenset[str]:
    """The top-level names of the modules of the library's folder (`walk.beside`) named like
    standard modules, when the kernel finds the standard ones: the library's folder (that
    of `module_file`) is one the notebook only appends (`ImportFolders.appended`), and not
    on `PYTHONPATH`. Empty otherwise, and when the notebook's search is not known."""
    names = frozenset(name.partition(".")[0] for name, _ in walk.beside if is_standard(name))
    if not names or folders is None or not folders.complete:
        return frozenset()
    library_folder = os.path.realpath(os.path.dirname(os.path.abspath(module_file)))
    appended = {os.path.realpath(folder) for folder in folders.appended}
    if library_folder not in appended:
        return frozenset()
    environment = os.environ.get("PYTHONPATH", "")
    if library_folder in {os.path.realpath(part) for part in environment.split(os.pathsep) if part}:
        return frozenset()  # searched before the standard library
    return names

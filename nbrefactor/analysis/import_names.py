"""Whether a notebook's `import` of a name binds the module file it is meant to.

A name must parse as an import, and the file must be what Python finds first under it:
not a standard-library module's name, nor a package's a kernel imports at its start,
nor a file a package folder or extension module of its name hides. `module_path` says
where files are; this module says what their names would import.
"""

from __future__ import annotations

import keyword
import sys
import unicodedata
from pathlib import Path

from nbrefactor.analysis.kernel_modules import KERNEL_MODULES
from nbrefactor.analysis.module_path import (
    dotted_name,
    import_file,
    installed_folder,
    is_package_init,
)


def is_module_name(text: str) -> bool:
    """Whether `import text` parses: dotted identifiers, none a keyword (`class`, `None`)."""
    return all(part.isidentifier() and not keyword.iskeyword(part) for part in text.split("."))


def import_name_problem(import_name: str, source_file: Path) -> str | None:
    """Why a notebook's `from import_name import f` would not bind the module read from
    `source_file`, or None.

    A name that is not a module name does not parse; when the name is the file's
    own, a file name with a dot before `.py` names no module, and a package folder or an
    extension module beside the file of its name is found first; `__main__` is the notebook itself.
    A top-level name of the standard library's (`statistics`, `code`, `io`) binds the
    standard library's module wherever it is already imported (a kernel imports many
    at its start) or found first (before a folder appended to `sys.path`): the
    migrated notebook would raise ImportError, or call other functions. So does the
    name of a package the kernel imports at its start (`comm`, `traitlets`:
    `KERNEL_MODULES`), unless the file is that installed package's own.
    """
    if not is_module_name(import_name):
        return f"{import_name!r} is not a name Python can import"
    read_as = unicodedata.normalize("NFKC", import_name)
    if read_as != import_name:  # round 54a: `from ﬁlib import f` imports `filib`
        return f"Python reads {import_name!r} in an import as {read_as!r}, another module's name"
    if source_file.name != "__init__.py" and import_name == dotted_name(source_file):
        if "." in source_file.stem:  # sweep 27: `my.helpers.py` is not `import my.helpers`
            return f"{source_file.name} has a dot before .py: Python cannot import it by name"
        found = import_file(source_file.with_suffix(""))
        if found is not None and is_package_init(found):  # found first (sweep 27)
            return (
                f"{found.parent}/ beside it is a package, which `import {source_file.stem}`"
                f" finds instead of {source_file}"
            )
        if found is not None and found.suffix != ".py":  # round 63 F1: a `cythonize -i` build
            return (
                f"{found} beside it is an extension module, which `import {source_file.stem}`"
                f" finds instead of {source_file}"
            )
    top = import_name.partition(".")[0]
    if top == "__main__":  # sweep 26: `from __main__ import f` imports from the notebook
        return "__main__ is the notebook's own module in its kernel"
    if top in sys.stdlib_module_names and not _in_standard_library(source_file):
        return (
            f"{top} is the name of a standard-library module, which a notebook's"
            f" `from {import_name} import ...` may import instead of {source_file}"
        )
    if top in KERNEL_MODULES and (
        installed_folder(import_name) is None
        or installed_elsewhere(import_name, source_file) is not None
    ):
        return (
            f"{top} is the name of a package IPython's kernel imports at its start, which a"
            f" notebook's `from {import_name} import ...` binds instead of {source_file}"
        )
    return None


def installed_elsewhere(import_name: str, source_file: Path) -> Path | None:
    """The installed module or package whose top-level name `import_name` starts with, when
    `source_file` is not in it (`--to cycler.py` beside notebooks using matplotlib, which
    imports `cycler`): a new file of that name, first on a kernel's path, would be what
    every library importing the name gets. None when none is installed, or it is this file
    (an editable install of the package being extended)."""
    folder = installed_folder(import_name)
    if folder is None:
        return None
    top = import_name.partition(".")[0]
    installed = import_file(folder / top)
    if installed is None:
        return None
    package = installed.parent if is_package_init(installed) else installed
    target = source_file.resolve()
    if target == package.resolve() or package.resolve() in target.parents:
        return None
    return installed


def _in_standard_library(source_file: Path) -> bool:
    import sysconfig

    standard_library = Path(sysconfig.get_paths()["stdlib"]).resolve()
    return standard_library in source_file.resolve().parents

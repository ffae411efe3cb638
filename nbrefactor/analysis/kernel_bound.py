"""The imports of names from a module a kernel binds, not the file of its name beside a
single-file library (round 70a N1), or beside a package library (round 71a F3: `lib/mypkg`,
its `__init__.py` or a submodule doing `from dateutil import to_day`, and `lib/dateutil.py`).

`helpers.py` doing `from dateutil import to_day` beside a `dateutil.py` of its own: a fresh
kernel has imported python-dateutil at its start (`kernel_modules.KERNEL_MODULES`), so the
import binds that package, and `dateutil.py` never runs; so for `from string import
custom` beside a `string.py` (`KERNEL_PRELOADED`), and for a standard module the kernel
finds before the library's folder (`standard_siblings`). Whether the kernel's module has
`to_day` is not known without importing it, which nbrefactor never does: the import may
raise ImportError where the notebook's own definitions ran (`rules.import_effects`,
`NBR279`). A plain `import dateutil` binds the same module the notebook's own would: not
one of these.
"""

from __future__ import annotations

import ast
from collections.abc import Collection
from dataclasses import dataclass
from importlib.util import decode_source
from pathlib import Path

from nbrefactor.analysis.import_run import RunOnImport
from nbrefactor.analysis.module_path import import_file, module_file
from nbrefactor.analysis.text import stripped_line
from nbrefactor.value_base import ValueBase


@dataclass(frozen=True, eq=False, repr=False)
class KernelBoundImport(ValueBase):
    """A statement of a file the library's import runs, importing names (or a submodule)
    from a module the kernel binds while a file of its name lies beside the library."""

    shown: str  # its file as the report names it, from the library's folder: `helpers.py`
    line: int
    text: str  # its first line, stripped
    imported: str  # the module it imports from: `dateutil`, `dateutil.parser`
    # The module of its name beside the library, which the kernel does not run, from the
    # library's folder: `dateutil.py`, `dateutil/__init__.py`
    sibling: str
    names: tuple[str, ...]  # what it imports from it: `to_day`; `*`; `sub` of `import a.sub`


def kernel_bound_imports(
    run: RunOnImport,
    data: bytes,
    shown: str,
    bound: Collection[str],
    folder: Path,
    siblings: dict[str, Path | None],
) -> list[KernelBoundImport]:
    """The statements importing a file runs (`run`; `data` its bytes, `shown` as the report
    names it) that import names from a module whose top-level name is one of `bound` (bound
    by the kernel) and of which the library's `folder` holds a module; `siblings` caches the
    look for each name (one `stat` or two). Relative imports are the package's own: none."""
    found: list[KernelBoundImport] = []
    for statement in run.statements:
        for imported, names in _imported_names(statement, run.read):
            top = imported.partition(".")[0]
            if top not in bound:
                continue
            if top not in siblings:
                siblings[top] = module_file(folder / top)
            sibling = siblings[top] or _namespace_module(statement, imported, names, folder)
            if sibling is not None:
                text = stripped_line(decode_source(data), statement.lineno)  # PEP 263
                held = sibling.relative_to(folder).as_posix()
                found.append(
                    KernelBoundImport(shown, statement.lineno, text, imported, held, names)
                )
    return found


def _namespace_module(
    statement: ast.stmt, imported: str, names: tuple[str, ...], folder: Path
) -> Path | None:
    """The module of a folder without `__init__` (a namespace package) beside the library
    that the statement imports (`from dateutil.custom import g`, `import dateutil.custom`
    beside `dateutil/custom.py`), which the kernel's `dateutil`, a package, does not hold
    (round 73a F4: ModuleNotFoundError once migrated); None when it imports none."""
    dotted = f"{imported}.{names[0]}" if isinstance(statement, ast.Import) else imported
    if "." not in dotted:
        return None
    return import_file(folder.joinpath(*dotted.split(".")))


def _imported_names(
    statement: ast.stmt, read: dict[str, list[str]]
) -> list[tuple[str, tuple[str, ...]]]:
    """(module, names) for what the statement takes from a module rather than binding the
    module itself: `from a import b, c` gives (a, (b, c)); `import a.b` gives (a, (b,)),
    a submodule the kernel's `a` may not have; `import a` the attributes of it the file reads
    when imported (`read`: `K = a.helper(1)`, round 72b: AttributeError), else nothing."""
    if isinstance(statement, ast.ImportFrom):
        if statement.level or statement.module is None:
            return []
        return [(statement.module, tuple(alias.name for alias in statement.names))]
    if not isinstance(statement, ast.Import):
        return []
    found: list[tuple[str, tuple[str, ...]]] = []
    for alias in statement.names:
        if "." in alias.name:
            found.append((alias.name.rpartition(".")[0], (alias.name.rpartition(".")[2],)))
        elif read.get(alias.asname or alias.name):
            found.append((alias.name, tuple(dict.fromkeys(read[alias.asname or alias.name]))))
    return found

"""The imports a module written by `extract` needs: each imported name (`ImportSpec`), and the
submodules a definition reads as attributes of a module it imports, which the module must
import itself (`submodules_read`).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from nbrefactor.analysis.import_targets import bound_and_target, dotted_path
from nbrefactor.analysis.module_path import installed_folder, module_file
from nbrefactor.extract.gather import Definition, NotebookReading


@dataclass(frozen=True, order=True)
class ImportSpec:
    """One imported name: `import module [as asname]` or `from module import obj [as asname]`."""

    module: str
    obj: str | None = None
    asname: str | None = None

    def __str__(self) -> str:
        alias = f" as {self.asname}" if self.asname else ""
        if self.obj is None:
            return f"import {self.module}{alias}"
        return f"from {self.module} import {self.obj}{alias}"

    @property
    def bound(self) -> str:
        """The name it binds."""
        return bound_and_target(self.module, self.obj, self.asname)[0]

    @property
    def target(self) -> str:
        """What the name is bound to: `import a.b` binds `a` to the module `a`."""
        return bound_and_target(self.module, self.obj, self.asname)[1]


class ImportNotRead(Exception):
    """Why the import binding a name cannot be read as one `ImportSpec` (its words)."""


def import_spec(statement: ast.stmt, name: str) -> ImportSpec:
    """The import binding `name` in the statement: an import, or a `try`, `if` or `with`
    whose imports of it all agree (`try: import control as ct` / `except ImportError: %pip
    install control` / `import control as ct`, the Colab form; sweep 28: refused as
    conditional, or not, by the order the notebooks were given in)."""
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        spec = _spec_in(statement, name)
        if spec is not None:
            return spec
    else:
        found = {
            spec
            for node in ast.walk(statement)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            and (spec := _spec_in(node, name)) is not None
        }
        if len(found) == 1:
            return found.pop()
    raise ImportNotRead(f"{name} is imported conditionally")


def _spec_in(statement: ast.Import | ast.ImportFrom, name: str) -> ImportSpec | None:
    if isinstance(statement, ast.ImportFrom):
        for alias in statement.names:
            if (alias.asname or alias.name) == name:
                if statement.level or statement.module is None:
                    raise ImportNotRead(f"imports {name} from a relative module")
                return ImportSpec(statement.module, alias.name, alias.asname)
        return None
    for alias in statement.names:
        if (alias.asname or alias.name.split(".")[0]) == name:
            return ImportSpec(alias.name, None, alias.asname)
    return None


def module_beside(notebook: Path, module: str, module_folder: Path | None) -> Path | None:
    """The file or folder of `module` beside the notebook, when the module is written in
    another folder (its kernel imports it from the notebook's folder; the module cannot)."""
    folder = notebook.parent
    if module_folder is None or os.path.realpath(folder) == os.path.realpath(module_folder):
        return None
    top = module.partition(".")[0]
    for candidate in (folder / f"{top}.py", folder / top):
        if candidate.exists():
            return candidate
    return None


def statement_specs(statement: ast.stmt) -> list[ImportSpec]:
    """The names an import statement binds, one spec each (`*` none), in its order."""
    if isinstance(statement, ast.Import):
        return [ImportSpec(alias.name, None, alias.asname) for alias in statement.names]
    if isinstance(statement, ast.ImportFrom):
        module = "." * statement.level + (statement.module or "")
        return [
            ImportSpec(module, alias.name, alias.asname)
            for alias in statement.names
            if alias.name != "*"
        ]
    return []


def submodules_read(
    current: Definition, imported: Mapping[str, ImportSpec], loaded: Collection[str]
) -> list[str]:
    """The submodules `current` reads as attributes of the modules `imported` gives (name ->
    its import) that an import in the notebook loaded (`loaded`): each a module for sure (a
    prefix of a module path the notebook imports), which the module must import itself.
    The definition is walked once, whatever the number of names."""
    found: dict[str, None] = {}
    for node in ast.walk(current.node):
        read = dotted_path(node) if isinstance(node, ast.Attribute) else None
        if read is None:
            continue
        name, *chain = read.split(".")
        spec = imported.get(name)
        if spec is None:
            continue
        path = _module_bound(spec)
        deepest = None
        for attribute in chain:
            path = f"{path}.{attribute}"
            if any(_within(other, path) for other in loaded):
                deepest = path
        if deepest is not None and not _within(spec.module, deepest):  # not imported already
            found[deepest] = None
    return list(found)


def _module_bound(spec: ImportSpec) -> str:
    """The module the name an import binds stands for (if `from M import x` names a module)."""
    if spec.obj is not None:
        return f"{spec.module}.{spec.obj}"  # `from xml import etree`: xml.etree, if a module
    if spec.asname is not None:
        return spec.module  # `import xml.etree as et`
    return spec.module.split(".")[0]  # `import xml.etree` binds `xml`


def _within(module: str, package: str) -> bool:
    """Whether importing `module` loads `package`: it is `package` or a submodule of it."""
    return module == package or module.startswith(package + ".")


def modules_imported(reading: NotebookReading) -> set[str]:
    """The dotted paths the notebook's imports name as modules (`from M import x`: M, and
    M.x when that is a module file: `from logging import handlers` loads logging.handlers)."""
    found: set[str] = set()
    for bindings in reading.bindings.values():
        for binding in bindings:
            statement = binding.statement
            if isinstance(statement, ast.Import):
                found.update(alias.name for alias in statement.names)
            elif isinstance(statement, ast.ImportFrom) and not statement.level and statement.module:
                found.add(statement.module)
                for alias in statement.names:
                    dotted = f"{statement.module}.{alias.name}"
                    if _module_file_found(dotted, reading.path.parent):
                        found.add(dotted)
    return found


def _module_file_found(dotted: str, folder: Path) -> bool:
    """Whether `a.b` is a module file beside the notebook (`folder`) or installed, found on
    disk without importing anything (sweep 21: `from logging import handlers`, then
    `logging.handlers.MemoryHandler` in a helper)."""
    parts = dotted.split(".")
    installed = installed_folder(parts[0])
    bases = [folder] if installed is None else [folder, installed]
    return any(module_file(base.joinpath(*parts)) is not None for base in bases)

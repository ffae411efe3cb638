"""Reading a library module's source, and the submodules its import runs.

The catalog reads the module statically, never importing it; but the notebooks will:
a submodule its top level imports (`from .plots import *`, `from . import io`) must be
there and parse, or every migrated notebook fails at the new import.
"""

from __future__ import annotations

import ast
from collections.abc import Collection
from importlib.machinery import EXTENSION_SUFFIXES
from importlib.util import decode_source
from pathlib import Path

from nbrefactor.analysis.module_path import CatalogError, module_file
from nbrefactor.analysis.source_trees import parsed_source


def read_module(path: Path, decoded: bool = False) -> tuple[ast.Module, str | None]:
    """The module's tree, and with `decoded` its text as Python decodes it (for reading a
    function's text, `ModuleNames.definition_text`)."""
    try:  # bytes: Python's own reading of a coding line or a BOM (PEP 263)
        data = path.read_bytes()
        tree = parsed_source(data, str(path))
        return tree, decode_source(data) if decoded else None
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError(f"{path}: cannot read: {error}") from None
    except SyntaxError as error:
        raise CatalogError(f"{path}:{error.lineno}: syntax error: {error.msg}") from None


def imported_submodule_problem(
    tree: ast.Module, source_file: Path, read: Collection[str] = ()
) -> str | None:
    """Why importing the module at `source_file` would fail on a relative import at its
    top level (not in a block: a `try` may expect the failure), or None. A submodule named
    in `from .x import y` must be a module, a package, a folder (a namespace package) or
    an extension beside it; one that is Python must parse (`read_module` says where not).
    `from . import x` may import a name the package binds: only a submodule found is read.
    `read`: submodules already read (their dotted names below the package): not again."""
    for statement in tree.body:
        if not isinstance(statement, ast.ImportFrom) or statement.level == 0:
            continue
        base = source_file.parent
        for _ in range(statement.level - 1):
            base = base.parent
        if statement.module is not None:
            stem = base.joinpath(*statement.module.split("."))
            if not _found(stem):
                return (
                    f"{source_file}:{statement.lineno}: imports"
                    f" {'.' * statement.level}{statement.module}, which is not beside it:"
                    " importing the module would fail"
                )
            if statement.level > 1 or statement.module not in read:
                _parse_found(stem)
        else:
            for alias in statement.names:
                _parse_found(base / alias.name)
    return None


def _found(stem: Path) -> bool:
    if module_file(stem) is not None or stem.is_dir():
        return True
    return any(stem.with_name(stem.name + suffix).is_file() for suffix in EXTENSION_SUFFIXES)


def _parse_found(stem: Path) -> None:
    """Read the submodule at `stem` when it is Python: a syntax error is a CatalogError."""
    source = module_file(stem)
    if source is not None:
        read_module(source)

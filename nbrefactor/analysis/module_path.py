"""Where the target module is, and the name the notebooks import it by.

A module is given as a dotted name or as a path to a package folder or `.py`
file; it is located without importing it (nothing of a user's package runs),
and a path gets its dotted name from the top of its package.
`importable_from` asks the same of a notebook's folder after a migration, and
`shadowing_file` whether that folder holds another module of the same name;
`read_module` reads a module file found so, its failures a CatalogError.
"""

from __future__ import annotations

import ast
import functools
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from importlib.machinery import BYTECODE_SUFFIXES, EXTENSION_SUFFIXES, SOURCE_SUFFIXES
from pathlib import Path

from nbrefactor.analysis.source_trees import parsed_source


class CatalogError(Exception):
    """The target module cannot be found or read; the message says why."""


def locate(module: str, search_path: Sequence[str] | None) -> tuple[str, Path]:
    parts = module.split(".")
    is_dotted_name = all(part.isidentifier() for part in parts)
    is_file = module.endswith(".py") and Path(module).is_file()
    if not is_dotted_name or is_file or os.sep in module or "/" in module:
        return _locate_path(Path(module))
    try:
        top = _find_top_level(parts[0], search_path)
    except CatalogError:
        if module.endswith(".py"):  # meant as a file (`nosuch.py`), not a module `py`
            raise CatalogError(_no_file(Path(module))) from None
        raise
    for part in parts[1:]:
        if top.name != "__init__.py":
            raise CatalogError(f"module {module!r}: {top} is not a package")
        inner = module_file(top.parent / part)
        if inner is None:
            raise CatalogError(f"module {module!r} not found")
        top = inner
    return module, top


def _locate_path(path: Path) -> tuple[str, Path]:
    if path.is_dir():
        init = path / "__init__.py"
        if not init.is_file():
            raise CatalogError(_no_init(path))
        return dotted_name(init), init
    if path.is_file() and path.suffix == ".py":
        return dotted_name(path), path
    if path.suffix == ".py" and not path.exists():
        raise CatalogError(_no_file(path))
    raise CatalogError(
        f"module {str(path)!r} not found (neither a module name nor a package folder)"
    )


def _no_file(path: Path) -> str:
    return f"module file {str(path)!r} not found"


def dotted_name(source_file: Path) -> str:
    """The import name of a module file: its dotted name from the top of its package.

    `helpers/plots.py` beside `helpers/__init__.py` is `helpers.plots`, as
    Python imports it from the folder above `helpers`; a package's
    `__init__.py` names the package.
    """
    absolute = Path(os.path.abspath(source_file))  # a link is imported by its own name
    parts = [] if absolute.name == "__init__.py" else [absolute.stem]
    folder = absolute.parent
    if absolute.name == "__init__.py":
        parts.append(folder.name)
        folder = folder.parent
    while (folder / "__init__.py").is_file() and folder.name.isidentifier():
        parts.append(folder.name)
        folder = folder.parent
    return ".".join(reversed(parts))


def _no_init(folder: Path) -> str:
    return (
        f"module folder {folder.as_posix().rstrip('/')}/ has no __init__.py"
        " (a package needs one to be read; add an empty __init__.py)"
    )


def _find_top_level(name: str, search_path: Sequence[str] | None) -> Path:
    """Locate a top-level module without importing it.

    The current folder is searched first, as `python -c` would; then the
    interpreter's import machinery (which also knows editable installs).
    """
    directories = [os.getcwd()] if search_path is None else list(search_path)
    for directory in directories:
        found = module_file(Path(directory) / name)
        if found is not None:
            return found
    if search_path is None:
        spec = importlib.util.find_spec(name) if name not in sys.builtin_module_names else None
        if spec is not None and spec.origin and spec.origin.endswith(".py"):
            return Path(spec.origin)
    for directory in directories:
        if (Path(directory) / name).is_dir():
            raise CatalogError(_no_init(Path(directory, name).relative_to(directory)))
    raise CatalogError(f"module {name!r} not found (not installed, and no folder {name}/ here)")


@functools.cache
def importable_from(import_name: str, folder: Path) -> bool:
    """Whether a notebook in `folder` can find `import_name`'s top-level package.

    A kernel starts in the notebook's folder, which Python searches first, so
    a package (or `.py` file) of that name there counts; otherwise it must be
    installed: found by the interpreter's finders (site-packages, editable
    installs, PYTHONPATH). Nothing is imported: `find_spec` of a top-level
    name only searches.
    """
    return _beside(import_name, folder) or _installed(import_name.partition(".")[0])


@functools.cache
def found_only_in(import_name: str, folder: Path, planned: Path | None = None) -> bool:
    """Whether `import_name`'s top-level package lies in `folder` and is not installed: a
    kernel started there finds it only while its working folder is `folder`. `planned`:
    the module's file, absolute, when not written yet (`extract --dry-run`): it will lie
    where it says."""
    beside = _beside(import_name, folder) or (
        planned is not None and import_root(planned, import_name) == folder
    )
    return beside and not _installed(import_name.partition(".")[0])


def _beside(import_name: str, folder: Path) -> bool:
    """Whether `folder` holds the module `import_name` starts with (`import_file`). A folder
    without `__init__` (`plots/` of images) is a namespace package holding none of the
    library's names (round 70a N4: ImportError, and no warning), unless it holds the module
    of a dotted name (`ns/helpers.py` for `ns.helpers`)."""
    parts = import_name.split(".")
    top = import_file(folder / parts[0])
    return top is not None or (len(parts) > 1 and import_file(folder.joinpath(*parts)) is not None)


def holds_module(import_name: str, folder: Path) -> bool:
    """Whether `folder` holds the top-level module or package `import_name` starts with (an
    extension module too: `import` binds it)."""
    return import_file(folder / import_name.partition(".")[0]) is not None


@functools.cache
def shadowing_file(import_name: str, source_file: Path, folder: Path) -> Path | None:
    """The module in `folder` that `import import_name` finds first, when it is not the module
    read (`source_file`, or a byte-identical copy): a kernel starts in the notebook's folder
    and imports from there, so the import would bind other functions than those compared.

    Returns the top-level module or package file found there (`helpers.py`,
    `helpers/__init__.py`, an extension module: `import_file`); None when the folder holds
    no module of that name, or the one read (also when `source_file` is not written yet
    and is where the import will find it: `extract --dry-run --to pkg/helpers.py` beside
    an existing `pkg/`).
    """
    parts = import_name.split(".")
    top = import_file(folder / parts[0])
    if top is None:
        return None
    path = folder.joinpath(*parts)
    found = import_file(path)
    if found is None:
        if os.path.abspath(source_file) in map(os.path.abspath, _module_files(path)):
            return None
    else:
        if found.resolve() == source_file.resolve():
            return None
        try:
            if found.read_bytes() == source_file.read_bytes():
                return None
        except OSError:
            pass
    return top


def forget_folders() -> None:
    """Forget what the folders held when searched (`importable_from`, `found_only_in`,
    `shadowing_file` remember it, per folder, for a run): a module file was written in one
    since (`extract --migrate` searches before writing the module, and migrates after)."""
    for search in (importable_from, found_only_in, shadowing_file):
        search.cache_clear()


def installed_folder(import_name: str) -> Path | None:
    """The folder holding the installed top-level module or package `import_name` starts
    with (site-packages, an editable install's source folder), as the interpreter's finders
    find it outside the folder of this run; None when it is not installed there as a file
    (a builtin, a namespace package, nothing)."""
    spec = _installed_spec(import_name.partition(".")[0])
    if spec is None or spec.origin is None or not os.path.isfile(spec.origin):
        return None
    return import_root(Path(spec.origin), import_name.partition(".")[0])


def held_as(module_file: Path) -> str:
    """A module file as the folder holding it names it: `helpers.py`, or `helpers/` for a
    package's `__init__.py` (or compiled `__init__`: `is_package_init`)."""
    return module_file.parent.name + "/" if is_package_init(module_file) else module_file.name


def is_package_init(module_file: Path) -> bool:
    """Whether `module_file` is a package's `__init__`: `__init__.py`, or one `import_file`
    finds in its place (`__init__.cpython-311-x86_64-linux-gnu.so`, `__init__.pyc`)."""
    return module_file.name.partition(".")[0] == "__init__"


def import_root(module_file: Path, import_name: str) -> Path:
    """The folder `import import_name` finds `module_file` from: the one holding its
    top-level module or package (`pkg/helpers.py` as `pkg.helpers`, `pkg/__init__.py` as
    `pkg`: the folder holding `pkg/`)."""
    root = module_file.parent.parent if is_package_init(module_file) else module_file.parent
    for _ in range(import_name.count(".")):
        root = root.parent
    return root


def _installed(top: str) -> bool:
    """Whether the import system finds a top-level module, leaving out the folder of this run."""
    return top in sys.builtin_module_names or _installed_spec(top) is not None


@functools.cache
def _installed_spec(top: str) -> importlib.machinery.ModuleSpec | None:
    """What the interpreter's finders find for a top-level module, leaving out the folder of
    this run: `python -m nbrefactor` puts the current folder first on sys.path; a kernel
    started elsewhere does not see it."""
    search = sys.path[1:] if sys.path and sys.path[0] in ("", os.getcwd()) else sys.path
    for finder in sys.meta_path:
        spec = _spec(finder, top, search)
        if spec is not None:
            return spec
    return None


def _spec(finder: object, top: str, search: list[str]) -> importlib.machinery.ModuleSpec | None:
    try:
        if finder is importlib.machinery.PathFinder:
            return importlib.machinery.PathFinder.find_spec(top, search)
        return finder.find_spec(top, None)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a third-party finder that cannot answer: not found there
        return None


def module_file(stem: Path) -> Path | None:
    """The file `import` finds for `stem` in its folder: the package first, as Python looks."""
    return next((file for file in _module_files(stem) if file.is_file()), None)


def import_file(stem: Path) -> Path | None:
    """The file `import` binds for `stem` in its folder, in the order Python's FileFinder tries
    them: a package, an extension module (`helpers.cpython-311-x86_64-linux-gnu.so`, left by
    `cythonize -i helpers.py`; `importlib.machinery.EXTENSION_SUFFIXES`), a `.py` file
    (round 63 F1: a stale build beside helpers.py was what the migrated notebook called),
    then a sourceless `helpers.pyc` (`BYTECODE_SUFFIXES`; round 70a N3: a stale one beside
    the notebook was imported before a folder the notebook appended).
    A package's `__init__` is any of them too (round 64 F5: a cythonized
    package, `helpers/__init__.cpython-311-x86_64-linux-gnu.so`, is imported before
    helpers.py): `is_package_init`. `module_file` is the source to read; this only looks at
    names: nothing is loaded."""
    loaded = (*EXTENSION_SUFFIXES, *SOURCE_SUFFIXES, *BYTECODE_SUFFIXES)  # FileFinder's order
    inits = (stem / f"__init__{suffix}" for suffix in loaded)
    modules = (stem.with_name(stem.name + suffix) for suffix in loaded)
    candidates = (*inits, *modules)
    return next((file for file in candidates if file.is_file()), None)


def _module_files(stem: Path) -> tuple[Path, Path]:
    """The files a module at `stem` may be, in the order the import system tries them."""
    return stem / "__init__.py", stem.with_suffix(".py")


def read_module(path: Path, decoded: bool = False) -> tuple[ast.Module, str | None]:
    """The module's tree, and with `decoded` its text as Python decodes it (for reading a
    function's text, `ModuleNames.definition_text`)."""
    try:  # bytes: Python's own reading of a coding line or a BOM (PEP 263)
        data = path.read_bytes()
        tree = parsed_source(data, str(path))
        return tree, importlib.util.decode_source(data) if decoded else None
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError(f"{path}: cannot read: {error}") from None
    except SyntaxError as error:
        # No line for some (round 54a: a NUL byte printed `mylib.py:None: syntax error`).
        where = f"{path}:{error.lineno}" if error.lineno is not None else str(path)
        raise CatalogError(f"{where}: syntax error: {error.msg}") from None
    except (RecursionError, MemoryError):
        # Python's parser gives up too (a chain of some 100,000 `+`): it cannot import it.
        raise CatalogError(f"{path}: nested too deeply for Python to parse") from None

"""The catalog of replaceable functions, read statically from the target package.

The target package is never imported: importing `viz_utils` would import
matplotlib (and a user's own package could run anything). Its source is read
with `ast` instead of libcst, so that a run over notebooks with nothing to
replace never pays libcst's import cost. Finding the module's file, and the
name it is imported by, is `module_path.py`'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from nbrefactor.analysis.environment_reads import reads_environment_at_import
from nbrefactor.analysis.import_names import import_name_problem
from nbrefactor.analysis.importable_names import importable_names
from nbrefactor.analysis.library_function import (  # re-exported: the catalog's vocabulary
    KEYWORD_KINDS,
    POSITIONAL_KINDS,
    STARRED_KINDS,
    LibraryFunction,
    Parameter,
    ParameterKind,
    annotations_of,
    library_function,
    parameters_of,
)
from nbrefactor.analysis.library_module import module_names
from nbrefactor.analysis.module_declarations import (
    LEGACY_NAMES_VARIABLE,
    exported_names,
    legacy_names,
)

# CatalogError is raised while locating and while reading; callers catch it from here.
from nbrefactor.analysis.module_path import CatalogError, locate, read_module
from nbrefactor.analysis.module_source import import_problem
from nbrefactor.analysis.no_public_functions import why_no_public_functions
from nbrefactor.analysis.package_imports import module_imports, taken_by_submodules
from nbrefactor.analysis.reexports import (
    MOST_HOPS,
    Submodule,
    relative_reexports,
    submodule_functions,
)
from nbrefactor.analysis.source_trees import parsed_source
from nbrefactor.value_base import ValueBase

if TYPE_CHECKING:
    from nbrefactor.analysis.import_effects import ImportEffect, ImportWalk

__all__ = [
    "KEYWORD_KINDS",
    "POSITIONAL_KINDS",
    "STARRED_KINDS",
    "Catalog",
    "CatalogError",
    "LibraryFunction",
    "NoPublicFunctions",
    "Parameter",
    "ParameterKind",
    "annotations_of",
    "load_catalog",
    "parameters_of",
    "read_catalog",
]


class NoPublicFunctions(CatalogError):
    """The module declares no function a migration could replace."""


@dataclass(frozen=True, eq=False, repr=False)
class Catalog(ValueBase):
    """What a migration may replace: the module's public functions and their legacy names."""

    module: str
    functions: Mapping[str, LibraryFunction]
    legacy_names: Mapping[str, str]  # legacy name -> current function name
    source_file: Path | None = None  # the file read, which `migrate -v` names
    # The file the notebooks' imports must find (`module_file`), when `extract --migrate`
    # says: the one it wrote, or the one a copy in a temporary folder stands for (a dry run).
    written_as: Path | None = None

    @property
    def module_file(self) -> Path | None:
        """The module's file, as the notebooks' imports are to find it."""
        return self.written_as if self.written_as is not None else self.source_file

    @cached_property
    def replaceable_names(self) -> frozenset[str]:
        """Made once: read for every notebook, and a pattern is looked up by it."""
        return frozenset(self.functions) | frozenset(self.legacy_names)

    def current_name(self, name: str) -> str:
        return self.legacy_names.get(name, name)

    def function_for(self, name: str) -> LibraryFunction:
        return self.functions[self.current_name(name)]

    @cached_property
    def importable_names(self) -> frozenset[str] | None:
        """What `from <module> import NAME` finds in the module (`importable_names`); None
        when that cannot be known (a star import, a module `__getattr__`). Read only when a
        notebook imports names from a module of the library's name, once per run."""
        if self.source_file is None:
            return None
        return _importable_names(self.source_file)

    @cached_property
    def reads_environment(self) -> bool:
        """Whether importing the module reads the process environment (`DATA_DIR =
        os.environ.get(...)`; `environment_reads`): a notebook setting it before its own
        import of the module must not find the module imported already
        (`rules.import_cell`). Read only when a migration would add an import."""
        if self.source_file is None:
            return False
        try:
            text = self.source_file.read_bytes()
        except OSError:
            return True  # unread: the safe side
        return reads_environment_at_import(text)

    @property
    def import_effects(self) -> tuple[ImportEffect, ...]:
        """The first statement run for what it does in each file importing the module runs
        (`import_effects`); read only when a migration would add an import, once per run."""
        return () if self.import_walk is None else self.import_walk.effects

    @cached_property
    def import_walk(self) -> ImportWalk | None:
        """The files importing the module runs (`import_walk`): their effects, and the
        modules of a single-file library's folder it imports; read only when a migration
        would add an import, once per run. None without a file.

        The last reader of the library's trees: once it has them, they are let go, so that
        they are not held while the notebooks are read (a 5 MB cell peaks 1 MB lower)."""
        if self.source_file is None:
            return None
        # Imported here: a run whose migrations add no import never reads them.
        from nbrefactor.analysis.import_effects import import_walk

        walk = import_walk(self.module, self.source_file, self.written_as)
        parsed_source.cache_clear()
        return walk


def load_catalog(
    module: str,
    search_path: Sequence[str] | None = None,
    import_name: str | None = None,
    stands_for: Path | None = None,
) -> Catalog:
    """Find `module` (a dotted name or a path to a package folder / .py file) and read it.

    The notebooks will import it by `import_name`, else by the name it was
    found by (a path's dotted name from the top of its package). `stands_for`: the file
    a copy read from elsewhere will be (`extract`), beside which its relative imports are.
    """
    found_name, source_file = locate(module, search_path)
    problem = import_name_problem(import_name or found_name, source_file)
    if problem is not None:
        advice = "set another --import-name" if import_name else "rename it or set --import-name"
        raise CatalogError(f"{problem}: {advice}")
    return read_catalog(import_name or found_name, source_file, stands_for)


def read_catalog(import_name: str, source_file: Path, stands_for: Path | None = None) -> Catalog:
    """Read the public functions and legacy names declared by a module's source."""
    tree, text = read_module(source_file, decoded=True)
    package_dir = source_file.parent if source_file.name == "__init__.py" else None
    top = module_names(tree, import_name, text)
    definitions = top.functions
    exported = exported_names(tree, source_file)
    # Each submodule read once, for all its names: its functions, imports and `__all__`.
    submodules: dict[str, Submodule] = {}

    def submodule(module_name: str) -> Submodule:
        assert package_dir is not None
        if module_name not in submodules:
            submodules[module_name] = submodule_functions(package_dir, module_name, import_name)
        return submodules[module_name]

    reexports = relative_reexports(tree, submodule, import_name, package_dir) if package_dir else {}
    names = (
        exported
        if exported is not None
        else sorted(
            {name for name in definitions if not name.startswith("_")}
            | {name for name in reexports if not name.startswith("_")}
        )
    )
    # A name a submodule of the same name, imported after it, takes (sweep 30).
    taken = taken_by_submodules(tree, import_name, package_dir, names) if package_dir else {}
    functions: dict[str, LibraryFunction] = {}
    # What `from .x import y` starts from: the package itself, or a module's package.
    package = import_name if package_dir is not None else (import_name.rpartition(".")[0] or None)
    imports = module_imports(tree, package)
    for name in names:
        if name in taken:
            continue
        node, where, module = definitions.get(name), imports, top
        if node is None and name in reexports and package_dir is not None:
            module_name, original_name = reexports[name]
            # Through the submodules that import it in turn (`plots` from `._impl`): the
            # function is the one a `def` makes, with that module's globals (re-check 29).
            for _ in range(MOST_HOPS):
                module, where, _, taken_there = submodule(module_name)
                if original_name in taken_there:  # a subpackage's submodule (re-check 30)
                    node = None
                    break
                node = module.functions.get(original_name)
                target = dict(where).get(original_name, "")
                if node is not None or not target.startswith(f"{import_name}."):
                    break
                if original_name in module.defined:  # bound again after its import there
                    break  # (re-check 29: `scale = _loud(scale)` in plots was skipped)
                module_name, _, original_name = target.removeprefix(f"{import_name}.").rpartition(
                    "."
                )
                if not module_name:
                    break
        if node is not None:
            try:
                functions[name] = library_function(f"{import_name}.{name}", node, where, module)
            except RecursionError:  # `ast.unparse` of a default, annotation or decorator
                place = (
                    f"{source_file}:{node.lineno}"
                    if module is top
                    else f"{module.module}, line {node.lineno}"
                )
                raise CatalogError(
                    f"{place}: {name}: a default, annotation or decorator nests too deeply "
                    "to read (a chain of some 400 operators)"
                ) from None
    # What importing it runs must be there: a submodule its top level imports (sweep 29: a
    # missing `.gone`, a `bad.py` that does not parse; the migrated notebooks failed).
    problem = import_problem(tree, stands_for or source_file, import_name)
    if problem is not None:
        raise CatalogError(problem)
    if not functions:
        raise NoPublicFunctions(
            f"{source_file}: declares no public functions{why_no_public_functions(tree, exported, taken)}"
        )
    legacy = legacy_names(tree, source_file)
    unknown = sorted(set(legacy.values()) - set(functions))
    if unknown:
        raise CatalogError(
            f"{source_file}: {LEGACY_NAMES_VARIABLE} names {unknown[0]!r}, "
            "which is not a public function of the module"
        )
    # An old name that is a public function too, or the new name itself, is two answers
    # to one name (sweep 29: a copy of `d2` was replaced by `describe`, and printed
    # another thing).
    both = sorted(old for old in legacy if old in functions)
    if both:
        raise CatalogError(
            f"{source_file}: {LEGACY_NAMES_VARIABLE} names {both[0]!r} as a legacy name,"
            " which is a public function of the module too"
        )
    return Catalog(
        module=import_name,
        functions=functions,
        legacy_names=legacy,
        source_file=source_file,
    )


def _importable_names(source_file: Path) -> frozenset[str] | None:
    try:
        tree = read_module(source_file)[0]
    except CatalogError:
        return None
    package_dir = source_file.parent if source_file.name == "__init__.py" else None
    return importable_names(tree, package_dir)

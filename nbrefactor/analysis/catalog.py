"""The catalog of replaceable functions, read statically from the target package.

The target package is never imported: importing `viz_utils` would import
matplotlib (and a user's own package could run anything). Its source is read
with `ast` instead of libcst, so that a run over notebooks with nothing to
replace never pays libcst's import cost. Finding the module's file, and the
name it is imported by, is `module_path.py`'s.
"""

from __future__ import annotations

import ast
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from pathlib import Path

# CatalogError is raised while locating and while reading; callers catch it from here.
from nbrefactor.analysis.import_targets import import_targets
from nbrefactor.analysis.module_path import CatalogError, locate, module_file

LEGACY_NAMES_VARIABLE = "__legacy_names__"


class ParameterKind(Enum):
    POSITIONAL_ONLY = "positional-only"
    POSITIONAL_OR_KEYWORD = "positional-or-keyword"
    VAR_POSITIONAL = "*args"
    KEYWORD_ONLY = "keyword-only"
    VAR_KEYWORD = "**kwargs"


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: ParameterKind
    default: str | None  # normalised source of the default value, None when required


@dataclass(frozen=True)
class LibraryFunction:
    """A public function of the target module, as declared in its source."""

    qualified_name: str
    parameters: tuple[Parameter, ...]
    body: tuple[ast.stmt, ...]  # docstring left out
    # What the imports of its module bind: name -> what (`import_target`), for the names a
    # copy in a notebook may read from the notebook's own imports.
    imports: tuple[tuple[str, str], ...] = ()
    decorators: tuple[str, ...] = ()  # as `ast.unparse` writes them, in order

    def imported(self, name: str) -> str | None:
        """What its module's imports bind `name` to, or None when they do not bind it."""
        return self._imports_by_name.get(name)

    @cached_property
    def _imports_by_name(self) -> dict[str, str]:
        return dict(self.imports)

    def body_differs(self, node: ast.FunctionDef) -> bool:
        """Whether an inline definition's body is not this function's (compared lazily)."""
        body = _without_docstring(node.body)
        if len(body) != len(self.body):
            return True
        return any(
            ast.dump(inline, annotate_fields=False) != ast.dump(library, annotate_fields=False)
            for inline, library in zip(body, self.body)
        )


@dataclass(frozen=True)
class Catalog:
    """What a migration may replace: the module's public functions and their legacy names."""

    module: str
    functions: Mapping[str, LibraryFunction]
    legacy_names: Mapping[str, str]  # legacy name -> current function name
    source_file: Path | None = None  # the file read, which `migrate -v` names

    @property
    def replaceable_names(self) -> frozenset[str]:
        return frozenset(self.functions) | frozenset(self.legacy_names)

    def current_name(self, name: str) -> str:
        return self.legacy_names.get(name, name)

    def function_for(self, name: str) -> LibraryFunction:
        return self.functions[self.current_name(name)]


def load_catalog(
    module: str, search_path: Sequence[str] | None = None, import_name: str | None = None
) -> Catalog:
    """Find `module` (a dotted name or a path to a package folder / .py file) and read it.

    The notebooks will import it by `import_name`, else by the name it was
    found by (a path's dotted name from the top of its package).
    """
    found_name, source_file = locate(module, search_path)
    return read_catalog(import_name or found_name, source_file)


def read_catalog(import_name: str, source_file: Path) -> Catalog:
    """Read the public functions and legacy names declared by a module's source."""
    tree = _parse_file(source_file)
    package_dir = source_file.parent if source_file.name == "__init__.py" else None
    definitions = _top_level_functions(tree)
    exported = _declared_all(tree, source_file)
    reexports = _relative_reexports(tree) if package_dir else {}
    names = (
        exported
        if exported is not None
        else sorted(
            {name for name in definitions if not name.startswith("_")}
            | {name for name in reexports if not name.startswith("_")}
        )
    )
    functions: dict[str, LibraryFunction] = {}
    package = import_name if package_dir is not None else None
    imports = _module_imports(tree, package)
    # Each read once, for all its names: its functions and its imports.
    submodules: dict[str, tuple[dict[str, ast.FunctionDef], tuple[tuple[str, str], ...]]] = {}
    for name in names:
        node, where = definitions.get(name), imports
        if node is None and name in reexports and package_dir is not None:
            module_name, original_name = reexports[name]
            if module_name not in submodules:
                submodules[module_name] = _submodule_functions(
                    package_dir, module_name, import_name
                )
            node, where = submodules[module_name][0].get(original_name), submodules[module_name][1]
        if node is not None:
            functions[name] = _library_function(f"{import_name}.{name}", node, where)
    if not functions:
        raise CatalogError(f"{source_file}: declares no public functions")
    legacy_names = _legacy_names(tree, source_file)
    unknown = sorted(set(legacy_names.values()) - set(functions))
    if unknown:
        raise CatalogError(
            f"{source_file}: {LEGACY_NAMES_VARIABLE} names {unknown[0]!r}, "
            "which is not a public function of the module"
        )
    return Catalog(
        module=import_name,
        functions=functions,
        legacy_names=legacy_names,
        source_file=source_file,
    )


def _parse_file(path: Path) -> ast.Module:
    try:
        return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError(f"{path}: cannot read: {error}") from None
    except SyntaxError as error:
        raise CatalogError(f"{path}:{error.lineno}: syntax error: {error.msg}") from None


def _top_level_functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def _module_assignment(tree: ast.Module, variable: str) -> ast.expr | None:
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            continue
        if any(isinstance(target, ast.Name) and target.id == variable for target in targets):
            return node.value
    return None


def _declared_all(tree: ast.Module, source_file: Path) -> list[str] | None:
    value = _module_assignment(tree, "__all__")
    if value is None:
        return None
    try:
        names = ast.literal_eval(value)
    except ValueError:
        raise CatalogError(f"{source_file}: __all__ must be a literal list of names") from None
    if not isinstance(names, (list, tuple)) or not all(isinstance(name, str) for name in names):
        raise CatalogError(f"{source_file}: __all__ must be a literal list of names")
    return list(names)


def _legacy_names(tree: ast.Module, source_file: Path) -> dict[str, str]:
    value = _module_assignment(tree, LEGACY_NAMES_VARIABLE)
    if value is None:
        return {}
    try:
        names = ast.literal_eval(value)
    except ValueError:
        names = None
    if not isinstance(names, dict) or not all(
        isinstance(key, str) and isinstance(item, str) for key, item in names.items()
    ):
        raise CatalogError(
            f"{source_file}: {LEGACY_NAMES_VARIABLE} must be a literal dict of old name to new name"
        )
    return names


def _relative_reexports(tree: ast.Module) -> dict[str, tuple[str, str]]:
    """`from .module import name [as alias]` statements: alias -> (module, name)."""
    found: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            for alias in node.names:
                found[alias.asname or alias.name] = (node.module, alias.name)
    return found


def _submodule_functions(
    package_dir: Path, module_name: str, package: str
) -> tuple[dict[str, ast.FunctionDef], tuple[tuple[str, str], ...]]:
    source_file = module_file(package_dir.joinpath(*module_name.split(".")))
    if source_file is None:
        return {}, ()
    tree = _parse_file(source_file)
    return _top_level_functions(tree), _module_imports(tree, package)


def _module_imports(tree: ast.Module, package: str | None) -> tuple[tuple[str, str], ...]:
    """What the module's top-level imports bind: (name, `import_target`), the last winning;
    `package` resolves `from . import x` (None: the module is not in a package)."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.update(import_targets(node, package))
    return tuple(found.items())


def _library_function(
    qualified_name: str, node: ast.FunctionDef, imports: tuple[tuple[str, str], ...]
) -> LibraryFunction:
    return LibraryFunction(
        qualified_name=qualified_name,
        parameters=parameters_of(node.args),
        body=tuple(_without_docstring(node.body)),
        imports=imports,
        decorators=tuple(ast.unparse(decorator) for decorator in node.decorator_list),
    )


# The rules ask each definition's parameters several times, and unparsing its
# defaults is the cost: kept for as long as its tree lives.
_PARAMETERS: weakref.WeakKeyDictionary[ast.arguments, tuple[Parameter, ...]] = (
    weakref.WeakKeyDictionary()
)


def parameters_of(arguments: ast.arguments) -> tuple[Parameter, ...]:
    """The parameters of an `ast` function signature, defaults as normalised source."""
    known = _PARAMETERS.get(arguments)
    if known is None:
        known = _PARAMETERS[arguments] = _read_parameters(arguments)
    return known


def _read_parameters(arguments: ast.arguments) -> tuple[Parameter, ...]:
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
    defaults += arguments.defaults
    parameters = [
        Parameter(
            argument.arg,
            ParameterKind.POSITIONAL_ONLY
            if index < len(arguments.posonlyargs)
            else ParameterKind.POSITIONAL_OR_KEYWORD,
            ast.unparse(default) if default is not None else None,
        )
        for index, (argument, default) in enumerate(zip(positional, defaults))
    ]
    if arguments.vararg is not None:
        parameters.append(Parameter(arguments.vararg.arg, ParameterKind.VAR_POSITIONAL, None))
    for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
        parameters.append(
            Parameter(
                argument.arg,
                ParameterKind.KEYWORD_ONLY,
                ast.unparse(default) if default is not None else None,
            )
        )
    if arguments.kwarg is not None:
        parameters.append(Parameter(arguments.kwarg.arg, ParameterKind.VAR_KEYWORD, None))
    return tuple(parameters)


def _without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    first = body[0] if body else None
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return body[1:]
    return body

"""Which of the module's imports some notebook importing from it never made itself.

A notebook whose helpers the module replaces imports the module once
migrated, and must still run where it ran before: where a package only
another notebook's helper needs is not installed (`pandas_datareader`), or
raises when imported (`bokeh.sampledata.stocks` without its data: a
RuntimeError). Such an import is written guarded (`module_file`: `try` /
`except Exception`, the name None), unless the module reads the name while it
is imported (`@jit`, an annotation `np.ndarray`, a default): None there would
fail too. A helper whose definitions read such a name is not extracted.

A notebook makes an import when it imports that module or a submodule of it:
`import fakebk.palettes` does not import `fakebk.sampledata.stocks`.
"""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Collection, Sequence
from pathlib import Path

from nbrefactor.analysis.import_targets import imports_module, modules_of
from nbrefactor.analysis.module_identity import module_itself_import
from nbrefactor.extract.gather import Definition, NotebookReading
from nbrefactor.extract.import_specs import ImportSpec
from nbrefactor.extract.load_time import read_at_import
from nbrefactor.extract.scopes import BindingKind
from nbrefactor.extract.script_runs import module_runs
from nbrefactor.rules.code_strings import string_code


def optional_imports(
    imports: Sequence[ImportSpec],
    readings: Sequence[NotebookReading],
    definitions: Collection[Definition],
    defined_before: Collection[str],
    module: str,
    module_folder: Path | None = None,
    importers: Collection[str] | None = None,
) -> dict[ImportSpec, str]:
    """The imports to guard, each with the first notebook that will import from the module
    once migrated (it defines one of `definitions` or of the names the module already
    defines, `defined_before`) but does not make it itself: there it runs now (reported,
    sweep 27). Never the standard library's, nor a name the module reads while it is
    imported (`needed_at_import` says which helpers that stops). `importers`: the notebooks
    (absolute paths) whose definitions a dry run of migrate replaces, when known: one whose
    every copy it keeps never imports the module (round 59b F6.2: "b.ipynb ... will run it
    by importing the module", where b.ipynb's copy was kept)."""
    by_name = {definition.name: definition for definition in definitions}
    loading = set().union(*(read_at_import(definition, by_name) for definition in definitions))
    lacking = _lacking(
        imports, readings, definitions, defined_before, module, module_folder, importers
    )
    return {
        spec: lacking[spec] for spec in imports if spec in lacking and spec.bound not in loading
    }


def needed_at_import(
    imports: Sequence[ImportSpec],
    readings: Sequence[NotebookReading],
    definitions: Collection[Definition],
    defined_before: Collection[str],
    module: str,
    module_folder: Path | None = None,
    importers: Collection[str] | None = None,
) -> dict[str, str]:
    """Definition name -> why it cannot go into the module: it reads, when it is defined,
    a name that an import some notebook importing from the module never made binds. That
    notebook could not import the module where the package is missing. `importers` as for
    `optional_imports`: a notebook whose every copy migrate keeps never imports the module
    (round 61b F6: `h` was left out for c.ipynb, which stayed unchanged, and a second run
    extracted it)."""
    lacking = _lacking(
        imports, readings, definitions, defined_before, module, module_folder, importers
    )
    by_name = {definition.name: definition for definition in definitions}
    found: dict[str, str] = {}
    for definition in definitions:
        read = read_at_import(definition, by_name)
        for spec, notebook in lacking.items():
            if spec.bound in read:
                found.setdefault(
                    definition.name,
                    f"reads {spec.bound} when the module is imported, and {notebook}, which"
                    f" would import the module, never runs `{spec}`",
                )
    return found


def _lacking(
    imports: Sequence[ImportSpec],
    readings: Sequence[NotebookReading],
    definitions: Collection[Definition],
    defined_before: Collection[str],
    module: str,
    module_folder: Path | None,
    importers: Collection[str] | None = None,
) -> dict[ImportSpec, str]:
    """Import -> the first notebook importing from `module` (written into `module_folder`),
    or defining one of `definitions` or `defined_before` (so importing from it once
    migrated, when it is one of `importers`, if they are known), that does not make it; the
    standard library's and relative imports are made everywhere."""
    names = {definition.name for definition in definitions} | set(defined_before)
    importing = []
    for reading in readings:
        modules = _modules_imported(reading)
        # A notebook an earlier run migrated imports from the module already; one that loads
        # it otherwise (`%run helpers.py`, `import_module("helpers")`, `exec("from helpers
        # import load")`) runs its imports too (round 61b: an unguarded import then failed).
        migrated = any(_is_the_module(found, module, module_folder) for found in modules)
        migrated = migrated or _loads_module(reading, module, module_folder)
        defines = any(definition.name in names for definition in reading.definitions)
        replaced = importers is None or os.path.abspath(reading.path) in importers
        if migrated or (defines and replaced):
            importing.append((reading.path, modules))
    found = {}
    for spec in imports:
        if spec.module.startswith(".") or spec.module.partition(".")[0] in sys.stdlib_module_names:
            continue
        for path, modules in importing:
            if not imports_module(modules, spec.module):
                found[spec] = str(path)
                break
    return found


def _loads_module(reading: NotebookReading, module: str, folder: Path | None) -> bool:
    """Whether the notebook loads `module` (written into `folder`) otherwise than by an
    import statement: `%run` of its file, its name given to `import_module`, `find_spec` or
    `__import__`, or code in a string naming it (`exec("from helpers import load")`)."""
    sources = reading.sources
    if not any(module in source for _, source in sources):
        return False
    if module_itself_import(sources, module) is not None:
        return True
    if string_code(sources, module).texts:
        return True
    if folder is None:
        return False
    file = folder / f"{module.rpartition('.')[2]}.py"
    return bool(module_runs(sources, Path(reading.path), file))


def _is_the_module(found: str, module: str, folder: Path | None) -> bool:
    """Whether a notebook's import of `found` imports `module`, written into `folder`: by
    its name, or by a dotted name whose packages are the folders above it (`src.helpers`
    for `src/helpers.py`, a namespace package); not another package's module of that name
    (round 49c: bambi's `from bambi.interpret.helpers import ...` counted as importing
    `helpers`, whose imports were then guarded for that notebook)."""
    if found == module:
        return True
    if not found.endswith("." + module):
        return False
    if folder is None:
        return True  # where it goes is not known: the safe side
    packages = found[: -len(module) - 1].split(".")
    parts = Path(os.path.abspath(folder)).parts
    above = parts[: len(parts) - module.count(".")]  # the folder holding its top package
    return above[-len(packages) :] == tuple(packages)


def _modules_imported(reading: NotebookReading) -> set[str]:
    """The modules a notebook's imports surely import, by dotted name: `import a.b` -> a.b;
    `from a import b` -> a, and a.b (which may be a submodule). An import under `if`, or
    under a `try` whose handler would catch its failure (`except ImportError: x = None`),
    proves nothing: the notebook may run without the package."""
    found: set[str] = set()
    statements = {
        id(binding.statement): binding.statement
        for bindings in reading.bindings.values()
        for binding in bindings
        if binding.kind is BindingKind.IMPORT
    }
    for statement in statements.values():  # an import, or a `try` or `if` holding one
        if isinstance(statement, ast.Try | ast.TryStar) and not _failure_escapes(statement):
            continue
        if not isinstance(statement, ast.Import | ast.ImportFrom | ast.Try | ast.TryStar):
            continue
        for node in ast.walk(statement):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.update(modules_of(node))
    return found


def _failure_escapes(statement: ast.Try | ast.TryStar) -> bool:
    """Whether no handler of the `try` catches a failed import and goes on without it: a
    handler installing the package and importing it again (`except ImportError: %pip
    install control` / `import control as ct`, the Colab form; sweep 28) imports it too."""
    catching = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
    tried = {
        module
        for node in statement.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for module in modules_of(node)
    }
    for handler in statement.handlers:
        types = [] if handler.type is None else [handler.type]
        if types and isinstance(types[0], ast.Tuple):
            types = list(types[0].elts)
        catches = not types or any(
            isinstance(kind, ast.Name) and kind.id in catching for kind in types
        )
        if catches and not (tried and tried <= _imported_in(handler.body)):
            return False
    return True


def _imported_in(body: list[ast.stmt]) -> set[str]:
    """The modules the statements import at their top level."""
    return {
        module
        for node in body
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for module in modules_of(node)
    }

"""What a definition needs to run from a module, found from the names it reads in module scope.

Each name the definition reads in module scope (`scopes.names_read_from_module`)
is, in the notebook the definition comes from:

- a notebook variable: the definition cannot move (the module cannot see it),
  nor can one that reads the notebook's variables by no name (`globals()`),
  or a default computed from state when the `def` runs
  (`figsize=plt.rcParams[...]`: the module's is computed when it is imported);
- bound by another top-level `def`: that definition comes along, and what it
  needs, transitively (mutual recursion is fine). By a `class`: the definition
  cannot move, as the notebook's class would stay another than the module's
  (`except FitError`, `isinstance`), and `migrate` would keep it;
- bound by an `import`: that import statement goes to the module's top,
  with the submodules the definition reads as attributes of it that another
  import of the notebook loaded (`from xml import etree` reading
  `etree.ElementTree`, beside `from xml.etree.ElementTree import tostring`:
  in a module of its own, `xml.etree` has no `ElementTree` until imported);
- a builtin: nothing to do, unless another definition the module gets
  has its name (`def sum(x, y)` beside a helper reading the builtin `sum`):
  that one is not extracted (`plan`);
- bound nowhere: the definition cannot move (it would fail in the module).

The definitions come out in dependency order: each after the ones it uses.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from nbrefactor import messages
from nbrefactor.analysis.catalog import parameters_of
from nbrefactor.analysis.library_function import as_library_function
from nbrefactor.analysis.magic_facts import captured_name, names_assigned_by
from nbrefactor.analysis.namespace_reads import module_attribute, namespace_read
from nbrefactor.analysis.notebook_variables import ipython_binds
from nbrefactor.analysis.scopes import kernel_builtin
from nbrefactor.analysis.wildcard_lines import ipython_aliases, wildcard_lines
from nbrefactor.extract.gather import Definition, NotebookReading
from nbrefactor.extract.import_specs import (
    ImportNotRead,
    ImportSpec,
    import_spec,
    module_beside,
    modules_imported,
    submodules_read,
)
from nbrefactor.extract.load_time import ReadBeforeDefined, defined_before_read
from nbrefactor.extract.scopes import (
    BindingKind,
    ModuleBinding,
    names_read_from_module,
    notebook_variables_read,
)
from nbrefactor.messages.same_function_words import ipython_binding
from nbrefactor.rules.computed_values import attributes_assigned
from nbrefactor.rules.definition_time import decorator_run_for_effect, state_read_by_default
from nbrefactor.rules.parameters import parameters_problem


@dataclass(frozen=True)
class Needs:
    definitions: tuple[Definition, ...]  # dependency order; the definition asked about is last
    imports: tuple[ImportSpec, ...]
    used_by: Mapping[str, str]  # a definition brought along -> the first definition using it
    problem: str | None = None  # why the definition cannot move
    builtins: frozenset[str] = frozenset()  # the builtins the definitions read


class _CannotMove(Exception):
    pass


def needs_of(
    definition: Definition,
    readings: Mapping[Path, NotebookReading],
    chosen: Mapping[str, Definition],
    provided: Mapping[str, ImportSpec | None] | None = None,
    module_folder: Path | None = None,
    module: str | None = None,
    existing_functions: Mapping[str, ast.FunctionDef | ast.AsyncFunctionDef] | None = None,
) -> Needs:
    """What `definition` needs, each definition read in its own notebook (`readings` by path).

    `chosen` are the helpers' chosen variants.

    A definition it uses that is itself a helper comes as that helper's chosen
    variant. A name in `provided` (what the module already binds: by an
    import, or else None) needs nothing when the notebook binds it the same
    way: by `def` or `class` where the module does not import it, by the same
    import where it does, or by an import from the module itself (`module`:
    `from helpers import q`, after a migration; sweep 26). Bound otherwise
    (`import json as ser` where the module has `import pickle as ser`), the
    definition cannot move. A name the
    notebook never binds stays a reason to skip, so that the next run decides
    as this one did. Nor can a definition importing a module that lies beside
    its notebook (`from pvtol import pvtol`, pvtol.py in the notebook's folder)
    move into a module written in another folder (`module_folder`), which
    could not import it. A `def` the module has (`existing_functions`) stands for the
    notebook's only with its parameters, and not for a `class`: otherwise the definition
    would call another function (round 48b: the module's `log(msg)` ran as the decorator
    of the notebook's `@log def add` when the module was imported).
    """
    provided = provided or {}
    existing_functions = existing_functions or {}
    ordered: dict[int, Definition] = {}
    imports: dict[ImportSpec, None] = {}
    used_by: dict[str, str] = {}
    visiting: set[int] = set()
    builtins_read: set[str] = set()
    imported_by_notebook: dict[Path, set[str]] = {}  # by notebook, read once

    def visit(current: Definition, chain: tuple[str, ...]) -> None:
        if id(current) in ordered or id(current) in visiting:
            return
        visiting.add(id(current))
        reading = readings[current.path]
        if current.problem is not None:
            raise _CannotMove(_about(current, chain, current.problem))
        for name, cell in notebook_variables_read(current.source, reading.bindings):
            raise _CannotMove(
                _about(
                    current, chain, f"reads notebook variable {name} ({current.path}:cell {cell})"
                )
            )
        assigned = attributes_assigned([source for _, source in reading.sources])
        computed = state_read_by_default(current.node, assigned)
        if computed is not None:
            raise _CannotMove(
                _about(current, chain, f"its default {computed} is computed when the def runs")
            )
        helpers = {
            definition.name: definition.node
            for definition in reading.definitions
            if isinstance(definition.node, ast.FunctionDef)
        }
        decorator = decorator_run_for_effect(current.node, helpers, assigned)
        if decorator is not None:
            raise _CannotMove(
                _about(current, chain, f"its decorator {decorator} runs when the def runs")
            )
        through = namespace_read(current.source)
        if through is not None:
            read = f"the notebook's variables through {through}"
            if module_attribute(through):  # `__file__` (extract sweep 28b: no variable)
                read = f"its module's own {through}, the notebook's inline"
            raise _CannotMove(_about(current, chain, f"reads {read}"))
        imported_names: dict[str, ImportSpec] = {}
        for name in names_read_from_module(current.source):
            if name == current.name:
                continue
            found = reading.bindings.get(name, [])
            definitions = [b for b in found if b.kind is BindingKind.DEFINITION]
            imported = [b for b in found if b.kind is BindingKind.IMPORT]
            if (definitions or imported) and name in provided:
                # The module has it (after a migration, the notebook imports it from there).
                theirs = provided[name]
                ours = (
                    _import_spec(_nearest(imported, current.cell), name, current, chain)
                    if imported
                    else None
                )
                from_module = ours is not None and ours.target == f"{module}.{name}"
                if (ours and ours.target) != (theirs and theirs.target) and not from_module:
                    found_as = "a definition" if theirs is None else f"`{theirs}`"
                    raise _CannotMove(
                        _about(
                            current, chain, f"reads {name}, which the module binds as {found_as}"
                        )
                    )
                if definitions and not imported and theirs is None:
                    notebooks = _definition_of(reading, name, current.cell)
                    otherwise = _defined_otherwise(
                        name, notebooks, existing_functions.get(name), module or ""
                    )
                    if otherwise is not None:
                        raise _CannotMove(_about(current, chain, otherwise))
                continue
            if definitions:
                dependency = chosen.get(name) or _definition_of(reading, name, current.cell)
                if dependency is None:  # bound by a def inside an `if` or `try`
                    raise _CannotMove(_about(current, chain, f"{name} is defined conditionally"))
                if isinstance(dependency.node, ast.ClassDef):
                    # The notebook's `except FitError` would not catch the module's FitError:
                    # `migrate` keeps a function reading a class the notebook defines.
                    raise _CannotMove(
                        _about(current, chain, f"reads class {name}, which stays the notebook's")
                    )
                used_by.setdefault(dependency.name, current.name)
                visit(dependency, (*chain, current.name))
            elif imported:
                spec = _import_spec(_nearest(imported, current.cell), name, current, chain)
                beside = module_beside(current.path, spec.module, module_folder)
                if beside is not None:
                    raise _CannotMove(
                        _about(current, chain, f"imports {name} from {beside}, beside its notebook")
                    )
                # Or beside another notebook defining it: which copy is chosen must not
                # decide (sweep 31, sbi's `run_HH_model`: skipped or not by path order).
                for path, other in readings.items():
                    if path == current.path or all(
                        d.name != current.name for d in other.definitions
                    ):
                        continue
                    beside = module_beside(path, spec.module, module_folder)
                    if beside is not None:
                        where = f"beside {path}, which defines {current.name} too"
                        raise _CannotMove(
                            _about(current, chain, f"imports {name} from {beside}, {where}")
                        )
                imports[spec] = None
                imported_names[name] = spec
            elif kernel_builtin(name):  # `display(df.head())` in a helper: IPython's
                builtins_read.add(name)
            elif not (name.startswith("__") and name.endswith("__")):
                raise _CannotMove(_about(current, chain, _unbound(name, reading)))
        if imported_names:
            if current.path not in imported_by_notebook:
                imported_by_notebook[current.path] = modules_imported(reading)
            loaded = imported_by_notebook[current.path]
            for submodule in submodules_read(current, imported_names, loaded):
                imports[ImportSpec(submodule)] = None
        ordered[id(current)] = current

    try:
        visit(definition, ())
        in_order = defined_before_read(list(ordered.values()))
    except (_CannotMove, ReadBeforeDefined) as error:
        return Needs((), (), {}, str(error))
    except SyntaxError:
        return Needs((), (), {}, "it does not parse on its own")
    return Needs(in_order, tuple(imports), used_by, None, frozenset(builtins_read))


def _about(current: Definition, chain: tuple[str, ...], reason: str) -> str:
    """The reason, about the helper itself (`chain` empty) or a definition it needs through
    `chain` (the helper, then each definition using the next): `needs make_patches, which
    needs plot_shipments: reads ...` (round 49c: "needs plot_shipments (used by
    make_patches)" read as if the helper used plot_shipments itself)."""
    if not chain:
        return reason
    return f"needs {', which needs '.join((*chain[1:], current.name))}: {reason}"


def _defined_otherwise(
    name: str,
    notebooks: Definition | None,
    theirs: ast.FunctionDef | ast.AsyncFunctionDef | None,
    module: str,
) -> str | None:
    """Why the module's own definition of `name` does not stand for the notebook's `def`
    of it, which migrate would then keep: not a `def` of the same kind, or other
    parameters. None when it does (a drifted body is migrate's to replace, and say so)."""
    if notebooks is None or not isinstance(notebooks.node, ast.FunctionDef):
        return None  # a class, or a def in a block: as before
    if isinstance(theirs, ast.AsyncFunctionDef):
        return f"reads {name}, which the module defines as an async def"
    if theirs is None:  # a class
        return f"reads {name}, which the module binds otherwise than by a def"
    library = as_library_function(name, theirs, module)
    problem = parameters_problem(parameters_of(notebooks.node.args), library)
    if problem is None:
        return None
    return f"reads {name}, which the module defines otherwise ({messages.describe(problem)})"


def _definition_of(reading: NotebookReading, name: str, cell: int) -> Definition | None:
    """The notebook's top-level definition of `name`: the last one at or before `cell`, else the first."""
    found = [definition for definition in reading.definitions if definition.name == name]
    before = [definition for definition in found if definition.cell <= cell]
    if before:
        return before[-1]
    return found[0] if found else None


def _nearest(bindings: list[ModuleBinding], cell: int) -> ModuleBinding:
    before = [binding for binding in bindings if binding.cell <= cell]
    return before[-1] if before else bindings[0]


def _import_spec(
    binding: ModuleBinding, name: str, current: Definition, chain: tuple[str, ...]
) -> ImportSpec:
    """`import_spec` of the statement binding `name`, or why the definition cannot move."""
    try:
        return import_spec(binding.statement, name)
    except ImportNotRead as error:
        raise _CannotMove(_about(current, chain, str(error))) from None


def _unbound(name: str, reading: NotebookReading) -> str:
    """Why a name the definition reads, bound by no import or definition of the notebook,
    stops it: bound by IPython (`_`, `Out`), by nothing, or perhaps by a line that may bind
    any name."""
    if ipython_binds(name):
        return f"reads {name}, which IPython binds in the notebook ({ipython_binding(name)})"
    for cell, source in reading.sources:
        for line in source.splitlines():
            if _ipython_line_binds(line.strip(), name):
                where = f"{reading.path}:cell {cell}"
                return f"reads notebook variable {name}, which IPython binds ({where}: `{line.strip()}`)"
    aliases = ipython_aliases(source for _, source in reading.sources)
    # Every such line in order, the last perhaps the one binding it (round 70b); the notebook
    # named: another may import it (sweep 26 n09).
    lines = dict.fromkeys(
        f"`{line}`"
        for _, source in reading.sources
        for line in wildcard_lines(source, "", stars_only=False, aliases=aliases)
    )
    if lines:
        return f"reads {name}, which only {' or '.join(lines)} in {reading.path} may bind"
    return f"reads {name}, which {reading.path} never binds"


def _ipython_line_binds(line: str, name: str) -> bool:
    """Whether an IPython line binds `name`: `%%capture [options] name`, or `name = !cmd` /
    `name = %magic` (round 52a: "never binds" was said of both)."""
    if line.startswith("%%capture"):
        return captured_name(line) == name
    return name in names_assigned_by(line)

"""The run of `extract`: the notebooks read, the module read (`module_io`), the plan, and the
module written in WRITE mode.

Reading reuses `migrate`'s (`nbfile.disk.read_file`, `notebook.parse_notebook`):
a notebook that cannot be read is one failure naming the file and the
reason.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from nbrefactor.analysis.code_warnings import code_warnings_ignored
from nbrefactor.analysis.module_path import held_as
from nbrefactor.analysis.module_writes import writing_line
from nbrefactor.extract.gather import NotebookReading, read_notebook
from nbrefactor.extract.module_file import module_text
from nbrefactor.extract.module_finds import another_module, names_gained
from nbrefactor.extract.module_io import read_module, write_module
from nbrefactor.extract.module_reading import (
    ModuleFileError,
    check_all,
    guarded_imports,
    module_bindings,
    module_functions,
    module_legacy_names,
    module_variables,
    unbound_reads,
)
from nbrefactor.extract.plan import Plan, list_helpers, plan_extraction
from nbrefactor.extract.report import ModuleChange
from nbrefactor.messages import too_deep
from nbrefactor.nbfile.disk import (
    NotARegularFile,
    read_file,
)
from nbrefactor.nbfile.notebook import NotebookError, parse_notebook


@dataclass
class Readings:
    notebooks: list[NotebookReading] = field(default_factory=list)
    failures: list[tuple[Path, str]] = field(default_factory=list)  # (path, reason)


def read_notebooks(paths: Sequence[Path]) -> Readings:
    """Every notebook read for `extract`; the ones that cannot be read, with the reason."""
    readings = Readings()
    for path in paths:
        try:
            notebook = parse_notebook(read_file(path).content)
        except NotARegularFile as error:
            readings.failures.append((path, f"not a regular file ({error.kind})"))
        except IsADirectoryError:
            readings.failures.append((path, "is a directory"))
        except FileNotFoundError:
            readings.failures.append((path, "no such file or directory"))
        except OSError as error:
            readings.failures.append((path, f"cannot read: {error.strerror or error}"))
        except NotebookError as error:
            readings.failures.append((path, str(error)))
        else:
            readings.notebooks.append(read_notebook(path, notebook))
    return readings


def _check_not_written_by_a_notebook(to: Path, notebooks: Sequence[NotebookReading]) -> None:
    """Refuse a module a notebook writes (`%%writefile helpers.py`): running it would overwrite
    what extract adds, and every notebook importing the added names would then fail."""
    target = os.path.realpath(to)
    name = held_as(to)
    for reading in notebooks:
        for cell, written in reading.writes_files.items():
            folder = os.path.dirname(os.path.abspath(reading.path))
            if os.path.realpath(os.path.join(folder, os.path.expanduser(written))) == target:
                raise ModuleFileError(
                    f"{reading.path}:cell {cell} writes it (%%writefile): running that"
                    " notebook would overwrite what extract adds"
                )
        # `open("helpers.py", "w")`, `shutil.copy(..., "helpers.py")`, `!cp`: by the file's
        # name, as migrate keeps such a notebook's definitions (`NBR254`; re-check 46).
        for cell, source in reading.sources:
            line = writing_line(source, name) if name in source else None
            if line is not None:
                raise ModuleFileError(
                    f"{reading.path}:cell {cell} writes it (`{line}`): running that notebook"
                    " would overwrite what extract adds"
                )


class Mode(Enum):
    LIST = "list"
    WRITE = "write"
    DRY_RUN = "dry-run"
    CHECK = "check"


@dataclass
class ExtractRun:
    """One `extract` run, decided and (in WRITE mode) done; owns the exit code."""

    mode: Mode
    readings: Readings
    to: Path
    plan: Plan | None = None
    change: ModuleChange | None = None
    module_error: str | None = None  # the module file cannot be read or written

    @property
    def failed(self) -> bool:
        return bool(self.readings.failures) or self.module_error is not None

    @property
    def exit_code(self) -> int:
        """0: done or nothing to do; 1: --check found the module would change; 2: a failure."""
        if self.failed:
            return 2
        changed = self.change is not None and self.change.changed
        return 1 if changed and self.mode is Mode.CHECK else 0


def run_extract(
    readings: Readings,
    to: Path,
    mode: Mode,
    names: Collection[str] = (),
    chosen_places: Collection[tuple[str, int]] = (),
    module_given: bool = True,
    unmoved: Mapping[str, str] | None = None,
    importers: Collection[str] | None = None,
) -> ExtractRun:
    """Decide what goes into the module `to`, and write it in WRITE mode.

    Nothing is written when a notebook could not be read: its calls could
    change which variant is chosen. `--list` without `--to` (`module_given` False)
    reads no module; with it, what the module already holds is left alone, as a
    write would (sweep 25 X9). `unmoved`: the helpers migrate would keep everywhere,
    `importers` the notebooks it would make import the module (`plan_extraction`).
    """
    run = ExtractRun(mode, readings, to)
    module_name = to.stem
    if mode is Mode.LIST and not module_given:
        run.plan = list_helpers(readings.notebooks, module_name, names, chosen_places)
        return run
    try:
        module = read_module(to)  # first: `--to .` is no Python file (round 60b: it hung)
        _check_not_written_by_a_notebook(to, readings.notebooks)
        existing = {} if module.text is None else module_bindings(module.text)
        if module.text is not None:
            check_all(module.text)
        existing_unbound = {} if module.text is None else unbound_reads(module.text)
        variables = {} if module.text is None else module_variables(module.text)
        guarded = () if module.text is None else guarded_imports(module.text)
        functions = {} if module.text is None else module_functions(module.text)
        legacy = {} if module.text is None else module_legacy_names(module.text, to)
    except ModuleFileError as error:
        run.module_error = str(error)
        return run
    except RecursionError:  # its text parses, but `ast.unparse` of it fails (re-check 32)
        run.module_error = too_deep()
        return run
    plan = plan_extraction(
        readings.notebooks,
        module_name,
        names,
        chosen_places,
        existing,
        to.parent,
        existing_unbound,
        variables,
        guarded,
        functions,
        unmoved,
        importers,
        legacy,
    )
    run.plan = plan
    if mode is Mode.LIST:
        return run
    if module.text is None and not plan.definitions:  # a module of a docstring: not created
        run.change = ModuleChange(to, None, None, written=False)
        return run
    new = module_text(module.text, plan.imports, plan.definitions, plan.guarded)
    try:
        with code_warnings_ignored():  # the definitions' `"\d"` (round 59b)
            tree = ast.parse(new)
    except SyntaxError as error:  # a bug, not bad input: refuse to write it
        run.module_error = f"internal check failed: the new module does not parse ({error.msg})"
        return run
    # Only a new file can shadow another module of its name, or be shadowed by it: an
    # existing one keeps every name it had, and a notebook importing one it lacks failed, or
    # found another module, before as after (round 49b: a function renamed by hand in the
    # module blocked every later extraction, blaming "another helpers"), unless it gains it.
    if module.text is None:
        other = another_module(readings.notebooks, module_name, tree, to)
    else:
        with code_warnings_ignored():
            old_tree = ast.parse(module.text)
        other = names_gained(readings.notebooks, module_name, old_tree, tree, to)
    if other is not None:
        run.module_error = other
        return run
    try:  # in every mode: --check and --dry-run say what the write would (sweep 26)
        new.encode(module.encoding)
    except UnicodeEncodeError as error:
        run.module_error = f"cannot write: {error}"
        return run
    written, links = False, 1
    if mode is Mode.WRITE and new != module.text and not readings.failures:
        try:
            links = write_module(to, new, module)
            written = True
        except ModuleFileError as error:
            run.module_error = str(error)
    run.change = ModuleChange(to, module.text, new, written, module.encoding, links)
    return run


def parse_place(text: str) -> tuple[Path, int]:
    """`PATH:CELL` or `PATH:cell CELL` (as the report prints places); ValueError otherwise."""
    path, _, cell = text.rpartition(":")
    cell = cell.strip().removeprefix("cell").strip()
    if not path or not cell.isdigit() or int(cell) < 1:
        raise ValueError(f"{text!r} is not PATH:CELL (a notebook and a cell number from 1)")
    return Path(path), int(cell)

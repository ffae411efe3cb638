"""The file side of `extract`: reading the notebooks and the module file, writing the module.

Reading reuses `migrate`'s (`nbfile.disk.read_file`, `notebook.parse_notebook`):
a notebook that cannot be read is one failure naming the file and the
reason. The module is written through a temporary file in its folder, and
only over the file that was read: replaced with `os.replace` when it existed
(`nbfile.disk.write_atomically`), linked into place with `os.link` (which refuses
to overwrite) when it did not.
"""

from __future__ import annotations

import ast
import difflib
import io
import os
import tokenize
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from nbrefactor.analysis.library_module import importable_names
from nbrefactor.analysis.module_identity import other_module_import
from nbrefactor.analysis.text import split_lines
from nbrefactor.extract.gather import NotebookReading, read_notebook
from nbrefactor.extract.module_file import (
    ModuleFileError,
    check_all,
    guarded_imports,
    module_bindings,
    module_text,
    module_variables,
    unbound_reads,
)
from nbrefactor.extract.plan import Plan, list_helpers, plan_extraction
from nbrefactor.extract.report import ModuleChange
from nbrefactor.messages import too_deep
from nbrefactor.nbfile import temporary
from nbrefactor.nbfile.disk import (
    ChangedSinceRead,
    NotARegularFile,
    ReadFile,
    read_file,
    write_atomically,
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


@dataclass(frozen=True)
class ModuleRead:
    text: str | None  # None: the file does not exist yet
    read: ReadFile | None
    # As Python reads it (PEP 263: a coding line, a BOM: "utf-8-sig"), and writes it back.
    encoding: str = "utf-8"


def _check_not_written_by_a_notebook(to: Path, notebooks: Sequence[NotebookReading]) -> None:
    """Refuse a module a notebook writes (`%%writefile helpers.py`): running it would overwrite
    what extract adds, and every notebook importing the added names would then fail."""
    target = os.path.realpath(to)
    for reading in notebooks:
        for cell, written in reading.writes_files.items():
            folder = os.path.dirname(os.path.abspath(reading.path))
            if os.path.realpath(os.path.join(folder, os.path.expanduser(written))) == target:
                raise ModuleFileError(
                    f"{reading.path}:cell {cell} writes it (%%writefile): running that"
                    " notebook would overwrite what extract adds"
                )


def read_module(path: Path) -> ModuleRead:
    """The module file's text, or None when it is still to be created; ModuleFileError otherwise."""
    if path.suffix != ".py":
        raise ModuleFileError("not a Python file (the module file must end in .py)")
    try:
        read = read_file(path)
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise ModuleFileError(f"its folder {path.parent} does not exist") from None
        if path.is_symlink():  # sweep 26: the write then said "changed while extracting"
            raise ModuleFileError("a symbolic link to a file that does not exist") from None
        return ModuleRead(None, None)
    except IsADirectoryError:
        raise ModuleFileError("is a directory, not a module file") from None
    except NotARegularFile as error:
        raise ModuleFileError(f"not a regular file ({error.kind})") from None
    except OSError as error:
        raise ModuleFileError(f"cannot read: {error.strerror or error}") from None
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(read.content).readline)
        text = read.content.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as error:
        raise ModuleFileError(f"cannot read: {error}") from None
    return ModuleRead(text, read, encoding)


def write_module(path: Path, text: str, module: ModuleRead) -> None:
    """Write the module atomically, only over the file that was read (or where none was).

    Raises ModuleFileError when the file changed (or appeared) since it was read,
    or cannot be written.
    """
    try:
        content = text.encode(module.encoding)
    except UnicodeEncodeError as error:
        raise ModuleFileError(f"cannot write: {error}") from None
    try:
        if module.read is not None:
            write_atomically(path, [content], module.read)
        else:
            _create(path, content)
    except (ChangedSinceRead, FileExistsError):
        raise ModuleFileError("changed while extracting; not written") from None
    except OSError as error:
        raise ModuleFileError(f"cannot write: {error.strerror or error}") from None


def _create(path: Path, content: bytes) -> None:
    """A new file with `content`, complete or not at all, never replacing one that appeared."""
    descriptor, temporary_path = temporary.create(str(path.parent) or ".")
    try:
        with open(descriptor, "wb", closefd=True) as stream:
            stream.write(content)
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(stream.fileno(), 0o666 & ~umask)
        os.link(temporary_path, path)
    finally:
        temporary.remove(temporary_path)


def module_diff(path: Path, old: str | None, new: str) -> str:
    """A unified diff of the module file, as `git diff` would label it: a last line with no
    line break is marked `\\ No newline at end of file`, so that `patch` takes the diff."""
    before = [] if old is None else split_lines(old)
    after = split_lines(new)
    label = str(path)
    lines = difflib.unified_diff(before, after, "/dev/null" if old is None else label, label)
    return "".join(
        line if line.endswith(("\n", "\r")) else f"{line}\n\\ No newline at end of file\n"
        for line in lines
    ).rstrip("\n")


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
) -> ExtractRun:
    """Decide what goes into the module `to`, and write it in WRITE mode.

    Nothing is written when a notebook could not be read: its calls could
    change which variant is chosen. `--list` without `--to` (`module_given` False)
    reads no module; with it, what the module already holds is left alone, as a
    write would (sweep 25 X9).
    """
    run = ExtractRun(mode, readings, to)
    module_name = to.stem
    if mode is Mode.LIST and not module_given:
        run.plan = list_helpers(readings.notebooks, module_name, names, chosen_places)
        return run
    try:
        _check_not_written_by_a_notebook(to, readings.notebooks)
        module = read_module(to)
        existing = {} if module.text is None else module_bindings(module.text)
        if module.text is not None:
            check_all(module.text)
        existing_unbound = {} if module.text is None else unbound_reads(module.text)
        variables = frozenset() if module.text is None else module_variables(module.text)
        guarded = () if module.text is None else guarded_imports(module.text)
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
    )
    run.plan = plan
    if mode is Mode.LIST:
        return run
    if module.text is None and not plan.definitions:  # a module of a docstring: not created
        run.change = ModuleChange(to, None, None, written=False)
        return run
    new = module_text(module.text, plan.imports, plan.definitions, plan.guarded)
    try:
        tree = ast.parse(new)
    except SyntaxError as error:  # a bug, not bad input: refuse to write it
        run.module_error = f"internal check failed: the new module does not parse ({error.msg})"
        return run
    other = _another_module(readings.notebooks, module_name, tree, to)
    if other is not None:
        run.module_error = other
        return run
    try:  # in every mode: --check and --dry-run say what the write would (sweep 26)
        new.encode(module.encoding)
    except UnicodeEncodeError as error:
        run.module_error = f"cannot write: {error}"
        return run
    written = False
    if mode is Mode.WRITE and new != module.text and not readings.failures:
        try:
            write_module(to, new, module)
            written = True
        except ModuleFileError as error:
            run.module_error = str(error)
    run.change = ModuleChange(to, module.text, new, written, module.encoding)
    return run


def _another_module(
    notebooks: Sequence[NotebookReading], module_name: str, tree: ast.Module, to: Path
) -> str | None:
    """Why the module must not be written: a notebook imports from a module of its name a
    name it would not define (`from helpers import load`, with `load` in the project's own
    `src/helpers.py`). The new file would shadow that module, or be shadowed by it, and the
    notebook's imports fail (`rules.module_identity` is migrate's side)."""
    names = importable_names(tree, to.parent if to.name == "__init__.py" else None)
    if names is None:
        return None
    for reading in notebooks:
        found = other_module_import(reading.sources, module_name, names)
        if found is not None:
            cell, name = found
            return (
                f"{reading.path}:cell {cell} imports {name} from {module_name}, which the new "
                f"module would not define: the notebooks import another {module_name}; choose "
                "another --to"
            )
    return None


def parse_place(text: str) -> tuple[Path, int]:
    """`PATH:CELL` or `PATH:cell CELL` (as the report prints places); ValueError otherwise."""
    path, _, cell = text.rpartition(":")
    cell = cell.strip().removeprefix("cell").strip()
    if not path or not cell.isdigit() or int(cell) < 1:
        raise ValueError(f"{text!r} is not PATH:CELL (a notebook and a cell number from 1)")
    return Path(path), int(cell)

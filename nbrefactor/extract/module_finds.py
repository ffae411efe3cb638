"""Whether writing the module changes what a notebook's import of its name finds (`extract`).

A new file may shadow another module of its name, or be shadowed by it, and a notebook's
import that found another module or none finds it (round 57b). An existing file keeps
every name it had, so that an import of a name it lacks fails, or finds another module,
before as after; but a name it gains is found where the import failed (round 73b F5:
`try: from helpers import save` / `except ImportError:` a fallback `def save` ran, and
the extended module's `save` ran instead).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from pathlib import Path

from nbrefactor.analysis.importable_names import importable_names
from nbrefactor.analysis.module_identity import module_itself_import, other_module_import
from nbrefactor.extract.gather import NotebookReading
from nbrefactor.extract.script_runs import module_runs
from nbrefactor.rules.code_strings import string_code


def another_module(
    notebooks: Sequence[NotebookReading], module_name: str, tree: ast.Module, to: Path
) -> str | None:
    """Why the module must not be written: a notebook imports from a module of its name a
    name it would not define (`from helpers import load`, with `load` in the project's own
    `src/helpers.py`). The new file would shadow that module, or be shadowed by it, and the
    notebook's imports fail (`rules.module_identity` is migrate's side). Or a notebook
    imports a module of its name itself (`import helpers`, `find_spec("helpers")`), or runs
    the file (`%run helpers.py`), which then finds the new file where it found another
    module or none (round 57b)."""
    names = importable_names(tree, to.parent if to.name == "__init__.py" else None)
    # `exec("import fancylib")` imports as the line in the string would (round 59b F3).
    strings = {reading.path: string_code(reading.sources, module_name) for reading in notebooks}
    sources = {
        reading.path: sorted([*reading.sources, *strings[reading.path].texts], key=_cell)
        for reading in notebooks
    }
    for reading in notebooks:
        # Any name: the file is new, so the import found another module or none, even of a
        # name the new module defines (round 61b: `try: from fancylib import g` with a
        # fallback `def g` printed "using fancylib" once the file existed).
        found = (
            None
            if names is None
            else other_module_import(sources[reading.path], module_name, frozenset())
        )
        if found is not None:
            cell, name = found
            if names is not None and name in names:
                return (
                    f"{reading.path}:cell {cell} imports {name} from {module_name}, which"
                    f" would then find the new module where it found another {module_name}"
                    " or none; choose another --to"
                )
            return (
                f"{reading.path}:cell {cell} imports {name} from {module_name}, which the new "
                f"module would not define: the notebooks import another {module_name}; choose "
                "another --to"
            )
    # `import fancylib` in a `try` (`except ImportError: fancylib = None`) found no module,
    # or another one: it would import the new file (round 57b F4).
    for reading in notebooks:
        importing = module_itself_import(sources[reading.path], module_name)
        if importing is not None:
            return (
                f"{reading.path}:cell {importing} imports {module_name}, which would then find"
                f" the new module where it found another {module_name} or none; choose another"
                " --to"
            )
        # `exec(code)`, with `code` built from a string naming the module: the code is not
        # read, and may import it. Refused only then, so that `exec(code)` beside a
        # notebook's `from helpers import f` (no string) is no reason (round 59b F3).
        found_strings = strings[reading.path]
        if found_strings.by_value is not None and found_strings.named is not None:
            cell, line = found_strings.by_value
            return (
                f"{reading.path}:cell {cell} runs code given by a value (`{line}`), and a"
                f" string in cell {found_strings.named} names {module_name}: the code may"
                f" import {module_name}, which would then find the new module where it found"
                f" another {module_name} or none; choose another --to"
            )
        # `%run helpers.py` said `File not found` and went on: it would run the new file.
        runs = module_runs(reading.sources, reading.path, to)
        if runs:
            return (
                f"{reading.path}:cell {runs[0].cell} runs {to.name} (`{runs[0].text}`), which"
                " would then run the new module where it found no file; choose another --to"
            )
    return None


def names_gained(
    notebooks: Sequence[NotebookReading],
    module_name: str,
    old_tree: ast.Module,
    tree: ast.Module,
    to: Path,
) -> str | None:
    """Why the existing module (`old_tree`) must not be extended to `tree`: a notebook
    imports from a module of its name a name it lacks and would then define, which the
    import finds where it raised ImportError (`try: from helpers import save`, a fallback
    in `except ImportError:`; `exec("from helpers import save")` too)."""
    package = to.parent if to.name == "__init__.py" else None
    old, new = importable_names(old_tree, package), importable_names(tree, package)
    if old is None or new is None:
        return None  # a star import or a module `__getattr__`: what it had is not known
    gained = new - old
    if not gained:
        return None
    lacking = _AllBut(gained)
    for reading in notebooks:
        strings = string_code(reading.sources, module_name)
        sources = sorted([*reading.sources, *strings.texts], key=_cell)
        found = other_module_import(sources, module_name, lacking)
        if found is not None:
            cell, name = found
            return (
                f"{reading.path}:cell {cell} imports {name} from {module_name}, which"
                f" {to.name} does not define yet: extended, the import would find it where"
                " it raised ImportError; choose another --to"
            )
    return None


class _AllBut:
    """Every name but `names`: the names an import may take without reaching one of them."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def __contains__(self, name: object) -> bool:
        return name not in self.names


def _cell(source: tuple[int, str]) -> int:
    """The cell of a (cell, text) pair: a code string is read in its cell's place."""
    return source[0]

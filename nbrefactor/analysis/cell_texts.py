"""What each code cell's text says, looked at once per notebook without parsing it.

`read_program` asks, in one pass over the code cells, which name the watched names
(or may bind any name), which import from the target module, and how many lines of
each start with an import (the cell with most is the notebook's import cell).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from nbrefactor.analysis.magics import cell_magic
from nbrefactor.analysis.mentions import Watched
from nbrefactor.nbfile.notebook import Notebook
from nbrefactor.value_base import ValueBase

# After a newline: the pattern starts with a literal, which the engine skips to.
_IMPORT_LINE = re.compile(r"\n(?:import|from)[ \t]+[\w.]")
_FIRST_IMPORT_LINE = re.compile(r"(?:import|from)[ \t]+[\w.]")


@dataclass(frozen=True, eq=False, repr=False)
class CellTexts(ValueBase):
    """What the text of each code cell says, as `read_program` looked at it."""

    naming: tuple[int, ...]  # the cells that name the watched names or star-import
    module_imports: tuple[int, ...]  # the cells that import from the target module
    # the cells that may import the target module in any way (`import mylib`)
    module_named: tuple[int, ...]
    import_lines: Mapping[int, int]  # cell -> its lines that start with an import, when any


def cell_texts(
    notebook: Notebook, watch: Watched, before: CellTexts | None, changed: Collection[int]
) -> CellTexts:
    """What each code cell's text says (`CellTexts`), in one pass over the cells.

    `before`: what the text said before a migration, for the same watched names; the
    cells other than `changed` have the same text, so they say the same: only the changed
    ones are looked at.
    """
    naming: set[int] = set()
    module_imports: set[int] = set()
    module_named: set[int] = set()
    import_lines: dict[int, int] = {}
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if before is not None:
        naming = {number for number in before.naming if number not in changed}
        module_imports = {number for number in before.module_imports if number not in changed}
        module_named = {number for number in before.module_named if number not in changed}
        import_lines = {n: count for n, count in before.import_lines.items() if n not in changed}
        cells = [notebook.cells[number - 1] for number in sorted(changed)]
    for cell in cells:
        source = cell.source
        if watch.names_or_binds_any(source):
            naming.add(cell.number)
        if watch.may_import_module(source):
            module_named.add(cell.number)
            if watch.imports_from_module(source):
                module_imports.add(cell.number)
        count = _import_lines(source)
        if count:
            import_lines[cell.number] = count
    return CellTexts(
        tuple(sorted(naming)),
        tuple(sorted(module_imports)),
        tuple(sorted(module_named)),
        import_lines,
    )


def _import_lines(source: str) -> int:
    """How many lines of a code cell start with an import (none in a cell magic's)."""
    if "import" not in source or cell_magic(source) is not None:
        return 0
    # The first line is counted apart: "\n" + source would copy a huge cell.
    return len(_IMPORT_LINE.findall(source)) + bool(_FIRST_IMPORT_LINE.match(source))


def most_imports(import_lines: Mapping[int, int]) -> int | None:
    """The code cell with most lines starting with an import (the first of equals), if any."""
    best, best_count = None, 0
    for number, count in sorted(import_lines.items()):
        if count > best_count:
            best, best_count = number, count
    return best

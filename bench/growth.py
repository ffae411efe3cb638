"""Single large notebooks, for bench/run.py's growth rows: each grows along one axis
only (cells, definitions, the bytes of one code cell), measured at size n and 2n."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable

# beside this file
from realistic_cells import definitions_cell, dumps, imports, markdown_lines, title_lines
from realistic_code import CALLS, block, training_loop


@dataclasses.dataclass(frozen=True)
class GrowthCase:
    """A single notebook grown along one axis, measured at size n and 2n."""

    key: str
    size: int  # n: cells, definitions or bytes of the one code cell
    build: Callable[[int, dict[str, list[str]], int], str]  # (size, helpers, seed) -> text

    def describe(self, size: int) -> str:
        if self.key == "bigcell":
            return f"one code cell of {size / 1e6:g} MB"
        return f"{size:,} {'cells' if self.key == 'cells' else 'definitions of library names'}"


def growth_cases(scale: float) -> list[GrowthCase]:
    return [
        GrowthCase("cells", round(10_000 * scale), many_cells),
        GrowthCase("defs", round(10_000 * scale), many_definitions),
        GrowthCase("bigcell", round(5_000_000 * scale), big_cell),
    ]


def many_cells(cells: int, helpers: dict[str, list[str]], seed: int) -> str:
    """`cells` cells: a title, imports, one cell of helpers, then short cells, every 10th calling them."""
    rng = random.Random(f"{seed}:cells")
    names = sorted(CALLS)
    head = _growth_head(rng)
    head.append(("code", definitions_cell(rng, names, helpers, 0, [])))
    body: list[tuple[str, list[str]]] = []
    while len(head) + len(body) < cells:
        if len(body) % 3 == 2:
            body.append(("md", markdown_lines(rng, len(body), 0.5)))
        elif len(body) % 10 == 0:
            body.append(("code", [rng.choice(CALLS[name]) for name in names]))
        else:
            body.append(("code", block(rng, "", rng.randint(2, 12))))
    return _plain_notebook(head + body)


def many_definitions(definitions: int, helpers: dict[str, list[str]], seed: int) -> str:
    """`definitions` edited copies of the library's helpers, ten to a cell, then one call of each."""
    rng = random.Random(f"{seed}:definitions")
    names = sorted(CALLS)
    cells = _growth_head(rng)
    for start in range(0, definitions, 10):
        chosen = [names[(start + k) % len(names)] for k in range(min(10, definitions - start))]
        cells.append(("code", definitions_cell(rng, chosen, helpers, 0, [])))
    cells.append(("code", [rng.choice(CALLS[name]) for name in names]))
    return _plain_notebook(cells)


def big_cell(size: int, helpers: dict[str, list[str]], seed: int) -> str:
    """One code cell of about `size` bytes: statements, training loops calling the helpers,
    and an edited helper definition every ~50 KB."""
    rng = random.Random(f"{seed}:big-cell")
    names = sorted(CALLS)
    lines: list[str] = []
    written, next_definition = 0, 0
    while written < size:
        if written >= next_definition:
            chunk = definitions_cell(rng, [rng.choice(names)], helpers, 0, [])
            next_definition += 50_000
        elif rng.random() < 0.2:
            chunk = training_loop(rng, rng.randint(30, 120), [rng.choice(CALLS[rng.choice(names)])])
        else:
            chunk = block(rng, "", rng.randint(20, 80))
        lines += chunk
        written += sum(len(line) + 1 for line in chunk)
    return _plain_notebook([*_growth_head(rng), ("code", lines)])


def _growth_head(rng: random.Random) -> list[tuple[str, list[str]]]:
    return [("md", title_lines(rng)), ("code", imports(rng, project_import=False))]


def _plain_notebook(cells: list[tuple[str, list[str]]]) -> str:
    """nbformat 4.4 as Jupyter writes it: sorted keys, indent 1, sources as lists of lines."""
    built = []
    for kind, lines in cells:
        cell: dict = {
            "cell_type": "markdown" if kind == "md" else "code",
            "metadata": {},
            "source": [line + "\n" for line in lines[:-1]] + lines[-1:],
        }
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        built.append(cell)
    metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}
    notebook = {"cells": built, "metadata": metadata, "nbformat": 4, "nbformat_minor": 4}
    return dumps(notebook, indent=1, final_newline=True)

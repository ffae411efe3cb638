"""Notebooks shaped like real ones, built reproducibly from a seed, for bench/run.py.

The shape was measured on about 100 real versions of the notebooks nbrefactor
is written for: 16-142 KB (median 85 KB), 24-43 cells (median 42) of which
about 26 are code; code cells have a median of 29 lines and a 90th percentile
of 137, and the longest cell of a notebook has a median of 168 lines (one has
8,478). They are committed without outputs. The helper definitions (inline
copies of the library functions, edited a little) sit in long cells between
other statements and are called from long training-loop cells; about a third
of the notebooks have a cell that `ast` rejects, usually the one holding a
definition (the definition itself reads on its own); some title cells lost
their line breaks; some notebooks import a function of the same name from a
project module, or define `plot_training_metrics` and never call it.

`realistic_notebook(seed, index, helpers)` builds one such notebook, with
facts about it (whether it has a broken cell, ...); the same seed and index
always give the same bytes; `write_notebooks` writes a corpus of them.
The cells' code is made in `realistic_code` (the helpers' inline copies, read
from the fixtures' notebooks and edited a little, the statements around them,
the breakages), their text and the notebook's JSON in `realistic_cells`; the
single large notebooks of the growth rows are in `growth`.
"""

from __future__ import annotations

import dataclasses
import math
import random
import statistics
from pathlib import Path

# beside this file
from realistic_cells import (
    MAGICS,
    assemble,
    big_data_cell,
    code_cell_lines,
    definitions_cell,
    dumps,
    imports,
    longest_cell_lines,
    markdown_lines,
    title_lines,
)
from realistic_code import (
    BREAKAGES,
    CALLS,
    UNBOUND_CALL,
    block,
    breakage,
    load_helpers,
    training_loop,
)

__all__ = ["Facts", "load_helpers", "realistic_notebook", "summary", "write_notebooks"]


@dataclasses.dataclass(frozen=True)
class Facts:
    """What was put into a generated notebook, for the corpus summary."""

    size: int
    cells: int
    code_lines: tuple[int, ...]  # per code cell
    broken: str | None  # kind of breakage, or None
    broken_holds_def: bool


@dataclasses.dataclass
class _Plan:
    """Decisions for one notebook, drawn before its cells are written."""

    defined: list[str]
    called: dict[str, int]  # name -> number of cells calling it
    safe: str  # defined in a cell that parses, called in ways that bind: always migrated
    broken: str | None
    broken_in_def_cell: bool
    second_copy: str | None
    unbound_call: bool
    project_import: bool


_GRADIENTS, _NORMALIZED, _LEGACY = (
    "visualize_gradient_norms",
    "visualize_normalized_entropy",
    "plot_training_metrics",
)


def _plan(rng: random.Random, helpers: dict[str, list[str]]) -> _Plan:
    others = sorted(name for name in helpers if name != _GRADIENTS)
    defined = [_GRADIENTS, *rng.sample(others, rng.randint(1, min(4, len(others))))]
    called = {name: rng.randint(1, 3) for name in defined}
    if _LEGACY in called and rng.random() < 0.3:
        called[_LEGACY] = 0  # defined, never called
    unbound_call = _NORMALIZED in defined and rng.random() < 0.5
    candidates = [
        name for name in defined[1:] if called[name] and not (unbound_call and name == _NORMALIZED)
    ]
    safe = rng.choice(candidates) if candidates else _GRADIENTS
    broken = rng.choice(BREAKAGES) if rng.random() < 1 / 3 else None
    return _Plan(
        defined=defined,
        called=called,
        safe=safe,
        broken=broken,
        broken_in_def_cell=broken is not None and rng.random() < 0.85,
        second_copy=_GRADIENTS if safe != _GRADIENTS and rng.random() < 0.2 else None,
        unbound_call=unbound_call,
        project_import=rng.random() < 0.3,
    )


def realistic_notebook(seed: int, index: int, helpers: dict[str, list[str]]) -> tuple[str, Facts]:
    """The text of notebook `index` of the corpus with this seed, and what it holds."""
    rng = random.Random(f"{seed}:{index}")
    plan = _plan(rng, helpers)
    cell_count = rng.randint(41, 43) if rng.random() < 0.6 else rng.randint(24, 40)
    code_count = round(cell_count * rng.uniform(0.55, 0.68))
    verbosity = math.exp(rng.gauss(0, 0.45))  # some notebooks have longer short cells
    sizes = [code_cell_lines(rng, verbosity) for _ in range(code_count)]
    code, broken_kind = _code_cells(rng, plan, helpers, sizes)
    markdown = [title_lines(rng)]
    markdown += [markdown_lines(rng, n, verbosity) for n in range(1, cell_count - code_count)]
    notebook = assemble(rng, markdown, code, index)
    text = dumps(notebook, indent=1 if rng.random() < 0.8 else 2, final_newline=rng.random() < 0.8)
    facts = Facts(
        size=len(text.encode("utf-8")),
        cells=len(notebook["cells"]),
        code_lines=tuple(map(len, code)),
        broken=plan.broken if broken_kind else None,
        broken_holds_def=broken_kind == "defs",
    )
    return text, facts


def _code_cells(
    rng: random.Random, plan: _Plan, helpers: dict[str, list[str]], sizes: list[int]
) -> tuple[list[list[str]], str | None]:
    """The code cells' lines, about `sizes` long, and the kind of the broken cell (if any)."""
    # Code cells 0-2 are magics, imports and configuration. Helpers are defined
    # in one or two cells of the first half; calls come after the first of them.
    code_count = len(sizes)
    kinds = ["magic", "imports", "config"] + ["plain"] * (code_count - 3)
    body = list(range(3, code_count))
    def_cells = sorted(rng.sample(body[: len(body) // 2], min(2, len(plan.defined))))
    defs_in = {number: [name] for number, name in zip(def_cells, plan.defined, strict=False)}
    for name in plan.defined[len(def_cells) :]:
        defs_in[rng.choice(def_cells)].append(name)
    after = [number for number in body if number > def_cells[0] and number not in defs_in]
    if plan.second_copy:
        defs_in[after[-1]] = [plan.second_copy]
    for number in defs_in:
        kinds[number] = "defs"
    plain = [number for number in after if kinds[number] == "plain"]
    calls_in: dict[int, list[str]] = {}
    for name, count in plan.called.items():
        for number in rng.sample(plain, min(count, len(plain))):
            calls_in.setdefault(number, []).append(rng.choice(CALLS[name]))
    if plan.unbound_call:
        calls_in.setdefault(plain[0], []).append(UNBOUND_CALL)

    # The longest cell: a training loop, a helper cell, or (rarely) a pasted table.
    longest = rng.choice(body)
    sizes[longest] = longest_cell_lines(rng)
    if sizes[longest] > 6000 and kinds[longest] == "plain":
        kinds[longest] = "data"
        calls_in.pop(longest, None)
    elif kinds[longest] == "plain":
        calls_in.setdefault(longest, [])

    # The broken cell: one holding a single definition (whose name is then
    # kept) other than the safe name's, or a cell that names no library function.
    broken_cell = None
    if plan.broken:
        single = [n for n, names in defs_in.items() if names != [plan.safe] and len(names) == 1]
        quiet = [n for n in body if kinds[n] == "plain" and n not in calls_in]
        if plan.broken_in_def_cell and single:
            broken_cell = rng.choice(single)
        elif quiet:
            broken_cell = rng.choice(quiet)

    commented = rng.choice(sorted(name for name in CALLS if name != plan.safe))
    broken_lines = breakage(plan.broken, rng, commented) if plan.broken else []
    code: list[list[str]] = []
    for number, kind in enumerate(kinds):
        breaks = broken_lines if number == broken_cell else []
        if kind == "magic":
            lines = rng.sample(MAGICS, rng.randint(1, 4))
        elif kind == "imports":
            lines = imports(rng, plan.project_import)
        elif kind == "data":
            lines = big_data_cell(sizes[number])
        elif kind == "defs":
            lines = definitions_cell(rng, defs_in[number], helpers, sizes[number], breaks)
        elif number in calls_in:
            lines = training_loop(rng, sizes[number], calls_in[number])
        else:
            lines = block(rng, "", sizes[number])
        if breaks and kind != "defs":
            at = rng.randint(0, len(lines))
            lines[at:at] = breaks
        if kind not in ("magic", "imports") and rng.random() < 0.05:
            lines.insert(0, rng.choice(MAGICS[:2]))  # `!pip install` or `%matplotlib inline`
        code.append(lines)
    return code, None if broken_cell is None else kinds[broken_cell]


def write_notebooks(
    folder: Path, count: int, seed: int, helpers: dict[str, list[str]]
) -> list[Facts]:
    """Notebooks 0 to count - 1 of the corpus with this seed, written into a new folder."""
    folder.mkdir(parents=True)
    facts = []
    for index in range(count):
        text, fact = realistic_notebook(seed, index, helpers)
        (folder / f"{index:05d}_real.ipynb").write_text(text, encoding="utf-8")
        facts.append(fact)
    return facts


# --------------------------------------------------------------------------
# Summary


def summary(facts: list[Facts]) -> str:
    """The corpus's shape, to set beside the measured one."""
    sizes = sorted(fact.size / 1000 for fact in facts)
    cells = [fact.cells for fact in facts]
    code = sorted(lines for fact in facts for lines in fact.code_lines)
    longest = [max(fact.code_lines) for fact in facts]
    broken = [fact for fact in facts if fact.broken]
    return (
        f"{min(sizes):.0f}-{max(sizes):.0f} KB (median {statistics.median(sizes):.0f}), "
        f"{min(cells)}-{max(cells)} cells (median {statistics.median(cells):.0f}), "
        f"{statistics.mean(len(fact.code_lines) for fact in facts):.0f} code cells on average "
        f"(lines: median {statistics.median(code):.0f}, p90 {code[int(len(code) * 0.9)]}); "
        f"longest cell median {statistics.median(longest):.0f} lines (max {max(longest)}); "
        f"{len(broken)} with a cell that does not parse "
        f"({sum(fact.broken_holds_def for fact in broken)} of them the cell holding a definition)"
    )

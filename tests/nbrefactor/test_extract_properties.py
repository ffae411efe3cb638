"""Properties of extract then migrate, on notebooks generated from a pool of cells.

Every extracted helper's inline copies are gone after `migrate --module FILE`
(the chosen variant accepts every call: the pool's calls are accepted by
every variant), and every cell that parsed still parses.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from conftest import FIXED_NOW, TITLE, code, notebook_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbrefactor.analysis.catalog import load_catalog
from nbrefactor.analysis.parsing import Unparseable, parse_cell
from nbrefactor.config import Config
from nbrefactor.extract.gather import read_notebook
from nbrefactor.extract.run import Mode, read_notebooks, run_extract
from nbrefactor.migration import Status, process_notebook
from nbrefactor.nbfile.notebook import parse_notebook

DEFINITIONS = [
    "def scale(x, factor=2):\n    return x * factor",
    "def scale(x, factor = 2):\n    # the same body, another layout\n    return x * factor",
    "def scale(x, factor=2, offset=0):\n    return x * factor + offset",
    "def shout(text):\n    '''Loud.'''\n    return text.upper() + '!'",
    "import numpy as np\n\n\ndef total(values):\n    return np.sum(values)",
    "def describe(x):\n    return f'{shout(str(x))} {scale(x)}'",
    "LIMIT = 3\n\n\ndef clip(x):\n    return min(x, LIMIT)",
    "def shout(text):\n    return text.upper() + '!'\n\nprint((1\n",
    "# A comment above.\n@print\ndef loud(x):\n    return x",
]
OTHERS = [
    "scale(1)",
    "scale(2, factor=3)",
    "shout('hi')",
    "describe(3)",
    "clip(5)",
    "print(total([1, 2]))",
    "%matplotlib inline\nvalue = scale(4)",
    "!echo hello",
    "for i in range(3):\n    print(i)",
    "x = (",
]
CELLS = st.lists(st.sampled_from(DEFINITIONS + OTHERS), min_size=1, max_size=7)


def _parsed_cells(path: Path) -> list[int]:
    numbers = []
    for cell in parse_notebook(path.read_bytes()).cells:
        if cell.cell_type != "code":
            continue
        try:
            parse_cell(cell.source)
        except Unparseable:
            continue
        numbers.append(cell.number)
    return numbers


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CELLS, min_size=1, max_size=3))
def test_extract_then_migrate_leaves_no_inline_copy_and_parsed_cells_still_parse(
    notebooks: list[list[str]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, sources in enumerate(notebooks):
            path = Path(folder) / f"nb{index}.ipynb"
            path.write_text(notebook_text(TITLE, *(code(source) for source in sources)))
            paths.append(path)
        parsed_before = {path: _parsed_cells(path) for path in paths}
        module = Path(folder) / "helpers.py"
        run = run_extract(read_notebooks(paths), module, Mode.WRITE)
        assert not run.failed and run.plan is not None
        extracted = {d.name for d in run.plan.definitions if not d.name.startswith("_")}
        if not extracted:
            return
        catalog = load_catalog(str(module))
        config = Config(now=FIXED_NOW)
        for path in paths:
            outcome = process_notebook(path, config, catalog)
            assert outcome.status is not Status.FAILED, outcome.error
            after = read_notebook(path, parse_notebook(path.read_bytes()))
            left = {d.name for d in after.definitions} & extracted
            assert not left, (path.read_text(), outcome.report.lines())
            # migrate adds no cell: numbers still match
            assert set(parsed_before[path]) <= set(_parsed_cells(path))
        again = run_extract(read_notebooks(paths), module, Mode.CHECK)
        assert again.change is not None and not again.change.changed

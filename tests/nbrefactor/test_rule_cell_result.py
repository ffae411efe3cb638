"""Rule: removing definitions does not change what a cell displays (`rules.cell_result`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TITLE, code, migrate_text, notebook_text

from nbrefactor.analysis.catalog import Catalog, load_catalog

F = "def f(x):\n    return x + 1"


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    library = tmp_path / "mylib.py"
    library.write_text(f"{F}\n", encoding="utf-8")
    return load_catalog(str(library))


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        # Sweep R repro_9: IPython displayed nothing; without the def, `[1, 2, 3]`.
        (f"values = [3, 1, 2]\nsorted(values)\n{F}", "sorted(values)"),
        (f"values = [3, 1, 2]\nvalues\n\n\n{F}", "values"),
        (  # a tensor, which IPython displays
            f"import torch\ntorch.nn.utils.clip_grad_norm_(ps, 0.6)\n{F}",
            "torch.nn.utils.clip_grad_norm_(ps, 0.6)",
        ),
        (f"values = [3, 1, 2]\nsorted(values);\n{F}", None),  # `;`: IPython stays quiet
        (f"values = [3, 1, 2]\nprint(values)\n{F}", None),  # None is not displayed
        (f"values = [3, 1, 2]\nsorted(values)\n{F}\ny = 1", None),  # the def is not last
        (F, None),
    ],
)
def test_a_definition_ending_a_cell_after_an_expression_is_kept(catalog, cell, shown):
    text = notebook_text(TITLE, code("import math"), code(cell), code("f(1)"))
    result, _ = migrate_text(text, catalog)
    kept = [(found.code, found.reason) for found in result.report.kept]
    if shown is None:
        assert kept == []
        assert [found.name for found in result.report.replaced] == ["f"]
    else:
        assert kept == [
            (
                "NBR241",
                f"it ends cell 3 after `{shown}`, which IPython would display once f is removed",
            )
        ]
        assert not result.changed

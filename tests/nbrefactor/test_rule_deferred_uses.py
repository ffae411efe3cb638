"""A function body finds, when it is called, what it found before the migration.

Sweep 19's repros: a use inside a function body runs when the function is called, at
any point after its `def`; the import must not change what such a call finds there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GRAD_DEF, IMPORTS, TITLE, code, migrate_text, notebook_text

from nbrefactor.analysis.catalog import load_catalog

_IMPORT = "from viz_utils import visualize_gradient_norms"
_REPORT = "def report(g):\n    return visualize_gradient_norms(g)\n"
_MANY_IMPORTS = code("import json\nimport os\nimport statistics")


def _kept(result) -> list[tuple[str, str]]:
    return [(found.code, found.message) for found in result.report.kept]


def test_a_function_called_above_the_import_cell_keeps_the_import_above_the_call(catalog):
    """Repro 1: `report`, defined under the helper, is called in cell 4; the import cell
    (the most imports) is cell 5, where the import made cell 4 raise NameError."""
    text = notebook_text(
        TITLE,
        code("import math"),
        code(GRAD_DEF + "\n\n" + _REPORT),
        code("report(g)"),
        _MANY_IMPORTS,
    )
    result, sources = migrate_text(text, catalog)
    assert [finding.name for finding in result.report.replaced] == ["visualize_gradient_norms"]
    assert sources[3] == f"{_IMPORT}\n\n\n{_REPORT}"
    assert sources[5] == "import json\nimport os\nimport statistics"


def test_without_a_function_using_it_the_import_goes_into_the_import_cell(catalog):
    text = notebook_text(
        TITLE,
        code("import math"),
        code(GRAD_DEF),
        code("print(1)"),
        _MANY_IMPORTS,
        code("visualize_gradient_norms(g)"),
    )
    _, sources = migrate_text(text, catalog)
    assert sources[5] == f"import json\nimport os\nimport statistics\n{_IMPORT}"


def test_an_import_rebinding_the_name_later_still_wins_in_the_function_body(catalog):
    """Repro 2: the notebook's own `from plots import ...` (cell 3) rebinds the name after
    the pasted def; the function defined with it calls the project's. The import, after
    cell 3's, overrode it."""
    text = notebook_text(
        TITLE,
        code(GRAD_DEF + "\n\n" + _REPORT),
        code("from plots import visualize_gradient_norms"),
        code("report(g)"),
    )
    result, sources = migrate_text(text, catalog)
    assert [finding.name for finding in result.report.replaced] == ["visualize_gradient_norms"]
    assert sources[2].startswith(f"{_IMPORT}\n")
    assert sources[3] == "from plots import visualize_gradient_norms"


def test_a_function_using_the_builtin_above_the_def_keeps_the_import_below_its_call(
    tmp_path: Path,
):
    """Repro 2's variant: `avg` reads the builtin `sum`, called in cell 3; a `def sum` is
    pasted in cell 4. The import at the top made cell 3's call find the library's `sum`."""
    library = tmp_path / "mylib.py"
    library.write_text("def sum(xs):\n    return 100\n", encoding="utf-8")
    catalog = load_catalog(str(library))
    pasted = "def sum(xs):\n    return 100"
    text = notebook_text(
        TITLE,
        code("import os\n\n\ndef avg(xs):\n    return sum(xs) / len(xs)"),
        code("print(avg([1, 2]))"),
        code(pasted),
        code("print(avg([1, 2]))"),
    )
    result, sources = migrate_text(text, catalog)
    assert [finding.name for finding in result.report.replaced] == ["sum"]
    assert sources[2].startswith("import os\n\n\ndef avg")
    assert "mylib" not in sources[2]
    assert sources[4] == "from mylib import sum"


@pytest.mark.parametrize("after", [[code("report(g)")], []])
def test_no_place_that_keeps_what_a_call_finds_keeps_the_definitions(catalog, after):
    """Two pasted defs with an assignment between them: a call of `report` after the
    second found the second def; with one import, above the assignment, it would find
    what cell 3 assigns. Before, nothing kept them: no direct use did. With no cell after
    the function's, nothing calls it there: they are replaced."""
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(GRAD_DEF),
        code("visualize_gradient_norms = make_plotter()"),
        code(GRAD_DEF + "\n\n" + _REPORT),
        *after,
    )
    result, _ = migrate_text(text, catalog)
    if not after:
        assert result.changed
        return
    assert not result.changed
    problem = (
        "a function body in cell 5 reads visualize_gradient_norms when called: a call in "
        "cell 6 finds the def in cell 5, and would find the assignment in cell 4 with the "
        "import in cell 3"
    )
    assert _kept(result) == [
        ("NBR251", f"kept visualize_gradient_norms (cell 3): {problem}"),
        ("NBR251", f"kept visualize_gradient_norms (cell 5): {problem}"),
    ]


def test_a_generator_expression_runs_its_uses_when_consumed(catalog):
    """Sweep 22 repro_5: `G` is made above the pasted def, where the name is a lambda, and
    consumed below it, where it runs the def: `[0, 2]`. With the import in the import cell,
    the lambda rebound it for good: `['other', 'other']`. Its body is deferred, as a
    function's; a list comprehension runs at once and is not."""
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(
            "visualize_gradient_norms = lambda g: 'other'\n"
            "G = (visualize_gradient_norms(g) for g in range(2))"
        ),
        code(GRAD_DEF),
        code("print(list(G))"),
    )
    result, sources = migrate_text(text, catalog)
    assert [finding.name for finding in result.report.replaced] == ["visualize_gradient_norms"]
    assert sources[2] == IMPORTS["source"]
    assert sources[4] == f"{_IMPORT}\n"


def test_what_a_call_finds_is_worked_out_once_per_stretch_not_per_use(
    catalog, monkeypatch: pytest.MonkeyPatch
):
    """Each use's question was asked of every stretch after it: quadratic in a notebook
    pasting the helper with a function calling it in each cell (2,000 of them: 4.9 s). The
    stretches are worked out once per name; a use looks up the first that differs."""
    from nbrefactor.rules import deferred_uses

    asked = 0
    state = deferred_uses._Timeline.state

    def counting(self, upto):
        nonlocal asked
        asked += 1
        return state(self, upto)

    monkeypatch.setattr(deferred_uses._Timeline, "state", counting)

    def asked_for(pasted: int) -> int:
        nonlocal asked
        asked = 0
        cells = []
        for index in range(pasted):
            caller = f"def report{index}(g):\n    return visualize_gradient_norms(g)\n"
            cells.append(code(f"{GRAD_DEF}\n\n{caller}"))
            cells.append(code(f"report{index}(1)"))
        result, _ = migrate_text(notebook_text(TITLE, IMPORTS, *cells), catalog)
        assert len(result.report.replaced) == pasted
        return asked

    assert asked_for(40) > 0
    assert asked_for(80) <= 2.2 * asked_for(40)

"""Rule: a name the copy reads is judged as the notebook binds it at the copy's calls
(`rules/same_function.py`, `analysis/import_in_effect.py`): round 62a K3."""

from __future__ import annotations

import pytest
from conftest import TITLE, code, migrate_text, notebook_text

from nbrefactor.analysis.catalog import load_catalog

BODY = "def to_text(x):\n    return ser.dumps(x)"
KEPT = "reads ser, which cell 2 imports as pickle and the module of serial.to_text as json"


def _reasons(tmp_path, *cells: str) -> list[tuple[str, str]]:
    library = tmp_path / "serial.py"
    library.write_text(f"import json as ser\n\n{BODY}\n")
    text = notebook_text(TITLE, *(code(cell) for cell in cells))
    result, _ = migrate_text(text, load_catalog(str(library)))
    return [(found.code, found.reason) for found in result.report.kept]


@pytest.mark.parametrize(
    "rebinding",
    ["import json as ser", "import os\nimport json as ser\nprint(ser)", "from json import *"],
)
def test_a_later_import_binding_the_librarys_before_every_call_replaces(tmp_path, rebinding):
    """`import math as np`, the copy, `import numpy as np`, `f()`: np is numpy at the call."""
    cells = ["import pickle as ser", BODY, rebinding, "print(to_text([1]))", "to_text(2)"]
    expected = [("NBR227", KEPT)] if "*" in rebinding else []
    assert _reasons(tmp_path, *cells) == expected


@pytest.mark.parametrize(
    "cells",
    [
        # a call before the import that rebinds it
        ["to_text([1])", "import json as ser", "to_text([2])"],
        # the rebinding may not run
        ["if True:\n    import json as ser", "to_text([1])"],
        ["try:\n    import json as ser\nexcept ImportError:\n    pass", "to_text([1])"],
        # the call's own cell imports it too: not told
        ["import json as ser\nto_text([1])"],
        # a line after the import may bind it
        ["import json as ser", "exec(code)", "to_text([1])"],
        # a call in a function called later, and a use as a value: run at any time
        ["import json as ser", "def g():\n    return to_text([1])", "g()"],
        ["import json as ser", "print(list(map(to_text, [1])))"],
        # no call at all
        ["import json as ser"],
    ],
)
def test_an_import_not_surely_in_effect_at_every_call_keeps(tmp_path, cells):
    reasons = _reasons(tmp_path, "import pickle as ser", BODY, *cells)
    assert [code for code, _ in reasons] == ["NBR227"]

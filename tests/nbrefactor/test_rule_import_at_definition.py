"""Rule: a name the copy reads that the notebook first imports as another thing keeps it
(`NBR227`, `rules/same_function.py`), even when a later import binds what the library's
module imports before the calls one can see.

Round 62a K3 called the last case a false keep, and a fix judged the name at each visible
call; round 64 then found the reads that fix missed, each a silent change of what the
notebook printed: a default or a decorator reads the name when the `def` runs; a
generator, a returned lambda or class reads it when their code runs, after the calls; a
call in a string (`eval`) runs the copy before the later import. The fix was reverted:
these cases stay kept, as does K3's, a false keep on the safe side.
"""

from __future__ import annotations

import pytest
from conftest import TITLE, code, migrate_text, notebook_text

from nbrefactor.analysis.catalog import load_catalog

KEPT = "reads ser, which cell 2 imports as pickle and the module of serial.to_text as json"


def _kept_codes(tmp_path, definition: str, *cells: str) -> list[str]:
    library = tmp_path / "serial.py"
    library.write_text(f"import json as ser\n\n\n{definition}\n", encoding="utf-8")
    text = notebook_text(TITLE, code("import pickle as ser"), code(definition), *map(code, cells))
    result, _ = migrate_text(text, load_catalog(str(library)))
    return [found.code for found in result.report.kept if KEPT in found.reason]


@pytest.mark.parametrize(
    ("definition", "cells"),
    [
        # round 62a K3: np is numpy at the call either way; kept all the same
        ("def to_text(x):\n    return ser.dumps(x)", ["import json as ser", "to_text([1])"]),
        # round 64 F1: the default is read when the `def` runs, pickle then
        (
            "def to_text(x, dump=ser.dumps):\n    return dump(x)",
            ["import json as ser", "print(to_text([1]))"],
        ),
        # round 64 F2: the generator's body runs after pickle is imported again
        (
            "def to_text(x):\n    yield ser.dumps(x)",
            ["import json as ser", "g = to_text([1])", "import pickle as ser", "print(next(g))"],
        ),
        (
            "def to_text(x):\n    return lambda: ser.dumps(x)",
            ["import json as ser", "h = to_text([1])", "import pickle as ser", "print(h())"],
        ),
        # round 64 F3: a call in a string runs before the later import
        (
            "def to_text(x):\n    return ser.dumps(x)",
            ["print(eval('to_text([1])'))", "import json as ser", "print(to_text([1]))"],
        ),
    ],
)
def test_a_name_first_imported_as_another_thing_keeps_the_copy(tmp_path, definition, cells):
    assert _kept_codes(tmp_path, definition, *cells) == ["NBR227"]

"""A library importing names from a module of its own folder that the notebook imported
first from another file (`analysis/notebook_bound.py`, `NBR278`): Python keeps the module
the notebook imported, so the library's import may raise ImportError (round 71a F4)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import code, notebook_text

from nbrefactor.analysis.kernel_modules import KERNEL_PRELOADED
from nbrefactor.analysis.package_modules import PACKAGE_STANDARD_MODULES
from nbrefactor.cli import main

INLINE = "def f(x):\n    return x * 2"
INSERT = "sys.path.insert(0, 'lib')"
SIBLING = "print('my module ran')\n\n\ndef helper(x):\n    return x\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PYTHONPATH", raising=False)


def _entry(library_line: str, sibling: str, cells: list[str], own: bool = False) -> dict:
    """The JSON report's entry when lib/mylib.py starts with `library_line`, lib/`sibling`.py
    defines `helper` and prints, the notebook's cells are `cells` (then the inline definition
    and a call), and with `own` the notebook's folder holds a `sibling`.py of its own."""
    Path("lib").mkdir()
    Path("lib", "mylib.py").write_text(f"{library_line}\n\n\n{INLINE}\n", encoding="utf-8")
    Path("lib", f"{sibling}.py").write_text(SIBLING, encoding="utf-8")
    if own:
        Path(f"{sibling}.py").write_text("X = 1\n", encoding="utf-8")
    sources = [*cells, INLINE, "print(f(2))"]
    Path("nb.ipynb").write_text(notebook_text(*(code(cell) for cell in sources)), encoding="utf-8")
    options = ["--check", "--jobs", "1", "--output-format", "json", "--module", "lib/mylib.py"]
    result = CliRunner().invoke(main, ["migrate", *options, "nb.ipynb"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    (entry,) = json.loads(result.stdout)["notebooks"]
    return entry


@pytest.mark.parametrize(
    ("library_line", "sibling", "cells", "own", "kept"),
    [
        # round 71a K21: the standard colorsys, imported before lib is put first
        (
            "from colorsys import helper",
            "colorsys",
            [f"import sys, colorsys\n{INSERT}"],
            False,
            ["NBR278"],
        ),
        # round 71a K22: the notebook's own utils.py
        ("from utils import helper", "utils", [f"import sys, utils\n{INSERT}"], True, ["NBR278"]),
        # round 73a F1 (H28): in the body of a function the library calls when imported
        (
            "def _load():\n    from utils import helper\n    return helper\nK = _load()",
            "utils",
            [f"import sys, utils\n{INSERT}"],
            True,
            ["NBR278"],
        ),
        (  # not called: nothing of it runs then
            "def _load():\n    from utils import helper\n    return helper",
            "utils",
            [f"import sys, utils\n{INSERT}"],
            True,
            [],
        ),
        (
            "import utils.helper",
            "utils",
            [f"import sys\nfrom utils import X\n{INSERT}"],
            True,
            ["NBR278"],
        ),
        # in an earlier cell than the new import's
        (
            "from utils import helper",
            "utils",
            ["import utils", f"import sys\n{INSERT}"],
            True,
            ["NBR278"],
        ),
        # in a block, which may run it (round 72b: a try around it was not read)
        (
            "from utils import helper",
            "utils",
            [f"import sys\ntry:\n    import utils\nexcept ImportError:\n    pass\n{INSERT}"],
            True,
            ["NBR278"],
        ),
        (
            "from utils import helper",
            "utils",
            [f"import sys\nif True:\n    from utils import X\n{INSERT}"],
            True,
            ["NBR278"],
        ),
        # in a function's body: only a call would run it; lib's utils.py runs and prints
        (
            "from utils import helper",
            "utils",
            [f"import sys\ndef load():\n    import utils\n{INSERT}"],
            True,
            ["NBR242"],
        ),
        # an installed package (not one a kernel imports at its start)
        ("from click import helper", "click", [f"import sys, click\n{INSERT}"], False, ["NBR278"]),
        # round 71a K23: imported after lib is put first, it is lib's: its print ran already
        ("from utils import helper", "utils", [f"import sys\n{INSERT}\nimport utils"], True, []),
        (
            "from utils import helper",
            "utils",
            [f"import sys\n{INSERT}\nimport utils", "x = 1"],
            True,
            [],
        ),
        # imported after lib is put first in an earlier cell than the new import's (cell 2,
        # after cell 1 binds f)
        (
            "from utils import helper",
            "utils",
            [f"import sys\n{INSERT}\nimport utils\nf = print\nf(1)"],
            True,
            [],
        ),
        # no module of the name anywhere else: the notebook's import found lib's
        ("from utils import helper", "utils", [f"import sys\n{INSERT}", "import utils"], False, []),
        # a plain import binds the notebook's module too, and runs nothing of lib's
        ("import utils", "utils", [f"import sys, utils\n{INSERT}"], True, []),
        # an import in a cell that does not parse, or in a string, runs nothing
        (
            "from colorsys import helper",
            "colorsys",
            [f"import sys\n{INSERT}", "import colorsys\n)"],
            False,
            ["NBR242"],
        ),
        (
            "from colorsys import helper",
            "colorsys",
            [f"import sys\n{INSERT}\n'''\nimport colorsys\n'''"],
            False,
            ["NBR242"],
        ),
    ],
)
def test_names_from_a_module_the_notebook_imported_first_keep_the_definitions(
    library_line: str, sibling: str, cells: list[str], own: bool, kept: list[str]
) -> None:
    entry = _entry(library_line, sibling, cells, own)
    assert [found["code"] for found in entry["kept"]] == kept


@pytest.mark.parametrize(
    ("first", "kept"),
    [
        ("%time import utils", ["NBR278"]),
        ("%timeit -n1 -r1 import utils", ["NBR278"]),
        ("%load_ext autoreload\n%aimport utils", ["NBR278"]),
        ("%load_ext autoreload\n%aimport os, utils.sub", ["NBR278"]),
        ("class Cfg:\n    import utils", ["NBR278"]),
        ("class Cfg:\n    if True:\n        from utils import X", ["NBR278"]),
        ("exec('import utils')", ["NBR278"]),
        ("import importlib\nimportlib.import_module('utils')", ["NBR278"]),
        ("mod = __import__('utils')", ["NBR278"]),
        ("try:\n    import utils\nexcept ImportError:\n    pass", ["NBR278"]),
        ("%%time\nimport utils", ["NBR278"]),
        # what does not run it: lib's utils.py runs once migrated, and prints (NBR242)
        ("%load_ext autoreload\n%aimport -utils", ["NBR242"]),
        ("%%bash\nimport utils", ["NBR242"]),
        ("import importlib\ndef load():\n    importlib.import_module('utils')", ["NBR242"]),
        ("load = lambda: __import__('utils')", ["NBR242"]),
        ("code = 'import utils'\nexec(code)", ["NBR242"]),
        ("exec('import utils)')", ["NBR242"]),
        ("import importlib\nimportlib.import_module('.utils', 'pkg')", ["NBR242"]),
    ],
)
def test_the_ways_a_cell_above_imports_the_module_first_are_read(
    first: str, kept: list[str]
) -> None:
    """Round 73a F7: a cell above `sys.path.insert(0, 'lib')` importing the notebook's own
    utils.py by a line magic running Python, `%aimport`, in a class body, through
    `exec('import utils')` or `importlib.import_module('utils')` was not read: f was
    replaced, and the new import raised ImportError (cannot import name 'helper')."""
    entry = _entry("from utils import helper", "utils", ["import sys", first, INSERT], True)
    assert [found["code"] for found in entry["kept"]] == kept


def test_a_cell_above_importing_the_module_by_a_line_magic_keeps_silent_copies() -> None:
    """Round 73a F7 as found: lib/utils.py runs nothing, so without the notebook's import
    read the copy was replaced."""
    Path("lib").mkdir()
    Path("lib", "mylib.py").write_text(f"from utils import helper\n\n\n{INLINE}\n", "utf-8")
    Path("lib", "utils.py").write_text("def helper(x):\n    return x\n", encoding="utf-8")
    Path("utils.py").write_text("X = 1\n", encoding="utf-8")
    sources = ["import sys", "%time import utils", INSERT, INLINE, "print(f(2))"]
    Path("nb.ipynb").write_text(notebook_text(*(code(cell) for cell in sources)), encoding="utf-8")
    options = ["--check", "--jobs", "1", "--output-format", "json", "--module", "lib/mylib.py"]
    result = CliRunner().invoke(main, ["migrate", *options, "nb.ipynb"])
    (entry,) = json.loads(result.stdout)["notebooks"]
    (found,) = entry["kept"]
    assert found["code"] == "NBR278"
    assert "cell 2 imports utils first, finding utils.py beside the notebook" in found["reason"]


def test_the_reason_names_the_cell_and_the_module_found() -> None:
    entry = _entry("from utils import helper", "utils", [f"import sys, utils\n{INSERT}"], True)
    (found,) = entry["kept"]
    assert found["reason"] == (
        "importing mylib runs `from utils import helper` (mylib.py, line 1): cell 1 imports"
        " utils first, finding utils.py beside the notebook, not utils.py beside mylib; Python"
        " keeps that module, and whether utils has helper is not checked"
    )


def test_a_standard_module_is_named_so() -> None:
    entry = _entry("from colorsys import *", "colorsys", [f"import sys, colorsys\n{INSERT}"])
    (found,) = entry["kept"]
    assert found["reason"].endswith(
        "cell 1 imports colorsys first, finding the standard module, not colorsys.py beside"
        " mylib; Python keeps that module, and whether colorsys has what colorsys.py defines"
        " is not checked"
    )


@pytest.mark.parametrize(
    ("first_cell", "sibling", "kept"),
    [
        ("import sys, utils", "def helper(x):\n    return x\n", ["NBR278"]),
        ("import sys", "def helper(x):\n    return x\n", []),
        ("import sys", SIBLING, ["NBR242"]),  # what lib/utils.py runs, the package's import runs
    ],
)
def test_a_package_library_importing_a_module_beside_it_is_read_alike(
    first_cell: str, sibling: str, kept: list[str]
) -> None:
    """Round 73a F6: lib/mypkg/__init__.py doing `from utils import helper` beside
    lib/utils.py, after the notebook's own `import utils` (utils.py beside it): replaced, and
    cell 3 raised ImportError (cannot import name 'helper'); the modules beside the library
    were read for a single-file library only."""
    Path("lib", "mypkg").mkdir(parents=True)
    init = "from utils import helper\nfrom .core import f\n"
    Path("lib", "mypkg", "__init__.py").write_text(init, encoding="utf-8")
    Path("lib", "mypkg", "core.py").write_text(f"{INLINE}\n", encoding="utf-8")
    Path("lib", "utils.py").write_text(sibling, encoding="utf-8")
    Path("utils.py").write_text("X = 1\n", encoding="utf-8")
    sources = [f"{first_cell}\n{INSERT}", INLINE, "print(f(2))"]
    Path("nb.ipynb").write_text(notebook_text(*(code(cell) for cell in sources)), encoding="utf-8")
    options = ["--check", "--jobs", "1", "--output-format", "json", "--module", "lib/mypkg"]
    result = CliRunner().invoke(main, ["migrate", *options, "nb.ipynb"])
    (entry,) = json.loads(result.stdout)["notebooks"]
    assert [found["code"] for found in entry["kept"]] == kept
    if kept == ["NBR278"]:
        assert entry["kept"][0]["reason"].startswith(
            "importing mypkg runs `from utils import helper` (mypkg/__init__.py, line 1): cell 1"
            " imports utils first, finding utils.py beside the notebook, not utils.py beside"
        )


@pytest.mark.parametrize(
    ("first_cell", "kept"),
    [
        ("import sys\nimport matplotlib.pyplot as plt", ["NBR278"]),
        ("import sys\nfrom matplotlib import pyplot", ["NBR278"]),
        ("import sys\nimport matplotlib.colors", ["NBR278"]),
        ("import sys\ntry:\n    import matplotlib\nexcept ImportError:\n    pass", ["NBR278"]),
        # numpy and torch import no fractions: lib's fractions.py runs, and prints
        ("import sys\nimport numpy as np", ["NBR242"]),
        ("import sys\nimport torch", ["NBR242"]),
        # imported after lib is put first, matplotlib's own `import fractions` finds lib's
        # fractions.py: not NBR278 (what it runs is not read as run: NBR242)
        (f"import sys\n{INSERT}\nimport matplotlib.pyplot as plt", ["NBR242"]),
    ],
)
def test_a_standard_module_a_package_above_imports_is_the_one_bound(
    first_cell: str, kept: list[str]
) -> None:
    """Round 73a F8: lib/mylib.py doing `from fractions import helper` beside
    lib/fractions.py, after the notebook's `import matplotlib.pyplot` (which imports the
    standard fractions) and then `sys.path.insert(0, 'lib')`: replaced, and the new import
    raised ImportError (cannot import name from 'fractions')."""
    cells = [first_cell] if INSERT in first_cell else [first_cell, INSERT]
    entry = _entry("from fractions import helper", "fractions", cells)
    assert [found["code"] for found in entry["kept"]] == kept


def test_the_reason_names_the_package_importing_the_standard_module() -> None:
    entry = _entry("from timeit import helper", "timeit", ["import sys, torch.nn", INSERT])
    (found,) = entry["kept"]
    assert found["reason"] == (
        "importing mylib runs `from timeit import helper` (mylib.py, line 1): cell 1 imports"
        " torch.nn, which imports timeit first, finding the standard module, not timeit.py"
        " beside mylib; Python keeps that module, and whether timeit has helper is not checked"
    )


def test_the_measured_standard_modules_are_standard_ones_a_kernel_does_not_hold() -> None:
    """`package_modules` lists, of what a package imports, what `NBR279` does not tell of."""
    for standard in PACKAGE_STANDARD_MODULES.values():
        assert standard <= sys.stdlib_module_names
        assert not standard & KERNEL_PRELOADED


@pytest.mark.parametrize(
    ("setup", "first", "kept"),
    [
        ("import utils\n", "import nbsetup", ["NBR278"]),
        ("from utils import X\n", "from nbsetup import *", ["NBR278"]),
        ("import other\n", "import nbsetup", ["NBR278"]),  # other.py imports utils in turn
        # what may not run, or does not import it: lib's utils.py runs, and prints
        ("def load():\n    import utils\n", "import nbsetup", ["NBR242"]),
        ("import os\n", "import nbsetup", ["NBR242"]),
        ("import utils\n", "try:\n    import nbsetup\nexcept ImportError:\n    pass", ["NBR242"]),
    ],
)
def test_a_module_of_the_notebooks_folder_importing_the_module_imports_it_first(
    setup: str, first: str, kept: list[str]
) -> None:
    """Round 73a F7: `import nbsetup` above `sys.path.insert(0, 'lib')`, nbsetup.py beside
    the notebook doing `import utils`: the notebook's own utils.py was bound first, and the
    library's `from utils import helper` raised ImportError once f was replaced."""
    Path("nbsetup.py").write_text(setup, encoding="utf-8")
    Path("other.py").write_text("import utils\n", encoding="utf-8")
    entry = _entry("from utils import helper", "utils", ["import sys", first, INSERT], True)
    assert [found["code"] for found in entry["kept"]] == kept
    if kept == ["NBR278"]:
        reason = entry["kept"][0]["reason"]
        assert "cell 2 imports nbsetup, which imports utils first, finding utils.py" in reason

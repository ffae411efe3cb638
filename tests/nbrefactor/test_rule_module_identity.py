"""Rule: the module the notebook imports by the library's name is the module read
(`rules/module_identity.py`), and what a module lets `from m import NAME` find."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import TITLE, code, migrate_text, notebook_text

from nbrefactor.analysis.catalog import load_catalog
from nbrefactor.analysis.importable_names import importable_names

INLINE = "def total(v):\n    return v * 2"


@pytest.mark.parametrize(
    ("library", "imports", "kept"),
    [
        # Sweep U repro_3: the project's own src/helpers.py defines `load`.
        ("", "from helpers import load", True),
        ("", "from helpers import load as get", True),
        # Sweep Y repro_3: the other module taken in other ways (ImportError once migrated)
        ("", "import helpers\nhelpers.load()", True),
        ("", "import helpers as h\nh.load()", True),
        ("", "try:\n    from helpers import load\nexcept ImportError:\n    load = None", True),
        ("", "def get():\n    from helpers import load\n    return load()", True),
        ("", "from helpers.io import load", ("io", True)),  # helpers.py has no submodules
        ("", "import helpers.io", ("io", True)),
        ("", "import helpers\nhelpers.total([1])\nhelpers.__file__", False),
        (
            "",
            "import helpers\nprint(helpers.__version__)",
            ("__version__", True),
        ),  # sweep X repro_6
        # Sweep Z2 repro_10: a global a function of the module sets, an attribute the
        # notebook stores: the module read, used as it is (false keeps)
        (
            "def setup(seed=0):\n    global RNG_SEED\n    RNG_SEED = seed\n",
            "import helpers\nhelpers.setup(seed=3)\nprint(helpers.RNG_SEED)",
            False,
        ),
        ("", "import helpers\nhelpers.RUN_NAME = 'exp1'\nprint(helpers.RUN_NAME)", False),
        ("", "import helpers\nprint(helpers.RUN_NAME)\nhelpers.RUN_NAME = 1", ("RUN_NAME", True)),
        ("", "import helpers\nif helpers.RUN_NAME == 1:\n    pass", ("RUN_NAME", True)),
        ("def load():\n    return []\n", "from helpers import load", False),
        ("from numpy import *\n", "from helpers import load", False),  # may bind it
        # Round 55b: bound by naming it ("which helpers.py does not define" was untrue)
        ('globals()["load"] = list\n', "from helpers import load", False),
        ("exec(CODE)\n", "from helpers import load", False),  # may bind it
        ("def __getattr__(name):\n    return name\n", "from helpers import load", False),
        (
            "try:\n    from json import loads as load\nexcept ImportError:\n    pass\n",
            "from helpers import load",
            False,
        ),
    ],
)
def test_a_name_the_module_does_not_define_shows_another_module(
    tmp_path: Path, library: str, imports: str, kept: bool | tuple[str, bool]
) -> None:
    path = tmp_path / "helpers.py"
    path.write_text(f"{library}\n\n{INLINE}\n", encoding="utf-8")
    catalog = load_catalog(str(path))
    text = notebook_text(
        TITLE,
        code(f'import sys\nsys.path.append("../src")\n{imports}'),
        code(INLINE),
        code("total([1])"),
    )
    result, _sources = migrate_text(text, catalog)
    if not kept:
        assert [found.name for found in result.report.replaced] == ["total"]
        return
    assert not result.changed
    name = kept[0] if isinstance(kept, tuple) else "load"
    assert [(found.code, found.message) for found in result.report.kept] == [
        (
            "NBR243",
            (
                f"kept total (cell 3): cell 2 imports {name} from helpers, which {path} does not "
                "define: the notebook's helpers is another module"
            ),
        )
    ]


@pytest.mark.parametrize(
    ("source", "names"),
    [
        ('globals()["SCALE"] = 10\n', {"SCALE"}),
        ('import sys\nsetattr(sys.modules[__name__], "SCALE", 10)\n', {"sys", "SCALE"}),
        ('def _init():\n    globals()["SCALE"] = 10\n', {"_init", "SCALE"}),  # as `global`
        ("exec(CODE)\n", None),
        ("globals().update(DEFAULTS)\n", None),
    ],
)
def test_a_name_bound_by_naming_it_can_be_imported(source: str, names: set[str] | None) -> None:
    assert importable_names(ast.parse(source)) == names


def test_a_package_lets_its_submodules_be_imported(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "sub" / "__init__.py").write_text("")
    (package / "plots.py").write_text("")
    (package / "notes.txt").write_text("")
    tree = ast.parse(
        "from .plots import draw as _draw\nVERSION = '1'\nfor _i in range(2):\n    pass\n"
    )
    assert importable_names(tree, package) == {"_draw", "VERSION", "_i", "sub", "plots"}
    assert importable_names(tree) == {"_draw", "VERSION", "_i"}

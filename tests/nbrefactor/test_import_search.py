"""The folders a notebook's own code adds to where imports are found (`analysis.import_search`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import code, notebook_text

from nbrefactor.analysis.import_search import import_folders
from nbrefactor.nbfile.notebook import parse_notebook

HERE = Path("/home/me/project/notebooks")


def folders(*sources: str) -> tuple[Path, ...] | None:
    notebook = parse_notebook(notebook_text(*(code(source) for source in sources)))
    found = import_folders(notebook, HERE)
    return None if found is None else found.added


@pytest.mark.parametrize(
    "source",
    [
        "import sys\nsys.path.append('..')",
        "import sys\nsys.path.insert(0, '..')",
        "import sys, os\nsys.path.insert(0, os.path.abspath('..'))",
        "import sys, os\nsys.path.append(os.path.join(os.getcwd(), '..'))",
        "import sys, os\nsys.path.append(os.path.dirname(os.getcwd()))",
        "import sys\nfrom pathlib import Path\nsys.path.append(str(Path.cwd().parent))",
        "import sys\nfrom pathlib import Path\nsys.path.append(str(Path('..').resolve()))",
        "import sys, pathlib\nsys.path.insert(0, str(pathlib.Path.cwd() / '..'))",
        "import os\nos.chdir('..')",
        "%cd ..",
        "%cd '..'",
        # Round 60a F2: the folder pushed, a `%cd` in a block, IPython's automagic
        "%pushd ..",
        "import os\nif not os.path.exists('mylib.py'):\n    %cd ..",
        "try:\n    %pushd ..\nexcept Exception:\n    pass",
        "pushd ..",
        "  cd ..  ",
        # Round 61a S1: IPython's quiet option
        "%cd -q ..",
        "%cd -q '..'",
        "%pushd -q ..",
        # Round 61a S1: the magic run by name, with literal arguments
        "get_ipython().run_line_magic('cd', '..')",
        "ip = get_ipython()\nip.run_line_magic('pushd', '-q ..')",
        "import IPython\nIPython.get_ipython().run_line_magic('%cd', '..')",
        "import site\nsite.addsitedir('..')",
        "import sys\nsys.path = ['..'] + sys.path",
        "import sys\nsys.path += ['..']",
        "import sys\nsys.path.extend(['..'])",
        "import sys\nsys.path[:0] = ['..']",  # sweep 18: the import was said not found
        "import sys\nsys.path[len(sys.path):] = ['..']",
        # Round 57a F1: sys.path or sys under another name, or through an expression
        "from sys import path\npath.append('..')",
        "from sys import path as P\nP.insert(0, '..')",
        "from sys import path\npath[:0] = ['..']",
        "from sys import path\npath += ['..']",
        "from sys import *\npath.append('..')",
        "import sys as _s\n_s.path.append('..')",
        "import sys as system\nsystem.path.insert(0, '..')",
        "import os\nos.sys.path.append('..')",
        "__import__('sys').path.insert(0, '..')",
        "import sys\nsys.modules['sys'].path.insert(0, '..')",
        "import importlib\nimportlib.import_module('sys').path.insert(0, '..')",
        # The snippet every project copies.
        (
            "import os, sys\n"
            "module_path = os.path.abspath(os.path.join('..'))\n"
            "if module_path not in sys.path:\n"
            "    sys.path.append(module_path)"
        ),
    ],
)
def test_the_parent_folder_is_found_however_it_is_written(source: str) -> None:
    assert folders(source) == (HERE.parent,)


def test_relative_folders_follow_the_working_folder_across_cells() -> None:
    assert folders("%cd ..", "import sys\nsys.path.append('src')") == (
        HERE.parent,
        HERE.parent / "src",
    )


@pytest.mark.parametrize(
    "cells",
    [
        ("from sys import path", "path.append('..')"),
        ("from sys import path as P", "P.insert(0, '..')"),
        ("import sys as _s", "_s.path.append('..')"),
        ("import sys\np = sys.path", "p.insert(0, '..')"),
    ],
)
def test_a_path_changed_by_a_name_bound_in_a_cell_above_is_followed(cells: tuple[str, str]) -> None:
    """Round 57a F1: `_s.path.append` in a later cell went unseen, and the migration warned
    that the module was neither installed nor beside the notebook."""
    assert folders(*cells) == (HERE.parent,)


def test_a_name_bound_to_the_path_then_to_another_list_cannot_be_told() -> None:
    assert folders("from sys import path as P", "P = ['..']\nP.append('src')") is None


@pytest.mark.parametrize("cells", [("cd = '..'",), ("cd = '..'", "cd"), ("cd, x = 1, 2",)])
def test_a_variable_named_cd_is_python_not_the_magic(cells: tuple[str, ...]) -> None:
    """Round 61a S2: IPython's automagic leaves a name the notebook binds alone."""
    assert folders(*cells) == ()


def test_an_absolute_folder_is_kept_as_it_is() -> None:
    assert folders("import sys\nsys.path.append('/opt/lib')") == (Path("/opt/lib"),)


def test_a_notebook_that_changes_nothing_adds_nothing() -> None:
    assert folders("import numpy as np", "print(sys.path)", "if '..' in sys.path: pass") == ()


@pytest.mark.parametrize(
    "source",
    [
        "import sys\nsys.path.append(ROOT)",
        "import sys\nsys.path.append(f'{ROOT}/src')",
        "import sys\nsys.path.append('~/lib')",
        "import sys\nsys.path.extend(paths)",
        "import sys\nsys.path = paths",
        "import os\nos.chdir(os.environ['DATA'])",
        "%cd -",
        "%cd",
        "cd",  # round 61a S2: automagic `%cd`, to $HOME
        "popd -q",
        "import sys\nsys.path.append(  # a cell that does not parse\n",
        # Sweep 24: sys.path imported by name, a magic run by name, the folder pushed.
        "from sys import path\npath.append(ROOT)",
        "get_ipython().run_line_magic('cd', ARG)",
        "get_ipython().run_line_magic('alias_magic', 'cd')",
        "%pushd",
        "%popd",
    ],
)
def test_a_folder_literals_do_not_say_cannot_be_told(source: str) -> None:
    assert folders(source) is None


def test_a_module_beside_the_notebook_that_changes_the_path_cannot_be_told(
    tmp_path: Path,
) -> None:
    """Sweep 22: `import setup_paths`, whose file does `sys.path.insert(0, "lib")`."""
    (tmp_path / "setup_paths.py").write_text("import sys\nsys.path.insert(0, 'lib')\n")
    (tmp_path / "plain.py").write_text("import sys\nprint(sys.version)\n")
    for imports, expected in [
        ("import setup_paths", None),
        ("import numpy, setup_paths as paths", None),
        ("from setup_paths import ROOT", None),
        ("import plain", ()),  # beside the notebook, changing nothing
        ("import setup_pathsx", ()),  # no such file
        ("# import setup_paths", ()),
    ]:
        notebook = parse_notebook(notebook_text(code(imports)))
        found = import_folders(notebook, tmp_path)
        assert (None if found is None else found.added) == expected, imports


@pytest.mark.parametrize(
    ("source", "first"),
    [
        ("import sys\nsys.path = ['../src', '..'] + sys.path", ("../src", "..")),
        ("import sys\nsys.path = sys.path + ['../src']", ()),
        ("import sys\nsys.path = ['..'] + sys.path + ['../src']", ("..",)),
        ("import sys\nsys.path = ['../src']", ("../src",)),  # replaced whole
        ("import sys\nsys.path[0] = '../src'", ("../src",)),
        ("import sys\nsys.path[2] = '../src'", ()),
        ("import sys\nsys.path.insert(-len(sys.path), '../src')", ("../src",)),
        ("import sys\nsys.path.insert(1, '../src')", ()),
        ("import sys\nsys.path.append('../src')\nsys.path.sort()", ("../src",)),
    ],
)
def test_the_folders_searched_first_however_they_are_put_first(
    source: str, first: tuple[str, ...]
) -> None:
    """Sweep 24: each of these put `../src` first, and its module of the library's name was
    what the import bound."""
    notebook = parse_notebook(notebook_text(code(source)))
    found = import_folders(notebook, HERE)
    assert found is not None
    assert found.first == tuple(Path(os.path.normpath(HERE / folder)) for folder in first)


def test_a_front_slice_of_the_path_is_searched_first() -> None:
    notebook = parse_notebook(notebook_text(code("import sys\nsys.path[:0] = ['../src', '..']")))
    found = import_folders(notebook, HERE)
    assert found is not None
    assert found.first == (HERE.parent / "src", HERE.parent)
    assert found.added == (HERE.parent / "src", HERE.parent)

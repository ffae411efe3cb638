"""What a user of black and ruff expects of `nbrefactor migrate` from the first run on.

Exit codes and messages for nothing to do, `--diff`, files that are not
notebooks, the `--check` summary of kept definitions and the command list in
`--help`. Every test runs in its own `tmp_path` (the current folder), through
click's CliRunner, on copies of the fixtures.
"""

from __future__ import annotations

import json
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import FIXED_EPOCH, FIXTURES, REPO, code, expected_bytes, notebook_text, put

from nbrefactor.analysis import module_path
from nbrefactor.cli import main

VIZ_UTILS = str(REPO / "viz_utils")
GOOD = "unsafe_call_kept.ipynb"  # changes, and keeps one inline definition
NOOP = "noop_other_functions.ipynb"


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: object, module: str | None = VIZ_UTILS) -> Result:
    options = ["--jobs", "1"] + ([] if module is None else ["--module", module])
    result = CliRunner().invoke(
        main,
        ["migrate", *options, *map(str, args)],
        env={"SOURCE_DATE_EPOCH": str(FIXED_EPOCH)},
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


# --------------------------------------------------------------------------
# Nothing to do is exit 0; a missing path is still an error


def test_an_empty_folder_is_nothing_to_do() -> None:
    Path("empty").mkdir()
    result = run("empty")
    assert result.exit_code == 0, result.output
    assert result.stderr == "No notebooks to migrate.\n"
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["migrate", "extract"])
def test_an_empty_path_is_a_usage_error_not_the_current_folder(command: str) -> None:
    """CLI sweep 27: `migrate "$NB"` with NB unset took "" for "." and migrated every
    notebook below it; black says `Path '' does not exist` and exits 2."""
    notebook = put(GOOD)
    result = CliRunner().invoke(main, [command, *(["--list"] if command == "extract" else []), ""])
    assert result.exit_code == 2
    assert "Invalid value for 'PATHS...': Path '' does not exist." in result.stderr
    assert notebook.read_bytes() == (FIXTURES / GOOD).read_bytes()


def test_a_folder_whose_notebooks_are_all_excluded_is_nothing_to_do() -> None:
    Path(".git").mkdir()
    put(GOOD, folder="d/build")
    result = run("--check", "d")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["No notebooks to migrate."]
    assert Path("d/build", GOOD).read_bytes() == (FIXTURES / GOOD).read_bytes()


def test_an_empty_folder_beside_notebooks_adds_nothing_and_no_error() -> None:
    Path("empty").mkdir()
    notebook = put(GOOD)
    result = run("empty", notebook)
    assert result.exit_code == 0, result.output
    assert "error" not in result.stderr
    assert result.stderr.splitlines()[-1] == "1 notebook migrated, 0 notebooks unchanged."


def test_nothing_to_do_is_quiet_with_q_and_in_the_json_summary() -> None:
    Path("empty").mkdir()
    assert run("-q", "empty").stderr == ""
    result = run("--output-format", "json", "empty")
    assert result.exit_code == 0, result.output
    assert '"text": "No notebooks to migrate."' in result.stdout


def test_a_missing_path_is_still_exit_2() -> None:
    Path("empty").mkdir()
    result = run("empty", "missing")
    assert result.exit_code == 2, result.output
    assert "error: missing: no such file or directory" in result.stderr.splitlines()


# --------------------------------------------------------------------------
# --check says how many inline definitions it keeps


def test_check_counts_the_kept_definitions_on_stderr_with_the_exit_code_unchanged() -> None:
    notebook = put(GOOD)
    result = run("--check", notebook)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-2:] == [
        "1 inline definition kept; -v says why",
        "1 notebook would be migrated, 0 notebooks unchanged.",
    ]
    assert result.stdout == ""


def test_check_counts_kept_definitions_over_every_notebook_in_the_plural() -> None:
    put(GOOD, as_name="a.ipynb")
    put(GOOD, as_name="b.ipynb")
    put(NOOP)
    result = run("--check", ".")
    assert result.exit_code == 1, result.output
    assert "2 inline definitions kept; -v says why" in result.stderr.splitlines()


def test_the_kept_count_is_left_out_where_the_reasons_are_shown() -> None:
    notebook = put(GOOD)
    verbose = run("--check", "-v", notebook)
    assert "kept; -v says why" not in verbose.stderr
    assert "kept visualize_entropy_heatmap (cell 3)" in verbose.stderr
    written = run(notebook)
    assert "kept; -v says why" not in written.stderr
    assert "kept visualize_entropy_heatmap (cell 3)" in written.stderr


def test_no_kept_definition_no_count() -> None:
    notebook = put("merge_existing_import.ipynb")
    result = run("--check", notebook)
    assert result.exit_code == 1, result.output
    assert "kept" not in result.stderr


# --------------------------------------------------------------------------
# --diff, files that are not notebooks, the command list


def test_diff_is_another_name_for_dry_run() -> None:
    notebook = put(GOOD)
    diff = run("--diff", notebook)
    dry_run = run("--dry-run", notebook)
    assert diff.exit_code == dry_run.exit_code == 0
    assert diff.stdout == dry_run.stdout
    assert diff.stdout.startswith(f"--- {notebook}:cell 1\n")
    assert notebook.read_bytes() == (FIXTURES / GOOD).read_bytes()


@pytest.mark.parametrize("name", ["analysis.py", "notes.md", "notebook.ipynb.bak"])
def test_a_file_given_by_name_that_is_not_a_notebook_is_not_a_notebook(name: str) -> None:
    Path(name).write_text("# %%\nprint(1)\n", encoding="utf-8")
    notebook = put(GOOD)
    result = run(name, notebook)
    assert result.exit_code == 2, result.output
    assert f"error: {name}: not a notebook (only .ipynb files are read)" in result.stderr
    assert "JSON" not in result.stderr
    assert notebook.read_bytes() == expected_bytes(GOOD)


def test_the_command_list_shows_the_whole_description() -> None:
    result = CliRunner().invoke(main, ["--help"], terminal_width=80)
    assert result.exit_code == 0
    listed = " ".join(result.output.split("Commands:")[1].split())
    description = main.commands["migrate"].help.split("\n")[0]
    assert description.endswith(".")
    assert f"migrate {description}" in listed
    assert "..." not in listed


# --------------------------------------------------------------------------
# Your own module: the import a path writes, --import-name, the warning


PLOTS = 'def plot_loss(values, title="Loss"):\n    print(title, values)\n'


def _helpers_package(folder: str = "helpers") -> None:
    Path(folder).mkdir()
    Path(folder, "__init__.py").write_text("", encoding="utf-8")
    Path(folder, "plots.py").write_text(PLOTS, encoding="utf-8")


def _kept_for(result: Result, line: str | None | bool) -> None:
    """`--check -v`'s verdict: exit 1 (the notebook would be migrated) without a `line`;
    with one, exit 0 and `line` among the report's lines."""
    if not line:
        assert result.exit_code == 1, result.output
        return
    assert result.exit_code == 0, result.output
    assert line in result.stderr.splitlines()


def _notebook_with_plot_loss(path: str) -> Path:
    notebook = Path(path)
    notebook.parent.mkdir(parents=True, exist_ok=True)
    notebook.write_text(
        notebook_text(
            code("import numpy as np"),
            code(PLOTS),
            code("plot_loss([1, 2])"),
        ),
        encoding="utf-8",
    )
    return notebook


def _import_lines(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    source = "".join("".join(cell["source"]) + "\n" for cell in cells)
    return [line for line in source.splitlines() if line.startswith(("from ", "import "))]


def _warnings(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("warning: ")]


def test_a_path_module_is_imported_by_its_dotted_name_and_one_warning_says_it_is_not_found() -> (
    None
):
    _helpers_package()
    first = _notebook_with_plot_loss("notebooks/a.ipynb")
    second = _notebook_with_plot_loss("notebooks/b.ipynb")
    result = run(first, second, module="helpers/plots.py")
    assert result.exit_code == 0, result.output
    for notebook in (first, second):
        assert _import_lines(notebook) == [
            "import numpy as np",
            "from helpers.plots import plot_loss",
        ]
    assert _warnings(result) == [
        (
            "warning: 2 migrated notebooks import helpers.plots, but helpers is neither installed nor"
            " beside the notebooks in notebooks: install it where the notebooks run (pip install -e"
            " . in the kernel's environment) or set --import-name"
        )
    ]
    assert result.stderr.splitlines()[-1] == "2 notebooks migrated, 0 notebooks unchanged."


def test_the_warning_counts_the_other_folders_it_does_not_name() -> None:
    _helpers_package()
    notebooks = [_notebook_with_plot_loss(f"{folder}/a.ipynb") for folder in ("n1", "n2", "n3")]
    result = run("--check", *notebooks, module="helpers/plots.py")
    assert result.exit_code == 1, result.output
    assert _warnings(result) == [
        (
            "warning: 3 migrated notebooks import helpers.plots, but helpers is neither installed nor"
            " beside the notebooks in n1 and 2 other folders: install it where the notebooks run"
            " (pip install -e . in the kernel's environment) or set --import-name"
        )
    ]


def test_no_warning_when_the_package_is_beside_the_notebook() -> None:
    _helpers_package()
    notebook = _notebook_with_plot_loss("a.ipynb")
    result = run("--check", notebook, module="./helpers/plots.py")
    assert result.exit_code == 1, result.output
    assert _warnings(result) == []
    assert (
        "import: added 'from helpers.plots import plot_loss' to cell 1"
        in run("-v", "--check", notebook, module="helpers/plots.py").stderr
    )


@pytest.mark.parametrize(
    ("path_code", "warned"),
    [
        ("sys.path.append('..')", False),
        ("sys.path.insert(0, os.path.abspath(os.path.join('..')))", False),
        ("sys.path.append(ROOT)", False),  # a folder the notebook's code does not show: no word
        ("sys.path.append('../src')", True),  # helpers is not in ../src
    ],
)
def test_no_warning_when_the_notebook_adds_the_package_folder_to_its_path(
    path_code: str, warned: bool
) -> None:
    _helpers_package()
    notebook = Path("notebooks/a.ipynb")
    notebook.parent.mkdir()
    notebook.write_text(
        notebook_text(
            code(f"import os, sys\n{path_code}\nimport numpy as np"),
            code(PLOTS),
            code("plot_loss([1, 2])"),
        ),
        encoding="utf-8",
    )
    result = run("--check", notebook, module="helpers/plots.py")
    assert result.exit_code == 1, result.output
    assert bool(_warnings(result)) is warned
    assert "warning: a migrated notebook imports helpers.plots" in result.stderr or not warned


@pytest.mark.parametrize(
    ("first_cell", "kept"),
    [
        ("%cd ..\nimport numpy as np", "`%cd ..`"),
        ("import os\nos.chdir('..')\nimport numpy as np", "`os.chdir('..')`"),
        # Sweep Y repro_1: the guard that goes to the project root once
        (
            "import os\nif os.getcwd().endswith('notebooks'):\n    %cd ..\nimport numpy as np",
            "`%cd ..`",
        ),
        # Sweep Y repro_2: other spellings IPython runs
        ("%pushd ..\nimport numpy as np", "`%pushd ..`"),
        ("cd ..", "`cd ..`"),  # automagic, alone in its cell: the import goes to cell 2
        (
            "get_ipython().run_line_magic('cd', '..')\nimport numpy as np",
            "`get_ipython().run_line_magic('cd', '..')`",
        ),
        ("import numpy as np", None),  # and `%cd ..` after the use, below
        ("# os.chdir('..')", None),  # a comment runs nothing (the import goes to cell 2)
        # Sweep Y repro_12: a comment after code, a file the cell writes, a shell's folder
        ("DATA = 'raw'  # not os.chdir('..') here", None),
        ("%%writefile run.py\nimport os\nos.chdir('..')", None),
        ("%%bash\ncd ..", None),
        # Sweep Z2 repro_4, sweep Y repro_2: a script beside it that moves to the root
        ("%run setup_env.py", "`%run setup_env.py`"),
        ("%run -i setup_env.py", "`%run -i setup_env.py`"),
        ("run setup_env.py", "`run setup_env.py`"),  # automagic, alone in its cell
        ("%run 'setup_env.py'", "`%run 'setup_env.py'`"),
        ("import setup_env", "`import setup_env`"),
        ("from setup_env import ROOT", "`from setup_env import ROOT`"),
        ("%run plain.py", None),  # its script stays where it is
        ("%run missing.py", None),  # no such script: nothing to read
        ("%run -m setup_env", None),  # a module, found where Python finds it
        ("# %run setup_env.py", None),
        ("import plain", None),
    ],
)
def test_a_module_found_only_beside_the_notebook_is_imported_before_a_change_of_folder(
    first_cell: str, kept: str | None
) -> None:
    """Sweep U repro_2: `%cd ..`, common in a project's notebooks/ folder, then the import of
    helpers, which lies beside the notebook: a kernel finds it through `''`, its working
    folder, which is no longer the notebook's (ModuleNotFoundError in cell 1)."""
    notebook = Path("notebooks/a.ipynb")
    notebook.parent.mkdir()
    Path("notebooks/helpers.py").write_text(PLOTS, encoding="utf-8")
    setup = 'import os\n\nROOT = ".."\nos.chdir(ROOT)\n'
    Path("notebooks/setup_env.py").write_text(setup, encoding="utf-8")
    Path("notebooks/plain.py").write_text("SEED = 3\n", encoding="utf-8")
    notebook.write_text(
        notebook_text(code(first_cell), code(PLOTS), code("plot_loss([1, 2])"), code("%cd ..")),
        encoding="utf-8",
    )
    result = run("-v", "--check", notebook, module="notebooks/helpers.py")
    # The import joins the cell's imports; below a line that may bind any name (`%run`, a
    # magic without its `%`), in the next cell.
    place = 2 if first_cell == "cd .." or "run " in first_cell else 1
    _kept_for(
        result,
        kept
        and (
            f"  kept plot_loss (cell 2): cell 1 changes the working folder ({kept}) before the "
            f"import's place (cell {place}), and helpers is found only in the notebook's folder"
        ),
    )


@pytest.mark.parametrize(
    ("cells", "kept"),
    [
        # Re-check 42: a later cell puts the module's folder on the path, or changes to it
        (["import os, sys", PLOTS, "sys.path.append('../src')", "plot_loss([1, 2])"], (3, 1)),
        (["import os, sys", PLOTS, "%cd ../src", "plot_loss([1, 2])"], (3, 1)),
        # Round 60a F2: the folder pushed below the definition, or in a block
        (["import os, sys", f"{PLOTS}\n%pushd ../src", "plot_loss([1])"], (2, 1)),
        (["import os, sys", PLOTS, "if True:\n    %cd ../src", "plot_loss([1])"], (3, 1)),
        (["import os, sys", f"{PLOTS}\nsys.path.insert(0, '../src')", "plot_loss([1])"], (2, 1)),
        (["import os, sys\nsys.path.append('../src')", PLOTS, "plot_loss([1, 2])"], None),
        (["import os, sys", "sys.path.append('../src')", PLOTS, "plot_loss([1])"], None),
        # Round 57a F1: sys.path or sys bound to another name in the import cell
        (["from sys import path", PLOTS, "path.append('../src')", "plot_loss([1])"], (3, 1)),
        (
            ["from sys import path as P", f"{PLOTS}\nP.insert(0, '../src')", "plot_loss([1])"],
            (2, 1),
        ),
        (["import sys as _s", PLOTS, "_s.path.append('../src')", "plot_loss([1])"], (3, 1)),
        (["import sys as _s", f"{PLOTS}\n_s.path.insert(0, '../src')", "plot_loss([1])"], (2, 1)),
        (["from sys import path", "path.append('../src')", PLOTS, "plot_loss([1])"], None),
    ],
)
def test_a_module_found_only_through_the_notebooks_path_change_is_imported_after_it(
    cells: list[str], kept: tuple[int, int] | None
) -> None:
    """Re-check 42: helpers lies in ../src, which the notebook puts on the path only in a
    cell below the definition: the import above it found no module (ModuleNotFoundError)."""
    Path("src").mkdir()
    Path("src/helpers.py").write_text(PLOTS, encoding="utf-8")
    notebook = Path("nbs/a.ipynb")
    notebook.parent.mkdir()
    notebook.write_text(notebook_text(*(code(cell) for cell in cells)), encoding="utf-8")
    result = run("-v", "--check", notebook, module="src/helpers.py")
    definition = next(number for number, cell in enumerate(cells, 1) if "def " in cell)
    _kept_for(
        result,
        kept
        and (
            f"  kept plot_loss (cell {definition}): helpers is found only once cell {kept[0]} "
            f"adds its folder to where imports look, after the import's place (cell {kept[1]})"
        ),
    )


@pytest.mark.parametrize(
    ("cells", "kept"),
    [
        # Round 60a F1: the folder put on the path, then taken out again above the import
        (
            ["import os\nHERE = os.getcwd()", "os.chdir('../src')\nos.chdir(HERE)", PLOTS],
            (2, "os.chdir(HERE)", 3),
        ),
        (["import os", "%cd ../src", "%cd -", PLOTS], (3, "%cd -", 4)),
        (["import os", "%cd ../src", "%cd -0", PLOTS], (3, "%cd -0", 4)),
        (["import os", "%pushd ../src", "%popd", PLOTS], (3, "%popd", 4)),
        (["import os", "%pushd ../src", "popd", PLOTS], (3, "%popd", 4)),
        # Round 61a S1: IPython's quiet option
        (["import os", "%cd -q ../src", "%cd -q -", PLOTS], (3, "%cd -q -", 4)),
        (["import os", "%pushd -q ../src", "%popd -q", PLOTS], (3, "%popd -q", 4)),
        (["import os", "%pushd -q ../src", "%popd", PLOTS], (3, "%popd", 4)),
        # Round 61a S1: the magic run by name, on any shell object
        (
            ["import os", "%cd ../src", "get_ipython().run_line_magic('cd', '-')", PLOTS],
            (3, None, 4),
        ),
        (
            [
                "ip = get_ipython()",
                "ip.run_line_magic('cd', '../src')",
                "ip.run_line_magic('cd', '-')",
                PLOTS,
            ],
            (3, None, 4),
        ),
        (
            [
                "import os",
                "%cd ../src",
                "import IPython\nIPython.get_ipython().run_line_magic('cd', '-')",
                PLOTS,
            ],
            (3, "IPython.get_ipython().run_line_magic('cd', '-')", 4),
        ),
        (
            [
                "import os",
                "%pushd ../src",
                "sh = get_ipython()\nsh.run_line_magic('popd', '')",
                PLOTS,
            ],
            (3, "sh.run_line_magic('popd', '')", 4),
        ),
        (["%cd ../src\nimport os\n%cd ../nbs", PLOTS], (1, "%cd ../nbs", 1)),
        (["import os", "os.chdir('../src')", "os.chdir(os.environ['HOME'])", PLOTS], (3, None, 4)),
        (
            ["import sys", "sys.path.insert(0, '../src')", "sys.path.remove('../src')", PLOTS],
            (3, "sys.path.remove('../src')", 4),
        ),
        (["import sys", "sys.path.insert(0, '../src')", "sys.path.pop(0)", PLOTS], (3, None, 4)),
        (["import sys", "sys.path.insert(0, '../src')", "del sys.path[0]", PLOTS], (3, None, 4)),
        (
            [
                "import sys\nsaved = list(sys.path)",
                "sys.path.append('../src')",
                "sys.path = saved",
                PLOTS,
            ],
            (3, "sys.path = saved", 4),
        ),
        # Round 61a S1: a change literals do not say, after the folder was added: the safe side
        (
            ["import sys, os", "sys.path.insert(0, '../src')", "os.chdir(os.environ['D'])", PLOTS],
            (3, None, 4),
        ),
        (["import sys", "sys.path.insert(0, '../src')", "%cd", PLOTS], (3, None, 4)),
        (["import sys", "sys.path.insert(0, '../src')", "%popd", PLOTS], (3, None, 4)),
        (["import sys", "sys.path.insert(0, '../src')", "sys.path[0] = ROOT", PLOTS], (3, None, 4)),
        # Round 61a S2: `cd` alone (automagic `%cd`, to $HOME), not when `cd` is a variable
        (["import os", "%cd ../src", "cd", PLOTS], (3, "%cd", 4)),
        (["import os", "%cd ../src", "  cd  ", PLOTS], (3, "%cd", 4)),
        (["import os", "%pushd ../src", "popd -q", PLOTS], (3, "%popd -q", 4)),
        (["import sys", "sys.path.insert(0, '../src')", "cd", PLOTS], (3, "%cd", 4)),
        (["cd = 'x'\nimport sys", "sys.path.insert(0, '../src')", "cd", PLOTS], None),
        # Not taken out: another folder, or below the import's place
        (["import sys", "sys.path.insert(0, '../src')", "sys.path.append(ROOT)", PLOTS], None),
        (["import sys", "sys.path.insert(0, '../src')", "sys.path.remove('/opt')", PLOTS], None),
        (["import os, sys\nsys.path.append('../src')", PLOTS, "sys.path.remove('../src')"], None),
        (["import os\nos.chdir('../src')", PLOTS, "os.chdir('..')"], None),
    ],
)
def test_a_module_found_only_through_a_folder_the_notebook_takes_out_again_is_kept(
    cells: list[str], kept: tuple[int, str | None, int] | None
) -> None:
    """Round 60a F1: `os.chdir('..')` to read data, then `os.chdir(HERE)` back, above the
    definition: the import placed below found no module (ModuleNotFoundError)."""
    Path("src").mkdir()
    Path("src/helpers.py").write_text(PLOTS, encoding="utf-8")
    notebook = Path("nbs/a.ipynb")
    notebook.parent.mkdir()
    cells = [*cells, "plot_loss([1])"]
    notebook.write_text(notebook_text(*(code(cell) for cell in cells)), encoding="utf-8")
    result = run("-v", "--check", notebook, module="src/helpers.py")
    if kept is None:
        _kept_for(result, None)
        return
    cell, line, import_cell = kept
    definition = next(number for number, text in enumerate(cells, 1) if "def " in text)
    line = line or next(text for text in cells[cell - 1].splitlines() if text.strip())
    _kept_for(
        result,
        f"  kept plot_loss (cell {definition}): helpers is found only in a folder the "
        f"notebook's code adds, and cell {cell} may take it out again (`{line}`) before the "
        f"import's place (cell {import_cell})",
    )


@pytest.mark.parametrize(
    ("first", "kept"),
    [
        ("import helpers as old", 1),
        ("if True:\n    from helpers import plot_loss as old_plot", 1),
        ("try:\n    import helpers\nexcept ImportError:\n    pass", 1),
        # Round 61a S4: what imports it besides an import statement
        ("%time import helpers as old", 1),
        ("import importlib\nold = importlib.import_module('helpers')", 1),
        ("from importlib import import_module\nold = import_module('helpers.sub')", 1),
        ("old = __import__('helpers')", 1),
        ("exec('import helpers as old')", 1),
        ("exec('from helpers import plot_loss')", 1),
        ("name = 'helpers'\nold = __import__(name)", None),  # a name literals do not say
        ("print('helpers')", None),
        ("import os", None),  # nothing of the name imported before the path changes
    ],
)
def test_a_module_of_the_name_imported_from_another_file_above_the_import_is_kept(
    first: str, kept: int | None
) -> None:
    """Round 60a F3: `import mylib as old` found the stale nbs/mylib.py; the notebook then
    put ../src first, and the new `from mylib import f` bound the module Python kept."""
    Path("src").mkdir()
    Path("src/helpers.py").write_text(PLOTS, encoding="utf-8")
    Path("nbs").mkdir()
    Path("nbs/helpers.py").write_text(
        PLOTS.replace("print(title, values)", "return -1"), encoding="utf-8"
    )
    notebook = Path("nbs/a.ipynb")
    cells = [first, "import sys\nsys.path.insert(0, '../src')", PLOTS, "plot_loss([1])"]
    notebook.write_text(notebook_text(*(code(cell) for cell in cells)), encoding="utf-8")
    result = run("-v", "--check", notebook, module="src/helpers.py")
    _kept_for(
        result,
        kept
        and (
            f"  kept plot_loss (cell 3): cell {kept} imports helpers, finding the helpers.py "
            "beside the notebook, not the helpers read (src/helpers.py): Python keeps that "
            "module, and the new import would bind it"
        ),
    )


@pytest.mark.parametrize(
    ("cells", "kept"),
    [
        (["%cd ..", PLOTS], None),  # the import finds the module read, in the parent
        (["import os\nos.chdir('..')", PLOTS], None),
        (["%cd ..", "%cd -", PLOTS], "and cell 2 may take it out again (`%cd -`)"),
        (["import os", PLOTS], "its import would bind the helpers.py beside the notebook"),
    ],
)
def test_an_old_copy_beside_the_notebook_is_not_where_the_module_read_is_found(
    cells: list[str], kept: str | None
) -> None:
    """Round 60a F9: nbs/helpers.py is an old copy, and the module read is ../helpers.py,
    which `%cd ..` makes the import find; `NBR244` said the module was found only in the
    notebook's folder, and kept what the hand migration showed safe."""
    Path("helpers.py").write_text(PLOTS, encoding="utf-8")
    Path("nbs").mkdir()
    Path("nbs/helpers.py").write_text(PLOTS.replace("print(title, values)", "return -1"), "utf-8")
    notebook = Path("nbs/a.ipynb")
    cells = [*cells, "plot_loss([1])"]
    notebook.write_text(notebook_text(*(code(cell) for cell in cells)), encoding="utf-8")
    result = run("-v", "--check", notebook, module="helpers.py")
    if kept is None:
        _kept_for(result, None)
    else:
        assert result.exit_code == 0, result.output
        assert kept in result.stderr


# The names a compiled build of helpers.py may have (`cythonize -i`, a stable-ABI build, a
# plain `.so`): Python's FileFinder tries each before `helpers.py`.
EXTENSIONS = [f"helpers{suffix}" for suffix in EXTENSION_SUFFIXES]


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_a_module_beside_an_extension_module_of_its_name_is_refused(extension: str) -> None:
    """Round 63 F1: helpers.cpython-311-x86_64-linux-gnu.so beside helpers.py (a stale
    `cythonize -i` build) is what `import helpers` binds; the notebook's copy was replaced
    and printed 6, not 4. Only the name is looked at: the file is never loaded."""
    Path(extension).write_bytes(b"not an ELF file")
    _refused_beside(
        f"{extension} beside it is an extension module, which `import helpers` finds instead"
        " of helpers.py"
    )


def _refused_beside(told: str) -> None:
    """`migrate --module helpers.py` of a notebook pasting its `plot_loss`, beside another
    module of the name (made by the caller): refused, exit 2, with `told`, nothing written."""
    Path("helpers.py").write_text(PLOTS, encoding="utf-8")
    notebook = Path("a.ipynb")
    notebook.write_text(notebook_text(code(PLOTS), code("plot_loss([1])")), encoding="utf-8")
    before = notebook.read_bytes()
    result = run(notebook, module="helpers.py")
    assert result.exit_code == 2, result.output
    assert told in " ".join(result.stderr.split())
    assert notebook.read_bytes() == before


# A package's `__init__` Python imports without an `__init__.py` (round 64 F5): a cythonized
# package whose sources were removed, or only its bytecode left.
COMPILED_INITS = [f"__init__{EXTENSION_SUFFIXES[0]}", "__init__.abi3.so", "__init__.pyc"]


@pytest.mark.parametrize("init", COMPILED_INITS)
def test_a_module_beside_a_package_of_its_name_with_a_compiled_init_is_refused(init: str) -> None:
    """Round 64 F5: helpers/__init__.cpython-311-x86_64-linux-gnu.so beside helpers.py is the
    package `import helpers` binds; only `__init__.py` was looked for, and the copy was
    replaced by an import of it."""
    Path("helpers").mkdir()
    Path("helpers", init).write_bytes(b"not an ELF file")
    _refused_beside(
        "helpers/ beside it is a package, which `import helpers` finds instead of helpers.py"
    )


def test_a_package_with_a_compiled_init_beside_the_notebook_is_where_the_import_is_found() -> None:
    """Round 64 F5: nbs/helpers/ with a compiled `__init__` is what the kernel imports, and
    the report names the package folder."""
    Path("nbs/helpers").mkdir(parents=True)
    Path("nbs/helpers", COMPILED_INITS[0]).write_bytes(b"not an ELF file")
    _kept_for_found_beside_the_notebook("helpers/")


def _kept_for_found_beside_the_notebook(found: str) -> None:
    """`migrate --check` of nbs/a.ipynb pasting `plot_loss`, with `--module helpers.py` and
    another module of the name beside the notebook (`found`, made by the caller): kept."""
    Path("helpers.py").write_text(PLOTS, encoding="utf-8")
    notebook = Path("nbs/a.ipynb")
    notebook.write_text(notebook_text(code(PLOTS), code("plot_loss([1])")), encoding="utf-8")
    result = run("-v", "--check", notebook, module="helpers.py")
    _kept_for(
        result,
        f"  kept plot_loss (cell 1): its import would bind the {found} beside the"
        " notebook, not the helpers read (helpers.py)",
    )


@pytest.mark.parametrize(("files", "found"), [(["helpers.pyc"], "helpers.pyc"), ([], None)])
def test_a_sourceless_pyc_beside_the_notebook_is_where_the_import_is_found(
    files: list[str], found: str | None
) -> None:
    """Round 70a N3: a stale nbs/helpers.pyc (`compileall -b`, its source moved away) is what
    the kernel imports when nbs/ holds no helpers.py: FileFinder tries `.pyc` after `.py`.
    The migrated notebook printed 6, not 4. Only the name is looked at."""
    Path("nbs").mkdir()
    for name in files:
        Path("nbs", name).write_bytes(b"not bytecode")
    if found is not None:
        _kept_for_found_beside_the_notebook(found)
        return
    Path("helpers.py").write_text(PLOTS, encoding="utf-8")
    notebook = Path("nbs/a.ipynb")
    notebook.write_text(notebook_text(code(PLOTS), code("plot_loss([1])")), encoding="utf-8")
    _kept_for(run("-v", "--check", notebook, module="helpers.py"), None)


def test_an_extension_module_beside_the_notebook_is_where_the_import_is_found() -> None:
    """Round 63 F1: a build of the library's name beside the notebook (nbs/helpers...so) is
    what its kernel imports, not ../helpers.py."""
    Path("nbs").mkdir()
    Path("nbs", EXTENSIONS[0]).write_bytes(b"not an ELF file")
    _kept_for_found_beside_the_notebook(EXTENSIONS[0])


@pytest.mark.parametrize(
    "setup",
    [
        "from nbsetup import setup_notebook as setup\nsetup()",
        "import nbsetup\nnbsetup.setup_notebook()",
    ],
)
def test_the_import_goes_after_a_call_of_a_module_beside_the_notebook_changing_the_path(
    setup: str,
) -> None:
    """Re-check 42: nbsetup.py, beside the notebook, puts ../src on the path when its
    function is called; the import went between the notebook's import of it and the call."""
    Path("src").mkdir()
    Path("src/helpers.py").write_text(PLOTS, encoding="utf-8")
    Path("nbs").mkdir()
    changer = "import sys\n\n\ndef setup_notebook():\n    sys.path.insert(0, '../src')\n"
    Path("nbs/nbsetup.py").write_text(changer, encoding="utf-8")
    notebook = Path("nbs/a.ipynb")
    first = f"import os, json\n{setup}"
    notebook.write_text(
        notebook_text(code(first), code(PLOTS), code("plot_loss([1, 2])")), encoding="utf-8"
    )
    result = run(notebook, module="src/helpers.py")
    assert result.exit_code == 0, result.output
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    assert "".join(cells[0]["source"]) == f"{first}\nfrom helpers import plot_loss"


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("%run -i report.py", True),  # sweep Z2 repro_7: TypeError once migrated
        ('exec(open("report.py").read())', True),
        ('exec(compile(open("report.py").read(), "report.py", "exec"))', True),  # round 73b
        # round 75b F1, F7: other spellings; a namespace of its own binds nothing of ours
        ('with open("report.py") as fh:\n    exec(fh.read())', True),
        ('exec(pathlib.Path("report.py").read_text())', True),
        ('exec(open("report.py").read(), {})', False),
        ('exec(open("report.py").read(), globals())', True),
        # round 76b F9: a copy of the notebook's names; builtins.exec
        ('exec(open("report.py").read(), {**globals()})', True),
        ('exec(open("report.py").read(), dict(x=1))', False),
        ('builtins.exec(open("report.py").read())', True),
        ('client.exec(open("report.py").read())', False),  # round 77a F7: a method
        ("run -i report.py", True),  # automagic, alone in its cell
        ("%run report.py", False),  # its own namespace: its plot_loss is its own
        ("%run -i other.py", False),  # names no plot_loss
        ("%run -i missing.py", False),
        ("# %run -i report.py", False),
    ],
)
def test_a_script_run_in_the_notebooks_namespace_is_a_use(line: str, kept: bool) -> None:
    """The script calls `plot_loss(..., show=True)`, which the inline signature accepts and
    the library's does not: run with the notebook's names, it calls the notebook's."""
    Path("helpers.py").write_text(PLOTS, encoding="utf-8")
    Path("report.py").write_text("plot_loss([1, 2], show=True)\n", encoding="utf-8")
    Path("other.py").write_text("print('report')\n", encoding="utf-8")
    inline = 'def plot_loss(values, title="Loss", show=False):\n    print(title, values)\n'
    notebook = Path("a.ipynb")
    notebook.write_text(
        notebook_text(code(inline), code("plot_loss([1, 2])"), code(line)), encoding="utf-8"
    )
    result = run("-v", "--check", notebook, module="helpers.py")
    _kept_for(
        result,
        kept
        and (
            f"  kept plot_loss (cell 1): cell 3 runs report.py in the notebook's namespace "
            f"(`{line.splitlines()[-1].strip()}`), which names plot_loss, a use that cannot be checked, and the inline "
            "signature accepts calls that helpers.plot_loss does not bind the same way"
        ),
    )


@pytest.mark.parametrize(
    ("runner", "kept"),
    [
        (["%run a.ipynb", "plot_loss([1, 2], show=True)"], True),  # round 59b: TypeError
        (["run ./a.ipynb", "plot_loss([1, 2], show=True)"], True),  # automagic, alone
        (["%run -i a.ipynb\nplot_loss([1], show=True)"], True),
        (["%run a.ipynb", "print('ran')"], False),  # names no plot_loss
        (["%run b.ipynb", "plot_loss([1, 2], show=True)"], False),  # another notebook
        (["# %run a.ipynb", "plot_loss([1, 2], show=True)"], False),
        # Round 61a: the name as a keyword, in a comment, or only bound: not read
        (["%run a.ipynb", "opts = dict(plot_loss=False)  # plot_loss is defined in a"], False),
        (["%run a.ipynb", "for plot_loss in []:\n    pass"], False),
        (["%run a.ipynb", "run = eval('plot_loss')"], True),  # a string may run it
    ],
)
def test_another_notebook_running_this_one_is_a_use(runner: list[str], kept: bool) -> None:
    """The notebook beside it runs it and calls `plot_loss(..., show=True)`, which the
    inline signature accepts and the library's does not: the runner calls this notebook's
    function, with arguments no cell of this notebook shows."""
    Path("helpers.py").write_text(PLOTS, encoding="utf-8")
    inline = 'def plot_loss(values, title="Loss", show=False):\n    print(title, values)\n'
    notebook = Path("a.ipynb")
    notebook.write_text(notebook_text(code(inline), code("plot_loss([1, 2])")), encoding="utf-8")
    Path("c.ipynb").write_text(notebook_text(*map(code, runner)), encoding="utf-8")
    result = run("-v", "--check", notebook, module="helpers.py")
    line = runner[0].splitlines()[0]
    _kept_for(
        result,
        kept
        and (
            f"  kept plot_loss (cell 1): c.ipynb runs this notebook (`{line}`, cell 1) and "
            "names plot_loss, a use that cannot be checked, and the inline signature accepts "
            "calls that helpers.plot_loss does not bind the same way"
        ),
    )


_ADD = "def add(x, acc=[]):\n    acc.append(x)\n    return len(acc)\n"
_SEEN = "def add(x, _seen=set()):\n    _seen.add(x)\n    return len(_seen)\n"
_SQ = "import functools\n\n@functools.lru_cache(maxsize=None)\ndef add(x):\n    return x * x\n"


_EACH = "each run makes its own {state}, where one import would share helpers.add's"


@pytest.mark.parametrize(
    ("inline", "runner", "kept"),
    [
        # round 62b F1: 1 became 3 (b.ipynb defines add too)
        (
            _ADD,
            ["%run a.ipynb", "%run b.ipynb"],
            "(`%run a.ipynb`, cell 1) and b.ipynb, "
            "which may define add: " + _EACH.format(state="acc=[]"),
        ),
        (
            _ADD,
            ["%run a.ipynb", "%run a.ipynb"],
            "2 times (`%run a.ipynb`, cell 1): " + _EACH.format(state="acc=[]"),
        ),
        (
            _ADD,
            ["for _ in range(2):\n    %run -i a.ipynb"],
            "in a loop or function (`%run -i a.ipynb`, cell 1): " + _EACH.format(state="acc=[]"),
        ),
        (
            _SEEN,
            ["%%timeit\n%run a.ipynb"],
            "in a loop or function (`%run a.ipynb`, cell 1): " + _EACH.format(state="_seen=set()"),
        ),
        (
            _SQ,
            ["%run a.ipynb", "%run b.ipynb"],
            "(`%run a.ipynb`, cell 1) and b.ipynb, which "
            "may define add: " + _EACH.format(state="cache (@functools.lru_cache(maxsize=None))"),
        ),
        (
            _ADD,
            ["from helpers import add", "%run a.ipynb"],
            (
                "(`%run a.ipynb`, cell 2) and binds add or imports helpers itself: this "
                "notebook's def makes its own acc=[], where one import would share "
                "helpers.add's with c.ipynb's"
            ),
        ),
        # Round 62c K1: the "setup notebook", run once, its helpers bound no other way
        (_ADD, ["%run -i a.ipynb", "print(add(2))"], False),
        (_SEEN, ["run a.ipynb"], False),  # automagic, alone in its cell
        (_SQ, ["%run a.ipynb", "%run e.ipynb", "print(add(2))"], False),
        (_ADD, ["%run b.ipynb"], False),  # runs another notebook only
        (_ADD, ["# %run a.ipynb", "%run a.ipynb"], False),
        ("def add(x):\n    return x + 1\n", ["%run a.ipynb", "%run a.ipynb"], False),
    ],
    ids=["two", "twice", "loop", "timeit", "lru_cache", "imports", "setup-i", "setup-magic"]
    + ["setup-other", "other", "comment", "no-state"],
)
def test_a_definition_keeping_state_in_a_notebook_another_runs_is_kept(
    inline: str, runner: list[str], kept: str | bool
) -> None:
    """Round 62b F1: `c.ipynb` ran `a.ipynb` and `b.ipynb`, each defining `add(x, acc=[])`:
    each `%run` ran a `def`, making a new `acc`; once migrated, both imported the module's one
    `add`, whose `acc` carried over (`c.ipynb` printed 3, not 1; `cache_info()` counted a
    hit). The `NBR238`/`NBR259` case across `%run`: the definition is kept. Round 62c K1: a
    runner running it once, and binding `add` no other way, has one `acc` either way: the
    usual `%run setup.ipynb` is migrated."""
    Path("helpers.py").write_text(f'__all__ = ["add"]\n\n\n{inline}', encoding="utf-8")
    notebook = Path("a.ipynb")
    notebook.write_text(notebook_text(code(inline), code("print(add(1))")), encoding="utf-8")
    Path("b.ipynb").write_text(notebook_text(code(inline)), encoding="utf-8")
    Path("e.ipynb").write_text(notebook_text(code("x = 1")), encoding="utf-8")
    Path("c.ipynb").write_text(notebook_text(*map(code, runner)), encoding="utf-8")
    result = run("-v", "--check", notebook, module="helpers.py")
    _kept_for(result, bool(kept) and f"  kept add (cell 1): c.ipynb runs this notebook {kept}")


def test_a_mutable_default_of_other_text_in_a_notebook_run_twice_is_kept() -> None:
    """Round 62c F5: the copy's `acc=list()` against the library's `acc=[]` was replaced (a
    default of other text is drift for `NBR238`), and the runner's second run then printed 2,
    not 1: any mutable default is made anew at each run."""
    library = "def add(x, acc=[]):\n    acc.append(x)\n    return len(acc)\n"
    Path("helpers.py").write_text(f'__all__ = ["add"]\n\n\n{library}', encoding="utf-8")
    inline = library.replace("acc=[]", "acc=list()")
    notebook = Path("a.ipynb")
    notebook.write_text(notebook_text(code(inline), code("print(add(1))")), encoding="utf-8")
    Path("c.ipynb").write_text(
        notebook_text(code("%run a.ipynb"), code("%run a.ipynb")), encoding="utf-8"
    )
    _kept_for(
        run("-v", "--check", notebook, module="helpers.py"),
        "  kept add (cell 1): c.ipynb runs this notebook 2 times (`%run a.ipynb`, cell 1): "
        + _EACH.format(state="acc=list()"),
    )


def test_the_folder_is_read_for_runners_only_for_a_definition_keeping_state(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Most copies keep no state: their notebook's folder is not read for the notebooks
    running it (a folder of many notebooks would cost each run)."""
    from nbrefactor.rules import notebook_runners

    def no_reading(folder: Path) -> None:
        raise AssertionError(f"read {folder}")

    monkeypatch.setattr(notebook_runners, "_runners", no_reading)
    inline = "def add(x):\n    return x + 1\n"
    Path("helpers.py").write_text(f'__all__ = ["add"]\n\n\n{inline}', encoding="utf-8")
    notebook = Path("a.ipynb")
    notebook.write_text(notebook_text(code(inline), code("print(add(1))")), encoding="utf-8")
    Path("c.ipynb").write_text(notebook_text(code("%run a.ipynb")), encoding="utf-8")
    _kept_for(run("-v", "--check", notebook, module="helpers.py"), False)


def test_another_notebook_running_this_one_is_read_again_once_changed() -> None:
    """The folder's notebooks are read once a process while they stay as they were: a
    runner added between two runs is seen by the second."""
    Path("helpers.py").write_text(PLOTS, encoding="utf-8")
    inline = 'def plot_loss(values, title="Loss", show=False):\n    print(title, values)\n'
    notebook = Path("a.ipynb")
    notebook.write_text(notebook_text(code(inline), code("plot_loss([1, 2])")), encoding="utf-8")
    first = run("-v", "--check", notebook, module="helpers.py")
    assert "kept plot_loss" not in first.stderr
    runner = notebook_text(code("%run a.ipynb"), code("plot_loss([1], show=True)"))
    Path("c.ipynb").write_text(runner, encoding="utf-8")
    second = run("-v", "--check", notebook, module="helpers.py")
    assert "c.ipynb runs this notebook" in second.stderr


def test_a_module_in_the_folder_changed_to_is_imported_after_the_change() -> None:
    """The demo's `%cd sentinel-ai`: the module lies there, not beside the notebook."""
    Path("project").mkdir()
    Path("project/helpers.py").write_text(PLOTS, encoding="utf-8")
    notebook = _notebook_with_plot_loss("a.ipynb")
    notebook.write_text(
        notebook_text(code("%cd project\nimport numpy as np"), code(PLOTS), code("plot_loss([1])")),
        encoding="utf-8",
    )
    result = run("-v", notebook, module="project/helpers.py")
    assert result.exit_code == 0, result.output
    assert _import_lines(notebook) == ["import numpy as np", "from helpers import plot_loss"]
    assert _warnings(result) == []


def test_no_warning_when_a_module_beside_the_notebook_adds_the_library_folder() -> None:
    """Sweep 22: `import setup_paths` puts `lib` first on sys.path, where the library lies;
    which folder it adds only its code says, so the warning says nothing rather than guess."""
    Path("lib").mkdir()
    Path("lib/helpers.py").write_text(PLOTS, encoding="utf-8")
    Path("setup_paths.py").write_text("import sys\nsys.path.insert(0, 'lib')\n")
    notebook = Path("a.ipynb")
    notebook.write_text(
        notebook_text(code("import setup_paths"), code(PLOTS), code("plot_loss([1])")),
        encoding="utf-8",
    )
    result = run(notebook, module="lib/helpers.py")
    assert result.exit_code == 0, result.output
    assert _import_lines(notebook) == ["import setup_paths", "from helpers import plot_loss"]
    assert _warnings(result) == []


def test_no_warning_for_an_installed_package() -> None:
    """viz_utils is installed in the test environment (pip install -e .)."""
    notebook = put(GOOD, folder="elsewhere")
    result = run(notebook)
    assert result.exit_code == 0, result.output
    assert _warnings(result) == []


@pytest.mark.parametrize("folder", [True, False])
def test_a_folder_without_init_of_the_modules_name_beside_the_notebook_is_not_the_module(
    folder: bool,
) -> None:
    """Round 70a N4: a plots/ folder of images beside the notebook is a namespace package,
    holding no plot_loss: the migrated notebook raised ImportError, and the warning that
    src/plots.py is not found from there was lost."""
    Path("src").mkdir()
    Path("src/plots.py").write_text(PLOTS, encoding="utf-8")
    if folder:
        Path("plots").mkdir()
        Path("plots/loss.png").write_bytes(b"png")
    notebook = Path("a.ipynb")
    notebook.write_text(notebook_text(code(PLOTS), code("plot_loss([1])")), encoding="utf-8")
    result = run(notebook, module="src/plots.py")
    assert result.exit_code == 0, result.output
    assert _warnings(result) == [
        (
            "warning: a migrated notebook imports plots, but plots is neither installed nor"
            " beside the notebook in .: install it where the notebooks run (pip install -e . in"
            " the kernel's environment) or set --import-name"
        )
    ]


@pytest.mark.parametrize(("files", "found"), [(["ns/helpers.py"], True), (["ns/x.png"], False)])
def test_a_namespace_folder_holds_a_dotted_module_only_when_it_holds_its_file(
    tmp_path: Path, files: list[str], found: bool
) -> None:
    """Round 70a N4: `import ns.helpers` finds ns/helpers.py through the namespace package
    ns/; a folder of the name holding no such module finds nothing."""
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    assert module_path.importable_from("ns.helpers", tmp_path) is found
    assert module_path.found_only_in("ns.helpers", tmp_path) is found
    assert module_path.importable_from("ns", tmp_path) is False


def test_the_warning_is_in_the_json_document_and_a_github_annotation() -> None:
    _helpers_package()
    notebook = _notebook_with_plot_loss("notebooks/a.ipynb")
    module = "helpers/plots.py"
    document = json.loads(run("--check", "--output-format", "json", notebook, module=module).stdout)
    assert document["warnings"] == [
        (
            "a migrated notebook imports helpers.plots, but helpers is neither installed nor beside"
            " the notebook in notebooks: install it where the notebooks run (pip install -e . in the"
            " kernel's environment) or set --import-name"
        )
    ]
    github = run("--check", "--output-format", "github", notebook, module=module)
    assert "::warning title=nbrefactor warning::a migrated notebook imports helpers.plots" in (
        github.stdout
    )


@pytest.mark.parametrize(
    ("module", "problem"),
    [
        # Reached through sys.path.append("pkg"): `from statistics import plot_loss` binds the
        # standard library's statistics, found first (ruff's A005).
        (
            "pkg/statistics.py",
            (
                "statistics is the name of a standard-library module, which a notebook's"
                " `from statistics import ...` may import instead of pkg/statistics.py"
            ),
        ),
        # Sweep 27: ipykernel has imported the installed `comm` before the first cell, so
        # `from comm import plot_loss` raised ImportError.
        (
            "pkg/comm.py",
            (
                "comm is the name of a package IPython's kernel imports at its start, which a"
                " notebook's `from comm import ...` binds instead of pkg/comm.py"
            ),
        ),
        # Round 54a: Python reads identifiers as NFKC, and `from \ufb01lib import ...` imports
        # `filib`; the run failed its own check before writing ("please report this").
        ("\ufb01lib.py", "Python reads '\ufb01lib' in an import as 'filib', another module's name"),
    ],
)
def test_a_module_named_like_one_the_kernel_finds_first_is_refused(
    module: str, problem: str
) -> None:
    Path("pkg").mkdir()
    Path(module).write_text(PLOTS, encoding="utf-8")
    notebook = _notebook_with_plot_loss("a.ipynb")
    before = notebook.read_bytes()
    result = run(notebook, module=module)
    assert result.exit_code == 2
    assert f"Invalid value for '--module': {problem}: rename it or set --import-name" in " ".join(
        result.stderr.split()
    )
    assert notebook.read_bytes() == before
    assert run(notebook, "--import-name", "mystats", module=module).exit_code == 0


@pytest.mark.parametrize("name", ["class", "pkg.lambda", "None"])
def test_an_import_name_that_is_a_keyword_is_a_usage_error(name: str) -> None:
    _helpers_package()
    notebook = _notebook_with_plot_loss("a.ipynb")
    result = run(notebook, "--import-name", name, module="helpers/plots.py")
    assert result.exit_code == 2
    assert f"Invalid value for '--import-name': {name!r} is not a dotted module name" in (
        result.stderr
    )
    assert "internal check failed" not in result.stderr


def test_import_name_flag_and_setting_set_the_import_the_flag_winning() -> None:
    _helpers_package()
    Path(".git").mkdir()
    Path("pyproject.toml").write_text(
        '[tool.nbrefactor]\nmodule = "helpers/plots.py"\nimport-name = "project_plots"\n',
        encoding="utf-8",
    )
    notebook = _notebook_with_plot_loss("a.ipynb")
    result = run("--diff", notebook, module=None)
    assert result.exit_code == 0, result.output
    assert "+from project_plots import plot_loss" in result.stdout
    result = run("--diff", "--import-name", "plots", notebook, module=None)
    assert "+from plots import plot_loss" in result.stdout
    assert "warning: a migrated notebook imports plots, but plots is neither" in result.stderr
    # The setting names the settings' module: another --module is imported by its own name.
    result = run("--diff", notebook, module="./helpers/plots.py")
    assert "+from helpers.plots import plot_loss" in result.stdout


def test_an_import_name_that_is_not_a_dotted_name_is_a_usage_error() -> None:
    notebook = put(GOOD)
    result = run("--import-name", "my-helpers", notebook)
    assert result.exit_code == 2
    assert (
        "Invalid value for '--import-name': 'my-helpers' is not a dotted module name"
        in result.stderr
    )
    assert notebook.read_bytes() == (FIXTURES / GOOD).read_bytes()


@pytest.mark.parametrize("spelling", ["helpers", "helpers/", "./helpers"])
def test_a_folder_without_init_is_reported_as_such_however_spelled(spelling: str) -> None:
    Path("helpers").mkdir()
    Path("helpers", "plots.py").write_text(PLOTS, encoding="utf-8")
    notebook = _notebook_with_plot_loss("a.ipynb")
    result = run(notebook, module=spelling)
    assert result.exit_code == 2
    assert (
        "Invalid value for '--module': module folder helpers/ has no __init__.py"
        " (a package needs one to be read; add an empty __init__.py)"
    ) in result.stderr


# --------------------------------------------------------------------------
# Duplicated JSON keys, as Jupyter reads them


def test_a_duplicated_metadata_key_is_read_as_jupyter_reads_it_and_its_bytes_kept() -> None:
    notebook = put(GOOD)
    raw = notebook.read_bytes()
    duplicated = raw.replace(
        b'\n "metadata": {',
        b'\n "metadata": {\n  "accelerator": "GPU",\n  "accelerator": "GPU",',
        1,
    )
    assert duplicated != raw
    notebook.write_bytes(duplicated)
    check = run("--check", notebook)
    assert check.exit_code == 1, check.output
    result = run(notebook)
    assert result.exit_code == 0, result.output
    written = notebook.read_bytes()
    assert written.count(b'"accelerator": "GPU"') == 2
    assert written == expected_bytes(GOOD).replace(
        b'\n "metadata": {',
        b'\n "metadata": {\n  "accelerator": "GPU",\n  "accelerator": "GPU",',
        1,
    )


def test_a_duplicated_source_with_different_values_is_still_an_error() -> None:
    notebook = put(GOOD)
    raw = notebook.read_bytes()
    notebook.write_bytes(raw.replace(b'"source": [', b'"source": "x = 1\\n", "source": [', 1))
    result = run("--check", notebook)
    assert result.exit_code == 2, result.output
    assert (
        f"error: {notebook}: duplicate key 'source' with different values in cell 1"
        in result.stderr.splitlines()
    )


def test_a_module_of_the_same_name_beside_the_notebook_keeps_its_definitions() -> None:
    # A kernel starts in the notebook's folder: `from helpers.plots import plot_loss` would
    # bind that folder's helpers, not the module the definitions were compared with.
    _helpers_package()
    notebook = _notebook_with_plot_loss("notebooks/a.ipynb")
    _helpers_package("notebooks/helpers")
    Path("notebooks/helpers/plots.py").write_text(PLOTS + "\n# another version\n", "utf-8")
    before = notebook.read_bytes()
    result = run("-v", notebook, module="helpers/plots.py")
    assert result.exit_code == 0, result.output
    assert notebook.read_bytes() == before
    assert (
        "  kept plot_loss (cell 2): its import would bind the helpers/ beside the notebook, "
        "not the helpers.plots read (helpers/plots.py)"
    ) in result.stderr.splitlines()
    document = json.loads(
        run("--check", "--output-format", "json", notebook, module="helpers/plots.py").stdout
    )
    (entry,) = document["notebooks"]
    assert [found["code"] for found in entry["kept"]] == ["NBR235"]


@pytest.mark.parametrize(
    ("first_cell", "shadowed"),
    [
        ('import sys\nsys.path.insert(0, "../src")', True),  # searched before the notebook
        ("%cd ../src", True),  # the working folder, `''` on sys.path
        ('import sys\nsys.path.append("../src")', False),  # searched after it and installs
        # Sweep 24: other ways of putting it first.
        ('import sys\nsys.path = ["../src"] + sys.path', True),
        ('import sys\nsys.path = sys.path + ["../src"]', False),
        ('import sys\nsys.path[0] = "../src"', True),
        ('import sys\nsys.path.insert(-len(sys.path), "../src")', True),
        ('import sys\nsys.path.insert(1, "../src")', False),  # after '', the notebook's
        ('import sys\nsys.path.append("../src")\nsys.path.reverse()', True),
    ],
)
def test_a_module_of_the_same_name_in_a_folder_searched_first_keeps_its_definitions(
    first_cell: str, shadowed: bool
) -> None:
    """Sweep Y repro_9: the project's src/helpers.py, put first on sys.path, is what the
    import would bind; its plot_loss is another function than the one read."""
    Path("src").mkdir()
    Path("src/helpers.py").write_text(PLOTS + "# another version\n", "utf-8")
    Path("notebooks").mkdir()
    Path("notebooks/helpers.py").write_text(PLOTS, "utf-8")
    notebook = Path("notebooks/a.ipynb")
    notebook.write_text(
        notebook_text(code(first_cell), code(PLOTS), code("plot_loss([1, 2])")), "utf-8"
    )
    result = run("-v", "--check", notebook, module="notebooks/helpers.py")
    _kept_for(
        result,
        shadowed
        and (
            "  kept plot_loss (cell 2): its import would bind the helpers.py in ../src, which "
            "the notebook searches first, not the helpers read (notebooks/helpers.py)"
        ),
    )


def test_the_module_read_in_a_folder_searched_first_is_found_before_the_notebooks() -> None:
    """`sys.path.insert(0, "../src")` with the module read in src/: the kernel finds it there
    before the other helpers.py beside the notebook."""
    Path("src").mkdir()
    Path("src/helpers.py").write_text(PLOTS, "utf-8")
    Path("notebooks").mkdir()
    Path("notebooks/helpers.py").write_text(PLOTS + "# another version\n", "utf-8")
    notebook = Path("notebooks/a.ipynb")
    first = 'import sys\nsys.path.insert(0, "../src")'
    notebook.write_text(notebook_text(code(first), code(PLOTS), code("plot_loss([1, 2])")), "utf-8")
    _kept_for(run("-v", "--check", notebook, module="src/helpers.py"), None)


@pytest.mark.parametrize(
    ("installed", "read", "shadowed"),
    [
        # Sweep Z2 repro_6: -1 printed where 2 was
        (PLOTS + "# another version\n", "src/helpers.py", True),
        (PLOTS, "src/helpers.py", False),  # a byte-identical copy: the same functions
        (None, "src/helpers.py", False),
        # Beside the notebook, the module read comes first: the kernel starts there.
        (PLOTS + "# another version\n", "notebooks/helpers.py", False),
    ],
)
def test_an_installed_module_of_the_same_name_comes_before_a_folder_appended(
    installed: str | None, read: str, shadowed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sys.path.append("../src")` to import the project's src/helpers.py: a `helpers`
    installed where the kernel runs (PyPI has `utils`, `helpers`) is found first."""
    from nbrefactor.analysis import module_path

    site = Path("site").absolute()
    site.mkdir()
    if installed is not None:
        (site / "helpers.py").write_text(installed, "utf-8")
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])
    # Asked afresh, not from what earlier tests cached.
    monkeypatch.setattr(module_path, "_installed_spec", module_path._installed_spec.__wrapped__)
    Path("src").mkdir()
    Path("notebooks").mkdir()
    Path(read).write_text(PLOTS, "utf-8")
    notebook = Path("notebooks/a.ipynb")
    first = 'import sys\nsys.path.append("../src")'
    notebook.write_text(notebook_text(code(first), code(PLOTS), code("plot_loss([1, 2])")), "utf-8")
    result = run("-v", "--check", notebook, module=read)
    _kept_for(result, shadowed and _bound_installed(site))


def _bound_installed(site: Path) -> str:
    return (
        f"  kept plot_loss (cell 2): its import would bind the helpers.py installed in {site}, "
        "not the helpers read (src/helpers.py)"
    )


def test_an_installed_extension_module_of_the_same_name_comes_before_a_folder_appended(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Round 63 F1: a compiled helpers installed where the kernel runs is found before the
    folder the notebook appends, as a helpers.py there is; and a new --to helpers.py would
    be what the libraries importing `helpers` get. Nothing loads it: a name is enough."""
    from nbrefactor.analysis import module_path
    from nbrefactor.analysis.import_names import installed_elsewhere

    site = Path("site").absolute()
    site.mkdir()
    (site / EXTENSIONS[0]).write_bytes(b"not an ELF file")
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])
    monkeypatch.setattr(module_path, "_installed_spec", module_path._installed_spec.__wrapped__)
    Path("src").mkdir()
    Path("src/helpers.py").write_text(PLOTS, "utf-8")
    assert installed_elsewhere("helpers", Path("helpers.py")) == site / EXTENSIONS[0]
    Path("notebooks").mkdir()
    notebook = Path("notebooks/a.ipynb")
    first = 'import sys\nsys.path.append("../src")'
    notebook.write_text(notebook_text(code(first), code(PLOTS), code("plot_loss([1, 2])")), "utf-8")
    result = run("-v", "--check", notebook, module="src/helpers.py")
    _kept_for(
        result,
        f"  kept plot_loss (cell 2): its import would bind the {EXTENSIONS[0]} installed in "
        f"{site}, not the helpers read (src/helpers.py)",
    )


@pytest.mark.parametrize(("first", "shadowed"), [(False, True), (True, False)])
def test_an_installed_module_comes_before_a_folder_put_first_below_the_imports_place(
    first: bool, shadowed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Re-check 43: an older helpers is installed, and the notebook puts ../src first only in
    a cell below the definition: the import, above that cell, bound the installed copy (6
    became 300). Put first in the import cell, the folder hides it (the control)."""
    from nbrefactor.analysis import module_path

    site = Path("site").absolute()
    site.mkdir()
    (site / "helpers.py").write_text(PLOTS + "# an older version\n", "utf-8")
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])
    monkeypatch.setattr(module_path, "_installed_spec", module_path._installed_spec.__wrapped__)
    Path("src").mkdir()
    Path("src/helpers.py").write_text(PLOTS, "utf-8")
    Path("notebooks").mkdir()
    notebook = Path("notebooks/a.ipynb")
    change = 'sys.path.insert(0, "../src")'
    cells = [f"import sys\n{change}", PLOTS] if first else ["import sys", PLOTS, change]
    notebook.write_text(
        notebook_text(*(code(cell) for cell in cells), code("plot_loss([1, 2])")), "utf-8"
    )
    result = run("-v", "--check", notebook, module="src/helpers.py")
    _kept_for(result, shadowed and _bound_installed(site))


@pytest.mark.parametrize("copy", ["the same file", "a byte-identical copy"])
def test_the_module_read_or_a_copy_of_it_beside_the_notebook_is_migrated(copy: str) -> None:
    notebook = _notebook_with_plot_loss("notebooks/a.ipynb")
    _helpers_package("notebooks/helpers")
    module = "notebooks/helpers/plots.py"
    if copy == "a byte-identical copy":
        _helpers_package()
        module = "helpers/plots.py"
    result = run(notebook, module=module)
    assert result.exit_code == 0, result.output
    assert _import_lines(notebook) == ["import numpy as np", "from helpers.plots import plot_loss"]


@pytest.mark.parametrize(
    ("files", "found"),
    [
        # Round 62a F1: the kernel searches the notebook's folder first.
        ({"utils.py": "Z = 0\n"}, "utils.py"),
        ({"utils/__init__.py": "Z = 0\n"}, "utils/"),
        # Round 63 F1: a compiled utils is found before a .py (never loaded: a name is enough).
        ({f"utils{EXTENSION_SUFFIXES[0]}": "not an ELF file"}, f"utils{EXTENSION_SUFFIXES[0]}"),
        ({"utils.py": "K = 1\n"}, None),  # a byte-identical copy: the same module
        ({"other.py": "Z = 0\n"}, None),
        # Round 70a N3: a sourceless utils.pyc is bound when no utils.py is beside it.
        ({"utils.pyc": "not bytecode"}, "utils.pyc"),
        ({"utils.py": "K = 1\n", "utils.pyc": "not bytecode"}, None),
    ],
)
def test_a_module_the_library_imports_from_its_folder_found_beside_the_notebook_is_kept(
    files: dict[str, str], found: str | None
) -> None:
    """Round 62a F1: lib/helpers.py's `from utils import K` found ./utils.py, beside the
    notebook, once the import ran in its kernel: ImportError, then NameError."""
    Path("lib").mkdir()
    Path("lib/helpers.py").write_text("from utils import K\n\n\n" + PLOTS, encoding="utf-8")
    Path("lib/utils.py").write_text("K = 1\n", encoding="utf-8")
    for name, text in files.items():
        Path(name).parent.mkdir(exist_ok=True)
        Path(name).write_text(text, encoding="utf-8")
    notebook = Path("a.ipynb")
    cells = ["import sys\nsys.path.append('lib')", PLOTS, "plot_loss([1])"]
    notebook.write_text(notebook_text(*(code(cell) for cell in cells)), encoding="utf-8")
    result = run("-v", "--check", notebook, module="lib/helpers.py")
    line = (
        "  kept plot_loss (cell 2): importing helpers imports utils, which the kernel finds "
        f"beside the notebook ({found}), not beside helpers (lib/utils.py)"
    )
    _kept_for(result, found and line)


@pytest.mark.parametrize(
    ("copy", "first", "reason"),
    [
        ("copy", "", "NBR277"),
        ("link", "", "NBR277"),
        ("copy", "import sys\nsys.path.append('lib')", None),  # lib/ is on the kernel's path
        ("link", "import sys\nsys.path.insert(0, 'lib')", None),
        ("none", "import sys\nsys.path.append('lib')", None),
    ],
)
def test_a_module_the_library_imports_from_its_folder_is_not_found_from_a_copy(
    copy: str, first: str, reason: str | None
) -> None:
    """Round 70a N2: a pasted copy (or a link) of lib/helpers.py beside the notebook is the
    module the kernel imports; its `from utils import K` searches the kernel's path, which
    lib/ is not on: ModuleNotFoundError once migrated. Python never searches "the library's
    own folder" as such."""
    Path("lib").mkdir()
    library = "from utils import K\n\n\n" + PLOTS
    Path("lib/helpers.py").write_text(library, encoding="utf-8")
    Path("lib/utils.py").write_text("K = 1\n", encoding="utf-8")
    if copy == "copy":
        Path("helpers.py").write_text(library, encoding="utf-8")
    elif copy == "link":
        Path("helpers.py").symlink_to("lib/helpers.py")
    notebook = Path("a.ipynb")
    cells = [first, PLOTS, "plot_loss([1])"] if first else [PLOTS, "plot_loss([1])"]
    notebook.write_text(notebook_text(*(code(cell) for cell in cells)), encoding="utf-8")
    result = run("--check", "--output-format", "json", notebook, module="lib/helpers.py")
    (entry,) = json.loads(result.stdout)["notebooks"]
    assert [kept["code"] for kept in entry["kept"]] == ([reason] if reason else [])
    if reason:
        assert entry["kept"][0]["message"].endswith(
            "importing helpers imports utils, which the kernel finds nowhere: it imports"
            " helpers.py, and lib/utils.py lies in no folder it searches"
        )


def test_a_module_the_library_imports_in_turn_found_beside_the_notebook_is_kept() -> None:
    """Round 62a F1: ../helpers.py imports ../side.py, which imports ../utils.py; the notebook,
    in nbs/, appends `..`, and nbs/utils.py is another module."""
    Path("helpers.py").write_text("import side\n\n\n" + PLOTS, encoding="utf-8")
    Path("side.py").write_text("from utils import K\n", encoding="utf-8")
    Path("utils.py").write_text("K = 1\n", encoding="utf-8")
    Path("nbs").mkdir()
    Path("nbs/utils.py").write_text("Z = 0\n", encoding="utf-8")
    notebook = Path("nbs/a.ipynb")
    cells = ["import sys\nsys.path.append('..')", PLOTS, "plot_loss([1])"]
    notebook.write_text(notebook_text(*(code(cell) for cell in cells)), encoding="utf-8")
    document = json.loads(
        run("--check", "--output-format", "json", notebook, module="helpers.py").stdout
    )
    (entry,) = document["notebooks"]
    assert [found["code"] for found in entry["kept"]] == ["NBR274"]
    message = "importing helpers imports utils, which the kernel finds beside the notebook"
    assert entry["kept"][0]["message"].endswith(
        f"{message} (utils.py), not beside helpers (../utils.py)"
    )


@pytest.mark.parametrize(
    ("change", "found"),
    [
        # Round 62c F2: shared/utils.py, put first, lacks K: ImportError, then NameError.
        ("sys.path.insert(0, 'shared')", "in shared, which the notebook searches first"),
        # Round 62c K5: the kernel finds lib/utils.py, put first, before ./utils.py.
        ("sys.path.insert(0, 'lib')", None),
        # Appended: the notebook's folder comes first, and holds another utils.py.
        ("sys.path.append('shared')", "beside the notebook"),
    ],
)
def test_a_module_the_library_imports_is_looked_for_in_the_kernels_order(
    change: str, found: str | None
) -> None:
    """Rounds 62c F2 and K5: the kernel walks the folders the notebook puts first, then its
    own; the first holding a module of the name decides which one the library binds."""
    Path("lib").mkdir()
    Path("lib/helpers.py").write_text("from utils import K\n\n\n" + PLOTS, encoding="utf-8")
    Path("lib/utils.py").write_text("K = 1\n", encoding="utf-8")
    Path("shared").mkdir()
    Path("shared/utils.py").write_text("Z = 0\n", encoding="utf-8")
    Path("utils.py").write_text("Z = 0\n", encoding="utf-8")
    notebook = Path("a.ipynb")
    cells = [f"import sys\n{change}\nsys.path.append('lib')", PLOTS, "plot_loss([1])"]
    notebook.write_text(notebook_text(*(code(cell) for cell in cells)), encoding="utf-8")
    result = run("-v", "--check", notebook, module="lib/helpers.py")
    held = "utils.py" if found == "beside the notebook" else "shared/utils.py"
    line = (
        f"  kept plot_loss (cell 2): importing helpers imports utils, which the kernel finds "
        f"{found} ({held}), not beside helpers (lib/utils.py)"
    )
    _kept_for(result, found and line)


GUARDED = "try:\n    from helpers import g\nexcept ImportError:\n    pass"


@pytest.mark.parametrize(
    ("tools", "kept"),
    [
        # Round 62a F3: tools.py put other/ first and imported its helpers.py, which Python
        # kept: the new import bound it, and 4 became 6.
        ("import sys\nsys.path.insert(0, 'other')\nimport helpers", True),
        (f"import sys\nsys.path.insert(0, 'other')\n{GUARDED}", True),  # in a block too
        ("import helpers", False),  # found as the new import finds it
        ("import sys\nsys.path.insert(0, 'other')", False),  # imports no module of the name
        # Round 62c K4: imported before the change, it is the one the new import finds.
        ("import helpers\nimport sys\nsys.path.insert(0, 'other')", False),
    ],
)
def test_a_local_module_changing_the_path_and_importing_the_library_name_is_kept(
    tools: str, kept: bool
) -> None:
    """Round 62a F3: `rules.cached_module` looked only at the notebook's cells."""
    _check_with_local_modules(Path("."), "helpers.py", {"tools.py": tools + "\n"}, kept)


@pytest.mark.parametrize(
    ("tools", "kept"),
    [
        # Round 62c K2: the common layout, the folder put first holding the module read.
        ("import os, sys\nsys.path.insert(0, os.path.abspath('../src'))\nimport helpers", False),
        # Round 62c K3: importing tools never runs the function's import.
        ("import sys\nsys.path.insert(0, 'other')\ndef lib():\n    import helpers", False),
        (
            "import sys\nsys.path.insert(0, '../src')\nimport helpers\nsys.path[:0] = ['other']",
            False,
        ),
        ("import sys\nsys.path.insert(0, 'other')\nimport helpers", True),
        ("import sys\nsys.path.append('other')\nimport helpers", True),
        # A folder literals do not say: which file it found, unknown (the safe side).
        ("import os, sys\nsys.path.insert(0, os.environ['LIB'])\nimport helpers", True),
    ],
)
def test_a_local_module_is_read_in_order_for_the_file_its_import_finds(
    tools: str, kept: bool
) -> None:
    """Rounds 62c K2-K4: NBR275 kept every definition whenever tools.py changed the path and
    named the library, though the file its import found was the one read."""
    Path("src").mkdir()
    _check_with_local_modules(Path("notebooks"), "src/helpers.py", {"tools.py": tools + "\n"}, kept)


def _check_with_local_modules(
    folder: Path, library: str, modules: dict[str, str], kept: bool
) -> None:
    """`migrate --check` of a notebook in `folder` whose first cell imports its local module
    `tools` (`modules`: path in `folder` -> text), with `folder/other/helpers.py` another
    module of the library's name: its copy of the library's `plot_loss` is kept with
    NBR275's line, or replaced."""
    Path(library).write_text(PLOTS, encoding="utf-8")
    (folder / "other").mkdir(parents=True)
    (folder / "other/helpers.py").write_text(
        PLOTS.replace("print(title, values)", "return -1"), "utf-8"
    )
    for name, text in modules.items():
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    notebook = folder / "a.ipynb"
    cells = ["import tools", PLOTS, "plot_loss([1])"]
    notebook.write_text(notebook_text(*(code(cell) for cell in cells)), encoding="utf-8")
    result = run("-v", "--check", notebook, module=library)
    _kept_for(
        result,
        kept
        and (
            "  kept plot_loss (cell 2): cell 1 imports tools, which changes where modules are "
            "found and imports helpers: Python keeps the helpers it found, which may be "
            f"another file than the one read ({library}), and the new import would bind it"
        ),
    )


CHANGES_AND_IMPORTS = "import sys\nsys.path.insert(0, 'other')\nimport helpers\n"


@pytest.mark.parametrize(
    ("files", "kept"),
    [
        # Round 62c F1: a package of the folder, and a module tools.py imports, were not read.
        ({"tools/__init__.py": CHANGES_AND_IMPORTS}, True),
        ({"tools.py": "import tools2\n", "tools2.py": CHANGES_AND_IMPORTS}, True),
        # tools2.py puts the notebook's folder first, which holds the module read.
        (
            {
                "tools.py": "import tools2\n",
                "tools2.py": "import sys\nsys.path.insert(0, '.')\nimport helpers\n",
            },
            False,
        ),
    ],
)
def test_a_local_package_or_module_imported_in_turn_importing_the_library_name_is_kept(
    files: dict[str, str], kept: bool
) -> None:
    """Round 62c F1: `path_changers_importing` read only `tools.py` itself: `tools/` and the
    `tools2.py` it imports bound other/helpers.py, and 4 became 6."""
    _check_with_local_modules(Path("."), "helpers.py", files, kept)

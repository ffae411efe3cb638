"""The `nbrefactor` command path never imports matplotlib, torch, numpy or the target module;
nor libcst or markdown-it-py (read only to bump a title's version) when it has no use for them.

Each check runs in a fresh interpreter, since this test process itself may
have imported those modules.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys

import pytest
from conftest import FIXTURES, REPO

HEAVY = ("matplotlib", "torch", "numpy", "viz_utils", "mylib")
PROBE = """
import sys
from nbrefactor.cli import main
try:
    main({arguments!r}, prog_name="nbrefactor")
except SystemExit:
    pass
loaded = sorted(name for name in sys.modules if name.split(".")[0] in {heavy!r})
print("LOADED", loaded, "LIBCST" if "libcst" in sys.modules else "NO-LIBCST", file=sys.stderr)
print("MARKDOWN-IT" if "markdown_it" in sys.modules else "NO-MARKDOWN-IT", file=sys.stderr)
"""


def _loaded_after(arguments, cwd):
    code = PROBE.format(arguments=arguments, heavy=HEAVY)
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, check=False
    )
    line = next(line for line in completed.stderr.splitlines() if line.startswith("LOADED"))
    markdown = next(line for line in completed.stderr.splitlines() if "MARKDOWN-IT" in line)
    return line if markdown == "NO-MARKDOWN-IT" else f"{line} MARKDOWN-IT"


@pytest.mark.parametrize("mode", [["--check"], ["--dry-run"], []])
def test_migrating_the_demo_imports_no_heavy_module(tmp_path, mode):
    demo = tmp_path / "demo.ipynb"
    shutil.copy(FIXTURES / "NeuralPlasticityDemo.ipynb", demo)
    line = _loaded_after(
        ["migrate", *mode, "--module", str(REPO / "viz_utils"), str(demo)], tmp_path
    )
    assert line.startswith("LOADED []")
    assert line.endswith(" MARKDOWN-IT")  # the demo's title is bumped: its cell is read


def test_already_migrated_notebook_imports_neither_libcst_nor_markdown_it(tmp_path):
    line = _loaded_after(
        [
            "migrate",
            "--check",
            "--module",
            str(REPO / "viz_utils"),
            str(FIXTURES / "noop_already_migrated.ipynb"),
        ],
        tmp_path,
    )
    assert line == "LOADED [] NO-LIBCST"


def test_help_imports_no_heavy_module_nor_markdown_it(tmp_path):
    assert _loaded_after(["--help"], tmp_path) == "LOADED [] NO-LIBCST"


def test_a_user_package_is_never_imported(tmp_path):
    (tmp_path / "mylib").mkdir()
    (tmp_path / "mylib" / "__init__.py").write_text(
        "import matplotlib\n__all__ = ['draw']\ndef draw(x):\n    pass\n"
    )
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(
        '{"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],'
        ' "source": "def draw(x):\\n    pass\\ndraw(1)"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}'
    )
    line = _loaded_after(["migrate", "--module", "mylib", str(notebook)], tmp_path)
    assert line.startswith("LOADED []")
    assert "from mylib import draw" in notebook.read_text()


def test_tree_sitter_is_imported_only_for_a_cell_that_does_not_parse(tmp_path):
    """Tolerant reading costs nothing where every cell parses: its parser is not even loaded."""
    probe = (
        "import sys\nfrom nbrefactor.cli import main\n"
        "try:\n    main({arguments!r}, prog_name='nbrefactor')\nexcept SystemExit:\n    pass\n"
        "print('TREE_SITTER', 'tree_sitter' in sys.modules, file=sys.stderr)\n"
    )
    seen = {}
    for name in ("NeuralPlasticityDemo.ipynb", "broken_after_def.ipynb"):
        notebook = tmp_path / name
        shutil.copy(FIXTURES / name, notebook)
        arguments = ["migrate", "--check", "--module", str(REPO / "viz_utils"), str(notebook)]
        completed = subprocess.run(
            [sys.executable, "-c", probe.format(arguments=arguments)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
        )
        seen[name] = next(
            line for line in completed.stderr.splitlines() if line.startswith("TREE_SITTER")
        )
    assert seen == {
        "NeuralPlasticityDemo.ipynb": "TREE_SITTER False",
        "broken_after_def.ipynb": "TREE_SITTER True",
    }


def test_a_check_that_keeps_every_definition_loads_no_editing_and_no_tempfile(tmp_path):
    """What a run over migrated notebooks needs: no edits, no safety check, no journal."""
    watched = {"tempfile", "nbrefactor.edits", "nbrefactor.safety", "nbrefactor.rules"}
    seen = {}
    for flags in (["--check"], []):
        notebook = tmp_path / "kept.ipynb"
        shutil.copy(FIXTURES / "noop_other_parameter_names.ipynb", notebook)
        arguments = ["migrate", *flags, "--module", str(REPO / "viz_utils"), str(notebook)]
        seen[" ".join(flags)] = _modules_after(arguments, watched, tmp_path)
    assert seen == {
        "--check": ["nbrefactor.rules"],  # the rules ran: the definition is kept
        "": ["nbrefactor.rules", "tempfile"],  # a writing run keeps a journal
    }


def _modules_after(arguments: list[str], watched: set[str], cwd) -> list[str]:
    probe = (
        "import sys\nfrom nbrefactor.cli import main\n"
        "try:\n    main({arguments!r}, prog_name='nbrefactor')\nexcept SystemExit:\n    pass\n"
        "print('MODULES', sorted(name for name in sys.modules if name in {watched!r}),"
        " file=sys.stderr)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe.format(arguments=arguments, watched=watched)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    line = next(line for line in completed.stderr.splitlines() if line.startswith("MODULES"))
    return ast.literal_eval(line.removeprefix("MODULES "))


@pytest.mark.parametrize(
    ("name", "imported"),
    [("black_clean_top", []), ("schema_quirks", ["jsonschema", "nbformat"])],
    ids=["valid", "invalid"],
)
def test_nbformat_is_imported_only_to_describe_a_schema_mismatch(tmp_path, name, imported):
    """A migrated notebook that matches the schema is told so by fastjsonschema alone:
    nbformat's validator (with jsonschema, 8 MB) is imported only to word a warning."""
    notebook = tmp_path / "notebook.ipynb"
    shutil.copy(FIXTURES / f"{name}.ipynb", notebook)
    arguments = ["migrate", "--module", str(REPO / "viz_utils"), str(notebook)]
    assert _modules_after(arguments, {"nbformat", "jsonschema"}, tmp_path) == imported
    assert notebook.read_bytes() == (FIXTURES / f"{name}.expected.ipynb").read_bytes()


def test_a_check_over_notebooks_that_define_no_library_name_defines_no_reason_type(tmp_path):
    notebook = tmp_path / "migrated.ipynb"
    shutil.copy(FIXTURES / "noop_already_migrated.ipynb", notebook)
    arguments = ["migrate", "--check", "--module", str(REPO / "viz_utils"), str(notebook)]
    assert _modules_after(arguments, {"nbrefactor.reasons", "nbrefactor.rules"}, tmp_path) == []


def test_a_check_over_notebooks_that_replace_nothing_reads_no_cell_and_no_import_effect(tmp_path):
    """Where the import looks (cells parsed, magics masked) and what importing the library
    runs are asked only for a notebook that would get an import."""
    watched = {
        "nbrefactor.analysis.import_search",
        "nbrefactor.analysis.import_effects",
        "nbrefactor.analysis.parsing",
        "nbrefactor.analysis.magics",
    }
    assert _imported_checking_migrated_then_demo(watched, tmp_path) == ([], sorted(watched))


def test_a_check_over_notebooks_that_define_no_library_name_loads_no_line_magic_reading(tmp_path):
    """The gate (`mentions.defined_in`) alone decides such a notebook: `line_magics`, with
    its patterns and types, is imported by the questions of what a cell's magics bind."""
    watched = {"nbrefactor.analysis.line_magics"}
    assert _imported_checking_migrated_then_demo(watched, tmp_path) == ([], sorted(watched))


def _imported_checking_migrated_then_demo(watched, tmp_path):
    """The `watched` modules a `--check` of the migrated demo imports, then of the demo."""
    notebook = tmp_path / "migrated.ipynb"
    arguments = ["migrate", "--check", "--module", str(REPO / "viz_utils"), str(notebook)]
    found = []
    for fixture in ("NeuralPlasticityDemo.expected.ipynb", "NeuralPlasticityDemo.ipynb"):
        shutil.copy(FIXTURES / fixture, notebook)
        found.append(_modules_after(arguments, watched, tmp_path))
    return tuple(found)


def test_a_check_that_reads_definitions_from_their_headers_loads_no_parser_for_broken_cells(
    tmp_path,
):
    """A definition kept for its parameters, in a cell that does not parse: no tree-sitter,
    no import placement, no question of what it reads from the notebook."""
    notebook = tmp_path / "kept.ipynb"
    source = "def visualize_gradient_norms(norms, title):\\n    plt.imshow(norms)\\nprint(1))\\n"
    notebook.write_text(
        '{"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],'
        f' "source": "{source}"}}], "metadata": {{}}, "nbformat": 4, "nbformat_minor": 4}}'
    )
    watched = {
        "tree_sitter",
        "nbrefactor.rules",
        "nbrefactor.rules.import_placement",
        "nbrefactor.analysis.hidden_inputs",
    }
    arguments = ["migrate", "--check", "--module", str(REPO / "viz_utils"), str(notebook)]
    assert _modules_after(arguments, watched, tmp_path) == ["nbrefactor.rules"]
    # -v explains why it is kept, from the cell read whole (in pieces: tree-sitter).
    assert _modules_after([*arguments, "-v"], {"tree_sitter"}, tmp_path) == ["tree_sitter"]

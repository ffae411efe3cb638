"""The one table of what a line magic may bind (`analysis.line_magics`), checked against
IPython's own magics."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nbrefactor.analysis import line_magics

# IPython's line magics that bind, unbind or run code into the notebook's namespace.
BINDING = {"debug", "ed", "edit", "macro", "prun", "pylab", "rerun", "reset"}
BINDING |= {"reset_selective", "run", "sc", "time", "timeit", "xdel"}

# In another process: a shell made here would be the process's IPython (`get_ipython()`)
# for every later test.
_LIST_MAGICS = """
import json
from IPython.core.interactiveshell import InteractiveShell
from ipykernel.zmqshell import KernelMagics
shell = InteractiveShell.instance()
print(json.dumps(sorted(set(shell.magics_manager.magics["line"]) | set(KernelMagics.magics["line"]))))
"""


@pytest.fixture(scope="module")
def ipython_line_magics():
    """IPython's line magics, with ipykernel's."""
    listed = subprocess.run(
        [sys.executable, "-c", _LIST_MAGICS], capture_output=True, text=True, check=True
    )
    return set(json.loads(listed.stdout))


def test_every_magic_listed_as_binding_nothing_is_one_of_ipythons(ipython_line_magics):
    """A misspelt entry would leave the real magic counted as one that may bind any name."""
    assert line_magics.IPYTHON_BINDING_NOTHING <= ipython_line_magics


def test_ipythons_magics_that_bind_or_run_code_may_bind_any_name(ipython_line_magics):
    assert ipython_line_magics >= BINDING
    assert not BINDING & line_magics.BINDING_NOTHING
    assert all(line_magics.binds_any(magic) for magic in BINDING)


@pytest.mark.parametrize(
    ("line", "magic"),
    [
        ("%run setup.py", "run"),
        ("    %pylab inline", "pylab"),
        ("%store -r", "store"),
        ("%R -o x", "R"),
        ("%timeit", "timeit"),  # no code in sight
        ("%matplotlib inline", None),
        ("%watermark -v", None),
        ("%time f = g", None),  # the code binds what it shows, read as code
        ("%timeit -n 10 f(x)", None),
        ("%%time", None),  # a cell magic
        ("files = !ls", None),
        ("x = 1  # %run", None),
    ],
)
def test_a_line_binds_any_name_through_a_magic_not_known_to_bind_nothing(line, magic):
    assert line_magics.line_binds_any(line) == magic


def test_the_text_test_finds_the_lines_of_binding_magics():
    text = "%matplotlib inline\nx = 1\n  %run a.py\n%time y = 2\n%store -r"
    assert line_magics.binding_magic_offsets(text) == [
        text.index("  %run"),
        text.index("%store"),
    ]


@pytest.mark.parametrize(
    ("cell", "variables", "magic"),
    [
        ("pylab", (), "%pylab"),  # round 60a F4: a bare name IPython runs as `%pylab`
        ("reset -f", (), "%reset -f"),  # round 60a F8: not `reset - f`
        ("store -r f", (), "%store -r f"),
        ("run = 3", (), None),  # an assignment, which IPython leaves alone
        ("load, save = f, g", (), None),
        ("load(path)", (), None),  # `load(`: not the magic's name and a space
        ("pylab", ("pylab",), None),  # `import pylab` above: the module shown
        ("load (path)", ("load",), None),
        ("run setup.py", ("run",), "%run setup.py"),  # not Python either way
        ("pylab\nx = 1", (), None),  # two lines: no automagic
    ],
)
def test_a_cell_of_one_line_runs_the_magic_its_first_word_names_unless_a_variable(
    cell, variables, magic
):
    """IPython's automagic (`prefilter.AutoMagicChecker`) runs a cell of one line as the
    magic its first word names unless that word is followed by `=` or `,` or names a
    variable: a line that parses as Python is no exception."""
    assert line_magics.automagic_line(cell, frozenset(variables)) == magic


@pytest.mark.parametrize(
    ("earlier", "variables"),
    [
        (["import pylab"], {"pylab"}),
        (["from matplotlib import pylab"], {"pylab"}),
        (["%pylab inline"], {"pylab"}),  # `%pylab` binds `pylab` too
        (["import numpy as pylab"], {"pylab"}),
        (["pylab = None"], {"pylab"}),
        (["pylab.plot(x)", "# pylab", "import matplotlib.pylab"], set()),
        ([], set()),
    ],
)
def test_the_variables_that_shadow_a_magic_are_read_from_the_earlier_cells(earlier, variables):
    """`pylab` alone is Python once the notebook binds the name `pylab` above it."""
    assert line_magics.automagic_variables("pylab", earlier) == variables


def test_a_long_line_is_read_for_a_binding_in_linear_time(deadline: None) -> None:
    """Round 61a: one 140 KB comment line of `import ` words above a cell holding `load` alone
    took 20 s (a pattern of `from .* import .* load` tried each `import` against each rest)."""
    line = "from a import b  # " + "import " * 200_000 + "loadx"
    assert line_magics.automagic_variables("load", [line]) == frozenset()
    assert line_magics.automagic_variables("load", [line + " load"]) == frozenset({"load"})

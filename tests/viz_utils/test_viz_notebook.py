"""Jupyter: each call shows its figure exactly once (see viz_utils/_notebook.py).

The first tests drive the mechanism with a stand-in IPython shell (fast, and
they can look inside); `test_real_kernel_shows_each_figure_once` executes a
notebook in a real ipykernel with nbclient.
"""

import base64
import gc
import os
import sys
import types
import weakref
from pathlib import Path

import matplotlib.pyplot as plt
import matplotlib_inline.backend_inline  # imported before any test fakes IPython
import nbformat
import pytest
from matplotlib._pylab_helpers import Gcf
from matplotlib.figure import Figure

import viz_utils
from viz_utils import _notebook

REPO_ROOT = Path(__file__).resolve().parents[2]


class FakeShell:
    """The parts of an IPython kernel shell that viz_utils touches, with the real
    IPython event manager and display formatter."""

    def __init__(self, *, kernel: bool = True, inline_printer: bool = False):
        from IPython.core.events import EventManager, available_events
        from IPython.core.formatters import DisplayFormatter

        self.events = EventManager(self, available_events)
        self.display_formatter = DisplayFormatter()
        self.kernel = object() if kernel else None
        self.outputs: list[dict] = []
        if inline_printer:  # what `%matplotlib inline` registers
            self.display_formatter.formatters["image/png"].for_type(Figure, lambda fig: "INLINE")

    def display(self, obj, **kwargs):
        """IPython.display.display, minus the publishing."""
        data, _ = self.display_formatter.format(obj)
        self.outputs.append(data)

    def run_cell(self, cell):
        """Run ``cell()``; like the displayhook, display what it returns (its last expression)."""
        self.events.trigger("pre_run_cell", None)
        value = cell()
        if value is not None:
            self.display(value)
        self.last_execution_result = types.SimpleNamespace(result=value)
        self.events.trigger("post_execute")
        self.events.trigger("post_run_cell", None)
        outputs, self.outputs = self.outputs, []
        return outputs


@pytest.fixture
def shell(monkeypatch):
    """Install a FakeShell as the running IPython (restored after the test)."""

    def install(**kwargs):
        fake = FakeShell(**kwargs)
        ipython = types.ModuleType("IPython")
        ipython.get_ipython = lambda: fake
        ipython.version_info = (9, 0)  # matplotlib reads it when a canvas is made
        display = types.ModuleType("IPython.display")
        display.display = fake.display
        monkeypatch.setitem(sys.modules, "IPython", ipython)
        monkeypatch.setitem(sys.modules, "IPython.display", display)
        return fake

    return install


def _plot(grid):
    return viz_utils.visualize_gradient_norms(grid, [(0, 1)])


def _images(outputs):
    return [data["image/png"] for data in outputs if "image/png" in data]


@pytest.mark.parametrize("inline", [False, True])
def test_discarded_assigned_and_last_expression_each_show_once(shell, grid, inline):
    fake = shell(inline_printer=inline)

    def discarded():
        _plot(grid)

    kept = []
    for cell in (discarded, lambda: kept.append(_plot(grid)), lambda: _plot(grid)):
        images = _images(fake.run_cell(cell))
        assert len(images) == 1
        if inline:
            assert images == ["INLINE"]  # the inline backend's printer, with the user's config
        else:
            assert base64.b64decode(images[0]).startswith(b"\x89PNG")  # our own PNG


def test_several_figures_in_a_cell_show_in_order(shell, grid):
    fake = shell(inline_printer=True)
    figures = []
    outputs = fake.run_cell(lambda: figures.extend(_plot(grid) for _ in range(3)))
    assert _images(outputs) == ["INLINE"] * 3
    assert all(fig._viz_utils_shown for fig in figures)


def test_explicit_display_during_the_cell_counts(shell, grid):
    fake = shell(inline_printer=True)

    def cell():
        fake.display(_plot(grid))

    assert len(_images(fake.run_cell(cell))) == 1


def test_callbacks_are_registered_once(shell, grid):
    fake = shell()
    for _ in range(3):
        fake.run_cell(lambda: _plot(grid))
    assert len(fake.events.callbacks["post_execute"]) == 1
    assert len(fake.events.callbacks["pre_run_cell"]) == 1


def test_our_callback_runs_before_the_inline_backends_flush(shell, grid):
    fake = shell()

    def flush_figures():  # stands for matplotlib_inline's, registered by %matplotlib inline
        pass

    fake.events.register("post_execute", flush_figures)
    fake.run_cell(lambda: _plot(grid))
    assert fake.events.callbacks["post_execute"][1] is flush_figures


def test_figures_made_between_cells_are_not_shown(shell, grid):
    fake = shell(inline_printer=True)
    fake.run_cell(lambda: None)
    _plot(grid)  # e.g. a widget callback, outside any cell
    assert fake.run_cell(lambda: None) == []


def test_figure_of_a_caller_axes_is_left_alone(shell, grid):
    fake = shell(inline_printer=True)
    user_figure = Figure()
    ax = user_figure.add_subplot()

    def cell():
        viz_utils.visualize_entropy_heatmap(grid, ax=ax)

    assert fake.run_cell(cell) == []


def test_terminal_ipython_behaves_like_a_script(shell, grid):
    fake = shell(kernel=False)
    figures = []

    def discarded():
        figures.append(_plot(grid))

    assert fake.run_cell(discarded) == []
    # nothing of viz_utils' own (pyplot may register its REPL hook, as in any IPython)
    owners = [getattr(c, "__self__", None) for c in fake.events.callbacks["post_execute"]]
    assert not any(isinstance(owner, _notebook.CellFigures) for owner in owners)
    assert plt.get_fignums() == [figures[0].number]  # pyplot's, as after plt.subplots
    plt.uninstall_repl_displayhook()  # if pyplot hooked into the fake shell


@pytest.fixture
def inline_shell(shell, monkeypatch):
    """A kernel whose pyplot uses the inline backend (pyplot itself runs on Agg here)."""
    monkeypatch.setattr(_notebook, "inline_pyplot", lambda: True)
    return shell(inline_printer=True)


def test_with_inline_pyplot_the_figure_is_pyplots_until_the_cell_ends(inline_shell, grid):
    seen = {}

    def cell():
        fig = _plot(grid)
        seen["current"] = plt.gcf() is fig
        seen["numbers"] = plt.get_fignums()

    assert _images(inline_shell.run_cell(cell)) == ["INLINE"]
    assert seen == {"current": True, "numbers": [1]}
    assert plt.get_fignums() == []


def test_plt_close_means_not_shown_and_not_kept(inline_shell, grid, tmp_path):
    kept = []

    def training_loop():
        for step in range(3):
            fig = _plot(grid)
            fig.savefig(tmp_path / f"step{step}.png")
            plt.close(fig)
            kept.append(weakref.ref(fig))
        assert inline_shell.events.callbacks["post_execute"][0].__self__._pending == []

    assert inline_shell.run_cell(training_loop) == []
    assert len(list(tmp_path.iterdir())) == 3
    gc.collect()
    assert [ref() for ref in kept] == [None] * 3


def test_plt_savefig_saves_the_figure(inline_shell, grid, tmp_path):
    def cell():
        fig = _plot(grid)
        plt.savefig(tmp_path / "via_pyplot.png")
        fig.savefig(tmp_path / "direct.png")

    assert len(_images(inline_shell.run_cell(cell))) == 1
    via_pyplot = plt.imread(tmp_path / "via_pyplot.png")
    assert via_pyplot.shape == plt.imread(tmp_path / "direct.png").shape
    assert via_pyplot.std() > 0.1  # the heatmap, not a blank new figure


def test_users_own_pyplot_figures_are_left_to_pyplot(inline_shell, grid):
    def cell():
        plt.figure()
        _plot(grid)

    assert len(_images(inline_shell.run_cell(cell))) == 1
    assert plt.get_fignums() == [1]


def test_figures_made_between_cells_are_released_from_pyplot(inline_shell, grid):
    _plot(grid)
    assert plt.get_fignums() == [1]
    assert inline_shell.run_cell(lambda: None) == []
    assert plt.get_fignums() == []


@pytest.fixture
def flushing_shell(inline_shell):
    """The inline kernel, with the inline backend's flush_figures after ours
    (default configuration: show every open pyplot figure, then close them all)."""

    def flush_figures():
        for manager in Gcf.get_all_fig_managers():
            inline_shell.display(manager.canvas.figure)
        plt.close("all")

    inline_shell.events.register("post_execute", flush_figures)
    return inline_shell


def test_callers_pyplot_figure_as_the_last_expression_is_shown_once(flushing_shell, grid):
    def cell():
        _, axes = plt.subplots(1, 2)
        viz_utils.visualize_entropy_heatmap(grid, ax=axes[0])
        return viz_utils.visualize_gradient_norms(grid, ax=axes[1])  # the last expression

    assert _images(flushing_shell.run_cell(cell)) == ["INLINE"]
    assert plt.get_fignums() == []


def test_callers_pyplot_figure_otherwise_is_left_to_the_inline_backend(flushing_shell, grid):
    def cell():
        _, ax = plt.subplots()
        viz_utils.visualize_entropy_heatmap(grid, ax=ax)  # discarded: the flush shows it

    assert _images(flushing_shell.run_cell(cell)) == ["INLINE"]


def test_with_close_figures_off_the_callers_figure_is_kept_but_not_redrawn(
    inline_shell, grid, monkeypatch
):
    backend = matplotlib_inline.backend_inline
    monkeypatch.setattr(backend.InlineBackend.instance(), "close_figures", False)
    monkeypatch.setattr(backend.show, "_to_draw", [])
    fig, ax = plt.subplots()
    backend.show._to_draw.append(fig)  # as drawing in interactive mode does

    inline_shell.run_cell(lambda: viz_utils.visualize_entropy_heatmap(grid, ax=ax))
    assert backend.show._to_draw == []
    assert plt.get_fignums() == [fig.number]


def test_in_a_kernel_save_path_still_shows_the_figure_once(inline_shell, grid, tmp_path):
    def cell():
        viz_utils.visualize_gradient_norms(grid, save_path=tmp_path / "g.png")

    assert _images(inline_shell.run_cell(cell)) == ["INLINE"]
    assert (tmp_path / "g.png").exists()
    assert plt.get_fignums() == []


def test_mimebundle_respects_include_and_exclude(shell, grid):
    shell()
    fig = _plot(grid)
    assert _notebook.mimebundle(fig, include=["text/plain"]) == {}
    assert _notebook.mimebundle(fig, exclude=["image/png"]) == {}
    assert fig._viz_utils_shown


def test_outside_ipython_nothing_happens(monkeypatch, grid):
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    fig = _plot(grid)
    assert _notebook.kernel_shell() is None
    assert fig._repr_mimebundle_() == {}
    assert "IPython" not in sys.modules


# A real kernel ----------------------------------------------------------------

CALL = "viz_utils.visualize_gradient_norms(grid, [(0, 1)], [(2, 3)])"

# (cell source, number of image/png outputs expected)
CELLS = [
    ("import numpy as np\nimport viz_utils\ngrid = np.random.default_rng(0).random((6, 12))", 0),
    # pyplot not imported yet: no inline printer for figures, viz_utils sends its own PNG
    (f"{CALL}\nx = 1", 1),
    (f"fig = {CALL}", 1),
    (CALL, 1),
    ("%matplotlib inline\nimport matplotlib.pyplot as plt", 0),
    # the three ways a notebook calls a helper
    (f"{CALL}\nx = 1", 1),  # value discarded
    (f"fig = {CALL}", 1),  # value assigned
    (CALL, 1),  # value is the cell's last expression
    (f"{CALL};", 1),
    (f"fig = {CALL}\ndisplay(fig)", 1),
    (f"for _ in range(3):\n    {CALL}", 3),
    ("fig", 1),  # showing an earlier figure again on purpose
    ("y = 2", 0),
    # a training loop that only saves files and closes each figure, as real notebooks do
    (
        (
            f"for step in range(3):\n    fig = {CALL}\n"
            "    fig.savefig(f'step{step}.png')\n    plt.close(fig)"
        ),
        0,
    ),
    # plt.show() shows it there (before the print); plt.savefig() saves it
    (f"{CALL}\nplt.show()\nprint('after show')", 1),
    (f"{CALL}\nplt.savefig('via_pyplot.png')", 1),
    # a pyplot figure passed in through ax= is the user's: the inline backend shows it,
    # and only once when the call is the last expression (the displayhook shows it then)
    (f"user_fig, ax = plt.subplots()\n{CALL.replace(')])', ')], ax=ax)')}", 1),
    (f"user_fig, ax = plt.subplots()\n{CALL.replace(')])', ')], ax=ax)')}\nx = 1", 1),
    (
        (
            "fig, axes = plt.subplots(1, 3)\n"
            "viz_utils.visualize_entropy_heatmap(grid, ax=axes[0])\n"
            "viz_utils.visualize_entropy_vs_gradient(grid, grid, ax=axes[1])\n"
            "viz_utils.visualize_entropy_heatmap(grid, ax=axes[2])"
        ),
        1,
    ),
    # save_path= in a notebook: saved, and shown as the notebooks' helpers did
    (CALL.replace(")])", ")], save_path='saved.png')"), 1),
    (
        (
            "callbacks = get_ipython().events.callbacks['post_execute']\n"
            "print(sum(type(getattr(c, '__self__', None)).__name__ == 'CellFigures' "
            "for c in callbacks), plt.get_fignums())"
        ),
        0,
    ),
]


def test_real_kernel_shows_each_figure_once(tmp_path):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    # ipykernel's own `python3` spec, built for this interpreter (sys.executable),
    # rather than a kernel.json on disk that may name another `python`.
    spec_manager = KernelSpecManager(kernel_dirs=[], ensure_native_kernel=True)
    assert spec_manager.get_kernel_spec("python3").argv[0] == sys.executable
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=spec_manager)

    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source, _ in CELLS]
    )
    client = NotebookClient(
        notebook,
        km=manager,
        timeout=120,
        startup_timeout=120,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute(env=env)

    counts = [
        sum("image/png" in output.get("data", {}) for output in cell.outputs)
        for cell in notebook.cells
    ]
    assert counts == [expected for _, expected in CELLS]
    last_expression = notebook.cells[7].outputs
    assert [o.output_type for o in last_expression] == ["execute_result"]
    assert notebook.cells[-1].outputs[0].text == "1 []\n"
    show_cell = next(cell for cell in notebook.cells if "plt.show()" in cell.source)
    assert [o.output_type for o in show_cell.outputs] == ["display_data", "stream"]
    ax_last = next(cell for cell in notebook.cells if cell.source.startswith("fig, axes"))
    assert [o.output_type for o in ax_last.outputs] == ["execute_result"]
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        "saved.png",
        "step0.png",
        "step1.png",
        "step2.png",
        "via_pyplot.png",
    ]
    assert plt.imread(tmp_path / "via_pyplot.png").std() > 0.1  # the heatmap, not blank

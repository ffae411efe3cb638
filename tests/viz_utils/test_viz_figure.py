"""Behaviour shared by all six functions: return value, save_path=, ax=, no leaks."""

import gc
import tracemalloc
import weakref
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib._pylab_helpers import Gcf
from matplotlib.figure import Figure

import viz_utils

NAMES = sorted(viz_utils.__all__)


@pytest.mark.parametrize("name", NAMES)
def test_returns_a_figure_unknown_to_pyplot(examples, name):
    fig = examples[name]()
    assert isinstance(fig, Figure)
    assert fig.get_layout_engine() is not None  # constrained layout
    assert plt.get_fignums() == [] and Gcf.get_all_fig_managers() == []


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    ("suffix", "magic"), [(".png", b"\x89PNG"), (".pdf", b"%PDF"), (".svg", b"<?xml")]
)
def test_save_path_format_comes_from_the_extension(examples, name, tmp_path, suffix, magic):
    path = tmp_path / f"out{suffix}"
    fig = examples[name](save_path=path)
    assert path.read_bytes().startswith(magic)
    assert isinstance(fig, Figure)


def test_save_path_as_string(examples, tmp_path):
    examples["visualize_entropy_heatmap"](save_path=str(tmp_path / "entropy.JPG"))
    assert (tmp_path / "entropy.JPG").read_bytes().startswith(b"\xff\xd8")


@pytest.mark.parametrize("name", NAMES)
def test_save_path_in_a_missing_folder(examples, name, tmp_path):
    path = tmp_path / "missing" / "out.png"
    with pytest.raises(FileNotFoundError, match=r"save_path '.*out.png': folder '.*missing'"):
        examples[name](save_path=path)


@pytest.mark.parametrize(
    ("save_path", "error", "message"),
    [
        ("figure", ValueError, "save_path 'figure' has no file extension"),
        ("figure.docx", ValueError, r"save_path 'figure.docx': matplotlib cannot write 'docx'"),
        (42, TypeError, "save_path must be a str or os.PathLike, got int"),
    ],
)
def test_bad_save_path(examples, save_path, error, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error, match=message):
        examples["visualize_gradient_norms"](save_path=save_path)
    assert list(tmp_path.iterdir()) == []


def test_save_path_that_is_a_folder(examples, tmp_path):
    (tmp_path / "dir.png").mkdir()
    with pytest.raises(IsADirectoryError, match="is a folder"):
        examples["visualize_gradient_norms"](save_path=tmp_path / "dir.png")


@pytest.mark.parametrize("name", NAMES)
def test_ax_draws_into_an_existing_axes(examples, name, tmp_path):
    fig = Figure()
    left, right = fig.subplots(1, 2)
    result = examples[name](ax=right, save_path=tmp_path / "both.png")
    assert result is fig
    assert not left.has_data()
    assert right.has_data()
    assert (tmp_path / "both.png").exists()


@pytest.mark.parametrize("name", NAMES)
def test_ax_in_a_subfigure_returns_the_root_figure(examples, name):
    fig = Figure()
    top, _ = fig.subfigures(2, 1)
    ax = top.add_subplot()
    assert examples[name](ax=ax) is fig
    assert ax.has_data()


def test_ax_with_pyplot_axes_keeps_the_users_figure():
    fig, ax = plt.subplots()
    assert viz_utils.visualize_entropy_heatmap([[1.0, 2.0]], ax=ax) is fig
    assert plt.get_fignums() == [fig.number]


@pytest.mark.parametrize("name", NAMES)
def test_ax_must_be_an_axes(examples, name):
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        examples[name](ax="left")


def test_a_thousand_calls_leave_no_figure_behind_and_memory_flat():
    """A training loop calls the helper every step: nothing may accumulate."""
    history = {"step": [0, 1, 2], "train_loss": [3.0, 2.0, 1.5]}
    refs = []
    start = 0
    for call in range(1000):
        refs.append(weakref.ref(viz_utils.visualize_training_progress(history)))
        if call == 799:  # trace the last 200 calls (tracemalloc is slow)
            gc.collect()
            tracemalloc.start()
            start = tracemalloc.get_traced_memory()[0]
    gc.collect()
    growth = tracemalloc.get_traced_memory()[0] - start
    tracemalloc.stop()
    assert plt.get_fignums() == [] and Gcf.get_all_fig_managers() == []
    assert sum(ref() is not None for ref in refs) == 0
    # One figure holds about 250 kB: 200 leaked ones would be ~50 MB. The bound is
    # generous because one-off growth (e.g. Python resizing its table of interned
    # strings, ~4 MB) can fall into the window.
    assert growth < 10_000_000, f"memory grew by {growth} bytes over 200 calls"


@pytest.mark.parametrize("name", NAMES)
def test_every_function_leaves_figures_collectable(examples, name):
    refs = [weakref.ref(examples[name]()) for _ in range(20)]
    gc.collect()
    assert [ref() for ref in refs] == [None] * 20
    assert plt.get_fignums() == []


def test_saved_file_is_complete(examples, tmp_path):
    path = tmp_path / "g.png"
    examples["visualize_gradient_norms"](save_path=path)
    image = plt.imread(path)
    assert image.shape[0] > 100 and image.shape[1] > 100
    assert Path(path).stat().st_size > 1000

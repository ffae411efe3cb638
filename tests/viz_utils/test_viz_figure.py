"""Behaviour shared by all six functions: the pyplot rule, save_path=, ax=, no leaks.

The rule is plt.subplots': a new figure is pyplot's current figure; save_path=
saves it and closes it in pyplot; ax= draws into the caller's figure and creates
none. The script test runs in a subprocess, as a user's script would.
"""

import gc
import os
import subprocess
import sys
import weakref
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

import viz_utils

NAMES = sorted(viz_utils.__all__)
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", NAMES)
def test_a_new_figure_is_pyplots_current_figure(examples, name, tmp_path):
    fig = examples[name]()
    assert isinstance(fig, Figure)
    assert fig.get_layout_engine() is not None  # constrained layout
    assert plt.gcf() is fig
    assert plt.get_fignums() == [fig.number]
    plt.savefig(tmp_path / "via_pyplot.png")
    fig.savefig(tmp_path / "direct.png")
    via_pyplot, direct = (
        plt.imread(tmp_path / "via_pyplot.png"),
        plt.imread(tmp_path / "direct.png"),
    )
    assert via_pyplot.shape == direct.shape
    assert np.abs(via_pyplot - direct).mean() < 0.01  # a second save may move a colour bar
    plt.close()
    assert plt.get_fignums() == []


@pytest.mark.parametrize("name", NAMES)
def test_save_path_saves_then_releases_the_figure(examples, name, tmp_path):
    refs = []
    for call in range(3):
        fig = examples[name](save_path=tmp_path / f"{call}.png")
        assert plt.get_fignums() == []
        assert fig.axes  # the returned figure is still whole
        refs.append(weakref.ref(fig))
    del fig
    gc.collect()
    assert [ref() for ref in refs] == [None] * 3
    assert len(list(tmp_path.iterdir())) == 3


@pytest.mark.parametrize("name", NAMES)
def test_a_failed_drawing_leaves_no_figure_behind(examples, name):
    with pytest.raises(AttributeError, match="unexpected keyword argument 'no_such_property'"):
        examples[name](no_such_property=1)  # passed through to imshow/scatter/plot
    assert plt.get_fignums() == []


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
    assert plt.get_fignums() == []  # no figure created


@pytest.mark.parametrize("name", NAMES)
def test_ax_in_a_subfigure_returns_the_root_figure(examples, name):
    fig = Figure()
    top, _ = fig.subfigures(2, 1)
    ax = top.add_subplot()
    assert examples[name](ax=ax) is fig
    assert ax.has_data()


def test_ax_with_pyplot_axes_keeps_the_users_figure(tmp_path):
    fig, ax = plt.subplots()
    other = plt.figure()
    result = viz_utils.visualize_entropy_heatmap([[1.0, 2.0]], ax=ax, save_path=tmp_path / "a.png")
    assert result is fig
    assert plt.get_fignums() == [fig.number, other.number]  # saved, not closed: the caller's
    assert plt.gcf() is other  # and the current figure is left as it was


@pytest.mark.parametrize("name", NAMES)
def test_ax_must_be_an_axes(examples, name):
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        examples[name](ax="left")


def test_saved_file_is_complete(examples, tmp_path):
    path = tmp_path / "g.png"
    examples["visualize_gradient_norms"](save_path=path)
    image = plt.imread(path)
    assert image.shape[0] > 100 and image.shape[1] > 100
    assert Path(path).stat().st_size > 1000


# In a script -------------------------------------------------------------------

SCRIPT = """
import gc, sys, weakref
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import viz_utils

grid = np.arange(12.0).reshape(3, 4)
history = {"step": [0, 1, 2], "train_loss": [3.0, 2.0, 1.5], "sparsity": [0, 0.1, 0.2]}
calls = {
    "visualize_gradient_norms": lambda **kw: viz_utils.visualize_gradient_norms(grid, **kw),
    "visualize_attention_matrix": lambda **kw: viz_utils.visualize_attention_matrix(
        grid / 12, **kw
    ),
    "visualize_entropy_heatmap": lambda **kw: viz_utils.visualize_entropy_heatmap(grid, **kw),
    "visualize_normalized_entropy": lambda **kw: viz_utils.visualize_normalized_entropy(
        grid, 12.0, **kw
    ),
    "visualize_entropy_vs_gradient": lambda **kw: viz_utils.visualize_entropy_vs_gradient(
        grid, -grid, **kw
    ),
    "visualize_training_progress": lambda **kw: viz_utils.visualize_training_progress(
        history, **kw
    ),
}
names = sorted(calls)
assert names == sorted(viz_utils.__all__)
out = sys.argv[1]

# As after plt.subplots(): plt.savefig() saves the figure the call made.
for name in names:
    fig = calls[name]()
    plt.savefig(f"{out}/{name}-pyplot.png")
    fig.savefig(f"{out}/{name}-direct.png")
    plt.close()
    print(name, "saved")

# A training loop that saves its progress plot every N steps: nothing accumulates.
# (Every function releases its figure: test_save_path_saves_then_releases_the_figure.
# This one is the cheapest to draw; drawing 200 figures still takes seconds.)
plt.rcParams["savefig.dpi"] = 10  # this part is about figures, not pixels
refs = []
for step in range(200):
    progress = {"step": [0, step + 1], "train_loss": [3.0, 2.0]}
    fig = viz_utils.visualize_training_progress(
        progress, figsize=(3, 2), save_path=f"{out}/progress.png"
    )
    refs.append(weakref.ref(fig))
del fig
gc.collect()
print("open after 200 calls:", plt.get_fignums(), "alive:", sum(r() is not None for r in refs))
"""


def test_in_a_script_pyplot_acts_on_each_figure_and_save_path_releases_it(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{name} saved" for name in NAMES] + [
        "open after 200 calls: [] alive: 0"
    ]
    for name in NAMES:
        via_pyplot = plt.imread(tmp_path / f"{name}-pyplot.png")
        direct = plt.imread(tmp_path / f"{name}-direct.png")
        assert via_pyplot.shape == direct.shape, name
        # that call's figure (a second save may move a colour bar by a pixel) ...
        assert np.abs(via_pyplot - direct).mean() < 0.01, name
        assert via_pyplot.std() > 0.05, name  # ... not a blank one

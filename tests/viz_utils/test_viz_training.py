"""visualize_training_progress: stacked panels from a metrics_history dict."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from viz_utils import visualize_training_progress
from viz_utils.exceptions import MetricNotDrawnWarning
from viz_utils.training import downsample_indices


@pytest.fixture
def history(rng):
    """What the pruning notebooks record (their plot_training_metrics input)."""
    steps = np.arange(0, 500, 10)
    eval_loss = 3 + np.exp(-steps / 100)
    pruned = np.minimum(steps // 50, 6)
    return {
        "step": steps.tolist(),
        "train_loss": (eval_loss - 0.1 + rng.normal(scale=0.01, size=steps.size)).tolist(),
        "eval_loss": eval_loss.tolist(),
        "perplexity": np.exp(eval_loss).tolist(),
        "total_pruned": pruned.tolist(),
        "sparsity": (pruned / 72).tolist(),
    }


def _lines(ax):
    return {line.get_label(): line for line in ax.get_lines()}


def test_notebook_history_gives_the_notebooks_three_titled_panels(history):
    fig = visualize_training_progress(history)
    assert isinstance(fig, Figure)
    assert tuple(fig.get_size_inches()) == (10, 8)
    loss, perplexity, pruning, twin = fig.axes
    assert [ax.get_title() for ax in (loss, perplexity, pruning, twin)] == [
        "Training and Evaluation Loss",
        "Evaluation Perplexity",
        "Pruning Progress",
        "",  # the twin axis of the pruning panel
    ]
    assert [ax.get_ylabel() for ax in fig.axes] == [
        "Loss",
        "Perplexity",
        "Pruned heads",
        "Sparsity",
    ]
    assert pruning.get_xlabel() == "Step"
    assert _lines(loss).keys() == {"train loss", "eval loss"}
    np.testing.assert_array_equal(_lines(loss)["eval loss"].get_xdata(), history["step"])
    np.testing.assert_array_equal(_lines(loss)["eval loss"].get_ydata(), history["eval_loss"])
    np.testing.assert_array_equal(
        _lines(pruning)["total pruned"].get_ydata(), history["total_pruned"]
    )
    assert loss.get_legend() is not None and perplexity.get_legend() is None
    assert loss.get_shared_x_axes().joined(loss, pruning)
    assert loss.get_xlim() == pruning.get_xlim()


def test_sparsity_is_on_a_twin_axis_beside_pruned_heads(history):
    fig = visualize_training_progress(history)
    pruning, sparsity = fig.axes[2], fig.axes[3]
    assert sparsity.bbox.bounds == pruning.bbox.bounds  # same place
    assert sparsity.yaxis.get_label_position() == "right"
    assert sparsity.get_shared_x_axes().joined(sparsity, pruning)
    (line,) = sparsity.get_lines()
    np.testing.assert_array_equal(line.get_ydata(), history["sparsity"])
    assert line.get_linestyle() == "--"
    assert line.get_color() != _lines(pruning)["total pruned"].get_color()
    assert sparsity.yaxis.get_major_formatter().format_pct(0.25, 1) == "25%"
    # one legend for both axes, on top of both
    legend = sparsity.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["total pruned", "sparsity (right axis)"]
    assert pruning.get_legend() is None


def test_missing_keys_are_skipped(history):
    fig = visualize_training_progress({k: history[k] for k in ("step", "eval_loss", "sparsity")})
    assert [ax.get_ylabel() for ax in fig.axes] == ["Loss", "Sparsity"]
    assert [ax.get_title() for ax in fig.axes] == [
        "Training and Evaluation Loss",
        "Pruning Progress",
    ]
    assert list(_lines(fig.axes[0])) == ["eval loss"]
    assert fig.axes[1].get_lines()[0].get_linestyle() == "-"  # alone: no twin, not dashed


def test_revived_shares_the_heads_axis(history):
    history["revived"] = [0] * len(history["step"])
    fig = visualize_training_progress(history)
    assert fig.axes[2].get_ylabel() == "Heads"
    assert set(_lines(fig.axes[2])) == {"total pruned", "revived"}
    assert len(fig.axes[3].get_legend().get_texts()) == 3


def test_unknown_keys_are_not_drawn_and_empty_lists_are_skipped(history):
    history["learning_rate"] = [1e-4] * len(history["step"])
    with pytest.warns(MetricNotDrawnWarning, match="keys not drawn: 'learning_rate'"):
        assert len(visualize_training_progress(history).axes) == 4  # 3 panels and a twin
    with pytest.warns(MetricNotDrawnWarning, match="keys not drawn: 'lr'"):
        fig = visualize_training_progress(
            {"step": [5], "train_loss": [], "sparsity": [0.1], "lr": 1}
        )
    assert [ax.get_ylabel() for ax in fig.axes] == ["Sparsity"]


def test_long_history_is_downsampled(rng):
    steps = np.arange(10_000)
    loss = rng.random(steps.size)
    fig = visualize_training_progress({"step": steps, "train_loss": loss}, max_display_points=50)
    (line,) = fig.axes[0].get_lines()
    assert line.get_xdata().size == 50
    assert line.get_xdata()[0] == 0 and line.get_xdata()[-1] == 9_999
    np.testing.assert_array_equal(line.get_ydata(), loss[line.get_xdata().astype(int)])
    fig = visualize_training_progress({"step": steps, "train_loss": loss})
    assert fig.axes[0].get_lines()[0].get_xdata().size == 100


@pytest.mark.parametrize(
    ("count", "limit"), [(0, 5), (5, 5), (6, 5), (101, 100), (10_001, 7), (10, 2), (10, 3)]
)
def test_downsample_indices(count, limit, rng):
    values = rng.random(count)
    indices = downsample_indices(values, limit)
    assert indices.size <= min(count, limit)
    assert indices.size == count or indices.size >= min(limit, 4) - 1
    assert np.all(np.diff(indices) > 0)
    if count:
        assert indices[0] == 0 and indices[-1] == count - 1


def test_thinning_keeps_a_spike():
    """Sweep 30: evenly spaced points dropped a loss spike; each run's highest is kept."""
    loss = np.linspace(4.0, 2.0, 1000)
    loss[503] = 9.0
    loss[77] = -1.0
    fig = visualize_training_progress({"train_loss": loss})
    ydata = fig.axes[0].get_lines()[0].get_ydata()
    assert ydata.size <= 100
    assert ydata.max() == 9.0 and ydata.min() == -1.0


def test_without_step_the_index_is_used():
    fig = visualize_training_progress({"train_loss": [3.0, 2.0, 1.0]})
    np.testing.assert_array_equal(fig.axes[0].get_lines()[0].get_xdata(), [0, 1, 2])
    assert fig.axes[0].get_xlabel() == "Index (no 'step' key)"


def test_none_nan_and_inf_values_are_skipped():
    fig = visualize_training_progress(
        {
            "step": [0, 1, 2, 3],
            "eval_loss": [None, 2.0, float("nan"), float("inf")],
            "train_loss": [4, 3, 2, 1],
        }
    )
    lines = _lines(fig.axes[0])
    np.testing.assert_array_equal(lines["eval loss"].get_xdata(), [1])
    assert lines["eval loss"].get_marker() == "o"  # a single point stays visible
    fig.canvas.draw()


def test_perplexity_spanning_decades_uses_a_log_scale():
    fig = visualize_training_progress({"perplexity": [5000.0, 300.0, 20.0]})
    assert fig.axes[0].get_yscale() == "log"
    fig = visualize_training_progress({"perplexity": [50.0, 30.0, 20.0]})
    assert fig.axes[0].get_yscale() == "linear"


def test_figsize(history):
    fig = visualize_training_progress(history, 100, (6, 4))
    assert tuple(fig.get_size_inches()) == (6, 4)


@pytest.mark.parametrize(
    ("metrics", "kwargs", "error", "message"),
    [
        ([1, 2], {}, TypeError, "metrics_history must be a dict of lists keyed by metric name"),
        ({}, {}, ValueError, "metrics_history has nothing to plot: expected non-empty lists"),
        ({"step": [1], "accuracy": [0.5]}, {}, ValueError, r"got keys \['accuracy', 'step'\]"),
        (
            {"step": [1, 2], "train_loss": [1.0]},
            {},
            ValueError,
            r"metrics_history\['train_loss'\] has 1 values but metrics_history\['step'\] has 2",
        ),
        (
            {"train_loss": [[1.0, 2.0]]},
            {},
            ValueError,
            r"metrics_history\['train_loss'\] must be a flat list of numbers, got shape \(1, 2\)",
        ),
        (
            {"step": [[1]], "train_loss": [1.0]},
            {},
            ValueError,
            r"metrics_history\['step'\] must be a flat list",
        ),
        ({"train_loss": ["a"]}, {}, TypeError, r"metrics_history\['train_loss'\] must be numeric"),
        (
            {"train_loss": [1.0]},
            {"max_display_points": 1},
            ValueError,
            "max_display_points must be at least 2",
        ),
        (
            {"train_loss": [1.0]},
            {"max_display_points": 2.5},
            TypeError,
            "max_display_points must be an integer",
        ),
        ({"train_loss": [1.0]}, {"figsize": (5,)}, ValueError, "figsize must be"),
        ({"train_loss": [1.0]}, {"figsize": (0, 3)}, ValueError, "figsize must be positive"),
    ],
)
def test_errors(metrics, kwargs, error, message):
    with pytest.raises(error, match=message):
        visualize_training_progress(metrics, **kwargs)


# ax= -------------------------------------------------------------------------


def test_single_axes_slot_is_divided_into_the_panels(history):
    fig = Figure()
    left, right = fig.subplots(1, 2)
    result = visualize_training_progress(history, ax=right)
    assert result is fig
    assert len(fig.axes) == 5  # left + three panels, the first of which is `right`, + a twin
    assert right.get_ylabel() == "Loss"
    assert not left.has_data()
    assert right.get_subplotspec().get_topmost_subplotspec().colspan == range(1, 2)


def test_single_axes_for_a_single_panel(history):
    fig = Figure()
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    assert visualize_training_progress({"train_loss": [1, 2]}, ax=ax) is fig
    assert len(ax.get_lines()) == 1
    with pytest.raises(ValueError, match="3 panels are drawn in the slot of ax"):
        visualize_training_progress(history, ax=ax)


def test_list_of_axes(history):
    fig = Figure()
    axes = fig.subplots(2, 1)
    visualize_training_progress(
        {k: history[k] for k in ("step", "train_loss", "sparsity")}, ax=list(axes)
    )
    assert [ax.get_ylabel() for ax in axes] == ["Loss", "Sparsity"]
    with pytest.raises(ValueError, match="ax must hold one Axes per panel: .* 3 panel"):
        visualize_training_progress(history, ax=axes)
    with pytest.raises(TypeError, match=r"ax\[1\] must be a matplotlib Axes"):
        visualize_training_progress({"train_loss": [1], "sparsity": [0]}, ax=[axes[0], "x"])


# torch ---------------------------------------------------------------------


def test_lists_of_scalar_tensors(torch):
    losses = [torch.tensor(v, requires_grad=True) * 1 for v in (3.0, 2.0, 1.5)]
    history = {
        "step": torch.arange(3),
        "train_loss": losses,
        "perplexity": torch.tensor([20.0, 7.4, 4.5], dtype=torch.bfloat16),
    }
    fig = visualize_training_progress(history)
    np.testing.assert_array_equal(fig.axes[0].get_lines()[0].get_ydata(), [3.0, 2.0, 1.5])
    np.testing.assert_array_equal(fig.axes[1].get_lines()[0].get_xdata(), [0, 1, 2])

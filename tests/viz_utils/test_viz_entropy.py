"""Entropy heatmap, normalized entropy, and entropy against gradient norm."""

import math

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_rgba

from viz_utils import (
    visualize_entropy_heatmap,
    visualize_entropy_vs_gradient,
    visualize_normalized_entropy,
)


def _shown(fig):
    return np.ma.filled(fig.axes[0].images[0].get_array(), np.nan)


def _texts(ax):
    return [text.get_text() for text in ax.texts]


# visualize_entropy_heatmap -----------------------------------------------------


def test_entropy_heatmap_content(grid):
    fig = visualize_entropy_heatmap(grid)
    assert len(fig.axes) == 2
    ax = fig.axes[0]
    np.testing.assert_array_equal(_shown(fig), grid)
    assert ax.images[0].get_clim() == (0.0, grid.max())
    assert ax.get_title() == "Attention Entropy Heatmap"
    assert fig.axes[1].get_ylabel() == "Entropy (nats)"
    assert len(ax.texts) == 72
    assert ax.texts[13].get_text() == f"{grid[1, 1]:.2f}"
    assert ax.texts[13].get_position() == (1, 1)


def test_annotation_contrasts_with_the_cell(grid):
    grid[0, 0], grid[0, 1] = 0.0, 2.0  # darkest and lightest viridis
    ax = visualize_entropy_heatmap(grid).axes[0]
    assert ax.texts[0].get_color() == "white"
    assert ax.texts[1].get_color() == "black"


def test_no_annotation_when_asked_or_when_too_big(rng):
    assert len(visualize_entropy_heatmap(rng.random((6, 12)), annotate=False).axes[0].texts) == 0
    assert len(visualize_entropy_heatmap(rng.random((24, 16))).axes[0].texts) == 0
    assert len(visualize_entropy_heatmap(rng.random((2, 30))).axes[0].texts) == 0


def test_min_value_sets_the_lower_colour_limit(grid):
    assert _clim(visualize_entropy_heatmap(grid, min_value=0.5)) == (0.5, grid.max())
    assert _clim(visualize_entropy_heatmap(grid, min_value=None)) == (grid.min(), grid.max())


def _clim(fig):
    return fig.axes[0].images[0].get_clim()


@pytest.mark.parametrize(("value", "expected"), [(0.0, (0.0, 1.0)), (2.0, (0.0, 2.0))])
def test_constant_or_all_zero_entropy_has_a_sensible_range(value, expected):
    fig = visualize_entropy_heatmap(np.full((3, 4), value))
    assert _clim(fig) == expected
    assert set(_texts(fig.axes[0])) == {f"{value:.2f}"}
    fig.canvas.draw()


def test_constant_entropy_without_min_value():
    low, high = _clim(visualize_entropy_heatmap(np.full((3, 4), 2.0), min_value=None))
    assert low < 2.0 < high


def test_entropy_heatmap_nan_cells_are_masked_and_not_annotated(grid):
    grid[2, 3] = np.nan
    fig = visualize_entropy_heatmap(grid)
    assert fig.axes[0].images[0].get_array().mask[2, 3]
    assert len(fig.axes[0].texts) == 71
    fig.canvas.draw()


def test_entropy_heatmap_errors():
    with pytest.raises(ValueError, match=r"entropy_values must have shape \[layers, heads\]"):
        visualize_entropy_heatmap([1.0, 2.0])
    with pytest.raises(ValueError, match="entropy_values .* empty"):
        visualize_entropy_heatmap(np.zeros((3, 0)))
    with pytest.raises(ValueError, match="min_value must be a finite number"):
        visualize_entropy_heatmap(np.ones((2, 2)), min_value=float("nan"))


# visualize_normalized_entropy --------------------------------------------------


def test_normalized_entropy_is_a_percentage(grid):
    fig = visualize_normalized_entropy(grid, max_entropy=2.0)
    np.testing.assert_allclose(_shown(fig), 50.0 * grid)
    assert _clim(fig) == (0.0, 100.0)
    assert fig.axes[0].get_title() == "Normalized Entropy (% of Maximum)"
    assert fig.axes[1].get_ylabel() == "% of maximum entropy"
    assert fig.axes[0].texts[0].get_text() == f"{50 * grid[0, 0]:.0f}"


def test_normalized_entropy_broadcasts_max_entropy(grid):
    per_layer = np.arange(2.0, 8.0)[:, None]  # above every value: no warning
    fig = visualize_normalized_entropy(grid.tolist(), per_layer, "per layer")
    np.testing.assert_allclose(_shown(fig), 100 * grid / per_layer)
    assert fig.axes[0].get_title() == "per layer"


@pytest.mark.parametrize(
    ("maximum", "message"),
    [
        (0.0, "max_entropy must be positive and finite"),
        (-1.0, "max_entropy must be positive and finite"),
        (np.inf, "max_entropy must be positive and finite"),
        (
            np.ones(5),
            r"max_entropy must be a scalar or broadcast to .* \(6, 12\), got shape \(5,\)",
        ),
    ],
)
def test_normalized_entropy_bad_max(grid, maximum, message):
    with pytest.raises(ValueError, match=message):
        visualize_normalized_entropy(grid, maximum)


def test_normalized_entropy_with_tensors(torch, grid):
    entropy = torch.tensor(grid, dtype=torch.bfloat16)
    fig = visualize_normalized_entropy(entropy, torch.tensor(math.log(16.0)))
    expected = 100 * entropy.to(torch.float64).numpy() / math.log(16.0)
    np.testing.assert_allclose(_shown(fig), expected, rtol=1e-6)


# visualize_entropy_vs_gradient -------------------------------------------------


def _points(fig):
    return fig.axes[0].collections[0].get_offsets()


def _stats(fig):
    return fig.axes[0].get_legend().get_title().get_text()


def _fit(fig):
    (line,) = fig.axes[0].get_lines()
    return line


def test_scatter_one_point_per_head_coloured_by_layer(rng, grid):
    grads = rng.random((6, 12))
    fig = visualize_entropy_vs_gradient(grid, grads)
    assert len(fig.axes) == 2  # scatter + layer colour bar
    points = _points(fig)
    assert points.shape == (72, 2)
    np.testing.assert_array_equal(points, np.column_stack([grid.ravel(), grads.ravel()]))
    np.testing.assert_array_equal(fig.axes[0].collections[0].get_array(), np.repeat(range(6), 12))
    ax = fig.axes[0]
    assert ax.get_title() == "Entropy vs Gradient Relationship"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Attention entropy (nats)", "Gradient norm")
    r = np.corrcoef(grid.ravel(), grads.ravel())[0, 1]
    assert _stats(fig) == f"r = {r:.2f}, n = 72"
    assert len(ax.texts) == 0  # the statistics are the legend's title, no separate box


def test_layers_take_the_first_tab10_colours(rng, grid):
    fig = visualize_entropy_vs_gradient(grid, rng.random((6, 12)))
    fig.canvas.draw()  # colours are mapped at draw time
    colors = fig.axes[0].collections[0].get_facecolors()[::12, :3]  # one head per layer
    tab10 = matplotlib.colormaps["tab10"].colors[:6]
    np.testing.assert_allclose(colors, tab10)


def test_trend_line_with_its_slope_in_the_legend(rng):
    entropy = rng.uniform(0.5, 2.5, size=(4, 6))
    grads = 1.8 - 0.5 * entropy + rng.normal(scale=0.05, size=(4, 6))
    fig = visualize_entropy_vs_gradient(entropy, grads)
    slope, intercept = np.polyfit(entropy.ravel(), grads.ravel(), 1)
    line = _fit(fig)
    np.testing.assert_allclose(line.get_xdata(), [entropy.min(), entropy.max()])
    np.testing.assert_allclose(line.get_ydata(), slope * line.get_xdata() + intercept)
    assert line.get_linestyle() == "--"
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [f"fit (slope={slope:.3g})"]
    assert legend.legend_handles[0].get_linestyle() == "--"
    assert -0.6 < slope < -0.4


def test_scatter_of_flat_inputs_has_no_layer_colour_bar(rng):
    fig = visualize_entropy_vs_gradient([1.0, 2.0, 3.0], [3.0, 2.0, 1.0], "flat")
    assert len(fig.axes) == 1
    assert _points(fig).shape == (3, 2)
    assert _stats(fig) == "r = -1.00, n = 3"
    assert _fit(fig).get_label() == "fit (slope=-1)"
    # the first colour of the style's cycle (tab:blue in the default style)
    assert fig.axes[0].collections[0].get_facecolor()[0].tolist() == list(to_rgba("tab:blue", 0.85))


def test_scatter_leaves_out_non_finite_heads(rng, grid):
    grads = rng.random((6, 12))
    grid[0, 0], grads[3, 4] = np.nan, np.inf
    fig = visualize_entropy_vs_gradient(grid, grads)
    assert _points(fig).shape == (70, 2)
    assert _stats(fig).endswith("n = 70\n2 non-finite left out")
    assert np.isfinite(_fit(fig).get_ydata()).all()
    fig.canvas.draw()


def test_scatter_of_constant_values_has_no_correlation_and_no_trend():
    fig = visualize_entropy_vs_gradient(np.ones((2, 2)), np.ones((2, 2)))
    assert _stats(fig) == "n = 4"
    assert fig.axes[0].get_lines() == []
    fig.canvas.draw()


def test_scatter_shape_mismatch(grid):
    with pytest.raises(
        ValueError,
        match=r"entropy_values has shape \(6, 12\) but grad_norm_values has shape \(6, 11\)",
    ):
        visualize_entropy_vs_gradient(grid, grid[:, :11])


@pytest.mark.parametrize(
    ("entropy", "grads", "message"),
    [
        (np.zeros((2, 2, 2)), np.zeros((2, 2, 2)), r"entropy_values must have shape \[layers"),
        (np.zeros((2, 2)), np.zeros(()), r"grad_norm_values must have shape .* got 0 dim"),
        ([], [], r"entropy_values must have shape .* empty"),
    ],
)
def test_scatter_bad_shapes(entropy, grads, message):
    with pytest.raises(ValueError, match=message):
        visualize_entropy_vs_gradient(entropy, grads)


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
def test_scatter_with_tensors(torch, grid, dtype):
    entropy = torch.tensor(grid, dtype=getattr(torch, dtype))
    grads = torch.tensor(grid, requires_grad=True) * 2
    fig = visualize_entropy_vs_gradient(entropy, grads)
    points = _points(fig)
    np.testing.assert_array_equal(points[:, 0], entropy.to(torch.float64).numpy().ravel())
    np.testing.assert_array_equal(points[:, 1], 2 * grid.ravel())


def test_entropy_heatmap_with_tensors(torch, grid):
    tensor = torch.tensor(grid, dtype=torch.float16, requires_grad=True)
    fig = visualize_entropy_heatmap(tensor)
    np.testing.assert_array_equal(_shown(fig), tensor.detach().to(torch.float64).numpy())


def test_min_value_as_a_tensor(torch, grid):
    fig = visualize_entropy_heatmap(grid, min_value=torch.tensor(0.5, requires_grad=True))
    assert fig.axes[0].images[0].get_clim() == (0.5, grid.max())

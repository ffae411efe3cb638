"""visualize_gradient_norms: layers x heads heatmap with P/R markers."""

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from viz_utils import visualize_gradient_norms


def _markers(ax):
    return {(text.get_text(), text.get_position()) for text in ax.texts}


def test_heatmap_content(grid):
    fig = visualize_gradient_norms(grid)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2  # heatmap + colour bar
    ax = fig.axes[0]
    image = ax.images[0]
    np.testing.assert_array_equal(image.get_array(), grid)
    assert image.get_clim() == (grid.min(), grid.max())
    assert ax.get_title() == "Gradient Norms"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Head", "Layer")
    assert fig.axes[1].get_ylabel() == "Gradient norm"
    assert len(ax.texts) == 0
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(h) for h in range(12)]


def test_pruned_and_revived_markers(grid):
    fig = visualize_gradient_norms(grid, [(0, 3), (5, 11), (0, 3)], [(2, 7)], "My title")
    ax = fig.axes[0]
    assert _markers(ax) == {("P", (3, 0)), ("P", (11, 5)), ("R", (7, 2))}
    colors = {t.get_text(): t.get_bbox_patch().get_facecolor() for t in ax.texts}
    assert colors == {"P": to_rgba("red"), "R": to_rgba("green")}
    outlines = {(p.get_xy(), p.get_edgecolor()) for p in ax.patches}
    assert ((2.5, -0.5), to_rgba("red")) in outlines
    assert ((6.5, 1.5), to_rgba("green")) in outlines
    assert ax.get_title() == "My title"
    assert "P = pruned" in ax.get_xlabel() and "R = revived" in ax.get_xlabel()


def test_head_in_both_lists_is_marked_revived(grid):
    fig = visualize_gradient_norms(grid, pruned_heads=[(1, 1)], revived_heads=[(1, 1)])
    assert _markers(fig.axes[0]) == {("R", (1, 1))}


@pytest.mark.parametrize(
    "pruned",
    [
        {0: [3], 5: [11]},  # the form model.prune_heads takes
        np.array([[0, 3], [5, 11]]),
        {(5, 11), (0, 3)},
        [[0, 3], [5, 11]],
    ],
)
def test_other_forms_of_head_lists(grid, pruned):
    fig = visualize_gradient_norms(grid, pruned_heads=pruned)
    assert _markers(fig.axes[0]) == {("P", (3, 0)), ("P", (11, 5))}


def test_empty_head_lists_draw_no_markers(grid):
    fig = visualize_gradient_norms(grid, [], np.zeros((0, 2)))
    assert len(fig.axes[0].texts) == len(fig.axes[0].patches) == 0


def test_nested_lists(grid):
    fig = visualize_gradient_norms(grid.tolist())
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), grid)


def test_nan_and_inf_are_masked(grid):
    grid[0, 0], grid[1, 1] = np.nan, np.inf
    fig = visualize_gradient_norms(grid)
    data = fig.axes[0].images[0].get_array()
    assert data.mask[0, 0] and data.mask[1, 1] and data.mask.sum() == 2
    finite = grid[np.isfinite(grid)]
    assert fig.axes[0].images[0].get_clim() == (finite.min(), finite.max())
    fig.canvas.draw()  # renders without error


@pytest.mark.parametrize("value", [0.0, 3.0])
def test_constant_input_has_a_non_empty_colour_range(value):
    fig = visualize_gradient_norms(np.full((2, 3), value))
    low, high = fig.axes[0].images[0].get_clim()
    assert low <= value <= high and high > low


def test_all_nan_input_is_refused_naming_it():
    with pytest.raises(ValueError, match="grad_norm_values holds no finite value: all 6 are NaN"):
        visualize_gradient_norms(np.full((2, 3), np.nan))


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (np.zeros(12), r"grad_norm_values must have shape \[layers, heads\], got 1 dim"),
        (np.zeros((2, 3, 4)), r"grad_norm_values must have shape \[layers, heads\], got 3 dim"),
        (np.zeros((0, 12)), r"grad_norm_values must have shape \[layers, heads\], got an empty"),
        ([], r"grad_norm_values must have shape \[layers, heads\]"),
    ],
)
def test_bad_shapes(values, message):
    with pytest.raises(ValueError, match=message):
        visualize_gradient_norms(values)


@pytest.mark.parametrize(
    ("pruned", "error", "message"),
    [
        ([(6, 0)], ValueError, r"pruned_heads\[0\] layer=6 is out of range: there are 6 layers"),
        ([(0, 12)], ValueError, r"pruned_heads\[0\] head=12 is out of range: there are 12 heads"),
        ([(0, -1)], ValueError, r"pruned_heads\[0\] head=-1 is out of range"),
        ([(0, 1, 2)], ValueError, r"pruned_heads\[0\] = \(0, 1, 2\) is not a \(layer, head\)"),
        ([3], ValueError, r"pruned_heads\[0\] = 3 is not a \(layer, head\) pair"),
        ([(0.5, 1)], TypeError, r"pruned_heads\[0\] layer must be an integer"),
        (np.zeros((3, 3)), ValueError, r"pruned_heads must be a list of \(layer, head\) pairs"),
        (7, TypeError, r"pruned_heads must be a list of \(layer, head\) pairs, got int"),
        # Sweep 30: "'int' object is not iterable".
        ({1: 2}, TypeError, r"pruned_heads\[1\] must be a list of heads, .* \(\{1: \[2\]\}\)"),
    ],
)
def test_bad_head_lists(grid, pruned, error, message):
    with pytest.raises(error, match=message):
        visualize_gradient_norms(grid, pruned_heads=pruned)


def test_bad_revived_list_is_named(grid):
    with pytest.raises(ValueError, match=r"revived_heads\[1\] layer=9"):
        visualize_gradient_norms(grid, revived_heads=[(0, 0), (9, 0)])


# torch ---------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
def test_tensor_input(torch, grid, dtype):
    tensor = torch.tensor(grid, dtype=getattr(torch, dtype), requires_grad=True)
    fig = visualize_gradient_norms(tensor * 1.0, pruned_heads=torch.tensor([[0, 3]]))
    expected = tensor.detach().to(torch.float64).numpy()
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), expected)
    assert _markers(fig.axes[0]) == {("P", (3, 0))}


def test_tensor_head_pairs_of_scalar_tensors(torch, grid):
    fig = visualize_gradient_norms(grid, pruned_heads=[(torch.tensor(1), torch.tensor(2))])
    assert _markers(fig.axes[0]) == {("P", (2, 1))}

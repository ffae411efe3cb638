"""Styling: cmap=, vmin=/vmax=, figsize=, **kwargs passed to matplotlib, rcParams, style sheets."""

import re

import matplotlib
import matplotlib.style
import numpy as np
import pytest
from matplotlib.colors import LogNorm, to_rgba
from matplotlib.legend import Legend
from matplotlib.text import Text

import viz_utils
from viz_utils.exceptions import ValuesAboveMaximumWarning

HEATMAPS = [
    "visualize_attention_matrix",
    "visualize_entropy_heatmap",
    "visualize_gradient_norms",
    "visualize_normalized_entropy",
]
NAMES = sorted(viz_utils.__all__)


def _image(fig):
    return fig.axes[0].images[0]


# cmap= and rcParams["image.cmap"] ------------------------------------------------


@pytest.mark.parametrize("name", HEATMAPS)
def test_heatmap_cmap_defaults_to_rcparams_and_can_be_passed(examples, name):
    assert _image(examples[name]()).get_cmap().name == "viridis"
    with matplotlib.rc_context({"image.cmap": "magma"}):
        assert _image(examples[name]()).get_cmap().name == "magma"
    assert _image(examples[name](cmap="plasma")).get_cmap().name == "plasma"
    colormap = matplotlib.colormaps["cividis"]
    assert _image(examples[name](cmap=colormap)).get_cmap().name == "cividis"


@pytest.mark.parametrize("name", HEATMAPS)
def test_masked_cells_keep_their_colour_with_any_cmap(examples, name):
    assert _image(examples[name](cmap="magma")).get_cmap().get_bad().tolist() == list(
        to_rgba("0.82")
    )


def test_layer_colours_are_fixed_up_to_ten_layers_then_follow_rcparams(rng):
    ten = rng.random((10, 4))
    with matplotlib.rc_context({"image.cmap": "magma"}):
        points = viz_utils.visualize_entropy_vs_gradient(ten, ten).axes[0].collections[0]
        assert list(points.get_cmap().colors) == list(matplotlib.colormaps["tab10"].colors)
        twelve = rng.random((12, 4))
        points = viz_utils.visualize_entropy_vs_gradient(twelve, twelve).axes[0].collections[0]
        assert points.get_cmap().name == "magma" and points.get_cmap().N == 12


def test_a_qualitative_cmap_gives_its_first_colours_to_the_layers(rng):
    grid = rng.random((3, 4))
    points = viz_utils.visualize_entropy_vs_gradient(grid, grid, cmap="Set1").axes[0].collections[0]
    assert list(points.get_cmap().colors) == list(matplotlib.colormaps["Set1"].colors[:3])


def test_training_lines_follow_the_colour_cycle_or_a_cmap():
    history = {"train_loss": [3.0, 2.0], "eval_loss": [3.5, 2.5]}
    cycle = ["#ff0000", "#0000ff"]
    with matplotlib.rc_context({"axes.prop_cycle": matplotlib.cycler(color=cycle)}):
        lines = viz_utils.visualize_training_progress(history).axes[0].get_lines()
    assert [line.get_color() for line in lines] == cycle
    lines = viz_utils.visualize_training_progress(history, cmap="viridis").axes[0].get_lines()
    # from the dark end towards the light one, which is too close to white to be used
    # (see test_viz_misleading.py)
    assert lines[0].get_color() == matplotlib.colormaps["viridis"](0.0)


@pytest.mark.parametrize(
    ("cmap", "error", "message"),
    [
        ("no_such_map", ValueError, "cmap 'no_such_map' is not a known colormap name"),
        (3, TypeError, "cmap must be a colormap name, a matplotlib Colormap or None, got int"),
    ],
)
@pytest.mark.parametrize("name", NAMES)
def test_bad_cmap(examples, name, cmap, error, message):
    with pytest.raises(error, match=message):
        examples[name](cmap=cmap)


# vmin= / vmax= ------------------------------------------------------------------


@pytest.mark.parametrize("name", HEATMAPS)
def test_vmin_vmax(examples, name, torch):
    assert _image(examples[name](vmin=0.25, vmax=0.75)).get_clim() == (0.25, 0.75)
    low, high = _image(examples[name](vmin=torch.tensor(0.5))).get_clim()
    assert low == 0.5 and high > low
    low, high = _image(examples[name](vmax=50)).get_clim()
    assert high == 50 and low < high


def test_vmin_takes_the_place_of_min_value(grid):
    fig = viz_utils.visualize_entropy_heatmap(grid, min_value=0.0, vmin=0.5)
    assert _image(fig).get_clim() == (0.5, grid.max())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"vmin": 2.0, "vmax": 1.0}, "vmin must be less than vmax, got vmin=2, vmax=1"),
        ({"vmin": float("nan")}, "vmin must be a finite number or None"),
        ({"vmax": [1.0, 2.0]}, "vmax must be a finite number or None"),
        ({"vmin": 0.1, "norm": LogNorm()}, "pass either norm= or vmin=/vmax=, not both"),
    ],
)
@pytest.mark.parametrize("name", HEATMAPS)
def test_bad_limits(examples, name, kwargs, message):
    with pytest.raises(ValueError, match=message):
        examples[name](**kwargs)


@pytest.mark.parametrize(
    ("name", "kwargs", "message"),
    [
        ("visualize_gradient_norms", {"vmin": 5}, "got vmin=5 and the highest value, 1."),
        ("visualize_gradient_norms", {"vmax": 0.01}, "got the lowest value, 0."),
        (
            "visualize_entropy_heatmap",
            {"vmax": -1},
            "got min_value=0 and vmax=-1",
        ),
        ("visualize_entropy_heatmap", {"min_value": 1, "vmax": 0.5}, "got min_value=1 and vmax"),
        ("visualize_normalized_entropy", {"vmin": 150}, "got vmin=150 and the scale's top, 100"),
    ],
)
def test_a_limit_beyond_the_other_is_refused_not_replaced(examples, name, kwargs, message):
    """Sweep 30: `vmax=-1` drew on (0, 1), `vmin=150` on (150, 300): the limit the user gave
    was replaced, where matplotlib's `imshow` refuses it."""
    with pytest.raises(ValueError, match=re.escape(message)):
        examples[name](**kwargs)


def test_normalized_entropy_vmin_above_the_scale_reaches_the_highest_percentage():
    """Re-check 31: values up to 130 % with `vmin=110` were refused against the 100 % top."""
    with pytest.warns(ValuesAboveMaximumWarning):
        fig = viz_utils.visualize_normalized_entropy([[1.3, 1.2], [0.5, 0.1]], 1.0, vmin=110)
    assert _image(fig).get_clim() == pytest.approx((110, 130))
    with pytest.warns(ValuesAboveMaximumWarning):  # re-check 32: only above the scale's top
        fig = viz_utils.visualize_normalized_entropy([[1.3, 1.2], [0.5, 0.1]], 1.0, vmin=50)
    assert _image(fig).get_clim() == (50, 100)
    with pytest.warns(ValuesAboveMaximumWarning):
        fig = viz_utils.visualize_normalized_entropy([[1.3, 0.1]], 1.0)
    assert _image(fig).get_clim() == (0, 100)


def test_the_min_value_hint_is_given_only_where_it_would_do():
    with pytest.raises(ValueError, match="vmax=-1$"):
        viz_utils.visualize_entropy_heatmap([[1.0, 2.0]], vmax=-1)
    with pytest.raises(ValueError, match="vmax=-1; min_value=None scales from the lowest value$"):
        viz_utils.visualize_entropy_heatmap([[-3.0, 2.0]], vmax=-1)


@pytest.mark.parametrize("size", [(4, 4), (2, 2)])
def test_a_grid_larger_than_its_axes_keeps_every_row(size):
    """Sweep 30, re-check 31: nearest sampling drew a large diagonal dotted (rows dropped),
    also where the colour bar then narrowed the axes; every row of the diagonal shows."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size)
    viz_utils.visualize_entropy_heatmap(np.eye(290), annotate=False, ax=ax, cmap="gray_r")
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(float)
    box = ax.get_window_extent()
    height = pixels.shape[0]
    rows = pixels[
        int(height - box.y1) + 1 : int(height - box.y0) - 1, int(box.x0) + 1 : int(box.x1) - 1
    ]
    assert (rows.min(axis=(1, 2)) < 200).all()  # a dark pixel in every row of the image
    plt.close(fig)


# figsize= ---------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_figsize(examples, name):
    assert tuple(examples[name](figsize=(4, 3)).get_size_inches()) == (4, 3)
    with pytest.raises(ValueError, match="figsize must be positive"):
        examples[name](figsize=(4, -1))
    with pytest.raises(ValueError, match=r"figsize must be \(width, height\) in inches"):
        examples[name](figsize=4)


# **kwargs ---------------------------------------------------------------------


@pytest.mark.parametrize("name", HEATMAPS)
def test_imshow_keywords_pass_through(examples, name):
    image = _image(examples[name](alpha=0.5, interpolation="bilinear", aspect="equal"))
    assert image.get_alpha() == 0.5
    assert image.get_interpolation() == "bilinear"
    assert image.axes.get_aspect() == 1.0


@pytest.mark.parametrize("name", HEATMAPS)
def test_a_norm_sets_the_colour_scale(examples, name):
    norm = LogNorm(vmin=0.1, vmax=10)
    assert _image(examples[name](norm=norm)).norm is norm


def test_scatter_keywords_pass_through_with_aliases(rng):
    grid = rng.random((3, 4))
    fig = viz_utils.visualize_entropy_vs_gradient(grid, grid, s=80, lw=2, ec="red", marker="^")
    points = fig.axes[0].collections[0]
    assert points.get_sizes().tolist() == [80]
    assert points.get_linewidths().tolist() == [2]
    assert points.get_edgecolor()[0, :3].tolist() == list(to_rgba("red")[:3])


def test_plot_keywords_reach_every_line_with_aliases():
    history = {
        "train_loss": [3.0, 2.0, 1.0],
        "sparsity": [0.0, 0.1, 0.2],
        "total_pruned": [0, 1, 2],
    }
    fig = viz_utils.visualize_training_progress(history, lw=3, drawstyle="steps-post")
    lines = [line for ax in fig.axes for line in ax.get_lines()]
    assert len(lines) == 3
    assert {line.get_linewidth() for line in lines} == {3}
    assert {line.get_drawstyle() for line in lines} == {"steps-post"}


# Readable under the default style and dark_background -------------------------------


def _luminance(color) -> float:
    """WCAG relative luminance of an opaque colour."""
    channels = np.array(to_rgba(color)[:3])
    linear = np.where(channels <= 0.03928, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def _over(color, background):
    """``color`` with its alpha composited over an opaque ``background``."""
    red, green, blue, alpha = to_rgba(color)
    under = np.array(to_rgba(background)[:3])
    return tuple(alpha * np.array([red, green, blue]) + (1 - alpha) * under)


def _contrast(foreground, background) -> float:
    lighter, darker = sorted([_luminance(foreground), _luminance(background)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _backgrounds(fig):
    """Each text of ``fig`` with the colour behind it: its box, its legend's frame, or
    the figure (titles, labels, ticks). Texts written on heatmap cells are left to
    test_annotation_contrasts_with_the_cell."""
    found = {}
    for text in fig.findobj(Text):
        if text.get_visible() and text.get_text().strip():
            found[text] = to_rgba(fig.get_facecolor())
    for ax in fig.axes:
        for text in ax.texts:
            found.pop(text, None)
        for legend in ax.findobj(Legend):
            frame = _over(legend.get_frame().get_facecolor(), ax.get_facecolor())
            for text in [*legend.get_texts(), legend.get_title()]:
                if text in found:
                    found[text] = frame
    for ax in fig.axes:
        for text in ax.texts:
            box = text.get_bbox_patch()
            if box is not None:
                found[text] = _over(box.get_facecolor(), ax.get_facecolor())
    return found


@pytest.mark.parametrize("style", ["default", "dark_background"])
@pytest.mark.parametrize("name", NAMES)
def test_text_is_readable(examples, name, style):
    with matplotlib.style.context(style):
        fig = examples[name]()
        fig.draw_without_rendering()  # sets the tick labels' text
        backgrounds = _backgrounds(fig)
    assert len(backgrounds) > 5
    # 3:1 is WCAG's minimum for large or bold text (the P/R markers are bold)
    poor = {
        text.get_text(): round(_contrast(text.get_color(), background), 2)
        for text, background in backgrounds.items()
        if _contrast(text.get_color(), background) < 3.0
    }
    assert poor == {}

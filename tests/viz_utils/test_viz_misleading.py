"""viz_utils never misleads without a word: what a figure cannot show is said.

Entropy above its maximum (a warning, and the colour bar's arrow), inputs with
nothing finite to draw (a ValueError naming them), training curves in colours
readable on the background, metric keys that are not drawn (a warning), and
titles clear of everything else, checked on the drawn figure by the texts'
bounding boxes (``get_window_extent``) rather than by stored images.
"""

import math
import re
import warnings
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.style
import numpy as np
import pytest
from matplotlib.colors import LogNorm, to_rgba
from matplotlib.figure import Figure
from matplotlib.text import Text

import viz_utils
from viz_utils import (
    visualize_attention_matrix,
    visualize_entropy_heatmap,
    visualize_entropy_vs_gradient,
    visualize_gradient_norms,
    visualize_normalized_entropy,
    visualize_training_progress,
)
from viz_utils.exceptions import (
    CrowdedLayoutWarning,
    MetricNotDrawnWarning,
    ValuesAboveMaximumWarning,
    VizUtilsWarning,
)
from viz_utils.training import ACCEPTED_KEYS

NAMES = sorted(viz_utils.__all__)
HEATMAPS = [
    "visualize_attention_matrix",
    "visualize_entropy_heatmap",
    "visualize_gradient_norms",
    "visualize_normalized_entropy",
]
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def history():
    """Every key the panels draw, so that each panel (and the twin axis) is there."""
    steps = np.arange(0, 500, 10)
    loss = 3 + np.exp(-steps / 100)
    pruned = np.minimum(steps // 50, 6)
    return {
        "step": steps.tolist(),
        "train_loss": (loss - 0.1).tolist(),
        "eval_loss": loss.tolist(),
        "perplexity": np.exp(loss).tolist(),
        "total_pruned": pruned.tolist(),
        "revived": (pruned // 3).tolist(),
        "sparsity": (pruned / 72).tolist(),
    }


def test_every_warning_is_a_viz_utils_warning_and_a_user_warning():
    for category in (ValuesAboveMaximumWarning, MetricNotDrawnWarning, CrowdedLayoutWarning):
        assert issubclass(category, VizUtilsWarning)
    assert issubclass(VizUtilsWarning, UserWarning)


# Entropy above its maximum -----------------------------------------------------------


def test_entropy_above_its_maximum_is_named_with_count_and_largest_ratio():
    entropy = np.full((2, 3), 0.5)
    entropy[0, 1], entropy[1, 2] = 5.75, 1.2  # the nats-vs-bits slip: 575 %
    with pytest.warns(
        ValuesAboveMaximumWarning,
        match=r"above max_entropy in 2 of 6 cells \(largest ratio 5.75, 575%\)",
    ) as record:
        fig = visualize_normalized_entropy(entropy, 1.0)
    assert record[0].filename == __file__  # points at the caller's line
    image = fig.axes[0].images[0]
    assert image.get_clim() == (0.0, 100.0)  # the scale stays 0-100, heads compare
    assert image.colorbar.extend == "max"  # the overflow is drawn as an arrow
    assert [text.get_text() for text in fig.axes[0].texts] == ["50", "575", "50"] + [
        "50",
        "50",
        "120",
    ]  # the cells read their true percentage


def test_entropy_in_bits_over_a_maximum_in_nats_is_pointed_out():
    bits = np.full((2, 2), 4.0)  # uniform attention over 16 keys, in bits
    with pytest.warns(ValuesAboveMaximumWarning, match=r"ratio 1.44, 144%.*bits .* nats"):
        visualize_normalized_entropy(bits, math.log(16))


def test_entropy_at_its_maximum_gives_no_warning_and_no_arrow():
    entropy = np.full((2, 2), math.log(16))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = visualize_normalized_entropy(entropy, math.log(16))
    assert fig.axes[0].images[0].colorbar.extend == "neither"


def test_rounding_of_half_precision_is_not_called_above_the_maximum(torch):
    # log(16) rounded to bfloat16 is 0.25 % above log(16), within the 0.5 % margin
    entropy = torch.full((2, 2), 2.78125, dtype=torch.bfloat16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = visualize_normalized_entropy(entropy, math.log(16))
    assert fig.axes[0].images[0].colorbar.extend == "max"  # still above the top: arrow


@pytest.mark.parametrize("name", HEATMAPS)
def test_colour_bar_shows_values_beyond_the_limits(examples, name):
    fig = examples[name]()
    image = fig.axes[0].images[0]
    assert image.colorbar.extend == "neither"  # the default limits hold every value
    values = np.ma.compressed(image.get_array())
    low, high = np.quantile(values, [0.25, 0.75])
    assert examples[name](vmax=high).axes[0].images[0].colorbar.extend == "max"
    assert examples[name](vmin=low).axes[0].images[0].colorbar.extend == "min"
    assert examples[name](vmin=low, vmax=high).axes[0].images[0].colorbar.extend == "both"
    norm = LogNorm(vmin=0.5, vmax=0.6)  # a norm's limits are its own business
    assert examples[name](norm=norm).axes[0].images[0].colorbar.extend == "neither"


# Nothing finite to draw ------------------------------------------------------------------

_NAN = np.full((3, 4), np.nan)
_ONES = np.ones((3, 4))
_LEFT_NAN = np.where(np.arange(4) < 2, np.nan, 1.0) * _ONES
_RIGHT_NAN = np.where(np.arange(4) >= 2, np.nan, 1.0) * _ONES
_ATTENTION = np.stack([np.eye(4), np.full((4, 4), np.nan)])  # head 1 all NaN


@pytest.mark.parametrize(
    ("draw", "message"),
    [
        (lambda: visualize_gradient_norms(_NAN), "grad_norm_values holds no finite value"),
        (
            lambda: visualize_gradient_norms(np.full((2, 2), np.inf)),
            "grad_norm_values holds no finite value: all 4 are NaN or inf",
        ),
        (lambda: visualize_entropy_heatmap(_NAN), "entropy_values holds no finite value"),
        (
            lambda: visualize_entropy_heatmap(np.ma.masked_all((2, 3))),
            "entropy_values holds no finite value: all 6",
        ),
        (
            lambda: visualize_normalized_entropy(_NAN, 2.0),
            "entropy_values holds no finite value",
        ),
        (
            lambda: visualize_attention_matrix(_ATTENTION, head_idx=1),
            r"attn_matrix \(layer 0, head 1\) holds no finite value",
        ),
        (
            lambda: visualize_entropy_vs_gradient(_NAN, _ONES),
            "entropy_values holds no finite value",
        ),
        (
            lambda: visualize_entropy_vs_gradient(_ONES, _NAN),
            "grad_norm_values holds no finite value",
        ),
        (
            lambda: visualize_entropy_vs_gradient(_LEFT_NAN, _RIGHT_NAN),
            "entropy_values and grad_norm_values have no head finite in both",
        ),
        (
            lambda: visualize_training_progress({"step": [0, 1], "eval_loss": [None, np.nan]}),
            r"nothing to plot.*metrics_history\['eval_loss'\]: no finite value",
        ),
    ],
)
def test_nothing_finite_to_draw_is_a_value_error_naming_it(draw, message):
    with pytest.raises(ValueError, match=message):
        draw()
    assert plt.get_fignums() == []  # and no empty figure is left behind


def test_a_head_with_values_is_drawn_beside_an_all_nan_one():
    fig = visualize_attention_matrix(_ATTENTION, head_idx=0)
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), np.eye(4))


# Metric keys -------------------------------------------------------------------------------


def test_a_key_that_is_not_drawn_is_named_with_the_accepted_keys(history):
    history["pruned_heads"] = [3] * len(history["step"])
    with pytest.warns(MetricNotDrawnWarning) as record:
        fig = visualize_training_progress(history)
    (warning,) = record
    assert str(warning.message) == (
        "metrics_history keys not drawn: 'pruned_heads'; visualize_training_progress draws "
        "step, train_loss, eval_loss, perplexity, total_pruned, revived, sparsity"
    )
    assert warning.filename == __file__
    assert len(fig.axes) == 4  # the rest is drawn as before


def test_a_key_with_no_finite_value_is_named_and_not_drawn(history):
    history["eval_loss"] = [None] * len(history["step"])
    with pytest.warns(
        MetricNotDrawnWarning,
        match=r"metrics_history\['eval_loss'\] not drawn: no finite value",
    ):
        fig = visualize_training_progress(history)
    assert [line.get_label() for line in fig.axes[0].get_lines()] == ["train loss"]


def test_the_accepted_keys_give_no_warning(history):
    assert set(history) == set(ACCEPTED_KEYS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        visualize_training_progress(history)


def test_the_accepted_keys_are_listed_in_the_docstring_and_the_readme():
    assert ACCEPTED_KEYS == (
        "step",
        "train_loss",
        "eval_loss",
        "perplexity",
        "total_pruned",
        "revived",
        "sparsity",
    )
    docstring = " ".join(visualize_training_progress.__doc__.split())
    assert "accepted keys" in docstring
    assert "``step`` (the x values" in docstring
    for key in ACCEPTED_KEYS[1:]:
        assert f"``{key}``" in docstring
    readme = " ".join(README.read_text(encoding="utf-8").split())
    listed = ", ".join(f"`{key}`" for key in ACCEPTED_KEYS)
    assert re.search(rf"accepted keys[^.]*: {re.escape(listed)}", readme)


# Line colours on the background ----------------------------------------------------------------


def _luminance(color) -> float:
    """WCAG 2 relative luminance of an opaque colour."""
    channels = np.array(to_rgba(color)[:3])
    linear = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def _contrast(color, background) -> float:
    lighter, darker = sorted([_luminance(color), _luminance(background)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _line_colors(fig):
    return [line.get_color() for ax in fig.axes for line in ax.get_lines()]


@pytest.mark.parametrize(
    ("style", "cmap"),
    [
        ("default", None),
        ("default", "magma"),  # the near-white line on white
        ("default", "viridis"),
        ("dark_background", None),
        ("dark_background", "magma"),  # its black end on black
        ("dark_background", "Greys_r"),
        ("ggplot", None),  # a cycle colour near its grey face
    ],
)
def test_every_line_stands_out_from_the_background(history, style, cmap):
    with matplotlib.style.context(style):
        fig = visualize_training_progress(history, cmap=cmap)
    background = fig.axes[0].get_facecolor()
    colors = _line_colors(fig)
    assert len(colors) == 6  # 2 loss lines, perplexity, 3 pruning lines
    poor = {
        str(c): round(_contrast(c, background), 2) for c in colors if _contrast(c, background) < 2
    }
    assert poor == {}
    pruning = fig.axes[2].get_lines() + fig.axes[3].get_lines()  # three lines, one panel
    assert len({to_rgba(line.get_color()) for line in pruning}) == 3


def test_a_cmap_is_spread_over_its_readable_colours(history):
    fig = visualize_training_progress(history, cmap="magma")
    first, last = (line.get_color() for line in fig.axes[0].get_lines())
    assert first == matplotlib.colormaps["magma"](0.0)
    # the other end is the lightest magma colour still readable on white, not magma(1.0)
    assert 2.0 <= _contrast(last, "white") < 2.2


def test_a_cycle_colour_near_the_background_is_skipped():
    cycle = ["#f8f8f8", "#d62728", "#1f77b4"]
    with matplotlib.rc_context({"axes.prop_cycle": matplotlib.cycler(color=cycle)}):
        fig = visualize_training_progress({"train_loss": [3.0, 2.0], "eval_loss": [3.5, 2.5]})
    assert _line_colors(fig) == ["#d62728", "#1f77b4"]


def test_a_cycle_with_no_readable_colour_draws_in_the_contrasting_one():
    with matplotlib.rc_context({"axes.prop_cycle": matplotlib.cycler(color=["#fafafa"])}):
        fig = visualize_training_progress({"train_loss": [3.0, 2.0]})
    assert _line_colors(fig) == ["black"]


def test_the_background_is_that_of_the_given_axes():
    fig = Figure()
    ax = fig.add_subplot(facecolor="black")
    visualize_training_progress(
        {"train_loss": [3.0, 2.0], "eval_loss": [3.5, 2.5]}, ax=ax, cmap="magma"
    )
    first, last = _line_colors(fig)
    assert _contrast(first, "black") >= 2.0
    assert last == matplotlib.colormaps["magma"](1.0)  # on black, the light end is the readable one


def test_a_cmap_with_no_readable_colour_is_refused_before_drawing():
    with pytest.raises(ValueError, match="cmap 'Pastel1' has no colour that stands out .* #ffffff"):
        visualize_training_progress({"train_loss": [3.0, 2.0]}, cmap="Pastel1")
    assert plt.get_fignums() == []


# Titles clear of everything else -----------------------------------------------------------


def _title_overlaps(fig) -> list[tuple[str, str]]:
    """(title, what it overlaps) for each axes title of the drawn ``fig``: another
    text (tick labels, axis labels, legend entries, other titles), another axes'
    drawing area (a twin axis at the same place excepted), or the figure's edge."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    found = []
    for ax in fig.axes:
        title = ax.title
        if not (title.get_visible() and title.get_text()):
            continue
        box = title.get_window_extent(renderer)
        found += [
            (title.get_text(), other.get_text())
            for other in texts
            if other is not title and box.overlaps(other.get_window_extent(renderer))
        ]
        found += [
            (title.get_text(), f"axes {other.get_title() or other.get_ylabel()}")
            for other in fig.axes
            if other.bbox.bounds != ax.bbox.bounds and box.overlaps(other.bbox)
        ]
        if not fig.bbox.contains(box.x0, box.y0) or not fig.bbox.contains(box.x1, box.y1):
            found.append((title.get_text(), "the figure's edge"))
    return found


def test_the_overlap_check_sees_overlapping_titles():
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(6, 3), gridspec_kw={"hspace": 0.0})
    top.set_title("top")
    bottom.set_title("bottom")
    assert ("bottom", "axes top") in _title_overlaps(fig)


@pytest.mark.parametrize("figsize", [(10, 8), (6, 3), (4, 3)])
def test_panel_titles_clear_in_a_figure_it_creates(history, figsize):
    fig = visualize_training_progress(history, figsize=figsize)
    assert _title_overlaps(fig) == []


@pytest.mark.parametrize("layout", [None, "constrained", "tight"])
@pytest.mark.parametrize("figsize", [(6, 3), (4, 3), (10, 8)])
def test_panel_titles_clear_in_the_slot_of_ax(history, layout, figsize):
    fig, ax = plt.subplots(figsize=figsize, layout=layout)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        visualize_training_progress(history, ax=ax)
        assert _title_overlaps(fig) == []


@pytest.mark.parametrize("layout", [None, "constrained"])
def test_panel_titles_clear_in_one_cell_of_a_grid(history, layout):
    fig, axes = plt.subplots(2, 2, figsize=(10, 6), layout=layout)
    axes[0, 0].set_title("the caller's own plot")
    visualize_training_progress(history, ax=axes[0, 1])
    assert _title_overlaps(fig) == []


def test_a_slot_too_short_for_the_panels_is_named(history):
    _, ax = plt.subplots(figsize=(6, 1.5))
    with pytest.warns(
        CrowdedLayoutWarning, match=r"slot is 1.16 in tall, too short for 3 panels"
    ) as record:
        visualize_training_progress(history, ax=ax)
    assert record[0].filename == __file__


@pytest.mark.parametrize("name", NAMES)
def test_titles_clear_with_ax_in_a_short_constrained_figure(examples, name):
    fig, axes = plt.subplots(1, 2, figsize=(9, 3), layout="constrained")
    axes[0].set_title("the caller's own plot")
    examples[name](ax=axes[1])
    assert _title_overlaps(fig) == []


@pytest.mark.parametrize("name", NAMES)
def test_titles_clear_in_a_small_figure_it_creates(examples, name):
    assert _title_overlaps(examples[name](figsize=(4, 3))) == []


def test_head_count_ticks_do_not_crowd_a_short_panel(history):
    fig, axes = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
    visualize_training_progress(history, ax=axes[1])
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    pruning = fig.axes[-2]  # the pruning panel (its twin is last)
    assert pruning.get_ylabel() == "Heads"
    low, high = pruning.get_ylim()
    boxes = [
        label.get_window_extent(renderer)
        for tick, label in zip(pruning.get_yticks(), pruning.get_yticklabels(), strict=True)
        if low <= tick <= high
    ]
    assert len(boxes) >= 2
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])

"""Training curves from a ``metrics_history`` dict, in stacked panels.

The panels are those of the ``plot_training_metrics`` helper the pruning
notebooks defined: loss, perplexity, and pruning progress with the number of
pruned heads on the left axis and sparsity on a twin axis on the right
(`_metrics` says what is drawn, `_panels` how).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ._convert import ArrayLike, as_int
from ._figure import (
    SavePath,
    check_figsize,
    check_save_path,
    figure_scope,
    given_figure,
    new_figure,
)
from ._metrics import ACCEPTED_KEYS, PANELS, Panel, Series, YAxis, read_history
from ._panels import (
    downsample_indices,
    draw_panel,
    first_axes,
    given_axes,
    line_colors,
    readable_colors,
)
from ._style import Cmap, background_color
from .exceptions import MetricNotDrawnWarning

__all__ = [
    "ACCEPTED_KEYS",
    "PANELS",
    "Panel",
    "Series",
    "YAxis",
    "downsample_indices",
    "visualize_training_progress",
]


def visualize_training_progress(
    metrics_history: Mapping[str, ArrayLike],
    max_display_points: int = 100,
    figsize: tuple[float, float] = (10, 8),
    save_path: SavePath | None = None,
    *,
    ax: Axes | Sequence[Axes] | None = None,
    cmap: Cmap | None = None,
    **kwargs: Any,
) -> Figure:
    """Training curves against step, in titled panels sharing the x axis.

    Panels, top to bottom, each drawn only when one of its keys holds values:
    "Training and Evaluation Loss" (``train_loss``, ``eval_loss``), "Evaluation
    Perplexity" (``perplexity``, log scale when it spans more than two decades)
    and "Pruning Progress": heads (``total_pruned``, ``revived``) on the left
    axis and ``sparsity`` (as a percentage when within [0, 1]) dashed on a twin
    axis on the right; either alone takes the left axis. This replaces the
    ``plot_training_metrics(metrics_history)`` helper older notebooks defined.
    Like ``plt.subplots``, a new figure is left with pyplot (see Returns).

    Line colours come from the style's colour cycle
    (``rcParams["axes.prop_cycle"]``), or from ``cmap``, skipping any colour
    too close to the axes background to be seen (contrast below 2:1, e.g. the
    white end of ``"magma"`` on white, or a light colour under
    ``dark_background``'s black reversed).

    Parameters
    ----------
    metrics_history
        A dict of equal-length lists (or arrays/tensors) keyed by metric name.
        The accepted keys (``viz_utils.training.ACCEPTED_KEYS``) are ``step``
        (the x values; without it, the list index is used), ``train_loss``,
        ``eval_loss``, ``perplexity``, ``total_pruned``, ``revived`` and
        ``sparsity``. Any other key is not drawn, and a warning names it.
        ``None`` entries and NaN/inf values are skipped; a key whose values
        are all skipped is named in a warning too.
    max_display_points
        Longer series are thinned to at most this many points: of each run
        of consecutive points its lowest and its highest, so that spikes stay
        (first and last kept).
    figsize
        ``(width, height)`` of a new figure in inches; ignored with ``ax``.
        A new figure uses constrained layout, so titles, labels and legends
        do not overlap down to about 1 inch per panel.
    save_path
        Where to save the figure; the format comes from the extension.
    ax
        Where to draw instead of a new figure: a list with one Axes per panel
        drawn, or a single Axes whose grid slot is divided into the stacked
        panels (it becomes the top one). A twin axis is added where needed.
        Make the figure with ``layout="constrained"`` (matplotlib's
        recommendation, e.g. ``plt.subplots(layout="constrained")``), which
        gives every title and label room; in a figure without a layout engine
        the panels in ax's slot are spaced for their titles, and a list of
        Axes keeps the positions you gave them.
    cmap
        Colormap to take each panel's line colours from, spread from end to end
        over its colours readable on the axes background, as pandas'
        ``plot(colormap=...)`` does; default the style's colour cycle.
    **kwargs
        Passed to every ``Axes.plot`` call (e.g. ``linewidth``, ``alpha``,
        ``marker``, ``drawstyle``), overriding the defaults here; not ``label``.

    Returns
    -------
    matplotlib.figure.Figure
        The new figure, or the figure holding ``ax``. A new figure is pyplot's
        current figure, so ``plt.savefig()``, ``plt.show()`` and ``plt.close()``
        act on it; with ``save_path`` it is saved, then closed. In Jupyter every
        figure is shown once, however the call is written.

    Raises
    ------
    ValueError
        If no metric has a finite value, a metric is not a flat list, its
        length differs from ``step``'s, ``max_display_points`` is below 2,
        ``figsize`` or ``cmap`` is invalid (or has no colour readable on the
        background), or ``ax`` does not fit.
    TypeError
        If ``metrics_history`` is not a mapping or a value is not numeric.
    FileNotFoundError
        If the folder of ``save_path`` does not exist.

    Warns
    -----
    viz_utils.exceptions.MetricNotDrawnWarning
        If a key is not one of the accepted keys, or holds no finite value.
    viz_utils.exceptions.CrowdedLayoutWarning
        If the slot of a single ``ax`` (in a figure without constrained
        layout) is too short for the panels and their titles.

    Examples
    --------
    >>> history = {"step": [0, 100, 200], "train_loss": [4.1, 3.2, 2.9], "sparsity": [0, .1, .2]}
    >>> fig = visualize_training_progress(history, linewidth=1)
    """
    if not isinstance(metrics_history, Mapping):
        raise TypeError(
            f"metrics_history must be a dict of lists keyed by metric name, "
            f"got {type(metrics_history).__name__}"
        )
    max_points = as_int(max_display_points, name="max_display_points")
    if max_points < 2:
        raise ValueError(f"max_display_points must be at least 2, got {max_points}")
    size = check_figsize(figsize, (10, 8))
    first_ax = None if ax is None else first_axes(ax)
    # an unknown name, or a colormap with no colour readable here, fails before drawing
    palette = readable_colors(cmap, background_color(first_ax))
    history = read_history(metrics_history)
    no_finite = ", ".join(f"metrics_history[{key!r}]" for key in history.no_finite)
    if not history.panels:
        raise ValueError(
            f"metrics_history has nothing to plot: expected non-empty lists under any of "
            f"{', '.join(ACCEPTED_KEYS[1:])}; got keys {sorted(map(str, metrics_history))}"
            + (f"; {no_finite}: no finite value (all None, NaN or inf)" if no_finite else "")
        )
    path = check_save_path(save_path)
    unknown = [key for key in metrics_history if key not in ACCEPTED_KEYS]
    if unknown:
        warnings.warn(
            f"metrics_history keys not drawn: {', '.join(map(repr, unknown))}; "
            f"visualize_training_progress draws {', '.join(ACCEPTED_KEYS)}",
            MetricNotDrawnWarning,
            stacklevel=2,
        )
    if no_finite:
        warnings.warn(
            f"{no_finite} not drawn: no finite value (all None, NaN or inf)",
            MetricNotDrawnWarning,
            stacklevel=2,
        )

    if ax is None:
        figure = new_figure(size)
        axes = list(figure.subplots(len(history.panels), 1, sharex=True, squeeze=False)[:, 0])
    else:
        axes = given_axes(ax, len(history.panels))
        figure = given_figure(axes[0])
    with figure_scope(figure, created=ax is None, path=path):
        for panel_ax, (panel, panel_axes) in zip(axes, history.panels, strict=True):
            count = sum(len(drawn) for _, drawn in panel_axes)
            draw_panel(
                panel_ax,
                panel,
                panel_axes,
                max_points=max_points,
                colors=line_colors(palette, count, spread=cmap is not None),
                plot_kwargs=kwargs,
            )
        axes[-1].set_xlabel("Step" if history.have_steps else "Index (no 'step' key)")
        for panel_ax in axes[:-1]:
            panel_ax.tick_params(labelbottom=False)
    return figure

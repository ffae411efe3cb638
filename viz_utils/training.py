"""Training curves from a ``metrics_history`` dict, in stacked panels.

The panels are those of the ``plot_training_metrics`` helper the pruning
notebooks defined: loss, perplexity, and pruning progress with the number of
pruned heads on the left axis and sparsity on a twin axis on the right.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator, PercentFormatter

from ._convert import ArrayLike, as_int, to_numpy
from ._figure import (
    SavePath,
    check_ax,
    check_figsize,
    check_save_path,
    figure_scope,
    given_figure,
    new_figure,
)
from ._style import Cmap, colormap, with_defaults

__all__ = [
    "PANELS",
    "Panel",
    "Series",
    "YAxis",
    "downsample_indices",
    "visualize_training_progress",
]


@dataclass(frozen=True)
class Series:
    """One metric: its key in ``metrics_history``, its legend label, and the y
    label of its axis when it is the only series drawn there."""

    key: str
    label: str
    ylabel: str


def _plain(ax: Axes, values: np.ndarray) -> None:
    """Leave the y axis as matplotlib sets it."""


def _log_when_spanning_decades(ax: Axes, values: np.ndarray) -> None:
    """Log scale when the values span more than two decades (perplexity early in training)."""
    if values.size and values.min() > 0 and values.max() / values.min() > 100:
        ax.set_yscale("log")


def _integer_ticks(ax: Axes, values: np.ndarray) -> None:
    """Whole-number ticks: head counts."""
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def _percent_when_fraction(ax: Axes, values: np.ndarray) -> None:
    """Ticks as percentages when the values are fractions within [0, 1]."""
    if values.size and 0 <= values.min() and values.max() <= 1:
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))


@dataclass(frozen=True)
class YAxis:
    """A y axis of a panel: its y label when several series share it, its series,
    and how it is set up from the values drawn."""

    ylabel: str
    series: tuple[Series, ...]
    format_y: Callable[[Axes, np.ndarray], None] = _plain


@dataclass(frozen=True)
class Panel:
    """One panel: its title, its left y axis, and optionally a right one.

    When both axes have values, ``right`` is a twin axis beside ``left``, its
    lines dashed; when only one has, it is the panel's only (left) axis.
    """

    title: str
    left: YAxis
    right: YAxis | None = None


# Top to bottom. A panel is drawn when one of its series has values.
PANELS: tuple[Panel, ...] = (
    Panel(
        "Training and Evaluation Loss",
        YAxis(
            "Loss",
            (Series("train_loss", "train loss", "Loss"), Series("eval_loss", "eval loss", "Loss")),
        ),
    ),
    Panel(
        "Evaluation Perplexity",
        YAxis(
            "Perplexity",
            (Series("perplexity", "perplexity", "Perplexity"),),
            _log_when_spanning_decades,
        ),
    ),
    Panel(
        "Pruning Progress",
        YAxis(
            "Heads",
            (
                Series("total_pruned", "total pruned", "Pruned heads"),
                Series("revived", "revived", "Revived heads"),
            ),
            _integer_ticks,
        ),
        YAxis("Sparsity", (Series("sparsity", "sparsity", "Sparsity"),), _percent_when_fraction),
    ),
)

Drawn = tuple[Series, np.ndarray, np.ndarray]  # a series with its x and y values

# Series with at most this many points also get a marker on each point, so a
# single evaluation is visible.
_MARKER_MAX_POINTS = 50


def downsample_indices(count: int, max_points: int) -> np.ndarray:
    """Evenly spaced indices into ``count`` items, at most ``max_points``, first and last kept."""
    if count <= max_points:
        return np.arange(count)
    return np.unique(np.round(np.linspace(0, count - 1, max_points)).astype(int))


def _read(
    metrics_history: Mapping[str, Any],
) -> tuple[list[tuple[Panel, list[tuple[YAxis, list[Drawn]]]]], bool]:
    """Return the panels to draw, each with its y axes that have values (left
    first), and whether the x values are steps."""
    steps = None
    if "step" in metrics_history:
        steps = to_numpy(metrics_history["step"], name="metrics_history['step']")
        if steps.ndim != 1:
            raise ValueError(
                f"metrics_history['step'] must be a flat list of steps, "
                f"got shape {tuple(steps.shape)}"
            )
    panels = []
    for panel in PANELS:
        axes = []
        for yaxis in (panel.left, panel.right):
            if yaxis is None:
                continue
            drawn = _values(metrics_history, yaxis, steps)
            if drawn:
                axes.append((yaxis, drawn))
        if axes:
            panels.append((panel, axes))
    return panels, steps is not None


def _values(
    metrics_history: Mapping[str, Any], yaxis: YAxis, steps: np.ndarray | None
) -> list[Drawn]:
    """The series of ``yaxis`` present in ``metrics_history``, with their x values."""
    drawn = []
    for one in yaxis.series:
        if metrics_history.get(one.key) is None:
            continue
        name = f"metrics_history[{one.key!r}]"
        values = to_numpy(metrics_history[one.key], name=name)
        if values.ndim != 1:
            raise ValueError(
                f"{name} must be a flat list of numbers, got shape {tuple(values.shape)}"
            )
        if values.size == 0:
            continue
        if steps is None:
            x = np.arange(values.size, dtype=float)
        elif steps.size != values.size:
            raise ValueError(
                f"{name} has {values.size} values but metrics_history['step'] has "
                f"{steps.size}; each value needs its step"
            )
        else:
            x = steps
        drawn.append((one, x, values))
    return drawn


def _line_colors(count: int, cmap: Cmap | None) -> list[Any]:
    """``count`` line colours: the style's colour cycle, or spread over ``cmap``
    (as pandas' ``plot(colormap=...)`` does)."""
    if cmap is None:
        cycle = matplotlib.rcParams["axes.prop_cycle"].by_key().get("color") or [None]
        return [cycle[i % len(cycle)] for i in range(count)]
    colors = colormap(cmap)
    return [colors(position) for position in np.linspace(0.0, 1.0, count)]


def _draw_panel(
    ax: Axes,
    panel: Panel,
    axes: list[tuple[YAxis, list[Drawn]]],
    *,
    max_points: int,
    cmap: Cmap | None,
    plot_kwargs: Mapping[str, Any],
) -> None:
    """Draw one panel: its left axis, a twin axis when it has two, a legend."""
    targets = [ax, ax.twinx()] if len(axes) == 2 else [ax]
    colors = iter(_line_colors(sum(len(drawn) for _, drawn in axes), cmap))
    lines = []
    for target, (yaxis, drawn) in zip(targets, axes, strict=True):
        twin = target is not ax
        for one, x, y in drawn:
            keep = np.isfinite(x) & np.isfinite(y)
            x, y = x[keep], y[keep]
            shown = downsample_indices(x.size, max_points)
            style = {
                "color": next(colors),
                "linestyle": "--" if twin else "-",
                "linewidth": 1.5,
                "marker": "o" if shown.size <= _MARKER_MAX_POINTS else None,
                "markersize": 3,
            }
            label = f"{one.label} (right axis)" if twin else one.label
            lines += target.plot(
                x[shown], y[shown], label=label, **with_defaults(style, plot_kwargs, Line2D)
            )
        yaxis.format_y(target, np.concatenate([y[np.isfinite(y)] for _, _, y in drawn]))
        target.set_ylabel(drawn[0][0].ylabel if len(drawn) == 1 else yaxis.ylabel)
    ax.set_title(panel.title)
    ax.grid(True, alpha=0.3)
    if len(lines) > 1:
        # on the topmost axes, so that no line of the panel is drawn over it
        targets[-1].legend(handles=lines, loc="best", fontsize=9)


def _given_axes(ax: Any, count: int) -> list[Axes]:
    """Return ``count`` stacked axes sharing x from ``ax``: in its slot, or ``ax`` itself."""
    if isinstance(ax, (Sequence, np.ndarray)) and not isinstance(ax, str):
        # a list, or the array of Axes that plt.subplots returns
        axes = [check_ax(item, f"ax[{i}]") for i, item in enumerate(np.ravel(ax))]
        if len(axes) != count:
            raise ValueError(
                f"ax must hold one Axes per panel: metrics_history has {count} panel(s) "
                f"to draw, got {len(axes)} Axes"
            )
        return axes
    ax = check_ax(ax)
    if count == 1:
        return [ax]
    spec = ax.get_subplotspec()
    if spec is None:
        raise ValueError(
            f"ax: {count} panels are drawn in the slot of ax, which needs an Axes made by "
            f"add_subplot()/subplots(); or pass a list of {count} Axes"
        )
    slots = spec.subgridspec(count, 1)
    ax.set_subplotspec(slots[0])
    return [ax] + [ax.figure.add_subplot(slots[i], sharex=ax) for i in range(1, count)]


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
    axis on the right; either alone takes the left axis. Other keys are ignored.
    This replaces the ``plot_training_metrics(metrics_history)`` helper older
    notebooks defined. Like ``plt.subplots``, a new figure is left with pyplot
    (see Returns).

    Parameters
    ----------
    metrics_history
        A dict of equal-length lists (or arrays/tensors) keyed by metric name,
        with the x values under ``step`` (without it, the list index is used).
        ``None`` entries and NaN/inf values are skipped.
    max_display_points
        Longer series are thinned to at most this many evenly spaced points
        (first and last kept).
    figsize
        ``(width, height)`` of a new figure in inches; ignored with ``ax``.
    save_path
        Where to save the figure; the format comes from the extension.
    ax
        Where to draw instead of a new figure: a list with one Axes per panel
        drawn, or a single Axes whose grid slot is divided into the stacked
        panels (it becomes the top one). A twin axis is added where needed.
    cmap
        Colormap to take each panel's line colours from, spread over it as
        pandas' ``plot(colormap=...)`` does; default the style's colour cycle
        (``rcParams["axes.prop_cycle"]``).
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
        If no metric has values, a metric is not a flat list, its length differs
        from ``step``'s, ``max_display_points`` is below 2, ``figsize`` or
        ``cmap`` is invalid, or ``ax`` does not fit.
    TypeError
        If ``metrics_history`` is not a mapping or a value is not numeric.
    FileNotFoundError
        If the folder of ``save_path`` does not exist.

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
    if cmap is not None:
        colormap(cmap)  # an unknown name fails before anything is drawn
    panels, have_steps = _read(metrics_history)
    if not panels:
        known = ", ".join(
            one.key
            for panel in PANELS
            for yaxis in (panel.left, panel.right)
            if yaxis is not None
            for one in yaxis.series
        )
        raise ValueError(
            f"metrics_history has nothing to plot: expected non-empty lists under any of "
            f"{known}; got keys {sorted(map(str, metrics_history))}"
        )
    path = check_save_path(save_path)

    if ax is None:
        figure = new_figure(size)
        axes = list(figure.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0])
    else:
        axes = _given_axes(ax, len(panels))
        figure = given_figure(axes[0])
    with figure_scope(figure, created=ax is None, path=path):
        for panel_ax, (panel, panel_axes) in zip(axes, panels, strict=True):
            _draw_panel(
                panel_ax, panel, panel_axes, max_points=max_points, cmap=cmap, plot_kwargs=kwargs
            )
        axes[-1].set_xlabel("Step" if have_steps else "Index (no 'step' key)")
        for panel_ax in axes[:-1]:
            panel_ax.tick_params(labelbottom=False)
    return figure

"""Training curves from a ``metrics_history`` dict, in stacked panels."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from ._convert import ArrayLike, as_int, to_numpy
from ._figure import SavePath, check_ax, check_save_path, new_figure, root_figure, save

__all__ = ["PANELS", "Panel", "Series", "downsample_indices", "visualize_training_progress"]


@dataclass(frozen=True)
class Series:
    """One metric: its key in ``metrics_history``, its legend label, and the panel's
    y label when it is the only series drawn there."""

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
class Panel:
    """One panel: the y label when several series are drawn, the series, and how
    the y axis is set up from the values drawn."""

    ylabel: str
    series: tuple[Series, ...]
    format_y: Callable[[Axes, np.ndarray], None] = _plain


# Top to bottom. A panel is drawn when one of its series has values.
PANELS: tuple[Panel, ...] = (
    Panel(
        "Loss",
        (Series("train_loss", "train loss", "Loss"), Series("eval_loss", "eval loss", "Loss")),
    ),
    Panel(
        "Perplexity",
        (Series("perplexity", "perplexity", "Perplexity"),),
        _log_when_spanning_decades,
    ),
    Panel(
        "Heads",
        (
            Series("total_pruned", "total pruned", "Pruned heads"),
            Series("revived", "revived", "Revived heads"),
        ),
        _integer_ticks,
    ),
    Panel("Sparsity", (Series("sparsity", "sparsity", "Sparsity"),), _percent_when_fraction),
)

# Series with at most this many points also get a marker on each point, so a
# single evaluation is visible.
_MARKER_MAX_POINTS = 50


def downsample_indices(count: int, max_points: int) -> np.ndarray:
    """Evenly spaced indices into ``count`` items, at most ``max_points``, first and last kept."""
    if count <= max_points:
        return np.arange(count)
    return np.unique(np.round(np.linspace(0, count - 1, max_points)).astype(int))


def _series(
    metrics_history: Mapping[str, Any],
) -> tuple[list[tuple[Panel, list[tuple[Series, np.ndarray, np.ndarray]]]], bool]:
    """Return the panels to draw, each with its ``(series, x, y)`` triples, and whether
    the x values are steps."""
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
        series = []
        for one in panel.series:
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
            series.append((one, x, values))
        if series:
            panels.append((panel, series))
    return panels, steps is not None


def _panel_axes(ax: Any, count: int, figsize: tuple[float, float]) -> list[Axes]:
    """Return ``count`` stacked axes sharing x: new, in the slot of ``ax``, or ``ax`` itself."""
    if ax is None:
        figure = new_figure(figsize)
        return list(figure.subplots(count, 1, sharex=True, squeeze=False)[:, 0])
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
) -> Figure:
    """Training curves against step, one panel per kind of metric, sharing the x axis.

    Panels, top to bottom, each drawn only when one of its keys holds values:
    loss (``train_loss``, ``eval_loss``), ``perplexity`` (log scale when it spans
    more than two decades), heads (``total_pruned``, ``revived``) and
    ``sparsity`` (as a percentage when within [0, 1]). Other keys are ignored.
    This replaces the ``plot_training_metrics(metrics_history)`` helper older
    notebooks defined.

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
        Size of the new figure in inches; ignored with ``ax``.
    save_path
        Where to save the figure; the format comes from the extension.
    ax
        Where to draw instead of a new figure: a list with one Axes per panel
        drawn, or a single Axes whose grid slot is divided into the stacked
        panels (it becomes the top one).

    Returns
    -------
    matplotlib.figure.Figure
        The new figure, or the figure holding ``ax``.

    Raises
    ------
    ValueError
        If no metric has values, a metric is not a flat list, its length differs
        from ``step``'s, ``max_display_points`` is below 2, or ``ax`` does not fit.
    TypeError
        If ``metrics_history`` is not a mapping or a value is not numeric.
    FileNotFoundError
        If the folder of ``save_path`` does not exist.

    Examples
    --------
    >>> history = {"step": [0, 100, 200], "train_loss": [4.1, 3.2, 2.9], "sparsity": [0, .1, .2]}
    >>> fig = visualize_training_progress(history)
    """
    if not isinstance(metrics_history, Mapping):
        raise TypeError(
            f"metrics_history must be a dict of lists keyed by metric name, "
            f"got {type(metrics_history).__name__}"
        )
    max_points = as_int(max_display_points, name="max_display_points")
    if max_points < 2:
        raise ValueError(f"max_display_points must be at least 2, got {max_points}")
    size = (0.0, 0.0)  # unused with ax
    if ax is None:
        try:
            size = width, height = tuple(float(v) for v in figsize)
        except (TypeError, ValueError):
            raise ValueError(
                f"figsize must be (width, height) in inches, got {figsize!r}"
            ) from None
        if not (width > 0 and height > 0):
            raise ValueError(f"figsize must be positive, got {figsize!r}")
    panels, have_steps = _series(metrics_history)
    if not panels:
        known = ", ".join(one.key for panel in PANELS for one in panel.series)
        raise ValueError(
            f"metrics_history has nothing to plot: expected non-empty lists under any of "
            f"{known}; got keys {sorted(map(str, metrics_history))}"
        )
    path = check_save_path(save_path)

    axes = _panel_axes(ax, len(panels), size)
    for panel_ax, (panel, series) in zip(axes, panels, strict=True):
        for one, x, y in series:
            keep = np.isfinite(x) & np.isfinite(y)
            x, y = x[keep], y[keep]
            shown = downsample_indices(x.size, max_points)
            panel_ax.plot(
                x[shown],
                y[shown],
                label=one.label,
                linewidth=1.5,
                marker="o" if shown.size <= _MARKER_MAX_POINTS else None,
                markersize=3,
            )
        panel.format_y(panel_ax, np.concatenate([y[np.isfinite(y)] for _, _, y in series]))
        panel_ax.set_ylabel(series[0][0].ylabel if len(series) == 1 else panel.ylabel)
        panel_ax.grid(True, alpha=0.3)
        if len(series) > 1:
            panel_ax.legend(loc="best", fontsize=9)
    axes[0].set_title("Training Progress")
    axes[-1].set_xlabel("Step" if have_steps else "Index (no 'step' key)")
    for panel_ax in axes[:-1]:
        panel_ax.tick_params(labelbottom=False)
    figure = root_figure(axes[0])
    save(figure, path)
    return figure

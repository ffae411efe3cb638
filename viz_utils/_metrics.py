"""What ``visualize_training_progress`` draws: its panels, each with one or two y
axes and the ``metrics_history`` series they hold, and reading those series.

The panels are those of the ``plot_training_metrics`` helper the pruning
notebooks defined; ``training`` draws what `read_history` returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator, PercentFormatter

from ._convert import to_numpy


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
    """Whole-number ticks (head counts), as many as the axis' height has room for."""
    ax.yaxis.set_major_locator(MaxNLocator(nbins="auto", integer=True))


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

# Every key of metrics_history that is drawn: the x values, then the series in panel order.
ACCEPTED_KEYS: tuple[str, ...] = ("step",) + tuple(
    one.key
    for panel in PANELS
    for yaxis in (panel.left, panel.right)
    if yaxis is not None
    for one in yaxis.series
)

Drawn = tuple[Series, np.ndarray, np.ndarray]  # a series with its x and y values


@dataclass(frozen=True)
class History:
    """What ``metrics_history`` gives to draw: the panels, each with its y axes that
    have values (left first); whether the x values are steps; and the keys that
    hold values of which none is finite (not drawn)."""

    panels: list[tuple[Panel, list[tuple[YAxis, list[Drawn]]]]]
    have_steps: bool
    no_finite: list[str]


def read_history(metrics_history: Mapping[str, Any]) -> History:
    """Read the series the panels draw from ``metrics_history``."""
    steps = None
    if "step" in metrics_history:
        steps = to_numpy(metrics_history["step"], name="metrics_history['step']")
        if steps.ndim != 1:
            raise ValueError(
                f"metrics_history['step'] must be a flat list of steps, "
                f"got shape {tuple(steps.shape)}"
            )
    panels = []
    no_finite: list[str] = []
    for panel in PANELS:
        axes: list[tuple[YAxis, list[Drawn]]] = []
        for yaxis in (panel.left, panel.right):
            if yaxis is None:
                continue
            drawn = _values(metrics_history, yaxis, steps, no_finite)
            if drawn:
                axes.append((yaxis, drawn))
        if axes:
            panels.append((panel, axes))
    return History(panels, steps is not None, no_finite)


def _values(
    metrics_history: Mapping[str, Any],
    yaxis: YAxis,
    steps: np.ndarray | None,
    no_finite: list[str],
) -> list[Drawn]:
    """The series of ``yaxis`` present in ``metrics_history``, with their x values,
    points with a NaN or inf left out; the keys whose points are all left out
    are appended to ``no_finite``."""
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
        keep = np.isfinite(x) & np.isfinite(values)
        if not keep.any():
            no_finite.append(one.key)
            continue
        drawn.append((one, x[keep], values[keep]))
    return drawn

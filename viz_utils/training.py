"""Training curves from a ``metrics_history`` dict, in stacked panels.

The panels are those of the ``plot_training_metrics`` helper the pruning
notebooks defined: loss, perplexity, and pruning progress with the number of
pruned heads on the left axis and sparsity on a twin axis on the right.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
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
    root_figure,
)
from ._style import RGB, Cmap, background_color, colormap, contrast_ratio, with_defaults
from .exceptions import CrowdedLayoutWarning, MetricNotDrawnWarning

__all__ = [
    "ACCEPTED_KEYS",
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

# Series with at most this many points also get a marker on each point, so a
# single evaluation is visible.
_MARKER_MAX_POINTS = 50


def downsample_indices(values: np.ndarray, max_points: int) -> np.ndarray:
    """Indices into ``values`` (1-D, finite), at most ``max_points``, first and last kept.

    All of them when they fit. Else the points are cut into runs of consecutive
    points and each run keeps its lowest and its highest, so that a spike (a loss
    blowing up for one step) survives the thinning, as evenly spaced points would
    not; below 4 points, evenly spaced ones.
    """
    count = values.size
    if count <= max_points:
        return np.arange(count)
    runs = (max_points - 2) // 2
    if runs < 1:
        return np.unique(np.round(np.linspace(0, count - 1, max_points)).astype(int))
    edges = np.linspace(1, count - 1, runs + 1).astype(int)  # the points between first and last
    kept = [0, count - 1]
    for start, stop in itertools.pairwise(edges):
        if stop > start:
            run = values[start:stop]
            kept += [start + int(run.argmin()), start + int(run.argmax())]
    return np.unique(kept)


@dataclass(frozen=True)
class History:
    """What ``metrics_history`` gives to draw: the panels, each with its y axes that
    have values (left first); whether the x values are steps; and the keys that
    hold values of which none is finite (not drawn)."""

    panels: list[tuple[Panel, list[tuple[YAxis, list[Drawn]]]]]
    have_steps: bool
    no_finite: list[str]


def _read(metrics_history: Mapping[str, Any]) -> History:
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


# A line must have at least this contrast ratio with the background (see _style).
# WCAG asks 3:1 of graphics; matplotlib's default cycle has colours read without
# trouble below that on white (tab:orange 2.5:1, tab:olive 2.01:1), so 2:1
# keeps all of tab10 and drops what is near the background: the light end of
# magma, viridis or plasma on white (1.1-1.9:1), pastel maps, a grey cycle
# colour on a grey face.
MIN_LINE_CONTRAST = 2.0

# Positions at which a colormap is sampled for its readable colours.
_CMAP_SAMPLES = 256


def _palette(cmap: Cmap | None, background: RGB) -> list[Any]:
    """The colours lines may take on ``background``, in order: those of the style's
    colour cycle, or of ``cmap`` from one end to the other, that stand out from it.

    A cycle with no readable colour (a broken style) gives black or white,
    whichever stands out; a colormap with none is refused.
    """
    if cmap is None:
        cycle = matplotlib.rcParams["axes.prop_cycle"].by_key().get("color", [])
        readable = [c for c in cycle if contrast_ratio(c, background) >= MIN_LINE_CONTRAST]
        if readable:
            return readable
        white = contrast_ratio("white", background) > contrast_ratio("black", background)
        return ["white" if white else "black"]
    colors = colormap(cmap)
    samples = [colors(position) for position in np.linspace(0.0, 1.0, _CMAP_SAMPLES)]
    readable = [c for c in samples if contrast_ratio(c, background) >= MIN_LINE_CONTRAST]
    if not readable:
        raise ValueError(
            f"cmap {colors.name!r} has no colour that stands out from the axes background "
            f"{to_hex(background)}: lines in it would not be seen; pick "
            f"another, or leave cmap=None for the style's colour cycle"
        )
    return readable


def _line_colors(palette: list[Any], count: int, *, spread: bool) -> list[Any]:
    """``count`` colours from ``palette``: spread over it from end to end (a
    colormap's, as pandas' ``plot(colormap=...)`` does), or taken in order,
    starting again when used up (a colour cycle's)."""
    if spread:
        positions = np.round(np.linspace(0, len(palette) - 1, count)).astype(int)
        return [palette[position] for position in positions]
    return [palette[i % len(palette)] for i in range(count)]


def _draw_panel(
    ax: Axes,
    panel: Panel,
    axes: list[tuple[YAxis, list[Drawn]]],
    *,
    max_points: int,
    colors: list[Any],
    plot_kwargs: Mapping[str, Any],
) -> None:
    """Draw one panel in ``colors``, one per line: its left axis, a twin axis when
    it has two, a legend."""
    targets = [ax, ax.twinx()] if len(axes) == 2 else [ax]
    next_color = iter(colors)
    lines = []
    for target, (yaxis, drawn) in zip(targets, axes, strict=True):
        twin = target is not ax
        for one, x, y in drawn:
            shown = downsample_indices(y, max_points)
            style = {
                "color": next(next_color),
                "linestyle": "--" if twin else "-",
                "linewidth": 1.5,
                "marker": "o" if shown.size <= _MARKER_MAX_POINTS else None,
                "markersize": 3,
            }
            label = f"{one.label} (right axis)" if twin else one.label
            lines += target.plot(
                x[shown], y[shown], label=label, **with_defaults(style, plot_kwargs, Line2D)
            )
        yaxis.format_y(target, np.concatenate([y for _, _, y in drawn]))
        target.set_ylabel(drawn[0][0].ylabel if len(drawn) == 1 else yaxis.ylabel)
    ax.set_title(panel.title)
    ax.grid(True, alpha=0.3)
    if len(lines) > 1:
        # on the topmost axes, so that no line of the panel is drawn over it
        targets[-1].legend(handles=lines, loc="best", fontsize=9)


def _title_gap() -> float:
    """The height in inches between two stacked panels that a panel's title needs:
    the title's line, its pad, and the ticks below the panel above, with a margin."""
    params = matplotlib.rcParams
    title_points = FontProperties(size=params["axes.titlesize"]).get_size_in_points()
    tick_points = params["xtick.major.size"] if params["xtick.direction"] != "in" else 0.0
    return (1.2 * title_points + params["axes.titlepad"] + tick_points + 4.0) / 72.0


# A panel shorter than this (in inches) has no room for its lines and legend.
_MIN_PANEL_HEIGHT = 0.3


def _panel_hspace(ax: Axes, count: int) -> float | None:
    """The ``hspace`` that keeps ``count`` panels stacked in the slot of ``ax`` clear
    of each other's titles, for a figure without a constrained layout engine
    (which spaces them itself: ``None``). Warns when the slot is too short."""
    figure = root_figure(ax)
    if isinstance(figure.get_layout_engine(), ConstrainedLayoutEngine):
        return None
    slot = ax.bbox.height / figure.dpi  # inches
    gap = _title_gap()
    panel = (slot - (count - 1) * gap) / count
    if panel < _MIN_PANEL_HEIGHT:
        warnings.warn(
            f"ax: its slot is {slot:.2f} in tall, too short for {count} panels with "
            f"titles (about {count * _MIN_PANEL_HEIGHT + (count - 1) * gap:.1f} in); "
            f"make the figure taller or pass a list of {count} Axes",
            CrowdedLayoutWarning,
            stacklevel=4,  # _given_axes, visualize_training_progress, its caller
        )
        return None
    return gap / panel


def _first_axes(ax: Any) -> Axes | None:
    """The Axes ``ax`` is, or the first of those it holds (``None`` if it holds none)."""
    if isinstance(ax, (Sequence, np.ndarray)) and not isinstance(ax, str):
        return check_ax(np.ravel(ax)[0], "ax[0]") if len(ax) else None
    return check_ax(ax)


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
    slots = spec.subgridspec(count, 1, hspace=_panel_hspace(ax, count))
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
    first_ax = None if ax is None else _first_axes(ax)
    # an unknown name, or a colormap with no colour readable here, fails before drawing
    palette = _palette(cmap, background_color(first_ax))
    history = _read(metrics_history)
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
        axes = _given_axes(ax, len(history.panels))
        figure = given_figure(axes[0])
    with figure_scope(figure, created=ax is None, path=path):
        for panel_ax, (panel, panel_axes) in zip(axes, history.panels, strict=True):
            count = sum(len(drawn) for _, drawn in panel_axes)
            _draw_panel(
                panel_ax,
                panel,
                panel_axes,
                max_points=max_points,
                colors=_line_colors(palette, count, spread=cmap is not None),
                plot_kwargs=kwargs,
            )
        axes[-1].set_xlabel("Step" if history.have_steps else "Index (no 'step' key)")
        for panel_ax in axes[:-1]:
            panel_ax.tick_params(labelbottom=False)
    return figure

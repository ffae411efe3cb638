"""How ``visualize_training_progress`` draws its panels: each panel's lines, in
colours that stand out from the background and thinned so that spikes stay, and
the panels stacked in the slot of one given Axes.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D

from ._figure import check_ax, root_figure
from ._metrics import Drawn, Panel, YAxis
from ._style import RGB, Cmap, colormap, contrast_ratio, with_defaults
from .exceptions import CrowdedLayoutWarning

# A line must have at least this contrast ratio with the background (see _style).
# WCAG asks 3:1 of graphics; matplotlib's default cycle has colours read without
# trouble below that on white (tab:orange 2.5:1, tab:olive 2.01:1), so 2:1
# keeps all of tab10 and drops what is near the background: the light end of
# magma, viridis or plasma on white (1.1-1.9:1), pastel maps, a grey cycle
# colour on a grey face.
MIN_LINE_CONTRAST = 2.0

# Positions at which a colormap is sampled for its readable colours.
_CMAP_SAMPLES = 256


def readable_colors(cmap: Cmap | None, background: RGB) -> list[Any]:
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


def line_colors(palette: list[Any], count: int, *, spread: bool) -> list[Any]:
    """``count`` colours from ``palette``: spread over it from end to end (a
    colormap's, as pandas' ``plot(colormap=...)`` does), or taken in order,
    starting again when used up (a colour cycle's)."""
    if spread:
        positions = np.round(np.linspace(0, len(palette) - 1, count)).astype(int)
        return [palette[position] for position in positions]
    return [palette[i % len(palette)] for i in range(count)]


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


def draw_panel(
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
            stacklevel=4,  # given_axes, visualize_training_progress, its caller
        )
        return None
    return gap / panel


def first_axes(ax: Any) -> Axes | None:
    """The Axes ``ax`` is, or the first of those it holds (``None`` if it holds none)."""
    if isinstance(ax, (Sequence, np.ndarray)) and not isinstance(ax, str):
        return check_ax(np.ravel(ax)[0], "ax[0]") if len(ax) else None
    return check_ax(ax)


def given_axes(ax: Any, count: int) -> list[Axes]:
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

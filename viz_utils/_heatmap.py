"""Drawing shared by the layers x heads heatmaps (and the attention matrix)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.image import AxesImage
from matplotlib.ticker import MaxNLocator

from ._convert import ArrayLike, optional_number, require_finite, require_ndim, to_numpy
from ._style import Cmap, colormap, with_defaults

__all__ = [
    "ANNOTATE_MAX_CELLS",
    "ANNOTATE_MAX_COLUMNS",
    "GRID",
    "annotate_cells",
    "check_limits",
    "color_limits",
    "colorbar_extend",
    "draw_heatmap",
    "head_grid",
    "heatmap_figsize",
    "marker_fontsize",
]

# Cell values are written into the cells only up to this grid size: beyond it
# the numbers no longer fit in the cells at the default figure size.
ANNOTATE_MAX_CELLS = 300
ANNOTATE_MAX_COLUMNS = 24

# Non-finite cells (NaN, inf) are masked and painted in this colour.
BAD_COLOR = "0.82"


# The shape of a grid with a value per attention head, as messages spell it.
GRID = "[layers, heads]"


def head_grid(values: ArrayLike, name: str) -> np.ndarray:
    """``values`` as a finite 2-D array with a value per head, else the error naming ``name``."""
    grid = require_ndim(to_numpy(values, name=name), (2,), name=name, shape=GRID)
    return require_finite(grid, name=name)


def heatmap_figsize(rows: int, cols: int) -> tuple[float, float]:
    """A figure size that keeps cells readable for a ``rows`` x ``cols`` grid."""
    width = min(max(2.5 + 0.55 * cols, 6.0), 14.0)
    height = min(max(1.5 + 0.45 * rows, 4.0), 10.0)
    return (width, height)


def color_limits(
    data: np.ndarray,
    lower: float | None = None,
    upper: float | None = None,
    names: tuple[str, str] = ("vmin", "vmax"),
    extent: tuple[str, str] = ("the lowest value", "the highest value"),
    hint: str = "",
) -> tuple[float, float]:
    """Colour limits from the finite values of ``data``; fixed where ``lower``/``upper`` given.

    Never returns an empty range: a constant or all-zero array still gets a
    sensible scale (``[0, 1]`` for zeros, +-10 % around another constant). A
    limit given on the far side of the other one, given or taken from the data,
    is a ValueError naming them (``names``; ``extent`` says what ``data``'s ends
    are; ``hint`` ends the message), as matplotlib's own ``imshow`` refuses it: it
    was replaced, and the plot drawn on another scale.
    """
    finite = data[np.isfinite(data)]
    low = float(lower) if lower is not None else float(finite.min()) if finite.size else 0.0
    high = float(upper) if upper is not None else float(finite.max()) if finite.size else 1.0
    if high > low:
        return low, high
    if (lower is not None and upper is not None) or (
        high < low and (lower is not None or upper is not None)
    ):
        first = f"{names[0]}={low:g}" if lower is not None else f"{extent[0]}, {low:g}"
        second = f"{names[1]}={high:g}" if upper is not None else f"{extent[1]}, {high:g}"
        raise ValueError(f"{names[0]} must be less than {names[1]}, got {first} and {second}{hint}")
    if lower is not None and upper is None:
        return low, low + (abs(low) or 1.0)
    if upper is not None and lower is None:
        return high - (abs(high) or 1.0), high
    if low == 0.0:
        return 0.0, 1.0
    pad = 0.1 * abs(low)
    return low - pad, low + pad


def check_limits(
    vmin: object, vmax: object, imshow_kwargs: Mapping[str, Any]
) -> tuple[float | None, float | None]:
    """Validate the ``vmin``/``vmax`` a caller passed; ``None`` where not given.

    A ``norm=`` passed through to ``imshow`` holds its own limits, so it cannot
    come with ``vmin``/``vmax`` (matplotlib refuses the pair as well).
    """
    low = optional_number(vmin, name="vmin")
    high = optional_number(vmax, name="vmax")
    if low is not None and high is not None and not low < high:
        raise ValueError(f"vmin must be less than vmax, got vmin={low:g}, vmax={high:g}")
    if "norm" in imshow_kwargs and (low is not None or high is not None):
        raise ValueError("pass either norm= or vmin=/vmax=, not both: the norm holds the limits")
    return low, high


def colorbar_extend(data: np.ndarray, vmin: float, vmax: float) -> str:
    """The colour bar's ``extend``: an arrow at each end that values lie beyond.

    Cells beyond a limit take the colour at that limit; without the arrow the
    colour bar would say they are at most (or at least) that value.
    """
    finite = data[np.isfinite(data)]
    below = bool(finite.size) and float(finite.min()) < vmin
    above = bool(finite.size) and float(finite.max()) > vmax
    return {(False, False): "neither", (True, False): "min", (False, True): "max"}.get(
        (below, above), "both"
    )


def _integer_ticks(axis: Axis, count: int) -> None:
    if count <= 16:
        axis.set_ticks(range(count))
    else:
        axis.set_major_locator(MaxNLocator(integer=True))


def draw_heatmap(
    ax: Axes,
    data: np.ndarray,
    *,
    vmin: float,
    vmax: float,
    cmap: Cmap | None,
    colorbar_label: str,
    title: str | None,
    xlabel: str = "Head",
    ylabel: str = "Layer",
    aspect: str = "auto",
    imshow_kwargs: Mapping[str, Any],
) -> AxesImage:
    """Draw ``data`` (2-D, non-finite values masked) with a colour bar; return the image.

    The colour bar has an arrow at each end that values lie beyond (``extend``).

    ``cmap=None`` is ``rcParams["image.cmap"]``. ``imshow_kwargs`` go to
    ``ax.imshow`` and win over the defaults here (``aspect``; ``antialiased``
    interpolation, which matplotlib resolves when the image is drawn, at its final
    size and dpi: nearest, each cell a crisp block, where a cell takes three pixels
    or more, smoothed where the grid has more cells than pixels, which nearest
    sampling would drop: a 1024 x 1024 diagonal drawn dotted); with a ``norm`` among
    them, ``vmin``/``vmax`` are left to it.
    """
    options = with_defaults(
        {"aspect": aspect, "interpolation": "antialiased"}, imshow_kwargs, AxesImage
    )
    if "norm" not in options:
        options.update(vmin=vmin, vmax=vmax)
    image = ax.imshow(
        np.ma.masked_invalid(data), cmap=colormap(cmap).with_extremes(bad=BAD_COLOR), **options
    )
    extend = "neither" if "norm" in options else colorbar_extend(data, vmin, vmax)
    colorbar = ax.figure.colorbar(image, ax=ax, extend=extend)
    colorbar.set_label(colorbar_label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    _integer_ticks(ax.xaxis, data.shape[1])
    _integer_ticks(ax.yaxis, data.shape[0])
    if title:
        ax.set_title(title)
    return image


def marker_fontsize(cols: int) -> float:
    """Font size for text written into cells of a grid ``cols`` wide."""
    if cols <= 12:
        return 8.0
    if cols <= 16:
        return 7.0
    return 6.0


def annotate_cells(ax: Axes, image: AxesImage, data: np.ndarray, fmt: str) -> bool:
    """Write each finite value into its cell when the grid is small enough to read.

    The text is black or white, whichever contrasts with the cell colour.
    Returns whether the cells were annotated.
    """
    rows, cols = data.shape
    if rows * cols > ANNOTATE_MAX_CELLS or cols > ANNOTATE_MAX_COLUMNS:
        return False
    colors = np.asarray(image.cmap(image.norm(data)))  # RGBA per cell
    luminance = colors[..., :3] @ np.array([0.299, 0.587, 0.114])
    fontsize = marker_fontsize(cols)
    for (row, col), value in np.ndenumerate(data):
        if not np.isfinite(value):
            continue
        ax.text(
            col,
            row,
            format(value, fmt),
            ha="center",
            va="center",
            fontsize=fontsize,
            color="black" if luminance[row, col] > 0.5 else "white",
        )
    return True

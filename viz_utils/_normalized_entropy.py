"""Entropy as a percentage of its maximum per head, as a heatmap (``viz_utils.entropy``
exports it beside the other entropy plots)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ._convert import ArrayLike, to_numpy
from ._figure import SavePath, check_figsize, drawing
from ._heatmap import (
    annotate_cells,
    check_limits,
    color_limits,
    draw_heatmap,
    head_grid,
    heatmap_figsize,
)
from ._style import Cmap
from .exceptions import ValuesAboveMaximumWarning

__all__ = ["visualize_normalized_entropy"]

# Entropy counts as above its maximum beyond this relative margin, which covers
# rounding: half a unit in the last place of bfloat16 is 0.2 %, of float16 0.05 %.
_ABOVE_MAXIMUM_MARGIN = 5e-3


def _above_maximum_message(ratio: np.ndarray) -> str | None:
    """Say how many cells of ``ratio`` (entropy / max_entropy) are above 1, and by
    how much; ``None`` when none is (within the rounding margin)."""
    finite = ratio[np.isfinite(ratio)]
    above = finite > 1.0 + _ABOVE_MAXIMUM_MARGIN
    if not above.any():
        return None
    largest = float(finite.max())
    return (
        f"entropy_values is above max_entropy in {int(above.sum())} of {ratio.size} cells "
        f"(largest ratio {largest:.3g}, {100 * largest:.0f}%); entropy cannot exceed its "
        f"maximum: are both in the same unit? A ratio near 1.44 is entropy in bits over a "
        f"maximum in nats (math.log)"
    )


def visualize_normalized_entropy(
    entropy_values: ArrayLike,
    max_entropy: float | ArrayLike,
    title: str = "Normalized Entropy (% of Maximum)",
    save_path: SavePath | None = None,
    *,
    ax: Axes | None = None,
    cmap: Cmap | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    figsize: tuple[float, float] | None = None,
    **kwargs: Any,
) -> Figure:
    """Heatmap of entropy as a percentage of the maximum possible, on a 0-100 scale.

    Entropy above ``max_entropy`` (by more than 0.5 %, the rounding of half
    precision) is a mistake the scale would hide, often a unit mismatch (bits
    against nats): it gives a
    :class:`~viz_utils.exceptions.ValuesAboveMaximumWarning` saying how many
    cells and the largest ratio. Those cells keep their true percentage as
    text; their colour is the top of the scale, and the colour bar shows the
    overflow with an arrow (``extend="max"``), as for any value beyond
    ``vmin``/``vmax``. Like ``plt.subplots``, a new figure is left with pyplot
    (see Returns).

    Parameters
    ----------
    entropy_values
        Entropy per head, shape ``[layers, heads]``.
    max_entropy
        The maximum entropy, e.g. ``log(seq_len)`` for attention over
        ``seq_len`` keys: a positive scalar, or an array broadcastable to
        ``[layers, heads]`` (e.g. ``[layers, 1]``).
    title
        Axes title.
    save_path
        Where to save the figure; the format comes from the extension.
    ax
        Draw into this axes instead of a new figure (the colour bar takes room from it).
    cmap
        Colormap name or ``Colormap``; default ``rcParams["image.cmap"]``.
    vmin, vmax
        Colour limits in percent; default 0 and 100, so heads and runs compare.
    figsize
        ``(width, height)`` of a new figure in inches; default grows with the
        grid. Ignored with ``ax``.
    **kwargs
        Passed to ``Axes.imshow`` (e.g. ``alpha``, ``interpolation``, ``norm``),
        overriding the defaults here.

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
        If ``entropy_values`` is not 2-D, is empty or holds no finite value
        (all NaN or inf), ``max_entropy`` does not broadcast to it or has a
        value that is not positive and finite, or
        ``vmin``/``vmax``/``figsize``/``cmap`` are invalid.
    TypeError
        If an input has the wrong type.
    FileNotFoundError
        If the folder of ``save_path`` does not exist.

    Warns
    -----
    viz_utils.exceptions.ValuesAboveMaximumWarning
        If some entropy is above ``max_entropy``: how many cells, the largest ratio.

    Examples
    --------
    >>> fig = visualize_normalized_entropy(entropy, max_entropy=math.log(seq_len), cmap="magma")
    """
    values = head_grid(entropy_values, "entropy_values")
    maximum = to_numpy(max_entropy, name="max_entropy")
    try:
        maximum = np.broadcast_to(maximum, values.shape)
    except ValueError:
        raise ValueError(
            f"max_entropy must be a scalar or broadcast to entropy_values' shape "
            f"{tuple(values.shape)}, got shape {tuple(maximum.shape)}"
        ) from None
    if not np.all(np.isfinite(maximum) & (maximum > 0)):
        raise ValueError("max_entropy must be positive and finite, e.g. math.log(seq_len)")
    low, high = check_limits(vmin, vmax, kwargs)
    ratio = values / maximum
    # The 0-100 % scale; with only `vmin`, up to the highest percentage above it (re-check
    # 31: `vmin=110` with values up to 130 % was refused against the scale's top).
    top = 100.0
    if low is not None and low >= top and high is None and np.isfinite(ratio).any():
        top = max(top, 100.0 * float(ratio[np.isfinite(ratio)].max()))
    low, high = color_limits(
        np.array([0.0, top]), low, high, extent=("the scale's bottom", "the scale's top")
    )
    size = check_figsize(figsize, heatmap_figsize(*values.shape))

    if (message := _above_maximum_message(ratio)) is not None:
        warnings.warn(message, ValuesAboveMaximumWarning, stacklevel=2)
    percent = 100.0 * ratio
    with drawing(ax, figsize=size, save_path=save_path) as (figure, axes):
        image = draw_heatmap(
            axes,
            percent,
            vmin=low,
            vmax=high,
            cmap=cmap,
            colorbar_label="% of maximum entropy",
            title=title,
            imshow_kwargs=kwargs,
        )
        annotate_cells(axes, image, percent, ".0f")
    return figure

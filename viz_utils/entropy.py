"""Attention entropy per head: heatmaps, and entropy against gradient norm."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.colors import BoundaryNorm, Colormap, ListedColormap
from matplotlib.figure import Figure

from ._convert import ArrayLike, optional_number, require_finite, require_ndim, to_numpy
from ._figure import SavePath, check_figsize, drawing
from ._heatmap import (
    annotate_cells,
    check_limits,
    color_limits,
    draw_heatmap,
    head_grid,
    heatmap_figsize,
)
from ._normalized_entropy import visualize_normalized_entropy
from ._style import Cmap, colormap, with_defaults

__all__ = [
    "visualize_entropy_heatmap",
    "visualize_entropy_vs_gradient",
    "visualize_normalized_entropy",
]

# Entropy is computed with the natural logarithm (torch.log, scipy.stats.entropy's
# default), as in the notebooks these helpers came from.
_ENTROPY_UNIT = "nats"

# Qualitative colormaps (tab10, Set1, Paired, ...) are lists of at most this many
# colours; their first colours, in order, tell layers apart.
_QUALITATIVE_MAX_COLORS = 20


def visualize_entropy_heatmap(
    entropy_values: ArrayLike,
    title: str = "Attention Entropy Heatmap",
    save_path: SavePath | None = None,
    min_value: float | None = 0.0,
    annotate: bool = True,
    *,
    ax: Axes | None = None,
    cmap: Cmap | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    figsize: tuple[float, float] | None = None,
    **kwargs: Any,
) -> Figure:
    """Heatmap of attention entropy per head (layers x heads), in nats.

    The colour bar reads "Entropy (nats)": entropy is taken to be computed with
    the natural logarithm. Like ``plt.subplots``, a new figure is left with
    pyplot (see Returns).

    Parameters
    ----------
    entropy_values
        Entropy per head, shape ``[layers, heads]`` (tensor, array or nested lists).
    title
        Axes title.
    save_path
        Where to save the figure; the format comes from the extension.
    min_value
        Lower end of the colour scale (entropy is never negative); ``None`` uses
        the data minimum. The upper end is the data maximum; a constant or
        all-zero input still gets a non-empty range.
    annotate
        Write each value (two decimals) into its cell, when the grid is at
        most 300 cells and 24 heads wide (beyond that the numbers do not fit).
    ax
        Draw into this axes instead of a new figure (the colour bar takes room from it).
    cmap
        Colormap name or ``Colormap``; default ``rcParams["image.cmap"]``.
    vmin, vmax
        Colour limits. ``vmin``, when given, takes the place of ``min_value``;
        ``vmax`` defaults to the data maximum.
    figsize
        ``(width, height)`` of a new figure in inches; default grows with the
        grid. Ignored with ``ax``.
    **kwargs
        Passed to ``Axes.imshow`` (e.g. ``alpha``, ``interpolation``, ``norm``;
        a ``norm`` sets the colour limits, ``min_value`` is then not used),
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
        (all NaN or inf), ``min_value`` is not finite, or
        ``vmin``/``vmax``/``figsize``/``cmap`` are invalid.
    TypeError
        If an input has the wrong type.
    FileNotFoundError
        If the folder of ``save_path`` does not exist.

    Examples
    --------
    >>> fig = visualize_entropy_heatmap(entropy, annotate=False, save_path="entropy.png")
    """
    values = head_grid(entropy_values, "entropy_values")
    lower = optional_number(min_value, name="min_value")
    low, high = check_limits(vmin, vmax, kwargs)
    names = ("min_value" if low is None else "vmin", "vmax")
    # `min_value` is 0.0 unless given: say how to scale from the data instead, where that
    # would do (re-checks 31, 32).
    finite = values[np.isfinite(values)]
    lowest = float(finite.min()) if finite.size else None
    scales = low is None and lowest is not None and (high is None or lowest < high)
    hint = "; min_value=None scales from the lowest value" if scales else ""
    low, high = color_limits(values, lower if low is None else low, high, names, hint=hint)
    size = check_figsize(figsize, heatmap_figsize(*values.shape))

    with drawing(ax, figsize=size, save_path=save_path) as (figure, axes):
        image = draw_heatmap(
            axes,
            values,
            vmin=low,
            vmax=high,
            cmap=cmap,
            colorbar_label=f"Entropy ({_ENTROPY_UNIT})",
            title=title,
            imshow_kwargs=kwargs,
        )
        if annotate:
            annotate_cells(axes, image, values, ".2f")
    return figure


def _layer_colormap(cmap: Cmap | None, layers: int) -> Colormap:
    """One colour per layer: the first colours of a qualitative map, else ``layers``
    colours spread over a continuous one."""
    if cmap is None:
        cmap = "tab10" if layers <= 10 else None  # more layers: rcParams["image.cmap"]
    colors = colormap(cmap)
    if (
        isinstance(colors, ListedColormap)
        and layers <= colors.N <= _QUALITATIVE_MAX_COLORS
        and isinstance(colors.colors, (list, tuple, np.ndarray))
    ):
        return ListedColormap(colors.colors[:layers], name=colors.name)
    return colors.resampled(layers)


def _legend_with_fit(ax: Axes, x: np.ndarray, y: np.ndarray, left_out: int) -> None:
    """Dashed least-squares line with its slope, under a legend title giving r and n.

    The legend follows the style (``dark_background`` too) and ``loc="best"``
    keeps it off the points.
    """
    handles = []
    if x.size >= 2 and np.ptp(x) > 0:
        slope, intercept = np.polyfit(x, y, 1)
        ends = np.array([x.min(), x.max()])
        (line,) = ax.plot(
            ends,
            slope * ends + intercept,
            linestyle="--",
            color="red",
            linewidth=1.2,
            label=f"fit (slope={slope:.3g})",
        )
        handles.append(line)
    note = [f"n = {x.size}"]
    if x.size >= 2 and np.ptp(x) > 0 and np.ptp(y) > 0:
        note.insert(0, f"r = {np.corrcoef(x, y)[0, 1]:.2f}")
    title = ", ".join(note)
    if left_out:
        title += f"\n{left_out} non-finite left out"
    ax.legend(handles=handles, title=title, loc="best", fontsize=9, title_fontsize=9)


def visualize_entropy_vs_gradient(
    entropy_values: ArrayLike,
    grad_norm_values: ArrayLike,
    title: str = "Entropy vs Gradient Relationship",
    save_path: SavePath | None = None,
    *,
    ax: Axes | None = None,
    cmap: Cmap | None = None,
    figsize: tuple[float, float] | None = None,
    **kwargs: Any,
) -> Figure:
    """Scatter of attention entropy against gradient norm, one point per head.

    Points are coloured by layer when the inputs are ``[layers, heads]``. A
    dashed least-squares line shows the trend, its slope in the legend, whose
    title gives the Pearson correlation ``r`` and the number of heads ``n``.
    Heads with a NaN or inf in either value are left out (and counted there).
    Like ``plt.subplots``, a new figure is left with pyplot (see Returns).

    Parameters
    ----------
    entropy_values
        Entropy per head in nats, ``[layers, heads]`` or flat ``[heads]``.
    grad_norm_values
        Gradient norm per head, the same shape as ``entropy_values``.
    title
        Axes title.
    save_path
        Where to save the figure; the format comes from the extension.
    ax
        Draw into this axes instead of a new figure.
    cmap
        Colormap for the layers. The colour tells layers apart, so the default
        is a fixed qualitative map, ``"tab10"``, up to 10 layers (its first
        colours in order; the same for any qualitative map), and beyond that
        ``rcParams["image.cmap"]`` split into one colour per layer. Flat input
        has no layers: its points take the axes' first cycle colour. There is
        no ``vmin``/``vmax``: colours stand for layers, not values.
    figsize
        ``(width, height)`` of a new figure in inches; default ``(7, 5)``.
        Ignored with ``ax``.
    **kwargs
        Passed to ``Axes.scatter`` (e.g. ``s``, ``marker``, ``alpha``,
        ``edgecolors``), overriding the defaults here; not ``c`` or ``norm``,
        which carry the layers.

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
        If an input is empty or not 1-D/2-D, the shapes differ, no head is
        finite in both (all left out), or ``figsize``/``cmap`` are invalid.
    TypeError
        If an input has the wrong type.
    FileNotFoundError
        If the folder of ``save_path`` does not exist.

    Examples
    --------
    >>> fig = visualize_entropy_vs_gradient(entropy, grad_norms, marker="^")
    """
    shape = "[layers, heads] or [heads]"
    entropy = require_ndim(
        to_numpy(entropy_values, name="entropy_values"), (1, 2), name="entropy_values", shape=shape
    )
    grads = require_ndim(
        to_numpy(grad_norm_values, name="grad_norm_values"),
        (1, 2),
        name="grad_norm_values",
        shape=shape,
    )
    if entropy.shape != grads.shape:
        raise ValueError(
            f"entropy_values has shape {tuple(entropy.shape)} but grad_norm_values has shape "
            f"{tuple(grads.shape)}; they must match (one value per head)"
        )
    layers = entropy.shape[0] if entropy.ndim == 2 else 1
    colors = _layer_colormap(cmap, layers)
    size = check_figsize(figsize, (7.0, 5.0))

    layer_of = np.repeat(np.arange(layers), entropy.size // layers)  # ravel order
    x, y = entropy.ravel(), grads.ravel()
    keep = np.isfinite(x) & np.isfinite(y)
    if not keep.any():
        require_finite(x, name="entropy_values")
        require_finite(y, name="grad_norm_values")
        raise ValueError(
            "entropy_values and grad_norm_values have no head finite in both "
            "(each head has a NaN or inf in one of them): nothing to draw"
        )
    x, y, layer_of = x[keep], y[keep], layer_of[keep]

    with drawing(ax, figsize=size, save_path=save_path) as (figure, axes):
        style = with_defaults(
            {"s": 36, "edgecolor": "black", "linewidth": 0.4, "alpha": 0.85}, kwargs, PathCollection
        )
        if entropy.ndim == 2:
            norm = BoundaryNorm(np.arange(layers + 1) - 0.5, layers)
            points = axes.scatter(x, y, c=layer_of, cmap=colors, norm=norm, **style)
            colorbar = axes.figure.colorbar(
                points, ax=axes, ticks=range(layers) if layers <= 16 else None
            )
            colorbar.set_label("Layer")
        else:
            axes.scatter(x, y, **style)
        _legend_with_fit(axes, x, y, left_out=int((~keep).sum()))
        axes.set_xlabel(f"Attention entropy ({_ENTROPY_UNIT})")
        axes.set_ylabel("Gradient norm")
        axes.grid(True, alpha=0.3)
        if title:
            axes.set_title(title)
    return figure

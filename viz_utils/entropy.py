"""Attention entropy per head: heatmaps, and entropy against gradient norm."""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm
from matplotlib.figure import Figure

from ._convert import ArrayLike, require_ndim, to_numpy
from ._figure import SavePath, check_save_path, figure_and_axes, save
from ._heatmap import annotate_cells, color_limits, draw_heatmap, heatmap_figsize

__all__ = [
    "visualize_entropy_heatmap",
    "visualize_entropy_vs_gradient",
    "visualize_normalized_entropy",
]

_GRID = "[layers, heads]"


def _grid(values: ArrayLike, name: str) -> np.ndarray:
    return require_ndim(to_numpy(values, name=name), (2,), name=name, shape=_GRID)


def visualize_entropy_heatmap(
    entropy_values: ArrayLike,
    title: str = "Attention Entropy Heatmap",
    save_path: SavePath | None = None,
    min_value: float | None = 0.0,
    annotate: bool = True,
    *,
    ax: Axes | None = None,
) -> Figure:
    """Heatmap of attention entropy per head (layers x heads).

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

    Returns
    -------
    matplotlib.figure.Figure
        The new figure, or the figure holding ``ax``.

    Raises
    ------
    ValueError
        If ``entropy_values`` is not 2-D or is empty, or ``min_value`` is not finite.
    TypeError
        If an input has the wrong type.
    FileNotFoundError
        If the folder of ``save_path`` does not exist.

    Examples
    --------
    >>> fig = visualize_entropy_heatmap(entropy, annotate=False, save_path="entropy.png")
    """
    values = _grid(entropy_values, "entropy_values")
    if min_value is not None:
        lower = to_numpy(min_value, name="min_value")
        if lower.size != 1 or not np.isfinite(lower).all():
            raise ValueError(f"min_value must be a finite number or None, got {min_value!r}")
        min_value = float(lower.reshape(()))
    path = check_save_path(save_path)

    figure, ax = figure_and_axes(ax, figsize=heatmap_figsize(*values.shape))
    vmin, vmax = color_limits(values, lower=min_value)
    image = draw_heatmap(ax, values, vmin=vmin, vmax=vmax, colorbar_label="Entropy", title=title)
    if annotate:
        annotate_cells(ax, image, values, ".2f")
    save(figure, path)
    return figure


def visualize_normalized_entropy(
    entropy_values: ArrayLike,
    max_entropy: float | ArrayLike,
    title: str = "Normalized Entropy (% of Maximum)",
    save_path: SavePath | None = None,
    *,
    ax: Axes | None = None,
) -> Figure:
    """Heatmap of entropy as a percentage of the maximum possible, on a 0-100 scale.

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

    Returns
    -------
    matplotlib.figure.Figure
        The new figure, or the figure holding ``ax``.

    Raises
    ------
    ValueError
        If ``entropy_values`` is not 2-D or is empty, or ``max_entropy`` does not
        broadcast to it or has a value that is not positive and finite.
    TypeError
        If an input has the wrong type.
    FileNotFoundError
        If the folder of ``save_path`` does not exist.

    Examples
    --------
    >>> fig = visualize_normalized_entropy(entropy, max_entropy=math.log(seq_len))
    """
    values = _grid(entropy_values, "entropy_values")
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
    path = check_save_path(save_path)

    percent = 100.0 * values / maximum
    figure, ax = figure_and_axes(ax, figsize=heatmap_figsize(*values.shape))
    image = draw_heatmap(
        ax, percent, vmin=0.0, vmax=100.0, colorbar_label="% of maximum entropy", title=title
    )
    annotate_cells(ax, image, percent, ".0f")
    save(figure, path)
    return figure


def visualize_entropy_vs_gradient(
    entropy_values: ArrayLike,
    grad_norm_values: ArrayLike,
    title: str = "Entropy vs Gradient Relationship",
    save_path: SavePath | None = None,
    *,
    ax: Axes | None = None,
) -> Figure:
    """Scatter of attention entropy against gradient norm, one point per head.

    Points are coloured by layer when the inputs are ``[layers, heads]``; the
    Pearson correlation is written in a corner. Heads with a NaN or inf in
    either value are left out (and counted in the corner note).

    Parameters
    ----------
    entropy_values
        Entropy per head, ``[layers, heads]`` or flat ``[heads]``.
    grad_norm_values
        Gradient norm per head, the same shape as ``entropy_values``.
    title
        Axes title.
    save_path
        Where to save the figure; the format comes from the extension.
    ax
        Draw into this axes instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        The new figure, or the figure holding ``ax``.

    Raises
    ------
    ValueError
        If an input is empty or not 1-D/2-D, or the shapes differ.
    TypeError
        If an input has the wrong type.
    FileNotFoundError
        If the folder of ``save_path`` does not exist.

    Examples
    --------
    >>> fig = visualize_entropy_vs_gradient(entropy, grad_norms)
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
    path = check_save_path(save_path)

    layers = entropy.shape[0] if entropy.ndim == 2 else 1
    layer_of = (
        np.broadcast_to(np.arange(layers)[:, None], entropy.shape)
        if entropy.ndim == 2
        else np.zeros(entropy.shape)
    )
    x, y, layer_of = entropy.ravel(), grads.ravel(), np.asarray(layer_of).ravel()
    keep = np.isfinite(x) & np.isfinite(y)
    x, y, layer_of = x[keep], y[keep], layer_of[keep]

    figure, ax = figure_and_axes(ax, figsize=(7.0, 5.0))
    style = {"s": 36, "edgecolors": "black", "linewidths": 0.4, "alpha": 0.85}
    if entropy.ndim == 2:
        cmap = matplotlib.colormaps["viridis"].resampled(layers)
        norm = BoundaryNorm(np.arange(layers + 1) - 0.5, layers)
        points = ax.scatter(x, y, c=layer_of, cmap=cmap, norm=norm, **style)
        colorbar = ax.figure.colorbar(points, ax=ax, ticks=range(layers) if layers <= 16 else None)
        colorbar.set_label("Layer")
    else:
        ax.scatter(x, y, color="tab:blue", **style)

    note = [f"n = {x.size}"]
    if x.size >= 2 and np.ptp(x) > 0 and np.ptp(y) > 0:
        note.insert(0, f"r = {np.corrcoef(x, y)[0, 1]:.2f}")
    if (~keep).sum():
        note.append(f"{(~keep).sum()} non-finite left out")
    ax.text(
        0.98,
        0.97,
        "\n".join(note),
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=9,
        bbox={"boxstyle": "round", "facecolor": "white", "alpha": 0.8},
    )
    ax.set_xlabel("Attention entropy")
    ax.set_ylabel("Gradient norm")
    ax.grid(True, alpha=0.3)
    if title:
        ax.set_title(title)
    save(figure, path)
    return figure

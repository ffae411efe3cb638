"""One attention head's pattern: queries x keys."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ._convert import (
    ArrayLike,
    as_index,
    as_int,
    is_tensor,
    require_finite,
    require_ndim,
    to_numpy,
)
from ._figure import SavePath, check_figsize, drawing
from ._heatmap import check_limits, draw_heatmap
from ._style import Cmap

__all__ = ["select_head", "visualize_attention_matrix"]

_SHAPES = "[seq, seq], [heads, seq, seq], [batch, heads, seq, seq] or a list of per-layer tensors"


def _is_array(value: Any) -> bool:
    return isinstance(value, np.ndarray) or is_tensor(value)


def select_head(
    attn_matrix: Any, layer_idx: object, head_idx: object
) -> tuple[np.ndarray, int, int]:
    """Return ``(matrix, layer, head)``: the ``[query, key]`` matrix of one head.

    ``layer_idx`` selects from a list of per-layer tensors (or the first axis of
    a 5-D array); ``head_idx`` selects from the heads axis. An index that does
    not select anything (``layer_idx`` for a single layer) is only a label.
    Batch 0 is taken from a batch axis.
    """
    layer = as_int(layer_idx, name="layer_idx")
    head = as_int(head_idx, name="head_idx")
    if isinstance(attn_matrix, (list, tuple)) and any(_is_array(item) for item in attn_matrix):
        # Hugging Face `outputs.attentions`: one [batch, heads, seq, seq] tensor per layer.
        layer = as_index(layer, len(attn_matrix), name="layer_idx", what="layers")
        name = f"attn_matrix[{layer}]"
        array = to_numpy(attn_matrix[layer], name=name)
        require_ndim(
            array, (3, 4), name=name, shape="[batch, heads, seq, seq] or [heads, seq, seq]"
        )
    else:
        name = "attn_matrix"
        if isinstance(attn_matrix, (list, tuple)) and not attn_matrix:
            raise ValueError(f"attn_matrix must have shape {_SHAPES}, got an empty list")
        array = to_numpy(attn_matrix, name=name)
        require_ndim(array, (2, 3, 4, 5), name=name, shape=_SHAPES)
        if array.ndim == 5:  # torch.stack(outputs.attentions): [layers, batch, heads, seq, seq]
            layer = as_index(layer, array.shape[0], name="layer_idx", what="layers")
            array = array[layer]
    if array.ndim == 4:
        array = array[0]  # first example of the batch
    if array.ndim == 3:
        head = as_index(head, array.shape[0], name="head_idx", what="heads")
        array = array[head]
    if array.size == 0:
        raise ValueError(f"{name} must have shape {_SHAPES}, got an empty sequence axis")
    require_finite(array, name=f"{name} (layer {layer}, head {head})")
    return array, layer, head


def visualize_attention_matrix(
    attn_matrix: ArrayLike,
    layer_idx: int = 0,
    head_idx: int = 0,
    title: str | None = None,
    save_path: SavePath | None = None,
    *,
    ax: Axes | None = None,
    cmap: Cmap | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    figsize: tuple[float, float] | None = None,
    **kwargs: Any,
) -> Figure:
    """Heatmap of one head's attention pattern (queries down, keys across).

    The colour scale is the probability range [0, 1], widened only when the data
    lie outside it (e.g. raw scores), so patterns of different heads compare.
    NaN and inf cells are drawn grey. Like ``plt.subplots``, a new figure is left
    with pyplot (see Returns).

    Parameters
    ----------
    attn_matrix
        ``[seq, seq]`` for one head, ``[heads, seq, seq]``, ``[batch, heads, seq, seq]``
        (batch 0 is shown), ``[layers, batch, heads, seq, seq]``, or a list/tuple of
        per-layer ``[batch, heads, seq, seq]`` tensors as Hugging Face models return with
        ``output_attentions=True``. Queries and keys may differ in length.
    layer_idx
        Layer to show from a per-layer list (negative counts from the end);
        otherwise only used in the title.
    head_idx
        Head to show when there is a heads axis; otherwise only used in the title.
    title
        Axes title; default ``"Attention (layer L, head H)"``.
    save_path
        Where to save the figure; the format comes from the extension.
    ax
        Draw into this axes instead of a new figure (the colour bar takes room from it).
    cmap
        Colormap name or ``Colormap``; default ``rcParams["image.cmap"]``.
    vmin, vmax
        Colour limits; default 0 and 1, widened to the data when they lie outside.
    figsize
        ``(width, height)`` of a new figure in inches; default ``(6.5, 5.5)``.
        Ignored with ``ax``.
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
        If the array has the wrong number of dimensions or is empty, the head
        shown holds no finite value (all NaN or inf),
        ``layer_idx``/``head_idx`` is out of range, or
        ``vmin``/``vmax``/``figsize``/``cmap`` are invalid.
    TypeError
        If an input has the wrong type.
    FileNotFoundError
        If the folder of ``save_path`` does not exist.

    Examples
    --------
    >>> outputs = model(**inputs, output_attentions=True)
    >>> fig = visualize_attention_matrix(outputs.attentions, layer_idx=3, head_idx=5)
    """
    matrix, layer, head = select_head(attn_matrix, layer_idx, head_idx)
    low, high = check_limits(vmin, vmax, kwargs)
    finite = matrix[np.isfinite(matrix)]
    if low is None:
        low = min(0.0, float(finite.min())) if finite.size else 0.0
    if high is None:
        high = max(1.0, float(finite.max())) if finite.size else 1.0
    if not low < high:  # one limit given, on the far side of the other's default
        raise ValueError(f"vmin must be less than vmax, got vmin={low:g}, vmax={high:g}")
    size = check_figsize(figsize, (6.5, 5.5))

    with drawing(ax, figsize=size, save_path=save_path) as (figure, axes):
        draw_heatmap(
            axes,
            matrix,
            vmin=low,
            vmax=high,
            cmap=cmap,
            colorbar_label="Attention weight",
            title=title if title is not None else f"Attention (layer {layer}, head {head})",
            xlabel="Key position",
            ylabel="Query position",
            aspect="equal" if matrix.shape[0] == matrix.shape[1] else "auto",
            imshow_kwargs=kwargs,
        )
    return figure

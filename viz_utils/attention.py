"""One attention head's pattern: queries x keys."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ._convert import ArrayLike, as_index, as_int, is_tensor, require_ndim, to_numpy
from ._figure import SavePath, check_save_path, figure_and_axes, save
from ._heatmap import draw_heatmap

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
    return array, layer, head


def visualize_attention_matrix(
    attn_matrix: ArrayLike,
    layer_idx: int = 0,
    head_idx: int = 0,
    title: str | None = None,
    save_path: SavePath | None = None,
    *,
    ax: Axes | None = None,
) -> Figure:
    """Heatmap of one head's attention pattern (queries down, keys across).

    The colour scale is the probability range [0, 1], widened only when the data
    lie outside it (e.g. raw scores), so patterns of different heads compare.
    NaN and inf cells are drawn grey.

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

    Returns
    -------
    matplotlib.figure.Figure
        The new figure, or the figure holding ``ax``.

    Raises
    ------
    ValueError
        If the array has the wrong number of dimensions or is empty, or
        ``layer_idx``/``head_idx`` is out of range.
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
    path = check_save_path(save_path)

    figure, ax = figure_and_axes(ax, figsize=(6.5, 5.5))
    finite = matrix[np.isfinite(matrix)]
    vmin = min(0.0, float(finite.min())) if finite.size else 0.0
    vmax = max(1.0, float(finite.max())) if finite.size else 1.0
    draw_heatmap(
        ax,
        matrix,
        vmin=vmin,
        vmax=vmax,
        colorbar_label="Attention weight",
        title=title if title is not None else f"Attention (layer {layer}, head {head})",
        xlabel="Key position",
        ylabel="Query position",
        aspect="equal" if matrix.shape[0] == matrix.shape[1] else "auto",
    )
    save(figure, path)
    return figure

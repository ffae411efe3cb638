"""Per-head gradient norms, with pruned and revived heads marked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ._convert import ArrayLike, as_index, is_tensor, require_finite, require_ndim, to_numpy
from ._figure import SavePath, check_figsize, drawing
from ._heatmap import check_limits, color_limits, draw_heatmap, heatmap_figsize, marker_fontsize
from ._style import Cmap

__all__ = ["HeadList", "head_pairs", "visualize_gradient_norms"]

HeadList: TypeAlias = Iterable[tuple[int, int]] | Mapping[int, Iterable[int]] | ArrayLike

_MARKERS = (("P", "red", "pruned"), ("R", "green", "revived"))


def head_pairs(heads: Any, *, name: str, layers: int, n_heads: int) -> list[tuple[int, int]]:
    """Parse a collection of heads into sorted, de-duplicated ``(layer, head)`` pairs.

    Accepts ``None``, an iterable of pairs, an array or tensor of shape ``[k, 2]``,
    or a mapping ``{layer: [heads]}`` (the form ``model.prune_heads`` takes).
    """
    if heads is None:
        return []
    if isinstance(heads, Mapping):
        for layer, layer_heads in heads.items():
            if isinstance(layer_heads, (str, bytes)) or not isinstance(layer_heads, Iterable):
                # Sweep 30: `{1: 2}` raised "'int' object is not iterable".
                raise TypeError(
                    f"{name}[{layer!r}] must be a list of heads, as model.prune_heads takes"
                    f" ({{{layer!r}: [{layer_heads!r}]}}), got {type(layer_heads).__name__}"
                )
        items: list[tuple[str, Any]] = [
            (f"{name}[{layer!r}]", (layer, head))
            for layer, layer_heads in heads.items()
            for head in layer_heads
        ]
    elif isinstance(heads, np.ndarray) or is_tensor(heads):
        array = to_numpy(heads, name=name)
        if array.size == 0:
            return []
        if array.ndim != 2 or array.shape[1] != 2:
            raise ValueError(
                f"{name} must be a list of (layer, head) pairs, i.e. shape [k, 2], "
                f"got shape {tuple(array.shape)}"
            )
        if not np.all(array == np.round(array)):
            raise TypeError(f"{name} must hold integer (layer, head) indices")
        items = [(f"{name}[{i}]", tuple(int(v) for v in row)) for i, row in enumerate(array)]
    elif isinstance(heads, (str, bytes)) or not isinstance(heads, Iterable):
        raise TypeError(f"{name} must be a list of (layer, head) pairs, got {type(heads).__name__}")
    else:
        items = [(f"{name}[{i}]", pair) for i, pair in enumerate(heads)]
    pairs = set()
    for label, pair in items:
        try:
            layer, head = pair
        except (TypeError, ValueError):
            raise ValueError(f"{label} = {pair!r} is not a (layer, head) pair") from None
        pairs.add(
            (
                as_index(layer, layers, name=f"{label} layer", what="layers", allow_negative=False),
                as_index(head, n_heads, name=f"{label} head", what="heads", allow_negative=False),
            )
        )
    return sorted(pairs)


def visualize_gradient_norms(
    grad_norm_values: ArrayLike,
    pruned_heads: HeadList | None = None,
    revived_heads: HeadList | None = None,
    title: str = "Gradient Norms",
    save_path: SavePath | None = None,
    *,
    ax: Axes | None = None,
    cmap: Cmap | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    figsize: tuple[float, float] | None = None,
    **kwargs: Any,
) -> Figure:
    """Heatmap of per-head gradient norms (layers x heads) with a colour bar.

    Cells of pruned heads are marked ``P`` on a red box, revived heads ``R`` on a
    green box; a head listed in both is marked ``R``. NaN and inf cells are
    drawn grey. Like ``plt.subplots``, a new figure is left with pyplot (see Returns).

    Parameters
    ----------
    grad_norm_values
        Gradient norms, shape ``[layers, heads]``: a tensor (any device/dtype),
        an array or nested lists.
    pruned_heads, revived_heads
        ``(layer, head)`` pairs: a list of pairs, an array/tensor of shape
        ``[k, 2]`` or a mapping ``{layer: [heads]}``.
    title
        Axes title.
    save_path
        Where to save the figure; the format comes from the extension.
    ax
        Draw into this axes instead of a new figure (the colour bar takes room from it).
    cmap
        Colormap name or ``Colormap``; default ``rcParams["image.cmap"]``.
    vmin, vmax
        Colour limits; default the range of the finite values.
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
        If ``grad_norm_values`` is not 2-D, is empty or holds no finite value
        (all NaN or inf), a pair is malformed or
        out of range, ``vmin``/``vmax``/``figsize``/``cmap`` are invalid, or
        ``save_path`` has an unknown extension.
    TypeError
        If an input has the wrong type.
    FileNotFoundError
        If the folder of ``save_path`` does not exist.

    Examples
    --------
    >>> fig = visualize_gradient_norms(norms, pruned_heads=[(0, 3), (5, 11)], cmap="plasma")
    """
    values = require_ndim(
        to_numpy(grad_norm_values, name="grad_norm_values"),
        (2,),
        name="grad_norm_values",
        shape="[layers, heads]",
    )
    require_finite(values, name="grad_norm_values")
    layers, n_heads = values.shape
    pruned = head_pairs(pruned_heads, name="pruned_heads", layers=layers, n_heads=n_heads)
    revived = head_pairs(revived_heads, name="revived_heads", layers=layers, n_heads=n_heads)
    low, high = color_limits(values, *check_limits(vmin, vmax, kwargs))
    size = check_figsize(figsize, heatmap_figsize(layers, n_heads))

    with drawing(ax, figsize=size, save_path=save_path) as (figure, axes):
        draw_heatmap(
            axes,
            values,
            vmin=low,
            vmax=high,
            cmap=cmap,
            colorbar_label="Gradient norm",
            title=title,
            imshow_kwargs=kwargs,
        )
        _mark_heads(axes, pruned, revived, n_heads)
    return figure


def _mark_heads(
    ax: Axes, pruned: list[tuple[int, int]], revived: list[tuple[int, int]], n_heads: int
) -> None:
    """Box and letter the pruned (P) and revived (R) heads; explain the letters."""

    revived_set = set(revived)
    marked = {"P": [pair for pair in pruned if pair not in revived_set], "R": revived}
    fontsize = marker_fontsize(n_heads) + 2
    legend = []
    for letter, color, meaning in _MARKERS:
        for layer, head in marked[letter]:
            ax.add_patch(
                Rectangle(
                    (head - 0.5, layer - 0.5),
                    1,
                    1,
                    fill=False,
                    edgecolor=color,
                    linewidth=2,
                    clip_on=False,
                )
            )
            ax.text(
                head,
                layer,
                letter,
                ha="center",
                va="center",
                fontsize=fontsize,
                fontweight="bold",
                color="white",
                bbox={"boxstyle": "square,pad=0.25", "facecolor": color, "edgecolor": "none"},
            )
        if marked[letter]:
            legend.append(f"{letter} = {meaning}")
    if legend:
        ax.set_xlabel(f"Head    ({', '.join(legend)})")

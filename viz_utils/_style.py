"""Styling arguments resolved against rcParams, so style sheets apply.

``cmap=None`` means ``rcParams["image.cmap"]`` (viridis unless a style or the
user changed it), as for ``plt.imshow``; a plot whose meaning needs a fixed
choice says so in its docstring and passes its own default.

Lines must stand out from what they are drawn on, under any style: the
contrast ratio of WCAG 2 (1 for equal colours, 21 for black on white) tells a
colour near the background (the white end of magma on white, 1.04:1) from a
readable one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

import matplotlib
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.cbook import normalize_kwargs
from matplotlib.colors import Colormap, to_rgba

__all__ = [
    "RGB",
    "Cmap",
    "background_color",
    "colormap",
    "contrast_ratio",
    "with_defaults",
]

Cmap: TypeAlias = str | Colormap
RGB: TypeAlias = tuple[float, float, float]

_WHITE: RGB = (1.0, 1.0, 1.0)


def colormap(cmap: Cmap | None) -> Colormap:
    """Return the colormap named or given; ``None`` gives ``rcParams["image.cmap"]``."""
    if cmap is None:
        cmap = matplotlib.rcParams["image.cmap"]
    if isinstance(cmap, Colormap):
        return cmap
    if isinstance(cmap, str):
        try:
            return matplotlib.colormaps[cmap]
        except KeyError:
            raise ValueError(
                f"cmap {cmap!r} is not a known colormap name (see matplotlib.colormaps)"
            ) from None
    raise TypeError(
        f"cmap must be a colormap name, a matplotlib Colormap or None, got {type(cmap).__name__}"
    )


def with_defaults(
    defaults: Mapping[str, Any], kwargs: Mapping[str, Any], artist: type[Artist]
) -> dict[str, Any]:
    """``defaults`` overridden by the caller's ``kwargs``, as seaborn passes them on.

    Aliases (``lw``, ``ls``, ``ec``, ...) are first spelled out for ``artist``, the
    class the matplotlib call makes, so ``lw=2`` replaces a default ``linewidth``
    instead of clashing with it.
    """
    return {**normalize_kwargs(dict(defaults), artist), **normalize_kwargs(dict(kwargs), artist)}


def _over(color: Any, under: RGB) -> RGB:
    """``color`` composited with its alpha over the opaque ``under``."""
    red, green, blue, alpha = to_rgba(color)
    return (
        alpha * red + (1 - alpha) * under[0],
        alpha * green + (1 - alpha) * under[1],
        alpha * blue + (1 - alpha) * under[2],
    )


def background_color(ax: Axes | None) -> RGB:
    """The opaque colour a line in ``ax`` is seen on: the axes' face over the
    figure's over white (a transparent figure is usually shown on white).

    ``None`` stands for an axes not made yet: rcParams' ``axes.facecolor``
    over ``figure.facecolor``.
    """
    if ax is None:
        axes_face, figure_face = (
            matplotlib.rcParams["axes.facecolor"],
            matplotlib.rcParams["figure.facecolor"],
        )
    else:
        axes_face, figure_face = ax.get_facecolor(), ax.figure.get_facecolor()
    return _over(axes_face, _over(figure_face, _WHITE))


def _relative_luminance(color: Any) -> float:
    channels = np.array(to_rgba(color)[:3])
    linear = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast_ratio(color: Any, background: RGB) -> float:
    """WCAG 2 contrast ratio of ``color`` (its alpha composited) on ``background``."""
    lighter, darker = sorted(
        (_relative_luminance(_over(color, background)), _relative_luminance(background)),
        reverse=True,
    )
    return (lighter + 0.05) / (darker + 0.05)

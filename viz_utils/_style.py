"""Styling arguments resolved against rcParams, so style sheets apply.

``cmap=None`` means ``rcParams["image.cmap"]`` (viridis unless a style or the
user changed it), as for ``plt.imshow``; a plot whose meaning needs a fixed
choice says so in its docstring and passes its own default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

import matplotlib
from matplotlib.artist import Artist
from matplotlib.cbook import normalize_kwargs
from matplotlib.colors import Colormap

__all__ = ["Cmap", "colormap", "with_defaults"]

Cmap: TypeAlias = str | Colormap


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

"""Creating figures and axes, and saving them.

Figures are built with the ``Figure`` constructor, not ``plt.figure()``, so
pyplot keeps no reference to them and they are garbage collected like any other
object once the caller drops them (viz_utils never imports pyplot). How they are
shown in Jupyter, where pyplot may see them until the end of the cell, is
explained in :mod:`viz_utils._notebook`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib.figure
from matplotlib.axes import Axes
from matplotlib.backend_bases import FigureCanvasBase

from . import _notebook

__all__ = [
    "Figure",
    "SavePath",
    "check_ax",
    "check_save_path",
    "figure_and_axes",
    "new_figure",
    "root_figure",
    "save",
]

SavePath = str | os.PathLike[str]


class Figure(matplotlib.figure.Figure):
    """A ``matplotlib.figure.Figure`` that knows whether a notebook has shown it.

    Behaves exactly like its base class; the one addition is
    ``_repr_mimebundle_``, which only IPython calls (see :mod:`viz_utils._notebook`).
    """

    _viz_utils_shown = False

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return _notebook.mimebundle(self, include, exclude)


def new_figure(figsize: tuple[float, float]) -> Figure:
    """Return a new figure (constrained layout), tracked for display in a notebook."""
    figure = Figure(figsize=figsize, layout="constrained")
    _notebook.track(figure)
    return figure


def check_ax(ax: object, name: str = "ax") -> Axes:
    """Return ``ax`` if it is a matplotlib ``Axes``, else raise ``TypeError``."""
    if not isinstance(ax, Axes):
        raise TypeError(f"{name} must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def root_figure(ax: Axes) -> matplotlib.figure.Figure:
    """Return the top-level ``Figure`` holding ``ax`` (through any subfigures)."""
    figure: Any = ax.figure
    while not isinstance(figure, matplotlib.figure.Figure):
        figure = figure.figure  # a SubFigure: go up
    return figure


def figure_and_axes(
    ax: Axes | None, *, figsize: tuple[float, float]
) -> tuple[matplotlib.figure.Figure, Axes]:
    """Return ``(figure, axes)``: a new figure with one axes when ``ax`` is None."""
    if ax is None:
        figure = new_figure(figsize)
        return figure, figure.add_subplot()
    ax = check_ax(ax)
    return root_figure(ax), ax


def _supported_formats() -> Sequence[str]:
    return sorted(FigureCanvasBase.get_supported_filetypes())


def check_save_path(save_path: SavePath | None) -> Path | None:
    """Validate ``save_path`` before anything is drawn; return it as a ``Path``.

    Raises
    ------
    TypeError
        If it is not a string or path.
    ValueError
        If it has no extension or one matplotlib cannot write.
    FileNotFoundError
        If its folder does not exist.
    """
    if save_path is None:
        return None
    if not isinstance(save_path, (str, os.PathLike)):
        raise TypeError(f"save_path must be a str or os.PathLike, got {type(save_path).__name__}")
    path = Path(save_path).expanduser()
    extension = path.suffix.lower().lstrip(".")
    formats = _supported_formats()
    if not extension:
        raise ValueError(
            f"save_path {str(path)!r} has no file extension; the format is taken from it "
            f"(one of: {', '.join(formats)})"
        )
    if extension not in formats:
        raise ValueError(
            f"save_path {str(path)!r}: matplotlib cannot write {extension!r} files "
            f"(supported: {', '.join(formats)})"
        )
    if not path.parent.is_dir():
        raise FileNotFoundError(
            f"save_path {str(path)!r}: folder {str(path.parent)!r} does not exist"
        )
    if path.is_dir():
        raise IsADirectoryError(f"save_path {str(path)!r} is a folder, not a file name")
    return path


def save(figure: matplotlib.figure.Figure, path: Path | None) -> None:
    """Save ``figure`` to ``path`` (checked by :func:`check_save_path`) when given."""
    if path is not None:
        figure.savefig(path)

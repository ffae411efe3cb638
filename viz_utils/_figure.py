"""Creating figures and axes, saving them, and handing them to pyplot.

The rule every public function follows, the one ``plt.subplots``, pandas'
``.plot()`` and seaborn's figure-level functions follow:

* Without ``ax=``, the function creates a figure. In a script (outside a
  Jupyter kernel) it is made with ``plt.figure()``, so it becomes pyplot's
  current figure: ``plt.gcf()``, ``plt.savefig()``, ``plt.show()`` and
  ``plt.close()`` act on it, and pyplot keeps it until it is closed.
* With ``save_path=``, that figure is saved and then closed in pyplot, so a
  training loop that saves a plot every N steps accumulates nothing.
* With ``ax=``, the function draws into the caller's figure and creates none;
  ``save_path=`` saves that figure and leaves it open (it is the caller's).
* Inside a Jupyter kernel, each figure is shown exactly once whatever the idiom;
  see :mod:`viz_utils._notebook`. There a figure is shown at the end of the
  cell even with ``save_path=``, as the notebooks' own helpers did; pyplot
  lets it go after the cell.

pyplot is imported only when a figure is created outside a kernel, never when
``viz_utils`` is imported.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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
    "check_figsize",
    "check_save_path",
    "drawing",
    "figure_scope",
    "given_figure",
    "new_figure",
    "root_figure",
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


def new_figure(figsize: tuple[float, float]) -> matplotlib.figure.Figure:
    """Return a new figure (constrained layout): pyplot's current figure in a script,
    a figure tracked for display at the end of the cell in a kernel."""
    if _notebook.kernel_shell() is None:
        import matplotlib.pyplot as plt

        return plt.figure(figsize=figsize, layout="constrained", FigureClass=Figure)
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


def given_figure(ax: Axes) -> matplotlib.figure.Figure:
    """Return the figure holding the caller's ``ax``, noted as the caller's (for
    Jupyter, see :mod:`viz_utils._notebook`)."""
    figure = root_figure(ax)
    _notebook.given(figure)
    return figure


def check_figsize(figsize: object, default: tuple[float, float]) -> tuple[float, float]:
    """Return ``figsize`` as ``(width, height)`` in inches, or ``default`` when it is None."""
    if figsize is None:
        return default
    try:
        width, height = (float(value) for value in figsize)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        raise ValueError(f"figsize must be (width, height) in inches, got {figsize!r}") from None
    if not (0 < width < float("inf") and 0 < height < float("inf")):
        raise ValueError(f"figsize must be positive, got {figsize!r}")
    return (width, height)


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


def _close_in_pyplot(figure: matplotlib.figure.Figure) -> None:
    if getattr(figure.canvas, "manager", None) is not None:  # pyplot has it
        import matplotlib.pyplot as plt

        plt.close(figure)


@contextmanager
def figure_scope(
    figure: matplotlib.figure.Figure, *, created: bool, path: Path | None
) -> Iterator[None]:
    """Wrap the drawing into ``figure``: save it to ``path`` afterwards.

    A figure the function ``created`` is then closed in pyplot, unless a notebook
    cell is to show it (see the module docstring). If drawing or saving fails, a
    created figure is discarded: neither left half-drawn with pyplot nor shown.
    """
    try:
        yield
        if path is not None:
            figure.savefig(path)
    except BaseException:
        if created:
            _notebook.forget(figure)
            _close_in_pyplot(figure)
        raise
    if created and path is not None and not _notebook.is_tracked(figure):
        _close_in_pyplot(figure)


@contextmanager
def drawing(
    ax: Axes | None, *, figsize: tuple[float, float], save_path: SavePath | None
) -> Iterator[tuple[matplotlib.figure.Figure, Axes]]:
    """Yield ``(figure, axes)`` to draw on: a new figure with one axes, or ``ax``'s.

    ``save_path`` is checked before the figure is created; see :func:`figure_scope`.
    """
    path = check_save_path(save_path)
    if ax is None:
        figure = new_figure(figsize)
        axes = figure.add_subplot()
    else:
        axes = check_ax(ax)
        figure = given_figure(axes)
    with figure_scope(figure, created=ax is None, path=path):
        yield figure, axes

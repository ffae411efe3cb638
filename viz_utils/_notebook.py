"""Show each figure that viz_utils creates exactly once in a Jupyter notebook.

The problem
-----------
viz_utils builds figures with ``matplotlib.figure.Figure()`` so that nothing is
registered with pyplot (a pyplot figure lives until ``plt.close``; 1,000 calls
in a training loop would keep 1,000 figures). But the inline backend only shows
pyplot figures at the end of a cell. A bare ``Figure`` is shown by IPython only
when it is the cell's last expression (the displayhook formats it); discarded or
assigned to a variable it is never shown. A pyplot figure that is also the last
expression is shown twice.

The mechanism
-------------
1. Figures created by viz_utils are instances of :class:`viz_utils._figure.Figure`,
   a plain subclass of ``matplotlib.figure.Figure`` with a ``_repr_mimebundle_``
   method. IPython calls that method whenever it formats the figure for display:
   from the displayhook (the cell's last expression), from ``display(fig)``,
   from ipywidgets' ``interact``. The method records that the figure has been
   shown and returns an empty bundle, so IPython goes on with its usual
   formatters (the inline backend's PNG/SVG printer, honouring
   ``%config InlineBackend``). When no image printer is registered for figures
   (pyplot was never imported and ``%matplotlib inline`` never ran, or another
   backend such as ``widget`` is active), the method returns a PNG itself.
2. When a figure is created inside an IPython *kernel* (a shell with a
   ``kernel`` attribute: Jupyter, JupyterLab, VS Code, Colab), it is remembered
   by a :class:`CellFigures` object, registered once per shell on the
   ``pre_run_cell`` and ``post_run_cell`` events.
3. After the cell has run (``post_run_cell``), every remembered figure that was
   not shown during the cell is passed to ``IPython.display.display``, once.
   Figures created outside a cell run (a widget callback, a background thread
   after the cell ended) are forgotten at the next ``pre_run_cell``, not shown.

So a call shows one image whether its value is discarded, assigned, or the
cell's last expression (also with a trailing ``;``). A figure drawn into an
``ax=`` the caller passed is the caller's figure and is left alone. Calling
``display(fig)`` on a figure in a later cell shows it again, as asked.

Outside IPython, or in a terminal IPython, nothing here runs: IPython is never
imported by viz_utils, only looked up in ``sys.modules``.
"""

from __future__ import annotations

import base64
import io
import sys
from typing import Any

__all__ = ["CellFigures", "kernel_shell", "mimebundle", "track"]

# Mime types for which the inline backend registers a printer for figures.
_IMAGE_MIME_TYPES = ("image/png", "image/svg+xml", "image/jpeg", "application/pdf")


def kernel_shell() -> Any | None:
    """Return the running IPython kernel shell, or ``None`` (never imports IPython)."""
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    if get_ipython is None:
        return None
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None  # not in IPython, or a terminal IPython (no rich display)
    return shell


def _has_figure_image_printer(shell: Any, figure: Any) -> bool:
    formatters = shell.display_formatter.formatters
    for mime in _IMAGE_MIME_TYPES:
        formatter = formatters.get(mime)
        if formatter is None or not formatter.enabled:
            continue
        try:
            formatter.lookup(figure)
        except KeyError:
            continue
        return True
    return False


def mimebundle(figure: Any, include: Any = None, exclude: Any = None) -> dict[str, str]:
    """Implementation of ``Figure._repr_mimebundle_``: mark shown, add a PNG if needed."""
    figure._viz_utils_shown = True
    shell = kernel_shell()
    if shell is None or _has_figure_image_printer(shell, figure):
        return {}  # IPython's own figure printer (inline backend) renders it
    if (include and "image/png" not in include) or (exclude and "image/png" in exclude):
        return {}
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return {"image/png": base64.b64encode(buffer.getvalue()).decode("ascii")}


class CellFigures:
    """The figures viz_utils created during the current cell of one IPython kernel.

    Registered once per shell; see the module docstring for the whole mechanism.
    """

    def __init__(self) -> None:
        self._pending: list[Any] = []

    @classmethod
    def of(cls, shell: Any) -> CellFigures:
        """Return the instance registered with ``shell``, registering one if needed."""
        for callback in shell.events.callbacks["post_run_cell"]:
            owner = getattr(callback, "__self__", None)
            if isinstance(owner, cls):
                return owner
        tracker = cls()
        shell.events.register("pre_run_cell", tracker.pre_run_cell)
        shell.events.register("post_run_cell", tracker.post_run_cell)
        return tracker

    def add(self, figure: Any) -> None:
        self._pending.append(figure)

    def pre_run_cell(self, info: Any = None) -> None:
        self._pending = []  # figures made between cells are not this cell's

    def post_run_cell(self, result: Any = None) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        from IPython.display import display  # IPython is running: already imported

        for figure in pending:
            if not getattr(figure, "_viz_utils_shown", False):
                display(figure)


def track(figure: Any) -> None:
    """Remember ``figure`` for display at the end of the cell when in a kernel."""
    shell = kernel_shell()
    if shell is not None:
        CellFigures.of(shell).add(figure)

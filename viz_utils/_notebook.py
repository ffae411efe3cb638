"""Show each figure that viz_utils creates exactly once in a Jupyter notebook.

The problem
-----------
viz_utils builds figures with ``matplotlib.figure.Figure()`` so that nothing is
registered with pyplot for good (a pyplot figure lives until ``plt.close``;
1,000 calls in a training loop would keep 1,000 figures). But the inline
backend only shows pyplot figures. A bare ``Figure`` is shown by IPython only
when it is the cell's last expression (the displayhook formats it); discarded
or assigned to a variable it is never shown. A pyplot figure that is also the
last expression is shown twice.

The mechanism
-------------
1. Figures created by viz_utils are instances of :class:`viz_utils._figure.Figure`,
   a plain subclass of ``matplotlib.figure.Figure`` with a ``_repr_mimebundle_``
   method. IPython calls that method whenever it formats the figure for display:
   from the displayhook (the cell's last expression), from ``display(fig)``,
   from ``plt.show()``, from ipywidgets' ``interact``. The method records that
   the figure has been shown and returns an empty bundle, so IPython goes on
   with its usual formatters (the inline backend's PNG/SVG printer, honouring
   ``%config InlineBackend``). When no image printer is registered for figures
   (pyplot never imported, or another backend active), it returns a PNG itself.
2. A figure created inside an IPython *kernel* (a shell with a ``kernel``
   attribute: Jupyter, JupyterLab, VS Code, Colab) is remembered by the
   :class:`CellFigures` object of that shell, registered once on the
   ``pre_run_cell`` and ``post_execute`` events.
3. If pyplot is in use with the inline backend, the figure is also adopted by
   pyplot *until the end of the cell*, through a :class:`CellFigureManager`.
   So the pyplot idioms of the notebooks these helpers came from keep working:
   ``plt.show()`` shows it at that point, ``plt.savefig(...)`` saves it, and
   ``plt.close(fig)`` (in a training loop that only saves files) means it is
   not shown and not kept.
4. After the cell has run (``post_execute``, placed before the inline backend's
   own ``flush_figures``), every remembered figure that was neither shown nor
   closed during the cell is passed to ``IPython.display.display``, once, and
   released from pyplot. Figures created outside a cell run (a widget callback,
   a thread after the cell ended) are released, not shown, at the next
   ``pre_run_cell``.

So a call shows one image whether its value is discarded, assigned, or the
cell's last expression (also with a trailing ``;``), and nothing is left with
pyplot after the cell. A figure drawn into an ``ax=`` the caller passed is the
caller's figure and is left alone (a pyplot figure passed that way behaves like
any pyplot figure: as a cell's last expression it is shown twice).

Outside IPython, or in a terminal IPython, nothing here runs: IPython is never
imported by viz_utils, only looked up in ``sys.modules``.
"""

from __future__ import annotations

import base64
import io
import sys
import warnings
from typing import Any

import matplotlib
from matplotlib.backend_bases import FigureManagerBase

__all__ = ["CellFigureManager", "CellFigures", "kernel_shell", "mimebundle", "track"]

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


def inline_pyplot() -> bool:
    """Whether pyplot is in use with the inline backend (without importing or resolving it)."""
    if "matplotlib.pyplot" not in sys.modules:
        return False
    if "matplotlib_inline.backend_inline" not in sys.modules:
        return False
    try:
        backend = matplotlib.get_backend(auto_select=False)  # matplotlib >= 3.10
    except TypeError:
        backend = matplotlib.rcParams._get_backend_or_none()  # matplotlib 3.8, 3.9
    return isinstance(backend, str) and "inline" in backend.lower()


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


class CellFigureManager(FigureManagerBase):
    """Lets pyplot see a viz_utils figure until the end of the cell.

    A window-less manager (the figure keeps its plain canvas): ``plt.gcf()``,
    ``plt.savefig()``, ``plt.show()`` and ``plt.close()`` work on the figure.
    When pyplot closes it, ``on_close(figure)`` is called.
    """

    def __init__(self, figure: Any, num: int, on_close: Any) -> None:
        super().__init__(figure.canvas, num)
        self._on_close = on_close

    def destroy(self) -> None:
        on_close, self._on_close = self._on_close, None
        figure = self.canvas.figure
        self.canvas.manager = None
        if on_close is not None:
            on_close(figure)


class CellFigures:
    """The figures viz_utils created during the current cell of one IPython kernel.

    Registered once per shell; see the module docstring for the whole mechanism.
    """

    def __init__(self) -> None:
        self._pending: list[Any] = []
        self._releasing = False

    @classmethod
    def of(cls, shell: Any) -> CellFigures:
        """Return the instance registered with ``shell``, registering one if needed."""
        callbacks = shell.events.callbacks["post_execute"]
        for callback in callbacks:
            owner = getattr(callback, "__self__", None)
            if isinstance(owner, cls):
                return owner
        tracker = cls()
        shell.events.register("pre_run_cell", tracker.pre_run_cell)
        # First in line: the inline backend's flush_figures (also post_execute)
        # shows and closes every figure pyplot knows; ours must be dealt with first.
        callbacks.insert(0, tracker.post_execute)
        return tracker

    def add(self, figure: Any) -> None:
        self._pending.append(figure)
        if inline_pyplot():
            try:
                self._adopt(figure)
            except Exception as error:  # noqa: BLE001  (pyplot internals changed: still shown)
                warnings.warn(
                    f"viz_utils: pyplot could not adopt the figure ({error!r}); "
                    "plt.show()/plt.close() will not act on it",
                    RuntimeWarning,
                    stacklevel=2,
                )

    def _adopt(self, figure: Any) -> None:
        from matplotlib._pylab_helpers import Gcf

        numbers = [manager.num for manager in Gcf.get_all_fig_managers()]
        manager = CellFigureManager(figure, max(numbers, default=0) + 1, self._closed)
        Gcf._set_new_active_manager(manager)

    def _closed(self, figure: Any) -> None:
        if self._releasing:
            return
        figure._viz_utils_closed = True  # plt.close(fig): neither show nor keep it
        self._pending = [pending for pending in self._pending if pending is not figure]

    def _release(self, figures: list[Any]) -> None:
        from matplotlib._pylab_helpers import Gcf

        self._releasing = True
        try:
            for figure in figures:
                manager = getattr(figure.canvas, "manager", None)
                if isinstance(manager, CellFigureManager):
                    Gcf.destroy(manager)
        finally:
            self._releasing = False

    def pre_run_cell(self, info: Any = None) -> None:
        stale, self._pending = self._pending, []  # made between cells: not this cell's
        self._release(stale)

    def post_execute(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        try:
            from IPython.display import display  # IPython is running: already imported

            for figure in pending:
                if not (figure._viz_utils_shown or getattr(figure, "_viz_utils_closed", False)):
                    display(figure)
        finally:
            self._release(pending)


def track(figure: Any) -> None:
    """Remember ``figure`` for display at the end of the cell when in a kernel."""
    shell = kernel_shell()
    if shell is not None:
        CellFigures.of(shell).add(figure)

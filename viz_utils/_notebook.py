"""Show each figure that viz_utils creates exactly once in a Jupyter notebook.

The problem
-----------
In a script, viz_utils leaves a figure it creates with pyplot, as
``plt.subplots`` does (see :mod:`viz_utils._figure`). In a Jupyter kernel that
is not enough: the inline backend shows every pyplot figure at the end of the
cell, and IPython's displayhook shows a figure again when it is the cell's last
expression, so the common ``visualize_x(...)`` as the last line would appear
twice. A bare ``Figure`` unknown to pyplot has the opposite problem: it is shown
only as the last expression, never when discarded or assigned.

The mechanism
-------------
1. Figures created by viz_utils in a kernel are instances of
   :class:`viz_utils._figure.Figure`, a plain subclass of
   ``matplotlib.figure.Figure`` with a ``_repr_mimebundle_`` method. IPython
   calls that method whenever it formats the figure for display: from the
   displayhook (the cell's last expression), from ``display(fig)``, from
   ``plt.show()``, from ipywidgets' ``interact``. The method records that the
   figure has been shown and returns an empty bundle, so IPython goes on with
   its usual formatters (the inline backend's PNG/SVG printer, honouring
   ``%config InlineBackend``). When no image printer is registered for figures
   (pyplot never imported, or another backend active), it returns a PNG itself.
2. A figure created inside an IPython *kernel* (a shell with a ``kernel``
   attribute: Jupyter, JupyterLab, VS Code, Colab) is built with the ``Figure``
   constructor, not ``plt.figure()``, and remembered by the :class:`CellFigures`
   object of that shell, registered once on the ``pre_run_cell`` and
   ``post_execute`` events.
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
5. A figure the caller passed in through ``ax=`` is the caller's: viz_utils
   neither shows nor releases it. One case is corrected: when that figure is a
   pyplot figure and the function's return value (that figure) is the cell's
   last expression, the displayhook has shown it, and the inline backend would
   show it again. So, before the backend's flush, it is taken off the flush's
   list: closed in pyplot, which the flush would have done right after showing
   it (with ``InlineBackend.close_figures = False``, removed from the list of
   figures to draw instead, and left open).

So a call shows one image whether its value is discarded, assigned, or the
cell's last expression (also with a trailing ``;``), also with ``ax=``, and
nothing viz_utils created is left with pyplot after the cell.

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

__all__ = [
    "CellFigureManager",
    "CellFigures",
    "forget",
    "given",
    "is_tracked",
    "kernel_shell",
    "mimebundle",
    "track",
]

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
        backend = matplotlib.rcParams._get_backend_or_none()  # type: ignore[attr-defined]  # 3.8, 3.9
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

    def __init__(self, shell: Any) -> None:
        self._shell = shell
        self._pending: list[Any] = []
        self._given: list[Any] = []  # pyplot figures the caller passed in through ax=
        self._releasing = False

    @classmethod
    def of(cls, shell: Any) -> CellFigures:
        """Return the instance registered with ``shell``, registering one if needed."""
        callbacks = shell.events.callbacks["post_execute"]
        for callback in callbacks:
            owner = getattr(callback, "__self__", None)
            if isinstance(owner, cls):
                return owner
        tracker = cls(shell)
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

    def is_pending(self, figure: Any) -> bool:
        return any(pending is figure for pending in self._pending)

    def add_given(self, figure: Any) -> None:
        """Remember a caller's figure drawn into during this cell (see step 5)."""
        if not any(given is figure for given in self._given):
            self._given.append(figure)

    def _adopt(self, figure: Any) -> None:
        from matplotlib._pylab_helpers import Gcf

        numbers = [m.num for m in Gcf.get_all_fig_managers() if isinstance(m.num, int)]
        manager = CellFigureManager(figure, max(numbers, default=0) + 1, self.closed)
        Gcf._set_new_active_manager(manager)

    def closed(self, figure: Any) -> None:
        """``figure`` was closed: neither show nor keep it."""
        if self._releasing:
            return
        figure._viz_utils_closed = True
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
        self._given = []
        self._release(stale)

    def post_execute(self) -> None:
        given, self._given = self._given, []
        result = getattr(getattr(self._shell, "last_execution_result", None), "result", None)
        for figure in given:
            if figure is result:
                _leave_out_of_inline_flush(figure)
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


def _leave_out_of_inline_flush(figure: Any) -> None:
    """The displayhook has shown ``figure``, a pyplot figure: keep the inline
    backend's ``flush_figures`` from showing it a second time (step 5)."""
    if not inline_pyplot():
        return
    manager = getattr(figure.canvas, "manager", None)
    if manager is None or isinstance(manager, CellFigureManager):
        return  # not a pyplot figure, or one of ours
    try:
        backend = sys.modules["matplotlib_inline.backend_inline"]
        if backend.InlineBackend.instance().close_figures:
            import matplotlib.pyplot as plt

            plt.close(figure)  # the flush shows every open figure, then closes them all
        else:
            to_draw = backend.show._to_draw  # the flush shows only these
            to_draw[:] = [other for other in to_draw if other is not figure]
    except Exception as error:  # noqa: BLE001  (matplotlib_inline changed: shown twice)
        warnings.warn(
            f"viz_utils: could not keep the inline backend from showing the figure "
            f"again ({error!r})",
            RuntimeWarning,
            stacklevel=2,
        )


def _cell_figures() -> CellFigures | None:
    """The running kernel's :class:`CellFigures`, or ``None`` outside a kernel."""
    shell = kernel_shell()
    return None if shell is None else CellFigures.of(shell)


def track(figure: Any) -> None:
    """Remember ``figure`` for display at the end of the cell when in a kernel."""
    if (cells := _cell_figures()) is not None:
        cells.add(figure)


def is_tracked(figure: Any) -> bool:
    """Whether ``figure`` waits to be shown at the end of the running cell."""
    cells = _cell_figures()
    return cells is not None and cells.is_pending(figure)


def forget(figure: Any) -> None:
    """Do not show ``figure`` at the end of the cell (drawing it failed)."""
    if (cells := _cell_figures()) is not None:
        cells.closed(figure)


def given(figure: Any) -> None:
    """Note a figure the caller passed in through ``ax=`` (see step 5)."""
    if (cells := _cell_figures()) is not None:
        cells.add_given(figure)

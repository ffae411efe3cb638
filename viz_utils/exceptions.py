"""The warnings viz_utils gives, as classes a caller can filter on.

A plot that would mislead without a word (values beyond the scale it shows, a
metric it leaves out, panels too short for their titles) is still drawn, and a
warning says what it does not show. Each is a subclass of
:class:`VizUtilsWarning`, itself a ``UserWarning``, so one line silences them
all, as with ``numpy.exceptions`` or ``pandas.errors``::

    warnings.filterwarnings("ignore", category=viz_utils.exceptions.VizUtilsWarning)
"""

from __future__ import annotations

__all__ = [
    "CrowdedLayoutWarning",
    "MetricNotDrawnWarning",
    "ValuesAboveMaximumWarning",
    "VizUtilsWarning",
]


class VizUtilsWarning(UserWarning):
    """Base class of the warnings about what a viz_utils figure does not show."""


class ValuesAboveMaximumWarning(VizUtilsWarning):
    """``visualize_normalized_entropy``: some entropy is above ``max_entropy``.

    The colour bar stops at 100 % and shows the overflow as an arrow
    (``extend="max"``); the cells keep their true percentage as text.
    """


class MetricNotDrawnWarning(VizUtilsWarning):
    """``visualize_training_progress``: a key of ``metrics_history`` is not drawn,
    because no panel draws that key or because it holds no finite value."""


class CrowdedLayoutWarning(VizUtilsWarning):
    """``visualize_training_progress`` with ``ax=``: the slot of ``ax`` is too
    short for the stacked panels and their titles."""

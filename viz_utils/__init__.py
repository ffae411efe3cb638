"""Plotting helpers for transformer attention heads: gradient norms, attention
patterns, attention entropy and training curves.

Notebooks import these after ``nbrefactor migrate`` removes their inline copies.
Every function accepts torch tensors (any device or dtype), numpy arrays and
nested lists, and returns a ``matplotlib.figure.Figure`` that follows pyplot's
rules, as after ``plt.subplots()``: in a script a new figure is pyplot's current
figure (``plt.savefig()``, ``plt.show()``, ``plt.close()`` act on it); with
``save_path=`` it is saved, then closed; with the keyword-only ``ax=`` nothing is
created; in Jupyter each figure is shown exactly once, however the call is
written (see ``viz_utils._figure`` and ``viz_utils._notebook``). Styling follows
rcParams; every function takes ``cmap=``, ``figsize=`` and passes other keyword
arguments to the matplotlib call underneath. Importing this package imports
neither torch nor pyplot.
"""

from ._normalized_entropy import visualize_normalized_entropy
from .attention import visualize_attention_matrix
from .entropy import visualize_entropy_heatmap, visualize_entropy_vs_gradient
from .gradients import visualize_gradient_norms
from .training import visualize_training_progress

__all__ = [
    "visualize_attention_matrix",
    "visualize_entropy_heatmap",
    "visualize_entropy_vs_gradient",
    "visualize_gradient_norms",
    "visualize_normalized_entropy",
    "visualize_training_progress",
]

# Names older notebooks used for these functions; `nbrefactor migrate` rewrites calls to them.
__legacy_names__ = {"plot_training_metrics": "visualize_training_progress"}

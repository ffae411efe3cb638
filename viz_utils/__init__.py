"""Plotting helpers for transformer attention heads: gradient norms, attention
patterns, attention entropy and training curves.

Notebooks import these after ``nbrefactor migrate`` removes their inline copies.
Every function accepts torch tensors (any device or dtype), numpy arrays and
nested lists; returns a ``matplotlib.figure.Figure`` that pyplot keeps no reference to
(no figures pile up in training loops); takes ``save_path=`` and a keyword-only
``ax=``; and in Jupyter shows its figure exactly once per call, honouring
``plt.show()``, ``plt.savefig()`` and ``plt.close(fig)`` within the cell (see
``viz_utils._notebook``). Neither torch nor pyplot is imported here.
"""

from .attention import visualize_attention_matrix
from .entropy import (
    visualize_entropy_heatmap,
    visualize_entropy_vs_gradient,
    visualize_normalized_entropy,
)
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

"""Image regression: each function on fixed data against a small committed PNG.

Baselines live in tests/viz_utils/baseline/NAME.png (40 dpi, a few kB each):
one per function in the default style, and the scatter (its legend box, trend
line and colour bar) once more under ``dark_background``.
After an intended change to a plot, regenerate them and look at them:

    VIZ_UTILS_UPDATE_BASELINE=1 python -m pytest tests/viz_utils/test_viz_baseline.py

The data are computed, not drawn from a random generator, so they do not
depend on numpy's random streams; fonts are matplotlib's bundled DejaVu Sans
without hinting, as in matplotlib's own image tests.
"""

import os
from pathlib import Path

import matplotlib
import matplotlib.style
import numpy as np
import pytest
from matplotlib.testing.compare import compare_images

import viz_utils
from viz_utils.exceptions import ValuesAboveMaximumWarning

BASELINE = Path(__file__).parent / "baseline"
UPDATE = os.environ.get("VIZ_UTILS_UPDATE_BASELINE") == "1"
DPI = 40
TOLERANCE = 3.0  # RMS over 0-255 pixel values

STYLE = {"font.family": "DejaVu Sans", "text.hinting": "none"}


def _grid() -> np.ndarray:
    rows, cols = np.indices((4, 6))
    grid = 0.2 + ((3 * rows + 5 * cols) % 7) / 3.0
    grid[1, 4] = np.nan  # masked cell
    return grid


def _attention() -> np.ndarray:
    query, key = np.indices((6, 6))
    scores = np.where(key <= query, -0.8 * (query - key), -np.inf)
    weights = np.exp(scores)
    return np.stack([weights / weights.sum(axis=1, keepdims=True), np.eye(6)])  # [heads, q, k]


def _history() -> dict:
    step = np.arange(0, 300, 10)
    loss = 2.0 + 3.0 * np.exp(-step / 80)
    pruned = np.minimum(step // 60, 4)
    return {
        "step": step.tolist(),
        "train_loss": (loss - 0.1).tolist(),
        "eval_loss": loss.tolist(),
        "perplexity": np.exp(loss).tolist(),
        "total_pruned": pruned.tolist(),
        "sparsity": (pruned / 24).tolist(),
    }


def _above_maximum(draw):
    """7 of the 24 cells are above log(6): the colour bar's arrow is in the image."""
    with pytest.warns(ValuesAboveMaximumWarning, match="in 7 of 24 cells"):
        return draw()


CASES = {
    "visualize_gradient_norms": lambda: viz_utils.visualize_gradient_norms(
        _grid(), [(0, 1), (3, 5)], [(2, 2)]
    ),
    "visualize_attention_matrix": lambda: viz_utils.visualize_attention_matrix(_attention()),
    "visualize_entropy_heatmap": lambda: viz_utils.visualize_entropy_heatmap(_grid()),
    "visualize_normalized_entropy": lambda: _above_maximum(
        lambda: viz_utils.visualize_normalized_entropy(_grid(), np.log(6.0))
    ),
    "visualize_entropy_vs_gradient": lambda: viz_utils.visualize_entropy_vs_gradient(
        _grid(), 2.5 - _grid().T.reshape(4, 6)
    ),
    "visualize_training_progress": lambda: viz_utils.visualize_training_progress(
        _history(), 20, (5, 4)
    ),
}


# (function, style sheet): the default style is in every case above
STYLED = {
    "visualize_entropy_vs_gradient-dark_background": (
        "visualize_entropy_vs_gradient",
        "dark_background",
    ),
}


def test_every_function_has_a_case():
    assert sorted(CASES) == sorted(viz_utils.__all__)


@pytest.mark.parametrize("name", sorted(CASES) + sorted(STYLED), ids=sorted(CASES) + sorted(STYLED))
def test_matches_baseline(name, tmp_path):
    function, style = STYLED.get(name, (name, "default"))
    expected = BASELINE / f"{name}.png"
    actual = tmp_path / f"{name}.png"
    with matplotlib.style.context(style), matplotlib.rc_context(STYLE):
        CASES[function]().savefig(actual, dpi=DPI)
    if UPDATE:
        BASELINE.mkdir(exist_ok=True)
        expected.write_bytes(actual.read_bytes())
        pytest.skip(f"baseline {expected.name} written")
    assert expected.exists(), f"no baseline: run with VIZ_UTILS_UPDATE_BASELINE=1 ({expected})"
    failure = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert failure is None, failure

"""Setup for the viz_utils tests (modelled on seaborn's conftest).

matplotlib draws with the Agg backend, every test ends with no open pyplot
figure, and random data come from a seeded generator. Tests that need torch
take the `torch` fixture from tests/conftest.py.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20240229)


@pytest.fixture
def grid(rng: np.random.Generator) -> np.ndarray:
    """Values for a small model: 6 layers x 12 heads."""
    return rng.uniform(0.1, 2.0, size=(6, 12))


@pytest.fixture
def examples(rng: np.random.Generator) -> dict:
    """One small valid call per public function: name -> callable(**kwargs) -> Figure.

    The kwargs (save_path=, ax=) are passed through, so generic behaviour can
    be tested for all six functions at once.
    """
    import viz_utils

    grid = rng.uniform(0.1, 2.0, size=(3, 4))
    grads = rng.uniform(0.1, 2.0, size=(3, 4))
    attention = rng.dirichlet(np.ones(5), size=(2, 5))  # [heads, seq, seq]
    history = {"step": [0, 10, 20], "train_loss": [3.0, 2.5, 2.2], "sparsity": [0, 0.1, 0.2]}
    return {
        "visualize_gradient_norms": lambda **kw: viz_utils.visualize_gradient_norms(
            grid, [(0, 1)], [(2, 3)], **kw
        ),
        "visualize_attention_matrix": lambda **kw: viz_utils.visualize_attention_matrix(
            attention, 0, 1, **kw
        ),
        "visualize_entropy_heatmap": lambda **kw: viz_utils.visualize_entropy_heatmap(grid, **kw),
        "visualize_normalized_entropy": lambda **kw: viz_utils.visualize_normalized_entropy(
            grid, 2.0, **kw
        ),
        "visualize_entropy_vs_gradient": lambda **kw: viz_utils.visualize_entropy_vs_gradient(
            grid, grads, **kw
        ),
        "visualize_training_progress": lambda **kw: viz_utils.visualize_training_progress(
            history, **kw
        ),
    }

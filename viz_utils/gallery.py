"""Write one example PNG per viz_utils function, from seeded synthetic data.

Usage::

    python -m viz_utils.gallery OUTDIR [--dpi 90] [--seed 0]

The data look like a small transformer: 6 layers x 12 heads attending over 16
tokens, with local, previous-token, first-token and diffuse heads, entropy
computed from those patterns, gradient norms that fall with entropy, a few
pruned and revived heads, and 1,000 steps of training history. torch is not
needed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np

from . import (
    visualize_attention_matrix,
    visualize_entropy_heatmap,
    visualize_entropy_vs_gradient,
    visualize_gradient_norms,
    visualize_normalized_entropy,
    visualize_training_progress,
)

__all__ = ["main", "synthetic_history", "synthetic_model", "write_gallery"]

LAYERS, HEADS, SEQ = 6, 12, 16

_NAMES = (
    "visualize_gradient_norms",
    "visualize_attention_matrix",
    "visualize_entropy_heatmap",
    "visualize_normalized_entropy",
    "visualize_entropy_vs_gradient",
    "visualize_training_progress",
)


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    return weights / weights.sum(axis=-1, keepdims=True)


def synthetic_model(rng: np.random.Generator) -> dict[str, Any]:
    """Attention ([batch 1, heads, seq, seq] per layer), entropy, gradient norms, head lists."""
    query = np.arange(SEQ)[:, None]
    key = np.arange(SEQ)[None, :]
    causal = np.where(key <= query, 0.0, -np.inf)
    patterns = {
        "local": -0.6 * np.abs(query - key).astype(float),
        "previous": np.where(key == query - 1, 4.0, 0.0),
        "first": np.where(key == 0, 3.5, 0.0),
        "diffuse": np.zeros((SEQ, SEQ)),
    }
    kinds = list(patterns)
    attentions = []
    for layer in range(LAYERS):
        sharpness = 0.6 + 0.25 * layer  # later layers attend more sharply
        heads = []
        for head in range(HEADS):
            base = patterns[kinds[(head + layer) % len(kinds)]]
            scores = sharpness * base + rng.normal(scale=0.7, size=(SEQ, SEQ)) + causal
            heads.append(_softmax(scores))
        attentions.append(np.stack(heads)[None])  # [batch=1, heads, seq, seq]
    attention = np.stack(attentions)[:, 0]  # [layers, heads, seq, seq]
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(attention > 0, attention * np.log(attention), 0.0)
    entropy = -plogp.sum(axis=-1).mean(axis=-1)  # [layers, heads], mean over queries
    grad_norms = np.clip(
        1.6 - 0.55 * entropy + rng.normal(scale=0.12, size=entropy.shape), 0.02, None
    )
    order = np.argsort(grad_norms, axis=None)
    pruned = [tuple(int(i) for i in np.unravel_index(flat, entropy.shape)) for flat in order[:9]]
    revived = pruned[1:6:2]
    return {
        "attentions": tuple(attentions),
        "entropy": entropy,
        "grad_norms": grad_norms,
        "pruned": [pair for pair in pruned if pair not in revived],
        "revived": revived,
    }


def synthetic_history(rng: np.random.Generator, steps: int = 1000, every: int = 5) -> dict:
    """A ``metrics_history`` dict as the pruning notebooks record it."""
    step = np.arange(0, steps + 1, every)
    train_loss = 2.2 + 4.0 * np.exp(-step / 180) + rng.normal(scale=0.08, size=step.size)
    eval_loss = 2.35 + 3.8 * np.exp(-step / 200) + rng.normal(scale=0.03, size=step.size)
    total_pruned = np.minimum(np.floor(np.maximum(step - 200, 0) / 60), 9)
    return {
        "step": step.tolist(),
        "train_loss": train_loss.tolist(),
        "eval_loss": eval_loss.tolist(),
        "perplexity": np.exp(eval_loss).tolist(),
        "total_pruned": total_pruned.tolist(),
        "sparsity": (total_pruned / (LAYERS * HEADS)).tolist(),
    }


def write_gallery(outdir: Path, *, dpi: float = 90, seed: int = 0) -> list[Path]:
    """Write the six example PNGs into ``outdir`` (created if needed); return their paths."""
    outdir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    model = synthetic_model(rng)
    history = synthetic_history(rng)
    max_entropy = np.log(np.arange(1, SEQ + 1)).mean()  # causal: query i sees i + 1 keys
    paths = {name: outdir / f"{name}.png" for name in _NAMES}
    with matplotlib.rc_context({"savefig.dpi": dpi}):
        visualize_gradient_norms(
            model["grad_norms"],
            model["pruned"],
            model["revived"],
            save_path=paths["visualize_gradient_norms"],
        )
        visualize_attention_matrix(
            model["attentions"],
            layer_idx=3,
            head_idx=1,
            save_path=paths["visualize_attention_matrix"],
        )
        visualize_entropy_heatmap(model["entropy"], save_path=paths["visualize_entropy_heatmap"])
        visualize_normalized_entropy(
            model["entropy"], max_entropy, save_path=paths["visualize_normalized_entropy"]
        )
        visualize_entropy_vs_gradient(
            model["entropy"],
            model["grad_norms"],
            save_path=paths["visualize_entropy_vs_gradient"],
        )
        visualize_training_progress(history, save_path=paths["visualize_training_progress"])
    return list(paths.values())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m viz_utils.gallery",
        description="Write one example PNG per viz_utils function into OUTDIR.",
    )
    parser.add_argument("outdir", type=Path, metavar="OUTDIR")
    parser.add_argument("--dpi", type=float, default=90.0, help="resolution (default 90)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    for path in write_gallery(args.outdir, dpi=args.dpi, seed=args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

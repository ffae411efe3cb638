"""A realistic notebook's cells and JSON, for bench/realistic.py.

The sizes of code cells, the markdown, the first cells (magics, imports), a cell of
helper definitions among statements, a pasted table of numbers, and the notebook's JSON
as Jupyter and Colab write it (`assemble`, `dumps`). Every function draws from the
`random.Random` it is given, so that a seed always gives the same text.
"""

from __future__ import annotations

import json
import math
import random

from realistic_code import PROJECT_IMPORT, WORDS, block, edited  # beside this file

# --------------------------------------------------------------------------
# Sizes


def code_cell_lines(rng: random.Random, verbosity: float) -> int:
    """Lines of a code cell: mostly short (median ~20), one in six long (105-168).

    Together: median ~29, 90th percentile ~137, as measured.
    """
    if rng.random() < 0.16:
        return rng.randint(105, 168)
    return max(1, min(105, round(verbosity * math.exp(rng.gauss(math.log(20), 0.9)))))


def longest_cell_lines(rng: random.Random) -> int:
    """One cell of each notebook is longer: median ~168 lines; one notebook in 100 ~8,000."""
    if rng.random() < 0.01:
        return rng.randint(7000, 8500)
    return max(60, round(math.exp(rng.gauss(math.log(150), 0.3))))


# --------------------------------------------------------------------------
# Markdown


_FEATURES = (
    "Fixed gradient norm visualization for pruned heads",
    "Added entropy vs gradient scatter plot with a trend line",
    "Moved the plotting helpers into their own section",
    "Fixed in-place operation error in `apply_dynamic_pruning`",
    "Improved visualization of attention patterns (per-head colour scale)",
    "Reduced memory footprint during evaluation",
    "Added text generation examples at the end of the notebook",
    "Simplified pruning mask handling",
    "Fixed `.detach().cpu()` on tensors that need grad",
    "Added `plot_training_metrics` summary after training",
)
_TITLES = (
    "Neural Plasticity Demo: Dynamic Pruning & Regrowth",
    "Sentinel-AI Adaptive Pruning",
    "Entropy-Guided Head Pruning",
    "Plasticity Controller Walkthrough",
    "Attention Head Utility Study",
)


def _paragraph(rng: random.Random, sentences: int) -> str:
    words = [rng.choice(WORDS) for _ in range(sentences * 12)]
    return " ".join(
        " ".join(words[at : at + 12]).capitalize() + "." for at in range(0, len(words), 12)
    )


def title_lines(rng: random.Random) -> list[str]:
    """The title cell: a version in the heading and `### New in vX:` sections, newest first."""
    version = rng.randint(4, 80)
    lines = [f"# {rng.choice(_TITLES)} (v0.0.{version})", "", _paragraph(rng, 2), ""]
    for number in range(version, max(version - rng.randint(1, 6), 0), -1):
        lines.append(f"### New in v0.0.{number}:")
        lines += [f"- {feature}" for feature in rng.sample(_FEATURES, rng.randint(1, 4))]
        lines.append("")
    return lines + ["## What is Neural Plasticity?", "", _paragraph(rng, 3)]


def markdown_lines(rng: random.Random, section: int, verbosity: float) -> list[str]:
    lines = [f"## {section}. {rng.choice(WORDS).title()} {rng.choice(WORDS)}"]
    for _ in range(rng.randint(0, round(3 * verbosity))):
        lines += ["", _paragraph(rng, rng.randint(1, 5))]
    return lines


# --------------------------------------------------------------------------
# Code


MAGICS = (
    "!pip install -q transformers==4.40.2 datasets",
    "%matplotlib inline",
    "!nvidia-smi",
    "%load_ext autoreload",
    "%autoreload 2",
    "!git clone -b feature/implement-adaptive-plasticity https://github.com/CambrianTech/sentinel-ai.git",
    "%cd sentinel-ai",
)


def imports(rng: random.Random, project_import: bool) -> list[str]:
    lines = [
        "import os",
        "import sys",
        "import math",
        "import time",
        "",
        "import numpy as np",
        "import torch",
        "import matplotlib.pyplot as plt",
        "from tqdm.auto import tqdm",
        "from transformers import AutoModelForCausalLM, AutoTokenizer",
    ]
    if project_import:
        lines.append(PROJECT_IMPORT)
    lines += [
        "from sentinel.pruning.plasticity_controller import create_plasticity_controller",
        "",
        f"torch.manual_seed({rng.randint(0, 9999)})",
        'device = torch.device("cuda" if torch.cuda.is_available() else "cpu")',
    ]
    return lines


def big_data_cell(size: int) -> list[str]:
    """The 8,000-line cell: a pasted table of numbers."""
    rows = [f"    {(i * 37 % 1000) / 1000:.3f}," for i in range(size - 2)]
    return ["HEAD_SCORES = [", *rows, "]"]


def definitions_cell(
    rng: random.Random,
    names: list[str],
    helpers: dict[str, list[str]],
    size: int,
    breaks: list[str],
) -> list[str]:
    """Statements, then the (edited) definitions with a comment above, then statements."""
    definitions: list[str] = []
    for name in names:
        comment = (
            [f"# {rng.choice(WORDS)} helper (copied from utils/colab)"]
            if rng.random() < 0.4
            else []
        )
        source = edited(rng.choice(helpers[name]), rng)
        definitions += [*comment, *source.split("\n"), "", ""]
    rest = max(0, size - len(definitions))
    before = block(rng, "", rng.randint(0, rest)) if rest else []
    after = block(rng, "", rest - len(before)) if rest > len(before) else []
    if breaks:  # in the statements around the definitions, never inside one
        around = before if before and rng.random() < 0.5 else after
        at = rng.randint(0, len(around))
        around[at:at] = breaks
    return [*before, *([""] if before else []), *definitions, *after]


# --------------------------------------------------------------------------
# The notebook's JSON


def assemble(
    rng: random.Random, markdown: list[list[str]], code: list[list[str]], index: int
) -> dict:
    """Interleave markdown and code cells (title first) and choose the JSON details."""
    minor = rng.choice((4, 4, 5, 2))
    strings = rng.random() < 0.25  # some notebooks mix string sources in
    glued_title = rng.random() < 0.15
    order = ["md", *_interleave(rng, len(code), len(markdown) - 1)]
    cells = []
    markdown_iter, code_iter = iter(markdown), iter(code)
    for number, kind in enumerate(order):
        lines = next(markdown_iter if kind == "md" else code_iter)
        if number == 0 and glued_title:
            source: list[str] | str = list(lines)  # lost its "\n"
        else:
            source = [line + "\n" for line in lines[:-1]] + [lines[-1]] if lines else []
            if strings and rng.random() < 0.3:
                source = "".join(source)
        cell: dict = {
            "cell_type": "markdown" if kind == "md" else "code",
            "metadata": {},
            "source": source,
        }
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        if minor == 4:
            cell["metadata"]["id"] = f"{index:04x}{number:04x}{rng.getrandbits(16):04x}"
        elif minor == 5:
            cell["id"] = f"{rng.getrandbits(32):08x}-{number:04d}"
        cells.append(cell)
    metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "version": "3.10.12"},
    }
    if minor == 4:
        metadata |= {"accelerator": "GPU", "colab": {"gpuType": "T4", "provenance": []}}
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": minor}


def _interleave(rng: random.Random, code: int, markdown: int) -> list[str]:
    """Code and markdown cells after the title, a markdown cell never last."""
    order = ["code"] * code + ["md"] * markdown
    while True:
        rng.shuffle(order)
        if order[-1] == "code" and order[0] == "md":
            return order


def dumps(notebook: dict, indent: int, final_newline: bool) -> str:
    text = json.dumps(notebook, indent=indent, sort_keys=True, ensure_ascii=False)
    return text + "\n" if final_newline else text

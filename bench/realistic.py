"""Notebooks shaped like real ones, built reproducibly from a seed, for bench/run.py.

The shape was measured on about 100 real versions of the notebooks nbrefactor
is written for: 16-142 KB (median 85 KB), 24-43 cells (median 42) of which
about 26 are code; code cells have a median of 29 lines and a 90th percentile
of 137, and the longest cell of a notebook has a median of 168 lines (one has
8,478). They are committed without outputs. The helper definitions (inline
copies of the library functions, edited a little) sit in long cells between
other statements and are called from long training-loop cells; about a third
of the notebooks have a cell that `ast` rejects, usually the one holding a
definition (the definition itself reads on its own); some title cells lost
their line breaks; some notebooks import a function of the same name from a
project module, or define `plot_training_metrics` and never call it.

`realistic_notebook(seed, index, helpers)` builds one such notebook, with
facts about it (whether it has a broken cell, ...); the same seed and index
always give the same bytes; `write_notebooks` writes a corpus of them.
`growth_cases` lists the single large notebooks of the growth rows (built by
`many_cells`, `many_definitions` and `big_cell`).

The inline copies are read from the fixtures' notebooks (`load_helpers`), so
they look like what was really pasted, and are edited here: other defaults,
extra comments, a changed line in the body.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import math
import random
import re
import statistics
from collections.abc import Callable
from pathlib import Path

# The library names and the calls that bind to both the inline copies and the
# library's signatures (a call that does not bind keeps its definition).
CALLS: dict[str, tuple[str, ...]] = {
    "visualize_gradient_norms": (
        "visualize_gradient_norms(grad_norms)",
        'visualize_gradient_norms(grad_norms, pruned_heads, revived_heads, title=f"Step {global_step}")',
        (
            "visualize_gradient_norms(grad_norms, pruned_heads=pruned_heads, "
            'save_path=os.path.join(OUTPUT_DIR, f"grad_norms_{global_step}.png"))'
        ),
    ),
    "visualize_attention_matrix": (
        "visualize_attention_matrix(attention_maps[0], layer_idx=0, head_idx=3)",
        'visualize_attention_matrix(attention_maps[-1], num_layers - 1, 5, title="Last layer")',
    ),
    "visualize_entropy_heatmap": (
        'visualize_entropy_heatmap(entropy_values, title=f"Entropy at step {global_step}")',
        "visualize_entropy_heatmap(entropy_values, min_value=0.0, annotate=False)",
    ),
    "visualize_normalized_entropy": (
        'visualize_normalized_entropy(entropy_values, max_entropy, title="Normalized entropy")',
    ),
    "visualize_entropy_vs_gradient": (
        "visualize_entropy_vs_gradient(entropy_values, grad_norms)",
        'visualize_entropy_vs_gradient(entropy_values, grad_norms, title=f"Epoch {epoch}")',
    ),
    "plot_training_metrics": (
        "plot_training_metrics(metrics_history)",
        "fig = plot_training_metrics(metrics_history)",
    ),
}
# A call that passes a keyword the library lacks: the definition is kept (as in the demo).
UNBOUND_CALL = 'visualize_normalized_entropy(entropy_values, max_entropy, cmap="magma")'
PROJECT_IMPORT = "from utils.colab.visualizations import visualize_gradient_norms"


@dataclasses.dataclass(frozen=True)
class Facts:
    """What was put into a generated notebook, for the corpus summary."""

    size: int
    cells: int
    code_lines: tuple[int, ...]  # per code cell
    broken: str | None  # kind of breakage, or None
    broken_holds_def: bool


# --------------------------------------------------------------------------
# The inline copies


def load_helpers(fixtures: Path) -> dict[str, list[str]]:
    """Distinct top-level definitions of the library names found in the fixtures' inputs."""
    found: dict[str, dict[str, None]] = {name: {} for name in CALLS}
    for path in sorted(fixtures.glob("*.ipynb")):
        if path.name.endswith(".expected.ipynb"):
            continue
        for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            text = source if isinstance(source, str) else "".join(source)
            text = re.sub(r"(?m)^[ \t]*[!%].*$", "pass", text)
            try:
                tree = ast.parse(text)
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.FunctionDef) and node.name in found:
                    if _reads_when_defined(node):
                        continue  # its cell above (`LAYER = 3`) is not pasted with it
                    found[node.name][ast.get_source_segment(text, node, padded=False)] = None
    missing = sorted(name for name, sources in found.items() if not sources)
    if missing:
        raise ValueError(f"no inline copy of {', '.join(missing)} in {fixtures}")
    return {name: list(sources) for name, sources in found.items()}


def _reads_when_defined(node: ast.FunctionDef) -> bool:
    """Whether a default or decorator reads a name (`layer_idx=LAYER`): pasted alone, its
    `def` would raise NameError. The real notebooks' helpers read only `plt`, in their
    bodies."""
    run = [*node.decorator_list, *node.args.defaults, *filter(None, node.args.kw_defaults)]
    return any(isinstance(part, ast.Name) for expression in run for part in ast.walk(expression))


_DEFAULTS = {
    '"Gradient Norms"': ('"Gradient norms per head"', '"Grad norms"', '"Gradient Norms (L2)"'),
    '"Attention Entropy Heatmap"': ('"Entropy per head"', '"Attention entropy"'),
    '"Entropy vs Gradient Relationship"': ('"Entropy vs gradient"', '"Pruning candidates"'),
    '"Normalized Entropy (% of Maximum)"': ('"Normalized entropy"',),
    "min_value=0.0": ("min_value=0.1", "min_value=0.05"),
}
_BODY_EDITS = {
    '"plasma"': ('"magma"', '"inferno"', '"viridis"'),
    '"viridis"': ('"cividis"', '"plasma"'),
    "figsize=(10, 5)": ("figsize=(12, 5)", "figsize=(14, 6)"),
    "figsize=(10, 6)": ("figsize=(12, 7)", "figsize=(9, 6)"),
    "dpi=100": ("dpi=120", "dpi=150", "dpi=200"),
    "alpha=0.5": ("alpha=0.6", "alpha=0.4"),
}
_EXTRA_COMMENTS = (
    "# TODO: move this into utils/colab/visualizations.py",
    "# NOTE: tensors may live on the GPU, so detach first",
    "# fixed: colour scale per head (v0.0.{v})",
    "# keep in sync with the repository version",
    "# (copied from the plasticity notebook)",
    "# the pruned heads are marked below",
)
_EXTRA_STATEMENTS = ("plt.grid(False)", 'plt.close("all")', "plt.style.use('default')")


def edited(source: str, rng: random.Random) -> str:
    """The definition changed a little: defaults, a comment or two, a line in the body.

    Parameter names and their order are kept, so that calls bind as before.
    """
    lines = source.split("\n")
    header_end = ast.parse(source).body[0].body[0].lineno - 1  # the def's header lines
    for old, news in _DEFAULTS.items():
        for number in range(header_end):
            if old in lines[number] and rng.random() < 0.6:
                lines[number] = lines[number].replace(old, rng.choice(news))
    for old, news in _BODY_EDITS.items():
        for number in range(header_end, len(lines)):
            if old in lines[number] and rng.random() < 0.4:
                lines[number] = lines[number].replace(old, rng.choice(news))
    # Statements of the body at function level, after the docstring: safe places to insert.
    function = ast.parse("\n".join(lines)).body[0]
    body = function.body[1:] if _is_docstring(function.body[0]) else function.body
    places = [statement.lineno - 1 for statement in body] or [function.body[-1].lineno - 1]
    for _ in range(rng.randint(1, 3)):
        where = rng.choice(places)
        indent = re.match(r"[ \t]*", lines[where]).group(0)
        if rng.random() < 0.7:
            extra = rng.choice(_EXTRA_COMMENTS).format(v=rng.randint(10, 60))
        else:
            extra = rng.choice(_EXTRA_STATEMENTS)
        lines.insert(where, indent + extra)
        places = [place + 1 if place >= where else place for place in places]
    return "\n".join(lines)


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


# --------------------------------------------------------------------------
# Code that is not a helper: filler statements, blocks, training loops

_VARIABLES = (
    "loss", "eval_loss", "train_loss", "perplexity", "grad_norms", "entropy_values",
    "head_scores", "sparsity", "total_pruned", "lr", "attention_maps", "importance",
    "mask", "logits", "labels", "outputs", "stats", "utility", "threshold", "scores",
)  # fmt: skip
_WORDS = (
    "entropy", "gradient", "pruning", "heads", "layer", "attention", "sparsity",
    "regrowth", "utility", "model", "evaluation", "baseline", "controller", "mask",
    "perplexity", "training", "schedule", "warmup", "plasticity", "threshold",
)  # fmt: skip


def _statement(rng: random.Random) -> str:
    """One line of plausible notebook code."""
    v, w = rng.choice(_VARIABLES), rng.choice(_VARIABLES)
    word, number = rng.choice(_WORDS), rng.randint(1, 512)
    kinds: tuple[Callable[[], str], ...] = (
        lambda: f"{v} = {w} * {rng.random():.3f} + {number}",
        lambda: f'print(f"{word} {{{v}:.4f}} after {number} steps")',
        lambda: f'metrics_history["{v}"].append({w})',
        lambda: f"{v} = {w}.detach().cpu().numpy()",
        lambda: f"{v} = np.mean({w}, axis={rng.randint(0, 1)})",
        lambda: f"{v} = torch.stack([{w}[i] for i in range({number})])",
        lambda: f"# {word} {rng.choice(_WORDS)}: {rng.choice(_WORDS)} {rng.choice(_WORDS)}",
        lambda: "optimizer.zero_grad()",
        lambda: f"torch.nn.utils.clip_grad_norm_(model.parameters(), {rng.random() * 2:.1f})",
        lambda: "batch = {k: v.to(device) for k, v in batch.items()}",
        lambda: f"{v} = {w}.masked_fill(mask == 0, float('-inf')).softmax(dim=-1)",
        lambda: f'plt.title("{word.title()} after {number} steps")',
        lambda: f"{v} = controller.compute_{word}({w}, num_batches={rng.randint(1, 8)})",
        lambda: f'logger.info("{word}: %.3f (%s)", {v}, "{rng.choice(_WORDS)}")',
        lambda: "",
    )
    line = rng.choice(kinds)()
    if line and not line.startswith("#") and rng.random() < 0.6:
        line += f"  # {rng.choice(_WORDS)} {rng.choice(_WORDS)} {rng.choice(_WORDS)}"
    return line


def _block(rng: random.Random, indent: str, budget: int, depth: int = 0) -> list[str]:
    """About `budget` lines of statements, with nested blocks, at `indent`."""
    lines: list[str] = []
    while len(lines) < budget:
        left = budget - len(lines)
        kind = rng.random()
        if depth < 3 and left >= 4 and kind < 0.25:
            header = rng.choice(
                (
                    f"for {rng.choice('ijk')} in range({rng.randint(2, 64)}):",
                    f"if {rng.choice(_VARIABLES)} > {rng.random():.2f}:",
                    "with torch.no_grad():",
                    f"for layer_idx, {rng.choice(_VARIABLES)} in enumerate(model.layers):",
                )
            )
            lines.append(indent + header)
            body = _block(rng, indent + "    ", rng.randint(1, min(left - 1, 12)), depth + 1)
            if not any(line.strip() and not line.lstrip().startswith("#") for line in body):
                body.append(indent + "    pass")
            lines += body
        elif depth == 0 and left >= 8 and kind < 0.30:
            lines += _local_function(rng, indent, min(left, rng.randint(6, 30)))
        elif left >= 5 and kind < 0.36:
            name = rng.choice(("CONFIG", "settings", "head_config", "results"))
            lines.append(f"{indent}{name} = {{")
            for _ in range(min(left - 2, rng.randint(2, 10))):
                lines.append(f'{indent}    "{rng.choice(_WORDS)}": {rng.randint(0, 999)},')
            lines.append(f"{indent}}}")
        else:
            statement = _statement(rng)
            lines.append(indent + statement if statement else "")
    return lines


def _local_function(rng: random.Random, indent: str, size: int) -> list[str]:
    """A def of the notebook's own (not a library name)."""
    name = f"{rng.choice(('compute', 'collect', 'update', 'score', 'apply'))}_{rng.choice(_WORDS)}"
    lines = [
        f"{indent}def {name}(model, dataloader, num_batches={rng.randint(1, 8)}):",
        f'{indent}    """{rng.choice(_WORDS).title()} of every head, averaged over a few batches."""',
    ]
    lines += _block(rng, indent + "    ", max(1, size - 3), depth=1)
    lines.append(f"{indent}    return {rng.choice(_VARIABLES)}")
    return lines


def training_loop(rng: random.Random, size: int, calls: list[str]) -> list[str]:
    """A training loop of about `size` lines whose visualisation step makes the calls."""
    head = [
        "global_step = 0",
        "for epoch in range(NUM_EPOCHS):",
        "    model.train()",
        "    epoch_loss = 0.0",
        '    for step, batch in enumerate(tqdm(train_dataloader, desc=f"Epoch {epoch + 1}")):',
        "        batch = {k: v.to(device) for k, v in batch.items()}",
        "        loss = model(**batch).loss",
        "        loss.backward()",
        "        optimizer.step()",
        "        global_step += 1",
    ]
    visual = ["        if global_step % VISUALIZATION_INTERVAL == 0:"]
    visual += [f"            {call}" for call in calls] or ["            pass"]
    visual.append("            plt.close('all')")
    tail = ['    print(f"Epoch {epoch + 1}: loss {epoch_loss / (step + 1):.4f}")']
    filler = max(1, size - len(head) - len(visual) - len(tail))
    before = rng.randint(0, filler)
    return [
        *head,
        *_block(rng, "        ", before, depth=2),
        *visual,
        *_block(rng, "        ", filler - before, depth=2),
        *tail,
    ]


# --------------------------------------------------------------------------
# Breakages seen in real notebooks: each line(s) makes the cell unparseable


def breakage(
    kind: str, rng: random.Random, commented: str = "visualize_attention_matrix"
) -> list[str]:
    """Lines that make a cell unparseable; `commented` names the call whose head was commented out."""
    v = rng.choice(_VARIABLES)
    if kind == "regex-fix":  # a half-applied search-and-replace of `.numpy()` calls
        return [f"{v}_np = {v}.detach(.detach().cpu()).numpy()"]
    if kind == "commented-head":  # the call's first line commented out, arguments left
        return [
            f"# {commented}({v},",
            f'    title="{rng.choice(_WORDS)}",',
            "    save_path=None)",
        ]
    if kind == "stray-paren":
        return [f"{v} = compute_{rng.choice(_WORDS)}(model, dataloader))"]
    raise ValueError(kind)


BREAKAGES = ("regex-fix", "commented-head", "stray-paren")


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
    words = [rng.choice(_WORDS) for _ in range(sentences * 12)]
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
    lines = [f"## {section}. {rng.choice(_WORDS).title()} {rng.choice(_WORDS)}"]
    for _ in range(rng.randint(0, round(3 * verbosity))):
        lines += ["", _paragraph(rng, rng.randint(1, 5))]
    return lines


# --------------------------------------------------------------------------
# Notebooks


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


_MAGICS = (
    "!pip install -q transformers==4.40.2 datasets",
    "%matplotlib inline",
    "!nvidia-smi",
    "%load_ext autoreload",
    "%autoreload 2",
    "!git clone -b feature/implement-adaptive-plasticity https://github.com/CambrianTech/sentinel-ai.git",
    "%cd sentinel-ai",
)


def _imports(rng: random.Random, project_import: bool) -> list[str]:
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


def _big_data_cell(size: int) -> list[str]:
    """The 8,000-line cell: a pasted table of numbers."""
    rows = [f"    {(i * 37 % 1000) / 1000:.3f}," for i in range(size - 2)]
    return ["HEAD_SCORES = [", *rows, "]"]


@dataclasses.dataclass
class _Plan:
    """Decisions for one notebook, drawn before its cells are written."""

    defined: list[str]
    called: dict[str, int]  # name -> number of cells calling it
    safe: str  # defined in a cell that parses, called in ways that bind: always migrated
    broken: str | None
    broken_in_def_cell: bool
    second_copy: str | None
    unbound_call: bool
    project_import: bool


_GRADIENTS, _NORMALIZED, _LEGACY = (
    "visualize_gradient_norms",
    "visualize_normalized_entropy",
    "plot_training_metrics",
)


def _plan(rng: random.Random, helpers: dict[str, list[str]]) -> _Plan:
    others = sorted(name for name in helpers if name != _GRADIENTS)
    defined = [_GRADIENTS, *rng.sample(others, rng.randint(1, min(4, len(others))))]
    called = {name: rng.randint(1, 3) for name in defined}
    if _LEGACY in called and rng.random() < 0.3:
        called[_LEGACY] = 0  # defined, never called
    unbound_call = _NORMALIZED in defined and rng.random() < 0.5
    candidates = [
        name for name in defined[1:] if called[name] and not (unbound_call and name == _NORMALIZED)
    ]
    safe = rng.choice(candidates) if candidates else _GRADIENTS
    broken = rng.choice(BREAKAGES) if rng.random() < 1 / 3 else None
    return _Plan(
        defined=defined,
        called=called,
        safe=safe,
        broken=broken,
        broken_in_def_cell=broken is not None and rng.random() < 0.85,
        second_copy=_GRADIENTS if safe != _GRADIENTS and rng.random() < 0.2 else None,
        unbound_call=unbound_call,
        project_import=rng.random() < 0.3,
    )


def realistic_notebook(seed: int, index: int, helpers: dict[str, list[str]]) -> tuple[str, Facts]:
    """The text of notebook `index` of the corpus with this seed, and what it holds."""
    rng = random.Random(f"{seed}:{index}")
    plan = _plan(rng, helpers)
    cell_count = rng.randint(41, 43) if rng.random() < 0.6 else rng.randint(24, 40)
    code_count = round(cell_count * rng.uniform(0.55, 0.68))
    verbosity = math.exp(rng.gauss(0, 0.45))  # some notebooks have longer short cells
    sizes = [code_cell_lines(rng, verbosity) for _ in range(code_count)]
    code, broken_kind = _code_cells(rng, plan, helpers, sizes)
    markdown = [title_lines(rng)]
    markdown += [markdown_lines(rng, n, verbosity) for n in range(1, cell_count - code_count)]
    notebook = _assemble(rng, markdown, code, index)
    text = _dumps(notebook, indent=1 if rng.random() < 0.8 else 2, final_newline=rng.random() < 0.8)
    facts = Facts(
        size=len(text.encode("utf-8")),
        cells=len(notebook["cells"]),
        code_lines=tuple(map(len, code)),
        broken=plan.broken if broken_kind else None,
        broken_holds_def=broken_kind == "defs",
    )
    return text, facts


def _code_cells(
    rng: random.Random, plan: _Plan, helpers: dict[str, list[str]], sizes: list[int]
) -> tuple[list[list[str]], str | None]:
    """The code cells' lines, about `sizes` long, and the kind of the broken cell (if any)."""
    # Code cells 0-2 are magics, imports and configuration. Helpers are defined
    # in one or two cells of the first half; calls come after the first of them.
    code_count = len(sizes)
    kinds = ["magic", "imports", "config"] + ["plain"] * (code_count - 3)
    body = list(range(3, code_count))
    def_cells = sorted(rng.sample(body[: len(body) // 2], min(2, len(plan.defined))))
    defs_in = {number: [name] for number, name in zip(def_cells, plan.defined, strict=False)}
    for name in plan.defined[len(def_cells) :]:
        defs_in[rng.choice(def_cells)].append(name)
    after = [number for number in body if number > def_cells[0] and number not in defs_in]
    if plan.second_copy:
        defs_in[after[-1]] = [plan.second_copy]
    for number in defs_in:
        kinds[number] = "defs"
    plain = [number for number in after if kinds[number] == "plain"]
    calls_in: dict[int, list[str]] = {}
    for name, count in plan.called.items():
        for number in rng.sample(plain, min(count, len(plain))):
            calls_in.setdefault(number, []).append(rng.choice(CALLS[name]))
    if plan.unbound_call:
        calls_in.setdefault(plain[0], []).append(UNBOUND_CALL)

    # The longest cell: a training loop, a helper cell, or (rarely) a pasted table.
    longest = rng.choice(body)
    sizes[longest] = longest_cell_lines(rng)
    if sizes[longest] > 6000 and kinds[longest] == "plain":
        kinds[longest] = "data"
        calls_in.pop(longest, None)
    elif kinds[longest] == "plain":
        calls_in.setdefault(longest, [])

    # The broken cell: one holding a single definition (whose name is then
    # kept) other than the safe name's, or a cell that names no library function.
    broken_cell = None
    if plan.broken:
        single = [n for n, names in defs_in.items() if names != [plan.safe] and len(names) == 1]
        quiet = [n for n in body if kinds[n] == "plain" and n not in calls_in]
        if plan.broken_in_def_cell and single:
            broken_cell = rng.choice(single)
        elif quiet:
            broken_cell = rng.choice(quiet)

    commented = rng.choice(sorted(name for name in CALLS if name != plan.safe))
    broken_lines = breakage(plan.broken, rng, commented) if plan.broken else []
    code: list[list[str]] = []
    for number, kind in enumerate(kinds):
        breaks = broken_lines if number == broken_cell else []
        if kind == "magic":
            lines = rng.sample(_MAGICS, rng.randint(1, 4))
        elif kind == "imports":
            lines = _imports(rng, plan.project_import)
        elif kind == "data":
            lines = _big_data_cell(sizes[number])
        elif kind == "defs":
            lines = definitions_cell(rng, defs_in[number], helpers, sizes[number], breaks)
        elif number in calls_in:
            lines = training_loop(rng, sizes[number], calls_in[number])
        else:
            lines = _block(rng, "", sizes[number])
        if breaks and kind != "defs":
            at = rng.randint(0, len(lines))
            lines[at:at] = breaks
        if kind not in ("magic", "imports") and rng.random() < 0.05:
            lines.insert(0, rng.choice(_MAGICS[:2]))  # `!pip install` or `%matplotlib inline`
        code.append(lines)
    return code, None if broken_cell is None else kinds[broken_cell]


def write_notebooks(
    folder: Path, count: int, seed: int, helpers: dict[str, list[str]]
) -> list[Facts]:
    """Notebooks 0 to count - 1 of the corpus with this seed, written into a new folder."""
    folder.mkdir(parents=True)
    facts = []
    for index in range(count):
        text, fact = realistic_notebook(seed, index, helpers)
        (folder / f"{index:05d}_real.ipynb").write_text(text, encoding="utf-8")
        facts.append(fact)
    return facts


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
            [f"# {rng.choice(_WORDS)} helper (copied from utils/colab)"]
            if rng.random() < 0.4
            else []
        )
        source = edited(rng.choice(helpers[name]), rng)
        definitions += [*comment, *source.split("\n"), "", ""]
    rest = max(0, size - len(definitions))
    before = _block(rng, "", rng.randint(0, rest)) if rest else []
    after = _block(rng, "", rest - len(before)) if rest > len(before) else []
    if breaks:  # in the statements around the definitions, never inside one
        around = before if before and rng.random() < 0.5 else after
        at = rng.randint(0, len(around))
        around[at:at] = breaks
    return [*before, *([""] if before else []), *definitions, *after]


def _assemble(
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


def _dumps(notebook: dict, indent: int, final_newline: bool) -> str:
    text = json.dumps(notebook, indent=indent, sort_keys=True, ensure_ascii=False)
    return text + "\n" if final_newline else text


# --------------------------------------------------------------------------
# Single large notebooks, for the growth rows: each grows along one axis only


@dataclasses.dataclass(frozen=True)
class GrowthCase:
    """A single notebook grown along one axis, measured at size n and 2n."""

    key: str
    size: int  # n: cells, definitions or bytes of the one code cell
    build: Callable[[int, dict[str, list[str]], int], str]  # (size, helpers, seed) -> text

    def describe(self, size: int) -> str:
        if self.key == "bigcell":
            return f"one code cell of {size / 1e6:g} MB"
        return f"{size:,} {'cells' if self.key == 'cells' else 'definitions of library names'}"


def growth_cases(scale: float) -> list[GrowthCase]:
    return [
        GrowthCase("cells", round(10_000 * scale), many_cells),
        GrowthCase("defs", round(10_000 * scale), many_definitions),
        GrowthCase("bigcell", round(5_000_000 * scale), big_cell),
    ]


def many_cells(cells: int, helpers: dict[str, list[str]], seed: int) -> str:
    """`cells` cells: a title, imports, one cell of helpers, then short cells, every 10th calling them."""
    rng = random.Random(f"{seed}:cells")
    names = sorted(CALLS)
    head = _growth_head(rng)
    head.append(("code", definitions_cell(rng, names, helpers, 0, [])))
    body: list[tuple[str, list[str]]] = []
    while len(head) + len(body) < cells:
        if len(body) % 3 == 2:
            body.append(("md", markdown_lines(rng, len(body), 0.5)))
        elif len(body) % 10 == 0:
            body.append(("code", [rng.choice(CALLS[name]) for name in names]))
        else:
            body.append(("code", _block(rng, "", rng.randint(2, 12))))
    return _plain_notebook(head + body)


def many_definitions(definitions: int, helpers: dict[str, list[str]], seed: int) -> str:
    """`definitions` edited copies of the library's helpers, ten to a cell, then one call of each."""
    rng = random.Random(f"{seed}:definitions")
    names = sorted(CALLS)
    cells = _growth_head(rng)
    for start in range(0, definitions, 10):
        chosen = [names[(start + k) % len(names)] for k in range(min(10, definitions - start))]
        cells.append(("code", definitions_cell(rng, chosen, helpers, 0, [])))
    cells.append(("code", [rng.choice(CALLS[name]) for name in names]))
    return _plain_notebook(cells)


def big_cell(size: int, helpers: dict[str, list[str]], seed: int) -> str:
    """One code cell of about `size` bytes: statements, training loops calling the helpers,
    and an edited helper definition every ~50 KB."""
    rng = random.Random(f"{seed}:big-cell")
    names = sorted(CALLS)
    lines: list[str] = []
    written, next_definition = 0, 0
    while written < size:
        if written >= next_definition:
            chunk = definitions_cell(rng, [rng.choice(names)], helpers, 0, [])
            next_definition += 50_000
        elif rng.random() < 0.2:
            chunk = training_loop(rng, rng.randint(30, 120), [rng.choice(CALLS[rng.choice(names)])])
        else:
            chunk = _block(rng, "", rng.randint(20, 80))
        lines += chunk
        written += sum(len(line) + 1 for line in chunk)
    return _plain_notebook([*_growth_head(rng), ("code", lines)])


def _growth_head(rng: random.Random) -> list[tuple[str, list[str]]]:
    return [("md", title_lines(rng)), ("code", _imports(rng, project_import=False))]


def _plain_notebook(cells: list[tuple[str, list[str]]]) -> str:
    """nbformat 4.4 as Jupyter writes it: sorted keys, indent 1, sources as lists of lines."""
    built = []
    for kind, lines in cells:
        cell: dict = {
            "cell_type": "markdown" if kind == "md" else "code",
            "metadata": {},
            "source": [line + "\n" for line in lines[:-1]] + lines[-1:],
        }
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        built.append(cell)
    metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}
    notebook = {"cells": built, "metadata": metadata, "nbformat": 4, "nbformat_minor": 4}
    return _dumps(notebook, indent=1, final_newline=True)


# --------------------------------------------------------------------------
# Summary


def summary(facts: list[Facts]) -> str:
    """The corpus's shape, to set beside the measured one."""
    sizes = sorted(fact.size / 1000 for fact in facts)
    cells = [fact.cells for fact in facts]
    code = sorted(lines for fact in facts for lines in fact.code_lines)
    longest = [max(fact.code_lines) for fact in facts]
    broken = [fact for fact in facts if fact.broken]
    return (
        f"{min(sizes):.0f}-{max(sizes):.0f} KB (median {statistics.median(sizes):.0f}), "
        f"{min(cells)}-{max(cells)} cells (median {statistics.median(cells):.0f}), "
        f"{statistics.mean(len(fact.code_lines) for fact in facts):.0f} code cells on average "
        f"(lines: median {statistics.median(code):.0f}, p90 {code[int(len(code) * 0.9)]}); "
        f"longest cell median {statistics.median(longest):.0f} lines (max {max(longest)}); "
        f"{len(broken)} with a cell that does not parse "
        f"({sum(fact.broken_holds_def for fact in broken)} of them the cell holding a definition)"
    )

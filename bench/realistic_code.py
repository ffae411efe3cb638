"""The code of a realistic notebook's cells, for bench/realistic.py.

The helpers' inline copies, read from the fixtures' notebooks (`load_helpers`) so that
they look like what was really pasted, and edited a little (`edited`: other defaults,
extra comments, a changed line in the body); the statements, blocks and training loops
around and between them; and the breakages seen in real notebooks, each making its cell
unparseable. Every function draws from the `random.Random` it is given, so that a seed
always gives the same text.
"""

from __future__ import annotations

import ast
import json
import random
import re
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
WORDS = (
    "entropy", "gradient", "pruning", "heads", "layer", "attention", "sparsity",
    "regrowth", "utility", "model", "evaluation", "baseline", "controller", "mask",
    "perplexity", "training", "schedule", "warmup", "plasticity", "threshold",
)  # fmt: skip


def _statement(rng: random.Random) -> str:
    """One line of plausible notebook code."""
    v, w = rng.choice(_VARIABLES), rng.choice(_VARIABLES)
    word, number = rng.choice(WORDS), rng.randint(1, 512)
    kinds: tuple[Callable[[], str], ...] = (
        lambda: f"{v} = {w} * {rng.random():.3f} + {number}",
        lambda: f'print(f"{word} {{{v}:.4f}} after {number} steps")',
        lambda: f'metrics_history["{v}"].append({w})',
        lambda: f"{v} = {w}.detach().cpu().numpy()",
        lambda: f"{v} = np.mean({w}, axis={rng.randint(0, 1)})",
        lambda: f"{v} = torch.stack([{w}[i] for i in range({number})])",
        lambda: f"# {word} {rng.choice(WORDS)}: {rng.choice(WORDS)} {rng.choice(WORDS)}",
        lambda: "optimizer.zero_grad()",
        lambda: f"torch.nn.utils.clip_grad_norm_(model.parameters(), {rng.random() * 2:.1f})",
        lambda: "batch = {k: v.to(device) for k, v in batch.items()}",
        lambda: f"{v} = {w}.masked_fill(mask == 0, float('-inf')).softmax(dim=-1)",
        lambda: f'plt.title("{word.title()} after {number} steps")',
        lambda: f"{v} = controller.compute_{word}({w}, num_batches={rng.randint(1, 8)})",
        lambda: f'logger.info("{word}: %.3f (%s)", {v}, "{rng.choice(WORDS)}")',
        lambda: "",
    )
    line = rng.choice(kinds)()
    if line and not line.startswith("#") and rng.random() < 0.6:
        line += f"  # {rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(WORDS)}"
    return line


def block(rng: random.Random, indent: str, budget: int, depth: int = 0) -> list[str]:
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
            body = block(rng, indent + "    ", rng.randint(1, min(left - 1, 12)), depth + 1)
            if not any(line.strip() and not line.lstrip().startswith("#") for line in body):
                body.append(indent + "    pass")
            lines += body
        elif depth == 0 and left >= 8 and kind < 0.30:
            lines += _local_function(rng, indent, min(left, rng.randint(6, 30)))
        elif left >= 5 and kind < 0.36:
            name = rng.choice(("CONFIG", "settings", "head_config", "results"))
            lines.append(f"{indent}{name} = {{")
            for _ in range(min(left - 2, rng.randint(2, 10))):
                lines.append(f'{indent}    "{rng.choice(WORDS)}": {rng.randint(0, 999)},')
            lines.append(f"{indent}}}")
        else:
            statement = _statement(rng)
            lines.append(indent + statement if statement else "")
    return lines


def _local_function(rng: random.Random, indent: str, size: int) -> list[str]:
    """A def of the notebook's own (not a library name)."""
    name = f"{rng.choice(('compute', 'collect', 'update', 'score', 'apply'))}_{rng.choice(WORDS)}"
    lines = [
        f"{indent}def {name}(model, dataloader, num_batches={rng.randint(1, 8)}):",
        f'{indent}    """{rng.choice(WORDS).title()} of every head, averaged over a few batches."""',
    ]
    lines += block(rng, indent + "    ", max(1, size - 3), depth=1)
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
        *block(rng, "        ", before, depth=2),
        *visual,
        *block(rng, "        ", filler - before, depth=2),
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
            f'    title="{rng.choice(WORDS)}",',
            "    save_path=None)",
        ]
    if kind == "stray-paren":
        return [f"{v} = compute_{rng.choice(WORDS)}(model, dataloader))"]
    raise ValueError(kind)


BREAKAGES = ("regex-fix", "commented-head", "stray-paren")

"""Broken cells for bench/archive/parsers.py, modelled on the breakages seen in real notebooks.

Each `Case` is a cell that `ast` rejects, with what a reader should find in it:
the top-level definitions of library names (first line with the comment lines
directly above and the decorators, `def` line, last line of the body, whether
header and body read cleanly), the calls and other uses of library names
(with their argument shapes where the call's own text reads), and the line of
the syntax error (where the breakage is; `ast` reports the same line for all).
"""

from __future__ import annotations

import dataclasses
import textwrap

NAMES = frozenset(
    {
        "visualize_gradient_norms",
        "visualize_attention_matrix",
        "visualize_entropy_heatmap",
        "visualize_normalized_entropy",
        "visualize_entropy_vs_gradient",
        "visualize_training_progress",
        "plot_training_metrics",
    }
)


@dataclasses.dataclass(frozen=True)
class Def:
    name: str
    first: int  # first line: the comment lines directly above, or the first decorator
    line: int  # the `def` line
    last: int  # last line of the body
    header_clean: bool  # name and parameters read without error
    body_clean: bool


@dataclasses.dataclass(frozen=True)
class Call:
    """A mention of a library name as code: a call (`call=True`) or another use."""

    name: str
    line: int
    column: int  # in characters
    call: bool
    readable: bool = True  # the call's own text reads (its arguments are known)
    positional: int | None = None
    keywords: tuple[str, ...] = ()
    star: bool = False  # *args
    double_star: bool = False  # **kwargs


@dataclasses.dataclass(frozen=True)
class Reading:
    defs: tuple[Def, ...]
    calls: tuple[Call, ...]
    error_line: int | None


@dataclasses.dataclass(frozen=True)
class Case:
    key: str
    what: str
    source: str
    defs: tuple[Def, ...]
    calls: tuple[Call, ...] | None  # None: calls not scored
    error_line: int


# --------------------------------------------------------------------------
# The cases: each is a cell that `ast` rejects, as seen in real notebooks


def _case(key: str, what: str, source: str, defs=(), calls=(), error_line: int = 0) -> Case:
    source = textwrap.dedent(source).lstrip("\n")
    return Case(key, what, source, tuple(defs), None if calls is None else tuple(calls), error_line)


G, A, H = "visualize_gradient_norms", "visualize_attention_matrix", "visualize_entropy_heatmap"
N, EV, P = "visualize_normalized_entropy", "visualize_entropy_vs_gradient", "plot_training_metrics"

CASES = [
    _case(
        "after-def",
        "def, then a half-applied regex fix `x.detach(.detach().cpu())`, then a call",
        '''
        import numpy as np

        # Gradient helper, copied from utils/colab
        def visualize_gradient_norms(grad_norm_values, pruned_heads=None, title="Gradient Norms"):
            """Heatmap of gradient norms."""
            plt.imshow(grad_norm_values.detach().cpu().numpy(), cmap="plasma")
            if pruned_heads:
                for layer, head in pruned_heads:
                    plt.text(head, layer, "P")
            plt.title(title)
            return plt.gcf()

        entropy_np = entropy.detach(.detach().cpu()).numpy()
        visualize_gradient_norms(grad_norms, title="after")
        ''',
        [Def(G, 3, 4, 11, True, True)],
        [Call(G, 14, 0, True, True, 1, ("title",))],
        13,
    ),
    _case(
        "before-def",
        "a stray `)` before a decorated def",
        """
        scores = compute_scores(model, dataloader))

        @torch.no_grad()
        def visualize_entropy_heatmap(entropy_values, title="Entropy", save_path=None):
            data = entropy_values.detach().cpu().numpy()
            plt.imshow(data)
            return plt.gcf()

        visualize_entropy_heatmap(entropy_values)
        """,
        [Def(H, 3, 4, 7, True, True)],
        [Call(H, 9, 0, True, True, 1)],
        1,
    ),
    _case(
        "inside-body",
        "the regex fix inside the def's own body",
        """
        def visualize_gradient_norms(grad_norm_values, title="Gradient Norms"):
            values = grad_norm_values.detach(.detach().cpu()).numpy()
            plt.imshow(values)
            plt.title(title)
            return plt.gcf()

        print("ready")
        """,
        [Def(G, 1, 1, 5, True, False)],
        [],
        2,
    ),
    _case(
        "regex-fix-above",
        "the regex fix on the line above a comment and the def",
        """
        attn_np = attn.detach(.detach().cpu()).numpy()
        # Attention helper
        def visualize_attention_matrix(attn_matrix, layer_idx=0, head_idx=0, title=None):
            attn = attn_matrix[layer_idx, head_idx]
            plt.imshow(attn.detach().cpu().numpy(), cmap="viridis")
            plt.title(title or f"Layer {layer_idx}, head {head_idx}")
            return plt.gcf()
        visualize_attention_matrix(attn_maps, layer_idx=0, head_idx=3)
        """,
        [Def(A, 2, 3, 7, True, True)],
        [Call(A, 8, 0, True, True, 1, ("layer_idx", "head_idx"))],
        1,
    ),
    _case(
        "commented-head",
        "a call whose head was commented out, its indented arguments left; then a def",
        """
        grad_norms = compute_gradient_norms(model)
        # visualize_gradient_norms(grad_norms,
            pruned_heads=pruned_heads,
            title="Before pruning")

        def visualize_gradient_norms(grad_norm_values, pruned_heads=None, revived_heads=None,
                                     title="Gradient Norms", save_path=None):
            plt.imshow(grad_norm_values, cmap="plasma")
            plt.title(title)
            if save_path:
                plt.savefig(save_path)
            return plt.gcf()
        """,
        [Def(G, 6, 6, 12, True, True)],
        [],
        3,
    ),
    _case(
        "stray-paren-after",
        "a stray `)` right after a call, below the def",
        """
        def visualize_entropy_vs_gradient(entropy_values, grad_norm_values, title="Entropy vs Gradient"):
            plt.scatter(entropy_values.flatten(), grad_norm_values.flatten())
            plt.title(title)
            return plt.gcf()


        fig = visualize_entropy_vs_gradient(entropy, grads))
        plt.show()
        """,
        [Def(EV, 1, 1, 4, True, True)],
        [Call(EV, 7, 6, True, True, 2)],
        7,
    ),
    _case(
        "unclosed-paren-before",
        "an unclosed `(` before the def: the rest of the cell is inside it",
        """
        results = evaluate_model(model, validation_dataloader,
                                 num_batches=4

        def visualize_gradient_norms(grad_norm_values, title="Gradient Norms"):
            plt.imshow(grad_norm_values)
            plt.title(title)
            return plt.gcf()

        visualize_gradient_norms(grad_norms, title="Final")
        """,
        [Def(G, 4, 4, 7, True, True)],
        [Call(G, 9, 0, True, True, 1, ("title",))],
        1,
    ),
    _case(
        "unclosed-bracket-after",
        "an unclosed `[` after the def, a call inside it",
        """
        def plot_training_metrics(metrics_history):
            fig, ax = plt.subplots()
            ax.plot(metrics_history["step"], metrics_history["loss"])
            return fig

        layers = [0, 1, 2,
        plot_training_metrics(metrics_history)
        """,
        [Def(P, 1, 1, 4, True, True)],
        [Call(P, 7, 0, True, True, 1)],
        6,
    ),
    _case(
        "unclosed-string-before",
        'an unclosed "string on the line above the def',
        """
        title = "Gradient norms
        def visualize_gradient_norms(grad_norm_values, title="Gradient Norms"):
            plt.imshow(grad_norm_values)
            return plt.gcf()
        """,
        [Def(G, 2, 2, 4, True, True)],
        [],
        1,
    ),
    _case(
        "unclosed-docstring-after",
        'an unclosed """ after the def; the name inside it is text',
        '''
        def visualize_entropy_heatmap(entropy_values, title="Entropy"):
            plt.imshow(entropy_values)
            return plt.gcf()

        NOTES = """
        Entropy is high for heads that attend uniformly.
        visualize_entropy_heatmap(entropy_values)
        ''',
        [Def(H, 1, 1, 3, True, True)],
        [],
        5,
    ),
    _case(
        "unclosed-docstring-before",
        'an unclosed """ before a def: the def is text (must not be reported)',
        '''
        NOTES = """
        Pruning notes.
        def visualize_gradient_norms(grad_norm_values):
            plt.imshow(grad_norm_values)
            return plt.gcf()
        ''',
        [],
        [],
        1,
    ),
    _case(
        "def-in-string",
        "a def quoted in a closed triple-quoted string (text, not a def), a stray `)` below",
        '''
        USAGE = """
        def visualize_gradient_norms(grad_norm_values):
            plt.imshow(grad_norm_values)
        """
        print(USAGE))
        ''',
        [],
        [],
        5,
    ),
    _case(
        "glued-lines",
        "list-of-lines source that lost its newlines: one line (no def can be delimited)",
        'g = torch.rand(6, 12)def visualize_gradient_norms(grad_norm_values, title="Gradient Norms"):'
        "    plt.imshow(grad_norm_values)    return plt.gcf()for step in range(3):"
        "    visualize_gradient_norms(g)",
        [],
        None,
        1,
    ),
    _case(
        "decorators-comments",
        "section comment, two comment lines and two decorators above; unclosed `(` at the end",
        """
        x = 1

        # ==== Visualization helpers ====

        # Gradient norms per head.
        # Pruned heads in red.
        @torch.no_grad()
        @functools.lru_cache(maxsize=None)
        def visualize_gradient_norms(grad_norm_values, title="Gradient Norms"):
            plt.imshow(grad_norm_values)
            return plt.gcf()


        print("gradient helper ready"
        """,
        [Def(G, 5, 9, 11, True, True)],
        [],
        14,
    ),
    _case(
        "broken-header",
        "the def's own header does not parse (missing `)`)",
        """
        def visualize_entropy_heatmap(entropy_values, title="Entropy", save_path=None:
            plt.imshow(entropy_values)
            return plt.gcf()

        visualize_entropy_heatmap(entropy_values, title="x")
        """,
        [Def(H, 1, 1, 3, False, True)],
        [Call(H, 5, 0, True, True, 1, ("title",))],
        1,
    ),
    _case(
        "calls",
        "uses and calls: a callback list, **kwargs, *args, an unreadable call, a multi-line call",
        """
        trainer = Trainer(model, callbacks=[visualize_entropy_heatmap])
        visualize_gradient_norms(grad_norms, pruned_heads, title="a", **plot_options)
        visualize_attention_matrix(*attention_maps, layer_idx=1)
        visualize_gradient_norms(grad_norms.detach(.detach().cpu()), title="b")
        for step in range(3):
            visualize_entropy_vs_gradient(
                entropy_values,
                grad_norms,
                title=f"Step {step}",
            )
        """,
        [],
        [
            Call(H, 1, 36, False),
            Call(G, 2, 0, True, True, 2, ("title",), double_star=True),
            Call(A, 3, 0, True, True, 0, ("layer_idx",), star=True),
            Call(G, 4, 0, True, False),
            Call(EV, 6, 4, True, True, 2, ("title",)),
        ],
        4,
    ),
    _case(
        "non-ascii",
        "non-ASCII text before the def and before a call on its line (columns in characters)",
        """
        print("✓ entropie calculée → têtes élaguées")
        résultats = {"tête": 1}
        def visualize_normalized_entropy(entropy_values, max_entropy, title="Entropie → %"):
            normalisé = 100.0 * entropy_values / max_entropy
            plt.imshow(normalisé)
            plt.title(title + " ✓")
            return plt.gcf()
        résultat = visualize_normalized_entropy(entropie, max_entropy, title="Têtes → ✓")
        oops = (
        """,
        [Def(N, 3, 3, 7, True, True)],
        [Call(N, 8, 11, True, True, 2, ("title",))],
        9,
    ),
    _case(
        "not-top-level",
        "a method and a nested function of a library name (not top level), an attribute call",
        """
        class Tracker:
            def visualize_gradient_norms(self, values):
                return values

        def report(values):
            def visualize_gradient_norms(v):
                return v
            return visualize_gradient_norms(values)

        tracker.visualize_gradient_norms(x
        """,
        [],
        [Call(G, 8, 11, True, True, 1)],
        10,
    ),
    _case(
        "magics-unmasked",
        "IPython lines left unmasked above the def",
        """
        %matplotlib inline
        !pip install -q transformers
        def visualize_gradient_norms(grad_norm_values):
            plt.imshow(grad_norm_values)
            return plt.gcf()
        visualize_gradient_norms(g)
        """,
        [Def(G, 3, 3, 5, True, True)],
        [Call(G, 6, 0, True, True, 1)],
        1,
    ),
    _case(
        "between-defs",
        "two defs, a stray `)` between them",
        """
        def visualize_entropy_heatmap(entropy_values, title="Entropy"):
            plt.imshow(entropy_values)
            return plt.gcf()

        entropy = compute_entropy(model))

        def visualize_entropy_vs_gradient(entropy_values, grad_norm_values):
            plt.scatter(entropy_values, grad_norm_values)
            return plt.gcf()
        """,
        [Def(H, 1, 1, 3, True, True), Def(EV, 7, 7, 9, True, True)],
        [],
        5,
    ),
    _case(
        "unclosed-in-body",
        "an unclosed `(` in the first def's body, a second def below it",
        """
        def visualize_entropy_heatmap(entropy_values, title="Entropy"):
            plt.imshow(entropy_values,
            return plt.gcf()

        def visualize_gradient_norms(grad_norm_values):
            plt.imshow(grad_norm_values)
            return plt.gcf()
        """,
        [Def(H, 1, 1, 3, True, False), Def(G, 5, 5, 7, True, True)],
        [],
        2,
    ),
]

"""Rule: every use that could run a definition must bind to the library signature (`rules/call_binding.py`)."""

from __future__ import annotations

import pytest
from conftest import GRAD_DEF, IMPORTS, TITLE, code, migrate_text, notebook_text

from nbrefactor.events import CallShape
from nbrefactor.rules.call_binding import binding_problem


@pytest.mark.parametrize(
    ("call", "reason"),
    [
        (
            "visualize_gradient_norms(g, cmap='x')",
            "passes keyword 'cmap' that viz_utils.visualize_gradient_norms",
        ),
        ("visualize_gradient_norms(g, 1, 2, 3, 4, 5)", "passes 6 positional arguments"),
        ("visualize_gradient_norms()", "does not pass 'grad_norm_values'"),
        ("visualize_gradient_norms(*args)", "passes *args or **kwargs"),
        ("visualize_gradient_norms(g, **options)", "passes *args or **kwargs"),
        ("visualize_gradient_norms(g, title='a', title2='b')", "passes keyword 'title2'"),
        ("visualize_gradient_norms(g, grad_norm_values=g)", "both by position and by keyword"),
        (
            "callbacks = [visualize_gradient_norms]",
            "refers to visualize_gradient_norms without calling it",
        ),
    ],
)
def test_definition_is_kept_when_a_call_does_not_bind(catalog, call, reason):
    text = notebook_text(TITLE, IMPORTS, code(GRAD_DEF), code(call))
    result, _sources = migrate_text(text, catalog)
    assert not result.changed
    (kept,) = result.report.kept
    assert kept.startswith("kept visualize_gradient_norms (cell 3): ")
    assert reason in kept
    assert "cell 4" in kept


def test_call_inside_a_function_body_counts(catalog):
    """A call in a function defined earlier may run the inline definition later."""
    text = notebook_text(
        TITLE,
        IMPORTS,
        code("def train():\n    visualize_gradient_norms(g, cmap='x')"),
        code(GRAD_DEF),
    )
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    assert "call in cell 3 passes keyword 'cmap'" in result.report.kept[0]


def test_calls_bound_to_another_import_do_not_block(catalog):
    """A call that runs a same-named function imported from elsewhere is not a call of the inline copy."""
    text = notebook_text(
        TITLE,
        code(
            "from utils.viz import visualize_gradient_norms\nvisualize_gradient_norms(g, cmap='x')"
        ),
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)"),
    )
    result, sources = migrate_text(text, catalog)
    assert result.report.kept == ()
    # The new import goes where the definition was, so cell 2's own call keeps its binding.
    assert (
        sources[2]
        == "from utils.viz import visualize_gradient_norms\nvisualize_gradient_norms(g, cmap='x')"
    )
    assert sources[3] == "from viz_utils import visualize_gradient_norms\n"


def test_calls_in_python_cell_magic_cells_are_checked(catalog):
    text = notebook_text(
        TITLE, IMPORTS, code(GRAD_DEF), code("%%time\nvisualize_gradient_norms(g, cmap='x')")
    )
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    assert "call in cell 4 passes keyword 'cmap'" in result.report.kept[0]


def test_a_name_mentioned_in_an_unparseable_cell_is_kept(catalog):
    """The uses in a cell that does not parse cannot be checked (nor renamed)."""
    broken = "history = {}plot_training_metrics(history)"
    legacy = "def plot_training_metrics(metrics_history):\n    plt.plot(metrics_history['step'])"
    text = notebook_text(
        TITLE, IMPORTS, code(broken), code(legacy), code("plot_training_metrics(h)")
    )
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    assert result.report.kept == (
        (
            "kept plot_training_metrics (cell 4): cell 3 mentions plot_training_metrics but could not be "
            "parsed (line 1: invalid syntax), so its uses cannot be checked"
        ),
    )


@pytest.mark.parametrize(
    ("positional", "keywords", "problem"),
    [
        (1, (), None),
        (5, (), None),
        (1, ("ax", "title"), None),
        (
            6,
            (),
            "passes 6 positional arguments but viz_utils.visualize_gradient_norms takes at most 5",
        ),
        (
            0,
            (),
            "does not pass 'grad_norm_values', which viz_utils.visualize_gradient_norms requires",
        ),
        (
            1,
            ("cmap",),
            "passes keyword 'cmap' that viz_utils.visualize_gradient_norms does not accept",
        ),
        (2, ("pruned_heads",), "passes 'pruned_heads' both by position and by keyword"),
    ],
)
def test_binding_problems(catalog, positional, keywords, problem):
    function = catalog.functions["visualize_gradient_norms"]
    assert binding_problem(function, CallShape(positional, keywords, unpacks=False)) == problem

"""Rule: legacy names are replaced by the new function and their calls renamed (`rules/legacy_names.py`)."""

from __future__ import annotations

from conftest import IMPORTS, TITLE, code, migrate_text, notebook_text


def test_legacy_name_is_renamed_at_its_calls(catalog):
    text = notebook_text(
        TITLE,
        IMPORTS,
        code("def plot_training_metrics(metrics_history):\n    plt.plot(metrics_history['step'])"),
        code("fig = plot_training_metrics(history)\nplot_training_metrics(history)"),
    )
    _result, sources = migrate_text(text, catalog)
    assert (
        sources[4]
        == "fig = visualize_training_progress(history)\nvisualize_training_progress(history)"
    )
    assert sources[2].endswith("from viz_utils import visualize_training_progress")
    assert "`plot_training_metrics` (now `visualize_training_progress`)" in sources[1]


def test_legacy_name_kept_when_the_new_name_is_bound_in_the_notebook(catalog):
    text = notebook_text(
        TITLE,
        code("from mylib import visualize_training_progress"),
        code("def plot_training_metrics(metrics_history):\n    pass"),
        code("plot_training_metrics(history)"),
    )
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    assert (
        "kept plot_training_metrics (cell 3): visualize_training_progress is also bound in cell 2"
        in (result.report.kept[0])
    )


def test_a_legacy_call_in_a_cell_magic_cell_keeps_the_definition(catalog):
    legacy = "def plot_training_metrics(metrics_history):\n    plt.plot(metrics_history['step'])"
    text = notebook_text(TITLE, IMPORTS, code(legacy), code("%%time\nplot_training_metrics(h)"))
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    assert (
        "the call in cell 4 would have to be renamed to visualize_training_progress"
        in (result.report.kept[0])
    )

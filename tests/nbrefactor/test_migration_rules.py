"""One test per migration rule, on small notebooks built in memory."""

from __future__ import annotations

import pytest
from conftest import code, markdown, migrate_text, notebook_text

GRAD_DEF = (
    "def visualize_gradient_norms(grad_norm_values, pruned_heads=None, revived_heads=None,"
    " title='Gradient Norms', save_path=None):\n"
    "    plt.imshow(grad_norm_values)\n"
    "    return plt.gcf()\n"
)
HEATMAP_DEF = (
    "def visualize_entropy_heatmap(entropy_values, title='Heatmap', save_path=None, min_value=0.0,"
    " annotate=True, cmap='viridis'):\n"
    "    plt.imshow(entropy_values, cmap=cmap)\n"
)
TITLE = markdown("# Demo (v0.0.7)\n\n### New in v0.0.7:\n- first\n")
IMPORTS = code("import numpy as np\nimport matplotlib.pyplot as plt")


def test_replaced_definition_is_removed_and_imported(catalog):
    text = notebook_text(TITLE, IMPORTS, code(GRAD_DEF), code("visualize_gradient_norms(g)"))
    result, sources = migrate_text(text, catalog)
    assert sources[3] == ""
    assert sources[2].endswith(
        "import matplotlib.pyplot as plt\nfrom viz_utils import visualize_gradient_norms"
    )
    assert sources[4] == "visualize_gradient_norms(g)"
    assert result.report.replaced[0].startswith("replaced visualize_gradient_norms (cell 3)")


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


def test_kept_definition_beside_replaced_one(catalog):
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(HEATMAP_DEF),
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)\nvisualize_entropy_heatmap(e, cmap='magma')"),
    )
    result, sources = migrate_text(text, catalog)
    assert sources[3] == HEATMAP_DEF
    assert sources[4] == ""
    assert result.report.kept == (
        (
            "kept visualize_entropy_heatmap (cell 3): call in cell 5 passes keyword 'cmap' that "
            "viz_utils.visualize_entropy_heatmap does not accept"
        ),
    )


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


def test_unused_definition_needs_no_import(catalog):
    text = notebook_text(TITLE, IMPORTS, code("x = 1\n\n" + GRAD_DEF))
    result, sources = migrate_text(text, catalog)
    assert sources[3] == "x = 1\n"  # the cell ended with a newline and still does
    assert sources[2] == IMPORTS["source"]
    assert "import: none needed (nothing calls the replaced functions)" in result.report.notes


def test_import_goes_after_an_import_of_the_same_name(catalog):
    text = notebook_text(
        TITLE,
        code(
            "import numpy as np\nfrom utils.colab.visualizations import visualize_gradient_norms\n\nx = 1"
        ),
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)"),
    )
    _, sources = migrate_text(text, catalog)
    assert sources[2] == (
        "import numpy as np\nfrom utils.colab.visualizations import visualize_gradient_norms\n"
        "from viz_utils import visualize_gradient_norms\n\nx = 1"
    )


def test_rebinding_between_import_and_use_moves_the_import(catalog):
    text = notebook_text(
        TITLE,
        IMPORTS,
        code("from utils import visualize_gradient_norms"),
        code("# helper\n" + GRAD_DEF + "\nvisualize_gradient_norms(g)"),
    )
    result, sources = migrate_text(text, catalog)
    assert (
        sources[4]
        == "from viz_utils import visualize_gradient_norms\n\nvisualize_gradient_norms(g)"
    )
    assert result.report.warnings == ()


def test_unavoidable_rebinding_is_warned(catalog):
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(GRAD_DEF),
        code("visualize_gradient_norms(a)"),
        code("from utils import visualize_gradient_norms"),
        code(GRAD_DEF),
        code("visualize_gradient_norms(b)"),
    )
    result, sources = migrate_text(text, catalog)
    assert sources[3] == "from viz_utils import visualize_gradient_norms\n"
    assert sources[6] == ""
    assert any("rebound by the import in cell 5" in warning for warning in result.report.warnings)


def test_star_import_after_the_new_import_is_warned(catalog):
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(GRAD_DEF),
        code("from helpers import *"),
        code("visualize_gradient_norms(g)"),
    )
    result, _ = migrate_text(text, catalog)
    assert "cell 4 has 'from helpers import *' after the new import" in " ".join(
        result.report.warnings
    )


def test_existing_library_import_is_extended_once(catalog):
    text = notebook_text(
        TITLE,
        code("from viz_utils import visualize_attention_matrix\nimport numpy as np"),
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)\nvisualize_attention_matrix(a)"),
    )
    _, sources = migrate_text(text, catalog)
    assert sources[2] == (
        "from viz_utils import visualize_attention_matrix, visualize_gradient_norms\nimport numpy as np"
    )
    assert sum(source.count("from viz_utils import") for source in sources.values()) == 1


def test_name_already_imported_from_library_is_not_imported_again(catalog):
    text = notebook_text(
        TITLE,
        code("from viz_utils import visualize_gradient_norms"),
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)"),
    )
    result, sources = migrate_text(text, catalog)
    assert sources[2] == "from viz_utils import visualize_gradient_norms"
    assert sources[3] == ""
    assert (
        "import: visualize_gradient_norms already imported from viz_utils in cell 2"
        in result.report.notes
    )


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


def test_methods_nested_defs_and_strings_are_not_definitions(catalog):
    text = notebook_text(
        TITLE,
        code(
            "class Plotter:\n    def visualize_gradient_norms(self, g):\n        pass\n\n"
            "def outer():\n    def visualize_gradient_norms(g):\n        pass\n\n"
            "doc = 'def visualize_gradient_norms(x):'"
        ),
    )
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    assert result.report.replaced == ()


def test_comments_directly_above_go_with_the_definition_and_layout_stays(catalog):
    source = (
        "x = 1\n\n# ---- helpers ----\n\n# Draws the norms.\n# Boxes pruned heads.\n@torch.no_grad()\n"
        + GRAD_DEF
        + "\n\nprint('ready')  # trailing comment"
    )
    text = notebook_text(TITLE, IMPORTS, code(source), code("visualize_gradient_norms(g)"))
    _, sources = migrate_text(text, catalog)
    assert sources[3] == "x = 1\n\n# ---- helpers ----\n\n\nprint('ready')  # trailing comment"


def test_emptied_cell_stays_with_its_id(catalog):
    text = notebook_text(
        TITLE, IMPORTS, code([GRAD_DEF], id="abc123"), code("visualize_gradient_norms(g)"), minor=5
    )
    _result, sources = migrate_text(text, catalog)
    assert sources[3] == ""
    assert len(sources) == 4


def test_ipython_syntax_survives_in_an_edited_cell(catalog):
    source = (
        "!pip install -q transformers\n%cd /content\nfiles = !ls\nnp.mean?\n\n"
        + GRAD_DEF
        + "\n%time visualize_gradient_norms(g)"
    )
    text = notebook_text(TITLE, code(source))
    _, sources = migrate_text(text, catalog)
    assert sources[2] == (
        "from viz_utils import visualize_gradient_norms\n!pip install -q transformers\n%cd /content\n"
        "files = !ls\nnp.mean?\n\n%time visualize_gradient_norms(g)"
    )


def test_cell_magic_cells_are_never_edited(catalog):
    text = notebook_text(
        TITLE,
        IMPORTS,
        code("%%time\n" + GRAD_DEF),
        code("%%bash\necho def visualize_gradient_norms(x):"),
    )
    result, _sources = migrate_text(text, catalog)
    assert not result.changed
    assert result.report.kept == (
        "kept visualize_gradient_norms (cell 3): the cell starts with %%time; cells with cell magics are not edited",
    )
    assert "skipped cell 4: %%bash cell is not Python" in result.report.notes


def test_calls_in_python_cell_magic_cells_are_checked(catalog):
    text = notebook_text(
        TITLE, IMPORTS, code(GRAD_DEF), code("%%time\nvisualize_gradient_norms(g, cmap='x')")
    )
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    assert "call in cell 4 passes keyword 'cmap'" in result.report.kept[0]


def test_unparseable_cell_is_reported_with_its_line(catalog):
    broken = "x = 1\nfor i in range(3) visualize_gradient_norms(g)\ndef visualize_gradient_norms(g):    pass"
    heatmap = HEATMAP_DEF.replace(", cmap='viridis'", "").replace("cmap=cmap", "cmap='magma'")
    text = notebook_text(
        TITLE, IMPORTS, code(broken), code(heatmap), code("visualize_entropy_heatmap(e)")
    )
    result, sources = migrate_text(text, catalog)
    assert sources[3] == broken
    assert sources[4] == ""
    assert result.report.warnings == (
        (
            "cell 3 could not be parsed (line 2: invalid syntax); it contains "
            "'def visualize_gradient_norms', which could not be analysed"
        ),
    )


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


def test_a_legacy_call_in_a_cell_magic_cell_keeps_the_definition(catalog):
    legacy = "def plot_training_metrics(metrics_history):\n    plt.plot(metrics_history['step'])"
    text = notebook_text(TITLE, IMPORTS, code(legacy), code("%%time\nplot_training_metrics(h)"))
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    assert (
        "the call in cell 4 would have to be renamed to visualize_training_progress"
        in (result.report.kept[0])
    )


def test_a_function_local_name_is_not_the_notebook_name(catalog):
    summarize = (
        "def summarize(history):\n"
        "    def visualize_gradient_norms(h, cmap='x'):\n        return h\n"
        "    return visualize_gradient_norms(history, cmap='y')\n"
        "def report():\n    visualize_gradient_norms = print\n    visualize_gradient_norms('done', cmap=1)"
    )
    text = notebook_text(TITLE, IMPORTS, code(summarize), code(GRAD_DEF))
    result, sources = migrate_text(text, catalog)
    assert result.report.kept == ()
    assert sources[3] == summarize
    assert sources[4] == ""
    assert "import: none needed (nothing calls the replaced functions)" in result.report.notes


def test_nothing_to_replace_leaves_the_notebook_alone(catalog):
    text = notebook_text(TITLE, IMPORTS, code("visualize_gradient_norms(g)"))
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    assert result.report == type(result.report)()


def test_other_kernel_languages_are_left_alone(catalog):
    text = notebook_text(TITLE, code(GRAD_DEF)).replace('"language": "python"', '"language": "R"')
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    assert result.report.notes == ("not a Python notebook (language r); left alone",)


def test_crlf_cell_gets_crlf_import(catalog):
    text = notebook_text(
        TITLE,
        code("import numpy as np\r\nimport torch\r\n"),
        code(GRAD_DEF.replace("\n", "\r\n")),
        code("visualize_gradient_norms(g)"),
    )
    _, sources = migrate_text(text, catalog)
    assert (
        sources[2]
        == "import numpy as np\r\nimport torch\r\nfrom viz_utils import visualize_gradient_norms\r\n"
    )
    assert sources[3] == ""


def test_long_import_is_wrapped_with_the_cells_indentation(catalog):
    defs = [
        GRAD_DEF,
        "def visualize_attention_matrix(attn_matrix, layer_idx=0, head_idx=0, title=None, save_path=None):\n  pass\n",
        "def visualize_entropy_vs_gradient(entropy_values, grad_norm_values, title='t', save_path=None):\n  pass\n",
    ]
    calls = "visualize_gradient_norms(g)\nvisualize_attention_matrix(a)\nvisualize_entropy_vs_gradient(e, g)"
    text = notebook_text(
        TITLE, code("import numpy as np\nif True:\n  x = 1"), *map(code, defs), code(calls)
    )
    _, sources = migrate_text(text, catalog)
    assert sources[2] == (
        "import numpy as np\nfrom viz_utils import (\n  visualize_attention_matrix,\n  visualize_entropy_vs_gradient,\n"
        "  visualize_gradient_norms,\n)\nif True:\n  x = 1"
    )


def test_a_skipped_cell_is_reported_once(catalog):
    """The bash cell also looks like an import cell; it is still named only once."""
    text = notebook_text(
        TITLE,
        code(
            "%%bash\nimport os\nimport sys\nfrom viz_utils import x\necho visualize_gradient_norms"
        ),
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)"),
    )
    result, _ = migrate_text(text, catalog)
    assert result.report.notes.count("skipped cell 2: %%bash cell is not Python") == 1


@pytest.mark.parametrize(
    "definition",
    [
        GRAD_DEF
        + "    # an indented comment after the body belongs to it\n\n# this one does not\n",
        "def visualize_gradient_norms(grad_norm_values, pruned_heads=None): return 1\n# after\n",
        "def visualize_gradient_norms(grad_norm_values,\n        pruned_heads=None): return 1\n    # indented\n",
        "@decorate(\n    option=1,\n)\n" + GRAD_DEF + "\n\n\n# trailing section comment",
    ],
    ids=["block-footer", "one-line", "suite-after-signature", "multi-line-decorator"],
)
def test_removed_definitions_parsed_as_stand_ins_give_the_same_cell(
    catalog, monkeypatch, definition
):
    text = notebook_text(
        TITLE, IMPORTS, code("x = 1\n\n" + definition), code("visualize_gradient_norms(g)")
    )
    _, fast = migrate_text(text, catalog)
    monkeypatch.setattr("nbrefactor.migration._compacted", lambda text, removed: text)
    _, full = migrate_text(text, catalog)
    assert fast == full
    assert "visualize_gradient_norms(" not in fast[3]

"""Rule: where the import of the replaced names goes (`rules/import_placement.py`)."""

from __future__ import annotations

from conftest import GRAD_DEF, IMPORTS, TITLE, code, migrate_text, notebook_text


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


def test_the_import_never_goes_into_a_cell_that_does_not_parse_while_another_will_do(catalog):
    """Python runs no line of a cell that does not compile: an import there would never run."""
    broken_imports = "import numpy as np\nimport matplotlib.pyplot as plt\nx = (1,"
    text = notebook_text(
        TITLE, code(broken_imports), code(GRAD_DEF), code("visualize_gradient_norms(g)")
    )
    result, sources = migrate_text(text, catalog)
    assert sources[2] == broken_imports
    assert sources[3] == "from viz_utils import visualize_gradient_norms\n"
    assert result.report.warnings == (
        "cell 2 does not parse (line 3: '(' was never closed); the statements that do were read",
    )

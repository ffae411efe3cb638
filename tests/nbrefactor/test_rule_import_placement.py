"""Rule: where the import of the replaced names goes (`rules/import_placement.py`)."""

from __future__ import annotations

import pytest
from conftest import GRAD_DEF, HEATMAP_DEF, IMPORTS, TITLE, code, migrate_text, notebook_text

from nbrefactor import messages, reasons
from nbrefactor.analysis.catalog import load_catalog
from nbrefactor.analysis.path_changes import path_changing_functions
from nbrefactor.rules.import_placement import BUILTIN


def test_an_unused_definition_is_imported_all_the_same(catalog):
    """What the notebook's text does not show may use it (`%run` from another notebook,
    `eval`, `globals()`): the name stays bound, as the definition left it."""
    text = notebook_text(TITLE, IMPORTS, code("x = 1\n\n" + GRAD_DEF))
    result, sources = migrate_text(text, catalog)
    assert sources[3] == "x = 1\n"  # the cell ended with a newline and still does
    assert sources[2] == IMPORTS["source"] + "\nfrom viz_utils import visualize_gradient_norms"
    assert "import: added 'from viz_utils import visualize_gradient_norms' to cell 2" in (
        result.report.notes
    )


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


@pytest.mark.parametrize(
    ("imports", "expected"),
    [
        # Re-check 46: below `import math; math.pi` the import would end the cell, and
        # IPython would no longer show 3.14...: it goes to the definition's cell instead.
        ("import math; math.pi", None),
        ("import math; math.pi  # shown", None),
        ("import math; (math.pi, 1)", None),
        # The statements sharing the import's line run before it, as the analysis says.
        (
            "import math; x = 1",
            "import math; x = 1\nfrom viz_utils import visualize_gradient_norms",
        ),
        (
            "import math; x = 1\nmath.pi",
            "import math; x = 1\nfrom viz_utils import visualize_gradient_norms\nmath.pi",
        ),
    ],
)
def test_the_import_does_not_end_a_cell_that_shows_its_value(catalog, imports, expected):
    text = notebook_text(TITLE, code(imports), code(GRAD_DEF), code("visualize_gradient_norms(g)"))
    result, sources = migrate_text(text, catalog)
    assert [found.name for found in result.report.replaced] == ["visualize_gradient_norms"]
    if expected is None:
        assert sources[2] == imports
        assert sources[3] == "from viz_utils import visualize_gradient_norms\n"
    else:
        assert sources[2] == expected
        assert sources[3] == ""


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


@pytest.mark.parametrize(
    "timed",
    [
        "%time def visualize_gradient_norms(g): return 'timed'",
        "%prun -q def visualize_gradient_norms(g): return 'profiled'",
        "%time for visualize_gradient_norms in [print]: pass",
    ],
)
def test_a_compound_statement_under_time_binds_the_name(catalog, timed):
    """Sweep 28: masked with the `%time` line, `def f` there was not seen; the import went
    into the import cell, above it, and the last call ran the `%time` one (`timed`)."""
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(timed),
        code("visualize_gradient_norms(g)"),
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)"),
    )
    result, sources = migrate_text(text, catalog)
    assert [found.name for found in result.report.replaced] == ["visualize_gradient_norms"]
    assert sources[2] == IMPORTS["source"]
    assert sources[5] == "from viz_utils import visualize_gradient_norms\n"


@pytest.mark.parametrize(
    ("between", "kept_cells", "reason"),
    [
        (
            # Cell 7 ran the def of cell 6; with the defs removed it would run utils'
            # function (cell 5), wherever the one import goes.
            [
                code("visualize_gradient_norms(a)"),
                code("from utils import visualize_gradient_norms"),
                code(GRAD_DEF),
            ],
            [3, 6],
            (
                "the import in cell 5 rebinds visualize_gradient_norms between the import's place "
                "(cell 3) and its use in cell 7, which would not call "
                "viz_utils.visualize_gradient_norms"
            ),
        ),
        (
            # `del` unbinds the name: cell 6 ran cell 5's def, and would find nothing bound.
            [code("visualize_gradient_norms(a)\ndel visualize_gradient_norms"), code(GRAD_DEF)],
            [3, 5],
            (
                "the del in cell 4 deletes visualize_gradient_norms between the import's place "
                "(cell 3) and its use in cell 6, which would not call "
                "viz_utils.visualize_gradient_norms"
            ),
        ),
    ],
    ids=["import", "del"],
)
def test_a_use_the_import_cannot_reach_keeps_the_definitions(catalog, between, kept_cells, reason):
    """Both defs stay, and say why."""
    text = notebook_text(
        TITLE, IMPORTS, code(GRAD_DEF), *between, code("visualize_gradient_norms(b)")
    )
    result, _ = migrate_text(text, catalog)
    assert result.new_sources == {}
    assert [(finding.cell, finding.code) for finding in result.report.kept] == [
        (cell, "NBR230") for cell in kept_cells
    ]
    assert result.report.kept[0].reason == reason
    assert result.report.warnings == ()


def test_a_del_after_the_last_use_is_only_a_use(catalog):
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(GRAD_DEF),
        code("visualize_gradient_norms(a)"),
        code("del visualize_gradient_norms"),
    )
    result, sources = migrate_text(text, catalog)
    assert sources[2].endswith("from viz_utils import visualize_gradient_norms")
    assert sources[3] == ""
    assert sources[5] == "del visualize_gradient_norms"
    assert result.report.kept == ()


def test_one_blocked_name_keeps_every_definition(catalog):
    """The import that serves cell 3's def cannot serve cell 6's (cell 5 rebinds the name
    in between); replacing only the first would move the import to where a second run
    replaces the other: nothing is replaced, and each kept line says why."""
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(HEATMAP_DEF),
        code("visualize_entropy_heatmap(m)"),
        code("visualize_gradient_norms = [1, 2]"),
        code(GRAD_DEF + "\nvisualize_gradient_norms(g)"),
    )
    result, _ = migrate_text(text, catalog)
    assert result.new_sources == {}
    assert [(finding.name, finding.code) for finding in result.report.kept] == [
        ("visualize_entropy_heatmap", "NBR232"),
        ("visualize_gradient_norms", "NBR230"),
    ]
    assert result.report.kept[0].reason == (
        "one import serves every replaced definition, and it cannot serve "
        "visualize_gradient_norms (cell 6)"
    )
    assert result.report.kept[1].reason.startswith(
        "the assignment in cell 5 rebinds visualize_gradient_norms between the import's place"
    )


def test_a_star_import_between_the_definition_and_a_use_keeps_the_definition(catalog):
    """Cell 5 runs helpers' function if helpers has one, else cell 3's: the import can
    stand in for neither, before the star import or after it."""
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(GRAD_DEF),
        code("from helpers import *"),
        code("visualize_gradient_norms(g)"),
    )
    result, _ = migrate_text(text, catalog)
    assert result.new_sources == {}
    assert [finding.code for finding in result.report.kept] == ["NBR230"]
    assert result.report.kept[0].reason == (
        "the import in cell 4 may rebind visualize_gradient_norms between the import's place "
        "(cell 3) and its use in cell 5, which then would not call "
        "viz_utils.visualize_gradient_norms"
    )


def test_a_conditional_binding_between_the_definition_and_a_use_keeps_it(catalog):
    """If the condition is false, or the cell is fixed, cell 5 still runs cell 3's def."""
    for rebinding in (
        "if FAST:\n    visualize_gradient_norms = print",
        "try:\n    from tools import visualize_gradient_norms\nexcept ImportError:\n    pass",
        "visualize_gradient_norms = print\nx = (",
    ):
        text = notebook_text(
            TITLE, IMPORTS, code(GRAD_DEF), code(rebinding), code("visualize_gradient_norms(g)")
        )
        result, _ = migrate_text(text, catalog)
        assert result.new_sources == {}, rebinding
        assert "may rebind" in result.report.kept[0].reason


def test_a_star_import_before_the_definition_changes_nothing(catalog):
    text = notebook_text(
        TITLE,
        code("from fastai.vision.all import *\nimport matplotlib.pyplot as plt"),
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)"),
    )
    result, sources = migrate_text(text, catalog)
    assert result.report.kept == ()
    assert sources[2].endswith("\nfrom viz_utils import visualize_gradient_norms")


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


def test_when_the_last_place_captures_a_use_an_earlier_one_with_only_warnings_is_taken(catalog):
    """Where the gradient def was (cell 5), the import would capture cell 6's call, which
    runs cell 4's plotter; after the imports of cell 3 it captures nothing, and only cell 2's
    call, above every place, is warned about (it ran no definition from the top either)."""
    text = notebook_text(
        TITLE,
        code("visualize_gradient_norms(a)"),
        IMPORTS,
        code("visualize_entropy_heatmap = make_plotter()"),
        code(GRAD_DEF),
        code("visualize_entropy_heatmap(e)"),
        code(HEATMAP_DEF),
        code("visualize_gradient_norms(b)"),
    )
    result, sources = migrate_text(text, catalog)
    assert [finding.name for finding in result.report.replaced] == [
        "visualize_entropy_heatmap",  # named first in cell 4
        "visualize_gradient_norms",
    ]
    assert sources[3] == (
        "import numpy as np\nimport matplotlib.pyplot as plt\n"
        "from viz_utils import visualize_entropy_heatmap, visualize_gradient_norms"
    )
    assert result.report.warnings == (
        "visualize_gradient_norms is used in cell 2 before the new import",
    )


@pytest.mark.parametrize(
    "use",
    [
        "try:\n    visualize_gradient_norms(g)\nexcept NameError:\n    print('not yet')",
        "visualize_gradient_norms(g)",  # a cell run after the definition's, out of order
    ],
)
def test_a_use_above_every_definition_that_the_import_now_binds_is_told(catalog, use):
    """Run from the top, cell 3 raised NameError (caught, or not); the import in the import
    cell now binds the name there. The place stays (a notebook whose cells were run out of
    order is the common case); the report says so (sweep M7)."""
    text = notebook_text(
        TITLE, IMPORTS, code(use), code(GRAD_DEF), code("visualize_gradient_norms(g)")
    )
    result, sources = migrate_text(text, catalog)
    assert sources[2].endswith("from viz_utils import visualize_gradient_norms")
    assert result.report.warnings == (
        (
            "visualize_gradient_norms is used in cell 3 above its definition, where running "
            "the notebook from the top raised NameError; the new import now binds it there"
        ),
    )


SAVE_FIG = "def save_fig(fig_id, fig_extension='png'):\n    return fig_id + '.' + fig_extension\n"
PLOT_DIGITS = (
    "def plot_digits(instances, images_per_row=10):\n"
    "    return save_fig('digits_' + str(len(instances)))\n"
)


@pytest.mark.parametrize(
    ("cells", "told"),
    [
        # Re-check 44: cell 3 calls plot_digits, whose body calls save_fig, defined in cell 4
        ([PLOT_DIGITS, "print(plot_digits([1, 2]))", SAVE_FIG, "print(plot_digits([1]))"], True),
        ([PLOT_DIGITS, SAVE_FIG, "print(plot_digits([1, 2]))"], False),
        # a call that runs only when its function is called is not asked
        ([PLOT_DIGITS, "def later():\n    return plot_digits([1])", SAVE_FIG], False),
    ],
)
def test_a_call_of_a_copy_reading_a_helper_not_yet_defined_is_told(tmp_path, cells, told):
    """Run from the top, the copy of plot_digits raised NameError in cell 3 (save_fig was
    not yet defined); the library's plot_digits finds its own save_fig."""
    (tmp_path / "figlib.py").write_text(SAVE_FIG + "\n\n" + PLOT_DIGITS, encoding="utf-8")
    catalog = load_catalog(str(tmp_path / "figlib.py"))
    text = notebook_text(TITLE, code("import os"), *map(code, cells))
    result, _ = migrate_text(text, catalog)
    assert result.report.kept == ()
    expected = (
        "save_fig is used in cell 4 by plot_digits, above its definition, where running the "
        "notebook from the top raised NameError; the new import now binds it there"
    )
    assert result.report.warnings == ((expected,) if told else ())


SHOW = "def show(xs):\n    return plot_digits(xs)\n"


def test_a_helper_read_through_another_copy_is_told(tmp_path):
    """Re-check 45: through another copy (show calls plot_digits, which calls save_fig)."""
    library = SAVE_FIG + "\n\n" + PLOT_DIGITS + "\n\n" + SHOW
    (tmp_path / "figlib.py").write_text(library, encoding="utf-8")
    catalog = load_catalog(str(tmp_path / "figlib.py"))
    cells = [SHOW, PLOT_DIGITS, "print(show([1, 2]))", SAVE_FIG]
    result, _ = migrate_text(notebook_text(TITLE, code("import os"), *map(code, cells)), catalog)
    assert result.report.kept == ()
    expected = (
        "save_fig is used in cell 5 by show, above its definition, where running "
        "the notebook from the top raised NameError; the new import now binds it there"
    )
    assert expected in result.report.warnings


def test_a_copy_reading_a_helper_the_notebook_deletes_is_kept(tmp_path):
    """Re-check 45 replaced it, with a warning that its NameError became a value; round 48a
    counts a `del` as binding the name, as for any name (`del math`), and it stays."""
    (tmp_path / "figlib.py").write_text(SAVE_FIG + "\n\n" + PLOT_DIGITS, encoding="utf-8")
    catalog = load_catalog(str(tmp_path / "figlib.py"))
    cells = [PLOT_DIGITS, SAVE_FIG, "del save_fig\nprint(plot_digits([1, 2]))"]
    result, _ = migrate_text(notebook_text(TITLE, code("import os"), *map(code, cells)), catalog)
    assert [(found.name, found.code) for found in result.report.kept] == [("plot_digits", "NBR222")]
    assert [found.name for found in result.report.replaced] == ["save_fig"]


@pytest.mark.parametrize(
    ("lookup", "told"),
    [
        ('print("visualize_gradient_norms" in globals())', True),
        ('if "visualize_gradient_norms" not in dir():\n    print("not yet")', True),
        ('print(globals().get("visualize_gradient_norms") is None)', True),
        ('print("visualize_gradient_norms")', False),  # data, not a lookup
        # Re-check 29: other spellings, and a lookup that runs only when called (below)
        ('print("visualize_gradient_norms" in globals().keys())', True),
        ('import __main__\nprint(hasattr(__main__, "visualize_gradient_norms"))', True),
        ('def check():\n    return "visualize_gradient_norms" in globals()', False),
    ],
)
def test_a_lookup_by_name_above_every_definition_that_the_import_now_answers_is_told(
    catalog, lookup, told
):
    """Sweep 29: `"f" in globals()` above the def was False, and is True once the import
    in the import cell binds the name; the report said nothing (`try: f` / `except
    NameError` was told). The signatures agree: replaced, and told."""
    text = notebook_text(
        TITLE, IMPORTS, code(lookup), code(GRAD_DEF), code("visualize_gradient_norms(g)")
    )
    result, sources = migrate_text(text, catalog)
    assert sources[2].endswith("from viz_utils import visualize_gradient_norms")
    expected = (
        "visualize_gradient_norms is looked up by name in cell 3 above its definition, where"
        " running the notebook from the top found nothing; the new import now binds it there"
    )
    assert result.report.warnings == ((expected,) if told else ())


@pytest.mark.parametrize(
    ("listing", "told"),
    [
        ("%who", "%who"),
        ("names = %who_ls", "%who_ls"),
        ("%whos function", "%whos"),
        ("print(sorted(globals()))", "globals()"),
        ("print(len(dir( )))", "dir( )"),
        ("def names():\n    return sorted(globals())", None),  # runs when called, below
        ("print(sorted(globals))", None),
    ],
)
def test_a_listing_of_the_notebooks_names_above_every_definition_is_told(catalog, listing, told):
    """Re-check 46: `%who` above the def printed `json math`, and `describe json math` once
    the import in the import cell binds the name; the report said nothing."""
    text = notebook_text(
        TITLE, IMPORTS, code(listing), code(GRAD_DEF), code("visualize_gradient_norms(g)")
    )
    result, sources = migrate_text(text, catalog)
    assert sources[2].endswith("from viz_utils import visualize_gradient_norms")
    expected = (
        f"visualize_gradient_norms is listed by {told} in cell 3 above its definition, where it"
        " was not yet bound; the new import now binds it there"
    )
    assert result.report.warnings == ((expected,) if told else ())


@pytest.mark.parametrize(
    ("cells", "told"),
    [
        # below the import in its own cell, or above the def in the def's (round 57a)
        ((f"{IMPORTS['source']}\n%who", GRAD_DEF), ("%who", 2)),
        ((f"{IMPORTS['source']}\n_initial = set(dir())", GRAD_DEF), ("dir()", 2)),
        ((IMPORTS["source"], f"%who\n{GRAD_DEF}"), ("%who", 3)),
        ((f"{IMPORTS['source']}\n%who\n{GRAD_DEF}",), ("%who", 2)),
        # above the import, or below the def: the listing saw what it sees now
        ((f"%who\n{IMPORTS['source']}", f"{GRAD_DEF}\n%who"), None),
        ((IMPORTS["source"], f"{GRAD_DEF}\nprint(dir())"), None),
    ],
)
def test_a_listing_in_the_import_s_cell_or_the_definition_s_is_told(catalog, cells, told):
    """Round 57a: `%who` below the import in the import cell printed `f os x` where it had
    printed `os x`, and the report said nothing (a cell between them was told)."""
    use = code("visualize_gradient_norms(g)")
    result, _ = migrate_text(notebook_text(TITLE, *map(code, cells), use), catalog)
    assert [finding.name for finding in result.report.replaced] == ["visualize_gradient_norms"]
    expected = []
    if told is not None:
        listing, cell = told
        expected.append(
            f"visualize_gradient_norms is listed by {listing} in cell {cell} above its"
            " definition, where it was not yet bound; the new import now binds it there"
        )
    assert list(result.report.warnings) == expected


def test_a_use_above_the_definition_in_a_cell_that_does_not_parse_is_not_said_to_raise(catalog):
    """Round 58a: "used in cell 3 above its definition, where running the notebook from the
    top raised NameError" of a cell that does not parse: it raised SyntaxError, and runs no
    more once migrated."""
    broken = "history = {}visualize_gradient_norms(history)"
    text = notebook_text(
        TITLE, IMPORTS, code(broken), code(GRAD_DEF), code("visualize_gradient_norms(h)")
    )
    result, _ = migrate_text(text, catalog)
    assert result.report.warnings == (
        "cell 3 does not parse (line 1: invalid syntax); the statements that do were read",
    )


def test_uses_whose_only_definition_is_in_a_cell_that_does_not_parse_are_told(catalog):
    """Python ran none of cell 3 (`y = 1)`), so its def never bound the name: run from the
    top, cells 4 and 5 raised NameError, and the import binds it there now (sweep 25 F4)."""
    use = "visualize_gradient_norms(g)"
    text = notebook_text(
        TITLE, IMPORTS, code(f"y = 1)\n{GRAD_DEF}"), code(f"{use}\n{use}"), code(use)
    )
    result, _ = migrate_text(text, catalog)
    assert [finding.name for finding in result.report.replaced] == ["visualize_gradient_norms"]
    assert result.report.warnings == (
        (
            "visualize_gradient_norms is used in cells 4 and 5, where running the notebook "
            "from the top raised NameError: its definition in cell 3 does not parse, so it "
            "never ran; the new import now binds it there"
        ),
    )


@pytest.mark.parametrize(
    "cells",
    [
        [GRAD_DEF, f"y = 1)\n{GRAD_DEF}", "visualize_gradient_norms(g)"],  # cell 3's ran
        [f"y = 1)\n{GRAD_DEF}", "visualize_gradient_norms(g)\nz = 1)"],  # nor did the use
        [f"y = 1)\n{GRAD_DEF}", "def later():\n    return visualize_gradient_norms(g)"],
    ],
)
def test_a_use_that_a_parsed_definition_reaches_or_that_never_ran_is_not_told(catalog, cells):
    result, _ = migrate_text(notebook_text(TITLE, IMPORTS, *map(code, cells)), catalog)
    assert result.report.replaced
    assert not any("never ran" in warning for warning in result.report.warnings)


def test_a_use_in_a_function_or_after_the_definition_is_not_told(catalog):
    text = notebook_text(
        TITLE,
        IMPORTS,
        code("def later():\n    return visualize_gradient_norms(g)"),
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)"),
    )
    result, _ = migrate_text(text, catalog)
    assert [finding.name for finding in result.report.replaced] == ["visualize_gradient_norms"]
    assert result.report.warnings == ()


@pytest.mark.parametrize(
    ("magic_cell", "binds"),
    [
        ("%%bash --out visualize_gradient_norms\necho hi", True),  # stdout into the name
        ("%%script bash --err visualize_gradient_norms\necho hi >&2", True),
        ("%%R -o visualize_gradient_norms\nvisualize_gradient_norms <- 1", True),  # rpy2
        ("%%cython\ndef visualize_gradient_norms(x):\n    return x", True),
        ("%%bash\necho visualize_gradient_norms", False),  # a word of the script
        ("%%html\n<b>visualize_gradient_norms</b>", False),
    ],
)
def test_a_non_python_cell_magic_that_binds_the_name_comes_before_the_import(
    catalog, magic_cell, binds
):
    """`%%bash --out f` sets `f` to the script's output once its cell has run: with the import
    in the import cell, above it, cell 5 called that string (TypeError). The import goes
    below it (sweep R repro_1)."""
    text = notebook_text(
        TITLE, IMPORTS, code(magic_cell), code(GRAD_DEF), code("visualize_gradient_norms(g)")
    )
    result, sources = migrate_text(text, catalog)
    assert [finding.name for finding in result.report.replaced] == ["visualize_gradient_norms"]
    assert sources[3] == magic_cell
    if binds:
        assert sources[2] == IMPORTS["source"]
        assert sources[4] == "from viz_utils import visualize_gradient_norms\n"
    else:
        assert sources[2].endswith("from viz_utils import visualize_gradient_norms")
        assert sources[4] == ""


def test_the_import_goes_below_the_future_imports_a_cell_starts_with(catalog):
    """Sweep X repro_7: at the top of the definition's cell, above `from __future__ import
    annotations`, the cell no longer compiled (ruff F404)."""
    future = "from __future__ import annotations\n\n"
    text = notebook_text(  # the import cell comes after the definition's use
        TITLE, code(future + GRAD_DEF), code("visualize_gradient_norms(g)"), IMPORTS
    )
    _result, sources = migrate_text(text, catalog)
    assert sources[2].startswith(
        "from __future__ import annotations\nfrom viz_utils import visualize_gradient_norms"
    )
    compile(sources[2], "cell 2", "exec")


@pytest.mark.parametrize(
    ("cell", "binds"),
    [
        ("run setup.py", True),  # IPython's automagic: `%run setup.py`
        ("store -r visualize_gradient_norms", True),
        ("pylab", True),  # round 60a F4: `%pylab`, whose star imports may bind it
        ("reset -f", True),  # round 60a F8: `%reset -f`, not `reset - f`
        ("run = 3", False),  # Python
        ("run_all(steps)", False),
    ],
)
def test_a_magic_run_without_its_percent_in_a_cell_of_one_line_may_bind_any_name(
    catalog, cell, binds
):
    """Sweep R repro_2: `run setup.py` alone in its cell ran the script, which defined the
    name; with the import in the import cell above it, the script's function won."""
    text = notebook_text(
        TITLE, IMPORTS, code(cell), code(GRAD_DEF), code("visualize_gradient_norms(g)")
    )
    _result, sources = migrate_text(text, catalog)
    imported = "from viz_utils import visualize_gradient_norms"
    if binds:
        assert sources[2] == IMPORTS["source"]
        assert sources[4].startswith(imported)
    else:
        assert sources[2].endswith(imported)


def test_a_bare_magic_name_is_python_once_the_notebook_binds_the_name_above_it(catalog):
    """Round 60a F4: `pylab` alone runs `%pylab` unless `pylab` is a variable (`import
    pylab` above it), when it only shows the module."""
    imports = code(IMPORTS["source"] + "\nimport pylab")
    text = notebook_text(
        TITLE, imports, code("pylab"), code(GRAD_DEF), code("visualize_gradient_norms(g)")
    )
    _result, sources = migrate_text(text, catalog)
    assert sources[2].endswith("from viz_utils import visualize_gradient_norms")


def test_a_help_query_is_a_use_the_import_must_reach(catalog):
    """`name?` shows the function bound to the name: after a migration, the library's."""
    text = notebook_text(
        TITLE, IMPORTS, code(GRAD_DEF), code("visualize_gradient_norms?"), code("%pinfo2 x")
    )
    result, sources = migrate_text(text, catalog)
    assert sources[2].endswith("from viz_utils import visualize_gradient_norms")
    assert sources[3] == ""
    assert sources[4] == "visualize_gradient_norms?"
    assert "import: none needed (nothing calls the replaced functions)" not in result.report.notes


@pytest.mark.parametrize(
    "rebinding",
    [
        "visualize_gradient_norms = !echo hi",
        "visualize_gradient_norms = %sx echo hi",
        "%%capture visualize_gradient_norms\nprint(1)",
    ],
)
def test_an_ipython_binding_is_a_binding(catalog, rebinding):
    """After `f = !echo hi`, cell 5 uses the shell's output: it never ran the definition,
    and an import after the rebinding would capture that use."""
    text = notebook_text(
        TITLE, code(GRAD_DEF), code(rebinding), IMPORTS, code("visualize_gradient_norms")
    )
    _result, sources = migrate_text(text, catalog)
    # The import goes where the definition was: after the rebinding it would capture cell 5.
    assert sources[2] == "from viz_utils import visualize_gradient_norms\n"
    assert sources[4] == IMPORTS["source"]


@pytest.mark.parametrize(
    "line", ["!echo {visualize_gradient_norms(g)}", "%env OUT={visualize_gradient_norms(g)}"]
)
def test_a_name_in_an_ipython_line_is_a_use_that_cannot_be_checked(catalog, line):
    text = notebook_text(TITLE, IMPORTS, code(GRAD_DEF), code(line))
    result, _ = migrate_text(text, catalog)
    assert result.new_sources == {}
    assert [finding.code for finding in result.report.kept] == ["NBR213"]
    assert result.report.kept[0].reason == (
        "cell 4 names visualize_gradient_norms on line 1, an IPython line that IPython may "
        "expand ({...} or $name), so that use cannot be checked"
    )


@pytest.mark.parametrize(
    ("line", "expanded"),
    [
        ("!echo $visualize_gradient_norms", True),
        ("!echo $x.visualize_gradient_norms", True),
        ("%reset_selective -f ^visualize_gradient_norms$", False),  # round 60a
        ("!grep 'visualize_gradient_norms$' log.txt", False),
    ],
)
def test_a_dollar_is_an_expansion_only_before_a_name(catalog, line, expanded):
    """IPython's `var_expand` expands `$name` (`DollarFormatter`): a `$` ending a regex
    expands nothing, and the name before it is no use IPython runs (`NBR213`)."""
    text = notebook_text(TITLE, IMPORTS, code(GRAD_DEF), code(line))
    result, _ = migrate_text(text, catalog)
    codes = [finding.code for finding in result.report.kept]
    assert ("NBR213" in codes) == expanded


def test_a_name_in_an_ipython_line_without_expansion_is_no_use(catalog):
    text = notebook_text(
        TITLE, IMPORTS, code(GRAD_DEF), code("!grep visualize_gradient_norms *.py")
    )
    result, sources = migrate_text(text, catalog)
    assert result.report.kept == ()
    assert sources[3] == ""


def test_import_goes_after_an_install_guard_in_the_import_cell(catalog):
    """The library's module may import what the guard installs (`except ImportError: !pip`)."""
    guarded = (
        "import numpy as np\ntry:\n    import torch\nexcept ImportError:\n"
        "    !pip install torch\n    import torch\n\nx = 1"
    )
    text = notebook_text(TITLE, code(guarded), code(GRAD_DEF), code("visualize_gradient_norms(g)"))
    _, sources = migrate_text(text, catalog)
    assert sources[2] == guarded.replace(
        "import torch\n\nx = 1",
        "import torch\nfrom viz_utils import visualize_gradient_norms\n\nx = 1",
    )


@pytest.mark.parametrize(
    "rebinding",
    [
        "def setup():\n    global visualize_gradient_norms\n    visualize_gradient_norms = print",
        "def setup():\n    global visualize_gradient_norms\n    from pprint import pprint as visualize_gradient_norms",
        "def setup():\n    global visualize_gradient_norms\n    del visualize_gradient_norms",
        "class Setup:\n    global visualize_gradient_norms\n    visualize_gradient_norms = print",
    ],
)
def test_a_body_rebinding_the_name_through_global_keeps_the_definitions(catalog, rebinding):
    """`setup()` in cell 4 rebinds the name when it runs: the import in the import cell
    (cell 5, after it) would stand where the notebook's rebinding stood."""
    text = notebook_text(
        TITLE,
        code(GRAD_DEF),
        code(rebinding),
        code("setup()" if rebinding.startswith("def") else "pass"),
        IMPORTS,
        code("visualize_gradient_norms(g)"),
    )
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    assert [(found.code, found.reason) for found in result.report.kept] == [
        (
            "NBR214",
            (
                "the function or class on line 1 of cell 3 may rebind visualize_gradient_norms "
                "through `global` when it runs, and no one import can stand for that"
            ),
        )
    ]


def test_a_walrus_in_a_comprehension_in_a_body_binds_a_local(catalog):
    """PEP 572: it binds in the function around the comprehension, not the notebook's name."""
    local = "def setup():\n    [visualize_gradient_norms := print for _ in [0]]\n    return 1"
    text = notebook_text(
        TITLE,
        code(GRAD_DEF),
        code(local + "\nsetup()"),
        IMPORTS,
        code("visualize_gradient_norms(g)"),
    )
    result, _ = migrate_text(text, catalog)
    assert result.report.kept == ()
    assert [found.name for found in result.report.replaced] == ["visualize_gradient_norms"]


def test_a_local_binding_in_a_body_is_no_rebinding(catalog):
    local = "def setup(visualize_gradient_norms=None):\n    visualize_gradient_norms = print"
    text = notebook_text(
        TITLE, IMPORTS, code(GRAD_DEF), code(local), code("visualize_gradient_norms(g)")
    )
    result, _ = migrate_text(text, catalog)
    assert result.report.kept == ()


def _migrated_with_between(catalog, line):
    """The import cell (2), the definition (3), `line` (4) and a use (5), migrated."""
    text = notebook_text(
        TITLE, IMPORTS, code(GRAD_DEF), code(line), code("visualize_gradient_norms(g)")
    )
    return migrate_text(text, catalog)


@pytest.mark.parametrize(
    ("rebinding", "kind"),
    [
        ("%run setup.py", "%run"),
        ("%pylab inline", "import"),
        ("exec(open('setup.py').read())", "exec"),
        ("exec(code)", "exec"),
        ("globals()[name] = print", "assignment through globals()"),
        ("globals().update(settings)", "assignment through globals()"),
        ("vars().update(settings)", "assignment through globals()"),
        ("get_ipython().push(settings)", "IPython namespace call"),
        # Round 50a N4: IPython's methods that delete names, and its cell magics by call.
        ("get_ipython().reset()", "IPython namespace call"),
        ("get_ipython().del_var(name)", "IPython namespace call"),
        ("get_ipython().user_ns.clear()", "assignment through globals()"),
        ("get_ipython().run_cell_magic('capture', name, '')", "exec"),
        ("get_ipython().user_ns[name] = print", "assignment through globals()"),
        ("get_ipython().run_line_magic('run', 'setup.py')", "%run"),
        ("get_ipython().run_cell(code)", "exec"),
        # Other line magics that may bind names (`line_magics`), in both spellings.
        ("%store -r", "line magic"),
        ("%R -o visualize_gradient_norms", "line magic"),  # rpy2
        ("    %some_extension_magic", "line magic"),  # one no table lists
        ("%timeit", "line magic"),  # no code in sight
        ("get_ipython().run_line_magic('store', '-r')", "line magic"),
        ("get_ipython().run_line_magic('pylab', 'inline')", "line magic"),
        ("get_ipython().run_line_magic('time', 'visualize_gradient_norms = print')", "line magic"),
    ],
)
def test_a_line_that_may_bind_any_name_between_the_definition_and_a_use_keeps_it(
    catalog, rebinding, kind
):
    """`%run setup.py` may set the name (a script's names land in the notebook): cell 5 may
    run what it set or cell 3's def, which the import cannot stand for."""
    result, _ = _migrated_with_between(catalog, rebinding)
    assert result.new_sources == {}
    assert [finding.code for finding in result.report.kept] == ["NBR230"]
    assert result.report.kept[0].reason == (
        f"the {kind} in cell 4 may rebind visualize_gradient_norms between the import's place "
        "(cell 3) and its use in cell 5, which then would not call "
        "viz_utils.visualize_gradient_norms"
    )


@pytest.mark.parametrize(
    "rebinding",
    [
        "globals()['visualize_gradient_norms'] = print",
        "globals().update(visualize_gradient_norms=print)",
        "globals().update({'visualize_gradient_norms': print})",
        "import __main__\n__main__.visualize_gradient_norms = print",
        "import sys\nsetattr(sys.modules[__name__], 'visualize_gradient_norms', print)",
        # Round 52b: IPython's push given the names it binds.
        "get_ipython().push({'visualize_gradient_norms': print})",
        "visualize_gradient_norms = print\nget_ipython().push('x visualize_gradient_norms')",
    ],
)
def test_an_assignment_through_globals_naming_the_name_is_an_assignment(catalog, rebinding):
    """It surely rebinds the name: cell 5 never ran cell 3's def, and the import goes to the
    import cell above, as for `visualize_gradient_norms = print`."""
    result, sources = _migrated_with_between(catalog, rebinding)
    assert result.report.kept == ()
    assert sources[2].endswith("\nfrom viz_utils import visualize_gradient_norms")
    assert sources[4] == rebinding


@pytest.mark.parametrize(
    "rebinding",
    [
        "ip = get_ipython()\nip.push({'visualize_gradient_norms': 5})",
        "ip = get_ipython()\nip.run_cell('visualize_gradient_norms = 5');",
        "ip = get_ipython()\nip.run_cell_magic('capture', 'visualize_gradient_norms', 'print(1)')",
        "ip.push(options)",  # the shell's name bound in another cell, below
    ],
)
def test_ipythons_shell_held_under_a_name_binds_as_get_ipython_does(catalog, rebinding):
    """Round 60a F5: through `ip = get_ipython()`, `push`, `run_cell` and `run_cell_magic`
    bind the name as they do called on `get_ipython()`: the import goes below them, and
    `run_cell('f = 5')` is not said to look `f` up by name."""
    text = notebook_text(
        TITLE,
        code(IMPORTS["source"] + "\nip = get_ipython()"),
        code(rebinding),
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)"),
    )
    result, sources = migrate_text(text, catalog)
    assert sources[2].endswith("ip = get_ipython()")
    assert sources[4].startswith("from viz_utils import visualize_gradient_norms")
    assert not [warning for warning in result.report.warnings if "by name" in warning]


SUM_DEF = "def sum(xs):\n    return float(np.nansum(xs))"


def test_the_import_does_not_capture_a_use_of_the_builtin_of_its_name(tmp_path):
    """Cell 3 ran the builtin `sum` (nan), the notebook's `sum` being defined below it: in the
    import cell, the library's `sum` would run there instead (3.0; sweep G repro_8)."""
    library = tmp_path / "statlib.py"
    library.write_text(f'import numpy as np\n__all__ = ["sum"]\n\n{SUM_DEF}\n', encoding="utf-8")
    catalog = load_catalog(str(library))
    above = "print(sum([1, float('nan')]))"
    text = notebook_text(TITLE, IMPORTS, code(above), code(SUM_DEF), code("sum([1, 2])"))
    result, sources = migrate_text(text, catalog)
    assert sources[2] == "import numpy as np\nimport matplotlib.pyplot as plt"  # IMPORTS
    assert sources[4] == "from statlib import sum"
    assert [found.name for found in result.report.replaced] == ["sum"]


@pytest.mark.parametrize(
    "above",
    ["display('a')", "def show():\n    display('a')\n\n\nshow()"],
)
def test_the_import_does_not_capture_a_use_of_ipythons_builtin_of_its_name(tmp_path, above):
    """Sweep 24: a helper named `display`, which IPython puts in the kernel's builtins: cell
    3 ran IPython's (directly, or through a function), and the import above it made it run
    the library's; the direct use was said to have raised NameError."""
    library = tmp_path / "shows.py"
    pasted = "def display(x):\n    print('lib', x)"
    library.write_text(f"{pasted}\n", encoding="utf-8")
    text = notebook_text(TITLE, IMPORTS, code(above), code(pasted), code("display('b')"))
    result, sources = migrate_text(text, load_catalog(str(library)))
    assert sources[2] == "import numpy as np\nimport matplotlib.pyplot as plt"  # IMPORTS
    assert sources[4] == "from shows import display"
    assert [found.name for found in result.report.replaced] == ["display"]
    assert not any("NameError" in warning for warning in result.report.warnings)


_TWICE = "def twice(x):\n    return 2 * x"


def _twice_library(tmp_path):
    """A library `helpers.py` whose `twice` is the notebooks' pasted copy (`_TWICE`)."""
    library = tmp_path / "helpers.py"
    library.write_text(f"{_TWICE}\n", encoding="utf-8")
    return load_catalog(str(library))


@pytest.mark.parametrize(
    "above",
    [
        "ns = globals()\nns['tw' + 'ice'] = 'patched'",
        "v = vars()\nv['twice'] = 'patched'",
        "ns = get_ipython().user_ns\nns['twice'] = 'patched'",
        "import sys\nsys.modules['__main__'].__dict__.update({'twice': 'patched'})",
        "import builtins\nbuiltins.twice = 'patched'",
    ],
)
def test_the_import_goes_below_a_binding_through_the_namespace_by_another_name(tmp_path, above):
    """Sweep 25 (run before and after): cell 3 binds `twice` through an alias of the
    namespace, or the builtins, and prints it; the def in cell 4 rebound it. The import
    placed in the import cell made the print see the library's function and cell 5 call
    the string (TypeError), and cell 3 was said to have raised NameError."""
    text = notebook_text(
        TITLE, IMPORTS, code(f"{above}\nprint(twice)"), code(_TWICE), code("print(twice(5))")
    )
    result, sources = migrate_text(text, _twice_library(tmp_path))
    assert [found.name for found in result.report.replaced] == ["twice"]
    assert sources[2] == "import numpy as np\nimport matplotlib.pyplot as plt"  # IMPORTS
    assert sources[4] == "from helpers import twice"
    assert not any("NameError" in warning for warning in result.report.warnings)


def test_an_alias_of_the_namespace_between_the_import_and_a_use_keeps_the_definition(
    tmp_path,
):
    """Through `g`, any name may be assigned in any later cell, which is not followed: the
    definition is kept, and the report names the alias (reading through it only is the
    same text)."""
    alias = "g = globals()\nprint(len(g) > 0)"
    text = notebook_text(TITLE, IMPORTS, code(_TWICE), code(alias), code("print(twice(5))"))
    result, _ = migrate_text(text, _twice_library(tmp_path))
    kept = (
        "kept twice (cell 3): the alias of globals() in cell 4 may rebind twice between the "
        "import's place (cell 3) and its use in cell 5, which then would not call helpers.twice"
    )
    assert [(found.code, found.message) for found in result.report.kept] == [("NBR230", kept)]


def test_an_alias_of_the_namespace_in_a_function_binds_nothing(tmp_path):
    """Counted in a function, `g = globals()` would keep every definition whenever the
    function may run (NBR214), and such a function mostly reads through it."""
    show = "def show_vars():\n    g = globals()\n    print(sorted(g))"
    text = notebook_text(TITLE, IMPORTS, code(show), code(_TWICE), code("print(twice(5))"))
    result, sources = migrate_text(text, _twice_library(tmp_path))
    assert [found.name for found in result.report.replaced] == ["twice"]
    assert result.report.kept == ()
    assert sources[2].endswith("from helpers import twice")


def test_the_name_is_not_merged_into_an_import_binding_it_to_another_function(catalog):
    """`from viz_utils import f, g as f` binds g: the alias comes after whatever the order,
    and cell 3 uses it (sweep I repro_2: `inline f: 2` became `100`)."""
    alias = "from viz_utils import visualize_entropy_heatmap as visualize_gradient_norms"
    text = notebook_text(
        TITLE,
        code(alias),
        code("visualize_gradient_norms(g)"),
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)"),
    )
    result, sources = migrate_text(text, catalog)
    assert [found.name for found in result.report.replaced] == ["visualize_gradient_norms"]
    assert sources[2] == alias
    assert sources[4].startswith("from viz_utils import visualize_gradient_norms")


@pytest.mark.parametrize(
    "line",
    [
        "sys.path.append('../src')",
        "sys.path.insert(0, '..')",
        "os.chdir('..')",
        "%cd ..",
        # Sweep 24: sys.path imported by name, a magic run by name.
        "from sys import path\npath.append('../src')",
        "get_ipython().run_line_magic('cd', '..')",
        "sys.\uff50ath.insert(0, '..')",  # Python reads the fullwidth p as `path` (NFKC)
        # Round 57a F1: sys and sys.path under another name, or through an expression
        "from sys import path as P\nP.insert(0, '..')",
        "from sys import path\npath[:0] = ['..']",
        "import sys as _s\n_s.path.append('../src')",
        "os.sys.path.append('../src')",
        "__import__('sys').path.insert(0, '..')",
        "sys.modules['sys'].path.insert(0, '..')",
        # Round 60a F2: the folder pushed, and a `%cd` under a block, are `%cd` too
        "if not os.path.exists('viz_utils.py'):\n    %cd ..",
        "try:\n    %cd ..\nexcept Exception:\n    pass",
        "for _ in range(1):\n    %pushd ..",
    ],
)
def test_the_import_goes_after_a_line_that_changes_where_imports_are_found(catalog, line):
    """The import cell makes the module importable after its imports: above that line, the
    import would fail (sweep I repro_5)."""
    cell = f"import os, sys\nimport numpy as np\n{line}"
    text = notebook_text(TITLE, code(cell), code(GRAD_DEF), code("visualize_gradient_norms(g)"))
    _, sources = migrate_text(text, catalog)
    assert sources[2] == f"{cell}\nfrom viz_utils import visualize_gradient_norms"


@pytest.mark.parametrize(
    "line", ["%pushd ..", "%popd", "get_ipython().run_line_magic('pushd', '..')"]
)
def test_a_folder_stack_line_ending_the_import_cell_moves_the_import_to_the_definition(
    catalog, line
):
    """Round 60a F2: `%pushd ..` ending the import cell shows the folder stack; the import
    below it would end the cell, and IPython would show nothing."""
    cell = f"import os, sys\nimport numpy as np\n{line}"
    text = notebook_text(TITLE, code(cell), code(GRAD_DEF), code("visualize_gradient_norms(g)"))
    _, sources = migrate_text(text, catalog)
    assert sources.get(2, cell) == cell
    assert sources[3].startswith("from viz_utils import visualize_gradient_norms\n")


@pytest.mark.parametrize(
    ("line", "moved"),
    [
        ("sys.path.insert(0, 'vendor')", True),
        ("os.chdir('..')", True),
        ("%cd ..", True),
        # Sweep 24: sys.path imported by name, the folder pushed, a magic run by name.
        ("from sys import path as search\nsearch.append('vendor')", True),
        ("%pushd vendor", True),
        ("get_ipython().run_line_magic('cd', 'vendor')", True),
        ("!pip install -q viz-utils==0.1", True),  # the library itself
        ("%pip install matplotlib", True),  # a package viz_utils imports
        ("!pip install -q transformers datasets", False),  # nothing the library needs
        # Re-check 42: other spellings, and installs naming no package
        ("!pip3 install matplotlib", True),
        ("!pip  install -q matplotlib", True),
        ("!pip install -r requirements.txt", True),
        ("%pip install -e ..", True),
        ("!pip install ./wheels/plots-1.0-py3-none-any.whl", True),
        ("!apt-get install -y graphviz", False),
        ("# sys.path.insert(0, 'vendor')", False),  # a comment
        # Sweep T: a package the library imports, imported only now (after an install the
        # text does not show, or the environment it reads: `os.environ[...]`).
        ("install('matplotlib')\nimport matplotlib.pyplot as plt", True),
        ("os.environ['MPLBACKEND'] = 'Agg'\nfrom matplotlib import pyplot", True),
        ("import pandas as pd", False),
        ("import json", False),
        ("import numpy.linalg as la", False),  # numpy: the import cell imported it already
    ],
)
@pytest.mark.parametrize("own_cell", [False, True])
def test_a_later_cell_making_modules_findable_moves_the_import_to_the_definition(
    catalog, line, moved, own_cell
):
    """Sweep O repro_3: cell 3 puts the package on the path (or installs it) after the
    import cell; imported in cell 2, the module could not be found, or not import what it
    needs. Sweep 20 repro_1: the same line above the def in its own cell rules out the
    import cell and the top of that cell: the import goes where the def was."""
    cells = [code(f"{line}\n\n{GRAD_DEF}")] if own_cell else [code(line), code(GRAD_DEF)]
    text = notebook_text(
        TITLE,
        code("import os, sys\nimport numpy as np"),
        *cells,
        code("visualize_gradient_norms(g)"),
    )
    _, sources = migrate_text(text, catalog)
    if not moved:
        assert sources[2].endswith("\nfrom viz_utils import visualize_gradient_norms")
        return
    assert sources[2] == "import os, sys\nimport numpy as np"
    imported = "from viz_utils import visualize_gradient_norms\n"
    assert sources[3 if own_cell else 4] == (f"{line}\n\n{imported}" if own_cell else imported)


@pytest.mark.parametrize(
    ("imports", "line", "moved"),
    [
        ("from sys import path", "path.append('../src')", True),
        ("from sys import path as P", "P.append('../src')", True),
        ("from sys import path as P", "P.insert(0, '../src')", True),
        ("from sys import path", "path += ['../src']", True),
        ("import sys as _s", "_s.path.append('../src')", True),
        ("import sys as system", "system.path.insert(0, '../src')", True),
        ("import importlib", "importlib.import_module('sys').path.insert(0, '..')", True),
        ("import sys\nsearch = sys.path", "search.insert(0, '../src')", True),
        # The names bound to sys.path, read where they change it only
        ("from sys import path", "data = os.path.join('..', 'data')", False),
        ("from sys import path", "print(len(path))", False),
        ("import sys as _s", "print(_s.version)", False),
    ],
)
@pytest.mark.parametrize("own_cell", [False, True])
def test_a_later_cell_changing_the_path_by_another_name_moves_the_import_to_the_definition(
    catalog, imports, line, moved, own_cell
):
    """Round 57a F1: the import cell binds sys.path or sys to a name (`from sys import path`,
    `import sys as _s`) and a later cell changes the path by it: the import went to the
    import cell, above the change, and raised ModuleNotFoundError. As for
    `sys.path.append` there, it goes to the definition's cell, below the change."""
    cells = [code(f"{line}\n\n{GRAD_DEF}")] if own_cell else [code(line), code(GRAD_DEF)]
    first = f"{imports}\nimport os\nimport numpy as np"
    text = notebook_text(TITLE, code(first), *cells, code("visualize_gradient_norms(g)"))
    _, sources = migrate_text(text, catalog)
    imported = "from viz_utils import visualize_gradient_norms"
    if not moved:
        assert sources[2] == f"{first}\n{imported}"
        return
    assert sources[2] == first
    assert sources[3 if own_cell else 4] == (
        f"{line}\n\n{imported}\n" if own_cell else f"{imported}\n"
    )


ADD_PATH = "def add_path(p):\n    if p not in sys.path:\n        sys.path.insert(0, p)\n"


@pytest.mark.parametrize(
    "setup",
    [
        "add_path('../src')",
        "def setup():\n    add_path('../src')\n\nsetup()",  # a function calling one
    ],
)
def test_the_import_goes_after_a_call_of_a_function_changing_where_imports_are_found(
    catalog, setup
):
    """Re-check 41: the import cell defines `add_path`, whose body changes `sys.path`, then
    calls it; the import went between the `def` and the call, where no module is found."""
    cell = f"import sys\n{ADD_PATH}{setup}"
    text = notebook_text(TITLE, code(cell), code(GRAD_DEF), code("visualize_gradient_norms(g)"))
    _, sources = migrate_text(text, catalog)
    assert sources[2] == f"{cell}\nfrom viz_utils import visualize_gradient_norms"


@pytest.mark.parametrize(("call", "moved"), [("add_path('../src')", True), ("print(1)", False)])
def test_a_later_cell_calling_a_function_changing_where_imports_are_found_moves_the_import(
    catalog, call, moved
):
    """Re-check 41: `add_path` is defined in the import cell and called in the next one:
    an import added to the import cell ran before the call and found no module."""
    text = notebook_text(
        TITLE,
        code(f"import sys\n{ADD_PATH}"),
        code(call),
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)"),
    )
    _, sources = migrate_text(text, catalog)
    imported = "from viz_utils import visualize_gradient_norms"
    assert (imported in sources[2]) is not moved
    assert (sources[4] == imported + "\n") is moved


@pytest.mark.parametrize(
    ("cells", "functions"),
    [
        ([f"import sys\n{ADD_PATH}"], {"add_path"}),
        # called by another function, in another cell: both change it
        ([ADD_PATH, "def setup():\n    add_path('src')\n"], {"add_path", "setup"}),
        (["async def go(a,\n   b):\n    # where\n\n    os.chdir(a)\n"], {"go"}),
        (["sys.path.insert(0, 'src')\ndef f():\n    pass\n"], set()),  # at column 0
        (["class Paths:\n    def add(self):\n        sys.path.append('src')\n"], set()),
        (["def f():\n    return 1\nx = [\n    sys.path,\n]\n"], set()),  # after the def
        (["def add_path(p): sys.path.insert(0, p)\n"], {"add_path"}),  # re-check 43
        (["def f():\n    # sys.path.append('src')\n    pass\n"], {"f"}),  # the safe side
        # Round 57a F1: sys.path or sys bound to another name, in a cell above
        (["from sys import path as P", "def add(p):\n    P.insert(0, p)\n"], {"add"}),
        (["import sys as _s", "def add(p):\n    _s.path.append(p)\n"], {"add"}),
        (["from sys import path", "def f(p):\n    return os.path.join(p, 'x')\n"], set()),
    ],
)
def test_the_functions_changing_where_imports_are_found_are_read_from_the_text(cells, functions):
    assert path_changing_functions(cells) == functions


@pytest.mark.parametrize(
    ("line", "follows"),
    [
        ("!pip install -q fakebk", True),  # a package the library may import, or not
        ("%pip install ./wheels/fakebk-1.0-py3-none-any.whl", True),
        ("!pip3  install -r requirements.txt", True),
        ("subprocess.check_call([sys.executable, '-m', 'pip', 'install', 'fakebk'])", True),
        ("# !pip install fakebk", False),  # a comment
        # Re-check 43: the word in a name or a comment; the cell's last value stays shown
        ("ok = md.version('ipython') > '0'  # installed?", False),
        ("installed = ['numpy']", False),
    ],
)
def test_the_import_goes_after_a_line_installing_a_package_in_the_import_cell(
    catalog, line, follows
):
    """Re-check 42: `!pip install` below the import cell's imports: the import went above
    it, and the library's first import of the package found none."""
    cell = f"import os, sys, subprocess\n{line}"
    text = notebook_text(TITLE, code(cell), code(GRAD_DEF), code("visualize_gradient_norms(g)"))
    _, sources = migrate_text(text, catalog)
    imported = "from viz_utils import visualize_gradient_norms"
    expected = f"{cell}\n{imported}" if follows else cell.replace("\n", f"\n{imported}\n", 1)
    assert sources[2] == expected


def test_a_use_of_the_builtin_is_worded_as_such():
    captures = reasons.ImportCaptures("sum", 3, BUILTIN, 0, 2, may_not_run=False)
    assert messages.describe(captures) == (
        "the import (cell 2) would rebind sum before its use in cell 3, which uses the builtin sum"
    )


def test_the_import_does_not_capture_a_use_past_a_line_that_may_not_bind(catalog):
    """Cell 4 uses what `%run` may bind, or else cell 2's import from utils: an import added
    to cell 2 would capture that use when `%run` binds nothing (found by a property test)."""
    utils = "import matplotlib.pyplot as plt\nfrom utils.colab.visualizations import visualize_gradient_norms"
    text = notebook_text(
        TITLE,
        code(utils),
        code("%run setup.py"),
        code("visualize_gradient_norms(g)"),
        code(GRAD_DEF),
    )
    result, sources = migrate_text(text, catalog)
    assert sources[2] == utils
    assert sources[5] == "from viz_utils import visualize_gradient_norms\n"
    assert [found.name for found in result.report.replaced] == ["visualize_gradient_norms"]


@pytest.mark.parametrize(
    "last",
    ["%run -i helpers.py", "%run helpers.ipynb", "get_ipython().run_line_magic('run', 'x.py')"],
)
def test_the_import_does_not_capture_a_use_of_what_the_import_cells_last_line_may_bind(
    catalog, last
):
    """Re-check 42: the import cell ends with `%run`, which may bind the name (cell 3 used
    the script's function); the import, placed after that line, sat at the very position
    the line's binding was counted at, and was not seen to capture cell 3's use."""
    cell = f"import matplotlib.pyplot as plt\n{last}"
    text = notebook_text(
        TITLE,
        code(cell),
        code("visualize_gradient_norms(g)"),
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)"),
    )
    result, sources = migrate_text(text, catalog)
    assert sources[2] == cell
    assert sources[4] == "from viz_utils import visualize_gradient_norms\n"
    assert [found.name for found in result.report.replaced] == ["visualize_gradient_norms"]


@pytest.mark.parametrize(
    "rebinding",
    [
        "globals()['visualize_gradient_norms'] = print",
        "import __main__\n__main__.visualize_gradient_norms = print",
        "import sys\nsetattr(sys.modules[__name__], 'visualize_gradient_norms', print)",
    ],
)
def test_the_import_goes_above_an_assignment_through_the_module(catalog, rebinding):
    """With the import cell below the rebinding, the import goes where the definition was:
    in the import cell it would rebind the name after `print` had, for the use in cell 5."""
    text = notebook_text(
        TITLE, code(GRAD_DEF), code(rebinding), IMPORTS, code("visualize_gradient_norms(g)")
    )
    result, sources = migrate_text(text, catalog)
    assert result.report.kept == ()
    assert sources[2] == "from viz_utils import visualize_gradient_norms\n"
    assert sources[4] == "import numpy as np\nimport matplotlib.pyplot as plt"  # IMPORTS


@pytest.mark.parametrize(
    "line",
    [
        "print('K' in globals(), globals().get('K'))",  # look-ups
        "globals()['other'] = print",  # another name
        "def f(code):\n    exec(code)",  # a function's own locals
        "def f(code):\n    return locals().update(x=1)",
        "stack.push(1)",
        "get_ipython().run_line_magic('matplotlib', 'inline')",
        "get_ipython().run_line_magic('precision', '3')",
        "%watermark -v\n%precision 3\n%who",
        "%load_ext autoreload\n%autoreload 2",
        "%time g = np.ones(3)",  # the code in sight binds g only
        "import __main__\nprint(__main__.visualize_gradient_norms)",
        "setattr(obj, 'visualize_gradient_norms', print)",
        # Round 52b: IPython's push and del_var of other names, in a body too.
        "get_ipython().push({'_n': 1})",
        "get_ipython().push('a b')",
        "get_ipython().del_var('x')",
        "def keep(x):\n    get_ipython().push({'_n': x})\n\n\nkeep(1)",
    ],
)
def test_what_binds_no_watched_name_changes_nothing(catalog, line):
    result, _ = _migrated_with_between(catalog, line)
    assert result.report.kept == ()
    assert [found.name for found in result.report.replaced] == ["visualize_gradient_norms"]


@pytest.mark.parametrize(
    ("body", "through"),
    [
        ("globals()['visualize_gradient_norms'] = print", "globals()"),
        ("globals().update(settings)", "globals()"),
        ("exec(code, globals())", "exec"),
        ("get_ipython().run_line_magic('run', code)", "%run"),
        ("get_ipython().run_line_magic('store', '-r')", "a line magic"),
        ("get_ipython().push(settings)", "get_ipython()"),
    ],
)
def test_a_body_rebinding_the_name_through_globals_keeps_the_definitions(catalog, body, through):
    text = notebook_text(
        TITLE,
        code(GRAD_DEF),
        code(f"def setup(settings, code):\n    {body}"),
        code("setup({}, '')"),
        IMPORTS,
        code("visualize_gradient_norms(g)"),
    )
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    assert [(found.code, found.reason) for found in result.report.kept] == [
        (
            "NBR214",
            (
                f"the function or class on line 1 of cell 3 may rebind visualize_gradient_norms "
                f"through {through} when it runs, and no one import can stand for that"
            ),
        )
    ]


@pytest.mark.parametrize(
    ("script", "moved"),
    [("import sys\nsys.path.insert(0, 'lib')\n", True), ("VALUE = 1\n", False)],
)
@pytest.mark.parametrize("module", ["setup_paths", "SetupPaths"])
def test_importing_a_script_beside_the_notebook_that_changes_the_path_counts(
    catalog, tmp_path, script, moved, module
):
    """Sweep 22 repro_3: cell 3 imports setup_paths.py, beside the notebook, which puts lib/
    on the path: the library is found only after it, as after a `sys.path` line there."""
    (tmp_path / f"{module}.py").write_text(script, encoding="utf-8")
    text = notebook_text(
        TITLE,
        code("import os, sys\nimport numpy as np"),
        code(f"import {module}"),
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)"),
    )
    _, sources = migrate_text(text, catalog, folder=tmp_path)
    imported = "from viz_utils import visualize_gradient_norms"
    if moved:
        assert sources[2] == "import os, sys\nimport numpy as np"
        assert sources[4] == f"{imported}\n"
    else:
        assert sources[2] == f"import os, sys\nimport numpy as np\n{imported}"


def test_a_cell_that_parses_once_its_broken_definition_goes_takes_the_import(catalog):
    """Sweep 25 X11: the cell did not parse only because of the definition's own body; once
    it is gone the cell is the import, which runs. `the import goes into cell 2, which does
    not parse, so it runs only once fixed` was said all the same."""
    header = GRAD_DEF.splitlines()[0]
    text = notebook_text(
        TITLE,
        code(f"{header}\n    return grad_norm_values *\n"),
        code("visualize_gradient_norms(g)"),
    )
    result, sources = migrate_text(text, catalog)
    assert [finding.name for finding in result.report.replaced] == ["visualize_gradient_norms"]
    assert sources[2] == "from viz_utils import visualize_gradient_norms\n"
    # Round 73a F11: the call below raised NameError (the definition never ran); it is said.
    assert result.report.warnings == (
        (
            "visualize_gradient_norms is used in cell 3, where running the notebook from the"
            " top raised NameError: its definition in cell 2 does not parse, so it never ran;"
            " the new import now binds it there"
        ),
    )


@pytest.mark.parametrize(
    ("cells", "kept"),
    [
        (  # sweep 29: the rc file set after the helpers was never read once migrated
            ['os.environ["MATPLOTLIBRC"] = "rc"\nimport matplotlib.pyplot as plt'],
            (
                "the import (cell 2) would import matplotlib, which the notebook first imports in"
                " cell 4, after cell 4 sets the environment or where modules are found"
            ),
        ),
        (
            ['os.environ["MPLBACKEND"] = "Agg"', "import matplotlib.pyplot as plt"],
            (
                "the import (cell 2) would import matplotlib, which the notebook first imports in"
                " cell 5, after cell 4 sets the environment or where modules are found"
            ),
        ),
        (
            ['sys.path.insert(0, "vendor")\nimport matplotlib.pyplot as plt'],
            (
                "the import (cell 2) would import matplotlib, which the notebook first imports in"
                " cell 4, after cell 4 sets the environment or where modules are found"
            ),
        ),
        (["import matplotlib.pyplot as plt"], None),  # nothing set up first
        (['# os.environ["X"] = "1"\nimport matplotlib.pyplot as plt'], None),  # a comment
        (['import matplotlib.pyplot as plt\nos.environ["X"] = "1"'], None),  # set after it
        # Re-check 29 (3): reads, names holding the word, and %env listing set nothing
        (['home = os.environ.get("HOME")\nimport matplotlib.pyplot as plt'], None),
        (['environment_name = "prod"\nimport matplotlib.pyplot as plt'], None),
        (["%env\nimport matplotlib.pyplot as plt"], None),
    ],
)
def test_an_import_that_would_import_a_package_before_the_notebook_sets_it_up_is_not_made(
    catalog, cells, kept
):
    """The notebook first imports matplotlib below its helpers, after setting the
    environment (or the path) for it: importing viz_utils in the import cell would import
    matplotlib first, before that, and at the def's place too. Every definition is kept."""
    text = notebook_text(
        TITLE,
        code("import os\nimport sys\nimport numpy as np"),
        code(GRAD_DEF),
        *(code(cell) for cell in cells),
        code("visualize_gradient_norms(g)"),
    )
    result, _ = migrate_text(text, catalog)
    if kept is None:
        assert [found.name for found in result.report.replaced] == ["visualize_gradient_norms"]
    else:
        assert [(found.code, found.reason) for found in result.report.kept] == [("NBR258", kept)]


@pytest.mark.parametrize(
    ("library", "kept"),
    [
        ("import os\nDATA_DIR = os.environ.get('DATA_DIR', 'data')\n", True),
        ("import os\nDATA_DIR = os.getenv('DATA_DIR', 'data')\n", True),
        ("DATA_DIR = 'data'\n", False),  # reads no environment: the order does not matter
    ],
)
def test_an_import_of_a_library_reading_the_environment_before_the_notebook_sets_it(
    tmp_path, library, kept
):
    """Round 49a: the library reads `DATA_DIR` from the environment when imported, and the
    notebook sets it before its own `from mylib import data_path`; the new import in the
    import cell imported the module first, and `data_path("a.csv")` gave `data/a.csv`
    instead of `/srv/data/a.csv`."""
    body = "def double(x):\n    return x * 2"
    (tmp_path / "mylib.py").write_text(
        f"{library}\n\n{body}\n\n\ndef data_path(name):\n    return DATA_DIR + name\n"
    )
    catalog = load_catalog(str(tmp_path / "mylib.py"))
    cells = ["import os", "os.environ['DATA_DIR'] = '/srv/data'", body, "print(double(2))"]
    cells.append("from mylib import data_path\nprint(data_path('a.csv'))")
    result, _ = migrate_text(notebook_text(TITLE, *(code(cell) for cell in cells)), catalog)
    if kept:
        assert [(found.code, found.reason) for found in result.report.kept] == [
            (
                "NBR258",
                (
                    "the import (cell 2) would import mylib, which the notebook first imports"
                    " in cell 6, after cell 3 sets the environment or where modules are found"
                ),
            )
        ]
    else:
        assert [found.name for found in result.report.replaced] == ["double"]


@pytest.mark.parametrize(
    ("library", "kept"),
    [
        ("import os\nAPI_KEY = os.environ['API_KEY']\n", True),
        ("from os import getenv\n\nclass Settings:\n    key = getenv('API_KEY')\n", True),
        # one of its functions, run at import, reads it
        ("import os\n\ndef _key():\n    return os.environ['API_KEY']\n\nKEY = _key()\n", True),
        ("from os import environ as env\nKEY = env['API_KEY']\n", True),
        # a class of its own, instantiated at import, whose method reads it
        (
            (
                "import os\n\nclass Settings:\n    def __init__(self):\n"
                "        self.key = os.environ['API_KEY']\n\nSETTINGS = Settings()\n"
            ),
            True,
        ),
        ("API_KEY = 'none'\n", False),  # reads no environment: the order does not matter
        # read only when its function is called, as the inline copy would have: no matter
        ("import os\n\ndef key():\n    return os.environ['API_KEY']\n", False),
        ("import os\nread = lambda: os.getenv('API_KEY')\n", False),
    ],
)
def test_a_first_import_of_a_library_reading_the_environment_stays_below_its_setting(
    tmp_path, library, kept
):
    """Round 50a N1: the notebook sets `API_KEY` and never imports the library itself; the
    new import, in the import cell above that line, raised KeyError, and `double` was
    unbound."""
    body = "def double(x):\n    return x * 2"
    (tmp_path / "mylib.py").write_text(f"{library}\n\n{body}\n")
    catalog = load_catalog(str(tmp_path / "mylib.py"))
    cells = ["import os", "os.environ['API_KEY'] = 'secret'", body, "print(double(2))"]
    result, _ = migrate_text(notebook_text(TITLE, *(code(cell) for cell in cells)), catalog)
    if kept:
        assert [(found.code, found.reason) for found in result.report.kept] == [
            (
                "NBR258",
                (
                    "the import (cell 2) would import mylib, which reads the environment,"
                    " before cell 3 sets the environment or where modules are found"
                ),
            )
        ]
    else:
        assert [found.name for found in result.report.replaced] == ["double"]


@pytest.mark.parametrize("setting", ['os.environ["MPLBACKEND"] = "Agg"', "%env MPLBACKEND=Agg"])
def test_the_import_goes_below_the_import_cells_setting_of_the_environment(catalog, setting):
    """Re-check 29 (3): the import went between the import cell's imports and its
    `os.environ` line, and viz_utils imported matplotlib before the backend was set."""
    text = notebook_text(
        TITLE,
        code(f"import os\nimport numpy as np\n{setting}"),
        code(GRAD_DEF),
        code("import matplotlib.pyplot as plt"),
        code("visualize_gradient_norms(g)"),
    )
    _, sources = migrate_text(text, catalog)
    assert sources[2] == (
        f"import os\nimport numpy as np\n{setting}\nfrom viz_utils import visualize_gradient_norms"
    )


def test_no_import_goes_after_a_use_that_ran_the_definition(catalog):
    """Round 53b: the notebook's import cell (cell 3) calls the helper and then may rebind
    it; the places above had problems, and the import went to the end of cell 3, after the
    call, which then raised NameError (the report only warned). Every definition is kept."""
    capture = (
        "match 3:\n    case visualize_gradient_norms:\n        print(visualize_gradient_norms)"
    )
    call = "visualize_gradient_norms(g)\nimport numpy as np\n"
    text = notebook_text(TITLE, code(GRAD_DEF), code(call + capture))
    result, sources = migrate_text(text, catalog)
    assert not result.changed
    assert sources[2] == GRAD_DEF
    assert [found.code for found in result.report.kept] == ["NBR230"]
    assert result.report.warnings == ()


def _geom_catalog(tmp_path, package):
    """A library whose module imports `package` at its top, and copies of its `area`."""
    body = f"def area(r):\n    return {package}.PI * r * r"
    (tmp_path / "mylib.py").write_text(f"import {package}\n\n\n{body}\n")
    return load_catalog(str(tmp_path / "mylib.py")), body


_WRITE_GEOM = "%%writefile geom.py\nPI = 3.14"
_OPEN_GEOM = 'with open("geom.py", "w") as fh:\n    fh.write("PI = 3.14\\n")'


@pytest.mark.parametrize(
    ("cells", "kept"),
    [
        (  # round 73b F1: the import above the write raised ModuleNotFoundError
            ["DEF", _WRITE_GEOM, "import geom"],
            (
                "the import (cell 2) would import geom, which the notebook first imports in"
                " cell 5, after cell 4 writes geom.py (`%%writefile geom.py`)"
            ),
        ),
        (
            ["DEF", _OPEN_GEOM, "import geom"],
            (
                "the import (cell 2) would import geom, which the notebook first imports in"
                ' cell 5, after cell 4 writes geom.py (`with open("geom.py", "w") as fh:`)'
            ),
        ),
        (
            ["DEF", "!echo 'PI = 3.14' > geom/__init__.py", "import geom"],
            (
                "the import (cell 2) would import geom, which the notebook first imports in"
                " cell 5, after cell 4 writes a file in geom/ (`!echo 'PI = 3.14' >"
                " geom/__init__.py`)"
            ),
        ),
        (  # in the cell of the notebook's first import, above it
            ["DEF", f"{_OPEN_GEOM}\nimport geom"],
            (
                "the import (cell 2) would import geom, which the notebook first imports in"
                ' cell 4, after cell 4 writes geom.py (`with open("geom.py", "w") as fh:`)'
            ),
        ),
        (["DEF", "%%writefile other.py\nPI = 3", "import geom"], None),  # another module
        (["DEF", "import geom", _WRITE_GEOM], None),  # imported before it is written
        (["DEF", "# open('geom.py', 'w')", "import geom"], None),  # a comment
        (["DEF", "!cat geom.py", "import geom"], None),  # a read
    ],
)
def test_an_import_above_a_cell_writing_a_module_the_library_imports_is_not_made(
    tmp_path, cells, kept
):
    """Round 73b F1: the library imports geom, which the notebook writes (`%%writefile
    geom.py`) below its copy of `area` and then imports; the new import in the import cell
    raised ModuleNotFoundError in a fresh folder, and read the old geom.py in another. The
    definitions are kept (NBR258), as for a line setting the environment."""
    catalog, body = _geom_catalog(tmp_path, "geom")
    sources = [body if cell == "DEF" else cell for cell in cells]
    cells_after = (code(cell) for cell in [*sources, "print(area(2))"])
    result, sources_after = migrate_text(
        notebook_text(TITLE, code("import math"), *cells_after), catalog
    )
    if kept is None:
        assert [found.name for found in result.report.replaced] == ["area"]
        assert sources_after[2] == "import math\nfrom mylib import area"
    else:
        assert [(found.code, found.reason) for found in result.report.kept] == [("NBR258", kept)]


@pytest.mark.parametrize(
    ("cells", "placed"),
    [
        ([_WRITE_GEOM, "DEF"], {4: "from mylib import area"}),  # round 73b F1
        ([_OPEN_GEOM, "DEF"], {4: "from mylib import area"}),
        ([f"{_OPEN_GEOM}\nDEF"], {3: f"{_OPEN_GEOM}\nfrom mylib import area"}),  # in its cell
    ],
)
def test_the_import_goes_below_a_cell_writing_a_module_the_library_imports(tmp_path, cells, placed):
    """Round 73b F1: the notebook writes geom.py, which the library imports, between its
    import cell and its copy of `area`: the import goes where the copy was, below the write,
    as it does below an install of a package the library imports."""
    catalog, body = _geom_catalog(tmp_path, "geom")
    sources = [cell.replace("DEF", body) for cell in [*cells, "import geom", "print(area(2))"]]
    result, sources_after = migrate_text(
        notebook_text(TITLE, code("import math"), *(code(cell) for cell in sources)), catalog
    )
    assert [found.name for found in result.report.replaced] == ["area"]
    assert sources_after[2] == "import math"
    assert {number: sources_after[number] for number in placed} == placed


def test_the_import_goes_below_a_write_of_a_module_the_library_imports_in_the_import_cell(
    tmp_path,
):
    """Round 73b F1: the import cell writes geom.py after its imports: the library's
    import goes below that line, as below an install there."""
    catalog, body = _geom_catalog(tmp_path, "geom")
    first = f"import math\n{_OPEN_GEOM}"
    cells = [code(first), code(body), code("import geom"), code("print(area(2))")]
    _, sources = migrate_text(notebook_text(TITLE, *cells), catalog)
    assert sources[2] == f"{first}\nfrom mylib import area"


@pytest.mark.parametrize(
    ("install", "kept"),
    [
        ("%pip install geomlib", True),  # round 73b F2: the Colab pattern
        ("!pip install -q geomlib==0.1", True),
        ("%conda install -y geomlib", True),
        ("!{sys.executable} -m pip install geomlib", True),
        ("!uv pip install geomlib", True),
        ("!pip install -r requirements.txt", True),  # may install anything
        ("%pip install other", False),  # a package the library does not import
        ("# %pip install geomlib", False),
    ],
)
def test_an_import_above_an_install_of_a_package_the_library_imports_is_not_made(
    tmp_path, install, kept
):
    """Round 73b F2: the copy of `area` comes first, then `%pip install geomlib` and the
    notebook's `import geomlib`; the new import in the import cell, above the install,
    raised ModuleNotFoundError. An install between the import cell and the copy moved the
    import already; one below the copy now keeps the definitions (NBR258)."""
    catalog, body = _geom_catalog(tmp_path, "geomlib")
    cells = ["import math", body, install, "import geomlib", "print(area(2))"]
    result, _ = migrate_text(notebook_text(TITLE, *(code(cell) for cell in cells)), catalog)
    if kept:
        assert [(found.code, found.reason) for found in result.report.kept] == [
            (
                "NBR258",
                (
                    "the import (cell 2) would import geomlib, which the notebook first"
                    f" imports in cell 5, after cell 4 installs packages (`{install}`)"
                ),
            )
        ]
    else:
        assert [found.name for found in result.report.replaced] == ["area"]


@pytest.mark.parametrize(
    ("setup", "kept"),
    [
        (
            "%pip install geomlib",
            (
                "the import (cell 2) would import geomlib before cell 4 installs packages"
                " (`%pip install geomlib`)"
            ),
        ),
        (
            "%%writefile geomlib.py\nPI = 3.14",
            (
                "the import (cell 2) would import geomlib before cell 4 writes geomlib.py"
                " (`%%writefile geomlib.py`)"
            ),
        ),
        ("%pip install other", None),
    ],
)
def test_an_import_above_the_setup_of_a_package_only_the_library_imports_is_not_made(
    tmp_path, setup, kept
):
    """Round 73b F2: the library imports geomlib for another function; the notebook never
    imports it, but installs (or writes) it below its copy of `area`: the new import in the
    import cell would import geomlib before it is there."""
    body = "def area(r):\n    return math.pi * r * r"
    volume = "def volume(r):\n    return geomlib.PI * r"
    (tmp_path / "mylib.py").write_text(f"import math\nimport geomlib\n\n\n{body}\n\n\n{volume}\n")
    catalog = load_catalog(str(tmp_path / "mylib.py"))
    cells = ["import math", body, setup, "print(area(2))"]
    result, _ = migrate_text(notebook_text(TITLE, *(code(cell) for cell in cells)), catalog)
    if kept is None:
        assert [found.name for found in result.report.replaced] == ["area"]
    else:
        assert [(found.code, found.reason) for found in result.report.kept] == [("NBR258", kept)]


@pytest.mark.parametrize(
    ("earlier", "uses", "ran"),
    [
        ("visualize_gradient_norms = lambda *args: 100", "visualize_gradient_norms(g)", True),
        ("visualize_gradient_norms = print", "visualize_gradient_norms(g)", True),
        # round 76a F1, F2: a use in a function's body; a conditional binding after another
        (
            "visualize_gradient_norms = print",
            "def show():\n    visualize_gradient_norms(g)\n\nshow()",
            True,
        ),
        (
            "visualize_gradient_norms = print\nif g:\n    visualize_gradient_norms = repr",
            "visualize_gradient_norms(g)",
            False,  # round 76b F8: it may have bound the name, or not
        ),
        ("exec(source)", "visualize_gradient_norms(g)", False),
        (  # round 77a F1: a conditional `del` between: NameError or cell 2's function
            "visualize_gradient_norms = print\nif g:\n    del visualize_gradient_norms",
            "visualize_gradient_norms(g)",
            False,
        ),
    ],
)
def test_a_broken_definition_below_the_notebooks_own_binding_is_kept(catalog, earlier, uses, ran):
    """Round 75b F8, 76a F1-F3: the notebook's own binding in cell 2, the copy in cell 3
    whose body does not parse: the code below ran cell 2's function (`print(f(3))` printed
    100), and would run the library's once migrated (4)."""
    header = GRAD_DEF.splitlines()[0]
    broken = code(f"{header}\n    return grad_norm_values *\n")
    text = notebook_text(TITLE, code(earlier), broken, code(uses))
    result, _sources = migrate_text(text, catalog)
    what = (
        "ran the visualize_gradient_norms of cell 2"
        if ran
        else "may have run a visualize_gradient_norms cell 2 may bind"
    )
    assert [(found.name, found.code, found.reason) for found in result.report.kept] == [
        (
            "visualize_gradient_norms",
            "NBR280",
            (
                f"its cell does not parse, so it never ran: the code below it {what}, where"
                " the import would bind viz_utils.visualize_gradient_norms"
            ),
        )
    ]


@pytest.mark.parametrize(
    "between",
    [
        "visualize_gradient_norms = lambda *args: 7",  # what the use below runs, either way
        GRAD_DEF,  # a copy that parses: replaced, and what the use below runs
    ],
)
def test_a_broken_definition_no_use_would_reach_is_not_kept_for_an_earlier_binding(
    catalog, between
):
    """Round 76b F6: the use below runs what cell 4 binds, before and after the migration."""
    header = GRAD_DEF.splitlines()[0]
    broken = code(f"{header}\n    return grad_norm_values *\n")
    earlier = code("visualize_gradient_norms = print")
    text = notebook_text(TITLE, earlier, broken, code(between), code("visualize_gradient_norms(g)"))
    result, _sources = migrate_text(text, catalog)
    assert not [found for found in result.report.kept if found.code == "NBR280"]


def test_a_broken_definition_below_an_import_of_its_name_is_replaced(catalog):
    """The import of the name above the copies is overridden on purpose (docs/migration.md):
    `from utils.colab.visualizations import visualize_gradient_norms` in the pruning demo."""
    header = GRAD_DEF.splitlines()[0]
    earlier = "from utils.colab.visualizations import visualize_gradient_norms"
    broken = code(f"{header}\n    return grad_norm_values *\n")
    text = notebook_text(TITLE, code(earlier), broken, code("visualize_gradient_norms(g)"))
    result, sources = migrate_text(text, catalog)
    assert [finding.name for finding in result.report.replaced] == ["visualize_gradient_norms"]
    assert sources[2] == f"{earlier}\nfrom viz_utils import visualize_gradient_norms"
    assert result.report.warnings == ()


def test_a_use_past_a_del_and_a_broken_definition_is_told(catalog):
    """Round 76b F7: `del` in cell 2, the copy whose body does not parse in cell 3: cell 4
    raised NameError, and runs the library's function once migrated."""
    header = GRAD_DEF.splitlines()[0]
    earlier = code("visualize_gradient_norms = print\ndel visualize_gradient_norms")
    broken = code(f"{header}\n    return grad_norm_values *\n")
    text = notebook_text(TITLE, earlier, broken, code("visualize_gradient_norms(g)"))
    result, _sources = migrate_text(text, catalog)
    assert [finding.name for finding in result.report.replaced] == ["visualize_gradient_norms"]
    assert result.report.warnings == (
        (
            "visualize_gradient_norms is used in cell 4, where running the notebook from the"
            " top raised NameError: its definition in cell 3 does not parse, so it never ran;"
            " the new import now binds it there"
        ),
    )


def test_a_copy_in_a_cell_only_another_copy_breaks_is_replaced_beside_an_earlier_binding(
    catalog,
):
    """A property test's find: the copy of cell 3 parses, the cell breaks on another copy's
    body, which goes; the cell then runs this copy, kept or not. Kept (`NBR280`), a second
    migration replaced it, and the check before writing refused the first."""
    broken_other = "def visualize_attention_matrix(attn_matrix):\n    return (attn_matrix\n"
    text = notebook_text(
        TITLE,
        code("visualize_gradient_norms = print"),
        code(f"{broken_other}{GRAD_DEF}"),
        code("visualize_gradient_norms(g)"),
    )
    result, _sources = migrate_text(text, catalog)
    assert sorted(found.name for found in result.report.replaced) == [
        "visualize_attention_matrix",
        "visualize_gradient_norms",
    ]

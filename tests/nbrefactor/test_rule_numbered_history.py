"""Rule: a definition whose removal empties its cell is kept when a later cell reads
IPython's numbered history (`rules/numbered_history.py`): IPython numbers no empty cell."""

from __future__ import annotations

import pytest
from conftest import GRAD_DEF, IMPORTS, TITLE, code, migrate_text, notebook_text


@pytest.mark.parametrize(
    ("reader", "shown"),
    [
        ("print(_5)", "_5"),
        ("print(_i5)", "_i5"),
        ("print(Out[5])", "Out"),
        ("print(In [5])", "In"),
        ("%rerun 5", "%rerun"),
        ("%save -r saved 1-5", "%save"),
        ("get_ipython().run_line_magic('recall', '5')", "run_line_magic('recall'"),
        # Re-check 41: counted back from the last input, or how many cells ran.
        ("print(_iii)", "_iii"),
        ("print(_ii)", "_ii"),
        ("n = len(In)", "In"),
        ("n = len(_ih )", "_ih"),
        ("print(get_ipython().execution_count)", "execution_count"),
        # Re-check 46: the history's methods, the shell named in another cell, its history.
        ("print(list(Out.keys()))", "Out"),
        ("print(Out .get(5))", "Out"),
        ("ip = get_ipython()\nprint(ip.history_manager.get_range())", "history_manager"),
        ("print(len(get_ipython().history_manager.input_hist_raw))", "history_manager"),
    ],
)
def test_a_definition_alone_in_its_cell_is_kept_when_a_later_cell_reads_numbered_history(
    catalog, reader, shown
):
    """Sweep 24 repro_1: cell 3 left empty gets no number, and `_5` named another cell."""
    text = notebook_text(
        TITLE, IMPORTS, code(GRAD_DEF), code("visualize_gradient_norms(g)"), code(reader)
    )
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    (kept,) = result.report.kept
    assert kept.code == "NBR252"
    assert kept.message == (
        "kept visualize_gradient_norms (cell 3): removing it leaves cell 3 empty, which IPython"
        f" does not number, and cell 5 reads IPython's numbered history ({shown}): each later"
        " cell's number would shift"
    )


def test_the_shell_named_in_another_cell_counts(catalog):
    """Re-check 46: `ip = get_ipython()` in the import cell, `ip.execution_count` in cell 5
    (5 before, 4 after)."""
    imports = code(IMPORTS["source"] + "\nip = get_ipython()")
    cells = [code(GRAD_DEF), code("visualize_gradient_norms(g)"), code("print(ip.execution_count)")]
    result, _ = migrate_text(notebook_text(TITLE, imports, *cells), catalog)
    assert not result.changed
    assert [(kept.code, kept.cell) for kept in result.report.kept] == [("NBR252", 3)]


@pytest.mark.parametrize(
    "cells",
    [
        # Nothing reads the history by number.
        [code(GRAD_DEF), code("visualize_gradient_norms(g)\nlayer_5 = x_1 + 1_000")],
        [code(GRAD_DEF), code("print(_)")],
        [code(GRAD_DEF), code("x_i = self._ii + len(Input) + _iiii + f(x.In)")],  # others
        # Re-check 43: a loop's `_i`, a cell's own execution_count read with nbformat
        [code(GRAD_DEF), code("for _i in range(2):\n    print(_i)")],
        [code(GRAD_DEF), code("counts = [c.execution_count for c in nb.cells]")],
        # The history is read above the emptied cell only.
        [code("print(_1)"), code(GRAD_DEF), code("visualize_gradient_norms(g)")],
        # The cell keeps a statement: its number stays.
        [code(f"{GRAD_DEF}\n\nprint('ready')"), code("print(Out[4])")],
        # It keeps a comment, which IPython numbers too (sweep 28): above a blank line, or
        # below the body and not indented.
        [code(f"# plots\n\n{GRAD_DEF}"), code("print(Out[4])")],
        [code(f"{GRAD_DEF}# end of the plots"), code("print(Out[4])")],
    ],
)
def test_the_definition_is_replaced_when_no_later_number_moves(catalog, cells):
    text = notebook_text(TITLE, IMPORTS, *cells)
    result, _ = migrate_text(text, catalog)
    assert [found.name for found in result.report.replaced] == ["visualize_gradient_norms"]
    assert result.report.kept == ()


@pytest.mark.parametrize(
    "cell",
    [
        f"# plots the norms\n{GRAD_DEF}",  # the comment touching the def goes with it
        f"{GRAD_DEF}    # the end of its body\n",  # indented: its block's footer
    ],
)
def test_a_cell_whose_comments_go_with_the_definition_is_emptied(catalog, cell):
    text = notebook_text(
        TITLE, IMPORTS, code(cell), code("visualize_gradient_norms(g)"), code("print(_5)")
    )
    result, _ = migrate_text(text, catalog)
    assert [found.code for found in result.report.kept] == ["NBR252"]

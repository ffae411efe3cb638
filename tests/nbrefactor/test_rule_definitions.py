"""Rule: which inline definitions are replaced and which are kept (`rules/definitions.py`), and the gate before it."""

from __future__ import annotations

import pytest
from conftest import (
    GRAD_DEF,
    HEATMAP_DEF,
    IMPORTS,
    TITLE,
    code,
    migrate_text,
    notebook_text,
)


def test_replaced_definition_is_removed_and_imported(catalog):
    text = notebook_text(TITLE, IMPORTS, code(GRAD_DEF), code("visualize_gradient_norms(g)"))
    result, sources = migrate_text(text, catalog)
    assert sources[3] == ""
    assert sources[2].endswith(
        "import matplotlib.pyplot as plt\nfrom viz_utils import visualize_gradient_norms"
    )
    assert sources[4] == "visualize_gradient_norms(g)"
    assert result.report.replaced[0].message.startswith(
        "replaced visualize_gradient_norms (cell 3)"
    )


def test_kept_definition_beside_replaced_one(catalog):
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(HEATMAP_DEF),
        code(GRAD_DEF),
        code(
            "visualize_gradient_norms(g)\nvisualize_entropy_heatmap(e, 't', None, 0.0, True, 'magma')"
        ),
    )
    result, sources = migrate_text(text, catalog)
    assert sources[3] == HEATMAP_DEF
    assert sources[4] == ""
    assert tuple(found.message for found in result.report.kept) == (
        (
            "kept visualize_entropy_heatmap (cell 3): call in cell 5 passes 6 positional arguments "
            "but viz_utils.visualize_entropy_heatmap takes at most 5"
        ),
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


def test_cell_magic_cells_are_never_edited(catalog):
    text = notebook_text(
        TITLE,
        IMPORTS,
        code("%%time\n" + GRAD_DEF),
        code("%%bash\necho def visualize_gradient_norms(x):"),
    )
    result, _sources = migrate_text(text, catalog)
    assert not result.changed
    assert tuple(found.message for found in result.report.kept) == (
        "kept visualize_gradient_norms (cell 3): the cell starts with %%time; cells with cell magics are not edited",
        "kept visualize_gradient_norms (cell 4): the cell is a %%bash cell, not read as Python; it is never edited",
    )
    assert not any("skipped cell 4" in note for note in result.report.notes)


def test_a_cell_magic_line_indented_alone_is_not_called_a_cell_magic_cell(catalog):
    """Round 62a M2: ` %%writefile x.py` above lines at column 0 was called "a %%writefile
    cell"; IPython 9 removes only the indentation all lines share, and the cell raised
    IndentationError (IPython 8 runs the magic). A cell indented whole runs the magic in
    both, and keeps its reason."""
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(" %%writefile x.py\n" + GRAD_DEF),
        code("\n  %%time\n" + GRAD_DEF.replace("\n ", "\n   ")),
        code("  %%writefile x.py\n" + "".join(f"  {line}\n" for line in GRAD_DEF.splitlines())),
    )
    result, _sources = migrate_text(text, catalog)
    assert not result.changed
    assert sorted((found.cell, found.code) for found in result.report.kept) == [
        (3, "NBR276"),
        (4, "NBR276"),
        (5, "NBR210"),
    ]
    (writefile,) = [found for found in result.report.kept if found.cell == 3]
    assert writefile.reason == (
        "the cell's %%writefile line is indented and a line after it is not: IPython 9 raises"
        " IndentationError for the cell, IPython 8 runs it as a %%writefile cell; it is never"
        " edited"
    )


def test_a_definition_below_a_cell_magic_that_is_not_the_first_line_is_kept(catalog):
    """Re-check 46: IPython stops the cell at `%%time` (a line magic that does not exist),
    so the `def` never ran; the library's function would now answer calls that raised
    NameError."""
    cell = f"x = 1\n%%time\n{GRAD_DEF}"
    text = notebook_text(TITLE, IMPORTS, code(cell), code("visualize_gradient_norms(g)"))
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    [kept] = result.report.kept
    assert (kept.code, kept.cell) == ("NBR211", 3)
    assert "line 2: cell magic %%time below the cell's first line" in kept.message


@pytest.mark.parametrize(
    ("definition", "why"),
    [
        (
            GRAD_DEF.replace("save_path=None", "save_path=None, *, title=''"),
            "duplicate argument 'title'",
        ),
        (GRAD_DEF.replace("    plt.imshow", "    nonlocal q\n    plt.imshow"), "no binding for"),
    ],
)
def test_a_definition_python_does_not_compile_is_read_as_a_cell_that_does_not_parse(
    catalog, definition, why
):
    """Re-check 46: `ast` reads it, Python rejects the cell (SyntaxError: nothing in it ran),
    and `symtable` raised: an internal error for the notebook. Now it is what a cell that
    does not parse is: its definition goes, and the report says the cell never ran."""
    cells = [code(definition), code("visualize_gradient_norms(g)")]
    result, _ = migrate_text(notebook_text(TITLE, IMPORTS, *cells), catalog)
    [replaced] = result.report.replaced
    assert "NBR104" in replaced.detail_codes
    assert f"the cell does not parse (line 1: {why}" in replaced.message
    assert any("does not parse, so it never ran" in warning for warning in result.report.warnings)


def test_a_cell_with_pasted_ipython_prompts_is_not_read(catalog):
    """Re-check 46: IPython strips `In [3]: ` and binds the name (`describe = len`: the last
    cell printed `3`, not the copy's result); Python read a use, and the import went to the
    import cell above the binding."""
    pasted = "In [3]: visualize_gradient_norms = print\nIn [4]: visualize_gradient_norms(1)"
    cells = [code(pasted), code(GRAD_DEF), code("visualize_gradient_norms(g)")]
    result, _ = migrate_text(notebook_text(TITLE, IMPORTS, *cells), catalog)
    assert not result.changed
    [kept] = result.report.kept
    assert kept.cell == 4
    assert "IPython prompts pasted with the code (In [3]:)" in kept.message


def test_a_definition_in_a_cell_that_does_not_parse_is_replaced_and_the_rest_kept(catalog):
    broken = (
        "x = 1\nfor i in range(3) visualize_gradient_norms(g)\n"
        "def visualize_gradient_norms(grad_norm_values):    pass\ny = 2"
    )
    text = notebook_text(TITLE, IMPORTS, code(broken), code("visualize_gradient_norms(g)"))
    result, sources = migrate_text(text, catalog)
    assert sources[3] == "x = 1\nfor i in range(3) visualize_gradient_norms(g)\ny = 2"
    assert result.report.replaced[0].message.startswith(
        "replaced visualize_gradient_norms (cell 3); the cell does not parse "
        "(line 2: invalid syntax), its other lines are unchanged"
    )


def test_a_definition_whose_own_body_does_not_parse_is_replaced_by_its_header(catalog):
    broken = (
        "def visualize_gradient_norms(grad_norm_values, pruned_heads=None):\n"
        "    plt.imshow(grad_norm_values.detach(.detach().cpu()))\n"
        "    return plt.gcf()\n"
        "\n"
        "print('ready')"
    )
    text = notebook_text(TITLE, IMPORTS, code(broken), code("visualize_gradient_norms(g)"))
    result, sources = migrate_text(text, catalog)
    assert sources[3] == "print('ready')"
    assert result.report.replaced[0].message.startswith(
        "replaced visualize_gradient_norms (cell 3); its own body does not parse (line 2: "
    )


@pytest.mark.parametrize(
    ("rest", "said"),
    [
        # Round 73a F11: the cell parses once the definition goes, and `print` runs now.
        ("print('ready')", "the cell, which raised SyntaxError, parses and runs once it is gone"),
        # Another line breaks it: it stays broken, and none of it runs, as before.
        ("print('ready'", "the cell's other lines are unchanged"),
    ],
)
def test_the_note_on_a_broken_body_says_whether_the_cell_now_runs(catalog, rest, said):
    broken = (
        "def visualize_gradient_norms(grad_norm_values, pruned_heads=None):\n"
        "    plt.imshow(grad_norm_values.detach(.detach().cpu()))\n"
        "    return plt.gcf()\n"
        f"\n{rest}"
    )
    text = notebook_text(TITLE, IMPORTS, code(broken), code("visualize_gradient_norms(g)"))
    result, sources = migrate_text(text, catalog)
    assert sources[3] == rest
    [replaced] = result.report.replaced
    assert replaced.message.startswith(
        "replaced visualize_gradient_norms (cell 3); its own body does not parse (line 2: "
    )
    assert said in replaced.message


def test_a_stray_line_after_a_definition_stays_when_it_is_removed(catalog):
    """Sweep 24: a `)` at column 0 after the def was read as the def's own body and deleted
    with it, the report saying the cell's other lines were unchanged."""
    for stray in (")", "\n\n)\nprint('after')", "]\n    x = 1"):
        broken = f"print('side')\n{GRAD_DEF.rstrip()}\n{stray}"
        text = notebook_text(TITLE, IMPORTS, code(broken), code("visualize_gradient_norms(g)"))
        result, sources = migrate_text(text, catalog)
        assert sources[3] == f"print('side')\n{stray}", stray
        assert result.report.replaced[0].message.startswith(
            "replaced visualize_gradient_norms (cell 3); the cell does not parse (line "
        )
        assert "its other lines are unchanged" in result.report.replaced[0].message


def test_a_stray_line_after_a_definition_whose_header_closes_at_column_0_stays(catalog):
    """The header's own `):` at column 0 is not where the def ends: the stray `)` is."""
    header = "def visualize_gradient_norms(\n    grad_norm_values,\n):\n    return grad_norm_values"
    broken = f"print('side')\n{header}\n)"
    text = notebook_text(TITLE, IMPORTS, code(broken), code("visualize_gradient_norms(g)"))
    result, sources = migrate_text(text, catalog)
    assert sources[3] == "print('side')\n)"
    assert [found.name for found in result.report.replaced] == ["visualize_gradient_norms"]


def test_a_definition_without_which_the_cell_would_parse_is_kept(catalog):
    """Sweep 24: a def pasted between an `if` and its `else`. Removing it (and, before,
    the `else:` branch read as its body) makes the cell run lines that never ran."""
    broken = f"print('side')\nif ready:\n    pass\n{GRAD_DEF.rstrip()}\nelse:\n    print('cpu')"
    text = notebook_text(TITLE, IMPORTS, code(broken), code("visualize_gradient_norms(g)"))
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    (kept,) = [found.message for found in result.report.kept]
    assert kept == (
        "kept visualize_gradient_norms (cell 3): the cell does not parse (line "
        f"{4 + GRAD_DEF.rstrip().count(chr(10)) + 1}: invalid syntax), but would without the def"
        " on line 4: removing it would run lines that never ran"
    )


def test_a_definition_whose_header_does_not_read_is_kept_and_reported(catalog):
    broken = "def visualize_gradient_norms(grad_norm_values, title='x':\n    return 1\n"
    text = notebook_text(TITLE, IMPORTS, code(broken), code("visualize_gradient_norms(g)"))
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    (kept,) = [found.message for found in result.report.kept]
    assert kept.startswith(
        "kept visualize_gradient_norms (cell 3): the cell does not parse (line 1: "
    )
    assert kept.endswith("and no definition with a readable header starts a line there")


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
    # Nothing calls it (the calls are of the functions' own names), and it is imported
    # all the same: the name stays bound.
    assert sources[2].endswith("\nfrom viz_utils import visualize_gradient_norms")


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
    assert result.report.notes.count("skipped cell 2: %%bash cell, not read as Python") == 1


def test_an_async_def_of_a_library_name_is_reported_as_kept(catalog):
    text = notebook_text(
        TITLE, IMPORTS, code("async def " + GRAD_DEF.removeprefix("def ")), code("x = 1")
    )
    result, _ = migrate_text(text, catalog)
    assert result.new_sources == {}
    assert [(found.cell, found.code, found.reason) for found in result.report.kept] == [
        (
            3,
            "NBR228",
            (
                "an async def, and viz_utils.visualize_gradient_norms is not: a call would "
                "return a coroutine"
            ),
        )
    ]


def test_a_cell_fixed_by_removing_its_broken_definition_binds_as_it_will(catalog):
    """Cell 2 does not parse only because of the def's body: its import of
    visualize_entropy_heatmap may not run today, so cell 3's call seemed to reach cell 4's
    def. Once the def goes, cell 2 parses and the import runs: the run on the result
    would replace cell 4's definition, so this run does (it used to stop with
    'migrating the result again would change it')."""
    broken = GRAD_DEF.replace("plt.imshow(grad_norm_values)", "plt.imshow(values.detach(.cpu())")
    assert broken != GRAD_DEF
    text = notebook_text(
        TITLE,
        code("import torch\nfrom viz_utils import visualize_entropy_heatmap\n" + broken),
        code("args = (entropy_values,)\nvisualize_entropy_heatmap(*args)"),
        code(HEATMAP_DEF),
    )
    result, sources = migrate_text(text, catalog)
    assert [found.name for found in result.report.replaced] == [
        "visualize_entropy_heatmap",
        "visualize_gradient_norms",
    ]
    assert result.report.kept == ()
    assert sources[4] == ""


def test_a_cell_fixed_by_removal_can_fix_another_and_both_are_decided_so(catalog):
    """Hypothesis (sweep 29's full run): cell 3's def goes and fixes cell 3, whose import of
    visualize_gradient_norms then binds cell 4's call; that call no longer reaches cell 2's
    broken def, which goes too, fixing cell 2. Deciding only the first fix, the run kept
    cell 2's def and the check refused it ('migrating the result again would change it')."""
    broken_grad = GRAD_DEF.replace("plt.imshow(grad_norm_values)", "plt.imshow(g.detach(.cpu())")
    broken_heat = HEATMAP_DEF.replace("plt.imshow(entropy_values", "plt.imshow(e.detach(.cpu()")
    assert broken_grad != GRAD_DEF and broken_heat != HEATMAP_DEF
    text = notebook_text(
        TITLE,
        code(broken_grad),
        code("import torch\nfrom viz_utils import visualize_gradient_norms\n" + broken_heat),
        code('visualize_gradient_norms(g, None, None, "Norms", None, "extra")'),
    )
    result, sources = migrate_text(text, catalog)
    assert [found.name for found in result.report.replaced] == [
        "visualize_gradient_norms",
        "visualize_entropy_heatmap",
    ]
    assert result.report.kept == ()
    assert sources[2] == ""


def test_a_definition_whose_last_line_ends_in_a_backslash_is_replaced(tmp_path):
    """Sweep 31, devito's `gradlapdiv`: `x]\\` ends the def, continued onto the blank line
    below; read alone its text ended mid-statement, and the notebook failed ("internal
    error: unexpected EOF while parsing")."""
    from nbrefactor.analysis.catalog import load_catalog

    library = tmp_path / "blib.py"
    library.write_text("def double(x):\n    return [x, x]\n")
    cell = "def double(x):\n    return [x,\n            x]\\\n\n\nprint(double(2))"
    text = notebook_text(TITLE, code(cell))
    result, sources = migrate_text(text, load_catalog(str(library)))
    assert [found.message for found in result.report.replaced] == ["replaced double (cell 2)"]
    assert sources[2] == "from blib import double\n\nprint(double(2))"


def test_a_generic_definition_python_cannot_parse_here_is_reported_as_kept(tmp_path):
    """Sweep 31: `def double[T](x: T)` (PEP 695, Python 3.12) was neither replaced nor
    reported on 3.11: the text gate looked for `def double(` only."""
    import sys

    from nbrefactor.analysis.catalog import load_catalog

    library = tmp_path / "glib.py"
    library.write_text(
        "def double(x):\n    return [x, x]\n\n\ndef triple(x):\n    return [x] * 3\n"
    )
    cell = (
        "def double[T](x: T) -> list[T]:\n    return [x, x]\n\ndef triple(x):\n    return [x] * 3"
    )
    result, _ = migrate_text(notebook_text(TITLE, code(cell)), load_catalog(str(library)))
    found = [*result.report.replaced, *result.report.kept]
    assert sorted(finding.name for finding in found) == ["double", "triple"]
    if sys.version_info < (3, 12):
        (kept,) = result.report.kept
        assert kept.name == "double" and kept.reason.startswith("the cell does not parse")


def test_overload_stubs_kept_for_one_reason_in_one_cell_are_one_line(catalog):
    stub = "@overload\ndef visualize_gradient_norms(grad_norm_values: {}) -> None: ...\n"
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(
            "from typing import overload\n\n" + stub.format("int") + stub.format("str") + GRAD_DEF
        ),
        code("visualize_gradient_norms(g)"),
    )
    result, _ = migrate_text(text, catalog)
    assert result.new_sources == {}
    assert [(found.cell, found.code) for found in result.report.kept] == [
        (3, "NBR229"),  # the stubs: their decorators (@overload) are not the library's
        (3, "NBR224"),  # the function: a name's definitions in a cell go together
    ]


@pytest.mark.parametrize(
    ("cell", "replaced", "kept"),
    [
        ("def \\\ndouble(x):\n    return [x, x]\n", ["double"], []),
        ("def double\\\n(x):\n    return [x, x]\n", ["double"], []),
        ("def double \\\r\n  (x):\r\n    return [x, x]\r\n", ["double"], []),
        ("def\\\rdouble(x):\r    return [x, x]\r", ["double"], []),
        ("async def \\\ndouble(x):\n    return [x, x]\n", [], ["double"]),
        ("def double\\\n(x):\n    return [x, x]\nprint((\n", ["double"], []),
        # its own body does not parse: read from its header, two lines long (kept, its
        # header cut at the backslash, until round 70)
        ("def \\\ndouble(x):\n    return [x, x] +\n", ["double"], []),
        ("def double\\\n  (x):\n    return [x, x] +\n", ["double"], []),
        # round 64: a form feed is a blank to Python's tokenizer too
        ("def\x0cdouble(x):\n    return [x, x]\n", ["double"], []),
        ("def \\\n\x0cdouble\x0c(x):\n    return [x, x]\n", ["double"], []),
    ],
)
def test_a_definition_whose_header_continues_a_line_is_found(tmp_path, cell, replaced, kept):
    """Round 62a: `def \\` then `double(x):` (or `def double\\` then `(x):`) went unreported,
    the notebook unchanged: the text gate looked for blanks only between `def`, the name and
    its `(`. The cells ending in `print((` or `+` do not parse: their definitions are read
    in pieces."""
    from nbrefactor.analysis.catalog import load_catalog

    library = tmp_path / "clib.py"
    library.write_text("def double(x):\n    return [x, x]\n")
    text = notebook_text(TITLE, code(cell), code("print(double(2))"))
    result, _ = migrate_text(text, load_catalog(str(library)))
    assert [found.name for found in result.report.replaced] == replaced
    assert [found.name for found in result.report.kept] == kept


def test_a_default_the_library_does_not_have_is_said(catalog):
    """Round 73a F12: `def f(a=1, b=1)` replaced by the library's `def f(a, b=1)` said
    nothing of `a` (each call passes it, or the copy is kept)."""
    copy = GRAD_DEF.replace("(grad_norm_values,", "(grad_norm_values=None,")
    text = notebook_text(TITLE, IMPORTS, code(copy), code("visualize_gradient_norms(g)"))
    result, _ = migrate_text(text, catalog)
    [replaced] = result.report.replaced
    assert "default grad_norm_values=None inline, none in the library" in replaced.message

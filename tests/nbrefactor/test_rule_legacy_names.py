"""Rule: legacy names are replaced by the new function and their calls renamed (`rules/legacy_names.py`)."""

from __future__ import annotations

import pytest
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


LEGACY_DEF = "def plot_training_metrics(metrics_history):\n    plt.plot(metrics_history['step'])"


def test_renamed_calls_that_would_be_captured_import_under_the_legacy_name(catalog):
    text = notebook_text(
        TITLE,
        code("from mylib import visualize_training_progress"),
        code(LEGACY_DEF),
        code("plot_training_metrics(history)\nvisualize_training_progress(other)"),
    )
    result, sources = migrate_text(text, catalog)
    assert sources[2] == (
        "from mylib import visualize_training_progress\n"
        "from viz_utils import visualize_training_progress as plot_training_metrics"
    )
    assert sources[3] == ""
    assert sources[4] == "plot_training_metrics(history)\nvisualize_training_progress(other)"
    (line,) = [found.message for found in result.report.replaced]
    assert line.startswith(
        "replaced plot_training_metrics (cell 3) with viz_utils.visualize_training_progress, "
        "imported as plot_training_metrics; calls not renamed, since visualize_training_progress "
        "is also bound in cell 2 (import) and could capture them"
    )
    assert result.report.kept == ()


def test_a_legacy_call_in_a_cell_magic_cell_is_served_by_the_legacy_name(catalog):
    text = notebook_text(TITLE, IMPORTS, code(LEGACY_DEF), code("%%time\nplot_training_metrics(h)"))
    result, sources = migrate_text(text, catalog)
    assert sources[2].endswith(
        "from viz_utils import visualize_training_progress as plot_training_metrics"
    )
    assert sources[4] == "%%time\nplot_training_metrics(h)"
    assert "the call in cell 4 is in a %%time cell, which is never edited" in (
        result.report.replaced[0].message
    )


def test_a_never_used_legacy_definition_is_imported_under_its_name(catalog):
    text = notebook_text(
        TITLE,
        code("from mylib import visualize_training_progress"),
        code("x = 1\n\n\n" + LEGACY_DEF + "\n\n\ny = 2"),
        code("visualize_training_progress(history)"),
    )
    result, sources = migrate_text(text, catalog)
    # The name stays bound; nothing is renamed, and the project's import still serves cell 4.
    assert sources[2] == (
        "from mylib import visualize_training_progress\n"
        "from viz_utils import visualize_training_progress as plot_training_metrics"
    )
    assert sources[3] == "x = 1\n\n\ny = 2"
    (found,) = result.report.replaced
    assert found.message.startswith(
        "replaced plot_training_metrics (cell 3) with viz_utils.visualize_training_progress, "
        "imported as plot_training_metrics; not used in this notebook; its name stays bound"
    )
    assert found.detail_codes[0] == "NBR109"


def test_a_legacy_definition_calling_itself_is_still_never_used(catalog):
    recursive = (
        "def plot_training_metrics(metrics_history):\n"
        "    return plot_training_metrics(metrics_history[1:]) if metrics_history else None"
    )
    text = notebook_text(TITLE, IMPORTS, code(recursive))
    result, sources = migrate_text(text, catalog)
    assert sources[3] == ""
    assert "not used in this notebook" in result.report.replaced[0].message


NEW = "visualize_training_progress"


@pytest.mark.parametrize(
    "use",
    [
        f"[plot_training_metrics({NEW}) for {NEW} in runs]",
        f"class Report:\n    {NEW} = None\n    figure = plot_training_metrics(history)",
        f"def show({NEW}):\n    return plot_training_metrics(history)",
        f"show = lambda {NEW}: plot_training_metrics(history)",
        f"def show(run):\n    match run:\n        case {NEW}:\n            plot_training_metrics(history)",
        # Sweep 27: `del` makes the name local too (UnboundLocalError once renamed).
        (
            f"def show():\n    figure = plot_training_metrics(history)\n    if False:\n"
            f"        del {NEW}\n    return figure"
        ),
    ],
    ids=["comprehension", "class-body", "parameter", "lambda", "match-capture", "del"],
)
def test_a_local_binding_of_the_new_name_keeps_the_calls_as_they_are(catalog, use):
    """The renamed call would find the local, not the library's function."""
    text = notebook_text(TITLE, IMPORTS, code(LEGACY_DEF), code(use))
    result, sources = migrate_text(text, catalog)
    assert sources[4] == use
    assert sources[2].endswith(f"from viz_utils import {NEW} as plot_training_metrics")
    (line,) = [found.message for found in result.report.replaced]
    assert f"since {NEW} is also bound in cell 4 (local variable)" in line


def test_a_comprehension_variable_named_like_the_legacy_name_is_not_a_use(catalog):
    use = "[plot_training_metrics(1) for plot_training_metrics in [abs]]"
    text = notebook_text(TITLE, IMPORTS, code(LEGACY_DEF), code(use + "\nplot_training_metrics(h)"))
    _, sources = migrate_text(text, catalog)
    assert sources[4] == use + f"\n{NEW}(h)"


def test_a_class_attribute_named_like_the_legacy_name_keeps_the_calls(catalog):
    """In a class body that binds the old name, a use sees it or the global: not renamed."""
    use = "class K:\n    plot_training_metrics = abs\n    v = plot_training_metrics(-3)"
    text = notebook_text(TITLE, IMPORTS, code(LEGACY_DEF), code(use))
    result, sources = migrate_text(text, catalog)
    assert sources[4] == use
    (line,) = [found.message for found in result.report.replaced]
    assert "since plot_training_metrics is also bound in cell 4 (class attribute)" in line


def test_the_legacy_and_the_new_name_both_defined_are_both_replaced(catalog):
    """The renamed calls join the new name's own uses: the check counts them together."""
    new_def = f"def {NEW}(metrics_history):\n    plt.plot(metrics_history['step'])"
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(LEGACY_DEF),
        code(new_def),
        code(f"plot_training_metrics(history)\n{NEW}(history)"),
    )
    result, sources = migrate_text(text, catalog)
    assert result.report.kept == ()
    assert sources[5] == f"{NEW}(history)\n{NEW}(history)"


_STRING = (
    "NBR110",
    (
        "a string in cell 4 names plot_training_metrics, which renaming would not change "
        "(eval or exec may run it, an f-string's = shows it)"
    ),
)


def _magic(magic):
    return (
        "NBR114",
        (
            f"the argument of %{magic} in cell 4 names plot_training_metrics, which renaming "
            "would not change"
        ),
    )


@pytest.mark.parametrize(
    ("use", "why"),
    [
        ("plot_training_metrics(history)\nprint(eval('plot_training_metrics(history)'))", _STRING),
        ("plot_training_metrics(history)\nprint(f'{plot_training_metrics(history)=}')", _STRING),
        # It is a use, not "never used" (sweep W: IPython hands the argument to the magic).
        ("t = %timeit -o plot_training_metrics(history)", _magic("timeit")),
        (
            "plot_training_metrics(h)\n%lprun -f plot_training_metrics plot_training_metrics(h)",
            _magic("lprun"),
        ),
        # The text of a cell magic's cell that may run it (HoloViews' `%%opts`): never edited
        (
            "%%opts Curve [width=400]\nplot_training_metrics(history)",
            (
                "NBR107",
                "the call in cell 4 is in a %%opts cell, which is never edited",
            ),
        ),
    ],
)
def test_text_naming_the_legacy_name_keeps_the_calls(catalog, use, why):
    # Renaming the calls would leave the string or the magic's argument naming an unbound
    # name: eval raises NameError, and the f-string's `=` prints another text.
    text = notebook_text(TITLE, IMPORTS, code(LEGACY_DEF), code(use))
    result, sources = migrate_text(text, catalog)
    assert sources[2].endswith(
        "from viz_utils import visualize_training_progress as plot_training_metrics"
    )
    assert sources[4] == use
    (found,) = result.report.replaced
    code_, problem = why
    assert found.code == "NBR100"
    assert code_ in found.detail_codes
    assert found.message.startswith(
        "replaced plot_training_metrics (cell 3) with viz_utils.visualize_training_progress, "
        f"imported as plot_training_metrics; calls not renamed, since {problem}"
    )


def test_a_legacy_name_read_through_the_notebooks_module_is_renamed(catalog):
    """`__main__.plot_training_metrics(h)` is the name, read through the module: renamed with
    the calls (the import binds only the new name), a local of the old name notwithstanding."""
    use = (
        "import __main__\n__main__.plot_training_metrics(history)\n"
        "def again(plot_training_metrics):\n    return __main__.plot_training_metrics(history)"
    )
    text = notebook_text(TITLE, IMPORTS, code(LEGACY_DEF), code(use))
    result, sources = migrate_text(text, catalog)
    assert sources[4] == use.replace(".plot_training_metrics(", f".{NEW}(")
    assert sources[2].endswith(f"from viz_utils import {NEW}")
    (found,) = result.report.replaced
    assert "NBR106" in found.detail_codes


def test_a_string_inside_the_legacy_definition_itself_does_not_keep_the_calls(catalog):
    definition = LEGACY_DEF + "\n    print('plot_training_metrics done')"
    text = notebook_text(
        TITLE, IMPORTS, code(definition), code("plot_training_metrics(history)\nx = 'other'")
    )
    _result, sources = migrate_text(text, catalog)
    assert sources[4] == "visualize_training_progress(history)\nx = 'other'"
    assert sources[2].endswith("from viz_utils import visualize_training_progress")


@pytest.mark.parametrize(
    "rebinding",
    [
        "match 3:\n    case plot_training_metrics:\n        print(plot_training_metrics)",
        "match [3]:\n    case [*plot_training_metrics]:\n        print(plot_training_metrics)",
        "if flag:\n    plot_training_metrics = 3\nprint(plot_training_metrics)",
    ],
)
def test_a_use_that_may_see_another_binding_of_the_legacy_name_is_not_renamed(catalog, rebinding):
    """Round 53b: `case old:` captured 3, and the migration renamed the capture's read to
    the library's function (`print(new)`): a use that may see a binding of the legacy name
    other than its definitions keeps the old name, and so the definition here (the
    capture may rebind it between the import and the use)."""
    cells = (code(LEGACY_DEF), code(f"plot_training_metrics(h)\n{rebinding}"))
    result, sources = migrate_text(notebook_text(TITLE, IMPORTS, *cells), catalog)
    assert not result.changed
    assert [found.code for found in result.report.kept] == ["NBR230"]
    assert sources[4].endswith("print(plot_training_metrics)")


@pytest.mark.parametrize(
    "above",
    [
        "try:\n    del plot_training_metrics\nexcept NameError:\n    print('none')",
        "del plot_training_metrics, x",
    ],
)
def test_a_deletion_above_every_legacy_definition_keeps_the_old_name(catalog, above):
    """Round 58a: `try: del old` above the def became `del new`, and the import, placed in
    the import cell above it, was deleted: the last cell raised NameError. Such a `del`
    keeps the old name, whose import goes below it, as for any name."""
    cells = (code(above), code(LEGACY_DEF), code("plot_training_metrics(h)"))
    result, sources = migrate_text(notebook_text(TITLE, IMPORTS, *cells), catalog)
    (found,) = result.report.replaced
    assert found.detail_codes[0] == "NBR119"
    assert (
        "imported as plot_training_metrics; calls not renamed, since `del plot_training_metrics`"
        " in cell 3 may run before any definition of it, where renamed it would delete the import"
    ) in found.message
    assert sources[3] == above
    assert sources[5] == "plot_training_metrics(h)"


def test_a_renamed_call_above_every_legacy_definition_is_told(catalog):
    """Round 58a: a call above the def (cells run out of order) raised NameError, and printed
    once renamed, unsaid (a plain name's use there is told)."""
    above = "try:\n    plot_training_metrics(h)\nexcept NameError:\n    print('none')"
    cells = (code(above), code(LEGACY_DEF), code("plot_training_metrics(h)"))
    result, sources = migrate_text(notebook_text(TITLE, IMPORTS, *cells), catalog)
    assert sources[3] == above.replace("plot_training_metrics", "visualize_training_progress")
    assert result.report.warnings == (
        (
            "plot_training_metrics is used in cell 3 above its definition, where running the"
            " notebook from the top raised NameError; the new import now binds it there"
        ),
    )


@pytest.mark.parametrize("listing", ["%who", "names = %who_ls", "print(sorted(globals()))"])
def test_a_listing_of_the_notebooks_names_keeps_the_old_name(catalog, listing):
    """Round 58a: `%who` printed `new` where it had printed `old` once the calls were
    renamed, and the report said nothing."""
    cells = (code(LEGACY_DEF), code(listing), code("plot_training_metrics(h)"))
    result, sources = migrate_text(notebook_text(TITLE, IMPORTS, *cells), catalog)
    (found,) = result.report.replaced
    assert found.detail_codes[0] == "NBR120"
    told = listing.rpartition(" ")[2].removeprefix("print(sorted(").removesuffix("))")
    assert (
        f"calls not renamed, since {told} in cell 4 lists the notebook's names, where"
        " plot_training_metrics would no longer be"
    ) in found.message
    assert sources[5] == "plot_training_metrics(h)"


def test_a_line_that_may_bind_the_new_name_is_said_to_maybe_bind_it(catalog):
    """Round 58a: "is also bound in cell 5 (%run)" where the script binds nothing: a line
    that may bind any name may bind it, or not."""
    cells = (code(LEGACY_DEF), code("plot_training_metrics(h)"), code("%run rep.py"))
    result, _ = migrate_text(notebook_text(TITLE, IMPORTS, *cells), catalog)
    (found,) = result.report.replaced
    assert (
        "calls not renamed, since visualize_training_progress may also be bound in cell 5 (%run)"
        " and could capture them"
    ) in found.message


def test_the_new_name_read_where_the_notebook_binds_it_nowhere_is_told_so(catalog):
    """Round 58a: "new is used in cell 4 above its definition" of a cell below the old name's
    definition, where the notebook defines no `new`."""
    reading = "try:\n    visualize_training_progress\nexcept NameError:\n    print('none')"
    cells = (code(LEGACY_DEF), code("plot_training_metrics(h)"), code(reading))
    result, _ = migrate_text(notebook_text(TITLE, IMPORTS, *cells), catalog)
    assert result.report.warnings == (
        (
            "visualize_training_progress, which the notebook binds nowhere, is used in cell 5,"
            " where running the notebook from the top raised NameError; the new import now binds"
            " it there"
        ),
    )


def test_renamed_calls_whose_only_definition_does_not_parse_are_told(catalog):
    """Round 58a: the uses of a legacy name renamed to the new one are its uses for the
    warnings: its definition in a cell that does not parse never ran."""
    use = "plot_training_metrics(h)"
    cells = (code(f"y = 1)\n{LEGACY_DEF}"), code(use), code(use))
    result, sources = migrate_text(notebook_text(TITLE, IMPORTS, *cells), catalog)
    assert sources[4] == "visualize_training_progress(h)"
    assert result.report.warnings[-1] == (
        "plot_training_metrics is used in cells 4 and 5, where running the notebook from the top"
        " raised NameError: its definition in cell 3 does not parse, so it never ran; the new"
        " import now binds it there"
    )

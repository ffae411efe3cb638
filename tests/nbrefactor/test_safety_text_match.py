"""The safety check's cheap path (`safety.text_match`): a changed cell read from its text.

The reading made from the text must be the reading the reader makes of the new
source (the same facts, lines and masking); a faulty edit must never pass the
text match unseen: it either sends the cell to the full re-read, which
refuses it, or (a use moved above the import) is refused by the check of the
uses on the reading made from the text.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import FIXTURES, GRAD_DEF, code, notebook_text

from nbrefactor import refactor, safety
from nbrefactor.analysis import reader
from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.analysis.reader import CellReading, read_cell
from nbrefactor.edits import edit
from nbrefactor.nbfile.notebook import parse_notebook


@pytest.fixture
def matched(monkeypatch):
    """Cell number -> the reading the text match made of it (None: it sent it to the re-read)."""
    found: dict[int, tuple[CellReading | None, str, object]] = {}
    original = safety.reading_from_text

    def spy(old, new_source, watched, decided):
        reading = original(old, new_source, watched, decided)
        found[old.facts.cell] = (reading, new_source, watched)
        return reading

    monkeypatch.setattr(safety, "reading_from_text", spy)
    return found


@pytest.fixture(params=["whole", "huge"])
def cells_read(request, monkeypatch):
    """Every case twice: cells read whole, and every cell read as a huge one is, statement
    by statement into a skeletal reading (`statementwise`), which the text match takes too."""
    if request.param == "huge":
        monkeypatch.setattr(reader, "HUGE_CELL", 0)
    return request.param


def _events(reading: CellReading) -> list[tuple]:
    facts = reading.facts
    return [
        *[
            ("binding", b.name, b.position[:2], b.kind, b.source_module, b.node is not None)
            for b in facts.bindings
        ],
        *[
            ("use", u.name, u.position[:2], u.deferred, u.call, u.line, u.column)
            for u in facts.uses
        ],
        ("imports", facts.import_statements, facts.module_imports, facts.star_imports),
        ("order", [e.position for e in sorted([*facts.bindings, *facts.uses], key=_at)]),
    ]


def _at(event) -> tuple:
    return event.position


def _same_reading(derived: CellReading, new_source: str, watched) -> None:
    """The reading from the text against the reader's reading of the new source."""
    reread = read_cell(derived.facts.cell, new_source, watched, whole_trees=False)
    assert isinstance(reread, CellReading) and reread.error is None
    assert derived.masked == reread.masked
    assert _events(derived)[:-1] == _events(reread)[:-1]
    # the order of events, within the cell, as the reader met them
    assert [(e.name, e.position[:2]) for e in sorted(derived.facts.bindings, key=_at)] == [
        (e.name, e.position[:2]) for e in reread.facts.bindings
    ]
    assert len(derived.facts.tree.body) == len(reread.facts.tree.body)
    for ours, theirs in zip(derived.facts.tree.body, reread.facts.tree.body):
        if isinstance(ours, ast.Pass) and not isinstance(theirs, ast.Pass):
            # a moved statement that is not read again: a `pass` over its lines
            assert (ours.lineno, ours.end_lineno) == statement_lines(theirs)
        else:
            assert ast.dump(ours, include_attributes=True) == ast.dump(
                theirs, include_attributes=True
            )
    for binding, reread_binding in zip(derived.facts.bindings, reread.facts.bindings):
        if binding.node is not None:
            assert ast.dump(binding.node, include_attributes=True) == ast.dump(
                reread_binding.node, include_attributes=True
            )


CASES = sorted(
    path for path in Path(FIXTURES).glob("*.ipynb") if not path.name.endswith(".expected.ipynb")
)


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_a_cell_read_from_its_text_is_the_cell_as_the_reader_reads_it(
    path, matched, catalog, config, cells_read
):
    try:
        refactor.refactor(parse_notebook(path.read_bytes()), config, catalog)
    except (refactor.CannotEdit, refactor.UnsafeMigration):
        pass  # the fixtures that test these; the readings made so far are still compared
    for derived, new_source, watched in matched.values():
        if derived is not None:
            _same_reading(derived, new_source, watched)


def test_every_changed_code_cell_of_the_demo_is_read_from_its_text(
    matched, catalog, config, cells_read
):
    """The cheap path is the usual one: every changed code cell of the demo is read from its
    text, those whose legacy calls are renamed too (only their renamed statements parsed)."""
    notebook = parse_notebook((FIXTURES / "NeuralPlasticityDemo.ipynb").read_bytes())
    result = refactor.refactor(notebook, config, catalog)
    changed_code = {
        number for number in result.new_sources if notebook.cells[number - 1].cell_type == "code"
    }
    renamed = {
        number
        for number in changed_code
        if "plot_training_metrics(" in notebook.cells[number - 1].source
        and "visualize_training_progress(" in result.new_sources[number]
    }
    from_text = {number for number, (reading, _, _) in matched.items() if reading is not None}
    assert len(changed_code) == 10 and renamed == {26, 32, 33}
    assert from_text == changed_code
    for derived, new_source, watched in matched.values():
        assert derived is not None
        _same_reading(derived, new_source, watched)


RENAMED_FAULTS = {
    # the renamed call's own statement, one character off
    "renamed statement altered": (
        lambda source: source.replace(
            "visualize_training_progress(metrics_history)",
            "visualize_training_progress(metrics_histor)",
        ),
        "cell 4: its statements are not the original ones minus the removed definitions",
    ),
    # the line before it, in the same cell
    "kept line altered": (
        lambda source: source.replace("step / 100 / 72", "step / 100 / 73"),
        "cell 4: its statements are not the original ones minus the removed definitions",
    ),
}


@pytest.mark.parametrize("fault", RENAMED_FAULTS.values(), ids=RENAMED_FAULTS.keys())
def test_a_cell_with_a_renamed_call_is_read_from_its_text_and_faults_in_it_refused(
    fault, monkeypatch, matched, catalog, config, cells_read
):
    """legacy_alias renames a call in cell 4: the cell is read from its text, its renamed
    statement parsed and compared as a tree; a fault anywhere in it goes to the re-read."""
    notebook = parse_notebook((FIXTURES / "legacy_alias.ipynb").read_bytes())
    result = refactor.refactor(notebook, config, catalog)
    assert "visualize_training_progress(" in result.new_sources[4]
    assert matched[4][0] is not None
    matched.clear()
    change, message = fault
    _faulty(monkeypatch, _in_cell(4, change))
    with pytest.raises(refactor.UnsafeMigration) as refused:
        refactor.refactor(notebook, config, catalog)
    assert str(refused.value) == message
    assert matched[4][0] is None


def test_a_cell_read_in_pieces_is_read_again(matched, catalog, config):
    """The fallback: a definition removed from a cell that does not parse; that cell is not
    matched by its text but read again (in pieces), and the migration passes the check."""
    broken = GRAD_DEF + "\nresult = (\n"
    notebook = parse_notebook(
        notebook_text(code("import numpy as np\n"), code(broken), code(CALL_CELL))
    )
    result = refactor.refactor(notebook, config, catalog)
    assert "def " not in result.new_sources[2]
    assert matched[2][0] is None  # the old reading was made in pieces
    assert matched[1][0] is not None


# A notebook whose edited cells keep multi-line statements around the edits: the
# import goes after the imports of cell 1, the definition leaves cell 2.
IMPORT_CELL = (
    "import numpy as np\n"
    "import matplotlib.pyplot as plt\n"
    "\n"
    "if True:\n"
    "    settings = dict(\n"
    "        dpi=100,\n"
    "    )\n"
)
DEF_CELL = GRAD_DEF + "\nresult = np.stack([\n    np.zeros(3),\n])\n"
CALL_CELL = "visualize_gradient_norms(result)\n"
IMPORT = "from viz_utils import visualize_gradient_norms\n"


def _faulty(monkeypatch, change):
    original = edit.edited_source

    def faulty(reading, cell_edit):
        return change(original(reading, cell_edit), cell_edit.cell)

    monkeypatch.setattr(edit, "edited_source", faulty)


def _in_cell(number, change):
    return lambda source, cell: change(source) if cell == number else source


TEXT_FAULTS = {
    "a kept statement altered by one character": (
        _in_cell(2, lambda source: source.replace("np.zeros(3)", "np.zeros(4)")),
        2,
        "cell 2: its statements are not the original ones minus the removed definitions",
    ),
    "a statement dropped": (
        _in_cell(
            2, lambda source: source.replace("result = np.stack([\n    np.zeros(3),\n])\n", "")
        ),
        2,
        "cell 2: its statements are not the original ones minus the removed definitions",
    ),
    "the import inside a kept statement's lines": (
        _in_cell(
            1,
            lambda source: source.replace(IMPORT, "").replace(
                "        dpi=100,\n", "        dpi=100,\n" + IMPORT
            ),
        ),
        1,
        "cell 1: no longer parses (line 7",
    ),
    "the import indented into a kept block": (
        _in_cell(1, lambda source: source.replace(IMPORT, "") + "    " + IMPORT),
        1,
        "cell 1: its statements are not the original ones minus the removed definitions",
    ),
}


@pytest.mark.parametrize("fault", TEXT_FAULTS.values(), ids=TEXT_FAULTS.keys())
def test_a_fault_in_the_kept_text_is_sent_to_the_re_read_and_refused(
    fault, monkeypatch, matched, catalog, config, cells_read
):
    change, cell, message = fault
    notebook = parse_notebook(notebook_text(code(IMPORT_CELL), code(DEF_CELL), code(CALL_CELL)))
    honest = refactor.refactor(notebook, config, catalog).new_sources
    assert IMPORT in honest[1] and "def " not in honest[2]
    assert matched[1][0] is not None and matched[2][0] is not None  # both read from the text
    matched.clear()
    _faulty(monkeypatch, change)
    with pytest.raises(refactor.UnsafeMigration) as refused:
        refactor.refactor(notebook, config, catalog)
    assert str(refused.value).startswith(message), refused.value
    assert matched[cell][0] is None  # the text match did not take it


def test_a_use_moved_above_the_import_is_refused_on_the_reading_from_the_text(
    monkeypatch, matched, catalog, config, cells_read
):
    """No import cell: the import goes to the top of the definition's cell, above the call.
    The fault puts the call first: the text is still the old one plus an import, so it is
    read from its text; the uses are then checked on that reading."""
    notebook = parse_notebook(notebook_text(code("x = 1\n"), code(GRAD_DEF + "\n" + CALL_CELL)))
    honest = refactor.refactor(notebook, config, catalog).new_sources
    assert honest[2].startswith(IMPORT)
    matched.clear()
    _faulty(
        monkeypatch,
        _in_cell(2, lambda source: CALL_CELL + source.replace(CALL_CELL, "")),
    )
    with pytest.raises(refactor.UnsafeMigration) as refused:
        refactor.refactor(notebook, config, catalog)
    assert str(refused.value) == (
        "cell 2: visualize_gradient_norms on line 1 is not bound by the import from viz_utils"
    )
    assert matched[2][0] is not None  # read from its text, refused all the same


def test_a_renamed_call_after_non_ascii_text_on_its_line_is_read_from_its_text(
    matched, catalog, config, cells_read
):
    """`ast` counts columns in UTF-8 bytes: the rename is found at its character column,
    and the reading from the text is the reader's."""
    text = (FIXTURES / "legacy_alias.ipynb").read_text(encoding="utf-8")
    text = text.replace(
        '"plot_training_metrics(metrics_history)\\n"',
        '"shown = (\\"é→\\", plot_training_metrics(metrics_history))\\n"',
    )
    notebook = parse_notebook(text.encode("utf-8"))
    result = refactor.refactor(notebook, config, catalog)
    [cell] = [
        number
        for number, source in result.new_sources.items()
        if 'shown = ("é→", visualize_training_progress(metrics_history))' in source
    ]
    derived, new_source, watched = matched[cell]
    assert derived is not None
    _same_reading(derived, new_source, watched)


# A run of kept statements longer than the part of it searched for (`runs`: 64 KiB): the rest
# is compared in place, a chunk at a time.
LONG_RUN = "".join(f"value_{index} = np.zeros({index})\n" for index in range(6000))


@pytest.mark.parametrize("faulty", [False, True], ids=["honest", "one character off at the end"])
def test_a_run_longer_than_its_head_is_compared_whole(
    faulty, monkeypatch, matched, catalog, config, cells_read
):
    assert len(LONG_RUN) > 2 * 64 * 1024
    notebook = parse_notebook(
        notebook_text(code(IMPORT_CELL), code(GRAD_DEF + "\n" + LONG_RUN), code(CALL_CELL))
    )
    if not faulty:
        refactor.refactor(notebook, config, catalog)
        derived, new_source, watched = matched[2]
        assert derived is not None and new_source.endswith(LONG_RUN)
        _same_reading(derived, new_source, watched)
        return
    _faulty(monkeypatch, _in_cell(2, lambda source: source.replace("(5998)", "(5989)")))
    with pytest.raises(refactor.UnsafeMigration) as refused:
        refactor.refactor(notebook, config, catalog)
    assert str(refused.value) == (
        "cell 2: its statements are not the original ones minus the removed definitions"
    )
    assert matched[2][0] is None

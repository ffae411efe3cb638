"""The program is read first, then frozen: the rules and the edits only query it."""

from __future__ import annotations

import pytest
from conftest import GRAD_DEF, IMPORTS, TITLE, code, notebook_text

import nbrefactor.analysis.program
import nbrefactor.analysis.reader
from nbrefactor.analysis.program import read_program
from nbrefactor.edits.edit import edited_sources
from nbrefactor.nbfile.notebook import parse_notebook
from nbrefactor.refactor import defined_names
from nbrefactor.rules import decide


def _refusing_read(*args: object) -> None:
    raise AssertionError("a cell was read after the program was built")


def test_no_rule_or_edit_reads_a_cell(catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    notebook = parse_notebook(
        notebook_text(
            TITLE,
            IMPORTS,  # the import cell: read because the import may go there
            code("from viz_utils import visualize_attention_matrix"),  # imports from the module
            code("# helper\n" + GRAD_DEF),
            code("visualize_gradient_norms(g)"),
        )
    )
    program = read_program(notebook, catalog, defined_names(notebook, catalog))
    assert [reading.facts.cell for reading in program.readings()] == [2, 3, 4, 5]
    monkeypatch.setattr(nbrefactor.analysis.program, "read_cell", _refusing_read)
    monkeypatch.setattr(nbrefactor.analysis.reader, "read_cell", _refusing_read)

    decisions = decide(program)
    sources = edited_sources(program, decisions)

    assert decisions.import_decision is not None and decisions.import_decision.cell == 3
    assert sorted(sources) == [3, 4]


def test_other_cells_are_read_only_when_a_definition_could_go(catalog) -> None:
    notebook = parse_notebook(
        notebook_text(
            TITLE,
            IMPORTS,
            code("%%capture\n" + GRAD_DEF),  # read, but a cell magic's cell is never edited
            code("visualize_gradient_norms(g)"),
        )
    )
    program = read_program(notebook, catalog, defined_names(notebook, catalog))
    assert [reading.facts.cell for reading in program.readings()] == [3]
    assert program.import_cell is None

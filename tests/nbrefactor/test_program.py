"""The program is read first, then frozen: the rules and the edits only query it."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import (
    FIXED_NOW,
    FIXTURES,
    GRAD_DEF,
    HEATMAP_DEF,
    IMPORTS,
    TITLE,
    code,
    notebook_text,
)

import nbrefactor.analysis.hidden_inputs
import nbrefactor.analysis.program_reader
import nbrefactor.analysis.reader
from nbrefactor.analysis.events import Binding
from nbrefactor.analysis.program_reader import read_program
from nbrefactor.config import Config, Mode
from nbrefactor.edits.edit import edited_sources
from nbrefactor.nbfile.notebook import Notebook, parse_notebook
from nbrefactor.refactor import defined_names, refactor
from nbrefactor.rules import decide


def _notebook(*cells: dict) -> Notebook:
    """The title (cell 1), the import cell (cell 2, where an import may go), then `cells`."""
    return parse_notebook(notebook_text(TITLE, IMPORTS, *cells))


def _refusing_read(*args: object) -> None:
    raise AssertionError("a cell was read after the program was built")


def test_no_rule_or_edit_reads_a_cell(catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    notebook = _notebook(
        code("from viz_utils import visualize_attention_matrix"),  # imports from the module
        code("# helper\n" + GRAD_DEF),
        code("visualize_gradient_norms(g)"),
    )
    program = read_program(notebook, catalog, defined_names(notebook, catalog))
    assert [reading.facts.cell for reading in program.readings()] == [2, 3, 4, 5]
    monkeypatch.setattr(nbrefactor.analysis.program_reader, "read_cell", _refusing_read)
    monkeypatch.setattr(nbrefactor.analysis.reader, "read_cell", _refusing_read)

    decisions = decide(program)
    sources = edited_sources(program, decisions)

    assert decisions.import_decision is not None and decisions.import_decision.cell == 3
    assert sorted(sources) == [3, 4]


def test_other_cells_are_read_only_when_a_definition_could_go(catalog) -> None:
    notebook = _notebook(
        code("%%capture\n" + GRAD_DEF),  # read, but a cell magic's cell is never edited
        code("visualize_gradient_norms(g)"),
    )
    program = read_program(notebook, catalog, defined_names(notebook, catalog))
    assert [reading.facts.cell for reading in program.readings()] == [3]
    assert program.import_cell is None


def _fixture(name: str) -> Notebook:
    return parse_notebook((FIXTURES / name).read_bytes())


def _cells_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The cells `read_program` reads from now on, in order."""
    read: list[int] = []
    real = nbrefactor.analysis.program_reader.read_cell

    def recording(number: int, *args: Any, **kwargs: Any) -> Any:
        read.append(number)
        return real(number, *args, **kwargs)

    monkeypatch.setattr(nbrefactor.analysis.program_reader, "read_cell", recording)
    return read


def test_what_a_definition_reads_is_asked_only_where_its_parameters_do_not_keep_it(
    catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Cell 3's parameters are not the library's: kept whatever the notebook holds.
    # Cell 5 has the library's, and reads FIG_DIR: that must still be found.
    notebook = _fixture("noop_other_parameters_and_notebook_variable.ipynb")
    asked: list[int] = []
    real = nbrefactor.analysis.hidden_inputs.definition_hidden_inputs

    def recording(binding: Binding, *args: Any) -> Any:
        asked.append(binding.cell)
        return real(binding, *args)

    monkeypatch.setattr(nbrefactor.analysis.hidden_inputs, "definition_hidden_inputs", recording)
    result = refactor(notebook, Config(now=FIXED_NOW), catalog)

    assert asked == [5]
    assert [(found.cell, found.code) for found in result.report.kept] == [
        (3, "NBR220"),
        (5, "NBR222"),
    ]


def test_the_import_cell_is_not_read_when_no_definition_can_go(
    catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Cell 3's parameters are not the library's; cell 2 is the import cell.
    notebook = _fixture("noop_other_parameters_used_without_call.ipynb")
    read = _cells_read(monkeypatch)
    result = refactor(notebook, Config(now=FIXED_NOW), catalog)
    assert read == [3, 4]  # the definition, then the cell that uses it
    assert [found.code for found in result.report.kept] == ["NBR205"]


def test_a_run_that_does_not_explain_reads_only_the_definitions_when_none_can_go(
    catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Cell 4 uses the definition without a call: the reason shown first (NBR205),
    # found only by reading cell 4. Kept either way, since its parameters differ.
    notebook = _fixture("noop_other_parameters_used_without_call.ipynb")
    read = _cells_read(monkeypatch)
    explained = refactor(notebook, Config(now=FIXED_NOW, mode=Mode.CHECK), catalog)
    assert read == [3, 4]
    read.clear()
    unexplained = refactor(
        notebook, Config(now=FIXED_NOW, mode=Mode.CHECK, explains=False), catalog
    )
    assert read == []  # cell 3's definition is read from its header (`analysis.headers`)
    assert [found.code for found in explained.report.kept] == ["NBR205"]
    # What such a run shows is the same: nothing changes, one definition kept.
    assert [found.code for found in unexplained.report.kept] == ["NBR220"]
    assert not explained.changed and not unexplained.changed


def test_a_run_that_does_not_explain_reads_every_cell_when_a_definition_could_go(
    catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    notebook = _notebook(
        code('def visualize_gradient_norms(norms, title="Norms"):\n    pass\n'),
        code(HEATMAP_DEF),  # the library's parameters: it could go
        code("visualize_gradient_norms(g)\nvisualize_entropy_heatmap(e)"),
    )
    read = _cells_read(monkeypatch)
    result = refactor(notebook, Config(now=FIXED_NOW, mode=Mode.CHECK, explains=False), catalog)
    assert read == [3, 4, 2, 5]
    assert [(found.cell, found.code) for found in result.report.kept] == [(3, "NBR220")]
    assert [found.name for found in result.report.replaced] == ["visualize_entropy_heatmap"]
    assert result.changed


def test_a_definition_kept_with_another_of_its_name_is_not_one_that_could_go(
    catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Cell 4 has the library's parameters, but cell 3's keep both (a name's
    # definitions go together): nothing can go, whatever the other cells hold.
    notebook = _notebook(
        code('def visualize_gradient_norms(norms, title="Norms"):\n    pass\n'),
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)"),
    )
    read = _cells_read(monkeypatch)
    explained = refactor(notebook, Config(now=FIXED_NOW, mode=Mode.CHECK), catalog)
    assert read == [3, 4, 5]  # not cell 2, the import cell: no import can go there
    read.clear()
    unexplained = refactor(
        notebook, Config(now=FIXED_NOW, mode=Mode.CHECK, explains=False), catalog
    )
    assert read == []  # both read from their headers
    for result in (explained, unexplained):
        assert not result.changed
        assert [(found.cell, found.code) for found in result.report.kept] == [
            (3, "NBR220"),
            (4, "NBR224"),
        ]


@pytest.mark.parametrize(
    "name", ["NeuralPlasticityDemo.ipynb", "broken_def_body.ipynb", "callback_compatible.ipynb"]
)
def test_check_parses_each_cell_at_most_once(
    name: str, catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader parses what it reads once, and the rules query what it read: a rule that
    parses cells again (the demo's cells name `gradients`, the last part of the module
    `viz_utils.gradients`) multiplies the cost of `--check`."""
    import ast
    from collections import Counter

    notebook = _fixture(name)
    cell_texts = {cell.source for cell in notebook.cells if cell.cell_type == "code"}
    parsed: Counter[str] = Counter()
    real = ast.parse

    def counting(source: Any, *args: Any, **kwargs: Any) -> Any:
        if source in cell_texts:
            parsed[source] += 1
        return real(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting)
    refactor(notebook, Config(mode=Mode.CHECK, quiet=True), catalog)
    assert parsed, "the reader parses the cells naming a library function"
    assert [text[:40] for text, count in parsed.items() if count > 1] == []


def test_a_migration_of_a_cell_that_does_not_parse_leaves_no_garbage_cycle(catalog) -> None:
    """What the reader makes is freed as soon as it is dropped, not left to the cycle
    collector: a kept SyntaxError held its traceback's frames, and through them every
    caller's locals (the notebook, its trees), in a cycle the collector had to find, most
    of the cyclic garbage of a run over real notebooks (a third have such a cell)."""
    import gc

    notebook = _notebook(code("# helper\n" + GRAD_DEF + "\nprint('unclosed'\n"))
    config = Config(mode=Mode.CHECK, quiet=True)
    refactor(notebook, config, catalog)  # once, for the caches a first run fills
    gc.collect()
    gc.disable()
    try:
        result = refactor(notebook, config, catalog)
        assert result.changed
        del result
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_a_definitions_free_names_are_asked_of_symtable_once(
    catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader asks a definition's free names (does Python compile it?) and what it reads
    from the notebook asks them again: the reading keeps the answer, which `free_names`'s
    own cache (1,024 texts) lost on a notebook of 10,000 definitions, running symtable twice
    on each."""
    notebook = _fixture("noop_other_parameters_and_notebook_variable.ipynb")
    asked: list[str] = []
    real = nbrefactor.analysis.reader.free_names

    def recording(source: str) -> Any:
        asked.append(source)
        return real(source)

    def refusing(source: str) -> Any:
        raise AssertionError("free names asked again of a definition the reader read")

    monkeypatch.setattr(nbrefactor.analysis.reader, "free_names", recording)
    monkeypatch.setattr(nbrefactor.analysis.hidden_inputs, "free_names", refusing)
    program = read_program(notebook, catalog, defined_names(notebook, catalog))

    read = {binding.cell: found for binding, found in program.hidden_inputs.items()}
    assert [found.name for found in read[5]] == ["FIG_DIR"]
    assert len(asked) == len(set(asked)) == 2  # cells 3 and 5, once each


def test_the_cells_are_read_with_the_collector_off_and_it_is_back_after(
    catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trees read are kept until the rules are done and hold no cycle (the test above):
    the cyclic collector, which walked them all at each collection, is off while they are
    read, then on again, as the caller had it."""
    import gc

    notebook = _notebook(code("# helper\n" + GRAD_DEF), code("visualize_gradient_norms(g)"))
    enabled: list[bool] = []
    real = nbrefactor.analysis.program_reader.read_cell

    def recording(*args: Any, **kwargs: Any) -> Any:
        enabled.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(nbrefactor.analysis.program_reader, "read_cell", recording)
    assert gc.isenabled()
    read_program(notebook, catalog, defined_names(notebook, catalog))
    assert enabled and not any(enabled)
    assert gc.isenabled()

    gc.disable()  # a caller's choice stays
    try:
        read_program(notebook, catalog, defined_names(notebook, catalog))
        assert not gc.isenabled()
    finally:
        gc.enable()

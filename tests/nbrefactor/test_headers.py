"""A run that does not explain reads a definition kept for its parameters from its header alone.

`analysis.headers` reads a cell's definitions from their `def` headers when
the text shows that the whole reading would count the same definitions;
otherwise the cell is read whole. Either way the run decides the same.
"""

from __future__ import annotations

from unittest import mock

import pytest
from conftest import FIXED_NOW, GRAD_DEF, IMPORTS, TITLE, code, notebook_text
from hypothesis import given
from hypothesis import strategies as st
from test_program import _cells_read
from test_properties import (
    EDITED_DEFS,
    GRADIENT_NORMS,
    LIBRARY_DEFS,
    SETTINGS,
    SIMPLE_GROUPS,
    Spec,
    broken_def_cells,
    def_cells,
    notebooks,
)

import nbrefactor.analysis.program_reader
from nbrefactor.analysis.catalog import Catalog
from nbrefactor.analysis.headers import header_reading, stands_alone
from nbrefactor.analysis.reader import CellReading
from nbrefactor.config import Config, Mode
from nbrefactor.nbfile.notebook import parse_notebook
from nbrefactor.refactor import Result, refactor

NAMES = frozenset({"visualize_gradient_norms", "visualize_entropy_heatmap"})
OTHER_PARAMETERS = "def visualize_gradient_norms(norms, title):\n    plt.imshow(norms)\n"
UNEXPLAINED = Config(now=FIXED_NOW, mode=Mode.CHECK, explains=False)


def read_headers(number: int, source: str, names: frozenset[str]) -> CellReading | None:
    """The headers' reading as `read_program` takes it, or None (the cell is read whole)."""
    header = header_reading(number, source, names)
    if header is None or not stands_alone(source, header.doubtful):
        return None
    return header.reading


def _refusing_read(*args: object, **kwargs: object) -> None:
    raise AssertionError("a cell was read whole")


def _check(notebook_json: str, catalog: Catalog, config: Config = UNEXPLAINED) -> Result:
    return refactor(parse_notebook(notebook_json), config, catalog)


def test_a_definition_in_a_broken_cell_is_decided_from_its_header(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stray `)` makes the cell a broken one, read in pieces with tree-sitter when read whole.
    text = notebook_text(TITLE, IMPORTS, code(OTHER_PARAMETERS + 'print("loaded"))\n'))
    explained = _check(text, catalog, Config(now=FIXED_NOW, mode=Mode.CHECK))
    monkeypatch.setattr(nbrefactor.analysis.program_reader, "read_cell", _refusing_read)
    result = _check(text, catalog)
    assert not result.changed and not explained.changed
    assert [(found.cell, found.code) for found in result.report.kept] == [(3, "NBR220")]
    assert [(found.cell, found.code) for found in explained.report.kept] == [(3, "NBR220")]


def test_the_header_reading_holds_each_definition_with_its_parameters() -> None:
    source = "import torch\n\n" + OTHER_PARAMETERS + "\nvisualize_gradient_norms(g, 'x'))\n"
    reading = read_headers(7, source, NAMES)
    assert reading is not None and reading.skeletal and reading.editable
    [binding] = reading.facts.bindings
    assert binding.name == "visualize_gradient_norms" and binding.cell == 7
    assert binding.node is not None and binding.node.lineno == 3
    assert [argument.arg for argument in binding.node.args.args] == ["norms", "title"]


@pytest.mark.parametrize(
    "source",
    [
        # a header over several lines, its parameters' brackets open
        "def visualize_gradient_norms(norms,\n        title='Norms'):\n    pass\n",
        # a decorator: the def is still a top-level definition
        "@torch.no_grad()\n" + OTHER_PARAMETERS,
        # a triple quote above, in text that parses: the def starts a statement
        'def helper():\n    """Doc."""\n\n' + OTHER_PARAMETERS,
        # Windows line ends
        ("x = 1\r\n" + OTHER_PARAMETERS).replace("\n", "\r\n").replace("\r\r\n", "\r\n"),
    ],
)
def test_headers_read_alone(source: str) -> None:
    reading = read_headers(1, source, NAMES)
    assert reading is not None
    assert [binding.name for binding in reading.facts.bindings] == ["visualize_gradient_norms"]


@pytest.mark.parametrize(
    ("source", "kept"),
    [
        # one line: the header with a `pass` body does not parse
        ("def visualize_gradient_norms(norms, title): return norms\n", 1),
        # inside a string: the text before it does not parse, and the cell holds no definition
        ('DOC = """\ndef visualize_gradient_norms(norms, title):\n"""\n', 0),
        # a line continued by a backslash, which could be in a string
        ("x = 'a\\\ndef visualize_gradient_norms(norms, title):'\n", 0),
        # a line continued by a backslash: a header its own line does not hold (the gate
        # sees it, round 62a M1: both definitions are kept, where the second went unreported)
        (OTHER_PARAMETERS + "def visualize_attention_matrix \\\n(m, t):\n    pass\n", 2),
        # the same name twice (kept alike in one cell: one report line)
        (OTHER_PARAMETERS + "\n" + OTHER_PARAMETERS, 1),
        # not at the start of a line: nested, or glued to other code
        ("class Plots:\n    def visualize_gradient_norms(self, norms):\n        pass\n", 0),
        ("x = 1; def visualize_gradient_norms(norms, title):\n    pass\n", 1),
        # an async def: read whole, and reported as kept (NBR228)
        ("async def visualize_gradient_norms(norms, title):\n    pass\n", 1),
        # a cell magic
        ("%%time\n" + OTHER_PARAMETERS, 1),
        ("%%bash\necho 'def visualize_gradient_norms(norms):'\n", 1),
    ],
)
def test_a_header_that_cannot_be_read_alone_falls_back_to_the_whole_cell(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch, source: str, kept: int
) -> None:
    assert read_headers(3, source, NAMES) is None
    read = _cells_read(monkeypatch)
    result = _check(notebook_text(TITLE, IMPORTS, code(source)), catalog)
    assert read == [3]
    assert not result.changed
    assert len(result.report.kept) == kept


def test_a_definition_that_could_go_reads_the_cells_whole(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Cell 3's header keeps it; cell 4's has the library's parameters: the cells are read.
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(OTHER_PARAMETERS.replace("visualize_gradient_norms", "visualize_entropy_heatmap")),
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)"),
    )
    monkeypatch.setattr(nbrefactor.analysis.program_reader, "read_cell", _refusing_read)
    with pytest.raises(AssertionError, match="read whole"):
        _check(text, catalog)


def test_a_definition_kept_with_a_later_one_of_its_name_is_decided_from_the_headers(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Cell 3 has the library's parameters, but cell 4 defines the name again with others: both
    # stay (a name's definitions go together), as a migrated project's notebooks often show.
    text = notebook_text(
        TITLE, IMPORTS, code(GRAD_DEF), code(OTHER_PARAMETERS), code("visualize_gradient_norms(g)")
    )
    monkeypatch.setattr(nbrefactor.analysis.program_reader, "read_cell", _refusing_read)
    result = _check(text, catalog)
    assert not result.changed
    assert [(found.cell, found.code) for found in result.report.kept] == [
        (3, "NBR224"),
        (4, "NBR220"),
    ]


# Definitions kept for their parameters, also inside strings, classes and after a docstring.
KEPT_DEFS = [
    GRADIENT_NORMS.replace("grad_norm_values", "norms"),
    OTHER_PARAMETERS,
    OTHER_PARAMETERS.replace("visualize_gradient_norms", "visualize_entropy_heatmap"),
]
TRICKY = [
    'DOC = """\n' + OTHER_PARAMETERS + '"""',
    'def helper():\n    """Doc."""\n\n' + OTHER_PARAMETERS,
    "'''\n" + OTHER_PARAMETERS,
    "class Plots:\n    " + OTHER_PARAMETERS.replace("\n", "\n    "),
    OTHER_PARAMETERS.replace("\n", " ", 1),
]
MOSTLY_KEPT = st.one_of(
    *SIMPLE_GROUPS,
    def_cells(KEPT_DEFS),
    broken_def_cells(KEPT_DEFS),
    def_cells(KEPT_DEFS + EDITED_DEFS + LIBRARY_DEFS),
    st.sampled_from([Spec("code", text) for text in TRICKY]),
)


def _shown(result: Result) -> tuple[object, ...]:
    """What a run that does not explain shows of a notebook: changed or not, how many kept,
    and, for a notebook that changes, its report and sources."""
    report = result.report
    return (result.changed, len(report.kept), report.replaced, report.notes, report.warnings)


@SETTINGS
@given(text=notebooks(MOSTLY_KEPT))
def test_reading_headers_decides_as_reading_the_cells(catalog: Catalog, text: str) -> None:
    with_headers = _check(text, catalog)
    with mock.patch.object(nbrefactor.analysis.program_reader, "_headers", return_value=None):
        whole = _check(text, catalog)
    assert _shown(with_headers) == _shown(whole)


def test_a_definition_the_gate_does_not_see_is_counted_as_when_read_whole(
    catalog: Catalog,
) -> None:
    """`def NAME \\` then `(...)`: the gate's pattern misses it, the full reading of its
    cell (read for another name) sees it, when NAME is defined plainly in another cell."""
    continued = "def visualize_gradient_norms \\\n(norms, title):\n    pass\n"
    cell = "def visualize_attention_matrix(m, t):\n    pass\n" + continued
    text = notebook_text(TITLE, IMPORTS, code(OTHER_PARAMETERS), code(cell))
    with_headers = _check(text, catalog)
    with mock.patch.object(nbrefactor.analysis.program_reader, "_headers", return_value=None):
        whole = _check(text, catalog)
    assert len(whole.report.kept) == 3
    assert _shown(with_headers) == _shown(whole)

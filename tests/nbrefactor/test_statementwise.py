"""A huge cell read statement by statement migrates exactly as when read whole.

`statementwise` reads cells above `HUGE_CELL` characters one top-level statement
at a time and keeps of each tree only what rules and edits use. Lowering the
threshold to 0 sends every cell of every fixture that way: the bytes and the
report must be those of the fixture's expected files.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap

import pytest
from conftest import REPO, code, notebook_text
from test_fixture_cases import INPUTS, _migrate, _report_lines
from test_rule_same_function import BINDINGS, NOT_BINDINGS

from nbrefactor.analysis import reader
from nbrefactor.analysis.cell_facts import collect_facts
from nbrefactor.analysis.mentions import Watched
from nbrefactor.analysis.notebook_variables import NotebookVariables
from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.analysis.statementwise import NotWhole, read_statementwise, statement_chunks
from nbrefactor.analysis.text import split_lines
from nbrefactor.edits.indentation import block_indent, default_indent
from nbrefactor.edits.layout import cell_pieces
from nbrefactor.nbfile.notebook import parse_notebook


@pytest.fixture
def every_cell_huge(monkeypatch):
    monkeypatch.setattr(reader, "HUGE_CELL", 0)


@pytest.mark.parametrize("source", INPUTS, ids=lambda path: path.stem)
def test_fixture_read_statementwise_migrates_to_expected(source, catalog, config, every_cell_huge):
    expected_path = source.with_name(source.stem + ".expected.ipynb")
    report_path = source.with_name(source.stem + ".report.txt")
    original = source.read_bytes()
    migrated, result = _migrate(original.decode("utf-8"), catalog, config)
    expected = expected_path.read_bytes() if expected_path.exists() else original
    assert migrated.encode("utf-8") == expected
    expected_report = report_path.read_text(encoding="utf-8") if report_path.exists() else ""
    assert _report_lines(result) == expected_report


CELL = textwrap.dedent(
    '''\
    import numpy as np
    doc = """
    x = 1
    def plot(a):
    """
    values = [
    1,
    2,
    ]
    @decorator
    def plot(a, b=2):
        return plot_helper(a)
    if values:
        pass
    elif doc:
        plot(1)
    else:
        y = plot
    try:
        plot(2, b=3)
    except ValueError:
        pass
    '''
)


def _ast_type(node: ast.AST) -> type:
    """The `ast` class a node is of (a skeleton's type derives from its statement's)."""
    return next(kind for kind in type(node).__mro__ if kind.__module__ == "ast")


def test_facts_are_those_of_the_whole_tree():
    watched = Watched(frozenset({"plot"}), "viz_utils")
    whole = collect_facts(1, ast.parse(CELL), CELL, watched)
    facts = read_statementwise(1, CELL, watched)
    assert [_ast_type(node) for node in facts.tree.body] == [type(n) for n in whole.tree.body]
    assert [statement_lines(node) for node in facts.tree.body] == [
        statement_lines(node) for node in whole.tree.body
    ]
    assert repr(facts.uses) == repr(whole.uses)
    assert [use.line for use in facts.uses] == [16, 18, 20]
    assert [(b.name, b.position, b.kind) for b in facts.bindings] == [
        (b.name, b.position, b.kind) for b in whole.bindings
    ]
    definition = facts.bindings[0].node
    assert definition is not None and ast.dump(definition, include_attributes=True) == ast.dump(
        whole.tree.body[3], include_attributes=True
    )
    assert facts.import_statements == whole.import_statements


def test_a_string_over_column_0_lines_is_one_piece():
    chunks = list(statement_chunks(CELL))
    assert [offset for offset, _ in chunks][:2] == [0, 1]  # the import, then the string
    assert len(chunks[1][1]) >= 1 and isinstance(chunks[1][1][0], ast.Assign)


def test_a_cell_that_does_not_parse_is_not_whole():
    with pytest.raises(NotWhole):
        list(statement_chunks("x = 1\ny = (\nz = 2\n"))


def test_huge_cell_memory_is_bounded_by_its_statements(tmp_path):
    """Reading a 5 MB cell of many statements stays far below its whole syntax tree."""
    script = textwrap.dedent(
        """\
        import resource
        from nbrefactor.analysis.mentions import Watched
        from nbrefactor.analysis.reader import read_cell
        block = "".join(f"value_{i} = compute({i}, [{i}, {i} + 1], key='k')\\n" for i in range(40))
        cell = "def plot(a):\\n    return a\\n" + block * 3000 + "plot(1)\\n"
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        reading = read_cell(1, cell, Watched(frozenset({"plot"}), "viz_utils"), whole_trees=False)
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        print(len(cell), grown * 1024, len(reading.facts.uses))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    size, grown, uses = map(int, done.stdout.split())
    assert uses == 1
    assert size > 5_000_000
    assert grown < 10 * size  # whole, its syntax tree alone takes over 50 times the cell


LAYOUT_CELLS = [
    CELL,
    "@first\n@second(1)\nclass A:\n\n\n  x = 1\n  # footer of A\n\n# about f\ndef f():\n    pass\n",
    "for i in x:\n    a()\nelse:\n\tb()\n  # indented comment\n\ny = 2\n",
    "try:\n    a()\nexcept E:\n        b()\nexcept F:\n      c()\n      d()\n# after\n",
    "try:\n    a()\nfinally:\n   c()\nwhile x:\n  y()\n",
    "if a:\n    pass\nelif b:\n      c()\nelif d:\n  e()\n  f()\nz = 1\n",
    "if a:\n    pass\nelse:\n    if b:\n            c()\n",
    "if a: b()\nwith x as y:\n     z()\nasync def g():\n   await h()\n",
    "match v:\n    case 1:\n          a()\n    case _:\n        b()\nx = 1; y = 2\n",
]


@pytest.mark.parametrize("text", LAYOUT_CELLS, ids=[f"cell{i}" for i in range(len(LAYOUT_CELLS))])
def test_skeletons_lay_out_as_whole_statements(text):
    """Edits cut cells into pieces, find indents, and remove statements from skeletons alone."""
    watched = Watched(frozenset({"plot"}), "viz_utils")
    whole = ast.parse(text).body
    skeletons = read_statementwise(1, text, watched).tree.body
    lines = split_lines(text)
    assert repr(cell_pieces(lines, skeletons)) == repr(cell_pieces(lines, whole))
    assert default_indent(skeletons, lines) == default_indent(whole, lines)
    assert [block_indent(node, lines) for node in skeletons] == [
        block_indent(node, lines) for node in whole
    ]


HUGE_BINDINGS = {
    **BINDINGS,
    "after ; on the last line of a statement": 's = ("é",\n     "ü"); K = 1',
    "after ; behind non-ASCII text": 's = "日本"; K = 1',
    "decorated class": "@dataclass\nclass C:\n    global K\n    K = 1",
    "after a statement on a continued line": "x = 1 + \\\n    2; K = 3",
}


@pytest.mark.parametrize("source", HUGE_BINDINGS.values(), ids=HUGE_BINDINGS.keys())
def test_a_huge_cell_binds_what_it_binds_whole(source, every_cell_huge):
    """Of a huge cell only statements' lines are kept: a statement is parsed again from its
    text (cut at its columns, in characters, not bytes) when a name may be bound there."""
    notebook = parse_notebook(notebook_text(code("x = 1"), code(source)))
    assert NotebookVariables(notebook).first_binding("K") == 2


@pytest.mark.parametrize("source", NOT_BINDINGS.values(), ids=NOT_BINDINGS.keys())
def test_a_huge_cell_does_not_bind_what_it_does_not_bind_whole(source, every_cell_huge):
    notebook = parse_notebook(notebook_text(code('s = "é"; t = 1'), code(source)))
    assert NotebookVariables(notebook).first_binding("K") is None

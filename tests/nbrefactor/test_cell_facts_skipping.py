"""Skipping what names no watched name changes no fact.

`collect_facts` walks only the statements on lines that mention a watched
name, and within a block finds them by bisection (`_visit_block`). The
reference is the same collector told that every line mentions one, going
through each block statement by statement: it walks everything. On every
code cell of every fixture, and on cells that put mentions in awkward places
(`;`, decorators, `else` blocks, nested functions and lambdas), both must
record the same bindings and uses.
"""

from __future__ import annotations

import ast
import json
import textwrap

import pytest
from conftest import FIXTURES

from nbrefactor.analysis.cell_facts import CellFacts, FactsCollector, collect_facts
from nbrefactor.analysis.magics import MaskingError, mask_magics
from nbrefactor.analysis.mentions import Watched

WATCHED = [
    Watched(frozenset({"visualize_gradient_norms", "visualize_attention_matrix"}), "viz_utils"),
    Watched(frozenset({"np", "plt", "x", "f"}), "viz_utils"),
]

AWKWARD = [
    "for i in range(3):\n    a = 1\n    b = 2; f(i)\n    c = 3\nelse:\n    f(0)\n",
    "while True:\n    pass\n    if x:\n        break\n    else:\n        y = f\n",
    "@f\ndef g(a, b=x):\n    def h():\n        return f(a)\n    return h\n",
    "try:\n    a = 1\nexcept E as x:\n    b = 2\n    f(x)\nfinally:\n    f = 3\n",
    "with open(p) as f:\n    for line in f:\n        g = lambda v: f(v)\n",
    "class C:\n    x = 1\n    def m(self):\n        global f\n        f = 2\n",
    "match v:\n    case [x, *rest]:\n        a = 1\n        f(x)\n    case _:\n        pass\n",
    "a = 1; b = 2; x = f(a)\nif a:\n    pass\nelif b:\n    c = 1\n    np.sum(x)\n",
]


class _EveryLineMentioned(FactsCollector):
    """Walks every statement: each line counts as a mention, each block is gone through."""

    def __init__(self, facts: CellFacts, text: str, watched: Watched) -> None:
        super().__init__(facts, text, watched)
        self.mention_lines = list(range(1, text.count("\n") + 2))

    def _visit_block(self, block: list[ast.stmt]) -> None:
        for statement in block:
            self.visit(statement)


def _facts(text: str, watched: Watched, collector: type[FactsCollector]) -> tuple:
    tree = ast.parse(text)
    if collector is FactsCollector:
        facts = collect_facts(1, tree, text, watched)
    else:
        facts = CellFacts(cell=1, tree=tree)
        walker = collector(facts, text, watched)
        for index, statement in enumerate(tree.body):
            walker.collect(index, statement)
    return (
        [(b.name, b.position, b.kind, b.source_module) for b in facts.bindings],
        [(u.name, u.position, u.deferred, u.call, u.line, u.column) for u in facts.uses],
        [vars(unreadable) for unreadable in facts.unreadable],
        facts.import_statements,
        facts.module_imports,
        facts.star_imports,
    )


def _fixture_cells() -> list[str]:
    cells = []
    for path in sorted(FIXTURES.glob("*.ipynb")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        for cell in data.get("cells", []) if isinstance(data, dict) else []:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else source
            if not isinstance(text, str):
                continue
            try:
                masked = mask_magics(text).text
                ast.parse(masked)
            except (SyntaxError, ValueError, MaskingError):  # read in pieces, elsewhere
                continue
            cells.append(masked)
    return cells


@pytest.mark.parametrize("text", AWKWARD)
@pytest.mark.parametrize("watched", WATCHED, ids=["library", "common names"])
def test_awkward_cells_give_the_facts_of_a_full_walk(text, watched):
    text = textwrap.dedent(text)
    assert _facts(text, watched, FactsCollector) == _facts(text, watched, _EveryLineMentioned)


@pytest.mark.parametrize("watched", WATCHED, ids=["library", "common names"])
def test_fixture_cells_give_the_facts_of_a_full_walk(watched):
    cells = _fixture_cells()
    assert len(cells) > 100
    for text in cells:
        assert _facts(text, watched, FactsCollector) == _facts(
            text, watched, _EveryLineMentioned
        ), text[:200]

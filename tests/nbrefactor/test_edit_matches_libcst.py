"""nbrefactor edits cell text; libcst, which knows Python's layout, must agree with every edit.

The reference (libcst_reference.py) removes definitions with libcst's own
transformer and writes the import with AddImportsVisitor; where nbrefactor's
layout departs from libcst's on purpose, the departure is named there and
pinned here (KNOWN_DEPARTURES): libcst's own result without it, nbrefactor's
with it. Everything else must be equal.

Cells are built from statements (simple lines, `;`-joined lines, defs with
decorators and nested blocks, loops with `else`, one-line suites, imports from
the library, parenthesized and wrapped), comments at every indentation and
blank lines (empty or holding whitespace). Each test removes some top-level
definitions and adds the import the way a migration does, with the text
implementation and with the libcst reference, and compares the results.
"""

from __future__ import annotations

import ast
import os

import libcst
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from libcst_reference import ALL_DEPARTURES, DEPARTURES, reference_edit

from nbrefactor.edits.edit import _restructured
from nbrefactor.rules.import_decision import ImportEdit, InsertMode

SETTINGS = settings(
    max_examples=int(os.environ.get("NBREFACTOR_PROPERTY_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

SIMPLE = [
    "x = 1",
    "a = 1; b = 2",
    "print('hi')  # trailing",
    "result = compute(\n    1,\n    2,\n)",
    "import numpy as np",
    "from viz_utils import visualize_attention_matrix",
    "from viz_utils import (\n    visualize_attention_matrix,\n    visualize_entropy_heatmap,\n)",
    "from viz_utils import visualize_entropy_heatmap as heat, visualize_attention_matrix",
    "if ready: go()",
]
COMPOUND = [
    "for step in range(3):\n    train(step)",
    "for step in range(3):\n    train(step)\nelse:\n    done()",
    "if a:\n    one()\nelif b:\n    two()\nelse:\n    three()",
    "try:\n    risky()\nexcept ValueError:\n    pass",
    "with open(p) as f:\n    data = f.read()",
    "class Model:\n    def forward(self):\n        return 1",
]
DEFS = [
    "def visualize_gradient_norms(g, title='x'):\n    plt.imshow(g)\n    return plt.gcf()",
    "def visualize_entropy_heatmap(e):\n    if e is None:\n        return\n    plt.imshow(e)",
    "@decorated\ndef visualize_attention_matrix(a):\n    return a",
    "def visualize_training_progress(m): return m",
    "def visualize_normalized_entropy(e, m):\n    return plot(\n        e,\n)",
]
COMMENT_INDENTS = ["", "  ", "    ", "        ", "\t"]
BLANKS = ["\n", "    \n", "  \n"]


@st.composite
def gaps(draw) -> str:
    """Blank and comment lines between statements, or nothing."""
    lines = draw(
        st.lists(
            st.one_of(
                st.sampled_from(BLANKS),
                st.sampled_from(COMMENT_INDENTS).map(lambda indent: indent + "# note\n"),
            ),
            max_size=4,
        )
    )
    return "".join(lines)


@st.composite
def cells(draw) -> tuple[str, list[int]]:
    """A cell's text and the indices (among its pieces) of the definitions in it."""
    pool = st.sampled_from(SIMPLE + COMPOUND + DEFS)
    statements = draw(st.lists(pool, min_size=1, max_size=6))
    if not any(statement in DEFS for statement in statements):
        statements.insert(draw(st.integers(0, len(statements))), draw(st.sampled_from(DEFS)))
    text = draw(gaps())
    for statement in statements:
        text += statement + "\n" + draw(gaps())
    if draw(st.booleans()):
        text = text.rstrip("\n")  # no final newline, as Jupyter often saves
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text


def _defs(tree: ast.Module) -> list[int]:
    return [i for i, node in enumerate(tree.body) if isinstance(node, ast.FunctionDef)]


@st.composite
def edits(draw):
    text = draw(cells())
    tree = ast.parse(text)
    definitions = _defs(tree)
    removed = frozenset(draw(st.sets(st.sampled_from(definitions), min_size=1)))
    names = tuple(
        sorted(
            draw(
                st.sets(
                    st.sampled_from(
                        [
                            "visualize_gradient_norms",
                            "a_very_long_name_for_wrapping_the_import_line_beyond_eighty_eight",
                        ]
                    ),
                    min_size=1,
                )
            )
        )
    )
    choices = ["none", "replace"]
    if 0 not in removed:
        choices.append("top")
    after = [i for i in range(1, len(tree.body) + 1)]
    choices.append("after")
    merges = [
        i
        for i, node in enumerate(tree.body)
        if isinstance(node, ast.ImportFrom) and node.module == "viz_utils"
    ]
    if merges:
        choices.append("merge")
    kind = draw(st.sampled_from(choices))
    if kind == "none":
        edit = None
    elif kind == "replace":
        edit = ImportEdit("viz_utils", names, min(removed), merge=False, mode=InsertMode.REPLACE)
    elif kind == "top":
        edit = ImportEdit("viz_utils", names, 0, merge=False, mode=InsertMode.TOP)
    elif kind == "after":
        index = draw(st.sampled_from(after))
        edit = ImportEdit("viz_utils", names, index, merge=False, mode=InsertMode.AFTER)
    else:
        edit = ImportEdit("viz_utils", names, draw(st.sampled_from(merges)), merge=True)
    return text, tree, removed, edit


@SETTINGS
@given(case=edits())
def test_text_edits_match_libcst(case):
    text, tree, removed, edit = case
    # libcst drops a blank line before a whitespace-only last line ('x\n\n    \n'):
    # there it is not a reference.
    assume(libcst.parse_module(text).code == text)
    assert _restructured(text, tree, removed, edit) == reference_edit(text, tree, removed, edit)


@pytest.mark.parametrize(
    "text",
    [
        "x = 1\ndef visualize_gradient_norms(g):\n    a = 1\n    # c1\n\n    # c2\n  # c3\n      # c4\n# c5\n\ny = 2\n",
        "def visualize_gradient_norms(g):\n    a = 1\n# col 0\n    # indented again\ny = 2\n",
        "# header\n\n# attached\ndef visualize_gradient_norms(g):\n    a = 1\n",
        "x = 1\n\n\n# about it\ndef visualize_gradient_norms(g):\n    a = 1\n\n\ny = 2",
        "for i in r:\n    a()\n    # footer of the loop\ndef visualize_gradient_norms(g):\n    a = 1\n",
        "x = 1\ndef visualize_gradient_norms(g):\n    a = 1\n# last, then a blank line\n\n",
    ],
)
@pytest.mark.parametrize("mode", [None, InsertMode.REPLACE, InsertMode.AFTER])
def test_footers_and_attached_comments_match_libcst(text, mode):
    tree = ast.parse(text)
    removed = frozenset(_defs(tree))
    index = min(removed)
    edit = None
    if mode is InsertMode.REPLACE:
        edit = ImportEdit("viz_utils", ("a",), index, merge=False, mode=mode)
    elif mode is InsertMode.AFTER:
        edit = ImportEdit("viz_utils", ("a",), len(tree.body), merge=False, mode=mode)
    assert _restructured(text, tree, removed, edit) == reference_edit(text, tree, removed, edit)


GRAD_DEF = (
    "def visualize_gradient_norms(grad_norm_values, pruned_heads=None, revived_heads=None,"
    " title='Gradient Norms', save_path=None):\n"
    "    plt.imshow(grad_norm_values)\n"
    "    return plt.gcf()\n"
)


@pytest.mark.parametrize(
    "definition",
    [
        GRAD_DEF
        + "    # an indented comment after the body belongs to it\n\n# this one does not\n",
        "def visualize_gradient_norms(grad_norm_values, pruned_heads=None): return 1\n# after\n",
        (
            "def visualize_gradient_norms(grad_norm_values,\n        pruned_heads=None): return 1\n"
            "    # indented\n"
        ),
        "@decorate(\n    option=1,\n)\n" + GRAD_DEF + "\n\n\n# trailing section comment",
    ],
    ids=["block-footer", "one-line", "suite-after-signature", "multi-line-decorator"],
)
def test_definitions_with_footers_decorators_and_suites_match_libcst(definition):
    text = "x = 1\n\n" + definition
    tree = ast.parse(text)
    removed = frozenset({1})
    assert _restructured(text, tree, removed, None) == reference_edit(text, tree, removed, None)
    assert "visualize_gradient_norms(" not in _restructured(text, tree, removed, None)


# -- the departures from libcst, each pinned ------------------------------------

_DEF = "def visualize_gradient_norms(g):\n    return g\n"
_NAME = ("visualize_gradient_norms",)
_LONG = ("a_very_long_name_for_wrapping_the_import_line_beyond_eighty_eight", *_NAME)

# name: (cell, removed statements, import edit, what libcst alone makes of it)
KNOWN_DEPARTURES = {
    "header-comments-belong-to-the-first-statement": (
        "# plots the norms\n" + _DEF + "x = 1\n",
        {0},
        None,
        "# plots the norms\nx = 1\n",
    ),
    "detached-lines-kept": (
        "x = 1\n\n# -- plotting --\n\n# the norms\n" + _DEF + "y = 2\n",
        {1},
        None,
        "x = 1\ny = 2\n",
    ),
    "blank-edges-trimmed": (_DEF + "\n\nx = 1\n", {0}, None, "\n\nx = 1\n"),
    "top-import-below-detached-lines": (
        "# setup\n\n# the seed\nseed = 1\n" + _DEF,
        {1},
        ImportEdit("viz_utils", _NAME, 0, merge=False, mode=InsertMode.TOP),
        "from viz_utils import visualize_gradient_norms\n\n# setup\n\n# the seed\nseed = 1\n",
    ),
    "black-spacing-after-new-import": (
        "x = 1\n" + _DEF + "def other():\n    pass\n",
        {1},
        ImportEdit("viz_utils", _NAME, 1, merge=False, mode=InsertMode.REPLACE),
        "x = 1\nfrom viz_utils import visualize_gradient_norms\ndef other():\n    pass\n",
    ),
    "black-spacing-after-import-where-a-def-was": (
        "import numpy as np\n\n\n" + _DEF + "\n\nx = 1\n",
        {1},
        ImportEdit("viz_utils", _NAME, 1, merge=False, mode=InsertMode.AFTER),
        "import numpy as np\nfrom viz_utils import visualize_gradient_norms\n\n\nx = 1\n",
    ),
    "long-import-wrapped": (
        "x = 1\n" + _DEF,
        {1},
        ImportEdit("viz_utils", _LONG, 1, merge=False, mode=InsertMode.REPLACE),
        "x = 1\nfrom viz_utils import " + ", ".join(_LONG) + "\n",
    ),
    "colab-form-lines-kept": (  # sweep 29: the form lost its title
        '#@title Plot helpers { display-mode: "form" }\n' + _DEF + "THRESH = 0.5  #@param\n",
        {0},
        None,
        "THRESH = 0.5  #@param\n",
    ),
    "merged-names-in-order": (
        "from viz_utils import visualize_attention_matrix, visualize_entropy_heatmap\n" + _DEF,
        {1},
        ImportEdit("viz_utils", ("visualize_entropy_vs_gradient", *_NAME), 0, merge=True),
        (
            "from viz_utils import visualize_entropy_vs_gradient, visualize_gradient_norms,"
            " visualize_attention_matrix, visualize_entropy_heatmap\n"
        ),
    ),
}


def test_every_departure_from_libcst_is_named_and_pinned():
    assert set(KNOWN_DEPARTURES) == set(DEPARTURES)


@pytest.mark.parametrize("name", sorted(KNOWN_DEPARTURES))
def test_departure_from_libcst(name):
    """libcst alone gives the pinned text; nbrefactor departs from it in this one way."""
    text, removed, edit, libcst_alone = KNOWN_DEPARTURES[name]
    tree = ast.parse(text)
    nbrefactor_cell = _restructured(text, tree, frozenset(removed), edit)
    without = ALL_DEPARTURES - {name}
    assert reference_edit(text, tree, removed, edit, departures=without) == libcst_alone
    assert nbrefactor_cell != libcst_alone
    assert nbrefactor_cell == reference_edit(text, tree, removed, edit)


def test_with_no_departure_the_reference_is_libcst_alone():
    """No departure: the definition goes with all its leading lines and the import is
    AddImportsVisitor's line, in the place the rule chose."""
    text = "# a\nx = 1\n\n# b\n" + _DEF + "\n\ny = 2\n"
    tree = ast.parse(text)
    edit = ImportEdit("viz_utils", _NAME, 1, merge=False, mode=InsertMode.REPLACE)
    assert reference_edit(text, tree, {1}, edit, departures=()) == (
        "# a\nx = 1\nfrom viz_utils import visualize_gradient_norms\n\n\ny = 2\n"
    )


@pytest.mark.parametrize(
    ("text", "mode", "expected"),
    [
        (
            "# @title Helpers\n# plots the norms\n" + _DEF + "x = 1\n",
            None,
            "# @title Helpers\nx = 1\n",
        ),
        (
            "#@title Setup\n#@markdown Seeds the run.\nseed = 1\n" + _DEF,
            InsertMode.TOP,
            (
                "#@title Setup\n#@markdown Seeds the run.\n"
                "from viz_utils import visualize_gradient_norms\n\nseed = 1\n"
            ),
        ),
    ],
    ids=["removed", "import-atop"],
)
def test_colab_form_lines_stay_first_in_the_cell(text, mode, expected):
    """Colab reads a form's title from the cell's first lines: they are not the def's
    comments, and an import added atop the cell goes below them."""
    tree = ast.parse(text)
    removed = frozenset({len(tree.body) - 1 if mode is InsertMode.TOP else 0})
    edit = None if mode is None else ImportEdit("viz_utils", _NAME, 0, merge=False, mode=mode)
    cell = _restructured(text, tree, removed, edit)
    assert cell == expected
    assert cell == reference_edit(text, tree, removed, edit)

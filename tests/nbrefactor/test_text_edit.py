"""Edits as values (`edits/text_edit.py`): the constructors and the one applier."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbrefactor.edits.text_edit import Edit, OverlappingEdits, apply_edits


def test_constructors_say_what_the_edit_does():
    assert Edit.deletion(3, 2, 5) == Edit(3, 2, 5, "")
    assert Edit.insertion(3, 4, "x") == Edit(3, 4, 4, "x")
    assert Edit.replacement(3, 1, 2, "y") == Edit(3, 1, 2, "y")


def test_a_range_must_be_ordered():
    with pytest.raises(ValueError):
        Edit.deletion(1, 5, 2)


def test_splices_each_edit_at_its_place():
    text = "def f():\n    pass\nf()\n"
    edits = [Edit.deletion(1, 0, 18), Edit.replacement(1, 18, 19, "g")]
    assert apply_edits(text, edits) == "g()\n"


def test_edits_are_sorted_by_position_before_splicing():
    text = "abcdef"
    in_order = [Edit.replacement(1, 0, 1, "A"), Edit.deletion(1, 2, 4), Edit.insertion(1, 6, "!")]
    assert apply_edits(text, reversed(in_order)) == apply_edits(text, in_order) == "Abef!"


def test_insertions_at_one_place_keep_their_order_and_precede_a_deletion_there():
    edits = [Edit.deletion(1, 1, 2), Edit.insertion(1, 1, "x"), Edit.insertion(1, 1, "y")]
    assert apply_edits("abc", edits) == "axyc"


def test_overlapping_edits_are_refused_not_skipped():
    with pytest.raises(OverlappingEdits, match="cell 4"):
        apply_edits("abcdef", [Edit.deletion(4, 0, 3), Edit.replacement(4, 2, 4, "x")])
    with pytest.raises(OverlappingEdits):  # an insertion inside a deletion
        apply_edits("abcdef", [Edit.deletion(4, 0, 3), Edit.insertion(4, 1, "x")])


def test_touching_edits_are_not_overlapping():
    assert apply_edits("abcdef", [Edit.deletion(1, 0, 3), Edit.deletion(1, 3, 6)]) == ""


def test_edits_of_one_cell_only():
    with pytest.raises(ValueError):
        apply_edits("abc", [Edit.deletion(1, 0, 1), Edit.deletion(2, 1, 2)])


def test_an_edit_past_the_text_is_refused():
    with pytest.raises(ValueError):
        apply_edits("abc", [Edit.deletion(1, 2, 9)])


def test_no_edits_leave_the_text_as_it_is():
    assert apply_edits("a\r\nb", []) == "a\r\nb"


@given(
    text=st.text(max_size=30),
    cuts=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30), st.text(max_size=3))),
)
def test_disjoint_edits_splice_like_one_at_a_time_from_the_end(text, cuts):
    """Applying disjoint edits together equals applying them one by one, last first."""
    edits, taken = [], -1
    for start, end, new in sorted((min(a, b), max(a, b), new) for a, b, new in cuts):
        if start > taken and end <= len(text):
            edits.append(Edit(1, start, end, new))
            taken = end
    expected = text
    for edit in reversed(edits):
        expected = expected[: edit.start] + edit.text + expected[edit.end :]
    assert apply_edits(text, edits) == expected


# -- the layout's plan as edits (`layout.plan_edits`) ----------------------------------


def test_a_plan_keeps_its_lines_and_deletes_the_rest_in_runs():
    from nbrefactor.edits.layout import plan_edits

    lines = ["a = 1\n", "def f():\n", "    pass\n", "\n", "f()\n"]
    edits = plan_edits(7, lines, [0, "from m import f\n", 3, 4])
    assert edits == [Edit.insertion(7, 6, "from m import f\n"), Edit.deletion(7, 6, 24)]
    assert apply_edits("".join(lines), edits) == "a = 1\nfrom m import f\n\nf()\n"


def test_a_cell_without_a_final_newline_keeps_having_none():
    from nbrefactor.edits.layout import plan_edits

    text = "import numpy as np"
    lines = [text + "\n"]  # laid out with a line ending it does not have
    edits = plan_edits(1, lines, [0, "from m import f\n"], added_newline="\n")
    assert apply_edits(text, edits) == "import numpy as np\nfrom m import f"
    text = "x = 1\ndef f():\n    pass"
    lines = ["x = 1\n", "def f():\n", "    pass\n"]
    assert apply_edits(text, plan_edits(1, lines, [0], added_newline="\n")) == "x = 1"


def test_a_plan_left_blank_empties_the_cell():
    from nbrefactor.edits.layout import plan_edits

    lines = ["\n", "def f():\n", "    pass\n"]
    assert apply_edits("".join(lines), plan_edits(1, lines, [0])) == ""


@given(
    st.text(alphabet="ab \n\r#", max_size=30),
    st.sampled_from(["", "\n", "\r\n"]),
)
def test_the_offsets_of_lines_cut_from_a_text_are_those_of_its_lines_one_by_one(text, ending):
    """`line_offsets` takes a `TextLines`' own starts: the same as summing its lines."""
    from nbrefactor.analysis.text import TextLines
    from nbrefactor.edits.text_edit import line_offsets

    lines = TextLines(text, ending)
    assert list(line_offsets(lines)) == list(line_offsets(list(lines)))

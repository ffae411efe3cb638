"""The reason types are values: equal by type and fields, hashable, frozen, shown with their fields."""

from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path

import pytest

from nbrefactor import call_reasons, reasons

MIGRATION_DOC = Path(__file__).parents[2] / "docs" / "migration.md"


def test_reasons_are_equal_by_type_and_fields() -> None:
    keyword = call_reasons.UnknownKeyword("cmap", "viz_utils.f")
    assert keyword == call_reasons.UnknownKeyword("cmap", "viz_utils.f")
    assert keyword != call_reasons.UnknownKeyword("cmap", "viz_utils.g")
    assert reasons.ForwardedKeyword("cmap", "viz_utils.f") != keyword  # same fields, other type
    assert reasons.SignatureCompatible() == reasons.SignatureCompatible()  # no fields
    assert reasons.SignatureCompatible() != reasons.InBrokenCell("x", False)
    assert keyword != ("cmap", "viz_utils.f")
    assert len({keyword, call_reasons.UnknownKeyword("cmap", "viz_utils.f")}) == 1
    assert reasons.CallDoesNotBind(3, keyword) == reasons.CallDoesNotBind(3, keyword)


def test_reasons_are_frozen_and_shown_with_their_fields() -> None:
    reason = reasons.ParametersDiffer(("norms",), "viz_utils.f", ("values",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        reason.qualified_name = "other"  # type: ignore[misc]
    assert repr(reason) == (
        "ParametersDiffer(inline=('norms',), qualified_name='viz_utils.f', library=('values',))"
    )
    match reason:
        case reasons.ParametersDiffer(inline, name, library):
            assert (inline, name, library) == (("norms",), "viz_utils.f", ("values",))


def test_reasons_are_built_from_their_fields_as_a_dataclass_is() -> None:
    by_keyword = reasons.ReadsNotebookVariable(variable="FIG_DIR", cell=3, qualified_name="m.f")
    assert by_keyword == reasons.ReadsNotebookVariable("FIG_DIR", 3, "m.f")
    assert reasons.ReadsNotebookVariable.__match_args__ == ("variable", "cell", "qualified_name")
    assert reasons.SignatureCompatible.__match_args__ == ()  # `code` is a class variable
    with pytest.raises(TypeError):
        call_reasons.PassedTwice()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        call_reasons.PassedTwice("a", "b")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        call_reasons.PassedTwice("a", keyword="b")  # type: ignore[misc]
    with pytest.raises(TypeError):
        call_reasons.PassedTwice(word="a")  # type: ignore[call-arg]
    # A field with a value in the class body has that default, as in a dataclass.
    assert reasons.DefaultComputed("p", "f()", "m.f").library_default is None
    assert reasons.DefaultComputed("p", "f()", "m.f", "1").library_default == "1"
    assert reasons.DefinitionNotRead("boom").breaking_line is None


def test_the_reason_codes_table_lists_every_reason_type_once_in_code_order() -> None:
    """docs/migration.md's table is where users look a code up (the JSON's `code`): a reason
    added without its row, or a row left for a reason gone, would go unseen."""
    text = MIGRATION_DOC.read_text(encoding="utf-8")
    table = re.findall(r"^\| `(NBR\d{3})` \|", text, re.MULTILINE)
    # `CallDoesNotBind` carries its problem's code (a property): the problems are listed.
    types = typing.get_args(reasons.Reason)
    codes = {reason.code for reason in types if isinstance(reason.code, str)}
    assert table == sorted(table)
    assert len(table) == len(set(table))
    assert set(table) == codes | {reasons.REPLACED_CODE}

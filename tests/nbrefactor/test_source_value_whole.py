"""A list `source` value written whole (`_list_encoded_whole`) is the one written item by item.

Small values take the whole-value path, huge ones the item-by-item path, and
a file must not depend on which: every old layout and escaping, glued lines,
new text and `reuse_identical`, compared byte for byte.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring, encode_basestring_ascii

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbrefactor.nbfile import source_value
from nbrefactor.nbfile.source_items import (
    LINE_ENDS,
    any_cut_at_newlines_only,
    any_glued,
    any_holds_lines,
    cut_at_newlines_only,
    holds_lines,
)
from nbrefactor.nbfile.source_value import FileStyle, encode_source

_CHARACTERS = st.sampled_from(["a", "Z", " ", "é", "\u2028", '"', "\\", "/", "\t", "\x01", "😀"])
_LINES = st.lists(
    st.builds(
        lambda text, ending: text + ending,
        # "\n" inside: several lines to an item (emd's notebooks keep a cell as one item)
        st.text(_CHARACTERS | st.just("\n"), max_size=4),
        st.sampled_from(["\n", "\r\n", "\r", ""]),
    ),
    max_size=5,
)


def _item(line: str, ensure_ascii: bool, escaping: str) -> str:
    """One JSON string for `line`: as json.dumps writes it, or escaped some other valid way."""
    if escaping == "canonical":
        return (encode_basestring_ascii if ensure_ascii else encode_basestring)(line)
    if escaping == "all-ascii":
        return encode_basestring_ascii(line)
    return (
        '"'
        + "".join(
            f"\\u{ord(c):04x}"
            if c.isalpha() and ord(c) < 0x10000
            else encode_basestring_ascii(c)[1:-1]
            for c in line
        )
        + '"'
    )


@st.composite
def _documents(draw: st.DrawFn) -> tuple[bytes, int, int]:
    """A notebook-like document around one list `source` value; where the value lies."""
    lines = draw(_LINES)
    ensure_ascii = draw(st.booleans())
    escapings = draw(
        st.lists(
            st.sampled_from(["canonical", "canonical", "all-ascii", "unusual"]),
            min_size=len(lines),
            max_size=len(lines),
        )
    )
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    indent = draw(st.sampled_from([" ", "  ", "\t"]))
    layout = draw(st.sampled_from(["indented", "one line", "compact", "mixed"]))
    items = [_item(line, ensure_ascii, how) for line, how in zip(lines, escapings)]
    inner = newline + indent * 3
    if layout == "indented":
        value = "[" + inner + ("," + inner).join(items) + newline + indent * 2 + "]"
    elif layout == "one line":
        value = "[" + ", ".join(items) + "]"
    elif layout == "compact":
        value = "[" + ",".join(items) + "]"
    else:
        value = (
            "["
            + ",".join(f"{inner if index % 2 else ' '}{item}" for index, item in enumerate(items))
            + " ]"
        )
    if not items and draw(st.booleans()):
        value = "[" + newline + indent * 2 + "]"
    elsewhere = "é" if not ensure_ascii else "\\u00e9"
    head = "{" + newline + indent + '"cells": [' + newline + indent * 2 + '{"source": '
    tail = (
        "}" + newline + indent + "]," + newline + indent + f'"note": "{elsewhere}"' + newline + "}"
    )
    raw = (head + value + tail).encode("utf-8")
    start = len(head.encode("utf-8"))
    return raw, start, start + len(value.encode("utf-8"))


@settings(max_examples=400, deadline=None)
@given(
    document=_documents(),
    new=st.one_of(st.just(None), st.text(_CHARACTERS | st.sampled_from(["\n", "\r"]), max_size=12)),
    edit=st.sampled_from(["same", "appended", "cut", "new"]),
    reuse_identical=st.booleans(),
)
def test_a_list_written_whole_is_the_list_written_item_by_item(
    document: tuple[bytes, int, int],
    new: str | None,
    edit: str,
    reuse_identical: bool,
) -> None:
    raw, start, end = document
    old_text = "".join(json.loads(raw[start:end]))
    source = {
        "same": old_text,
        "appended": old_text + (new or "x\n"),
        "cut": old_text[: len(old_text) // 2],
        "new": new or "",
    }[edit]
    style = FileStyle.detect(raw)
    whole = b"".join(encode_source(raw, start, end, source, style, reuse_identical))
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(source_value, "_WHOLE_VALUE", -1)  # every value item by item
        item_by_item = b"".join(encode_source(raw, start, end, source, style, reuse_identical))
    assert whole == item_by_item
    assert "".join(json.loads(whole)) == source


@pytest.mark.parametrize("whole_value", [1 << 20, -1])  # written whole, item by item
@pytest.mark.parametrize(
    ("old", "new", "written"),
    [
        # Sweep X repro_1 (emd's tutorials): one item holding the cell stays one item
        (["import numpy as np\nx = 1"], "import numpy as np\nimport m\nx = 1", None),
        (["a\nb\n", "c\n"], "a\nb\nm\nc\n", ["a\nb\n", "m\n", "c\n"]),  # kept where found
        (["a\n", "b"], "a\nm\nb", ["a\n", "m\n", "b"]),  # lines: cut at lines
    ],
)
def test_items_holding_several_lines_keep_their_shape(
    whole_value: int, old: list[str], new: str, written: list[str] | None
) -> None:
    value = json.dumps(old, indent=1)
    raw = ('{"cells": [{"source": ' + value + "}]}").encode()
    start = raw.index(b"[", raw.index(b"source"))
    style = FileStyle.detect(raw)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(source_value, "_WHOLE_VALUE", whole_value)
        encoded = b"".join(encode_source(raw, start, start + len(value), new, style, True))
    assert json.loads(encoded) == (written or [new])


@given(
    raw=st.binary(max_size=40),
    cut=st.tuples(st.integers(0, 40), st.integers(0, 40)),
    whole_value=st.sampled_from([-1, 4, 1 << 20]),
)
def test_whether_a_range_is_ascii_does_not_depend_on_how_it_is_found(
    raw: bytes, cut: tuple[int, int], whole_value: int
) -> None:
    """A copied value or the pattern on a large value: the same answer."""
    start, end = min(cut[0], len(raw)), min(max(cut), len(raw))
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(source_value, "_WHOLE_VALUE", whole_value)
        assert source_value._is_ascii(raw, start, end) == raw[start:end].isascii()
        assert source_value._is_ascii(raw, 0, len(raw)) == raw.isascii()


@pytest.mark.parametrize("whole_value", [1 << 20, -1])  # written whole, item by item
@pytest.mark.parametrize("boundary", ["\u2028", "\x85", "\x0b", "\x0c", "\x1c"])
def test_items_cut_at_newlines_only_keep_their_other_line_boundaries(
    whole_value: int, boundary: str
) -> None:
    """A file whose writer cut lines at newlines only (not at U+2028 and the other
    boundaries `str.splitlines` knows) keeps its unchanged items whole when a line goes."""
    items = [f'a = "x{boundary}y"\n', "def f():\n", "    pass\n", "f()\n"]
    value = json.dumps(items, indent=1)
    raw = ('{"source": ' + value + "}").encode("utf-8")
    start = raw.index(b"[")
    end = start + len(value.encode("utf-8"))
    source = items[0] + items[3]
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(source_value, "_WHOLE_VALUE", whole_value)
        written = b"".join(encode_source(raw, start, end, source, FileStyle.detect(raw), True))
    assert json.loads(written) == [items[0], items[3]]
    assert written == json.dumps([items[0], items[3]], indent=1).encode("utf-8")


@pytest.mark.parametrize("whole_value", [1 << 20, -1])  # written whole, item by item
@pytest.mark.parametrize("boundary", ["\u2028", "\x85", "\x0b", "\x0c", "\x1c"])
def test_items_cut_at_every_line_boundary_are_cut_so_again(whole_value: int, boundary: str) -> None:
    """nbformat cuts a source with `str.splitlines`, so an item may end with a form feed or
    U+2028: such a list is cut at lines as nbformat cuts it, not taken for one whose lines
    lost their newlines (which used to cut the new lines at odd places)."""
    items = ["def f():\n", "    pass\n", boundary, "\n", "f()\n"]
    value = json.dumps(items, indent=1)
    raw = ('{"source": ' + value + "}").encode("utf-8")
    start = raw.index(b"[")
    end = start + len(value.encode("utf-8"))
    source = "from m import f\n\nf()\n"
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(source_value, "_WHOLE_VALUE", whole_value)
        written = b"".join(encode_source(raw, start, end, source, FileStyle.detect(raw), True))
    assert json.loads(written) == source.splitlines(keepends=True)


_BREAKY = st.lists(
    st.text(st.sampled_from(["a", "\n", "\r", "\u2028", "\x0c", "\x85"]), max_size=5)
)


@given(_BREAKY)
def test_item_tests_counted_over_all_items_are_those_asked_of_each(items):
    """The whole-value path asks three questions of all the old items at once, by C loops;
    each must answer as asking every item does."""
    assert any_holds_lines(items, "".join(items)) == any(holds_lines(item) for item in items)
    assert any_glued(items) == any(not item.endswith(LINE_ENDS) for item in items[:-1])
    assert any_cut_at_newlines_only(items, "".join(items)) == any(
        cut_at_newlines_only(item) for item in items
    )

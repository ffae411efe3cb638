"""A new `source` value, written as the file writes its values and shaped like the old one.

`splice` finds where each changed cell's `source` value lies in the file's
bytes; this module writes the value that replaces it: the file's escaping
(`\\uXXXX` or not), a string where there was a string, a list of lines in the
old list's layout, unchanged lines with their old bytes. A huge cell is read
and written item by item, never decoded, split or joined whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from nbrefactor.nbfile.notebook import bom_length
from nbrefactor.nbfile.source_items import (
    SPLITLINES_BREAKS,
    STRING_ENCODERS,
    OldItems,
    any_cut_at_newlines_only,
    any_glued,
    any_holds_lines,
    encoded_line,
    scanned_items,
    split_items,
)

_NON_ASCII = re.compile(rb"[\x80-\xff]")
_NON_ASCII_ESCAPE = re.compile(
    rb"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})"
)


@dataclass(frozen=True)
class FileStyle:
    """How the file was serialised, for values that must be written anew."""

    indent_unit: bytes | None  # None: everything on one line
    newline: bytes
    ensure_ascii: bool

    @classmethod
    def detect(cls, raw: bytes) -> FileStyle:
        start = bom_length(raw)
        first_key = re.compile(rb"\{(\r?\n)([ \t]*)\"").match(raw, start)
        if first_key:
            indent_unit: bytes | None = first_key.group(2)
            newline = first_key.group(1)
        else:
            indent_unit, newline = None, b"\n"
        return cls(indent_unit=indent_unit, newline=newline, ensure_ascii=_prefers_ascii(raw))


def _prefers_ascii(raw: bytes) -> bool:
    """True when the file's JSON escapes non-ASCII characters as \\uXXXX."""
    return raw.isascii() and _NON_ASCII_ESCAPE.search(raw) is not None


def _is_ascii(raw: bytes, start: int, end: int) -> bool:
    """Whether raw[start:end] is ASCII: `bytes.isascii` (a word at a time, a hundred times
    the pattern's speed) on a copy of a value of at most `_WHOLE_VALUE` bytes; the
    pattern, which copies nothing, on a larger value."""
    if end - start <= _WHOLE_VALUE:
        return raw[start:end].isascii()
    return _NON_ASCII.search(raw, start, end) is None


# The line boundaries of `str.splitlines`, for its lines one at a time.
_SPLITLINES = re.compile(
    f"[^{SPLITLINES_BREAKS}]*(?:\r\n|[{SPLITLINES_BREAKS}])|[^{SPLITLINES_BREAKS}]+\\Z"
)


# Lines cut at newlines only ("\r\n", "\r", "\n"), for a list whose writer cut them so.
_NEWLINE_LINES = re.compile("[^\r\n]*(?:\r\n|[\r\n])|[^\r\n]+\\Z")


def _lines_of(source: str, newlines_only: bool = False) -> Iterator[str]:
    """`source.splitlines(keepends=True)`, or its lines cut at newlines only, one line at a
    time: a huge cell is not copied."""
    pattern = _NEWLINE_LINES if newlines_only else _SPLITLINES
    return (match.group() for match in pattern.finditer(source))


def encode_source(
    raw: bytes, start: int, end: int, source: str, style: FileStyle, reuse_identical: bool
) -> Iterator[bytes]:
    """The JSON for a new `source`, shaped like the value it replaces, in pieces.

    An unchanged source keeps its bytes (`reuse_identical`; tests turn it off
    to check that the encoder alone reproduces the file's style). A list of
    at most `_WHOLE_VALUE` bytes written as json.dumps writes it is decoded
    and written whole (`_list_encoded_whole`); any other list is read item by
    item, in place in the file's bytes, and written item by item: nothing the
    size of a huge cell is copied, decoded, split into a list or joined.
    """
    # The value's own escaping decides where it has any; else the file's style.
    if not _is_ascii(raw, start, end):
        ensure_ascii = False
    elif _NON_ASCII_ESCAPE.search(raw, start, end):
        ensure_ascii = True
    else:
        ensure_ascii = style.ensure_ascii
    if not raw.startswith(b"[", start):
        original = raw[start:end]
        if reuse_identical and json.loads(original) == source:
            yield original
        else:
            yield encoded_line(source, ensure_ascii)
        return
    if end - start <= _WHOLE_VALUE:
        whole = _list_encoded_whole(raw, start, end, source, style, ensure_ascii, reuse_identical)
        if whole is not None:
            yield whole
            return
    items = split_items
    old = OldItems.scan(items(raw, start, end), source, ensure_ascii)
    if old is None:  # not one string between two separators: the items are scanned
        items = scanned_items
        old = OldItems.scan(items(raw, start, end), source, ensure_ascii)
        assert old is not None
    if reuse_identical and old.join_to_source:
        yield raw[start:end]
        return
    if not source:
        yield b"[]"
        return
    lines: Iterable[str]
    if old.several_lines and old.single:  # a cell stored as one item stays one
        lines = [source]
    elif old.glued or old.several_lines:  # lines that lost their newlines, or lines to an item
        lines = _anchored_pieces(source, json.loads(raw[start:end]))
    else:
        lines = _lines_of(source, old.newlines_only)
    first_items = list(islice(items(raw, start, end), 2))
    opening, separator, closing = _list_layout(raw, start, end, first_items, style)
    unlike_encoded = old.unlike_encoded
    encoded = (unlike_encoded.get(line) or encoded_line(line, ensure_ascii) for line in lines)
    yield b"[" + opening
    between = b""
    while batch := list(islice(encoded, _BATCH)):  # a few thousand items to a piece
        yield between + separator.join(batch)
        between = separator
    yield closing + b"]"


_BATCH = 4096
# A list value at most this large is written by `_list_encoded_whole`, in a few C calls;
# a larger one item by item, never copied whole.
_WHOLE_VALUE = 1 << 20


def _list_encoded_whole(
    raw: bytes,
    start: int,
    end: int,
    source: str,
    style: FileStyle,
    ensure_ascii: bool,
    reuse_identical: bool,
) -> bytes | None:
    """The new list value, when the old one is what Jupyter and json.dumps write: strings,
    each encoded as `encoded_line` encodes it, one separator between them; else None.

    Then no old item keeps bytes of its own, and the value is the one the
    item-by-item path writes (a test compares them), built by json's decoder,
    its string encoder over `map` and `str.join`: the per-item Python of that
    path is most of the cost of writing a notebook's usual cells.
    """
    value = raw[start:end]
    try:
        old = json.loads(value)
        joined = "".join(old)  # TypeError: not a list of strings
    except (ValueError, TypeError):
        return None
    if type(old) is not list:
        return None
    opening, separator, closing = _list_layout(
        raw, start, end, list(islice(scanned_items(raw, start, end), 2)), style
    )
    between = separator.decode("ascii")  # JSON whitespace and a comma
    encode = STRING_ENCODERS[ensure_ascii]
    if old and b"[" + opening + between.join(map(encode, old)).encode() + closing + b"]" != value:
        return None  # an item escaped otherwise, or separators that differ
    if reuse_identical and joined == source:
        return value
    if not source:
        return b"[]"
    glued = any_glued(old)
    several_lines = any_holds_lines(old, joined)
    if several_lines and len(old) == 1:  # a cell stored as one item stays one
        lines = [source]
    elif glued or several_lines:  # lines that lost their newlines, or lines to an item
        lines = _anchored_pieces(source, old)
    elif any_cut_at_newlines_only(old, joined):
        lines = list(_lines_of(source, newlines_only=True))
    else:
        lines = source.splitlines(keepends=True)
    return b"[" + opening + between.join(map(encode, lines)).encode() + closing + b"]"


# Above this much searching, a glued list is split at its lines instead (see below).
_ANCHORING_WORK = 10_000_000


def _anchored_pieces(source: str, items: list[str]) -> list[str]:
    """Cut a new source into list items the way the old items were cut.

    A list-of-lines source whose items lost their newlines (a title cell saved
    as one line per heading, glued) cannot be split at line ends without
    turning the whole cell into one item. Instead each old item is looked up
    in order in the new text and kept as an item where found; the text between
    them (what changed) becomes items of its own. The pieces always join to
    the new source; only where they are cut depends on the search.
    """
    if len(items) * len(source) > _ANCHORING_WORK:
        return source.splitlines(keepends=True)
    pieces, position = [], 0
    for item in items:
        found = source.find(item, position) if item else -1
        if found < 0:
            continue
        if found > position:
            pieces.append(source[position:found])
        pieces.append(item)
        position = found + len(item)
    if position < len(source):
        pieces.append(source[position:])
    return pieces


# What `bytes.rstrip()` strips.
_WHITESPACE = frozenset(bytes([character]) for character in b" \t\n\r\x0b\x0c")


def _list_layout(
    raw: bytes, start: int, end: int, items: list[bytes], style: FileStyle
) -> tuple[bytes, bytes, bytes]:
    """Whitespace after '[', between items, and before ']' for the source list in
    raw[start:end]."""
    if items:
        first = raw.index(items[0], start, end)
        opening = raw[start + 1 : first]
        closing_start = end - 1  # back over the whitespace before ']': no copy
        while closing_start > start and raw[closing_start - 1 : closing_start] in _WHITESPACE:
            closing_start -= 1
        closing = raw[closing_start : end - 1]
        if len(items) > 1:
            after_first = first + len(items[0])
            separator = raw[after_first : raw.index(items[1], after_first, end)]
        else:
            separator = b"," + opening if opening else b", "
        return opening, separator, closing
    if style.indent_unit is None:
        return b"", b", ", b""
    line_start = raw.rfind(b"\n", 0, start) + 1
    line_head = raw[line_start:start]
    key_indent = line_head[: len(line_head) - len(line_head.lstrip(b" \t"))]
    opening = style.newline + key_indent + style.indent_unit
    return opening, b"," + opening, style.newline + key_indent

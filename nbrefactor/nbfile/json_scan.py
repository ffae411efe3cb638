"""Reading a large notebook over its bytes, one cell at a time.

A notebook of several megabytes is nearly all embedded images. Decoded whole
it would take the bytes, a decoded copy (two or four bytes a character as
soon as one character is not ASCII) and the parsed objects; walked over the
bytes, each cell decoded alone (by the rules of `json_rules`, so that this
reader refuses what `parse` refuses) and its outputs dropped at once, it
takes the bytes and one cell.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from nbrefactor.nbfile.json_rules import (
    Duplicates,
    JSONError,
    check_depth,
    check_duplicates,
    check_surrogates,
    check_utf8,
    decode,
    parse,
    where,
)

_SKIPPED_CELL_KEYS = {"outputs": list, "attachments": dict}
_WHITESPACE = re.compile(rb"[ \t\n\r]*")
_STRUCTURE = re.compile(rb'["\[\]{}]')
_SCALAR = re.compile(rb"[^,\]}\s]+")
_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_OPENERS = (ord("["), ord("{"))


def parse_without_outputs(raw: bytes, start: int) -> tuple[object, tuple[tuple[int, int], ...]]:
    """The JSON document in `raw[start:]`, with the values of cells' outputs and attachments
    empty, and the byte span of each cell.

    The top-level object and the cells array are walked over the bytes; each
    cell is then decoded alone, with the same hooks and checks as `parse` (so
    that this reader refuses exactly what `parse` refuses), and its outputs
    are dropped at once: no more than one cell's outputs are ever held, and
    the file is never held decoded whole (a decoded copy takes two or four
    bytes a character as soon as one character is not ASCII).
    """
    check_utf8(raw, start)
    position = skip_whitespace(raw, start)
    if raw[position : position + 1] != b"{":
        return parse(raw, start), ()  # not an object: not a notebook, json says what it is
    spans: list[tuple[int, int]] = []
    duplicates = Duplicates()
    decoder = duplicates.decoder

    def top_level(key: str, value_start: int) -> tuple[object, int]:
        if key == "cells" and raw[value_start : value_start + 1] == b"[":
            spans.clear()  # a second `cells` is refused by check_duplicates
            return _walk_array(raw, value_start, cell)
        end = _value_end(raw, value_start)
        return _decoded(raw, value_start, end, 1, decoder), end

    def cell(item_start: int) -> tuple[object, int]:
        value, end = _cell(raw, item_start, decoder)
        if type(value) is dict:
            for key, empty in _SKIPPED_CELL_KEYS.items():
                if key in value:
                    value[key] = empty()
        spans.append((item_start, end))
        return value, end

    data, end = _walk_object(raw, position, top_level, duplicates)
    end = skip_whitespace(raw, end)
    if end != len(raw):
        raise JSONError(f"invalid JSON at {where(raw, end)}: extra data after the document")
    check_surrogates(raw, start)
    check_duplicates(data, duplicates)
    return data, tuple(spans)


def _cell(raw: bytes, start: int, decoder: json.JSONDecoder) -> tuple[object, int]:
    """The cell (an item of the cells array) at `start`, decoded, and where it ends.

    Notebooks are written indented, each cell's closing brace on a line of its
    own at the cell's indentation: that line is found with one `find`, and the
    candidate is decoded by json's C scanner. Only when it is not a whole value
    (another layout) is the end found by walking the bytes, which costs a
    Python step for every string in the cell.
    """
    line_start = raw.rfind(b"\n", 0, start) + 1
    indent = raw[line_start:start]
    if raw[start : start + 1] == b"{" and not indent.strip(b" \t"):
        closing = raw.find(b"\n" + indent + b"}", start)
        if closing >= 0:
            end = closing + len(indent) + 2
            try:
                return _decoded(raw, start, end, 2, decoder), end
            except JSONError:
                pass  # not the cell's own closing brace: walk
    end = _value_end(raw, start)
    return _decoded(raw, start, end, 2, decoder), end


def _decoded(raw: bytes, start: int, end: int, above: int, decoder: json.JSONDecoder) -> object:
    """The value in raw[start:end], nested `above` levels down, decoded and checked."""
    value = decode(raw, start, end, decoder)
    check_depth(value, above)
    return value


# -- walking the bytes ---------------------------------------------------------


def skip_whitespace(raw: bytes, position: int) -> int:
    match = _WHITESPACE.match(raw, position)  # `*`: always a match, maybe empty
    return match.end() if match else position


def _string_end(raw: bytes, position: int) -> int:
    """The end of the JSON string starting at `position` (a quote)."""
    search = position + 1
    while True:
        quote = raw.find(b'"', search)
        if quote < 0:
            raise JSONError(f"invalid JSON at {where(raw, position)}: unterminated string")
        backslash = quote - 1
        while raw[backslash] == _BACKSLASH:
            backslash -= 1
        if (quote - 1 - backslash) % 2 == 0:
            return quote + 1
        search = quote + 1


def _value_end(raw: bytes, position: int) -> int:
    """The end of the JSON value starting at `position`, found without decoding it."""
    first = raw[position] if position < len(raw) else None
    if first == _QUOTE:
        return _string_end(raw, position)
    if first not in _OPENERS:
        scalar = _SCALAR.match(raw, position)
        if scalar is None:
            raise JSONError(f"invalid JSON at {where(raw, position)}: expected a value")
        return scalar.end()
    depth, search = 0, position
    while True:
        found = _STRUCTURE.search(raw, search)
        if found is None:
            raise JSONError(f"invalid JSON at {where(raw, position)}: unclosed bracket")
        at = found.start()
        if raw[at] == _QUOTE:
            search = _string_end(raw, at)
            continue
        depth += 1 if raw[at] in _OPENERS else -1
        search = at + 1
        if depth == 0:
            return search


def _expect(raw: bytes, position: int, character: bytes) -> int:
    if raw[position : position + 1] != character:
        raise JSONError(f"invalid JSON at {where(raw, position)}: expected {character.decode()!r}")
    return position + 1


ValueReader = Callable[[str, int], tuple[object, int]]


def _walk_object(
    raw: bytes, position: int, read_value: ValueReader, duplicates: Duplicates
) -> tuple[dict, int]:
    """The object at `position`, each value read by `read_value(key, start)`, and its end.

    A key given twice keeps its later value, as json's objects do; the
    earlier one goes to `duplicates`.
    """
    members: dict = {}
    position = skip_whitespace(raw, _expect(raw, position, b"{"))
    if raw[position : position + 1] == b"}":
        return members, position + 1
    while True:
        if raw[position : position + 1] != b'"':
            raise JSONError(f"invalid JSON at {where(raw, position)}: expected a key")
        key_end = _string_end(raw, position)
        key = decode(raw, position, key_end, duplicates.decoder)
        assert isinstance(key, str)  # the text between two quotes decodes to a str
        position = skip_whitespace(raw, key_end)
        value_start = skip_whitespace(raw, _expect(raw, position, b":"))
        value, value_end = read_value(key, value_start)
        if key in members:
            duplicates.add(members, key, members[key])
        members[key] = value
        position = skip_whitespace(raw, value_end)
        if raw[position : position + 1] == b"}":
            return members, position + 1
        position = skip_whitespace(raw, _expect(raw, position, b","))


def _walk_array(
    raw: bytes, position: int, read_item: Callable[[int], tuple[object, int]]
) -> tuple[list, int]:
    """The array at `position`, each item read by `read_item(start)`, and its end."""
    items: list = []
    position = skip_whitespace(raw, _expect(raw, position, b"["))
    if raw[position : position + 1] == b"]":
        return items, position + 1
    while True:
        item, end = read_item(position)
        items.append(item)
        position = skip_whitespace(raw, end)
        if raw[position : position + 1] == b"]":
            return items, position + 1
        position = skip_whitespace(raw, _expect(raw, position, b","))


def cell_spans(raw: bytes, start: int) -> tuple[tuple[int, int], ...]:
    """Where each cell (item of the top-level `cells` array) lies in `raw[start:]`, found
    over the bytes: nothing is decoded but the keys.

    For a document already accepted by a reader: values are skipped, not checked; a
    `cells` given twice, the later one's, as the readers keep it.
    """
    spans: list[tuple[int, int]] = []

    def top_level(key: str, value_start: int) -> tuple[object, int]:
        if key == "cells" and raw[value_start : value_start + 1] == b"[":
            spans.clear()
            return _walk_array(raw, value_start, cell)
        return None, _value_end(raw, value_start)

    def cell(item_start: int) -> tuple[object, int]:
        end = _value_end(raw, item_start)
        spans.append((item_start, end))
        return None, end

    _walk_object(raw, skip_whitespace(raw, start), top_level, Duplicates())
    return tuple(spans)


def member_spans(raw: bytes, position: int) -> list[tuple[str, int, int]]:
    """(key, value start, value end) of the members of the JSON object at `position`,
    in order, a key given twice listed twice.

    For a document already accepted by a reader: values are skipped, not checked.
    """
    spans: list[tuple[str, int, int]] = []

    def skip(key: str, start: int) -> tuple[object, int]:
        end = _value_end(raw, start)
        spans.append((key, start, end))
        return None, end

    _walk_object(raw, position, skip, Duplicates())
    return spans

"""Walking a JSON document over its bytes, without decoding the values skipped.

A notebook of several megabytes is nearly all embedded images. Reading it with
`json.loads` holds the bytes, a decoded copy that takes two or four bytes per
character, and the parsed objects; walking the structure over the bytes and
decoding only the cells' small fields keeps memory a small multiple of the
file size.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

_SKIPPED_CELL_KEYS = {"outputs": [], "attachments": {}}
_WHITESPACE = re.compile(rb"[ \t\n\r]*")
_STRUCTURE = re.compile(rb'["\[\]{}]')
_SCALAR = re.compile(rb"[^,\]}\s]+")
_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_OPENERS, _CLOSERS = (ord("["), ord("{")), (ord("]"), ord("}"))


class StructureError(ValueError):
    pass


def skip_whitespace(raw: bytes, position: int) -> int:
    return _WHITESPACE.match(raw, position).end()


def _string_end(raw: bytes, position: int) -> int:
    """The end of the JSON string starting at `position` (a quote)."""
    search = position + 1
    while True:
        quote = raw.find(b'"', search)
        if quote < 0:
            raise StructureError(f"unterminated string at byte {position}")
        backslash = quote - 1
        while raw[backslash] == _BACKSLASH:
            backslash -= 1
        if (quote - 1 - backslash) % 2 == 0:
            return quote + 1
        search = quote + 1


def _value_end(raw: bytes, position: int) -> int:
    """The end of the JSON value starting at `position`, without decoding it."""
    first = raw[position] if position < len(raw) else None
    if first == _QUOTE:
        return _string_end(raw, position)
    if first not in _OPENERS:
        scalar = _SCALAR.match(raw, position)
        if scalar is None:
            raise StructureError(f"expected a value at byte {position}")
        return scalar.end()
    depth, search = 0, position
    while True:
        found = _STRUCTURE.search(raw, search)
        if found is None:
            raise StructureError(f"unclosed bracket at byte {position}")
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
        raise StructureError(f"expected {character.decode()!r} at byte {position}")
    return position + 1


def object_members(raw: bytes, position: int) -> Iterator[tuple[str, int, int]]:
    """(key, value start, value end) of the members of the JSON object at `position`."""
    position = skip_whitespace(raw, _expect(raw, position, b"{"))
    if raw[position : position + 1] == b"}":
        return
    while True:
        if raw[position] != _QUOTE:
            raise StructureError(f"expected a key at byte {position}")
        key_end = _string_end(raw, position)
        key = json.loads(raw[position:key_end])
        position = skip_whitespace(raw, key_end)
        value_start = skip_whitespace(raw, _expect(raw, position, b":"))
        value_end = _value_end(raw, value_start)
        yield key, value_start, value_end
        position = skip_whitespace(raw, value_end)
        if raw[position : position + 1] == b"}":
            return
        position = skip_whitespace(raw, _expect(raw, position, b","))


def array_items(raw: bytes, position: int) -> Iterator[tuple[int, int]]:
    """(start, end) of the items of the JSON array at `position`."""
    position = skip_whitespace(raw, _expect(raw, position, b"["))
    if raw[position : position + 1] == b"]":
        return
    while True:
        end = _value_end(raw, position)
        yield position, end
        position = skip_whitespace(raw, end)
        if raw[position : position + 1] == b"]":
            return
        position = skip_whitespace(raw, _expect(raw, position, b","))


def read_without_outputs(raw: bytes, start: int) -> dict:
    """The notebook's JSON, with the values of cells' outputs and attachments left out."""
    position = skip_whitespace(raw, start)
    if raw[position : position + 1] != b"{":
        return json.loads(raw[start:].decode("utf-8"))  # not an object: let json say what it is
    data = {}
    for key, value_start, value_end in object_members(raw, position):
        if key == "cells" and raw[value_start : value_start + 1] == b"[":
            data[key] = [
                _read_cell(raw, start, end) for start, end in array_items(raw, value_start)
            ]
        else:
            data[key] = json.loads(raw[value_start:value_end])
    return data


def _read_cell(raw: bytes, start: int, end: int) -> object:
    if raw[start : start + 1] != b"{":
        return json.loads(raw[start:end])
    return {
        key: _SKIPPED_CELL_KEYS[key]
        if key in _SKIPPED_CELL_KEYS
        else json.loads(raw[value_start:value_end])
        for key, value_start, value_end in object_members(raw, start)
    }

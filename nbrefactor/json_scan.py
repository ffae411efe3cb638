"""The JSON nbrefactor accepts, read whole or walked over the bytes.

Two readers decide whether a file is a notebook: `parse`, json.loads on the
whole text, and `parse_without_outputs`, for large files, which walks the
structure over the bytes so that the cells' outputs and attachments (nearly
all of a large notebook: embedded images) are never held decoded all at
once. A file must not be accepted by one reader and refused by the other, so
both apply the same rules, defined here once:

- UTF-8 text (a leading byte order mark is the caller's business), standard
  JSON plus the NaN and Infinity literals that Python's json, and so Jupyter,
  read and write;
- no key twice in one object: json keeps the last one without a word, while
  an edit would go to the first;
- integers of at most 4300 digits, what Python converts (Jupyter cannot open
  a notebook with a longer one);
- at most 127 levels of nesting (the top-level object is level 1): ruff,
  which reads notebooks with serde_json and its recursion limit, refuses a
  notebook from 128 levels on;
- no lone surrogate escape such as "\\ud800": it decodes to a string that no
  UTF-8 file can hold, so it could be neither shown nor written back.

The walker decodes every value it meets, outputs included, with the same
`json.loads` hooks as `parse`, one value at a time, and keeps only what the
cells need: that is what makes both readers refuse the same files.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring

MAX_DEPTH = 127
MAX_DIGITS = 4300
_SKIPPED_CELL_KEYS = {"outputs": list, "attachments": dict}
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LOW_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_QUOTE, _BACKSLASH = ord('"'), ord("\\")


class JSONError(ValueError):
    """The bytes are not JSON that nbrefactor reads; the message says why, and where when it can."""


def parse(raw: bytes, start: int) -> object:
    """The JSON document in `raw[start:]`, decoded whole."""
    try:
        text = raw[start:].decode("utf-8")
    except UnicodeDecodeError as error:
        raise JSONError(_not_utf8(start + error.start)) from None
    try:
        value = _loads(text)
    except json.JSONDecodeError as error:
        raise JSONError(
            f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    _check_depth(value, 0)
    _check_surrogates(raw, start)
    return value


def parse_without_outputs(raw: bytes, start: int) -> object:
    """The JSON document in `raw[start:]`, with the values of cells' outputs and attachments empty.

    The document is walked member by member and cell by cell, each decoded by
    json's C scanner with the same hooks and checks as `parse`, so that this
    reader refuses exactly what `parse` refuses; a cell's outputs are decoded
    (and checked) and dropped at once, so that only one cell's are ever held.
    """
    try:
        text = raw[start:].decode("utf-8")
    except UnicodeDecodeError as error:
        raise JSONError(_not_utf8(start + error.start)) from None
    position = _TEXT_WHITESPACE.match(text).end()
    if text[position : position + 1] != "{":
        return parse(raw, start)  # not an object: not a notebook, json says what it is
    data: dict = {}
    position = _TEXT_WHITESPACE.match(text, position + 1).end()
    while text[position : position + 1] != "}":
        if text[position : position + 1] != '"':
            raise _text_error(text, position, "Expecting property name enclosed in double quotes")
        key, position = _scan_key(text, position)
        if key in data:
            raise JSONError(f"duplicate key {key!r} in a JSON object")
        if key == "cells" and text[position : position + 1] == "[":
            data[key], position = _cells(text, position)
        else:
            data[key], position = _decode_text(text, position, 1)
        position = _after_member(text, position, "}")
    end = _TEXT_WHITESPACE.match(text, position + 1).end()
    if end != len(text):
        raise _text_error(text, end, "Extra data")
    _check_surrogates(raw, start)
    return data


_TEXT_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _cells(text: str, position: int) -> tuple[list, int]:
    """The cells array at `position`, each cell decoded whole, its outputs dropped."""
    cells: list = []
    position = _TEXT_WHITESPACE.match(text, position + 1).end()
    while text[position : position + 1] != "]":
        cell, position = _decode_text(text, position, 2)
        if type(cell) is dict:
            for key, empty in _SKIPPED_CELL_KEYS.items():
                if key in cell:
                    cell[key] = empty()
        cells.append(cell)
        position = _after_member(text, position, "]")
    return cells, position + 1


def _scan_key(text: str, position: int) -> tuple[str, int]:
    """A member's key at `position` (a quote) and where its value starts."""
    try:
        key, position = scanstring(text, position + 1)
    except json.JSONDecodeError as error:
        raise _text_error(text, error.pos, error.msg) from None
    position = _TEXT_WHITESPACE.match(text, position).end()
    if text[position : position + 1] != ":":
        raise _text_error(text, position, "Expecting ':' delimiter")
    return key, _TEXT_WHITESPACE.match(text, position + 1).end()


def _after_member(text: str, position: int, closing: str) -> int:
    """Past the `,` after a member or item, or at the `closing` bracket."""
    position = _TEXT_WHITESPACE.match(text, position).end()
    if text[position : position + 1] == closing:
        return position
    if text[position : position + 1] != ",":
        raise _text_error(text, position, "Expecting ',' delimiter")
    position = _TEXT_WHITESPACE.match(text, position + 1).end()
    if text[position : position + 1] == closing:
        raise _text_error(text, position, "Illegal trailing comma before end of object")
    return position


def _decode_text(text: str, position: int, above: int) -> tuple[object, int]:
    """The value at `position`, nested `above` levels down, decoded by json, and its end."""
    try:
        value, end = _DECODER.raw_decode(text, position)
    except json.JSONDecodeError as error:
        raise _text_error(text, error.pos, error.msg) from None
    except RecursionError:
        raise JSONError(_too_deep()) from None
    _check_depth(value, above)
    return value, end


def _text_error(text: str, position: int, message: str) -> JSONError:
    error = json.JSONDecodeError(message, text, position)
    return JSONError(f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}")


# -- the strict rules ----------------------------------------------------------


def _object(pairs: list[tuple[str, object]]) -> dict:
    """json's object_pairs_hook: a dict, refusing a key given twice."""
    value = dict(pairs)
    if len(value) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise JSONError(f"duplicate key {key!r} in a JSON object")
            seen.add(key)
    return value


def _integer(text: str) -> int:
    """json's parse_int: refuse what Python's int() refuses, before it raises its own error."""
    digits = len(text) - text.startswith("-")
    if digits > MAX_DIGITS:
        raise JSONError(f"a JSON integer with {digits} digits (at most {MAX_DIGITS} can be read)")
    return int(text)


def _loads(text: str) -> object:
    try:
        return _DECODER.decode(text)
    except RecursionError:
        raise JSONError(_too_deep()) from None


# One decoder for every document: json.loads with hooks would build one per call.
_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_int=_integer)


def _check_depth(value: object, above: int) -> None:
    """Refuse a value that, nested `above` levels down, goes deeper than MAX_DEPTH.

    Iterative, so that it cannot itself run out of stack.
    """
    stack = [(value, above + 1)]
    while stack:
        item, depth = stack.pop()
        if type(item) is dict:
            children = item.values()
        elif type(item) is list:
            children = item
        else:
            continue
        if depth > MAX_DEPTH:
            raise JSONError(_too_deep())
        kinds = set(map(type, children))  # in C: most lists hold only strings (lines)
        if dict in kinds or list in kinds:
            for child in children:
                if type(child) is dict or type(child) is list:
                    stack.append((child, depth + 1))


def _check_surrogates(raw: bytes, start: int) -> None:
    """Refuse a \\uD800-\\uDFFF escape that is not half of a pair.

    Run on a document already parsed, where a backslash only occurs in a
    string: an escape starts at a backslash preceded by an even number of
    them.
    """
    paired_low = -1
    for match in _SURROGATE_ESCAPE.finditer(raw, start):
        at = match.start()
        before = at
        while before > start and raw[before - 1] == _BACKSLASH:
            before -= 1
        if (at - before) % 2:
            continue  # "\\ud800": an escaped backslash, then text
        if at == paired_low:
            continue
        high = raw[at + 3] in b"89abAB"  # \\uD800-\\uDBFF
        if high and _LOW_SURROGATE_ESCAPE.match(raw, at + 6):
            paired_low = at + 6
            continue
        escape = match.group().decode("ascii")
        raise JSONError(
            f"lone surrogate {escape} in a JSON string at {_where(raw, at)} "
            "(half of a UTF-16 pair, not a character)"
        )


def _not_utf8(offset: int) -> str:
    return f"not UTF-8 text (invalid byte at offset {offset})"


def _too_deep() -> str:
    return f"JSON nested more than {MAX_DEPTH} levels deep"


def _where(raw: bytes, offset: int) -> str:
    """'line L column C' of a byte offset, counted as json counts them (characters, from 1)."""
    line = raw.count(b"\n", 0, offset) + 1
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return f"line {line} column {column}"

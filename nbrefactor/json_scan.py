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
from collections.abc import Callable

MAX_DEPTH = 127
MAX_DIGITS = 4300
_SKIPPED_CELL_KEYS = {"outputs": list, "attachments": dict}
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LOW_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_WHITESPACE = re.compile(rb"[ \t\n\r]*")
_STRUCTURE = re.compile(rb'["\[\]{}]')
_SCALAR = re.compile(rb"[^,\]}\s]+")
_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_OPENERS = (ord("["), ord("{"))
_UTF8_CHUNK = 1 << 20


class JSONError(ValueError):
    """The bytes are not JSON that nbrefactor reads; the message says why, and where when it can."""


def parse(raw: bytes, start: int) -> object:
    """The JSON document in `raw[start:]`, decoded whole."""
    try:
        text = str(memoryview(raw)[start:], "utf-8")  # a view: no copy of the bytes
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
    _check_utf8(raw, start)
    position = skip_whitespace(raw, start)
    if raw[position : position + 1] != b"{":
        return parse(raw, start), ()  # not an object: not a notebook, json says what it is
    spans: list[tuple[int, int]] = []

    def top_level(key: str, value_start: int) -> tuple[object, int]:
        if key == "cells" and raw[value_start : value_start + 1] == b"[":
            return _walk_array(raw, value_start, cell)
        end = _value_end(raw, value_start)
        return _decoded(raw, value_start, end, 1), end

    def cell(item_start: int) -> tuple[object, int]:
        value, end = _cell(raw, item_start)
        if type(value) is dict:
            for key, empty in _SKIPPED_CELL_KEYS.items():
                if key in value:
                    value[key] = empty()
        spans.append((item_start, end))
        return value, end

    data, end = _walk_object(raw, position, top_level)
    end = skip_whitespace(raw, end)
    if end != len(raw):
        raise JSONError(f"invalid JSON at {_where(raw, end)}: extra data after the document")
    _check_surrogates(raw, start)
    return data, tuple(spans)


def _cell(raw: bytes, start: int) -> tuple[object, int]:
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
                return _decoded(raw, start, end, 2), end
            except JSONError:
                pass  # not the cell's own closing brace: walk
    end = _value_end(raw, start)
    return _decoded(raw, start, end, 2), end


def _decoded(raw: bytes, start: int, end: int, above: int) -> object:
    """The value in raw[start:end], nested `above` levels down, decoded and checked."""
    value = _decode(raw, start, end)
    _check_depth(value, above)
    return value


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


def _check_utf8(raw: bytes, start: int) -> None:
    """Refuse bytes that are not UTF-8, with `parse`'s message, a chunk at a time."""
    view = memoryview(raw)
    position = start
    while position < len(raw):
        end = min(position + _UTF8_CHUNK, len(raw))
        # Do not split a character: move the cut before continuation bytes.
        back = 0
        while end < len(raw) and back < 3 and raw[end] & 0xC0 == 0x80:
            end -= 1
            back += 1
        try:
            str(view[position:end], "utf-8")
        except UnicodeDecodeError as error:
            raise JSONError(_not_utf8(position + error.start)) from None
        position = end


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


# -- walking the bytes ---------------------------------------------------------


def skip_whitespace(raw: bytes, position: int) -> int:
    return _WHITESPACE.match(raw, position).end()


def _decode(raw: bytes, start: int, end: int) -> object:
    try:
        return _loads(raw[start:end].decode("utf-8"))
    except UnicodeDecodeError as error:  # _check_utf8 has run: only if called without it
        raise JSONError(_not_utf8(start + error.start)) from None
    except json.JSONDecodeError as error:
        offset = start + len(error.doc[: error.pos].encode("utf-8"))
        raise JSONError(f"invalid JSON at {_where(raw, offset)}: {error.msg}") from None


def _string_end(raw: bytes, position: int) -> int:
    """The end of the JSON string starting at `position` (a quote)."""
    search = position + 1
    while True:
        quote = raw.find(b'"', search)
        if quote < 0:
            raise JSONError(f"invalid JSON at {_where(raw, position)}: unterminated string")
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
            raise JSONError(f"invalid JSON at {_where(raw, position)}: expected a value")
        return scalar.end()
    depth, search = 0, position
    while True:
        found = _STRUCTURE.search(raw, search)
        if found is None:
            raise JSONError(f"invalid JSON at {_where(raw, position)}: unclosed bracket")
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
        raise JSONError(f"invalid JSON at {_where(raw, position)}: expected {character.decode()!r}")
    return position + 1


ValueReader = Callable[[str, int], tuple[object, int]]


def _walk_object(raw: bytes, position: int, read_value: ValueReader) -> tuple[dict, int]:
    """The object at `position`, each value read by `read_value(key, start)`, and its end."""
    members: dict = {}
    position = skip_whitespace(raw, _expect(raw, position, b"{"))
    if raw[position : position + 1] == b"}":
        return members, position + 1
    while True:
        if raw[position : position + 1] != b'"':
            raise JSONError(f"invalid JSON at {_where(raw, position)}: expected a key")
        key_end = _string_end(raw, position)
        key = _decode(raw, position, key_end)
        if key in members:
            raise JSONError(f"duplicate key {key!r} in a JSON object")
        position = skip_whitespace(raw, key_end)
        value_start = skip_whitespace(raw, _expect(raw, position, b":"))
        members[key], value_end = read_value(key, value_start)
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


def member_spans(raw: bytes, position: int) -> list[tuple[str, int, int]]:
    """(key, value start, value end) of the members of the JSON object at `position`.

    For a document already accepted by a reader: values are skipped, not checked.
    """
    members, _ = _walk_object(
        raw, position, lambda key, start: ((start, end := _value_end(raw, start)), end)
    )
    return [(key, start, end) for key, (start, end) in members.items()]

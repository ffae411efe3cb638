"""The JSON nbrefactor accepts, and reading a document whole.

Two readers decide whether a file is a notebook: `parse`, json.loads on the
whole text, and `parse_without_outputs`, for large files, which walks the
structure over the bytes so that the cells' outputs and attachments (nearly
all of a large notebook: embedded images) are never held decoded all at
once. A file must not be accepted by one reader and refused by the other, so
both apply the same rules, defined here once:

- UTF-8 text (a leading byte order mark is the caller's business), standard
  JSON plus the NaN and Infinity literals that Python's json, and so Jupyter,
  read and write;
- a key given twice in one object is read as Python's json and nbformat
  read it, the later value winning (real notebooks carry duplicated metadata
  keys, and Jupyter opens them), except where nbrefactor reads it and the
  values differ: the notebook's `nbformat`, a cell's `cell_type` or
  `source`, the kernel's language (`check_duplicates`); `cells` given twice
  is refused whatever the values, since which cells an edit goes to would
  be a guess. Every copy of a duplicated `source` is edited alike (`splice`);
- integers of at most 4300 digits, what Python converts (Jupyter cannot open
  a notebook with a longer one);
- at most 127 levels of nesting (the top-level object is level 1): ruff,
  which reads notebooks with serde_json and its recursion limit, refuses a
  notebook from 128 levels on;
- no lone surrogate escape such as "\\ud800": it decodes to a string that no
  UTF-8 file can hold, so it could be neither shown nor written back.

The walker (`json_scan`) decodes every cell it meets, outputs included,
with the same decoder and checks as `parse`, one cell at a time, and keeps
only what the cells need: that is what makes both readers refuse the same
files.
"""

from __future__ import annotations

import json
import re
from functools import cache
from itertools import compress
from typing import Any

MAX_DEPTH = 127
MAX_DIGITS = 4300
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_BACKSLASH = ord("\\")
_UTF8_CHUNK = 1 << 20
_CONTAINERS: dict[type, bool] = {dict: True, list: True}  # what json decodes into that nests
_JOINED_LINES = 10_000  # check_depth: a longer list of lines is not copied to be checked


class JSONError(ValueError):
    """The bytes are not JSON that nbrefactor reads; the message says why, and where when it can."""


def parse(raw: bytes, start: int) -> object:
    """The JSON document in `raw[start:]`, decoded whole."""
    try:
        text = str(memoryview(raw)[start:], "utf-8")  # a view: no copy of the bytes
    except UnicodeDecodeError as error:
        raise JSONError(_not_utf8(start + error.start)) from None
    duplicates = Duplicates()
    try:
        value = _loads(text, duplicates.decoder)
    except json.JSONDecodeError as error:
        raise JSONError(
            f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    check_depth(value, 0)
    check_surrogates(raw, start)
    check_duplicates(value, duplicates)
    return value


def decode(raw: bytes, start: int, end: int, decoder: json.JSONDecoder) -> object:
    try:
        return _loads(raw[start:end].decode("utf-8"), decoder)
    except UnicodeDecodeError as error:  # _check_utf8 has run: only if called without it
        raise JSONError(_not_utf8(start + error.start)) from None
    except json.JSONDecodeError as error:
        offset = start + len(error.doc[: error.pos].encode("utf-8"))
        raise JSONError(f"invalid JSON at {where(raw, offset)}: {error.msg}") from None


class Duplicates:
    """The keys given twice in the objects of one document, with the values json dropped.

    json (and so nbformat and Jupyter) keeps the later value of a key given
    twice; so does nbrefactor, and `check_duplicates` then refuses the
    documents where that choice matters to what nbrefactor reads. The objects
    are held, so that they are found again by identity.
    """

    def __init__(self) -> None:
        self._found: list[tuple[dict, str, object]] = []  # (object, key, an earlier value)
        self._by_object: dict[int, dict[str, list[object]]] | None = None
        self.decoder = json.JSONDecoder(object_pairs_hook=self.hook, parse_int=_integer)

    def hook(self, pairs: list[tuple[str, object]]) -> dict:
        """json's object_pairs_hook: a dict, the later value of a key winning, as json's own."""
        value = dict(pairs)
        if len(value) != len(pairs):
            seen: dict[str, object] = {}
            for key, item in pairs:
                if key in seen:
                    self.add(value, key, seen[key])
                seen[key] = item
        return value

    def add(self, members: dict, key: str, earlier: object) -> None:
        """`key` was given in `members` before, with the value `earlier`."""
        self._found.append((members, key, earlier))
        self._by_object = None

    def __bool__(self) -> bool:
        return bool(self._found)

    def earlier(self, members: object) -> dict[str, list[object]]:
        """The keys given more than once in `members`, each with its dropped values."""
        if self._by_object is None:
            self._by_object = {}
            for found, key, value in self._found:
                self._by_object.setdefault(id(found), {}).setdefault(key, []).append(value)
        return self._by_object.get(id(members), {})


def check_duplicates(notebook: object, duplicates: Duplicates) -> None:
    """Refuse a key given twice, with values that differ, where nbrefactor reads it.

    Those are the notebook's `nbformat`, each cell's `cell_type` and `source`
    and the kernel's language (`kernel_language`, through the `metadata`,
    `kernelspec` and `language_info` that hold it); `cells` given twice is
    refused whatever the values. Anywhere else the later value is the value.
    """
    if not duplicates or type(notebook) is not dict:
        return
    top = duplicates.earlier(notebook)
    if "cells" in top:
        raise JSONError(
            "duplicate key 'cells' in the notebook: which cells to edit would be a guess"
        )
    _check_same(top, notebook, "nbformat", "in the notebook")
    metadata = notebook.get("metadata")
    language = kernel_language(metadata)
    variants = [*top.get("metadata", ())]
    if type(metadata) is dict:
        found = duplicates.earlier(metadata)
        for key in ("kernelspec", "language_info"):
            variants += [{**metadata, key: value} for value in found.get(key, ())]
        for key, name in (("kernelspec", "language"), ("language_info", "name")):
            section = metadata.get(key)
            for value in duplicates.earlier(section).get(name, ()):
                variants.append({**metadata, key: {**section, name: value}})  # type: ignore[dict-item]
    if any(kernel_language(variant) != language for variant in variants):
        raise JSONError("duplicate key in the notebook's metadata with different kernel languages")
    cells = notebook.get("cells")
    if type(cells) is list:
        for number, cell in enumerate(cells, start=1):
            found = duplicates.earlier(cell)
            if found:
                for key in ("cell_type", "source"):
                    _check_same(found, cell, key, f"in cell {number}")


def _check_same(found: dict[str, list[object]], members: dict, key: str, where: str) -> None:
    if any(value != members[key] for value in found.get(key, ())):
        raise JSONError(f"duplicate key {key!r} with different values {where}")


def kernel_language(metadata: object) -> str | None:
    """The notebook's language, from its metadata: `kernelspec.language`, else `language_info.name`."""
    if not isinstance(metadata, dict):
        return None
    for section_key, language_key in (("kernelspec", "language"), ("language_info", "name")):
        section = metadata.get(section_key)
        language = section.get(language_key) if isinstance(section, dict) else None
        if isinstance(language, str) and language:
            return language.lower()
    return None


def _integer(text: str) -> int:
    """json's parse_int: refuse what Python's int() refuses, before it raises its own error."""
    digits = len(text) - text.startswith("-")
    if digits > MAX_DIGITS:
        raise JSONError(f"a JSON integer with {digits} digits (at most {MAX_DIGITS} can be read)")
    return int(text)


def _loads(text: str, decoder: json.JSONDecoder) -> object:
    try:
        return decoder.decode(text)
    except RecursionError:
        raise JSONError(_too_deep()) from None


def check_depth(value: object, above: int) -> None:
    """Refuse a value that, nested `above` levels down, goes deeper than MAX_DEPTH.

    One level at a time, so that it cannot itself run out of stack, and with
    the elements of a level gathered and sorted in C (`map`, `compress`):
    Python's loop runs once per container, not once per element. Most
    elements of a notebook are strings in lists of lines (sources, outputs): a
    list that `str.join` accepts holds only strings, nothing nested, so its
    elements are not looked at one by one (the join is C's check of each
    element's type, and a copy of the text, the cheapest test there is). A
    list of more than `_JOINED_LINES` is looked at element by element: its
    copy would add to the peak memory of a huge cell.
    """
    level: list[Any] = [value] if type(value) in _CONTAINERS else []  # dicts and lists
    depth = above + 1
    while level:
        if depth > MAX_DEPTH:
            raise JSONError(_too_deep())
        children: list[object] = []
        for item in level:
            if type(item) is dict:
                children.extend(item.values())
                continue
            if item and type(item[0]) is str and len(item) <= _JOINED_LINES:
                try:
                    "".join(item)
                    continue
                except TypeError:
                    pass
            children.extend(item)
        level = list(compress(children, map(_CONTAINERS.get, map(type, children))))
        depth += 1


@cache
def _low_surrogate_escape() -> re.Pattern[bytes]:
    """`\\uDC00` to `\\uDFFF`, the second of a pair; compiled when first needed: only a file
    escaping a high surrogate is asked."""
    return re.compile(rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def check_surrogates(raw: bytes, start: int) -> None:
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
        if high and _low_surrogate_escape().match(raw, at + 6):
            paired_low = at + 6
            continue
        escape = match.group().decode("ascii")
        raise JSONError(
            f"lone surrogate {escape} in a JSON string at {where(raw, at)} "
            "(half of a UTF-16 pair, not a character)"
        )


def check_utf8(raw: bytes, start: int) -> None:
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


def where(raw: bytes, offset: int) -> str:
    """'line L column C' of a byte offset, counted as json counts them (characters, from 1)."""
    line = raw.count(b"\n", 0, offset) + 1
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return f"line {line} column {column}"

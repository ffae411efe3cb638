"""Calls that make, empty or write a file: `open(path, "w")`, `Path(p).write_text(...)`,
`shelve.open(name)`. Run by a library when it is imported, they change the notebook's files
(round 59a: `LOG = open("train.log", "w")` emptied the notebook's log; `effect_statements`)."""

from __future__ import annotations

import ast

from nbrefactor.analysis.import_targets import dotted_path
from nbrefactor.analysis.scopes import called_name

# The modules whose `open(path, mode)` opens a file as the builtin does, mode second, and
# those whose `open(path)` makes a database file unless told to read (shelve's flag "c").
_FILE_OPENERS = frozenset({"io", "codecs", "os", "builtins", "gzip", "bz2", "lzma", "tarfile"})
_DATABASE_OPENERS = frozenset({"shelve", "dbm", "dbm.gnu", "dbm.ndbm", "dbm.dumb"})
# What makes or writes a file or folder through a path, made here or not (`Path(p).touch()`).
_PATH_WRITERS = frozenset({"write_text", "write_bytes", "touch", "mkdir"})


def writes_file(call: ast.Call) -> bool:
    """`open(path, "w")` (or `"a"`, `"x"`, `"r+"`; `mode=` too), `io.open`, `codecs.open`,
    `Path(...).open("w")`, `Path(...).write_text(...)`: a file made, emptied or written; a
    mode that is not a string literal counts (the safe side). `open(path)` reads."""
    name = called_name(call)
    if name in _PATH_WRITERS:
        return True
    if name != "open":
        return False
    func = call.func
    if isinstance(func, ast.Attribute) and dotted_path(func.value) in _DATABASE_OPENERS:
        return True  # `shelve.open("cache")`: its flag "c" makes the file (round 61a)
    # `io.open(p, "w")` as `open(p, "w")`; a path object's `.open("w")` takes the mode first,
    # whatever holds the path (`Path(p)`, `LOG_PATH`, `LOG_DIR / "x.log"`: round 61a).
    at_path = isinstance(func, ast.Attribute) and dotted_path(func.value) not in _FILE_OPENERS
    position = 0 if at_path else 1
    mode = next((kw.value for kw in call.keywords if kw.arg == "mode"), None)
    if mode is None and len(call.args) > position:
        mode = call.args[position]
    if mode is None:
        return any(kw.arg is None for kw in call.keywords)  # `open(**options)`
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
        if not 0 < len(mode.value) <= 4 or not set(mode.value) <= set("rwxabt+U"):
            return False  # no mode: `Image.open("logo.png")`, `webbrowser.open(url)` read
        return any(letter in mode.value for letter in "wax+")
    return True

"""The library's source files parsed once per process, however many questions read them.

The catalog (the functions and their modules) and the import's effects
(`import_effects`: what importing the library runs) read the same files; each
parse of a library file costs milliseconds of every run's start. Once the
import's effects are known, the catalog empties the cache. Trees are
remembered by the file's bytes, not its path, so that a file rewritten during the
run (`extract` appending to its module) is parsed again. Callers only read them.
"""

from __future__ import annotations

import ast
from functools import lru_cache

from nbrefactor.analysis.code_warnings import code_warnings_ignored


@lru_cache(maxsize=64)
def parsed_source(data: bytes, filename: str) -> ast.Module:
    """`ast.parse(data, filename=filename)`, remembered for the last 64 files; its errors
    (SyntaxError, ValueError) are raised each time, as `ast.parse` raises them; the
    warnings about the library's code (`"\\d"`) are not printed (round 59b)."""
    with code_warnings_ignored():
        return ast.parse(data, filename=filename)

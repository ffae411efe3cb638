"""Whether a notebook matches the nbformat schema: only ever a warning.

Two thirds of real notebooks break the schema (stray `outputs` on markdown
cells, a missing `execution_count`) and Jupyter opens them all, so nbrefactor
processes them anyway and says what it saw.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import lru_cache
from importlib.util import find_spec

from nbrefactor import messages
from nbrefactor.nbfile.notebook import Notebook

# Whether a document matches the schema (fastjsonschema's verdict).
IsValid = Callable[[dict], bool]


def schema_warning(notebook: Notebook) -> str | None:
    """The first nbformat schema violation, as one line, or None.

    Only a warning: Jupyter opens notebooks with stray `outputs` on markdown
    cells or missing `execution_count`, and so does nbrefactor. fastjsonschema
    answers "valid?" quickly; nbformat's own (jsonschema) validation, several
    times slower, then describes the first problem, run on the first cell that
    fails alone (or on the notebook without cells) rather than on everything.
    nbformat is imported only then: for a valid notebook, its schema file is
    compiled by fastjsonschema directly (`_fast_check`).
    """
    minor = notebook.data.get("nbformat_minor")
    minor = minor if isinstance(minor, int) else 0
    # nbformat's own fastjsonschema validator only when its schema file cannot be used.
    is_valid = _fast_check(minor) or _nbformat_fast_check(minor)
    if is_valid is not None and is_valid(notebook.data):
        return None

    from nbformat.validator import iter_validate  # costly, needed only here

    def first_error(document: dict) -> object | None:
        return next(iter_validate(document, version=4, version_minor=minor), None)

    if is_valid is None:
        error, cell_index = first_error(notebook.data), None
    else:
        error, cell_index = _locate_schema_error(notebook.data, is_valid, first_error)
    if error is None:
        return None
    where = list(getattr(error, "absolute_path", None) or getattr(error, "path", []))
    if cell_index is None and len(where) >= 2 and where[0] == "cells" and isinstance(where[1], int):
        cell_index = where[1]
    message = str(getattr(error, "message", error)).splitlines()[0]
    if len(message) > 160:
        message = message[:157] + "..."
    if cell_index is not None:
        return messages.schema_mismatch(f"cell {cell_index + 1}", message)
    return messages.schema_mismatch(".".join(map(str, where)) or None, message)


@lru_cache(maxsize=8)
def _fast_check(minor: int) -> IsValid | None:
    """fastjsonschema's verdict on nbformat's schema file for 4.minor, without nbformat.

    What nbformat's fastjsonschema validator answers (`get_validator`), for
    the minor versions that have a schema file of their own; without
    importing nbformat (its validator module imports jsonschema: 8 MB) and
    compiled without detailed messages (a quarter of the code: compiling
    nbformat's way takes 10 MB for a moment, the peak of migrating a huge
    cell). None when the file or fastjsonschema is missing: nbformat decides.
    """
    spec = find_spec("nbformat")
    folders = spec.submodule_search_locations if spec is not None else None
    if not folders or minor < 0:
        return None
    path = os.path.join(folders[0], "v4", f"nbformat.v4.{minor}.schema.json")
    try:
        import fastjsonschema

        with open(path, encoding="utf-8") as file:
            schema = json.load(file)
        validate = fastjsonschema.compile(schema, detailed_exceptions=False)
    except Exception:  # noqa: BLE001 - no such file, no fastjsonschema: nbformat's way
        return None

    def is_valid(document: dict) -> bool:
        try:
            validate(document)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return is_valid


@lru_cache(maxsize=8)
def _nbformat_fast_check(minor: int) -> IsValid | None:
    """nbformat's fastjsonschema verdict for nbformat 4.minor, or None without fastjsonschema."""
    from nbformat.validator import get_validator

    try:
        validator = get_validator(version=4, version_minor=minor, name="fastjsonschema")
    except Exception:  # noqa: BLE001 - fastjsonschema missing or unusable: validate slowly
        return None
    if validator is None:
        return None
    return lambda document: not validator.iter_errors(document)


def _locate_schema_error(
    data: dict, is_valid: IsValid, first_error: Callable[[dict], object | None]
) -> tuple[object | None, int | None]:
    """nbformat's error for the notebook without its cells when that is invalid (its
    metadata, say); else for the first cell that is invalid on its own, with its index."""
    cells = data.get("cells")
    frame = {key: value for key, value in data.items() if key != "cells"}
    if isinstance(cells, list) and is_valid({**frame, "cells": []}):
        for index, cell in enumerate(cells):
            alone = {**frame, "cells": [cell]}
            if not is_valid(alone):
                return first_error(alone), index
    return first_error({**frame, "cells": []} if isinstance(cells, list) else data), None

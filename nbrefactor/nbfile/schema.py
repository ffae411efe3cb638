"""Whether a notebook matches the nbformat schema: only ever a warning.

Two thirds of real notebooks break the schema (stray `outputs` on markdown
cells, a missing `execution_count`) and Jupyter opens them all, so nbrefactor
processes them anyway and says what it saw.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from nbrefactor import messages
from nbrefactor.nbfile.notebook import Notebook

if TYPE_CHECKING:  # nbformat is imported only when a warning is asked for
    from nbformat.json_compat import JsonSchemaValidator


def schema_warning(notebook: Notebook) -> str | None:
    """The first nbformat schema violation, as one line, or None.

    Only a warning: Jupyter opens notebooks with stray `outputs` on markdown
    cells or missing `execution_count`, and so does nbrefactor. fastjsonschema
    answers "valid?" quickly; nbformat's own (jsonschema) validation, several
    times slower, then describes the first problem, run on the first cell that
    fails alone (or on the notebook without cells) rather than on everything.
    """
    from nbformat.validator import iter_validate  # costly, needed only here

    minor = notebook.data.get("nbformat_minor")
    minor = minor if isinstance(minor, int) else 0

    def first_error(document: dict) -> object | None:
        return next(iter_validate(document, version=4, version_minor=minor), None)

    fast = _fast_validator(minor)
    if fast is None:
        error, cell_index = first_error(notebook.data), None
    elif not fast.iter_errors(notebook.data):
        return None
    else:
        error, cell_index = _locate_schema_error(notebook.data, fast, first_error)
    if error is None:
        return None
    where = list(getattr(error, "absolute_path", None) or getattr(error, "path", []))
    if cell_index is None and len(where) >= 2 and where[0] == "cells" and isinstance(where[1], int):
        cell_index = where[1]
    message = str(getattr(error, "message", error)).splitlines()[0]
    if len(message) > 160:
        message = message[:157] + "..."
    return messages.schema_mismatch(None if cell_index is None else cell_index + 1, message)


@lru_cache(maxsize=8)
def _fast_validator(minor: int) -> JsonSchemaValidator | None:
    """nbformat's fastjsonschema validator for nbformat 4.minor, or None without fastjsonschema."""
    from nbformat.validator import get_validator

    try:
        return get_validator(version=4, version_minor=minor, name="fastjsonschema")
    except Exception:  # noqa: BLE001 - fastjsonschema missing or unusable: validate slowly
        return None


def _locate_schema_error(
    data: dict, fast: JsonSchemaValidator, first_error: Callable[[dict], object | None]
) -> tuple[object | None, int | None]:
    """nbformat's error for the first cell that is invalid on its own, with its index."""
    cells = data.get("cells")
    frame = {key: value for key, value in data.items() if key != "cells"}
    if isinstance(cells, list):
        for index, cell in enumerate(cells):
            alone = {**frame, "cells": [cell]}
            if fast.iter_errors(alone):
                return first_error(alone), index
    return first_error({**frame, "cells": []} if isinstance(cells, list) else data), None

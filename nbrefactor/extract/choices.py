"""`--name` and `--from` checked against the notebooks read, before anything is planned: a
name no notebook defines, a place that defines none, or two places choosing one helper is
a usage error (exit 2), said as click says one."""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence

from nbrefactor.extract.gather import NotebookReading


def unknown_choice(
    readings: Sequence[NotebookReading],
    names: Collection[str],
    places: Sequence[tuple[str, int]],
    in_module: Collection[str] = (),
    given: Sequence[str] = (),
) -> tuple[str, str] | None:
    """(option, message) for a `--name` or `--from` naming no top-level function, else None.

    `places` are (real path, cell), as `--from` gives them; `given`, each one's path as
    typed, for the message. A `--name` the module already
    defines (`in_module`) is known: the same command run again after `--migrate` finds it
    in no notebook, and leaves it alone.
    """
    defined = {
        (definition.name, os.path.realpath(definition.path), definition.cell)
        for reading in readings
        for definition in reading.definitions
        if definition.is_function
    }
    defined_names = {name for name, _, _ in defined}
    # `async def`s are read, but not moved (sweep 25 X8): said as such, not as missing.
    asynchronous = [
        definition
        for reading in readings
        for definition in reading.definitions
        if definition.is_async
    ]
    for name in names:
        if name not in defined_names and name not in in_module:
            found = next((item for item in asynchronous if item.name == name), None)
            if found is not None:
                return (
                    "--name",
                    f"{name} is an async def ({found.place}), which extract does not move",
                )
            return "--name", f"no notebook defines a top-level function {name!r}"
    defined_places = {(path, cell) for _, path, cell in defined}
    read = {os.path.realpath(reading.path) for reading in readings}
    chosen_by: dict[str, tuple[str, int]] = {}  # name -> the first --from choosing it
    for index, (path, cell) in enumerate(places):
        shown = given[index] if index < len(given) else path
        if path not in read:
            return (
                "--from",
                f"{shown}: not one of the notebooks read (no such file, or not in PATHS)",
            )
        if (path, cell) not in defined_places:
            if any(
                (os.path.realpath(item.path), item.cell) == (path, cell) for item in asynchronous
            ):
                return "--from", f"{shown}:{cell}: an async def, which extract does not move"
            return "--from", f"{shown}:{cell}: no top-level function is defined there"
        # Two places choosing one helper's variant (re-check 46: one was taken, unsaid).
        for name in sorted(name for name, at, number in defined if (at, number) == (path, cell)):
            first = chosen_by.setdefault(name, (shown, cell))
            if first != (shown, cell):
                both = f"{first[0]}:{first[1]} and {shown}:{cell} both choose {name}"
                return "--from", f"{both}; give one place for it"
    return None

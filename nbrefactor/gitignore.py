"""The project's `.gitignore` files, read as git reads them (with `pathspec`).

`discovery` asks which `.gitignore` files apply to a folder (from the
repository's top down) and whether one of them ignores a path; each file is
read once per run, and lines git would skip as invalid are skipped here too.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


class GitIgnore:
    """One `.gitignore` file: what it says of a path, pathspec reading it only for a path one
    of its lines may match.

    Importing pathspec costs 50 M instructions, an eighth of a pre-commit check of a
    migrated notebook in a repository, and most paths asked about are ones no line can
    match. A line matches only paths that hold each run of its plain characters (in the
    text before any `[` or backslash, the runs between `*`, `?` and `/`: `*.py[cod]`,
    `.py`; `build/`, `build`): a path that lacks a run of each line is one the file says
    nothing of, as pathspec would find.
    """

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines
        self._runs = [runs for runs in map(_plain_runs, lines) if runs is not None]
        self._spec: GitIgnoreSpec | None = None

    def decision(self, path: str) -> bool | None:
        """What the file says of `path` (relative to its folder, "/" after a folder): True
        ignored, False ignored no more (`!`), None when no line matches it."""
        if not any(all(run in path for run in runs) for runs in self._runs):
            return None
        if self._spec is None:
            self._spec = _spec(self._lines)
        return self._spec.check_file(path).include


class GitIgnores:
    """The `.gitignore` files at and below `top`, each read at most once."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self._files: dict[Path, GitIgnore | None] = {}

    def above(self, folder: Path) -> list[tuple[Path, GitIgnore]]:
        """The .gitignore files from the repository's top down to `folder`, deepest first."""
        try:
            below_top = folder.relative_to(self.top).parts
        except ValueError:
            return []
        chain = []
        current = self.top
        for name in ("", *below_top):
            current = current / name if name else current
            gitignore = self.of(current)
            if gitignore is not None:
                chain.append((current, gitignore))
        return chain[::-1]

    def of(self, folder: Path) -> GitIgnore | None:
        """The folder's own .gitignore, if it has a readable one."""
        if folder not in self._files:
            self._files[folder] = _read_gitignore(folder / ".gitignore")
        return self._files[folder]


def ignores_folder(gitignore: GitIgnore, folder: Path, directory: Path) -> bool:
    """Whether a .gitignore in `directory`, above `folder`, ignores that folder."""
    return bool(gitignore.decision(gitignore_path(folder, directory, is_folder=True)))


def gitignore_path(path: Path, directory: Path, is_folder: bool) -> str:
    """The path as a .gitignore in `directory` sees it: relative, "/" after a folder."""
    relative = path.relative_to(directory).as_posix()
    return f"{relative}/" if is_folder else relative


def _read_gitignore(file: Path) -> GitIgnore | None:
    try:
        text = file.read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return None  # none, or unreadable: git goes on without it too
    return GitIgnore(text.splitlines())


def _plain_runs(line: str) -> tuple[str, ...] | None:
    """The runs of plain characters a path must hold for the line to match it (see
    `GitIgnore`); None for a line pathspec takes as no pattern: blank, a comment, `/`."""
    text = line if line.endswith("\\ ") else line.rstrip()  # as pathspec strips it
    if not text or text.startswith("#") or text == "/":
        return None
    plain = text.removeprefix("!")
    for special in "[\\":  # a class, an escape: what follows is not read
        plain = plain.partition(special)[0]
    return tuple(run for run in plain.replace("?", "*").replace("/", "*").split("*") if run)


def _spec(lines: list[str]) -> GitIgnoreSpec:
    """The file's patterns; lines git would ignore as invalid are ignored here too."""
    try:
        return _compiled(lines)
    except (ValueError, re.error):
        return _compiled([line for line in lines if _valid_line(line)])


def _valid_line(line: str) -> bool:
    try:
        _compiled([line])
    except (ValueError, re.error):
        return False
    return True


def _compiled(lines: list[str]) -> GitIgnoreSpec:
    """pathspec's reading of the lines, without the FutureWarning `re` gives for a `[[` in
    one (`Possible nested set`), which only says a later Python may read it otherwise: a
    run in a repository whose `.gitignore` held `[[a]` printed pathspec's file and line."""
    from pathspec import GitIgnoreSpec  # only for a path a line may match

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return GitIgnoreSpec.from_lines(lines)

"""The project's `.gitignore` files, read as git reads them (with `pathspec`).

`discovery` asks which `.gitignore` files apply to a folder (from the
repository's top down) and whether one of them ignores a path; each file is
read once per run, and lines git would skip as invalid are skipped here too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


class GitIgnores:
    """The `.gitignore` files at and below `top`, each read at most once."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self._specs: dict[Path, GitIgnoreSpec | None] = {}

    def above(self, folder: Path) -> list[tuple[Path, GitIgnoreSpec]]:
        """The .gitignore files from the repository's top down to `folder`, deepest first."""
        try:
            below_top = folder.relative_to(self.top).parts
        except ValueError:
            return []
        chain = []
        current = self.top
        for name in ("", *below_top):
            current = current / name if name else current
            spec = self.of(current)
            if spec is not None:
                chain.append((current, spec))
        return chain[::-1]

    def of(self, folder: Path) -> GitIgnoreSpec | None:
        """The folder's own .gitignore, if it has a readable one."""
        if folder not in self._specs:
            self._specs[folder] = _read_gitignore(folder / ".gitignore")
        return self._specs[folder]


def ignores_folder(spec: GitIgnoreSpec, folder: Path, directory: Path) -> bool:
    """Whether a .gitignore in `directory`, above `folder`, ignores that folder."""
    return bool(spec.check_file(gitignore_path(folder, directory, is_folder=True)).include)


def gitignore_path(path: Path, directory: Path, is_folder: bool) -> str:
    """The path as a .gitignore in `directory` sees it: relative, "/" after a folder."""
    relative = path.relative_to(directory).as_posix()
    return f"{relative}/" if is_folder else relative


def _read_gitignore(file: Path) -> GitIgnoreSpec | None:
    """A .gitignore's patterns; lines git would ignore as invalid are ignored here too."""
    try:
        text = file.read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return None  # none, or unreadable: git goes on without it too
    from pathspec import GitIgnoreSpec  # only where a .gitignore exists

    lines = text.splitlines()
    try:
        return GitIgnoreSpec.from_lines(lines)
    except (ValueError, re.error):
        return GitIgnoreSpec.from_lines([line for line in lines if _valid_line(line)])


def _valid_line(line: str) -> bool:
    from pathspec import GitIgnoreSpec

    try:
        GitIgnoreSpec.from_lines([line])
    except (ValueError, re.error):
        return False
    return True

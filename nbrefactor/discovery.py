"""Which notebooks a run processes: the paths given, and the notebooks below the folders given.

Folders are searched as black and ruff search them: whatever the default
excludes, `--exclude` / `--extend-exclude` or the project's `.gitignore` files
match is skipped, so a run over a project never walks into `venv/`, `build/` or
`node_modules/`. Unlike them, hidden folders and files are skipped too: notebook
tools keep copies of notebooks there (`.ipynb_checkpoints`, jupyterlab-lsp's
`.virtual_documents`), and a copy migrated would not be the notebook. A path given
explicitly is always taken, unless `--force-exclude` asks that the same
rules apply to it (pre-commit passes every staged notebook explicitly).

Nothing here opens a notebook: a FIFO named `x.ipynb` may be listed, and the
read step decides what to do with it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nbrefactor import messages
from nbrefactor.gitignore import GitIgnore, GitIgnores, gitignore_path, ignores_folder
from nbrefactor.migration import Outcome, Status
from nbrefactor.path_checks import link_loop, links_to_nothing, path_problem
from nbrefactor.project import repository_top
from nbrefactor.value_base import ValueBase

# Black's default excludes that are not hidden (hidden folders are skipped anyway), a few
# hidden ones kept for reading, plus node_modules and site-packages: searched (re.search)
# in "/" + the path relative to the project root, with a "/" after a folder.
DEFAULT_EXCLUDE = re.compile(
    r"/(\.git|\.hg|\.mypy_cache|\.nox|\.tox|\.venv|venv|_build|build|dist|buck-out"
    r"|node_modules|site-packages|__pypackages__|\.ipynb_checkpoints)/"
)


@dataclass(frozen=True, eq=False, repr=False)
class Exclusions(ValueBase):
    """What a search leaves out, built once by the CLI from flags and settings."""

    root: Path  # the project root (absolute): exclude patterns see paths relative to it
    gitignore_top: Path  # the folder whose .gitignore is the first to count
    exclude: re.Pattern[str] = DEFAULT_EXCLUDE  # --exclude replaces the defaults
    extend_exclude: re.Pattern[str] | None = None
    force_exclude: bool = False

    @classmethod
    def from_options(
        cls,
        root: Path,
        exclude: re.Pattern[str] | None,
        extend_exclude: re.Pattern[str] | None,
        force_exclude: bool | None,
    ) -> Exclusions:
        """The rules `--exclude`, `--extend-exclude` and `--force-exclude` (or their
        settings) give in the project at `root`, for `migrate` and `extract` alike;
        `.gitignore` files count from the top of its repository."""
        return cls(
            root=root,
            gitignore_top=repository_top(root),
            exclude=exclude or DEFAULT_EXCLUDE,
            extend_exclude=extend_exclude,
            force_exclude=bool(force_exclude),
        )


@dataclass(frozen=True, eq=False, repr=False)
class Excluded(ValueBase):
    """A path left out of the run, with the rule that left it out, as `-v` and JSON output show it."""

    path: Path
    reason: str  # "--exclude", "--extend-exclude" or "PATH/.gitignore"


@dataclass
class Discovery:
    """The notebooks to process, in order, with a failed `Outcome` for each path that gives none."""

    entries: list[Path | Outcome] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)


def find_notebooks(paths: Sequence[Path], rules: Exclusions) -> Discovery:
    """Notebooks named or found below the given paths, in order, each once.

    A folder's notebooks come sorted by path. A file reached twice (by two
    spellings, or by a folder and by name) is taken once, by the path
    `_each_once` chooses: a path given, else the file rather than a link to
    it found by a search. A folder that
    gives no notebook gives nothing (as in black and ruff, nothing to do is
    not an error); a missing path, a file given by name that is not an
    `.ipynb` (a jupytext `.py`) and a symbolic link loop are one failed
    `Outcome` each; the other paths are still searched. A link to nothing
    found in a folder is left out (listed in `excluded`), as black passes over it.
    """
    search = _Search(rules)
    discovery = Discovery()
    found_in_order: list[_Found | Outcome] = []
    real_folders: dict[str, str] = {}  # a folder's real path, resolved once for its notebooks
    for path in paths:
        problem = path_problem(path)
        if problem is not None:
            found_in_order.append(Outcome(path, Status.FAILED, error=problem))
            continue
        if rules.force_exclude:
            reason = search.excluded_as_given(path)
            if reason is not None:
                discovery.excluded.append(Excluded(path, reason))
                continue
        if os.path.isdir(path):
            left_out: list[Excluded] = []
            found = sorted(search.notebooks_below(path, left_out))
            discovery.excluded.extend(sorted(left_out, key=lambda item: item.path))
            given = False
        elif not path.name.endswith(".ipynb"):
            found_in_order.append(
                Outcome(path, Status.FAILED, error=messages.not_a_notebook_file())
            )
            continue
        else:
            found = [path]
            given = True
        for notebook in found:
            if os.path.islink(notebook):
                problem = link_loop(notebook)
                if problem is not None:
                    found_in_order.append(Outcome(notebook, Status.FAILED, error=problem))
                    continue
                key = os.path.realpath(notebook)
                rank = _GIVEN if given else _LINK_FOUND
            else:  # the file is not a link: its real path is its folder's, plus its name
                folder, name = os.path.split(notebook)
                if folder not in real_folders:
                    real_folders[folder] = os.path.realpath(folder or os.curdir)
                key = os.path.join(real_folders[folder], name)
                rank = _GIVEN if given else _FILE_FOUND
            found_in_order.append(_Found(notebook, key, rank))
    discovery.entries = _each_once(found_in_order)
    return discovery


# How a path to a notebook was reached; of two paths to one file, the lower rank is processed.
_GIVEN = 0  # named on the command line: the user's spelling
_FILE_FOUND = 1  # found by a search, in the folder that holds the file
_LINK_FOUND = 2  # found by a search, as a symbolic link to a file found elsewhere


@dataclass(frozen=True)
class _Found:
    """A path to a notebook, with the file's real path (two paths to one file share it)."""

    path: Path
    key: str
    rank: int


def _each_once(found_in_order: Sequence[_Found | Outcome]) -> list[Path | Outcome]:
    """Each file once, at the place of the path chosen for it.

    A path given wins; else, of a file and a link to it both found by a search, the file: a
    link is an alias, and the run (which path is reported, and the module warnings judged from
    the path's folder) must not depend on which name sorts first. Ties go to the first reached.
    """
    chosen: dict[str, _Found] = {}
    for item in found_in_order:
        if isinstance(item, _Found):
            best = chosen.get(item.key)
            if best is None or item.rank < best.rank:
                chosen[item.key] = item
    return [
        item if isinstance(item, Outcome) else item.path
        for item in found_in_order
        if isinstance(item, Outcome) or chosen[item.key] is item
    ]


class _Search:
    """The exclude rules applied to one run, with each `.gitignore` read once."""

    def __init__(self, rules: Exclusions) -> None:
        self.rules = rules
        self.gitignores = GitIgnores(rules.gitignore_top)
        self._real_root: str | None = None  # resolved when a link is found

    def notebooks_below(self, folder: Path, excluded: list[Excluded]) -> Iterator[Path]:
        """Walk a folder given explicitly: it is searched even if excluded itself.

        A rule that matches the folder given (an exclude pattern, or a
        `.gitignore` that ignores it) is set aside inside it, as though the
        walk started there; the others apply to what lies below.
        """
        start = Path(os.path.abspath(folder))
        patterns = [
            (option, pattern)
            for option, pattern in self._patterns()
            if not pattern.search(self._relative(start, is_folder=True))
        ]
        # The folder's own .gitignore is read by the walk, like those below it.
        ignores = [
            (directory, gitignore)
            for directory, gitignore in self.gitignores.above(start.parent)
            if not ignores_folder(gitignore, start, directory)
        ]
        chains: dict[str, list[tuple[Path, GitIgnore]]] = {}
        for current, folders, files in os.walk(folder):
            absolute = Path(os.path.abspath(current))
            chain = chains.pop(current, ignores)
            own = self.gitignores.of(absolute) if ".gitignore" in files else None
            if own is not None:
                chain = [(absolute, own), *chain]
            kept_folders = []
            for name in sorted(folders):
                if name.startswith("."):  # listed, as black's -v lists `.git` (docs sweep 28)
                    excluded.append(Excluded(Path(current, name), messages.hidden()))
                    continue
                if os.path.islink(os.path.join(current, name)):  # os.walk does not enter it
                    excluded.append(Excluded(Path(current, name), messages.folder_link()))
                    continue
                reason = self._reason(absolute / name, True, patterns, chain)
                if reason is None:
                    kept_folders.append(name)
                    chains[os.path.join(current, name)] = chain
                else:
                    excluded.append(Excluded(Path(current, name), reason))
            folders[:] = kept_folders
            for name in files:
                if not name.endswith(".ipynb"):
                    continue
                if name.startswith("."):
                    excluded.append(Excluded(Path(current, name), messages.hidden()))
                    continue
                reason = self._reason(absolute / name, False, patterns, chain)
                if reason is None and links_to_nothing(os.path.join(current, name)):
                    # A notebook deleted or moved while a link to it stays must not fail every
                    # run over the folder; given by name, the read step reports it.
                    reason = messages.dangling_link()
                if reason is None and self._links_outside(os.path.join(current, name)):
                    # As black: a link found in a walk must not change a file elsewhere (another
                    # repository, a shared drive); given by name, it is written through.
                    reason = messages.link_outside(self.rules.root)
                if reason is None:
                    yield Path(current, name)
                else:
                    excluded.append(Excluded(Path(current, name), reason))

    def _links_outside(self, path: str) -> bool:
        """Whether `path` is a symbolic link to a file outside the project root."""
        if not os.path.islink(path):
            return False
        if self._real_root is None:
            self._real_root = os.path.realpath(self.rules.root)
        real = os.path.realpath(path)
        return os.path.commonpath([real, self._real_root]) != self._real_root

    def excluded_as_given(self, path: Path) -> str | None:
        """Why `--force-exclude` leaves out a path given explicitly: would a walk from the root skip it?

        The path and every folder above it, up to the project root, are
        checked as the walk would check them.
        """
        absolute = Path(os.path.abspath(path))
        try:
            below_root = absolute.relative_to(self.rules.root).parts
        except ValueError:
            return None
        patterns = self._patterns()
        current = self.rules.root
        for depth, name in enumerate(below_root):
            if name.startswith("."):
                return messages.hidden()
            current = current / name
            is_folder = depth < len(below_root) - 1 or os.path.isdir(absolute)
            chain = list(self.gitignores.above(current.parent))
            reason = self._reason(current, is_folder, patterns, chain)
            if reason is not None:
                return reason
        return None

    def _patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        rules = self.rules
        exclude = messages.default_excludes() if rules.exclude is DEFAULT_EXCLUDE else "--exclude"
        patterns = [(exclude, rules.exclude)]
        if rules.extend_exclude is not None:
            patterns.append(("--extend-exclude", rules.extend_exclude))
        return patterns

    def _relative(self, path: Path, is_folder: bool) -> str:
        """The path as exclude patterns see it: "/" + relative to the root, "/" after a folder."""
        try:
            relative = path.relative_to(self.rules.root).as_posix()
        except ValueError:
            relative = path.as_posix().lstrip("/")
        if relative == ".":
            return "/"
        return f"/{relative}/" if is_folder else f"/{relative}"

    def _reason(
        self,
        path: Path,
        is_folder: bool,
        patterns: list[tuple[str, re.Pattern[str]]],
        chain: Sequence[tuple[Path, GitIgnore]],
    ) -> str | None:
        relative = self._relative(path, is_folder)
        for option, pattern in patterns:
            if pattern.search(relative):
                return messages.excluded_by_pattern(option)
        # The deepest .gitignore with a matching line decides, as in git.
        for directory, gitignore in chain:
            decision = gitignore.decision(gitignore_path(path, directory, is_folder))
            if decision is not None:
                return messages.ignored_by(directory / ".gitignore") if decision else None
        return None

"""The commands the rows time: nbrefactor, the floor scripts, ruff and bare imports."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from corpus import Corpus
from measuring import Command
from repo import MODULE


@dataclasses.dataclass(frozen=True)
class Tools:
    python: str
    nbrefactor: str
    ruff: str | None


@dataclasses.dataclass(frozen=True)
class Commands:
    """The commands that rows time."""

    tools: Tools
    scripts: Path
    names: frozenset[str]

    @property
    def migrate(self) -> tuple[str, ...]:
        return (self.tools.nbrefactor, "migrate", "--module", str(MODULE))

    def json_floor(self, folder: Path) -> Command:
        return Command((self.tools.python, str(self.scripts / "json_floor.py"), str(folder)))

    def analysis_floor(self, folder: Path, variant: str | None = None) -> Command:
        """JSON and `ast.parse` of the code cells naming the library (floors.ANALYSIS_FLOOR);
        `variant` "--twice" or "--walk" adds a second parse or a walk of each tree."""
        names = ",".join(sorted(self.names))
        script = str(self.scripts / "analysis_floor.py")
        extra = () if variant is None else (variant,)
        return Command((self.tools.python, script, str(folder), names, *extra))

    def check(self, corpus: Corpus, jobs: int, *, changes: bool) -> Command:
        """--check: exit 1 and one `would migrate` line per notebook, or exit 0 and none."""
        return Command(
            (*self.migrate, "--check", "--jobs", str(jobs), str(corpus.path)),
            expected_exit=frozenset({1 if changes else 0}),
            expected_lines=("would migrate ", corpus.count if changes else 0),
        )

    def write(
        self,
        source: Path,
        target: Path,
        jobs: int,
        count: int,
        timeout: float | None = None,
        *,
        unchecked: bool = False,
    ) -> Command:
        """Migrate a fresh copy; `unchecked`: with the safety check before writing turned off."""
        migrate = self.migrate
        if unchecked:
            script = str(self.scripts / "migrate_unchecked.py")
            migrate = (self.tools.python, script, *migrate[1:])
        return Command(
            (*migrate, "--jobs", str(jobs), str(target)),
            expected_lines=("migrated ", count),
            fresh_copy=(source, target),
            timeout=timeout,
        )

    def ruff(self, corpus: Corpus) -> Command:
        return Command(
            (self.tools.ruff, "check", "--select", "F", "--no-cache", str(corpus.path)),
            frozenset({0, 1}),
        )

    def imports(self, modules: str) -> Command:
        return Command((self.tools.python, "-c", f"import {modules}"))

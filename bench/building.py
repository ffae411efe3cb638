"""Where everything lives in the temporary folder, and building it: the fixture corpora,
the realistic corpus (and its migrated copies), the growth notebooks."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import growth  # bench/growth.py, beside this file
import realistic  # bench/realistic.py, beside this file
from commands import Commands
from corpus import (
    Corpus,
    Template,
    build_big_notebook,
    build_corpus,
    defines_library_name,
    library_definition,
)
from measuring import Command, Sample
from repo import DEMO, MIGRATED_DEMO


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where everything lives in the temporary folder."""

    root: Path
    a: Corpus
    b: Corpus
    c: Corpus
    big: Path
    single: Path
    work: Path
    real_a: Corpus
    real_b: Corpus
    real_c: Corpus
    growth: Path

    @classmethod
    def under(cls, root: Path, notebooks: int) -> Layout:
        return cls(
            root=root,
            a=Corpus("(a)", root / "corpus_a", notebooks),
            b=Corpus("(b)", root / "corpus_b", notebooks),
            c=Corpus("(c)", root / "corpus_c", notebooks),
            big=root / "big" / "big.ipynb",
            single=root / "single",
            work=root / "work",
            real_a=Corpus("(a-real)", root / "real_a", notebooks),
            real_b=Corpus("(b-real)", root / "real_b", notebooks),
            real_c=Corpus("(c-real)", root / "real_c", notebooks),
            growth=root / "growth",
        )

    def warm_up(self, a_count: int, b_count: int, c_count: int, real_count: int) -> Layout:
        """The same layout with small corpora (one copy of each fixture), for warm-up runs."""
        return dataclasses.replace(
            self,
            a=Corpus("(a)", self.root / "warm_a", a_count),
            b=Corpus("(b)", self.root / "warm_b", b_count),
            c=Corpus("(c)", self.root / "warm_c", c_count),
            real_a=Corpus("(a-real)", self.root / "warm_real_a", real_count),
            real_b=Corpus("(b-real)", self.root / "warm_real_b", real_count),
            real_c=Corpus("(c-real)", self.root / "warm_real_c", real_count),
            growth=self.root / "warm_growth",
        )

    def grown(self, case: growth.GrowthCase, double: bool) -> Path:
        """The notebook of a growth case, alone in its folder (for the JSON floor)."""
        return self.growth / f"{case.key}-{'2n' if double else 'n'}" / f"{case.key}.ipynb"


def build_fixture_corpora(
    layout: Layout,
    warm: Layout,
    templates_a: list[Template],
    templates_b: list[Template],
    templates_c: list[Template],
    names: frozenset[str],
) -> tuple[int, int, int, int]:
    """Corpora from the fixtures, single notebooks and the big one; (distinct a, b, c, big size)."""
    distinct_a = build_corpus(layout.a, templates_a, names)
    distinct_b = build_corpus(layout.b, templates_b, names)
    distinct_c = build_corpus(layout.c, templates_c, names)
    build_corpus(warm.a, templates_a, names)
    build_corpus(warm.b, templates_b, names)
    build_corpus(warm.c, templates_c, names)
    layout.single.mkdir(parents=True)
    for path in (DEMO, MIGRATED_DEMO):
        shutil.copy2(path, layout.single / path.name)
    big_size = build_big_notebook(layout.big)
    return distinct_a, distinct_b, distinct_c, big_size


def build_realistic_corpora(
    layout: Layout,
    seed: int,
    helpers: dict[str, list[str]],
    commands: Commands,
    run: Callable[[Command], Sample],
) -> tuple[Layout, list[realistic.Facts]]:
    """(a-real) from the seed; (b-real): a copy migrated once; (c-real): (b-real) less the
    notebooks that still define a library name. The layout with (c-real)'s count."""
    a, b, c = layout.real_a, layout.real_b, layout.real_c
    facts = realistic.write_notebooks(a.path, a.count, seed, helpers)
    run(commands.write(a.path, b.path, 2, a.count))
    c.path.mkdir(parents=True)
    definition = library_definition(commands.names)
    for path in sorted(b.path.iterdir()):
        if not defines_library_name(json.loads(path.read_text(encoding="utf-8")), definition):
            shutil.copy2(path, c.path / path.name)
    count = sum(1 for _ in c.path.iterdir())
    return dataclasses.replace(layout, real_c=dataclasses.replace(c, count=count)), facts


def build_growth_notebooks(
    layout: Layout, scale: float, seed: int, helpers: dict[str, list[str]]
) -> dict[str, int]:
    """The growth cases' notebooks at n and 2n; their file sizes by `key` and `key-2x`."""
    sizes = {}
    for case in growth.growth_cases(scale):
        for double in (False, True):
            path = layout.grown(case, double)
            path.parent.mkdir(parents=True)
            text = case.build(case.size * (2 if double else 1), helpers, seed)
            path.write_text(text, encoding="utf-8")
            sizes[f"{case.key}{'-2x' if double else ''}"] = path.stat().st_size
    return sizes


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.iterdir())

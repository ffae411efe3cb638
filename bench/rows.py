"""The rows of the table: what each times, against which baseline, with which target."""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
from collections.abc import Sequence
from pathlib import Path

import growth  # bench/growth.py, beside this file
from building import Layout
from commands import Commands
from measuring import Command
from repo import DEMO, MIB, MIGRATED_DEMO, BenchError


@dataclasses.dataclass(frozen=True)
class Row:
    key: str
    what: str
    command: Command | None  # None: reads the samples of `samples_of`
    baseline: str | None = None  # key of the row whose median is the denominator
    target: float | None = None  # the ratio must be at most this
    metric: str = "seconds"  # or "rss"
    samples_of: str | None = None
    constant_baseline: tuple[str, float] | None = None  # (label, value) instead of a row
    group: str = "fixtures"  # what must be built for it: "fixtures", "real" or "growth"
    runs: int | None = None  # at most this many runs (default: --repeats)
    once_over: float | None = None  # seconds: a first run slower than this is not repeated


@dataclasses.dataclass(frozen=True)
class Settings:
    """What the command line asked for."""

    real_repeats: int
    seed: int
    growth_scale: float
    growth_timeout: float
    once_over: float  # seconds: growth commands slower than this run once


def define_rows(
    commands: Commands, layout: Layout, settings: Settings, sizes: dict[str, int]
) -> list[Row]:
    """Every row: fixture corpora, the realistic corpus, growth; `sizes` are file sizes."""
    return [
        *fixture_rows(commands, layout, sizes.get("big", 0)),
        *realistic_rows(commands, layout, settings.real_repeats),
        *growth_rows(commands, layout, settings, sizes),
    ]


def fixture_rows(commands: Commands, layout: Layout, big_size: int) -> list[Row]:
    a, b, c = layout.a, layout.b, layout.c
    check, write, json_floor, imports = (
        commands.check,
        commands.write,
        commands.json_floor,
        commands.imports,
    )
    rows = [
        Row("json-a", f"JSON floor: json.load+dumps, {a.label}", json_floor(a.path)),
        Row(
            "check-a",
            f"migrate --check --jobs 1, {a.label} (info)",
            check(a, 1, changes=True),
            "json-a",
        ),
        Row(
            "check-a-j2",
            f"migrate --check --jobs 2, {a.label}",
            check(a, 2, changes=True),
            "check-a",
            0.7,
        ),
        Row(
            "write-a",
            f"migrate --jobs 1 (writing a fresh copy), {a.label} (info)",
            write(a.path, layout.work / "write_a_j1", 1, a.count),
            "json-a",
        ),
        Row(
            "write-a-j2",
            f"migrate --jobs 2 (writing a fresh copy), {a.label}",
            write(a.path, layout.work / "write_a_j2", 2, a.count),
            "write-a",
            0.7,
        ),
        Row("json-b", f"JSON floor: json.load+dumps, {b.label}", json_floor(b.path)),
        Row(
            "check-b",
            f"migrate --check --jobs 1, {b.label}",
            check(b, 1, changes=False),
            "json-b",
            1.5,
        ),
        Row("json-c", f"JSON floor: json.load+dumps, {c.label}", json_floor(c.path)),
        Row(
            "check-c",
            f"migrate --check --jobs 1, {c.label} (info)",
            check(c, 1, changes=False),
            "json-c",
        ),
    ]
    if commands.tools.ruff is not None:
        rows += [
            Row(
                "ruff-a",
                f"ruff check --select F --no-cache, {a.label} (info)",
                commands.ruff(a),
                "json-a",
            ),
            Row(
                "ruff-b",
                f"ruff check --select F --no-cache, {b.label} (info)",
                commands.ruff(b),
                "json-b",
            ),
        ]
    demo, migrated = layout.single / DEMO.name, layout.single / MIGRATED_DEMO.name
    migrate = commands.migrate
    rows += [
        Row("import-click", 'python -c "import click"', imports("click")),
        Row(
            "help",
            "nbrefactor --help",
            Command((commands.tools.nbrefactor, "--help")),
            "import-click",
            1.5,
        ),
        Row(
            "extract-help",
            "nbrefactor extract --help",
            Command((commands.tools.nbrefactor, "extract", "--help")),
            "import-click",
            1.5,
        ),
        Row("import-cn", 'python -c "import click, nbformat"', imports("click, nbformat")),
        Row(
            "check-demo",
            f"migrate --check {DEMO.name}",
            Command((*migrate, "--check", str(demo)), frozenset({1}), ("would migrate ", 1)),
            "import-cn",
            1.2,
        ),
        Row(
            "check-migrated",
            f"migrate --check {MIGRATED_DEMO.name}",
            Command((*migrate, "--check", str(migrated)), frozenset({0}), ("would migrate ", 0)),
            "import-cn",
            1.2,
        ),
        Row(
            "json-big",
            f"JSON floor, one {big_size / MIB:.0f} MiB notebook",
            json_floor(layout.big.parent),
        ),
        Row(
            "write-big",
            f"migrate --jobs 1 (writing), one {big_size / MIB:.0f} MiB notebook (info)",
            write(layout.big, layout.work / "big" / layout.big.name, 1, 1),
            "json-big",
        ),
        Row(
            "rss-big",
            "peak RSS of that migrate, vs the file size",
            None,
            target=4.0,
            metric="rss",
            samples_of="write-big",
            constant_baseline=("file size", float(big_size)),
        ),
    ]
    return rows


def realistic_rows(commands: Commands, layout: Layout, runs: int) -> list[Row]:
    """The fixture corpora's rows on the realistic corpus. The baseline of (a-real)'s
    commands is the analysis floor (JSON and `ast.parse` of the cells naming the
    library, issue 15's targets), that of (b-real) and (c-real) the JSON floor."""
    a, b, c = layout.real_a, layout.real_b, layout.real_c
    row = functools.partial(Row, group="real", runs=runs)
    rows = [
        row("json-a-real", f"JSON floor: json.load+dumps, {a.label}", commands.json_floor(a.path)),
        row(
            "analysis-a-real",
            f"analysis floor: json.load, ast.parse of cells naming the library, {a.label} (info)",
            commands.analysis_floor(a.path),
            "json-a-real",
        ),
        row(
            "safety-a-real",
            f"the analysis floor, those cells parsed again and compared, {a.label} (info)",
            commands.analysis_floor(a.path, "--twice"),
            "analysis-a-real",
        ),
        row(
            "walk-a-real",
            f"the analysis floor, each tree walked once by ast.walk, {a.label} (info)",
            commands.analysis_floor(a.path, "--walk"),
            "analysis-a-real",
        ),
        row(
            "check-a-real",
            f"migrate --check --jobs 1, {a.label}",
            commands.check(a, 1, changes=True),
            "analysis-a-real",
            1.3,
        ),
        row(
            "check-a-real-j2",
            f"migrate --check --jobs 2, {a.label}",
            commands.check(a, 2, changes=True),
            "check-a-real",
            0.55,
        ),
        row(
            "write-a-real",
            f"migrate --jobs 1 (writing a fresh copy), {a.label}",
            commands.write(a.path, layout.work / "write_real_a_j1", 1, a.count),
            "analysis-a-real",
            1.6,
        ),
        row(
            "write-a-real-unchecked",
            f"migrate --jobs 1 without the safety check (info), {a.label}",
            commands.write(
                a.path, layout.work / "write_real_a_unchecked", 1, a.count, unchecked=True
            ),
            "analysis-a-real",
        ),
        row(
            "safety-check",
            "migrate --jobs 1 with the safety check, against without it",
            None,
            "write-a-real-unchecked",
            1.05,
            samples_of="write-a-real",
        ),
        row(
            "write-a-real-j2",
            f"migrate --jobs 2 (writing a fresh copy), {a.label}",
            commands.write(a.path, layout.work / "write_real_a_j2", 2, a.count),
            "write-a-real",
            0.55,
        ),
        row("json-b-real", f"JSON floor: json.load+dumps, {b.label}", commands.json_floor(b.path)),
        row(
            "check-b-real",
            f"migrate --check --jobs 1, {b.label}",
            commands.check(b, 1, changes=False),
            "json-b-real",
            1.3,
        ),
    ]
    if c.count:
        rows += [
            row(
                "json-c-real",
                f"JSON floor: json.load+dumps, {c.label}",
                commands.json_floor(c.path),
            ),
            row(
                "check-c-real",
                f"migrate --check --jobs 1, {c.label} (info)",
                commands.check(c, 1, changes=False),
                "json-c-real",
            ),
        ]
    if commands.tools.ruff is not None:
        rows += [
            row(
                f"ruff-{corpus.label[1:-1]}",
                f"ruff check --select F --no-cache, {corpus.label} (info)",
                commands.ruff(corpus),
                f"json-{corpus.label[1:-1]}",
            )
            for corpus in (a, b)
        ]
    return rows


def growth_rows(
    commands: Commands, layout: Layout, settings: Settings, sizes: dict[str, int]
) -> list[Row]:
    """Per growth case: its JSON floor, `migrate` at n (vs the floor) and at 2n (vs n)."""
    row = functools.partial(
        Row, group="growth", runs=settings.real_repeats, once_over=settings.once_over
    )
    rows = []
    for case in growth.growth_cases(settings.growth_scale):
        grown, doubled = layout.grown(case, double=False), layout.grown(case, double=True)
        what = case.describe(case.size)

        def write(source: Path) -> Command:
            target = layout.work / "growth" / source.parent.name / source.name
            return commands.write(source, target, 1, 1, settings.growth_timeout)

        rows += [
            row(
                f"json-{case.key}",
                f"JSON floor, one notebook: {what}",
                commands.json_floor(grown.parent),
            ),
            row(
                f"write-{case.key}",
                f"migrate --jobs 1 (writing), one notebook: {what}",
                write(grown),
                f"json-{case.key}",
                5.0,
            ),
            row(
                f"write-{case.key}-2x",
                f"the same, twice the size: {case.describe(2 * case.size)}",
                write(doubled),
                f"write-{case.key}",
                2.1,  # issue 15: doubling the input takes at most 2.1x the time
            ),
        ]
    rows.append(
        row(
            "rss-bigcell",
            "peak RSS of write-bigcell, vs the file size",
            None,
            target=10.0,
            metric="rss",
            samples_of="write-bigcell",
            constant_baseline=("file size", float(sizes.get("bigcell", 0))),
        )
    )
    return rows


def select_rows(rows: list[Row], patterns: Sequence[str]) -> list[Row]:
    if not patterns:
        return rows
    keys = [row.key for row in rows]
    for pattern in patterns:
        if not fnmatch.filter(keys, pattern):
            raise BenchError(f"--only {pattern!r} matches no row; rows: {', '.join(keys)}")
    wanted = {
        row.key for row in rows if any(fnmatch.fnmatch(row.key, pattern) for pattern in patterns)
    }
    # A derived row needs the row it reads.
    wanted |= {row.samples_of for row in rows if row.key in wanted and row.samples_of}
    return [row for row in rows if row.key in wanted]

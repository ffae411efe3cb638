"""Benchmark `nbrefactor migrate` against what the same work costs at the least.

    python bench/run.py [--notebooks N] [--repeats R] [--real-repeats R] [--seed S]
                        [--growth-timeout SECONDS] [--quick] [--only PATTERN] [--keep]

Builds, in a temporary folder, corpora made from the project's own fixtures,
replicated and varied to N notebooks each:

  (a) notebooks that still contain inline definitions (the fixture inputs that
      have an `.expected.ipynb`);
  (b) already-migrated notebooks (the `.expected.ipynb` files and the `noop_*`
      inputs);
  (c) (b) without the notebooks that still define a library name;

plus one ~50 MB notebook (the demo with large PNG outputs) for memory. The
fixtures are small (~6 KB); real notebooks are bigger, so the same rows run
again on a corpus shaped like real ones (bench/realistic.py, reproducible from
--seed), with the analysis floor as the baseline of (a-real)'s commands (reading
each notebook's JSON and `ast.parse` of the code cells that name a library
function: what any sound tool must do) and the JSON floor as that of the others:

  (a-real) N notebooks with inline definitions, broken cells and all;
  (b-real) the same after one `nbrefactor migrate` (done while building);
  (c-real) (b-real) without the notebooks that still define a library name.

Growth rows time `migrate` on single notebooks that grow along one axis:
10,000 cells, 10,000 definitions of library names, one 5 MB code cell (a
tenth of that with --quick), each against its own JSON floor and against
itself at twice the size; and the peak RSS of the 5 MB cell's run. Each
growth command is stopped after --growth-timeout seconds (the row then shows
`timeout` and a lower bound of its ratio), and runs once when its first run
took more than 30 s.

It then times fresh processes, side by side: every measurement runs once per
round, so that a noisy moment of the machine hits all of them alike (R rounds
for the fixture rows, --real-repeats for the realistic and growth rows). Each
row is compared with a baseline (a "floor" script doing the least work the
command must do, or a bare import) and the ratio is shown next to its target.
The ratios are for reading: the script exits non-zero only when a command fails
unexpectedly (wrong exit code, a crash, notebooks not reported as expected),
not when a target is missed or a command times out.

The modules beside this file: corpus.py (fixture corpora, the big notebook and
its fake PNGs), realistic.py (the realistic corpus; its cells' code in
realistic_code.py, their text and JSON in realistic_cells.py), growth.py (the
growth notebooks),
building.py (the temporary folder's layout, building it), floors.py (the floor
scripts), commands.py, rows.py (what each row times, baseline and target),
measuring.py (one fresh process: time, CPU, peak RSS), rounds.py (warm-up and
rounds), table.py (the table), repo.py (paths, tools, the library's names).

Children run with PYTHONPYCACHEPREFIX pointing into the temporary folder (and
PYTHONDONTWRITEBYTECODE unset), after one untimed warm-up run of every command
on a small corpus: every process then reads compiled bytecode, as an installed
package would, and nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import growth  # bench/growth.py, beside this file
import realistic  # bench/realistic.py, beside this file
from building import (
    Layout,
    build_fixture_corpora,
    build_growth_notebooks,
    build_realistic_corpora,
    folder_size,
)
from commands import Commands, Tools
from corpus import fixture_templates, without_library_definitions
from floors import write_scripts
from measuring import Command, Sample, child_environment, run_once
from repo import (
    FIXTURES,
    MIB,
    MODULE,
    BenchError,
    compile_bytecode,
    find_tool,
    library_names,
    source_revision,
    tool_version,
)
from rounds import measure
from rows import Settings, define_rows, select_rows
from table import format_table


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time nbrefactor against JSON/parse floors and bare imports (ratios; not a pass/fail gate)."
    )
    parser.add_argument(
        "--notebooks",
        type=int,
        default=None,
        metavar="N",
        help="notebooks per corpus (default 1000, 100 with --quick)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=None,
        metavar="R",
        help="runs of each command on the fixture corpora (default 5, 3 with --quick; min 3)",
    )
    parser.add_argument(
        "--real-repeats",
        type=int,
        default=3,
        metavar="R",
        help="runs of each command on the realistic corpus and the growth notebooks (default 3)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=1,
        help="seed of the realistic corpus and the growth notebooks (default 1)",
    )
    parser.add_argument(
        "--growth-timeout",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="stop a growth command after this long and show 'timeout' (default 120)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="100 notebooks, 3 runs, growth notebooks a tenth of the size",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PATTERN",
        help="run only rows whose key matches (fnmatch, comma-separated or repeated), e.g. 'check-*'",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder and print its path"
    )
    arguments = parser.parse_args(argv)
    if arguments.notebooks is None:
        arguments.notebooks = 100 if arguments.quick else 1000
    if arguments.repeats is None:
        arguments.repeats = 3 if arguments.quick else 5
    if arguments.repeats < 3:
        parser.error("--repeats must be at least 3")
    if arguments.real_repeats < 1:
        parser.error("--real-repeats must be at least 1")
    if arguments.notebooks < 1:
        parser.error("--notebooks must be at least 1")
    arguments.only = [
        pattern for value in arguments.only for pattern in value.split(",") if pattern
    ]
    return arguments


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    nbrefactor = find_tool("nbrefactor")
    if nbrefactor is None:
        print(
            "error: no nbrefactor command next to this Python or on PATH (pip install . first)",
            file=sys.stderr,
        )
        return 2
    tools = Tools(python=sys.executable, nbrefactor=nbrefactor, ruff=find_tool("ruff"))
    compile_bytecode()
    root = Path(tempfile.mkdtemp(prefix="nbrefactor-bench-"))
    try:
        return run_benchmark(arguments, tools, root)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        if arguments.keep:
            print(f"kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)


# Measured on about 100 real versions of the notebooks (see bench/realistic.py).
REAL_SHAPE = (
    "16-142 KB (median 85), 24-43 cells (median 42), about 26 code cells "
    "(lines: median 29, p90 137); longest cell median 168 lines (max 8478); "
    "about a third with a cell that does not parse, usually the one holding a definition"
)


def run_benchmark(arguments: argparse.Namespace, tools: Tools, root: Path) -> int:
    """Build, warm up, measure, print the header and the table; 1 when a command failed."""
    started_at = datetime.datetime.now(datetime.UTC)
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    settings = Settings(
        real_repeats=arguments.real_repeats,
        seed=arguments.seed,
        growth_scale=0.1 if arguments.quick else 1.0,
        growth_timeout=arguments.growth_timeout,
        once_over=30.0,
    )
    revision = source_revision()
    names = library_names()
    templates_a, templates_b = fixture_templates()
    templates_c = without_library_definitions(templates_b, names)
    layout = Layout.under(root, arguments.notebooks)
    warm = layout.warm_up(
        len(templates_a), len(templates_b), len(templates_c), min(10, arguments.notebooks)
    )
    commands = Commands(tools, root / "scripts", names)
    wanted = select_rows(define_rows(commands, layout, settings, {}), arguments.only)
    groups = {row.group for row in wanted}  # build only what the rows need
    logs = root / "logs"
    logs.mkdir()
    environment = child_environment(root / "pycache")

    def run(command: Command) -> Sample:
        return run_once(command, root, environment, logs)

    progress(f"building in {root}")
    write_scripts(commands.scripts)
    sizes: dict[str, int] = {}
    header = []
    if "fixtures" in groups:
        distinct_a, distinct_b, distinct_c, sizes["big"] = build_fixture_corpora(
            layout, warm, templates_a, templates_b, templates_c, names
        )
        header.append(
            f"(a) inline definitions: {layout.a.count} notebooks ({distinct_a} distinct, "
            f"{folder_size(layout.a.path) / MIB:.1f} MiB) from {len(templates_a)} fixtures; "
            f"(b) already migrated: {layout.b.count} ({distinct_b} distinct, "
            f"{folder_size(layout.b.path) / MIB:.1f} MiB) from {len(templates_b)} fixtures; "
            f"(c) = (b) without the notebooks that still define a library name: {layout.c.count} "
            f"({distinct_c} distinct, {folder_size(layout.c.path) / MIB:.1f} MiB) "
            f"from {len(templates_c)} fixtures"
        )
    helpers = realistic.load_helpers(FIXTURES) if groups - {"fixtures"} else {}
    if "real" in groups:
        progress("building the realistic corpus; (b-real) by migrating a copy of (a-real)")
        layout, facts = build_realistic_corpora(layout, settings.seed, helpers, commands, run)
        warm, _ = build_realistic_corpora(warm, settings.seed + 1, helpers, commands, run)
        header.append(
            f"(a-real) realistic, seed {settings.seed}: {layout.real_a.count} notebooks "
            f"({folder_size(layout.real_a.path) / MIB:.1f} MiB): {realistic.summary(facts)}"
        )
        header.append(f"  measured on real notebooks: {REAL_SHAPE}")
        header.append(
            f"(b-real) = (a-real) after one `nbrefactor migrate` "
            f"({folder_size(layout.real_b.path) / MIB:.1f} MiB); (c-real) = (b-real) without "
            f"the notebooks that still define a library name: {layout.real_c.count} notebooks"
        )
    if "growth" in groups:
        progress("building the growth notebooks")
        sizes |= build_growth_notebooks(layout, settings.growth_scale, settings.seed, helpers)
        build_growth_notebooks(warm, settings.growth_scale / 100, settings.seed, helpers)
        header.append(
            "growth notebooks (n, 2n): "
            + "; ".join(
                f"{case.describe(case.size)} ({sizes[case.key] / MIB:.1f} MiB, "
                f"{sizes[case.key + '-2x'] / MIB:.1f} MiB)"
                for case in growth.growth_cases(settings.growth_scale)
            )
            + f"; each command stopped after {settings.growth_timeout:g} s, "
            f"run once when its first run took over {settings.once_over:g} s"
        )
    rows = select_rows(define_rows(commands, layout, settings, sizes), arguments.only)
    warmup_rows = define_rows(commands, warm, settings, sizes)
    load_before = os.getloadavg()[0]
    results = measure(rows, warmup_rows, arguments.repeats, root, environment, logs, progress)
    load_after = os.getloadavg()[0]

    print(f"nbrefactor benchmark, {started_at:%Y-%m-%d %H:%M:%S} UTC")
    print(
        f"Python {platform.python_version()} ({sys.executable}), os.cpu_count() = {os.cpu_count()}, "
        f"{platform.system()} {platform.machine()}"
    )
    print(
        f"N = {arguments.notebooks} notebooks per corpus, R = {arguments.repeats} runs per command "
        f"on the fixture corpora, {arguments.real_repeats} on the realistic corpus and growth notebooks"
    )
    print(*header, sep="\n")
    print(f"nbrefactor: {tools.nbrefactor} --module {MODULE}, source {revision}")
    print(
        f"ruff: {tool_version([tools.ruff, '--version']) if tools.ruff else 'not installed, rows skipped'}"
    )
    print(
        f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after; "
        f"total {time.perf_counter() - started:.0f} s (building, one warm-up run per command, rounds)"
    )
    print(
        "wall clock of fresh processes, run in rounds; cpu = median user+sys of the process and "
        "its workers; ratio = median / baseline median; timeout: stopped, ratio a lower bound"
    )
    print()
    print(format_table(rows, results))
    if results.errors:
        print()
        for key, message in results.errors.items():
            print(f"ERROR {key}: {message}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

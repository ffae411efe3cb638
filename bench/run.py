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
--seed), with the JSON floor as their baseline:

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

Children run with PYTHONPYCACHEPREFIX pointing into the temporary folder (and
PYTHONDONTWRITEBYTECODE unset), after one untimed warm-up run of every command
on a small corpus: every process then reads compiled bytecode, as an installed
package would, and nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import ast
import base64
import builtins
import copy
import dataclasses
import datetime
import fnmatch
import functools
import json
import keyword
import os
import platform
import random
import re
import shlex
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import realistic  # bench/realistic.py, beside this file

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
MODULE = REPO / "viz_utils"
DEMO = FIXTURES / "NeuralPlasticityDemo.ipynb"
MIGRATED_DEMO = FIXTURES / "NeuralPlasticityDemo.expected.ipynb"
BIG_NOTEBOOK_BYTES = 50 * 1024 * 1024
BIG_NOTEBOOK_IMAGES = 6
MIB = 1024 * 1024

# --------------------------------------------------------------------------
# Corpora


@dataclasses.dataclass(frozen=True)
class Style:
    """How a fixture file was serialised, so that its copies are written the same way."""

    indent: int | None
    ensure_ascii: bool
    final_newline: bool

    @classmethod
    def of(cls, text: str) -> Style:
        first_key = re.match(r"\{\r?\n([ ]*)\"", text)
        return cls(
            indent=len(first_key.group(1)) if first_key else None,
            ensure_ascii=text.isascii() and "\\u" in text,
            final_newline=text.endswith("\n"),
        )

    def dumps(self, notebook: dict) -> str:
        text = json.dumps(notebook, indent=self.indent, ensure_ascii=self.ensure_ascii)
        return text + "\n" if self.final_newline else text


@dataclasses.dataclass(frozen=True)
class Template:
    stem: str
    notebook: dict
    style: Style


@dataclasses.dataclass(frozen=True)
class Corpus:
    """A folder of notebooks and how many of them there are."""

    label: str
    path: Path
    count: int


def load_template(path: Path) -> Template:
    text = path.read_text(encoding="utf-8")
    return Template(path.name.removesuffix(".ipynb"), json.loads(text), Style.of(text))


def fixture_templates() -> tuple[list[Template], list[Template]]:
    """(a) inputs with an expected result; (b) expected results and no-op inputs."""
    expected = sorted(FIXTURES.glob("*.expected.ipynb"))
    inputs = [path.with_name(path.name.replace(".expected.ipynb", ".ipynb")) for path in expected]
    noops = sorted(FIXTURES.glob("noop_*.ipynb"))
    if not inputs or not noops:
        raise BenchError(f"no fixtures found in {FIXTURES}")
    with_definitions = [load_template(path) for path in inputs]
    migrated = [load_template(path) for path in [*expected, *noops]]
    return with_definitions, migrated


def without_library_definitions(templates: list[Template], names: frozenset[str]) -> list[Template]:
    """The templates none of whose code cells holds a `def` of a library name.

    Corpus (b) keeps the definitions that a migration leaves in place (calls
    that do not bind, a cell that does not parse, a method of that name); such
    notebooks are analysed on every run. Corpus (c) is (b) without them.
    """
    definition = library_definition(names)
    return [
        template
        for template in templates
        if not defines_library_name(template.notebook, definition)
    ]


def library_definition(names: frozenset[str]) -> re.Pattern[str]:
    return re.compile(rf"\bdef\s+({'|'.join(map(re.escape, sorted(names)))})\s*\(")


def defines_library_name(notebook: dict, definition: re.Pattern[str]) -> bool:
    """Whether a code cell of the notebook holds a `def` of a library name."""
    for cell in notebook.get("cells", []):
        source = cell.get("source", "")
        text = source if isinstance(source, str) else "".join(source)
        if cell.get("cell_type") == "code" and definition.search(text):
            return True
    return False


def library_names() -> frozenset[str]:
    """`__all__` and the keys of `__legacy_names__` of viz_utils, read from its source."""
    names: set[str] = set()
    tree = ast.parse((MODULE / "__init__.py").read_text(encoding="utf-8"))
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name) and target.id in ("__all__", "__legacy_names__"):
                names.update(ast.literal_eval(statement.value))
    if not names:
        raise BenchError(f"no __all__ in {MODULE / '__init__.py'}")
    return frozenset(names)


def build_corpus(corpus: Corpus, templates: Sequence[Template], protected: frozenset[str]) -> int:
    """Write `corpus.count` varied copies of the templates, round robin; return how many are distinct."""
    corpus.path.mkdir(parents=True)
    texts = set()
    for index in range(corpus.count):
        template = templates[index % len(templates)]
        copy_number = index // len(templates) + 1
        text = template.style.dumps(vary(template.notebook, copy_number, protected))
        (corpus.path / f"{index:05d}_{template.stem}.ipynb").write_text(text, encoding="utf-8")
        texts.add(text)
    return len(texts)


def vary(notebook: dict, copy_number: int, protected: frozenset[str]) -> dict:
    """A copy of the notebook changed a little, in ways that do not affect the migration.

    Bumps the title version, renames a variable that is no library name, keyword
    or parameter, changes an integer literal outside definitions, and drops (odd
    copies) or duplicates (even copies) a cell that has nothing to do with the
    library. A notebook without cells gets a markdown cell.
    """
    notebook = copy.deepcopy(notebook)
    cells = notebook.get("cells", [])
    if not cells:
        cell = {
            "cell_type": "markdown",
            "metadata": {},
            "source": [f"Scratch notes, copy {copy_number}."],
        }
        if notebook.get("nbformat_minor", 0) >= 5:
            cell["id"] = f"scratch-{copy_number}"
        cells.append(cell)
        return notebook
    title = _bump_title_version(cells, copy_number)
    _rename_variable(cells, copy_number, protected)
    _change_literal(cells, copy_number)
    _drop_or_duplicate_cell(cells, copy_number, protected, title)
    return notebook


def _lines(cell: dict) -> list[str]:
    source = cell.get("source", "")
    return list(source) if isinstance(source, list) else source.splitlines(keepends=True)


def _set_lines(cell: dict, lines: list[str]) -> None:
    """Store lines back in the shape the source had (list of lines or one string)."""
    cell["source"] = lines if isinstance(cell.get("source"), list) else "".join(lines)


def _text(cell: dict) -> str:
    return "".join(_lines(cell))


_VERSION = re.compile(r"\bv(\d+)\.(\d+)\.(\d+)\b")


def _bump_title_version(cells: list[dict], copy_number: int) -> int | None:
    """Add the copy number to the patch version of the first versioned heading; its cell index."""
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            continue
        lines = _lines(cell)
        heading = next((number for number, line in enumerate(lines) if line.startswith("#")), None)
        if heading is None or not _VERSION.search(lines[heading]):
            continue
        lines[heading] = _VERSION.sub(
            lambda match: f"v{match[1]}.{match[2]}.{int(match[3]) + copy_number}",
            lines[heading],
            count=1,
        )
        _set_lines(cell, lines)
        return index
    return None


_ASSIGNMENT = re.compile(r"^([A-Za-z_]\w*)[ \t]*=(?!=)", re.MULTILINE)


def _rename_candidates(cells: list[dict], protected: frozenset[str]) -> list[str]:
    """Names assigned at the top of a plain code cell and used only as plain variables."""
    code = [_text(cell) for cell in cells if cell.get("cell_type") == "code"]
    plain = [text for text in code if not text.startswith("%%") and "def " not in text]
    with_defs = [text for text in code if "def " in text]
    everything = "\n".join(code)
    candidates = []
    for name in dict.fromkeys(match[1] for text in plain for match in _ASSIGNMENT.finditer(text)):
        if name in protected or keyword.iskeyword(name) or hasattr(builtins, name):
            continue
        used_otherwise = (
            rf"[(,][ \t]*{name}[ \t]*=(?!=)"  # a keyword argument or parameter default
            rf"|^[ \t]+{name}[ \t]*=(?!=)"  # the same, on its own line
            rf"|\bimport\b.*\b{name}\b"
            rf"|\b(?:def|class)[ \t]+{name}\b"
        )
        if re.search(used_otherwise, everything, re.MULTILINE):
            continue
        if any(re.search(rf"(?<![\w.]){name}(?!\w)", text) for text in with_defs):
            continue
        candidates.append(name)
    return candidates


def _rename_variable(cells: list[dict], copy_number: int, protected: frozenset[str]) -> None:
    candidates = _rename_candidates(cells, protected)
    if not candidates:
        return
    name = candidates[copy_number % len(candidates)]
    pattern = re.compile(rf"(?<![\w.]){name}(?!\w)")
    for cell in cells:
        if cell.get("cell_type") == "code":
            _set_lines(cell, [pattern.sub(f"{name}_v{copy_number}", line) for line in _lines(cell)])


_INTEGER = re.compile(r"(?<![\w.])(?:0|[1-9]\d*)(?![\w.])")


def _change_literal(cells: list[dict], copy_number: int) -> None:
    """Add the copy number to one integer literal in a code cell without definitions."""
    places = []
    for cell in cells:
        text = _text(cell)
        if cell.get("cell_type") != "code" or text.startswith("%%") or "def " in text:
            continue
        for number, line in enumerate(_lines(cell)):
            if not line.lstrip().startswith(("!", "%")):
                places.extend((cell, number, match) for match in _INTEGER.finditer(line))
    if not places:
        return
    cell, number, match = places[copy_number % len(places)]
    lines = _lines(cell)
    line = lines[number]
    lines[number] = line[: match.start()] + str(int(match[0]) + copy_number) + line[match.end() :]
    _set_lines(cell, lines)


def _drop_or_duplicate_cell(
    cells: list[dict], copy_number: int, protected: frozenset[str], title: int | None
) -> None:
    first = 1 if title is None else title + 1
    unrelated = [
        index
        for index in range(first, len(cells))
        if not any(name in _text(cells[index]) for name in protected)
        and "import" not in _text(cells[index])
        and "def " not in _text(cells[index])
    ]
    if not unrelated:
        return
    index = unrelated[copy_number % len(unrelated)]
    if copy_number % 2:
        del cells[index]
        return
    duplicate = copy.deepcopy(cells[index])
    if isinstance(duplicate.get("id"), str):
        duplicate["id"] = f"{duplicate['id']}-d{copy_number}"[-64:]
    cells.insert(index + 1, duplicate)


def build_big_notebook(path: Path) -> int:
    """The demo plus large base64 PNG `display_data` outputs in several code cells; its size."""
    template = load_template(DEMO)
    notebook = copy.deepcopy(template.notebook)
    code_cells = [cell for cell in notebook["cells"] if cell.get("cell_type") == "code"]
    per_image = (
        BIG_NOTEBOOK_BYTES - len(template.style.dumps(notebook).encode())
    ) // BIG_NOTEBOOK_IMAGES
    generator = random.Random(0)
    for number, cell in enumerate(code_cells[:BIG_NOTEBOOK_IMAGES]):
        png = _fake_png(
            generator.randbytes(per_image * 3 // 4 - 64), width=1200 + number, height=600
        )
        cell.setdefault("outputs", []).append(
            {
                "data": {
                    "image/png": base64.b64encode(png).decode("ascii") + "\n",
                    "text/plain": [f"<Figure size {1200 + number}x600 with 1 Axes>"],
                },
                "metadata": {"needs_background": "light"},
                "output_type": "display_data",
            }
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(template.style.dumps(notebook), encoding="utf-8")
    return path.stat().st_size


def _fake_png(payload: bytes, width: int, height: int) -> bytes:
    """A PNG container (signature, IHDR, one IDAT, IEND with valid CRCs) around `payload`."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", payload)
        + chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------
# Floor scripts, written to the temporary folder and run with sys.executable

_FIND_NOTEBOOKS = """
import os
import sys


def notebooks(folder):
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            if name.endswith(".ipynb") and not name.startswith("."):
                yield os.path.join(root, name)
"""

JSON_FLOOR = (
    _FIND_NOTEBOOKS
    + """
import json

for path in notebooks(sys.argv[1]):
    with open(path, encoding="utf-8") as stream:
        json.dumps(json.load(stream))
"""
)

# --------------------------------------------------------------------------
# Running commands


class BenchError(Exception):
    """A command failed unexpectedly, or the benchmark cannot run."""


class TimedOut(Exception):
    """A command ran longer than its timeout and was stopped."""


@dataclasses.dataclass(frozen=True)
class Command:
    argv: tuple[str, ...]
    expected_exit: frozenset[int] = frozenset({0})
    # (prefix, count): stderr must have exactly `count` lines starting with `prefix`
    expected_lines: tuple[str, int] | None = None
    # (source, target): copied before each run, untimed (for commands that write)
    fresh_copy: tuple[Path, Path] | None = None
    timeout: float | None = None  # seconds; the command is stopped after that


@dataclasses.dataclass(frozen=True)
class Sample:
    seconds: float  # wall clock
    cpu_seconds: float  # user + system, the child's and its waited-for children's
    max_rss: int  # bytes


def prepare(command: Command) -> None:
    if command.fresh_copy is None:
        return
    source, target = command.fresh_copy
    if target.is_dir():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy2(source, target)


# Runs the measured command as its child and reports the child's own rusage.
# Measuring through this small process matters for peak RSS: on Linux a child
# started from a large parent inherits the parent's peak RSS in ru_maxrss
# (exec accounts the memory it replaces), which would swamp the command's own.
PROBE = """
import json, os, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(process.pid, 0)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    json.dump({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kib": usage.ru_maxrss}, out)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_once(command: Command, cwd: Path, env: dict[str, str], logs: Path) -> Sample:
    """Run the command in a fresh process: wall clock, peak RSS, and the checks it asks for."""
    prepare(command)
    probe, measured = logs / "probe.py", logs / "measured.json"
    if not probe.exists():
        probe.write_text(PROBE, encoding="utf-8")
    out_path, err_path = logs / "stdout.txt", logs / "stderr.txt"
    argv = (sys.executable, str(probe), str(measured), *command.argv)
    with out_path.open("wb") as out, err_path.open("wb") as err:
        # A process group of its own, so that a timeout stops the probe, the
        # command and the command's workers together.
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            process_group=0,
        )
        try:
            exit_code = process.wait(timeout=command.timeout)
        except BaseException as error:  # the timeout, or ^C
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            if isinstance(error, subprocess.TimeoutExpired):
                raise TimedOut(shlex.join(command.argv)) from None
            raise
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    shown = shlex.join(command.argv)
    if exit_code not in command.expected_exit:
        expected = " or ".join(map(str, sorted(command.expected_exit)))
        raise BenchError(f"`{shown}` exited {exit_code}, expected {expected}\n{_tail(stderr)}")
    if command.expected_lines is not None:
        prefix, count = command.expected_lines
        found = sum(line.startswith(prefix) for line in stderr.splitlines())
        if found != count:
            raise BenchError(
                f"`{shown}` reported {found} lines starting with {prefix!r}, expected {count}\n{_tail(stderr)}"
            )
    result = json.loads(measured.read_text(encoding="utf-8"))
    return Sample(result["seconds"], result["cpu"], result["maxrss_kib"] * 1024)  # KiB on Linux


def _tail(text: str, head: int = 5) -> str:
    """The first lines of stderr and its last (the summary), indented."""
    lines = text.splitlines()
    if not lines:
        return "    | (no stderr)"
    if len(lines) > head + 2:
        lines = [*lines[:head], f"... ({len(lines) - head - 1} more lines)", lines[-1]]
    return "\n".join(f"    | {line}" for line in lines)


def child_environment(pycache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


# --------------------------------------------------------------------------
# Rows of the table


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
class Tools:
    python: str
    nbrefactor: str
    ruff: str | None


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

    def grown(self, case: realistic.GrowthCase, double: bool) -> Path:
        """The notebook of a growth case, alone in its folder (for the JSON floor)."""
        return self.growth / f"{case.key}-{'2n' if double else 'n'}" / f"{case.key}.ipynb"


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

    def check(self, corpus: Corpus, jobs: int, *, changes: bool) -> Command:
        """--check: exit 1 and one `would migrate` line per notebook, or exit 0 and none."""
        return Command(
            (*self.migrate, "--check", "--jobs", str(jobs), str(corpus.path)),
            expected_exit=frozenset({1 if changes else 0}),
            expected_lines=("would migrate ", corpus.count if changes else 0),
        )

    def write(
        self, source: Path, target: Path, jobs: int, count: int, timeout: float | None = None
    ) -> Command:
        return Command(
            (*self.migrate, "--jobs", str(jobs), str(target)),
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
    """The fixture corpora's rows on the realistic corpus; the JSON floor is the baseline."""
    a, b, c = layout.real_a, layout.real_b, layout.real_c
    row = functools.partial(Row, group="real", runs=runs)
    rows = [
        row("json-a-real", f"JSON floor: json.load+dumps, {a.label}", commands.json_floor(a.path)),
        row(
            "check-a-real",
            f"migrate --check --jobs 1, {a.label}",
            commands.check(a, 1, changes=True),
            "json-a-real",
            3.0,
        ),
        row(
            "check-a-real-j2",
            f"migrate --check --jobs 2, {a.label}",
            commands.check(a, 2, changes=True),
            "check-a-real",
            0.6,
        ),
        row(
            "write-a-real",
            f"migrate --jobs 1 (writing a fresh copy), {a.label}",
            commands.write(a.path, layout.work / "write_real_a_j1", 1, a.count),
            "json-a-real",
            4.0,
        ),
        row(
            "write-a-real-j2",
            f"migrate --jobs 2 (writing a fresh copy), {a.label}",
            commands.write(a.path, layout.work / "write_real_a_j2", 2, a.count),
            "write-a-real",
            0.6,
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
    for case in realistic.growth_cases(settings.growth_scale):
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
                2.0,
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


# --------------------------------------------------------------------------
# The run


@dataclasses.dataclass
class Results:
    samples: dict[str, list[Sample]] = dataclasses.field(default_factory=dict)
    errors: dict[str, str] = dataclasses.field(default_factory=dict)
    timeouts: set[str] = dataclasses.field(default_factory=set)  # stopped, not run again


def measure(
    rows: list[Row],
    warmup_rows: list[Row],
    repeats: int,
    cwd: Path,
    env: dict[str, str],
    logs: Path,
    progress: Callable[[str], None],
) -> Results:
    """One untimed warm-up run of each command on small inputs, then rounds of all rows.

    A row runs in the first `row.runs` rounds (all `repeats` when unset), and
    only once when that run took longer than `row.once_over` seconds. A
    command that times out is not run again.
    """
    results = Results()
    runnable = [row for row in rows if row.command is not None]
    warmups = {row.key: row for row in warmup_rows}
    progress("warm-up (small inputs)")
    for row in runnable:
        try:
            run_once(warmups[row.key].command, cwd, env, logs)
        except TimedOut:
            results.timeouts.add(row.key)
            progress(f"{row.key} timed out in its warm-up run")
        except BenchError as error:
            results.errors[row.key] = f"warm-up: {error}"
    rounds = max((row.runs or repeats for row in runnable), default=0)
    for round_number in range(1, rounds + 1):
        progress(f"round {round_number}/{rounds}")
        for row in runnable:
            done = results.samples.get(row.key, [])
            if (
                row.key in results.errors
                or row.key in results.timeouts
                or round_number > (row.runs or repeats)
                or (row.once_over is not None and done and done[0].seconds > row.once_over)
            ):
                continue
            try:
                sample = run_once(row.command, cwd, env, logs)
            except TimedOut:
                results.timeouts.add(row.key)
                progress(f"{row.key} timed out after {row.command.timeout:g} s")
                continue
            except BenchError as error:
                results.errors[row.key] = str(error)
                continue
            results.samples.setdefault(row.key, []).append(sample)
    return results


def _values(row: Row, results: Results) -> list[float]:
    """The row's measurements; none when its command failed or timed out in any run."""
    source = row.samples_of or row.key
    failed = source in results.errors or source in results.timeouts
    samples = [] if failed else results.samples.get(source, [])
    if row.metric == "rss":
        return [float(sample.max_rss) for sample in samples]
    return [sample.seconds for sample in samples]


def _format_value(value: float, metric: str) -> str:
    return f"{value / MIB:.1f} MiB" if metric == "rss" else f"{value:.3f} s"


_HEADER = (
    "key",
    "what",
    "runs",
    "min",
    "median",
    "cpu",
    "baseline (median)",
    "ratio",
    "target",
    "holds",
)
_RIGHT_ALIGNED = {2, 3, 4, 5, 7}


def _table_line(
    row: Row, results: Results, medians: dict[str, float], by_key: dict[str, Row]
) -> tuple[str, ...]:
    """One line of the table: the row's numbers, its baseline, ratio and target."""
    source = row.samples_of or row.key
    values = _values(row, results)
    runs = str(len(results.samples.get(source, [])))
    low = _format_value(min(values), row.metric) if values else "-"
    middle = _format_value(medians[row.key], row.metric) if values else "-"
    cpu = "-"
    if row.metric == "seconds" and values:  # values is empty when the row failed
        cpu = (
            f"{statistics.median(sample.cpu_seconds for sample in results.samples[row.key]):.3f} s"
        )
    baseline, denominator = "-", None
    if row.constant_baseline is not None:
        label, denominator = row.constant_baseline
        baseline = f"{label} {_format_value(denominator, row.metric)}"
    elif row.baseline is not None and row.baseline in medians:
        denominator = medians[row.baseline]
        baseline = f"{row.baseline} {_format_value(denominator, by_key[row.baseline].metric)}"
    elif row.baseline is not None:
        baseline = f"{row.baseline} (no result)"
    ratio, target, holds = "-", "-", "-"
    if row.target is not None:
        target = f"<= {row.target:g}x"
    elif row.baseline is not None:
        target = "info"
    if denominator and row.key in medians:
        value = medians[row.key] / denominator
        ratio = f"{value:.2f}x"
        if row.target is not None:
            holds = "yes" if value <= row.target else "NO"
    if source in results.timeouts:
        low = middle = "timeout"
        timeout = by_key[source].command.timeout
        if denominator and row.metric == "seconds":
            # It took at least the timeout: a lower bound of the ratio.
            ratio = f">{timeout / denominator:.2f}x"
            if row.target is not None and timeout / denominator > row.target:
                holds = "NO"
    if source in results.errors:
        low = middle = ratio = "ERROR"
    return (row.key, row.what, runs, low, middle, cpu, baseline, ratio, target, holds)


def format_table(rows: list[Row], results: Results) -> str:
    by_key = {row.key: row for row in rows}
    medians = {
        row.key: statistics.median(values) for row in rows if (values := _values(row, results))
    }
    lines = [_HEADER, *(_table_line(row, results, medians, by_key) for row in rows)]
    widths = [max(len(line[column]) for line in lines) for column in range(len(_HEADER))]

    def render(line: Sequence[str]) -> str:
        cells = [
            text.rjust(width) if column in _RIGHT_ALIGNED else text.ljust(width)
            for column, (text, width) in enumerate(zip(line, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([render(lines[0]), rule, *map(render, lines[1:])])


def compile_bytecode() -> None:
    """Write the bytecode of the packages measured, as `pip install` does.

    An editable install under PYTHONDONTWRITEBYTECODE (set on some machines,
    CI ones among them) would otherwise compile every module at every start,
    which is not what a user's runs cost.
    """
    import compileall
    import importlib.util

    for package in ("nbrefactor", "viz_utils"):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                compileall.compile_dir(location, quiet=1)


def find_tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def tool_version(argv: Sequence[str]) -> str:
    try:
        completed = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except OSError as error:
        return f"unavailable ({error})"
    return (
        (completed.stdout or completed.stderr).strip().splitlines()[0]
        if completed.returncode == 0
        else "?"
    )


def source_revision() -> str:
    """The repository's commit, and whether nbrefactor/ or viz_utils/ have local changes."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
        changes = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "nbrefactor", "viz_utils"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return f"{head} with local changes in nbrefactor/ or viz_utils/" if changes else head


def write_scripts(scripts: Path) -> None:
    scripts.mkdir(parents=True)
    (scripts / "json_floor.py").write_text(JSON_FLOOR, encoding="utf-8")


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
    for case in realistic.growth_cases(scale):
        for double in (False, True):
            path = layout.grown(case, double)
            path.parent.mkdir(parents=True)
            text = case.build(case.size * (2 if double else 1), helpers, seed)
            path.write_text(text, encoding="utf-8")
            sizes[f"{case.key}{'-2x' if double else ''}"] = path.stat().st_size
    return sizes


def _folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.iterdir())


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
            f"{_folder_size(layout.a.path) / MIB:.1f} MiB) from {len(templates_a)} fixtures; "
            f"(b) already migrated: {layout.b.count} ({distinct_b} distinct, "
            f"{_folder_size(layout.b.path) / MIB:.1f} MiB) from {len(templates_b)} fixtures; "
            f"(c) = (b) without the notebooks that still define a library name: {layout.c.count} "
            f"({distinct_c} distinct, {_folder_size(layout.c.path) / MIB:.1f} MiB) "
            f"from {len(templates_c)} fixtures"
        )
    helpers = realistic.load_helpers(FIXTURES) if groups - {"fixtures"} else {}
    if "real" in groups:
        progress("building the realistic corpus; (b-real) by migrating a copy of (a-real)")
        layout, facts = build_realistic_corpora(layout, settings.seed, helpers, commands, run)
        warm, _ = build_realistic_corpora(warm, settings.seed + 1, helpers, commands, run)
        header.append(
            f"(a-real) realistic, seed {settings.seed}: {layout.real_a.count} notebooks "
            f"({_folder_size(layout.real_a.path) / MIB:.1f} MiB): {realistic.summary(facts)}"
        )
        header.append(f"  measured on real notebooks: {REAL_SHAPE}")
        header.append(
            f"(b-real) = (a-real) after one `nbrefactor migrate` "
            f"({_folder_size(layout.real_b.path) / MIB:.1f} MiB); (c-real) = (b-real) without "
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
                for case in realistic.growth_cases(settings.growth_scale)
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

"""Two runs over the same notebooks, in real processes: both exit 0, with one correct result.

Two terminals, or an editor hook and a manual run, may migrate the same files
at once. The run that writes second finds the notebook changed since it read
it, reads it again, finds the migration done, and leaves it as it is.

The first test makes the race certain: run A is held right after it has
migrated the notebook in memory (a wrapper patches `refactor` to report and
wait) while run B migrates and writes the same file; then A goes on. The
second lets two runs race freely over many notebooks. Waits poll with a
generous limit: a bound on hangs, not a speed target.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import FIXED_EPOCH, FIXTURES, REPO

GOOD = "unsafe_call_kept.ipynb"  # a small notebook that changes
EXPECTED = (FIXTURES / GOOD.replace(".ipynb", ".expected.ipynb")).read_bytes()
LIMIT = 60.0
MIGRATE = ["migrate", "--module", str(REPO / "viz_utils")]
HELD = """
import sys, time
from pathlib import Path

ready, go, *arguments = sys.argv[1:]
import nbrefactor.migration

real_refactor = nbrefactor.migration.refactor

def refactor_then_wait(*args, **kwargs):
    result = real_refactor(*args, **kwargs)
    if not Path(ready).exists():
        Path(ready).write_text("")
        end = time.monotonic() + 60
        while not Path(go).exists() and time.monotonic() < end:
            time.sleep(0.02)
    return result

nbrefactor.migration.refactor = refactor_then_wait
from nbrefactor.cli import main
sys.argv = ["nbrefactor", *arguments]
main()
"""


def _environment() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": str(FIXED_EPOCH)}


def _temporary_files(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.startswith(".nbrefactor-"))


def test_the_run_that_writes_second_finds_the_migration_done(tmp_path: Path) -> None:
    notebook = tmp_path / GOOD
    shutil.copyfile(FIXTURES / GOOD, notebook)
    wrapper = tmp_path / "held.py"
    wrapper.write_text(HELD, encoding="utf-8")
    ready, go = tmp_path / "ready", tmp_path / "go"
    first = subprocess.Popen(
        [sys.executable, str(wrapper), str(ready), str(go), *MIGRATE, str(notebook)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_environment(),
    )
    try:
        end = time.monotonic() + LIMIT
        while not ready.exists():
            assert time.monotonic() < end, "gave up waiting for the first run to read"
            assert first.poll() is None, first.communicate()
            time.sleep(0.02)
        second = subprocess.run(
            [sys.executable, "-m", "nbrefactor", *MIGRATE, str(notebook)],
            capture_output=True,
            text=True,
            env=_environment(),
            timeout=LIMIT,
            check=False,
        )
        assert second.returncode == 0, second.stderr
        assert f"migrated {notebook}" in second.stderr.splitlines()
        assert notebook.read_bytes() == EXPECTED
        go.write_text("")
        _, stderr = first.communicate(timeout=LIMIT)
    finally:
        first.kill()
        first.wait()
    assert first.returncode == 0, stderr
    lines = stderr.splitlines()
    assert f"unchanged {notebook}" in lines
    assert (
        "  changed on disk while it was migrated (a save, another run);"
        " read again and migrated from the new content"
    ) in lines
    assert lines[-1] == "0 notebooks migrated, 1 notebook unchanged."
    assert notebook.read_bytes() == EXPECTED
    assert _temporary_files(tmp_path) == []


def test_two_runs_racing_over_the_same_folder_both_exit_0(tmp_path: Path) -> None:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for index in range(16):
        shutil.copyfile(FIXTURES / GOOD, folder / f"{index:02}.ipynb")
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "nbrefactor", *MIGRATE, "--jobs", "2", str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_environment(),
        )
        for _ in range(2)
    ]
    try:
        results = [run.communicate(timeout=LIMIT) for run in runs]
    finally:
        for run in runs:
            run.kill()
            run.wait()
    for run, (_, stderr) in zip(runs, results):
        assert run.returncode == 0, stderr
        assert "error" not in stderr
    for notebook in sorted(folder.iterdir()):
        assert notebook.read_bytes() == EXPECTED, notebook.name
    assert _temporary_files(folder) == []

"""Signals, in real processes: SIGINT, SIGTERM and SIGHUP leave no temporary file and exit
130, 143 and 129; a parent killed with SIGKILL leaves no worker behind.

Each test runs `nbrefactor migrate` in a subprocess through a small wrapper
that holds every write at the exact point where the temporary file is complete
and not yet renamed (it patches `os.fchmod`, which nbrefactor calls there, to
report the writing process's id in a file and then sleep). The test waits for
those reports, sends the signal, and checks the folder and the processes.
Waits poll with a generous limit: a bound on hangs, not a speed target.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

GOOD = "unsafe_call_kept.ipynb"  # a small notebook that changes
NOOP = "noop_other_functions.ipynb"
WRAPPER = """
import os, sys, time
from pathlib import Path

ready, use_prctl, *arguments = sys.argv[1:]
if use_prctl == "no":
    import nbrefactor.interrupts
    nbrefactor.interrupts._ask_for_parent_death_signal = lambda signum: False
real_fchmod = os.fchmod

def fchmod(descriptor, mode):
    real_fchmod(descriptor, mode)
    Path(ready, str(os.getpid())).write_text("")
    time.sleep(600)

os.fchmod = fchmod
from nbrefactor.cli import main
sys.argv = ["nbrefactor", *arguments]
main()
"""
LIMIT = 20.0


def _wait_for(condition: Callable[[], object], what: str) -> object:
    end = time.monotonic() + LIMIT
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"gave up waiting (over {LIMIT:.0f} s) for {what}")


def _alive(pid: int) -> bool:
    """Whether the process exists and is not a zombie waiting to be reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state not in ("Z", "X")


def _children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.append(int(entry.name))
    return children


def _temporary_files(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.startswith(".nbrefactor-"))


def _start(
    tmp_path: Path, notebooks: list[str], jobs: int, use_prctl: bool = True
) -> tuple[subprocess.Popen, Path, Path]:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for index, name in enumerate(notebooks):
        shutil.copyfile(FIXTURES / name, folder / f"{index}_{name}")
    ready = tmp_path / "ready"
    ready.mkdir()
    wrapper = tmp_path / "wrapper.py"
    wrapper.write_text(WRAPPER, encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            str(wrapper),
            str(ready),
            "yes" if use_prctl else "no",
            "migrate",
            "--module",
            str(REPO / "viz_utils"),
            "--jobs",
            str(jobs),
            str(folder),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, folder, ready


def _writers(ready: Path, count: int) -> list[int]:
    pids = _wait_for(
        lambda: (
            [int(name) for name in os.listdir(ready)] if len(os.listdir(ready)) >= count else []
        ),
        f"{count} processes to be writing",
    )
    return pids


STOPS = [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)]
STOP_IDS = ["SIGINT", "SIGTERM", "SIGHUP"]  # SIGHUP: a closed terminal (CLI sweep 29)


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize(("signum", "code"), STOPS, ids=STOP_IDS)
def test_a_stop_signal_removes_every_temporary_file(tmp_path, signum, code, jobs, deadline):
    process, folder, ready = _start(tmp_path, [GOOD, GOOD], jobs)
    workers: list[int] = []
    try:
        writers = _writers(ready, jobs)
        assert len(_temporary_files(folder)) == jobs  # each writer holds a complete one
        workers = _children(process.pid)
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=LIMIT)
    finally:
        process.kill()
        process.wait()
        for pid in workers:  # when the test fails: do not leave them to the machine
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert process.returncode == code, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-2 if signum == signal.SIGINT else -1] == (
        "interrupted after 0 of 2 notebooks; 0 notebooks migrated, 0 notebooks unchanged."
    )
    if signum == signal.SIGINT:
        assert stderr.endswith("Aborted!\n"), stderr
    assert _temporary_files(folder) == []
    for name in os.listdir(folder):
        assert (folder / name).read_bytes() == (FIXTURES / GOOD).read_bytes()
    assert not [pid for pid in [*writers, *workers] if pid != process.pid and _alive(pid)]


@pytest.mark.parametrize("use_prctl", [True, False], ids=["parent-death-signal", "watchdog"])
def test_no_worker_survives_a_killed_parent(tmp_path, use_prctl, deadline):
    """One worker is held in a write, the other idles waiting for work once its no-op is done."""
    process, folder, ready = _start(tmp_path, [GOOD, NOOP], 2, use_prctl)
    workers: list[int] = []
    try:
        _writers(ready, 1)
        workers = _wait_for(lambda: _children(process.pid), "the worker processes")
        assert len(workers) == 2
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=LIMIT)
        _wait_for(lambda: not [pid for pid in workers if _alive(pid)], "the workers to exit")
    finally:
        process.kill()
        process.wait()
        for pid in workers:  # when the test fails: do not leave them to the machine
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert _temporary_files(folder) == []
    assert (folder / f"0_{GOOD}").read_bytes() == (FIXTURES / GOOD).read_bytes()


def test_a_temporary_file_left_by_sigkill_is_removed_by_the_next_run(tmp_path, deadline):
    process, folder, ready = _start(tmp_path, [GOOD], 1)
    try:
        [writer] = _writers(ready, 1)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=LIMIT)
    finally:
        process.kill()
        process.wait()
    [left] = _temporary_files(folder)
    assert left.startswith(f".nbrefactor-{writer}-")
    notebook = folder / f"0_{GOOD}"
    assert notebook.read_bytes() == (FIXTURES / GOOD).read_bytes()

    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "nbrefactor",
            "migrate",
            "--module",
            str(REPO / "viz_utils"),
            str(notebook),
        ],
        capture_output=True,
        text=True,
        timeout=LIMIT,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert f"removed {left}, a temporary file left by process {writer}" in again.stderr
    assert _temporary_files(folder) == []
    assert (
        notebook.read_bytes() == (FIXTURES / GOOD.replace(".ipynb", ".expected.ipynb")).read_bytes()
    )


# --------------------------------------------------------------------------
# Ctrl-C reports every notebook written before it

REPORTER_HELD = """
import os, sys, time
from pathlib import Path

ready, *arguments = sys.argv[1:]
import nbrefactor.output

def held(real_outcome):
    def outcome(self, outcome):
        if not os.listdir(ready):
            Path(ready, str(os.getpid())).write_text("")
            time.sleep(600)
        real_outcome(self, outcome)
    return outcome

for printer in ("Printer", "JsonPrinter", "GithubPrinter"):
    cls = getattr(nbrefactor.output, printer)
    cls.outcome = held(cls.outcome)
from nbrefactor.cli import main
sys.argv = ["nbrefactor", *arguments]
main()
"""


def _stopped_while_reporting(
    tmp_path: Path, jobs: int, *options: str
) -> tuple[int, str, str, Path, list[str]]:
    """A run of four notebooks held at its first outcome, after that notebook was written; with
    two jobs the workers write the others meanwhile. Then Ctrl-C, to the whole process group,
    as a terminal sends it: the exit code, stdout, stderr, the folder and the names."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    names = [f"{index}_{GOOD}" for index in range(4)]
    for name in names:
        shutil.copyfile(FIXTURES / GOOD, folder / name)
    ready = tmp_path / "ready"
    ready.mkdir()
    wrapper = tmp_path / "wrapper.py"
    wrapper.write_text(REPORTER_HELD, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(wrapper), str(ready), "migrate", "--module", str(REPO / "viz_utils")]
        + ["--jobs", str(jobs), *options, str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _wait_for(lambda: os.listdir(ready), "the first outcome to be reported")
        if jobs == 2:
            _wait_for(
                lambda: all((folder / name).read_bytes() == MIGRATED for name in names),
                "the workers to write every notebook",
            )
        os.killpg(process.pid, signal.SIGINT)
        stdout, stderr = process.communicate(timeout=LIMIT)
    finally:
        process.kill()
        process.wait()
    return process.returncode, stdout, stderr, folder, names


MIGRATED = (FIXTURES / GOOD.replace(".ipynb", ".expected.ipynb")).read_bytes()
UNREPORTED = "written, but the run was stopped before it reported what was replaced"


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_reports_every_notebook_written_before_it(tmp_path, jobs):
    """The held notebook, and with two jobs those the workers wrote meanwhile, are reported,
    with a line saying that what they replaced is lost (round 60b F5)."""
    returncode, _, stderr, folder, names = _stopped_while_reporting(tmp_path, jobs)
    assert returncode == 130, stderr
    assert "Traceback" not in stderr
    written = names if jobs == 2 else names[:1]
    lines = stderr.splitlines()
    assert sorted(line for line in lines if line.startswith("migrated ")) == [
        f"migrated {folder / name}" for name in written
    ]
    for index, line in enumerate(lines):
        if line.startswith("migrated "):
            assert lines[index + 1] == f"  {UNREPORTED}"
    count = len(written)
    migrated = f"{count} notebook{'s' if count > 1 else ''} migrated"
    assert lines[-2:] == [
        f"interrupted after {count} of 4 notebooks; {migrated}, 0 notebooks unchanged.",
        "Aborted!",
    ]
    for name in names:
        assert (folder / name).read_bytes() == (
            MIGRATED if name in written else (FIXTURES / GOOD).read_bytes()
        ), name
    assert _temporary_files(folder) == []


def test_notebooks_written_before_ctrl_c_say_in_json_that_their_details_are_lost(tmp_path):
    """Round 60b F5: they came as `status: changed, written: true` with an empty `replaced`
    and `notes`, which a script reads as "nothing replaced"."""
    import json

    returncode, stdout, stderr, folder, names = _stopped_while_reporting(
        tmp_path, 2, "--output-format", "json"
    )
    assert returncode == 130, stderr
    notebooks = json.loads(stdout)["notebooks"]
    assert sorted(entry["path"] for entry in notebooks) == [str(folder / name) for name in names]
    for entry in notebooks:
        assert entry["status"] == "changed" and entry["written"] is True
        assert entry["replaced"] == [] and entry["notes"] == [UNREPORTED]


def test_notebooks_written_before_ctrl_c_have_a_github_annotation_that_says_so(tmp_path):
    """Round 60b F5: their `::notice` annotation had an empty message."""
    returncode, stdout, stderr, folder, names = _stopped_while_reporting(
        tmp_path, 2, "--output-format", "github"
    )
    assert returncode == 130, stderr
    notices = sorted(line for line in stdout.splitlines() if line.startswith("::notice "))
    assert notices == [
        f"::notice file={folder / name},title=nbrefactor migrated::{UNREPORTED}" for name in names
    ]


EXTRACT_WRAPPER = """
import sys, time
from pathlib import Path

import nbrefactor.extract.run

ready, *arguments = sys.argv[1:]

def read_notebooks(paths):
    Path(ready).write_text("")
    time.sleep(600)

nbrefactor.extract.run.read_notebooks = read_notebooks
from nbrefactor.cli import main
sys.argv = ["nbrefactor", *arguments]
main()
"""


@pytest.mark.parametrize(("signum", "code"), STOPS, ids=STOP_IDS)
def test_extract_stops_on_a_signal_as_migrate_does(tmp_path, signum, code, deadline):
    """CLI sweep 27: Ctrl-C or SIGTERM while `extract` read the notebooks printed a traceback
    (`nbrefactor.interrupts.Interrupted: 2`) and exited 1, which CI takes for `--check`."""
    shutil.copyfile(FIXTURES / GOOD, tmp_path / "a.ipynb")
    wrapper = tmp_path / "wrapper.py"
    wrapper.write_text(EXTRACT_WRAPPER, encoding="utf-8")
    ready = tmp_path / "ready"
    process = subprocess.Popen(
        [sys.executable, str(wrapper), str(ready), "extract", "--to", "helpers.py", "a.ipynb"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(ready.exists, "extract to read the notebooks")
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=LIMIT)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == code, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines()[0] == (
        "interrupted; every file written is complete and no temporary file is left: run the"
        " same command again to finish"
    )
    assert stderr.endswith("Aborted!\n") == (signum == signal.SIGINT), stderr
    assert not (tmp_path / "helpers.py").exists()


def test_ctrl_c_in_json_leaves_stderr_empty_and_the_document_whole(tmp_path, deadline):
    """CLI sweep 27: `--output-format json` promises nothing on stderr; Ctrl-C added click's
    `Aborted!` there."""
    import json

    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copyfile(FIXTURES / GOOD, folder / GOOD)
    ready = tmp_path / "ready"
    ready.mkdir()
    wrapper = tmp_path / "wrapper.py"
    wrapper.write_text(WRAPPER, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(wrapper), str(ready), "yes", "migrate", "--module"]
        + [str(REPO / "viz_utils"), "--jobs", "1", "--output-format", "json", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _writers(ready, 1)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=LIMIT)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 130, stderr
    assert stderr == ""
    assert json.loads(stdout)["exit_code"] == 130


def test_a_stop_signal_the_run_started_ignoring_stays_ignored(tmp_path, deadline):
    """CLI sweep 29: a background job (`nbrefactor ... &` in a script) starts with SIGINT
    ignored, and `nohup` with SIGHUP ignored; the run's handlers made them stop it."""
    ignore = (signal.SIGINT, signal.SIGHUP)
    # An ignored signal stays ignored across exec: the child starts as a background job does.
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in ignore}
    try:
        process, folder, ready = _start(tmp_path, [GOOD, GOOD], jobs=2)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    workers: list[int] = []
    try:
        _writers(ready, 2)
        workers = _children(process.pid)
        assert len(workers) == 2
        for signum in ignore:
            process.send_signal(signum)
            for worker in workers:
                os.kill(worker, signum)
        time.sleep(0.5)
        assert process.poll() is None
        assert [pid for pid in workers if _alive(pid)] == workers
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=LIMIT)
    finally:
        process.kill()
        process.wait()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert process.returncode == 143, stderr
    assert _temporary_files(folder) == []


EARLY_WRAPPER = """
import sys, time
from pathlib import Path

import nbrefactor.project

ready, *arguments = sys.argv[1:]
real = nbrefactor.project.find_project_root

def find_project_root(*args, **kwargs):
    Path(ready).write_text("")
    time.sleep(600)

nbrefactor.project.find_project_root = find_project_root
from nbrefactor.cli import main
sys.argv = ["nbrefactor", *arguments]
main()
"""


@pytest.mark.parametrize("command", ["migrate", "extract"])
def test_ctrl_c_before_the_run_exits_130_not_checks_1(tmp_path, command, deadline):
    """CLI sweep 29: Ctrl-C while the settings were read (before the run handles signals)
    was click's `Aborted!` with exit 1, --check's "would change"."""
    shutil.copyfile(FIXTURES / GOOD, tmp_path / "a.ipynb")
    wrapper = tmp_path / "wrapper.py"
    wrapper.write_text(EARLY_WRAPPER, encoding="utf-8")
    ready = tmp_path / "ready"
    arguments = ["--check", "a.ipynb"] if command == "migrate" else ["--to", "h.py", "a.ipynb"]
    process = subprocess.Popen(
        [sys.executable, str(wrapper), str(ready), command, *arguments],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(ready.exists, "the settings to be read")
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=LIMIT)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.endswith("Aborted!\n"), stderr

"""Running one command in a fresh process: wall clock, CPU and peak RSS, and the checks
it asks for (exit code, lines on stderr), with a timeout."""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from repo import BenchError


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

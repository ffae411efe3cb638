"""All rows measured side by side: one untimed warm-up run each, then rounds in which
every row runs once, so that a noisy moment of the machine hits all of them alike."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from measuring import Sample, TimedOut, run_once
from repo import BenchError
from rows import Row


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

"""`workers.process_all`: the collector's thresholds while notebooks are read."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from nbrefactor import workers
from nbrefactor.migration import Outcome, Status


def test_the_collector_runs_less_often_while_reading_and_as_before_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A third of `migrate --check` on a notebook of 10,000 definitions was the collector
    walking the syntax trees alive; the caller's thresholds come back when the run ends."""
    seen = []

    def process(path, config, catalog):
        seen.append(gc.get_threshold())
        return Outcome(path, Status.UNCHANGED)

    monkeypatch.setattr(workers, "process_notebook", process)
    before = gc.get_threshold()
    config = type("Config", (), {"jobs": 1})()
    outcomes = list(workers.process_all([Path("a.ipynb"), Path("b.ipynb")], config, None))
    assert [outcome.status for outcome in outcomes] == [Status.UNCHANGED] * 2
    assert seen == [(200_000, 30, 30)] * 2
    assert before != (200_000, 30, 30)
    assert gc.get_threshold() == before

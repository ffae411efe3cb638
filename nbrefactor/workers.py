"""Running `process_notebook` over the notebooks, in worker processes when there are several.

The config and the catalog reach each worker once, at its start, instead of
with every notebook. Workers stop cleanly on SIGINT and SIGTERM and when the
parent dies (`interrupts.exit_with_parent`); a worker that ends abruptly (the
out-of-memory killer, a crash) costs the notebooks not yet reported, which are
reported as failed, not the run.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from nbrefactor.analysis.catalog import Catalog
from nbrefactor.config import Config
from nbrefactor.interrupts import exit_with_parent
from nbrefactor.migration import Outcome, Status, process_notebook

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

_settings: tuple[Config, Catalog] | None = None  # set in each worker by _start_worker
WORKER_LOST = (
    "a worker process ended unexpectedly; the notebook is either unchanged or completely migrated"
)


def process_all(
    notebooks: Sequence[Path], config: Config, catalog: Catalog
) -> Generator[Outcome, None, None]:
    """Outcomes in the order of `notebooks`, from worker processes when there are several."""
    jobs = min(config.jobs, len(notebooks))
    if jobs <= 1:
        with _fewer_collections():
            for path in notebooks:
                yield process_notebook(path, config, catalog)
        return
    yield from process_in_parallel(notebooks, config, catalog, jobs)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The cyclic garbage collector run less often while notebooks are read, as mypy does
    (`gc.set_threshold(200_000, 30, 30)`): reading allocates many syntax tree nodes, which
    reference counting frees, and each collection walks every object alive. On a notebook of
    10,000 definitions the collections took a third of `migrate --check` (13.2 s, 8.9 s with
    none; 9.1 s to 10.4 s so), and grew faster than the notebook. Restored after: the run may be a
    caller's (a test, `extract --migrate`)."""
    threshold = gc.get_threshold()
    gc.set_threshold(*_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


_THRESHOLD = (200_000, 30, 30)


def process_in_parallel(
    notebooks: Sequence[Path], config: Config, catalog: Catalog, jobs: int
) -> Iterator[Outcome]:
    """Outcomes in the order of `notebooks`."""
    # Imported here: a run with one job or one notebook needs no pool (tens of ms).
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunksize = max(1, len(notebooks) // (jobs * 8))
    reported = 0
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=_pool_context(),
        initializer=_start_worker,
        initargs=(config, catalog, os.getpid()),
    ) as pool:
        try:
            for outcome in pool.map(_process, notebooks, chunksize=chunksize):
                reported += 1
                yield outcome
        except BrokenProcessPool:
            for path in notebooks[reported:]:
                yield Outcome(path, Status.FAILED, error=WORKER_LOST)


def _pool_context() -> BaseContext:
    """fork where the platform has it: workers start with the parent's imports."""
    import multiprocessing

    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _start_worker(config: Config, catalog: Catalog, parent_pid: int) -> None:
    global _settings
    exit_with_parent(parent_pid)
    gc.set_threshold(*_THRESHOLD)  # as `_fewer_collections`, for the worker's whole life
    _settings = (config, catalog)


def _process(path: Path) -> Outcome:
    assert _settings is not None
    config, catalog = _settings
    return process_notebook(path, config, catalog)

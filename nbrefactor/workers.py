"""Running `process_notebook` in worker processes.

The config and the catalog reach each worker once, at its start, instead of
with every notebook.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from pathlib import Path

from nbrefactor.catalog import Catalog
from nbrefactor.config import Config
from nbrefactor.files import Outcome, process_notebook

_settings: tuple[Config, Catalog] | None = None  # set in each worker by _start_worker


def process_in_parallel(
    notebooks: Sequence[Path], config: Config, catalog: Catalog, jobs: int
) -> Iterator[Outcome]:
    """Outcomes in the order of `notebooks`."""
    chunksize = max(1, len(notebooks) // (jobs * 8))
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=_pool_context(),
        initializer=_start_worker,
        initargs=(config, catalog),
    ) as pool:
        yield from pool.map(_process, notebooks, chunksize=chunksize)


def _pool_context() -> BaseContext:
    """fork where the platform has it: workers start with the parent's imports."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _start_worker(config: Config, catalog: Catalog) -> None:
    global _settings
    _settings = (config, catalog)


def _process(path: Path) -> Outcome:
    assert _settings is not None
    config, catalog = _settings
    return process_notebook(path, config, catalog)

"""Running `process_notebook` in worker processes."""

from __future__ import annotations

import multiprocessing
from multiprocessing.context import BaseContext
from pathlib import Path

from nbrefactor.catalog import Catalog
from nbrefactor.config import Config
from nbrefactor.files import Outcome, process_notebook


def pool_context() -> BaseContext:
    """fork where the platform has it: workers start with the parent's imports."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def process_in_worker(arguments: tuple[Path, Config, Catalog]) -> Outcome:
    path, config, catalog = arguments
    return process_notebook(path, config, catalog)

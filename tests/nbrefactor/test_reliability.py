"""Reading and writing notebooks safely: only regular files are read.

Every test runs in its own `tmp_path` (the current folder), through click's
CliRunner.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import FIXED_EPOCH, FIXED_NOW, FIXTURES, REPO

import nbrefactor.files
from nbrefactor.cli import main
from nbrefactor.config import Config
from nbrefactor.files import Status, process_notebook

VIZ_UTILS = str(REPO / "viz_utils")
GOOD = "unsafe_call_kept.ipynb"  # a small notebook that changes
NOOP = "noop_other_functions.ipynb"


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: object, jobs: int = 1) -> Result:
    result = CliRunner().invoke(
        main,
        ["migrate", "--module", VIZ_UTILS, "--jobs", str(jobs), *map(str, args)],
        env={"SOURCE_DATE_EPOCH": str(FIXED_EPOCH)},
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def put(name: str, as_name: str | None = None, folder: str = ".") -> Path:
    target = Path(folder, as_name or name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / name, target)
    return target


def expected_bytes(name: str) -> bytes:
    return (FIXTURES / name.replace(".ipynb", ".expected.ipynb")).read_bytes()


# --------------------------------------------------------------------------
# Only regular files are read


def _fifo(name: str) -> Path:
    os.mkfifo(name)
    return Path(name)


def _device(name: str, device: str = "/dev/zero") -> Path:
    Path(name).symlink_to(device)
    return Path(name)


def _socket(name: str) -> Path:
    server = socket.socket(socket.AF_UNIX)
    server.bind(name)
    server.close()  # the socket file stays
    return Path(name)


SPECIAL = [
    (lambda: _fifo("x.ipynb"), "fifo"),
    (lambda: _device("x.ipynb", "/dev/zero"), "character device"),
    (lambda: _device("x.ipynb", "/dev/urandom"), "character device"),
    (lambda: _socket("x.ipynb"), "socket"),
]
SPECIAL_IDS = ["fifo", "dev-zero", "dev-urandom", "socket"]


@pytest.mark.parametrize("flags", [[], ["--check"], ["--dry-run"]], ids=["write", "check", "dry"])
@pytest.mark.parametrize(("make", "kind"), SPECIAL, ids=SPECIAL_IDS)
def test_a_special_file_given_by_name_is_one_error_line(
    make: Callable, kind: str, flags: list[str], deadline
) -> None:
    special = make()
    good = put(GOOD, as_name="good.ipynb")
    result = run(*flags, special, good)
    assert result.exit_code == 2, result.output
    assert f"error: {special}: not a regular file ({kind})" in result.stderr.splitlines()
    if not flags:
        assert good.read_bytes() == expected_bytes(GOOD)


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize(("make", "kind"), SPECIAL, ids=SPECIAL_IDS)
def test_a_special_file_found_in_a_folder_is_skipped(
    make: Callable, kind: str, jobs: int, monkeypatch: pytest.MonkeyPatch, deadline
) -> None:
    Path("folder").mkdir()
    monkeypatch.chdir("folder")
    make()
    put(GOOD, as_name="a.ipynb")
    put(GOOD, as_name="z.ipynb")
    monkeypatch.chdir("..")
    result = run("folder", jobs=jobs)
    assert result.exit_code == 2, result.output
    special = Path("folder", "x.ipynb")
    assert f"error: {special}: not a regular file ({kind})" in result.stderr.splitlines()
    assert Path("folder", "a.ipynb").read_bytes() == expected_bytes(GOOD)
    assert Path("folder", "z.ipynb").read_bytes() == expected_bytes(GOOD)


def test_a_path_swapped_for_a_fifo_after_the_check_is_not_read(
    monkeypatch: pytest.MonkeyPatch, catalog, deadline
) -> None:
    """stat saw a regular file; the open finds a FIFO: it neither blocks nor reads it."""
    regular = put(NOOP)
    fifo = _fifo("x.ipynb")
    real_stat = os.stat
    monkeypatch.setattr(
        nbrefactor.files.os,
        "stat",
        lambda path, *args, **kwargs: real_stat(
            regular if Path(path) == fifo else path, *args, **kwargs
        ),
    )
    outcome = process_notebook(fifo, Config(now=FIXED_NOW), catalog)
    assert outcome.status is Status.FAILED
    assert outcome.error == "not a regular file (fifo)"


def test_a_symlink_loop_is_one_error_line(catalog, deadline) -> None:
    Path("loop.ipynb").symlink_to("loop.ipynb")
    outcome = process_notebook(Path("loop.ipynb"), Config(now=FIXED_NOW), catalog)
    assert outcome.status is Status.FAILED
    assert outcome.error == "cannot read: symlink loop (too many levels of symbolic links)"

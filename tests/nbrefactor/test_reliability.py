"""Reading and writing notebooks safely: a newer edit is never overwritten, only regular
files are read, temporary files have short names and never outlive a run.

Every test runs in its own `tmp_path` (the current folder), through click's
CliRunner. A notebook is changed "between the read and the write" by patching
a function nbrefactor calls at that exact point: `refactor` (after the read,
before the temporary file exists) or `os.fchmod` (the temporary file is
complete, the rename has not happened).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import FIXED_EPOCH, FIXED_NOW, FIXTURES, REPO, expected_bytes, put

import nbrefactor.migration
import nbrefactor.nbfile.disk
import nbrefactor.workers
from nbrefactor.cli import main
from nbrefactor.config import Config
from nbrefactor.migration import Status, process_notebook
from nbrefactor.nbfile.disk import FileState, ReadFile, _still_as_read, read_file

VIZ_UTILS = str(REPO / "viz_utils")
GOOD = "unsafe_call_kept.ipynb"  # a small notebook that changes
NOOP = "noop_other_functions.ipynb"
TEMPORARY = re.compile(r"\.nbrefactor-(\d+)-(\d+)\.tmp")


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


def files_in(folder: Path | str = ".") -> list[str]:
    return sorted(os.listdir(folder))


# --------------------------------------------------------------------------
# A notebook saved while nbrefactor works on it is not overwritten


def _save_in_place_longer(path: Path) -> bytes:
    new = path.read_bytes().replace(b"\n}", b',\n "metadata_extra": 1\n}', 1)
    path.write_bytes(new)
    return new


def _save_in_place_same_size_and_mtime(path: Path) -> bytes:
    """An edit that keeps the size, with the modification time set back (as `cp -p`, rsync -t)."""
    info = path.stat()
    old = path.read_bytes()
    new = old.replace(b"import numpy as np", b"import numpy as NP", 1)
    assert new != old and len(new) == len(old)
    with open(path, "r+b") as stream:
        stream.write(new)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    return new


def _save_by_rename(path: Path) -> bytes:
    """Jupyter's save: a new file written beside the notebook and renamed over it."""
    new = path.read_bytes().replace(b"import numpy as np", b"import numpy as np  # edited", 1)
    sibling = path.with_name(".~" + path.name)
    sibling.write_bytes(new)
    os.replace(sibling, path)
    return new


SAVES = [_save_in_place_longer, _save_in_place_same_size_and_mtime, _save_by_rename]


def _after_refactor(monkeypatch: pytest.MonkeyPatch, save: Callable[[], None]) -> None:
    real = nbrefactor.migration.refactor

    def refactor_then_save(*args, **kwargs):
        result = real(*args, **kwargs)
        save()
        return result

    monkeypatch.setattr(nbrefactor.migration, "refactor", refactor_then_save)


def _after_the_temporary_file_is_written(
    monkeypatch: pytest.MonkeyPatch, save: Callable[[], None]
) -> None:
    real = os.fchmod

    def fchmod_then_save(descriptor, mode):
        real(descriptor, mode)
        save()

    monkeypatch.setattr(nbrefactor.nbfile.disk.os, "fchmod", fchmod_then_save)


POINTS = [_after_refactor, _after_the_temporary_file_is_written]


MIGRATED_AGAIN = (
    "  changed on disk while it was migrated (a save, another run);"
    " read again and migrated from the new content"
)


def _migrated_alone(content: bytes) -> bytes:
    """What a run makes of `content` when nothing changes it meanwhile."""
    fresh = Path("fresh", GOOD)
    fresh.parent.mkdir()
    fresh.write_bytes(content)
    assert run(fresh).exit_code == 0
    migrated = fresh.read_bytes()
    shutil.rmtree("fresh")
    return migrated


@pytest.mark.parametrize("save", SAVES, ids=lambda save: save.__name__.strip("_"))
@pytest.mark.parametrize("point", POINTS, ids=lambda point: point.__name__.strip("_"))
def test_a_notebook_saved_during_the_migration_is_migrated_again_from_what_was_saved(
    monkeypatch: pytest.MonkeyPatch, save: Callable, point: Callable
) -> None:
    notebook = put(GOOD)
    other = put(GOOD, as_name="other.ipynb")
    saved: list[bytes] = []
    point(monkeypatch, lambda: saved.append(save(notebook)) if not saved else None)
    result = run(notebook, other)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert f"migrated {notebook}" in lines
    assert lines[lines.index(f"migrated {notebook}") + 1 :].count(MIGRATED_AGAIN) == 1
    assert other.read_bytes() == expected_bytes(GOOD)
    assert files_in() == sorted([GOOD, "other.ipynb"]), "a temporary file was left"
    migrated = notebook.read_bytes()
    assert migrated == _migrated_alone(saved[0]), "the saved edit was overwritten"
    assert migrated != expected_bytes(GOOD)


@pytest.mark.parametrize(
    "save", [_save_in_place_longer, _save_by_rename], ids=lambda save: save.__name__.strip("_")
)
@pytest.mark.parametrize("point", POINTS, ids=lambda point: point.__name__.strip("_"))
def test_a_notebook_that_changes_again_while_migrated_again_is_not_written(
    monkeypatch: pytest.MonkeyPatch, save: Callable, point: Callable
) -> None:
    notebook = put(GOOD)
    saved: list[bytes] = []
    point(monkeypatch, lambda: saved.append(save(notebook)))
    result = run(notebook)
    assert result.exit_code == 2, result.output
    assert len(saved) == 2, "read twice, no more"
    assert f"error: {notebook}: changed while migrating; not written" in result.stderr.splitlines()
    assert MIGRATED_AGAIN not in result.stderr.splitlines()
    assert notebook.read_bytes() == saved[-1], "the saved edit was overwritten"
    assert files_in() == [GOOD], "a temporary file was left"


def test_an_edit_the_file_state_cannot_show_is_caught_by_the_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a file system whose times are too coarse to change, the bytes still differ."""
    notebook = put(GOOD)

    def without_times(info: os.stat_result) -> FileState:
        return FileState(info.st_dev, info.st_ino, info.st_size, 0, 0)

    monkeypatch.setattr(FileState, "of", staticmethod(without_times))
    saved: list[bytes] = []
    _after_the_temporary_file_is_written(
        monkeypatch,
        lambda: saved.append(_save_in_place_same_size_and_mtime(notebook)) if not saved else None,
    )
    result = run(notebook)
    assert result.exit_code == 0, result.output
    assert MIGRATED_AGAIN in result.stderr.splitlines()
    assert files_in() == [GOOD]
    assert notebook.read_bytes() == _migrated_alone(saved[0])
    assert b"import numpy as NP" in notebook.read_bytes()


def test_the_bytes_are_compared_again_in_chunks_to_the_last_one(tmp_path: Path) -> None:
    """A difference anywhere in a file of several chunks, or a length that differs, is seen."""
    path = tmp_path / "big.ipynb"
    path.write_bytes(bytes(range(256)) * 10_000)  # 2.56 MB: three chunks of 1 MB
    read = read_file(path)
    assert _still_as_read(path, read)
    content = read.content
    for changed in (
        content[:-1] + b"x",
        content[:1_500_000] + b"x" + content[1_500_001:],
        content[:-1],
        content + b"x",
    ):
        assert not _still_as_read(path, ReadFile(changed, read.state))


def test_an_untouched_notebook_is_still_written_through_a_symlink() -> None:
    Path("real").mkdir()
    put(GOOD, folder="real")
    Path("link.ipynb").symlink_to(Path("real", GOOD))
    result = run("link.ipynb")
    assert result.exit_code == 0, result.output
    assert Path("link.ipynb").is_symlink()
    assert Path("real", GOOD).read_bytes() == expected_bytes(GOOD)
    assert files_in("real") == [GOOD]


def test_the_new_file_keeps_the_owner_group_mode_and_extended_attributes() -> None:
    """CLI sweep 29: written by rename, a notebook became the runner's (root's, under sudo
    or in a container over mounted notebooks) and lost its extended attributes; black and
    ruff write in place and keep both. As root (CI), the owner is another user's."""
    notebook = put(GOOD)
    owner = (65534, 65534) if os.geteuid() == 0 else (os.getuid(), os.getgid())
    os.chown(notebook, *owner)
    notebook.chmod(0o2664)
    os.setxattr(notebook, "user.origin", b"lab")
    result = run(notebook)
    assert result.exit_code == 0, result.output
    assert notebook.read_bytes() == expected_bytes(GOOD)
    info = notebook.stat()
    assert (info.st_uid, info.st_gid) == owner
    assert oct(info.st_mode & 0o7777) == oct(0o2664)
    assert os.getxattr(notebook, "user.origin") == b"lab"


def test_a_read_only_file_system_is_named_as_such(monkeypatch: pytest.MonkeyPatch) -> None:
    """CLI sweep 29: on a file system mounted read-only, a 0644 notebook was `the file is
    read-only`. (As root, the test cannot mount one: the answers of `os.access` and
    `os.statvfs` there are given.)"""
    notebook = put(GOOD)

    class ReadOnly:
        f_flag = os.statvfs(notebook).f_flag | os.ST_RDONLY

    class OsOnReadOnlyMount:  # `os` as `nbrefactor.nbfile.disk` sees it
        def __getattr__(self, name: str) -> object:
            return getattr(os, name)

        access = staticmethod(lambda path, mode: False)
        statvfs = staticmethod(lambda path: ReadOnly)

    monkeypatch.setattr(nbrefactor.nbfile.disk, "os", OsOnReadOnlyMount())
    result = run(notebook)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"error: {GOOD}: cannot write: the file system is read-only"
    )
    assert notebook.read_bytes() == (FIXTURES / GOOD).read_bytes()


def test_a_folder_where_no_file_can_be_made_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """CLI sweep 29: a writable notebook in a read-only folder was `cannot write: permission
    denied`, though the file was writable: the new file is made in its folder. (As root,
    the folder refuses nothing: the refusal is given.)"""
    notebook = put(GOOD, folder="nbs")

    def refused(folder: str) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", folder)

    monkeypatch.setattr(nbrefactor.nbfile.disk.temporary, "create", refused)
    result = run(notebook)
    assert result.exit_code == 2
    folder = Path.cwd() / "nbs"
    assert result.stderr.splitlines()[0] == (
        f"error: nbs/{GOOD}: cannot write: permission denied in its folder {folder} (a new"
        " file is written there, then renamed)"
    )
    assert notebook.read_bytes() == (FIXTURES / GOOD).read_bytes()


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
    result = run("-v", "folder", jobs=jobs)
    special = Path("folder", "x.ipynb")
    if special.is_symlink():  # to a device: outside the project, left out as black leaves it
        assert result.exit_code == 0, result.output
        outside = f"excluded {special} (a symbolic link pointing outside {Path.cwd() / 'folder'})"
        assert outside in result.stderr.splitlines()
    else:
        assert result.exit_code == 2, result.output
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
        nbrefactor.nbfile.disk.os,
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


# --------------------------------------------------------------------------
# Temporary files


def test_the_temporary_file_has_a_short_name_in_the_notebooks_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    notebook = put(GOOD)
    seen: list[list[str]] = []
    _after_the_temporary_file_is_written(monkeypatch, lambda: seen.append(files_in()))
    assert run(notebook).exit_code == 0
    [during] = seen
    [temporary] = [name for name in during if name != GOOD]
    match = TEMPORARY.fullmatch(temporary)
    assert match is not None, during
    assert int(match.group(1)) == os.getpid()
    assert files_in() == [GOOD]


def test_a_notebook_with_a_250_byte_name_is_migrated() -> None:
    name = "n" * (250 - len(".ipynb")) + ".ipynb"
    shutil.copyfile(FIXTURES / GOOD, name)
    result = run(name)
    assert result.exit_code == 0, result.output
    assert Path(name).read_bytes() == expected_bytes(GOOD)
    assert files_in() == [name]


def _dead_pid() -> int:
    finished = subprocess.Popen(["true"])
    finished.wait()
    return finished.pid


def test_a_run_that_writes_removes_stale_temporary_files_and_says_so() -> None:
    Path("sub").mkdir()
    notebook = put(NOOP, folder="sub")
    dead = _dead_pid()
    stale = Path("sub", f".nbrefactor-{dead}-3.tmp")
    stale.write_bytes(b"half a notebook")
    live = Path("sub", f".nbrefactor-{os.getppid()}-0.tmp")  # a running process's
    live.write_bytes(b"being written")
    for flags in (["--check"], ["--dry-run"]):
        assert run(*flags, notebook).exit_code == 0
        assert stale.exists() and live.exists(), "a run that writes nothing removed a file"

    result = run(notebook)
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert live.exists()
    assert (
        f"  removed {stale.name}, a temporary file left by process {dead}, which no longer runs"
        in result.stderr.splitlines()
    )
    assert files_in("sub") == [live.name, NOOP]


# --------------------------------------------------------------------------
# A worker that dies costs its notebooks, not the run


def _die_on_b(path: Path):
    if path.name == "b.ipynb":
        os._exit(9)
    return nbrefactor.workers.process_notebook(path, *nbrefactor.workers._settings)


def test_a_worker_that_dies_fails_its_notebooks_and_the_run_goes_on(
    monkeypatch: pytest.MonkeyPatch, catalog, deadline
) -> None:
    paths = [put(GOOD, as_name=f"{name}.ipynb") for name in "ab"]
    monkeypatch.setattr(nbrefactor.workers, "_process", _die_on_b)
    outcomes = list(
        nbrefactor.workers.process_in_parallel(paths, Config(now=FIXED_NOW), catalog, jobs=2)
    )
    assert [outcome.path for outcome in outcomes] == paths
    assert outcomes[1].status is Status.FAILED
    assert outcomes[1].error == nbrefactor.workers.WORKER_LOST
    assert Path("b.ipynb").read_bytes() == (FIXTURES / GOOD).read_bytes()


def _copies_of_a_notebook(tmp_path: Path, count: int = 40) -> tuple[Path, int]:
    """A folder of `count` copies of a notebook that migrates."""
    folder = tmp_path / "nbs"
    folder.mkdir()
    for index in range(count):
        shutil.copyfile(FIXTURES / "unsafe_call_kept.ipynb", folder / f"n{index:02}.ipynb")
    return folder, count


def _migrated(folder: Path) -> int:
    original = (FIXTURES / "unsafe_call_kept.ipynb").read_bytes()
    return sum(1 for path in folder.iterdir() if path.read_bytes() != original)


def test_a_closed_standard_error_does_not_stop_a_writing_run_half_way(tmp_path: Path) -> None:
    """Sweep 28: `migrate nbs 2>&1 | head -1` migrated 7 of 30 notebooks and exited 1, the
    exit code of `--check` finding work: the text report is written to standard error, and
    its reader was gone. The run goes on to its end and its own exit code."""
    import sys

    folder, count = _copies_of_a_notebook(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "nbrefactor", "migrate", "--module", str(REPO / "viz_utils")]
        + ["--jobs", "1", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        cwd=tmp_path,
    )
    assert process.stderr is not None
    assert process.stderr.readline().startswith(b"migrated ")
    process.stderr.close()  # as `2>&1 | head -1` does
    assert process.wait(timeout=120) == 0
    assert _migrated(folder) == count


def test_a_closed_standard_output_does_not_stop_a_writing_run_half_way(tmp_path: Path) -> None:
    """CLI sweep 27: `migrate --output-format github nbs | head -1` stopped after the first
    notebooks (click exits 1 on a broken pipe), leaving the rest unmigrated and saying
    nothing. The report's reader is gone; the run goes on, its summary on stderr."""
    import sys

    folder, count = _copies_of_a_notebook(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "nbrefactor", "migrate", "--module", str(REPO / "viz_utils")]
        + ["--jobs", "1", "--output-format", "github", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        cwd=tmp_path,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b"::notice file=")
    process.stdout.close()  # as `| head -1` does
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0, stderr
    assert stderr.splitlines()[-1] == f"{count} notebooks migrated, 0 notebooks unchanged."
    assert _migrated(folder) == count


FULL_DEVICE_CASES = [
    ("github", "stdout"),
    ("json", "stdout"),
    ("text", "stderr"),
    ("text", "both"),
]


@pytest.mark.parametrize(("output_format", "full"), FULL_DEVICE_CASES)
def test_a_stream_that_cannot_be_written_does_not_stop_the_run_and_exits_2(
    tmp_path: Path, output_format: str, full: str
) -> None:
    """Round 60b F2: with standard output or standard error on a full disk (`/dev/full` fails
    every write with ENOSPC), a writing run crashed with a traceback and exit 1 (--check's
    "would change"), after 1 or 18 notebooks of 50. Now the failed stream is dropped, the run
    goes on to its end, and exit 2 says that its report was not all written."""
    import sys

    folder, count = _copies_of_a_notebook(tmp_path)
    with open("/dev/full", "w") as device:
        process = subprocess.run(
            [sys.executable, "-m", "nbrefactor", "migrate", "--module", str(REPO / "viz_utils")]
            + ["--jobs", "1", "--output-format", output_format, str(folder)],
            stdout=device if full in ("stdout", "both") else subprocess.PIPE,
            stderr=device if full in ("stderr", "both") else subprocess.PIPE,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )
    assert process.returncode == 2, process.stderr
    assert _migrated(folder) == count
    if full == "stdout":
        stderr = process.stderr.decode()
        assert "Traceback" not in stderr
        assert stderr.splitlines()[-1] == (
            "error: standard output could not be written (No space left on device); the rest"
            " of it was dropped"
        )


def test_check_with_standard_error_unwritable_exits_2_not_1(tmp_path: Path) -> None:
    """Round 60b F2: exit 1 would say "--check found work, and reported it"; the report went
    nowhere. Nothing is written, and standard output (where no diff goes) stays empty."""
    import sys

    folder, _ = _copies_of_a_notebook(tmp_path, count=3)
    with open("/dev/full", "w") as device:
        process = subprocess.run(
            [sys.executable, "-m", "nbrefactor", "migrate", "--module", str(REPO / "viz_utils")]
            + ["--check", str(folder)],
            stdout=subprocess.PIPE,
            stderr=device,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )
    assert process.returncode == 2
    assert process.stdout == b""
    assert _migrated(folder) == 0


@pytest.mark.parametrize("links", [2, 3])
def test_a_notebook_with_other_hard_links_is_written_as_a_new_file_and_says_so(links: int) -> None:
    """Round 63 F4: writing by rename (never a partial notebook) splits a hard link, where
    black and ruff write in place; the other links keep the old content, and a warning
    says so, rather than nothing."""
    notebook = put(GOOD)
    original = notebook.read_bytes()
    others = [Path(f"link{number}.ipynb") for number in range(1, links)]
    for other in others:
        os.link(notebook, other)
    result = run(notebook)
    assert result.exit_code == 0, result.output
    kept = "the other link keeps" if links == 2 else f"the other {links - 1} links keep"
    unless = "it is" if links == 2 else "they are"
    warning = (
        f"  warning: it had {links} hard links: written as a new file (by rename, so that a"
        f" failed write leaves the old one whole), {kept} the old content unless {unless}"
        " migrated too"
    )
    assert result.stderr.splitlines().count(warning) == 1, result.stderr
    assert notebook.read_bytes() == expected_bytes(GOOD)
    assert all(other.read_bytes() == original for other in others)


def test_both_hard_links_given_are_both_migrated_and_the_warning_says_it_may_be() -> None:
    """Round 64 U3: with both links given, the first's warning said the other "keeps the old
    content", though the same run then migrated it."""
    notebook = put(GOOD)
    os.link(notebook, "link.ipynb")
    result = run(notebook, "link.ipynb")
    assert result.exit_code == 0, result.output
    assert "the other link keeps the old content unless it is migrated too" in result.stderr
    assert notebook.read_bytes() == Path("link.ipynb").read_bytes() == expected_bytes(GOOD)


def test_a_notebook_with_one_link_is_written_with_no_word_of_links() -> None:
    notebook = put(GOOD)
    result = run(notebook)
    assert result.exit_code == 0, result.output
    assert "hard link" not in result.output

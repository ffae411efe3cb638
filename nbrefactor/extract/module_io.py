"""The module file on disk: read as Python reads it, diffed, and written atomically.

The module is written through a temporary file in its folder, and only over the file
that was read: replaced with `os.replace` when it existed (`nbfile.disk.write_atomically`),
linked into place with `os.link` (which refuses to overwrite) when it did not.
"""

from __future__ import annotations

import difflib
import io
import os
import tokenize
from dataclasses import dataclass
from pathlib import Path

from nbrefactor.analysis.text import split_lines
from nbrefactor.extract.module_reading import ModuleFileError
from nbrefactor.nbfile import temporary
from nbrefactor.nbfile.disk import (
    ChangedSinceRead,
    NotARegularFile,
    ReadFile,
    read_file,
    write_atomically,
)


@dataclass(frozen=True)
class ModuleRead:
    text: str | None  # None: the file does not exist yet
    read: ReadFile | None
    # As Python reads it (PEP 263: a coding line, a BOM: "utf-8-sig"), and writes it back.
    encoding: str = "utf-8"


def read_module(path: Path) -> ModuleRead:
    """The module file's text, or None when it is still to be created; ModuleFileError otherwise."""
    if path.suffix != ".py":
        raise ModuleFileError("not a Python file (the module file must end in .py)")
    try:
        read = read_file(path)
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise ModuleFileError(f"its folder {path.parent} does not exist") from None
        if path.is_symlink():  # sweep 26: the write then said "changed while extracting"
            raise ModuleFileError("a symbolic link to a file that does not exist") from None
        return ModuleRead(None, None)
    except IsADirectoryError:
        raise ModuleFileError("is a directory, not a module file") from None
    except NotARegularFile as error:
        raise ModuleFileError(f"not a regular file ({error.kind})") from None
    except OSError as error:
        raise ModuleFileError(f"cannot read: {error.strerror or error}") from None
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(read.content).readline)
        text = read.content.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as error:
        raise ModuleFileError(f"cannot read: {error}") from None
    return ModuleRead(text, read, encoding)


def write_module(path: Path, text: str, module: ModuleRead) -> int:
    """Write the module atomically, only over the file that was read (or where none was); the
    number of hard links it had (1 for a new file; more: the others keep the old content,
    which the report says, as migrate's for a notebook: round 64 U4).

    Raises ModuleFileError when the file changed (or appeared) since it was read,
    or cannot be written.
    """
    try:
        content = text.encode(module.encoding)
    except UnicodeEncodeError as error:
        raise ModuleFileError(f"cannot write: {error}") from None
    try:
        if module.read is not None:
            return write_atomically(path, [content], module.read)
        _create(path, content)
        return 1
    except (ChangedSinceRead, FileExistsError):
        raise ModuleFileError("changed while extracting; not written") from None
    except OSError as error:
        raise ModuleFileError(f"cannot write: {error.strerror or error}") from None


def _create(path: Path, content: bytes) -> None:
    """A new file with `content`, complete or not at all, never replacing one that appeared."""
    descriptor, temporary_path = temporary.create(str(path.parent) or ".")
    try:
        with open(descriptor, "wb", closefd=True) as stream:
            stream.write(content)
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(stream.fileno(), 0o666 & ~umask)
        os.link(temporary_path, path)
    finally:
        temporary.remove(temporary_path)


def module_diff(path: Path, old: str | None, new: str) -> str:
    """A unified diff of the module file, as `git diff` would label it: a last line with no
    line break is marked `\\ No newline at end of file`, so that `patch` takes the diff."""
    before = [] if old is None else split_lines(old)
    after = split_lines(new)
    label = str(path)
    lines = difflib.unified_diff(before, after, "/dev/null" if old is None else label, label)
    return "".join(
        line if line.endswith(("\n", "\r")) else f"{line}\n\\ No newline at end of file\n"
        for line in lines
    ).rstrip("\n")

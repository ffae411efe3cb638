"""Why a notebook file could not be read or written, and why a path was left out."""

from __future__ import annotations

# -- reading and writing one notebook file ----------------------------------------------


def not_a_regular_file(kind: str) -> str:
    return f"not a regular file ({kind})"


def no_such_file(standard_input: bool = False) -> str:
    if standard_input:  # `-`: no file of that name
        return "no such file or directory (standard input is not read: give the notebook's path)"
    return "no such file or directory"


def is_a_directory() -> str:
    return "is a directory"


def symlink_loop() -> str:
    return "symbolic link loop"


def os_error(action: str, detail: str) -> str:
    """`cannot read: permission denied`; `action` is `cannot read` or `cannot write`."""
    return f"{action}: {detail}"


def symlink_loop_while(action: str) -> str:
    return f"{action}: symlink loop (too many levels of symbolic links)"


def file_too_large() -> str:
    return "cannot read: not enough memory for a file this large"


def notebook_too_large() -> str:
    return "not enough memory to read this notebook"


def not_changed(reason: str) -> str:
    return f"{reason}; the notebook was not changed"


def too_deep() -> str:
    return "an expression nests too deeply to read (a chain of some 400 operators)"


def internal_error(error: BaseException) -> str:
    if isinstance(error, RecursionError):  # not a bug: Python's limit (sweep 31)
        return not_changed(too_deep())
    return not_changed(f"internal error ({type(error).__name__}: {error})")


def read_only() -> str:
    return "the file is read-only"


def read_only_file_system() -> str:
    return "the file system is read-only"


def folder_not_writable(folder: object) -> str:
    """The notebook is replaced by a file written beside it: its folder must be writable."""
    return f"permission denied in its folder {folder} (a new file is written there, then renamed)"


def hard_links_split(links: int, notebook: bool = True) -> str:
    """A notebook, or `extract`'s module (not `notebook`), with other hard links is written as
    a new file (`disk.write_atomically`). A notebook's other links may be given to the same
    run, and migrated too (round 64 U3: they were said to keep the old content)."""
    others = "the other link keeps" if links == 2 else f"the other {links - 1} links keep"
    unless = ""
    if notebook:
        unless = " unless it is migrated too" if links == 2 else " unless they are migrated too"
    return (
        f"it had {links} hard links: written as a new file (by rename, so that a failed write"
        f" leaves the old one whole), {others} the old content{unless}"
    )


def not_a_notebook_file() -> str:
    return "not a notebook (only .ipynb files are read)"


def changed_while_migrating() -> str:
    return "changed while migrating; not written"


def migrated_again() -> str:
    return (
        "changed on disk while it was migrated (a save, another run);"
        " read again and migrated from the new content"
    )


def not_written(reason: str) -> str:
    return f"{reason}; not written"


def schema_mismatch(where: str | None, problem: str) -> str:
    """`where`: `cell N`, or the path of a value outside the cells (`metadata.kernelspec`)."""
    location = "" if where is None else f"{where}: "
    return f"does not match the nbformat schema ({location}{problem}); processed anyway"


# -- finding notebooks -----------------------------------------------------------------


def excluded_by_pattern(option: str) -> str:
    """Why a path was left out: `option` is `--exclude`, `--extend-exclude` or the default's name."""
    return f"matches {option}"


def default_excludes() -> str:
    return "the default excludes"


def ignored_by(gitignore: object) -> str:
    return f"ignored by {gitignore}"


def hidden() -> str:
    return "hidden"


def folder_link() -> str:
    """A folder found through a symbolic link: not searched (a walk could leave the project)."""
    return "a symbolic link to a folder, not searched"


def dangling_link() -> str:
    """A notebook found in a folder as a symbolic link whose target is gone (the notebook was
    deleted or moved): passed over as black passes over what is neither file nor folder."""
    return "a symbolic link to nothing"


def link_outside(root: object) -> str:
    """A notebook found through a symbolic link to a file outside the project: not written,
    as black skips such a file."""
    return f"a symbolic link pointing outside {root}"


def internal_check_failed(detail: str) -> str:
    """The safety check refused what a migration built: nbrefactor's bug, not the user's."""
    return f"internal check failed: {detail} (please report this)"


def removed_stale_temporary_file(name: str, pid: int) -> str:
    return f"removed {name}, a temporary file left by process {pid}, which no longer runs"

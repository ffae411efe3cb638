"""The lines of a run over several notebooks: each one's status, the summary, Ctrl-C."""

from __future__ import annotations

# -- a run over several notebooks ------------------------------------------------------


def error_line(path: object, reason: str) -> str:
    return f"error: {path}: {reason}"


def changed_line(path: object, writes: bool) -> str:
    return f"{'migrated' if writes else 'would migrate'} {path}"


def unchanged_line(path: object) -> str:
    return f"unchanged {path}"


def summary(changed: int, unchanged: int, failed: int, writes: bool) -> str:
    if not changed and not unchanged and not failed:
        return "No notebooks to migrate."  # black's and ruff's "nothing to do", exit 0
    return counts(changed, unchanged, failed, writes)


def counts(changed: int, unchanged: int, failed: int, writes: bool) -> str:
    changed_verb = "migrated" if writes else "would be migrated"
    parts = [
        f"{_count(changed, 'notebook')} {changed_verb}",
        f"{_count(unchanged, 'notebook')} unchanged",
    ]
    if failed:
        parts.append(f"{_count(failed, 'notebook')} failed")
    return ", ".join(parts) + "."


def import_not_found(module: str, folder: object, notebooks: int, other_folders: int = 0) -> str:
    """A written import the notebooks' kernels may not find; one per run, naming one folder
    and counting the others."""
    top = module.partition(".")[0]
    where = (
        "a migrated notebook imports"
        if notebooks == 1
        else f"{notebooks} migrated notebooks import"
    )
    others = f" and {_count(other_folders, 'other folder')}" if other_folders else ""
    beside = "the notebook" if notebooks == 1 else "the notebooks"
    return (
        f"{where} {module}, but {top} is neither installed nor beside {beside}"
        f" in {folder}{others}: install it where the notebooks run (pip install -e . in the"
        " kernel's environment) or set --import-name"
    )


def interrupted(done: int, total: int, counts: str) -> str:
    return f"interrupted after {done} of {_count(total, 'notebook')}; {counts}"


def written_unreported() -> str:
    """The note of a notebook written (by a worker, or before its report was printed) when the
    run was stopped (Ctrl-C, SIGTERM): the file is complete, what it replaced is lost."""
    return "written, but the run was stopped before it reported what was replaced"


def extract_interrupted() -> str:
    """`extract` stopped by Ctrl-C or SIGTERM: each file is written whole or not at all, and
    the same command run again does the rest (a second run changes only what is left)."""
    return (
        "interrupted; every file written is complete and no temporary file is left:"
        " run the same command again to finish"
    )


def output_lost(stream: str, reason: str) -> str:
    """A stream that failed (a full disk, an I/O error), said at the end of the run, which
    went on to its end without it: exit 2."""
    return f"{stream} could not be written ({reason}); the rest of it was dropped"


def aborted() -> str:
    return "Aborted!"  # what click, and so black, print on Ctrl-C


def kept_summary(kept: int) -> str:
    """--check, without -v: the kept definitions pass silently otherwise."""
    return f"{_count(kept, 'inline definition')} kept; -v says why"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"

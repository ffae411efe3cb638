"""Every line nbrefactor reports about a notebook, worded in one place.

The rules decide and call these functions for the words; scripts and CI match
the result (`replaced NAME (cell N)`, `kept NAME (cell N): reason`), so the
wording changes only here, and only on purpose. `NotebookReport` is the one
report type: what a migration replaced, kept, noted and warned about; a
replaced or kept definition is a `Finding`, whose name, cell and reason the
JSON and GitHub formats print without reading them back from the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """A replaced or kept definition: its name, cell and reason, and its report line."""

    name: str
    cell: int
    reason: str
    message: str  # the whole line, as the text format prints it


@dataclass(frozen=True)
class NotebookReport:
    """What a migration found in one notebook, in the order it is shown."""

    replaced: tuple[Finding, ...] = ()
    kept: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def lines(self) -> tuple[str, ...]:
        return (
            *(finding.message for finding in self.replaced),
            *(finding.message for finding in self.kept),
            *self.notes,
            *(f"warning: {warning}" for warning in self.warnings),
        )


# -- the notebook as a whole ---------------------------------------------------


def not_python_notebook(language: str) -> str:
    return f"not a Python notebook (language {language}); left alone"


def skipped_cell(cell: int, magic: str) -> str:
    return f"skipped cell {cell}: %%{magic} cell is not Python"


def unparseable_cell(cell: int, reason: str) -> str:
    return f"cell {cell} could not be parsed ({reason})"


def read_in_pieces(cell: int, error: str) -> str:
    return f"cell {cell} does not parse ({error}); the statements that do were read"


# -- definitions ---------------------------------------------------------------


def replaced(name: str, cell: int, how: str | None, details: Sequence[str]) -> Finding:
    """`replaced NAME (cell N)`, then how (`with m.new`) and the details, `; `-separated."""
    line = f"replaced {name} (cell {cell})"
    if how is not None:
        line += f" {how}"
    reason = "; ".join(details if how is None else [how, *details])
    return Finding(name, cell, reason, "; ".join([line, *details]))


def signature_compatible() -> str:
    return "signature compatible"


def kept(name: str, cell: int, reason: str) -> Finding:
    return Finding(name, cell, reason, f"kept {name} (cell {cell}): {reason}")


def body_differs(qualified_name: str) -> str:
    return f"body differs from {qualified_name}"


def default_differs(parameter: str, inline: str, library: str) -> str:
    return f"default {parameter}={inline} inline, {library} in the library"


def not_python(magic: str) -> str:
    return f"the cell is a %%{magic} cell, not Python; it is never edited"


def cannot_read_cell(reason: str) -> str:
    return f"the cell cannot be read ({reason})"


def definition_not_read(error: str) -> str:
    return (
        f"the cell does not parse ({error}) and no definition with a readable header "
        "starts a line there"
    )


def in_broken_cell(error: str, body_broken: bool) -> str:
    if body_broken:
        return (
            f"its own body does not parse ({error}): the library function is the fix; "
            "the cell's other lines are unchanged"
        )
    return f"the cell does not parse ({error}), its other lines are unchanged"


def in_cell_magic(magic: str) -> str:
    return f"the cell starts with %%{magic}; cells with cell magics are not edited"


# -- why a use does not run the library function ---------------------------------


def use_without_call(cell: int, name: str, qualified_name: str) -> str:
    return (
        f"cell {cell} refers to {name} without calling it, and the inline signature "
        f"accepts calls that {qualified_name} does not"
    )


def unpacked_arguments(cell: int, qualified_name: str) -> str:
    return (
        f"call in cell {cell} passes *args or **kwargs, and the inline signature "
        f"accepts calls that {qualified_name} does not"
    )


def call_does_not_bind(cell: int, problem: str) -> str:
    return f"call in cell {cell} {problem}"


def too_many_positional(count: int, qualified_name: str, most: int) -> str:
    return f"passes {count} positional arguments but {qualified_name} takes at most {most}"


def unknown_keyword(keyword: str, qualified_name: str) -> str:
    return f"passes keyword '{keyword}' that {qualified_name} does not accept"


def passed_twice(keyword: str) -> str:
    return f"passes '{keyword}' both by position and by keyword"


def missing_argument(parameter: str, qualified_name: str) -> str:
    return f"does not pass '{parameter}', which {qualified_name} requires"


def unreadable_use(cell: int, line: int, name: str, error: str) -> str:
    return (
        f"cell {cell} does not parse ({error}) and {name} on its line {line} is not a call "
        "that can be read, so that use cannot be checked"
    )


def mentioned_in_unparseable_cell(cell: int, name: str, reason: str) -> str:
    return (
        f"cell {cell} mentions {name} but could not be parsed ({reason}), "
        "so its uses cannot be checked"
    )


# -- legacy names ----------------------------------------------------------------


def with_calls_renamed(qualified_name: str) -> str:
    return f"with {qualified_name}; calls renamed"


def imported_under_legacy_name(qualified_name: str, name: str) -> str:
    return f"with {qualified_name}, imported as {name}"


def calls_not_renamed(reason: str) -> str:
    return f"calls not renamed, since {reason}"


def never_called() -> str:
    return "never used, so nothing is imported for it"


def rename_in_cell_magic(cell: int, magic: str) -> str:
    return f"the call in cell {cell} is in a %%{magic} cell, which is never edited"


def renamed_calls_captured(current: str, cell: int, kind: str) -> str:
    return f"{current} is also bound in cell {cell} ({kind}) and could capture them"


# -- the import ----------------------------------------------------------------


def import_not_needed() -> str:
    return "import: none needed (nothing calls the replaced functions)"


def import_already_there(names: Sequence[str], module: str, cell: int) -> str:
    return f"import: {', '.join(names)} already imported from {module} in cell {cell}"


def import_merged(names: Sequence[str], module: str, cell: int) -> str:
    return f"import: added {', '.join(names)} to the import from {module} in cell {cell}"


def import_added(names: Sequence[str], module: str, cell: int) -> str:
    return f"import: added 'from {module} import {', '.join(names)}' to cell {cell}"


def used_before_import(name: str, cell: int) -> str:
    return f"{name} is used in cell {cell} before the new import"


def rebound_after_import(name: str, cell: int, kind: str, binding_cell: int, module: str) -> str:
    return (
        f"{name} in cell {cell} is rebound by the {kind} in cell "
        f"{binding_cell} after the new import, so it will not call {module}.{name}"
    )


def import_captures_use(name: str, cell: int, kind: str, binding_cell: int) -> str:
    return (
        f"the new import rebinds {name} before its use in cell {cell}, "
        f"which used the {kind} in cell {binding_cell}"
    )


def star_import_after(cell: int, module: str) -> str:
    return (
        f"cell {cell} has 'from {module} import *' after the new import; "
        "it may rebind the imported names"
    )


# -- version and changelog ---------------------------------------------------------


def version_not_bumped_by_request() -> str:
    return "version: not bumped (--bump none)"


def no_version() -> str:
    return "version: no version (like v0.0.37) in a title heading; not bumped"


def version_bumped(old: str, new: str, cell: int) -> str:
    return f"version: {old} -> {new} (cell {cell}), changelog entry added"


def changelog_entry(replacements: Sequence[tuple[str, str, bool]], module: str) -> str:
    """The default entry. `replacements`: (inline name, library name, still used) in notebook
    order; the unused ones were removed with nothing imported for them."""
    used = [(name, current) for name, current, in_use in replacements if in_use]
    unused = [(name, current) for name, current, in_use in replacements if not in_use]
    sentences = []
    if used:
        sentences.append(f"Replaced inline {_definitions(used)} with imports from `{module}`")
    if unused:
        removed = f"unused inline {_definitions(unused)}"
        sentences.append(f"removed {removed}" if used else f"Removed {removed}")
    return "; ".join(sentences)


def _definitions(pairs: Sequence[tuple[str, str]]) -> str:
    parts = [
        f"`{name}`" if name == current else f"`{name}` (now `{current}`)" for name, current in pairs
    ]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{'definition' if len(parts) == 1 else 'definitions'} of {listed}"


# -- a run over several notebooks ------------------------------------------------------


def error_line(path: object, reason: str) -> str:
    return f"error: {path}: {reason}"


# -- reading and writing one notebook file ----------------------------------------------


def not_a_regular_file(kind: str) -> str:
    return f"not a regular file ({kind})"


def no_such_file() -> str:
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


def internal_error(error: BaseException) -> str:
    return not_changed(f"internal error ({type(error).__name__}: {error})")


def read_only() -> str:
    return "the file is read-only"


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


def schema_mismatch(cell: int | None, problem: str) -> str:
    location = "" if cell is None else f"cell {cell}: "
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


def removed_stale_temporary_file(name: str, pid: int) -> str:
    return f"removed {name}, a temporary file left by process {pid}, which no longer runs"


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


def import_not_found(module: str, folder: object, notebooks: int) -> str:
    """A written import the notebooks' kernels may not find; one per run, naming one folder."""
    top = module.partition(".")[0]
    where = (
        "a migrated notebook imports"
        if notebooks == 1
        else f"{notebooks} migrated notebooks import"
    )
    return (
        f"{where} {module}, but {top} is neither installed nor beside the notebook"
        f" in {folder}: install it where the notebooks run (pip install -e . in the kernel's"
        " environment) or set --import-name"
    )


def interrupted(done: int, total: int, counts: str) -> str:
    return f"interrupted after {done} of {_count(total, 'notebook')}; {counts}"


def aborted() -> str:
    return "Aborted!"  # what click, and so black, print on Ctrl-C


def kept_summary(kept: int) -> str:
    """--check, without -v: the kept definitions pass silently otherwise."""
    return f"{_count(kept, 'inline definition')} kept; -v says why"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"

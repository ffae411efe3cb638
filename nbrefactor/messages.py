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

from nbrefactor import reasons as reasons_


@dataclass(frozen=True)
class Finding:
    """A replaced or kept definition: its name, cell and reason, and its report line."""

    name: str
    cell: int
    reason: str
    message: str  # the whole line, as the text format prints it
    code: str  # `NBR100` for a replaced definition, the reason's code for a kept one
    detail_codes: tuple[str, ...] = ()  # a replaced definition's details, in line order


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


def replaced(name: str, cell: int, reasons: Sequence[reasons_.ReplacedReason]) -> Finding:
    """`replaced NAME (cell N)`, then how (`with m.new`) and the details, `; `-separated."""
    line = f"replaced {name} (cell {cell})"
    how = next((describe(reason) for reason in reasons if _is_how(reason)), None)
    details = [text for reason in reasons for text in _details(reason)]
    if how is not None:
        line += f" {how}"
    reason = "; ".join(details if how is None else [how, *details])
    codes = tuple(reason.code for reason in reasons)
    return Finding(name, cell, reason, "; ".join([line, *details]), reasons_.REPLACED_CODE, codes)


def kept(name: str, cell: int, reason: reasons_.KeptReason) -> Finding:
    text = describe(reason)
    return Finding(name, cell, text, f"kept {name} (cell {cell}): {text}", reason.code)


def _is_how(reason: reasons_.ReplacedReason) -> bool:
    """Legacy names say how they were replaced right after the name, not as a detail."""
    return isinstance(reason, reasons_.LegacyHow)


def _details(reason: reasons_.ReplacedReason) -> list[str]:
    if isinstance(reason, (reasons_.RenameInCellMagic, reasons_.RenameCaptured)):
        return [f"calls not renamed, since {_rename_problem(reason)}"]
    return [] if _is_how(reason) else [describe(reason)]


def _rename_problem(reason: reasons_.RenameInCellMagic | reasons_.RenameCaptured) -> str:
    if isinstance(reason, reasons_.RenameInCellMagic):
        return (
            f"the call in cell {reason.cell} is in a %%{reason.magic} cell, which is never edited"
        )
    return (
        f"{reason.current} is also bound in cell {reason.cell} ({reason.kind}) "
        "and could capture them"
    )


def describe(reason: reasons_.Reason) -> str:
    """The words for one reason, as the report line shows them."""
    match reason:
        # replaced
        case reasons_.BodyDiffers(qualified_name):
            return f"body differs from {qualified_name}"
        case reasons_.DefaultDiffers(parameter, inline, library):
            return f"default {parameter}={inline} inline, {library} in the library"
        case reasons_.SignatureCompatible():
            return "signature compatible"
        case reasons_.InBrokenCell(error, True):
            return (
                f"its own body does not parse ({error}): the library function is the fix; "
                "the cell's other lines are unchanged"
            )
        case reasons_.InBrokenCell(error, False):
            return f"the cell does not parse ({error}), its other lines are unchanged"
        case reasons_.NeverCalled():
            return "never used, so nothing is imported for it"
        case reasons_.CallsRenamed(qualified_name):
            return f"with {qualified_name}; calls renamed"
        case reasons_.RenameInCellMagic(qualified_name, name) | reasons_.RenameCaptured(
            qualified_name, name
        ):
            return f"with {qualified_name}, imported as {name}"
        # kept: a call that does not bind
        case reasons_.CallDoesNotBind(cell, problem):
            return f"call in cell {cell} {describe(problem)}"
        case reasons_.TooManyPositional(count, qualified_name, most):
            return f"passes {count} positional arguments but {qualified_name} takes at most {most}"
        case reasons_.UnknownKeyword(keyword, qualified_name):
            return f"passes keyword '{keyword}' that {qualified_name} does not accept"
        case reasons_.PassedTwice(keyword):
            return f"passes '{keyword}' both by position and by keyword"
        case reasons_.MissingArgument(parameter, qualified_name):
            return f"does not pass '{parameter}', which {qualified_name} requires"
        # kept: a use that cannot be checked
        case reasons_.UseWithoutCall(cell, name, qualified_name):
            return (
                f"cell {cell} refers to {name} without calling it, and the inline signature "
                f"accepts calls that {qualified_name} does not"
            )
        case reasons_.UnpackedArguments(cell, qualified_name):
            return (
                f"call in cell {cell} passes *args or **kwargs, and the inline signature "
                f"accepts calls that {qualified_name} does not"
            )
        case reasons_.UnreadableUse(cell, line, name, error):
            return (
                f"cell {cell} does not parse ({error}) and {name} on its line {line} is not a "
                "call that can be read, so that use cannot be checked"
            )
        case reasons_.MentionedInUnparseableCell(cell, name, cause):
            return (
                f"cell {cell} mentions {name} but could not be parsed ({cause}), "
                "so its uses cannot be checked"
            )
        # kept: the definition's cell
        case reasons_.InCellMagic(magic):
            return f"the cell starts with %%{magic}; cells with cell magics are not edited"
        case reasons_.NotPython(magic):
            return f"the cell is a %%{magic} cell, not Python; it is never edited"
        case reasons_.CannotReadCell(cause):
            return f"the cell cannot be read ({cause})"
        case reasons_.DefinitionNotRead(error):
            return (
                f"the cell does not parse ({error}) and no definition with a readable header "
                "starts a line there"
            )
        # kept: not the same function
        case reasons_.ParametersDiffer(inline, qualified_name, library):
            return (
                f"its parameters ({', '.join(inline)}) are not {qualified_name}'s "
                f"({', '.join(library)})"
            )
        case reasons_.ForwardedKeyword(keyword, qualified_name):
            return (
                f"{keyword}= is a parameter inline; {qualified_name} passes it on through **kwargs"
            )
        case reasons_.ReadsNotebookVariable(variable, cell, qualified_name):
            return (
                f"reads notebook variable {variable} (cell {cell}), which {qualified_name} "
                "cannot see"
            )
        case reasons_.WritesNotebookVariable(variable, qualified_name):
            return f"sets notebook variable {variable} (global), which {qualified_name} cannot"
        case reasons_.KeptWithOther(cell):
            return f"the definition in cell {cell} is kept, and a name's definitions go together"
    raise AssertionError(f"no words for {reason!r}")


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


def import_in_broken_cell(cell: int) -> str:
    return f"the import goes into cell {cell}, which does not parse, so it runs only once fixed"


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


def internal_check_failed(detail: str) -> str:
    """The safety check refused what a migration built: nbrefactor's bug, not the user's."""
    return f"internal check failed: {detail} (please report this)"


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

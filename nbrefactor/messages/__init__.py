"""Every line nbrefactor reports about a notebook, worded in one package.

The rules decide and call these functions for the words; scripts and CI match
the result (`replaced NAME (cell N)`, `kept NAME (cell N): reason`), so the
wording changes only here, and only on purpose. `NotebookReport` is the one
report type: what a migration replaced, kept, noted and warned about; a
replaced or kept definition is a `Finding`, whose name, cell and reason the
JSON and GitHub formats print without reading them back from the line.

One module per area (`findings`: the report and each definition's reason;
`notebook`: the notes on a notebook as a whole; `files`: reading, writing
and finding notebook files; `run`: a run over several notebooks). Callers
import `messages` and call `messages.NAME`: this module gathers them.
"""

from __future__ import annotations

from nbrefactor.messages.files import (
    changed_while_migrating,
    default_excludes,
    excluded_by_pattern,
    file_too_large,
    folder_link,
    folder_not_writable,
    hidden,
    ignored_by,
    internal_check_failed,
    internal_error,
    is_a_directory,
    link_outside,
    migrated_again,
    no_such_file,
    not_a_notebook_file,
    not_a_regular_file,
    not_changed,
    not_written,
    notebook_too_large,
    os_error,
    read_only,
    read_only_file_system,
    removed_stale_temporary_file,
    schema_mismatch,
    symlink_loop,
    symlink_loop_while,
    too_deep,
)
from nbrefactor.messages.findings import Finding, NotebookReport, kept, replaced
from nbrefactor.messages.notebook import (
    changelog_entry,
    defined_in_unparsed_cell,
    import_added,
    import_already_there,
    import_in_broken_cell,
    import_merged,
    listed_before_defined,
    looked_up_before_defined,
    no_version,
    not_python_notebook,
    read_in_pieces,
    skipped_cell,
    unparseable_cell,
    used_before_defined,
    used_before_import,
    used_through_before_defined,
    version_bumped,
    version_not_bumped_by_request,
)
from nbrefactor.messages.reason_words import describe
from nbrefactor.messages.run import (
    aborted,
    changed_line,
    counts,
    error_line,
    extract_interrupted,
    import_not_found,
    interrupted,
    kept_summary,
    summary,
    unchanged_line,
)

__all__ = [
    "Finding",
    "NotebookReport",
    "aborted",
    "changed_line",
    "changed_while_migrating",
    "changelog_entry",
    "counts",
    "default_excludes",
    "defined_in_unparsed_cell",
    "describe",
    "error_line",
    "excluded_by_pattern",
    "extract_interrupted",
    "file_too_large",
    "folder_link",
    "folder_not_writable",
    "hidden",
    "ignored_by",
    "import_added",
    "import_already_there",
    "import_in_broken_cell",
    "import_merged",
    "import_not_found",
    "internal_check_failed",
    "internal_error",
    "interrupted",
    "is_a_directory",
    "kept",
    "kept_summary",
    "link_outside",
    "listed_before_defined",
    "looked_up_before_defined",
    "migrated_again",
    "no_such_file",
    "no_version",
    "not_a_notebook_file",
    "not_a_regular_file",
    "not_changed",
    "not_python_notebook",
    "not_written",
    "notebook_too_large",
    "os_error",
    "read_in_pieces",
    "read_only",
    "read_only_file_system",
    "removed_stale_temporary_file",
    "replaced",
    "schema_mismatch",
    "skipped_cell",
    "summary",
    "symlink_loop",
    "symlink_loop_while",
    "too_deep",
    "unchanged_line",
    "unparseable_cell",
    "used_before_defined",
    "used_before_import",
    "used_through_before_defined",
    "version_bumped",
    "version_not_bumped_by_request",
]

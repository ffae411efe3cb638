"""The migration of one notebook, as a pure function of its contents.

`refactor(notebook, config, catalog)` knows nothing of files, terminals or
click: it returns the new source of every cell it changes and a report of
what it did, kept and could not analyse. The CLI layer decides what to write
and print.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from nbrefactor.catalog import Catalog
from nbrefactor.config import Config
from nbrefactor.mentions import definition_pattern, mentions_of
from nbrefactor.notebook import Notebook
from nbrefactor.versioning import Bump, find_title_cell, update_version


@dataclass(frozen=True)
class NotebookReport:
    replaced: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    new_sources: Mapping[int, str]  # cell number -> new source, only for changed cells
    report: NotebookReport = field(default_factory=NotebookReport)

    @property
    def changed(self) -> bool:
        return bool(self.new_sources)


class CannotEdit(Exception):
    """A cell that must change cannot be edited safely; the message says which and why."""


def refactor(notebook: Notebook, config: Config, catalog: Catalog) -> Result:
    """Replace inline definitions of the catalog's functions with an import."""
    language = notebook.language
    if language not in (None, "python"):
        return Result(
            {}, NotebookReport(notes=(f"not a Python notebook (language {language}); left alone",))
        )
    definitions = definition_pattern(catalog.replaceable_names)
    defined_in: dict[int, list[str]] = {}
    for cell in notebook.cells:
        if cell.cell_type == "code" and "def" in cell.source:
            names = definitions.findall(cell.source)
            if names:
                defined_in[cell.number] = names
    if not defined_in:
        return Result({})
    defined = {name for names in defined_in.values() for name in names}
    # Only the defined names and what they would be renamed to can matter: cells
    # that mention none of them are never parsed.
    watched = frozenset(defined | {catalog.current_name(name) for name in defined})
    from nbrefactor.migration import Migration

    migration = Migration(
        notebook, catalog, watched, mentions_of(watched, catalog.module), frozenset(defined_in)
    )
    code_changes = migration.run()
    report = migration.report
    if not code_changes:
        return Result({}, _finish(report))
    new_sources = dict(code_changes)
    if config.bump is Bump.NONE:
        report.notes.append("version: not bumped (--bump none)")
    else:
        title = find_title_cell(notebook.cells)
        if title is None:
            report.notes.append("version: no version (like v0.0.37) in a title heading; not bumped")
        else:
            entry = config.changelog or migration.changelog_entry()
            update = update_version(title, config.bump, config.now, entry)
            new_sources[update.cell] = update.source
            report.notes.append(
                f"version: {update.old_version} -> {update.new_version} (cell {update.cell}), changelog entry added"
            )
    return Result(new_sources, _finish(report))


def _finish(report) -> NotebookReport:
    return NotebookReport(
        replaced=tuple(report.replaced),
        kept=tuple(report.kept),
        notes=tuple(report.notes),
        warnings=tuple(report.warnings),
    )

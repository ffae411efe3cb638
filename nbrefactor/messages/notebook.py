"""The notes on one notebook as a whole: cells left alone, the import, the version."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# -- the notebook as a whole ---------------------------------------------------


def not_python_notebook(language: str) -> str:
    return f"not a Python notebook (language {language}); left alone"


def skipped_cell(cell: int, magic: str) -> str:
    return f"skipped cell {cell}: %%{magic} cell, not read as Python"


def unparseable_cell(cell: int, reason: str) -> str:
    return f"cell {cell} could not be parsed ({reason})"


def read_in_pieces(cell: int, error: str) -> str:
    return f"cell {cell} does not parse ({error}); the statements that do were read"


# -- the import ----------------------------------------------------------------


def import_already_there(names: Sequence[str], module: str, cell: int) -> str:
    return f"import: {', '.join(names)} already imported from {module} in cell {cell}"


def import_merged(names: Sequence[str], module: str, cell: int) -> str:
    return f"import: added {', '.join(names)} to the import from {module} in cell {cell}"


def import_added(names: Sequence[str], module: str, cell: int) -> str:
    return f"import: added 'from {module} import {', '.join(names)}' to cell {cell}"


def used_before_import(name: str, cell: int) -> str:
    return f"{name} is used in cell {cell} before the new import"


def used_before_defined(name: str, cell: int, defined: bool = True) -> str:
    """A use above every binding of the name; `defined` False: the notebook binds it nowhere
    (a legacy name's new name, round 58a: "above its definition" of a cell below the old
    name's)."""
    where = f" is used in cell {cell} above its definition"
    if not defined:
        where = f", which the notebook binds nowhere, is used in cell {cell}"
    return (
        f"{name}{where}, where running the notebook from the top raised NameError; the new"
        " import now binds it there"
    )


def used_through_before_defined(name: str, cell: int, caller: str) -> str:
    """A call of a replaced copy whose body reads `name`, above every binding of it."""
    return (
        f"{name} is used in cell {cell} by {caller}, above its definition, where running the "
        "notebook from the top raised NameError; the new import now binds it there"
    )


def looked_up_before_defined(name: str, cell: int, defined: bool = True) -> str:
    """A lookup by a string (`"f" in globals()`) above every binding of the name (`defined`:
    as `used_before_defined`)."""
    where = f" is looked up by name in cell {cell} above its definition"
    if not defined:
        where = f", which the notebook binds nowhere, is looked up by name in cell {cell}"
    return (
        f"{name}{where}, where running the notebook from the top found nothing; the new"
        " import now binds it there"
    )


def listed_before_defined(name: str, cell: int, listing: str) -> str:
    """A listing of the notebook's names (`%who`, `dir()`) above every binding of the name."""
    return (
        f"{name} is listed by {listing} in cell {cell} above its definition, where it was not"
        " yet bound; the new import now binds it there"
    )


def defined_in_unparsed_cell(name: str, cells: Sequence[int], defined_in: int) -> str:
    where = f"cell {cells[0]}" if len(cells) == 1 else f"cells {_listed(map(str, cells))}"
    return (
        f"{name} is used in {where}, where running the notebook from the top raised "
        f"NameError: its definition in cell {defined_in} does not parse, so it never ran; "
        "the new import now binds it there"
    )


def import_in_broken_cell(cell: int) -> str:
    return f"the import goes into cell {cell}, which does not parse, so it runs only once fixed"


# -- version and changelog ---------------------------------------------------------


def version_not_bumped_by_request() -> str:
    return "version: not bumped (--bump none)"


def no_version() -> str:
    return "version: no version (like v0.0.37) in a title heading; not bumped"


def prerelease_in_title(cell: int, version: str) -> str:
    return (
        f"version: the title heading in cell {cell} holds {version}, a pre-release or build"
        " version; not bumped"
    )


def versions_in_title(cell: int, count: int) -> str:
    return f"version: the title heading in cell {cell} holds {count} versions; not bumped"


def version_of_more_parts(cell: int, version: str) -> str:
    return (
        f"version: the title heading in cell {cell} holds {version}, a version of more than"
        " three parts, which nbrefactor does not bump; not bumped"
    )


def version_also_in_link(cell: int, version: str) -> str:
    return (
        f"version: the title heading in cell {cell} shows {version} and names a version in a"
        " link's or an image's address too, which a bump would leave behind; not bumped"
    )


# Where a title's versions are when a reader sees none (`rules.version_title.Title.unseen`).
_UNSEEN_WHERE = {
    "link": "a link",
    "alt": "an image's alt text",
    "markup": "a link, a tag or a comment",
}


def version_in_link(cell: int, where: str) -> str:
    return (
        f"version: the title heading in cell {cell} holds its version in {_UNSEEN_WHERE[where]};"
        " not bumped"
    )


def version_by_underscore(cell: int, version: str) -> str:
    return (
        f"version: the title heading in cell {cell} holds {version} next to an underscore"
        f" (emphasis like _{version}_, or part of a name), which nbrefactor does not read as a"
        " version; not bumped"
    )


def html_title_after_html(cell: int) -> str:
    return (
        f"version: cell {cell} shows an <h1> heading after other HTML on its line, which"
        " nbrefactor does not read as the title; not bumped"
    )


def html_title_unread(cell: int) -> str:
    return (
        f"version: the title in cell {cell} is an HTML heading closed on a later line, which"
        " nbrefactor does not read for a version; not bumped"
    )


def title_cell_too_deep(cell: int) -> str:
    return (
        f"version: cell {cell} nests its lists or block quotes too deep for nbrefactor to read"
        " its headings; not bumped"
    )


def html_title_comment_open(cell: int) -> str:
    return (
        f"version: a comment after the HTML title in cell {cell} is still open where its HTML"
        " block ends (a blank line), and a reader sees nothing after it; not bumped"
    )


def version_before_title(cell: int, version: str) -> str:
    return (
        f"version: cell {cell} names {version} before its first heading, so which version is"
        " the notebook's is unclear; not bumped"
    )


def heading_not_title(cell: int) -> str:
    return (
        f"version: the first heading in cell {cell} is not level 1 and follows text or an image"
        " there, so it is not taken for the title; not bumped"
    )


def version_before_title_cell(cell: int, version: str, title_cell: int) -> str:
    return (
        f"version: cell {cell} names {version} before the first heading, in cell {title_cell},"
        " so which version is the notebook's is unclear; not bumped"
    )


def heading_after_text_cell(title_cell: int, text_cell: int) -> str:
    return (
        f"version: the first heading, in cell {title_cell}, is not level 1 and follows text or"
        f" an image in cell {text_cell}, so it is not taken for the title; not bumped"
    )


def entry_not_written(not_bumped: str) -> str:
    return f"{not_bumped}; the given changelog entry was not written"


def version_bumped(old: str, new: str, cell: int) -> str:
    return f"version: {old} -> {new} (cell {cell}), changelog entry added"


def changelog_entry(replacements: Sequence[tuple[str, str]], module: str) -> str:
    """The default entry. `replacements`: (inline name, library name) in notebook order."""
    return f"Replaced inline {_definitions(replacements)} with imports from `{module}`"


def _definitions(pairs: Sequence[tuple[str, str]]) -> str:
    parts = [
        f"`{name}`" if name == current else f"`{name}` (now `{current}`)" for name, current in pairs
    ]
    return f"{'definition' if len(parts) == 1 else 'definitions'} of {_listed(parts)}"


def _listed(items: Iterable[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    parts = list(items)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]

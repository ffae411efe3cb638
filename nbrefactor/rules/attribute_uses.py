"""Which uses of a copy change its attributes: what the library's own code would see on
its function once the copy is replaced (`definition_time`, `StateShared`)."""

from __future__ import annotations

from nbrefactor.analysis.events import Use
from nbrefactor.analysis.program import Program

# Callees given the function that change its attributes (re-check 38: `setattr(load, ...)`).
_ATTRIBUTE_SETTERS = frozenset({"setattr", "delattr", "vars"})


def changes_attributes(use: Use, program: Program) -> bool:
    """Whether the use sets, deletes or calls an attribute of the function (`load.disabled =
    True`, `fmt.register(int)`, `load.cache[k] = v`) or hands it to `setattr`: what the
    library's own code would see on its function once the copy is replaced. Not a read
    (`load.__name__`, `print(load.tag)`: re-check 38), told from the text after the name."""
    if use.handed_to in _ATTRIBUTE_SETTERS:
        lines = program.cell(use.cell).source.splitlines()
        return use.line > len(lines) or not _a_later_argument(lines, use.line, use.column)
    if not use.attribute:
        return False  # asked of every use: the cell's lines only when needed (a 5 MB cell)
    lines = program.cell(use.cell).source.splitlines()
    if use.line > len(lines):
        return True  # not where the reader says: the safe side
    after = lines[use.line - 1].encode()[use.column :].decode(errors="replace")
    rest = after[len(use.name) :].lstrip()
    if not rest.startswith("."):
        return True
    attribute = rest[1:].lstrip()
    end = 0
    while end < len(attribute) and (attribute[end].isalnum() or attribute[end] == "_"):
        end += 1
    follows = attribute[end:].lstrip()
    if follows.startswith(("(", "[")):
        return True  # a call, or an item of it (set or not: the safe side)
    if follows.startswith("=") and not follows.startswith("=="):
        return True
    return follows.startswith(_AUGMENTED)


_AUGMENTED = tuple(
    f"{operator}="
    for operator in ["+", "-", "*", "/", "%", "&", "|", "^", "@", "**", "//", "<<", ">>"]
)


def _a_later_argument(lines: list[str], line: int, column: int) -> bool:
    """Whether the name at `column` (in UTF-8 bytes) of `line` (from 1) follows a comma, on
    its line or ending the one above: a later argument of `setattr`, the value it sets
    (`setattr(mylib, 'f', f)` sets the module's attribute, none of `f`'s: round 60a, said
    to use `f`'s attributes, where `mylib.f = f` got `NBR239`). The first argument counts
    as the object whose attributes change, and so does anything else: the safe side."""
    before = lines[line - 1].encode()[:column].decode(errors="replace").rstrip()
    if not before and line > 1:
        before = lines[line - 2].rstrip()  # `setattr(mylib, 'f',` above
    return before.endswith(",")

"""What the masked IPython lines of a cell do with the watched names.

Masking (`magics`) hides IPython lines from the parser, so the facts read
from the tree (`cell_facts`) miss what those lines do. Two things matter:

- they bind: `files = !ls`, `out = %sx ls`, `t = %timeit -o f()`, and
  `%%capture out` (once the cell has run). A binding of a watched name there
  is a binding like an assignment. `%run script.py`, `%pylab` and any other
  magic not known to bind nothing (`line_magics`) may bind any name: each
  watched name, conditionally;
- they run Python that cannot be read: IPython expands `{expr}` and `$name`
  in shell lines and in many line magics (`!echo {f(1)}`, `%env OUT={f(1)}`).
  A watched name in a masked line holding `{` or `$` is a use that cannot be
  checked (`!echo f` names no Python). So is a watched name in the argument
  of a line magic not known to bind nothing, which may run it as code
  (`t = %timeit -o f(2)`, `%lprun -f f f(2)`, `%debug f(2)`): it is recorded
  as a string naming it (`NamedInString.magic`), for the rules to judge.
"""

from __future__ import annotations

import ast
import bisect
import re
from itertools import pairwise

from nbrefactor.analysis import line_magics
from nbrefactor.analysis.cell_facts import CellFacts
from nbrefactor.analysis.events import (
    AFTER_EVERY_EVENT,
    Binding,
    BindingKind,
    NamedInString,
    Position,
    UnreadableUse,
)
from nbrefactor.analysis.magics import MaskedSource, compound_magic_code
from nbrefactor.analysis.mentions import Watched
from nbrefactor.analysis.parsing import AST_ERRORS, statement_lines
from nbrefactor.analysis.scopes import module_scope_statements, variables_bound
from nbrefactor.analysis.text import line_numbers
from nbrefactor.analysis.words import word_offsets

_WORD = re.compile(r"\w+")
_MAGIC_NAME = re.compile(r"[ \t]*%(\w+)")
# A `$` IPython's `var_expand` expands (`DollarFormatter`): one followed by a name's
# character or a dot (`$f`, `$cfg.path`); not one ending a regex (`%reset_selective -f ^f$`,
# round 60a: said to be expanded).
_EXPANDED_NAME = re.compile(r"\$[\w.]")


def names_assigned_by(line: str) -> set[str]:
    """The names a masked IPython line assigns: `files = !ls`, `a, b = %sx ls`."""
    head, separator, rest = line.partition("=")
    if not separator or not rest.lstrip().startswith(("!", "%")):
        return set()
    targets = head.replace("[", ",").replace("]", ",").split(",")
    return {target.strip() for target in targets if target.strip().isidentifier()}


def captured_name(magic_line: str) -> str | None:
    """The variable `%%capture [--no-stdout ...] out` stores the output in, if any."""
    words = [word for word in magic_line.split()[1:] if not word.startswith("-")]
    return words[-1] if words and words[-1].isidentifier() else None


def add_magic_facts(facts: CellFacts, masked: MaskedSource, watched: Watched) -> None:
    """Add to `facts` the bindings and the unreadable uses of its masked IPython lines."""
    if not masked.originals:
        return
    text, body = masked.text, facts.tree.body
    found = sorted(
        (text.find(placeholder.strip()), placeholder) for placeholder in masked.originals
    )
    lines = line_numbers(text, [offset for offset, _ in found])
    firsts = [statement_lines(statement)[0] for statement in body]
    for (_, placeholder), line in zip(found, lines):
        original = masked.originals[placeholder]
        assigned = names_assigned_by(original)
        read = original.partition("=")[2] if assigned else original
        if "{" in read or _EXPANDED_NAME.search(read):  # IPython expands `{f(1)}`, `$f`
            for name in sorted(set(_WORD.findall(read)) & watched.names):
                facts.unreadable.append(UnreadableUse(name, facts.cell, line, ipython=True))
        index = bisect.bisect_right(firsts, line) - 1
        if index < 0:
            continue
        magic = _MAGIC_NAME.match(read)
        if magic is not None and line_magics.binds_any(magic.group(1)):
            for name in watched.names_in(read[magic.end() :]):
                named = NamedInString(name, facts.cell, index, magic.group(1), line)
                facts.named_in_strings.append(named)
        statement = body[index]
        alone = isinstance(statement, ast.Expr) and firsts[index] == line  # not in a block
        position = Position(facts.cell, index, AFTER_EVERY_EVENT)
        for name in sorted(assigned & watched.names):
            facts.bindings.append(
                Binding(name, position, BindingKind.ASSIGNMENT, conditional=not alone)
            )
        for name, surely in _compound_bindings(original, watched):
            conditional = not (alone and surely)
            facts.bindings.append(
                Binding(name, position, BindingKind.ASSIGNMENT, conditional=conditional)
            )
        binds_any = _binds_any(original)
        if binds_any is not None:
            kind, module = binds_any
            for name in sorted(watched.names):
                facts.bindings.append(Binding(name, position, kind, module, conditional=True))
    facts.bindings.sort(key=lambda binding: binding.position)


def _compound_bindings(line: str, watched: Watched) -> list[tuple[str, bool]]:
    """(name, whether it surely binds it) for each watched name a `%time`-like line running
    a compound statement binds (`%time def f(): ...`, `%time for f in fs: pass`; sweep 28:
    unseen, the import was placed above it, and a later call ran the `%time` one). Its
    code is read alone; a `def` or `class` binds surely, a loop's or a branch's may not."""
    code = compound_magic_code(line)
    if code is None or not watched.names_in(code):
        return []
    try:
        tree = ast.parse(code)
    except AST_ERRORS:
        return []
    found = {name: False for name in variables_bound(tree) & watched.names}
    for statement in module_scope_statements(tree.body):
        definition = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        if isinstance(statement, definition) and statement.name in watched.names:
            found[statement.name] = statement in tree.body
    return sorted(found.items())


def _binds_any(line: str) -> tuple[BindingKind, str | None] | None:
    """How the masked line may bind any name (`line_magics`), or None: `%run script.py` (a
    script's names), `%pylab` (numpy's and pyplot's, star-imported), another magic."""
    magic = line_magics.line_binds_any(line)
    if magic is None:
        return None
    if magic == "run":
        return BindingKind.RUN, None
    if magic == "pylab":
        return BindingKind.IMPORT, "pylab"
    return BindingKind.MAGIC, None


# IPython's script magics, which run their cell in another program: `--out`, `--err` and
# `--proc` name the variables they set; and the cell magics that bind nothing.
_SCRIPT_MAGICS = frozenset(
    {"script", "sh", "bash", "perl", "ruby", "python", "python2", "python3", "pypy"}
)
_SCRIPT_OPTIONS = frozenset({"--out", "--err", "--proc"})
_BINDING_NOTHING = frozenset(
    {"html", "javascript", "js", "latex", "markdown", "svg", "writefile", "file"}
)


def cell_magic_bindings(
    cell: int, source: str, magic: str, watched: Watched
) -> tuple[Binding, ...]:
    """The watched names a cell of a non-Python cell magic binds once it has run: those a
    script magic's `--out`/`--err`/`--proc` name (`%%bash --out f`), and, for a magic not
    known to bind nothing (rpy2's `%%R -o f`, `%%cython` defining `f`, `%%sql f <<`), each
    watched name its text holds, which it may bind."""
    position = Position(cell, 0, AFTER_EVERY_EVENT)
    if magic in _BINDING_NOTHING:
        return ()
    if magic in _SCRIPT_MAGICS:
        words = source.lstrip().partition("\n")[0].split()
        named = {value for option, value in pairwise(words) if option in _SCRIPT_OPTIONS}
        return tuple(
            Binding(name, position, BindingKind.CELL_MAGIC)
            for name in sorted(named & watched.names)
        )
    return tuple(
        Binding(name, position, BindingKind.CELL_MAGIC, conditional=True)
        for name in watched.names_in(source)
    )


def cell_magic_uses(
    cell: int, source: str, magic: str, watched: Watched
) -> tuple[NamedInString, ...]:
    """The watched names the text of a non-Python cell magic's cell holds, as uses that
    cannot be checked, when the magic is not known to leave Python names alone: HoloViews'
    `%%opts` runs the rest of its cell as Python, rpy2's `%%R -i f` hands `f` to R. Not
    those of a script magic (`%%bash`) or one known to bind nothing (`%%html`), whose text is
    no Python. Each with the line of its first occurrence."""
    if magic in _BINDING_NOTHING or magic in _SCRIPT_MAGICS:
        return ()
    firsts = sorted((next(word_offsets(source, name)), name) for name in watched.names_in(source))
    lines = line_numbers(source, [offset for offset, _ in firsts])
    return tuple(
        NamedInString(name, cell, 0, magic, line, cell_magic=True)
        for (_, name), line in zip(firsts, lines)
    )


def add_capture_binding(facts: CellFacts, magic_line: str, watched: Watched) -> None:
    """`%%capture out` binds `out` once the cell has run."""
    name = captured_name(magic_line)
    if name is None or name not in watched.names:
        return
    last = max(len(facts.tree.body) - 1, 0)
    position = Position(facts.cell, last, AFTER_EVERY_EVENT)
    facts.bindings.append(Binding(name, position, BindingKind.ASSIGNMENT))

"""Whether a piece of code can concern a migration, decided from its text alone."""

from __future__ import annotations

import re
from functools import lru_cache

from nbrefactor.analysis.text import LinePattern
from nbrefactor.analysis.words import has_word, is_word_character, word_offsets

# `line_magics` (its patterns and types) is imported by the questions that ask it, not
# here: a run over notebooks that define no library name asks only `defined_in`.
_STAR_IMPORT = re.compile(r"import[ \t]*\*")
# What may bind names the text does not show, besides a star import and a line magic
# (`%run setup.py`, `%pylab`: `line_magics`): `exec(...)`, an assignment through the
# namespace (`globals()['K'] = 1`, `vars()`, `locals()` at module level, IPython's
# `user_ns`, `user_global_ns`, a frame's `f_globals` and `f_locals`), and IPython's API
# (`get_ipython().push(...)`, `.run_line_magic('run', ...)`, `.run_cell(...)`, `.ex(...)`,
# `.run_code(...)`), the notebook's module by another name (`import __main__ as m`,
# `vars(__main__)`, `sys.modules[__name__]`, `mock.patch(f"{__name__}.K")`) and the
# builtins (`builtins.K = 1`). The text only says where to look, with as few scans as cover
# them all (`als()` is `globals()` and `locals()`, `_global` is `user_global_ns` and
# `f_globals`); the parsed cell says whether it binds (`cell_facts`), or the line
# (`wildcard_lines`).
_BINDS_ANY = (
    *("exec(", "als()", "vars()", "user_ns", "get_ipython", "__main__", "builtins"),
    *("modules[__name__]", "_global", "f_locals", "{__name__}."),
)


class Watched:
    """The names a migration watches and its target module, and where a text mentions them.

    A *mention* is a place where the text names a watched name or the target
    module as a whole word (`words`), or may bind any name (a star import,
    a line magic, `exec(`, `globals()`: `may_bind_any`).
    """

    def __init__(
        self, names: frozenset[str], module: str, shells: frozenset[str] = frozenset()
    ) -> None:
        self.names = names
        self.module = module
        # The notebook's names for IPython's shell (`ip = get_ipython()`): `ip.push(...)`,
        # `ip.run_cell(...)` may bind any name, as the same calls on `get_ipython()` do.
        self.shells = shells
        self._sorted_names = tuple(sorted(names))
        self._words = (*self._sorted_names, module.split(".")[0])
        self._module_import = LinePattern(rf"[ \t]*from[ \t]+{re.escape(module)}[ \t]+import\b")

    def names_or_binds_any(self, text: str) -> bool:
        """A watched name, or a line that may bind any name: what can bind or use the names."""
        for name in self._sorted_names:  # a loop, not `any`: asked of every code cell
            if has_word(text, name):
                return True
        return may_bind_any(text) or bool(self._shell_calls(text))

    def names_in(self, text: str) -> list[str]:
        """The watched names the text holds as whole words, in sorted order."""
        return [name for name in self._sorted_names if name in text and has_word(text, name)]

    def offsets(self, text: str) -> list[int]:
        """Where the text mentions a watched name or the module, or may bind any name, in order."""
        found = [offset for word in self._words for offset in word_offsets(text, word)]
        found += self._shell_calls(text)
        if not may_bind_any(text):
            # Nothing may bind any name, as in most cells: the answer is remembered for the
            # cell's text (`cell_texts` and the notebook's imports ask it too), so that
            # the text is not searched again for each binder.
            return sorted(found)
        if "*" in text:
            found += [match.start() for match in _STAR_IMPORT.finditer(text)]
        from nbrefactor.analysis.line_magics import binding_magic_offsets

        found += binding_magic_offsets(text)
        for binder in _BINDS_ANY:
            position = text.find(binder)
            while position >= 0:
                found.append(position)
                position = text.find(binder, position + len(binder))
        return sorted(found)

    def _shell_calls(self, text: str) -> list[int]:
        """Where the text names one of the `shells` as a whole word followed by a dot
        (`ip.push`): what may call IPython's API through it."""
        return [
            offset
            for shell in self.shells
            if f"{shell}." in text
            for offset in word_offsets(text, shell)
            if text.startswith(".", offset + len(shell))
        ]

    def may_import_module(self, text: str) -> bool:
        """Whether the text may import the target module in any way (`import mylib`,
        `from mylib.sub import x`): it says `import` and the module's first name as a word."""
        root = self._words[-1]
        return root in text and "import" in text and has_word(text, root)

    def imports_from_module(self, text: str) -> bool:
        if self.module not in text or "import" not in text:
            return False
        return self._module_import.search(text) is not None


def has_star_import(text: str) -> bool:
    """Whether the text holds `import *` (of any module)."""
    return "*" in text and _STAR_IMPORT.search(text) is not None


@lru_cache(maxsize=128)
def may_bind_any(text: str) -> bool:
    """Whether the text holds something that may bind names it does not show: a star
    import, a line magic (`%run`, `%pylab`: `line_magics`), `exec(`, an assignment through
    `globals()` (`_BINDS_ANY`).

    Asked of a cell's text by several questions (what the program reads, each name's
    wildcard): remembered for the last cells asked about, a notebook's worth, so that each
    cell is searched once; the text is the cell's own string, whose hash Python keeps."""
    if has_star_import(text):
        return True
    for binder in _BINDS_ANY:  # a loop, not `any`: asked of nearly every code cell
        if binder in text:
            return True
    from nbrefactor.analysis.line_magics import automagic_line, binding_magic_offsets

    if "%" in text and binding_magic_offsets(text):
        return True
    return automagic_line(text) is not None  # `run setup.py` alone in its cell


@lru_cache(maxsize=16)
def watched(names: frozenset[str], module: str, shells: frozenset[str] = frozenset()) -> Watched:
    return Watched(names, module, shells)


# A blank between `def`, the name and its `(`: a space, tab or form feed (round 64: `def\f`
# went unreported), or a backslash that ends the line (`def \` then `f(x):`, `def f\` then
# `(x):`, round 62a: such a def went unreported), the line ended as Python ends one (`\n`,
# `\r\n`, `\r`). Each alternative starts with its own character: the engine never tries
# two at one place.
DEF_BLANK = r"(?:[ \t\f]|\\(?:\r\n?|\n))"


@lru_cache(maxsize=16)
def _definition_pattern(names: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(map(re.escape, names)))
    return re.compile(rf"def{DEF_BLANK}+({alternatives}){DEF_BLANK}*[(\[]")


def defined_in(text: str, names: frozenset[str]) -> list[str]:
    """The names the text seems to `def`, in order.

    Not anchored to the line start: a cell whose lines were glued together
    still holds a def worth reporting, though it cannot be parsed.
    """
    return [name for name, _ in definitions_in(text, names)]


def definitions_in(text: str, names: frozenset[str]) -> list[tuple[str, int]]:
    """Each `def NAME(` (or `def NAME[T](`, PEP 695, which Python 3.11 cannot parse: sweep
    31, such a copy went unreported) of the names in the text, as `defined_in` finds them:
    the name and where its `def` starts. A backslash may end the line between the three
    (`def f\\` then `(x):`)."""
    # `str.find` skips from `def` to `def` at a third of the instructions the pattern's own
    # search takes (7 a byte of a realistic cell), and the pattern is matched only where a
    # `def` starts. No match can start inside another (a name holds no blank): these are
    # the matches `finditer` finds.
    pattern = _definition_pattern(names)
    found = []
    start = text.find("def")
    while start >= 0:
        match = pattern.match(text, start)
        if match is not None and (start == 0 or not is_word_character(text[start - 1])):
            found.append((match.group(1), start))
        start = text.find("def", start + 3)
    return found

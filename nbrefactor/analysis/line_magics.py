"""What an IPython line magic may bind: one table for `%name ...` lines and for
`get_ipython().run_line_magic('name', ...)`.

A line magic is code nbrefactor cannot read, run into the notebook's namespace.
Most bind nothing (`%matplotlib inline`, `%load_ext autoreload`, `%cd data`);
some bind names no text shows: `%run script.py` (the script's), `%pylab`
(numpy's and pyplot's), `%store -r` (the stored variables), rpy2's `%R -o x`,
`%rerun` (lines of the history), an extension's magic nobody listed. So a
magic binds nothing only when it is one `BINDING_NOTHING` names; any other
may bind any name, which a migration counts as a possible rebinding of the
names it replaces.

The magics whose argument is Python (`CODE_MAGICS`: `%time f(x)`) are masked
with that code left visible (`magics`), and the parser reads what the code
binds; given as a string to `run_line_magic`, the same code is hidden, and
may bind any name.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Container, Iterable
from dataclasses import dataclass

from nbrefactor.value_base import ValueBase

# Line magics whose argument is Python code (`%time f(x)`, `%timeit -n 10 f(x)`),
# with the help magics (`%pinfo smooth`), whose argument is an object's name.
# memory_profiler's `%memit` and snakeviz's `%snakeviz` take a statement too (sweep W).
CODE_MAGICS = (
    *("time", "timeit", "prun", "pinfo", "pinfo2", "pdoc", "pdef", "psource"),
    *("memit", "snakeviz"),
)

# IPython's own line magics (and ipykernel's) that bind no name in the notebook's namespace.
# Of the others, `%run`, `%pylab`, `%macro`, `%rerun`, `%edit`, `%reset`, `%xdel` and
# `%sc -l` bind or unbind names, `%time`, `%timeit`, `%prun` and `%debug` run code.
# fmt: off
IPYTHON_BINDING_NOTHING = frozenset(
    {
        "alias", "alias_magic", "autoawait", "autocall", "automagic", "autosave", "bookmark",
        "cat", "cd", "clear", "code_wrap", "colors", "conda", "config", "connect_info", "cp",
        "dhist", "dirs", "doctest_mode", "env", "gui", "hist", "history", "killbgscripts",
        "ldir", "less", "lf", "lk", "ll", "load", "load_ext", "loadpy", "logoff", "logon",
        "logstart", "logstate", "logstop", "ls", "lsmagic", "lx", "magic", "mamba", "man",
        "matplotlib", "micromamba", "mkdir", "more", "mv", "notebook", "page", "pastebin",
        "pdb", "pdef", "pdoc", "pfile", "pinfo", "pinfo2", "pip", "popd", "pprint",
        "precision", "psearch", "psource", "pushd", "pwd", "pycat", "qtconsole", "quickref",
        "recall", "rehashx", "reload_ext", "rep", "rm", "rmdir", "save", "set_env", "subshell",
        "sx", "system", "tb", "unalias", "unload_ext", "uv", "who", "who_ls", "whos", "xmode",
    }
)
# fmt: on
# Those of extensions common in notebooks: autoreload, autotime, HoloViews, TensorBoard,
# Colab, watermark.
EXTENSIONS_BINDING_NOTHING = frozenset(
    {"aimport", "autoreload", "autotime", "opts", "output", "tensorboard"}
    | {"tensorflow_version", "watermark"}
)
BINDING_NOTHING = IPYTHON_BINDING_NOTHING | EXTENSIONS_BINDING_NOTHING

# A line magic at the start of a line (not a cell magic's `%%`), and its name.
_LINE_MAGIC = re.compile(r"^[ \t]*%(\w+)", re.MULTILINE)
_CODE_MAGIC_NAMES = frozenset(CODE_MAGICS)


# The magics that bind names which IPython's automagic runs without their `%` in a cell of
# one line (`run setup.py`, `store -r f`, `pylab`, `reset -f`).
_AUTOMAGIC_BINDING = frozenset(
    {"run", "pylab", "store", "rerun", "macro", "reset", "reset_selective", "xdel", "load"}
)
_FIRST_WORD = re.compile(r"[ \t]*([A-Za-z_]\w*)(?:\s|\Z)")


def automagic_line(source: str, variables: Container[str] = frozenset()) -> str | None:
    """The line magic a cell of one line runs without its `%` (`run setup.py` is `%run
    setup.py`: IPython's automagic, on by default, applies to a cell of one line), when it
    is one that binds names; None otherwise.

    IPython's rule (`prefilter.AutoMagicChecker`, `AssignmentChecker`): the line's first word
    names a magic, is not followed by `=` or `,` (`run = 3` is Python), and is no variable
    of the notebook's namespace (`is_shadowed`). So `pylab` alone and `reset -f`, though
    they parse as Python (a name, `reset - f`), run the magic. `variables` are the magics'
    names the notebook binds before the cell (`automagic_variables`): those lines are Python
    when they parse. Asked without them (of the cell's text alone), the line is the magic:
    a line that may bind any name, the cautious reading."""
    first = _FIRST_WORD.match(source)
    if first is None or first.group(1) not in _AUTOMAGIC_BINDING:
        return None
    line = source.strip()
    if "\n" in line or "\r" in line:
        return None
    name = first.group(1)
    if line[len(name) :].lstrip()[:1] in ("=", ","):
        return None  # `run = 3`, `load, save = f, g`: an assignment IPython leaves alone
    if name in variables:
        try:
            ast.parse(line)
        except (SyntaxError, ValueError):
            return "%" + line
        return None  # `load (path)` once `load` is a variable: Python
    return "%" + line


# A Python binding of a name, as text: at a line's start an import of it, a `def`, a `class`,
# a `for` target or an assignment; anywhere `as name` or `name :=`. Each is asked of a line
# holding the name, at the name: one pattern of alternatives with `.*` between `from`,
# `import` and the name tried every `import` of a long line against every rest of it (round
# 61a: 20 s for one 140 KB comment line).
_LINE_BINDING = (
    r"[ \t]*import[ \t]+(?:[\w.]+[ \t]*,[ \t]*)*{0}\b"
    r"|[ \t]*(?:async[ \t]+)?(?:def|class|for)[ \t]+{0}\b"
    r"|[ \t]*{0}[ \t]*(?:[-+*/%&|^@]|//|\*\*|<<|>>)?=(?!=)"
)
_FROM_IMPORT = re.compile(r"[ \t]*from[ \t]")
_IMPORT_WORD = re.compile(r"\bimport\b")
_AS_BEFORE = re.compile(r"\bas[ \t]+$")


def automagic_variables(source: str, earlier: Iterable[str]) -> frozenset[str]:
    """Of the magic a cell of one line may run by automagic (`automagic_line`), its name when
    one of the `earlier` cells' texts binds it as a variable (`import pylab`, `reset = 0`),
    which IPython then runs as Python: read from the text, a binding missed reads the line
    as the magic, the cautious reading."""
    first = _FIRST_WORD.match(source)
    if first is None or first.group(1) not in _AUTOMAGIC_BINDING:
        return frozenset()
    name = first.group(1)
    return frozenset({name}) if bound_as_variable(name, earlier) else frozenset()


def bound_as_variable(name: str, earlier: Iterable[str]) -> bool:
    """Whether one of the `earlier` cells' texts binds `name` as a variable (`cd = "x"`,
    `import pylab`): IPython's automagic then leaves a line of it alone, as Python."""
    return any(name in text and _binds(text, name) for text in earlier)


def _binds(text: str, name: str) -> bool:
    """Whether a line of `text` binds `name` (`_LINE_BINDING`, `from x import name`, `as
    name`, `name :=`), each line holding it looked at once, at each place it stands."""
    at_start = re.compile(_LINE_BINDING.format(re.escape(name)))
    line_start = -1
    for found in re.finditer(rf"\b{re.escape(name)}\b", text):
        offset = found.start()
        start = text.rfind("\n", 0, offset) + 1
        if start != line_start:  # the first place in its line: the line's own tests
            line_start = start
            end = text.find("\n", offset)
            line = text[start : len(text) if end < 0 else end]
            if at_start.match(line):
                return True
            if name == "pylab" and line.lstrip(" \t").startswith("%pylab"):
                return True  # binds `pylab` too (`from matplotlib import pylab`)
            from_import = _FROM_IMPORT.match(line) and _IMPORT_WORD.search(line)
            if from_import and from_import.end() <= offset - start:
                return True
        if _AS_BEFORE.search(text, max(start, offset - 40), offset):
            return True
        if text[found.end() : found.end() + 40].lstrip(" \t").startswith(":="):
            return True
    return False


def binds_any(magic: str) -> bool:
    """Whether the line magic `magic` (`run` for `%run`), its argument unread, may bind any
    name: what `run_line_magic('run', 'setup.py')` runs."""
    return magic not in BINDING_NOTHING


def line_binds_any(line: str) -> str | None:
    """The name of the line magic the line runs (`run` for `  %run x.py`) when it may bind
    any name, else None. A code magic's visible code (`%time f = g`) is read as code: it
    binds what it shows."""
    match = _LINE_MAGIC.match(line)
    return match.group(1) if match and _binds_any_at(line, match) else None


def binding_magic_offsets(text: str) -> list[int]:
    """Where the lines of `text` that run a line magic that may bind any name start, in
    order (`line_binds_any`).

    A `%` is looked up with `str.find`, line by line: most are string formatting, and a
    magic's is its line's first character that is not indentation.
    """
    found = []
    position = text.find("%")
    while position >= 0:
        line_start = text.rfind("\n", 0, position) + 1
        if not text[line_start:position].strip(" \t"):
            match = _LINE_MAGIC.match(text, line_start)
            if match is not None and _binds_any_at(text, match):
                found.append(line_start)
        line_end = text.find("\n", position)  # no later `%` on this line starts it
        position = text.find("%", line_end) if line_end >= 0 else -1
    return found


def star_imports(magic: str | None, line: str) -> bool:
    """Whether the line magic `magic` run by `line` star-imports (numpy's `sum` over the
    builtin's): `%pylab`, unless given `--no-import-all`."""
    return magic == "pylab" and "--no-import-all" not in line


def _binds_any_at(text: str, match: re.Match[str]) -> bool:
    """`line_binds_any` of the line magic `match` found in `text`."""
    magic = match.group(1)
    if magic not in _CODE_MAGIC_NAMES:
        return binds_any(magic)
    end = text.find("\n", match.end())
    argument = text[match.end() : end if end >= 0 else len(text)]
    return argument[:1] not in (" ", "\t") or not argument.strip()  # `%time` with no code


_RUN_MAGIC = re.compile(r"%run[ \t]")


@dataclass(frozen=True, eq=False, repr=False)
class ScriptRun(ValueBase):
    """What a `%run` line runs: a script by path, with `-i` in the notebook's namespace."""

    path: str
    in_namespace: bool


def script_run(line: str) -> ScriptRun | None:
    """The script a `%run PATH` line runs (`automagic_line` gives the line a cell of one line
    `run PATH` runs); None for any other line, `%run -m module`, or a line shlex cannot
    split."""
    code = line.strip()
    if not _RUN_MAGIC.match(code):
        return None
    import shlex  # only for a `%run` line

    try:
        words = shlex.split(code.partition("run")[2], comments=True)
    except ValueError:
        return None
    options = [word for word in words if word.startswith("-")]
    arguments = [word for word in words if not word.startswith("-")]
    if "-m" in options or not arguments:
        return None
    return ScriptRun(arguments[0], "-i" in options)

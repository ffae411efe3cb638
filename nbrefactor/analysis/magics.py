"""Hide IPython syntax from the Python parser, and put it back afterwards.

Line magics (`%cd dir`), shell escapes (`!pip install x`, `files = !ls`) and
help queries (`np.mean?`) are replaced, line for line, by a placeholder name
that parses as an expression statement; `unmask` restores the original lines.
Where the line's argument is Python (`%time f(x)`, `smooth?`, `%pinfo smooth`)
it stays visible after the placeholder, so that what it names is seen (a help
query shows the object it names: after a migration, the library's function).
Cell magics are not masked: a `%%bash` cell is not Python, and even for
`%%time` nbrefactor leaves the cell alone rather than guess (as black and ruff
do).

A cell whose lines all start with the same indentation runs in IPython, which
removes it before anything else (`leading_indent`): it is removed here too,
and `unmask` puts it back on every line that is not blank.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field, replace

from nbrefactor.analysis.line_magics import CODE_MAGICS
from nbrefactor.analysis.pasted_prompts import pasted_prompt
from nbrefactor.analysis.text import split_lines
from nbrefactor.value_base import ValueBase

# Indented too: IPython removes a cell's indentation before it looks for a cell magic.
_CELL_MAGIC = re.compile(r"\A(?:[ \t]*(?:\r\n|\r|\n))*[ \t]*%%([\w.-]*)[^\r\n]*")
_LEADING_BLANK = re.compile(r"[ \t\f\r\n]*")
_HELP = re.compile(r"\A[ \t]*(?:\?{1,2}[\w.\[\]()'\"]+|[\w.\[\]()'\"]+\?{1,2})[ \t]*\Z")
# The parts of a help query (`_HELP`): indent, leading `?`s, the object, the rest.
_HELP_PARTS = re.compile(r"\A([ \t]*\?{0,2})([\w.\[\]()'\"]+)(\?{0,2}[ \t]*)\Z")
_ASSIGNED_MAGIC = re.compile(r"\A[ \t]*[\w.,\[\]][\w.,\[\] \t]*=[ \t]*[!%]")
_PLACEHOLDER_WORD = "_nbrefactor_masked_line_"
_PLACEHOLDER = _PLACEHOLDER_WORD + "{}_"
# Cheap tests for "could any line be IPython syntax?" before looking line by line: a
# line starting with `!`, `%` or `?`, one ending with `?`, an `= !`/`= %`. Each searched
# pattern starts with a literal, which the engine skips to; one starting with a set (`[\r\n]`)
# or alternatives is tried at every position of the text, three times slower on cells.
_FIRST_LINE_IPYTHON = re.compile(r"[ \t]*[!%?]")
_LINE_START_IPYTHON = re.compile(r"\n[ \t]*[!%?]")
_CR_LINE_START_IPYTHON = re.compile(r"\r[ \t]*[!%?]")
_HELP_AT_LINE_END = re.compile(r"\?[ \t]*(?:[\r\n]|\Z)")
_ASSIGNED_IPYTHON = re.compile(r"=[ \t]*[!%]")
# Line magics whose argument is Python code (`line_magics.CODE_MAGICS`): `%time f(x)`,
# `%timeit -n 10 f(x)`, `%pinfo smooth` (the help queries' magics).
# No two adjacent quantifiers here (or above) can match the same characters:
# they see user text, and must not backtrack.
_CODE_MAGIC = re.compile(
    rf"\A([ \t]*)(%(?:{'|'.join(CODE_MAGICS)})[ \t]+"
    r"(?:-[A-Za-z]+\d*(?:[ \t]+\d+)?[ \t]+)*)(\S.*)\Z"
)

# A compound statement (`%time for x in y: f(x)`, `%time def f(): ...`), which cannot follow
# the placeholder after a `;` on its line (sweep 28: the cell fell back to masking every
# `%time` line whole, and the `def` it binds was not seen).
_COMPOUND = re.compile(r"(?:async[ \t]+)?(?:def|class|for|while|with|if|try)\b|@")


def compound_magic_code(line: str) -> str | None:
    """The Python code of a `%time`/`%timeit`/`%prun` line when it is a compound statement,
    masked whole (`mask_magics`); None for any other line."""
    code_magic = _CODE_MAGIC.match(line)
    if code_magic is None or not _COMPOUND.match(code_magic.group(3)):
        return None
    return code_magic.group(3)


# Cell magics whose body is Python. Their cells are read (calls in them count)
# but never edited.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})


def cell_magic(source: str) -> str | None:
    """The name of the cell magic the source starts with (`bash` for `%%bash`), or None."""
    match = _CELL_MAGIC.match(source)
    return match.group(1) if match else None


def indented_alone(source: str) -> bool:
    """Whether the cell's first line that is not blank is indented and a line after it is not,
    or less: IPython 9 removes only the indentation every line has (`leading_indent`), and
    finds no cell magic on that line (`  %%writefile x.py`): the line raises IndentationError,
    and nothing runs. IPython 8 removes the first line's indentation, and runs the magic
    (round 62a M2: such a cell was called a %%writefile cell)."""
    leading_blank = _LEADING_BLANK.match(source)
    first = leading_blank.end() if leading_blank else 0
    line_start = max(source.rfind("\n", 0, first), source.rfind("\r", 0, first)) + 1
    return line_start < first < len(source) and not without_indent(source).indent


def without_cell_magic(source: str) -> str:
    """The body of a cell-magic cell: the source without its `%%name ...` line."""
    return _CELL_MAGIC.sub("", source, count=1)


# The cell magics that run the Python statement on their line, after their options, before
# the cell: `%%timeit`'s setup, `%%prun`'s and `%%debug`'s statement (IPython appends the
# cell to it). Their options that take a value (`-n 10`, `-s cumulative`).
LINE_CODE_OPTIONS = {
    "timeit": ("-n", "-r", "-p"),
    "prun": ("-D", "-l", "-s", "-T"),
    "debug": ("--breakpoint", "-b"),
}


def line_code(magic: str, magic_line: str) -> str:
    """The Python statement on the line of a `LINE_CODE_OPTIONS` cell magic, after its
    options (`%%timeit -n1 setup()`, `%%prun -q f(2)`); "" when there is none."""
    rest = magic_line.strip().removeprefix(f"%%{magic}")
    with_value = LINE_CODE_OPTIONS[magic]
    position = 0
    expects_value = False
    while True:
        while position < len(rest) and rest[position] in " \t":
            position += 1
        end = position
        while end < len(rest) and rest[end] not in " \t":
            end += 1
        word = rest[position:end]
        if expects_value and (magic != "timeit" or word.isdigit()):  # timeit's are numbers
            expects_value = False
        elif word[:1] == "-" and (word[1:2].isalpha() or (magic == "debug" and word[:2] == "--")):
            expects_value = word in with_value
        else:
            return rest[position:]
        position = end


@dataclass(frozen=True, eq=False, repr=False)
class MaskedSource(ValueBase):
    """Source with IPython lines replaced by placeholders, and how to restore them."""

    text: str
    originals: dict[str, str]  # placeholder line (no ending) -> original line (no ending)
    prefixes: dict[str, str] = field(default_factory=dict)  # placeholder prefix -> magic prefix
    suffixes: dict[str, str] = field(default_factory=dict)  # placeholder prefix -> `?` after
    indent: str = ""  # the indentation removed from every line that is not blank

    def unmask(self, text: str) -> str:
        if not self.originals and not self.prefixes and not self.indent:
            return text
        lines = []
        for line in split_lines(text):
            body = line.rstrip("\r\n")
            ending = line[len(body) :]
            if body in self.originals:
                body = self.originals[body]
            else:
                for placeholder, prefix in self.prefixes.items():
                    if body.startswith(placeholder):
                        suffix = self.suffixes.get(placeholder, "")
                        body = prefix + body[len(placeholder) :] + suffix
                        break
            if self.indent and not _is_blank(body):
                body = self.indent + body
            lines.append(body + ending)
        return "".join(lines)


class MaskingError(Exception):
    """IPython syntax that cannot be masked with certainty; the message says where."""


def mask_magics(source: str, keep_magic_code: bool = True) -> MaskedSource:
    """Mask every IPython-only line of a cell that is not a cell magic, its leading
    indentation removed (`without_indent`).

    With `keep_magic_code`, the Python argument of `%time`/`%timeit`/`%prun`
    stays visible (`%time f(x)` becomes `<placeholder>; f(x)`), so calls in it
    are seen and can be renamed; so does the object of a help query (`smooth?`
    becomes `<placeholder>; smooth`, `%pinfo smooth` as `%time`).
    """
    unindented = without_indent(source)
    if unindented.indent:
        masked = mask_magics(unindented.text, keep_magic_code)
        return replace(masked, indent=unindented.indent)
    prompt = pasted_prompt(source)
    if prompt is not None:
        raise MaskingError(f"IPython prompts pasted with the code ({prompt})")
    if not _maybe_ipython(source):
        return MaskedSource(text=source, originals={})
    lines = split_lines(source)
    in_strings = _string_lines(source) if '"""' in source or "'''" in source else frozenset()
    clash = _PLACEHOLDER_WORD in source  # looked up once, not once per masked line
    originals: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    suffixes: dict[str, str] = {}
    masked_lines = []
    first_line = True  # no line that is not blank seen yet
    for number, line in enumerate(lines, start=1):
        body = line.rstrip("\r\n")
        if not is_ipython_line(body) or number in in_strings:
            masked_lines.append(line)
            first_line = first_line and not body.strip()
            continue
        if body.rstrip().endswith("\\"):
            raise MaskingError(f"line {number}: IPython magic continues on the next line")
        if not first_line and body.lstrip().startswith("%%"):
            # IPython runs it as a line magic named `%time`, which does not exist: the cell
            # stops there, and nothing below it runs (re-check 46).
            magic = body.strip().split()[0]
            raise MaskingError(f"line {number}: cell magic {magic} below the cell's first line")
        first_line = False
        indent = body[: len(body) - len(body.lstrip())]
        placeholder = indent + _PLACEHOLDER.format(len(originals) + len(prefixes))
        if clash:
            raise MaskingError(f"line {number}: the cell already contains {_PLACEHOLDER_WORD}")
        code_magic = _CODE_MAGIC.match(body) if keep_magic_code else None
        if code_magic and _COMPOUND.match(code_magic.group(3)):
            code_magic = None  # `%time def f(): ...`: masked whole, read by `magic_facts`
        help_query = _HELP_PARTS.match(body) if keep_magic_code and not code_magic else None
        if code_magic:
            prefixes[placeholder + "; "] = code_magic.group(1) + code_magic.group(2)
            masked_lines.append(placeholder + "; " + code_magic.group(3) + line[len(body) :])
        elif help_query:
            prefixes[placeholder + "; "] = help_query.group(1)
            suffixes[placeholder + "; "] = help_query.group(3)
            masked_lines.append(placeholder + "; " + help_query.group(2) + line[len(body) :])
        else:
            originals[placeholder] = body
            masked_lines.append(placeholder + line[len(body) :])
    return MaskedSource("".join(masked_lines), originals, prefixes, suffixes)


def _string_lines(source: str) -> frozenset[int]:
    """The lines (from 1) that continue a string begun on a line above (a usage text's
    `%prog [options]`): IPython finds the lines it transforms by tokenizing the cell, and
    leaves those alone. Asked only of a cell with a triple quote; where the cell cannot be
    tokenized to its end, the lines found up to there."""
    found: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                found.update(range(token.start[0] + 1, token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        pass
    return frozenset(found)


def without_indent(source: str) -> MaskedSource:
    """The cell without its leading indentation, as IPython runs it; the source itself
    (no `indent`) when it has none.

    IPython removes the indentation of a cell's first line that is not blank from
    its lines (IPython 8; 9 removes the indentation they all share). Only when
    every line that is not blank starts with that indentation is it removed here,
    where both agree: other cells stay as they are, and do not parse. Blank lines
    stay as they are, so that `unmask` knows which lines to indent again.
    """
    leading_blank = _LEADING_BLANK.match(source)
    first = leading_blank.end() if leading_blank else 0
    if first in (0, len(source)):
        return MaskedSource(source, {})
    line_start = max(source.rfind("\n", 0, first), source.rfind("\r", 0, first)) + 1
    indent = source[line_start:first]
    if not indent or indent.strip(" \t"):
        return MaskedSource(source, {})  # a form feed: left alone
    lines = []
    for line in split_lines(source):
        if _is_blank(line):
            lines.append(line)
        elif line.startswith(indent):
            lines.append(line[len(indent) :])
        else:
            return MaskedSource(source, {})
    return MaskedSource("".join(lines), {}, indent=indent)


def _is_blank(line: str) -> bool:
    """A line Python's tokenizer skips: spaces, tabs and form feeds only."""
    return not line.strip(" \t\f\r\n")


def _maybe_ipython(source: str) -> bool:
    """Whether any line of the source could be IPython syntax (`is_ipython_line`)."""
    bang_or_percent = "!" in source or "%" in source
    if not bang_or_percent and "?" not in source:
        return False
    if _FIRST_LINE_IPYTHON.match(source) or _LINE_START_IPYTHON.search(source):
        return True
    if "\r" in source and _CR_LINE_START_IPYTHON.search(source):
        return True
    if "?" in source and _HELP_AT_LINE_END.search(source):
        return True
    return bang_or_percent and _ASSIGNED_IPYTHON.search(source) is not None


def is_ipython_line(line: str) -> bool:
    stripped = line.lstrip()
    if stripped.startswith(("!", "%")):
        return True
    return bool(_HELP.match(line) or _ASSIGNED_MAGIC.match(line))

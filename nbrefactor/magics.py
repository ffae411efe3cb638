"""Hide IPython syntax from the Python parser, and put it back afterwards.

Line magics (`%cd dir`), shell escapes (`!pip install x`, `files = !ls`) and
help queries (`np.mean?`) are replaced, line for line, by a placeholder name
that parses as an expression statement; `unmask` restores the original lines.
Cell magics are not masked: a `%%bash` cell is not Python, and even for
`%%time` nbrefactor leaves the cell alone rather than guess (as black and ruff
do).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_CELL_MAGIC = re.compile(r"\A(?:[ \t]*(?:\r\n|\r|\n))*%%([\w.-]*)")
_HELP = re.compile(r"\A[ \t]*(?:\?{1,2}[\w.\[\]()'\"]+|[\w.\[\]()'\"]+\?{1,2})[ \t]*\Z")
_ASSIGNED_MAGIC = re.compile(r"\A[ \t]*[\w.,\[\] \t]+=[ \t]*[!%]")
_PLACEHOLDER = "_nbrefactor_masked_line_{}_"

# Cell magics whose body is Python. Their cells are read (calls in them count)
# but never edited.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})


def split_lines(text: str) -> list[str]:
    """Lines with their endings, splitting only at \\n, \\r\\n and \\r as Python does."""
    return _LINE.findall(text)


def cell_magic(source: str) -> str | None:
    """The name of the cell magic the source starts with (`bash` for `%%bash`), or None."""
    match = _CELL_MAGIC.match(source)
    return match.group(1) if match else None


@dataclass(frozen=True)
class MaskedSource:
    """Source with IPython lines replaced by placeholders, and how to restore them."""

    text: str
    originals: dict[str, str]  # placeholder line (no ending) -> original line (no ending)

    def unmask(self, text: str) -> str:
        if not self.originals:
            return text
        lines = []
        for line in split_lines(text):
            body = line.rstrip("\r\n")
            lines.append(self.originals.get(body, body) + line[len(body) :])
        return "".join(lines)


class MaskingError(Exception):
    """IPython syntax that cannot be masked with certainty; the message says where."""


def mask_magics(source: str) -> MaskedSource:
    """Mask every IPython-only line of a cell that is not a cell magic."""
    lines = split_lines(source)
    originals: dict[str, str] = {}
    masked_lines = []
    for number, line in enumerate(lines, start=1):
        body = line.rstrip("\r\n")
        if is_ipython_line(body):
            if body.rstrip().endswith("\\"):
                raise MaskingError(f"line {number}: IPython magic continues on the next line")
            indent = body[: len(body) - len(body.lstrip())]
            placeholder = indent + _PLACEHOLDER.format(len(originals))
            if placeholder.strip() in source:
                raise MaskingError(f"line {number}: the cell already contains {placeholder.strip()}")
            originals[placeholder] = body
            masked_lines.append(placeholder + line[len(body) :])
        else:
            masked_lines.append(line)
    return MaskedSource(text="".join(masked_lines), originals=originals)


def is_ipython_line(line: str) -> bool:
    stripped = line.lstrip()
    if stripped.startswith(("!", "%")):
        return True
    return bool(_HELP.match(line) or _ASSIGNED_MAGIC.match(line))

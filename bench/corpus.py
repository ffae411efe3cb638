"""Corpora made from the project's fixtures: copies varied in ways that do not change
the migration, and one big notebook with large (fake) PNG outputs."""

from __future__ import annotations

import base64
import builtins
import copy
import dataclasses
import json
import keyword
import random
import re
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path

from repo import DEMO, FIXTURES, BenchError

BIG_NOTEBOOK_BYTES = 50 * 1024 * 1024
BIG_NOTEBOOK_IMAGES = 6


@dataclasses.dataclass(frozen=True)
class Style:
    """How a fixture file was serialised, so that its copies are written the same way."""

    indent: int | None
    ensure_ascii: bool
    final_newline: bool

    @classmethod
    def of(cls, text: str) -> Style:
        first_key = re.match(r"\{\r?\n([ ]*)\"", text)
        return cls(
            indent=len(first_key.group(1)) if first_key else None,
            ensure_ascii=text.isascii() and "\\u" in text,
            final_newline=text.endswith("\n"),
        )

    def dumps(self, notebook: dict) -> str:
        text = json.dumps(notebook, indent=self.indent, ensure_ascii=self.ensure_ascii)
        return text + "\n" if self.final_newline else text


@dataclasses.dataclass(frozen=True)
class Template:
    stem: str
    notebook: dict
    style: Style


@dataclasses.dataclass(frozen=True)
class Corpus:
    """A folder of notebooks and how many of them there are."""

    label: str
    path: Path
    count: int


def load_template(path: Path) -> Template:
    text = path.read_text(encoding="utf-8")
    return Template(path.name.removesuffix(".ipynb"), json.loads(text), Style.of(text))


def fixture_templates() -> tuple[list[Template], list[Template]]:
    """(a) inputs with an expected result; (b) expected results and no-op inputs."""
    expected = sorted(FIXTURES.glob("*.expected.ipynb"))
    inputs = [path.with_name(path.name.replace(".expected.ipynb", ".ipynb")) for path in expected]
    noops = sorted(FIXTURES.glob("noop_*.ipynb"))
    if not inputs or not noops:
        raise BenchError(f"no fixtures found in {FIXTURES}")
    with_definitions = [load_template(path) for path in inputs]
    migrated = [load_template(path) for path in [*expected, *noops]]
    return with_definitions, migrated


def without_library_definitions(templates: list[Template], names: frozenset[str]) -> list[Template]:
    """The templates none of whose code cells holds a `def` of a library name.

    Corpus (b) keeps the definitions that a migration leaves in place (calls
    that do not bind, a cell that does not parse, a method of that name); such
    notebooks are analysed on every run. Corpus (c) is (b) without them.
    """
    definition = library_definition(names)
    return [
        template
        for template in templates
        if not defines_library_name(template.notebook, definition)
    ]


def library_definition(names: frozenset[str]) -> re.Pattern[str]:
    return re.compile(rf"\bdef\s+({'|'.join(map(re.escape, sorted(names)))})\s*\(")


def defines_library_name(notebook: dict, definition: re.Pattern[str]) -> bool:
    """Whether a code cell of the notebook holds a `def` of a library name."""
    for cell in notebook.get("cells", []):
        source = cell.get("source", "")
        text = source if isinstance(source, str) else "".join(source)
        if cell.get("cell_type") == "code" and definition.search(text):
            return True
    return False


def build_corpus(corpus: Corpus, templates: Sequence[Template], protected: frozenset[str]) -> int:
    """Write `corpus.count` varied copies of the templates, round robin; return how many are distinct."""
    corpus.path.mkdir(parents=True)
    texts = set()
    for index in range(corpus.count):
        template = templates[index % len(templates)]
        copy_number = index // len(templates) + 1
        text = template.style.dumps(vary(template.notebook, copy_number, protected))
        (corpus.path / f"{index:05d}_{template.stem}.ipynb").write_text(text, encoding="utf-8")
        texts.add(text)
    return len(texts)


def vary(notebook: dict, copy_number: int, protected: frozenset[str]) -> dict:
    """A copy of the notebook changed a little, in ways that do not affect the migration.

    Bumps the title version, renames a variable that is no library name, keyword
    or parameter, changes an integer literal outside definitions, and drops (odd
    copies) or duplicates (even copies) a cell that has nothing to do with the
    library. A notebook without cells gets a markdown cell.
    """
    notebook = copy.deepcopy(notebook)
    cells = notebook.get("cells", [])
    if not cells:
        cell = {
            "cell_type": "markdown",
            "metadata": {},
            "source": [f"Scratch notes, copy {copy_number}."],
        }
        if notebook.get("nbformat_minor", 0) >= 5:
            cell["id"] = f"scratch-{copy_number}"
        cells.append(cell)
        return notebook
    title = _bump_title_version(cells, copy_number)
    _rename_variable(cells, copy_number, protected)
    _change_literal(cells, copy_number)
    _drop_or_duplicate_cell(cells, copy_number, protected, title)
    return notebook


def _lines(cell: dict) -> list[str]:
    source = cell.get("source", "")
    return list(source) if isinstance(source, list) else source.splitlines(keepends=True)


def _set_lines(cell: dict, lines: list[str]) -> None:
    """Store lines back in the shape the source had (list of lines or one string)."""
    cell["source"] = lines if isinstance(cell.get("source"), list) else "".join(lines)


def _text(cell: dict) -> str:
    return "".join(_lines(cell))


_VERSION = re.compile(r"\bv(\d+)\.(\d+)\.(\d+)\b")


def _bump_title_version(cells: list[dict], copy_number: int) -> int | None:
    """Add the copy number to the patch version of the first versioned heading; its cell index."""
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            continue
        lines = _lines(cell)
        heading = next((number for number, line in enumerate(lines) if line.startswith("#")), None)
        if heading is None or not _VERSION.search(lines[heading]):
            continue
        lines[heading] = _VERSION.sub(
            lambda match: f"v{match[1]}.{match[2]}.{int(match[3]) + copy_number}",
            lines[heading],
            count=1,
        )
        _set_lines(cell, lines)
        return index
    return None


_ASSIGNMENT = re.compile(r"^([A-Za-z_]\w*)[ \t]*=(?!=)", re.MULTILINE)


def _rename_candidates(cells: list[dict], protected: frozenset[str]) -> list[str]:
    """Names assigned at the top of a plain code cell and used only as plain variables."""
    code = [_text(cell) for cell in cells if cell.get("cell_type") == "code"]
    plain = [text for text in code if not text.startswith("%%") and "def " not in text]
    with_defs = [text for text in code if "def " in text]
    everything = "\n".join(code)
    candidates = []
    for name in dict.fromkeys(match[1] for text in plain for match in _ASSIGNMENT.finditer(text)):
        if name in protected or keyword.iskeyword(name) or hasattr(builtins, name):
            continue
        used_otherwise = (
            rf"[(,][ \t]*{name}[ \t]*=(?!=)"  # a keyword argument or parameter default
            rf"|^[ \t]+{name}[ \t]*=(?!=)"  # the same, on its own line
            rf"|\bimport\b.*\b{name}\b"
            rf"|\b(?:def|class)[ \t]+{name}\b"
        )
        if re.search(used_otherwise, everything, re.MULTILINE):
            continue
        if any(re.search(rf"(?<![\w.]){name}(?!\w)", text) for text in with_defs):
            continue
        candidates.append(name)
    return candidates


def _rename_variable(cells: list[dict], copy_number: int, protected: frozenset[str]) -> None:
    candidates = _rename_candidates(cells, protected)
    if not candidates:
        return
    name = candidates[copy_number % len(candidates)]
    pattern = re.compile(rf"(?<![\w.]){name}(?!\w)")
    for cell in cells:
        if cell.get("cell_type") == "code":
            _set_lines(cell, [pattern.sub(f"{name}_v{copy_number}", line) for line in _lines(cell)])


_INTEGER = re.compile(r"(?<![\w.])(?:0|[1-9]\d*)(?![\w.])")


def _change_literal(cells: list[dict], copy_number: int) -> None:
    """Add the copy number to one integer literal in a code cell without definitions."""
    places = []
    for cell in cells:
        text = _text(cell)
        if cell.get("cell_type") != "code" or text.startswith("%%") or "def " in text:
            continue
        for number, line in enumerate(_lines(cell)):
            if not line.lstrip().startswith(("!", "%")):
                places.extend((cell, number, match) for match in _INTEGER.finditer(line))
    if not places:
        return
    cell, number, match = places[copy_number % len(places)]
    lines = _lines(cell)
    line = lines[number]
    lines[number] = line[: match.start()] + str(int(match[0]) + copy_number) + line[match.end() :]
    _set_lines(cell, lines)


def _names_in_definitions(cells: list[dict]) -> set[str]:
    """The words of the cells that hold a `def`: a variable a definition reads keeps it
    (it is a notebook variable), so the cell that sets one is not unrelated to the library."""
    return set(
        re.findall(r"\w+", "\n".join(_text(cell) for cell in cells if "def " in _text(cell)))
    )


def _drop_or_duplicate_cell(
    cells: list[dict], copy_number: int, protected: frozenset[str], title: int | None
) -> None:
    first = 1 if title is None else title + 1
    read = _names_in_definitions(cells)
    unrelated = [
        index
        for index in range(first, len(cells))
        if not any(name in _text(cells[index]) for name in protected)
        and "import" not in _text(cells[index])
        and "def " not in _text(cells[index])
        and not any(match[1] in read for match in _ASSIGNMENT.finditer(_text(cells[index])))
    ]
    if not unrelated:
        return
    index = unrelated[copy_number % len(unrelated)]
    if copy_number % 2:
        del cells[index]
        return
    duplicate = copy.deepcopy(cells[index])
    if isinstance(duplicate.get("id"), str):
        duplicate["id"] = f"{duplicate['id']}-d{copy_number}"[-64:]
    cells.insert(index + 1, duplicate)


def build_big_notebook(path: Path) -> int:
    """The demo plus large base64 PNG `display_data` outputs in several code cells; its size."""
    template = load_template(DEMO)
    notebook = copy.deepcopy(template.notebook)
    code_cells = [cell for cell in notebook["cells"] if cell.get("cell_type") == "code"]
    per_image = (
        BIG_NOTEBOOK_BYTES - len(template.style.dumps(notebook).encode())
    ) // BIG_NOTEBOOK_IMAGES
    generator = random.Random(0)
    for number, cell in enumerate(code_cells[:BIG_NOTEBOOK_IMAGES]):
        png = _fake_png(
            generator.randbytes(per_image * 3 // 4 - 64), width=1200 + number, height=600
        )
        cell.setdefault("outputs", []).append(
            {
                "data": {
                    "image/png": base64.b64encode(png).decode("ascii") + "\n",
                    "text/plain": [f"<Figure size {1200 + number}x600 with 1 Axes>"],
                },
                "metadata": {"needs_background": "light"},
                "output_type": "display_data",
            }
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(template.style.dumps(notebook), encoding="utf-8")
    return path.stat().st_size


def _fake_png(payload: bytes, width: int, height: int) -> bytes:
    """A PNG container (signature, IHDR, one IDAT, IEND with valid CRCs) around `payload`."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", payload)
        + chunk(b"IEND", b"")
    )

"""A module beside a single-file library named like a standard module, which a kernel does
not run (`analysis/standard_siblings.py`, `analysis/kernel_modules.py`): round 62a K1."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import code, notebook_text

from nbrefactor.cli import main

INLINE = "def f(x):\n    return x * 2"
# A standard module of another platform only (sys.stdlib_module_names lists it): none here
OTHER_PLATFORM = "termios" if os.name == "nt" else "msvcrt"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PYTHONPATH", raising=False)


def _kept(sibling: str, path_line: str) -> list[str]:
    """The codes kept when lib/mylib.py imports `sibling`, whose lib/ file prints, and the
    notebook runs `path_line` first."""
    Path("lib").mkdir()
    Path("lib/mylib.py").write_text(f"import {sibling}\n\n\n{INLINE}\n", encoding="utf-8")
    Path(f"lib/{sibling}.py").write_text(f"print('lib {sibling}.py ran')\n", encoding="utf-8")
    cells = [f"import sys\n{path_line}", INLINE, "print(f(2))"]
    Path("nb.ipynb").write_text(notebook_text(*(code(cell) for cell in cells)), encoding="utf-8")
    options = ["--check", "--jobs", "1", "--output-format", "json", "--module", "lib/mylib.py"]
    result = CliRunner().invoke(main, ["migrate", *options, "nb.ipynb"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    (entry,) = json.loads(result.stdout)["notebooks"]
    return [found["code"] for found in entry["kept"]]


@pytest.mark.parametrize(
    ("sibling", "path_line", "kept"),
    [
        # `string` is in a fresh kernel's sys.modules: the standard one, wherever lib is
        ("string", "sys.path.append('lib')", []),
        ("string", "sys.path.insert(0, 'lib')", []),
        # `colorsys` is not: the standard library's folders come before an appended one
        ("colorsys", "sys.path.append('lib')", []),
        ("colorsys", "sys.path.extend(['lib'])", []),
        # searched before the standard library: lib/colorsys.py runs
        ("colorsys", "sys.path.insert(0, 'lib')", ["NBR242"]),
        ("colorsys", "sys.path.insert(1, 'lib')", ["NBR242"]),
        ("colorsys", "sys.path.append('lib')\nsys.path.insert(0, 'lib')", ["NBR242"]),
        ("colorsys", "sys.path.append('lib')\nsys.path.reverse()", ["NBR242"]),
        # its .pth files' import lines may put lib first (round 64 F6): not known
        ("colorsys", "import site\nsite.addsitedir('lib')", ["NBR242"]),
        # not a standard module
        ("loud", "sys.path.append('lib')", ["NBR242"]),
        # an extension module of the standard library (lib-dynload), found from a virtual
        # environment too (round 66: its platstdlib holds no lib-dynload)
        ("cmath", "sys.path.append('lib')", []),
        ("mmap", "sys.path.append('lib')", []),
        # a standard module of another platform: lib's file is found (round 64 F4)
        (OTHER_PLATFORM, "sys.path.append('lib')", ["NBR242"]),
    ],
)
def test_a_sibling_named_like_a_standard_module_runs_only_when_found_first(
    sibling: str, path_line: str, kept: list[str]
) -> None:
    assert _kept(sibling, path_line) == kept


def test_a_sibling_found_first_on_pythonpath_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", "lib")
    assert _kept("colorsys", "sys.path.append('lib')") == ["NBR242"]


@pytest.mark.parametrize(("sibling", "kept"), [("colorsys", []), ("helper", ["NBR274"])])
def test_a_standard_module_is_not_said_found_beside_the_notebook(
    sibling: str, kept: list[str]
) -> None:
    """The notebook's own colorsys.py comes after the standard library too: with lib only
    appended, `import colorsys` binds the standard module, not it (NBR274 said it)."""
    Path("lib").mkdir()
    Path("lib/mylib.py").write_text(f"import {sibling}\n\n\n{INLINE}\n", encoding="utf-8")
    Path(f"lib/{sibling}.py").write_text("X = 1\n", encoding="utf-8")
    Path(f"{sibling}.py").write_text("X = 2\n", encoding="utf-8")
    cells = ["import sys\nsys.path.append('lib')", INLINE, "print(f(2))"]
    Path("nb.ipynb").write_text(notebook_text(*(code(cell) for cell in cells)), encoding="utf-8")
    options = ["--check", "--jobs", "1", "--output-format", "json", "--module", "lib/mylib.py"]
    result = CliRunner().invoke(main, ["migrate", *options, "nb.ipynb"])
    (entry,) = json.loads(result.stdout)["notebooks"]
    assert [found["code"] for found in entry["kept"]] == kept

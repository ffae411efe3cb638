"""A library importing names from a module the kernel binds as its own while its folder
holds a file of that name (`analysis/kernel_bound.py`, `NBR279`): round 70a N1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import code, notebook_text

from nbrefactor.cli import main

INLINE = "def f(x):\n    return x * 2"
APPEND = "sys.path.append('lib')"
INSERT = "sys.path.insert(0, 'lib')"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PYTHONPATH", raising=False)


def _entry(library_line: str, sibling: str | None, path_line: str, folder: str = "lib") -> dict:
    """The JSON report's entry when `folder`/mylib.py starts with `library_line`, `sibling`
    (when not None) is a module of `folder` defining `custom` and printing, and the
    notebook runs `path_line` first."""
    Path(folder).mkdir(exist_ok=True)
    text = f"{library_line}\n\n\n{INLINE}\n"
    Path(folder, "mylib.py").write_text(text, encoding="utf-8")
    if sibling is not None:
        body = "print('my module ran')\n\n\ndef custom(x):\n    return x\n"
        Path(folder, f"{sibling}.py").write_text(body, encoding="utf-8")
    cells = [f"import sys\n{path_line}", INLINE, "print(f(2))"]
    Path("nb.ipynb").write_text(notebook_text(*(code(cell) for cell in cells)), encoding="utf-8")
    module = str(Path(folder, "mylib.py"))
    options = ["--check", "--jobs", "1", "--output-format", "json", "--module", module]
    result = CliRunner().invoke(main, ["migrate", *options, "nb.ipynb"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    (entry,) = json.loads(result.stdout)["notebooks"]
    return entry


@pytest.mark.parametrize(
    ("library_line", "sibling", "path_line", "kept"),
    [
        # a kernel holds python-dateutil and packaging: lib's file never runs (round 70a P3)
        ("import dateutil", "dateutil", INSERT, []),
        ("import packaging", "packaging", APPEND, []),
        # names taken from the kernel's module, which may not have them (ImportError)
        ("from dateutil import custom", "dateutil", INSERT, ["NBR279"]),
        ("from packaging import custom", "packaging", INSERT, ["NBR279"]),
        ("from comm import custom", "comm", APPEND, ["NBR279"]),
        ("import dateutil.custom", "dateutil", INSERT, ["NBR279"]),
        ("from string import custom", "string", INSERT, ["NBR279"]),
        ("from string import custom", "string", APPEND, ["NBR279"]),
        # an attribute read when the library is imported: the kernel's may lack it (round
        # 72b: AttributeError); one read in a function's body is read by the copy alike
        ("import dateutil\nK = dateutil.custom(1)", "dateutil", INSERT, ["NBR279"]),
        ("import dateutil as du\n@du.custom\ndef g():\n    pass", "dateutil", INSERT, ["NBR279"]),
        ("import dateutil\ndef g():\n    return dateutil.custom(1)", "dateutil", INSERT, []),
        # ... unless the file calls it when imported, or decorates with it (round 73a F1)
        (
            "import dateutil\ndef g():\n    return dateutil.custom(1)\nK = g()",
            "dateutil",
            INSERT,
            ["NBR279"],
        ),
        (
            "def g():\n    from dateutil import custom\n    return custom\nK = [g()]",
            "dateutil",
            INSERT,
            ["NBR279"],
        ),
        (
            "import dateutil\ndef reg(fn):\n    dateutil.custom(fn)\n    return fn\n"
            + "@reg\ndef h():\n    pass",
            "dateutil",
            INSERT,
            ["NBR279"],
        ),
        ("def g():\n    from dateutil import custom\n    return custom", "dateutil", INSERT, []),
        # named, not called (round 75b F6: K = _make was taken to run it)
        (
            "def g():\n    from dateutil import custom\n    return custom\nK = g",
            "dateutil",
            INSERT,
            [],
        ),
        (
            "def g():\n    from dateutil import custom\n    return custom\n"
            + "def h(cb=g):\n    return cb",
            "dateutil",
            INSERT,
            [],
        ),
        # a class called, its method called, a lambda called (round 75b F2)
        (
            "import dateutil\nclass A:\n    def __init__(self):\n        self.v = dateutil.custom(1)"
            + "\nINST = A()",
            "dateutil",
            INSERT,
            ["NBR279"],
        ),
        (
            "import dateutil\nclass A:\n    def m(self):\n        return dateutil.custom(1)"
            + "\nV = A().m()",
            "dateutil",
            INSERT,
            ["NBR279"],
        ),
        (
            "import dateutil\n_make = lambda: dateutil.custom(1)\nK = _make()",
            "dateutil",
            INSERT,
            ["NBR279"],
        ),
        ("import dateutil\nK = (lambda: dateutil.custom(1))()", "dateutil", INSERT, ["NBR279"]),
        # ... not when only defined
        (
            "import dateutil\nclass A:\n    def __init__(self):\n        self.v = dateutil.custom(1)",
            "dateutil",
            INSERT,
            [],
        ),
        ("import dateutil\n_make = lambda: dateutil.custom(1)", "dateutil", INSERT, []),
        # an annotation is computed when the def runs, unless postponed (reading the change
        # again: the walk's own list of what a def computes left annotations out)
        ("import dateutil\ndef g(x: dateutil.custom):\n    pass", "dateutil", INSERT, ["NBR279"]),
        (
            "from __future__ import annotations\nimport dateutil\n"
            + "def g(x: dateutil.custom):\n    pass",
            "dateutil",
            INSERT,
            [],
        ),
        # what a class statement or a call of a class runs, a function handed on (76a F4)
        *(
            (f"import dateutil, functools\n{text}", "dateutil", INSERT, ["NBR279"])
            for text in (
                "class M(type):\n    def __init__(cls, *a):\n        dateutil.custom(1)\n"
                + "class A(metaclass=M):\n    pass",
                "class A:\n    def __init_subclass__(cls):\n        dateutil.custom(1)\n"
                + "class B(A):\n    pass",
                "class A:\n    @property\n    def p(self):\n        return dateutil.custom(1)\n"
                + "V = A().p",
                "class A:\n    def __init__(self):\n        dateutil.custom(1)\n"
                + "class B(A):\n    pass\nINST = B()",
                "class A:\n    def __init__(self):\n        dateutil.custom(1)\n"
                + "    @classmethod\n    def make(cls):\n        return cls()\nINST = A.make()",
                "def _make(n):\n    return dateutil.custom(n)\nK = functools.partial(_make, 1)()",
                "def _make(n):\n    return dateutil.custom(n)\nK = list(map(_make, [1]))",
                "K = sorted([1], key=lambda n: dateutil.custom(n))",
            )
        ),
        # a method call on another object runs no method of the file's (round 76a F5)
        *(
            (f"import os, dateutil\n{text}", "dateutil", INSERT, [])
            for text in (
                "class R:\n    def format(self):\n        return dateutil.custom(1)\n"
                + "MSG = '{}'.format(1)",
                "class P:\n    def join(self):\n        return dateutil.custom(1)\n"
                + "X = os.path.join('a', 'b')",
                "class A:\n    def __init__(self):\n        dateutil.custom(1)\n"
                + "OK = isinstance(1, A)",
            )
        ),
        # ... unless read when the def runs all the same (round 73a F2)
        (
            "from __future__ import annotations\nimport functools\nimport dateutil\n"
            + "@functools.singledispatch\ndef show(x):\n    return 0\n"
            + "@show.register\ndef _(x: dateutil.custom):\n    return 1",
            "dateutil",
            INSERT,
            ["NBR279"],
        ),
        (
            "from __future__ import annotations\nimport functools\nimport dateutil\n"
            + "@functools.singledispatch\ndef show(x):\n    return 0\n"
            + "@show.register(int)\ndef _(x: dateutil.custom):\n    return 1",
            "dateutil",
            INSERT,
            [],
        ),
        (
            "from __future__ import annotations\nimport typing\nimport dateutil\n"
            + "def g(x: dateutil.custom):\n    pass\nHINTS = typing.get_type_hints(g)",
            "dateutil",
            INSERT,
            ["NBR279"],
        ),
        # a postponed variable annotation is a string (round 73a F9: a false keep)
        (
            "from __future__ import annotations\nimport dateutil\n"
            + "class A:\n    x: dateutil.custom\nY: dateutil.custom = 1",
            "dateutil",
            INSERT,
            [],
        ),
        ("import dateutil\nclass A:\n    x: dateutil.custom", "dateutil", INSERT, ["NBR279"]),
        # a local variable's annotation, never evaluated (round 76b F5: a false keep)
        (
            "import dateutil\ndef g():\n    x: dateutil.custom = 1\n    return x\nK = g()",
            "dateutil",
            INSERT,
            [],
        ),
        # read through getattr or another name (round 73a F3)
        ("import dateutil\ncustom = getattr(dateutil, 'custom')", "dateutil", INSERT, ["NBR279"]),
        ("import dateutil\ndu = dateutil\nK = du.custom(1)", "dateutil", INSERT, ["NBR279"]),
        (
            "import dateutil\ndef g():\n    return getattr(dateutil, 'custom')",
            "dateutil",
            INSERT,
            [],
        ),
        # preloaded on a POSIX system only (round 71a F2: its file was taken to run)
        ("import resource", "resource", INSERT, []),
        ("from termios import custom", "termios", INSERT, ["NBR279"]),
        # colorsys, not preloaded, is the standard one before an appended folder only
        ("from colorsys import custom", "colorsys", APPEND, ["NBR279"]),
        ("from colorsys import custom", "colorsys", INSERT, ["NBR242"]),
        # appended however written (round 73a F5: `+=` was taken to put lib first)
        ("from colorsys import custom", "colorsys", "sys.path += ['lib']", ["NBR279"]),
        ("from colorsys import custom", "colorsys", "sys.path.extend(['lib'])", ["NBR279"]),
        ("from colorsys import custom", "colorsys", "sys.path[:0] = ['lib']", ["NBR242"]),
        # round 75b F4
        ("from colorsys import custom", "colorsys", "sys.path = sys.path + ['lib']", ["NBR279"]),
        ("from colorsys import custom", "colorsys", "sys.path = ['lib'] + sys.path", ["NBR242"]),
        # no file of the name beside the library: the installed package is meant
        ("from dateutil import parser", None, INSERT, []),
        ("from string import ascii_letters", None, APPEND, []),
        # a module of no kernel's: lib's runs
        ("from helper import custom", "helper", APPEND, ["NBR242"]),
    ],
)
def test_names_from_a_module_the_kernel_binds_keep_the_definitions(
    library_line: str, sibling: str | None, path_line: str, kept: list[str]
) -> None:
    entry = _entry(library_line, sibling, path_line)
    assert [found["code"] for found in entry["kept"]] == kept


def test_the_reason_names_the_statement_and_the_module_bound() -> None:
    """Round 70a P4: helpers.py and dateutil.py beside the notebook."""
    entry = _entry("from dateutil import custom", "dateutil", "pass", ".")
    (found,) = entry["kept"]
    assert found["reason"] == (
        "importing mylib runs `from dateutil import custom` (mylib.py, line 1): dateutil is"
        " the installed package a kernel has imported at its start, not dateutil.py beside"
        " mylib, and whether dateutil has custom is not checked"
    )


def test_a_standard_module_found_first_is_named_so() -> None:
    entry = _entry("from colorsys import *", "colorsys", APPEND)
    (found,) = entry["kept"]
    assert found["reason"].endswith(
        "colorsys is the standard module the kernel finds first, not colorsys.py beside"
        " mylib, and whether colorsys has what colorsys.py defines is not checked"
    )


def _package_entry(files: dict[str, str], path_line: str = INSERT) -> dict:
    """The JSON report's entry for the package library lib/mypkg made of `files` (paths from
    lib/), beside a lib/dateutil.py defining `custom`, the notebook running `path_line`."""
    for name, text in {**files, "dateutil.py": "def custom(x):\n    return x\n"}.items():
        Path("lib", name).parent.mkdir(parents=True, exist_ok=True)
        Path("lib", name).write_text(text, encoding="utf-8")
    cells = [f"import sys\n{path_line}", INLINE, "print(f(2))"]
    Path("nb.ipynb").write_text(notebook_text(*(code(cell) for cell in cells)), encoding="utf-8")
    options = ["--check", "--jobs", "1", "--output-format", "json", "--module", "lib/mypkg"]
    result = CliRunner().invoke(main, ["migrate", *options, "nb.ipynb"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    (entry,) = json.loads(result.stdout)["notebooks"]
    return entry


@pytest.mark.parametrize(
    ("files", "kept"),
    [
        # round 71a F3 (K10): the package's __init__.py
        ({"mypkg/__init__.py": f"from dateutil import custom\n\n\n{INLINE}\n"}, ["NBR279"]),
        # K10b: a submodule it imports
        (
            {
                "mypkg/__init__.py": "from .core import f\n",
                "mypkg/core.py": f"from dateutil import custom\n\n\n{INLINE}\n",
            },
            ["NBR279"],
        ),
        # a plain import binds the kernel's dateutil, as the notebook's own would
        ({"mypkg/__init__.py": f"import dateutil\n\n\n{INLINE}\n"}, []),
    ],
)
def test_a_package_beside_a_file_of_a_kernel_module_keeps_the_definitions(
    files: dict[str, str], kept: list[str]
) -> None:
    entry = _package_entry(files)
    assert [found["code"] for found in entry["kept"]] == kept


def test_the_package_reason_names_its_file() -> None:
    entry = _package_entry({"mypkg/__init__.py": f"from dateutil import custom\n\n\n{INLINE}\n"})
    (found,) = entry["kept"]
    assert found["reason"] == (
        "importing mypkg runs `from dateutil import custom` (mypkg/__init__.py, line 1):"
        " dateutil is the installed package a kernel has imported at its start, not"
        " dateutil.py beside mypkg, and whether dateutil has custom is not checked"
    )


@pytest.mark.parametrize(
    ("library_line", "kept"),
    [
        ("from dateutil.custom import g", ["NBR279"]),
        ("import dateutil.custom", ["NBR279"]),
        # a module the folder does not hold: the installed package's is meant
        ("from dateutil.parser import parse", []),
    ],
)
def test_a_module_of_a_folder_without_init_beside_the_library_is_its_own(
    library_line: str, kept: list[str]
) -> None:
    """Round 73a F4: lib/dateutil/custom.py, no `__init__.py`: the kernel's dateutil, a
    package, holds no `custom` (ModuleNotFoundError once migrated)."""
    Path("lib", "dateutil").mkdir(parents=True)
    Path("lib", "dateutil", "custom.py").write_text("def g():\n    return 1\n", encoding="utf-8")
    entry = _entry(library_line, None, INSERT)
    assert [found["code"] for found in entry["kept"]] == kept
    if kept:
        assert "not dateutil/custom.py beside mylib" in entry["kept"][0]["reason"]

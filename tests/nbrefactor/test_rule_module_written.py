"""Rule: a notebook that writes the module's own file keeps every definition (`NBR254`).

Sweep 26 F2: `%%writefile helpers.py` (then `import helpers`), and the notebook's
copy replaced by the import of the file on disk: the import bound what the
notebook wrote, not the module nbrefactor read (2 became 100).
"""

from __future__ import annotations

import pytest
from conftest import TITLE, code, migrate_text, notebook_text

from nbrefactor.analysis.catalog import load_catalog

LIBRARY = "def scale(x):\n    return x + 1\n"
DEFINITION = "def scale(x):\n    return x + 1"


@pytest.fixture
def helpers(tmp_path):
    path = tmp_path / "helpers.py"
    path.write_text(LIBRARY, encoding="utf-8")
    return load_catalog(str(path))


def _migrate(helpers, writer: str):
    text = notebook_text(
        TITLE, code(writer), code("import math"), code(DEFINITION), code("scale(1)")
    )
    return migrate_text(text, helpers)


@pytest.mark.parametrize(
    ("writer", "line"),
    [
        ("%%writefile helpers.py\ndef scale(x):\n    return x * 100", "%%writefile helpers.py"),
        ("\n%%writefile -a helpers.py\nX = 1", "%%writefile -a helpers.py"),
        ("%%file helpers.py\ndef scale(x):\n    return x * 100", "%%file helpers.py"),
        (
            "with open('helpers.py', 'w') as f:\n    f.write(SOURCE)",
            "with open('helpers.py', 'w') as f:",
        ),
        ("Path('helpers.py').write_text(SOURCE)", "Path('helpers.py').write_text(SOURCE)"),
        ("!printf 'X = 1' > helpers.py", "!printf 'X = 1' > helpers.py"),
        (
            "open('helpers.py', mode='w').write(SOURCE)",
            "open('helpers.py', mode='w').write(SOURCE)",
        ),
        ("f = open('helpers.py', 'r+')", "f = open('helpers.py', 'r+')"),
        ("shutil.copy('v2/helpers.py', '.')", "shutil.copy('v2/helpers.py', '.')"),
    ],
)
def test_a_notebook_writing_the_modules_file_keeps_every_definition(helpers, writer, line):
    result, _ = _migrate(helpers, writer)
    assert not result.changed
    # (A `def` in a `%%writefile` cell is kept too, as text that is not the notebook's code.)
    kept = result.report.kept[-1]
    assert kept.message == (
        f"kept scale (cell 4): cell 2 writes helpers.py (`{line}`): the import would bind what "
        "the notebook wrote when it ran, not the module read"
    )
    assert kept.code == "NBR254"


@pytest.mark.parametrize(
    "reader",
    [
        "%load helpers.py",
        "!cat helpers.py",
        "print(open('helpers.py').read())",
        "text = open('helpers.py', mode='r').read()",  # round 75b F5: read, not written
        "%%writefile my_helpers.py\nX = 1",  # another file
        "%%writefile helpers.pyc\nX = 1",
        "# helpers.py: copy it > elsewhere",  # a comment writes nothing
    ],
)
def test_a_notebook_only_reading_the_modules_file_is_migrated(helpers, reader):
    result, sources = _migrate(helpers, reader)
    assert [found.name for found in result.report.replaced] == ["scale"]
    assert sources[3] == "import math\nfrom helpers import scale"


@pytest.mark.parametrize(
    ("writer", "kept"),
    [
        ("%%writefile mypkg/__init__.py\ndef scale(x):\n    return x * 100", True),
        ("!cp v2/*.py mypkg/", True),
        ("%%bash\necho 'moved to mypkg'", False),  # names the package, writes none of its files
        ("import mypkg  # copy(...) of mypkg, not written", False),
    ],
)
def test_a_package_is_written_when_a_file_in_its_folder_is(tmp_path, writer, kept):
    (tmp_path / "mypkg").mkdir()
    (tmp_path / "mypkg" / "__init__.py").write_text(LIBRARY, encoding="utf-8")
    catalog = load_catalog(str(tmp_path / "mypkg"))
    result, _ = _migrate(catalog, writer)
    assert [found.code for found in result.report.kept if found.cell == 4] == (
        ["NBR254"] if kept else []
    )

"""Floor scripts: the least work a command must do, written to the temporary folder and
run with sys.executable in a fresh process, like the commands they are compared with."""

from __future__ import annotations

from pathlib import Path

_FIND_NOTEBOOKS = """
import os
import sys


def notebooks(folder):
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            if name.endswith(".ipynb") and not name.startswith("."):
                yield os.path.join(root, name)
"""

JSON_FLOOR = (
    _FIND_NOTEBOOKS
    + """
import json

for path in notebooks(sys.argv[1]):
    with open(path, encoding="utf-8") as stream:
        json.dumps(json.load(stream))
"""
)

# What any sound tool must do to find inline definitions (issue 15): read each
# notebook's JSON and `ast.parse` the code cells whose text holds one of the
# library's names. A cell `ast` rejects (a broken cell, an unmasked magic) costs
# what parsing it did up to the error: a lower bound. With --twice, the cells
# are parsed again and the two `ast.dump`s compared, as black's
# `assert_equivalent` does: what a safety check re-reading the output adds. With
# --walk, each tree is walked once with `ast.walk`, doing nothing at its nodes:
# the least any reader that looks at every node of the trees in Python adds.
ANALYSIS_FLOOR = (
    _FIND_NOTEBOOKS
    + """
import ast
import json

names = sys.argv[2].split(",")
twice = sys.argv[3:] == ["--twice"]
walk = sys.argv[3:] == ["--walk"]
for path in notebooks(sys.argv[1]):
    with open(path, encoding="utf-8") as stream:
        notebook = json.load(stream)
    for cell in notebook.get("cells", []):
        source = cell.get("source", "")
        text = source if isinstance(source, str) else "".join(source)
        if cell.get("cell_type") != "code" or not any(name in text for name in names):
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        if twice and ast.dump(ast.parse(text)) != ast.dump(tree):
            raise SystemExit(f"{path}: parsing twice gave two trees")
        if walk:
            for _node in ast.walk(tree):
                pass
"""
)


# `nbrefactor migrate` as the command line runs it, with the safety check before
# writing (nbrefactor/safety.py) replaced by one that accepts everything: the
# baseline of the check's cost (issue 16: at most 5% of writing).
MIGRATE_UNCHECKED = """
import sys

import nbrefactor.safety
from nbrefactor.cli import main

nbrefactor.safety.check_migration = lambda program, decisions, new_sources: None
sys.argv = ["nbrefactor", *sys.argv[1:]]
main()
"""


def write_scripts(scripts: Path) -> None:
    scripts.mkdir(parents=True)
    (scripts / "json_floor.py").write_text(JSON_FLOOR, encoding="utf-8")
    (scripts / "analysis_floor.py").write_text(ANALYSIS_FLOOR, encoding="utf-8")
    (scripts / "migrate_unchecked.py").write_text(MIGRATE_UNCHECKED, encoding="utf-8")

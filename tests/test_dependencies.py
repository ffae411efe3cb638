"""Every third-party module the shipped code imports is a runtime dependency.

A module only the `[test]` extra installs works in the tests and fails for
users: `extract` imported libcst, a test dependency, and raised
`ModuleNotFoundError` on an install made as the README says.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHIPPED = ("nbrefactor", "viz_utils")
# viz_utils accepts torch tensors when torch is there (the `torch` extra), and imports
# IPython only inside a running kernel, which has it.
OPTIONAL = {"torch", "IPython"}


def _imported_top_level_modules() -> set[str]:
    found = set()
    for package in SHIPPED:
        for path in (REPO / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {alias.name.partition(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.partition(".")[0])
    return found - set(sys.stdlib_module_names) - set(SHIPPED) - {"__future__"}


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_third_party_import_is_a_runtime_dependency():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {
        _normalized(re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0])
        for requirement in project["dependencies"]
    }
    distributions = packages_distributions()
    missing = {
        module: distributions.get(module)
        for module in _imported_top_level_modules() - OPTIONAL
        if not {_normalized(name) for name in distributions.get(module, [module])} & declared
    }
    assert not missing, f"imported by the shipped code but not in [project].dependencies: {missing}"

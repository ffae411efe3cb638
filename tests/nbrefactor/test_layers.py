"""nbrefactor's modules call only downward: no module imports one in its own layer or above.

The layers, lowest first, are the data flow read -> model -> rules -> edits ->
report -> write. Every import counts, including those inside functions (which
only defer the cost, not the dependency). A new module must be given a layer here.
"""

from __future__ import annotations

import ast

import pytest
from conftest import REPO

PACKAGE = REPO / "nbrefactor"

LAYERS: list[set[str]] = [
    {"reasons"},
    {
        "text",
        "messages",
        "config",
        "import_text",
        "json_rules",
        "mentions",
        "events",
        "catalog",
        "project",
    },
    {"layout", "temporary", "json_scan"},
    {"magics", "notebook", "interrupts"},
    {"parsing", "schema", "splice", "cell_facts", "diff", "tolerant"},
    {"program", "notebook_variables"},
    {"rules.call_binding", "rules.legacy_names", "rules.version", "rules.same_function"},
    {"rules.definitions"},
    {"rules.import_placement"},
    {"rules"},
    {"edit", "safety"},
    {"refactor"},
    {"files"},
    {"report", "workers", "discovery"},
    {"output"},
    {"cli"},
    {"__main__"},
]
RANK = {module: rank for rank, layer in enumerate(LAYERS) for module in layer}


def _module_name(path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path) -> set[str]:
    """The nbrefactor modules a file imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "nbrefactor":
                found.update(alias.name for alias in node.names)
            elif node.module.startswith("nbrefactor."):
                found.add(node.module.removeprefix("nbrefactor."))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("nbrefactor."):
                    found.add(alias.name.removeprefix("nbrefactor."))
    return found


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py")) if _module_name(path)}


def test_every_module_has_a_layer():
    assert sorted(set(MODULES) - set(RANK)) == []
    assert sorted(set(RANK) - set(MODULES)) == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_only_downward(module):
    upward = sorted(
        imported for imported in _imports(MODULES[module]) if RANK[imported] >= RANK[module]
    )
    assert upward == [], f"nbrefactor.{module} imports a module at or above its layer"

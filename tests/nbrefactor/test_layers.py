"""nbrefactor's modules call only downward: no module imports one in its own layer or above.

The layers, lowest first, are the data flow read -> model -> rules -> edits ->
report -> write. Every import counts, including those inside functions (which
only defer the cost, not the dependency). A new module must be given a layer here.
"""

from __future__ import annotations

import ast
import graphlib

import pytest
from conftest import REPO

PACKAGE = REPO / "nbrefactor"

LAYERS: list[set[str]] = [
    {"value_base"},
    {"reason_base"},
    {
        "call_reasons",
        "same_function_reasons",
        "replaced_reasons",
        "import_reasons",
        "unchecked_reasons",
        "reading_reasons",
    },
    {"nbfile", "analysis", "edits", "reasons"},  # package __init__s (docstrings); the reasons
    {"analysis.code_warnings"},  # silences Python's warnings about the code it reads
    {"messages.import_findings"},
    {"messages.same_function_words"},
    {"messages.reason_words", "rules.markdown_inline"},
    {
        "messages.findings",
        "messages.notebook",
        "messages.files",
        "messages.run",
        "analysis.words",
        "analysis.kernel_modules",
        "analysis.package_modules",
        "rules.markdown_headings",
        "rules.version_text",
        "analysis.line_magics",
        "analysis.pasted_prompts",
        "analysis.text",
        "analysis.source_trees",
    },
    {
        "rules.glued_changelog",
        "rules.changelog_heading",
        "messages",
        "config",
        "edits.import_text",
        "edits.text_edit",
        "edits.indentation",
        "nbfile.json_rules",
        "analysis.mentions",
        "analysis.events",
        "analysis.parameter_readers",
        "analysis.module_path",
        "analysis.import_targets",
        "analysis.scopes",
        "analysis.namespace_reads",
        "extract",
    },
    {
        "analysis.caught_errors",
        "analysis.evaluated",
        "analysis.random_objects",
        "analysis.dynamic_bindings",
        "analysis.constants",
        "analysis.changed_on_import",
    },
    {"analysis.helper_state"},
    {"analysis.random_draws", "analysis.environment_reads", "analysis.file_writes"},
    {"analysis.effect_statements"},
    {"analysis.import_run"},
    {"analysis.kernel_bound"},
    {
        "analysis.library_module",
        "analysis.importable_names",
        "analysis.definition_key",
        "analysis.import_effects",
        "analysis.module_declarations",
        "analysis.import_names",
    },
    {"analysis.library_function", "analysis.module_source", "analysis.no_public_functions"},
    {"analysis.package_imports"},
    {"analysis.reexports"},
    {
        "nbfile.temporary",
        "written",
        "nbfile.json_scan",
        "nbfile.source_items",
        "project",
        "analysis.catalog",
        "gitignore",
    },
    {"analysis.magics", "nbfile.notebook", "nbfile.disk"},
    {"nbfile.source_value"},
    {
        "analysis.parsing",
        "analysis.cell_texts",
        "nbfile.schema",
        "nbfile.splice",
        "edits.diff",
    },
    {
        "analysis.import_statements",
        "analysis.install_lines",
        "analysis.run_lines",
        "analysis.module_writes",
    },
    {"analysis.sys_names"},
    {"analysis.path_changes", "analysis.folder_literals"},
    {"analysis.folder_search", "analysis.local_path_modules"},
    {
        "analysis.mentioned_statements",
        "analysis.wildcard_lines",
        "analysis.import_search",
    },
    {
        "analysis.local_scopes",
        "analysis.module_patches",
        "analysis.standard_siblings",
        "analysis.notebook_bound",
        "analysis.run_imports",
    },
    {"analysis.cell_bindings"},
    {"analysis.cell_facts", "analysis.recovering", "edits.layout", "interrupts"},
    {"analysis.broken_definitions"},
    {"analysis.tolerant", "analysis.statementwise", "analysis.magic_facts"},
    {"analysis.reader"},
    {"analysis.headers"},
    {"analysis.binding_text"},
    {"analysis.cell_definitions", "analysis.notebook_input"},
    {"analysis.notebook_variables", "analysis.notebook_imports"},
    {"analysis.unbound_when_defined"},
    {"analysis.bound_otherwise"},
    {"analysis.hidden_inputs", "analysis.module_identity"},
    {"extract.scopes"},
    {"analysis.program", "extract.gather"},
    {"extract.import_specs", "extract.module_all", "extract.import_name", "extract.script_runs"},
    {"extract.import_block", "rules.computed_values", "rules.decorator_names"},
    {"rules.decorator_captures", "rules.decorator_scope"},
    {"rules.decorator_shapes"},
    {"rules.function_state"},
    {
        "analysis.program_reader",
        "rules.definition_time",
        "extract.load_time",
        "rules.code_strings",
        "rules.decorators",
    },
    {
        "rules.scripts_run",
        "rules.notebook_runners",
        "rules.namespace_walk",
        "rules.signatures",
        "rules.import_decision",
        "rules.attribute_uses",
        "rules.drift",
    },
    {"rules.parameters", "rules.handed_readers", "rules.version_title", "rules.broken_copies"},
    {
        "rules.call_binding",
        "rules.legacy_names",
        "rules.version",
        "rules.same_function",
        "extract.needs",
    },
    {"rules.import_setup"},
    {
        "rules.definitions",
        "extract.migrate_keeps",
        "rules.import_cell",
        "rules.import_effects",
        "rules.module_identity",
        "rules.working_folder",
        "rules.cached_module",
        "rules.module_written",
        "extract.optional",
        "extract.star_imports",
        "extract.shadows",
    },
    {
        "rules.newly_bound",
        "rules.deferred_uses",
        "rules.numbered_history",
        "rules.import_places",
        "extract.variants",
        "extract.own_calls",
    },
    {"extract.other_functions", "extract.plan_problems"},
    {"rules.import_placement", "extract.plan", "extract.choices"},
    {"rules.cell_result", "extract.module_reading"},
    {"rules", "extract.module_file", "extract.report"},
    {"extract.next_step"},
    {"extract.module_io", "extract.module_finds"},
    {"safety.runs"},
    {"edits.import_merge"},
    {"edits.edit", "safety.statements", "safety.uses", "safety.moved_facts"},
    {"safety.text_match"},
    {"safety"},
    {"refactor", "kernel_search"},
    {"migration", "path_checks"},
    {"report", "workers", "discovery", "extract.run"},
    {"output"},
    {"extract.output", "run", "options"},
    {"extract.then_migrate"},
    {"extract_command"},
    {"cli"},
    {"__main__"},
]
# The packages, lowest first: a module imports from its own package (by the
# layers above), from lower packages, and of the top-level modules only the
# shared leaves (the frozen config, the wording and the base of the value types),
# never from a higher one.
PACKAGES = ["nbfile", "analysis", "rules", "edits"]
SHARED = {"config", "messages", "reasons", "value_base"}  # `messages` gathers messages.*
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


def _package(module: str) -> str | None:
    head = module.split(".")[0]
    return head if head in PACKAGES else None


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _package(m)))
def test_packages_import_only_lower_packages(module):
    level = PACKAGES.index(_package(module))
    higher = sorted(
        imported
        for imported in _imports(MODULES[module])
        if (_package(imported) is None and imported not in SHARED)
        or (_package(imported) is not None and PACKAGES.index(_package(imported)) > level)
    )
    assert higher == [], f"nbrefactor.{module} imports from a higher package or the command line"


def test_no_import_cycle():
    graph = {module: _imports(path) for module, path in MODULES.items()}
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError on a cycle

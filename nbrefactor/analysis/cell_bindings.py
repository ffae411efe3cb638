"""Reading one code cell, first half: where its statements bind the watched names.

`BindingsCollector` walks a cell's top-level statements, one at a time, and
records every module-level binding of a watched name (def, class, import,
assignment, `del`, a `match` capture, and what may bind any name: a star
import, `exec(...)`, an assignment through `globals()`; those that may not run
marked conditional), the imports from the target module, the star imports,
and the bindings through `global` it cannot place. `cell_facts.FactsCollector`
adds the uses of the names to it: one pass reads both, in source order.
"""

from __future__ import annotations

import ast
from typing import Protocol

from nbrefactor.analysis import dynamic_bindings
from nbrefactor.analysis.events import (
    REBINDS_THROUGH,
    Binding,
    BindingKind,
    ModuleImport,
    Position,
    UnreadableUse,
)
from nbrefactor.analysis.local_scopes import LocalScopesVisitor
from nbrefactor.analysis.mentions import Watched
from nbrefactor.analysis.scopes import all_arguments
from nbrefactor.analysis.text import line_numbers


class BindingRecord(Protocol):
    """What the bindings half of a cell's reading writes into (`cell_facts.CellFacts`)."""

    cell: int
    tree: ast.Module
    bindings: list[Binding]
    unreadable: list[UnreadableUse]
    import_statements: list[int]
    module_imports: list[ModuleImport]
    star_imports: list[tuple[int, str]]


class BindingsCollector(LocalScopesVisitor):
    """Reads the bindings of the top-level statements of `facts.tree`, one at a time."""

    def __init__(self, facts: BindingRecord, text: str, watched: Watched) -> None:
        super().__init__(sorted(set(line_numbers(text, watched.offsets(text)))), watched.names)
        self.facts = facts
        self.watched = watched
        self.target_module = watched.module
        self.statement_index = 0
        self.sequence = 0

    def collect(self, index: int, statement: ast.stmt, line_offset: int = 0) -> None:
        """Read `facts.tree.body[index]`, whose lines in the cell are its own plus `line_offset`."""
        self.statement_index = index
        self.line_offset = line_offset
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            self.facts.import_statements.append(index)
        self.visit(statement)

    # -- bookkeeping ---------------------------------------------------------

    def _position(self) -> Position:
        self.sequence += 1
        return Position(self.facts.cell, self.statement_index, self.sequence)

    def _bind(
        self,
        name: str,
        kind: BindingKind,
        source_module: str | None = None,
        node: ast.FunctionDef | None = None,
        conditional: bool = False,
        imported: str | None = None,
    ) -> None:
        if name not in self.names:
            return
        if self._at_module_scope:
            conditional = conditional or self.block_depth > 0
            imported = None if imported == name else imported
            position = self._position()
            binding = Binding(name, position, kind, source_module, node, conditional, imported)
            self.facts.bindings.append(binding)
        elif kind in REBINDS_THROUGH or (
            self._is_watched(name) and not any(name in scope for scope in self.class_names)
        ):
            # Bound in a function or class body where it is not local: `global name` there
            # (or globals(), exec into them) rebinds the notebook's name whenever that body
            # runs, at no place one can say.
            line = self.facts.tree.body[self.statement_index].lineno + self.line_offset
            through = REBINDS_THROUGH.get(kind, "`global`")
            unread = UnreadableUse(name, self.facts.cell, line, rebinds=True, through=through)
            self.facts.unreadable.append(unread)

    def _bind_target(self, target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self._bind(target.id, BindingKind.ASSIGNMENT)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._bind_target(element)
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value)
        else:
            self.visit(target)

    def _visit_signature(self, arguments: ast.arguments) -> None:
        self._visit_all(arguments.defaults)
        self._visit_all(arguments.kw_defaults)
        self._visit_all(argument.annotation for argument in all_arguments(arguments))

    # -- statements ----------------------------------------------------------

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._visit_all(node.decorator_list)
        self._visit_signature(node.args)
        self._visit_all((node.returns,))
        top_level = (
            isinstance(node, ast.FunctionDef)
            and self._at_module_scope
            and self.facts.tree.body[self.statement_index] is node
        )
        definition = node if top_level and isinstance(node, ast.FunctionDef) else None
        self._bind(node.name, BindingKind.DEF, node=definition)
        if not self._body_mentions_watched_names(node):
            return  # a (long, pasted) body that uses none of the names needs no walk
        self._visit_deferred(node.body, node.args)

    def _body_mentions_watched_names(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        first, last = node.body[0].lineno, node.body[-1].end_lineno or node.body[-1].lineno
        return self._mentioned(first, last)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._visit_function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._visit_function(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_signature(node.args)
        self._visit_deferred(node.body, node.args)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._visit_all(node.decorator_list)
        self._visit_all(node.bases)
        self._visit_all(node.keywords)
        self._bind(node.name, BindingKind.CLASS)
        self._visit_class_body(node.body)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        self._visit_all((node.pattern,))
        if node.name is not None:
            self._bind(node.name, BindingKind.ASSIGNMENT, conditional=True)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name is not None:
            self._bind(node.name, BindingKind.ASSIGNMENT, conditional=True)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        self._visit_all((*node.keys, *node.patterns))
        if node.rest is not None:
            self._bind(node.rest, BindingKind.ASSIGNMENT, conditional=True)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            bound = alias.asname or alias.name.split(".")[0]
            self._bind(bound, BindingKind.IMPORT, source_module=alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = "." * node.level + (node.module or "")
        if any(alias.name == "*" for alias in node.names):
            if self._at_module_scope:
                self.facts.star_imports.append((self.statement_index, module))
                for name in sorted(self.names):  # each, if the module has it
                    self._bind(name, BindingKind.IMPORT, module, conditional=True)
            return
        imported = set()
        for alias in node.names:
            bound = alias.asname or alias.name
            imported.add(alias.name if alias.asname is None else f"{alias.name} as {bound}")
            self._bind(bound, BindingKind.IMPORT, module, imported=alias.name)
        if module == self.target_module and self.facts.tree.body[self.statement_index] is node:
            self.facts.module_imports.append(
                ModuleImport(self.statement_index, frozenset(imported))
            )

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self._bind_target(target)
        self._bind_if_handed_on(node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._visit_all((node.annotation, node.value))
        if node.value is not None:
            self._bind_target(node.target)
        self._bind_if_handed_on(node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.target)
        self.visit(node.value)
        self._bind_target(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self._bind_target(node.target)
        self._bind_if_handed_on(node.value)

    def _visit_for(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self._bind_target(node.target)
        self._visit_block(node.body)
        if node.orelse:
            self._visit_block(node.orelse)

    def visit_For(self, node: ast.For) -> None:
        self._visit_for(node)

    def visit_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._visit_for(node)

    def visit_withitem(self, node: ast.withitem) -> None:
        self.visit(node.context_expr)
        if node.optional_vars is not None:
            self._bind_target(node.optional_vars)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        self._visit_all((node.type,))
        if node.name is not None:
            self._bind(node.name, BindingKind.ASSIGNMENT)
        self._visit_block(node.body)

    def _bind_if_handed_on(self, value: ast.expr | None) -> None:
        """An assigned value that is the namespace (`ns = globals()`), at the module's top
        level only (`dynamic_bindings.handed_on`)."""
        if self._at_module_scope:
            self._bind_dynamically(dynamic_bindings.handed_on(value))

    def _bind_dynamically(self, found: dynamic_bindings.DynamicBinding | None) -> None:
        """What binds a name without spelling it (`dynamic_bindings`): the names it says, or
        each watched name if it may bind any."""
        if found is None:
            return
        if found.names is None:
            self._bind_any(found.kind)
        for name in found.names or ():
            self._bind(name, found.kind)

    def _bind_any(self, kind: BindingKind) -> None:
        """What may bind any name binds each watched name, if it runs and binds it at all."""
        for name in sorted(self.names):
            self._bind(name, kind, conditional=True)

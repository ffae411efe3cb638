"""Reading one code cell: what it does with the names a migration cares about.

One pass over the cell's `ast` records, in source order, every module-level
binding of a watched name (def, class, import, assignment) and every use of
it (a call with its argument shape, or a bare reference), noting whether the
use runs now or later (inside a function or lambda body), as `events`.

`ast` is used for reading because it is about ten times faster than libcst;
libcst parses only the cells that are then edited (see `edit`).
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

from nbrefactor.analysis.events import (
    Binding,
    BindingKind,
    CallShape,
    ModuleImport,
    Position,
    UnreadableUse,
    Use,
)
from nbrefactor.analysis.mentions import Watched
from nbrefactor.analysis.parsing import statement_lines
from nbrefactor.analysis.scopes import all_arguments, locally_bound
from nbrefactor.analysis.text import line_numbers


@dataclass
class CellFacts:
    """What one cell does with the watched names, in source order; `tree` is its statements."""

    cell: int
    tree: ast.Module
    bindings: list[Binding] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)
    unreadable: list[UnreadableUse] = field(default_factory=list)
    import_statements: list[int] = field(default_factory=list)  # top-level import statement indices
    module_imports: list[ModuleImport] = field(default_factory=list)
    star_imports: list[tuple[int, str]] = field(default_factory=list)  # (statement index, module)


def collect_facts(cell: int, tree: ast.Module, text: str, watched: Watched) -> CellFacts:
    """Read the cell; statements whose text mentions no watched name are skipped.

    A long training loop that calls a helper once is mostly statements that
    cannot bind or use a watched name: only the ones on lines that name one
    are walked.
    """
    facts = CellFacts(cell=cell, tree=tree)
    collector = FactsCollector(facts, text, watched)
    for index, statement in enumerate(tree.body):
        collector.collect(index, statement)
    return facts


class FactsCollector(ast.NodeVisitor):
    """Reads the top-level statements of `facts.tree`, one at a time, into `facts`."""

    def __init__(self, facts: CellFacts, text: str, watched: Watched) -> None:
        self.facts = facts
        self.names = watched.names
        self.target_module = watched.module
        # sorted: the lines that name a watched name
        self.mention_lines = sorted(set(line_numbers(text, watched.offsets(text))))
        self.line_offset = 0  # added to the statements' line numbers (`statementwise`)
        self.statement_index = 0
        self.sequence = 0
        self.function_depth = 0
        self.class_depth = 0
        self.block_depth = 0  # inside a block of a compound statement: a binding may not run
        self.local_names: list[frozenset[str]] = []

    def collect(self, index: int, statement: ast.stmt, line_offset: int = 0) -> None:
        """Read `facts.tree.body[index]`, whose lines in the cell are its own plus `line_offset`."""
        self.statement_index = index
        self.line_offset = line_offset
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            self.facts.import_statements.append(index)
        self.visit(statement)

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.stmt) and not self._mentioned(*statement_lines(node)):
            return  # names no watched name: nothing in it binds or uses one
        super().visit(node)

    def generic_visit(self, node: ast.AST) -> None:
        """`NodeVisitor.generic_visit`, with a block of statements read by `_visit_block`."""
        for _, value in ast.iter_fields(node):
            if isinstance(value, list):
                if value and isinstance(value[0], ast.stmt):
                    self._visit_block(value)
                    continue
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    def _visit_block(self, block: list[ast.stmt]) -> None:
        """The statements of a block that hold a mention, in order.

        They are found from the mentioned lines by bisection over the statements'
        last lines (in order, as statements do not overlap): a long loop body that
        calls a helper once is not gone through statement by statement.
        """
        if not block:
            return
        offset = self.line_offset
        mentions = self.mention_lines
        low = bisect.bisect_left(mentions, statement_lines(block[0])[0] + offset)
        high = bisect.bisect_right(mentions, (block[-1].end_lineno or block[-1].lineno) + offset)
        if low == high:
            return
        ends = [(statement.end_lineno or statement.lineno) + offset for statement in block]
        following = 0  # the first statement not visited yet
        self.block_depth += 1
        for line in mentions[low:high]:
            index = max(bisect.bisect_left(ends, line), following)
            # Several statements can share the line (after `;`).
            while index < len(block) and statement_lines(block[index])[0] + offset <= line:
                self.visit(block[index])
                index += 1
                following = index
        self.block_depth -= 1

    def _mentioned(self, first: int, last: int) -> bool:
        first, last = first + self.line_offset, last + self.line_offset
        index = bisect.bisect_left(self.mention_lines, first)
        return index < len(self.mention_lines) and self.mention_lines[index] <= last

    # -- bookkeeping ---------------------------------------------------------

    def _position(self) -> Position:
        self.sequence += 1
        return Position(self.facts.cell, self.statement_index, self.sequence)

    @property
    def _at_module_scope(self) -> bool:
        return self.function_depth == 0 and self.class_depth == 0

    def _is_watched(self, name: str) -> bool:
        return name in self.names and not any(name in scope for scope in self.local_names)

    def _bind(
        self,
        name: str,
        kind: BindingKind,
        source_module: str | None = None,
        node: ast.FunctionDef | None = None,
        conditional: bool = False,
    ) -> None:
        if self._at_module_scope and name in self.names:
            conditional = conditional or self.block_depth > 0
            binding = Binding(name, self._position(), kind, source_module, node, conditional)
            self.facts.bindings.append(binding)

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

    def _visit_all(self, nodes: Iterable[ast.AST | None]) -> None:
        for node in nodes:
            if node is not None:
                self.visit(node)

    def _visit_deferred(self, body: list[ast.stmt] | ast.expr, arguments: ast.arguments) -> None:
        """A function's statements, or a lambda's expression: run later, in their own scope."""
        nodes: list[ast.AST] = list(body) if isinstance(body, list) else [body]
        local = {argument.arg for argument in all_arguments(arguments)} | locally_bound(nodes)
        self.function_depth += 1
        self.local_names.append(frozenset(local))
        if isinstance(body, list):
            self._visit_block(body)
        else:
            self.visit(body)
        self.local_names.pop()
        self.function_depth -= 1

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
        self.class_depth += 1
        self._visit_block(node.body)
        self.class_depth -= 1

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
            self._bind(bound, BindingKind.IMPORT, source_module=module)
        if module == self.target_module and self.facts.tree.body[self.statement_index] is node:
            self.facts.module_imports.append(
                ModuleImport(self.statement_index, frozenset(imported))
            )

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self._bind_target(target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._visit_all((node.annotation, node.value))
        if node.value is not None:
            self._bind_target(node.target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.target)
        self.visit(node.value)
        self._bind_target(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self._bind_target(node.target)

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

    # -- expressions ---------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and self._is_watched(func.id):
            self._record_use(func, CallShape.of(node))
        else:
            self.visit(func)
        self._visit_all(node.args)
        self._visit_all(keyword.value for keyword in node.keywords)

    def visit_Constant(self, node: ast.Constant) -> None:
        """Nothing to read (`NodeVisitor`'s own looks for the old `visit_Num`-style methods)."""

    def visit_Name(self, node: ast.Name) -> None:
        if self._is_watched(node.id) and not isinstance(node.ctx, ast.Store):
            self._record_use(node, None)
            if isinstance(node.ctx, ast.Del):
                self._bind(node.id, BindingKind.DELETION)

    def _record_use(self, node: ast.Name, call: CallShape | None) -> None:
        line = node.lineno + self.line_offset
        use = Use(node.id, self._position(), self.function_depth > 0, call, line, node.col_offset)
        self.facts.uses.append(use)

"""Reading one code cell: what it does with the names a migration cares about.

One pass over the cell's `ast` records, in source order, every module-level
binding of a watched name (def, class, import, assignment, `del`, a `match`
capture, and what may bind any name: a star import, `exec(...)`, an
assignment through `globals()`; those that may not run marked conditional) and every use of it (a
call with its argument shape, or a bare reference), noting whether the use
runs now or later (inside a function or lambda body) and the watched names
bound around it (`local_scopes`), as `events`.

`ast` is used for reading because it is many times faster than libcst, and
edits are made to the text at `ast`'s positions (`edits`): libcst is not on the
`migrate` path at all (`extract` writes its module with it).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from nbrefactor.analysis import dynamic_bindings
from nbrefactor.analysis.events import (
    REBINDS_THROUGH,
    Binding,
    BindingKind,
    CallShape,
    ModuleImport,
    NamedInString,
    Position,
    UnreadableUse,
    Use,
)
from nbrefactor.analysis.local_scopes import LocalScopesVisitor
from nbrefactor.analysis.mentions import Watched
from nbrefactor.analysis.namespace_reads import main_attribute
from nbrefactor.analysis.scopes import all_arguments, called_name
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
    named_in_strings: list[NamedInString] = field(default_factory=list)


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


class FactsCollector(LocalScopesVisitor):
    """Reads the top-level statements of `facts.tree`, one at a time, into `facts`."""

    def __init__(self, facts: CellFacts, text: str, watched: Watched) -> None:
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
        elif isinstance(func, ast.Attribute) and main_attribute(func) in self.names:
            self.visit(func.value)
            self._record_use(func, CallShape.of(node))
        else:
            self.visit(func)
        callee = called_name(node) or ""
        for value in (*node.args, *(keyword.value for keyword in node.keywords)):
            if isinstance(value, ast.Name) and self._is_watched(value.id):
                self._record_use(value, None, handed_to=callee)  # `curve_fit(model, x, y)`
            else:
                self.visit(value)
        self._bind_dynamically(dynamic_bindings.call_binding(node, self.function_depth > 0))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        value = node.value
        if (
            isinstance(value, ast.Name)
            and isinstance(value.ctx, ast.Load)
            and self._is_watched(value.id)
        ):
            self._record_use(value, None, attribute=True)  # `fib.cache`: the object's state
        else:
            self.visit(value)
        if main_attribute(node) in self.names:
            self._record_use(node, None)
        self._bind_dynamically(dynamic_bindings.attribute_binding(node))

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.visit(node.value)
        self.visit(node.slice)
        self._bind_dynamically(dynamic_bindings.subscript_binding(node, self.function_depth > 0))

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

    def visit_Constant(self, node: ast.Constant) -> None:
        """A string naming a watched name may be code run by name (`eval('old(2)')`, an
        f-string's `=` text); nothing else to read (`NodeVisitor`'s own looks for the old
        `visit_Num`-style methods)."""
        if isinstance(node.value, str):
            for name in self.watched.names_in(node.value):
                found = NamedInString(name, self.facts.cell, self.statement_index)
                self.facts.named_in_strings.append(found)

    def visit_Name(self, node: ast.Name) -> None:
        if self._is_watched(node.id) and not isinstance(node.ctx, ast.Store):
            self._record_use(node, None)
            if isinstance(node.ctx, ast.Del):
                self._bind(node.id, BindingKind.DELETION)

    def _record_use(
        self,
        node: ast.Name | ast.Attribute,
        call: CallShape | None,
        attribute: bool = False,
        handed_to: str = "",
    ) -> None:
        if isinstance(node, ast.Attribute):  # `__main__.f`: `f` ends it; no local hides it
            name, shadowed, line = node.attr, frozenset[str](), node.end_lineno or node.lineno
            column = (node.end_col_offset or 0) - len(name.encode("utf-8"))
        else:
            name, shadowed, line, column = node.id, self._shadowed(), node.lineno, node.col_offset
        deferred, position = self.function_depth > 0, self._position()
        line += self.line_offset
        use = Use(name, position, deferred, call, line, column, shadowed, attribute, handed_to)
        self.facts.uses.append(use)

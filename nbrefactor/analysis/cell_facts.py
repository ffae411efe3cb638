"""Reading one code cell: what it does with the names a migration cares about.

One pass over the cell's `ast` records, in source order, every module-level
binding of a watched name (`cell_bindings`) and every use of it (a call with
its argument shape, or a bare reference), noting whether the use runs now or
later (inside a function or lambda body) and the watched names bound around it
(`local_scopes`), as `events`.

`ast` is used for reading because it is many times faster than libcst, and
edits are made to the text at `ast`'s positions (`edits`): libcst is not on the
`migrate` path at all (`extract` writes its module with it).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from nbrefactor.analysis import dynamic_bindings
from nbrefactor.analysis.cell_bindings import BindingsCollector
from nbrefactor.analysis.events import (
    Binding,
    BindingKind,
    CallShape,
    ModuleImport,
    NamedInString,
    UnreadableUse,
    Use,
)
from nbrefactor.analysis.mentions import Watched
from nbrefactor.analysis.namespace_reads import main_attribute
from nbrefactor.analysis.parameter_readers import SIGNATURE_ATTRIBUTES
from nbrefactor.analysis.scopes import called_name


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


class FactsCollector(BindingsCollector):
    """Reads the top-level statements of `facts.tree`, one at a time, into `facts`: the
    bindings (`BindingsCollector`) and the uses of the watched names."""

    facts: CellFacts

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
        shells = self.watched.shells
        self._bind_dynamically(dynamic_bindings.call_binding(node, self.function_depth > 0, shells))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        value = node.value
        if (
            isinstance(value, ast.Name)
            and isinstance(value.ctx, ast.Load)
            and self._is_watched(value.id)
        ):
            # `fib.cache`: the object's state; `model.__code__`: its parameters (`Use.handed_to`)
            reads = f".{node.attr}" if node.attr in SIGNATURE_ATTRIBUTES else ""
            self._record_use(value, None, attribute=True, handed_to=reads)
        else:
            self.visit(value)
        if main_attribute(node) in self.names:
            self._record_use(node, None)
        self._bind_dynamically(dynamic_bindings.attribute_binding(node))

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.visit(node.value)
        self.visit(node.slice)
        self._bind_dynamically(dynamic_bindings.subscript_binding(node, self.function_depth > 0))

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

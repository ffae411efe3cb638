"""Which watched names are local where a cell's visitor stands.

A name bound in a function or lambda (a parameter, an assignment anywhere in
its body), or by a comprehension's `for`, is local there: a use of it is not a
use of the notebook's name. A class body is a scope of its own too, but there
a name it binds may be the class's or the global, depending on what ran first.
`shadowed` gives the watched names bound in any enclosing scope: where a
renamed call could be captured. `cell_facts` reads the facts with it.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterable, Sequence

from nbrefactor.analysis.mentioned_statements import MentionedStatementsVisitor
from nbrefactor.analysis.scopes import all_arguments, locally_bound

_NOTHING: frozenset[str] = frozenset()


class LocalScopesVisitor(MentionedStatementsVisitor):
    """A `MentionedStatementsVisitor` that keeps the local names of the enclosing scopes."""

    def __init__(self, mention_lines: Sequence[int], names: Collection[str]) -> None:
        super().__init__(mention_lines)
        self.names = frozenset(names)  # the watched names
        self.function_depth = 0
        self.class_depth = 0
        self.local_names: list[frozenset[str]] = []  # functions, lambdas, comprehensions
        # The names each enclosing class body binds: a use there may see them or the global.
        self.class_names: list[frozenset[str]] = []

    @property
    def _at_module_scope(self) -> bool:
        return self.function_depth == 0 and self.class_depth == 0

    def _is_watched(self, name: str) -> bool:
        return name in self.names and not any(name in scope for scope in self.local_names)

    def _shadowed(self) -> frozenset[str]:
        """The watched names bound in an enclosing scope."""
        if not self.local_names and not self.class_names:
            return _NOTHING
        return frozenset().union(*self.local_names, *self.class_names) & self.names

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

    def _visit_class_body(self, body: list[ast.stmt]) -> None:
        self.class_depth += 1
        self.class_names.append(frozenset(locally_bound(list(body))))
        self._visit_block(body)
        self.class_names.pop()
        self.class_depth -= 1

    def _visit_comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
    ) -> None:
        """Its first iterable runs in the enclosing scope; the rest in its own, where its
        targets are local. A generator expression runs the rest when it is consumed, as a
        function body runs when called (sweep 22: `G = (f(i) for i in r)` above the pasted
        `def f`, consumed below it, runs the def): its uses there are deferred."""
        first, *others = node.generators
        self.visit(first.iter)
        local = {
            target.id
            for generator in node.generators
            for target in ast.walk(generator.target)
            if isinstance(target, ast.Name)
        }
        lazy = isinstance(node, ast.GeneratorExp)
        self.function_depth += lazy
        self.local_names.append(frozenset(local))
        self._visit_all(first.ifs)
        for generator in others:
            self._visit_all((generator.iter, *generator.ifs))
        if isinstance(node, ast.DictComp):
            self._visit_all((node.key, node.value))
        else:
            self.visit(node.elt)
        self.local_names.pop()
        self.function_depth -= lazy

    def visit_ListComp(self, node: ast.ListComp) -> None:
        self._visit_comprehension(node)

    def visit_SetComp(self, node: ast.SetComp) -> None:
        self._visit_comprehension(node)

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        self._visit_comprehension(node)

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._visit_comprehension(node)

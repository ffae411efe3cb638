"""What one code cell does with the names a migration cares about.

A single libcst pass over a parsed cell records, in source order, every
module-level binding of a watched name (def, class, import, assignment) and
every use of it (a call with its argument shape, or a bare reference), noting
whether the use runs now or later (inside a function or lambda body).
Positions are (cell number, top-level statement index, sequence number), so
events from all cells sort into notebook order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

import libcst as cst

Position = tuple[int, int, int]  # (cell number, top-level statement index, sequence)


class BindingKind(Enum):
    DEF = "def"
    CLASS = "class"
    IMPORT = "import"
    ASSIGNMENT = "assignment"


@dataclass(frozen=True, eq=False)
class Binding:
    name: str
    position: Position
    kind: BindingKind
    source_module: str | None = None  # for `from x import name`: x
    node: cst.FunctionDef | None = None  # for top-level defs: the def itself

    @property
    def cell(self) -> int:
        return self.position[0]

    @property
    def statement_index(self) -> int:
        return self.position[1]


@dataclass(frozen=True)
class CallShape:
    positional_count: int
    keywords: tuple[str, ...]
    unpacks: bool  # *args or **kwargs: cannot be checked statically


@dataclass(frozen=True, eq=False)
class Use:
    name: str
    position: Position
    deferred: bool  # inside a function or lambda body: runs when that is called
    call: CallShape | None  # None: the name is referenced without being called
    node: cst.Name

    @property
    def cell(self) -> int:
        return self.position[0]


@dataclass(frozen=True)
class ModuleImport:
    """A top-level `from <target module> import a, b` statement."""

    statement_index: int
    names: frozenset[str]


@dataclass
class CellFacts:
    cell: int
    module: cst.Module
    bindings: list[Binding] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)
    import_statements: list[int] = field(default_factory=list)  # top-level import statement indices
    module_imports: list[ModuleImport] = field(default_factory=list)
    star_imports: list[tuple[int, str]] = field(default_factory=list)  # (statement index, module)


def collect_facts(cell: int, module: cst.Module, names: Iterable[str], target_module: str) -> CellFacts:
    facts = CellFacts(cell=cell, module=module)
    module.visit(_FactsCollector(facts, frozenset(names), target_module))
    return facts


def dotted_name(node: cst.BaseExpression | None) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted_name(node.value)}.{node.attr.value}"
    return ""


class _FactsCollector(cst.CSTVisitor):
    def __init__(self, facts: CellFacts, names: frozenset[str], target_module: str) -> None:
        self.facts = facts
        self.names = names
        self.target_module = target_module
        self.statement_index = 0
        self.sequence = 0
        self.function_depth = 0
        self.class_depth = 0
        self.local_names: list[frozenset[str]] = []

    # -- bookkeeping ---------------------------------------------------------

    def _position(self) -> Position:
        self.sequence += 1
        return (self.facts.cell, self.statement_index, self.sequence)

    @property
    def _at_module_scope(self) -> bool:
        return self.function_depth == 0 and self.class_depth == 0

    def _is_watched(self, name: str) -> bool:
        return name in self.names and not any(name in scope for scope in self.local_names)

    def _bind(self, name: str, kind: BindingKind, **details: object) -> None:
        if self._at_module_scope and name in self.names:
            self.facts.bindings.append(Binding(name, self._position(), kind, **details))

    def _bind_target(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self._bind(target.value, BindingKind.ASSIGNMENT)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value)
        else:
            target.visit(self)

    def _visit_all(self, nodes: Iterable[cst.CSTNode | None]) -> None:
        for node in nodes:
            if node is not None:
                node.visit(self)

    def _visit_deferred(self, body: cst.CSTNode, params: cst.Parameters) -> None:
        local = {param.name.value for param in _all_params(params)}
        self.function_depth += 1
        self.local_names.append(frozenset(local))
        body.visit(self)
        self.local_names.pop()
        self.function_depth -= 1

    def _visit_param_defaults(self, params: cst.Parameters) -> None:
        for param in _all_params(params):
            self._visit_all((param.default, param.annotation))

    # -- statements ----------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> bool:
        for index, statement in enumerate(node.body):
            self.statement_index = index
            if isinstance(statement, cst.SimpleStatementLine) and any(
                isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
            ):
                self.facts.import_statements.append(index)
            statement.visit(self)
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self._visit_all(node.decorators)
        self._visit_param_defaults(node.params)
        self._visit_all((node.returns,))
        top_level = self._at_module_scope and self.facts.module.body[self.statement_index] is node
        self._bind(node.name.value, BindingKind.DEF, node=node if top_level else None)
        self._visit_deferred(node.body, node.params)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self._visit_param_defaults(node.params)
        self._visit_deferred(node.body, node.params)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self._visit_all(node.decorators)
        self._visit_all(node.bases)
        self._visit_all(node.keywords)
        self._bind(node.name.value, BindingKind.CLASS)
        self.class_depth += 1
        node.body.visit(self)
        self.class_depth -= 1
        return False

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                bound = alias.asname.name.value
            else:
                bound = dotted_name(alias.name).split(".")[0]
            self._bind(bound, BindingKind.IMPORT, source_module=dotted_name(alias.name))
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        module = "." * len(node.relative) + dotted_name(node.module)
        if isinstance(node.names, cst.ImportStar):
            if self._at_module_scope:
                self.facts.star_imports.append((self.statement_index, module))
            return False
        imported = set()
        for alias in node.names:
            name = dotted_name(alias.name)
            bound = alias.evaluated_alias or name
            imported.add(name if alias.asname is None else f"{name} as {bound}")
            self._bind(bound, BindingKind.IMPORT, source_module=module)
        statement = self.facts.module.body[self.statement_index]
        is_whole_statement = (
            isinstance(statement, cst.SimpleStatementLine)
            and len(statement.body) == 1
            and statement.body[0] is node
        )
        if module == self.target_module and is_whole_statement:
            self.facts.module_imports.append(ModuleImport(self.statement_index, frozenset(imported)))
        return False

    def visit_Assign(self, node: cst.Assign) -> bool:
        node.value.visit(self)
        for target in node.targets:
            self._bind_target(target.target)
        return False

    def visit_AnnAssign(self, node: cst.AnnAssign) -> bool:
        self._visit_all((node.annotation, node.value))
        if node.value is not None:
            self._bind_target(node.target)
        return False

    def visit_AugAssign(self, node: cst.AugAssign) -> bool:
        node.target.visit(self)
        node.value.visit(self)
        self._bind_target(node.target)
        return False

    def visit_NamedExpr(self, node: cst.NamedExpr) -> bool:
        node.value.visit(self)
        self._bind_target(node.target)
        return False

    def visit_For(self, node: cst.For) -> bool:
        node.iter.visit(self)
        self._bind_target(node.target)
        self._visit_all((node.body, node.orelse))
        return False

    def visit_WithItem(self, node: cst.WithItem) -> bool:
        node.item.visit(self)
        if node.asname is not None:
            self._bind_target(node.asname.name)
        return False

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> bool:
        self._visit_all((node.type,))
        if node.name is not None:
            self._bind_target(node.name.name)
        node.body.visit(self)
        return False

    def visit_Global(self, node: cst.Global) -> bool:
        return False

    def visit_Nonlocal(self, node: cst.Nonlocal) -> bool:
        return False

    # -- expressions ---------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> bool:
        func = node.func
        if isinstance(func, cst.Name) and self._is_watched(func.value):
            shape = CallShape(
                positional_count=sum(1 for arg in node.args if arg.keyword is None and not arg.star),
                keywords=tuple(arg.keyword.value for arg in node.args if arg.keyword is not None),
                unpacks=any(arg.star for arg in node.args),
            )
            self._record_use(func, shape)
        else:
            func.visit(self)
        for arg in node.args:
            arg.value.visit(self)
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> bool:
        if self._is_watched(node.value):
            self._record_use(node, None)
        return False

    def _record_use(self, node: cst.Name, call: CallShape | None) -> None:
        use = Use(node.value, self._position(), self.function_depth > 0, call, node)
        self.facts.uses.append(use)


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            found.append(star)
    return found

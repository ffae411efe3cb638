"""The module file's new text: its bytes kept, imports merged, definitions appended.

Imports are merged with libcst's `AddImportsVisitor`, which puts them in
the module's top import block, extends an existing `from x import a` and
never adds one twice. Definitions are appended as text after the last byte
of the file, with black's two blank lines before each: appending to
libcst's tree would put them before the file's trailing comments, and the
text is what the notebook holds (comments and layout included). libcst is
imported here only, when there is a module to write.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from nbrefactor.extract.gather import Definition
from nbrefactor.extract.needs import ImportSpec

NEW_MODULE_DOCSTRING = '"""Helpers extracted from notebooks by nbrefactor extract."""\n'


class ModuleFileError(Exception):
    """The module file cannot be extended; the message says why."""


def module_bindings(text: str) -> dict[str, ImportSpec | None]:
    """The names the module binds at top level: by an import (its spec), or else (def, class,
    assignment: None). A name bound twice keeps its last binding, as the module runs."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None)
        where = f"line {line}: " if line else ""
        raise ModuleFileError(f"does not parse ({where}{getattr(error, 'msg', error)})") from None
    names: dict[str, ImportSpec | None] = {}
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[statement.name] = None
        elif isinstance(statement, ast.Import):
            for alias in statement.names:
                spec = ImportSpec(alias.name, None, alias.asname)
                names[spec.bound] = spec
        elif isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                if alias.name != "*":
                    module = "." * statement.level + (statement.module or "")
                    spec = ImportSpec(module, alias.name, alias.asname)
                    names[spec.bound] = spec
        else:
            for node in ast.walk(statement):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names[node.id] = None
    return names


def module_text(
    old: str | None, imports: Sequence[ImportSpec], definitions: Sequence[Definition]
) -> str:
    """The module with `imports` merged and `definitions` appended; `old` None: a new module."""
    if not imports and not definitions:
        return NEW_MODULE_DOCSTRING if old is None else old
    import libcst
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor

    context = CodemodContext()
    for spec in imports:
        AddImportsVisitor.add_needed_import(context, spec.module, spec.obj, spec.asname)
    if old is None:
        imports_code = AddImportsVisitor(context).transform_module(libcst.parse_module("")).code
        text = NEW_MODULE_DOCSTRING + ("\n" + imports_code if imports_code else "")
        newline = "\n"
    else:
        tree = libcst.parse_module(old)
        text = AddImportsVisitor(context).transform_module(tree).code if imports else old
        newline = tree.default_newline
    for definition in definitions:
        text = _append(text, definition.source.replace("\n", newline), newline)
    return text


def _append(text: str, addition: str, newline: str) -> str:
    """`text`, then two blank lines (counting those it ends with), then `addition`."""
    if text and not text.endswith(("\n", "\r")):
        text += newline
    blank = 0
    lines = text.splitlines()
    while blank < len(lines) and blank < 2 and not lines[len(lines) - 1 - blank].strip():
        blank += 1
    return text + newline * (2 - blank) + addition

"""The module file's new text: its bytes kept, imports merged, definitions appended.

Imports are merged with libcst's `AddImportsVisitor`, which puts them in
the module's top import block, extends an existing `from x import a` and
never adds one twice; in a module whose top level does something besides
defining (`sys.path.insert(...)`, `matplotlib.use("Agg")`: `import_effects`),
which may be done for the imports after it, they are appended instead. Definitions are appended as text after the last byte
of the file, with black's two blank lines before each: appending to
libcst's tree would put them before the file's trailing comments, and the
text is what the notebook holds (comments and layout included); its
`__all__` is extended by `module_all`. libcst is imported here and there
only, when there is a module to write.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Sequence

from nbrefactor.analysis.effect_statements import first_effect, is_main_guard
from nbrefactor.analysis.text import split_lines
from nbrefactor.extract.gather import Definition
from nbrefactor.extract.import_block import import_block, laid_out_block
from nbrefactor.extract.import_specs import ImportSpec
from nbrefactor.extract.module_all import all_occurrence, with_all_extended
from nbrefactor.extract.module_reading import is_guarded_import, module_bindings, parsed_module

NEW_MODULE_DOCSTRING = '"""Helpers extracted from notebooks by nbrefactor extract."""\n'
# The comment on a guarded import's `except`.
OPTIONAL_COMMENT = "not every notebook importing this module has it"


def module_text(
    old: str | None,
    imports: Sequence[ImportSpec],
    definitions: Sequence[Definition],
    guarded: Collection[ImportSpec] = (),
) -> str:
    """The module with `imports` merged and `definitions` appended; `old` None: a new module.

    The `guarded` ones among `imports` are written each under `try`/`except Exception`
    (a package may raise more than ImportError when imported: `bokeh.sampledata.stocks`
    without its data raises RuntimeError), after the others: a notebook that imports from
    the module without having the package still runs, as it did with its own definitions
    (`optional.optional_imports`). The name is set to None there, unless another import
    binds it too (`import a.b` and `import a.c` both bind `a`).
    """
    if not imports and not definitions:
        return NEW_MODULE_DOCSTRING if old is None else old
    import libcst
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor

    context = CodemodContext()
    for spec in imports:
        if spec not in guarded:
            AddImportsVisitor.add_needed_import(context, spec.module, spec.obj, spec.asname)
    # A module whose top level does something (`sys.path.insert(...)`, `matplotlib.use("Agg")`,
    # `os.environ[...] = ...`) may do it for the imports below it: the new imports go after
    # all of it, appended, rather than into its top import block, which may come before.
    appended = old is not None and first_effect(parsed_module(old)) is not None
    if old is None:
        imports_code = import_block([spec for spec in imports if spec not in guarded])
        text = NEW_MODULE_DOCSTRING + ("\n" + imports_code if imports_code else "")
        newline = "\n"
    else:
        tree = libcst.parse_module(old)
        merged = imports and not appended
        if merged:
            tree = AddImportsVisitor(context).transform_module(tree)
        # A private dependency (`_fmt`) stays out of it: listed, it would be replaced in the
        # notebooks whose own copy differs, which keep it (sweep 25 X5).
        public = [item.name for item in definitions if not item.name.startswith("_")]
        tree = with_all_extended(tree, public, all_occurrence(parsed_module(old)))
        text = laid_out_block(old, tree.code) if merged else tree.code
        newline = tree.default_newline
    # What runs the module as a script stays last (sweep 26 e04): new code goes above it.
    text, main_block = _without_main_block(text)
    if appended:
        bound = module_bindings(text)
        unguarded = [
            spec for spec in imports if spec not in guarded and bound.get(spec.bound) != spec
        ]
        if unguarded:
            block = "".join(f"{spec}\n" for spec in unguarded)
            text = _append(text, block.replace("\n", newline), newline)
    already = module_bindings(text) if guarded else {}
    for spec in guarded:
        if already.get(spec.bound) != spec:
            shared = any(other.bound == spec.bound and other != spec for other in imports)
            # One blank line after the imports, as isort and ruff's `I001` lay them out.
            blank_lines = 1 if _ends_with_import(text) else 2
            text = _append(
                text, _guarded(spec, shared).replace("\n", newline), newline, blank_lines
            )
    for definition in definitions:
        text = _append(text, definition.source.replace("\n", newline), newline)
    return _append(text, main_block, newline) if main_block else text


def _without_main_block(text: str) -> tuple[str, str]:
    """(the text before, the module's last statement with the comment lines above it) when
    that statement is `if __name__ == "__main__":`; else (text, "")."""
    body = ast.parse(text).body
    last = body[-1] if body else None
    if not (isinstance(last, ast.If) and is_main_guard(last.test)):
        return text, ""
    lines = split_lines(text)  # as Python numbers lines: not at \f or \u2028
    start = last.lineno - 1
    while start > 0 and lines[start - 1].startswith("#"):
        start -= 1
    return "".join(lines[:start]), "".join(lines[start:])


def _guarded(spec: ImportSpec, shared: bool) -> str:
    fallback = "pass" if shared else f"{spec.bound} = None"
    return f"try:\n    {spec}\nexcept Exception:  # {OPTIONAL_COMMENT}\n    {fallback}\n"


def _append(text: str, addition: str, newline: str, blank_lines: int = 2) -> str:
    """`text`, then `blank_lines` blank lines (counting those it ends with), then `addition`;
    just `addition` when `text` is empty (an empty module file: sweep 26 e17)."""
    if not text:
        return addition
    if not text.endswith(("\n", "\r")):
        text += newline
    blank = 0
    lines = text.splitlines()
    while blank < len(lines) and blank < blank_lines and not lines[len(lines) - 1 - blank].strip():
        blank += 1
    return text + newline * (blank_lines - blank) + addition


def _ends_with_import(text: str) -> bool:
    """Whether the module's last statement is an import, or one guarded by `try`."""
    body = ast.parse(text).body
    last = body[-1] if body else None
    return isinstance(last, (ast.Import, ast.ImportFrom)) or (
        isinstance(last, ast.Try) and is_guarded_import(last)
    )

"""Rule 1's second half: the inline decorators must be the library's (`same_function`).

A decorator changes what the name is bound to (`@functools.lru_cache`,
`@np.vectorize`) or runs when the `def` runs (`@interact`), so a definition
is kept unless the library's function has the same ones, in the same order:
spelled the same, or once the name each starts with is read as what the
imports bind it to (the notebook's `from functools import lru_cache`, the
module's `import functools`). Decorators that only run the body in a context
(`@torch.no_grad()`) change what happens inside the body only, which a
migration may change: they are set aside, and the report says they differ.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from functools import cache

from nbrefactor import reasons
from nbrefactor.analysis.catalog import LibraryFunction
from nbrefactor.analysis.notebook_imports import NotebookImports
from nbrefactor.nbfile.notebook import Notebook

# Decorators that only run the function's body inside a context (grad tracking off, say):
# what they change stays inside the body, which a migration may change. Any other decorator
# changes what the name is bound to (`@functools.lru_cache`, `@np.vectorize`), or runs when
# the `def` runs (`@interact`): the definition is kept unless the library's has it too.
BODY_CONTEXT_DECORATORS = frozenset(
    {
        "torch.no_grad",
        "torch.no_grad()",
        "torch.inference_mode",
        "torch.inference_mode()",
        "torch.enable_grad",
        "torch.enable_grad()",
    }
)


def decorators_problem(
    node: ast.FunctionDef, library: LibraryFunction, notebook: Notebook | None = None
) -> reasons.DecoratorsDiffer | None:
    """Why the inline decorators are not the library's, or None (`BODY_CONTEXT_DECORATORS`
    aside, they are the same, in the same order, as `ast.unparse` writes them, or once the
    name each starts with is read as what the imports bind it to: the notebook's
    `@lru_cache(...)` after `from functools import lru_cache` is the module's
    `@functools.lru_cache(...)` after `import functools`)."""
    ours = tuple(ast.unparse(decorator) for decorator in node.decorator_list)
    if _without_context(ours) == _without_context(library.decorators):
        return None
    if notebook is not None:
        imports = NotebookImports(notebook)
        inline = [imported_as(decorator, _notebook_target(imports)) for decorator in ours]
        theirs = [imported_as(decorator, library.imported) for decorator in library.decorators]
        if None not in inline and inline == theirs:
            return None
    return reasons.DecoratorsDiffer(ours, library.qualified_name, library.decorators)


@cache
def _decorator_head() -> re.Pattern[str]:
    """The name a decorator starts with: `lru_cache` of `lru_cache(maxsize=None)`. Compiled
    when first needed: only a decorated definition is asked."""
    return re.compile(r"[A-Za-z_]\w*")


def imported_as(decorator: str, target_of: Callable[[str], str | None]) -> str | None:
    """The decorator with the name it starts with spelled as what an import binds it to
    (`lru_cache(maxsize=None)` -> `functools.lru_cache(maxsize=None)`); None when no import
    binds that name (or not one thing)."""
    head = _decorator_head().match(decorator)
    if head is None:
        return None
    target = target_of(head.group(0))
    return None if target is None else target + decorator[head.end() :]


def _notebook_target(imports: NotebookImports) -> Callable[[str], str | None]:
    """What the notebook's imports bind a name to, when they all bind it to one thing and
    nothing else may bind it (no `def` or `class` of it, no star import)."""

    def target(name: str) -> str | None:
        found = {bound for _, bound in imports.targets(name)}
        if len(found) != 1 or imports.definitions(name):
            return None
        if imports.wildcard("", stars_only=True) is not None:
            return None
        return found.pop()

    return target


def _without_context(decorators: Sequence[str]) -> list[str]:
    return [decorator for decorator in decorators if decorator not in BODY_CONTEXT_DECORATORS]


def context_decorators(decorators: Sequence[str]) -> list[str]:
    """Those of `decorators` that only run the body in a context (`@torch.no_grad()`)."""
    return [decorator for decorator in decorators if decorator in BODY_CONTEXT_DECORATORS]

"""What makes the notebook's copy of a module's helper another object than the module's,
though their texts are the same: state it keeps, names it sets, or the notebook changing it.

A replaced function calls its module's helpers (`_tick`, `_load`, `_fmt`), where the
pasted copy called the notebook's. The notebook keeps its own `def` of a private helper
(the migration replaces only the library's public names), so the two run side by side:
what one keeps or sets, the other does not see (round 59a: a `_tick` counting calls
through `global N_CALLS` printed 0 for 2; `_step.calls`, which the notebook then read,
raised AttributeError; an `lru_cache` on `_load`, which the notebook also called, loaded
twice; `_fmt.__defaults__ = (4,)` set by the notebook no longer applied).
`bound_otherwise._differs` asks this of a helper whose text is the module's.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from nbrefactor.analysis.constants import immutable_literal
from nbrefactor.analysis.import_targets import dotted_path
from nbrefactor.analysis.namespace_reads import namespace_read
from nbrefactor.analysis.words import is_word_character, word_offsets


def kept_apart(node: ast.FunctionDef | ast.AsyncFunctionDef, sources: Iterable[str]) -> str | None:
    """What the notebook's `def` keeps or changes apart from the module's of the same text,
    said as it ends "(... )" after its `def` line; None when it is a plain function: no
    decorator (a cache, a registry, a wrapper's state), a default that is a constant, no
    `global`, no use of its own name but calls, no namespace read by no name
    (`globals()`, `__name__`), and no attribute of it used by the notebook's cells
    (`sources`: `_fmt.__defaults__ = (4,)`, `@_fmt.register(float)`, `_fmt.cache_clear()`;
    not `_fmt.__name__`, which describes it)."""
    if node.decorator_list:
        return f"decorated with @{ast.unparse(node.decorator_list[0])}"
    arguments = node.args
    for default in (*arguments.defaults, *arguments.kw_defaults):
        if default is None or immutable_literal(default) or dotted_path(default) is not None:
            continue  # `window=WINDOW`, `dtype=np.float64`: read, as its body's names are
        return f"its default {ast.unparse(default)}, made by its own def"
    name = node.name
    called: set[int] = set()  # the `ast.Name`s called, by identity
    own: list[ast.Name] = []  # the uses of its own name
    for inner in ast.walk(node):
        if isinstance(inner, ast.Global):
            return f"setting {', '.join(inner.names)} through global"
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name):
            called.add(id(inner.func))
        elif isinstance(inner, ast.Name) and inner.id == name:
            own.append(inner)
    if any(id(use) not in called for use in own):
        return f"its body using {name} itself, not only calling it"
    through = namespace_read(ast.unparse(node))
    if through is not None:
        return f"reading its module through {through}"
    for source in sources:
        for offset in word_offsets(source, name):
            # A bounded look past the name: a line's spaces, the dot, the attribute.
            after = source[offset + len(name) : offset + len(name) + 100].lstrip(" \t")
            if after.startswith("."):
                attribute = after[1:].lstrip(" \t")
                end = next(
                    (at for at, char in enumerate(attribute) if not is_word_character(char)),
                    len(attribute),
                )
                if attribute[:end] not in _DESCRIBING:
                    return f"the notebook using {name}.{attribute[:end]}"
                continue
            # Its attributes set by other means (round 61a): `setattr(_fmt, ...)`, an alias
            # (`fmt = _fmt`, then `fmt.__defaults__ = ...`), `globals()['_fmt']`.
            before = source[max(0, offset - 100) : offset].rstrip(" \t")
            if before.endswith("setattr("):
                return f"the notebook setting its attributes (`setattr({name}, ...)`)"
            if before.endswith(("globals()['", 'globals()["')):
                return f"the notebook reaching it through `globals()['{name}']`"
            if _assigned_alone(before, after):
                return f"the notebook naming {name} under another name"
    return None


def _assigned_alone(before: str, after: str) -> bool:
    """Whether the name stands alone on the right of an assignment (`fmt = _fmt`): `before`
    ends with the `=`, `after` starts at the statement's end."""
    if not before.endswith("=") or before.endswith(("==", "!=", "<=", ">=")):
        return False
    return after[:1] in ("", "\n", "\r", ";", "#")


# Attributes that describe the function, which the notebook may read or set on its own
# object without changing what the module's code computes.
_DESCRIBING = frozenset({"__name__", "__qualname__", "__doc__", "__module__"})

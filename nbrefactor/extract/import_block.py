"""A new module's imports, laid out as isort and ruff's `I` rules lay them out.

`module_file` writes a new module's import block with this, not with libcst's
`AddImportsVisitor` (which orders by nothing a reader would recognise, and puts
the standard library's imports beside numpy's): ruff's `I001` passes on it
(sweep 26 q57). An existing module's block is the user's, merged into by libcst.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from nbrefactor.extract.import_specs import ImportSpec


def import_block(specs: Sequence[ImportSpec]) -> str:
    """A new module's imports as isort and ruff's `I` rules lay them out (sweep 26 q57): the
    `__future__` ones, the standard library's, then the others (relative ones last), a
    blank line between sections; in each, `import x` lines before `from x import ...` ones,
    by module, the names of one module in one statement (a renamed one in its own),
    constants, classes, then the rest."""
    sections: list[list[ImportSpec]] = [[], [], [], []]
    for spec in dict.fromkeys(specs):
        top = spec.module.partition(".")[0]
        if spec.module == "__future__":
            sections[0].append(spec)
        elif spec.module.startswith("."):
            sections[3].append(spec)
        else:
            sections[1 if top in sys.stdlib_module_names else 2].append(spec)
    blocks = []
    for section in sections:
        straight = sorted((s for s in section if s.obj is None), key=_by_module)
        lines = [str(spec) for spec in straight]
        names: dict[str, list[str]] = {}
        for spec in section:
            if spec.obj is not None:
                alias = f" as {spec.asname}" if spec.asname else ""
                names.setdefault(spec.module, []).append(f"{spec.obj}{alias}")
        for module in sorted(names, key=lambda name: (name.lower(), name)):
            # As `combine-as-imports = false`: the plain names in one statement, then each
            # renamed one in its own.
            listed = sorted(dict.fromkeys(names[module]), key=_by_type)
            plain = [name for name in listed if " as " not in name]
            if plain:
                lines.append(f"from {module} import {', '.join(plain)}")
            lines += [f"from {module} import {name}" for name in listed if " as " in name]
        if lines:
            blocks.append("".join(f"{line}\n" for line in lines))
    return "\n".join(blocks)


def _by_module(spec: ImportSpec) -> tuple[str, str]:
    return spec.module.lower(), str(spec)


def _by_type(name: str) -> tuple[int, str]:
    """isort's `order-by-type`: CONSTANTS, then Classes, then the rest."""
    bare = name.partition(" ")[0]
    kind = 0 if bare.isupper() and len(bare) > 1 else 1 if bare[:1].isupper() else 2
    return kind, name

"""Whether a piece of code can concern a migration, decided from its text alone."""

from __future__ import annotations

import re
from functools import lru_cache

_STAR_IMPORT = re.compile(r"import[ \t]*\*")


class Mentions:
    """Text that names a watched name or the target module, or star-imports.

    A plain substring test runs before the regular expression: most cells name
    none of the words, and `in` is several times faster than a regex search.
    """

    def __init__(self, names: frozenset[str], module: str) -> None:
        self.names = tuple(sorted(names))
        self.words = (*self.names, module.split(".")[0])
        self.pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, self.words))})\b")
        self.name_pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, self.names))})\b")
        self.module_import = re.compile(
            rf"^[ \t]*from[ \t]+{re.escape(module)}[ \t]+import\b", re.MULTILINE
        )

    def search(self, text: str) -> bool:
        """Any watched name, the module, or a star import."""
        if any(word in text for word in self.words) and self.pattern.search(text):
            return True
        return _star_import(text)

    def names_or_star_import(self, text: str) -> bool:
        """A watched name or a star import: what can bind or use the names."""
        if any(name in text for name in self.names) and self.name_pattern.search(text):
            return True
        return _star_import(text)

    def imports_from_module(self, text: str) -> bool:
        return "import" in text and self.module_import.search(text) is not None


def _star_import(text: str) -> bool:
    return "*" in text and _STAR_IMPORT.search(text) is not None


@lru_cache(maxsize=16)
def mentions_of(names: frozenset[str], module: str) -> Mentions:
    return Mentions(names, module)


@lru_cache(maxsize=16)
def definition_pattern(names: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(map(re.escape, names)))
    # Not anchored to the line start: a cell whose lines were glued together
    # still holds a def worth reporting, though it cannot be parsed.
    return re.compile(rf"\bdef[ \t]+({alternatives})[ \t]*\(")

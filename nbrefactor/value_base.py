"""The base of the frozen dataclasses: compared, hashed and shown by their fields, the code
written once for every type."""

from __future__ import annotations

import dataclasses
import reprlib


class ValueBase:
    """What `@dataclass(frozen=True)` generates for `==`, `hash()` and `repr()`, written once.

    dataclass compiles each generated method with `exec` when the module is imported,
    six for a frozen type, at every start of the command: 3.5 M instructions a type on
    Python 3.11, of which `__eq__`, `__hash__` and `__repr__` are 1.25 M; for the 55
    types a `migrate --check` of the demo imports, 8% of its instructions. These types
    are declared `@dataclass(frozen=True, eq=False, repr=False)` on this base, which
    compares, hashes and shows them as the generated methods would: equal when of the
    same class with equal compared fields (`field(compare=False)` left out), hashed by
    the same fields, shown as `Name(field=value, ...)` without the `repr=False` ones,
    `...` for an instance shown inside itself. They are still frozen dataclasses
    (`dataclasses.replace`, `fields`, `match`). Runs over the reference corpora call
    none of the three; tests and debugging do, so writing them once costs nothing.
    The reason types (`reason_base.ReasonBase`, not dataclasses) are compared, hashed
    and shown so too, by all their fields (`__match_args__`).
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        compared = _fields(self.__class__)[0]
        return _values(self, compared) == _values(other, compared)

    def __hash__(self) -> int:
        return hash(_values(self, _fields(self.__class__)[1]))

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _fields(self.__class__)[2])
        return f"{self.__class__.__qualname__}({shown})"


_Names = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
_NAMES: dict[type, _Names] = {}


def _fields(kind: type) -> _Names:
    """The names of the fields a type's instances are compared by, hashed by and shown with,
    chosen as dataclass chooses them; looked up once per type."""
    names = _NAMES.get(kind)
    if names is None:
        names = _NAMES[kind] = _field_names(kind)
    return names


def _field_names(kind: type) -> _Names:
    if not dataclasses.is_dataclass(kind):  # a reason type (`reason_base`): every field, in order
        names: tuple[str, ...] = getattr(kind, "__match_args__", ())
        return names, names, names
    fields = dataclasses.fields(kind)
    compared = tuple(field.name for field in fields if field.compare)
    hashed = tuple(
        field.name for field in fields if (field.compare if field.hash is None else field.hash)
    )
    shown = tuple(field.name for field in fields if field.repr)
    return compared, hashed, shown


def _values(value: object, names: tuple[str, ...]) -> tuple[object, ...]:
    return tuple(getattr(value, name) for name in names)

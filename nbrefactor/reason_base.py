"""The base of the reason types (`reasons`): a frozen value built from its annotated fields."""

from __future__ import annotations

import inspect
from dataclasses import FrozenInstanceError
from typing import ClassVar, dataclass_transform

from nbrefactor.value_base import ValueBase


@dataclass_transform(frozen_default=True, eq_default=True)
class ReasonBase(ValueBase):
    """A frozen value with the fields its subclass annotates: built from them here, and
    compared, hashed and shown by them as every value type is (`ValueBase`).

    Not `@dataclass`: it compiles `__init__`, `__eq__`, `__hash__`, `__repr__` and
    the frozen `__setattr__` for each type at every start of the command, which
    made `reasons` a tenth of the start-up of a run that reports a definition
    (10 ms). `dataclass_transform` gives type checkers each type's signature, as
    for a frozen dataclass; the fields, in order, are its `__match_args__`.
    """

    __match_args__: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        # The annotations as written (strings: `from __future__ import annotations`).
        annotations = inspect.get_annotations(cls)
        fields = tuple(
            name
            for name, annotation in annotations.items()
            if not str(annotation).startswith(("ClassVar", "typing.ClassVar"))
        )
        cls.__match_args__ = fields  # type: ignore[misc]  # mypy: __match_args__ is final

    def __init__(self, *values: object, **named: object) -> None:
        fields = self.__match_args__
        kind = type(self).__name__
        if len(values) > len(fields):
            raise TypeError(f"{kind}() takes {len(fields)} arguments but {len(values)} were given")
        given = dict(zip(fields, values))
        for name, value in named.items():
            if name not in fields or name in given:
                raise TypeError(f"{kind}() got an unexpected or repeated argument {name!r}")
            given[name] = value
        # A field given a value in the class body (`library_default: str | None = None`)
        # has that default.
        defaults = type(self).__dict__
        missing = [name for name in fields if name not in given and name not in defaults]
        if missing:
            raise TypeError(f"{kind}() missing arguments: {', '.join(missing)}")
        for name in fields:
            object.__setattr__(self, name, given[name] if name in given else defaults[name])

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

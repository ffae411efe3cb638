"""The value types on ValueBase compare, hash and show as `@dataclass(frozen=True)` makes them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pytest

from nbrefactor.config import Config, Mode
from nbrefactor.reason_base import ReasonBase
from nbrefactor.value_base import ValueBase


@dataclass(frozen=True, eq=False, repr=False)
class _Shared(ValueBase):
    name: str
    cells: tuple[int, ...] = ()
    source: str | None = field(default=None, compare=False, repr=False)
    inner: object = None


@dataclass(frozen=True)
class _Generated:
    name: str
    cells: tuple[int, ...] = ()
    source: str | None = field(default=None, compare=False, repr=False)
    inner: object = None


class _Other(_Shared):
    """The same fields, another class."""


@dataclass(frozen=True, eq=False, repr=False)
class _Empty(ValueBase):
    pass


@pytest.mark.parametrize(
    "args",
    [("f",), ("f", (1, 2)), ("f", (1,), "def f(): pass"), ("g", (), None, ("x", 1.5))],
)
def test_shown_and_hashed_as_the_generated_methods(args: tuple[object, ...]) -> None:
    shared, generated = _Shared(*args), _Generated(*args)  # type: ignore[arg-type]
    assert repr(shared) == repr(generated).replace("_Generated", "_Shared")
    assert hash(shared) == hash(generated)


def test_equal_by_class_and_compared_fields() -> None:
    shared = _Shared("f", (1,), "one source")
    assert shared == _Shared("f", (1,), "another source")  # `source` is not compared
    assert shared != _Shared("f", (2,), "one source")
    assert shared != _Other("f", (1,), "one source")  # same fields, other class
    assert shared != _Generated("f", (1,), "one source")
    assert shared != ("f", (1,), None)
    assert shared.__eq__(("f", (1,), None)) is NotImplemented
    assert len({shared, _Shared("f", (1,), "another source")}) == 1
    assert _Empty() == _Empty()
    assert hash(_Empty()) == hash(())
    assert repr(_Empty()) == "_Empty()"


def test_shown_inside_itself_as_dots() -> None:
    holder: list[object] = []
    shared, generated = _Shared("f", inner=holder), _Generated("f", inner=holder)
    holder.append(shared)
    assert repr(shared) == "_Shared(name='f', cells=(), inner=[...])"
    holder[0] = generated
    assert repr(generated) == "_Generated(name='f', cells=(), inner=[...])"


def test_still_frozen_dataclasses() -> None:
    config = Config(mode=Mode.CHECK)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.quiet = True  # type: ignore[misc]
    assert dataclasses.replace(config, quiet=True) == Config(mode=Mode.CHECK, quiet=True)
    assert config != dataclasses.replace(config, quiet=True)
    assert repr(config).startswith("Config(bump=<Bump.PATCH: 'patch'>, changelog=None, now=")
    assert [f.name for f in dataclasses.fields(config)][:2] == ["bump", "changelog"]


def test_every_type_on_the_base_leaves_it_the_three_methods() -> None:
    """A type on ValueBase compares, hashes and shows as its frozen dataclass would only
    if dataclass generates none of the three and the type writes none itself; ordered
    types (`order=True`) compare through the generated methods, which are not there."""
    import importlib
    import pkgutil

    import nbrefactor

    found = []
    for module_info in pkgutil.walk_packages(nbrefactor.__path__, "nbrefactor."):
        if module_info.name.endswith("__main__"):  # runs the command
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, ValueBase)
                and value is not ValueBase
                and value.__module__ == module.__name__
            ):
                if not dataclasses.is_dataclass(value):  # a reason type: ReasonBase builds it
                    assert issubclass(value, ReasonBase), value
                    assert not {"__eq__", "__hash__", "__repr__"} & set(vars(value)), value
                    continue
                found.append(value)
                params = value.__dataclass_params__  # type: ignore[attr-defined]
                assert params.frozen and not params.eq and not params.repr, value
                assert not params.order and not params.unsafe_hash, value
                assert not {"__eq__", "__hash__", "__repr__"} & set(vars(value)), value
    assert len(found) >= 55

"""Turn whatever array the user has at hand into a float ``numpy.ndarray``.

Every public function converts its array arguments with :func:`to_numpy`, so a
torch tensor (on any device, with ``requires_grad``, in float16 or bfloat16), a
numpy array, a masked array, or a nested list of numbers (or of 0-d tensors,
as a training loop collects them) all plot the same way.

torch is never imported here unless the value already *is* a tensor: a tensor
can only exist once torch has been imported, so ``sys.modules`` tells.
"""

from __future__ import annotations

import operator
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, SupportsIndex, TypeAlias, cast

import numpy as np

if TYPE_CHECKING:
    import torch

    ArrayLike: TypeAlias = np.ndarray | torch.Tensor | Sequence[Any] | float
else:
    ArrayLike: TypeAlias = Any

__all__ = [
    "ArrayLike",
    "as_index",
    "as_int",
    "is_tensor",
    "optional_number",
    "require_finite",
    "require_ndim",
    "to_numpy",
]


def is_tensor(value: object) -> bool:
    """Return whether ``value`` is a ``torch.Tensor``, without importing torch."""
    torch = sys.modules.get("torch")
    tensor_type = getattr(torch, "Tensor", None)
    return isinstance(tensor_type, type) and isinstance(value, tensor_type)


def _tensor_to_numpy(tensor: Any, name: str) -> np.ndarray:
    import torch  # already imported: `tensor` is a torch.Tensor

    tensor = tensor.detach()
    if tensor.device.type == "meta":
        raise TypeError(f"{name} is a tensor on the 'meta' device, which holds no values")
    if tensor.layout != torch.strided:
        tensor = tensor.to_dense()
    if tensor.is_complex():
        raise TypeError(f"{name} must be real-valued, got a tensor of dtype {tensor.dtype}")
    if tensor.dtype in (torch.float16, torch.bfloat16):
        tensor = tensor.to(torch.float32)  # numpy has no bfloat16; upcast both half types
    elif tensor.dtype not in (torch.float32, torch.float64):
        tensor = tensor.to(torch.float64)  # bool and integer tensors
    tensor = tensor.cpu().resolve_conj().resolve_neg()
    return tensor.numpy().astype(np.float64)


def _contains_tensor(value: object) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_contains_tensor(item) for item in value)
    return is_tensor(value)


def to_numpy(values: ArrayLike, *, name: str = "values") -> np.ndarray:
    """Convert ``values`` to a new float64 ``numpy.ndarray``.

    Parameters
    ----------
    values
        A ``torch.Tensor`` (any device or dtype, gradients are detached), a
        ``numpy.ndarray`` (masked entries become NaN), anything with
        ``__array__``, a scalar, or a nested list/tuple of those. ``None``
        inside a list becomes NaN.
    name
        The parameter name used in error messages.

    Returns
    -------
    numpy.ndarray
        A float64 array that shares no memory with ``values``.

    Raises
    ------
    TypeError
        If ``values`` is ``None``, a string, complex, or not numeric.
    ValueError
        If nested lists are ragged (rows of different lengths).

    Examples
    --------
    >>> to_numpy([[1, 2], [3, None]]).tolist()
    [[1.0, 2.0], [3.0, nan]]
    """
    if values is None:
        raise TypeError(f"{name} is None; expected an array, a tensor or a nested list")
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be numeric, got a {type(values).__name__}")
    if is_tensor(values):
        return _tensor_to_numpy(values, name)
    if isinstance(values, (list, tuple)) and _contains_tensor(values):
        parts = [to_numpy(item, name=name) for item in values]
        if len({part.shape for part in parts}) > 1:
            shapes = sorted({part.shape for part in parts})
            raise ValueError(f"{name} is ragged: its items have different shapes {shapes}")
        return np.stack(parts) if parts else np.empty(0)
    if isinstance(values, np.ma.MaskedArray):
        if np.iscomplexobj(values):
            raise TypeError(f"{name} must be real-valued, got dtype {values.dtype}")
        return np.ma.filled(values.astype(np.float64), np.nan)
    try:
        array = np.asarray(values)
    except ValueError as error:  # ragged nested lists
        raise ValueError(
            f"{name} is ragged: nested lists must all have the same length ({error})"
        ) from None
    if array.dtype.kind in "biuf":
        return array.astype(np.float64)  # astype copies
    if array.dtype.kind == "c":
        raise TypeError(f"{name} must be real-valued, got dtype {array.dtype}")
    if array.dtype.kind == "O":
        try:
            return array.astype(np.float64)
        except (TypeError, ValueError):
            pass
    raise TypeError(f"{name} must be numeric, got {type(values).__name__} of dtype {array.dtype}")


def require_ndim(array: np.ndarray, ndims: Sequence[int], *, name: str, shape: str) -> np.ndarray:
    """Check that ``array`` has one of ``ndims`` dimensions and is not empty.

    ``shape`` describes the expected shape for the message, e.g. ``"[layers, heads]"``.
    """
    if array.ndim not in ndims:
        raise ValueError(
            f"{name} must have shape {shape}, got {array.ndim} dimension(s) "
            f"with shape {tuple(array.shape)}"
        )
    if array.size == 0:
        raise ValueError(f"{name} must have shape {shape}, got an empty array {tuple(array.shape)}")
    return array


def require_finite(array: np.ndarray, *, name: str) -> np.ndarray:
    """Check that ``array`` holds at least one finite value; return it.

    NaN and inf are drawn masked, so an array of nothing else would draw an empty
    panel under a made-up scale: refuse it, naming it.
    """
    if not np.isfinite(array).any():
        raise ValueError(
            f"{name} holds no finite value: all {array.size} are NaN or inf, nothing to draw"
        )
    return array


def as_int(value: object, *, name: str) -> int:
    """Return ``value`` as an ``int``: a Python or numpy integer, or a 0-d integer tensor.

    ``True``/``False`` are refused although ``bool`` is an ``int``: ``head_idx=True``
    is a mistake, not head 1. Floats are refused even when whole, as ``range`` does.
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if isinstance(value, SupportsIndex):  # Python and numpy integers, tensors
        try:
            return operator.index(value)
        except TypeError:
            pass  # a float tensor has __index__ but refuses it
    raise TypeError(f"{name} must be an integer, got {type(value).__name__}")


def as_index(value: object, size: int, *, name: str, what: str, allow_negative: bool = True) -> int:
    """Return ``value`` as an index into ``size`` items.

    Negative values count from the end when ``allow_negative``. ``what`` names
    the axis in the message, e.g. ``"heads"``.
    """
    index = as_int(value, name=name)
    low = -size if allow_negative else 0
    if not low <= index < size:
        raise ValueError(f"{name}={index} is out of range: there are {size} {what} (0..{size - 1})")
    return index % size


def optional_number(value: object, *, name: str) -> float | None:
    """Return ``value`` as a finite ``float``, or ``None`` for ``None``.

    Accepts Python and numpy numbers and single-element arrays or tensors (a
    ``vmax`` computed with torch). NaN and inf are refused: a colour limit must
    be a number.
    """
    if value is None:
        return None
    try:
        number = to_numpy(cast(ArrayLike, value), name=name)  # it checks the type
    except TypeError:
        raise TypeError(f"{name} must be a finite number or None, got {value!r}") from None
    if number.size != 1 or not np.isfinite(number).all():
        raise ValueError(f"{name} must be a finite number or None, got {value!r}")
    return float(number.reshape(()))

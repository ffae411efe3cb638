"""to_numpy: one converter for tensors, arrays and nested lists."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis.extra import numpy as hnp

from viz_utils._convert import as_index, as_int, is_tensor, require_ndim, to_numpy


def test_numpy_array_becomes_a_float64_copy():
    values = np.arange(6, dtype=np.int32).reshape(2, 3)
    array = to_numpy(values)
    assert array.dtype == np.float64
    np.testing.assert_array_equal(array, values)
    array[0, 0] = 99
    assert values[0, 0] == 0


def test_nested_lists_with_none_become_nan():
    array = to_numpy([[1, 2], [3, None]])
    np.testing.assert_array_equal(array, [[1.0, 2.0], [3.0, np.nan]])


def test_masked_entries_become_nan():
    values = np.ma.masked_array([1.0, 2.0, 3.0], mask=[False, True, False])
    np.testing.assert_array_equal(to_numpy(values), [1.0, np.nan, 3.0])


def test_scalar_and_bool():
    assert to_numpy(3).shape == ()
    np.testing.assert_array_equal(to_numpy([True, False]), [1.0, 0.0])


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (None, "is None"),
        ("abc", "must be numeric"),
        ([["a", "b"]], "must be numeric"),
        (np.array([1 + 2j]), "real-valued"),
        ({"a": 1}, "must be numeric"),
    ],
)
def test_non_numeric_values_raise_type_error_naming_the_parameter(values, message):
    with pytest.raises(TypeError, match=f"grad_norm_values.*{message}|{message}"):
        to_numpy(values, name="grad_norm_values")


def test_ragged_lists_raise_value_error():
    with pytest.raises(ValueError, match="entropy_values is ragged"):
        to_numpy([[1, 2], [3]], name="entropy_values")


def test_require_ndim_names_parameter_and_shape():
    with pytest.raises(ValueError, match=r"x must have shape \[layers, heads\], got 1 dim"):
        require_ndim(np.zeros(3), (2,), name="x", shape="[layers, heads]")
    with pytest.raises(ValueError, match=r"x must have shape \[layers, heads\], got an empty"):
        require_ndim(np.zeros((0, 3)), (2,), name="x", shape="[layers, heads]")


def test_as_int_accepts_integers_only():
    assert as_int(3, name="n") == 3
    assert as_int(np.int32(-2), name="n") == -2
    with pytest.raises(TypeError, match=r"^n must be an integer, got True$"):
        as_int(True, name="n")
    with pytest.raises(TypeError, match=r"^n must be an integer, got float$"):
        as_int(2.0, name="n")
    with pytest.raises(TypeError, match=r"^n must be an integer, got str$"):
        as_int("2", name="n")


def test_as_index():
    assert as_index(-1, 12, name="head_idx", what="heads") == 11
    assert as_index(np.int64(3), 12, name="head_idx", what="heads") == 3
    with pytest.raises(ValueError, match=r"head_idx=12 is out of range: there are 12 heads"):
        as_index(12, 12, name="head_idx", what="heads")
    with pytest.raises(ValueError, match="out of range"):
        as_index(-1, 12, name="head", what="heads", allow_negative=False)
    with pytest.raises(TypeError, match="head_idx must be an integer"):
        as_index(1.5, 12, name="head_idx", what="heads")
    with pytest.raises(TypeError, match="head_idx must be an integer"):
        as_index(True, 12, name="head_idx", what="heads")


@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=5)))
def test_numpy_and_nested_lists_agree(values):
    np.testing.assert_array_equal(to_numpy(values.tolist()), to_numpy(values))


# torch ---------------------------------------------------------------------


def test_is_tensor(torch):
    assert is_tensor(torch.zeros(2))
    assert is_tensor(torch.nn.Parameter(torch.zeros(2)))
    assert not is_tensor(np.zeros(2))
    assert not is_tensor([1, 2])


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16", "int64", "bool"])
def test_tensor_dtypes(torch, dtype):
    tensor = torch.tensor([[0.0, 1.0], [0.5, 0.25]]).to(getattr(torch, dtype))
    array = to_numpy(tensor)
    assert array.dtype == np.float64
    np.testing.assert_array_equal(array, tensor.to(torch.float64).numpy())


def test_tensor_requiring_grad_is_detached(torch):
    weights = torch.ones(2, 3, requires_grad=True)
    result = (weights * 2).sum(dim=0)
    np.testing.assert_array_equal(to_numpy(result), [4.0, 4.0, 4.0])
    np.testing.assert_array_equal(to_numpy(weights), np.ones((2, 3)))


def test_list_of_scalar_tensors_as_a_training_loop_collects_them(torch):
    losses = [torch.tensor(2.5, requires_grad=True) * 1, torch.tensor(1.5, dtype=torch.bfloat16)]
    np.testing.assert_array_equal(to_numpy(losses), [2.5, 1.5])


def test_list_of_tensors_with_different_shapes_is_ragged(torch):
    with pytest.raises(ValueError, match="attn is ragged"):
        to_numpy([torch.zeros(2), torch.zeros(3)], name="attn")


def test_non_contiguous_and_negative_views(torch):
    tensor = torch.arange(6.0).reshape(2, 3).t()
    np.testing.assert_array_equal(to_numpy(tensor), np.arange(6.0).reshape(2, 3).T)
    np.testing.assert_array_equal(to_numpy(torch.arange(3.0).neg()), [-0.0, -1.0, -2.0])


def test_meta_tensor_is_a_clear_type_error(torch):
    with pytest.raises(TypeError, match="x is a tensor on the 'meta' device"):
        to_numpy(torch.zeros(2, device="meta"), name="x")


def test_sparse_tensor(torch):
    dense = torch.tensor([[0.0, 1.0], [2.0, 0.0]])
    np.testing.assert_array_equal(to_numpy(dense.to_sparse()), dense.numpy())

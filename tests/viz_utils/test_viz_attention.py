"""visualize_attention_matrix: one head's query x key pattern, from any layout."""

import numpy as np
import pytest

from viz_utils import visualize_attention_matrix


def _softmax(scores):
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return weights / weights.sum(axis=-1, keepdims=True)


@pytest.fixture
def attentions(rng):
    """Like Hugging Face `outputs.attentions`: 3 layers of [batch 2, heads 4, seq 5, seq 5]."""
    return tuple(_softmax(rng.normal(size=(2, 4, 5, 5))) for _ in range(3))


def _shown(fig):
    return np.ma.filled(fig.axes[0].images[0].get_array(), np.nan)


def test_two_dimensional_matrix(attentions):
    matrix = attentions[0][0, 0]
    fig = visualize_attention_matrix(matrix)
    assert len(fig.axes) == 2
    ax = fig.axes[0]
    np.testing.assert_array_equal(_shown(fig), matrix)
    assert ax.images[0].get_clim() == (0.0, 1.0)
    assert ax.get_title() == "Attention (layer 0, head 0)"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Key position", "Query position")
    assert fig.axes[1].get_ylabel() == "Attention weight"


def test_labels_for_a_single_matrix_come_from_the_indices(attentions):
    fig = visualize_attention_matrix(attentions[0][0, 0], 7, 3)
    assert fig.axes[0].get_title() == "Attention (layer 7, head 3)"


def test_heads_axis(attentions):
    heads = attentions[1][0]
    fig = visualize_attention_matrix(heads, head_idx=2)
    np.testing.assert_array_equal(_shown(fig), heads[2])


def test_batch_axis_shows_batch_zero(attentions):
    fig = visualize_attention_matrix(attentions[1], head_idx=3)
    np.testing.assert_array_equal(_shown(fig), attentions[1][0, 3])


def test_per_layer_tuple(attentions):
    fig = visualize_attention_matrix(attentions, layer_idx=2, head_idx=1, title="L2H1")
    np.testing.assert_array_equal(_shown(fig), attentions[2][0, 1])
    assert fig.axes[0].get_title() == "L2H1"


def test_negative_indices_count_from_the_end(attentions):
    fig = visualize_attention_matrix(list(attentions), layer_idx=-1, head_idx=-1)
    np.testing.assert_array_equal(_shown(fig), attentions[2][0, 3])
    assert fig.axes[0].get_title() == "Attention (layer 2, head 3)"


def test_stacked_layers(attentions):
    fig = visualize_attention_matrix(np.stack(attentions), layer_idx=1, head_idx=2)
    np.testing.assert_array_equal(_shown(fig), attentions[1][0, 2])


def test_nested_lists(attentions):
    fig = visualize_attention_matrix(attentions[0][0].tolist(), head_idx=1)
    np.testing.assert_array_equal(_shown(fig), attentions[0][0, 1])


def test_colour_limits_widen_only_when_data_leave_zero_one(rng):
    scores = rng.normal(scale=3.0, size=(4, 4))
    fig = visualize_attention_matrix(scores)
    assert fig.axes[0].images[0].get_clim() == (min(0, scores.min()), max(1, scores.max()))
    fig = visualize_attention_matrix(np.full((3, 3), 1 / 3))
    assert fig.axes[0].images[0].get_clim() == (0.0, 1.0)


def test_cross_attention_is_not_square(rng):
    fig = visualize_attention_matrix(_softmax(rng.normal(size=(3, 7))))
    assert _shown(fig).shape == (3, 7)


def test_nan_and_inf_are_masked(attentions):
    matrix = attentions[0][0, 0].copy()
    matrix[1, 2], matrix[3, 3] = np.nan, -np.inf
    fig = visualize_attention_matrix(matrix)
    data = fig.axes[0].images[0].get_array()
    assert data.mask[1, 2] and data.mask[3, 3] and data.mask.sum() == 2
    assert fig.axes[0].images[0].get_clim() == (0.0, 1.0)
    fig.canvas.draw()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"head_idx": 4}, ValueError, r"head_idx=4 is out of range: there are 4 heads"),
        ({"head_idx": -5}, ValueError, r"head_idx=-5 is out of range"),
        ({"layer_idx": 3}, ValueError, r"layer_idx=3 is out of range: there are 3 layers"),
        ({"layer_idx": 1.0}, TypeError, r"layer_idx must be an integer"),
        ({"head_idx": "0"}, TypeError, r"head_idx must be an integer"),
    ],
)
def test_bad_indices(attentions, kwargs, error, message):
    with pytest.raises(error, match=message):
        visualize_attention_matrix(attentions, **kwargs)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (np.zeros(5), r"attn_matrix must have shape \[seq, seq\], \[heads, seq, seq\].*got 1 dim"),
        (np.zeros((1,) * 6), r"attn_matrix must have shape .* got 6 dim"),
        (np.zeros((0, 0)), r"attn_matrix must have shape .* got an empty array"),
        (np.zeros((2, 0, 0)), r"attn_matrix must have shape .* got an empty"),
        ([], r"attn_matrix must have shape .* got an empty list"),
        ([np.zeros((4, 4))], r"attn_matrix\[0\] must have shape \[batch, heads, seq, seq\]"),
    ],
)
def test_bad_shapes(value, message):
    with pytest.raises(ValueError, match=message):
        visualize_attention_matrix(value)


# torch ---------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
def test_hugging_face_tuple_of_tensors(torch, attentions, dtype):
    tensors = tuple(
        torch.tensor(layer, dtype=getattr(torch, dtype), requires_grad=True) for layer in attentions
    )
    fig = visualize_attention_matrix(tensors, layer_idx=1, head_idx=2)
    expected = tensors[1][0, 2].detach().to(torch.float64).numpy()
    np.testing.assert_array_equal(_shown(fig), expected)


def test_tensor_with_grad(torch, attentions):
    scores = torch.tensor(attentions[0][0], requires_grad=True)
    fig = visualize_attention_matrix(scores.softmax(-1), head_idx=1)
    np.testing.assert_allclose(_shown(fig), scores[1].softmax(-1).detach().numpy())

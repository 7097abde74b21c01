"""Core layers (kfn/pure/layers/core.py) against Keras 3 and NumPy."""

import keras
import numpy as np
import pytest

import kfn
from kfn import ops
from tests.conftest import BACKEND
from tests.pure.layers.cases import LayerCase, case_id, check_layer, expect_error, f32, i32


def lora_reference(weights, x):
    bias, lora_a, lora_b, kernel = weights
    return x @ (kernel + (4.0 / 2) * lora_a @ lora_b) + bias


CASES = [
    LayerCase("Dense", {"units": 4}, (f32(2, 3),)),
    LayerCase("Dense", {"units": 4, "activation": "relu"}, (f32(2, 5, 3),)),
    LayerCase("Dense", {"units": 1, "use_bias": False, "activation": "tanh"}, (f32(3, 6),)),
    LayerCase(
        "Dense",
        {"units": 3, "kernel_initializer": "ones", "bias_initializer": "ones"},
        (f32(2, 2),),
        keras=False,
        reference=lambda w, x: x @ w[0] + w[1],
    ),
    LayerCase(
        "Dense",
        {"units": 2, "lora_rank": 2, "lora_alpha": 4.0},
        (f32(2, 3),),
        keras=False,
        reference=lora_reference,
        gradients=False,  # lora_kernel_b starts at zero, so lora_kernel_a gets none at first
    ),
    LayerCase("Identity", {}, (f32(2, 3),)),
    LayerCase(
        "Lambda",
        {"function": ops.square},
        (f32(2, 3),),
        keras=False,
        reference=lambda w, x: np.square(x),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_layer(case):
    check_layer(case)


def test_dense_lora_update_is_used():
    dense = kfn.layers.Dense(2, lora_rank=2, lora_alpha=4.0)
    x = f32(3, 3)
    dense(x)
    weights = [
        np.random.default_rng(0).normal(size=w.shape).astype("float32") for w in dense.get_weights()
    ]
    dense.set_weights(weights)
    assert {v.name for v in dense.trainable_variables} == {"bias", "lora_kernel_a", "lora_kernel_b"}
    assert [v.name for v in dense.non_trainable_variables] == ["kernel"]
    np.testing.assert_allclose(
        ops.convert_to_numpy(dense(x)), lora_reference(weights, x), rtol=1e-5, atol=1e-5
    )


def test_dense_errors_name_the_layer_and_the_shapes():
    dense = kfn.layers.Dense(4, name="dense_errors")
    dense(f32(2, 64))
    with pytest.raises(
        ValueError,
        match=r"Dense 'dense_errors' expected input last dimension 64, got 32 \(input shape \(2, 32\)\)",
    ):
        dense(f32(2, 32))
    expect_error("Dense", r"Dense '.*' expected input of rank >= 2, got rank 1", f32(3), units=2)
    with pytest.raises(ValueError, match="Dense: units must be a positive integer, got 0"):
        kfn.layers.Dense(0)
    with pytest.raises(TypeError, match="Dense: unexpected keyword argument"):
        kfn.layers.Dense(3, unit=4)


def test_dense_attributes_read_as_in_keras():
    dense = kfn.layers.Dense(3, activation="relu", name="d")
    assert dense.units == 3 and dense.use_bias and dense.name == "d"
    dense(f32(2, 5))
    assert dense.kernel.shape == (5, 3) and dense.bias.shape == (3,)
    assert dense.kernel.path == "d/kernel"
    assert [w.shape for w in dense.get_weights()] == [(5, 3), (3,)]
    assert dense.count_params() == 18


# ---------------------------------------------------------------------------- EinsumDense


def padded_steps(*shape, value=0.0):
    """Sequences with some whole steps equal to `value` and one step only partly so."""
    x = f32(*shape)
    x[0, 1] = value
    x[1, -1] = value
    x[-1, 0, 0] = value  # a partial match: the step is kept
    return x


def einsum_lora_reference(weights, x):
    lora_a, lora_b, kernel = weights
    return np.einsum("abc,cde->abde", x, kernel + (2.0 / 2) * (lora_a @ lora_b))


def einsum_case(equation, output_shape, inputs, bias_axes=None, **options):
    """An EinsumDense row: zeros initializers (no RNG compilation per kernel shape on JAX),
    then random weights copied into both kfn and Keras."""
    config = {"equation": equation, "output_shape": output_shape, "bias_axes": bias_axes}
    config.update(options.pop("config", {}))
    config["kernel_initializer"] = "zeros"
    case_id = f"EinsumDense({equation!r},{output_shape!r},bias_axes={bias_axes!r})"
    return LayerCase(
        "EinsumDense", config, inputs, random_weights=True, id=options.pop("id", case_id), **options
    )


def embedding_case(config, inputs, **options):
    name = options.pop("id", f"Embedding({config['input_dim']},{config['output_dim']})")
    config = {**config, "embeddings_initializer": "zeros"}
    return LayerCase("Embedding", config, inputs, random_weights=True, id=name, **options)


EINSUM_CASES = [
    einsum_case("ab,bc->ac", 4, (f32(2, 3),), "c"),
    einsum_case("abc,cd->abd", (None, 4), (f32(2, 5, 3),), "d"),
    einsum_case(
        "abc,cde->abde",
        (None, 2, 4),
        (f32(2, 5, 3),),
        "de",
        config={"activation": "relu"},
        id="EinsumDense('abc,cde->abde',bias_axes='de',activation='relu')",
    ),
    einsum_case("abc,cd->abd", (5, 4), (f32(2, 5, 3),), "b"),
    einsum_case("abcd,cde->abe", (3, 6), (f32(2, 3, 4, 5),)),
    einsum_case("...b,bc->...c", 4, (f32(2, 3, 5, 6),), "c"),
    einsum_case("ab...,bc->ac...", 4, (f32(2, 3, 5),), "c"),
    einsum_case(
        "abc,cde->abde",
        (None, 2, 2),
        (f32(2, 4, 3),),
        config={"lora_rank": 2, "lora_alpha": 2.0},
        keras=False,
        reference=einsum_lora_reference,
        id="EinsumDense(lora_rank=2)",
    ),
]

EMBEDDING_CASES = [
    embedding_case({"input_dim": 10, "output_dim": 4}, (i32(3, 5),)),
    embedding_case({"input_dim": 10, "output_dim": 3}, (i32(6),), id="Embedding-rank-1-ids"),
    embedding_case(
        {"input_dim": 7, "output_dim": 2, "mask_zero": True},
        (i32(2, 3, 4, high=7),),
        id="Embedding(mask_zero=True)-rank-3-ids",
    ),
    embedding_case(
        {"input_dim": 10, "output_dim": 4},
        (i32(3, 5).astype(np.float32),),
        id="Embedding-float-ids",
    ),
    embedding_case(
        {"input_dim": 10, "output_dim": 4}, (i32(3, 5).astype(np.int64),), id="Embedding-int64-ids"
    ),
    embedding_case(
        {"input_dim": 10, "output_dim": 4, "lora_rank": 2},
        (i32(3, 5),),
        keras=False,
        reference=lambda w, ids: (w[2] + w[0] @ w[1])[ids],
        id="Embedding(lora_rank=2)",
    ),
]

MASKING_CASES = [
    LayerCase("Masking", {}, (padded_steps(3, 4, 5),)),
    LayerCase("Masking", {"mask_value": 1.5}, (padded_steps(3, 4, 2, value=1.5),)),
    LayerCase("Masking", {}, (i32(3, 4, 2, high=2),), id="Masking-int32"),
]


@pytest.mark.parametrize("case", EINSUM_CASES + EMBEDDING_CASES + MASKING_CASES, ids=case_id)
def test_einsum_embedding_masking(case):
    check_layer(case)


def test_einsum_dense_variables_have_keras_shapes():
    def shapes(equation, output_shape, input_shape, bias_axes=None):
        layer = kfn.pure.layers.EinsumDense(
            equation, output_shape, bias_axes=bias_axes, kernel_initializer="zeros"
        )
        variables = layer.init(None, kfn.TensorSpec(input_shape))
        return [tuple(v.shape) for v in variables["trainable"].values()]

    assert shapes("abc,cde->abde", (None, 2, 4), (None, 5, 3), "de") == [(3, 2, 4), (2, 4)]
    assert shapes("abc,cde->abde", (None, 2, 4), (None, 5, 3), "d") == [(3, 2, 4), (2, 1)]
    assert shapes("ab...,bc->ac...", 4, (None, 3, 5, 7), "c") == [(3, 4), (4, 1, 1)]
    assert shapes("...b,bc->...c", 4, (None, 3, 5, 6)) == [(6, 4)]


def test_einsum_dense_kernel_fans_are_the_summed_and_kept_axes():
    layer = kfn.pure.layers.EinsumDense("abc,cde->abde", (None, 4, 10))
    kernel = layer.init(kfn.random.key(0), kfn.TensorSpec((None, 1, 50)))["trainable"]["kernel"]
    kernel = ops.convert_to_numpy(kernel)
    limit = np.sqrt(6.0 / (50 + 40))  # fan_in = c, fan_out = d * e, as Keras
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.9 * limit


def test_einsum_dense_errors():
    bad_arguments = [
        ({"equation": "ab,bc", "output_shape": 4}, "EinsumDense: equation must have the form"),
        ({"equation": "ab,bc->ad", "output_shape": 4}, "output axis 'd' .* is in neither"),
        ({"equation": "ab,bcx->ac", "output_shape": 4}, "kernel axis 'x' .* is in neither"),
        (
            {"equation": "abc,cd->abd", "output_shape": 4},
            r"output_shape must have 2 entries for equation 'abc,cd->abd'",
        ),
        (
            {"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "x"},
            "bias axis 'x' is not in the output term 'ac'",
        ),
        ({"equation": "ab,bc->ac", "output_shape": 0}, "output_shape must be a positive integer"),
    ]
    for config, message in bad_arguments:
        with pytest.raises(ValueError, match=message):
            kfn.layers.EinsumDense(**config)
    expect_error(
        "EinsumDense",
        r"EinsumDense '.*' expected input of rank 3 \(equation 'abc,cd->abd'\), got rank 2",
        f32(2, 3),
        equation="abc,cd->abd",
        output_shape=(None, 4),
    )
    expect_error(
        "EinsumDense",
        r"expected input size 7 on axis 'b' \(from output_shape",
        f32(2, 5, 3),
        equation="abc,cd->abd",
        output_shape=(7, 4),
    )
    expect_error(
        "EinsumDense",
        r"needs the size of axis 'b' \(a bias axis\) to be known",
        kfn.Input((None, 3)),
        equation="abc,cd->abd",
        output_shape=(None, 4),
        bias_axes="b",
    )
    expect_error(
        "EinsumDense",
        r"expected input of rank >= 2 \(equation '...b,bc->...c'\)",
        f32(3),
        equation="...b,bc->...c",
        output_shape=4,
    )
    layer = kfn.layers.EinsumDense("abc,cd->abd", (None, 4), name="einsum_errors")
    layer(f32(2, 5, 3))
    layer(f32(3, 7, 3))  # the batch and sequence axes may change
    with pytest.raises(
        ValueError, match=r"EinsumDense 'einsum_errors' expected input last dimension 3, got 2"
    ):
        layer(f32(2, 5, 2))


# ---------------------------------------------------------------------------- Embedding


def test_embedding_looks_up_rows_and_keeps_int_inputs():
    layer = kfn.layers.Embedding(6, 3, embeddings_initializer="ones", dtype="float32")
    ids = i32(2, 4, high=6)
    out = layer(ids)
    assert out.shape == (2, 4, 3) and ops.dtype(out) == "float32"
    assert layer.embeddings.shape == (6, 3) and layer.embeddings.path.endswith("/embeddings")
    table = np.arange(18, dtype=np.float32).reshape(6, 3)
    layer.set_weights([table])
    np.testing.assert_array_equal(ops.convert_to_numpy(layer(ids)), table[ids])
    np.testing.assert_array_equal(ops.convert_to_numpy(layer(np.array([-1], "int32"))), table[[-1]])
    assert kfn.layers.Embedding(4, 2).pure().autocast is False


def test_embedding_out_of_range_ids():
    layer = kfn.layers.Embedding(4, 2)
    layer(np.array([0], "int32"))
    ids = np.array([1, 4], "int32")
    if BACKEND == "jax":
        out = ops.convert_to_numpy(layer(ids))
        assert np.all(np.isnan(out[1])) and not np.any(np.isnan(out[0]))
    else:
        with pytest.raises(IndexError, match="out of"):
            ops.convert_to_numpy(layer(ids))


def test_embedding_arguments():
    with pytest.raises(ValueError, match="Embedding: input_dim must be a positive integer, got 0"):
        kfn.layers.Embedding(0, 3)
    with pytest.raises(
        ValueError, match="Embedding: output_dim must be a positive integer, got '3'"
    ):
        kfn.layers.Embedding(5, "3")
    with pytest.warns(UserWarning, match="input_length` is deprecated and ignored"):
        layer = kfn.layers.Embedding(5, 3, input_length=7)
    config = layer.get_config()
    assert "input_length" not in config and config["mask_zero"] is False
    assert config["embeddings_initializer"]["class_name"] == "RandomUniform"
    layer(i32(2, 3, high=5))
    assert [v.name for v in layer.trainable_variables] == ["embeddings"]
    lora = kfn.layers.Embedding(5, 3, lora_rank=2)
    lora(i32(2, 3, high=5))
    assert [v.name for v in lora.trainable_variables] == ["lora_embeddings_a", "lora_embeddings_b"]
    assert [v.name for v in lora.non_trainable_variables] == ["embeddings"]


def test_masking_zeroes_the_steps_equal_to_the_mask_value():
    x = padded_steps(3, 4, 5)
    out = ops.convert_to_numpy(kfn.layers.Masking()(x))
    keep = np.any(x != 0.0, axis=-1, keepdims=True)
    np.testing.assert_array_equal(out, np.where(keep, x, 0.0))
    assert not keep[0, 1, 0] and keep[-1, 0, 0]


def test_embedding_takes_its_initial_table_as_keras_does():
    table = np.arange(12, dtype="float32").reshape(4, 3) / 10
    ids = np.array([[3, 0], [1, 1]], "int32")
    layer = kfn.layers.Embedding(4, 3, weights=[table])
    reference = keras.layers.Embedding(4, 3, weights=[table])
    assert layer.built  # at once, as in Keras
    np.testing.assert_array_equal(layer.embeddings.numpy(), table)
    np.testing.assert_allclose(
        ops.convert_to_numpy(layer(ids)), keras.ops.convert_to_numpy(reference(ids))
    )
    assert "weights" not in layer.get_config()
    pure = kfn.pure.layers.Embedding(4, 3, weights=table)
    variables = pure.init(kfn.random.key(0))
    np.testing.assert_array_equal(ops.convert_to_numpy(variables["trainable"]["embeddings"]), table)
    with pytest.raises(ValueError, match=r"Embedding: weights must be an array of shape \(4, 3\)"):
        kfn.layers.Embedding(4, 3, weights=np.ones((3, 3)))

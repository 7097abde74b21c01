"""Core layers (kfn/pure/layers/core.py) against Keras 3 and NumPy."""

import numpy as np
import pytest

import kfn
from kfn import ops
from tests.pure.layers.cases import LayerCase, case_id, check_layer, expect_error, f32


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

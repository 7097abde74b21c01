"""Activation layers (kfn/pure/layers/activation.py) against Keras 3."""

import numpy as np
import pytest

import kfn
from kfn import ops
from kfn.pure import activations
from tests.pure.layers.cases import LayerCase, case_id, check_layer, expect_error, f32, i32


def softmax_mask(*shape):
    mask = np.random.default_rng(3).random(shape) > 0.4
    mask[0] = False  # a fully masked slice: all zeros, not uniform
    return mask


CASES = [
    LayerCase("Activation", {"activation": "relu"}, (f32(2, 3),)),
    LayerCase("Activation", {"activation": "gelu"}, (f32(2, 3, 4),)),
    LayerCase(
        "Activation",
        {"activation": activations.tanh},
        (f32(3, 2),),
        keras=False,
        reference=lambda w, x: np.tanh(x),
        id="Activation(callable)",
    ),
    LayerCase(
        "Activation",
        {"activation": "relu"},
        (i32(2, 5, low=-5, high=5),),
        id="Activation(relu)-int32",
    ),
    LayerCase("ReLU", {}, (f32(2, 3),)),
    LayerCase("ReLU", {"max_value": 1.0}, (f32(4, 5),)),
    LayerCase("ReLU", {"max_value": 6.0}, (f32(4, 5, low=-8, high=8),)),
    LayerCase("ReLU", {"negative_slope": 0.3}, (f32(4, 5),)),
    LayerCase("ReLU", {"max_value": 1.5, "negative_slope": 0.2, "threshold": 0.5}, (f32(3, 6),)),
    LayerCase("ReLU", {"threshold": 1.0}, (f32(3, 6),)),
    LayerCase("LeakyReLU", {}, (f32(2, 3),)),
    LayerCase("LeakyReLU", {"negative_slope": 0.05}, (f32(2, 3, 4),)),
    LayerCase("LeakyReLU", {"alpha": 0.5}, (f32(2, 3),), keras_config={"negative_slope": 0.5}),
    # Random alphas (copied to Keras too) so that gradients reach them.
    LayerCase("PReLU", {}, (f32(2, 3),), random_weights=True, id="PReLU()-random-alpha"),
    LayerCase("PReLU", {"shared_axes": [1, 2]}, (f32(2, 4, 5, 3),), random_weights=True),
    LayerCase("PReLU", {"shared_axes": 1}, (f32(2, 4, 3),), random_weights=True),
    LayerCase("PReLU", {"alpha_initializer": "random_uniform"}, (f32(2, 3),)),
    LayerCase("PReLU", {}, (f32(2, 4),), gradients=False),  # zero alpha: no gradient at first
    LayerCase(
        "PReLU",
        {"alpha_initializer": "ones", "shared_axes": [-1]},
        (f32(2, 4, 3),),
        keras=False,
        reference=lambda w, x: np.where(x >= 0, x, w[0] * x),
        id="PReLU(shared_axes=[-1])",
    ),
    LayerCase("ELU", {}, (f32(2, 3),)),
    LayerCase("ELU", {"alpha": 0.5}, (f32(2, 3, 4),)),
    LayerCase("Softmax", {}, (f32(2, 5),)),
    LayerCase("Softmax", {"axis": 1}, (f32(2, 5, 3),)),
    # Keras's NumPy backend fails on a list axis (a TrackedList); a tuple is the same config.
    LayerCase("Softmax", {"axis": [1, 2]}, (f32(2, 4, 3),), keras_config={"axis": (1, 2)}),
    LayerCase("Softmax", {"axis": [-1]}, (f32(2, 4, 3),)),
    LayerCase(
        "Softmax",
        {},
        (f32(3, 6),),
        call_kwargs={"mask": softmax_mask(3, 6)},
        id="Softmax-bool-mask",
    ),
    LayerCase(
        "Softmax",
        {"axis": 1},
        (f32(3, 4, 2),),
        call_kwargs={"mask": softmax_mask(3, 4, 1).astype(np.float32)},
        id="Softmax(axis=1)-float-mask-broadcast",
    ),
]


@pytest.mark.filterwarnings("ignore:LeakyReLU. the argument `alpha` is deprecated")
@pytest.mark.filterwarnings("ignore:Argument `alpha` is deprecated")
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_layer(case):
    check_layer(case)


def test_softmax_mask_gives_zero_probability_to_masked_positions():
    x = f32(4, 6)
    mask = softmax_mask(4, 6)
    y = ops.convert_to_numpy(kfn.layers.Softmax()(x, mask=ops.convert_to_tensor(mask)))
    assert np.all(y[~mask] == 0)
    np.testing.assert_allclose(y[0], 0.0)  # the fully masked row
    kept = np.where(mask, np.exp(x - x.max(axis=-1, keepdims=True)), 0.0)
    expected = kept / np.maximum(kept.sum(-1, keepdims=True), 1e-30)
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)


def test_prelu_alpha_shape_and_input_checks():
    prelu = kfn.layers.PReLU(shared_axes=[1, 2], name="prelu_checks")
    prelu(f32(2, 4, 5, 3))
    assert prelu.alpha.shape == (1, 1, 3) and prelu.alpha.path == "prelu_checks/alpha"
    prelu(f32(7, 9, 2, 3))  # the shared axes may change size
    with pytest.raises(
        ValueError, match=r"PReLU 'prelu_checks' expected input last dimension 3, got 5"
    ):
        prelu(f32(2, 4, 5, 5))
    with pytest.raises(
        ValueError, match=r"PReLU 'prelu_checks' expected input of rank 4, got rank 3"
    ):
        prelu(f32(2, 4, 3))
    expect_error(
        "PReLU", r"PReLU '.*' needs the sizes of the input's non-shared", kfn.Input((None, 3))
    )
    expect_error("PReLU", r"PReLU '.*' expected input of rank >= 2, got rank 1", f32(3))


def test_bad_arguments_name_the_layer_and_the_argument():
    cases = [
        ("ReLU", {"max_value": -1.0}, "ReLU: max_value must be a number >= 0, got -1.0"),
        ("ReLU", {"negative_slope": None}, "ReLU: negative_slope must be a number >= 0, got None"),
        ("ReLU", {"threshold": -0.5}, "ReLU: threshold must be a number >= 0, got -0.5"),
        ("LeakyReLU", {"negative_slope": -0.1}, "LeakyReLU: negative_slope must be a number >= 0"),
        ("PReLU", {"shared_axes": [0]}, r"PReLU: shared_axes must be non-batch axes .* got \[0\]"),
        ("Softmax", {"axis": 1.5}, "Softmax: axis must be an int or a list of ints, got 1.5"),
        ("Activation", {"activation": "no_such_fn"}, "Activation: Unknown activation 'no_such_fn'"),
    ]
    for name, config, message in cases:
        with pytest.raises(ValueError, match=message):
            getattr(kfn.layers, name)(**config)
    with pytest.raises(TypeError, match="Activation: .*activation"):
        kfn.layers.Activation()


def test_softmax_rejects_a_mask_that_does_not_broadcast():
    with pytest.raises(
        ValueError, match=r"Softmax '.*' expected a mask broadcastable .* got mask shape \(3, 5\)"
    ):
        kfn.layers.Softmax()(f32(3, 6), mask=ops.convert_to_tensor(np.ones((3, 5), bool)))
    with pytest.raises(
        ValueError, match=r"no more axes than the inputs\), got mask shape \(1, 3, 6\)"
    ):
        kfn.layers.Softmax()(f32(3, 6), mask=ops.convert_to_tensor(np.ones((1, 3, 6), bool)))


def test_leaky_relu_alpha_is_the_legacy_name_of_negative_slope():
    with pytest.warns(UserWarning, match="`alpha` is deprecated"):
        layer = kfn.layers.LeakyReLU(alpha=0.1)
    assert layer.negative_slope == 0.1
    assert "alpha" not in layer.get_config()
    assert kfn.layers.LeakyReLU().negative_slope == 0.3  # Keras's layer default


def test_pure_activation_layers_have_no_variables_and_need_no_key():
    x = ops.convert_to_tensor(f32(2, 3))
    for layer in (kfn.pure.layers.ReLU(), kfn.pure.layers.Softmax(), kfn.pure.layers.ELU()):
        assert layer.init(None, kfn.TensorSpec((None, 3))) == {"trainable": {}, "non_trainable": {}}
        y, new_state = layer.apply({}, x, training=True)
        assert new_state == {} and tuple(y.shape) == (2, 3)

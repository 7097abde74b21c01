"""Regularization layers (kfn/pure/layers/regularization.py): inference mode against Keras 3,
training mode by the statistics and structure of the noise, keys and seed states."""

import math

import keras
import numpy as np
import pytest

import kfn
from kfn import ops
from kfn.pure.layers import base
from tests.conftest import BACKEND, GRADIENT_BACKENDS
from tests.pure.layers.cases import LayerCase, case_id, check_layer, expect_error, f32, i32

SELU_SATURATION = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946


def dropped_and_scaled(rate, output, x, fraction_tolerance=0.1):
    """Each entry is 0 or exactly x / (1 - rate), and about `rate` of them are 0."""
    dropped = output == 0
    scaled = np.float32(1.0) / np.float32(1.0 - rate)
    kept_ok = np.allclose(output[~dropped], x[~dropped] * scaled, rtol=1e-6, atol=0)
    return kept_ok and abs(dropped.mean() - rate) < fraction_tolerance


def dropout_check(rate):
    return lambda w, out, x: dropped_and_scaled(rate, out, x)


def constant_along(axes, rate):
    """Dropout whose keep mask is the same along `axes` (noise_shape 1 there)."""

    def check(w, out, x):
        dropped = out == 0
        same = np.all(dropped == dropped.take([0], axis=axes[0]))
        for axis in axes[1:]:
            same = same and np.all(dropped == dropped.take([0], axis=axis))
        return same and dropped_and_scaled(rate, out, x, fraction_tolerance=0.25)

    return check


def gaussian_dropout_check(rate):
    def check(w, out, x):
        noise = out / x
        return (
            abs(noise.mean() - 1.0) < 0.1 and abs(noise.std() - math.sqrt(rate / (1 - rate))) < 0.1
        )

    return check


def gaussian_noise_check(stddev):
    def check(w, out, x):
        noise = out - x
        return abs(noise.mean()) < 0.05 and abs(noise.std() - stddev) < 0.05

    return check


def alpha_dropout_check(rate):
    a = ((1 - rate) * (1 + rate * SELU_SATURATION**2)) ** -0.5
    b = -a * SELU_SATURATION * rate

    def check(w, out, x):
        dropped = np.isclose(out, a * SELU_SATURATION + b, rtol=1e-6, atol=1e-6)
        kept = np.allclose(out[~dropped], a * x[~dropped] + b, rtol=1e-5, atol=1e-6)
        return kept and abs(dropped.mean() - rate) < 0.1

    return check


def identity(w, out, x):
    return np.array_equal(out, x)


# Positive inputs for the multiplicative noise (so out / x is the noise).
POSITIVE = f32(64, 64, low=0.5, high=2.0)

CASES = [
    # Inference: the identity, as Keras.
    LayerCase("Dropout", {"rate": 0.5}, (f32(4, 6),)),
    LayerCase("Dropout", {"rate": 0.5}, (i32(4, 6),), id="Dropout(rate=0.5)-int32"),
    LayerCase("SpatialDropout1D", {"rate": 0.5}, (f32(2, 5, 3),)),
    LayerCase(
        "SpatialDropout2D", {"rate": 0.5, "data_format": "channels_first"}, (f32(2, 3, 4, 4),)
    ),
    LayerCase("SpatialDropout3D", {"rate": 0.5}, (f32(2, 3, 3, 3, 2),)),
    LayerCase("GaussianDropout", {"rate": 0.3}, (f32(4, 6),)),
    LayerCase("GaussianNoise", {"stddev": 0.3}, (f32(4, 6),)),
    LayerCase("AlphaDropout", {"rate": 0.3}, (f32(4, 6),)),
    LayerCase("ActivityRegularization", {"l1": 0.1, "l2": 0.2}, (f32(4, 6),)),
    LayerCase("ActivityRegularization", {}, (f32(4, 6),), training=True),
    # A zero rate: the identity even in training, and no key is needed.
    LayerCase("Dropout", {"rate": 0.0}, (f32(4, 6),), training=True),
    LayerCase("GaussianNoise", {"stddev": 0.0}, (f32(4, 6),), training=True),
    # Training: random outputs, checked by their structure and statistics.
    LayerCase(
        "Dropout",
        {"rate": 0.5},
        (f32(20, 30),),
        training=True,
        random=True,
        reference=dropout_check(0.5),
    ),
    LayerCase(
        "Dropout",
        {"rate": 0.2, "seed": 3},
        (f32(20, 30),),
        training=True,
        random=True,
        reference=dropout_check(0.2),
    ),
    LayerCase(
        "Dropout",
        {"rate": 1.0},
        (f32(4, 6),),
        training=True,
        random=True,
        reference=lambda w, out, x: np.array_equal(out, np.zeros_like(x)),
    ),
    LayerCase(
        "Dropout",
        {"rate": 0.5, "noise_shape": (None, 1, 8)},
        (f32(16, 6, 8),),
        training=True,
        random=True,
        reference=constant_along([1], 0.5),
    ),
    LayerCase(
        "SpatialDropout1D",
        {"rate": 0.5},
        (f32(16, 6, 8),),
        training=True,
        random=True,
        reference=constant_along([1], 0.5),
    ),
    LayerCase(
        "SpatialDropout2D",
        {"rate": 0.5},
        (f32(8, 4, 5, 8),),
        training=True,
        random=True,
        reference=constant_along([1, 2], 0.5),
    ),
    LayerCase(
        "SpatialDropout2D",
        {"rate": 0.5, "data_format": "channels_first"},
        (f32(8, 8, 4, 5),),
        training=True,
        random=True,
        reference=constant_along([2, 3], 0.5),
    ),
    LayerCase(
        "SpatialDropout3D",
        {"rate": 0.5, "data_format": "channels_first"},
        (f32(8, 8, 3, 2, 3),),
        training=True,
        random=True,
        reference=constant_along([2, 3, 4], 0.5),
    ),
    LayerCase(
        "SpatialDropout3D",
        {"rate": 0.5},
        (f32(8, 3, 2, 3, 8),),
        training=True,
        random=True,
        reference=constant_along([1, 2, 3], 0.5),
    ),
    LayerCase(
        "GaussianDropout",
        {"rate": 0.5},
        (POSITIVE,),
        training=True,
        random=True,
        reference=gaussian_dropout_check(0.5),
    ),
    LayerCase(
        "GaussianNoise",
        {"stddev": 0.5},
        (f32(64, 64),),
        training=True,
        random=True,
        reference=gaussian_noise_check(0.5),
    ),
    LayerCase(
        "AlphaDropout",
        {"rate": 0.3},
        (f32(20, 30),),
        training=True,
        random=True,
        reference=alpha_dropout_check(0.3),
    ),
    LayerCase(
        "AlphaDropout",
        {"rate": 0.3, "noise_shape": (None, 1)},
        (f32(40, 5),),
        training=True,
        random=True,
        reference=lambda w, out, x: alpha_rows_consistent(out, x, 0.3),
    ),
]


def alpha_rows_consistent(out, x, rate):
    """With noise_shape (None, 1) a row is kept or dropped as a whole."""
    a = ((1 - rate) * (1 + rate * SELU_SATURATION**2)) ** -0.5
    b = -a * SELU_SATURATION * rate
    dropped_rows = np.all(np.isclose(out, a * SELU_SATURATION + b, atol=1e-6), axis=1)
    kept_rows = np.all(np.isclose(out, a * x + b, rtol=1e-5, atol=1e-6), axis=1)
    return bool(np.all(dropped_rows | kept_rows)) and 0 < dropped_rows.sum() < len(out)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_layer(case):
    check_layer(case)


RANDOM_LAYERS = [
    kfn.pure.layers.Dropout(0.5),
    kfn.pure.layers.Dropout(0.5, noise_shape=(None, 1)),
    kfn.pure.layers.SpatialDropout1D(0.5),
    kfn.pure.layers.GaussianDropout(0.3),
    kfn.pure.layers.GaussianNoise(0.3),
    kfn.pure.layers.AlphaDropout(0.3),
]


def _sample(layer):
    rank3 = isinstance(layer, kfn.pure.layers.SpatialDropout1D)
    return ops.convert_to_tensor(f32(8, 5, 6) if rank3 else f32(8, 6))


@pytest.mark.parametrize("layer", RANDOM_LAYERS, ids=lambda layer: repr(layer))
def test_the_key_alone_decides_the_noise(layer):
    x = _sample(layer)
    variables = layer.init(None, base.spec_of(x))
    assert variables == {"trainable": {}, "non_trainable": {}}
    assert layer.uses_key and layer.uses_training

    def run(seed):
        out, state = layer.apply(variables, x, training=True, key=kfn.random.key(seed))
        assert state == {}
        return ops.convert_to_numpy(out)

    np.testing.assert_array_equal(run(1), run(1))
    assert not np.array_equal(run(1), run(2))
    # Not training: the inputs come back as they are, and no key is needed.
    same, _ = layer.apply(variables, x, training=False)
    assert same is x
    with pytest.raises(ValueError, match=f"{type(layer).__name__}: training=True needs an RNG key"):
        layer.apply(variables, x, training=True)


def test_pure_dropout_runs_compiled():
    layer = kfn.pure.layers.Dropout(0.5)
    x = ops.convert_to_tensor(f32(6, 10))
    step = ops.jit(lambda x, key: layer.apply({}, x, training=True, key=key)[0])
    out = ops.convert_to_numpy(step(x, kfn.random.key(4)))
    eager = ops.convert_to_numpy(layer.apply({}, x, training=True, key=kfn.random.key(4))[0])
    np.testing.assert_array_equal(out, eager)
    assert dropped_and_scaled(0.5, out, ops.convert_to_numpy(x), fraction_tolerance=0.25)


def test_stateless_call_returns_an_advanced_seed_state():
    layer = kfn.layers.Dropout(0.5, seed=11)
    x = f32(10, 10)
    layer(x)
    state = layer.state_tree()
    seed_before = ops.convert_to_numpy(layer.seed_generator.state.value).copy()
    out1, state1 = layer.stateless_call(
        state["trainable"], state["non_trainable"], x, training=True
    )
    out1_again, _ = layer.stateless_call(
        state["trainable"], state["non_trainable"], x, training=True
    )
    out2, state2 = layer.stateless_call(state["trainable"], state1, x, training=True)
    (name,) = state1
    assert name.endswith("seed_generator_state")
    np.testing.assert_array_equal(
        ops.convert_to_numpy(layer.seed_generator.state.value), seed_before
    )
    assert not np.array_equal(ops.convert_to_numpy(state1[name]), seed_before)
    assert not np.array_equal(
        ops.convert_to_numpy(state2[name]), ops.convert_to_numpy(state1[name])
    )
    np.testing.assert_array_equal(ops.convert_to_numpy(out1), ops.convert_to_numpy(out1_again))
    assert not np.array_equal(ops.convert_to_numpy(out1), ops.convert_to_numpy(out2))
    # Not training: nothing random is drawn, the seed state stays.
    out, state3 = layer.stateless_call(state["trainable"], state["non_trainable"], x)
    np.testing.assert_array_equal(ops.convert_to_numpy(state3[name]), seed_before)
    np.testing.assert_array_equal(ops.convert_to_numpy(out), x)


def test_the_same_seed_gives_the_same_masks():
    x = f32(10, 10)
    a, b = kfn.layers.Dropout(0.5, seed=5), kfn.layers.Dropout(0.5, seed=5)
    first_a, first_b = a(x, training=True), b(x, training=True)
    np.testing.assert_array_equal(ops.convert_to_numpy(first_a), ops.convert_to_numpy(first_b))
    assert not np.array_equal(
        ops.convert_to_numpy(a(x, training=True)), ops.convert_to_numpy(first_a)
    )


def test_activity_regularization_adds_its_penalty_once():
    x = f32(4, 6)
    # Per sample, as in Keras 3: the penalty divided by the batch size.
    expected = (0.1 * np.abs(x).sum() + 0.2 * np.square(x).sum()) / 4
    reference = keras.layers.ActivityRegularization(l1=0.1, l2=0.2)
    reference(keras.ops.convert_to_tensor(x))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(reference.losses[0]), expected, rtol=1e-5)
    pure = kfn.pure.layers.ActivityRegularization(l1=0.1, l2=0.2)
    y, _ = pure.apply({}, ops.convert_to_tensor(x))
    np.testing.assert_array_equal(ops.convert_to_numpy(y), x)

    model = kfn.pure.models.Sequential((pure, kfn.pure.layers.ReLU()))
    variables = model.init(None, kfn.TensorSpec((None, 6)))
    with base.collect_losses() as losses:
        model.apply(variables, ops.convert_to_tensor(x))
    assert len(losses) == 1
    np.testing.assert_allclose(ops.convert_to_numpy(losses[0]), expected, rtol=1e-5)

    layer = kfn.layers.ActivityRegularization(l1=0.1, l2=0.2)
    layer(x)
    assert len(layer.losses) == 1
    np.testing.assert_allclose(ops.convert_to_numpy(layer.losses[0]), expected, rtol=1e-5)
    _, _, losses = layer.stateless_call([], [], x, return_losses=True)
    assert len(losses) == 1
    np.testing.assert_allclose(ops.convert_to_numpy(losses[0]), expected, rtol=1e-5)
    assert layer.get_config()["l1"] == 0.1 and "activity_regularizer" not in layer.get_config()


@pytest.mark.skipif(BACKEND not in GRADIENT_BACKENDS, reason="no gradients on numpy")
def test_gradients_flow_through_kept_entries():
    layer = kfn.pure.layers.Dropout(0.5)
    x = ops.convert_to_tensor(f32(6, 10))
    key = kfn.random.key(2)

    def loss(x):
        return ops.sum(layer.apply({}, x, training=True, key=key)[0])

    grad = ops.convert_to_numpy(ops.grad(loss)(x))
    out = ops.convert_to_numpy(layer.apply({}, x, training=True, key=key)[0])
    np.testing.assert_allclose(grad, np.where(out == 0, 0.0, 2.0), rtol=1e-6)


def test_bad_arguments_and_inputs():
    cases = [
        ("Dropout", {"rate": 1.5}, r"Dropout: rate must be in \[0, 1\], got 1.5"),
        ("Dropout", {"rate": "0.5"}, "Dropout: rate must be a number, got '0.5'"),
        ("Dropout", {"rate": 0.5, "noise_shape": "abc"}, "Dropout: noise_shape must be a tuple"),
        ("Dropout", {"rate": 0.5, "noise_shape": (2, 0)}, r"got \(2, 0\)"),
        ("SpatialDropout2D", {"rate": -0.1}, r"SpatialDropout2D: rate must be in \[0, 1\]"),
        ("SpatialDropout2D", {"rate": 0.1, "data_format": "NHWC"}, "data_format must be"),
        ("GaussianDropout", {"rate": 1.0}, r"GaussianDropout: rate must be in \[0, 1\), got 1.0"),
        ("AlphaDropout", {"rate": 1.0}, r"AlphaDropout: rate must be in \[0, 1\), got 1.0"),
        ("GaussianNoise", {"stddev": 2.0}, r"GaussianNoise: stddev must be in \[0, 1\], got 2.0"),
        ("ActivityRegularization", {"l1": -1.0}, "ActivityRegularization: l1 and l2 must be"),
    ]
    for name, config, message in cases:
        with pytest.raises(ValueError, match=message):
            getattr(kfn.layers, name)(**config)
    expect_error(
        "SpatialDropout1D",
        r"SpatialDropout1D '.*' expected input of rank 3, got rank 2",
        f32(2, 3),
        rate=0.5,
    )
    expect_error(
        "SpatialDropout3D",
        r"SpatialDropout3D '.*' expected input of rank 5, got rank 4",
        f32(2, 3, 3, 3),
        rate=0.5,
    )
    with pytest.raises(
        ValueError,
        match=r"Dropout '.*' expected inputs that noise_shape \(None, 1, 4\) broadcasts to, got input shape \(2, 3, 5\)",
    ):
        kfn.layers.Dropout(0.5, noise_shape=(None, 1, 4))(f32(2, 3, 5), training=True)


def test_spatial_dropout_defaults_to_the_image_data_format():
    assert kfn.layers.SpatialDropout2D(0.5).data_format == kfn.config.image_data_format()
    assert kfn.layers.SpatialDropout3D(0.5, data_format="channels_first").data_format == (
        "channels_first"
    )
    assert "noise_shape" not in kfn.layers.SpatialDropout1D(0.5).get_config()

"""Normalization layers (kfn/pure/layers/normalization.py) against Keras 3 and NumPy."""

import keras
import numpy as np
import pytest

import kfn
from kfn import ops
from tests.conftest import BACKEND
from tests.pure.layers.cases import LayerCase, case_id, check_layer, expect_error, f32, i32

pytestmark = pytest.mark.filterwarnings("ignore:.*rms_scaling.*:UserWarning")

RNG = np.random.default_rng(11)
# Moving statistics that are not the trivial (0, 1), so that inference shows their use.
MOVING = {
    "moving_mean_initializer": {"class_name": "RandomNormal", "config": {"stddev": 0.5}},
    "moving_variance_initializer": {
        "class_name": "RandomUniform",
        "config": {"minval": 0.5, "maxval": 1.5},
    },
}
# A beta of zero gets no gradient from a sum of squares of batch-normalized outputs (their
# sum over the normalized positions is zero); ones keeps the gradient check meaningful.
BETA_ONES = {"beta_initializer": "ones"}


def mask(*shape, keep=0.7):
    values = RNG.uniform(size=shape) < keep
    values.flat[0] = True
    return values


def unit_reference(weights, x):
    x = x.astype(np.float64)
    return x / np.maximum(np.sqrt(np.sum(x * x, axis=-1, keepdims=True)), 1e-12)


def layer_norm_axis_minus_2(weights, x):
    (beta,) = weights
    centered = x - x.mean(axis=-2, keepdims=True)
    return centered / np.sqrt(x.var(axis=-2, keepdims=True) + 0.1) + beta[:, None]


# Two input shapes throughout: on JAX, every new shape compiles its ops again.
CASES = [
    # BatchNormalization: inference uses the moving statistics, training the batch's.
    LayerCase("BatchNormalization", dict(MOVING), (f32(4, 3),)),
    LayerCase("BatchNormalization", dict(BETA_ONES), (f32(4, 3),), training=True),
    LayerCase(
        "BatchNormalization",
        {"axis": 1, "momentum": 0.9, "epsilon": 1e-2, **BETA_ONES},
        (f32(2, 3, 4),),
        training=True,
        id="BatchNormalization-channels_first-training",
    ),
    LayerCase("BatchNormalization", {"center": False, "scale": False, **MOVING}, (f32(2, 3, 4),)),
    LayerCase("BatchNormalization", dict(BETA_ONES), (i32(4, 3),), training=True, id="BN-int"),
    LayerCase(
        "BatchNormalization",
        dict(BETA_ONES),
        (f32(2, 3, 4),),
        call_kwargs={"mask": mask(2, 3)},
        training=True,
        id="BatchNormalization-mask-training",
    ),
    # Renorm in training depends on the state the call updates, which the table's single
    # call cannot give Keras: test_batch_normalization_moving_statistics_follow_keras has it.
    LayerCase(
        "BatchNormalization",
        {"synchronized": True, **BETA_ONES},
        (f32(4, 3),),
        training=True,
        keras_config=dict(BETA_ONES),  # Keras accepts synchronized=True on TensorFlow only
        id="BatchNormalization-synchronized",
    ),
    # LayerNormalization: over one axis, several axes, without center/scale, rms_scaling.
    LayerCase("LayerNormalization", {}, (f32(4, 3),)),
    LayerCase("LayerNormalization", {"axis": [1, 2], "center": False}, (f32(2, 3, 4),)),
    LayerCase(
        "LayerNormalization",
        {"axis": -2, "scale": False, "epsilon": 0.1},
        (f32(2, 3, 4),),
        keras=False,  # Keras on torch normalizes the last axis instead (its fused path)
        reference=layer_norm_axis_minus_2,
    ),
    LayerCase("LayerNormalization", {"rms_scaling": True}, (f32(4, 3),)),
    # GroupNormalization: groups, instance normalization on channels_first, layer norm.
    LayerCase("GroupNormalization", {"groups": 2}, (f32(2, 3, 4),)),
    LayerCase("GroupNormalization", {"groups": -1, "axis": 1, **BETA_ONES}, (f32(2, 3, 4),)),
    LayerCase("GroupNormalization", {"groups": 1, "center": False}, (f32(4, 3),)),
    # UnitNormalization and RMSNormalization.
    LayerCase("UnitNormalization", {}, (f32(4, 3),)),
    LayerCase("UnitNormalization", {"axis": [1, 2]}, (f32(2, 3, 4),)),
    LayerCase(
        "UnitNormalization",
        {},
        (i32(4, 3, low=1),),
        keras=False,  # Keras's UnitNormalization rejects integer inputs on some backends
        reference=unit_reference,
        id="UnitNormalization-int",
    ),
    LayerCase("RMSNormalization", {}, (f32(4, 3),)),
    LayerCase("RMSNormalization", {"axis": [1, 2], "epsilon": 1e-3}, (f32(2, 3, 4),)),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_layer(case):
    check_layer(case)


# ---------------------------------------------------------------------------- moving statistics


def _pair(config, x):
    """A kfn layer and a Keras layer with the same weights, built on `x`."""
    layer = kfn.layers.BatchNormalization(**config)
    layer(x)
    reference = keras.layers.BatchNormalization(**config)
    reference(keras.ops.convert_to_tensor(x))
    reference.set_weights(layer.get_weights())
    return layer, reference


@pytest.mark.parametrize(
    "config",
    [
        {"momentum": 0.8},
        {"momentum": 0.7, "renorm": True, "renorm_momentum": 0.6},
        {"renorm": True, "renorm_clipping": {"rmax": 1.1, "rmin": 0.9, "dmax": 0.2}},
    ],
    ids=["plain", "renorm", "renorm-clipped"],
)
def test_batch_normalization_moving_statistics_follow_keras(config):
    rng = np.random.default_rng(11)  # its own data, whatever ran before
    batches = [rng.uniform(-1.0 + i, 2.0 + i, (4, 3)).astype("float32") for i in range(4)]
    layer, reference = _pair(config, batches[0])
    # Renormalization divides by batch statistics of 4 rows: float32 rounding, in Keras's
    # order of operations or ours, reaches a few 1e-5 on outputs of size ~1.
    tolerance = 5e-5 if config.get("renorm") else 1e-5
    for x in batches:
        out = layer(x, training=True)
        expected = reference(keras.ops.convert_to_tensor(x), training=True)
        np.testing.assert_allclose(
            ops.convert_to_numpy(out),
            keras.ops.convert_to_numpy(expected),
            rtol=tolerance,
            atol=tolerance,
        )
    names = [v.name for v in layer.weights]
    assert names == [v.name for v in reference.weights]
    for name, ours, theirs in zip(names, layer.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6, err_msg=name)
    # Inference afterwards uses the moving statistics, as Keras does.
    x = f32(4, 3)
    np.testing.assert_allclose(
        ops.convert_to_numpy(layer(x)),
        keras.ops.convert_to_numpy(reference(keras.ops.convert_to_tensor(x))),
        rtol=1e-5,
        atol=1e-5,
    )


def test_batch_normalization_pure_update_formula():
    bn = kfn.pure.layers.BatchNormalization(momentum=0.9)
    x = f32(2, 3, 4)
    variables = bn.init(kfn.random.key(0), kfn.TensorSpec(x.shape))
    assert list(variables["non_trainable"]) == ["moving_mean", "moving_variance"]
    state = {"moving_mean": ops.ones((4,)), "moving_variance": ops.full((4,), 2.0)}
    variables = {"trainable": variables["trainable"], "non_trainable": state}

    y, new = bn.apply(variables, ops.convert_to_tensor(x), training=True)
    mean, variance = x.mean(axis=(0, 1)), x.var(axis=(0, 1))
    np.testing.assert_allclose(
        ops.convert_to_numpy(new["moving_mean"]), 0.9 + 0.1 * mean, rtol=1e-5
    )
    np.testing.assert_allclose(
        ops.convert_to_numpy(new["moving_variance"]), 1.8 + 0.1 * variance, rtol=1e-5
    )
    np.testing.assert_allclose(
        ops.convert_to_numpy(y), (x - mean) / np.sqrt(variance + 1e-3), rtol=1e-4, atol=1e-5
    )
    # Pure: the given state is untouched; inference returns the same state objects.
    np.testing.assert_array_equal(ops.convert_to_numpy(state["moving_mean"]), np.ones(4))
    _, same = bn.apply(variables, ops.convert_to_tensor(x), training=False)
    assert same["moving_mean"] is state["moving_mean"]
    assert same["moving_variance"] is state["moving_variance"]


def test_batch_normalization_mask_leaves_masked_positions_out():
    x, keep = f32(2, 3, 4), mask(2, 3)
    bn = kfn.layers.BatchNormalization(momentum=0.0)
    bn(x, training=True, mask=keep)
    selected = x[keep]  # (kept positions, features)
    np.testing.assert_allclose(bn.moving_mean.numpy(), selected.mean(axis=0), rtol=1e-4)
    np.testing.assert_allclose(bn.moving_variance.numpy(), selected.var(axis=0), rtol=1e-4)
    changed = np.where(keep[..., None], x, 100.0).astype("float32")
    again = kfn.layers.BatchNormalization(momentum=0.0)
    again(changed, training=True, mask=keep)
    np.testing.assert_allclose(again.moving_mean.numpy(), bn.moving_mean.numpy(), rtol=1e-5)


def test_batch_normalization_mixed_precision_keeps_statistics_in_float32():
    x = f32(4, 3)
    bn = kfn.layers.BatchNormalization(dtype="mixed_float16")
    y = bn(x, training=True)
    assert ops.dtype(y) == "float16"
    assert [str(v.dtype) for v in bn.weights] == ["float32"] * 4
    reference = keras.layers.BatchNormalization(dtype="mixed_float16")
    reference(keras.ops.convert_to_tensor(x))
    reference.set_weights([np.ones(3), np.zeros(3), np.zeros(3), np.ones(3)])
    expected = reference(keras.ops.convert_to_tensor(x), training=True)
    np.testing.assert_allclose(
        ops.convert_to_numpy(y).astype("float32"),
        keras.ops.convert_to_numpy(expected).astype("float32"),
        atol=2e-3,
    )
    np.testing.assert_allclose(
        bn.moving_variance.numpy(), reference.moving_variance.numpy(), rtol=1e-5
    )


@pytest.mark.skipif(BACKEND != "jax", reason="jax.jit of the pure form")
def test_batch_normalization_pure_form_under_jit():
    import jax

    bn = kfn.pure.layers.BatchNormalization()
    x = ops.convert_to_tensor(f32(4, 3))
    variables = bn.init(kfn.random.key(1), kfn.TensorSpec((4, 3)))
    step = jax.jit(lambda v, x: bn.apply(v, x, training=True))
    y, new = step(variables, x)
    y_eager, new_eager = bn.apply(variables, x, training=True)
    np.testing.assert_allclose(np.asarray(y), np.asarray(y_eager), atol=1e-6)
    np.testing.assert_allclose(
        np.asarray(new["moving_variance"]), np.asarray(new_eager["moving_variance"]), atol=1e-7
    )


def test_variables_are_named_and_ordered_as_in_keras():
    x = f32(2, 3, 4)
    for name, config in [
        ("BatchNormalization", {"renorm": True}),
        ("BatchNormalization", {"center": False}),
        ("LayerNormalization", {"axis": [1, 2]}),
        ("GroupNormalization", {"groups": 2, "scale": False}),
        ("RMSNormalization", {}),
    ]:
        ours = getattr(kfn.layers, name)(**config)
        ours(x)
        theirs = getattr(keras.layers, name)(**config)
        theirs(keras.ops.convert_to_tensor(x))
        assert [(v.name, v.trainable, tuple(v.shape)) for v in ours.weights] == [
            (v.name, v.trainable, tuple(v.shape)) for v in theirs.weights
        ], name
    rms = kfn.layers.RMSNormalization()
    rms(x)
    assert rms.scale.shape == (4,)


def test_regularizers_and_constraints_reach_gamma_and_beta():
    bn = kfn.layers.BatchNormalization(gamma_regularizer="l2", beta_constraint="non_neg")
    bn(f32(2, 3))
    assert bn.gamma.regularizer is not None and bn.beta.constraint is not None
    assert bn.moving_mean.regularizer is None


# ---------------------------------------------------------------------------- errors


def test_errors_name_the_layer_the_argument_and_the_shapes():
    bn = kfn.layers.BatchNormalization(name="bn_errors")
    bn(f32(2, 3))
    with pytest.raises(ValueError, match=r"BatchNormalization 'bn_errors' expected input last "):
        bn(f32(2, 4))
    with pytest.raises(ValueError, match=r"'bn_errors' expected input of rank 2, got rank 3"):
        bn(f32(2, 4, 3))
    with pytest.raises(ValueError, match=r"expected a mask of rank 2 \(one less than the input\)"):
        kfn.layers.BatchNormalization()(f32(2, 4, 3), training=True, mask=mask(2, 4, 3))
    expect_error(
        "BatchNormalization",
        r"BatchNormalization '.*' expected input of rank >= 4 for axis=3, got rank 2",
        f32(2, 3),
        axis=3,
    )
    expect_error(
        "GroupNormalization",
        r"expected a number of channels \(dimension 2\) divisible by groups=3, got 4 "
        r"\(input shape \(2, 5, 4\)\)",
        f32(2, 5, 4),
        groups=3,
    )
    expect_error(
        "LayerNormalization",
        r"expected input of rank >= 3 for axis=\[1, 2\]",
        f32(2, 3),
        axis=[1, 2],
    )
    expect_error("UnitNormalization", r"for axis=-3, got rank 2", f32(2, 3), axis=-3)
    with pytest.raises(ValueError, match="GroupNormalization: groups must be a positive integer"):
        kfn.layers.GroupNormalization(groups=0)
    with pytest.raises(ValueError, match="LayerNormalization: axis must be an int or a list"):
        kfn.layers.LayerNormalization(axis="last")
    with pytest.raises(ValueError, match="BatchNormalization: axis must be an int, got"):
        kfn.layers.BatchNormalization(axis=[1, 2])
    with pytest.raises(ValueError, match="BatchNormalization: momentum must be a number >= 0"):
        kfn.layers.BatchNormalization(momentum="high")
    with pytest.raises(ValueError, match="renorm_clipping takes the keys .* got \\['rmx'\\]"):
        kfn.layers.BatchNormalization(renorm=True, renorm_clipping={"rmx": 2.0})
    with pytest.raises(ValueError, match="rmax must be >= rmin"):
        kfn.layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 1.0, "rmin": 2.0})


def test_config_uses_keras_names():
    config = kfn.layers.BatchNormalization(momentum=0.9, gamma_regularizer="l2").get_config()
    reference = keras.layers.BatchNormalization(momentum=0.9, gamma_regularizer="l2").get_config()
    for key in ("axis", "momentum", "epsilon", "center", "scale", "renorm", "synchronized"):
        assert config[key] == reference[key], key
    assert config["gamma_regularizer"]["class_name"] == "L2"
    assert config["gamma_regularizer"]["config"] == reference["gamma_regularizer"]["config"]
    layer_norm = kfn.layers.LayerNormalization(axis=(1, 2)).get_config()
    assert layer_norm["axis"] == [1, 2]
    assert kfn.layers.LayerNormalization.from_config(layer_norm).get_config() == layer_norm


def test_frozen_batch_normalization_runs_in_inference_mode_as_in_keras():
    import keras

    x = np.random.default_rng(4).normal(size=(8, 3)).astype("float32") * 3 + 1
    layer = kfn.layers.BatchNormalization()
    layer(x)
    layer.trainable = False
    moving = layer.moving_mean.numpy().copy()
    out = layer(x, training=True)
    np.testing.assert_array_equal(layer.moving_mean.numpy(), moving)
    reference = keras.layers.BatchNormalization()
    reference(x)
    reference.trainable = False
    expected = keras.ops.convert_to_numpy(reference(x, training=True))
    np.testing.assert_allclose(ops.convert_to_numpy(out), expected, rtol=1e-5, atol=1e-5)


def test_layer_normalization_keeps_half_inputs_uncast_as_in_keras():
    layer = kfn.layers.LayerNormalization(dtype="mixed_float16")
    assert layer.autocast is False

"""Convolution layers (kfn/pure/layers/convolution.py) against Keras 3."""

import numpy as np
import pytest

import kfn
from kfn import ops
from tests.conftest import BACKEND
from tests.pure.layers.cases import (
    LayerCase,
    case_id,
    check_layer,
    expect_error,
    f32,
    i32,
    to_numpy,
)

CF = "channels_first"
# Kernels start at zero and the harness then sets random weights (random_weights=True): on
# JAX a random initializer compiles once per kernel shape, for kfn and Keras alike.
_INITIALIZERS = {
    "Conv": ("kernel_initializer",),
    "Depthwise": ("depthwise_initializer",),
    "Separable": ("depthwise_initializer", "pointwise_initializer"),
}


def zero_kernels(layer: str, config: dict) -> dict:
    family = next(f for f in ("Depthwise", "Separable", "Conv") if f in layer)
    return {**config, **{name: "zeros" for name in _INITIALIZERS[family]}}


def row(layer: str, config: dict, inputs: tuple, **options) -> LayerCase:
    """A case whose kernels start at zero, then get random values."""
    readable = case_id(LayerCase(layer, config))
    return LayerCase(
        layer,
        zero_kernels(layer, config),
        inputs,
        random_weights=True,
        id=options.pop("id", readable),
        **options,
    )


def keras_on_float(layer, config):
    """A reference for integer inputs: Keras's layer on the inputs cast to float32 (Keras does
    not convolve integers on every backend; kfn casts them as ops.conv does)."""

    def reference(weights, x):
        import keras

        reference_layer = getattr(keras.layers, layer)(**zero_kernels(layer, config))
        x = x.astype("float32")
        reference_layer(x)
        reference_layer.set_weights(weights)
        return np.asarray(keras.ops.convert_to_numpy(reference_layer(x)))

    return reference


# Gradients are checked on one or two rows per layer: each check compiles the backward ops
# (on JAX), and the variants differ only in the forward arguments the values check covers.
SAME_GRADIENTS = {"gradients": False}

CASES = [
    # Conv1D
    row("Conv1D", {"filters": 4, "kernel_size": 3}, (f32(2, 9, 3),)),
    row(
        "Conv1D",
        {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "activation": "relu"},
        (f32(2, 9, 3),),
        **SAME_GRADIENTS,
    ),
    row(
        "Conv1D",
        {"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
        (f32(2, 9, 3),),
    ),
    row(
        "Conv1D",
        {"filters": 4, "kernel_size": 2, "padding": "causal", "data_format": CF},
        (f32(2, 3, 7),),
        **SAME_GRADIENTS,
    ),
    row("Conv1D", {"filters": 4, "kernel_size": 3, "groups": 2}, (f32(2, 8, 6),)),
    # Conv2D
    row("Conv2D", {"filters": 4, "kernel_size": 3}, (f32(2, 7, 7, 3),)),
    row(
        "Conv2D",
        {"filters": 6, "kernel_size": (3, 2), "strides": (2, 1), "padding": "same"},
        (f32(2, 7, 6, 3),),
        **SAME_GRADIENTS,
    ),
    row(
        "Conv2D",
        {"filters": 4, "kernel_size": 3, "dilation_rate": 2, "padding": "same", "use_bias": False},
        (f32(2, 8, 8, 2),),
        **SAME_GRADIENTS,
    ),
    row(
        "Conv2D",
        {"filters": 6, "kernel_size": 3, "groups": 3, "data_format": CF, "activation": "tanh"},
        (f32(2, 6, 6, 7),),
    ),
    LayerCase(
        "Conv2D",
        zero_kernels("Conv2D", {"filters": 4, "kernel_size": 2}),
        (i32(2, 5, 5, 3),),
        keras=False,
        reference=keras_on_float("Conv2D", {"filters": 4, "kernel_size": 2}),
        gradients=False,
        random_weights=True,
        id="Conv2D-int32-input",
    ),
    # Conv3D
    row("Conv3D", {"filters": 4, "kernel_size": 2}, (f32(2, 5, 5, 5, 2),)),
    row(
        "Conv3D",
        {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "data_format": CF},
        (f32(2, 2, 5, 6, 5),),
        **SAME_GRADIENTS,
    ),
    row(
        "Conv3D",
        {"filters": 4, "kernel_size": 2, "groups": 2, "dilation_rate": (1, 2, 1)},
        (f32(2, 4, 5, 4, 4),),
        **SAME_GRADIENTS,
    ),
    # Transposed
    row("Conv1DTranspose", {"filters": 4, "kernel_size": 3}, (f32(2, 6, 3),)),
    row(
        "Conv1DTranspose",
        {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"},
        (f32(2, 6, 3),),
        **SAME_GRADIENTS,
    ),
    row(
        "Conv1DTranspose",
        {"filters": 3, "kernel_size": 4, "strides": 3, "output_padding": 2, "data_format": CF},
        (f32(2, 2, 5),),
        **SAME_GRADIENTS,
    ),
    row(
        "Conv2DTranspose",
        {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "activation": "relu"},
        (f32(2, 4, 5, 3),),
    ),
    row(
        "Conv2DTranspose",
        {"filters": 2, "kernel_size": (3, 2), "strides": (2, 3), "output_padding": (1, 2)},
        (f32(2, 4, 3, 3),),
        **SAME_GRADIENTS,
    ),
    row(
        "Conv2DTranspose",
        {"filters": 3, "kernel_size": 3, "dilation_rate": 2, "data_format": CF, "use_bias": False},
        (f32(2, 2, 4, 4),),
        **SAME_GRADIENTS,
    ),
    row("Conv3DTranspose", {"filters": 3, "kernel_size": 2, "strides": 2}, (f32(1, 3, 2, 3, 2),)),
    row(
        "Conv3DTranspose",
        {
            "filters": 2,
            "kernel_size": 3,
            "strides": 2,
            "padding": "same",
            "output_padding": 1,
            "data_format": CF,
        },
        (f32(1, 2, 3, 2, 3),),
        **SAME_GRADIENTS,
    ),
    # Depthwise
    row("DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2}, (f32(2, 8, 3),)),
    row(
        "DepthwiseConv1D",
        {"kernel_size": 3, "strides": 2, "padding": "same", "data_format": CF},
        (f32(2, 3, 9),),
        **SAME_GRADIENTS,
    ),
    row("DepthwiseConv2D", {"kernel_size": 3}, (f32(2, 6, 6, 3),)),
    row(
        "DepthwiseConv2D",
        {"kernel_size": 3, "depth_multiplier": 3, "padding": "same", "dilation_rate": 2},
        (f32(2, 7, 7, 2),),
        **SAME_GRADIENTS,
    ),
    row(
        "DepthwiseConv2D",
        {"kernel_size": (2, 3), "strides": 2, "data_format": CF, "activation": "relu"},
        (f32(2, 3, 7, 6),),
        **SAME_GRADIENTS,
    ),
    # Separable
    row(
        "SeparableConv1D",
        {"filters": 5, "kernel_size": 3, "depth_multiplier": 2},
        (f32(2, 8, 3),),
    ),
    row(
        "SeparableConv1D",
        {"filters": 4, "kernel_size": 3, "padding": "same", "dilation_rate": 2, "data_format": CF},
        (f32(2, 3, 9),),
        **SAME_GRADIENTS,
    ),
    row("SeparableConv2D", {"filters": 5, "kernel_size": 3}, (f32(2, 6, 6, 3),)),
    row(
        "SeparableConv2D",
        {
            "filters": 4,
            "kernel_size": 3,
            "strides": 2,
            "padding": "same",
            "depth_multiplier": 2,
            "data_format": CF,
            "use_bias": False,
        },
        (f32(2, 3, 7, 6),),
        **SAME_GRADIENTS,
    ),
    # Keras's other names
    row("Convolution2D", {"filters": 2, "kernel_size": 2}, (f32(2, 4, 4, 3),), **SAME_GRADIENTS),
    row(
        "SeparableConvolution1D",
        {"filters": 2, "kernel_size": 2},
        (f32(2, 5, 3),),
        **SAME_GRADIENTS,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_layer(case):
    check_layer(case)


def test_aliases_name_the_same_layer():
    assert kfn.layers.Convolution1D is kfn.layers.Conv1D
    assert kfn.layers.Convolution3DTranspose is kfn.layers.Conv3DTranspose
    assert kfn.layers.SeparableConvolution2D is kfn.layers.SeparableConv2D
    assert kfn.pure.layers.Convolution2D is kfn.pure.layers.Conv2D


def random_like(weights):
    rng = np.random.default_rng(3)
    return [rng.uniform(-1.0, 1.0, w.shape).astype(w.dtype) for w in weights]


def test_variables_have_keras_names_shapes_and_order():
    import keras

    x = f32(2, 6, 6, 4)
    for name, config in [
        ("Conv2D", {"filters": 6, "kernel_size": (3, 2), "groups": 2}),
        ("Conv2DTranspose", {"filters": 5, "kernel_size": 3}),
        ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2}),
        ("SeparableConv2D", {"filters": 5, "kernel_size": 3, "depth_multiplier": 2}),
    ]:
        config = zero_kernels(name, config)
        layer = getattr(kfn.layers, name)(**config)
        reference = getattr(keras.layers, name)(**config)
        layer(x), reference(x)
        assert [(v.name, tuple(v.shape)) for v in layer.weights] == [
            (v.name, tuple(v.shape)) for v in reference.weights
        ], name


def test_keras_positional_argument_order():
    transpose = kfn.layers.Conv3DTranspose(2, 3, 2, "same", CF, 1)
    assert transpose.data_format == CF and transpose.output_padding == (1, 1, 1)
    transpose = kfn.layers.Conv2DTranspose(2, 3, 2, "same", 1, CF)
    assert transpose.data_format == CF and transpose.output_padding == (1, 1)
    depthwise = kfn.layers.DepthwiseConv2D(3, 1, "valid", 4)
    assert depthwise.depth_multiplier == 4
    separable = kfn.layers.SeparableConv1D(8, 3, 1, "valid", None, 1, 2)
    assert separable.depth_multiplier == 2 and separable.data_format == "channels_last"


def test_arguments_are_stored_as_keras_stores_them():
    import keras

    conv = kfn.layers.Conv2D(4, 3, padding="SAME")
    assert conv.kernel_size == (3, 3) and conv.strides == (1, 1) and conv.padding == "same"
    assert conv.data_format == kfn.config.image_data_format()
    # A Keras config loads as it is.
    config = keras.layers.Conv2D(4, 3, padding="same", groups=2, name="c").get_config()
    clone = kfn.layers.Conv2D.from_config(config)
    assert clone.kernel_size == (3, 3) and clone.groups == 2 and clone.name == "c"


def test_regularizers_and_constraints_reach_keras_variable_names():
    depthwise = kfn.layers.DepthwiseConv2D(
        3,
        depthwise_regularizer="l2",
        depthwise_constraint="non_neg",
        **zero_kernels("Depthwise", {}),
    )
    depthwise(f32(1, 5, 5, 2))
    assert depthwise.kernel.regularizer is not None and depthwise.kernel.constraint is not None
    assert depthwise.bias.regularizer is None
    separable = kfn.layers.SeparableConv1D(
        3,
        2,
        pointwise_regularizer="l1",
        depthwise_constraint="unit_norm",
        **zero_kernels("Separable", {}),
    )
    separable(f32(1, 5, 2))
    assert separable.pointwise_kernel.regularizer is not None
    assert separable.depthwise_kernel.regularizer is None
    assert separable.depthwise_kernel.constraint is not None


def test_regularization_losses_equal_keras():
    import keras

    config = zero_kernels(
        "Conv2D",
        {"filters": 3, "kernel_size": 2, "kernel_regularizer": "l2", "bias_regularizer": "l1"},
    )
    x = f32(2, 5, 5, 2)
    layer, reference = kfn.layers.Conv2D(**config), keras.layers.Conv2D(**config)
    layer(x), reference(x)
    weights = random_like(layer.get_weights())
    layer.set_weights(weights)
    reference.set_weights(weights)
    layer(x), reference(x)
    ours = sum(float(ops.convert_to_numpy(v)) for v in layer.losses)
    theirs = sum(float(keras.ops.convert_to_numpy(v)) for v in reference.losses)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_mixed_precision_computes_in_float16_like_keras():
    import keras

    config = zero_kernels(
        "Conv2D", {"filters": 4, "kernel_size": 3, "padding": "same", "dtype": "mixed_float16"}
    )
    x = f32(2, 6, 6, 3)
    layer = kfn.layers.Conv2D(**config)
    layer(x)
    weights = random_like(layer.get_weights())
    layer.set_weights(weights)
    y = layer(x)
    assert ops.dtype(y) == "float16" and [v.dtype for v in layer.weights] == ["float32"] * 2
    assert kfn.layers.Conv2D(**config)(kfn.Input(shape=(6, 6, 3))).dtype == "float16"
    if BACKEND == "numpy":
        return  # Keras's numpy backend does not convolve float16
    reference = keras.layers.Conv2D(**config)
    reference(x)
    reference.set_weights(weights)
    expected = keras.ops.convert_to_numpy(reference(x))
    np.testing.assert_allclose(to_numpy(y), expected, rtol=1e-2, atol=1e-2)


def test_causal_output_sees_no_later_step():
    conv = kfn.layers.Conv1D(2, 3, padding="causal", dilation_rate=2, kernel_initializer="zeros")
    x = f32(1, 10, 3)
    conv(x)
    conv.set_weights(random_like(conv.get_weights()))
    later = x.copy()
    later[:, 6:] += 1.0
    before, after = to_numpy(conv(x)), to_numpy(conv(later))
    np.testing.assert_allclose(before[:, :6], after[:, :6], rtol=1e-6)
    assert not np.allclose(before[:, 6:], after[:, 6:])


def test_pure_form_runs_on_explicit_state():
    conv = kfn.pure.layers.SeparableConv2D(
        4, 3, padding="same", data_format=CF, pointwise_initializer="ones"
    )
    spec = kfn.TensorSpec((None, 3, 6, 6))
    variables = conv.init(kfn.random.key(0), spec)
    assert list(variables["trainable"]) == ["depthwise_kernel", "pointwise_kernel", "bias"]
    assert tuple(variables["trainable"]["pointwise_kernel"].shape) == (1, 1, 3, 4)
    y, state = conv.apply(variables, ops.ones((2, 3, 6, 6)))
    assert tuple(y.shape) == (2, 4, 6, 6) and state == {}
    same, other = conv.init(kfn.random.key(0), spec), conv.init(kfn.random.key(1), spec)
    kernel = to_numpy(variables["trainable"]["depthwise_kernel"])
    np.testing.assert_array_equal(to_numpy(same["trainable"]["depthwise_kernel"]), kernel)
    assert not np.allclose(to_numpy(other["trainable"]["depthwise_kernel"]), kernel)


def test_symbolic_shapes_with_unknown_sizes():
    steps = kfn.Input(shape=(None, 3))
    conv = kfn.layers.Conv1D(4, 3, strides=2, kernel_initializer="zeros")
    assert tuple(conv(steps).shape) == (None, None, 4)
    images = kfn.Input(shape=(None, 9, 2))
    up = kfn.layers.Conv2DTranspose(3, 3, strides=2, padding="same", kernel_initializer="zeros")
    assert tuple(up(images).shape) == (None, None, 18, 3)


def test_errors_name_the_layer_and_what_was_expected():
    expect_error(
        "Conv2D",
        r"Conv2D '.*' expected input of rank 4 \(batch, spatial..., channels\), got rank 3",
        f32(2, 5, 3),
        filters=2,
        kernel_size=2,
    )
    expect_error(
        "Conv1D",
        r"Conv1D '.*' expected input channels divisible by groups=2, got 3 channels "
        r"\(input shape \(2, 5, 3\)\)",
        f32(2, 5, 3),
        filters=4,
        kernel_size=2,
        groups=2,
    )
    expect_error(
        "Conv2D",
        r"expected spatial dimensions of at least the dilated kernel size \(5, 5\)",
        f32(1, 4, 6, 1),
        filters=2,
        kernel_size=3,
        dilation_rate=2,
    )
    conv = kfn.layers.Conv2D(2, 2, data_format=CF, name="conv_channels", kernel_initializer="zeros")
    conv(f32(1, 3, 4, 4))
    with pytest.raises(
        ValueError, match=r"Conv2D 'conv_channels' expected input dimension 1 3, got 4"
    ):
        conv(f32(1, 4, 4, 4))
    with pytest.raises(
        ValueError, match="Conv2D: filters must be divisible by groups, got filters=3"
    ):
        kfn.layers.Conv2D(3, 2, groups=2)
    with pytest.raises(
        ValueError, match=r"Conv2D: padding must be one of 'valid', 'same', got 'causal'"
    ):
        kfn.layers.Conv2D(3, 2, padding="causal")
    with pytest.raises(
        ValueError, match=r"Conv1D: padding must be one of 'valid', 'same', 'causal', got 'full'"
    ):
        kfn.layers.Conv1D(3, 2, padding="full")
    with pytest.raises(
        ValueError,
        match=r"Conv3D: kernel_size must be a positive integer or a tuple of 3 of them, got \(3, 0, 3\)",
    ):
        kfn.layers.Conv3D(3, (3, 0, 3))
    with pytest.raises(
        ValueError, match=r"Conv2D: strides > 1 cannot be combined with dilation_rate > 1"
    ):
        kfn.layers.Conv2D(3, 2, strides=2, dilation_rate=2)
    with pytest.raises(
        ValueError, match=r"Conv2DTranspose: output_padding must be less than strides"
    ):
        kfn.layers.Conv2DTranspose(3, 2, strides=2, output_padding=2)
    with pytest.raises(
        ValueError, match="DepthwiseConv2D: depth_multiplier must be a positive integer, got 0"
    ):
        kfn.layers.DepthwiseConv2D(3, depth_multiplier=0)
    with pytest.raises(
        ValueError, match="SeparableConv2D: filters must be a positive integer, got -1"
    ):
        kfn.layers.SeparableConv2D(-1, 3)
    with pytest.raises(
        ValueError, match="Conv1DTranspose: data_format must be 'channels_last' or 'channels_first'"
    ):
        kfn.layers.Conv1DTranspose(2, 3, data_format="NWC")

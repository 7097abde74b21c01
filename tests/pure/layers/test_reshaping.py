"""Reshaping layers (kfn/pure/layers/reshaping.py) against Keras 3."""

import numpy as np
import pytest

import kfn
from tests.conftest import BACKEND
from tests.pure.layers.cases import LayerCase, case_id, check_layer, expect_error, f32, i32

FIRST = {"data_format": "channels_first"}
NO_KERAS_LANCZOS = {"torch": "Keras's torch backend has no Lanczos resize"}
KERAS_TORCH_BICUBIC = (
    "Keras's torch backend upsamples bicubic with torch's a = -0.75 kernel; kfn resizes with "
    "Keys' a = -0.5 kernel on every backend, as Keras does on jax, tensorflow and numpy"
)
NO_KERAS_AREA = {b: "Keras has area resizing on tensorflow only" for b in ("jax", "torch", "numpy")}

CASES = [
    LayerCase("Flatten", {}, (f32(2, 3, 4),)),
    LayerCase("Flatten", FIRST, (f32(2, 3, 4, 5),)),
    LayerCase("Flatten", {}, (f32(4),), id="Flatten-rank1"),
    LayerCase("Flatten", {}, (i32(2, 3, 2),), id="Flatten-int"),
    LayerCase("Flatten", {}, (f32(2, 3, 2).astype(np.float64),), id="Flatten-float64-autocast"),
    LayerCase("Reshape", {"target_shape": (3, 4)}, (f32(2, 12),)),
    LayerCase("Reshape", {"target_shape": (-1, 2)}, (f32(2, 3, 4),)),
    LayerCase("Reshape", {"target_shape": (2, -1, 3)}, (i32(3, 4, 3),), id="Reshape-int"),
    LayerCase("Permute", {"dims": (2, 1)}, (f32(2, 3, 4),)),
    LayerCase("Permute", {"dims": (3, 1, 2)}, (i32(2, 3, 4, 5),)),
    LayerCase("RepeatVector", {"n": 3}, (f32(2, 5),)),
    LayerCase("Cropping1D", {}, (f32(2, 5, 3),)),
    LayerCase("Cropping1D", {"cropping": (0, 2)}, (i32(2, 5, 3),)),
    LayerCase("Cropping1D", {"cropping": 2}, (f32(2, 6, 3),)),
    LayerCase("Cropping2D", {"cropping": 1}, (f32(2, 5, 6, 3),)),
    LayerCase("Cropping2D", {"cropping": ((1, 0), (2, 1))}, (f32(2, 5, 6, 3),)),
    LayerCase("Cropping2D", {"cropping": (1, 2), **FIRST}, (f32(2, 3, 5, 6),)),
    LayerCase("Cropping3D", {}, (f32(2, 4, 5, 3, 2),)),
    LayerCase("Cropping3D", {"cropping": ((0, 1), (1, 0), (2, 0)), **FIRST}, (f32(2, 2, 4, 5, 3),)),
    LayerCase("ZeroPadding1D", {}, (f32(2, 3, 4),)),
    LayerCase("ZeroPadding1D", {"padding": (1, 2), **FIRST}, (f32(2, 3, 4),)),
    LayerCase("ZeroPadding1D", {"padding": 2}, (i32(2, 3, 4),), id="ZeroPadding1D-int"),
    LayerCase("ZeroPadding2D", {}, (f32(2, 3, 4, 2),)),
    LayerCase("ZeroPadding2D", {"padding": ((1, 0), (0, 2)), **FIRST}, (f32(2, 2, 3, 4),)),
    LayerCase("ZeroPadding3D", {"padding": 1}, (f32(2, 2, 3, 2, 2),)),
    LayerCase(
        "ZeroPadding3D", {"padding": ((0, 1), (1, 0), (2, 0)), **FIRST}, (f32(1, 2, 2, 3, 2),)
    ),
    LayerCase("UpSampling1D", {}, (f32(2, 3, 4),)),
    LayerCase("UpSampling1D", {"size": 3}, (i32(2, 3, 4),)),
    LayerCase("UpSampling2D", {}, (f32(2, 3, 4, 2),)),
    LayerCase("UpSampling2D", {"size": (2, 3), **FIRST}, (f32(2, 2, 3, 4),)),
    LayerCase("UpSampling2D", {"size": 2}, (i32(2, 3, 3, 2),), id="UpSampling2D-int"),
    LayerCase("UpSampling2D", {"interpolation": "bilinear"}, (f32(2, 3, 4, 2),)),
    LayerCase(
        "UpSampling2D", {"size": (3, 2), "interpolation": "bilinear", **FIRST}, (f32(1, 2, 3, 4),)
    ),
    LayerCase(
        "UpSampling2D",
        {"interpolation": "bicubic"},
        (f32(2, 4, 4, 2),),
        atol=1e-4,
        skip={"torch": KERAS_TORCH_BICUBIC},
    ),
    LayerCase(
        "UpSampling2D",
        {"interpolation": "lanczos3"},
        (f32(1, 4, 5, 2),),
        atol=1e-4,
        skip=NO_KERAS_LANCZOS,
    ),
    LayerCase("UpSampling2D", {"interpolation": "area"}, (f32(1, 3, 4, 2),), skip=NO_KERAS_AREA),
    LayerCase("UpSampling3D", {}, (f32(1, 2, 3, 2, 2),)),
    LayerCase("UpSampling3D", {"size": (1, 2, 3), **FIRST}, (f32(2, 2, 2, 3, 2),)),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_layer(case):
    check_layer(case)


UNKNOWN_SIZES = [
    ("Flatten", {}, (None, 4)),
    ("Flatten", {}, (3, 4)),
    ("Reshape", {"target_shape": (-1, 2)}, (None, 4)),
    ("Reshape", {"target_shape": (2, 6)}, (None, 3)),
    ("Permute", {"dims": (2, 1)}, (None, 3)),
    ("Cropping1D", {}, (None, 3)),
    ("Cropping2D", {"cropping": 1}, (None, 5, 3)),
    ("Cropping3D", {"cropping": 1}, (4, None, 5, 3)),
    ("ZeroPadding2D", FIRST, (3, None, 4)),
    ("UpSampling1D", {}, (None, 3)),
    ("UpSampling2D", {"size": (2, 3)}, (None, 4, 3)),
    ("UpSampling3D", FIRST, (3, None, 2, None)),
]


@pytest.mark.parametrize("name, config, shape", UNKNOWN_SIZES, ids=lambda v: str(v))
def test_symbolic_shapes_with_unknown_sizes_match_keras(name, config, shape):
    import keras

    layer = getattr(kfn.layers, name)(**config)
    symbolic = layer(kfn.Input(shape))
    expected = getattr(keras.layers, name)(**config).compute_output_shape((None, *shape))
    assert tuple(symbolic.shape) == tuple(expected)


@pytest.mark.skipif(BACKEND != "tensorflow", reason="a tf.function with unknown sizes")
def test_apply_traces_with_unknown_sizes():
    import tensorflow as tf

    x = f32(2, 6, 4, 3)
    unknown_height = tf.TensorSpec((None, None, 4, 3), tf.float32)
    unknown_batch = tf.TensorSpec((None, 6, 4, 3), tf.float32)
    for layer, signature in (
        (kfn.layers.Flatten(), unknown_height),
        (kfn.layers.Reshape((-1, 3)), unknown_height),
        (kfn.layers.Cropping2D(1), unknown_height),
        (kfn.layers.ZeroPadding2D(1), unknown_height),
        (kfn.layers.UpSampling2D(2), unknown_height),
        (kfn.layers.UpSampling2D(2, interpolation="bilinear"), unknown_batch),
    ):
        traced = _traced(tf, layer.pure(), signature)
        np.testing.assert_allclose(
            traced(tf.constant(x)).numpy(), kfn.ops.convert_to_numpy(layer(x)), rtol=1e-6
        )
    resize = kfn.layers.UpSampling2D(2, interpolation="bilinear").pure()
    # tf.function wraps the InputError in its own StagingError.
    with pytest.raises(Exception, match=r"height and width to be known .*'bilinear'"):
        _traced(tf, resize, unknown_height)(tf.constant(x))


def _traced(tf, pure, signature):
    """`pure.apply` as a tf.function traced for inputs of `signature`."""
    return tf.function(lambda x: pure.apply({}, x)[0], input_signature=[signature])


def test_input_errors_name_the_layer_and_the_shapes():
    permute = kfn.layers.Permute((2, 1), name="permute_errors")
    permute(f32(2, 3, 4))
    with pytest.raises(
        ValueError,
        match=r"Permute 'permute_errors' expected input of rank 3, got rank 4 "
        r"\(input shape \(2, 3, 4, 5\)\)",
    ):
        permute(f32(2, 3, 4, 5))
    expect_error(
        "Reshape",
        r"Reshape '.*' expected input with 5 values per sample for target_shape \(5,\), "
        r"got 12 \(input shape \(2, 12\)\)",
        f32(2, 12),
        target_shape=(5,),
    )
    expect_error(
        "Reshape",
        r"expected input with a multiple of 5 values per sample for target_shape \(-1, 5\), "
        r"got 12",
        f32(2, 3, 4),
        target_shape=(-1, 5),
    )
    expect_error(
        "Cropping1D",
        r"Cropping1D '.*' expected input dimension 1 larger than its cropping \(2, 2\), got 4 "
        r"\(input shape \(2, 4, 3\)\)",
        f32(2, 4, 3),
        cropping=2,
    )
    expect_error(
        "Cropping2D",
        r"expected input dimension 3 larger than its cropping \(3, 1\), got 4",
        f32(2, 3, 5, 4),
        cropping=((0, 0), (3, 1)),
        data_format="channels_first",
    )
    expect_error("RepeatVector", r"expected input of rank 2, got rank 3", f32(2, 3, 4), n=2)
    expect_error("UpSampling2D", r"expected input of rank 4, got rank 3", f32(2, 3, 4))
    with pytest.raises(ValueError, match=r"Cropping1D 'symbolic_crop' expected input dimension 1"):
        kfn.layers.Cropping1D(3, name="symbolic_crop")(kfn.Input((5, 2)))


@pytest.mark.parametrize(
    "name, config, message",
    [
        (
            "Reshape",
            {"target_shape": (-2, 3)},
            r"target_shape must hold sizes >= 0 and at most one -1.*got \(-2, 3\)",
        ),
        ("Reshape", {"target_shape": (-1, -1)}, r"target_shape must hold .*at most one -1"),
        ("Reshape", {"target_shape": "12"}, r"target_shape must be a tuple of ints, got '12'"),
        ("Permute", {"dims": (1, 3)}, r"dims must be a permutation of 1, 2, ..., n.*got \(1, 3\)"),
        ("RepeatVector", {"n": 0}, r"n must be a positive integer, got 0"),
        ("Cropping1D", {"cropping": (1, -1)}, r"cropping must be an int or a tuple of 2 ints"),
        ("Cropping2D", {"cropping": ((1, 2, 3), 1)}, r"cropping\[0\] must be an int or a tuple"),
        ("Cropping3D", {"cropping": (1, 1)}, r"cropping must be an int, a tuple of 3 ints"),
        ("ZeroPadding2D", {"padding": -1}, r"padding\[0\] must be .* each >= 0, got -1"),
        ("UpSampling1D", {"size": 0}, r"size must be a positive integer, got 0"),
        ("UpSampling2D", {"size": (2, 0)}, r"size must be an int or a tuple of 2 ints"),
        ("UpSampling2D", {"interpolation": "cubic"}, r"interpolation must be one of .*'cubic'"),
        ("Flatten", {"data_format": "nchw"}, r"data_format must be .*got 'nchw'"),
    ],
)
def test_bad_arguments_name_the_layer_and_the_argument(name, config, message):
    with pytest.raises(ValueError, match=f"{name}: {message}"):
        getattr(kfn.layers, name)(**config)


def test_config_holds_keras_standard_forms():
    assert kfn.layers.Cropping2D(1).cropping == ((1, 1), (1, 1))
    assert kfn.layers.ZeroPadding3D((1, 2, 3)).padding == ((1, 1), (2, 2), (3, 3))
    assert kfn.layers.UpSampling2D(3, interpolation="BILINEAR").get_config()["interpolation"] == (
        "bilinear"
    )
    config = kfn.layers.Flatten().get_config()
    assert config["data_format"] == kfn.config.image_data_format()

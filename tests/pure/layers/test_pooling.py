"""Pooling layers (kfn/pure/layers/pooling.py) against Keras 3."""

import numpy as np
import pytest

import kfn
from kfn import ops
from tests.conftest import BACKEND
from tests.ops.nn.reference_conv import pool as numpy_pool
from tests.pure.layers.cases import LayerCase, case_id, check_layer, expect_error, f32, i32

CF = "channels_first"


def keras_on_float(layer, config):
    """A reference for integer inputs: Keras's layer on the inputs cast to float32 (Keras
    does not pool integers on every backend)."""

    def reference(weights, x):
        import keras

        return np.asarray(
            keras.ops.convert_to_numpy(getattr(keras.layers, layer)(**config)(x.astype("float32")))
        )

    return reference


def average_same(layer, config, x):
    """An average pooling case with "same" padding and strides: Keras's torch backend counts
    the padding into some of those means, unlike its other backends and TensorFlow's rule
    (padded positions left out), so on torch the NumPy definition is the reference (and for
    integers, which Keras does not pool on every backend)."""
    arguments = {"strides": None, "data_format": "channels_last", **config}
    return LayerCase(
        layer,
        config,
        (x,),
        keras=BACKEND != "torch" and x.dtype != np.int32,
        reference=lambda weights, x: numpy_pool(x, kind="average", **arguments),
        id=case_id(LayerCase(layer, config)) + ("-int32" if x.dtype == np.int32 else ""),
    )


def int_case(layer, config, x):
    return LayerCase(
        layer,
        config,
        (x,),
        keras=False,
        reference=keras_on_float(layer, config),
        id=f"{case_id(LayerCase(layer, config))}-int32",
    )


CASES = [
    # Windows
    LayerCase("MaxPooling1D", {}, (f32(2, 8, 3),)),
    LayerCase("MaxPooling1D", {"pool_size": 3, "strides": 2, "padding": "same"}, (f32(2, 8, 3),)),
    LayerCase("MaxPooling1D", {"pool_size": 2, "data_format": CF}, (f32(2, 3, 7),)),
    LayerCase("MaxPooling2D", {}, (f32(2, 6, 7, 3),)),
    LayerCase(
        "MaxPooling2D",
        {"pool_size": (3, 2), "strides": (2, 1), "padding": "same", "data_format": CF},
        (f32(2, 3, 7, 5),),
    ),
    int_case("MaxPooling2D", {"pool_size": 2, "strides": 1}, i32(2, 5, 5, 2, low=-9)),
    LayerCase("MaxPooling3D", {"pool_size": 2}, (f32(2, 4, 5, 4, 2),)),
    LayerCase(
        "MaxPooling3D",
        {"pool_size": 3, "strides": 2, "padding": "same", "data_format": CF},
        (f32(2, 2, 5, 4, 5),),
    ),
    LayerCase("AveragePooling1D", {"pool_size": 3, "strides": 1}, (f32(2, 8, 3),)),
    average_same(
        "AveragePooling1D",
        {"pool_size": 3, "strides": 2, "padding": "same", "data_format": CF},
        f32(2, 3, 8),
    ),
    LayerCase("AveragePooling2D", {"pool_size": 2}, (f32(2, 6, 7, 3),)),
    average_same(
        "AveragePooling2D",
        {"pool_size": 3, "strides": 2, "padding": "same", "data_format": CF},
        f32(2, 3, 7, 6),
    ),
    average_same("AveragePooling2D", {"pool_size": (2, 3), "padding": "same"}, i32(2, 5, 5, 2)),
    LayerCase("AveragePooling3D", {"pool_size": 2, "padding": "same"}, (f32(2, 3, 5, 4, 2),)),
    LayerCase(
        "AveragePooling3D",
        {"pool_size": (2, 1, 2), "strides": 1, "data_format": CF},
        (f32(2, 2, 3, 4, 3),),
    ),
    # Global
    LayerCase("GlobalMaxPooling1D", {}, (f32(2, 7, 3),)),
    LayerCase("GlobalMaxPooling1D", {"data_format": CF, "keepdims": True}, (f32(2, 3, 7),)),
    LayerCase("GlobalAveragePooling1D", {}, (f32(2, 7, 3),)),
    LayerCase(
        "GlobalAveragePooling1D",
        {"keepdims": True},
        (f32(2, 5, 3),),
        call_kwargs={"mask": np.array([[1, 1, 0, 1, 0], [0, 1, 1, 1, 1]], bool)},
    ),
    LayerCase(
        "GlobalAveragePooling1D",
        {"data_format": CF},
        (f32(2, 3, 4),),
        call_kwargs={"mask": np.array([[1, 0, 0, 1], [1, 1, 1, 1]], bool)},
    ),
    LayerCase("GlobalMaxPooling2D", {"data_format": CF}, (f32(2, 3, 4, 5),)),
    LayerCase("GlobalAveragePooling2D", {"keepdims": True}, (f32(2, 4, 5, 3),)),
    int_case("GlobalAveragePooling2D", {}, i32(2, 4, 5, 3)),
    int_case("GlobalMaxPooling2D", {"keepdims": True}, i32(2, 4, 5, 3, low=-9)),
    LayerCase("GlobalMaxPooling3D", {"keepdims": True}, (f32(2, 3, 4, 3, 2),)),
    LayerCase("GlobalAveragePooling3D", {"data_format": CF}, (f32(2, 2, 3, 4, 3),)),
    # Adaptive
    LayerCase("AdaptiveMaxPooling1D", {"output_size": 3}, (f32(2, 7, 3),)),
    LayerCase("AdaptiveAveragePooling1D", {"output_size": 4, "data_format": CF}, (f32(2, 3, 10),)),
    LayerCase("AdaptiveMaxPooling2D", {"output_size": (2, 3)}, (f32(2, 5, 7, 3),)),
    LayerCase(
        "AdaptiveAveragePooling2D", {"output_size": 3, "data_format": CF}, (f32(2, 3, 7, 8),)
    ),
    int_case("AdaptiveMaxPooling2D", {"output_size": 2}, i32(2, 5, 5, 2, low=-9)),
    LayerCase("AdaptiveMaxPooling3D", {"output_size": 2, "data_format": CF}, (f32(2, 2, 5, 4, 3),)),
    LayerCase("AdaptiveAveragePooling3D", {"output_size": (2, 3, 2)}, (f32(2, 4, 5, 3, 2),)),
    # Keras's other names
    LayerCase("MaxPool2D", {"pool_size": 2}, (f32(2, 4, 4, 3),)),
    LayerCase("GlobalAvgPool1D", {}, (f32(2, 5, 3),)),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_layer(case):
    check_layer(case)


@pytest.mark.parametrize(
    "layer, config, dtype",
    [
        ("MaxPooling1D", {"pool_size": 2}, "int32"),
        ("AveragePooling1D", {"pool_size": 2}, "float32"),
        ("GlobalMaxPooling1D", {}, "int32"),
        ("GlobalAveragePooling1D", {}, "float32"),
        ("AdaptiveMaxPooling1D", {"output_size": 2}, "int32"),
        ("AdaptiveAveragePooling1D", {"output_size": 2}, "float32"),
    ],
)
def test_integer_inputs_keep_their_type_under_max_and_become_float_under_mean(layer, config, dtype):
    x = i32(2, 6, 3)
    assert ops.dtype(getattr(kfn.layers, layer)(**config)(x)) == dtype
    symbolic = getattr(kfn.layers, layer)(**config)(kfn.Input(shape=(6, 3), dtype="int32"))
    assert symbolic.dtype == dtype


def test_aliases_name_the_same_layer():
    assert kfn.layers.MaxPool3D is kfn.layers.MaxPooling3D
    assert kfn.layers.AvgPool1D is kfn.layers.AveragePooling1D
    assert kfn.layers.GlobalMaxPool2D is kfn.layers.GlobalMaxPooling2D
    assert kfn.layers.GlobalAvgPool3D is kfn.layers.GlobalAveragePooling3D
    assert kfn.pure.layers.AvgPool2D is kfn.pure.layers.AveragePooling2D


def test_arguments_are_stored_as_keras_stores_them():
    import keras

    pool = kfn.layers.MaxPooling2D(padding="SAME")
    assert pool.pool_size == (2, 2) and pool.strides == (2, 2) and pool.padding == "same"
    assert kfn.layers.AveragePooling1D(3, strides=1).strides == (1,)
    assert kfn.layers.AdaptiveAveragePooling3D(4).output_size == (4, 4, 4)
    for name, config in [
        ("MaxPooling3D", {"pool_size": 3, "strides": 2}),
        ("GlobalAveragePooling2D", {"keepdims": True}),
        ("AdaptiveMaxPooling2D", {"output_size": (2, 3)}),
    ]:
        expected = getattr(keras.layers, name)(**config).get_config()
        ours = getattr(kfn.layers, name).from_config(expected).get_config()
        for key in config:
            assert ours[key] == _plain(expected[key]), (name, key)


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def test_pure_form_has_no_variables():
    pool = kfn.pure.layers.AveragePooling2D(2, data_format=CF)
    variables = pool.init(None, kfn.TensorSpec((None, 3, 4, 4)))
    assert variables == {"trainable": {}, "non_trainable": {}}
    y, state = pool.apply(variables, ops.ones((2, 3, 4, 4)))
    assert tuple(y.shape) == (2, 3, 2, 2) and state == {}


def test_symbolic_shapes_with_unknown_sizes():
    steps = kfn.Input(shape=(None, 3))
    assert tuple(kfn.layers.MaxPooling1D(2)(steps).shape) == (None, None, 3)
    assert tuple(kfn.layers.GlobalAveragePooling1D()(steps).shape) == (None, 3)


def test_errors_name_the_layer_and_what_was_expected():
    expect_error(
        "MaxPooling2D",
        r"MaxPooling2D '.*' expected input of rank 4 \(batch, spatial..., channels\), got rank 3",
        f32(2, 5, 3),
    )
    expect_error(
        "GlobalAveragePooling3D",
        r"GlobalAveragePooling3D '.*' expected input of rank 5 \(batch, channels, spatial...\)",
        f32(2, 5, 3, 4),
        data_format=CF,
    )
    expect_error(
        "AveragePooling2D",
        r"AveragePooling2D '.*' expected spatial dimensions of at least pool_size \(3, 3\) "
        r"with padding 'valid', got input shape \(1, 2, 5, 1\)",
        f32(1, 2, 5, 1),
        pool_size=3,
    )
    expect_error(
        "AdaptiveMaxPooling1D",
        r"AdaptiveMaxPooling1D '.*' expected input of rank 3",
        f32(2, 5, 3, 3),
        output_size=2,
    )
    with pytest.raises(
        ValueError, match=r"MaxPooling1D: padding must be one of 'valid', 'same', got 'causal'"
    ):
        kfn.layers.MaxPooling1D(2, padding="causal")
    with pytest.raises(
        ValueError,
        match=r"MaxPooling3D: pool_size must be a positive integer or a tuple of 3 of them, got \(2, 2\)",
    ):
        kfn.layers.MaxPooling3D((2, 2))
    with pytest.raises(ValueError, match="AveragePooling1D: strides must be a positive integer"):
        kfn.layers.AveragePooling1D(2, strides=0)
    with pytest.raises(
        ValueError,
        match="AdaptiveAveragePooling2D: output_size must be a positive integer or a tuple of 2 of them, got",
    ):
        kfn.layers.AdaptiveAveragePooling2D((2, 2, 2))
    with pytest.raises(
        ValueError,
        match="GlobalMaxPooling1D: data_format must be 'channels_last' or 'channels_first'",
    ):
        kfn.layers.GlobalMaxPooling1D(data_format="NWC")
    with pytest.raises(TypeError, match="AveragePooling2D"):
        kfn.layers.AveragePooling2D()  # pool_size has no default, as in Keras

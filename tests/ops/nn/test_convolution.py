"""kfn.ops.nn convolution against independent NumPy definitions (reference_conv) and against
Keras 3 on the same backend."""

import numpy as np
import pytest

from kfn import ops
from kfn.state.spec import TensorSpec
from tests.conftest import requires_gradients
from tests.ops.cases import OpCase, case_id, check_gradient, run_case
from tests.ops.nn import reference_conv
from tests.ops.nn.keras_reference import keras_ops, keras_reference

RNG = np.random.default_rng(21)


def r(*shape, dtype=np.float32):
    return RNG.normal(size=shape).astype(dtype)


def ints(*shape, dtype=np.int32, low=-4, high=5):
    return RNG.integers(low, high, shape).astype(dtype)


def to_first(x):
    return np.moveaxis(x, -1, 1).copy()


TOL = {"rtol": 1e-4, "atol": 1e-5}
CASES = []
# conv: ranks, strides, dilation, paddings, data formats, groups, odd sizes.
for rank, spatial in ((1, (9,)), (2, (7, 6)), (3, (6, 5, 7))):
    combinations = ((1, 1), (2, 1), (1, 2), (2, 2)) if rank < 3 else ((1, 1), (2, 2))
    for strides, dilation in combinations:
        for padding in ("valid", "same"):
            CASES.append(
                OpCase(
                    "conv",
                    (r(2, *spatial, 4), r(*(3,) * rank, 4, 5)),
                    {"strides": strides, "padding": padding, "dilation_rate": dilation},
                    dtype="float32",
                    reference=reference_conv.conv,
                    **TOL,
                    id=f"conv{rank}d_s{strides}_d{dilation}_{padding}",
                )
            )
    CASES += [
        OpCase(
            "conv",
            (r(2, *spatial, 6), r(*(2,) * rank, 3, 4)),
            {"padding": "same"},
            dtype="float32",
            reference=reference_conv.conv,
            **TOL,
            id=f"conv{rank}d_groups2",
        ),
        OpCase(
            "conv",
            (to_first(r(2, *spatial, 6)), r(*(3,) * rank, 2, 6)),
            {"strides": 2, "padding": "same", "data_format": "channels_first"},
            dtype="float32",
            reference=reference_conv.conv,
            **TOL,
            id=f"conv{rank}d_groups3_channels_first",
        ),
    ]
CASES += [
    OpCase(
        "conv",
        (r(1, 8, 8, 2), r(4, 4, 2, 3)),
        {"padding": "same"},
        dtype="float32",
        reference=reference_conv.conv,
        **TOL,
        id="conv2d_even_kernel_same",
    ),
    OpCase(
        "conv",
        (r(1, 9, 7, 2), r(3, 2, 2, 3)),
        {"strides": (2, 3), "dilation_rate": [1, 2], "padding": "same"},
        dtype="float32",
        reference=reference_conv.conv,
        **TOL,
        id="conv2d_per_axis_arguments",
    ),
    OpCase(
        "conv",
        (r(1, 9, 10, 2), r(2, 3, 2, 3)),
        {"strides": (3, 4), "padding": "same"},
        dtype="float32",
        reference=reference_conv.conv,
        **TOL,
        id="conv2d_strides_above_kernel",
    ),
    OpCase(
        "conv",
        (r(1, 5, 5, 4), r(5, 5, 4, 2)),
        dtype="float32",
        reference=reference_conv.conv,
        **TOL,
        id="conv2d_kernel_as_large_as_input",
    ),
    OpCase(
        "conv",
        (np.zeros((0, 6, 6, 2), np.float32), r(3, 3, 2, 3)),
        {"padding": "same"},
        dtype="float32",
        reference=reference_conv.conv,
        id="conv2d_empty_batch",
    ),
    # Dtypes: result_type of inputs and kernel, floatx for integers, 64 bits kept.
    OpCase(
        "conv",
        (ints(1, 6, 6, 2), ints(3, 3, 2, 3)),
        dtype="float32",
        reference=reference_conv.conv,
        id="conv_int32_int32_is_float32",
    ),
    OpCase(
        "conv",
        (ints(1, 6, 6, 2, dtype=np.uint8, low=0), r(3, 3, 2, 3)),
        dtype="float32",
        reference=reference_conv.conv,
        **TOL,
        id="conv_uint8_float32",
    ),
    OpCase(
        "conv",
        (r(1, 6, 6, 2), r(3, 3, 2, 3, dtype=np.float64)),
        {"padding": "same"},
        dtype="float64",
        reference=reference_conv.conv,
        rtol=1e-6,
        atol=1e-6,
        id="conv_float32_float64_is_float64",
    ),
    OpCase(
        "conv",
        (r(1, 6, 6, 2, dtype=np.float16), r(3, 3, 2, 3, dtype=np.float16)),
        {"padding": "same"},
        dtype="float16",
        reference=reference_conv.conv,
        rtol=1e-2,
        atol=1e-2,
        id="conv_float16",
    ),
    OpCase(
        "conv",
        (r(1, 7, 2, dtype=np.float64), r(3, 2, 4, dtype=np.float64)),
        {"strides": 2, "dilation_rate": 2, "padding": "same"},
        dtype="float64",
        reference=reference_conv.conv,
        rtol=1e-9,
        atol=1e-9,
        id="conv1d_float64_strided_dilated",
    ),
    OpCase(
        "conv",
        (r(1, 5, 6, 5, 4, dtype=np.float64), r(2, 2, 2, 2, 4, dtype=np.float64)),
        {"dilation_rate": 2, "padding": "same"},
        dtype="float64",
        reference=reference_conv.conv,
        rtol=1e-9,
        atol=1e-9,
        id="conv3d_float64_grouped_dilated",
    ),
]

for rank, spatial in ((1, (8,)), (2, (7, 6)), (3, (5, 6, 5))):
    for strides, padding, dilation in (
        (1, "valid", 1),
        (2, "same", 1),
        (1, "same", 2),
        (2, "same", 2),
    ):
        CASES.append(
            OpCase(
                "depthwise_conv",
                (r(2, *spatial, 3), r(*(3,) * rank, 3, 2)),
                {"strides": strides, "padding": padding, "dilation_rate": dilation},
                dtype="float32",
                reference=reference_conv.depthwise_conv,
                **TOL,
                id=f"depthwise{rank}d_s{strides}_{padding}_d{dilation}",
            )
        )
    CASES += [
        OpCase(
            "depthwise_conv",
            (to_first(r(2, *spatial, 3)), r(*(2,) * rank, 3, 1)),
            {"dilation_rate": 2, "data_format": "channels_first"},
            dtype="float32",
            reference=reference_conv.depthwise_conv,
            **TOL,
            id=f"depthwise{rank}d_d2_channels_first",
        ),
        OpCase(
            "separable_conv",
            (r(2, *spatial, 3), r(*(3,) * rank, 3, 2), r(*(1,) * rank, 6, 4)),
            {"strides": 2, "padding": "same"},
            dtype="float32",
            reference=reference_conv.separable_conv,
            **TOL,
            id=f"separable{rank}d_s2_same",
        ),
    ]
CASES.append(
    OpCase(
        "depthwise_conv",
        (r(1, 6, 6, 2, dtype=np.float64), r(3, 3, 2, 2, dtype=np.float64)),
        {"padding": "same", "dilation_rate": 2},
        dtype="float64",
        reference=reference_conv.depthwise_conv,
        rtol=1e-9,
        atol=1e-9,
        id="depthwise_float64_dilated",
    )
)

TRANSPOSE_COMBINATIONS = (  # strides, padding, output_padding, dilation
    (1, "valid", None, 1),
    (2, "valid", None, 1),
    (2, "same", None, 1),
    (3, "same", None, 1),
    (2, "same", 1, 1),
    (2, "same", 0, 1),
    (3, "valid", 2, 1),
    (1, "same", None, 2),
    (2, "same", None, 2),
    (2, "valid", 1, 2),
)
for rank, spatial in ((1, (5,)), (2, (4, 5)), (3, (3, 4, 3))):
    combinations = TRANSPOSE_COMBINATIONS
    if rank == 3:
        combinations = [TRANSPOSE_COMBINATIONS[i] for i in (2, 6, 8)]
    for strides, padding, output_padding, dilation in combinations:
        CASES.append(
            OpCase(
                "conv_transpose",
                (r(2, *spatial, 3), r(*(3,) * rank, 4, 3)),
                {
                    "strides": strides,
                    "padding": padding,
                    "output_padding": output_padding,
                    "dilation_rate": dilation,
                },
                dtype="float32",
                reference=reference_conv.conv_transpose,
                **TOL,
                id=f"conv_transpose{rank}d_s{strides}_{padding}_op{output_padding}_d{dilation}",
            )
        )
    CASES.append(
        OpCase(
            "conv_transpose",
            (to_first(r(1, *spatial, 3)), r(*(2,) * rank, 5, 3)),
            {"strides": 2, "padding": "same", "data_format": "channels_first"},
            dtype="float32",
            reference=reference_conv.conv_transpose,
            **TOL,
            id=f"conv_transpose{rank}d_even_kernel_channels_first",
        )
    )
CASES += [
    OpCase(
        "conv_transpose",
        (r(1, 5, 5, 2), r(4, 4, 3, 2)),
        {"strides": 2, "padding": "same"},
        dtype="float32",
        reference=reference_conv.conv_transpose,
        **TOL,
        id="conv_transpose_even_kernel",
    ),
    OpCase(
        "conv_transpose",
        (r(1, 3, 4, 2), r(1, 2, 3, 2)),
        {"strides": (4, 3), "padding": "same"},
        dtype="float32",
        reference=reference_conv.conv_transpose,
        **TOL,
        id="conv_transpose_strides_above_kernel",
    ),
    OpCase(
        "conv_transpose",
        (r(1, 3, 4, 2), r(4, 2, 3, 2)),
        {"strides": (3, 2), "padding": "same", "output_padding": (2, 0)},
        dtype="float32",
        reference=reference_conv.conv_transpose,
        **TOL,
        id="conv_transpose_per_axis_output_padding",
    ),
    OpCase(
        "conv_transpose",
        (r(1, 4, 2), r(5, 3, 2)),
        {"strides": 2, "padding": "same", "output_padding": 0},
        dtype="float32",
        reference=reference_conv.conv_transpose,
        **TOL,
        id="conv_transpose_output_shorter_than_input_times_stride",
    ),
    OpCase(
        "conv_transpose",
        (ints(1, 3, 3, 2), ints(3, 3, 4, 2)),
        {"strides": 2},
        dtype="float32",
        reference=reference_conv.conv_transpose,
        id="conv_transpose_int32_is_float32",
    ),
    OpCase(
        "conv_transpose",
        (r(1, 4, 3, 2, dtype=np.float64), r(2, 3, 3, 2, dtype=np.float64)),
        {"strides": 2, "dilation_rate": 2, "padding": "same"},
        dtype="float64",
        reference=reference_conv.conv_transpose,
        rtol=1e-9,
        atol=1e-9,
        id="conv_transpose_float64_strided_dilated",
    ),
]

CASES += [
    OpCase("unfold", (r(2, 3, 5, 6), 2), dtype="float32", reference=reference_conv.unfold),
    OpCase(
        "unfold",
        (r(1, 2, 7, 8), (3, 2)),
        {"dilation": (2, 1), "padding": (1, 0), "stride": (2, 3)},
        dtype="float32",
        reference=reference_conv.unfold,
    ),
    OpCase(
        "unfold",
        (ints(1, 2, 4, 5), 3),
        {"padding": 1},
        dtype="int32",
        reference=reference_conv.unfold,
    ),
    OpCase(
        "unfold",
        (ints(1, 2, 4, 4, dtype=np.uint16, low=0, high=60000), 2),
        dtype="uint16",
        reference=reference_conv.unfold,
    ),
    OpCase(
        "fold", (r(2, 12, 20), (5, 6), 2), dtype="float32", reference=reference_conv.fold, **TOL
    ),
    OpCase(
        "fold",
        (r(1, 12, 8), (6, 4), (3, 2)),
        {"dilation": (1, 2), "padding": (0, 1), "stride": (2, 1)},
        dtype="float32",
        reference=reference_conv.fold,
        **TOL,
    ),
    OpCase(
        "depth_to_space",
        (r(2, 3, 4, 8), 2),
        dtype="float32",
        reference=reference_conv.depth_to_space,
    ),
    OpCase(
        "depth_to_space",
        (r(2, 18, 3, 2), 3),
        {"data_format": "channels_first"},
        dtype="float32",
        reference=reference_conv.depth_to_space,
    ),
    OpCase(
        "depth_to_space",
        (ints(1, 2, 2, 4), 2),
        dtype="int32",
        reference=reference_conv.depth_to_space,
    ),
    OpCase(
        "space_to_depth",
        (r(2, 4, 6, 3), 2),
        dtype="float32",
        reference=reference_conv.space_to_depth,
    ),
    OpCase(
        "space_to_depth",
        (r(2, 2, 6, 9), 3),
        {"data_format": "channels_first"},
        dtype="float32",
        reference=reference_conv.space_to_depth,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


# The same operations against Keras 3 on this backend (configurations every Keras backend runs).
KERAS_TF_DEPTH_ORDER = {
    "tensorflow": "Keras's TensorFlow backend uses the DCR order for channels_first, its other "
    "backends (and kfn on all) CRD"
}
KERAS_CASES = [
    OpCase("conv", (r(2, 7, 6, 4), r(3, 3, 4, 5)), {"strides": 2, "padding": "same"}),
    OpCase("conv", (r(2, 9, 4), r(3, 4, 5)), {"dilation_rate": 2, "padding": "same"}),
    OpCase("conv", (r(2, 9, 3), r(4, 3, 5)), {"strides": 3, "padding": "same"}),
    OpCase("conv", (r(2, 7, 6, 6), r(3, 3, 3, 4)), {"padding": "valid"}, id="conv2d_groups2"),
    OpCase(
        "conv",
        (to_first(r(2, 5, 6, 4, 3)), r(3, 2, 3, 3, 5)),
        {"padding": "same", "data_format": "channels_first", "dilation_rate": (1, 2, 1)},
        id="conv3d_channels_first",
    ),
    OpCase("depthwise_conv", (r(2, 7, 6, 3), r(3, 3, 3, 2)), {"strides": 2, "padding": "same"}),
    OpCase(
        "depthwise_conv", (r(2, 7, 6, 3), r(3, 3, 3, 2)), {"padding": "same", "dilation_rate": 2}
    ),
    OpCase(
        "separable_conv",
        (r(2, 8, 3), r(3, 3, 2), r(1, 6, 4)),
        {"strides": 2, "padding": "same"},
        id="separable1d",
    ),
    OpCase(
        "separable_conv",
        (r(2, 7, 6, 3), r(3, 3, 3, 2), r(1, 1, 6, 4)),
        {"padding": "same", "dilation_rate": 2},
        id="separable2d",
    ),
    OpCase("conv_transpose", (r(2, 4, 5, 3), r(3, 3, 4, 3)), {"strides": 2, "padding": "same"}),
    OpCase(
        "conv_transpose",
        (r(2, 4, 5, 3), r(3, 3, 4, 3)),
        {"strides": 3, "padding": "valid", "output_padding": 1},
    ),
    OpCase("conv_transpose", (r(2, 5, 3), r(3, 4, 3)), {"strides": 3, "padding": "same"}),
    OpCase(
        "conv_transpose",
        (to_first(r(1, 3, 4, 3, 2)), r(2, 3, 2, 4, 2)),
        {"strides": 2, "padding": "same", "data_format": "channels_first"},
        id="conv_transpose3d_channels_first",
    ),
    OpCase("unfold", (r(2, 3, 5, 6), 3), {"padding": 1, "stride": 2}),
    OpCase("fold", (r(2, 12, 20), (5, 6), 2)),
    OpCase("depth_to_space", (r(2, 3, 4, 12), 2)),
    OpCase(
        "depth_to_space",
        (r(2, 12, 3, 4), 2),
        {"data_format": "channels_first"},
        skip=KERAS_TF_DEPTH_ORDER,
        id="depth_to_space_channels_first",
    ),
    OpCase("space_to_depth", (r(2, 4, 6, 3), 2)),
    OpCase(
        "space_to_depth",
        (r(2, 3, 4, 6), 2),
        {"data_format": "channels_first"},
        skip=KERAS_TF_DEPTH_ORDER,
        id="space_to_depth_channels_first",
    ),
]


def keras_on_tensors(name):
    """keras_reference for ops that Keras's torch backend takes as tensors only."""
    reference = keras_reference(name)
    return lambda x, *args, **kwargs: reference(keras_ops().convert_to_tensor(x), *args, **kwargs)


for case in KERAS_CASES:
    case.dtype = "float32"
    case.reference = (keras_on_tensors if case.op in ("unfold", "fold") else keras_reference)(
        case.op
    )
    case.rtol, case.atol = TOL["rtol"], TOL["atol"]


@pytest.mark.parametrize("case", KERAS_CASES, ids=case_id)
def test_agrees_with_keras(case):
    run_case(case)


def test_unfold_then_fold_counts_overlaps():
    x = ops.convert_to_tensor(np.ones((1, 1, 4, 4), np.float32))
    counts = ops.convert_to_numpy(ops.fold(ops.unfold(x, 2), (4, 4), 2))
    np.testing.assert_array_equal(
        counts[0, 0], [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]]
    )


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_depth_to_space_inverts_space_to_depth(data_format):
    x = r(2, 6, 6, 6)
    back = ops.depth_to_space(ops.space_to_depth(x, 3, data_format), 3, data_format)
    np.testing.assert_array_equal(ops.convert_to_numpy(back), x)


@pytest.mark.parametrize(
    "spatial,strides,padding,output_padding",
    [((6, 6), 2, "same", None), ((7, 7), 3, "same", 0), ((8, 7), 3, "valid", (2, 1))],
)
def test_conv_transpose_is_the_adjoint_of_conv(spatial, strides, padding, output_padding):
    """<conv(x, k), g> == <x, conv_transpose(g, k)> when the output sizes line up."""
    x, kernel = r(1, *spatial, 2), r(3, 3, 2, 4)
    y = ops.convert_to_numpy(ops.conv(x, kernel, strides, padding))
    g = r(*y.shape)
    back = ops.convert_to_numpy(ops.conv_transpose(g, kernel, strides, padding, output_padding))
    assert back.shape == x.shape
    np.testing.assert_allclose(np.vdot(y, g), np.vdot(x, back), rtol=1e-4)


def test_ops_trace_under_jit():
    x, kernel = r(2, 6, 5, 3), r(3, 3, 3, 4)

    @ops.jit
    def network(x, kernel):
        y = ops.conv(x, kernel, strides=2, padding="same")
        y = ops.conv_transpose(y, kernel, strides=2, padding="same")
        y = ops.depthwise_conv(y, ops.ones((3, 3, 3, 1)), padding="same")
        return ops.fold(ops.unfold(y, 2), (6, 3), 2)

    traced = network(ops.convert_to_tensor(x), ops.convert_to_tensor(kernel))
    y = reference_conv.conv(x, kernel, strides=2, padding="same")
    y = reference_conv.conv_transpose(y, kernel, strides=2, padding="same")
    y = reference_conv.depthwise_conv(y, np.ones((3, 3, 3, 1)), padding="same")
    expected = reference_conv.fold(reference_conv.unfold(y, 2), (6, 3), 2)
    np.testing.assert_allclose(ops.convert_to_numpy(traced), expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize(
    "fn,spec,expected",
    [
        (
            lambda x: ops.conv(x, ops.ones((3, 3, 3, 4)), strides=2, padding="same"),
            (None, 8, 7, 3),
            (None, 4, 4, 4),
        ),
        (
            lambda x: ops.conv(x, ops.ones((3, 3, 1, 4)), padding="same"),
            (None, None, 5, 2),
            (None, None, 5, 4),
        ),
        (
            lambda x: ops.conv_transpose(x, ops.ones((3, 3, 5, 3)), strides=2, padding="same"),
            (None, 4, 5, 3),
            (None, 8, 10, 5),
        ),
        (
            lambda x: ops.conv_transpose(x, ops.ones((3, 3, 5, 3)), strides=2),
            (None, None, 4, 3),
            (None, None, 9, 5),
        ),
        (
            lambda x: ops.depthwise_conv(x, ops.ones((3, 3, 2)), strides=2, padding="same"),
            (None, None, 3),
            (None, None, 6),
        ),
        (lambda x: ops.fold(ops.unfold(x, 3), (5, 6), 3), (None, 2, 5, 6), (None, 2, 5, 6)),
    ],
)
def test_shapes_with_unknown_dimensions(fn, spec, expected):
    out = ops.eval_shape(fn, TensorSpec(spec, "float32"))
    assert tuple(out.shape) == expected


@pytest.mark.parametrize(
    "call,message",
    [
        (
            lambda: ops.conv(ops.zeros((1, 5, 5, 3)), ops.zeros((3, 3, 2, 4))),
            r"kfn.ops.conv: the kernel's input channels \(2\) must divide the input channels "
            r"\(3\); kernel shape \(3, 3, 2, 4\), inputs shape \(1, 5, 5, 3\)",
        ),
        (
            lambda: ops.conv(ops.zeros((1, 5, 5, 4)), ops.zeros((3, 3, 2, 3))),
            r"kfn.ops.conv: a grouped convolution \(2 groups\) needs out_channels divisible by "
            r"the number of groups, got 3",
        ),
        (
            lambda: ops.conv(ops.zeros((5, 5, 3)), ops.zeros((3, 3, 3, 4))),
            r"kfn.ops.conv: kernel must be 3-D for 1-D convolution \(spatial..., in_channels, "
            r"out_channels\), got shape \(3, 3, 3, 4\)",
        ),
        (
            lambda: ops.conv(ops.zeros((5, 3)), ops.zeros((3, 3, 4))),
            r"kfn.ops.conv: inputs must be 3-D, 4-D or 5-D \(batch, spatial..., channels\), "
            r"got shape \(5, 3\)",
        ),
        (
            lambda: ops.conv(ops.zeros((1, 5, 5, 3)), ops.zeros((3, 3, 3, 4)), padding="full"),
            r"kfn.ops.conv: padding must be one of \('valid', 'same'\), got 'full'",
        ),
        (
            lambda: ops.conv(ops.zeros((1, 5, 5, 3)), ops.zeros((3, 3, 3, 4)), strides=0),
            r"kfn.ops.conv: strides must be a positive int or 2 positive ints, got 0",
        ),
        (
            lambda: ops.conv(
                ops.zeros((1, 5, 5, 3)), ops.zeros((3, 3, 3, 4)), dilation_rate=(1, 2, 1)
            ),
            r"kfn.ops.conv: dilation_rate must be a positive int or 2 positive ints, "
            r"got \(1, 2, 1\)",
        ),
        (
            lambda: ops.conv(ops.zeros((1, 4, 4, 3)), ops.zeros((3, 3, 3, 4)), dilation_rate=2),
            r"kfn.ops.conv: spatial axis 0 of the inputs has size 4, smaller than the dilated "
            r"kernel \(5\)",
        ),
        (
            lambda: ops.conv(ops.zeros((1, 5, 5, 3)), ops.zeros((3, 3, 3, 4)), data_format="NHWC"),
            r"kfn.ops.conv: data_format must be one of \('channels_last', 'channels_first'\) "
            r"or None, got 'NHWC'",
        ),
        (
            lambda: ops.depthwise_conv(ops.zeros((1, 5, 5, 3)), ops.zeros((3, 3, 2, 1))),
            r"kfn.ops.depthwise_conv: the kernel's input channels \(2\) must equal the input "
            r"channels \(3\)",
        ),
        (
            lambda: ops.conv_transpose(ops.zeros((1, 5, 5, 3)), ops.zeros((3, 3, 4, 2))),
            r"kfn.ops.conv_transpose: the kernel's input channels \(2, its last axis\) must "
            r"equal the input channels \(3\)",
        ),
        (
            lambda: ops.conv_transpose(
                ops.zeros((1, 5, 5, 3)), ops.zeros((3, 3, 4, 3)), strides=2, output_padding=2
            ),
            r"kfn.ops.conv_transpose: output_padding must be smaller than strides on every "
            r"axis; axis 0 has output_padding 2 and stride 2",
        ),
        (
            lambda: ops.unfold(ops.zeros((2, 5, 5)), 2),
            r"kfn.ops.unfold: x must be 4-D \(batch, channels, height, width\), got shape "
            r"\(2, 5, 5\)",
        ),
        (
            lambda: ops.unfold(ops.zeros((1, 2, 5, 5)), (2, 0)),
            r"kfn.ops.unfold: kernel_size must be a positive int or two positive ints, got "
            r"\(2, 0\)",
        ),
        (
            lambda: ops.fold(ops.zeros((1, 8, 10)), (4, 4), 2),
            r"kfn.ops.fold: output_size \(4, 4\) with this kernel, stride, dilation and padding "
            r"gives 9 blocks, but x has 10",
        ),
        (
            lambda: ops.fold(ops.zeros((1, 6, 9)), (4, 4), 2),
            r"kfn.ops.fold: x's second axis \(6\) must be a multiple of kernel height x width "
            r"\(4\)",
        ),
        (
            lambda: ops.depth_to_space(ops.zeros((1, 2, 2, 6)), 2),
            r"kfn.ops.depth_to_space: channels \(6\) must be divisible by 4",
        ),
        (
            lambda: ops.space_to_depth(ops.zeros((1, 5, 4, 1)), 2),
            r"kfn.ops.space_to_depth: height \(5\) must be divisible by 2",
        ),
        (
            lambda: ops.space_to_depth(ops.zeros((1, 4, 4)), 2),
            r"kfn.ops.space_to_depth: x must be 4-D \(batch, height, width, channels, or "
            r"channels first\), got shape \(1, 4, 4\)",
        ),
    ],
)
def test_bad_arguments_are_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def fixed(*shape):
    return ops.convert_to_tensor(np.linspace(-1, 1, int(np.prod(shape))).reshape(shape))


GRADIENT_CASES = {
    "conv": lambda x: ops.sum(ops.conv(x, fixed(3, 3, 2, 2), strides=2, padding="same") ** 2),
    "conv_strided_dilated": lambda x: ops.sum(
        ops.conv(x, fixed(2, 2, 2, 2), strides=2, dilation_rate=2, padding="same") ** 2
    ),
    "conv_grouped": lambda x: ops.sum(ops.conv(x, fixed(3, 3, 1, 4), padding="same") ** 2),
    "conv_transpose": lambda x: ops.sum(
        ops.conv_transpose(x, fixed(3, 3, 2, 2), strides=2, padding="same") ** 2
    ),
    "conv_transpose_strided_dilated": lambda x: ops.sum(
        ops.conv_transpose(x, fixed(2, 2, 2, 2), strides=2, dilation_rate=2) ** 2
    ),
    "depthwise_conv": lambda x: ops.sum(
        ops.depthwise_conv(x, fixed(3, 3, 2, 2), padding="same", dilation_rate=2) ** 2
    ),
}


@requires_gradients
@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_gradient(name):
    check_gradient(GRADIENT_CASES[name], RNG.normal(size=(1, 4, 3, 2)))


@requires_gradients
def test_gradient_with_respect_to_the_kernel():
    check_gradient(
        lambda x, kernel: ops.sum(ops.conv(x, kernel, strides=2, padding="same") ** 2),
        RNG.normal(size=(1, 5, 4, 4)),
        RNG.normal(size=(3, 2, 2, 2 * 2)),
        argnum=1,
    )

"""kfn.ops.nn convolution against Keras 3 on the same backend (and NumPy for unfold/fold)."""

import numpy as np
import pytest

from kfn import ops
from tests.conftest import requires_gradients
from tests.ops.cases import OpCase, case_id, check_gradient, run_case
from tests.ops.nn import reference_conv
from tests.ops.nn.keras_reference import keras_reference

RNG = np.random.default_rng(21)


def r(*shape):
    return RNG.normal(size=shape).astype(np.float32)


def to_first(x):
    return np.moveaxis(x, -1, 1).copy()


TOL = {"rtol": 1e-4, "atol": 1e-5}
CASES = []
# conv: ranks, strides, dilation, paddings, data formats, groups, odd sizes.
for rank, spatial in ((1, (9,)), (2, (7, 6)), (3, (6, 5, 7))):
    for strides, dilation in ((1, 1), (2, 1), (1, 2), (2, 2), (3, 1)):
        for padding in ("valid", "same"):
            x = r(2, *spatial, 4)
            kernel = r(*(3,) * rank, 4, 5)
            CASES.append(
                OpCase(
                    "conv",
                    (x, kernel),
                    {"strides": strides, "padding": padding, "dilation_rate": dilation},
                    dtype="float32",
                    reference=reference_conv.conv,
                    **TOL,
                    id=f"conv{rank}d_s{strides}_d{dilation}_{padding}",
                )
            )
    x = r(2, *spatial, 6)
    CASES.append(
        OpCase(
            "conv",
            (x, r(*(2,) * rank, 3, 4)),
            {"padding": "same"},
            dtype="float32",
            reference=reference_conv.conv,
            **TOL,
            id=f"conv{rank}d_groups2",
        )
    )
    CASES.append(
        OpCase(
            "conv",
            (to_first(x), r(*(3,) * rank, 6, 2)),
            {"strides": 2, "padding": "same", "data_format": "channels_first"},
            dtype="float32",
            reference=reference_conv.conv,
            **TOL,
            id=f"conv{rank}d_channels_first",
        )
    )
# The same operations against Keras 3 on this backend (configurations every Keras backend runs).
KERAS_CASES = [
    ("conv", (r(2, 7, 6, 4), r(3, 3, 4, 5)), {"strides": 2, "padding": "same"}),
    ("conv", (r(2, 9, 4), r(3, 4, 5)), {"dilation_rate": 2, "padding": "same"}),
    ("conv", (r(2, 7, 6, 6), r(3, 3, 3, 4)), {"padding": "valid"}),
    ("depthwise_conv", (r(2, 7, 6, 3), r(3, 3, 3, 2)), {"strides": 2, "padding": "same"}),
    ("conv_transpose", (r(2, 4, 5, 3), r(3, 3, 4, 3)), {"strides": 2, "padding": "same"}),
    (
        "conv_transpose",
        (r(2, 4, 5, 3), r(3, 3, 4, 3)),
        {"strides": 2, "padding": "valid", "output_padding": 1},
    ),
    ("conv_transpose", (r(2, 5, 3), r(3, 4, 3)), {"strides": 3, "padding": "same"}),
]
CASES += [
    OpCase(
        name,
        args,
        kwargs,
        dtype="float32",
        reference=keras_reference(name),
        **TOL,
        id=f"{name}_vs_keras_{i}",
    )
    for i, (name, args, kwargs) in enumerate(KERAS_CASES)
]
CASES.append(
    OpCase(
        "conv",
        (r(1, 8, 8, 2), r(4, 4, 2, 3)),
        {"padding": "same"},
        dtype="float32",
        reference=reference_conv.conv,
        **TOL,
        id="conv2d_even_kernel_same",
    )
)

for rank, spatial in ((1, (8,)), (2, (7, 6))):
    for strides, padding, dilation in ((1, "valid", 1), (2, "same", 1), (1, "same", 2)):
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
        CASES.append(
            OpCase(
                "separable_conv",
                (r(2, *spatial, 3), r(*(3,) * rank, 3, 2), r(*(1,) * rank, 6, 4)),
                {"strides": strides, "padding": padding, "dilation_rate": dilation},
                dtype="float32",
                reference=keras_reference("separable_conv"),
                **TOL,
                id=f"separable{rank}d_s{strides}_{padding}_d{dilation}",
            )
        )
CASES.append(
    OpCase(
        "depthwise_conv",
        (to_first(r(2, 6, 6, 3)), r(3, 3, 3, 1)),
        {"data_format": "channels_first"},
        dtype="float32",
        reference=reference_conv.depthwise_conv,
        **TOL,
        id="depthwise_channels_first",
    )
)

for rank, spatial in ((1, (5,)), (2, (4, 5)), (3, (3, 4, 3))):
    for strides, padding, output_padding, dilation in (
        (1, "valid", None, 1),
        (2, "valid", None, 1),
        (2, "same", None, 1),
        (3, "same", None, 1),
        (2, "same", 1, 1),
        (2, "valid", 1, 1),
        (1, "same", None, 2),
    ):
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
        (to_first(r(1, 4, 4, 3)), r(2, 2, 5, 3)),
        {"strides": 2, "padding": "same", "data_format": "channels_first"},
        dtype="float32",
        reference=reference_conv.conv_transpose,
        **TOL,
        id="conv_transpose_channels_first",
    )
)
CASES.append(
    OpCase(
        "conv_transpose",
        (r(1, 5, 5, 2), r(4, 4, 3, 2)),
        {"strides": 2, "padding": "same"},
        dtype="float32",
        reference=reference_conv.conv_transpose,
        **TOL,
        id="conv_transpose_even_kernel",
    )
)


def np_depth_to_space_first(x, b):
    n, c, h, w = x.shape
    return (
        x.reshape(n, c // (b * b), b, b, h, w)
        .transpose(0, 1, 4, 2, 5, 3)
        .reshape(n, c // (b * b), h * b, w * b)
    )


def np_space_to_depth_first(x, b):
    n, c, h, w = x.shape
    return (
        x.reshape(n, c, h // b, b, w // b, b)
        .transpose(0, 1, 3, 5, 2, 4)
        .reshape(n, c * b * b, h // b, w // b)
    )


def np_unfold(x, k, dilation=1, padding=0, stride=1):
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    n, c, h, w = x.shape
    out_h = (h - dilation * (k - 1) - 1) // stride + 1
    out_w = (w - dilation * (k - 1) - 1) // stride + 1
    cols = np.zeros((n, c, k * k, out_h, out_w), x.dtype)
    for i in range(k):
        for j in range(k):
            cols[:, :, i * k + j] = x[
                :,
                :,
                i * dilation : i * dilation + stride * (out_h - 1) + 1 : stride,
                j * dilation : j * dilation + stride * (out_w - 1) + 1 : stride,
            ]
    return cols.reshape(n, c * k * k, out_h * out_w)


def np_fold(cols, size, k, dilation=1, padding=0, stride=1):
    n, ckk, _ = cols.shape
    c = ckk // (k * k)
    h, w = size[0] + 2 * padding, size[1] + 2 * padding
    out_h = (h - dilation * (k - 1) - 1) // stride + 1
    out_w = (w - dilation * (k - 1) - 1) // stride + 1
    cols = cols.reshape(n, c, k * k, out_h, out_w)
    out = np.zeros((n, c, h, w), cols.dtype)
    for i in range(k):
        for j in range(k):
            out[
                :,
                :,
                i * dilation : i * dilation + stride * (out_h - 1) + 1 : stride,
                j * dilation : j * dilation + stride * (out_w - 1) + 1 : stride,
            ] += cols[:, :, i * k + j]
    return out[:, :, padding : padding + size[0], padding : padding + size[1]]


CASES += [
    OpCase("unfold", (r(2, 3, 5, 6), 2), dtype="float32", reference=lambda x, k: np_unfold(x, k)),
    OpCase(
        "unfold",
        (r(1, 2, 7, 7), 3),
        {"dilation": 2, "padding": 1, "stride": 2},
        dtype="float32",
        reference=lambda x, k, dilation, padding, stride: np_unfold(
            x, k, dilation, padding, stride
        ),
    ),
    OpCase(
        "fold",
        (r(2, 12, 20), (5, 6), 2),
        dtype="float32",
        reference=lambda x, s, k: np_fold(x, s, k),
        **TOL,
    ),
    OpCase(
        "fold",
        (r(1, 18, 9), (7, 7), 3),
        {"dilation": 2, "padding": 1, "stride": 2},
        dtype="float32",
        reference=lambda x, s, k, dilation, padding, stride: np_fold(
            x, s, k, dilation, padding, stride
        ),
        **TOL,
    ),
    OpCase(
        "depth_to_space",
        (r(2, 3, 4, 8), 2),
        dtype="float32",
        reference=keras_reference("depth_to_space"),
    ),
    OpCase(
        "depth_to_space",
        (r(2, 8, 3, 4), 2),
        {"data_format": "channels_first"},
        dtype="float32",
        reference=lambda x, b, data_format: np_depth_to_space_first(x, b),
    ),
    OpCase(
        "depth_to_space",
        (r(2, 8, 3, 4), 2),
        {"data_format": "channels_first"},
        dtype="float32",
        reference=keras_reference("depth_to_space"),
        skip={
            "tensorflow": "Keras's TensorFlow backend uses the DCR order for channels_first, its other backends CRD"
        },
        id="depth_to_space_first_vs_keras",
    ),
    OpCase(
        "space_to_depth",
        (r(2, 4, 6, 3), 2),
        dtype="float32",
        reference=keras_reference("space_to_depth"),
    ),
    OpCase(
        "space_to_depth",
        (r(2, 3, 4, 6), 2),
        {"data_format": "channels_first"},
        dtype="float32",
        reference=lambda x, b, data_format: np_space_to_depth_first(x, b),
    ),
    OpCase(
        "space_to_depth",
        (r(2, 3, 4, 6), 2),
        {"data_format": "channels_first"},
        dtype="float32",
        reference=keras_reference("space_to_depth"),
        skip={
            "tensorflow": "Keras's TensorFlow backend uses the DCR order for channels_first, its other backends CRD"
        },
        id="space_to_depth_first_vs_keras",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


def test_unfold_then_fold_counts_overlaps():
    x = ops.convert_to_tensor(np.ones((1, 1, 4, 4), np.float32))
    counts = ops.convert_to_numpy(ops.fold(ops.unfold(x, 2), (4, 4), 2))
    np.testing.assert_array_equal(
        counts[0, 0], [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]]
    )


@pytest.mark.parametrize(
    "call,message",
    [
        (
            lambda: ops.conv(ops.zeros((1, 5, 5, 3)), ops.zeros((3, 3, 2, 4))),
            r"kfn.ops.conv: the kernel's input channels \(2\) must divide the input channels \(3\)",
        ),
        (
            lambda: ops.conv(ops.zeros((5, 5, 3)), ops.zeros((3, 3, 3, 4))),
            r"kfn.ops.conv: kernel must be 3-D for 1-D convolution",
        ),
        (
            lambda: ops.conv(ops.zeros((1, 5, 5, 3)), ops.zeros((3, 3, 3, 4)), padding="full"),
            r"kfn.ops.conv: padding must be one of \('valid', 'same'\)",
        ),
        (
            lambda: ops.conv(ops.zeros((1, 5, 5, 3)), ops.zeros((3, 3, 3, 4)), strides=0),
            r"kfn.ops.conv: strides must be a positive int",
        ),
        (
            lambda: ops.conv(ops.zeros((5, 3)), ops.zeros((3, 3, 4))),
            r"kfn.ops.conv: inputs must be 3 or 4 or 5-D",
        ),
        (
            lambda: ops.depthwise_conv(ops.zeros((1, 5, 5, 3)), ops.zeros((3, 3, 2, 1))),
            r"the kernel's input channels \(2\) must equal the input channels \(3\)",
        ),
    ],
)
def test_bad_arguments_are_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()


GRADIENT_CASES = {
    "conv": lambda x: ops.sum(
        ops.conv(
            x,
            ops.convert_to_tensor(np.linspace(-1, 1, 3 * 3 * 2 * 2).reshape(3, 3, 2, 2)),
            strides=2,
            padding="same",
        )
        ** 2
    ),
    "conv_transpose": lambda x: ops.sum(
        ops.conv_transpose(
            x,
            ops.convert_to_tensor(np.linspace(-1, 1, 3 * 3 * 2 * 2).reshape(3, 3, 2, 2)),
            strides=2,
            padding="same",
        )
        ** 2
    ),
    "depthwise_conv": lambda x: ops.sum(
        ops.depthwise_conv(
            x,
            ops.convert_to_tensor(np.linspace(-1, 1, 3 * 3 * 2).reshape(3, 3, 2, 1)),
            padding="same",
        )
        ** 2
    ),
}


@requires_gradients
@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_gradient(name):
    check_gradient(GRADIENT_CASES[name], RNG.normal(size=(1, 4, 4, 2)))

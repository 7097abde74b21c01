"""kfn.ops.nn convolution against NumPy references written from the definitions, and against
Keras 3 on the same backend."""

import numpy as np
import pytest

from kfn import ops
from kfn.state.spec import TensorSpec
from tests.conftest import requires_gradients
from tests.ops.cases import OpCase, case_id, check_gradient, run_case
from tests.ops.nn.keras_reference import keras_ops, keras_reference

RNG = np.random.default_rng(21)
TOL = {"rtol": 1e-4, "atol": 1e-5}


def r(*shape, dtype=np.float32):
    return RNG.normal(size=shape).astype(dtype)


def ints(*shape, dtype=np.int32, low=-4, high=5):
    return RNG.integers(low, high, shape).astype(dtype)


def first(x):
    """A channels-last array as channels first."""
    return np.ascontiguousarray(np.moveaxis(x, -1, 1))


def per_axis(value, rank):
    return (value,) * rank if isinstance(value, int) else tuple(value)


# ---------------------------------------------------------------------------- references


def same_pads(n, k_eff, s):
    """TensorFlow's "same" padding: the odd element at the end."""
    total = max((-(-n // s) - 1) * s + k_eff - n, 0)
    return total // 2, total - total // 2


def np_conv(
    x,
    kernel,
    strides=1,
    padding="valid",
    data_format=None,
    dilation_rate=1,
    depthwise=False,
):
    """out[b, o..., g * per_out + h] = sum over taps j and c of
    x_padded[b, o * s + j * d, g * per_in + c] * kernel[j, c, g * per_out + h]."""
    rank = x.ndim - 2
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    s, d = per_axis(strides, rank), per_axis(dilation_rate, rank)
    window = kernel.shape[:rank]
    if depthwise:
        kernel = kernel.reshape(window + (1, -1))
    k_eff = [(k - 1) * dd + 1 for k, dd in zip(window, d)]
    if padding == "valid":
        pads = [(0, 0)] * rank
    elif padding == "causal":
        pads = [(k - 1, 0) for k in k_eff]
    else:
        pads = [same_pads(n, k, ss) for n, k, ss in zip(x.shape[1:-1], k_eff, s)]
    windows = np.pad(x.astype(np.float64), [(0, 0), *pads, (0, 0)])
    for axis in range(rank):
        count = (windows.shape[1 + 2 * axis] - k_eff[axis]) // s[axis] + 1
        index = np.arange(count)[:, None] * s[axis] + np.arange(window[axis]) * d[axis]
        windows = np.take(windows, index, axis=1 + 2 * axis)  # (b, o0, j0, o1, j1, ..., c)
    per_in, out_channels = kernel.shape[-2:]
    groups = x.shape[-1] // per_in
    windows = windows.reshape(windows.shape[:-1] + (groups, per_in))
    weights = kernel.astype(np.float64).reshape(window + (per_in, groups, -1))
    o, j = "opq"[:rank], "jkl"[:rank]
    spec = f"b{''.join(a + b for a, b in zip(o, j))}gc,{j}cgh->b{o}gh"
    out = np.einsum(spec, windows, weights)
    out = out.reshape(out.shape[: rank + 1] + (out_channels,))
    return np.moveaxis(out, -1, 1) if data_format == "channels_first" else out


def keras_transpose_window(n, k_eff, s, padding, output_padding):
    """Keras's conv_transpose output length and where it starts in the full one."""
    if padding == "valid":
        extra = max(s - k_eff, 0) if output_padding is None else output_padding
        return (n - 1) * s + k_eff + extra, 0
    size = n * s if output_padding is None else (n - 1) * s + k_eff % 2 + output_padding
    total = size - (n - 1) * s - 2 + k_eff  # padding of the stride-dilated input
    return size, k_eff - 1 - min((total + 1) // 2, k_eff - 1)


def np_conv_transpose(
    x,
    kernel,
    strides=1,
    padding="valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    """Input position i times tap j lands on i * s + j * d of the full transposed conv."""
    rank = x.ndim - 2
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    s, d = per_axis(strides, rank), per_axis(dilation_rate, rank)
    extras = (output_padding,) * rank if not isinstance(output_padding, tuple) else output_padding
    window = kernel.shape[:rank]
    k_eff = [(k - 1) * dd + 1 for k, dd in zip(window, d)]
    full = [(n - 1) * ss + k + ss for n, ss, k in zip(x.shape[1:-1], s, k_eff)]
    out = np.zeros((x.shape[0], *full, kernel.shape[-2]))
    for i in np.ndindex(*x.shape[1:-1]):
        taps = np.einsum("bc,...oc->b...o", x[(slice(None), *i)].astype(np.float64), kernel)
        where = tuple(slice(ii * ss, ii * ss + k, dd) for ii, ss, k, dd in zip(i, s, k_eff, d))
        out[(slice(None), *where)] += taps
    keep = []
    for n, k, ss, extra in zip(x.shape[1:-1], k_eff, s, extras):
        size, start = keras_transpose_window(n, k, ss, padding, extra)
        keep.append(slice(start, start + size))
    out = out[(slice(None), *keep)]
    return np.moveaxis(out, -1, 1) if data_format == "channels_first" else out


def np_unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    (kh, kw), (dh, dw) = per_axis(kernel_size, 2), per_axis(dilation, 2)
    (ph, pw), (sh, sw) = per_axis(padding, 2), per_axis(stride, 2)
    x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, c, h, w = x.shape
    out_h, out_w = (h - dh * (kh - 1) - 1) // sh + 1, (w - dw * (kw - 1) - 1) // sw + 1
    cols = np.zeros((n, c, kh * kw, out_h, out_w), x.dtype)
    for i in range(out_h):
        for j in range(out_w):
            patch = x[:, :, i * sh : i * sh + dh * (kh - 1) + 1 : dh, j * sw :: dw][:, :, :, :kw]
            cols[:, :, :, i, j] = patch.reshape(n, c, kh * kw)
    return cols.reshape(n, c * kh * kw, out_h * out_w)


def np_fold(cols, output_size, kernel_size, dilation=1, padding=0, stride=1):
    (kh, kw), (dh, dw) = per_axis(kernel_size, 2), per_axis(dilation, 2)
    (ph, pw), (sh, sw) = per_axis(padding, 2), per_axis(stride, 2)
    height, width = per_axis(output_size, 2)
    n = cols.shape[0]
    c = cols.shape[1] // (kh * kw)
    h, w = height + 2 * ph, width + 2 * pw
    out_h, out_w = (h - dh * (kh - 1) - 1) // sh + 1, (w - dw * (kw - 1) - 1) // sw + 1
    blocks = cols.reshape(n, c, kh, kw, out_h, out_w)
    out = np.zeros((n, c, h, w), cols.dtype)
    for i in range(out_h):
        for j in range(out_w):
            for a in range(kh):
                for b in range(kw):
                    out[:, :, i * sh + a * dh, j * sw + b * dw] += blocks[:, :, a, b, i, j]
    return out[:, :, ph : ph + height, pw : pw + width]


def np_depth_to_space(x, block_size, data_format="channels_last"):
    """Output pixel (h * b + i, w * b + j), channel c, reads input channel (i * b + j) * C + c
    channels last, or c * b * b + i * b + j channels first."""
    b = block_size
    if data_format == "channels_first":
        n, cbb, h, w = x.shape
        c = cbb // (b * b)
        out = np.zeros((n, c, h * b, w * b), x.dtype)
        for i, j, k in np.ndindex(b, b, c):
            out[:, k, i::b, j::b] = x[:, k * b * b + i * b + j]
        return out
    n, h, w, cbb = x.shape
    c = cbb // (b * b)
    out = np.zeros((n, h * b, w * b, c), x.dtype)
    for i, j in np.ndindex(b, b):
        out[:, i::b, j::b, :] = x[:, :, :, (i * b + j) * c : (i * b + j + 1) * c]
    return out


def np_space_to_depth(x, block_size, data_format="channels_last"):
    b = block_size
    if data_format == "channels_first":
        n, c, h, w = x.shape
        out = np.zeros((n, c * b * b, h // b, w // b), x.dtype)
        for i, j, k in np.ndindex(b, b, c):
            out[:, k * b * b + i * b + j] = x[:, k, i::b, j::b]
        return out
    n, h, w, c = x.shape
    out = np.zeros((n, h // b, w // b, c * b * b), x.dtype)
    for i, j in np.ndindex(b, b):
        out[:, :, :, (i * b + j) * c : (i * b + j + 1) * c] = x[:, i::b, j::b, :]
    return out


def depthwise_reference(*args, **kwargs):
    return np_conv(*args, **kwargs, depthwise=True)


def separable_reference(x, depthwise_kernel, pointwise_kernel, **kwargs):
    data_format = kwargs.get("data_format")
    inner = np_conv(x, depthwise_kernel, **kwargs, depthwise=True)
    return np_conv(inner, pointwise_kernel, data_format=data_format)


# ---------------------------------------------------------------------------- the table

SPATIAL = {1: (9,), 2: (7, 6), 3: (5, 6, 5)}
CASES = []
for rank, spatial in SPATIAL.items():
    for strides, dilation in ((1, 1), (2, 1), (1, 2), (2, 2), (3, 1)):
        for padding in ("valid", "same"):
            CASES.append(
                OpCase(
                    "conv",
                    (r(2, *spatial, 3), r(*(3,) * rank, 3, 4)),
                    {"strides": strides, "padding": padding, "dilation_rate": dilation},
                    dtype="float32",
                    reference=np_conv,
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
            reference=np_conv,
            **TOL,
            id=f"conv{rank}d_groups2",
        ),
        OpCase(
            "conv",
            (first(r(2, *spatial, 6)), r(*(3,) * rank, 2, 6)),
            {"strides": 2, "padding": "same", "data_format": "channels_first"},
            dtype="float32",
            reference=np_conv,
            **TOL,
            id=f"conv{rank}d_groups3_channels_first",
        ),
        OpCase(
            "depthwise_conv",
            (r(2, *spatial, 3), r(*(3,) * rank, 3, 2)),
            {"strides": 2, "padding": "same"},
            dtype="float32",
            reference=depthwise_reference,
            **TOL,
            id=f"depthwise{rank}d_s2_same",
        ),
        OpCase(
            "depthwise_conv",
            (first(r(2, *spatial, 3)), r(*(2,) * rank, 3, 1)),
            {"dilation_rate": 2, "data_format": "channels_first"},
            dtype="float32",
            reference=depthwise_reference,
            **TOL,
            id=f"depthwise{rank}d_d2_channels_first",
        ),
        OpCase(
            "separable_conv",
            (r(2, *spatial, 3), r(*(3,) * rank, 3, 2), r(*(1,) * rank, 6, 4)),
            {"strides": 2, "padding": "same"},
            dtype="float32",
            reference=separable_reference,
            **TOL,
            id=f"separable{rank}d_s2_same",
        ),
    ]
CASES += [
    OpCase(
        "conv",
        (r(1, 8, 8, 2), r(4, 4, 2, 3)),
        {"padding": "same"},
        dtype="float32",
        reference=np_conv,
        **TOL,
        id="conv2d_even_kernel_same",
    ),
    OpCase(
        "conv",
        (r(1, 9, 7, 2), r(3, 2, 2, 3)),
        {"strides": (2, 3), "dilation_rate": (1, 2), "padding": "same"},
        dtype="float32",
        reference=np_conv,
        **TOL,
        id="conv2d_per_axis_arguments",
    ),
    OpCase(
        "conv",
        (r(2, 10, 3), r(3, 3, 4)),
        {"padding": "causal", "dilation_rate": 2},
        dtype="float32",
        reference=np_conv,
        **TOL,
        id="conv1d_causal",
    ),
    OpCase(
        "conv",
        (r(2, 10, 3), r(3, 3, 4)),
        {"padding": "causal", "strides": 3},
        dtype="float32",
        reference=np_conv,
        **TOL,
        id="conv1d_causal_strided",
    ),
    OpCase(
        "depthwise_conv",
        (r(2, 10, 3), r(2, 3, 2)),
        {"padding": "causal", "strides": 2, "dilation_rate": 2},
        dtype="float32",
        reference=depthwise_reference,
        **TOL,
        id="depthwise1d_causal",
    ),
    OpCase(
        "depthwise_conv",
        (r(1, 9, 9, 2), r(3, 3, 2, 2)),
        {"strides": 2, "dilation_rate": 2, "padding": "same"},
        dtype="float32",
        reference=depthwise_reference,
        **TOL,
        id="depthwise2d_s2_d2",
    ),
    OpCase(
        "conv",
        (r(1, 5, 5, 4), r(5, 5, 4, 2)),
        dtype="float32",
        reference=np_conv,
        **TOL,
        id="conv2d_kernel_as_large_as_input",
    ),
    OpCase(
        "conv",
        (np.zeros((0, 6, 6, 2), np.float32), r(3, 3, 2, 3)),
        {"padding": "same"},
        dtype="float32",
        reference=np_conv,
        id="conv2d_empty_batch",
    ),
    # Dtypes: result_type of inputs and kernel, floatx for integers, 64 bits kept.
    OpCase(
        "conv",
        (ints(1, 6, 6, 2), ints(3, 3, 2, 3)),
        dtype="float32",
        reference=np_conv,
        id="conv_int32_int32_is_float32",
    ),
    OpCase(
        "conv",
        (ints(1, 6, 6, 2, dtype=np.uint8, low=0), r(3, 3, 2, 3)),
        dtype="float32",
        reference=np_conv,
        **TOL,
        id="conv_uint8_float32",
    ),
    OpCase(
        "conv",
        (r(1, 6, 6, 2), r(3, 3, 2, 3, dtype=np.float64)),
        {"padding": "same"},
        dtype="float64",
        reference=np_conv,
        rtol=1e-6,
        atol=1e-6,
        id="conv_float32_float64_is_float64",
    ),
    OpCase(
        "conv",
        (r(1, 6, 6, 2, dtype=np.float16), r(3, 3, 2, 3, dtype=np.float16)),
        {"padding": "same"},
        dtype="float16",
        reference=np_conv,
        rtol=1e-2,
        atol=1e-2,
        id="conv_float16",
    ),
    OpCase(
        "conv_transpose",
        (ints(1, 3, 3, 2), ints(3, 3, 4, 2)),
        {"strides": 2},
        dtype="float32",
        reference=np_conv_transpose,
        id="conv_transpose_int32_is_float32",
    ),
    OpCase(
        "depthwise_conv",
        (r(1, 6, 6, 2, dtype=np.float64), r(3, 3, 2, 2, dtype=np.float64)),
        {"padding": "same"},
        dtype="float64",
        reference=depthwise_reference,
        rtol=1e-9,
        atol=1e-9,
        id="depthwise_float64",
    ),
]

TRANSPOSE_SPATIAL = {1: (5,), 2: (4, 5), 3: (3, 4, 3)}
for rank, spatial in TRANSPOSE_SPATIAL.items():
    for strides, padding, output_padding, dilation in (
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
                reference=np_conv_transpose,
                **TOL,
                id=f"conv_transpose{rank}d_s{strides}_{padding}_op{output_padding}_d{dilation}",
            )
        )
    CASES.append(
        OpCase(
            "conv_transpose",
            (first(r(1, *spatial, 3)), r(*(2,) * rank, 5, 3)),
            {"strides": 2, "padding": "same", "data_format": "channels_first"},
            dtype="float32",
            reference=np_conv_transpose,
            **TOL,
            id=f"conv_transpose{rank}d_even_kernel_channels_first",
        )
    )
CASES += [
    OpCase(
        "conv_transpose",
        (r(1, 3, 4, 2), r(1, 2, 3, 2)),
        {"strides": (4, 3), "padding": "same"},
        dtype="float32",
        reference=np_conv_transpose,
        **TOL,
        id="conv_transpose_stride_above_kernel",
    ),
    OpCase(
        "conv_transpose",
        (r(1, 3, 4, 2), r(4, 2, 3, 2)),
        {"strides": (3, 2), "padding": "same", "output_padding": (2, 0)},
        dtype="float32",
        reference=np_conv_transpose,
        **TOL,
        id="conv_transpose_per_axis_output_padding",
    ),
    OpCase(
        "conv_transpose",
        (r(1, 4, 2), r(5, 3, 2)),
        {"strides": 2, "padding": "same", "output_padding": 0},
        dtype="float32",
        reference=np_conv_transpose,
        **TOL,
        id="conv_transpose_output_shorter_than_input_times_stride",
    ),
]

CASES += [
    OpCase("unfold", (r(2, 3, 5, 6), 2), dtype="float32", reference=np_unfold),
    OpCase(
        "unfold",
        (r(1, 2, 7, 8), (3, 2)),
        {"dilation": (2, 1), "padding": (1, 0), "stride": (2, 3)},
        dtype="float32",
        reference=np_unfold,
    ),
    OpCase("unfold", (ints(1, 2, 4, 5), 3), {"padding": 1}, dtype="int32", reference=np_unfold),
    OpCase(
        "unfold",
        (ints(1, 2, 4, 4, dtype=np.uint16, low=0, high=60000), 2),
        dtype="uint16",
        reference=np_unfold,
    ),
    OpCase("fold", (r(2, 12, 20), (5, 6), 2), dtype="float32", reference=np_fold, **TOL),
    OpCase(
        "fold",
        (r(1, 18, 9), (7, 7), 3),
        {"dilation": 2, "padding": 1, "stride": 2},
        dtype="float32",
        reference=np_fold,
        **TOL,
    ),
    OpCase(
        "fold",
        (r(1, 12, 8), (6, 4), (3, 2)),
        {"dilation": (1, 2), "padding": (0, 1), "stride": (2, 1)},
        dtype="float32",
        reference=np_fold,
        **TOL,
    ),
    OpCase("fold", (ints(1, 8, 9), (4, 4), 2), dtype="int32", reference=np_fold),
    OpCase("depth_to_space", (r(2, 3, 4, 8), 2), dtype="float32", reference=np_depth_to_space),
    OpCase(
        "depth_to_space",
        (r(2, 18, 3, 2), 3),
        {"data_format": "channels_first"},
        dtype="float32",
        reference=np_depth_to_space,
    ),
    OpCase("depth_to_space", (ints(1, 2, 2, 4), 2), dtype="int32", reference=np_depth_to_space),
    OpCase("space_to_depth", (r(2, 4, 6, 3), 2), dtype="float32", reference=np_space_to_depth),
    OpCase(
        "space_to_depth",
        (r(2, 2, 6, 9), 3),
        {"data_format": "channels_first"},
        dtype="float32",
        reference=np_space_to_depth,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


# ---------------------------------------------------------------------------- Keras 3


def keras_on_tensors(name):
    """keras_reference for ops Keras's torch backend only takes as tensors."""
    reference = keras_reference(name)
    return lambda x, *args, **kwargs: reference(keras_ops().convert_to_tensor(x), *args, **kwargs)


KERAS_TF_DEPTH_ORDER = {
    "tensorflow": "Keras's tensorflow backend uses TensorFlow's channel order for "
    "channels_first; its other backends (and kfn on all) use pixel_shuffle's"
}
KERAS_CASES = [
    OpCase(
        "conv",
        (r(2, 7, 6, 4), r(3, 3, 2, 6)),
        {"strides": 2, "padding": "same"},
        id="conv2d_groups",
    ),
    OpCase(
        "conv",
        (first(r(2, 5, 6, 4, 3)), r(3, 2, 3, 3, 5)),
        {"padding": "same", "data_format": "channels_first", "dilation_rate": (1, 2, 1)},
        id="conv3d_channels_first",
    ),
    OpCase("conv", (r(2, 9, 3), r(4, 3, 5)), {"strides": 3, "padding": "same"}, id="conv1d"),
    OpCase(
        "depthwise_conv",
        (r(2, 7, 6, 3), r(3, 3, 3, 2)),
        {"padding": "same", "dilation_rate": 2},
        id="depthwise2d",
    ),
    OpCase(
        "separable_conv",
        (r(2, 8, 3), r(3, 3, 2), r(1, 6, 4)),
        {"strides": 2, "padding": "same"},
        id="separable1d",
    ),
    OpCase(
        "conv_transpose",
        (r(2, 4, 5, 3), r(3, 3, 4, 3)),
        {"strides": 2, "padding": "same"},
        id="conv_transpose2d_same",
    ),
    OpCase(
        "conv_transpose",
        (r(2, 4, 5, 3), r(3, 3, 4, 3)),
        {"strides": 3, "padding": "valid", "output_padding": 1},
        id="conv_transpose2d_valid_output_padding",
    ),
    OpCase(
        "conv_transpose",
        (first(r(1, 3, 4, 3, 2)), r(2, 3, 2, 4, 2)),
        {"strides": 2, "padding": "same", "data_format": "channels_first"},
        id="conv_transpose3d_channels_first",
    ),
    OpCase("unfold", (r(2, 3, 5, 6), 3), {"padding": 1, "stride": 2}, id="unfold"),
    OpCase("fold", (r(2, 12, 20), (5, 6), 2), id="fold"),
    OpCase("depth_to_space", (r(2, 3, 4, 12), 2), id="depth_to_space"),
    OpCase(
        "depth_to_space",
        (r(2, 12, 3, 4), 2),
        {"data_format": "channels_first"},
        skip=KERAS_TF_DEPTH_ORDER,
        id="depth_to_space_channels_first",
    ),
    OpCase("space_to_depth", (r(2, 4, 6, 3), 2), id="space_to_depth"),
    OpCase(
        "space_to_depth",
        (r(2, 3, 4, 6), 2),
        {"data_format": "channels_first"},
        skip=KERAS_TF_DEPTH_ORDER,
        id="space_to_depth_channels_first",
    ),
]
for case in KERAS_CASES:
    case.dtype = "float32"
    case.reference = (keras_on_tensors if case.op in ("unfold", "fold") else keras_reference)(
        case.op
    )
    case.rtol, case.atol = TOL["rtol"], TOL["atol"]


@pytest.mark.parametrize("case", KERAS_CASES, ids=case_id)
def test_agrees_with_keras(case):
    run_case(case)


# ---------------------------------------------------------------------------- properties


def test_unfold_then_fold_counts_overlaps():
    x = ops.ones((1, 1, 4, 4))
    counts = ops.convert_to_numpy(ops.fold(ops.unfold(x, 2), (4, 4), 2))
    np.testing.assert_array_equal(
        counts[0, 0], [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]]
    )


def test_depth_to_space_inverts_space_to_depth():
    for data_format in ("channels_last", "channels_first"):
        x = r(2, 6, 6, 6)
        back = ops.depth_to_space(ops.space_to_depth(x, 3, data_format), 3, data_format)
        np.testing.assert_array_equal(ops.convert_to_numpy(back), x)


def test_data_format_none_is_the_configured_default():
    x, kernel = r(1, 5, 5, 2), r(3, 3, 2, 3)
    np.testing.assert_allclose(
        ops.convert_to_numpy(ops.conv(x, kernel, data_format=None)),
        ops.convert_to_numpy(ops.conv(x, kernel, data_format="channels_last")),
    )


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
    y = np_conv(x, kernel, strides=2, padding="same")
    y = np_conv_transpose(y, kernel, strides=2, padding="same")
    y = np_conv(y, np.ones((3, 3, 3, 1)), padding="same", depthwise=True)
    expected = np_fold(np_unfold(y, 2), (6, 3), 2)
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
            lambda x: ops.conv(x, ops.ones((3, 3, 3, 4)), padding="same"),
            (None, None, None, 3),
            (None, None, None, 4),
        ),
        (
            lambda x: ops.conv_transpose(x, ops.ones((3, 3, 5, 3)), strides=2, padding="same"),
            (None, 4, 5, 3),
            (None, 8, 10, 5),
        ),
        (
            lambda x: ops.conv_transpose(x, ops.ones((3, 3, 5, 3)), strides=2),
            (None, None, None, 3),
            (None, None, None, 5),
        ),
        (
            lambda x: ops.depthwise_conv(x, ops.ones((3, 3, 2)), strides=2, padding="causal"),
            (None, 9, 3),
            (None, 5, 6),
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
            r"kfn.ops.conv: the kernel's input channels \(2, kernel axis -2\) must divide the "
            r"input channels \(3\)",
        ),
        (
            lambda: ops.conv(ops.zeros((1, 5, 5, 4)), ops.zeros((3, 3, 2, 3))),
            r"kfn.ops.conv: a grouped convolution \(2 groups\) needs out_channels divisible",
        ),
        (
            lambda: ops.conv(ops.zeros((1, 5, 3)), ops.zeros((3, 3, 3, 4))),
            r"kfn.ops.conv: kernel must be 3-D \(width, in_channels / groups, out_channels\) "
            r"for 1-D inputs, got shape \(3, 3, 3, 4\)",
        ),
        (
            lambda: ops.conv(ops.zeros((5, 3)), ops.zeros((3, 3, 4))),
            r"kfn.ops.conv: inputs must be 3-D, 4-D or 5-D .* got shape \(5, 3\)",
        ),
        (
            lambda: ops.conv(ops.zeros((1, 5, 5, 3)), ops.zeros((3, 3, 3, 4)), padding="full"),
            r"kfn.ops.conv: padding must be one of \('valid', 'same', 'causal'\), got 'full'",
        ),
        (
            lambda: ops.conv(ops.zeros((1, 5, 5, 3)), ops.zeros((3, 3, 3, 4)), padding="causal"),
            r"kfn.ops.conv: padding='causal' is for 1-D convolution only, got 2-D inputs",
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
            r"kfn.ops.conv: data_format must be 'channels_last', 'channels_first' or None, "
            r"got 'NHWC'",
        ),
        (
            lambda: ops.depthwise_conv(ops.zeros((1, 5, 5, 3)), ops.zeros((3, 3, 2, 1))),
            r"kfn.ops.depthwise_conv: the kernel's input channels \(2, kernel axis -2\) must "
            r"equal the input channels \(3\)",
        ),
        (
            lambda: ops.conv_transpose(ops.zeros((1, 5, 5, 3)), ops.zeros((3, 3, 4, 2))),
            r"kfn.ops.conv_transpose: the kernel's input channels \(2, kernel axis -1\) must "
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
            r"kfn.ops.unfold: kernel_size must be a positive int or 2 positive ints, got \(2, 0\)",
        ),
        (
            lambda: ops.fold(ops.zeros((1, 8, 10)), (4, 4), 2),
            r"kfn.ops.fold: output_size \(4, 4\) with this kernel_size, dilation, padding and "
            r"stride holds 3 x 3 = 9 blocks, but axis 2 of x has 10",
        ),
        (
            lambda: ops.fold(ops.zeros((1, 6, 9)), (4, 4), 2),
            r"kfn.ops.fold: axis 1 of x \(6\) must be a multiple of kernel height x kernel "
            r"width \(4\)",
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
            r"kfn.ops.space_to_depth: x must be 4-D",
        ),
    ],
)
def test_bad_arguments_are_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---------------------------------------------------------------------------- gradients


def fixed(*shape):
    return ops.convert_to_tensor(np.linspace(-1, 1, int(np.prod(shape))).reshape(shape))


GRADIENT_CASES = {
    "conv_same_strided": lambda x: ops.sum(
        ops.conv(x, fixed(3, 3, 2, 2), strides=2, padding="same") ** 2
    ),
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
    "separable_conv": lambda x: ops.sum(
        ops.separable_conv(x, fixed(3, 3, 2, 1), fixed(1, 1, 2, 3), strides=2) ** 2
    ),
    "unfold": lambda x: ops.sum(ops.unfold(x, 2, stride=(1, 2)) ** 3),
}


@requires_gradients
@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_gradient(name):
    check_gradient(GRADIENT_CASES[name], RNG.normal(size=(1, 5, 4, 2)))


@requires_gradients
def test_gradient_with_respect_to_the_kernel():
    x = ops.convert_to_tensor(RNG.normal(size=(2, 6, 5, 4)))
    check_gradient(
        lambda x, kernel: ops.sum(ops.conv(x, kernel, strides=2, padding="same") ** 2),
        ops.convert_to_numpy(x),
        RNG.normal(size=(3, 3, 2, 3 * 2)),
        argnum=1,
    )

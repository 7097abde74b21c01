"""What every backend's convolution and pooling share: argument checking, Keras's padding
rules and output sizes, computed once per argument combination (cached) so the backends only
call their framework.

Padding, per spatial axis of size n, kernel (or pool) size k, stride s, dilation d, with
k_eff = (k - 1) * d + 1:

- "valid": none; output (n - k_eff) // s + 1.
- "same": TensorFlow's (and Keras's) rule: total max((ceil(n / s) - 1) * s + k_eff - n, 0),
  the odd element at the end; output ceil(n / s).
- "causal" (1-D convolution only): k_eff - 1 at the start; output ceil(n / s).

Transposed convolution follows Keras: the output is the full transposed convolution `y_full`
(length (n - 1) * s + k_eff) read from `crop` on, for `size` elements (zeros past its end).
"""

from __future__ import annotations

import functools
import math
from numbers import Integral
from typing import NamedTuple

import numpy as np

from kfn.backends import config

_DATA_FORMATS = ("channels_last", "channels_first")
_SPATIAL_NAMES = {1: "width", 2: "height, width", 3: "depth, height, width"}


class ConvPlan(NamedTuple):
    """A checked convolution (conv, depthwise_conv) call."""

    rank: int  # number of spatial axes
    channels_last: bool
    strides: tuple
    dilation: tuple
    padding: str  # "valid", "same" or "causal"
    pads: tuple  # (before, after) per spatial axis; None for "same" on an unknown size
    groups: int


class TransposePlan(NamedTuple):
    """A checked conv_transpose call."""

    rank: int
    channels_last: bool
    strides: tuple
    dilation: tuple
    pads: tuple  # (before, after) padding of the stride-dilated input (JAX's convention)
    crop: tuple  # where the output starts in the full transposed convolution
    sizes: tuple  # output spatial sizes (None where the input size is unknown)


class PoolPlan(NamedTuple):
    """A checked max_pool / average_pool call."""

    rank: int
    channels_last: bool
    pool_size: tuple
    strides: tuple
    padding: str
    pads: tuple  # (before, after) per spatial axis; None for "same" on an unknown size


class PatchPlan(NamedTuple):
    """A checked unfold / fold call (2-D, channels first)."""

    image: tuple  # (height, width) of the image, without padding
    kernel: tuple
    dilation: tuple
    padding: tuple
    stride: tuple
    blocks: tuple  # number of blocks along height and width


def _cached(fn):
    """`fn` memoized on its (hashable) arguments; unhashable ones (e.g. symbolic sizes under
    torch.compile) are computed afresh."""
    cached = functools.lru_cache(maxsize=1024)(fn)

    @functools.wraps(fn)
    def call(*args):
        try:
            hash(args)
        except TypeError:
            return fn(*args)
        return cached(*args)

    return call


def _frozen(value):
    """Lists (of ints) as tuples, so arguments can be cache keys."""
    return tuple(value) if isinstance(value, list) else value


# ---------------------------------------------------------------------------- arguments


def channels_last(data_format, op: str) -> bool:
    """Whether `data_format` (None: the configured default) is "channels_last"."""
    if data_format is None:
        return config.image_data_format() == "channels_last"
    if data_format not in _DATA_FORMATS:
        raise ValueError(
            f"kfn.ops.{op}: data_format must be 'channels_last', 'channels_first' or None, "
            f"got {data_format!r}"
        )
    return data_format == "channels_last"


def as_tuple(value, rank: int, name: str, op: str, smallest: int = 1) -> tuple:
    """An int or a sequence of `rank` ints (each >= `smallest`) as a tuple of `rank` ints."""
    values = (value,) * rank if isinstance(value, Integral) else value
    try:
        values = tuple(values)
    except TypeError:
        values = ()
    if len(values) != rank or not all(
        isinstance(v, Integral) and not isinstance(v, bool) and v >= smallest for v in values
    ):
        kind = "positive" if smallest == 1 else "non-negative"
        raise ValueError(
            f"kfn.ops.{op}: {name} must be a {kind} int or {rank} {kind} ints, got {value!r}"
        )
    return tuple(int(v) for v in values)


def _spatial_rank(op: str, shape: tuple, what: str = "inputs") -> int:
    if len(shape) not in (3, 4, 5):
        raise ValueError(
            f"kfn.ops.{op}: {what} must be 3-D, 4-D or 5-D (batch, spatial..., channels, or "
            f"channels first, with 1 to 3 spatial axes), got shape {shape}"
        )
    return len(shape) - 2


def _check_padding(op: str, padding, rank: int, causal: bool) -> str:
    allowed = ("valid", "same", "causal") if causal else ("valid", "same")
    value = padding.lower() if isinstance(padding, str) else padding
    if value not in allowed:
        raise ValueError(f"kfn.ops.{op}: padding must be one of {allowed}, got {padding!r}")
    if value == "causal" and rank != 1:
        raise ValueError(
            f"kfn.ops.{op}: padding='causal' is for 1-D convolution only, got {rank}-D inputs"
        )
    return value


def _check_kernel(op: str, kernel_shape: tuple, rank: int, layout: str):
    if len(kernel_shape) != rank + 2:
        raise ValueError(
            f"kfn.ops.{op}: kernel must be {rank + 2}-D ({_SPATIAL_NAMES[rank]}, "
            f"{layout}) for {rank}-D inputs, got shape {kernel_shape}"
        )


def _split_shape(shape: tuple, is_channels_last: bool):
    """(spatial sizes, channels) of an input shape."""
    if is_channels_last:
        return shape[1:-1], shape[-1]
    return shape[2:], shape[1]


def effective_size(kernel: int, dilation: int) -> int:
    return (kernel - 1) * dilation + 1


def same_padding(size, kernel: int, stride: int, dilation: int = 1):
    """TensorFlow's "same" padding (before, after) of one axis; None for an unknown size."""
    if size is None:
        return None
    total = max((-(-size // stride) - 1) * stride + effective_size(kernel, dilation) - size, 0)
    return total // 2, total - total // 2


def _pads(padding, spatial, window, strides, dilation) -> tuple:
    if padding == "valid":
        return ((0, 0),) * len(spatial)
    if padding == "causal":
        return tuple((effective_size(k, d) - 1, 0) for k, d in zip(window, dilation))
    return tuple(same_padding(n, k, s, d) for n, k, s, d in zip(spatial, window, strides, dilation))


def _check_not_empty(op, spatial, window, dilation, pads, name):
    for axis, (n, k, d, pad) in enumerate(zip(spatial, window, dilation, pads)):
        if n is None or pad is None:
            continue
        extent = effective_size(k, d)
        if n + pad[0] + pad[1] < extent:
            raise ValueError(
                f"kfn.ops.{op}: spatial axis {axis} of the inputs has size {n}, smaller than "
                f"the {name} ({extent}), so the output would be empty; use padding='same' or "
                "a smaller window"
            )


# ---------------------------------------------------------------------------- conv


def conv_plan(op, inputs_shape, kernel_shape, strides, padding, data_format, dilation_rate):
    """Check a conv call; kernel (spatial..., in_channels / groups, out_channels)."""
    return _conv_plan(
        op,
        tuple(inputs_shape),
        tuple(kernel_shape),
        _frozen(strides),
        padding,
        channels_last(data_format, op),
        _frozen(dilation_rate),
        False,
    )


def depthwise_plan(op, inputs_shape, kernel_shape, strides, padding, data_format, dilation_rate):
    """Check a depthwise_conv call; kernel (spatial..., channels, multiplier). `groups` is the
    number of input channels."""
    return _conv_plan(
        op,
        tuple(inputs_shape),
        tuple(kernel_shape),
        _frozen(strides),
        padding,
        channels_last(data_format, op),
        _frozen(dilation_rate),
        True,
    )


@_cached
def _conv_plan(op, inputs_shape, kernel_shape, strides, padding, last, dilation_rate, depthwise):
    rank = _spatial_rank(op, inputs_shape)
    layout = "channels, multiplier" if depthwise else "in_channels / groups, out_channels"
    _check_kernel(op, kernel_shape, rank, layout)
    strides = as_tuple(strides, rank, "strides", op)
    dilation = as_tuple(dilation_rate, rank, "dilation_rate", op)
    padding = _check_padding(op, padding, rank, causal=True)
    spatial, channels = _split_shape(inputs_shape, last)
    window = kernel_shape[:rank]
    kernel_in, kernel_out = kernel_shape[-2], kernel_shape[-1]
    if depthwise:
        if channels is not None and kernel_in != channels:
            raise ValueError(
                f"kfn.ops.{op}: the kernel's input channels ({kernel_in}, kernel axis -2) must "
                f"equal the input channels ({channels}); kernel shape {kernel_shape}, inputs "
                f"shape {inputs_shape}"
            )
        groups = kernel_in
    else:
        if channels is None:
            raise ValueError(f"kfn.ops.{op}: the inputs' channel axis must be known")
        if kernel_in < 1 or channels % kernel_in:
            raise ValueError(
                f"kfn.ops.{op}: the kernel's input channels ({kernel_in}, kernel axis -2) must "
                f"divide the input channels ({channels}); kernel shape {kernel_shape}, inputs "
                f"shape {inputs_shape}"
            )
        groups = channels // kernel_in
        if kernel_out % groups:
            raise ValueError(
                f"kfn.ops.{op}: a grouped convolution ({groups} groups) needs out_channels "
                f"divisible by the number of groups, got {kernel_out}"
            )
    pads = _pads(padding, spatial, window, strides, dilation)
    _check_not_empty(op, spatial, window, dilation, pads, "dilated kernel")
    return ConvPlan(rank, last, strides, dilation, padding, pads, groups)


def conv_output_size(size, kernel: int, stride: int, dilation: int, pads) -> int | None:
    if size is None:
        return None
    return (size + pads[0] + pads[1] - effective_size(kernel, dilation)) // stride + 1


# ---------------------------------------------------------------------------- conv_transpose


def transpose_plan(
    op, inputs_shape, kernel_shape, strides, padding, output_padding, data_format, dilation_rate
):
    """Check a conv_transpose call; kernel (spatial..., out_channels, in_channels)."""
    return _transpose_plan(
        op,
        tuple(inputs_shape),
        tuple(kernel_shape),
        _frozen(strides),
        padding,
        _frozen(output_padding),
        channels_last(data_format, op),
        _frozen(dilation_rate),
    )


@_cached
def _transpose_plan(op, inputs_shape, kernel_shape, strides, padding, output_padding, last, rate):
    rank = _spatial_rank(op, inputs_shape)
    _check_kernel(op, kernel_shape, rank, "out_channels, in_channels")
    strides = as_tuple(strides, rank, "strides", op)
    dilation = as_tuple(rate, rank, "dilation_rate", op)
    padding = _check_padding(op, padding, rank, causal=False)
    if output_padding is None:
        extras = (None,) * rank
    else:
        extras = as_tuple(output_padding, rank, "output_padding", op, smallest=0)
        for axis, (extra, stride) in enumerate(zip(extras, strides)):
            if extra >= stride:
                raise ValueError(
                    f"kfn.ops.{op}: output_padding must be smaller than strides on every axis; "
                    f"axis {axis} has output_padding {extra} and stride {stride}"
                )
    spatial, channels = _split_shape(inputs_shape, last)
    if channels is not None and kernel_shape[-1] != channels:
        raise ValueError(
            f"kfn.ops.{op}: the kernel's input channels ({kernel_shape[-1]}, kernel axis -1) "
            f"must equal the input channels ({channels}); kernel shape {kernel_shape}, inputs "
            f"shape {inputs_shape}"
        )
    pads, crops, sizes = [], [], []
    for n, k, s, d, extra in zip(spatial, kernel_shape[:rank], strides, dilation, extras):
        before, after = _transpose_padding(effective_size(k, d), s, padding, extra)
        pads.append((before, after))
        crops.append(effective_size(k, d) - 1 - before)
        sizes.append(None if n is None else (n - 1) * s + before + after + 2 - effective_size(k, d))
    return TransposePlan(rank, last, strides, dilation, tuple(pads), tuple(crops), tuple(sizes))


def _transpose_padding(k: int, stride: int, padding: str, extra):
    """Keras's conv_transpose padding of the stride-dilated input, for dilated kernel size k:
    "valid" gives (n - 1) * s + max(k, s) (+ output_padding instead of the max), "same" gives
    n * s (or (n - 1) * s + k % 2 + output_padding)."""
    if padding == "valid":
        if extra is None:
            extra = max(k, stride) - k
        return k - 1, k - 1 + extra
    total = stride + k - 2 if extra is None else k + k % 2 - 2 + extra
    before = min(total // 2 + total % 2, k - 1)
    return before, total - before


# ---------------------------------------------------------------------------- pooling


def pool_plan(op, inputs_shape, pool_size, strides, padding, data_format):
    """Check a max_pool / average_pool call."""
    return _pool_plan(
        op,
        tuple(inputs_shape),
        _frozen(pool_size),
        _frozen(strides),
        padding,
        channels_last(data_format, op),
    )


@_cached
def _pool_plan(op, inputs_shape, pool_size, strides, padding, last):
    rank = _spatial_rank(op, inputs_shape)
    pool_size = as_tuple(pool_size, rank, "pool_size", op)
    strides = pool_size if strides is None else as_tuple(strides, rank, "strides", op)
    padding = _check_padding(op, padding, rank, causal=False)
    spatial, _ = _split_shape(inputs_shape, last)
    pads = _pads(padding, spatial, pool_size, strides, (1,) * rank)
    _check_not_empty(op, spatial, pool_size, (1,) * rank, pads, "pool size")
    return PoolPlan(rank, last, pool_size, strides, padding, pads)


@functools.lru_cache(maxsize=256)
def window_counts(spatial: tuple, pool_size: tuple, strides: tuple, pads: tuple) -> np.ndarray:
    """How many real (unpadded) inputs each pooling window covers: the divisor of
    average_pool with "same" padding. A read-only float64 array of the output spatial shape."""
    counts = np.ones((), np.float64)
    for n, k, s, (before, after) in zip(spatial, pool_size, strides, pads):
        starts = np.arange(0, n + before + after - k + 1, s) - before
        axis_counts = np.minimum(starts + k, n) - np.maximum(starts, 0)
        counts = np.multiply.outer(counts, axis_counts.astype(np.float64))
    counts.flags.writeable = False
    return counts


# ---------------------------------------------------------------------------- adaptive pooling


class AdaptivePlan(NamedTuple):
    rank: int
    channels_last: bool
    axes: tuple  # the spatial axes of the inputs
    windows: tuple  # per spatial axis: (starts, stops) of the output windows, as int tuples


def adaptive_plan(op, inputs_shape, output_size, data_format):
    """Check an adaptive pooling call; output window i of an axis of size n spans
    [floor(i * n / out), ceil((i + 1) * n / out))."""
    return _adaptive_plan(
        op, tuple(inputs_shape), _frozen(output_size), channels_last(data_format, op)
    )


@_cached
def _adaptive_plan(op, inputs_shape, output_size, last):
    rank = _spatial_rank(op, inputs_shape)
    sizes = as_tuple(output_size, rank, "output_size", op)
    spatial, _ = _split_shape(inputs_shape, last)
    axes = tuple(range(1, rank + 1)) if last else tuple(range(2, rank + 2))
    windows = []
    for axis, (n, out) in enumerate(zip(spatial, sizes)):
        if n is None:
            raise ValueError(f"kfn.ops.{op}: spatial axis {axis} of the inputs must be known")
        if n == 0:
            raise ValueError(f"kfn.ops.{op}: spatial axis {axis} of the inputs has size 0")
        starts = tuple(i * n // out for i in range(out))
        stops = tuple(-(-(i + 1) * n // out) for i in range(out))
        windows.append((starts, stops))
    return AdaptivePlan(rank, last, axes, tuple(windows))


@functools.lru_cache(maxsize=256)
def adaptive_gather(starts: tuple, stops: tuple) -> np.ndarray:
    """Indices (out, widest window) gathering each window along an axis; short windows repeat
    their last index, which a maximum ignores."""
    width = max(b - a for a, b in zip(starts, stops))
    index = np.minimum(
        np.add.outer(np.array(starts), np.arange(width)), np.array(stops)[:, None] - 1
    )
    index.flags.writeable = False
    return index


@functools.lru_cache(maxsize=256)
def adaptive_weights(size: int, starts: tuple, stops: tuple) -> np.ndarray:
    """The (size, out) matrix averaging each window along an axis: column i holds
    1 / window size over the window. A read-only float64 array."""
    weights = np.zeros((size, len(starts)), np.float64)
    for i, (a, b) in enumerate(zip(starts, stops)):
        weights[a:b, i] = 1.0 / (b - a)
    weights.flags.writeable = False
    return weights


# ---------------------------------------------------------------------------- unfold, fold


def patch_plan(op, x_shape, kernel_size, dilation, padding, stride, output_size=None):
    """Check an unfold call (x (batch, channels, height, width)) or, with `output_size`, a
    fold call (x (batch, channels * kh * kw, blocks))."""
    return _patch_plan(
        op,
        tuple(x_shape),
        _frozen(kernel_size),
        _frozen(dilation),
        _frozen(padding),
        _frozen(stride),
        _frozen(output_size),
    )


@_cached
def _patch_plan(op, x_shape, kernel_size, dilation, padding, stride, output_size):
    kernel = as_tuple(kernel_size, 2, "kernel_size", op)
    dilation = as_tuple(dilation, 2, "dilation", op)
    padding = as_tuple(padding, 2, "padding", op, smallest=0)
    stride = as_tuple(stride, 2, "stride", op)
    if output_size is None:
        if len(x_shape) != 4:
            raise ValueError(
                f"kfn.ops.{op}: x must be 4-D (batch, channels, height, width), got shape {x_shape}"
            )
        image = x_shape[2:]
    else:
        if len(x_shape) != 3:
            raise ValueError(
                f"kfn.ops.{op}: x must be 3-D (batch, channels * kernel height * kernel width, "
                f"blocks), got shape {x_shape}"
            )
        image = as_tuple(output_size, 2, "output_size", op)
    blocks = []
    for axis, (n, k, d, p, s) in enumerate(zip(image, kernel, dilation, padding, stride)):
        if n is None:
            raise ValueError(f"kfn.ops.{op}: spatial axis {axis} must be known")
        count = (n + 2 * p - effective_size(k, d)) // s + 1
        if count < 1:
            raise ValueError(
                f"kfn.ops.{op}: spatial axis {axis} (size {n}, padding {p}) is smaller than "
                f"the dilated kernel ({effective_size(k, d)})"
            )
        blocks.append(count)
    if output_size is not None:
        per_block = kernel[0] * kernel[1]
        if x_shape[1] is not None and x_shape[1] % per_block:
            raise ValueError(
                f"kfn.ops.{op}: axis 1 of x ({x_shape[1]}) must be a multiple of kernel height "
                f"x kernel width ({per_block})"
            )
        if x_shape[2] is not None and x_shape[2] != math.prod(blocks):
            raise ValueError(
                f"kfn.ops.{op}: output_size {image} with this kernel_size, dilation, padding "
                f"and stride holds {blocks[0]} x {blocks[1]} = {math.prod(blocks)} blocks, but "
                f"axis 2 of x has {x_shape[2]}"
            )
    return PatchPlan(tuple(image), kernel, dilation, padding, stride, tuple(blocks))


# ---------------------------------------------------------------------------- kernel offsets


@functools.lru_cache(maxsize=256)
def offset_slices(window: tuple, dilation: tuple, strides: tuple, counts: tuple) -> tuple:
    """For each kernel (or pool window) offset, in row-major order, the slices of the padded
    spatial axes that the offset reads for every output position: `counts` positions along
    each axis, `strides` apart, starting at offset * dilation."""
    return tuple(
        tuple(
            slice(o * d, o * d + (n - 1) * s + 1, s)
            for o, d, s, n in zip(offset, dilation, strides, counts)
        )
        for offset in np.ndindex(*window)
    )


def transpose_window(plan) -> tuple:
    """Per spatial axis, (extra, start, tail): Keras's conv_transpose output is the "valid"
    transposed convolution with `extra` (< stride) added to its length, less `start` elements
    at the start and `tail` at the end. The same for every input size."""
    window = []
    for (before, after), crop in zip(plan.pads, plan.crop):
        extent = crop + before + 1  # the dilated kernel size
        extra = max(0, after + 1 - extent)
        window.append((extra, crop, max(extent - after - 1, 0)))
    return tuple(window)


@functools.lru_cache(maxsize=256)
def fold_positions(plan: PatchPlan) -> np.ndarray:
    """Where each column entry of fold lands in the flattened padded image: an int array of
    (kernel offsets * blocks,) positions, offsets major."""
    padded_width = plan.image[1] + 2 * plan.padding[1]
    rows = np.arange(plan.blocks[0]) * plan.stride[0]
    columns = np.arange(plan.blocks[1]) * plan.stride[1]
    positions = [
        np.add.outer((rows + i * plan.dilation[0]) * padded_width, columns + j * plan.dilation[1])
        for i, j in np.ndindex(*plan.kernel)
    ]
    out = np.stack(positions).reshape(-1)
    out.flags.writeable = False
    return out

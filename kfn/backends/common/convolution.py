"""What every backend's convolution and pooling share: argument normalization, Keras's
padding rules, and the checks that give the same errors everywhere.

"same" padding follows TensorFlow (and Keras): the total padding of an axis is
`max((ceil(n / s) - 1) * s + k_eff - n, 0)`, with the extra element, if any, at the end.

Each backend op checks its whole call with one memoized function of the shapes and Python
arguments (`conv_arguments`, `transpose_arguments`, `pool_arguments`, `adaptive_arguments`),
so the checks and padding arithmetic run once per configuration, not on every call.
"""

from __future__ import annotations

import functools
from numbers import Integral
from typing import NamedTuple

import numpy as np

from kfn.backends import config


def _cached(fn):
    """Memoize a function of Python arguments (lists become tuples): convolution arguments are
    normalized once per configuration, not on every call."""
    cached = functools.lru_cache(maxsize=4096)(fn)

    @functools.wraps(fn)
    def call(*args):
        try:
            return cached(*args)
        except TypeError:  # a list (or something else unhashable) among the arguments
            args = tuple(tuple(a) if isinstance(a, list) else a for a in args)
            try:
                return cached(*args)
            except TypeError:  # e.g. symbolic sizes under torch.compile
                return fn(*args)

    return call


def as_tuple(value, rank: int, name: str, op: str) -> tuple[int, ...]:
    """An int or a sequence of `rank` ints as a tuple of `rank` positive ints."""
    values = (value,) * rank if isinstance(value, Integral) else value
    try:
        values = tuple(values)
    except TypeError:
        values = ()
    if len(values) != rank or not all(
        isinstance(v, Integral) and not isinstance(v, bool) and v > 0 for v in values
    ):
        raise ValueError(
            f"kfn.ops.{op}: {name} must be a positive int or {rank} positive ints, got {value!r}"
        )
    return tuple(int(v) for v in values)


def check_padding(padding: str, op: str, allowed=("valid", "same")) -> str:
    padding = padding.lower() if isinstance(padding, str) else padding
    if padding not in allowed:
        raise ValueError(f"kfn.ops.{op}: padding must be one of {allowed}, got {padding!r}")
    return padding


def spatial_rank(inputs_shape, op: str) -> int:
    """The number of spatial axes of (batch, spatial..., channels) inputs: 1, 2 or 3."""
    if len(inputs_shape) not in (3, 4, 5):
        raise ValueError(
            f"kfn.ops.{op}: inputs must be 3-D, 4-D or 5-D (batch, spatial..., channels), "
            f"got shape {_shape(inputs_shape)}"
        )
    return len(inputs_shape) - 2


def channels_last(value, op: str) -> bool:
    """Whether the data format `value` (None: the configured default) is channels last."""
    if value == "channels_last":
        return True
    if value == "channels_first":
        return False
    if value is None:
        return config.image_data_format() == "channels_last"
    lowered = value.lower() if isinstance(value, str) else value  # Keras ignores case
    if lowered not in config.IMAGE_DATA_FORMATS:
        raise ValueError(
            f"kfn.ops.{op}: data_format must be one of {config.IMAGE_DATA_FORMATS} or None, "
            f"got {value!r}"
        )
    return lowered == "channels_last"


def effective_size(kernel: int, dilation: int) -> int:
    return (kernel - 1) * dilation + 1


def same_padding(size: int, kernel: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    """TensorFlow's "same" padding (before, after) of one axis."""
    k = effective_size(kernel, dilation)
    out = -(-size // stride)
    total = max((out - 1) * stride + k - size, 0)
    return total // 2, total - total // 2


@_cached
def padding_pairs(spatial, kernel, strides, dilation, padding) -> list[tuple[int, int]]:
    """(before, after) padding of each spatial axis for "valid" or "same"."""
    if padding == "valid":
        return ((0, 0),) * len(spatial)
    return tuple(same_padding(n, k, s, d) for n, k, s, d in zip(spatial, kernel, strides, dilation))


def conv_output_size(size: int, kernel: int, stride: int, dilation: int, padding: str) -> int:
    if padding == "same":
        return -(-size // stride)
    return (size - effective_size(kernel, dilation)) // stride + 1


def transpose_padding(kernel: int, stride: int, dilation: int, padding: str, output_padding):
    """Keras's conv_transpose: the (left, right) padding of the stride-dilated input, for a
    stride-1 correlation with the flipped kernel, that gives Keras's output length."""
    k = effective_size(kernel, dilation)
    if padding == "valid":
        extra = max(k, stride) - k if output_padding is None else output_padding
        return k - 1, k - 1 + extra
    total = stride + k - 2 if output_padding is None else k + k % 2 - 2 + output_padding
    left = min(total // 2 + total % 2, k - 1)
    return left, total - left


def transpose_output_size(
    size: int, kernel: int, stride: int, dilation: int, padding: str, output_padding
):
    left, right = transpose_padding(kernel, stride, dilation, padding, output_padding)
    dilated = (size - 1) * stride + 1
    return dilated + left + right - effective_size(kernel, dilation) + 1


def _shape(shape) -> tuple:
    return tuple(None if d is None else int(d) for d in shape)


def _split(inputs_shape, is_channels_last: bool):
    """(spatial sizes, channels) of an input shape."""
    if is_channels_last:
        return tuple(inputs_shape[1:-1]), inputs_shape[-1]
    return tuple(inputs_shape[2:]), inputs_shape[1]


def _check_fits(op, spatial, window, dilation, pads, what):
    """A window must fit in the (padded) input on every axis: frameworks disagree otherwise
    (an empty result, an error, or TensorFlow's CPU kernels returning the input's shape)."""
    for axis, (n, k, d, (before, after)) in enumerate(zip(spatial, window, dilation, pads)):
        extent = effective_size(k, d)
        if n is not None and n + before + after < extent:
            raise ValueError(
                f"kfn.ops.{op}: spatial axis {axis} of the inputs has size {n}, smaller than the "
                f"{what} ({extent}); use padding='same' or a smaller window"
            )


def _pads(spatial, window, strides, dilation, padding):
    """(before, after) per spatial axis; (None, None) for "same" on an unknown size."""
    if padding == "valid":
        return ((0, 0),) * len(spatial)
    return tuple(
        (None, None) if n is None else same_padding(n, k, s, d)
        for n, k, s, d in zip(spatial, window, strides, dilation)
    )


def _check_kernel(op, kernel_shape, rank, layout):
    if len(kernel_shape) != rank + 2:
        raise ValueError(
            f"kfn.ops.{op}: kernel must be {rank + 2}-D for {rank}-D convolution "
            f"(spatial..., {layout}), got shape {_shape(kernel_shape)}"
        )


class ConvArguments(NamedTuple):
    """A checked conv or depthwise_conv call."""

    rank: int  # the number of spatial axes
    strides: tuple
    dilation: tuple
    padding: str  # "valid" or "same"
    pads: tuple  # (before, after) per spatial axis ((None, None) where a size is unknown)
    groups: int  # depthwise: the number of input channels


def conv_arguments(op, inputs_shape, kernel_shape, strides, padding, is_channels_last, dilation):
    """Check a conv call; kernel (spatial..., in_channels / groups, out_channels)."""
    return _conv_arguments(
        op, inputs_shape, kernel_shape, strides, padding, is_channels_last, dilation, False
    )


def depthwise_arguments(
    op, inputs_shape, kernel_shape, strides, padding, is_channels_last, dilation
):
    """Check a depthwise_conv call; kernel (spatial..., channels, multiplier)."""
    return _conv_arguments(
        op, inputs_shape, kernel_shape, strides, padding, is_channels_last, dilation, True
    )


@_cached
def _conv_arguments(
    op, inputs_shape, kernel_shape, strides, padding, is_channels_last, dilation_rate, depthwise
):
    rank = spatial_rank(inputs_shape, op)
    layout = "channels, multiplier" if depthwise else "in_channels, out_channels"
    _check_kernel(op, kernel_shape, rank, layout)
    strides = as_tuple(strides, rank, "strides", op)
    dilation = as_tuple(dilation_rate, rank, "dilation_rate", op)
    padding = check_padding(padding, op)
    spatial, channels = _split(inputs_shape, is_channels_last)
    kernel_in, kernel_out = kernel_shape[-2], kernel_shape[-1]
    described = f"kernel shape {_shape(kernel_shape)}, inputs shape {_shape(inputs_shape)}"
    if depthwise:
        if channels is not None and kernel_in != channels:
            raise ValueError(
                f"kfn.ops.{op}: the kernel's input channels ({kernel_in}) must equal the input "
                f"channels ({channels}); {described}"
            )
        groups = kernel_in
    elif channels is None:
        raise ValueError(f"kfn.ops.{op}: the inputs' channel axis must have a known size")
    else:
        if kernel_in <= 0 or channels % kernel_in:
            raise ValueError(
                f"kfn.ops.{op}: the kernel's input channels ({kernel_in}) must divide the input "
                f"channels ({channels}); {described}"
            )
        groups = channels // kernel_in
        if kernel_out % groups:
            raise ValueError(
                f"kfn.ops.{op}: a grouped convolution ({groups} groups) needs out_channels "
                f"divisible by the number of groups, got {kernel_out}; {described}"
            )
    window = tuple(kernel_shape[:rank])
    pads = _pads(spatial, window, strides, dilation, padding)
    _check_fits(op, spatial, window, dilation, pads, "dilated kernel")
    return ConvArguments(rank, strides, dilation, padding, pads, groups)


class TransposeArguments(NamedTuple):
    """A checked conv_transpose call."""

    rank: int
    strides: tuple
    dilation: tuple
    pads: tuple  # (left, right) padding of the stride-dilated input, per spatial axis
    windows: tuple  # per axis (start, extra, tail): Keras's output is the full transposed
    # convolution (length (n - 1) * s + k_eff) with `extra` zeros appended, less `start`
    # elements at the start and `tail` at the end (the same for every input size)


@_cached
def transpose_arguments(
    op, inputs_shape, kernel_shape, strides, padding, output_padding, is_channels_last, rate
):
    """Check a conv_transpose call; kernel (spatial..., out_channels, in_channels)."""
    rank = spatial_rank(inputs_shape, op)
    _check_kernel(op, kernel_shape, rank, "out_channels, in_channels")
    strides = as_tuple(strides, rank, "strides", op)
    dilation = as_tuple(rate, rank, "dilation_rate", op)
    padding = check_padding(padding, op)
    extras = _output_padding(op, output_padding, strides)
    _, channels = _split(inputs_shape, is_channels_last)
    if channels is not None and kernel_shape[-1] != channels:
        raise ValueError(
            f"kfn.ops.{op}: the kernel's input channels ({kernel_shape[-1]}, its last axis) must "
            f"equal the input channels ({channels}); kernel shape {_shape(kernel_shape)}, inputs "
            f"shape {_shape(inputs_shape)}"
        )
    pads, windows = [], []
    for k, s, d, p in zip(kernel_shape[:rank], strides, dilation, extras):
        left, right = transpose_padding(k, s, d, padding, p)
        k_eff = effective_size(k, d)
        pads.append((left, right))
        # Correlating the padded, stride-dilated input with the flipped kernel reads the full
        # transposed convolution from k_eff - 1 - left on, and right - (k_eff - 1) elements
        # past its end.
        extra = max(right - (k_eff - 1), 0)
        windows.append((k_eff - 1 - left, extra, k_eff - 1 + extra - right))
    return TransposeArguments(rank, strides, dilation, tuple(pads), tuple(windows))


def _output_padding(op, output_padding, strides) -> tuple:
    """conv_transpose's output_padding (None, an int or one per axis), each below its stride."""
    rank = len(strides)
    if output_padding is None:
        return (None,) * rank
    values = (output_padding,) * rank if isinstance(output_padding, Integral) else output_padding
    try:
        values = tuple(values)
    except TypeError:
        values = ()
    if len(values) != rank or not all(
        isinstance(v, Integral) and not isinstance(v, bool) and v >= 0 for v in values
    ):
        raise ValueError(
            f"kfn.ops.{op}: output_padding must be None, a non-negative int or {rank} of them, "
            f"got {output_padding!r}"
        )
    for axis, (value, stride) in enumerate(zip(values, strides)):
        if value >= stride:
            raise ValueError(
                f"kfn.ops.{op}: output_padding must be smaller than strides on every axis; "
                f"axis {axis} has output_padding {value} and stride {stride}"
            )
    return tuple(int(v) for v in values)


class PoolArguments(NamedTuple):
    """A checked max_pool or average_pool call."""

    rank: int
    pool_size: tuple
    strides: tuple
    padding: str
    pads: tuple  # (before, after) per spatial axis ((None, None) where a size is unknown)


@_cached
def pool_arguments(op, inputs_shape, pool_size, strides, padding, is_channels_last):
    rank = spatial_rank(inputs_shape, op)
    pool_size = as_tuple(pool_size, rank, "pool_size", op)
    strides = pool_size if strides is None else as_tuple(strides, rank, "strides", op)
    padding = check_padding(padding, op)
    spatial, _ = _split(inputs_shape, is_channels_last)
    ones = (1,) * rank
    pads = _pads(spatial, pool_size, strides, ones, padding)
    _check_fits(op, spatial, pool_size, ones, pads, "pool size")
    return PoolArguments(rank, pool_size, strides, padding, pads)


@functools.lru_cache(maxsize=256)
def window_counts(spatial: tuple, pool_size: tuple, strides: tuple, pads: tuple) -> np.ndarray:
    """How many real (unpadded) positions each pooling window covers: the divisor of
    average_pool with "same" padding. A read-only float64 array of the output's spatial shape."""
    counts = np.ones((), np.float64)
    for n, k, s, (before, after) in zip(spatial, pool_size, strides, pads):
        starts = np.arange(0, n + before + after - k + 1, s) - before
        counts = np.multiply.outer(counts, np.minimum(starts + k, n) - np.maximum(starts, 0))
    counts.flags.writeable = False
    return counts


class AdaptiveWindows(NamedTuple):
    """Adaptive pooling along one axis of size n to `out` positions."""

    out: int
    width: int  # n // out when every window has that width (n % out == 0), else 0
    index: np.ndarray  # (out, widest window) positions; short windows repeat their last one
    weights: np.ndarray  # (out, widest window): 1 / window size, 0 on the repeats


class AdaptiveArguments(NamedTuple):
    rank: int
    axes: tuple  # the spatial axes of the inputs
    windows: tuple  # AdaptiveWindows per spatial axis


@_cached
def adaptive_arguments(op, inputs_shape, output_size, is_channels_last):
    """Check an adaptive pooling call: output position i of an axis of size n pools the
    inputs in [floor(i * n / out), ceil((i + 1) * n / out)), as torch does."""
    rank = spatial_rank(inputs_shape, op)
    sizes = as_tuple(output_size, rank, "output_size", op)
    spatial, _ = _split(inputs_shape, is_channels_last)
    axes = tuple(range(1, rank + 1)) if is_channels_last else tuple(range(2, rank + 2))
    windows = []
    for axis, (n, out) in enumerate(zip(spatial, sizes)):
        if not n:
            raise ValueError(
                f"kfn.ops.{op}: spatial axis {axis} of the inputs must have a known, non-zero "
                f"size, got {n} (inputs shape {_shape(inputs_shape)})"
            )
        starts = np.arange(out) * n // out
        stops = -(-(np.arange(out) + 1) * n // out)
        lengths = stops - starts
        offsets = np.arange(lengths.max())
        index = np.minimum(starts[:, None] + offsets, stops[:, None] - 1)
        weights = np.where(offsets < lengths[:, None], 1.0 / lengths[:, None], 0.0)
        index.flags.writeable = weights.flags.writeable = False
        windows.append(AdaptiveWindows(out, n // out if n % out == 0 else 0, index, weights))
    return AdaptiveArguments(rank, axes, tuple(windows))

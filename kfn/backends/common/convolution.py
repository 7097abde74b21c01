"""What every backend's convolution and pooling share: argument normalization, Keras's
padding rules, and the checks that give the same errors everywhere.

"same" padding follows TensorFlow (and Keras): the total padding of an axis is
`max((ceil(n / s) - 1) * s + k_eff - n, 0)`, with the extra element, if any, at the end.
"""

from __future__ import annotations

import functools

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
            except TypeError:
                return fn(*args)

    return call


def as_tuple(value, rank: int, name: str, op: str) -> tuple[int, ...]:
    """An int or a sequence of `rank` ints as a tuple of `rank` positive ints."""
    values = (value,) * rank if isinstance(value, int) else tuple(value)
    if len(values) != rank or not all(isinstance(v, int) and v > 0 for v in values):
        raise ValueError(
            f"kfn.ops.{op}: {name} must be a positive int or {rank} positive ints, got {value!r}"
        )
    return values


def check_padding(padding: str, op: str, allowed=("valid", "same")) -> str:
    padding = padding.lower() if isinstance(padding, str) else padding
    if padding not in allowed:
        raise ValueError(f"kfn.ops.{op}: padding must be one of {allowed}, got {padding!r}")
    return padding


def spatial_rank(inputs_rank: int, op: str, ranks=(3, 4, 5)) -> int:
    if inputs_rank not in ranks:
        raise ValueError(
            f"kfn.ops.{op}: inputs must be {' or '.join(map(str, ranks))}-D "
            "(batch, spatial..., channels), got rank "
            f"{inputs_rank}"
        )
    return inputs_rank - 2


def data_format(value) -> str:
    return config.standardize_data_format(value)


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


def check_channels(op: str, in_channels: int, kernel_in_channels: int) -> int:
    """The number of groups of a convolution; ValueError when the kernel does not fit."""
    if in_channels is None:
        return 1
    if kernel_in_channels <= 0 or in_channels % kernel_in_channels:
        raise ValueError(
            f"kfn.ops.{op}: the kernel's input channels ({kernel_in_channels}) must divide the "
            f"input channels ({in_channels})"
        )
    return in_channels // kernel_in_channels


@_cached
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


@_cached
def pool_arguments(op, inputs_rank, pool_size, strides, padding):
    rank = spatial_rank(inputs_rank, op)
    pool_size = as_tuple(pool_size, rank, "pool_size", op)
    strides = pool_size if strides is None else as_tuple(strides, rank, "strides", op)
    return rank, pool_size, strides, check_padding(padding, op)


@_cached
def conv_arguments(op, inputs_rank, strides, padding, dilation_rate):
    rank = spatial_rank(inputs_rank, op)
    strides = as_tuple(strides, rank, "strides", op)
    dilation = as_tuple(dilation_rate, rank, "dilation_rate", op)
    return rank, strides, check_padding(padding, op), dilation


def output_padding_tuple(output_padding, rank: int) -> tuple:
    """conv_transpose's output_padding (None, an int or `rank` ints) as a tuple per axis."""
    if output_padding is None:
        return (None,) * rank
    values = (output_padding,) * rank if isinstance(output_padding, int) else tuple(output_padding)
    if len(values) != rank or not all(isinstance(v, int) and v >= 0 for v in values):
        raise ValueError(
            f"kfn.ops.conv_transpose: output_padding must be None, a non-negative int or {rank} "
            f"of them, got {output_padding!r}"
        )
    return values

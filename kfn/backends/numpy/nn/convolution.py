"""NumPy backend: convolution primitives, as sliding windows contracted with einsum."""

from __future__ import annotations

import numpy as np

from kfn.backends.common import convolution as conv_rules
from kfn.backends.common import dtypes
from kfn.backends.numpy import core

_LETTERS = "xyz"


def _float_pair(inputs, kernel):
    if (
        type(inputs) is np.ndarray
        and type(kernel) is np.ndarray
        and inputs.dtype == kernel.dtype
        and inputs.dtype.kind == "f"
    ):
        return inputs, kernel  # the common case, kept cheap
    inputs, kernel = core.promote(inputs, kernel)
    target = core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(inputs.dtype)))
    return inputs.astype(target), kernel.astype(target)


def _channels_last(inputs, channels_last):
    if channels_last:
        return inputs, lambda out: out
    # Compute channels-last and move the channels back at the end.
    return np.moveaxis(inputs, 1, -1), lambda out: np.moveaxis(out, -1, 1)


def _windows(x, kernel_shape, strides, dilation, pads):
    """(batch, out..., channels, k...) windows of a padded channels-last input."""
    rank = len(kernel_shape)
    x = np.pad(x, [(0, 0), *pads, (0, 0)])
    extent = [conv_rules.effective_size(k, d) for k, d in zip(kernel_shape, dilation)]
    windows = np.lib.stride_tricks.sliding_window_view(x, extent, axis=tuple(range(1, rank + 1)))
    index = (slice(None),) + tuple(slice(None, None, s) for s in strides) + (slice(None),)
    index += tuple(slice(None, None, d) for d in dilation)
    return windows[index]


def _grouped_conv(x, kernel, strides, dilation, pads, groups):
    rank = kernel.ndim - 2
    windows = _windows(x, kernel.shape[:rank], strides, dilation, pads)
    batch, spatial, channels = (
        windows.shape[0],
        windows.shape[1 : 1 + rank],
        windows.shape[1 + rank],
    )
    per_group = channels // groups
    windows = windows.reshape((batch, *spatial, groups, per_group) + windows.shape[2 + rank :])
    out_channels = kernel.shape[-1]
    grouped = kernel.reshape(kernel.shape[:rank] + (per_group, groups, out_channels // groups))
    k = _LETTERS[:rank]
    # windows: b s... g c k...;  kernel: k... c g o  ->  b s... g o
    spec = f"b{'STU'[:rank]}gc{k},{k}cgo->b{'STU'[:rank]}go"
    out = np.einsum(spec, windows, grouped, optimize=True)
    return out.reshape((batch, *spatial, out_channels)).astype(x.dtype)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_pair(inputs, kernel)
    channels_last = conv_rules.channels_last(data_format, "conv")
    arguments = conv_rules.conv_arguments(
        "conv", inputs.shape, kernel.shape, strides, padding, channels_last, dilation_rate
    )
    x, restore = _channels_last(inputs, channels_last)
    return restore(
        _grouped_conv(
            x, kernel, arguments.strides, arguments.dilation, arguments.pads, arguments.groups
        )
    )


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_pair(inputs, kernel)
    channels_last = conv_rules.channels_last(data_format, "depthwise_conv")
    arguments = conv_rules.depthwise_arguments(
        "depthwise_conv", inputs.shape, kernel.shape, strides, padding, channels_last, dilation_rate
    )
    # One group per input channel: (spatial..., 1, channels * multiplier).
    grouped = kernel.reshape(kernel.shape[: arguments.rank] + (1, -1))
    x, restore = _channels_last(inputs, channels_last)
    return restore(
        _grouped_conv(
            x, grouped, arguments.strides, arguments.dilation, arguments.pads, arguments.groups
        )
    )


def _dilate(x, strides):
    """x (channels-last) with stride - 1 zeros inserted between elements of each spatial axis."""
    rank = len(strides)
    shape = (
        (x.shape[0],)
        + tuple((n - 1) * s + 1 for n, s in zip(x.shape[1 : 1 + rank], strides))
        + (x.shape[-1],)
    )
    out = np.zeros(shape, x.dtype)
    out[(slice(None),) + tuple(slice(None, None, s) for s in strides)] = x
    return out


def conv_transpose(
    inputs,
    kernel,
    strides=1,
    padding="valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    inputs, kernel = _float_pair(inputs, kernel)
    channels_last = conv_rules.channels_last(data_format, "conv_transpose")
    arguments = conv_rules.transpose_arguments(
        "conv_transpose",
        inputs.shape,
        kernel.shape,
        strides,
        padding,
        output_padding,
        channels_last,
        dilation_rate,
    )
    rank = arguments.rank
    x, restore = _channels_last(inputs, channels_last)
    # The transpose of a convolution: correlate the stride-dilated input with the flipped
    # kernel, its (out, in) channels swapped.
    x = _dilate(x, arguments.strides)
    forward = np.flip(np.swapaxes(kernel, -1, -2), axis=tuple(range(rank)))
    return restore(_grouped_conv(x, forward, (1,) * rank, arguments.dilation, arguments.pads, 1))

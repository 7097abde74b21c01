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


def _channels_last(inputs, data_format):
    if conv_rules.data_format(data_format) == "channels_last":
        return inputs, lambda out: out
    # Compute channels-last and move the channels back at the end.
    return np.moveaxis(inputs, 1, -1), lambda out: np.moveaxis(out, -1, 1)


def _check_kernel(op, kernel, rank):
    if kernel.ndim != rank + 2:
        raise ValueError(
            f"kfn.ops.{op}: kernel must be {rank + 2}-D for {rank}-D convolution "
            f"(spatial..., in_channels, out_channels), got shape {tuple(kernel.shape)}"
        )


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
    rank, strides, padding, dilation = conv_rules.conv_arguments(
        "conv", inputs.ndim, strides, padding, dilation_rate
    )
    _check_kernel("conv", kernel, rank)
    x, restore = _channels_last(inputs, data_format)
    groups = conv_rules.check_channels("conv", x.shape[-1], kernel.shape[-2])
    pads = conv_rules.padding_pairs(x.shape[1:-1], kernel.shape[:rank], strides, dilation, padding)
    return restore(_grouped_conv(x, kernel, strides, dilation, pads, groups))


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_pair(inputs, kernel)
    rank = conv_rules.spatial_rank(inputs.ndim, "depthwise_conv")
    _check_kernel("depthwise_conv", kernel, rank)
    channels = (
        inputs.shape[-1]
        if conv_rules.data_format(data_format) == "channels_last"
        else inputs.shape[1]
    )
    if kernel.shape[-2] != channels:
        raise ValueError(
            f"kfn.ops.depthwise_conv: the kernel's input channels ({kernel.shape[-2]}) must equal "
            f"the input channels ({channels})"
        )
    grouped = kernel.reshape(kernel.shape[:rank] + (1, -1))
    return conv(inputs, grouped, strides, padding, data_format, dilation_rate)


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
    rank, strides, padding, dilation = conv_rules.conv_arguments(
        "conv_transpose", inputs.ndim, strides, padding, dilation_rate
    )
    _check_kernel("conv_transpose", kernel, rank)
    output_padding = conv_rules.output_padding_tuple(output_padding, rank)
    x, restore = _channels_last(inputs, data_format)
    pads = [
        conv_rules.transpose_padding(k, s, d, padding, p)
        for k, s, d, p in zip(kernel.shape[:rank], strides, dilation, output_padding)
    ]
    # The transpose of a convolution: correlate the stride-dilated input with the flipped
    # kernel, its (out, in) channels swapped. Negative padding crops.
    x = _dilate(x, strides)
    crop = tuple(slice(-min(lo, 0), x.shape[1 + i] + min(hi, 0)) for i, (lo, hi) in enumerate(pads))
    x = x[(slice(None),) + crop]
    pads = [(max(lo, 0), max(hi, 0)) for lo, hi in pads]
    forward = np.flip(np.swapaxes(kernel, -1, -2), axis=tuple(range(rank)))
    return restore(_grouped_conv(x, forward, (1,) * rank, dilation, pads, 1))

"""PyTorch backend: convolution primitives (torch.nn.functional.convNd)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from kfn.backends.common import convolution as conv_rules
from kfn.backends.common import dtypes
from kfn.backends.torch import core

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
# CPU convolution kernels exist for float32/float64 only: half precision computes in float32.
_HALF = (torch.float16, torch.bfloat16)


def _float_pair(inputs, kernel):
    if (
        type(inputs) is torch.Tensor
        and type(kernel) is torch.Tensor
        and inputs.dtype == kernel.dtype
        and inputs.dtype.is_floating_point
    ):
        return inputs, kernel  # the common case, kept cheap
    inputs, kernel = core.promote(inputs, kernel)
    target = core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(inputs.dtype)))
    return inputs.to(target), kernel.to(target)


def _check_kernel(op, kernel, rank):
    if kernel.ndim != rank + 2:
        raise ValueError(
            f"kfn.ops.{op}: kernel must be {rank + 2}-D for {rank}-D convolution "
            f"(spatial..., in_channels, out_channels), got shape {tuple(kernel.shape)}"
        )


def _flat_pads(pads):
    """F.pad's argument: (before, after) pairs from the last spatial axis to the first."""
    return [w for pair in reversed(pads) for w in pair]


def _conv_channels_first(x, kernel, strides, dilation, pads, groups):
    """x (batch, channels, spatial...), kernel in Keras layout (spatial..., in/g, out)."""
    rank = kernel.ndim - 2
    weight = kernel.permute(rank + 1, rank, *range(rank))
    if all(lo == hi for lo, hi in pads):
        padding = tuple(lo for lo, _ in pads)  # symmetric: the convolution pads itself
    else:
        x, padding = F.pad(x, _flat_pads(pads)), 0
    dtype = x.dtype
    if dtype in _HALF and x.device.type == "cpu":
        x, weight = x.float(), weight.float()
    out = _CONV[rank](x, weight, stride=strides, padding=padding, dilation=dilation, groups=groups)
    return out if out.dtype == dtype else out.to(dtype)


def _to_channels_first(inputs, data_format):
    if conv_rules.data_format(data_format) == "channels_last":
        return torch.movedim(inputs, -1, 1), lambda out: torch.movedim(out, 1, -1)
    return inputs, lambda out: out


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_pair(inputs, kernel)
    rank, strides, padding, dilation = conv_rules.conv_arguments(
        "conv", inputs.ndim, strides, padding, dilation_rate
    )
    _check_kernel("conv", kernel, rank)
    x, restore = _to_channels_first(inputs, data_format)
    groups = conv_rules.check_channels("conv", x.shape[1], kernel.shape[-2])
    pads = conv_rules.padding_pairs(x.shape[2:], kernel.shape[:rank], strides, dilation, padding)
    return restore(_conv_channels_first(x, kernel, strides, dilation, pads, groups))


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
    grouped = kernel.reshape(*kernel.shape[:rank], 1, -1)
    return conv(inputs, grouped, strides, padding, data_format, dilation_rate)


def _dilate(x, strides):
    """x (batch, channels, spatial...) with stride - 1 zeros between elements of each axis."""
    shape = x.shape[:2] + tuple((n - 1) * s + 1 for n, s in zip(x.shape[2:], strides))
    out = torch.zeros(shape, dtype=x.dtype, device=x.device)
    out[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in strides)] = x
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
    x, restore = _to_channels_first(inputs, data_format)
    pads = [
        conv_rules.transpose_padding(k, s, d, padding, p)
        for k, s, d, p in zip(kernel.shape[:rank], strides, dilation, output_padding)
    ]
    # The transpose of a convolution: correlate the stride-dilated input with the flipped
    # kernel, its (out, in) channels swapped. Negative padding crops.
    x = _dilate(x, strides)
    crop = tuple(slice(-min(lo, 0), x.shape[2 + i] + min(hi, 0)) for i, (lo, hi) in enumerate(pads))
    x = x[(slice(None), slice(None)) + crop]
    pads = [(max(lo, 0), max(hi, 0)) for lo, hi in pads]
    forward = torch.flip(torch.swapaxes(kernel, -1, -2), dims=tuple(range(rank)))
    return restore(_conv_channels_first(x, forward, (1,) * rank, dilation, pads, 1))

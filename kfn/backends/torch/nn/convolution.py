"""PyTorch backend: convolution primitives (torch.nn.functional convNd, conv_transposeNd)."""

from __future__ import annotations

import functools

import torch
import torch.nn.functional as F

from kfn.backends.common import convolution as conv_rules
from kfn.backends.common import dtypes
from kfn.backends.torch import core

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_TRANSPOSE = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
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


def _flat_pads(pads):
    """F.pad's argument: (before, after) pairs from the last spatial axis to the first."""
    return [w for pair in reversed(pads) for w in pair]


def _weight(kernel, rank):
    """Keras's (spatial..., a, b) kernel as torch's (b, a, spatial...)."""
    return kernel.permute(rank + 1, rank, *range(rank))


def _conv_channels_first(x, kernel, arguments):
    """x (batch, channels, spatial...), kernel in Keras layout (spatial..., in/g, out)."""
    rank, pads = arguments.rank, arguments.pads
    weight = _weight(kernel, rank)
    if all(lo == hi for lo, hi in pads):
        padding = tuple(lo for lo, _ in pads)  # symmetric: the convolution pads itself
    else:
        x, padding = F.pad(x, _flat_pads(pads)), 0
    dtype = x.dtype
    if dtype in _HALF and x.device.type == "cpu":
        x, weight = x.float(), weight.float()
    out = _CONV[rank](
        x,
        weight,
        stride=arguments.strides,
        padding=padding,
        dilation=arguments.dilation,
        groups=arguments.groups,
    )
    return out if out.dtype == dtype else out.to(dtype)


def _to_channels_first(inputs, channels_last):
    if channels_last:
        return torch.movedim(inputs, -1, 1), lambda out: torch.movedim(out, 1, -1)
    return inputs, lambda out: out


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_pair(inputs, kernel)
    channels_last = conv_rules.channels_last(data_format, "conv")
    arguments = conv_rules.conv_arguments(
        "conv", inputs.shape, kernel.shape, strides, padding, channels_last, dilation_rate
    )
    x, restore = _to_channels_first(inputs, channels_last)
    return restore(_conv_channels_first(x, kernel, arguments))


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_pair(inputs, kernel)
    channels_last = conv_rules.channels_last(data_format, "depthwise_conv")
    arguments = conv_rules.depthwise_arguments(
        "depthwise_conv", inputs.shape, kernel.shape, strides, padding, channels_last, dilation_rate
    )
    # One group per input channel: (spatial..., 1, channels * multiplier).
    grouped = kernel.reshape(*kernel.shape[: arguments.rank], 1, -1)
    x, restore = _to_channels_first(inputs, channels_last)
    return restore(_conv_channels_first(x, grouped, arguments))


@functools.lru_cache(maxsize=256)
def _transpose_padding(arguments):
    """torch's (padding, output_padding) and the part of its output to keep.

    torch's output is the full transposed convolution less `padding` at both ends, plus
    `output_padding` (< max(stride, dilation)) at the end. Where that cannot give Keras's
    window, torch computes the full one (lengthened as needed) and the window is sliced.
    """
    padding, extra, keep = [], [], []
    for s, d, (left, right), (start, lengthen, tail) in zip(
        arguments.strides, arguments.dilation, arguments.pads, arguments.windows
    ):
        if 0 <= right - left < max(s, d):
            padding.append(start)
            extra.append(right - left)
            keep.append(slice(None))
        else:
            padding.append(0)
            extra.append(lengthen)
            keep.append(slice(start, -tail or None))
    keep = None if all(k == slice(None) for k in keep) else tuple(keep)
    return tuple(padding), tuple(extra), keep


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
    x, restore = _to_channels_first(inputs, channels_last)
    torch_padding, extra, keep = _transpose_padding(arguments)
    # torch's transposed convolution weight is (in_channels, out_channels, spatial...).
    weight = _weight(kernel, rank)
    dtype = x.dtype
    if dtype in _HALF and x.device.type == "cpu":
        x, weight = x.float(), weight.float()
    out = _TRANSPOSE[rank](
        x, weight, None, arguments.strides, torch_padding, extra, 1, arguments.dilation
    )
    if keep is not None:
        out = out[(slice(None), slice(None)) + keep]
    return restore(out if out.dtype == dtype else out.to(dtype))

"""PyTorch backend: convolution primitives (torch.nn.functional conv, conv_transpose,
unfold, fold).

torch pads symmetrically only: the symmetric part of Keras's padding goes to the convolution
and the odd element of "same" (or "causal"'s start) to an explicit F.pad. Keras kernels
(spatial..., in, out) are permuted to torch's (out, in, spatial...) views.
"""

from __future__ import annotations

import functools

import torch
import torch.nn.functional as F

from kfn.backends.common import convolution as rules
from kfn.backends.common import dtypes
from kfn.backends.torch import core

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_TRANSPOSE = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
# No unfold/fold (im2col/col2im) kernels for these; they compute in int64 (exact, modular).
_WIDENED = (torch.uint16, torch.uint32, torch.uint64)


def _float_operands(inputs, kernel):
    if (
        isinstance(inputs, torch.Tensor)
        and isinstance(kernel, torch.Tensor)
        and inputs.dtype == kernel.dtype
        and inputs.dtype.is_floating_point
    ):
        return inputs, kernel
    inputs, kernel = core.promote(inputs, kernel)
    if not (inputs.dtype.is_floating_point or inputs.dtype.is_complex):
        target = core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(inputs.dtype)))
        inputs, kernel = inputs.to(target), kernel.to(target)
    return inputs, kernel


@functools.lru_cache(maxsize=256)
def _split_pads(pads: tuple):
    """(symmetric padding for the convolution, F.pad's list for the rest or None)."""
    symmetric = tuple(min(before, after) for before, after in pads)
    rest = [
        w
        for (before, after), m in zip(reversed(pads), reversed(symmetric))
        for w in (before - m, after - m)
    ]
    return symmetric, rest if any(rest) else None


def _channels_first(x, plan):
    return x if not plan.channels_last else torch.movedim(x, -1, 1)


def _restore(out, plan):
    return out if not plan.channels_last else torch.movedim(out, 1, -1)


def _weight(kernel, rank):
    """Keras's (spatial..., a, b) kernel as torch's (b, a, spatial...)."""
    return kernel.permute(rank + 1, rank, *range(rank))


def _convolve(inputs, weight, plan):
    x = _channels_first(inputs, plan)
    symmetric, rest = _split_pads(plan.pads)
    if rest is not None:
        x = F.pad(x, rest)
    out = _CONV[plan.rank](x, weight, None, plan.strides, symmetric, plan.dilation, plan.groups)
    return _restore(out, plan)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_operands(inputs, kernel)
    plan = rules.conv_plan(
        "conv", inputs.shape, kernel.shape, strides, padding, data_format, dilation_rate
    )
    return _convolve(inputs, _weight(kernel, plan.rank), plan)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_operands(inputs, kernel)
    plan = rules.depthwise_plan(
        "depthwise_conv", inputs.shape, kernel.shape, strides, padding, data_format, dilation_rate
    )
    # One group per input channel: weight (channels * multiplier, 1, spatial...).
    grouped = kernel.reshape(kernel.shape[: plan.rank] + (1, -1))
    return _convolve(inputs, _weight(grouped, plan.rank), plan)


@functools.lru_cache(maxsize=256)
def _transpose_arguments(plan):
    """torch's (padding, output_padding) per axis and the part of its output to keep.

    torch crops `padding` from both ends of the full transposed convolution and appends
    `output_padding` (< max(stride, dilation)). Where that cannot give Keras's window, torch
    computes the "valid" transposed convolution and the window is sliced out of it.
    """
    padding, extra, keep = [], [], []
    for (before, after), crop, stride, dilation, (lengthen, start, tail) in zip(
        plan.pads, plan.crop, plan.strides, plan.dilation, rules.transpose_window(plan)
    ):
        if 0 <= after - before < max(stride, dilation):
            padding.append(crop)
            extra.append(after - before)
            keep.append(slice(None))
        else:
            padding.append(0)
            extra.append(lengthen)
            keep.append(slice(start, -tail or None))
    return tuple(padding), tuple(extra), tuple(keep)


def conv_transpose(
    inputs,
    kernel,
    strides=1,
    padding="valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    inputs, kernel = _float_operands(inputs, kernel)
    plan = rules.transpose_plan(
        "conv_transpose",
        inputs.shape,
        kernel.shape,
        strides,
        padding,
        output_padding,
        data_format,
        dilation_rate,
    )
    torch_padding, extra, keep = _transpose_arguments(plan)
    # torch's conv_transpose weight is (in_channels, out_channels, spatial...).
    out = _TRANSPOSE[plan.rank](
        _channels_first(inputs, plan),
        _weight(kernel, plan.rank),
        None,
        plan.strides,
        torch_padding,
        extra,
        1,
        plan.dilation,
    )
    if any(k != slice(None) for k in keep):
        out = out[(slice(None), slice(None)) + keep]
    return _restore(out, plan)


def _widen(x):
    """x in a dtype with kernels, and the dtype to return to."""
    dtype = x.dtype
    return (x.to(torch.int64) if dtype in _WIDENED else x), dtype


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    x = core.convert_to_tensor(x)
    plan = rules.patch_plan("unfold", x.shape, kernel_size, dilation, padding, stride)
    if x.dtype.is_floating_point:
        return F.unfold(x, plan.kernel, plan.dilation, plan.padding, plan.stride)
    # No integer im2col kernel: the same columns from strided slices.
    x, dtype = _widen(x)
    (pad_h, pad_w), (kernel_h, kernel_w) = plan.padding, plan.kernel
    if pad_h or pad_w:
        x = F.pad(x, (pad_w, pad_w, pad_h, pad_h))
    slices = rules.offset_slices(plan.kernel, plan.dilation, plan.stride, plan.blocks)
    columns = torch.stack(
        [x[(slice(None), slice(None)) + rows_columns] for rows_columns in slices], 2
    )
    return columns.reshape(x.shape[0], x.shape[1] * kernel_h * kernel_w, -1).to(dtype)


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    x = core.convert_to_tensor(x)
    plan = rules.patch_plan("fold", x.shape, kernel_size, dilation, padding, stride, output_size)
    if x.dtype.is_floating_point:
        return F.fold(x, plan.image, plan.kernel, plan.dilation, plan.padding, plan.stride)
    # No integer col2im kernel: add the columns into strided slices.
    x, dtype = _widen(x)
    (height, width), (pad_h, pad_w) = plan.image, plan.padding
    per_block = plan.kernel[0] * plan.kernel[1]
    batch, channels = x.shape[0], x.shape[1] // per_block
    columns = x.reshape(batch, channels, per_block, *plan.blocks)
    shape = (batch, channels, height + 2 * pad_h, width + 2 * pad_w)
    out = torch.zeros(shape, dtype=x.dtype, device=x.device)
    slices = rules.offset_slices(plan.kernel, plan.dilation, plan.stride, plan.blocks)
    for index, rows_columns in enumerate(slices):
        out[(slice(None), slice(None)) + rows_columns] += columns[:, :, index]
    return out[:, :, pad_h : pad_h + height, pad_w : pad_w + width].to(dtype)

"""NumPy backend: convolution primitives, one matrix product per kernel offset.

NumPy has no convolution. A convolution here sums, over the kernel's offsets, the strided
slice of the padded input that each offset reads, multiplied by that offset's
(in_channels, out_channels) matrix: as many multiply-adds as the convolution itself, done by
BLAS, and no im2col copy of the input. A transposed convolution scatters the same products.
Half-precision inputs compute in float32 (NumPy has no fast float16 and no bfloat16 matmul).
"""

from __future__ import annotations

import numpy as np

from kfn.backends.common import convolution as rules
from kfn.backends.common import dtypes
from kfn.backends.numpy import core

_HALF = ("float16", "bfloat16")


def _float_operands(inputs, kernel):
    """The operands in the dtype to compute in, and the result dtype."""
    inputs, kernel = core.promote(inputs, kernel)
    result = dtypes.to_float(core.dtype(inputs))
    compute = "float32" if result in _HALF else result
    native = core.to_native_dtype(compute)
    return inputs.astype(native, copy=False), kernel.astype(native, copy=False), result


def _channels_last(x, plan):
    return x if plan.channels_last else np.moveaxis(x, 1, -1)


def _restore(out, plan, result):
    out = out if plan.channels_last else np.moveaxis(out, -1, 1)
    return out.astype(core.to_native_dtype(result), copy=False)


def _pad(x, pads):
    """Zero padding of the spatial axes of a channels-last x."""
    if any(before or after for before, after in pads):
        x = np.pad(x, ((0, 0), *pads, (0, 0)))
    return x


def _correlate(x, kernel, strides, dilation, groups):
    """A "valid" correlation of a padded channels-last x with kernel (window..., in/groups,
    out)."""
    rank = kernel.ndim - 2
    window = kernel.shape[:rank]
    counts = tuple(
        (n - rules.effective_size(k, d)) // s + 1
        for n, k, d, s in zip(x.shape[1:-1], window, dilation, strides)
    )
    slices = rules.offset_slices(window, dilation, strides, counts)
    per_group, out_channels = kernel.shape[-2:]
    if groups > 1 and per_group > 1:
        group_in, group_out = per_group, out_channels // groups
        return np.concatenate(
            [
                _correlate(
                    x[..., g * group_in : (g + 1) * group_in],
                    kernel[..., g * group_out : (g + 1) * group_out],
                    strides,
                    dilation,
                    1,
                )
                for g in range(groups)
            ],
            axis=-1,
        )
    out = None
    for offset, spatial in zip(np.ndindex(*window), slices):
        block = x[(slice(None),) + spatial]
        if groups == 1:
            term = block @ kernel[offset]
        else:  # one input channel per group (depthwise): a broadcast product
            term = block[..., None] * kernel[offset].reshape(groups, -1)
        out = term if out is None else out + term
    return out.reshape(out.shape[: rank + 1] + (out_channels,))


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel, result = _float_operands(inputs, kernel)
    plan = rules.conv_plan(
        "conv", inputs.shape, kernel.shape, strides, padding, data_format, dilation_rate
    )
    x = _pad(_channels_last(inputs, plan), plan.pads)
    return _restore(_correlate(x, kernel, plan.strides, plan.dilation, plan.groups), plan, result)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel, result = _float_operands(inputs, kernel)
    plan = rules.depthwise_plan(
        "depthwise_conv", inputs.shape, kernel.shape, strides, padding, data_format, dilation_rate
    )
    x = _pad(_channels_last(inputs, plan), plan.pads)
    grouped = kernel.reshape(kernel.shape[: plan.rank] + (1, -1))
    return _restore(_correlate(x, grouped, plan.strides, plan.dilation, plan.groups), plan, result)


def conv_transpose(
    inputs,
    kernel,
    strides=1,
    padding="valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    inputs, kernel, result = _float_operands(inputs, kernel)
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
    x = _channels_last(inputs, plan)
    window, spatial = kernel.shape[: plan.rank], x.shape[1:-1]
    # Input position i and kernel offset o land on i * stride + o * dilation of the full
    # transposed convolution; Keras's output is a window of it (zeros past its end).
    full = [
        max((n - 1) * s + rules.effective_size(k, d), crop + size)
        for n, k, s, d, crop, size in zip(
            spatial, window, plan.strides, plan.dilation, plan.crop, plan.sizes
        )
    ]
    out = np.zeros((x.shape[0], *full, kernel.shape[-2]), x.dtype)
    slices = rules.offset_slices(window, plan.dilation, plan.strides, spatial)
    for offset, positions in zip(np.ndindex(*window), slices):
        out[(slice(None),) + positions] += x @ kernel[offset].T
    keep = tuple(slice(crop, crop + size) for crop, size in zip(plan.crop, plan.sizes))
    return _restore(out[(slice(None),) + keep], plan, result)


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    x = core.convert_to_tensor(x)
    plan = rules.patch_plan("unfold", x.shape, kernel_size, dilation, padding, stride)
    (pad_h, pad_w), (kernel_h, kernel_w) = plan.padding, plan.kernel
    if pad_h or pad_w:
        x = np.pad(x, ((0, 0), (0, 0), (pad_h, pad_h), (pad_w, pad_w)))
    slices = rules.offset_slices(plan.kernel, plan.dilation, plan.stride, plan.blocks)
    columns = np.stack([x[(slice(None), slice(None)) + rows_columns] for rows_columns in slices], 2)
    return columns.reshape(x.shape[0], x.shape[1] * kernel_h * kernel_w, -1)


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    x = core.convert_to_tensor(x)
    plan = rules.patch_plan("fold", x.shape, kernel_size, dilation, padding, stride, output_size)
    (height, width), (pad_h, pad_w) = plan.image, plan.padding
    per_block = plan.kernel[0] * plan.kernel[1]
    batch, channels = x.shape[0], x.shape[1] // per_block
    columns = x.reshape(batch, channels, per_block, *plan.blocks)
    out = np.zeros((batch, channels, height + 2 * pad_h, width + 2 * pad_w), x.dtype)
    slices = rules.offset_slices(plan.kernel, plan.dilation, plan.stride, plan.blocks)
    for index, rows_columns in enumerate(slices):
        out[(slice(None), slice(None)) + rows_columns] += columns[:, :, index]
    return out[:, :, pad_h : pad_h + height, pad_w : pad_w + width]

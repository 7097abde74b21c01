"""JAX backend: convolution primitives (lax.conv_general_dilated; unfold/fold as slices)."""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp

from kfn.backends.common import convolution as rules
from kfn.backends.common import dtypes
from kfn.backends.jax import core

_SPATIAL = {1: "W", 2: "HW", 3: "DHW"}


@functools.lru_cache(maxsize=32)
def _dimension_numbers(rank: int, channels_last: bool, kernel: str = "IO"):
    spatial = _SPATIAL[rank]
    layout = f"N{spatial}C" if channels_last else f"NC{spatial}"
    return layout, spatial + kernel, layout


def _float_operands(inputs, kernel):
    inputs, kernel = core.promote(inputs, kernel)
    if not jnp.issubdtype(inputs.dtype, jnp.inexact):
        target = core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(inputs.dtype)))
        inputs, kernel = inputs.astype(target), kernel.astype(target)
    return inputs, kernel


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_operands(inputs, kernel)
    plan = rules.conv_plan(
        "conv", inputs.shape, kernel.shape, strides, padding, data_format, dilation_rate
    )
    return jax.lax.conv_general_dilated(
        inputs,
        kernel,
        plan.strides,
        plan.pads,
        rhs_dilation=plan.dilation,
        dimension_numbers=_dimension_numbers(plan.rank, plan.channels_last),
        feature_group_count=plan.groups,
    )


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_operands(inputs, kernel)
    plan = rules.depthwise_plan(
        "depthwise_conv", inputs.shape, kernel.shape, strides, padding, data_format, dilation_rate
    )
    # One group per input channel: (spatial..., 1, channels * multiplier).
    grouped = kernel.reshape(kernel.shape[: plan.rank] + (1, -1))
    return jax.lax.conv_general_dilated(
        inputs,
        grouped,
        plan.strides,
        plan.pads,
        rhs_dilation=plan.dilation,
        dimension_numbers=_dimension_numbers(plan.rank, plan.channels_last),
        feature_group_count=plan.groups,
    )


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
    # A stride-1 correlation of the stride-dilated input with the flipped kernel, whose
    # (out_channels, in_channels) axes are read as (O, I): what XLA knows as a transposed conv.
    flipped = jnp.flip(kernel, axis=tuple(range(plan.rank)))
    pads, cut = _avoid_xla_swap_bug(plan, kernel.shape)
    out = jax.lax.conv_general_dilated(
        inputs,
        flipped,
        (1,) * plan.rank,
        pads,
        lhs_dilation=plan.strides,
        rhs_dilation=plan.dilation,
        dimension_numbers=_dimension_numbers(plan.rank, plan.channels_last, "OI"),
    )
    if cut:
        first = 1 if plan.channels_last else 2
        out = out[(slice(None),) * first + tuple(slice(0, -1) if c else slice(None) for c in cut)]
    return out


def _avoid_xla_swap_bug(plan, kernel_shape):
    """XLA's CPU compiler aborts the process (a failed check in its conv operand swapper)
    when an axis with kernel 2, stride 2, dilation 1 and no padding ("same" with
    output_padding=0) meets another whose kernel is larger than the input. Such axes get one
    element of padding at the end, cut off afterwards."""
    cut = tuple(
        k == 2 and s == 2 and d == 1 and pad == (0, 0)
        for k, s, d, pad in zip(kernel_shape, plan.strides, plan.dilation, plan.pads)
    )
    if not any(cut):
        return plan.pads, None
    return tuple((0, 1) if c else pad for c, pad in zip(cut, plan.pads)), cut


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    x = core.convert_to_tensor(x)
    plan = rules.patch_plan("unfold", x.shape, kernel_size, dilation, padding, stride)
    (pad_h, pad_w), (kernel_h, kernel_w) = plan.padding, plan.kernel
    if pad_h or pad_w:
        x = jnp.pad(x, ((0, 0), (0, 0), (pad_h, pad_h), (pad_w, pad_w)))
    # Strided slices, not conv_general_dilated_patches: exact for every dtype and precision.
    slices = rules.offset_slices(plan.kernel, plan.dilation, plan.stride, plan.blocks)
    columns = jnp.stack(
        [x[(slice(None), slice(None)) + rows_columns] for rows_columns in slices], 2
    )
    return columns.reshape(x.shape[0], x.shape[1] * kernel_h * kernel_w, -1)


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    x = core.convert_to_tensor(x)
    plan = rules.patch_plan("fold", x.shape, kernel_size, dilation, padding, stride, output_size)
    (height, width), (pad_h, pad_w) = plan.image, plan.padding
    per_block = plan.kernel[0] * plan.kernel[1]
    batch, channels = x.shape[0], x.shape[1] // per_block
    columns = x.reshape(batch, channels, per_block, *plan.blocks)
    out = jnp.zeros((batch, channels, height + 2 * pad_h, width + 2 * pad_w), x.dtype)
    slices = rules.offset_slices(plan.kernel, plan.dilation, plan.stride, plan.blocks)
    for index, rows_columns in enumerate(slices):
        out = out.at[(slice(None), slice(None)) + rows_columns].add(columns[:, :, index])
    return out[:, :, pad_h : pad_h + height, pad_w : pad_w + width]

"""JAX backend: convolution primitives (lax.conv_general_dilated)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kfn.backends.common import convolution as conv_rules
from kfn.backends.common import dtypes
from kfn.backends.jax import core

_SPATIAL = {1: "W", 2: "HW", 3: "DHW"}


def _float_pair(inputs, kernel):
    if (
        isinstance(inputs, jax.Array)
        and isinstance(kernel, jax.Array)
        and inputs.dtype == kernel.dtype
        and jnp.issubdtype(inputs.dtype, jnp.floating)
    ):
        return inputs, kernel  # the common case, kept cheap
    inputs, kernel = core.promote(inputs, kernel)
    target = core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(inputs.dtype)))
    return inputs.astype(target), kernel.astype(target)


def _dimension_numbers(rank, channels_last):
    spatial = _SPATIAL[rank]
    layout = f"N{spatial}C" if channels_last else f"NC{spatial}"
    return (layout, f"{spatial}IO", layout)


def _spatial_shape(inputs, rank, channels_last):
    return inputs.shape[1 : 1 + rank] if channels_last else inputs.shape[2:]


def _check_kernel(op, kernel, rank):
    if kernel.ndim != rank + 2:
        raise ValueError(
            f"kfn.ops.{op}: kernel must be {rank + 2}-D for {rank}-D convolution "
            f"(spatial..., in_channels, out_channels), got shape {tuple(kernel.shape)}"
        )


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_pair(inputs, kernel)
    rank, strides, padding, dilation = conv_rules.conv_arguments(
        "conv", inputs.ndim, strides, padding, dilation_rate
    )
    _check_kernel("conv", kernel, rank)
    channels_last = conv_rules.data_format(data_format) == "channels_last"
    channels = inputs.shape[-1] if channels_last else inputs.shape[1]
    groups = conv_rules.check_channels("conv", channels, kernel.shape[-2])
    pads = conv_rules.padding_pairs(
        _spatial_shape(inputs, rank, channels_last), kernel.shape[:rank], strides, dilation, padding
    )
    return jax.lax.conv_general_dilated(
        inputs,
        kernel,
        window_strides=strides,
        padding=pads,
        rhs_dilation=dilation,
        dimension_numbers=_dimension_numbers(rank, channels_last),
        feature_group_count=groups,
    )


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_pair(inputs, kernel)
    rank = conv_rules.spatial_rank(inputs.ndim, "depthwise_conv")
    _check_kernel("depthwise_conv", kernel, rank)
    channels_last = conv_rules.data_format(data_format) == "channels_last"
    channels = inputs.shape[-1] if channels_last else inputs.shape[1]
    if kernel.shape[-2] != channels:
        raise ValueError(
            f"kfn.ops.depthwise_conv: the kernel's input channels ({kernel.shape[-2]}) must equal "
            f"the input channels ({channels})"
        )
    # One group per input channel: (spatial..., 1, channels * multiplier).
    grouped = kernel.reshape(kernel.shape[:rank] + (1, -1))
    return conv(inputs, grouped, strides, padding, data_format, dilation_rate)


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
    channels_last = conv_rules.data_format(data_format) == "channels_last"
    output_padding = conv_rules.output_padding_tuple(output_padding, rank)
    pads = [
        conv_rules.transpose_padding(k, s, d, padding, p)
        for k, s, d, p in zip(kernel.shape[:rank], strides, dilation, output_padding)
    ]
    # The transpose of a convolution: correlate the stride-dilated input with the flipped
    # kernel, its (out, in) channels swapped.
    forward = jnp.flip(jnp.swapaxes(kernel, -1, -2), axis=tuple(range(rank)))
    return jax.lax.conv_general_dilated(
        inputs,
        forward,
        window_strides=(1,) * rank,
        padding=pads,
        lhs_dilation=strides,
        rhs_dilation=dilation,
        dimension_numbers=_dimension_numbers(rank, channels_last),
    )

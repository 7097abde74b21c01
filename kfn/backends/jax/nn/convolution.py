"""JAX backend: convolution primitives (lax.conv_general_dilated)."""

from __future__ import annotations

import functools

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


@functools.lru_cache(maxsize=32)
def _dimension_numbers(rank, channels_last):
    spatial = _SPATIAL[rank]
    layout = f"N{spatial}C" if channels_last else f"NC{spatial}"
    return (layout, f"{spatial}IO", layout)


def _convolve(inputs, kernel, arguments, channels_last):
    return jax.lax.conv_general_dilated(
        inputs,
        kernel,
        window_strides=arguments.strides,
        padding=arguments.pads,
        rhs_dilation=arguments.dilation,
        dimension_numbers=_dimension_numbers(arguments.rank, channels_last),
        feature_group_count=arguments.groups,
    )


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_pair(inputs, kernel)
    channels_last = conv_rules.channels_last(data_format, "conv")
    arguments = conv_rules.conv_arguments(
        "conv", inputs.shape, kernel.shape, strides, padding, channels_last, dilation_rate
    )
    return _convolve(inputs, kernel, arguments, channels_last)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_pair(inputs, kernel)
    channels_last = conv_rules.channels_last(data_format, "depthwise_conv")
    arguments = conv_rules.depthwise_arguments(
        "depthwise_conv", inputs.shape, kernel.shape, strides, padding, channels_last, dilation_rate
    )
    # One group per input channel: (spatial..., 1, channels * multiplier).
    grouped = kernel.reshape(kernel.shape[: arguments.rank] + (1, -1))
    return _convolve(inputs, grouped, arguments, channels_last)


@functools.lru_cache(maxsize=256)
def _xla_safe_pads(kernel_spatial, strides, dilation, pads):
    """XLA's CPU compiler aborts the process (a failed check after it swaps the operands of a
    convolution whose kernel is larger than its input) when another axis has kernel 2, stride
    2, dilation 1 and no padding ("same" with output_padding=0). Such axes get one element of
    padding at the end, cut off afterwards. Returns (pads, the axes to cut)."""
    cut = tuple(
        k == 2 and s == 2 and d == 1 and pad == (0, 0)
        for k, s, d, pad in zip(kernel_spatial, strides, dilation, pads)
    )
    if len(pads) == 1 or not any(cut):
        return pads, None
    return tuple((0, 1) if c else pad for c, pad in zip(cut, pads)), cut


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
    pads, cut = _xla_safe_pads(
        kernel.shape[:rank], arguments.strides, arguments.dilation, arguments.pads
    )
    # The transpose of a convolution: correlate the stride-dilated input with the flipped
    # kernel, its (out, in) channels swapped.
    forward = jnp.flip(jnp.swapaxes(kernel, -1, -2), axis=tuple(range(rank)))
    out = jax.lax.conv_general_dilated(
        inputs,
        forward,
        window_strides=(1,) * rank,
        padding=pads,
        lhs_dilation=arguments.strides,
        rhs_dilation=arguments.dilation,
        dimension_numbers=_dimension_numbers(rank, channels_last),
    )
    if cut is not None:
        lead = (slice(None),) * (1 if channels_last else 2)
        out = out[lead + tuple(slice(0, -1) if c else slice(None) for c in cut)]
    return out

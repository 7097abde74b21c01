"""JAX backend: pooling primitives (lax.reduce_window)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kfn.backends.common import convolution as conv_rules
from kfn.backends.common import dtypes
from kfn.backends.jax import core


def _window(inputs, rank, channels_last, pool_size, strides, pads):
    """reduce_window's window, strides and padding over the full (batch, ..., channels) shape."""
    if channels_last:
        return (1, *pool_size, 1), (1, *strides, 1), [(0, 0), *pads, (0, 0)]
    return (1, 1, *pool_size), (1, 1, *strides), [(0, 0), (0, 0), *pads]


def _prepare(op, inputs, pool_size, strides, padding, data_format):
    inputs = core.convert_to_tensor(inputs)
    rank, pool_size, strides, padding = conv_rules.pool_arguments(
        op, inputs.ndim, pool_size, strides, padding
    )
    channels_last = conv_rules.data_format(data_format) == "channels_last"
    spatial = inputs.shape[1 : 1 + rank] if channels_last else inputs.shape[2:]
    pads = conv_rules.padding_pairs(spatial, pool_size, strides, (1,) * rank, padding)
    return inputs, _window(inputs, rank, channels_last, pool_size, strides, pads)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs, (window, steps, pads) = _prepare(
        "max_pool", inputs, pool_size, strides, padding, data_format
    )
    lowest = jnp.array(
        -jnp.inf if jnp.issubdtype(inputs.dtype, jnp.floating) else jnp.iinfo(inputs.dtype).min,
        inputs.dtype,
    )
    return jax.lax.reduce_window(inputs, lowest, jax.lax.max, window, steps, pads)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = core.convert_to_tensor(inputs)
    inputs = inputs.astype(
        core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(inputs.dtype)))
    )
    inputs, (window, steps, pads) = _prepare(
        "average_pool", inputs, pool_size, strides, padding, data_format
    )
    zero = jnp.array(0, inputs.dtype)
    total = jax.lax.reduce_window(inputs, zero, jax.lax.add, window, steps, pads)
    # Padded positions do not count toward the average.
    ones = jnp.ones(inputs.shape, inputs.dtype)
    count = jax.lax.reduce_window(ones, zero, jax.lax.add, window, steps, pads)
    return total / count

"""JAX backend: pooling primitives (lax.reduce_window; adaptive pooling as reshapes or
gathers)."""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np

from kfn.backends.common import convolution as conv_rules
from kfn.backends.common import dtypes
from kfn.backends.jax import core


def _window(rank, channels_last, arguments):
    """reduce_window's window, strides and padding over the full (batch, ..., channels) shape."""
    pool_size, strides, pads = arguments.pool_size, arguments.strides, arguments.pads
    if channels_last:
        return (1, *pool_size, 1), (1, *strides, 1), ((0, 0), *pads, (0, 0))
    return (1, 1, *pool_size), (1, 1, *strides), ((0, 0), (0, 0), *pads)


def _lowest(dtype):
    """The identity of max (reduce_window recognizes it and differentiates the max)."""
    if dtype == jnp.bool_:
        return np.array(False)
    if jnp.issubdtype(dtype, jnp.integer):
        return np.array(jnp.iinfo(dtype).min, dtype)
    return np.array(-np.inf, dtype)


def _to_float(inputs):
    inputs = core.convert_to_tensor(inputs)
    if jnp.issubdtype(inputs.dtype, jnp.floating):
        return inputs
    return inputs.astype(
        core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(inputs.dtype)))
    )


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = core.convert_to_tensor(inputs)
    channels_last = conv_rules.channels_last(data_format, "max_pool")
    arguments = conv_rules.pool_arguments(
        "max_pool", inputs.shape, pool_size, strides, padding, channels_last
    )
    window, steps, pads = _window(arguments.rank, channels_last, arguments)
    return jax.lax.reduce_window(inputs, _lowest(inputs.dtype), jax.lax.max, window, steps, pads)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = _to_float(inputs)
    channels_last = conv_rules.channels_last(data_format, "average_pool")
    arguments = conv_rules.pool_arguments(
        "average_pool", inputs.shape, pool_size, strides, padding, channels_last
    )
    window, steps, pads = _window(arguments.rank, channels_last, arguments)
    zero = np.array(0, inputs.dtype)
    total = jax.lax.reduce_window(inputs, zero, jax.lax.add, window, steps, pads)
    if arguments.padding == "valid":
        return total / np.array(math.prod(arguments.pool_size), inputs.dtype)
    # Padded positions do not count toward the average.
    spatial = inputs.shape[1:-1] if channels_last else inputs.shape[2:]
    counts = conv_rules.window_counts(
        spatial, arguments.pool_size, arguments.strides, arguments.pads
    )
    counts = counts[..., None] if channels_last else counts
    return total / counts.astype(inputs.dtype)


@functools.partial(jax.jit, static_argnums=(1, 2, 3))
def _adaptive(x, output_size, channels_last, average):
    """Pool each spatial axis in turn: a reshape when the windows tile the axis, else a gather
    of every window (short ones repeat an index, weighted 0 in the average). Compiled as one
    program: eager, one dispatch instead of several ops per axis."""
    op = "adaptive_average_pool" if average else "adaptive_max_pool"
    arguments = conv_rules.adaptive_arguments(op, x.shape, output_size, channels_last)
    for axis, windows in zip(arguments.axes, arguments.windows):
        if windows.width:
            tiled = x.reshape(x.shape[:axis] + (windows.out, windows.width) + x.shape[axis + 1 :])
            x = jnp.mean(tiled, axis + 1) if average else jnp.max(tiled, axis + 1)
            continue
        gathered = jnp.take(x, windows.index, axis=axis, mode="clip")  # (..., out, widest, ...)
        if average:
            weights = windows.weights.reshape(windows.weights.shape + (1,) * (x.ndim - axis - 1))
            x = jnp.sum(gathered * weights.astype(x.dtype), axis + 1)
        else:
            x = jnp.max(gathered, axis + 1)
    return x


def _sizes(arguments):
    return tuple(windows.out for windows in arguments.windows)


def adaptive_average_pool(inputs, output_size, data_format=None):
    inputs = _to_float(inputs)
    channels_last = conv_rules.channels_last(data_format, "adaptive_average_pool")
    arguments = conv_rules.adaptive_arguments(
        "adaptive_average_pool", inputs.shape, output_size, channels_last
    )
    return _adaptive(inputs, _sizes(arguments), channels_last, True)


def adaptive_max_pool(inputs, output_size, data_format=None):
    inputs = core.convert_to_tensor(inputs)
    channels_last = conv_rules.channels_last(data_format, "adaptive_max_pool")
    arguments = conv_rules.adaptive_arguments(
        "adaptive_max_pool", inputs.shape, output_size, channels_last
    )
    return _adaptive(inputs, _sizes(arguments), channels_last, False)

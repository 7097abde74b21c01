"""JAX backend: pooling primitives (lax.reduce_window; adaptive pooling as a matrix product
and a gather)."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from kfn.backends.common import convolution as rules
from kfn.backends.common import dtypes
from kfn.backends.jax import core


def _window(plan):
    """reduce_window's window, strides and padding over the whole (batch, ..., channels)."""
    if plan.channels_last:
        return (1, *plan.pool_size, 1), (1, *plan.strides, 1), ((0, 0), *plan.pads, (0, 0))
    return (1, 1, *plan.pool_size), (1, 1, *plan.strides), ((0, 0), (0, 0), *plan.pads)


def _spatial_shape(x, plan):
    return x.shape[1:-1] if plan.channels_last else x.shape[2:]


def _to_float(inputs):
    inputs = core.convert_to_tensor(inputs)
    if jnp.issubdtype(inputs.dtype, jnp.inexact):
        return inputs
    return inputs.astype(core.to_native_dtype(dtypes.to_float(core.dtype(inputs))))


def _lowest(dtype):
    """The identity of max: reduce_window recognizes it and uses its differentiable max."""
    if dtype == jnp.bool_:
        return np.array(False)
    if jnp.issubdtype(dtype, jnp.integer):
        return np.array(jnp.iinfo(dtype).min, dtype)
    return np.array(-np.inf, dtype)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = core.convert_to_tensor(inputs)
    plan = rules.pool_plan("max_pool", inputs.shape, pool_size, strides, padding, data_format)
    window, steps, pads = _window(plan)
    return jax.lax.reduce_window(inputs, _lowest(inputs.dtype), jax.lax.max, window, steps, pads)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = _to_float(inputs)
    plan = rules.pool_plan("average_pool", inputs.shape, pool_size, strides, padding, data_format)
    window, steps, pads = _window(plan)
    total = jax.lax.reduce_window(
        inputs, np.array(0, inputs.dtype), jax.lax.add, window, steps, pads
    )
    if not any(before or after for before, after in plan.pads):
        return total / np.array(math.prod(plan.pool_size), inputs.dtype)
    # Padded positions do not count toward the mean.
    counts = rules.window_counts(
        _spatial_shape(inputs, plan), plan.pool_size, plan.strides, plan.pads
    )
    counts = counts[..., None] if plan.channels_last else counts[None]
    return total / counts.astype(inputs.dtype)


def _compute_dtype(x):
    """Half precision averages accumulate in float32."""
    return jnp.float32 if x.dtype in (jnp.float16, jnp.bfloat16) else x.dtype


def adaptive_average_pool(inputs, output_size, data_format=None):
    inputs = _to_float(inputs)
    plan = rules.adaptive_plan("adaptive_average_pool", inputs.shape, output_size, data_format)
    x = inputs.astype(_compute_dtype(inputs))
    for axis, (starts, stops) in zip(plan.axes, plan.windows):
        weights = rules.adaptive_weights(x.shape[axis], starts, stops).astype(x.dtype)
        pooled = jnp.tensordot(x, weights, axes=(axis, 0), precision=jax.lax.Precision.HIGHEST)
        x = jnp.moveaxis(pooled, -1, axis)
    return x.astype(inputs.dtype)


def adaptive_max_pool(inputs, output_size, data_format=None):
    x = core.convert_to_tensor(inputs)
    plan = rules.adaptive_plan("adaptive_max_pool", x.shape, output_size, data_format)
    for axis, (starts, stops) in zip(plan.axes, plan.windows):
        index = rules.adaptive_gather(starts, stops)
        gathered = jnp.take(x, index, axis=axis)  # (..., out, widest window, ...)
        x = jnp.max(gathered, axis=axis + 1)
    return x

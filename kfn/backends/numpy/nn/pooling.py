"""NumPy backend: pooling primitives, reducing the strided slices each window offset reads
(one vectorized maximum or sum per offset); adaptive pooling as a matrix product and a
gather."""

from __future__ import annotations

import math

import numpy as np

from kfn.backends.common import convolution as rules
from kfn.backends.common import dtypes
from kfn.backends.numpy import core

_HALF = ("float16", "bfloat16")


def _spatial_shape(x, plan):
    return x.shape[1:-1] if plan.channels_last else x.shape[2:]


def _offset_blocks(x, plan, fill):
    """The padded x's strided slice for each window offset (each of the output's shape)."""
    leading = (slice(None),) if plan.channels_last else (slice(None), slice(None))
    if any(before or after for before, after in plan.pads):
        widths = (
            ((0, 0), *plan.pads, (0, 0)) if plan.channels_last else ((0, 0), (0, 0), *plan.pads)
        )
        x = np.pad(x, widths, constant_values=fill)
    counts = tuple(
        (n - k) // s + 1 for n, k, s in zip(_spatial_shape(x, plan), plan.pool_size, plan.strides)
    )
    slices = rules.offset_slices(plan.pool_size, (1,) * plan.rank, plan.strides, counts)
    return [x[leading + spatial] for spatial in slices]


def _lowest(dtype):
    if dtype == np.bool_:
        return False
    if np.issubdtype(dtype, np.integer):
        return np.iinfo(dtype).min
    return -np.inf


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = core.convert_to_tensor(inputs)
    plan = rules.pool_plan("max_pool", inputs.shape, pool_size, strides, padding, data_format)
    blocks = _offset_blocks(inputs, plan, _lowest(inputs.dtype))
    out = blocks[0].copy()
    for block in blocks[1:]:
        np.maximum(out, block, out=out)
    return out


def _to_float(inputs):
    """inputs as a float array to compute in (float32 for half precision), and the result
    dtype."""
    inputs = core.convert_to_tensor(inputs)
    result = dtypes.to_float(core.dtype(inputs))
    compute = "float32" if result in _HALF else result
    return inputs.astype(core.to_native_dtype(compute), copy=False), core.to_native_dtype(result)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, result = _to_float(inputs)
    plan = rules.pool_plan("average_pool", x.shape, pool_size, strides, padding, data_format)
    blocks = _offset_blocks(x, plan, 0)
    total = blocks[0].copy()
    for block in blocks[1:]:
        total += block
    if not any(before or after for before, after in plan.pads):
        return (total / math.prod(plan.pool_size)).astype(result, copy=False)
    # Padded positions do not count toward the mean.
    counts = rules.window_counts(_spatial_shape(x, plan), plan.pool_size, plan.strides, plan.pads)
    counts = counts[..., None] if plan.channels_last else counts[None]
    return (total / counts.astype(x.dtype)).astype(result, copy=False)


def adaptive_average_pool(inputs, output_size, data_format=None):
    x, result = _to_float(inputs)
    plan = rules.adaptive_plan("adaptive_average_pool", x.shape, output_size, data_format)
    for axis, (starts, stops) in zip(plan.axes, plan.windows):
        weights = rules.adaptive_weights(x.shape[axis], starts, stops).astype(x.dtype)
        x = np.moveaxis(np.tensordot(x, weights, axes=(axis, 0)), -1, axis)
    return x.astype(result, copy=False)


def adaptive_max_pool(inputs, output_size, data_format=None):
    x = core.convert_to_tensor(inputs)
    plan = rules.adaptive_plan("adaptive_max_pool", x.shape, output_size, data_format)
    for axis, (starts, stops) in zip(plan.axes, plan.windows):
        index = rules.adaptive_gather(starts, stops)
        gathered = np.take(x, index, axis=axis)  # (..., out, widest window, ...)
        x = np.max(gathered, axis=axis + 1)
    return x

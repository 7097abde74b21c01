"""TensorFlow backend: pooling primitives (tf.nn.max_pool / avg_pool, channels last).

TensorFlow's "SAME" padding is Keras's, and its average pooling leaves the padding out of the
mean. Its CPU kernels cover fewer dtypes than kfn: 3-D pooling has float32 and bfloat16 only
(float16 runs in float32), max pooling has no bool, uint32 or uint64. The rest reduce the
strided slice each window offset reads (exact for every dtype).
"""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf

from kfn.backends.common import convolution as rules
from kfn.backends.common import dtypes
from kfn.backends.tensorflow import core

_PADDING = {"valid": "VALID", "same": "SAME"}
_NATIVE_MAX = (
    tf.float16,
    tf.bfloat16,
    tf.float32,
    tf.float64,
    tf.int8,
    tf.int16,
    tf.int32,
    tf.int64,
    tf.uint8,
    tf.uint16,
)
_NATIVE_3D = (tf.bfloat16, tf.float32)


def _channels_last(x, plan):
    if plan.channels_last:
        return x
    return tf.transpose(x, [0, *range(2, plan.rank + 2), 1])


def _restore(out, plan):
    if plan.channels_last:
        return out
    return tf.transpose(out, [0, plan.rank + 1, *range(1, plan.rank + 1)])


def _native(pool, x, plan):
    """tf's pooling of a channels-last x; 3-D float16 computes in float32."""
    if plan.rank == 3 and x.dtype == tf.float16:
        return tf.cast(_native(pool, tf.cast(x, tf.float32), plan), tf.float16)
    return pool(x, plan.pool_size, plan.strides, _PADDING[plan.padding])


def _offset_blocks(x, plan, fill):
    """The padded channels-last x's strided slice for each window offset."""
    if any(before or after for before, after in plan.pads):
        x = tf.pad(x, [[0, 0], *map(list, plan.pads), [0, 0]], constant_values=fill)
    counts = [(n - k) // s + 1 for n, k, s in zip(x.shape[1:-1], plan.pool_size, plan.strides)]
    slices = rules.offset_slices(plan.pool_size, (1,) * plan.rank, plan.strides, tuple(counts))
    return [x[(slice(None),) + spatial] for spatial in slices]


def _lowest(dtype):
    if dtype.is_floating:
        return -np.inf
    return dtype.min


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = core.convert_to_tensor(inputs)
    plan = rules.pool_plan("max_pool", inputs.shape, pool_size, strides, padding, data_format)
    x = _channels_last(inputs, plan)
    dtype = x.dtype
    if dtype in (_NATIVE_3D + (tf.float16,) if plan.rank == 3 else _NATIVE_MAX):
        return _restore(_native(tf.nn.max_pool, x, plan), plan)
    if dtype == tf.bool:
        x = tf.cast(x, tf.uint8)
    blocks = _offset_blocks(x, plan, tf.constant(_lowest(x.dtype), x.dtype))
    out = blocks[0]
    for block in blocks[1:]:
        out = tf.maximum(out, block)
    return _restore(tf.cast(out, dtype), plan)


def _to_float(inputs):
    inputs = core.convert_to_tensor(inputs)
    if inputs.dtype.is_floating:
        return inputs
    return tf.cast(inputs, core.to_native_dtype(dtypes.to_float(core.dtype(inputs))))


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = _to_float(inputs)
    plan = rules.pool_plan("average_pool", inputs.shape, pool_size, strides, padding, data_format)
    x = _channels_last(inputs, plan)
    if plan.rank < 3 or x.dtype != tf.float64:
        return _restore(_native(tf.nn.avg_pool, x, plan), plan)
    # No float64 AvgPool3D on the CPU: sum the window offsets, divide by the real counts.
    blocks = _offset_blocks(x, plan, tf.constant(0, x.dtype))
    total = tf.add_n(blocks)
    if any(before or after for before, after in plan.pads):
        counts = rules.window_counts(tuple(x.shape[1:-1]), plan.pool_size, plan.strides, plan.pads)
        return _restore(total / counts[..., None], plan)
    return _restore(total / math.prod(plan.pool_size), plan)


def _compute_dtype(x):
    """Half precision averages accumulate in float32."""
    return tf.float32 if x.dtype in (tf.float16, tf.bfloat16) else x.dtype


def adaptive_average_pool(inputs, output_size, data_format=None):
    inputs = _to_float(inputs)
    plan = rules.adaptive_plan("adaptive_average_pool", inputs.shape, output_size, data_format)
    x = tf.cast(inputs, _compute_dtype(inputs))
    rank = len(x.shape)
    for axis, (starts, stops) in zip(plan.axes, plan.windows):
        weights = rules.adaptive_weights(x.shape[axis], starts, stops)
        pooled = tf.tensordot(x, tf.constant(weights, x.dtype), [[axis], [0]])
        x = tf.transpose(pooled, [*range(axis), rank - 1, *range(axis, rank - 1)])
    return tf.cast(x, inputs.dtype)


def adaptive_max_pool(inputs, output_size, data_format=None):
    x = core.convert_to_tensor(inputs)
    plan = rules.adaptive_plan("adaptive_max_pool", x.shape, output_size, data_format)
    dtype = x.dtype
    if dtype == tf.bool:
        x = tf.cast(x, tf.uint8)
    for axis, (starts, stops) in zip(plan.axes, plan.windows):
        index = rules.adaptive_gather(starts, stops)
        gathered = tf.gather(x, index, axis=axis)  # (..., out, widest window, ...)
        x = tf.reduce_max(gathered, axis=axis + 1)
    return tf.cast(x, dtype)

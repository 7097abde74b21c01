"""TensorFlow backend: pooling primitives (tf.nn.max_pool / avg_pool, channels-last).

TensorFlow's "SAME" padding is Keras's, and its average pooling leaves the padding out of the
mean. Its CPU kernels cover fewer dtypes than kfn: 3-D pooling has float32 and bfloat16 only
(float16 computes in float32), max pooling no bool, uint32 or uint64. The rest reduce the
strided slices that each window offset reads (exact for every dtype).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import tensorflow as tf

from kfn.backends.common import convolution as conv_rules
from kfn.backends.common import dtypes
from kfn.backends.tensorflow import core

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


def _prepare(op, inputs, pool_size, strides, padding, data_format):
    channels_last = conv_rules.channels_last(data_format, op)
    arguments = conv_rules.pool_arguments(
        op, inputs.shape, pool_size, strides, padding, channels_last
    )
    if channels_last:
        return inputs, arguments, lambda out: out
    rank = arguments.rank
    x = tf.transpose(inputs, [0, *range(2, rank + 2), 1])
    return x, arguments, lambda out: tf.transpose(out, [0, rank + 1, *range(1, rank + 1)])


def _native(fn, x, arguments):
    """TensorFlow's pooling of channels-last x; 3-D float16 computes in float32."""
    if arguments.rank == 3 and x.dtype == tf.float16:
        return tf.cast(_native(fn, tf.cast(x, tf.float32), arguments), tf.float16)
    return fn(x, arguments.pool_size, arguments.strides, arguments.padding.upper())


def _offset_slices(x, arguments, fill):
    """The padded channels-last x's strided slice for every window offset."""
    if arguments.padding == "same":
        x = tf.pad(x, [[0, 0], *map(list, arguments.pads), [0, 0]], constant_values=fill)
    counts = [
        (n - k) // s + 1 for n, k, s in zip(x.shape[1:-1], arguments.pool_size, arguments.strides)
    ]
    return [
        x[
            (slice(None),)
            + tuple(
                slice(o, o + (c - 1) * s + 1, s)
                for o, c, s in zip(offset, counts, arguments.strides)
            )
        ]
        for offset in itertools.product(*(range(k) for k in arguments.pool_size))
    ]


def _lowest(dtype):
    return -np.inf if dtype.is_floating else dtype.min


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = core.convert_to_tensor(inputs)
    x, arguments, restore = _prepare("max_pool", inputs, pool_size, strides, padding, data_format)
    dtype = x.dtype
    if dtype in ((*_NATIVE_3D, tf.float16) if arguments.rank == 3 else _NATIVE_MAX):
        return restore(_native(tf.nn.max_pool, x, arguments))
    if dtype == tf.bool:
        x = tf.cast(x, tf.uint8)
    slices = _offset_slices(x, arguments, tf.constant(_lowest(x.dtype), x.dtype))
    out = slices[0]
    for block in slices[1:]:
        out = tf.maximum(out, block)
    return restore(tf.cast(out, dtype))


def _to_float(inputs):
    inputs = core.convert_to_tensor(inputs)
    if inputs.dtype.is_floating:
        return inputs
    return tf.cast(
        inputs, core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(inputs.dtype)))
    )


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = _to_float(inputs)
    x, arguments, restore = _prepare(
        "average_pool", inputs, pool_size, strides, padding, data_format
    )
    if arguments.rank < 3 or x.dtype != tf.float64:
        return restore(_native(tf.nn.avg_pool, x, arguments))
    # No float64 AvgPool3D on the CPU: sum the window offsets, divide by the real counts.
    total = tf.add_n(_offset_slices(x, arguments, tf.constant(0, x.dtype)))
    if arguments.padding == "valid":
        return restore(total / math.prod(arguments.pool_size))
    counts = conv_rules.window_counts(
        tuple(x.shape[1:-1]), arguments.pool_size, arguments.strides, arguments.pads
    )
    return restore(total / counts[..., None])


def _adaptive(op, pool, inputs, output_size, data_format, average):
    channels_last = conv_rules.channels_last(data_format, op)
    arguments = conv_rules.adaptive_arguments(op, inputs.shape, output_size, channels_last)
    if all(windows.width for windows in arguments.windows):
        # Windows that tile every axis: a plain pooling, stride = window.
        widths = tuple(windows.width for windows in arguments.windows)
        return pool(
            inputs, widths, widths, "valid", "channels_last" if channels_last else "channels_first"
        )
    x = inputs
    dtype = x.dtype
    if dtype == tf.bool:
        x = tf.cast(x, tf.uint8)
    rank = x.shape.rank
    for axis, windows in zip(arguments.axes, arguments.windows):
        gathered = tf.gather(x, windows.index, axis=axis)  # (..., out, widest, ...)
        if average:
            weights = windows.weights.reshape(windows.weights.shape + (1,) * (rank - axis - 1))
            x = tf.reduce_sum(gathered * tf.constant(weights, x.dtype), axis + 1)
        else:
            x = tf.reduce_max(gathered, axis + 1)
    return tf.cast(x, dtype)


def adaptive_average_pool(inputs, output_size, data_format=None):
    inputs = _to_float(inputs)
    return _adaptive(
        "adaptive_average_pool", average_pool, inputs, output_size, data_format, average=True
    )


def adaptive_max_pool(inputs, output_size, data_format=None):
    inputs = core.convert_to_tensor(inputs)
    return _adaptive("adaptive_max_pool", max_pool, inputs, output_size, data_format, average=False)

"""TensorFlow backend: pooling primitives (tf.nn.max_pool / avg_pool, channels-last)."""

from __future__ import annotations

import tensorflow as tf

from kfn.backends.common import convolution as conv_rules
from kfn.backends.common import dtypes
from kfn.backends.tensorflow import core


def _pool(fn, op, inputs, pool_size, strides, padding, data_format):
    rank, pool_size, strides, padding = conv_rules.pool_arguments(
        op, inputs.shape.rank, pool_size, strides, padding
    )
    channels_last = conv_rules.data_format(data_format) == "channels_last"
    x = inputs if channels_last else tf.transpose(inputs, [0, *range(2, rank + 2), 1])
    # TensorFlow's SAME padding is Keras's; its average pooling leaves padding out of the mean.
    out = fn(x, ksize=pool_size, strides=strides, padding=padding.upper())
    return out if channels_last else tf.transpose(out, [0, rank + 1, *range(1, rank + 1)])


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = core.convert_to_tensor(inputs)
    dtype = inputs.dtype
    if dtype.is_integer:
        inputs = tf.cast(inputs, tf.float64)  # no integer pooling kernels; exact for int32
    return tf.cast(
        _pool(tf.nn.max_pool, "max_pool", inputs, pool_size, strides, padding, data_format), dtype
    )


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = core.convert_to_tensor(inputs)
    inputs = tf.cast(
        inputs, core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(inputs.dtype)))
    )
    return _pool(tf.nn.avg_pool, "average_pool", inputs, pool_size, strides, padding, data_format)

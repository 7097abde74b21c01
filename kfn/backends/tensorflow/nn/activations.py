"""TensorFlow backend: the activation primitives of kfn.ops.nn (tf.nn)."""

from __future__ import annotations

import tensorflow as tf

from kfn.backends.common import dtypes
from kfn.backends.tensorflow import core


def _float(x):
    x = core.convert_to_tensor(x)
    target = dtypes.to_float(dtypes.standardize_dtype(x.dtype))
    return tf.cast(x, core.to_native_dtype(target))


_NO_NEGATIVES = frozenset({tf.uint16, tf.uint32, tf.uint64, tf.bool})


def relu(x):
    x = core.convert_to_tensor(x)
    if x.dtype in _NO_NEGATIVES:
        return x  # nothing below zero
    return tf.nn.relu(x)


def leaky_relu(x, negative_slope=0.2):
    # Written out: tf.nn.leaky_relu rounds the slope to float32 even for float64 inputs.
    x = _float(x)
    return tf.where(x >= 0, x, x * tf.constant(negative_slope, x.dtype))


def elu(x, alpha=1.0):
    # Written with expm1: tf.nn.elu's exp(x) - 1 loses precision near zero.
    x = _float(x)
    return tf.where(x > 0, x, tf.constant(alpha, x.dtype) * tf.math.expm1(tf.minimum(x, 0)))


def sigmoid(x):
    return tf.sigmoid(_float(x))


def softplus(x):
    return tf.math.softplus(_float(x))


def silu(x):
    return tf.nn.silu(_float(x))


def gelu(x, approximate=True):
    # Written out: tf.nn.gelu keeps its constants in float32 even for float64 inputs.
    x = _float(x)
    if approximate:
        inner = tf.constant(0.7978845608028654, x.dtype) * (
            x + tf.constant(0.044715, x.dtype) * x * x * x
        )
        return 0.5 * x * (1 + tf.tanh(inner))
    return 0.5 * x * (1 + tf.math.erf(x * tf.constant(0.7071067811865476, x.dtype)))


def _over_axes(fn, x, axis):
    if isinstance(axis, int):
        return fn(x, axis=axis)
    # Several axes: a stable softmax written out (tf.nn.softmax takes one axis).
    axis = list(axis)
    shifted = x - tf.stop_gradient(tf.reduce_max(x, axis=axis, keepdims=True))
    if fn is tf.nn.softmax:
        e = tf.exp(shifted)
        return e / tf.reduce_sum(e, axis=axis, keepdims=True)
    return shifted - tf.math.log(tf.reduce_sum(tf.exp(shifted), axis=axis, keepdims=True))


def softmax(x, axis=-1):
    return _over_axes(tf.nn.softmax, _float(x), axis)


def log_softmax(x, axis=-1):
    return _over_axes(tf.nn.log_softmax, _float(x), axis)

"""TensorFlow backend: kfn.ops.numpy array creation, on the current device."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from kfn.backends.common import creation, dtypes
from kfn.backends.tensorflow import core


def _dtype(dtype):
    return core.to_native_dtype(dtypes.standardize_dtype(dtype))


def array(x, dtype=None):
    return core.convert_to_tensor(x, dtype)


def arange(start, stop=None, step=None, dtype=None):
    dtype = _dtype(creation.arange_dtype(start, stop, step, dtype))
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    if dtype.is_integer:
        return tf.cast(tf.range(start, stop, step, dtype=tf.int64), dtype)
    return tf.cast(tf.range(start, stop, step, dtype=tf.float64), dtype)


def zeros(shape, dtype=None):
    return tf.zeros(creation.shape_tuple("zeros", shape), dtype=_dtype(dtype))


def ones(shape, dtype=None):
    return tf.ones(creation.shape_tuple("ones", shape), dtype=_dtype(dtype))


def empty(shape, dtype=None):
    return tf.zeros(creation.shape_tuple("empty", shape), dtype=_dtype(dtype))


def full(shape, fill_value, dtype=None):
    shape = creation.shape_tuple("full", shape)
    return tf.broadcast_to(core.cast(fill_value, _dtype(dtype)), shape)


def zeros_like(x, dtype=None):
    x = core.convert_to_tensor(x)
    return tf.zeros_like(x, dtype=x.dtype if dtype is None else _dtype(dtype))


def ones_like(x, dtype=None):
    x = core.convert_to_tensor(x)
    return tf.ones_like(x, dtype=x.dtype if dtype is None else _dtype(dtype))


def empty_like(x, dtype=None):
    return zeros_like(x, dtype)


def full_like(x, fill_value, dtype=None):
    x = core.convert_to_tensor(x)
    target = x.dtype if dtype is None else _dtype(dtype)
    return tf.broadcast_to(core.cast(fill_value, target), tf.shape(x))


def eye(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    return tf.cast(tf.range(M)[None, :] - tf.range(N)[:, None] == k, _dtype(dtype))


def identity(n, dtype=None):
    return tf.eye(n, dtype=_dtype(dtype))


def tri(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    return tf.cast(tf.range(M)[None, :] - tf.range(N)[:, None] <= k, _dtype(dtype))


def _space(start, stop, num, endpoint, axis):
    """`num` evenly spaced float64 points between start and stop (tensors or numbers)."""
    start = tf.cast(core.convert_to_tensor(start), tf.float64)
    stop = tf.cast(core.convert_to_tensor(stop), tf.float64)
    divisor = (num - 1) if endpoint else num
    step = (stop - start) / max(divisor, 1)
    rank = max(start.shape.rank, stop.shape.rank)
    fractions = tf.reshape(tf.range(num, dtype=tf.float64), [num] + [1] * rank)
    values = start + fractions * step
    if endpoint and num > 1:
        values = tf.concat([values[:-1], tf.broadcast_to(stop, tf.shape(values[-1:]))[None][0]], 0)
    return tf.experimental.numpy.moveaxis(values, 0, axis), step


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = _dtype(creation.space_dtype(start, stop, dtype))
    values, step = _space(start, stop, num, endpoint, axis)
    values = tf.cast(values, dtype)
    return (values, tf.cast(step, dtype)) if retstep else values


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    dtype = _dtype(creation.space_dtype(start, stop, dtype))
    exponents, _ = _space(start, stop, num, endpoint, axis)
    return tf.cast(tf.pow(tf.constant(float(base), tf.float64), exponents), dtype)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    dtype = _dtype(creation.space_dtype(start, stop, dtype))
    start_t = tf.cast(core.convert_to_tensor(start), tf.float64)
    stop_t = tf.cast(core.convert_to_tensor(stop), tf.float64)
    log10 = tf.math.log(tf.constant(10.0, tf.float64))
    exponents, _ = _space(
        tf.math.log(start_t) / log10, tf.math.log(stop_t) / log10, num, endpoint, 0
    )
    values = tf.pow(tf.constant(10.0, tf.float64), exponents)
    # Exact ends, as NumPy.
    values = tf.concat([tf.broadcast_to(start_t, tf.shape(values[:1])), values[1:]], 0)
    if endpoint and num > 1:
        values = tf.concat([values[:-1], tf.broadcast_to(stop_t, tf.shape(values[-1:]))], 0)
    return tf.cast(tf.experimental.numpy.moveaxis(values, 0, axis), dtype)


def meshgrid(*x, indexing="xy"):
    return tf.meshgrid(*(core.convert_to_tensor(v) for v in x), indexing=indexing)


def vander(x, N=None, increasing=False):
    x = core.convert_to_tensor(x)
    n = x.shape[0] if N is None else N
    powers = tf.range(n) if increasing else tf.range(n - 1, -1, -1)
    compute = tf.int64 if x.dtype.is_integer else x.dtype
    return tf.cast(tf.pow(tf.cast(x, compute)[:, None], tf.cast(powers, compute)[None, :]), x.dtype)


def _window(numpy_window, x, *args):
    # Windows are constants of the length: NumPy computes them, exactly as NumPy defines them.
    return tf.constant(np.asarray(numpy_window(x, *args)), dtype=_dtype(None))


def bartlett(x):
    return _window(np.bartlett, x)


def blackman(x):
    return _window(np.blackman, x)


def hamming(x):
    return _window(np.hamming, x)


def hanning(x):
    return _window(np.hanning, x)


def kaiser(x, beta):
    return _window(np.kaiser, x, beta)

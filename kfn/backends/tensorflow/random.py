"""TensorFlow backend: stateless random numbers from uint32[2] keys (tf.random.stateless_*)."""

from __future__ import annotations

import tensorflow as tf

from kfn.backends.tensorflow import core


def _seed(key):
    return tf.cast(core.convert_to_tensor(key), "int64")


def split(key, num):
    return tf.random.stateless_uniform(
        [num, 2], seed=_seed(key), minval=None, maxval=None, dtype=tf.uint32
    )


def fold_in(key, data):
    folded = tf.random.experimental.stateless_fold_in(_seed(key), data)
    return tf.random.stateless_uniform([2], seed=folded, minval=None, maxval=None, dtype=tf.uint32)


def normal(key, shape, mean, stddev, dtype):
    native = core.to_native_dtype(dtype)
    return tf.random.stateless_normal(
        tuple(shape), seed=_seed(key), mean=mean, stddev=stddev, dtype=native
    )


def uniform(key, shape, minval, maxval, dtype):
    native = core.to_native_dtype(dtype)
    return tf.random.stateless_uniform(
        tuple(shape), seed=_seed(key), minval=minval, maxval=maxval, dtype=native
    )


def truncated_normal(key, shape, mean, stddev, dtype):
    native = core.to_native_dtype(dtype)
    return tf.random.stateless_truncated_normal(
        tuple(shape), seed=_seed(key), mean=mean, stddev=stddev, dtype=native
    )


def randint(key, shape, minval, maxval, dtype):
    # stateless_uniform draws int32/int64 only; other integer types are cast from int64.
    sample = tf.random.stateless_uniform(
        tuple(shape), seed=_seed(key), minval=minval, maxval=maxval, dtype=tf.int64
    )
    return tf.cast(sample, core.to_native_dtype(dtype))


def gamma(key, shape, alpha, dtype):
    native = core.to_native_dtype(dtype)
    return tf.random.stateless_gamma(tuple(shape), seed=_seed(key), alpha=alpha, dtype=native)


def binomial(key, shape, counts, probabilities, dtype):
    native = core.to_native_dtype(dtype)
    sample = tf.random.stateless_binomial(
        tuple(shape),
        seed=_seed(key),
        counts=tf.cast(counts, "float64"),
        probs=tf.cast(probabilities, "float64"),
        output_dtype=tf.float64,
    )
    return tf.cast(sample, native)

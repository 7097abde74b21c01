"""The tensorflow backend: kfn.ops.math primitives (see kfn/ops/math.py for the documented signatures)."""

from __future__ import annotations

import tensorflow as tf

from kfn.backends.common import math as rules
from kfn.backends.tensorflow import core

# ---------------------------------------------------------------------------- segments

_SEGMENT_OPS = {
    "sum": tf.math.unsorted_segment_sum,
    "prod": tf.math.unsorted_segment_prod,
    "max": tf.math.unsorted_segment_max,
    "min": tf.math.unsorted_segment_min,
}


def _segment(reduction, data, segment_ids, num_segments):
    name = f"segment_{reduction}"
    data, segment_ids = core.convert_to_tensor(data), core.convert_to_tensor(segment_ids)
    rules.check_segments(
        name,
        tuple(data.shape),
        core.dtype(data),
        tuple(segment_ids.shape),
        core.dtype(segment_ids),
        num_segments,
    )
    segment_ids = tf.cast(segment_ids, tf.int64)
    if num_segments is None:
        # A tensor, so this also works inside tf.function.
        largest = tf.reduce_max(tf.concat([segment_ids, tf.constant([-1], tf.int64)], 0))
        num_segments = tf.maximum(largest + 1, 0)
    # TF drops negative ids but rejects ids >= num_segments: make those negative too.
    segment_ids = tf.where(segment_ids < num_segments, segment_ids, -1)
    out = _SEGMENT_OPS[reduction](data, segment_ids, num_segments)
    if reduction in ("max", "min"):
        # TF fills empty segments with the lowest/highest finite value; kfn uses -inf/+inf.
        rows = tf.ones_like(segment_ids, dtype=tf.int32)
        empty = tf.math.unsorted_segment_sum(rows, segment_ids, num_segments) == 0
        empty = tf.reshape(empty, [-1] + [1] * (data.shape.rank - 1))
        identity = rules.segment_identity(reduction, core.dtype(data))
        out = tf.where(empty, tf.constant(identity, dtype=data.dtype), out)
    return out


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment("sum", data, segment_ids, num_segments)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    return _segment("max", data, segment_ids, num_segments)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    return _segment("min", data, segment_ids, num_segments)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment("prod", data, segment_ids, num_segments)


# ---------------------------------------------------------------------------- fourier transforms


def _complex(name, x, rank):
    real, imag = rules.split_pair(name, x)
    real, imag = core.convert_to_tensor(real), core.convert_to_tensor(imag)
    dtype, compute = rules.pair_dtypes(
        name, tuple(real.shape), tuple(imag.shape), core.dtype(real), core.dtype(imag), rank
    )
    compute = core.to_native_dtype(compute)
    return tf.complex(tf.cast(real, compute), tf.cast(imag, compute)), dtype


def _pair(z, dtype):
    dtype = core.to_native_dtype(dtype)
    return tf.cast(tf.math.real(z), dtype), tf.cast(tf.math.imag(z), dtype)


def fft(x):
    z, dtype = _complex("fft", x, 1)
    return _pair(tf.signal.fft(z), dtype)


def fft2(x):
    z, dtype = _complex("fft2", x, 2)
    return _pair(tf.signal.fft2d(z), dtype)


def ifft2(x):
    z, dtype = _complex("ifft2", x, 2)
    return _pair(tf.signal.ifft2d(z), dtype)


def rfft(x, fft_length=None):
    x = core.convert_to_tensor(x)
    rules.check_fft_length("rfft", fft_length)
    if x.shape.rank == 0:
        raise ValueError("kfn.ops.rfft: x must have at least one axis, got a scalar")
    dtype, compute = rules.real_dtypes("rfft", core.dtype(x))
    n = None if fft_length is None else [fft_length]  # None: the length of the last axis
    z = tf.signal.rfft(tf.cast(x, core.to_native_dtype(compute)), fft_length=n)
    return _pair(z, dtype)


def irfft(x, fft_length=None):
    z, dtype = _complex("irfft", x, 1)
    n = rules.irfft_length(tuple(z.shape), fft_length)
    return tf.cast(tf.signal.irfft(z, fft_length=[n]), core.to_native_dtype(dtype))

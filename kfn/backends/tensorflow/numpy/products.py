"""TensorFlow backend: kfn.ops.numpy products (matmul, dot, einsum, ...) and correlation."""

from __future__ import annotations

import tensorflow as tf

from kfn.backends.common import creation, dtypes, shaping
from kfn.backends.tensorflow import core

# MatMul, Einsum and Conv have no kernels for these: compute in a wider type, cast back.
_COMPUTE_AS = {
    tf.int8: tf.int32,
    tf.int16: tf.int32,
    tf.uint8: tf.int32,
    tf.uint16: tf.int32,
    tf.uint32: tf.int64,
    tf.uint64: tf.int64,
    tf.bool: tf.int32,
}


def _pair(x1, x2):
    """The inputs in the dtype of their product (int8 x int8 accumulates in int32)."""
    if (
        isinstance(x1, tf.Tensor)
        and isinstance(x2, tf.Tensor)
        and x1.dtype is x2.dtype  # tf dtypes are interned
        and x1.dtype is not tf.int8
    ):
        return x1, x2  # the common case, kept cheap
    x1, x2 = core.convert_to_tensor(x1), core.convert_to_tensor(x2)
    target = core.to_native_dtype(
        creation.matmul_dtype(
            dtypes.standardize_dtype(x1.dtype), dtypes.standardize_dtype(x2.dtype)
        )
    )
    return tf.cast(x1, target), tf.cast(x2, target)


def _compute(fn, *xs):
    dtype = xs[0].dtype
    wide = _COMPUTE_AS.get(dtype)
    if wide is None:
        return fn(*xs)
    return tf.cast(fn(*(tf.cast(x, wide) for x in xs)), dtype)


def _matmul(a, b):
    # NumPy's rules for 1-D operands: promoted to a row / column and squeezed back.
    squeeze = []
    if a.shape.rank == 1:
        a, squeeze = a[None], squeeze + [-2]
    if b.shape.rank == 1:
        b, squeeze = b[:, None], squeeze + [-1]
    out = tf.matmul(a, b)
    return tf.squeeze(out, squeeze) if squeeze else out


def matmul(x1, x2):
    x1, x2 = _pair(x1, x2)
    return _compute(_matmul, x1, x2)


def dot(x1, x2):
    x1, x2 = _pair(x1, x2)
    if x1.shape.rank == 0 or x2.shape.rank == 0:
        return x1 * x2
    if x2.shape.rank == 1:
        return _compute(lambda a, b: tf.tensordot(a, b, axes=[[a.shape.rank - 1], [0]]), x1, x2)
    return _compute(
        lambda a, b: tf.tensordot(a, b, axes=[[a.shape.rank - 1], [b.shape.rank - 2]]), x1, x2
    )


def vdot(x1, x2):
    x1, x2 = _pair(x1, x2)
    a = tf.math.conj(x1) if x1.dtype.is_complex else x1
    return _compute(lambda a, b: tf.reduce_sum(tf.reshape(a, [-1]) * tf.reshape(b, [-1])), a, x2)


def inner(x1, x2):
    x1, x2 = _pair(x1, x2)
    if x1.shape.rank == 0 or x2.shape.rank == 0:
        return x1 * x2
    return _compute(
        lambda a, b: tf.tensordot(a, b, axes=[[a.shape.rank - 1], [b.shape.rank - 1]]), x1, x2
    )


def outer(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return _compute(lambda a, b: tf.reshape(a, [-1, 1]) * tf.reshape(b, [1, -1]), x1, x2)


def tensordot(x1, x2, axes=2):
    x1, x2 = _pair(x1, x2)
    if not isinstance(axes, int):
        axes = [[a] if isinstance(a, int) else list(a) for a in axes]
    return _compute(lambda a, b: tf.tensordot(a, b, axes=axes), x1, x2)


def einsum(subscripts, *operands, **kwargs):
    operands = [core.convert_to_tensor(x) for x in operands]
    names = [dtypes.standardize_dtype(x.dtype) for x in operands]
    target = "int32" if names and all(n == "int8" for n in names) else dtypes.result_type(*names)
    operands = [tf.cast(x, core.to_native_dtype(target)) for x in operands]
    subscripts = _explicit_output(subscripts.replace(" ", ""))
    return _compute(lambda *xs: tf.einsum(subscripts, *xs), *operands)


def _explicit_output(subscripts):
    # tf.einsum needs the output written out when broadcasting with "...": NumPy's implicit
    # output is "..." followed by the letters used once, in alphabetical order.
    if "->" in subscripts:
        return subscripts
    letters = [c for c in subscripts if c.isalpha()]
    once = sorted(c for c in set(letters) if letters.count(c) == 1)
    return subscripts + "->" + ("..." if "..." in subscripts else "") + "".join(once)


def kron(x1, x2):
    x1, x2 = core.promote(x1, x2)
    rank = max(x1.shape.rank, x2.shape.rank)
    a = tf.reshape(x1, [1] * (rank - x1.shape.rank) + x1.shape.as_list())
    b = tf.reshape(x2, [1] * (rank - x2.shape.rank) + x2.shape.as_list())
    # Interleave the axes: a on the even positions, b on the odd ones, then merge pairs.
    a_spread = tf.reshape(a, [d for n in a.shape.as_list() for d in (n, 1)])
    b_spread = tf.reshape(b, [d for n in b.shape.as_list() for d in (1, n)])
    product = _compute(tf.multiply, a_spread, b_spread)
    return tf.reshape(product, [m * n for m, n in zip(a.shape.as_list(), b.shape.as_list())])


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    x1, x2 = core.promote(x1, x2)
    if axis is not None:
        axisa = axisb = axisc = axis
    a = tf.experimental.numpy.moveaxis(x1, axisa, -1)
    b = tf.experimental.numpy.moveaxis(x2, axisb, -1)
    planar = a.shape[-1] == 2 and b.shape[-1] == 2
    # Two-component vectors are 3-vectors with z = 0, as in NumPy.
    if a.shape[-1] == 2:
        a = tf.pad(a, [[0, 0]] * (a.shape.rank - 1) + [[0, 1]])
    if b.shape[-1] == 2:
        b = tf.pad(b, [[0, 0]] * (b.shape.rank - 1) + [[0, 1]])
    a0, a1, a2 = tf.unstack(a, axis=-1)
    b0, b1, b2 = tf.unstack(b, axis=-1)
    if planar:
        return a0 * b1 - a1 * b0
    out = tf.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)
    return tf.experimental.numpy.moveaxis(out, -1, axisc)


def _float_pair(x1, x2):
    x1, x2 = core.promote(x1, x2)
    target = core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(x1.dtype)))
    return tf.cast(x1, target), tf.cast(x2, target)


def _full_convolution(a, v):
    # conv1d is a correlation: flip the kernel, pad both sides for the full output.
    m = v.shape[0]
    padded = tf.pad(a, [[m - 1, m - 1]])
    kernel = tf.reverse(v, [0])
    if a.dtype.is_complex:
        # No complex convolution kernel: expand (a_r + i a_i) * (k_r + i k_i).
        real = _conv(tf.math.real(padded), tf.math.real(kernel)) - _conv(
            tf.math.imag(padded), tf.math.imag(kernel)
        )
        imag = _conv(tf.math.real(padded), tf.math.imag(kernel)) + _conv(
            tf.math.imag(padded), tf.math.real(kernel)
        )
        return tf.complex(real, imag)
    return _conv(padded, kernel)


def _conv(signal, kernel):
    return tf.reshape(tf.nn.conv1d(signal[None, :, None], kernel[:, None, None], 1, "VALID"), [-1])


def convolve(x1, x2, mode="full"):
    x1, x2 = _float_pair(x1, x2)
    start, length = shaping.convolution_window(x1.shape[0], x2.shape[0], mode)
    return _full_convolution(x1, x2)[start : start + length]


def correlate(x1, x2, mode="valid"):
    x1, x2 = _float_pair(x1, x2)
    start, length = shaping.convolution_window(x1.shape[0], x2.shape[0], mode)
    kernel = tf.reverse(tf.math.conj(x2) if x2.dtype.is_complex else x2, [0])
    full = _full_convolution(x1, kernel)
    if x2.shape[0] > x1.shape[0]:
        # NumPy reverses the output when the second operand is the longer one.
        full = tf.reverse(full, [0])
    return full[start : start + length]

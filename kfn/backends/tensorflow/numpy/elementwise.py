"""TensorFlow backend: kfn.ops.numpy elementwise functions.

TensorFlow neither promotes dtypes nor has kernels for every dtype: inputs are promoted with
the shared table first, and integer types without a kernel are computed in int64 (or bool
through logical ops) and cast back.
"""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf

from kfn.backends.common import dtypes
from kfn.backends.tensorflow import core

_FLOATS = frozenset((tf.bfloat16, tf.float16, tf.float32, tf.float64))
_INEXACT = _FLOATS | frozenset((tf.complex64, tf.complex128))
# Integer types that many TensorFlow kernels (e.g. Maximum, FloorMod, Sign) lack on the CPU.
_NARROW_KERNELS = frozenset((tf.int8, tf.int16, tf.uint8, tf.uint16, tf.uint32, tf.uint64))


def _float(x):
    """`x` as a tensor; ints and bool become floatx (ops like sin return floats)."""
    x = core.convert_to_tensor(x)
    if x.dtype in _INEXACT:
        return x
    return tf.cast(x, core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(x.dtype))))


def _float_pair(x1, x2):
    x1, x2 = core.promote(x1, x2)
    if x1.dtype in _INEXACT:
        return x1, x2
    target = core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(x1.dtype)))
    return tf.cast(x1, target), tf.cast(x2, target)


def _wide(x):
    return tf.cast(x, tf.int64) if x.dtype in _NARROW_KERNELS else x


def _binary(fn, x1, x2):
    """fn on the promoted inputs, in the promoted dtype."""
    x1, x2 = core.promote(x1, x2)
    if x1.dtype in _NARROW_KERNELS:
        return tf.cast(fn(tf.cast(x1, tf.int64), tf.cast(x2, tf.int64)), x1.dtype)
    if x1.dtype is tf.bool:
        return tf.cast(fn(tf.cast(x1, tf.int32), tf.cast(x2, tf.int32)), tf.bool)
    return fn(x1, x2)


def _compare(fn, x1, x2):
    """fn, returning bool, on the promoted inputs."""
    x1, x2 = core.promote(x1, x2)
    if x1.dtype in _NARROW_KERNELS or x1.dtype is tf.bool:
        return fn(tf.cast(x1, tf.int64), tf.cast(x2, tf.int64))
    return fn(x1, x2)


def _unary(fn, x):
    x = core.convert_to_tensor(x)
    if x.dtype in _NARROW_KERNELS:
        return tf.cast(fn(tf.cast(x, tf.int64)), x.dtype)
    return fn(x)


def _integers(name, *xs):
    xs = core.promote(*xs)
    kind = dtypes.standardize_dtype(xs[0].dtype)
    if not (dtypes.is_int(kind) or kind == "bool"):
        raise TypeError(f"kfn.ops.{name}: needs integer or bool inputs, got {kind}")
    return xs


def _is_unsigned(dtype):
    return dtype in (tf.uint8, tf.uint16, tf.uint32, tf.uint64)


# ---------------------------------------------------------------------------- arithmetic


def add(x1, x2):
    x1, x2 = core.promote(x1, x2)
    if x1.dtype is tf.bool:
        return tf.logical_or(x1, x2)
    return tf.add(x1, x2)


def subtract(x1, x2):
    return _binary(tf.subtract, x1, x2)


def multiply(x1, x2):
    x1, x2 = core.promote(x1, x2)
    if x1.dtype == tf.bool:
        return tf.logical_and(x1, x2)
    return tf.multiply(x1, x2)


def divide(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return tf.divide(x1, x2)


def true_divide(x1, x2):
    return divide(x1, x2)


def divide_no_nan(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return tf.math.divide_no_nan(x1, x2)


def floor_divide(x1, x2):
    return _binary(tf.math.floordiv, x1, x2)


def mod(x1, x2):
    x1, x2 = core.promote(x1, x2)
    if x1.dtype == tf.bool:
        x1, x2 = tf.cast(x1, tf.int32), tf.cast(x2, tf.int32)
    return _binary(tf.math.floormod, x1, x2)


def fmod(x1, x2):
    return _binary(tf.truncatemod, x1, x2)


def power(x1, x2):
    return _binary(tf.pow, x1, x2)


def negative(x):
    return _unary(tf.negative, x)


def absolute(x):
    x = core.convert_to_tensor(x)
    if x.dtype == tf.bool or _is_unsigned(x.dtype):
        return x  # unsigned and bool values are their own absolute value
    return _unary(tf.abs, x)


def fabs(x):
    return tf.abs(_float(x))


def sign(x):
    x = core.convert_to_tensor(x)
    if x.dtype == tf.bool:
        return x
    return _unary(tf.sign, x)


def square(x):
    x = core.convert_to_tensor(x)
    if x.dtype == tf.bool:
        x = tf.cast(x, tf.int32)
    return _unary(tf.square, x)


def sqrt(x):
    return tf.sqrt(_float(x))


def rsqrt(x):
    return tf.math.rsqrt(_float(x))


def cbrt(x):
    x = _float(x)
    # No cube root kernel: the real root of |x|, with x's sign.
    return tf.sign(x) * tf.pow(tf.abs(x), tf.constant(1.0 / 3.0, x.dtype))


def reciprocal(x):
    return tf.math.reciprocal(_float(x))


def _nan_propagating(fn):
    def apply(x1, x2):
        out = fn(x1, x2)
        if x1.dtype not in _FLOATS:
            return out
        return tf.where(tf.math.is_nan(x1) | tf.math.is_nan(x2), tf.constant(np.nan, x1.dtype), out)

    return apply


def maximum(x1, x2):
    return _binary(_nan_propagating(tf.maximum), x1, x2)


def minimum(x1, x2):
    return _binary(_nan_propagating(tf.minimum), x1, x2)


def fmax(x1, x2):
    def apply(a, b):
        if a.dtype not in _FLOATS:
            return tf.maximum(a, b)
        return tf.where(tf.math.is_nan(a), b, tf.where(tf.math.is_nan(b), a, tf.maximum(a, b)))

    return _binary(apply, x1, x2)


def fmin(x1, x2):
    def apply(a, b):
        if a.dtype not in _FLOATS:
            return tf.minimum(a, b)
        return tf.where(tf.math.is_nan(a), b, tf.where(tf.math.is_nan(b), a, tf.minimum(a, b)))

    return _binary(apply, x1, x2)


def clip(x, x_min, x_max):
    x = core.convert_to_tensor(x)
    if x.dtype == tf.bool:
        x = tf.cast(x, tf.int32)
    low, high = core.cast(x_min, x.dtype), core.cast(x_max, x.dtype)
    if x.dtype in _NARROW_KERNELS:
        clipped = tf.clip_by_value(_wide(x), _wide(low), _wide(high))
        return tf.cast(clipped, x.dtype)
    return tf.clip_by_value(x, low, high)


def _gcd_int64(a, b):
    a, b = tf.abs(a), tf.abs(b)
    # Euclid's algorithm on every element at once, until every remainder is zero.
    _, result = tf.while_loop(
        lambda b, a: tf.reduce_any(b != 0),
        lambda b, a: (
            tf.where(b != 0, tf.math.floormod(a, tf.where(b != 0, b, 1)), 0),
            tf.where(b != 0, b, a),
        ),
        (b, a),
    )
    return result


def gcd(x1, x2):
    x1, x2 = _integers("gcd", x1, x2)
    a, b = tf.broadcast_to(x1, tf.broadcast_dynamic_shape(tf.shape(x1), tf.shape(x2))), x2
    b = tf.broadcast_to(b, tf.shape(a))
    return tf.cast(_gcd_int64(tf.cast(a, tf.int64), tf.cast(b, tf.int64)), x1.dtype)


def lcm(x1, x2):
    x1, x2 = _integers("lcm", x1, x2)
    a = tf.cast(
        tf.broadcast_to(x1, tf.broadcast_dynamic_shape(tf.shape(x1), tf.shape(x2))), tf.int64
    )
    b = tf.broadcast_to(tf.cast(x2, tf.int64), tf.shape(a))
    divisor = _gcd_int64(a, b)
    result = tf.abs(a * tf.math.floordiv(b, tf.where(divisor != 0, divisor, 1)))
    return tf.cast(tf.where(divisor != 0, result, 0), x1.dtype)


def heaviside(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    ones, zeros = tf.ones_like(x1), tf.zeros_like(x1)
    return tf.where(x1 > 0, ones, tf.where(x1 < 0, zeros, x2 + zeros))


def hypot(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    a, b = tf.abs(x1), tf.abs(x2)
    # Scale by the larger magnitude so the squares do not overflow.
    big, small = tf.maximum(a, b), tf.minimum(a, b)
    ratio = tf.math.divide_no_nan(small, big)
    result = big * tf.sqrt(1 + ratio * ratio)
    return tf.where(tf.math.is_inf(a) | tf.math.is_inf(b), tf.constant(np.inf, a.dtype), result)


def ldexp(x1, x2):
    x1 = _float(x1)
    x2 = core.convert_to_tensor(x2)
    if not dtypes.is_int(dtypes.standardize_dtype(x2.dtype)):
        raise TypeError(
            f"kfn.ops.ldexp: x2 must be an integer, got {dtypes.standardize_dtype(x2.dtype)}"
        )
    exponent = tf.cast(x2, tf.float64 if x1.dtype == tf.float64 else tf.float32)
    return tf.cast(
        tf.cast(x1, exponent.dtype) * tf.pow(tf.constant(2.0, exponent.dtype), exponent), x1.dtype
    )


def nextafter(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    if x1.dtype in (tf.float32, tf.float64):
        return tf.math.nextafter(x1, x2)
    return tf.cast(tf.math.nextafter(tf.cast(x1, tf.float32), tf.cast(x2, tf.float32)), x1.dtype)


def copy(x):
    return tf.identity(core.convert_to_tensor(x))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = core.convert_to_tensor(x)
    if x.dtype not in _FLOATS:
        return x
    info = np.finfo(dtypes.standardize_dtype(x.dtype)) if x.dtype != tf.bfloat16 else None
    largest = float(info.max) if info is not None else 3.3895313892515355e38
    posinf = largest if posinf is None else posinf
    neginf = -largest if neginf is None else neginf
    x = tf.where(tf.math.is_nan(x), core.cast(nan, x.dtype), x)
    x = tf.where(tf.math.is_inf(x) & (x > 0), core.cast(posinf, x.dtype), x)
    return tf.where(tf.math.is_inf(x) & (x < 0), core.cast(neginf, x.dtype), x)


# ---------------------------------------------------------------------------- rounding


def ceil(x):
    return tf.math.ceil(_float(x))


def floor(x):
    return tf.math.floor(_float(x))


def trunc(x):
    x = core.convert_to_tensor(x)
    if x.dtype in _INEXACT:
        return tf.where(x < 0, tf.math.ceil(x), tf.math.floor(x))
    return x


def round(x, decimals=0):
    x = core.convert_to_tensor(x)
    if x.dtype in _INEXACT:
        if decimals == 0:
            return tf.round(x)
        factor = tf.constant(10.0**decimals, x.dtype)
        return tf.round(x * factor) / factor
    if decimals >= 0:
        return x
    # Integers rounded to tens, hundreds, ...: half to even, in float64 then back.
    factor = 10.0 ** (-decimals)
    return tf.cast(tf.round(tf.cast(x, tf.float64) / factor) * factor, x.dtype)


# ---------------------------------------------------------------------------- exponents, logs


def exp(x):
    return tf.exp(_float(x))


def exp2(x):
    x = _float(x)
    return tf.pow(tf.constant(2.0, x.dtype), x)


def expm1(x):
    return tf.math.expm1(_float(x))


def log(x):
    return tf.math.log(_float(x))


def log2(x):
    x = _float(x)
    return tf.math.log(x) / tf.constant(math.log(2.0), x.dtype)


def log10(x):
    x = _float(x)
    return tf.math.log(x) / tf.constant(math.log(10.0), x.dtype)


def log1p(x):
    return tf.math.log1p(_float(x))


def _logaddexp_natural(a, b):
    big = tf.maximum(a, b)
    both_infinite_same = tf.math.is_inf(a) & tf.equal(a, b)
    result = big + tf.math.log1p(tf.exp(-tf.abs(a - b)))
    result = tf.where(both_infinite_same, a, result)
    return tf.where(tf.math.is_nan(a) | tf.math.is_nan(b), a + b, result)


def logaddexp(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return _logaddexp_natural(x1, x2)


def logaddexp2(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    ln2 = tf.constant(math.log(2.0), x1.dtype)
    return _logaddexp_natural(x1 * ln2, x2 * ln2) / ln2


# ---------------------------------------------------------------------------- trigonometry


def sin(x):
    return tf.sin(_float(x))


def cos(x):
    return tf.cos(_float(x))


def tan(x):
    return tf.tan(_float(x))


def arcsin(x):
    return tf.asin(_float(x))


def arccos(x):
    return tf.acos(_float(x))


def arctan(x):
    return tf.atan(_float(x))


def arctan2(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return tf.atan2(x1, x2)


def sinh(x):
    return tf.sinh(_float(x))


def cosh(x):
    return tf.cosh(_float(x))


def tanh(x):
    return tf.tanh(_float(x))


def arcsinh(x):
    return tf.asinh(_float(x))


def arccosh(x):
    return tf.acosh(_float(x))


def arctanh(x):
    return tf.atanh(_float(x))


def deg2rad(x):
    x = _float(x)
    return x * tf.constant(math.pi / 180.0, x.dtype)


def rad2deg(x):
    x = _float(x)
    return x * tf.constant(180.0 / math.pi, x.dtype)


def sinc(x):
    x = _float(x)
    scaled = x * tf.constant(math.pi, x.dtype)
    safe = tf.where(x == 0, tf.ones_like(scaled), scaled)
    return tf.where(x == 0, tf.ones_like(x), tf.sin(safe) / safe)


# ---------------------------------------------------------------------------- special functions


def i0(x):
    return tf.math.bessel_i0(_float(x))


def erf(x):
    return tf.math.erf(_float(x))


def erfc(x):
    return tf.math.erfc(_float(x))


def erfinv(x):
    return tf.math.erfinv(_float(x))


# ---------------------------------------------------------------------------- complex numbers


def real(x):
    x = core.convert_to_tensor(x)
    return tf.math.real(x) if x.dtype.is_complex else x


def imag(x):
    x = core.convert_to_tensor(x)
    return tf.math.imag(x) if x.dtype.is_complex else tf.zeros_like(x)


def conjugate(x):
    x = core.convert_to_tensor(x)
    return tf.math.conj(x) if x.dtype.is_complex else x


def angle(x):
    x = _float(x)
    if x.dtype.is_complex:
        return tf.math.angle(x)
    return tf.where(x < 0, tf.constant(math.pi, x.dtype), tf.zeros_like(x))


def isreal(x):
    x = core.convert_to_tensor(x)
    if x.dtype.is_complex:
        return tf.equal(tf.math.imag(x), 0)
    return tf.ones_like(x, dtype=tf.bool)


# ---------------------------------------------------------------------------- comparisons


def equal(x1, x2):
    return _compare(tf.equal, x1, x2)


def not_equal(x1, x2):
    return _compare(tf.not_equal, x1, x2)


def greater(x1, x2):
    return _compare(tf.greater, x1, x2)


def greater_equal(x1, x2):
    return _compare(tf.greater_equal, x1, x2)


def less(x1, x2):
    return _compare(tf.less, x1, x2)


def less_equal(x1, x2):
    return _compare(tf.less_equal, x1, x2)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = core.promote(x1, x2)
    if x1.dtype not in _INEXACT:
        return equal(x1, x2)
    close = tf.abs(x1 - x2) <= atol + rtol * tf.abs(x2)
    # Infinities are close only to themselves.
    infinite = tf.math.is_inf(x1) | tf.math.is_inf(x2)
    close = tf.where(infinite, tf.equal(x1, x2), close)
    if equal_nan:
        close = close | (tf.math.is_nan(x1) & tf.math.is_nan(x2))
    return close


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return tf.reduce_all(isclose(x1, x2, rtol, atol, equal_nan))


def isfinite(x):
    x = core.convert_to_tensor(x)
    if x.dtype not in _FLOATS:
        return tf.ones_like(x, dtype=tf.bool)
    return tf.math.is_finite(x)


def isinf(x):
    x = core.convert_to_tensor(x)
    if x.dtype not in _FLOATS:
        return tf.zeros_like(x, dtype=tf.bool)
    return tf.math.is_inf(x)


def isnan(x):
    x = core.convert_to_tensor(x)
    if x.dtype not in _FLOATS:
        return tf.zeros_like(x, dtype=tf.bool)
    return tf.math.is_nan(x)


def isneginf(x):
    x = core.convert_to_tensor(x)
    return isinf(x) & (x < 0) if x.dtype in _FLOATS else tf.zeros_like(x, dtype=tf.bool)


def isposinf(x):
    x = core.convert_to_tensor(x)
    return isinf(x) & (x > 0) if x.dtype in _FLOATS else tf.zeros_like(x, dtype=tf.bool)


def signbit(x):
    x = core.convert_to_tensor(x)
    if x.dtype == tf.bool or _is_unsigned(x.dtype):
        return tf.zeros_like(x, dtype=tf.bool)
    if x.dtype in _FLOATS:
        # The sign bit itself, so -0.0 and -nan count as negative.
        bits = {
            tf.float16: tf.int16,
            tf.bfloat16: tf.int16,
            tf.float32: tf.int32,
            tf.float64: tf.int64,
        }
        return tf.bitcast(x, bits[x.dtype]) < 0
    return x < 0


# ---------------------------------------------------------------------------- logic


def _truth(x):
    x = core.convert_to_tensor(x)
    return x if x.dtype == tf.bool else tf.not_equal(x, tf.zeros_like(x))


def logical_and(x1, x2):
    return tf.logical_and(_truth(x1), _truth(x2))


def logical_or(x1, x2):
    return tf.logical_or(_truth(x1), _truth(x2))


def logical_xor(x1, x2):
    return tf.math.logical_xor(_truth(x1), _truth(x2))


def logical_not(x):
    return tf.logical_not(_truth(x))


def where(condition, x1=None, x2=None):
    condition = _truth(condition)
    if x1 is None and x2 is None:
        indices = tf.cast(tf.where(condition), tf.int32)
        return tuple(tf.unstack(indices, num=len(condition.shape), axis=1))
    if x1 is None or x2 is None:
        raise ValueError("kfn.ops.where: give both x1 and x2, or neither")
    x1, x2 = core.promote(x1, x2)
    return tf.where(condition, x1, x2)


# ---------------------------------------------------------------------------- bitwise


def _bitwise(fn, logical, name, x, y):
    x, y = _integers(name, x, y)
    if x.dtype == tf.bool:
        return logical(x, y)
    return fn(x, y)


def bitwise_and(x, y):
    return _bitwise(tf.bitwise.bitwise_and, tf.logical_and, "bitwise_and", x, y)


def bitwise_or(x, y):
    return _bitwise(tf.bitwise.bitwise_or, tf.logical_or, "bitwise_or", x, y)


def bitwise_xor(x, y):
    return _bitwise(tf.bitwise.bitwise_xor, tf.math.logical_xor, "bitwise_xor", x, y)


def bitwise_invert(x):
    (x,) = _integers("bitwise_invert", x)
    if x.dtype == tf.bool:
        return tf.logical_not(x)
    return tf.bitwise.invert(x)


def bitwise_left_shift(x, y):
    x, y = _integers("bitwise_left_shift", x, y)
    return tf.bitwise.left_shift(x, y)


def bitwise_right_shift(x, y):
    x, y = _integers("bitwise_right_shift", x, y)
    return tf.bitwise.right_shift(x, y)

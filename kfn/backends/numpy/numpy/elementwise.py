"""NumPy backend: kfn.ops.numpy elementwise functions."""

from __future__ import annotations

import math

import numpy as np

from kfn.backends.common import dtypes
from kfn.backends.numpy import core

_INEXACT = frozenset(
    np.dtype(core.to_native_dtype(d))
    for d in ("bfloat16", "float16", "float32", "float64", "complex64", "complex128")
)


def _float(x):
    """`x` as a tensor; ints and bool become floatx (ops like sin return floats)."""
    x = core.convert_to_tensor(x)
    if x.dtype in _INEXACT:
        return x
    return x.astype(core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(x.dtype))))


def _float_pair(x1, x2):
    x1, x2 = core.promote(x1, x2)
    if x1.dtype in _INEXACT:
        return x1, x2
    target = core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(x1.dtype)))
    return x1.astype(target), x2.astype(target)


def _binary(fn, x1, x2):
    """fn on the promoted inputs, in the promoted dtype."""
    if type(x1) is np.ndarray and type(x2) is np.ndarray and x1.dtype == x2.dtype:
        return fn(x1, x2)  # the common case, kept cheap
    x1, x2 = core.promote(x1, x2)
    return fn(x1, x2)


def _integers(name, *xs):
    xs = core.promote(*xs)
    kind = dtypes.standardize_dtype(xs[0].dtype)
    if not (dtypes.is_int(kind) or kind == "bool"):
        raise TypeError(f"kfn.ops.{name}: needs integer or bool inputs, got {kind}")
    return xs


# ---------------------------------------------------------------------------- arithmetic


def add(x1, x2):
    return _binary(np.add, x1, x2)


def subtract(x1, x2):
    return _binary(np.subtract, x1, x2)


def multiply(x1, x2):
    return _binary(np.multiply, x1, x2)


def divide(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return np.divide(x1, x2)


def true_divide(x1, x2):
    return divide(x1, x2)


def divide_no_nan(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    zero = x2 == 0
    return np.where(zero, np.zeros_like(x1), x1 / np.where(zero, np.ones_like(x2), x2))


def floor_divide(x1, x2):
    return _binary(np.floor_divide, x1, x2)


def mod(x1, x2):
    x1, x2 = core.promote(x1, x2)
    if x1.dtype == np.bool_:
        x1, x2 = x1.astype("int32"), x2.astype("int32")
    return np.mod(x1, x2)


def fmod(x1, x2):
    return _binary(np.fmod, x1, x2)


def power(x1, x2):
    return _binary(np.power, x1, x2)


def negative(x):
    return np.negative(core.convert_to_tensor(x))


def absolute(x):
    return np.absolute(core.convert_to_tensor(x))


def fabs(x):
    return np.abs(_float(x))


def sign(x):
    return np.sign(core.convert_to_tensor(x))


def square(x):
    x = core.convert_to_tensor(x)
    if x.dtype == np.bool_:
        x = x.astype("int32")
    return np.square(x)


def sqrt(x):
    return np.sqrt(_float(x))


def rsqrt(x):
    x = _float(x)
    return np.asarray(1, x.dtype) / np.sqrt(x)


def cbrt(x):
    return np.cbrt(_float(x))


def reciprocal(x):
    return np.reciprocal(_float(x))


def maximum(x1, x2):
    return _binary(np.maximum, x1, x2)


def minimum(x1, x2):
    return _binary(np.minimum, x1, x2)


def fmax(x1, x2):
    return _binary(np.fmax, x1, x2)


def fmin(x1, x2):
    return _binary(np.fmin, x1, x2)


def clip(x, x_min, x_max):
    x = core.convert_to_tensor(x)
    if x.dtype == np.bool_:
        x = x.astype("int32")
    return np.clip(x, core.cast(x_min, x.dtype), core.cast(x_max, x.dtype))


def gcd(x1, x2):
    x1, x2 = _integers("gcd", x1, x2)
    return np.gcd(x1, x2)


def lcm(x1, x2):
    x1, x2 = _integers("lcm", x1, x2)
    return np.lcm(x1, x2)


def heaviside(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return np.heaviside(x1, x2)


def hypot(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return np.hypot(x1, x2)


def ldexp(x1, x2):
    x1 = _float(x1)
    x2 = core.convert_to_tensor(x2)
    return np.ldexp(x1, x2).astype(x1.dtype)


def nextafter(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return np.nextafter(x1, x2)


def copy(x):
    return np.array(core.convert_to_tensor(x), copy=True)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    return np.nan_to_num(core.convert_to_tensor(x), nan=nan, posinf=posinf, neginf=neginf)


# ---------------------------------------------------------------------------- rounding


def ceil(x):
    return np.ceil(_float(x))


def floor(x):
    return np.floor(_float(x))


def trunc(x):
    x = core.convert_to_tensor(x)
    if x.dtype in _INEXACT:
        return np.trunc(x)
    return x


def round(x, decimals=0):
    x = core.convert_to_tensor(x)
    if x.dtype in _INEXACT:
        return np.round(x, decimals)
    if decimals >= 0:
        return x
    # Integers rounded to tens, hundreds, ...: half to even, in float64 then back.
    factor = 10.0 ** (-decimals)
    return (np.round(x.astype("float64") / factor) * factor).astype(x.dtype)


# ---------------------------------------------------------------------------- exponents, logs


def exp(x):
    return np.exp(_float(x))


def exp2(x):
    return np.exp2(_float(x))


def expm1(x):
    return np.expm1(_float(x))


def log(x):
    return np.log(_float(x))


def log2(x):
    return np.log2(_float(x))


def log10(x):
    return np.log10(_float(x))


def log1p(x):
    return np.log1p(_float(x))


def logaddexp(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return np.logaddexp(x1, x2)


def logaddexp2(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return np.logaddexp2(x1, x2)


# ---------------------------------------------------------------------------- trigonometry


def sin(x):
    return np.sin(_float(x))


def cos(x):
    return np.cos(_float(x))


def tan(x):
    return np.tan(_float(x))


def arcsin(x):
    return np.arcsin(_float(x))


def arccos(x):
    return np.arccos(_float(x))


def arctan(x):
    return np.arctan(_float(x))


def arctan2(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return np.arctan2(x1, x2)


def sinh(x):
    return np.sinh(_float(x))


def cosh(x):
    return np.cosh(_float(x))


def tanh(x):
    return np.tanh(_float(x))


def arcsinh(x):
    return np.arcsinh(_float(x))


def arccosh(x):
    return np.arccosh(_float(x))


def arctanh(x):
    return np.arctanh(_float(x))


def deg2rad(x):
    return np.deg2rad(_float(x))


def rad2deg(x):
    return np.rad2deg(_float(x))


def sinc(x):
    return np.sinc(_float(x))


# ---------------------------------------------------------------------------- special functions


def i0(x):
    return np.i0(_float(x))


def erf(x):
    return _special("erf", _float(x))


def erfc(x):
    return _special("erfc", _float(x))


def erfinv(x):
    return _special("erfinv", _float(x))


def _special(name, x):
    # SciPy when installed; otherwise the math module element by element (NumPy has no erf).
    try:
        import scipy.special
    except ImportError:
        fn = {"erf": math.erf, "erfc": math.erfc, "erfinv": _erfinv_scalar}[name]
        return np.vectorize(fn, otypes=[x.dtype])(x)
    return getattr(scipy.special, name)(x).astype(x.dtype)


def _erfinv_scalar(y):
    if y <= -1 or y >= 1:
        return math.copysign(math.inf, y) if abs(y) == 1 else math.nan
    # Newton's method on erf(x) = y from a logarithmic first guess.
    w = -math.log((1.0 - y) * (1.0 + y))
    x = math.copysign(math.sqrt(max(w - math.log(w + 1e-300) / 2, 0.0)), y) if w > 0 else 0.0
    for _ in range(60):
        step = (math.erf(x) - y) / (2 / math.sqrt(math.pi) * math.exp(-x * x))
        x -= step
        if abs(step) < 1e-15 * max(1.0, abs(x)):
            break
    return x


# ---------------------------------------------------------------------------- complex numbers


def real(x):
    return np.real(core.convert_to_tensor(x))


def imag(x):
    return np.imag(core.convert_to_tensor(x))


def conjugate(x):
    return np.conjugate(core.convert_to_tensor(x))


def angle(x):
    return np.angle(_float(x))


def isreal(x):
    return np.isreal(core.convert_to_tensor(x))


# ---------------------------------------------------------------------------- comparisons


def equal(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return np.equal(x1, x2)


def not_equal(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return np.not_equal(x1, x2)


def greater(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return np.greater(x1, x2)


def greater_equal(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return np.greater_equal(x1, x2)


def less(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return np.less(x1, x2)


def less_equal(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return np.less_equal(x1, x2)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = core.promote(x1, x2)
    return np.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return np.all(isclose(x1, x2, rtol, atol, equal_nan))


def isfinite(x):
    return np.isfinite(core.convert_to_tensor(x))


def isinf(x):
    return np.isinf(core.convert_to_tensor(x))


def isnan(x):
    return np.isnan(core.convert_to_tensor(x))


def isneginf(x):
    return np.isneginf(core.convert_to_tensor(x))


def isposinf(x):
    return np.isposinf(core.convert_to_tensor(x))


def signbit(x):
    return np.signbit(core.convert_to_tensor(x))


# ---------------------------------------------------------------------------- logic


def logical_and(x1, x2):
    return np.logical_and(core.convert_to_tensor(x1), core.convert_to_tensor(x2))


def logical_or(x1, x2):
    return np.logical_or(core.convert_to_tensor(x1), core.convert_to_tensor(x2))


def logical_xor(x1, x2):
    return np.logical_xor(core.convert_to_tensor(x1), core.convert_to_tensor(x2))


def logical_not(x):
    return np.logical_not(core.convert_to_tensor(x))


def where(condition, x1=None, x2=None):
    condition = core.convert_to_tensor(condition).astype(bool)
    if x1 is None and x2 is None:
        return tuple(i.astype("int32") for i in np.nonzero(condition))
    if x1 is None or x2 is None:
        raise ValueError("kfn.ops.where: give both x1 and x2, or neither")
    x1, x2 = core.promote(x1, x2)
    return np.where(condition, x1, x2)


# ---------------------------------------------------------------------------- bitwise


def bitwise_and(x, y):
    x, y = _integers("bitwise_and", x, y)
    return np.bitwise_and(x, y)


def bitwise_or(x, y):
    x, y = _integers("bitwise_or", x, y)
    return np.bitwise_or(x, y)


def bitwise_xor(x, y):
    x, y = _integers("bitwise_xor", x, y)
    return np.bitwise_xor(x, y)


def bitwise_invert(x):
    (x,) = _integers("bitwise_invert", x)
    return np.invert(x)


def bitwise_left_shift(x, y):
    x, y = _integers("bitwise_left_shift", x, y)
    return np.left_shift(x, y)


def bitwise_right_shift(x, y):
    x, y = _integers("bitwise_right_shift", x, y)
    return np.right_shift(x, y)

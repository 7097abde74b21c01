"""JAX backend: kfn.ops.numpy elementwise functions."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import jax.scipy.special as jsp

from kfn.backends.common import dtypes
from kfn.backends.jax import core

_INEXACT = frozenset(
    jnp.dtype(d) for d in ("bfloat16", "float16", "float32", "float64", "complex64", "complex128")
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
    if isinstance(x1, jax.Array) and isinstance(x2, jax.Array) and x1.dtype == x2.dtype:
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
    return _binary(jnp.add, x1, x2)


def subtract(x1, x2):
    return _binary(jnp.subtract, x1, x2)


def multiply(x1, x2):
    return _binary(jnp.multiply, x1, x2)


def divide(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return jnp.divide(x1, x2)


def true_divide(x1, x2):
    return divide(x1, x2)


def divide_no_nan(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    zero = x2 == 0
    return jnp.where(zero, jnp.zeros_like(x1), x1 / jnp.where(zero, jnp.ones_like(x2), x2))


def floor_divide(x1, x2):
    return _binary(jnp.floor_divide, x1, x2)


def mod(x1, x2):
    x1, x2 = core.promote(x1, x2)
    if x1.dtype == jnp.bool_:
        x1, x2 = x1.astype("int32"), x2.astype("int32")
    return jnp.mod(x1, x2)


def fmod(x1, x2):
    return _binary(jnp.fmod, x1, x2)


def power(x1, x2):
    return _binary(jnp.power, x1, x2)


def negative(x):
    return jnp.negative(core.convert_to_tensor(x))


def absolute(x):
    return jnp.absolute(core.convert_to_tensor(x))


def fabs(x):
    return jnp.abs(_float(x))


def sign(x):
    return jnp.sign(core.convert_to_tensor(x))


def square(x):
    x = core.convert_to_tensor(x)
    if x.dtype == jnp.bool_:
        x = x.astype("int32")
    return jnp.square(x)


def sqrt(x):
    return jnp.sqrt(_float(x))


def rsqrt(x):
    return jax.lax.rsqrt(_float(x))


def cbrt(x):
    return jnp.cbrt(_float(x))


def reciprocal(x):
    return jnp.reciprocal(_float(x))


def maximum(x1, x2):
    return _binary(jnp.maximum, x1, x2)


def minimum(x1, x2):
    return _binary(jnp.minimum, x1, x2)


def fmax(x1, x2):
    return _binary(jnp.fmax, x1, x2)


def fmin(x1, x2):
    return _binary(jnp.fmin, x1, x2)


def clip(x, x_min, x_max):
    x = core.convert_to_tensor(x)
    if x.dtype == jnp.bool_:
        x = x.astype("int32")
    return jnp.clip(x, core.cast(x_min, x.dtype), core.cast(x_max, x.dtype))


def gcd(x1, x2):
    x1, x2 = _integers("gcd", x1, x2)
    return jnp.gcd(x1, x2)


def lcm(x1, x2):
    x1, x2 = _integers("lcm", x1, x2)
    return jnp.lcm(x1, x2)


def heaviside(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return jnp.heaviside(x1, x2)


def hypot(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return jnp.hypot(x1, x2)


def ldexp(x1, x2):
    x1 = _float(x1)
    x2 = core.convert_to_tensor(x2)
    return jnp.ldexp(x1, x2).astype(x1.dtype)


def nextafter(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return jnp.nextafter(x1, x2)


def copy(x):
    return jnp.array(core.convert_to_tensor(x), copy=True)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    return jnp.nan_to_num(core.convert_to_tensor(x), nan=nan, posinf=posinf, neginf=neginf)


# ---------------------------------------------------------------------------- rounding


def ceil(x):
    return jnp.ceil(_float(x))


def floor(x):
    return jnp.floor(_float(x))


def trunc(x):
    x = core.convert_to_tensor(x)
    if x.dtype in _INEXACT:
        return jnp.trunc(x)
    return x


def round(x, decimals=0):
    x = core.convert_to_tensor(x)
    if x.dtype in _INEXACT:
        return jnp.round(x, decimals)
    if decimals >= 0:
        return x
    # Integers rounded to tens, hundreds, ...: half to even, in float64 then back.
    factor = 10.0 ** (-decimals)
    return (jnp.round(x.astype("float64") / factor) * factor).astype(x.dtype)


# ---------------------------------------------------------------------------- exponents, logs


def exp(x):
    return jnp.exp(_float(x))


def exp2(x):
    return jnp.exp2(_float(x))


def expm1(x):
    return jnp.expm1(_float(x))


def log(x):
    return jnp.log(_float(x))


def log2(x):
    return jnp.log2(_float(x))


def log10(x):
    return jnp.log10(_float(x))


def log1p(x):
    return jnp.log1p(_float(x))


def logaddexp(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return jnp.logaddexp(x1, x2)


def logaddexp2(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return jnp.logaddexp2(x1, x2)


# ---------------------------------------------------------------------------- trigonometry


def sin(x):
    return jnp.sin(_float(x))


def cos(x):
    return jnp.cos(_float(x))


def tan(x):
    return jnp.tan(_float(x))


def arcsin(x):
    return jnp.arcsin(_float(x))


def arccos(x):
    return jnp.arccos(_float(x))


def arctan(x):
    return jnp.arctan(_float(x))


def arctan2(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return jnp.arctan2(x1, x2)


def sinh(x):
    return jnp.sinh(_float(x))


def cosh(x):
    return jnp.cosh(_float(x))


def tanh(x):
    return jnp.tanh(_float(x))


def arcsinh(x):
    return jnp.arcsinh(_float(x))


def arccosh(x):
    return jnp.arccosh(_float(x))


def arctanh(x):
    return jnp.arctanh(_float(x))


def deg2rad(x):
    return jnp.deg2rad(_float(x))


def rad2deg(x):
    return jnp.rad2deg(_float(x))


def sinc(x):
    return jnp.sinc(_float(x))


# ---------------------------------------------------------------------------- special functions


def i0(x):
    return jnp.i0(_float(x))


def erf(x):
    return jsp.erf(_float(x))


def erfc(x):
    return jsp.erfc(_float(x))


def erfinv(x):
    return jsp.erfinv(_float(x))


# ---------------------------------------------------------------------------- complex numbers


def real(x):
    return jnp.real(core.convert_to_tensor(x))


def imag(x):
    return jnp.imag(core.convert_to_tensor(x))


def conjugate(x):
    return jnp.conjugate(core.convert_to_tensor(x))


def angle(x):
    return jnp.angle(_float(x))


def isreal(x):
    return jnp.isreal(core.convert_to_tensor(x))


# ---------------------------------------------------------------------------- comparisons


def equal(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return jnp.equal(x1, x2)


def not_equal(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return jnp.not_equal(x1, x2)


def greater(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return jnp.greater(x1, x2)


def greater_equal(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return jnp.greater_equal(x1, x2)


def less(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return jnp.less(x1, x2)


def less_equal(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return jnp.less_equal(x1, x2)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = core.promote(x1, x2)
    return jnp.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return jnp.all(isclose(x1, x2, rtol, atol, equal_nan))


def isfinite(x):
    return jnp.isfinite(core.convert_to_tensor(x))


def isinf(x):
    return jnp.isinf(core.convert_to_tensor(x))


def isnan(x):
    return jnp.isnan(core.convert_to_tensor(x))


def isneginf(x):
    return jnp.isneginf(core.convert_to_tensor(x))


def isposinf(x):
    return jnp.isposinf(core.convert_to_tensor(x))


def signbit(x):
    return jnp.signbit(core.convert_to_tensor(x))


# ---------------------------------------------------------------------------- logic


def logical_and(x1, x2):
    return jnp.logical_and(core.convert_to_tensor(x1), core.convert_to_tensor(x2))


def logical_or(x1, x2):
    return jnp.logical_or(core.convert_to_tensor(x1), core.convert_to_tensor(x2))


def logical_xor(x1, x2):
    return jnp.logical_xor(core.convert_to_tensor(x1), core.convert_to_tensor(x2))


def logical_not(x):
    return jnp.logical_not(core.convert_to_tensor(x))


def where(condition, x1=None, x2=None):
    condition = core.convert_to_tensor(condition).astype(bool)
    if x1 is None and x2 is None:
        return tuple(i.astype("int32") for i in jnp.nonzero(condition))
    if x1 is None or x2 is None:
        raise ValueError("kfn.ops.where: give both x1 and x2, or neither")
    x1, x2 = core.promote(x1, x2)
    return jnp.where(condition, x1, x2)


# ---------------------------------------------------------------------------- bitwise


def bitwise_and(x, y):
    x, y = _integers("bitwise_and", x, y)
    return jnp.bitwise_and(x, y)


def bitwise_or(x, y):
    x, y = _integers("bitwise_or", x, y)
    return jnp.bitwise_or(x, y)


def bitwise_xor(x, y):
    x, y = _integers("bitwise_xor", x, y)
    return jnp.bitwise_xor(x, y)


def bitwise_invert(x):
    (x,) = _integers("bitwise_invert", x)
    return jnp.invert(x)


def bitwise_left_shift(x, y):
    x, y = _integers("bitwise_left_shift", x, y)
    return jnp.left_shift(x, y)


def bitwise_right_shift(x, y):
    x, y = _integers("bitwise_right_shift", x, y)
    return jnp.right_shift(x, y)

"""PyTorch backend: kfn.ops.numpy elementwise functions."""

from __future__ import annotations

import torch

from kfn.backends.common import dtypes
from kfn.backends.torch import core

_INEXACT = frozenset(
    (torch.bfloat16, torch.float16, torch.float32, torch.float64, torch.complex64, torch.complex128)
)
# torch has almost no kernels for these: compute in int64 and cast back (uint64 values of
# 2**63 and more are not supported).
_NARROW_KERNELS = frozenset((torch.uint16, torch.uint32, torch.uint64))


def _float(x):
    """`x` as a tensor; ints and bool become floatx (ops like sin return floats)."""
    x = core.convert_to_tensor(x)
    if x.dtype in _INEXACT:
        return x
    return x.to(core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(x.dtype))))


def _float_pair(x1, x2):
    x1, x2 = core.promote(x1, x2)
    if x1.dtype in _INEXACT:
        return x1, x2
    target = core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(x1.dtype)))
    return x1.to(target), x2.to(target)


def _binary(fn, x1, x2):
    """fn on the promoted inputs, in the promoted dtype."""
    if type(x1) in core.TENSOR_TYPES and type(x2) in core.TENSOR_TYPES:
        dtype = x1.dtype
        if dtype == x2.dtype and dtype not in _NARROW_KERNELS:
            return fn(x1, x2)  # the common case, kept cheap
    x1, x2 = core.promote(x1, x2)
    if x1.dtype in _NARROW_KERNELS:
        return fn(x1.to(torch.int64), x2.to(torch.int64)).to(x1.dtype)
    return fn(x1, x2)


def _compare(fn, x1, x2):
    """fn, returning bool, on the promoted inputs."""
    x1, x2 = core.promote(x1, x2)
    if x1.dtype in _NARROW_KERNELS:
        return fn(x1.to(torch.int64), x2.to(torch.int64))
    return fn(x1, x2)


def _unary(fn, x, keep_dtype=True):
    x = core.convert_to_tensor(x)
    if x.dtype in _NARROW_KERNELS:
        out = fn(x.to(torch.int64))
        return out.to(x.dtype) if keep_dtype else out
    return fn(x)


def _integers(name, *xs):
    xs = core.promote(*xs)
    kind = dtypes.standardize_dtype(xs[0].dtype)
    if not (dtypes.is_int(kind) or kind == "bool"):
        raise TypeError(f"kfn.ops.{name}: needs integer or bool inputs, got {kind}")
    return xs


# ---------------------------------------------------------------------------- arithmetic


def add(x1, x2):
    return _binary(torch.add, x1, x2)


def subtract(x1, x2):
    return _binary(torch.subtract, x1, x2)


def multiply(x1, x2):
    return _binary(torch.multiply, x1, x2)


def divide(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return torch.true_divide(x1, x2)


def true_divide(x1, x2):
    return divide(x1, x2)


def divide_no_nan(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    zero = x2 == 0
    safe = torch.where(zero, torch.ones_like(x2), x2)
    return torch.where(zero, torch.zeros_like(x1), x1 / safe)


def floor_divide(x1, x2):
    return _binary(torch.floor_divide, x1, x2)


def mod(x1, x2):
    x1, x2 = core.promote(x1, x2)
    if x1.dtype == torch.bool:
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    if x1.dtype in _NARROW_KERNELS:
        return torch.remainder(x1.to(torch.int64), x2.to(torch.int64)).to(x1.dtype)
    return torch.remainder(x1, x2)


def fmod(x1, x2):
    return _binary(torch.fmod, x1, x2)


def power(x1, x2):
    return _binary(torch.pow, x1, x2)


def negative(x):
    return _unary(torch.negative, x)


def absolute(x):
    x = core.convert_to_tensor(x)
    if x.dtype == torch.bool or x.dtype in _NARROW_KERNELS or x.dtype == torch.uint8:
        return x  # unsigned and bool values are their own absolute value
    return torch.abs(x)


def fabs(x):
    return torch.abs(_float(x))


def sign(x):
    x = core.convert_to_tensor(x)
    if x.dtype == torch.bool:
        return x
    return _unary(torch.sign, x)


def square(x):
    x = core.convert_to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return _unary(torch.square, x)


def sqrt(x):
    return torch.sqrt(_float(x))


def rsqrt(x):
    return torch.rsqrt(_float(x))


def cbrt(x):
    x = _float(x)
    # torch has no cube root: the real root of |x|, with x's sign.
    return torch.sign(x) * torch.pow(torch.abs(x), 1.0 / 3.0)


def reciprocal(x):
    return torch.reciprocal(_float(x))


def maximum(x1, x2):
    return _binary(torch.maximum, x1, x2)


def minimum(x1, x2):
    return _binary(torch.minimum, x1, x2)


def fmax(x1, x2):
    return _binary(torch.fmax, x1, x2)


def fmin(x1, x2):
    return _binary(torch.fmin, x1, x2)


def clip(x, x_min, x_max):
    x = core.convert_to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    low, high = core.cast(x_min, x.dtype), core.cast(x_max, x.dtype)
    if x.dtype in _NARROW_KERNELS:
        wide = torch.clamp(x.to(torch.int64), low.to(torch.int64), high.to(torch.int64))
        return wide.to(x.dtype)
    return torch.clamp(x, low, high)


def gcd(x1, x2):
    x1, x2 = _integers("gcd", x1, x2)
    return _binary(torch.gcd, x1, x2)


def lcm(x1, x2):
    x1, x2 = _integers("lcm", x1, x2)
    return _binary(torch.lcm, x1, x2)


def heaviside(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return torch.heaviside(x1, x2)


def hypot(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return torch.hypot(x1, x2)


def ldexp(x1, x2):
    x1 = _float(x1)
    return torch.ldexp(x1, core.convert_to_tensor(x2)).to(x1.dtype)


def nextafter(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return torch.nextafter(x1, x2)


def copy(x):
    return core.convert_to_tensor(x).clone()


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = core.convert_to_tensor(x)
    if x.dtype not in _INEXACT:
        return x
    return torch.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


# ---------------------------------------------------------------------------- rounding


def ceil(x):
    return torch.ceil(_float(x))


def floor(x):
    return torch.floor(_float(x))


def trunc(x):
    x = core.convert_to_tensor(x)
    if x.dtype in _INEXACT:
        return torch.trunc(x)
    return x


def round(x, decimals=0):
    x = core.convert_to_tensor(x)
    if x.dtype in _INEXACT:
        return torch.round(x, decimals=decimals)
    if decimals >= 0:
        return x
    # Integers rounded to tens, hundreds, ...: half to even, in float64 then back.
    factor = 10.0 ** (-decimals)
    return (torch.round(x.to(torch.float64) / factor) * factor).to(x.dtype)


# ---------------------------------------------------------------------------- exponents, logs


def exp(x):
    return torch.exp(_float(x))


def exp2(x):
    return torch.exp2(_float(x))


def expm1(x):
    return torch.expm1(_float(x))


def log(x):
    return torch.log(_float(x))


def log2(x):
    return torch.log2(_float(x))


def log10(x):
    return torch.log10(_float(x))


def log1p(x):
    return torch.log1p(_float(x))


def logaddexp(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return torch.logaddexp(x1, x2)


def logaddexp2(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return torch.logaddexp2(x1, x2)


# ---------------------------------------------------------------------------- trigonometry


def sin(x):
    return torch.sin(_float(x))


def cos(x):
    return torch.cos(_float(x))


def tan(x):
    return torch.tan(_float(x))


def arcsin(x):
    return torch.arcsin(_float(x))


def arccos(x):
    return torch.arccos(_float(x))


def arctan(x):
    return torch.arctan(_float(x))


def arctan2(x1, x2):
    x1, x2 = _float_pair(x1, x2)
    return torch.arctan2(x1, x2)


def sinh(x):
    return torch.sinh(_float(x))


def cosh(x):
    return torch.cosh(_float(x))


def tanh(x):
    return torch.tanh(_float(x))


def arcsinh(x):
    return torch.arcsinh(_float(x))


def arccosh(x):
    return torch.arccosh(_float(x))


def arctanh(x):
    return torch.arctanh(_float(x))


def deg2rad(x):
    return torch.deg2rad(_float(x))


def rad2deg(x):
    return torch.rad2deg(_float(x))


def sinc(x):
    return torch.sinc(_float(x))


# ---------------------------------------------------------------------------- special functions


def i0(x):
    return torch.i0(_float(x))


def erf(x):
    return torch.erf(_float(x))


def erfc(x):
    return torch.erfc(_float(x))


def erfinv(x):
    return torch.erfinv(_float(x))


# ---------------------------------------------------------------------------- complex numbers


def real(x):
    x = core.convert_to_tensor(x)
    return torch.real(x) if x.is_complex() else x


def imag(x):
    x = core.convert_to_tensor(x)
    return torch.imag(x) if x.is_complex() else torch.zeros_like(x)


def conjugate(x):
    x = core.convert_to_tensor(x)
    return torch.conj_physical(x) if x.is_complex() else x


def angle(x):
    return torch.angle(_float(x))


def isreal(x):
    return torch.isreal(core.convert_to_tensor(x))


# ---------------------------------------------------------------------------- comparisons


def equal(x1, x2):
    return _compare(torch.eq, x1, x2)


def not_equal(x1, x2):
    return _compare(torch.ne, x1, x2)


def greater(x1, x2):
    return _compare(torch.gt, x1, x2)


def greater_equal(x1, x2):
    return _compare(torch.ge, x1, x2)


def less(x1, x2):
    return _compare(torch.lt, x1, x2)


def less_equal(x1, x2):
    return _compare(torch.le, x1, x2)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = core.promote(x1, x2)
    x1, x2 = torch.broadcast_tensors(x1, x2)
    if x1.dtype == torch.bool:
        return x1 == x2
    if x1.dtype in _NARROW_KERNELS:
        x1, x2 = x1.to(torch.int64), x2.to(torch.int64)
    return torch.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return torch.all(isclose(x1, x2, rtol, atol, equal_nan))


def isfinite(x):
    return _unary(torch.isfinite, x, keep_dtype=False)


def isinf(x):
    return _unary(torch.isinf, x, keep_dtype=False)


def isnan(x):
    return _unary(torch.isnan, x, keep_dtype=False)


def isneginf(x):
    return _unary(torch.isneginf, x, keep_dtype=False)


def isposinf(x):
    return _unary(torch.isposinf, x, keep_dtype=False)


def signbit(x):
    x = core.convert_to_tensor(x)
    if x.dtype == torch.bool:
        return torch.zeros_like(x)
    return _unary(torch.signbit, x, keep_dtype=False)


# ---------------------------------------------------------------------------- logic


def logical_and(x1, x2):
    return torch.logical_and(core.convert_to_tensor(x1), core.convert_to_tensor(x2))


def logical_or(x1, x2):
    return torch.logical_or(core.convert_to_tensor(x1), core.convert_to_tensor(x2))


def logical_xor(x1, x2):
    return torch.logical_xor(core.convert_to_tensor(x1), core.convert_to_tensor(x2))


def logical_not(x):
    return torch.logical_not(core.convert_to_tensor(x))


def where(condition, x1=None, x2=None):
    condition = core.convert_to_tensor(condition).to(torch.bool)
    if x1 is None and x2 is None:
        return tuple(i.to(torch.int32) for i in torch.nonzero(condition, as_tuple=True))
    if x1 is None or x2 is None:
        raise ValueError("kfn.ops.where: give both x1 and x2, or neither")
    x1, x2 = core.promote(x1, x2)
    if x1.dtype in _NARROW_KERNELS:
        return torch.where(condition, x1.to(torch.int64), x2.to(torch.int64)).to(x1.dtype)
    return torch.where(condition, x1, x2)


# ---------------------------------------------------------------------------- bitwise


def bitwise_and(x, y):
    x, y = _integers("bitwise_and", x, y)
    return _binary(torch.bitwise_and, x, y)


def bitwise_or(x, y):
    x, y = _integers("bitwise_or", x, y)
    return _binary(torch.bitwise_or, x, y)


def bitwise_xor(x, y):
    x, y = _integers("bitwise_xor", x, y)
    return _binary(torch.bitwise_xor, x, y)


def bitwise_invert(x):
    (x,) = _integers("bitwise_invert", x)
    if x.dtype in _NARROW_KERNELS:
        # ~x on an unsigned type is (max value - x).
        top = 2 ** (8 * x.element_size()) - 1
        return (top - x.to(torch.int64)).to(x.dtype) if top < 2**63 else _wide_unsigned(x)
    return torch.bitwise_not(x)


def _wide_unsigned(x):
    raise NotImplementedError(
        "kfn.ops.bitwise_invert: uint64 is not supported on the torch backend "
        "(torch has no uint64 kernels); use int64."
    )


def bitwise_left_shift(x, y):
    x, y = _integers("bitwise_left_shift", x, y)
    return _binary(torch.bitwise_left_shift, x, y)


def bitwise_right_shift(x, y):
    x, y = _integers("bitwise_right_shift", x, y)
    return _binary(torch.bitwise_right_shift, x, y)

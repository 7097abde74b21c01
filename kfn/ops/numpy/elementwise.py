"""kfn.ops.numpy: elementwise functions (arithmetic, rounding, exponents and logarithms,
trigonometry, special functions, complex parts, comparisons, logic, bitwise operations).

Result dtypes follow one table on every backend (see `kfn.result_type`): binary ops promote
their inputs; functions like `sin` or `sqrt` return floatx for integer and bool inputs;
comparisons and predicates return bool.
"""

from kfn.backends import active as _active
from kfn.ops.dispatch import primitive_of as _primitive_of

_primitive = _primitive_of(_active.numpy.elementwise)


@_primitive(elementwise=True)
def add(x1, x2):
    """`x1 + x2`, element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed.

    Example:
        >>> kfn.ops.add(kfn.ops.convert_to_tensor([1, 2]), 0.5)  # [1.5, 2.5], float32
    """


@_primitive(elementwise=True)
def subtract(x1, x2):
    """`x1 - x2`, element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed.

    Example:
        >>> kfn.ops.subtract(kfn.ops.convert_to_tensor([3, 4]), 1)  # [2, 3], int32
    """


@_primitive(elementwise=True)
def multiply(x1, x2):
    """`x1 * x2`, element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed.

    Example:
        >>> kfn.ops.multiply(kfn.ops.convert_to_tensor([1.0, 2.0]), 3)  # [3.0, 6.0]
    """


@_primitive(elementwise=True)
def divide(x1, x2):
    """True division `x1 / x2`, element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed. Integer results are computed in floatx.

    Example:
        >>> kfn.ops.divide(kfn.ops.convert_to_tensor([1, 3]), 2)  # [0.5, 1.5], float32
    """


@_primitive(elementwise=True)
def true_divide(x1, x2):
    """True division `x1 / x2` (the same as `divide`), element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed. Integer results are computed in floatx.

    Example:
        >>> kfn.ops.true_divide(kfn.ops.convert_to_tensor([1, 3]), 2)  # [0.5, 1.5]
    """


@_primitive(elementwise=True)
def divide_no_nan(x1, x2):
    """`x1 / x2`, with 0 wherever `x2` is 0, element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed. Integer results are computed in floatx.

    Example:
        >>> kfn.ops.divide_no_nan(kfn.ops.convert_to_tensor([1.0, 2.0]), kfn.ops.convert_to_tensor([0.0, 4.0]))  # [0.0, 0.5]
    """


@_primitive(elementwise=True)
def floor_divide(x1, x2):
    """`x1 // x2`, rounding toward minus infinity as NumPy does, element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed.

    Example:
        >>> kfn.ops.floor_divide(kfn.ops.convert_to_tensor([-7, 7]), 2)  # [-4, 3]
    """


@_primitive(elementwise=True)
def mod(x1, x2):
    """The remainder of `x1 // x2`, with the sign of `x2` (NumPy's and Python's rule), element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed.

    Bool inputs are computed in int32.

    Example:
        >>> kfn.ops.mod(kfn.ops.convert_to_tensor([-7, 7]), 3)  # [2, 1]
    """


@_primitive(elementwise=True)
def fmod(x1, x2):
    """The remainder of division with the sign of `x1` (C's rule, NumPy's `fmod`), element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed.

    Example:
        >>> kfn.ops.fmod(kfn.ops.convert_to_tensor([-7, 7]), 3)  # [-1, 1]
    """


@_primitive(elementwise=True)
def power(x1, x2):
    """`x1 ** x2`, element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed.

    Integer bases with negative integer exponents are not defined (NumPy raises); the result is backend-dependent.

    Example:
        >>> kfn.ops.power(kfn.ops.convert_to_tensor([2, 3]), 2)  # [4, 9], int32
    """


@_primitive
def negative(x):
    """`-x`, element-wise, in the dtype of `x`.

    Example:
        >>> kfn.ops.negative(kfn.ops.convert_to_tensor([1, -2]))  # [-1, 2]
    """


@_primitive
def absolute(x):
    """The absolute value of `x`, element-wise, in the dtype of `x`.

    Example:
        >>> kfn.ops.absolute(kfn.ops.convert_to_tensor([-1.5, 2.0]))  # [1.5, 2.0]
    """


@_primitive
def fabs(x):
    """The absolute value as a float, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.fabs(kfn.ops.convert_to_tensor([-1, 2]))  # [1.0, 2.0], float32
    """


@_primitive
def sign(x):
    """-1, 0 or 1 by the sign of `x`, element-wise, in the dtype of `x`.

    Example:
        >>> kfn.ops.sign(kfn.ops.convert_to_tensor([-3.0, 0.0, 2.0]))  # [-1.0, 0.0, 1.0]
    """


@_primitive
def square(x):
    """`x * x`, element-wise, in the dtype of `x` (bool -> int32).

    Example:
        >>> kfn.ops.square(kfn.ops.convert_to_tensor([2, -3]))  # [4, 9]
    """


@_primitive
def sqrt(x):
    """The square root, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.sqrt(kfn.ops.convert_to_tensor([4.0, 9.0]))  # [2.0, 3.0]
    """


@_primitive
def rsqrt(x):
    """The reciprocal square root `1 / sqrt(x)`, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.rsqrt(kfn.ops.convert_to_tensor([4.0]))  # [0.5]
    """


@_primitive
def cbrt(x):
    """The cube root, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.cbrt(kfn.ops.convert_to_tensor([8.0, -27.0]))  # [2.0, -3.0]
    """


@_primitive
def reciprocal(x):
    """`1 / x`, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.reciprocal(kfn.ops.convert_to_tensor([2.0, 4.0]))  # [0.5, 0.25]
    """


@_primitive(elementwise=True)
def maximum(x1, x2):
    """The larger of `x1` and `x2` (NaN if either is NaN), element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed.

    Example:
        >>> kfn.ops.maximum(kfn.ops.convert_to_tensor([1, 5]), 3)  # [3, 5]
    """


@_primitive(elementwise=True)
def minimum(x1, x2):
    """The smaller of `x1` and `x2` (NaN if either is NaN), element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed.

    Example:
        >>> kfn.ops.minimum(kfn.ops.convert_to_tensor([1, 5]), 3)  # [1, 3]
    """


@_primitive(elementwise=True)
def fmax(x1, x2):
    """The larger of `x1` and `x2`, ignoring NaNs, element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed.

    Example:
        >>> kfn.ops.fmax(kfn.ops.convert_to_tensor([1.0, float('nan')]), 0.5)  # [1.0, 0.5]
    """


@_primitive(elementwise=True)
def fmin(x1, x2):
    """The smaller of `x1` and `x2`, ignoring NaNs, element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed.

    Example:
        >>> kfn.ops.fmin(kfn.ops.convert_to_tensor([1.0, float('nan')]), 0.5)  # [0.5, 0.5]
    """


@_primitive
def clip(x, x_min, x_max):
    """`x` with values below `x_min` set to `x_min` and above `x_max` set to `x_max`.

    The result keeps the dtype of `x` (bool becomes int32); the bounds are cast to it.

    Example:
        >>> kfn.ops.clip(kfn.ops.convert_to_tensor([-2, 0, 7]), 0, 5)  # [0, 0, 5]
    """


@_primitive(elementwise=True)
def gcd(x1, x2):
    """The greatest common divisor of integer inputs, element-wise.

    Example:
        >>> kfn.ops.gcd(kfn.ops.convert_to_tensor([12, 9]), 6)  # [6, 3]
    """


@_primitive(elementwise=True)
def lcm(x1, x2):
    """The least common multiple of integer inputs, element-wise.

    Example:
        >>> kfn.ops.lcm(kfn.ops.convert_to_tensor([4, 6]), 6)  # [12, 6]
    """


@_primitive(elementwise=True)
def heaviside(x1, x2):
    """The Heaviside step: 0 where `x1 < 0`, `x2` where `x1 == 0`, 1 where `x1 > 0`, element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed. Integer results are computed in floatx.

    Example:
        >>> kfn.ops.heaviside(kfn.ops.convert_to_tensor([-1.0, 0.0, 2.0]), 0.5)  # [0.0, 0.5, 1.0]
    """


@_primitive(elementwise=True)
def hypot(x1, x2):
    """`sqrt(x1**2 + x2**2)` without intermediate overflow, element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed. Integer results are computed in floatx.

    Example:
        >>> kfn.ops.hypot(kfn.ops.convert_to_tensor([3.0]), 4.0)  # [5.0]
    """


@_primitive(elementwise=True)
def ldexp(x1, x2):
    """`x1 * 2**x2`, element-wise, in the float dtype of `x1` (ints -> floatx). `x2` must be an integer.

    Example:
        >>> kfn.ops.ldexp(kfn.ops.convert_to_tensor([1.0, 3.0]), kfn.ops.convert_to_tensor([2, 1]))  # [4.0, 6.0]
    """


@_primitive(elementwise=True)
def nextafter(x1, x2):
    """The next float after `x1` in the direction of `x2`, element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed. Integer results are computed in floatx.

    Example:
        >>> kfn.ops.nextafter(kfn.ops.convert_to_tensor([1.0]), 2.0)  # [1.0000001]
    """


@_primitive
def copy(x):
    """A copy of `x`.

    Example:
        >>> kfn.ops.copy(kfn.ops.convert_to_tensor([1, 2]))  # [1, 2]
    """


@_primitive
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """`x` with NaN replaced by `nan` and infinities by `posinf`/`neginf` (default: the largest/smallest finite value of the dtype).

    Example:
        >>> kfn.ops.nan_to_num(kfn.ops.convert_to_tensor([float('nan'), 1.0]))  # [0.0, 1.0]
    """


@_primitive
def ceil(x):
    """The smallest integer value >= x, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.ceil(kfn.ops.convert_to_tensor([1.2, -1.2]))  # [2.0, -1.0]
    """


@_primitive
def floor(x):
    """The largest integer value <= x, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.floor(kfn.ops.convert_to_tensor([1.7, -1.2]))  # [1.0, -2.0]
    """


@_primitive
def trunc(x):
    """`x` rounded toward zero, element-wise; integers are returned as they are.

    Example:
        >>> kfn.ops.trunc(kfn.ops.convert_to_tensor([1.7, -1.7]))  # [1.0, -1.0]
    """


@_primitive
def round(x, decimals=0):
    """`x` rounded to `decimals` decimal places, half to even as NumPy does; the dtype of `x` is kept. Negative `decimals` round integers to tens, hundreds, ...

    Example:
        >>> kfn.ops.round(kfn.ops.convert_to_tensor([0.5, 1.5, 2.675]), 0)  # [0.0, 2.0, 3.0]
    """


@_primitive
def exp(x):
    """`e ** x`, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.exp(kfn.ops.convert_to_tensor([0.0, 1.0]))  # [1.0, 2.7182817]
    """


@_primitive
def exp2(x):
    """`2 ** x`, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.exp2(kfn.ops.convert_to_tensor([3.0]))  # [8.0]
    """


@_primitive
def expm1(x):
    """`exp(x) - 1`, accurate for small x, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.expm1(kfn.ops.convert_to_tensor([1e-10]))  # [1e-10]
    """


@_primitive
def log(x):
    """The natural logarithm, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.log(kfn.ops.convert_to_tensor([1.0, 2.7182817]))  # [0.0, 1.0]
    """


@_primitive
def log2(x):
    """The base-2 logarithm, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.log2(kfn.ops.convert_to_tensor([8.0]))  # [3.0]
    """


@_primitive
def log10(x):
    """The base-10 logarithm, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.log10(kfn.ops.convert_to_tensor([1000.0]))  # [3.0]
    """


@_primitive
def log1p(x):
    """`log(1 + x)`, accurate for small x, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.log1p(kfn.ops.convert_to_tensor([1e-10]))  # [1e-10]
    """


@_primitive(elementwise=True)
def logaddexp(x1, x2):
    """`log(exp(x1) + exp(x2))` without overflow, element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed. Integer results are computed in floatx.

    Example:
        >>> kfn.ops.logaddexp(kfn.ops.convert_to_tensor([1000.0]), 1000.0)  # [1000.6931]
    """


@_primitive(elementwise=True)
def logaddexp2(x1, x2):
    """`log2(2**x1 + 2**x2)` without overflow, element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed. Integer results are computed in floatx.

    Example:
        >>> kfn.ops.logaddexp2(kfn.ops.convert_to_tensor([3.0]), 3.0)  # [4.0]
    """


@_primitive
def sin(x):
    """The sine, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.sin(kfn.ops.convert_to_tensor([0.0]))  # [0.0]
    """


@_primitive
def cos(x):
    """The cosine, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.cos(kfn.ops.convert_to_tensor([0.0]))  # [1.0]
    """


@_primitive
def tan(x):
    """The tangent, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.tan(kfn.ops.convert_to_tensor([0.0]))  # [0.0]
    """


@_primitive
def arcsin(x):
    """The inverse sine, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.arcsin(kfn.ops.convert_to_tensor([1.0]))  # [1.5707964]
    """


@_primitive
def arccos(x):
    """The inverse cosine, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.arccos(kfn.ops.convert_to_tensor([1.0]))  # [0.0]
    """


@_primitive
def arctan(x):
    """The inverse tangent, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.arctan(kfn.ops.convert_to_tensor([1.0]))  # [0.7853982]
    """


@_primitive(elementwise=True)
def arctan2(x1, x2):
    """The angle of the point (x2, x1) from the x axis, in (-pi, pi], element-wise.

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed. Integer results are computed in floatx.

    Example:
        >>> kfn.ops.arctan2(kfn.ops.convert_to_tensor([1.0]), -1.0)  # [2.3561945]
    """


@_primitive
def sinh(x):
    """The hyperbolic sine, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.sinh(kfn.ops.convert_to_tensor([0.0]))  # [0.0]
    """


@_primitive
def cosh(x):
    """The hyperbolic cosine, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.cosh(kfn.ops.convert_to_tensor([0.0]))  # [1.0]
    """


@_primitive
def tanh(x):
    """The hyperbolic tangent, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.tanh(kfn.ops.convert_to_tensor([0.0, 100.0]))  # [0.0, 1.0]
    """


@_primitive
def arcsinh(x):
    """The inverse hyperbolic sine, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.arcsinh(kfn.ops.convert_to_tensor([0.0]))  # [0.0]
    """


@_primitive
def arccosh(x):
    """The inverse hyperbolic cosine, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.arccosh(kfn.ops.convert_to_tensor([1.0]))  # [0.0]
    """


@_primitive
def arctanh(x):
    """The inverse hyperbolic tangent, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.arctanh(kfn.ops.convert_to_tensor([0.0]))  # [0.0]
    """


@_primitive
def deg2rad(x):
    """Degrees converted to radians, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.deg2rad(kfn.ops.convert_to_tensor([180.0]))  # [3.1415927]
    """


@_primitive
def rad2deg(x):
    """Radians converted to degrees, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.rad2deg(kfn.ops.convert_to_tensor([3.1415927]))  # [180.0]
    """


@_primitive
def sinc(x):
    """The normalized sinc function `sin(pi x) / (pi x)` (1 at 0), element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.sinc(kfn.ops.convert_to_tensor([0.0, 0.5]))  # [1.0, 0.63661975]
    """


@_primitive
def i0(x):
    """The modified Bessel function of the first kind, order 0, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.i0(kfn.ops.convert_to_tensor([0.0]))  # [1.0]
    """


@_primitive
def erf(x):
    """The error function, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.erf(kfn.ops.convert_to_tensor([0.0]))  # [0.0]
    """


@_primitive
def erfc(x):
    """The complementary error function `1 - erf(x)`, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.erfc(kfn.ops.convert_to_tensor([0.0]))  # [1.0]
    """


@_primitive
def erfinv(x):
    """The inverse error function, element-wise.

    Integers and bool are computed in floatx; float inputs keep their dtype.

    Example:
        >>> kfn.ops.erfinv(kfn.ops.convert_to_tensor([0.0]))  # [0.0]
    """


@_primitive
def real(x):
    """The real part of `x` (float dtype for complex inputs; other inputs are returned as they are).

    Example:
        >>> kfn.ops.real(kfn.ops.convert_to_tensor([1 + 2j]))  # [1.0]
    """


@_primitive
def imag(x):
    """The imaginary part of `x` (zeros for real inputs).

    Example:
        >>> kfn.ops.imag(kfn.ops.convert_to_tensor([1 + 2j]))  # [2.0]
    """


@_primitive
def conjugate(x):
    """The complex conjugate of `x`, element-wise.

    Example:
        >>> kfn.ops.conjugate(kfn.ops.convert_to_tensor([1 + 2j]))  # [1 - 2j]
    """


@_primitive
def angle(x):
    """The angle of complex `x` in radians (0 or pi for real inputs), as a float.

    Example:
        >>> kfn.ops.angle(kfn.ops.convert_to_tensor([1j, -1.0]))  # [1.5707964, 3.1415927]
    """


@_primitive
def isreal(x):
    """Whether each element has a zero imaginary part. Returns a bool tensor.

    Example:
        >>> kfn.ops.isreal(kfn.ops.convert_to_tensor([1 + 0j, 1j]))  # [True, False]
    """


@_primitive(elementwise=True)
def equal(x1, x2):
    """`x1 == x2`, element-wise (equality).

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed. Returns a bool tensor.

    Example:
        >>> kfn.ops.equal(kfn.ops.convert_to_tensor([1, 2, 3]), 2)  # [False, True, False]
    """


@_primitive(elementwise=True)
def not_equal(x1, x2):
    """`x1 != x2`, element-wise (inequality).

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed. Returns a bool tensor.

    Example:
        >>> kfn.ops.not_equal(kfn.ops.convert_to_tensor([1, 2, 3]), 2)  # [True, False, True]
    """


@_primitive(elementwise=True)
def greater(x1, x2):
    """`x1 > x2`, element-wise (greater than).

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed. Returns a bool tensor.

    Example:
        >>> kfn.ops.greater(kfn.ops.convert_to_tensor([1, 2, 3]), 2)  # [False, False, True]
    """


@_primitive(elementwise=True)
def greater_equal(x1, x2):
    """`x1 >= x2`, element-wise (greater than or equal).

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed. Returns a bool tensor.

    Example:
        >>> kfn.ops.greater_equal(kfn.ops.convert_to_tensor([1, 2, 3]), 2)  # [False, True, True]
    """


@_primitive(elementwise=True)
def less(x1, x2):
    """`x1 < x2`, element-wise (less than).

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed. Returns a bool tensor.

    Example:
        >>> kfn.ops.less(kfn.ops.convert_to_tensor([1, 2, 3]), 2)  # [True, False, False]
    """


@_primitive(elementwise=True)
def less_equal(x1, x2):
    """`x1 <= x2`, element-wise (less than or equal).

    Inputs are broadcast and promoted to a common dtype (see `kfn.result_type`); Python scalars are weakly typed. Returns a bool tensor.

    Example:
        >>> kfn.ops.less_equal(kfn.ops.convert_to_tensor([1, 2, 3]), 2)  # [True, True, False]
    """


@_primitive(elementwise=True)
def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether `|x1 - x2| <= atol + rtol * |x2|`, element-wise, as NumPy's `isclose`. Returns a bool tensor.

    Example:
        >>> kfn.ops.isclose(kfn.ops.convert_to_tensor([1.0, 1.1]), 1.0)  # [True, False]
    """


@_primitive(elementwise=True)
def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether `isclose` holds for every element; a bool scalar tensor.

    Example:
        >>> kfn.ops.allclose(kfn.ops.convert_to_tensor([1.0, 1.0000001]), 1.0)  # True
    """


@_primitive
def isfinite(x):
    """Whether each element is finite (not NaN or infinite). Returns a bool tensor.

    Example:
        >>> kfn.ops.isfinite(kfn.ops.convert_to_tensor([1.0, float('inf')]))  # [True, False]
    """


@_primitive
def isinf(x):
    """Whether each element is positive or negative infinity. Returns a bool tensor.

    Example:
        >>> kfn.ops.isinf(kfn.ops.convert_to_tensor([1.0, float('-inf')]))  # [False, True]
    """


@_primitive
def isnan(x):
    """Whether each element is NaN. Returns a bool tensor.

    Example:
        >>> kfn.ops.isnan(kfn.ops.convert_to_tensor([1.0, float('nan')]))  # [False, True]
    """


@_primitive
def isneginf(x):
    """Whether each element is negative infinity. Returns a bool tensor.

    Example:
        >>> kfn.ops.isneginf(kfn.ops.convert_to_tensor([float('-inf'), float('inf')]))  # [True, False]
    """


@_primitive
def isposinf(x):
    """Whether each element is positive infinity. Returns a bool tensor.

    Example:
        >>> kfn.ops.isposinf(kfn.ops.convert_to_tensor([float('-inf'), float('inf')]))  # [False, True]
    """


@_primitive
def signbit(x):
    """Whether the sign bit of each element is set (true for -0.0). Returns a bool tensor.

    Example:
        >>> kfn.ops.signbit(kfn.ops.convert_to_tensor([-1.0, -0.0, 2.0]))  # [True, True, False]
    """


@_primitive(elementwise=True)
def logical_and(x1, x2):
    """`x1 and x2`, element-wise; nonzero values count as true. Returns a bool tensor.

    Example:
        >>> kfn.ops.logical_and(kfn.ops.convert_to_tensor([True, False]), True)  # [True, False]
    """


@_primitive(elementwise=True)
def logical_or(x1, x2):
    """`x1 or x2`, element-wise; nonzero values count as true. Returns a bool tensor.

    Example:
        >>> kfn.ops.logical_or(kfn.ops.convert_to_tensor([True, False]), False)  # [True, False]
    """


@_primitive(elementwise=True)
def logical_xor(x1, x2):
    """Exclusive or of the truth of `x1` and `x2`, element-wise. Returns a bool tensor.

    Example:
        >>> kfn.ops.logical_xor(kfn.ops.convert_to_tensor([True, False]), True)  # [False, True]
    """


@_primitive
def logical_not(x):
    """`not x`, element-wise; nonzero values count as true. Returns a bool tensor.

    Example:
        >>> kfn.ops.logical_not(kfn.ops.convert_to_tensor([True, False]))  # [False, True]
    """


@_primitive(elementwise=True)
def where(condition, x1=None, x2=None):
    """`x1` where `condition` is true, else `x2` (broadcast, promoted to a common dtype).

    With only `condition`, the indices of its true elements, as `nonzero` (value-dependent output shape: eager only on jax and tensorflow).

    Example:
        >>> kfn.ops.where(kfn.ops.convert_to_tensor([True, False]), kfn.ops.convert_to_tensor([1, 2]), 0)  # [1, 0]
    """


@_primitive(elementwise=True)
def bitwise_and(x, y):
    """Bitwise AND of integer or bool inputs, element-wise.

    Example:
        >>> kfn.ops.bitwise_and(kfn.ops.convert_to_tensor([12]), 10)  # [8]
    """


@_primitive(elementwise=True)
def bitwise_or(x, y):
    """Bitwise OR of integer or bool inputs, element-wise.

    Example:
        >>> kfn.ops.bitwise_or(kfn.ops.convert_to_tensor([12]), 10)  # [14]
    """


@_primitive(elementwise=True)
def bitwise_xor(x, y):
    """Bitwise XOR of integer or bool inputs, element-wise.

    Example:
        >>> kfn.ops.bitwise_xor(kfn.ops.convert_to_tensor([12]), 10)  # [6]
    """


@_primitive
def bitwise_invert(x):
    """Bitwise NOT of an integer or bool input, element-wise (`~x`).

    Example:
        >>> kfn.ops.bitwise_invert(kfn.ops.convert_to_tensor([0, 5]))  # [-1, -6]
    """


@_primitive(elementwise=True)
def bitwise_left_shift(x, y):
    """`x << y` for integer inputs, element-wise.

    Example:
        >>> kfn.ops.bitwise_left_shift(kfn.ops.convert_to_tensor([1, 3]), 2)  # [4, 12]
    """


@_primitive(elementwise=True)
def bitwise_right_shift(x, y):
    """`x >> y` for integer inputs, element-wise (arithmetic shift for signed types).

    Example:
        >>> kfn.ops.bitwise_right_shift(kfn.ops.convert_to_tensor([8, -8]), 2)  # [2, -2]
    """


abs = absolute
conj = conjugate
bitwise_not = bitwise_invert
left_shift = bitwise_left_shift
right_shift = bitwise_right_shift

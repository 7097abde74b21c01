"""kfn.ops.numpy elementwise functions against NumPy/SciPy, on the active backend.

Expected dtypes are written out: the same on every backend.
"""

import numpy as np
import pytest
import scipy.special

from kfn import ops
from tests.conftest import requires_gradients
from tests.ops.cases import (
    OpCase,
    b,
    case_id,
    check_gradient,
    check_result,
    f16,
    f32,
    f64,
    i32,
    i64,
    positive,
    run_case,
    u8,
)

RNG = np.random.default_rng(7)


def in_range(low, high, *shape, dtype=np.float32):
    return RNG.uniform(low, high, shape).astype(dtype)


def as64(fn):
    """A reference computed in float64 from any input dtype."""
    return lambda *args: fn(
        *(np.asarray(a, np.float64) if isinstance(a, np.ndarray) else a for a in args)
    )


# name: (reference, input maker for float32/float64 inputs, integer inputs in the domain)
UNARY_FLOAT = {
    "sin": (np.sin, lambda *s, dtype=np.float32: in_range(-3, 3, *s, dtype=dtype), i32),
    "cos": (np.cos, lambda *s, dtype=np.float32: in_range(-3, 3, *s, dtype=dtype), i32),
    "tan": (
        np.tan,
        lambda *s, dtype=np.float32: in_range(-1.2, 1.2, *s, dtype=dtype),
        lambda *s: i32(*s, low=-1, high=2),
    ),
    "arcsin": (
        np.arcsin,
        lambda *s, dtype=np.float32: in_range(-0.99, 0.99, *s, dtype=dtype),
        lambda *s: i32(*s, low=-1, high=2),
    ),
    "arccos": (
        np.arccos,
        lambda *s, dtype=np.float32: in_range(-0.99, 0.99, *s, dtype=dtype),
        lambda *s: i32(*s, low=-1, high=2),
    ),
    "arctan": (np.arctan, lambda *s, dtype=np.float32: in_range(-5, 5, *s, dtype=dtype), i32),
    "sinh": (np.sinh, lambda *s, dtype=np.float32: in_range(-3, 3, *s, dtype=dtype), i32),
    "cosh": (np.cosh, lambda *s, dtype=np.float32: in_range(-3, 3, *s, dtype=dtype), i32),
    "tanh": (np.tanh, lambda *s, dtype=np.float32: in_range(-5, 5, *s, dtype=dtype), i32),
    "arcsinh": (np.arcsinh, lambda *s, dtype=np.float32: in_range(-5, 5, *s, dtype=dtype), i32),
    "arccosh": (
        np.arccosh,
        lambda *s, dtype=np.float32: in_range(1, 5, *s, dtype=dtype),
        lambda *s: i32(*s, low=1, high=6),
    ),
    "arctanh": (
        np.arctanh,
        lambda *s, dtype=np.float32: in_range(-0.9, 0.9, *s, dtype=dtype),
        lambda *s: i32(*s, low=0, high=1),
    ),
    "exp": (np.exp, lambda *s, dtype=np.float32: in_range(-3, 3, *s, dtype=dtype), i32),
    "exp2": (np.exp2, lambda *s, dtype=np.float32: in_range(-3, 3, *s, dtype=dtype), i32),
    "expm1": (np.expm1, lambda *s, dtype=np.float32: in_range(-1e-3, 3, *s, dtype=dtype), i32),
    "log": (
        np.log,
        lambda *s, dtype=np.float32: in_range(0.1, 5, *s, dtype=dtype),
        lambda *s: i32(*s, low=1, high=9),
    ),
    "log2": (
        np.log2,
        lambda *s, dtype=np.float32: in_range(0.1, 5, *s, dtype=dtype),
        lambda *s: i32(*s, low=1, high=9),
    ),
    "log10": (
        np.log10,
        lambda *s, dtype=np.float32: in_range(0.1, 5, *s, dtype=dtype),
        lambda *s: i32(*s, low=1, high=9),
    ),
    "log1p": (
        np.log1p,
        lambda *s, dtype=np.float32: in_range(-0.5, 5, *s, dtype=dtype),
        lambda *s: i32(*s, low=0, high=9),
    ),
    "sqrt": (
        np.sqrt,
        lambda *s, dtype=np.float32: in_range(0, 9, *s, dtype=dtype),
        lambda *s: i32(*s, low=0, high=9),
    ),
    "rsqrt": (
        lambda x: 1 / np.sqrt(x),
        lambda *s, dtype=np.float32: in_range(0.1, 9, *s, dtype=dtype),
        lambda *s: i32(*s, low=1, high=9),
    ),
    "cbrt": (np.cbrt, lambda *s, dtype=np.float32: in_range(-8, 8, *s, dtype=dtype), i32),
    "reciprocal": (
        np.reciprocal,
        lambda *s, dtype=np.float32: in_range(0.5, 4, *s, dtype=dtype),
        lambda *s: i32(*s, low=1, high=9),
    ),
    "deg2rad": (np.deg2rad, lambda *s, dtype=np.float32: in_range(-360, 360, *s, dtype=dtype), i32),
    "rad2deg": (np.rad2deg, lambda *s, dtype=np.float32: in_range(-3, 3, *s, dtype=dtype), i32),
    "sinc": (np.sinc, lambda *s, dtype=np.float32: in_range(-3, 3, *s, dtype=dtype), i32),
    "i0": (np.i0, lambda *s, dtype=np.float32: in_range(-3, 3, *s, dtype=dtype), i32),
    "erf": (scipy.special.erf, lambda *s, dtype=np.float32: in_range(-3, 3, *s, dtype=dtype), i32),
    "erfc": (
        scipy.special.erfc,
        lambda *s, dtype=np.float32: in_range(-3, 3, *s, dtype=dtype),
        i32,
    ),
    "erfinv": (
        scipy.special.erfinv,
        lambda *s, dtype=np.float32: in_range(-0.95, 0.95, *s, dtype=dtype),
        lambda *s: i32(*s, low=0, high=1),
    ),
    "ceil": (np.ceil, lambda *s, dtype=np.float32: in_range(-3, 3, *s, dtype=dtype), i32),
    "floor": (np.floor, lambda *s, dtype=np.float32: in_range(-3, 3, *s, dtype=dtype), i32),
    "fabs": (np.fabs, lambda *s, dtype=np.float32: in_range(-3, 3, *s, dtype=dtype), i32),
}

CASES = []
for name, (reference, make, make_int) in UNARY_FLOAT.items():
    ref = as64(reference)
    CASES += [
        OpCase(name, (make(3, 4),), dtype="float32", reference=ref, rtol=3e-5),
        OpCase(name, (make(5, dtype=np.float64),), dtype="float64", reference=ref, rtol=1e-9),
        OpCase(name, (make_int(6),), dtype="float32", reference=ref, rtol=3e-5),
        OpCase(name, (make(0, 3),), dtype="float32", reference=ref, id=f"{name}(empty)"),
    ]
CASES += [
    OpCase(
        "sqrt", (in_range(0, 4, 5, dtype=np.float16),), dtype="float16", reference=as64(np.sqrt)
    ),
    OpCase("exp", (b(4),), dtype="float32", reference=as64(np.exp)),
]

# Binary ops that promote: (name, reference, divisor-safe second input?)
PROMOTING = {
    "add": np.add,
    "subtract": np.subtract,
    "multiply": np.multiply,
    "maximum": np.maximum,
    "minimum": np.minimum,
    "fmax": np.fmax,
    "fmin": np.fmin,
}
for name, reference in PROMOTING.items():
    CASES += [
        OpCase(name, (f32(2, 3), f32(3)), dtype="float32", reference=reference),
        OpCase(name, (f32(2, 1), f32(1, 4)), dtype="float32", reference=reference),
        OpCase(name, (i32(4), i32(4)), dtype="int32", reference=reference),
        OpCase(name, (i32(4), f32(4)), dtype="float32", reference=as64(reference)),
        OpCase(name, (i64(4), f32(4)), dtype="float32", reference=as64(reference)),
        OpCase(name, (i32(4), i64(4)), dtype="int64", reference=reference),
        OpCase(
            name, (u8(4), np.array([1, 3, 2, 0], np.int8)), dtype="int16", reference=as64(reference)
        ),
        OpCase(
            name, (u8(4), 3), dtype="uint8", reference=lambda a, s, r=reference: r(a, np.uint8(s))
        ),
        OpCase(name, (i32(4), 1.5), dtype="float32", reference=as64(reference)),
        OpCase(
            name, (f16(4), 2.0), dtype="float16", reference=as64(reference), rtol=2e-3, atol=2e-3
        ),
        OpCase(name, (f16(4), f64(4)), dtype="float64", reference=as64(reference)),
        OpCase(
            name,
            (np.array([70000], np.uint32), np.array([5], np.uint32)),
            dtype="uint32",
            reference=reference,
        ),
    ]

NONZERO_INT = lambda *s: RNG.choice([-4, -3, -2, -1, 1, 2, 3, 5], size=s).astype(np.int32)  # noqa: E731
CASES += [
    OpCase(
        "floor_divide",
        (i32(3, 4, low=-9, high=10), NONZERO_INT(4)),
        dtype="int32",
        reference=np.floor_divide,
    ),
    OpCase("floor_divide", (f32(5), positive(5)), dtype="float32", reference=as64(np.floor_divide)),
    OpCase("mod", (i32(3, 4, low=-9, high=10), NONZERO_INT(4)), dtype="int32", reference=np.mod),
    OpCase("mod", (f32(6), np.float32(0.7)), dtype="float32", reference=as64(np.mod), atol=1e-5),
    OpCase("mod", (u8(4), 3), dtype="uint8", reference=lambda a, s: np.mod(a, np.uint8(s))),
    OpCase("fmod", (i32(3, 4, low=-9, high=10), NONZERO_INT(4)), dtype="int32", reference=np.fmod),
    OpCase("fmod", (f32(6), np.float32(0.7)), dtype="float32", reference=as64(np.fmod), atol=1e-5),
    OpCase("power", (positive(3, 4), f32(4)), dtype="float32", reference=as64(np.power), rtol=3e-5),
    OpCase(
        "power", (i32(5), np.array([0, 1, 2, 3, 2], np.int32)), dtype="int32", reference=np.power
    ),
    OpCase("power", (positive(4), 2), dtype="float32", reference=as64(np.power)),
    OpCase("power", (i32(4, low=0, high=5), 0.5), dtype="float32", reference=as64(np.power)),
]

FLOAT_BINARY = {
    "divide": (np.divide, lambda *s: positive(*s)),
    "true_divide": (np.true_divide, lambda *s: positive(*s)),
    "arctan2": (np.arctan2, f32),
    "hypot": (np.hypot, f32),
    "logaddexp": (np.logaddexp, f32),
    "logaddexp2": (np.logaddexp2, f32),
    "heaviside": (np.heaviside, f32),
}
for name, (reference, make) in FLOAT_BINARY.items():
    CASES += [
        OpCase(name, (f32(2, 3), make(3)), dtype="float32", reference=as64(reference), rtol=3e-5),
        OpCase(
            name, (i32(4), NONZERO_INT(4)), dtype="float32", reference=as64(reference), rtol=3e-5
        ),
        OpCase(
            name, (f64(4), NONZERO_INT(4)), dtype="float64", reference=as64(reference), rtol=1e-9
        ),
        OpCase(
            name,
            (f16(3), np.float16(1.5)),
            dtype="float16",
            reference=as64(reference),
            rtol=3e-3,
            atol=3e-3,
        ),
    ]
CASES += [
    OpCase("divide", (i32(3), 2), dtype="float32", reference=as64(np.divide)),
    OpCase(
        "divide_no_nan",
        (f32(4), np.array([0, 2, 0, -1], np.float32)),
        dtype="float32",
        reference=lambda a, d: np.where(d == 0, 0, a / np.where(d == 0, 1, d)),
    ),
    OpCase(
        "divide_no_nan",
        (i32(3), np.array([0, 2, 4], np.int32)),
        dtype="float32",
        reference=lambda a, d: np.where(d == 0, 0, a / np.where(d == 0, 1, d)),
    ),
    OpCase(
        "logaddexp",
        (np.array([1000.0, -np.inf], np.float32), np.array([1000.0, -np.inf], np.float32)),
        dtype="float32",
        reference=np.logaddexp,
        id="logaddexp_extremes",
    ),
    OpCase(
        "heaviside",
        (np.array([-1.0, 0.0, 2.0], np.float32), 0.5),
        dtype="float32",
        reference=np.heaviside,
        id="heaviside_at_zero",
    ),
    OpCase("nextafter", (f32(4), np.float32(10.0)), dtype="float32", reference=np.nextafter),
    OpCase("nextafter", (f64(4), -10.0), dtype="float64", reference=np.nextafter),
    OpCase(
        "hypot",
        (np.array([3e30, 0.0], np.float32), np.array([4e30, 0.0], np.float32)),
        dtype="float32",
        reference=np.hypot,
        id="hypot_no_overflow",
    ),
]

SAME_DTYPE_UNARY = {
    "negative": (np.negative, [f32(3, 2), i32(5), i64(3)]),
    "absolute": (np.absolute, [f32(3, 2), i32(5), u8(3), np.array([True, False])]),
    "abs": (np.abs, [f64(4), np.array([-128, 5], np.int8)]),
    "sign": (np.sign, [f32(5), i32(5), np.array([0.0, -0.0, 2.0], np.float64)]),
    "square": (np.square, [f32(3), i32(4), u8(3)]),
    "trunc": (np.trunc, [f32(6), i32(4)]),
    "copy": (np.copy, [f32(2, 2), b(3)]),
}
for name, (reference, inputs) in SAME_DTYPE_UNARY.items():
    CASES += [OpCase(name, (x,), dtype=x.dtype.name, reference=reference) for x in inputs]
CASES += [
    OpCase("square", (b(4),), dtype="int32", reference=lambda x: np.square(x.astype(np.int32))),
    OpCase(
        "round",
        (np.array([0.5, 1.5, 2.5, -0.5, -1.5], np.float32),),
        dtype="float32",
        reference=np.round,
        id="round_half_even",
    ),
    OpCase(
        "round", (np.array([1.234, -5.678], np.float64), 2), dtype="float64", reference=np.round
    ),
    OpCase(
        "round",
        (np.array([15, 25, -35, 44], np.int32), -1),
        dtype="int32",
        reference=np.round,
        id="round_ints_to_tens",
    ),
    OpCase("round", (i32(4),), dtype="int32", reference=np.round),
    OpCase("clip", (f32(3, 4), -0.5, 0.5), dtype="float32", reference=np.clip),
    OpCase("clip", (i32(6), -2, 3), dtype="int32", reference=np.clip),
    OpCase("clip", (u8(6), 2, 5), dtype="uint8", reference=np.clip),
    OpCase(
        "clip",
        (b(4), 0, 0),
        dtype="int32",
        reference=lambda x, lo, hi: np.clip(x.astype(np.int32), lo, hi),
    ),
    OpCase(
        "clip",
        (f32(5), f32(5, low=-2, high=-1), f32(5, low=1, high=2)),
        dtype="float32",
        reference=np.clip,
        id="clip_tensor_bounds",
    ),
    OpCase(
        "nan_to_num",
        (np.array([np.nan, np.inf, -np.inf, 1.5], np.float32),),
        dtype="float32",
        reference=np.nan_to_num,
    ),
    OpCase(
        "nan_to_num",
        (np.array([np.nan, np.inf, -np.inf], np.float64), 1.0, 9.0, -9.0),
        dtype="float64",
        reference=lambda x, n, p, m: np.nan_to_num(x, nan=n, posinf=p, neginf=m),
    ),
    OpCase("nan_to_num", (i32(3),), dtype="int32", reference=np.nan_to_num),
    OpCase(
        "ldexp", (f32(4), np.array([0, 1, -2, 5], np.int32)), dtype="float32", reference=np.ldexp
    ),
    OpCase(
        "ldexp",
        (i32(3), np.array([1, 2, 3], np.int32)),
        dtype="float32",
        reference=as64(lambda a, e: np.ldexp(a, e.astype(int))),
    ),
    OpCase(
        "gcd",
        (np.array([12, -18, 0, 7], np.int32), np.array([8, 12, 5, 0], np.int32)),
        dtype="int32",
        reference=np.gcd,
    ),
    OpCase("gcd", (i64(2, 3, low=-20, high=20), np.int64(6)), dtype="int64", reference=np.gcd),
    OpCase(
        "lcm",
        (np.array([4, -6, 0, 7], np.int32), np.array([6, 4, 5, 3], np.int32)),
        dtype="int32",
        reference=np.lcm,
    ),
    OpCase("where", (b(3, 4), f32(3, 4), f32(4)), dtype="float32", reference=np.where),
    OpCase(
        "where", (b(4), i32(4), 0.5), dtype="float32", reference=lambda c, x, y: np.where(c, x, y)
    ),
    OpCase(
        "where",
        (i32(4), u8(4), np.int8(-1)),
        dtype="int16",
        reference=lambda c, x, y: np.where(c != 0, x, y),
    ),
    OpCase(
        "where",
        (np.array([[True, False], [False, True]]),),
        dtype=["int32", "int32"],
        reference=lambda c: [i.astype(np.int32) for i in np.nonzero(c)],
        id="where_condition_only",
    ),
]

COMPARISONS = ["equal", "not_equal", "greater", "greater_equal", "less", "less_equal"]
for name in COMPARISONS:
    reference = getattr(np, name)
    CASES += [
        OpCase(
            name,
            (i32(3, 4, low=0, high=3), i32(4, low=0, high=3)),
            dtype="bool",
            reference=reference,
        ),
        OpCase(name, (f32(5), 0.0), dtype="bool", reference=reference),
        OpCase(name, (i32(5), 0.5), dtype="bool", reference=as64(reference)),
        OpCase(
            name, (u8(4), np.array([0, 3, 5, 9], np.int8)), dtype="bool", reference=as64(reference)
        ),
        OpCase(name, (b(4), b(4)), dtype="bool", reference=reference),
    ]

LOGICAL = ["logical_and", "logical_or", "logical_xor"]
for name in LOGICAL:
    reference = getattr(np, name)
    CASES += [
        OpCase(name, (b(3, 4), b(4)), dtype="bool", reference=reference),
        OpCase(name, (i32(5, low=0, high=2), f32(5)), dtype="bool", reference=reference),
    ]
CASES += [
    OpCase("logical_not", (b(5),), dtype="bool", reference=np.logical_not),
    OpCase("logical_not", (i32(5, low=0, high=2),), dtype="bool", reference=np.logical_not),
]

SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.5, -2.0], np.float32)
for name in ["isfinite", "isinf", "isnan", "isneginf", "isposinf", "signbit"]:
    CASES += [
        OpCase(name, (SPECIAL,), dtype="bool", reference=getattr(np, name)),
        OpCase(name, (i32(4),), dtype="bool", reference=getattr(np, name)),
    ]
CASES += [
    OpCase(
        "isclose",
        (
            np.array([1.0, 1.1, np.nan, np.inf], np.float32),
            np.array([1.0, 1.0, np.nan, np.inf], np.float32),
        ),
        dtype="bool",
        reference=np.isclose,
    ),
    OpCase(
        "isclose",
        (
            np.array([1.0, np.nan], np.float32),
            np.array([1.0 + 1e-6, np.nan], np.float32),
            1e-5,
            1e-8,
            True,
        ),
        dtype="bool",
        reference=np.isclose,
    ),
    OpCase("isclose", (i32(4), i32(4)), dtype="bool", reference=np.isclose),
    OpCase("allclose", (f32(4), f32(4)), dtype="bool", reference=np.allclose),
    OpCase(
        "allclose",
        (np.ones(3, np.float32), np.float32(1.0 + 1e-7)),
        dtype="bool",
        reference=np.allclose,
    ),
]

BITWISE = {
    "bitwise_and": np.bitwise_and,
    "bitwise_or": np.bitwise_or,
    "bitwise_xor": np.bitwise_xor,
}
for name, reference in BITWISE.items():
    CASES += [
        OpCase(
            name,
            (i32(3, 4, low=-20, high=20), i32(4, low=0, high=20)),
            dtype="int32",
            reference=reference,
        ),
        OpCase(name, (u8(5, high=255), np.uint8(0b1010)), dtype="uint8", reference=reference),
        OpCase(name, (b(4), b(4)), dtype="bool", reference=reference),
    ]
CASES += [
    OpCase("bitwise_invert", (i32(5, low=-9, high=9),), dtype="int32", reference=np.invert),
    OpCase("bitwise_not", (u8(5, high=255),), dtype="uint8", reference=np.invert),
    OpCase("bitwise_invert", (b(4),), dtype="bool", reference=np.invert),
    OpCase(
        "bitwise_left_shift",
        (i32(4, low=0, high=50), np.array([0, 1, 2, 3], np.int32)),
        dtype="int32",
        reference=np.left_shift,
    ),
    OpCase(
        "left_shift",
        (i64(3, low=0, high=9), 4),
        dtype="int64",
        reference=lambda x, s: np.left_shift(x, np.int64(s)),
    ),
    OpCase(
        "bitwise_right_shift",
        (i32(4, low=-50, high=50), np.array([0, 1, 2, 3], np.int32)),
        dtype="int32",
        reference=np.right_shift,
    ),
    OpCase(
        "right_shift",
        (u8(4, high=255), 2),
        dtype="uint8",
        reference=lambda x, s: np.right_shift(x, np.uint8(s)),
    ),
]

COMPLEX = (RNG.normal(size=4) + 1j * RNG.normal(size=4)).astype(np.complex64)
CASES += [
    OpCase("real", (COMPLEX,), dtype="float32", reference=np.real),
    OpCase("imag", (COMPLEX,), dtype="float32", reference=np.imag),
    OpCase("conjugate", (COMPLEX,), dtype="complex64", reference=np.conjugate),
    OpCase("conj", (COMPLEX,), dtype="complex64", reference=np.conj),
    OpCase("angle", (COMPLEX,), dtype="float32", reference=np.angle),
    OpCase("real", (f32(3),), dtype="float32", reference=np.real),
    OpCase("imag", (f32(3),), dtype="float32", reference=np.imag),
    OpCase("angle", (np.array([-2.0, 0.0, 3.0], np.float32),), dtype="float32", reference=np.angle),
    OpCase("isreal", (np.array([1 + 0j, 1j], np.complex64),), dtype="bool", reference=np.isreal),
    OpCase("isreal", (f32(3),), dtype="bool", reference=np.isreal),
    OpCase("absolute", (COMPLEX,), dtype="float32", reference=np.absolute),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


def test_incompatible_shapes_name_the_op_and_shapes():
    x1 = ops.convert_to_tensor(np.ones((2, 3), "float32"))
    x2 = ops.convert_to_tensor(np.ones(4, "float32"))
    with pytest.raises(
        ValueError, match=r"kfn.ops.add: cannot broadcast x1 of shape \(2, 3\), x2 of shape \(4,\)"
    ):
        ops.add(x1, x2)
    with pytest.raises(ValueError, match=r"kfn.ops.where: cannot broadcast"):
        ops.where(ops.convert_to_tensor(np.ones((3,), bool)), x1, x2)


def test_bitwise_ops_reject_floats():
    with pytest.raises(
        TypeError, match="kfn.ops.bitwise_and: needs integer or bool inputs, got float32"
    ):
        ops.bitwise_and(ops.convert_to_tensor(np.ones(2, "float32")), 1)


def test_where_needs_both_branches():
    with pytest.raises(ValueError, match="give both x1 and x2, or neither"):
        ops.where(ops.convert_to_tensor([True]), 1.0)


def test_operators_under_jit():
    @ops.jit
    def f(x, y):
        return ops.where(ops.greater(x, 0), ops.exp(x), ops.log1p(ops.square(y))) + ops.clip(
            x, -1, 1
        )

    x, y = f32(3, 4), f32(4)
    expected = np.where(
        x > 0, np.exp(x.astype(np.float64)), np.log1p(y.astype(np.float64) ** 2)
    ) + np.clip(x, -1, 1)
    check_result(
        f(ops.convert_to_tensor(x), ops.convert_to_tensor(y)), expected, "float32", rtol=3e-5
    )


GRADIENTS = {
    "sin": (lambda x: ops.sum(ops.sin(x)), f64(3, 2)),
    "exp": (lambda x: ops.sum(ops.exp(x)), f64(4)),
    "log": (lambda x: ops.sum(ops.log(x)), positive(4, dtype=np.float64)),
    "sqrt": (lambda x: ops.sum(ops.sqrt(x)), positive(4, dtype=np.float64)),
    "tanh": (lambda x: ops.sum(ops.tanh(x)), f64(4)),
    "arctan": (lambda x: ops.sum(ops.arctan(x)), f64(4)),
    "cbrt": (lambda x: ops.sum(ops.cbrt(x)), positive(4, dtype=np.float64)),
    "power": (lambda x: ops.sum(ops.power(x, 3.0) + ops.power(2.0, x)), f64(4)),
    "divide": (lambda x: ops.sum(ops.divide(1.0, x + 3.0)), f64(4)),
    "multiply": (lambda x: ops.sum(ops.multiply(x, x)), f64(4)),
    "maximum": (lambda x: ops.sum(ops.maximum(x, 0.25)), np.array([-1.0, 0.5, 2.0])),
    "arctan2": (lambda x: ops.sum(ops.arctan2(x, 1.5)), f64(4)),
    "hypot": (lambda x: ops.sum(ops.hypot(x, 2.0)), f64(4)),
    "logaddexp": (lambda x: ops.sum(ops.logaddexp(x, 0.3)), f64(4)),
    "erf": (lambda x: ops.sum(ops.erf(x)), f64(4)),
    "where": (lambda x: ops.sum(ops.where(x > 0, x * 3.0, x * x)), np.array([-1.0, 0.5, 2.0])),
    "clip": (lambda x: ops.sum(ops.clip(x, -1.0, 1.0) * x), np.array([-2.0, 0.5, 2.0])),
}


@requires_gradients
@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradient(name):
    fn, x = GRADIENTS[name]
    check_gradient(fn, x)

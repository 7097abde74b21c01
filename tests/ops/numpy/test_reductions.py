"""kfn.ops.numpy reductions and statistics against NumPy, on the active backend."""

import numpy as np
import pytest

from kfn import ops
from tests.conftest import BACKEND, requires_gradients
from tests.ops.cases import (
    OpCase,
    b,
    case_id,
    check_gradient,
    f16,
    f32,
    f64,
    i32,
    i64,
    run_case,
    u8,
)

RNG = np.random.default_rng(11)


def as64(fn):
    return lambda x, *a, **k: fn(np.asarray(x, np.float64), *a, **k)


def with_nans(*shape, dtype=np.float32):
    x = RNG.uniform(-2, 2, shape).astype(dtype)
    x[RNG.uniform(size=shape) < 0.25] = np.nan
    return x


X = f32(3, 4, 5)
AXES = [None, 0, -1, (0, 2), [1, 2]]

CASES = []
# Sums and products: dtype per Keras (bool/int8/int16 -> int32, uint8/uint16 -> uint32).
for axis in AXES:
    for keepdims in (False, True):
        CASES.append(
            OpCase(
                "sum",
                (X,),
                {"axis": axis, "keepdims": keepdims},
                dtype="float32",
                reference=lambda x, axis, keepdims: np.sum(
                    x, axis=tuple(axis) if isinstance(axis, list) else axis, keepdims=keepdims
                ),
            )
        )
CASES += [
    OpCase("sum", (i32(4, 3),), {"axis": 1}, dtype="int32"),
    OpCase("sum", (i64(4),), dtype="int64"),
    OpCase("sum", (b(5),), dtype="int32", reference=lambda x: np.sum(x, dtype=np.int32)),
    OpCase(
        "sum",
        (np.array([100, 100, 100], np.int8),),
        dtype="int32",
        reference=lambda x: np.sum(x, dtype=np.int32),
    ),
    OpCase(
        "sum", (u8(6, high=250),), dtype="uint32", reference=lambda x: np.sum(x, dtype=np.uint32)
    ),
    OpCase("sum", (f16(8),), dtype="float16", reference=as64(np.sum), rtol=2e-3, atol=1e-2),
    OpCase("sum", (f32(0, 3),), {"axis": 0}, dtype="float32", id="sum(empty)"),
    OpCase(
        "prod",
        (f32(3, 4),),
        {"axis": 1},
        dtype="float32",
        reference=lambda x, axis: np.prod(x, axis=axis),
    ),
    OpCase("prod", (i32(4, low=1, high=4),), dtype="int32"),
    OpCase("prod", (b(3),), dtype="int32", reference=lambda x: np.prod(x, dtype=np.int32)),
    OpCase(
        "prod",
        (i32(3, low=1, high=4),),
        {"dtype": "float64"},
        dtype="float64",
        reference=lambda x, dtype: np.prod(x, dtype=dtype),
    ),
    OpCase(
        "cumsum",
        (f32(3, 4),),
        {"axis": 1},
        dtype="float32",
        reference=lambda x, axis: np.cumsum(x, axis=axis),
    ),
    OpCase(
        "cumsum", (i32(2, 3),), dtype="int32", reference=lambda x: np.cumsum(x).astype(np.int32)
    ),
    OpCase(
        "cumsum",
        (b(4),),
        {"axis": 0},
        dtype="int32",
        reference=lambda x, axis: np.cumsum(x, axis=axis, dtype=np.int32),
    ),
    OpCase(
        "cumsum",
        (i32(4),),
        {"axis": 0, "dtype": "float32"},
        dtype="float32",
        reference=lambda x, axis, dtype: np.cumsum(x, axis=axis, dtype=dtype),
    ),
    OpCase(
        "cumprod",
        (f32(3, 4, low=0.5, high=1.5),),
        {"axis": -1},
        dtype="float32",
        reference=lambda x, axis: np.cumprod(x, axis=axis),
    ),
    OpCase(
        "cumprod",
        (i32(5, low=1, high=3),),
        dtype="int32",
        reference=lambda x: np.cumprod(x).astype(np.int32),
    ),
    OpCase(
        "count_nonzero",
        (i32(4, 5, low=-1, high=2),),
        dtype="int32",
        reference=lambda x: np.count_nonzero(x),
    ),
    OpCase(
        "count_nonzero",
        (i32(4, 5, low=-1, high=2),),
        {"axis": 1},
        dtype="int32",
        reference=lambda x, axis: np.count_nonzero(x, axis=axis),
    ),
    OpCase(
        "count_nonzero",
        (b(3, 4),),
        {"axis": (0, 1)},
        dtype="int32",
        reference=lambda x, axis: np.count_nonzero(x, axis=axis),
    ),
    OpCase(
        "logsumexp",
        (f32(3, 4),),
        {"axis": 1},
        dtype="float32",
        reference=lambda x, axis: np.log(np.sum(np.exp(x.astype(np.float64)), axis=axis)),
    ),
    OpCase(
        "logsumexp",
        (np.array([[1000.0, 1000.0], [-np.inf, -np.inf]], np.float32),),
        {"axis": -1, "keepdims": True},
        dtype="float32",
        reference=lambda x, axis, keepdims: np.array([[1000.0 + np.log(2.0)], [-np.inf]]),
        id="logsumexp_extremes",
    ),
    OpCase(
        "logsumexp",
        (i32(5),),
        dtype="float32",
        reference=lambda x: np.log(np.sum(np.exp(x.astype(np.float64)))),
    ),
    OpCase("trapezoid", (f32(3, 5),), dtype="float32", reference=as64(lambda y: np.trapezoid(y))),
    OpCase(
        "trapezoid",
        (f32(5), np.sort(f32(5))),
        dtype="float32",
        reference=lambda y, x: np.trapezoid(y.astype(np.float64), x.astype(np.float64)),
        rtol=1e-4,
        atol=1e-5,
    ),
    OpCase(
        "trapezoid",
        (f64(2, 4),),
        {"dx": 0.5, "axis": 0},
        dtype="float64",
        reference=lambda y, dx, axis: np.trapezoid(y, dx=dx, axis=axis),
    ),
]

# Extrema and logic keep the input dtype (all/any give bool).
for name in ("max", "min", "amax", "amin", "ptp"):
    reference = getattr(np, name)
    CASES += [
        OpCase(
            name,
            (X,),
            {"axis": axis},
            dtype="float32",
            reference=lambda x, axis, r=reference: r(
                x, axis=tuple(axis) if isinstance(axis, list) else axis
            ),
        )
        for axis in AXES
    ]
    CASES += [
        OpCase(
            name, (i32(3, 4),), {"axis": 0, "keepdims": True}, dtype="int32", reference=reference
        ),
        OpCase(name, (u8(5),), dtype="uint8", reference=reference),
        OpCase(
            name,
            (np.array([1.0, np.nan, 3.0], np.float32),),
            dtype="float32",
            reference=reference,
            id=f"{name}(nan_propagates)",
        ),
    ]
CASES += [
    OpCase("max", (b(4),), dtype="bool"),
    OpCase(
        "max",
        (f32(0),),
        {"initial": -1.0},
        dtype="float32",
        reference=lambda x, initial: np.max(x, initial=initial),
        id="max(empty,initial)",
    ),
    OpCase(
        "min",
        (f32(3, 2),),
        {"axis": 1, "initial": 0.0},
        dtype="float32",
        reference=lambda x, axis, initial: np.min(x, axis=axis, initial=initial),
    ),
]
for name in ("argmax", "argmin"):
    reference = getattr(np, name)
    CASES += [
        OpCase(name, (X,), dtype="int32", reference=reference),
        OpCase(name, (X,), {"axis": 1}, dtype="int32", reference=reference),
        OpCase(name, (X,), {"axis": -1, "keepdims": True}, dtype="int32", reference=reference),
        OpCase(
            name,
            (np.array([3, 7, 7, 1, 1], np.int32),),
            dtype="int32",
            reference=reference,
            id=f"{name}(ties_first)",
        ),
        OpCase(name, (b(5),), dtype="int32", reference=reference),
    ]
for name in ("all", "any"):
    reference = getattr(np, name)
    CASES += [
        OpCase(name, (b(3, 4),), dtype="bool", reference=reference),
        OpCase(name, (b(3, 4),), {"axis": 1, "keepdims": True}, dtype="bool", reference=reference),
        OpCase(name, (i32(3, 4, low=0, high=2),), {"axis": 0}, dtype="bool", reference=reference),
        OpCase(name, (f32(3, 2),), {"axis": (0, 1)}, dtype="bool", reference=reference),
    ]

# Statistics: floats, ints -> floatx.
for name in ("mean", "var", "std", "median"):
    reference = as64(getattr(np, name))
    CASES += [
        OpCase(
            name,
            (X,),
            {"axis": axis},
            dtype="float32",
            reference=lambda x, axis, r=reference: r(
                x, axis=tuple(axis) if isinstance(axis, list) else axis
            ),
            rtol=2e-5,
        )
        for axis in AXES
    ]
    CASES += [
        OpCase(name, (i32(4, 3),), {"axis": 0}, dtype="float32", reference=reference),
        OpCase(
            name, (f64(5, 2),), {"axis": 0, "keepdims": True}, dtype="float64", reference=reference
        ),
        OpCase(name, (f16(6),), dtype="float16", reference=reference, rtol=3e-3, atol=3e-3),
        OpCase(name, (b(6),), dtype="float32", reference=reference),
    ]
CASES += [
    OpCase(
        "average",
        (f32(3, 4),),
        {"axis": 1},
        dtype="float32",
        reference=lambda x, axis: np.average(x, axis=axis),
    ),
    OpCase(
        "average",
        (f32(3, 4),),
        {"axis": 1, "weights": f32(4, low=0.1, high=1)},
        dtype="float32",
        reference=lambda x, axis, weights: np.average(
            x.astype(np.float64), axis=axis, weights=weights
        ),
    ),
    OpCase(
        "average",
        (i32(3, 4),),
        {"axis": 0, "weights": f32(3, 4, low=0.1, high=1)},
        dtype="float32",
        reference=lambda x, axis, weights: np.average(
            x.astype(np.float64), axis=axis, weights=weights
        ),
    ),
    OpCase("average", (i32(5),), dtype="float32", reference=as64(np.average)),
]
for method in ("linear", "lower", "higher", "midpoint", "nearest"):
    CASES += [
        OpCase(
            "quantile",
            (f32(4, 7), 0.3),
            {"axis": 1, "method": method},
            dtype="float32",
            reference=as64(np.quantile),
        ),
        OpCase(
            "percentile",
            (f32(9), np.array([10.0, 50.0, 95.0])),
            {"method": method},
            dtype="float32",
            reference=lambda x, q, method: np.percentile(x.astype(np.float64), q, method=method),
        ),
    ]
CASES += [
    OpCase(
        "quantile",
        (f32(3, 4, 5), np.array([0.25, 0.75])),
        {"axis": (0, 2), "keepdims": True},
        dtype="float32",
        reference=as64(np.quantile),
    ),
    OpCase("quantile", (i32(6), 0.5), dtype="float32", reference=as64(np.quantile)),
    OpCase(
        "quantile",
        (np.array([1.0, np.nan, 3.0], np.float32), 0.5),
        dtype="float32",
        reference=np.quantile,
        id="quantile(nan_propagates)",
    ),
    OpCase(
        "corrcoef", (f32(3, 6),), dtype="float32", reference=as64(np.corrcoef), rtol=1e-4, atol=1e-5
    ),
    OpCase(
        "corrcoef", (i32(2, 5),), dtype="float32", reference=as64(np.corrcoef), rtol=1e-4, atol=1e-5
    ),
]

# NaN-ignoring variants.
XN = with_nans(4, 6)
for name in ("nansum", "nanprod", "nanmax", "nanmin", "nanmean", "nanvar", "nanstd", "nanmedian"):
    reference = getattr(np, name)
    CASES += [
        OpCase(name, (XN,), dtype="float32", reference=as64(reference), rtol=2e-5),
        OpCase(
            name,
            (XN,),
            {"axis": 1, "keepdims": True},
            dtype="float32",
            reference=as64(reference),
            rtol=2e-5,
        ),
    ]
CASES += [
    OpCase("nansum", (i32(3, 2),), {"axis": 0}, dtype="int32", reference=np.sum),
    OpCase("nanmean", (i32(6),), dtype="float32", reference=as64(np.mean)),
    OpCase(
        "nancumsum", (XN,), {"axis": 1}, dtype="float32", reference=as64(np.nancumsum), rtol=2e-5
    ),
    OpCase(
        "nancumprod", (with_nans(6),), dtype="float32", reference=as64(np.nancumprod), rtol=2e-5
    ),
    OpCase("nanargmax", (XN,), {"axis": 1}, dtype="int32", reference=np.nanargmax),
    OpCase("nanargmin", (XN,), dtype="int32", reference=np.nanargmin),
    OpCase(
        "nanargmax",
        (np.array([[np.nan, np.nan], [1.0, np.nan]], np.float32),),
        {"axis": 1},
        dtype="int32",
        reference=lambda x, axis: np.array([-1, 0]),
        id="nanargmax(all_nan_row)",
    ),
    OpCase("nanquantile", (XN, 0.4), {"axis": 1}, dtype="float32", reference=as64(np.nanquantile)),
    OpCase(
        "nanpercentile",
        (XN, np.array([20.0, 80.0])),
        {"axis": 0, "method": "nearest"},
        dtype="float32",
        reference=as64(np.nanpercentile),
    ),
]

CASES += [
    OpCase(
        "bincount",
        (np.array([0, 1, 1, 3, 1], np.int32),),
        dtype="int32",
        reference=lambda x: np.bincount(x),
    ),
    OpCase(
        "bincount",
        (np.array([0, 2, 2], np.int32),),
        {"minlength": 5},
        dtype="int32",
        reference=lambda x, minlength: np.bincount(x, minlength=minlength),
    ),
    OpCase(
        "bincount",
        (np.array([0, 2, 2], np.int32),),
        {"weights": np.array([0.5, 1.0, 2.0], np.float32)},
        dtype="float32",
        reference=lambda x, weights: np.bincount(x, weights=weights),
    ),
    OpCase(
        "histogram",
        (f32(20),),
        dtype=["int32", "float32"],
        reference=lambda x: list(np.histogram(x)),
    ),
    OpCase(
        "histogram",
        (f32(20),),
        {"bins": 4, "range": (-1.0, 1.0)},
        dtype=["int32", "float32"],
        reference=lambda x, bins, range: list(np.histogram(x, bins=bins, range=range)),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


def test_max_of_an_empty_axis_needs_initial():
    with pytest.raises(
        ValueError, match=r"kfn.ops.max: cannot reduce an empty axis .*pass initial="
    ):
        ops.max(ops.convert_to_tensor(np.zeros((0, 3), "float32")), axis=0)


def test_unknown_quantile_method():
    with pytest.raises(ValueError, match="kfn.ops.quantile: method must be one of"):
        ops.quantile(ops.convert_to_tensor(f32(4)), 0.5, method="cubic")


@pytest.mark.skipif(BACKEND == "numpy", reason="nothing to trace on numpy")
def test_reductions_under_jit():
    @ops.jit
    def stats(x):
        return ops.mean(x, axis=0), ops.std(x), ops.logsumexp(x, axis=-1), ops.argmax(x, axis=1)

    x = f32(4, 5)
    mean, std, lse, arg = stats(ops.convert_to_tensor(x))
    np.testing.assert_allclose(ops.convert_to_numpy(mean), x.mean(0), rtol=1e-5)
    np.testing.assert_allclose(ops.convert_to_numpy(std), x.std(), rtol=1e-5)
    np.testing.assert_allclose(
        ops.convert_to_numpy(lse), np.log(np.exp(x.astype(float)).sum(-1)), rtol=1e-5
    )
    np.testing.assert_array_equal(ops.convert_to_numpy(arg), x.argmax(1))


GRADIENTS = {
    "sum": (lambda x: ops.sum(ops.sum(x, axis=0) ** 2), f64(3, 2)),
    "mean": (lambda x: ops.sum(ops.mean(x, axis=1) ** 2), f64(3, 2)),
    "prod": (lambda x: ops.prod(x), f64(4, low=0.5, high=2)),
    "max": (lambda x: ops.sum(ops.max(x, axis=1)), f64(3, 4)),
    "std": (lambda x: ops.std(x), f64(5)),
    "var": (lambda x: ops.sum(ops.var(x, axis=0)), f64(4, 2)),
    "logsumexp": (lambda x: ops.sum(ops.logsumexp(x, axis=-1)), f64(3, 4)),
    "cumsum": (lambda x: ops.sum(ops.cumsum(x, axis=0) ** 2), f64(4, 2)),
    "cumprod": (lambda x: ops.sum(ops.cumprod(x)), f64(4, low=0.5, high=1.5)),
    "nanmean": (lambda x: ops.nanmean(x * x), f64(5)),
    "quantile": (lambda x: ops.quantile(x, 0.3), f64(7)),
}


@requires_gradients
@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradient(name):
    fn, x = GRADIENTS[name]
    check_gradient(fn, x)

"""kfn.ops.numpy reductions and statistics against NumPy, on the active backend.

Expected dtypes are written out in each case: the same on every backend.
"""

import ml_dtypes
import numpy as np
import pytest

from kfn import ops
from kfn.state.spec import TensorSpec
from tests.conftest import BACKEND, requires_gradients
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
    run_case,
    u8,
)

RNG = np.random.default_rng(11)
requires_tracing = pytest.mark.skipif(BACKEND == "numpy", reason="nothing to trace on numpy")


def np_axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def ref(fn, compute=None, **fixed):
    """A NumPy reference: list axes as tuples, inputs cast to `compute` first."""

    def reference(*args, **kwargs):
        if compute is not None:
            args = [a.astype(compute) if isinstance(a, np.ndarray) else a for a in args]
        if "axis" in kwargs:
            kwargs["axis"] = np_axis(kwargs["axis"])
        return fn(*args, **kwargs, **fixed)

    return reference


def with_nans(*shape, dtype=np.float32, fraction=0.25):
    x = RNG.uniform(-2, 2, shape).astype(dtype)
    x[RNG.uniform(size=shape) < fraction] = np.nan
    return x


def bf16(*shape):
    return f32(*shape).astype(ml_dtypes.bfloat16)


def typed(dtype, *shape):
    return RNG.integers(0, 5, shape).astype(dtype)


X = f32(3, 4, 5)
AXES = [None, 0, -1, (0, 2), [2, 1], ()]
# A small float64 tolerance for float32 inputs compared with float64 references.
LOOSE = {"rtol": 2e-5, "atol": 1e-5}

CASES = []

# ---------------------------------------------------------------------------- sums, products

for name in ("sum", "prod", "nansum", "nanprod"):
    for axis in AXES:
        for keepdims in (False, True):
            CASES.append(
                OpCase(
                    name,
                    (X,),
                    {"axis": axis, "keepdims": keepdims},
                    dtype="float32",
                    reference=ref(getattr(np, name), np.float64),
                    **LOOSE,
                )
            )
# Keras's accumulation types (64-bit types are kept).
SUM_DTYPES = [
    ("bool", "int32"),
    ("int8", "int32"),
    ("int16", "int32"),
    ("int32", "int32"),
    ("int64", "int64"),
    ("uint8", "uint32"),
    ("uint16", "uint32"),
    ("uint32", "uint32"),
    ("uint64", "uint64"),
]
for name in ("sum", "prod", "nansum", "nanprod", "cumsum", "cumprod", "nancumsum", "nancumprod"):
    for source, result in SUM_DTYPES:
        CASES.append(
            OpCase(
                name,
                (typed(source, 2, 3),),
                {"axis": 1},
                dtype=result,
                reference=ref(getattr(np, name), dtype=result),
                id=f"{name}({source}->{result})",
            )
        )
CASES += [
    OpCase(
        "sum",
        (np.full(300, 100, np.int8),),
        dtype="int32",
        reference=ref(np.sum, dtype=np.int32),
        id="sum(int8 accumulates in int32)",
    ),
    OpCase("sum", (f16(8),), dtype="float16", reference=ref(np.sum, np.float64), atol=1e-2),
    OpCase("sum", (bf16(6),), dtype="bfloat16", reference=ref(np.sum, np.float64), atol=5e-2),
    OpCase("sum", (f64(4, 3),), {"axis": -2}, dtype="float64"),
    OpCase("sum", (f32(0, 3),), {"axis": 0}, dtype="float32", id="sum(empty axis)"),
    OpCase("sum", (np.float32(2.5),), dtype="float32", reference=np.sum, id="sum(0-d)"),
    OpCase("prod", (f32(0, 3),), {"axis": 0}, dtype="float32", id="prod(empty axis)"),
    OpCase(
        "prod",
        (i32(3, 4, low=1, high=4),),
        {"axis": (0, 1), "dtype": "float64"},
        dtype="float64",
        reference=ref(np.prod),
    ),
    OpCase("prod", (u8(4, 3, high=4),), {"axis": -1, "keepdims": True}, dtype="uint32"),
]
for name in ("cumsum", "cumprod", "nancumsum", "nancumprod"):
    CASES += [
        OpCase(name, (X,), {"axis": axis}, dtype="float32", reference=ref(getattr(np, name)))
        for axis in (None, 0, -1)
    ]
    CASES += [
        OpCase(
            name,
            (i32(4, low=1, high=4),),
            {"axis": 0, "dtype": "float32"},
            dtype="float32",
            reference=ref(getattr(np, name)),
        ),
        OpCase(name, (f32(0, 2),), {"axis": 0}, dtype="float32", reference=ref(getattr(np, name))),
    ]
CASES += [
    OpCase(
        "cumsum", (typed("uint16", 5),), {"dtype": "uint32"}, dtype="uint32", reference=np.cumsum
    ),
    OpCase(
        "cumprod",
        (f32(2, 3),),
        {"axis": 1, "dtype": "int32"},
        dtype="int32",
        reference=lambda x, axis, dtype: np.cumprod(x, axis=axis, dtype=dtype),
    ),
]
for axis in (None, 1, -1, (0, 1), ()):
    CASES.append(
        OpCase(
            "count_nonzero",
            (i32(4, 5, low=-1, high=2),),
            {"axis": axis},
            dtype="int32",
            reference=ref(np.count_nonzero),
        )
    )
CASES += [
    OpCase(
        "count_nonzero", (b(3, 4),), {"axis": 0}, dtype="int32", reference=ref(np.count_nonzero)
    ),
    OpCase(
        "count_nonzero",
        (np.array([0.0, np.nan, -0.0, 2.0], np.float32),),
        dtype="int32",
        reference=np.count_nonzero,
        id="count_nonzero(nan counts)",
    ),
    OpCase("count_nonzero", (typed("uint16", 6),), dtype="int32", reference=np.count_nonzero),
]


def np_logsumexp(x, axis=None, keepdims=False):
    import scipy.special

    return scipy.special.logsumexp(np.asarray(x, np.float64), axis=np_axis(axis), keepdims=keepdims)


for axis in AXES[:-1]:
    CASES.append(OpCase("logsumexp", (X,), {"axis": axis}, dtype="float32", reference=np_logsumexp))
CASES += [
    OpCase(
        "logsumexp",
        (np.array([[1000.0, 1000.0], [-np.inf, -np.inf], [np.inf, 1.0]], np.float32),),
        {"axis": -1, "keepdims": True},
        dtype="float32",
        reference=lambda x, axis, keepdims: np.array([[1000.0 + np.log(2.0)], [-np.inf], [np.inf]]),
        id="logsumexp(extremes)",
    ),
    OpCase("logsumexp", (i32(5),), dtype="float32", reference=np_logsumexp),
    OpCase("logsumexp", (f16(6),), dtype="float16", reference=np_logsumexp),
    OpCase("logsumexp", (f64(3, 2),), {"axis": 0}, dtype="float64", reference=np_logsumexp),
    OpCase(
        "logsumexp",
        (f32(0, 3),),
        {"axis": 0},
        dtype="float32",
        reference=lambda x, axis: np.full(3, -np.inf),
        id="logsumexp(empty)",
    ),
]

CASES += [
    OpCase("trapezoid", (f32(3, 5),), dtype="float32", reference=ref(np.trapezoid, np.float64)),
    OpCase(
        "trapezoid",
        (f32(5), np.sort(f32(5))),
        dtype="float32",
        reference=ref(np.trapezoid, np.float64),
        **LOOSE,
    ),
    OpCase(
        "trapezoid",
        (f32(3, 4), np.sort(f32(3))),
        {"axis": 0},
        dtype="float32",
        reference=ref(np.trapezoid, np.float64),
        id="trapezoid(1-D x along axis 0)",
        **LOOSE,
    ),
    OpCase(
        "trapezoid",
        (f32(2, 4), np.sort(f32(2, 4), axis=-1)),
        dtype="float32",
        reference=ref(np.trapezoid, np.float64),
        **LOOSE,
    ),
    OpCase(
        "trapezoid",
        (f64(2, 4),),
        {"dx": 0.5, "axis": 0},
        dtype="float64",
        reference=ref(np.trapezoid),
    ),
    OpCase("trapezoid", (i32(4),), dtype="float32", reference=ref(np.trapezoid, np.float64)),
    OpCase(
        "trapezoid",
        (f16(4), np.arange(4, dtype=np.float32)),
        dtype="float32",
        reference=ref(np.trapezoid, np.float64),
        id="trapezoid(float16 y, float32 x)",
        rtol=1e-3,
    ),
    OpCase("trapezoid", (f32(3, 1),), dtype="float32", reference=ref(np.trapezoid)),
]

# ---------------------------------------------------------------------------- extrema, logic

for name in ("max", "min", "amax", "amin", "ptp"):
    reference = ref(getattr(np, name))
    CASES += [
        OpCase(name, (X,), {"axis": axis}, dtype="float32", reference=reference) for axis in AXES
    ]
    CASES += [
        OpCase(
            name, (i32(3, 4),), {"axis": 0, "keepdims": True}, dtype="int32", reference=reference
        ),
        OpCase(name, (f64(3, 4),), {"axis": -1}, dtype="float64", reference=reference),
        OpCase(name, (f16(5),), dtype="float16", reference=reference),
        OpCase(name, (bf16(5),), dtype="bfloat16", reference=reference),
        OpCase(
            name,
            (np.array([1.0, np.nan, 3.0], np.float32),),
            dtype="float32",
            reference=reference,
            id=f"{name}(nan propagates)",
        ),
        OpCase(
            name,
            (np.array([[1.0, -np.inf], [3.0, np.inf]], np.float32),),
            {"axis": 1},
            dtype="float32",
            reference=reference,
            id=f"{name}(infinities)",
        ),
    ]
    for dtype in ("int8", "uint8", "uint16", "uint32", "uint64", "int64"):
        CASES.append(
            OpCase(name, (typed(dtype, 2, 3),), {"axis": 1}, dtype=dtype, reference=reference)
        )
BIG = np.array([3, 2**64 - 1, 2**63, 0, 2**63 - 1], np.uint64)  # beyond int64's range
for name in ("max", "min", "amax", "amin", "ptp", "argmax", "argmin", "nanmax", "nanargmin"):
    CASES.append(
        OpCase(
            name,
            (BIG,),
            dtype="int32" if "arg" in name else "uint64",
            reference=getattr(np, name),
            id=f"{name}(uint64 above 2**63)",
        )
    )
CASES += [
    OpCase("max", (BIG,), {"initial": 2**63 + 5}, dtype="uint64", reference=ref(np.max)),
    OpCase("max", (b(4),), dtype="bool"),
    OpCase("min", (b(2, 3),), {"axis": 1}, dtype="bool", reference=ref(np.min)),
    OpCase(
        "max",
        (f32(0),),
        {"initial": -1.0},
        dtype="float32",
        reference=ref(np.max),
        id="max(empty, initial)",
    ),
    OpCase(
        "min",
        (i32(2, 0),),
        {"axis": 1, "keepdims": True, "initial": 7},
        dtype="int32",
        reference=ref(np.min),
        id="min(empty axis, initial, keepdims)",
    ),
    OpCase(
        "max",
        (f32(0, 3),),
        {"axis": 1},
        dtype="float32",
        reference=ref(np.max),
        id="max(other axis empty)",
    ),
    OpCase(
        "min",
        (f32(3, 2),),
        {"axis": 1, "initial": 0.0},
        dtype="float32",
        reference=ref(np.min),
    ),
    OpCase(
        "max",
        (typed("uint16", 3),),
        {"initial": 9},
        dtype="uint16",
        reference=ref(np.max),
    ),
    OpCase(
        "ptp",
        (np.array([-128, 127], np.int8),),
        dtype="int8",
        reference=np.ptp,
        id="ptp(int8 wraps around as NumPy)",
    ),
]
for name in ("argmax", "argmin", "nanargmax", "nanargmin"):
    reference = ref(getattr(np, name))
    CASES += [
        OpCase(name, (X,), dtype="int32", reference=reference),
        OpCase(name, (X,), {"axis": 1}, dtype="int32", reference=reference),
        OpCase(name, (X,), {"axis": -1, "keepdims": True}, dtype="int32", reference=reference),
        OpCase(name, (X,), {"keepdims": True}, dtype="int32", reference=reference),
        OpCase(
            name,
            (np.array([3, 7, 7, 1, 1], np.int32),),
            dtype="int32",
            reference=reference,
            id=f"{name}(ties: first wins)",
        ),
        OpCase(name, (b(5),), dtype="int32", reference=reference),
        OpCase(name, (typed("uint16", 2, 5),), {"axis": 1}, dtype="int32", reference=reference),
        OpCase(name, (f16(6),), dtype="int32", reference=reference),
    ]
for name in ("argmax", "argmin"):
    CASES.append(
        OpCase(
            name,
            (np.array([[1.0, np.nan, 3.0, np.nan], [5.0, 4.0, 3.0, 2.0]], np.float32),),
            {"axis": 1},
            dtype="int32",
            reference=ref(getattr(np, name)),
            id=f"{name}(the first NaN wins)",
        )
    )
for name in ("nanargmax", "nanargmin"):
    CASES += [
        OpCase(
            name, (with_nans(4, 6),), {"axis": 1}, dtype="int32", reference=ref(getattr(np, name))
        ),
        OpCase(
            name,
            (np.array([[np.nan, np.nan], [1.0, np.nan]], np.float32),),
            {"axis": 1},
            dtype="int32",
            reference=lambda x, axis: np.array([-1, 0]),
            id=f"{name}(all-NaN row gives -1)",
        ),
    ]
for name in ("all", "any"):
    reference = ref(getattr(np, name))
    CASES += [
        OpCase(name, (b(3, 4),), dtype="bool", reference=reference),
        OpCase(name, (b(3, 4),), {"axis": 1, "keepdims": True}, dtype="bool", reference=reference),
        OpCase(name, (b(2, 3, 4),), {"axis": [0, -1]}, dtype="bool", reference=reference),
        OpCase(name, (b(3, 4),), {"axis": ()}, dtype="bool", reference=reference),
        OpCase(name, (i32(3, 4, low=0, high=2),), {"axis": 0}, dtype="bool", reference=reference),
        OpCase(
            name,
            (np.array([0.0, np.nan], np.float32),),
            dtype="bool",
            reference=reference,
            id=f"{name}(NaN is true)",
        ),
        OpCase(name, (f32(0, 2),), {"axis": 0}, dtype="bool", reference=reference),
        OpCase(name, (typed("uint16", 4),), dtype="bool", reference=reference),
    ]

# ---------------------------------------------------------------------------- statistics

for name in ("mean", "var", "std", "median", "nanmean", "nanvar", "nanstd", "nanmedian"):
    reference = ref(getattr(np, name), np.float64)
    CASES += [
        OpCase(name, (X,), {"axis": axis}, dtype="float32", reference=reference, **LOOSE)
        for axis in AXES[:-1]
    ]
    CASES += [
        OpCase(name, (X,), {"axis": 1, "keepdims": True}, dtype="float32", reference=reference),
        OpCase(name, (i32(4, 3),), {"axis": 0}, dtype="float32", reference=reference),
        OpCase(name, (i64(5),), dtype="float32", reference=reference),
        OpCase(name, (b(6),), dtype="float32", reference=reference),
        OpCase(name, (u8(2, 3),), {"axis": -1}, dtype="float32", reference=reference),
        OpCase(
            name, (f64(5, 2),), {"axis": 0, "keepdims": True}, dtype="float64", reference=reference
        ),
        OpCase(name, (f16(7),), dtype="float16", reference=reference),
        OpCase(name, (bf16(7),), dtype="bfloat16", reference=reference),
    ]
XN = with_nans(4, 6)
XN[2] = np.nan  # an all-NaN row
for name in ("nanmean", "nanvar", "nanstd", "nanmedian", "nanmax", "nanmin", "nansum", "nanprod"):
    reference = ref(getattr(np, name), np.float64)
    CASES += [
        OpCase(name, (XN,), dtype="float32", reference=reference, **LOOSE),
        OpCase(name, (XN,), {"axis": 1}, dtype="float32", reference=reference, **LOOSE),
        OpCase(
            name,
            (XN,),
            {"axis": 0, "keepdims": True},
            dtype="float32",
            reference=reference,
            **LOOSE,
        ),
    ]
for name in ("mean", "var", "std", "median"):
    CASES.append(
        OpCase(
            name,
            (np.array([[1.0, np.nan, 3.0], [1.0, 2.0, 3.0]], np.float32),),
            {"axis": 1},
            dtype="float32",
            reference=ref(getattr(np, name)),
            id=f"{name}(nan propagates)",
        )
    )
CASES += [
    OpCase("nanmax", (typed("int8", 2, 3),), {"axis": 1}, dtype="int8", reference=ref(np.max)),
    OpCase("nanmean", (i32(6),), dtype="float32", reference=ref(np.mean, np.float64)),
    OpCase("nansum", (i32(3, 2),), {"axis": 0}, dtype="int32", reference=ref(np.sum)),
    OpCase(
        "nancumsum", (XN,), {"axis": 1}, dtype="float32", reference=ref(np.nancumsum, np.float64)
    ),
    OpCase(
        "nancumprod", (with_nans(6),), dtype="float32", reference=ref(np.nancumprod, np.float64)
    ),
]

W4 = f32(4, low=0.1, high=1.0)
CASES += [
    OpCase("average", (X,), {"axis": 1}, dtype="float32", reference=ref(np.average, np.float64)),
    OpCase("average", (X,), dtype="float32", reference=ref(np.average, np.float64), **LOOSE),
    OpCase(
        "average",
        (X,),
        {"axis": 1, "weights": W4},
        dtype="float32",
        reference=ref(np.average, np.float64),
        id="average(1-D weights along axis 1)",
    ),
    OpCase(
        "average",
        (X,),
        {"axis": -2, "weights": W4},
        dtype="float32",
        reference=ref(np.average, np.float64),
        id="average(1-D weights along axis -2)",
    ),
    OpCase(
        "average",
        (X,),
        {"axis": (2, 0), "weights": f32(5, 3, low=0.1, high=1.0)},
        dtype="float32",
        reference=ref(np.average, np.float64),
        id="average(weights of the axes in axis order)",
    ),
    OpCase(
        "average",
        (X,),
        {"weights": f32(3, 4, 5, low=0.1, high=1.0)},
        dtype="float32",
        reference=ref(np.average, np.float64),
        **LOOSE,
    ),
    OpCase(
        "average",
        (i32(3, 4),),
        {"axis": 0, "weights": i32(3, 4, low=1, high=4)},
        dtype="float32",
        reference=ref(np.average, np.float64),
        id="average(int x, int weights)",
    ),
    OpCase(
        "average",
        (f16(3, 4),),
        {"axis": 0, "weights": i32(3, low=1, high=4)},
        dtype="float16",
        reference=ref(np.average, np.float64),
        id="average(float16 x, int weights)",
    ),
    OpCase(
        "average",
        (i32(3, 4),),
        {"axis": 1, "weights": f16(4, low=0.5, high=1.0)},
        dtype="float16",
        reference=ref(np.average, np.float64),
        id="average(int x, float16 weights)",
    ),
    OpCase(
        "average",
        (f64(3),),
        {"weights": f32(3, low=0.5, high=1.0)},
        dtype="float64",
        reference=ref(np.average, np.float64),
    ),
]

QUANTILE_REFERENCES = {
    "quantile": np.quantile,
    "percentile": np.percentile,
    "nanquantile": np.nanquantile,
    "nanpercentile": np.nanpercentile,
}
for name, reference in QUANTILE_REFERENCES.items():
    scale = 100 if "percentile" in name else 1
    data = XN if name.startswith("nan") else f32(4, 7)
    for method in ("linear", "lower", "higher", "midpoint", "nearest"):
        CASES += [
            OpCase(
                name,
                (data, 0.3 * scale),
                {"axis": 1, "method": method},
                dtype="float32",
                reference=ref(reference, np.float64),
                **LOOSE,
            ),
            OpCase(
                name,
                (data, np.array([0.0, 0.125, 0.5, 0.875, 1.0]) * scale),
                {"method": method},
                dtype="float32",
                reference=ref(reference, np.float64),
                **LOOSE,
            ),
        ]
    CASES += [
        OpCase(
            name,
            (f32(3, 4, 5), np.array([0.25, 0.75]) * scale),
            {"axis": (0, 2), "keepdims": True},
            dtype="float32",
            reference=ref(reference, np.float64),
            **LOOSE,
        ),
        OpCase(
            name,
            (f32(3, 4, 5), [0.1 * scale, 0.9 * scale]),
            {"axis": -1},
            dtype="float32",
            reference=ref(reference, np.float64),
            id=f"{name}(list q)",
            **LOOSE,
        ),
        OpCase(name, (i32(6), 0.5 * scale), dtype="float32", reference=ref(reference, np.float64)),
        OpCase(
            name,
            (f64(9), 0.4 * scale),
            {"method": "midpoint"},
            dtype="float64",
            reference=ref(reference),
        ),
        OpCase(
            name,
            (f16(9), 0.4 * scale),
            dtype="float16",
            reference=ref(reference, np.float64),
        ),
    ]
CASES += [
    OpCase(
        "quantile",
        (np.arange(5, dtype=np.float32), np.array([0.125, 0.375, 0.625, 0.875])),
        {"method": "nearest"},
        dtype="float32",
        reference=ref(np.quantile),
        id="quantile(nearest rounds half to even)",
    ),
    OpCase(
        "quantile",
        (np.array([[1.0, np.nan, 3.0], [1.0, 2.0, 3.0]], np.float32), 0.5),
        {"axis": 1},
        dtype="float32",
        reference=ref(np.quantile),
        id="quantile(nan propagates)",
    ),
]
CASES += [
    OpCase(
        "corrcoef", (f32(3, 6),), dtype="float32", reference=ref(np.corrcoef, np.float64), **LOOSE
    ),
    OpCase(
        "corrcoef", (i32(2, 5),), dtype="float32", reference=ref(np.corrcoef, np.float64), **LOOSE
    ),
    OpCase("corrcoef", (f64(4, 5),), dtype="float64", reference=ref(np.corrcoef)),
    OpCase("corrcoef", (f32(6),), dtype="float32", reference=ref(np.corrcoef, np.float64)),
    OpCase(
        "corrcoef",
        (np.array([[1.0, 1.0, 1.0], [1.0, 2.0, 4.0]], np.float32),),
        dtype="float32",
        reference=lambda x: np.array([[np.nan, np.nan], [np.nan, 1.0]]),
        id="corrcoef(a constant row gives NaN)",
    ),
]

# ---------------------------------------------------------------------------- counting

CASES += [
    OpCase(
        "bincount", (np.array([0, 1, 1, 3, 1], np.int32),), dtype="int32", reference=np.bincount
    ),
    OpCase(
        "bincount",
        (np.array([0, 2, 2], np.int64),),
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
        "bincount",
        (np.array([0, 2, 2], np.int32),),
        {"weights": np.array([1, 5, 7], np.int8)},
        dtype="int32",
        reference=lambda x, weights: np.bincount(x, weights=weights),
        id="bincount(int8 weights: int32, the type of x and weights)",
    ),
    OpCase(
        "bincount",
        (np.array([0, 2, 2], np.uint8),),
        {"weights": np.array([1.0, 5.0, 7.0], np.float64)},
        dtype="float64",
        reference=lambda x, weights: np.bincount(x, weights=weights),
    ),
    OpCase(
        "bincount",
        (np.array([[0, 1, 1], [3, 3, 3]], np.int32),),
        {"minlength": 2},
        dtype="int32",
        reference=lambda x, minlength: np.stack([np.bincount(r, minlength=4) for r in x]),
        id="bincount(2-D: a count per row)",
    ),
    OpCase(
        "bincount",
        (np.array([[0, 1], [2, 2]], np.int32),),
        {"weights": np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)},
        dtype="float32",
        reference=lambda x, weights: np.array([[1.0, 2.0, 0.0], [0.0, 0.0, 7.0]]),
        id="bincount(2-D weights)",
    ),
    OpCase(
        "bincount",
        (np.zeros(0, np.int32),),
        {"minlength": 3},
        dtype="int32",
        reference=lambda x, minlength: np.zeros(3),
        id="bincount(empty)",
    ),
    OpCase("bincount", (b(6),), dtype="int32", reference=lambda x: np.bincount(x)),
]
HISTOGRAM_CASES = [
    (f32(20),),
    (f32(20), 4, (-1.0, 1.0)),
    (np.array([0.0, 2.0, 4.0, 8.0, 10.0], np.float32), 5, None),
    (np.array([0.0, 0.1, 0.2, 0.3, 0.7, 0.9, 1.0], np.float32), 10, (0.0, 1.0)),
    (np.array([0.1, 0.2, 0.7], np.float64), 10, (0.0, 1.0)),
    (f32(3, 4), 3, None),
    (i32(12, low=0, high=10), 5, None),
    (np.array([2.0, 2.0, 2.0], np.float32), 2, None),
    (np.array([2.0, 2.0], np.float32), 2, (2.0, 2.0)),
    (np.zeros(0, np.float32), 2, None),
    (np.array([-5.0, 0.5, np.nan, 9.0], np.float32), 2, (0.0, 1.0)),
    (f16(10), 3, None),
]
for args in HISTOGRAM_CASES:
    x = args[0]
    options = {} if len(args) == 1 else {"bins": args[1], "range": args[2]}
    float_dtype = (
        "float64" if x.dtype == np.float64 else ("float16" if x.dtype == np.float16 else "float32")
    )
    CASES.append(
        OpCase(
            "histogram",
            (x,),
            options,
            dtype=["int32", float_dtype],
            reference=lambda x, **k: list(
                np.histogram(x.astype(np.float32) if x.dtype.kind == "i" else x, **k)
            ),
        )
    )


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


# ---------------------------------------------------------------------------- errors

T = ops.convert_to_tensor
ERRORS = [
    (
        lambda: ops.max(T(np.zeros((0, 3), "float32")), axis=0),
        ValueError,
        r"kfn.ops.max: cannot reduce over an empty axis .*pass initial=",
    ),
    (lambda: ops.amin(T(np.zeros((0,), "int32"))), ValueError, "kfn.ops.amin: cannot reduce"),
    (
        lambda: ops.argmax(T(np.zeros((2, 0), "float32")), axis=1),
        ValueError,
        "kfn.ops.argmax: cannot reduce",
    ),
    (lambda: ops.nanmin(T(np.zeros((0,), "float32"))), ValueError, "kfn.ops.nanmin: cannot reduce"),
    (lambda: ops.median(T(np.zeros((0,), "float32"))), ValueError, "kfn.ops.median: cannot reduce"),
    (
        lambda: ops.sum(T(f32(2, 3)), axis=2),
        ValueError,
        r"kfn.ops.sum: axis=2 is out of bounds for a tensor of rank 2",
    ),
    (lambda: ops.mean(T(f32(2, 3)), axis=(0, -2)), ValueError, "kfn.ops.mean: repeated axis"),
    (
        lambda: ops.cumsum(T(f32(2, 3)), axis=-3),
        ValueError,
        "kfn.ops.cumsum: axis=-3 is out of bounds",
    ),
    (
        lambda: ops.argmax(T(f32(2, 3)), axis=(0, 1)),
        TypeError,
        "kfn.ops.argmax: axis must be an int",
    ),
    (
        lambda: ops.quantile(T(f32(4)), 0.5, method="cubic"),
        ValueError,
        "kfn.ops.quantile: method must be one of",
    ),
    (
        lambda: ops.quantile(T(f32(4)), 1.5),
        ValueError,
        r"kfn.ops.quantile: quantiles q must be in \[0, 1\]",
    ),
    (
        lambda: ops.nanpercentile(T(f32(4)), [50, 101]),
        ValueError,
        r"kfn.ops.nanpercentile: percentiles q must be in \[0, 100\]",
    ),
    (
        lambda: ops.quantile(T(f32(4)), np.zeros((2, 2))),
        ValueError,
        "kfn.ops.quantile: q must be a scalar or 1-D",
    ),
    (
        lambda: ops.average(T(f32(3, 4)), axis=1, weights=T(f32(3))),
        ValueError,
        r"kfn.ops.average: weights must have x's shape \(3, 4\) or the shape of the averaged axes \(4,\), got \(3,\)",
    ),
    (
        lambda: ops.average(T(f32(3, 4)), weights=T(f32(4))),
        ValueError,
        "kfn.ops.average: .*pass axis=",
    ),
    (lambda: ops.ptp(T(b(3))), TypeError, "kfn.ops.ptp: x must be numeric, got bool"),
    (lambda: ops.corrcoef(T(f32(2, 2, 2))), ValueError, "kfn.ops.corrcoef: x must be 1-D or 2-D"),
    (
        lambda: ops.trapezoid(T(f32(3)), x=T(f32(4))),
        ValueError,
        "kfn.ops.trapezoid: x has 4 sample points but y has 3 along axis 0",
    ),
    (
        lambda: ops.bincount(T(np.array([0, -1], "int32"))),
        (ValueError, Exception),
        "kfn.ops.bincount: x must be non-negative",
    ),
    (
        lambda: ops.bincount(T(f32(3))),
        TypeError,
        "kfn.ops.bincount: x must be a tensor of integers, got float32",
    ),
    (
        lambda: ops.bincount(T(np.zeros((2, 2, 2), "int32"))),
        ValueError,
        "kfn.ops.bincount: x must be 1-D",
    ),
    (
        lambda: ops.bincount(T(np.zeros(3, "int32")), weights=T(f32(2))),
        ValueError,
        r"kfn.ops.bincount: weights must have the shape of x \(3,\), got \(2,\)",
    ),
    (
        lambda: ops.bincount(T(np.zeros(3, "int32")), minlength=-1),
        ValueError,
        "kfn.ops.bincount: minlength",
    ),
    (
        lambda: ops.bincount(T(np.zeros(3, "int32")), sparse=True),
        NotImplementedError,
        f"kfn.ops.bincount: sparse outputs are not supported on the {BACKEND} backend",
    ),
    (
        lambda: ops.histogram(T(f32(3)), bins=0),
        ValueError,
        "kfn.ops.histogram: bins must be a positive int",
    ),
    (
        lambda: ops.histogram(T(f32(3)), range=(2.0, 1.0)),
        ValueError,
        "kfn.ops.histogram: range must have low <= high",
    ),
    (
        lambda: ops.histogram(T(f32(3)), range=(0.0, np.inf)),
        ValueError,
        "kfn.ops.histogram: range must be finite",
    ),
    (
        lambda: ops.histogram(T(f32(3)), range=(1.0,)),
        ValueError,
        r"kfn.ops.histogram: range must be a pair",
    ),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors(index):
    fn, error, message = ERRORS[index]
    with pytest.raises(error, match=message):
        fn()


# ---------------------------------------------------------------------------- tracing


@requires_tracing
def test_reductions_under_jit():
    @ops.jit
    def stats(x, w):
        return (
            ops.mean(x, axis=0),
            ops.std(x),
            ops.logsumexp(x, axis=-1),
            ops.argmax(x, axis=1),
            ops.max(x, axis=1, initial=0.5),
            ops.quantile(x, [0.25, 0.5], axis=1, method="midpoint"),
            ops.nanmean(x, axis=0),
            ops.average(x, axis=1, weights=w),
            ops.cumsum(x, axis=0),
            ops.histogram(x, bins=4),
            ops.nanargmin(x, axis=0),
        )

    x = f32(4, 5)
    w = f32(5, low=0.1, high=1.0)
    out = stats(ops.convert_to_tensor(x), ops.convert_to_tensor(w))
    expected = (
        x.mean(0),
        x.std(),
        np.log(np.exp(x.astype(float)).sum(-1)),
        x.argmax(1),
        np.max(x, axis=1, initial=0.5),
        np.quantile(x, [0.25, 0.5], axis=1, method="midpoint"),
        np.nanmean(x, axis=0),
        np.average(x, axis=1, weights=w),
        np.cumsum(x, axis=0),
        list(np.histogram(x, bins=4)),
        np.nanargmin(x, axis=0),
    )
    dtypes = ["float32"] * 3 + ["int32"] + ["float32"] * 5 + [["int32", "float32"], "int32"]
    for result, reference, dtype in zip(out, expected, dtypes):
        check_result(result, reference, dtype, rtol=2e-5, atol=1e-5)


@requires_tracing
def test_shapes_with_unknown_dimensions():
    """Abstract evaluation with None dimensions (a real trace on tensorflow)."""
    spec = TensorSpec((None, 4), "float32")
    cases = {
        "sum": (lambda x: ops.sum(x, axis=0), (4,)),
        "max": (lambda x: ops.max(x, axis=-1, keepdims=True), (None, 1)),
        "argmin": (lambda x: ops.argmin(x, axis=1), (None,)),
        "median": (lambda x: ops.median(x, axis=0), (4,)),
        "quantile": (lambda x: ops.quantile(x, [0.1, 0.9], axis=0), (2, 4)),
        "nanvar": (lambda x: ops.nanvar(x, axis=1), (None,)),
        "histogram": (lambda x: ops.histogram(x, bins=3)[0], (3,)),
    }
    for name, (fn, expected) in cases.items():
        out = ops.eval_shape(fn, spec)
        assert tuple(out.shape) == expected, (name, out.shape)


# ---------------------------------------------------------------------------- gradients

GRADIENTS = {
    "sum": (lambda x: ops.sum(ops.sum(x, axis=0) ** 2), f64(3, 2)),
    "mean": (lambda x: ops.sum(ops.mean(x, axis=1) ** 2), f64(3, 2)),
    "prod": (lambda x: ops.prod(x), f64(4, low=0.5, high=2)),
    "prod_axes": (lambda x: ops.sum(ops.prod(x, axis=(0, 2))), f64(2, 2, 2, low=0.5, high=2)),
    "max": (lambda x: ops.sum(ops.max(x, axis=1)), f64(3, 4)),
    "min": (lambda x: ops.min(x), f64(5)),
    "std": (lambda x: ops.std(x), f64(5)),
    "var": (lambda x: ops.sum(ops.var(x, axis=0)), f64(4, 2)),
    "logsumexp": (lambda x: ops.sum(ops.logsumexp(x, axis=-1)), f64(3, 4)),
    "cumsum": (lambda x: ops.sum(ops.cumsum(x, axis=0) ** 2), f64(4, 2)),
    "cumprod": (lambda x: ops.sum(ops.cumprod(x)), f64(4, low=0.5, high=1.5)),
    "average": (
        lambda x: ops.sum(ops.average(x, axis=1, weights=ops.convert_to_tensor([1.0, 2.0, 3.0]))),
        f64(2, 3),
    ),
    "trapezoid": (lambda x: ops.trapezoid(x * x), f64(5)),
    "nanmean": (lambda x: ops.nanmean(x * x), f64(5)),
    "nansum": (lambda x: ops.nansum(x * x), f64(5)),
    "quantile": (lambda x: ops.quantile(x, 0.3), f64(7)),
    "median": (lambda x: ops.sum(ops.median(x, axis=0)), f64(5, 2)),
}


@requires_gradients
@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradient(name):
    fn, x = GRADIENTS[name]
    check_gradient(fn, x)


# ---------------------------------------------------------------------------- Keras 3


def test_agrees_with_keras():
    """Keras-specific choices (kfn keeps 64-bit types, so only values are compared)."""
    keras = pytest.importorskip("keras")
    x = with_nans(3, 4)
    x[1] = np.nan
    counts = np.array([[0, 1, 1], [2, 2, 0]], np.int32)
    pairs = [
        (ops.nanargmax(T(x), axis=1), keras.ops.nanargmax(x, axis=1)),
        (ops.nanargmin(T(x), axis=1), keras.ops.nanargmin(x, axis=1)),
        (ops.bincount(T(counts), minlength=3), keras.ops.bincount(counts, minlength=3)),
        (ops.sum(T(np.full(3, 100, np.int8))), keras.ops.sum(np.full(3, 100, np.int8))),
        (ops.histogram(T(X.ravel()), bins=6)[0], keras.ops.histogram(X.ravel(), bins=6)[0]),
    ]
    for ours, theirs in pairs:
        np.testing.assert_allclose(
            ops.convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=1e-5
        )

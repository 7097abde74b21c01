"""kfn.ops.numpy indexing, sorting, searching and selection against NumPy, on the active
backend. Expected dtypes are written out in each case: the same on every backend."""

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

RNG = np.random.default_rng(5)
T = ops.convert_to_tensor
requires_tracing = pytest.mark.skipif(BACKEND == "numpy", reason="nothing to trace on numpy")


def typed(dtype, *shape, high=5):
    return RNG.integers(0, high, shape).astype(dtype)


def idx(*values, dtype=np.int32):
    return np.array(values, dtype)


def stable(fn):
    return lambda x, axis=-1: fn(x, axis=axis, kind="stable")


X = f32(3, 4, 5)
BIG = np.array([3, 2**64 - 1, 2**63, 0, 2**63 - 1], np.uint64)  # beyond int64's range
X24 = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
# Floats with every kind of tie NumPy orders: NaNs (last), infinities, -0.0 == 0.0, repeats.
TIES = np.array([np.nan, np.inf, 1.0, -0.0, np.nan, -np.inf, 0.0, 1.0, np.inf, -0.0], np.float32)

CASES = [
    # take
    OpCase(
        "take",
        (X, idx([0, 2], [-1, 1])),
        {"axis": 1},
        dtype="float32",
        reference=lambda x, i, axis: np.take(x, i, axis=axis),
    ),
    OpCase(
        "take",
        (X, idx(4, 0, -5, dtype=np.int64)),
        {"axis": -1},
        dtype="float32",
        reference=lambda x, i, axis: np.take(x, i, axis=axis),
    ),
    OpCase("take", (i32(3, 4), idx(11, -1)), dtype="int32", reference=np.take),
    OpCase(
        "take",
        (X, np.array(2, np.int32)),
        {"axis": 0},
        dtype="float32",
        reference=lambda x, i, axis: np.take(x, i, axis=axis),
        id="take(0-d index)",
    ),
    OpCase(
        "take",
        (X, idx(1, 3, dtype=np.uint8)),
        {"axis": 2},
        dtype="float32",
        reference=lambda x, i, axis: np.take(x, i, axis=axis),
    ),
    OpCase(
        "take",
        (X, np.zeros(0, np.int32)),
        {"axis": 1},
        dtype="float32",
        reference=lambda x, i, axis: np.take(x, i, axis=axis),
        id="take(no indices)",
    ),
    OpCase("take", (typed("uint16", 5), idx(4, 0)), dtype="uint16", reference=np.take),
    OpCase(
        "take",
        (b(3, 2), idx(2, 0)),
        {"axis": 0},
        dtype="bool",
        reference=lambda x, i, axis: np.take(x, i, axis=axis),
    ),
    OpCase("take", (f16(4), [3, 1]), dtype="float16", reference=np.take, id="take(list indices)"),
    # take_along_axis
    OpCase(
        "take_along_axis",
        (X, np.argsort(X, axis=1).astype(np.int32)),
        {"axis": 1},
        dtype="float32",
        reference=lambda x, i, axis: np.take_along_axis(x, i, axis=axis),
    ),
    OpCase(
        "take_along_axis",
        (i32(3, 4), idx([0], [3], [-1])),
        {"axis": -1},
        dtype="int32",
        reference=lambda x, i, axis: np.take_along_axis(x, i, axis=axis),
    ),
    OpCase(
        "take_along_axis",
        (X, idx([[1, 0]], dtype=np.int64)),
        {"axis": 2},
        dtype="float32",
        reference=lambda x, i, axis: np.take_along_axis(x, i, axis=axis),
        id="take_along_axis(indices broadcast)",
    ),
    OpCase(
        "take_along_axis",
        (f32(1, 4), idx([0, 1], [2, 3], [3, 3])),
        {"axis": 1},
        dtype="float32",
        reference=lambda x, i, axis: np.take_along_axis(x, i, axis=axis),
        id="take_along_axis(x broadcast)",
    ),
    OpCase(
        "take_along_axis",
        (f32(6), idx(5, 0, -1)),
        dtype="float32",
        reference=lambda x, i: np.take_along_axis(x, i, axis=None),
    ),
    OpCase(
        "take_along_axis",
        (typed("uint32", 2, 3), idx([2], [0])),
        {"axis": 1},
        dtype="uint32",
        reference=lambda x, i, axis: np.take_along_axis(x, i, axis=axis),
    ),
    # nonzero
    OpCase(
        "nonzero",
        (i32(3, 4, low=-1, high=2),),
        dtype=["int32", "int32"],
        reference=lambda x: list(np.nonzero(x)),
    ),
    OpCase("nonzero", (b(6),), dtype=["int32"], reference=lambda x: list(np.nonzero(x))),
    OpCase(
        "nonzero",
        (np.array([0.0, np.nan, -0.0, 2.0], np.float32),),
        dtype=["int32"],
        reference=lambda x: list(np.nonzero(x)),
        id="nonzero(NaN is nonzero)",
    ),
    OpCase(
        "nonzero",
        (np.zeros((2, 3), np.float32),),
        dtype=["int32", "int32"],
        reference=lambda x: list(np.nonzero(x)),
        id="nonzero(none)",
    ),
    OpCase(
        "nonzero",
        (typed("uint16", 2, 3),),
        dtype=["int32", "int32"],
        reference=lambda x: list(np.nonzero(x)),
    ),
    # select
    OpCase(
        "select",
        ([X > 0.5, X < -0.5], [X * 10, X - 1]),
        dtype="float32",
        reference=lambda c, v: np.select(c, v),
    ),
    OpCase("select", ([b(4), b(4)], [i32(4), i32(4)], -7), dtype="int32", reference=np.select),
    OpCase(
        "select",
        ([b(2, 3)], [i32(3)], 9),
        dtype="int32",
        reference=np.select,
        id="select(conditions broadcast)",
    ),
    OpCase(
        "select",
        ([b(3)], [np.int8(5) * np.ones(3, np.int8)], 1.5),
        dtype="float32",
        reference=lambda c, v, d: np.select(c, v, d).astype(np.float32),
        id="select(int8 choices, weak float default)",
    ),
    OpCase(
        "select",
        ([b(3)], [f16(3)], i32(3)),
        dtype="float16",
        reference=lambda c, v, d: np.select(c, v, d.astype(np.float16)),
        id="select(float16 choice, int32 default)",
    ),
    # sort, argsort
    OpCase("sort", (X,), dtype="float32", reference=np.sort),
    OpCase(
        "sort", (X,), {"axis": 0}, dtype="float32", reference=lambda x, axis: np.sort(x, axis=axis)
    ),
    OpCase(
        "sort",
        (X,),
        {"axis": None},
        dtype="float32",
        reference=lambda x, axis: np.sort(x, axis=axis),
    ),
    OpCase("sort", (i32(10),), dtype="int32", reference=np.sort),
    OpCase("sort", (TIES,), dtype="float32", reference=np.sort, id="sort(NaN last, infinities)"),
    OpCase(
        "sort",
        (np.array([0, -(2**31), 5, 2**31 - 1], np.int32),),
        dtype="int32",
        reference=np.sort,
        id="sort(int32 extremes)",
    ),
    OpCase("sort", (np.array([3, 2**64 - 1, 0], np.uint64),), dtype="uint64", reference=np.sort),
    OpCase("argsort", (BIG,), dtype="int32", reference=stable(np.argsort)),
    OpCase("take", (BIG, idx(1, 2, -1)), dtype="uint64", reference=np.take),
    OpCase("get_item", (BIG, slice(None, None, -2)), dtype="uint64", reference=lambda x, k: x[k]),
    OpCase(
        "top_k",
        (BIG, 3),
        dtype=["uint64", "int32"],
        reference=lambda x, k: [np.sort(x)[::-1][:k], np.argsort(x)[::-1][:k]],
    ),
    OpCase(
        "searchsorted",
        (np.sort(BIG), BIG),
        dtype="int32",
        reference=np.searchsorted,
        id="searchsorted(uint64 above 2**63)",
    ),
    OpCase(
        "unique",
        (np.concatenate([BIG, BIG]),),
        {"return_counts": True},
        dtype=["uint64", "int32"],
        reference=lambda x, **k: list(np.unique(x, **k)),
    ),
    OpCase("sort", (b(6),), dtype="bool", reference=np.sort),
    OpCase("sort", (typed("int8", 7),), dtype="int8", reference=np.sort),
    OpCase(
        "sort",
        (f16(2, 5),),
        {"axis": -1},
        dtype="float16",
        reference=lambda x, axis: np.sort(x, axis=axis),
    ),
    OpCase("sort", (f32(6).astype(ml_dtypes.bfloat16),), dtype="bfloat16", reference=np.sort),
    OpCase("sort", (f32(0, 3),), dtype="float32", reference=np.sort, id="sort(empty)"),
    OpCase(
        "argsort",
        (np.array([3, 1, 2, 1, 3, 1], np.int32),),
        dtype="int32",
        reference=stable(np.argsort),
        id="argsort(ties keep their order)",
    ),
    OpCase(
        "argsort",
        (TIES,),
        dtype="int32",
        reference=stable(np.argsort),
        id="argsort(NaN last, -0.0 == 0.0, stable)",
    ),
    OpCase(
        "argsort",
        (TIES.astype(np.float16),),
        dtype="int32",
        reference=stable(np.argsort),
        id="argsort(float16 ties)",
    ),
    OpCase(
        "argsort",
        (TIES.astype(np.float64),),
        dtype="int32",
        reference=stable(np.argsort),
        id="argsort(float64 ties)",
    ),
    OpCase("argsort", (X,), {"axis": 1}, dtype="int32", reference=stable(np.argsort)),
    OpCase(
        "argsort",
        (typed("int32", 3, 4, high=2),),
        {"axis": 0},
        dtype="int32",
        reference=stable(np.argsort),
    ),
    OpCase("argsort", (X,), {"axis": None}, dtype="int32", reference=stable(np.argsort)),
    OpCase("argsort", (u8(7, high=3),), dtype="int32", reference=stable(np.argsort)),
    OpCase(
        "argsort",
        (np.array([0, -(2**63), 5, -(2**63)], np.int64),),
        dtype="int32",
        reference=stable(np.argsort),
        id="argsort(int64 extremes)",
    ),
    OpCase("argsort", (typed("uint32", 8, high=3),), dtype="int32", reference=stable(np.argsort)),
    OpCase("argsort", (b(7),), dtype="int32", reference=stable(np.argsort)),
    # searchsorted, digitize
    OpCase(
        "searchsorted",
        (idx(1.0, 2.0, 2.0, 3.0, dtype=np.float32), idx(2.0, 0.0, 4.0, 2.5, dtype=np.float32)),
        dtype="int32",
        reference=np.searchsorted,
    ),
    OpCase(
        "searchsorted",
        (idx(1, 2, 2, 3), idx([2, 3], [0, 9])),
        {"side": "right"},
        dtype="int32",
        reference=lambda s, v, side: np.searchsorted(s, v, side=side),
    ),
    OpCase(
        "searchsorted",
        (idx(1, 2, 3), 2.5),
        dtype="int32",
        reference=lambda s, v: np.searchsorted(s.astype(np.float32), v),
        id="searchsorted(int sequence, Python float value)",
    ),
    OpCase(
        "searchsorted",
        (np.sort(TIES), TIES),
        dtype="int32",
        reference=np.searchsorted,
        id="searchsorted(NaN, infinities, signed zeros)",
    ),
    OpCase(
        "searchsorted",
        (np.sort(TIES), TIES),
        {"side": "right"},
        dtype="int32",
        reference=lambda s, v, side: np.searchsorted(s, v, side=side),
        id="searchsorted(right: NaN, infinities, signed zeros)",
    ),
    OpCase("searchsorted", (np.sort(f16(5)), f16(3)), dtype="int32", reference=np.searchsorted),
    OpCase(
        "searchsorted",
        (np.sort(typed("uint16", 6)), typed("uint16", 3)),
        dtype="int32",
        reference=np.searchsorted,
    ),
    OpCase(
        "searchsorted",
        (np.sort(typed("int8", 6)), np.int8(2)),
        dtype="int32",
        reference=np.searchsorted,
        id="searchsorted(scalar value)",
    ),
    OpCase(
        "digitize",
        (f32(6), idx(-1.0, 0.0, 1.0, dtype=np.float32)),
        dtype="int32",
        reference=np.digitize,
    ),
    OpCase(
        "digitize",
        (f32(6), idx(1.0, 0.0, -1.0, dtype=np.float32)),
        dtype="int32",
        reference=np.digitize,
        id="digitize(decreasing bins)",
    ),
    OpCase("digitize", (i32(5), idx(-2, 2)), dtype="int32", reference=np.digitize),
    OpCase(
        "digitize",
        (TIES, idx(-1.0, 0.0, 1.0, dtype=np.float32)),
        dtype="int32",
        reference=np.digitize,
        id="digitize(NaN, infinities, signed zeros)",
    ),
    OpCase(
        "digitize",
        (i32(2, 3), idx(0.5, dtype=np.float32)),
        dtype="int32",
        reference=lambda x, bins: np.digitize(x.astype(np.float32), bins),
    ),
    OpCase(
        "digitize",
        (f32(3), np.zeros(0, np.float32)),
        dtype="int32",
        reference=np.digitize,
        id="digitize(no bins)",
    ),
    # top_k, in_top_k
    OpCase(
        "top_k",
        (f32(3, 6), 3),
        dtype=["float32", "int32"],
        reference=lambda x, k: [
            -np.sort(-x, axis=-1)[..., :k],
            np.argsort(-x, axis=-1, kind="stable")[..., :k],
        ],
    ),
    OpCase(
        "top_k",
        (f32(2, 3, 4), 4),
        dtype=["float32", "int32"],
        reference=lambda x, k: [-np.sort(-x, axis=-1), np.argsort(-x, axis=-1, kind="stable")],
    ),
    OpCase(
        "top_k",
        (f32(5), 0),
        dtype=["float32", "int32"],
        reference=lambda x, k: [x[:0], np.zeros(0, np.int32)],
        id="top_k(k=0)",
    ),
    OpCase(
        "top_k",
        (np.array([1.0, np.nan, 3.0, -np.inf], np.float32), 2),
        dtype=["float32", "int32"],
        reference=lambda x, k: [np.array([np.nan, 3.0]), np.array([1, 2])],
        id="top_k(NaN largest)",
    ),
    OpCase(
        "top_k",
        (i64(7), 2),
        dtype=["int64", "int32"],
        reference=lambda x, k: [-np.sort(-x)[:k], np.argsort(-x, kind="stable")[:k]],
        skip={"torch": "torch.topk picks among ties arbitrarily (documented)"},
    ),
    OpCase(
        "top_k",
        (np.array([1, 3, 3, 2, 3], np.int32), 2),
        dtype=["int32", "int32"],
        reference=lambda x, k: [np.array([3, 3]), np.array([1, 2])],
        id="top_k(ties: lowest index first)",
        skip={"torch": "torch.topk picks among ties arbitrarily (documented)"},
    ),
    OpCase(
        "top_k",
        (np.array([True, False, True]), 1),
        dtype=["bool", "int32"],
        reference=lambda x, k: [np.array([True]), np.array([0])],
    ),
    OpCase(
        "top_k",
        (np.array([3, 9, 2], np.uint16), 2),
        dtype=["uint16", "int32"],
        reference=lambda x, k: [np.array([9, 3]), np.array([1, 0])],
    ),
    OpCase(
        "in_top_k",
        (
            idx(1, 0, 2, 5, -1),
            np.array(
                [[0.1, 0.7, 0.2], [0.1, 0.7, 0.2], [0.5, 0.1, 0.4], [1, 2, 3], [1, 2, 3]],
                np.float32,
            ),
            2,
        ),
        dtype="bool",
        reference=lambda t, p, k: np.array([True, False, True, False, False]),
        id="in_top_k(out-of-range targets are out)",
    ),
    OpCase(
        "in_top_k",
        (
            idx(2, 0, 1),
            np.array([[0.5, 0.5, 0.5], [0.2, 0.3, 0.3], [np.nan, np.nan, 0.0]], np.float32),
            1,
        ),
        dtype="bool",
        reference=lambda t, p, k: np.array([True, False, False]),
        id="in_top_k(ties are in, NaN is out)",
    ),
    OpCase(
        "in_top_k",
        (idx(1, 0, dtype=np.int64), i32(2, 4), 3),
        dtype="bool",
        reference=lambda t, p, k: np.sum(p > p[np.arange(2), t][:, None], axis=1) < k,
    ),
    OpCase(
        "in_top_k",
        (idx(0), f32(1, 3), 5),
        dtype="bool",
        reference=lambda t, p, k: np.array([True]),
        id="in_top_k(k > classes)",
    ),
    # unique
    OpCase("unique", (idx(3, 1, 3, 2, 1),), dtype="int32", reference=np.unique),
    OpCase(
        "unique",
        (idx([3, 1], [3, 2]),),
        {"return_index": True, "return_inverse": True, "return_counts": True},
        dtype=["int32"] * 4,
        reference=lambda x, **k: list(np.unique(x, **k)),
    ),
    OpCase(
        "unique",
        (np.array([0.5, -0.0, np.nan, 0.0, 0.5, np.nan], np.float32),),
        {"return_counts": True},
        dtype=["float32", "int32"],
        reference=lambda x, return_counts: [
            np.array([-0.0, 0.5, np.nan, np.nan]),
            np.array([2, 2, 1, 1]),
        ],
        id="unique(each NaN is unique, as Keras)",
    ),
    OpCase(
        "unique",
        (np.array([3.0, 1.0, 3.0], np.float32),),
        {"size": 4, "fill_value": -1.0},
        dtype="float32",
        reference=lambda x, size, fill_value: np.array([1.0, 3.0, -1.0, -1.0]),
    ),
    OpCase(
        "unique",
        (idx(3, 1, 3),),
        {"size": 4, "return_index": True, "return_counts": True},
        dtype=["int32"] * 3,
        reference=lambda x, **k: [
            np.array([1, 3, 0, 0]),
            np.array([1, 0, 0, 0]),
            np.array([1, 2, 0, 0]),
        ],
        id="unique(size pads with 0)",
    ),
    OpCase(
        "unique",
        (idx(3, 1, 2, 1),),
        {"size": 2, "return_counts": True},
        dtype=["int32"] * 2,
        reference=lambda x, **k: [np.array([1, 2]), np.array([2, 1])],
        id="unique(size truncates)",
    ),
    OpCase(
        "unique",
        (idx([1, 2], [1, 2], [0, 5]),),
        {"axis": 0, "return_inverse": True},
        dtype=["int32"] * 2,
        reference=lambda x, **k: list(np.unique(x, **k)),
    ),
    OpCase(
        "unique",
        (idx([1, 0, 1], [0, 1, 0]),),
        {"axis": -1, "return_index": True, "return_inverse": True, "return_counts": True},
        dtype=["int32"] * 4,
        reference=lambda x, **k: list(np.unique(x, **k)),
    ),
    OpCase(
        "unique",
        (idx([[1, 1], [1, 1]], [[0, 0], [0, 0]], [[1, 1], [1, 1]]),),
        {"axis": 0, "size": 3},
        dtype="int32",
        reference=lambda x, axis, size: np.concatenate([np.unique(x, axis=0), np.zeros((1, 2, 2))]),
        id="unique(axis, size)",
    ),
    OpCase("unique", (b(5),), dtype="bool", reference=np.unique),
    OpCase("unique", (typed("uint16", 6),), dtype="uint16", reference=np.unique),
    OpCase(
        "unique",
        (np.zeros(0, np.int32),),
        {"return_counts": True},
        dtype=["int32"] * 2,
        reference=lambda x, **k: list(np.unique(x, **k)),
    ),
    # isin
    OpCase("isin", (i32(3, 4), idx(0, 2, 4)), dtype="bool", reference=np.isin),
    OpCase(
        "isin",
        (i32(3, 4), idx([0], [2])),
        {"invert": True},
        dtype="bool",
        reference=lambda a, b, invert: np.isin(a, b, invert=invert),
    ),
    OpCase(
        "isin",
        (TIES, np.array([np.nan, 0.0, np.inf], np.float32)),
        dtype="bool",
        reference=np.isin,
        id="isin(NaN never found, -0.0 == 0.0)",
    ),
    OpCase("isin", (b(4), idx(1)), dtype="bool", reference=np.isin),
    OpCase(
        "isin",
        (i32(3), np.zeros(0, np.int32)),
        dtype="bool",
        reference=np.isin,
        id="isin(empty x2)",
    ),
    OpCase(
        "isin", (typed("uint16", 5), idx(1, 3, dtype=np.uint16)), dtype="bool", reference=np.isin
    ),
    # unravel_index
    OpCase(
        "unravel_index",
        (idx(0, 5, 11), (3, 4)),
        dtype=["int32", "int32"],
        reference=lambda i, s: list(np.unravel_index(i, s)),
    ),
    OpCase(
        "unravel_index",
        (idx([7], [3], dtype=np.int64), (2, 2, 2)),
        dtype=["int64"] * 3,
        reference=lambda i, s: list(np.unravel_index(i, s)),
    ),
    OpCase(
        "unravel_index",
        (idx(5, dtype=np.uint8), [3, 4]),
        dtype=["uint8"] * 2,
        reference=lambda i, s: list(np.unravel_index(i, s)),
    ),
    OpCase(
        "unravel_index",
        (np.array(5, np.int32), (3, 4)),
        dtype=["int32"] * 2,
        reference=lambda i, s: list(np.unravel_index(i, s)),
        id="unravel_index(0-d)",
    ),
    # triangles, diagonals
    OpCase("tril", (f32(4, 4),), dtype="float32", reference=np.tril),
    OpCase(
        "tril", (f32(2, 3, 4),), {"k": 1}, dtype="float32", reference=lambda x, k: np.tril(x, k)
    ),
    OpCase("tril", (f32(3, 5),), {"k": -2}, dtype="float32", reference=lambda x, k: np.tril(x, k)),
    OpCase("tril", (i32(3),), dtype="int32", reference=np.tril, id="tril(1-D)"),
    OpCase("tril", (typed("uint16", 3, 3),), dtype="uint16", reference=np.tril),
    OpCase("triu", (i32(4, 3),), {"k": -1}, dtype="int32", reference=lambda x, k: np.triu(x, k)),
    OpCase("triu", (b(3, 3),), dtype="bool", reference=np.triu),
    OpCase(
        "triu", (f32(2, 2, 3),), {"k": 5}, dtype="float32", reference=lambda x, k: np.triu(x, k)
    ),
    OpCase("triu", (typed("uint32", 3, 3),), dtype="uint32", reference=np.triu),
    OpCase("diagonal", (f32(4, 5),), dtype="float32", reference=np.diagonal),
    OpCase(
        "diagonal",
        (f32(3, 4, 5),),
        {"offset": 1, "axis1": 1, "axis2": 2},
        dtype="float32",
        reference=lambda x, **k: np.diagonal(x, **k),
    ),
    OpCase(
        "diagonal",
        (f32(3, 4, 5),),
        {"offset": -1, "axis1": -1, "axis2": 0},
        dtype="float32",
        reference=lambda x, **k: np.diagonal(x, **k),
    ),
    OpCase(
        "diagonal",
        (f32(2, 3),),
        {"offset": 5},
        dtype="float32",
        reference=lambda x, offset: np.diagonal(x, offset),
        id="diagonal(offset past the end)",
    ),
    OpCase(
        "diagonal",
        (b(3, 3),),
        {"offset": -2},
        dtype="bool",
        reference=lambda x, offset: np.diagonal(x, offset),
    ),
    OpCase("diag", (f32(3),), dtype="float32", reference=np.diag),
    OpCase("diag", (i32(3),), {"k": -1}, dtype="int32", reference=lambda x, k: np.diag(x, k)),
    OpCase("diag", (f32(3, 4),), {"k": 1}, dtype="float32", reference=lambda x, k: np.diag(x, k)),
    OpCase(
        "diag",
        (f32(3, 4),),
        {"k": -4},
        dtype="float32",
        reference=lambda x, k: np.diag(x, k),
        id="diag(k past the end)",
    ),
    OpCase("diag", (typed("uint16", 3),), dtype="uint16", reference=np.diag),
    OpCase("diagflat", (f32(2, 2),), dtype="float32", reference=np.diagflat),
    OpCase(
        "diagflat", (i32(3),), {"k": 1}, dtype="int32", reference=lambda x, k: np.diagflat(x, k)
    ),
    OpCase("diagflat", (b(2),), {"k": -2}, dtype="bool", reference=lambda x, k: np.diagflat(x, k)),
    OpCase("trace", (f32(4, 4),), dtype="float32", reference=np.trace),
    OpCase(
        "trace",
        (i32(3, 4, 4),),
        {"axis1": 1, "axis2": 2},
        dtype="int32",
        reference=lambda x, **k: np.trace(x, **k),
    ),
    OpCase(
        "trace",
        (f32(2, 3, 4),),
        {"offset": -1, "axis1": -1, "axis2": 0},
        dtype="float32",
        reference=lambda x, **k: np.trace(x, **k),
    ),
    OpCase("trace", (b(3, 3),), dtype="int32", reference=lambda x: np.trace(x, dtype=np.int32)),
    OpCase("trace", (u8(3, 3),), dtype="uint32", reference=lambda x: np.trace(x, dtype=np.uint32)),
    OpCase(
        "trace",
        (typed("uint16", 3, 3),),
        dtype="uint32",
        reference=lambda x: np.trace(x, dtype=np.uint32),
    ),
    OpCase(
        "trace",
        (typed("int8", 2, 2),),
        dtype="int32",
        reference=lambda x: np.trace(x, dtype=np.int32),
    ),
    OpCase(
        "trace",
        (f32(3, 3),),
        {"offset": 4},
        dtype="float32",
        reference=lambda x, offset: np.trace(x, offset),
        id="trace(offset past the end)",
    ),
    OpCase(
        "trace",
        (f64(4, 5),),
        {"offset": 1},
        dtype="float64",
        reference=lambda x, offset: np.trace(x, offset),
    ),
]

# get_item: NumPy's indexing rules, keys of every kind.
M = np.arange(12, dtype=np.float32).reshape(3, 4)
GET_ITEM_KEYS = {
    "int": (X, 2),
    "negative int": (X, -1),
    "slices": (X, (1, slice(None), slice(0, 5, 2))),
    "negative steps": (M, (slice(None), slice(None, None, -1))),
    "negative steps with bounds": (M, (slice(2, 0, -1), slice(3, None, -2))),
    "empty slice": (M, slice(2, 1)),
    "ellipsis and newaxis": (X, (Ellipsis, None, -1)),
    "newaxis first": (M, (None, 1)),
    "int list": (M, [0, 2]),
    "int array": (i32(5, 2), idx(3, 0, -3)),
    "2-D int array": (M, idx([0, 2], [1, 1])),
    "arrays broadcast": (M, (idx(0, 2), idx(1, 3))),
    "array and slice": (M, (slice(None), idx(1, 3))),
    "adjacent arrays after a slice": (X24, (slice(None), idx(0, 2), idx(1, 3))),
    "int then slice then array (separated)": (X24, (0, slice(None), idx(1, 3))),
    "array, ellipsis, array": (X24, (idx(1, 0), Ellipsis, idx(1, 0))),
    "newaxis between arrays": (X24, (idx(1, 0), None, idx(0, 2))),
    "int next to array (adjacent)": (X24, (slice(None), 1, idx(3, 0))),
    "bool mask": (i32(5), np.array([True, False, True, True, False])),
    "2-D bool mask": (M, M % 5 == 0),
    "bool mask and slice": (M, (np.array([True, False, True]), slice(1, 3))),
    "bool mask after slice": (X24, (slice(None), np.array([False, True, True]))),
    "uint8 array": (M, idx(2, 0, dtype=np.uint8)),
    "reversed and array": (M, (slice(None, None, -1), idx(0, 3))),
}
for name, (x, key) in GET_ITEM_KEYS.items():
    dtype = x.dtype.name
    CASES.append(
        OpCase(
            "get_item", (x, key), dtype=dtype, reference=lambda x, k: x[k], id=f"get_item({name})"
        )
    )
CASES.append(
    OpCase(
        "get_item",
        (typed("uint16", 3, 4), (slice(None, None, -1), 1)),
        dtype="uint16",
        reference=lambda x, k: x[k],
        id="get_item(uint16, negative step)",
    )
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


def test_get_item_with_tensor_indices():
    x = f32(3, 4)
    key = (T(np.array([2, 0], np.int32)), T(np.array(1, np.int64)))
    check_result(ops.get_item(T(x), key), x[[2, 0], 1], "float32")
    check_result(ops.get_item(T(x), T(np.array(-1, np.int32))), x[-1], "float32")
    check_result(ops.get_item(T(x), T(x > 0)), x[x > 0], "float32")


def test_argpartition_partitions():
    x = np.concatenate([f32(3, 8), np.full((3, 1), 0.5, np.float32)], axis=1)
    for kth in (0, 4, -1):
        out = ops.convert_to_numpy(ops.argpartition(T(x), kth, axis=-1))
        assert out.dtype == np.int32 and out.shape == (3, 9)
        position = kth % 9
        for row, order in zip(x, out):
            assert sorted(order.tolist()) == list(range(9))
            values = row[order]
            assert values[position] == np.sort(row)[position]
            assert (values[:position] <= values[position]).all()
            assert (values[position + 1 :] >= values[position]).all()
    out = ops.convert_to_numpy(ops.argpartition(T(i32(4, 3)), 1, axis=0))
    assert out.shape == (4, 3) and out.dtype == np.int32
    flat = ops.convert_to_numpy(ops.argpartition(T(i32(2, 3)), 2, axis=None))
    assert sorted(flat.tolist()) == list(range(6))


def test_unique_inverse_rebuilds_x():
    x = i32(3, 4, low=0, high=4)
    values, inverse = ops.unique(T(x), return_inverse=True)
    assert tuple(inverse.shape) == x.shape
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.take(values, inverse)), x)
    values, inverse = ops.unique(T(x), axis=1, return_inverse=True)
    assert tuple(inverse.shape) == (4,)
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.take(values, inverse, axis=1)), x)


# ---------------------------------------------------------------------------- errors

ERRORS = [
    (
        lambda: ops.take(T(f32(3)), T(np.array([0.0], "float32"))),
        TypeError,
        "kfn.ops.take: indices must be a tensor of integers, got float32",
    ),
    (
        lambda: ops.take(T(f32(3)), T(np.array([True]))),
        TypeError,
        "kfn.ops.take: indices must be a tensor of integers, got bool",
    ),
    (
        lambda: ops.take(T(f32(2, 3)), [0], axis=2),
        ValueError,
        "kfn.ops.take: axis=2 is out of bounds for a tensor of rank 2",
    ),
    (
        lambda: ops.take_along_axis(T(f32(2, 3)), T(idx(0, 1)), axis=1),
        ValueError,
        r"kfn.ops.take_along_axis: indices must have rank 2 \(the rank of x\), got shape \(2,\)",
    ),
    (
        lambda: ops.take_along_axis(T(f32(2, 3)), T(idx([0, 1])), axis=None),
        ValueError,
        "kfn.ops.take_along_axis: indices must have rank 1",
    ),
    (
        lambda: ops.get_item(T(M), 3),
        IndexError,
        "kfn.ops.get_item: index 3 is out of bounds for axis 0 of size 3",
    ),
    (
        lambda: ops.get_item(T(M), (0, -5)),
        IndexError,
        "kfn.ops.get_item: index -5 is out of bounds for axis 1 of size 4",
    ),
    (
        lambda: ops.get_item(T(M), (0, 0, 0)),
        IndexError,
        "kfn.ops.get_item: too many indices for a tensor of rank 2",
    ),
    (
        lambda: ops.get_item(T(M), (Ellipsis, 0, Ellipsis)),
        IndexError,
        "kfn.ops.get_item: an index can only have a single Ellipsis",
    ),
    (
        lambda: ops.get_item(T(M), np.array([0.5])),
        IndexError,
        "kfn.ops.get_item: arrays used as indices must hold ints or bools, got float64",
    ),
    (lambda: ops.get_item(T(M), "a"), IndexError, "kfn.ops.get_item: unsupported index 'a'"),
    (
        lambda: ops.nonzero(T(np.float32(1))),
        ValueError,
        "kfn.ops.nonzero: x must have at least 1 dimension",
    ),
    (
        lambda: ops.select([T(b(2))], [T(f32(2)), T(f32(2))]),
        ValueError,
        "kfn.ops.select: condlist and choicelist must have the same length, got 1 and 2",
    ),
    (lambda: ops.select([], []), ValueError, "kfn.ops.select: condlist must not be empty"),
    (
        lambda: ops.select([T(i32(2))], [T(f32(2))]),
        TypeError,
        r"kfn.ops.select: condlist\[0\] must be a tensor of bools, got int32",
    ),
    (lambda: ops.sort(T(f32(2, 3)), axis=2), ValueError, "kfn.ops.sort: axis=2 is out of bounds"),
    (
        lambda: ops.argpartition(T(f32(3)), 3),
        ValueError,
        "kfn.ops.argpartition: kth=3 is out of bounds for an axis of size 3",
    ),
    (
        lambda: ops.argpartition(T(f32(3)), 1.5),
        TypeError,
        "kfn.ops.argpartition: kth must be an int",
    ),
    (
        lambda: ops.searchsorted(T(np.zeros((2, 2), "float32")), T(f32(1))),
        ValueError,
        r"kfn.ops.searchsorted: the sorted sequence must be 1-D, got shape \(2, 2\)",
    ),
    (
        lambda: ops.searchsorted(T(f32(3)), T(f32(1)), side="middle"),
        ValueError,
        "kfn.ops.searchsorted: side must be 'left' or 'right', got 'middle'",
    ),
    (
        lambda: ops.digitize(T(f32(3)), T(np.zeros((1, 2), "float32"))),
        ValueError,
        "kfn.ops.digitize: the sorted sequence must be 1-D",
    ),
    (
        lambda: ops.top_k(T(f32(2, 3)), 4),
        ValueError,
        r"kfn.ops.top_k: k=4 is larger than the last axis of x \(shape \(2, 3\)\)",
    ),
    (lambda: ops.top_k(T(f32(3)), -1), ValueError, "kfn.ops.top_k: k must be an int >= 0"),
    (lambda: ops.top_k(T(np.float32(1)), 1), ValueError, "kfn.ops.top_k: x must have at least 1"),
    (
        lambda: ops.in_top_k(T(idx(0)), T(f32(3)), 1),
        ValueError,
        r"kfn.ops.in_top_k: expected targets of shape \(batch,\)",
    ),
    (
        lambda: ops.in_top_k(T(idx(0, 1)), T(f32(3, 2)), 1),
        ValueError,
        "kfn.ops.in_top_k: targets and predictions have different batch sizes",
    ),
    (
        lambda: ops.in_top_k(T(f32(1)), T(f32(1, 2)), 1),
        TypeError,
        "kfn.ops.in_top_k: targets must be a tensor of integers",
    ),
    (
        lambda: ops.unique(T(f32(2, 2)), axis=2),
        ValueError,
        "kfn.ops.unique: axis=2 is out of bounds",
    ),
    (
        lambda: ops.unravel_index(T(f32(2)), (2, 2)),
        TypeError,
        "kfn.ops.unravel_index: indices must be a tensor of integers",
    ),
    (
        lambda: ops.unravel_index(T(idx(1)), (2, -2)),
        ValueError,
        "kfn.ops.unravel_index: shape must not have negative sizes",
    ),
    (lambda: ops.tril(T(np.float32(1))), ValueError, "kfn.ops.tril: x must have at least 1"),
    (
        lambda: ops.diagonal(T(f32(3))),
        ValueError,
        r"kfn.ops.diagonal: x must have at least 2 dimensions, got shape \(3,\)",
    ),
    (
        lambda: ops.diagonal(T(f32(3, 3)), axis1=1, axis2=-1),
        ValueError,
        "kfn.ops.diagonal: axis1 and axis2 must differ, got 1 and -1",
    ),
    (
        lambda: ops.trace(T(f32(3, 3)), axis2=2),
        ValueError,
        "kfn.ops.trace: axis2=2 is out of bounds",
    ),
    (lambda: ops.diag(T(f32(2, 2, 2))), ValueError, "kfn.ops.diag: x must be 1-D or 2-D"),
]
if BACKEND != "jax":  # XLA cannot raise: out-of-range indices give a fill value on jax
    ERRORS += [
        (lambda: ops.take(T(f32(3)), T(idx(3))), IndexError, "kfn.ops.take: .*out of"),
        (lambda: ops.take(T(f32(3)), T(idx(-4))), IndexError, "kfn.ops.take: .*out of"),
        (
            lambda: ops.take_along_axis(T(f32(2, 3)), T(idx([3], [0])), axis=1),
            IndexError,
            "kfn.ops.take_along_axis: .*out of",
        ),
        (
            lambda: ops.take_along_axis(T(f32(2, 3)), T(idx([-4], [0])), axis=1),
            IndexError,
            "kfn.ops.take_along_axis: .*out of",
        ),
        (
            lambda: ops.get_item(T(f32(2, 3)), (slice(None), T(idx(0, 3)))),
            IndexError,
            "kfn.ops.get_item: .*out of",
        ),
    ]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors(index):
    fn, error, message = ERRORS[index]
    with pytest.raises(error, match=message):
        fn()


@pytest.mark.skipif(BACKEND != "jax", reason="XLA's fill value for out-of-range indices")
def test_out_of_range_indices_fill_on_jax():
    out = ops.convert_to_numpy(ops.take(T(f32(3)), T(idx(0, 3, -4))))
    assert not np.isnan(out[0]) and np.isnan(out[1:]).all()
    out = ops.convert_to_numpy(ops.get_item(T(f32(2, 3)), (slice(None), T(idx(-1, 3)))))
    assert not np.isnan(out[:, 0]).any() and np.isnan(out[:, 1]).all()


# ---------------------------------------------------------------------------- tracing


@requires_tracing
def test_indexing_under_jit():
    @ops.jit
    def f(x, i, y):
        values, indices = ops.top_k(y, 2)
        return (
            ops.take(x, i, axis=1),
            ops.take_along_axis(x, ops.argsort(x, axis=0), axis=0),
            ops.sort(x, axis=None),
            ops.tril(x, k=-1),
            values,
            indices,
            ops.get_item(x, (slice(None, None, -1), i)),
            ops.searchsorted(ops.sort(x[0]), x[1]),
            ops.digitize(x, ops.convert_to_tensor([-1.0, 0.0, 1.0])),
            ops.trace(x, offset=1),
            ops.in_top_k(i, y[:2], 2),
            ops.isin(x, x[0]),
            ops.unique(i, size=3, return_counts=True),
        )

    y = f32(4, 4)
    x = y.copy()
    x[1, 2] = np.nan
    i = np.array([3, 0], np.int32)
    out = f(*(ops.convert_to_tensor(v) for v in (x, i, y)))
    expected = [
        (x[:, [3, 0]], "float32"),
        (np.sort(x, axis=0, kind="stable"), "float32"),
        (np.sort(x, axis=None), "float32"),
        (np.tril(x, k=-1), "float32"),
        (-np.sort(-y, axis=-1)[:, :2], "float32"),
        (np.argsort(-y, axis=-1, kind="stable")[:, :2], "int32"),
        (x[::-1, [3, 0]], "float32"),
        (np.searchsorted(np.sort(x[0]), x[1]), "int32"),
        (np.digitize(x, [-1.0, 0.0, 1.0]), "int32"),
        (np.trace(x, offset=1), "float32"),
        (np.array([np.sum(y[r] > y[r, i[r]]) < 2 for r in range(2)]), "bool"),
        (np.isin(x, x[0]), "bool"),
        ([np.array([0, 3, 0]), np.array([1, 1, 0])], ["int32", "int32"]),
    ]
    for result, (reference, dtype) in zip(out, expected):
        check_result(result, reference, dtype)


@requires_tracing
def test_shapes_with_unknown_dimensions():
    """Abstract evaluation with None dimensions (a real trace on tensorflow)."""
    spec = TensorSpec((None, 4), "float32")
    cases = {
        "sort": (lambda x: ops.sort(x, axis=0), (None, 4)),
        "argsort": (lambda x: ops.argsort(x), (None, 4)),
        "take": (lambda x: ops.take(x, ops.convert_to_tensor([0, 2]), axis=1), (None, 2)),
        "top_k": (lambda x: ops.top_k(x, 3)[1], (None, 3)),
        "get_item": (lambda x: ops.get_item(x, (slice(None), np.array([1, 3]))), (None, 2)),
        "tril": (lambda x: ops.tril(x), (None, 4)),
        "diagonal": (lambda x: ops.diagonal(x), (None,)),
    }
    for name, (fn, expected) in cases.items():
        out = ops.eval_shape(fn, spec)
        shape = tuple(out.shape)
        assert len(shape) == len(expected), (name, shape)
        assert all(e is None or s == e for s, e in zip(shape, expected)), (name, shape)


# ---------------------------------------------------------------------------- gradients

GRADIENTS = {
    "take": (
        lambda x: ops.sum(ops.take(x, ops.convert_to_tensor(idx(2, 0, 2)), axis=0) ** 2),
        f64(3, 2),
    ),
    "take_along_axis": (
        lambda x: ops.sum(
            ops.take_along_axis(x, ops.convert_to_tensor(idx([1], [0])), axis=1) ** 2
        ),
        f64(2, 3),
    ),
    "trace": (lambda x: ops.trace(x * x), f64(3, 3)),
    "sort": (lambda x: ops.sum(ops.sort(x) * ops.convert_to_tensor(np.arange(4.0))), f64(4)),
    "get_item": (lambda x: ops.sum(ops.get_item(x, (slice(None, None, -1), 0)) ** 2), f64(3, 2)),
    "get_item_arrays": (
        lambda x: ops.sum(ops.get_item(x, (idx(1, 0, 1), slice(None))) ** 2),
        f64(2, 3),
    ),
    "tril": (lambda x: ops.sum(ops.tril(x) ** 2), f64(3, 3)),
    "diagonal": (lambda x: ops.sum(ops.diagonal(x, offset=1) ** 3), f64(3, 4)),
    "top_k": (lambda x: ops.sum(ops.top_k(x, 2)[0] ** 2), f64(5)),
    "select": (
        lambda x: ops.sum(ops.select([x > 0.5, x < -0.5], [x * x, 3 * x], 0.0)),
        f64(5),
    ),
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
    predictions = f32(4, 5)
    targets = idx(0, 4, 2, 1)
    pairs = [
        (ops.in_top_k(T(targets), T(predictions), 2), keras.ops.in_top_k(targets, predictions, 2)),
        (ops.top_k(T(predictions), 3)[1], keras.ops.top_k(predictions, 3)[1]),
        (
            ops.searchsorted(T(np.sort(X[0, 0])), T(X[1, 1])),
            keras.ops.searchsorted(np.sort(X[0, 0]), X[1, 1]),
        ),
        (
            ops.digitize(T(X), T(idx(-1.0, 0.0, 1.0, dtype=np.float32))),
            keras.ops.digitize(X, [-1.0, 0.0, 1.0]),
        ),
    ]
    for ours, theirs in pairs:
        np.testing.assert_allclose(
            ops.convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=1e-6
        )

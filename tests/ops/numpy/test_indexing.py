"""kfn.ops.numpy indexing, sorting, searching and selection against NumPy."""

import numpy as np
import pytest

from kfn import ops
from tests.conftest import BACKEND, requires_gradients
from tests.ops.cases import (
    OpCase,
    b,
    case_id,
    check_gradient,
    check_result,
    f32,
    f64,
    i32,
    i64,
    run_case,
    u8,
)

RNG = np.random.default_rng(5)
X = f32(3, 4, 5)
IDX = np.array([[0, 2], [-1, 1]], np.int32)

CASES = [
    OpCase(
        "take",
        (X, IDX),
        {"axis": 1},
        dtype="float32",
        reference=lambda x, i, axis: np.take(x, i, axis=axis),
    ),
    OpCase(
        "take",
        (X, np.array([4, 0, -2], np.int64)),
        {"axis": -1},
        dtype="float32",
        reference=lambda x, i, axis: np.take(x, i, axis=axis),
    ),
    OpCase("take", (i32(3, 4), np.array([5, -1], np.int32)), dtype="int32", reference=np.take),
    OpCase(
        "take",
        (X, np.array(2, np.int32)),
        {"axis": 0},
        dtype="float32",
        reference=lambda x, i, axis: np.take(x, i, axis=axis),
    ),
    OpCase(
        "take_along_axis",
        (X, np.argsort(X, axis=1).astype(np.int32)),
        {"axis": 1},
        dtype="float32",
        reference=lambda x, i, axis: np.take_along_axis(x, i, axis=axis),
    ),
    OpCase(
        "take_along_axis",
        (i32(3, 4), np.array([[0], [3], [-1]], np.int32)),
        {"axis": 1},
        dtype="int32",
        reference=lambda x, i, axis: np.take_along_axis(x, i, axis=axis),
    ),
    OpCase(
        "take_along_axis",
        (f32(6), np.array([5, 0, 1], np.int32)),
        dtype="float32",
        reference=lambda x, i: np.take_along_axis(x, i, axis=None),
    ),
    OpCase(
        "get_item",
        (X, (1, slice(None), slice(0, 5, 2))),
        dtype="float32",
        reference=lambda x, k: x[k],
    ),
    OpCase("get_item", (X, (Ellipsis, None, -1)), dtype="float32", reference=lambda x, k: x[k]),
    OpCase(
        "get_item",
        (i32(5), np.array([True, False, True, True, False])),
        dtype="int32",
        reference=lambda x, k: x[k],
    ),
    OpCase(
        "get_item",
        (i32(5, 2), np.array([3, 0, 3], np.int32)),
        dtype="int32",
        reference=lambda x, k: x[k],
    ),
    OpCase("get_item", (X, 2), dtype="float32", reference=lambda x, k: x[k]),
    OpCase(
        "nonzero",
        (i32(3, 4, low=-1, high=2),),
        dtype=["int32", "int32"],
        reference=lambda x: list(np.nonzero(x)),
    ),
    OpCase("nonzero", (b(6),), dtype=["int32"], reference=lambda x: list(np.nonzero(x))),
    OpCase(
        "select",
        ([X > 0.5, X < -0.5], [X * 10, X - 1]),
        dtype="float32",
        reference=lambda c, v: np.select(c, v),
    ),
    OpCase("select", ([b(4), b(4)], [i32(4), i32(4)], -7), dtype="int32", reference=np.select),
    OpCase("sort", (X,), dtype="float32", reference=np.sort),
    OpCase(
        "sort", (X,), {"axis": 0}, dtype="float32", reference=lambda x, axis: np.sort(x, axis=axis)
    ),
    OpCase("sort", (i32(10),), dtype="int32", reference=np.sort),
    OpCase(
        "sort",
        (np.array([2.0, np.nan, -1.0, 0.5], np.float32),),
        dtype="float32",
        reference=np.sort,
        id="sort(nan_last)",
    ),
    OpCase(
        "argsort",
        (np.array([3, 1, 2, 1, 3, 1], np.int32),),
        dtype="int32",
        reference=lambda x: np.argsort(x, kind="stable"),
        id="argsort(stable)",
    ),
    OpCase(
        "argsort",
        (X,),
        {"axis": 1},
        dtype="int32",
        reference=lambda x, axis: np.argsort(x, axis=axis, kind="stable"),
    ),
    OpCase("argsort", (u8(7),), dtype="int32", reference=lambda x: np.argsort(x, kind="stable")),
    OpCase(
        "searchsorted",
        (np.array([1.0, 2.0, 2.0, 3.0], np.float32), np.array([2.0, 0.0, 4.0, 2.5], np.float32)),
        dtype="int32",
        reference=np.searchsorted,
    ),
    OpCase(
        "searchsorted",
        (np.array([1, 2, 2, 3], np.int32), np.array([[2, 3]], np.int32)),
        {"side": "right"},
        dtype="int32",
        reference=lambda s, v, side: np.searchsorted(s, v, side=side),
    ),
    OpCase(
        "digitize",
        (f32(6), np.array([-1.0, 0.0, 1.0], np.float32)),
        dtype="int32",
        reference=np.digitize,
    ),
    OpCase("digitize", (i32(5), np.array([-2, 2], np.int32)), dtype="int32", reference=np.digitize),
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
        (i64(7), 2),
        dtype=["int64", "int32"],
        reference=lambda x, k: [-np.sort(-x)[:k], np.argsort(-x, kind="stable")[:k]],
        skip={"torch": "torch.topk orders ties arbitrarily"},
    ),
    OpCase(
        "in_top_k",
        (
            np.array([1, 0, 2], np.int32),
            np.array([[0.1, 0.7, 0.2], [0.1, 0.7, 0.2], [0.5, 0.1, 0.4]], np.float32),
            2,
        ),
        dtype="bool",
        reference=lambda t, p, k: np.array([True, False, True]),
    ),
    OpCase("unique", (np.array([3, 1, 3, 2, 1], np.int32),), dtype="int32", reference=np.unique),
    OpCase(
        "unique",
        (np.array([3, 1, 3, 2, 1], np.int32),),
        {"return_index": True, "return_inverse": True, "return_counts": True},
        dtype=["int32", "int32", "int32", "int32"],
        reference=lambda x, **k: list(np.unique(x, **k)),
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
        (np.array([[1, 2], [1, 2], [0, 5]], np.int32),),
        {"axis": 0},
        dtype="int32",
        reference=lambda x, axis: np.unique(x, axis=axis),
    ),
    OpCase("isin", (i32(3, 4), np.array([0, 2, 4], np.int32)), dtype="bool", reference=np.isin),
    OpCase(
        "isin",
        (f32(5), np.array([0.5], np.float32)),
        {"invert": True},
        dtype="bool",
        reference=lambda a, b, invert: np.isin(a, b, invert=invert),
    ),
    OpCase(
        "unravel_index",
        (np.array([0, 5, 11], np.int32), (3, 4)),
        dtype=["int32", "int32"],
        reference=lambda i, s: list(np.unravel_index(i, s)),
    ),
    OpCase(
        "unravel_index",
        (np.array([7], np.int64), (2, 2, 2)),
        dtype=["int64"] * 3,
        reference=lambda i, s: list(np.unravel_index(i, s)),
    ),
    OpCase("tril", (f32(4, 4),), dtype="float32", reference=np.tril),
    OpCase(
        "tril", (f32(2, 3, 4),), {"k": 1}, dtype="float32", reference=lambda x, k: np.tril(x, k)
    ),
    OpCase("triu", (i32(4, 3),), {"k": -1}, dtype="int32", reference=lambda x, k: np.triu(x, k)),
    OpCase("triu", (b(3, 3),), dtype="bool", reference=np.triu),
    OpCase("diagonal", (f32(4, 5),), dtype="float32", reference=np.diagonal),
    OpCase(
        "diagonal",
        (f32(3, 4, 5),),
        {"offset": 1, "axis1": 1, "axis2": 2},
        dtype="float32",
        reference=lambda x, offset, axis1, axis2: np.diagonal(x, offset, axis1, axis2),
    ),
    OpCase(
        "diagonal",
        (f32(3, 4, 5),),
        {"offset": -1, "axis1": 2, "axis2": 0},
        dtype="float32",
        reference=lambda x, offset, axis1, axis2: np.diagonal(x, offset, axis1, axis2),
    ),
    OpCase("diag", (f32(3),), dtype="float32", reference=np.diag),
    OpCase("diag", (i32(3),), {"k": -1}, dtype="int32", reference=lambda x, k: np.diag(x, k)),
    OpCase("diag", (f32(3, 4),), {"k": 1}, dtype="float32", reference=lambda x, k: np.diag(x, k)),
    OpCase("diagflat", (f32(2, 2),), dtype="float32", reference=np.diagflat),
    OpCase(
        "diagflat", (i32(3),), {"k": 1}, dtype="int32", reference=lambda x, k: np.diagflat(x, k)
    ),
    OpCase("trace", (f32(4, 4),), dtype="float32", reference=np.trace),
    OpCase(
        "trace",
        (i32(3, 4, 4),),
        {"axis1": 1, "axis2": 2},
        dtype="int32",
        reference=lambda x, axis1, axis2: np.trace(x, axis1=axis1, axis2=axis2),
    ),
    OpCase("trace", (b(3, 3),), dtype="int32", reference=lambda x: np.trace(x, dtype=np.int32)),
    OpCase(
        "trace",
        (f32(4, 5),),
        {"offset": 1},
        dtype="float32",
        reference=lambda x, offset: np.trace(x, offset),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


def test_argpartition_partitions():
    x = f32(3, 9)
    out = ops.convert_to_numpy(ops.argpartition(ops.convert_to_tensor(x), 4, axis=-1))
    assert out.dtype == np.int32 and out.shape == (3, 9)
    for row, order in zip(x, out):
        assert sorted(order.tolist()) == list(range(9))
        values = row[order]
        assert values[4] == np.sort(row)[4]
        assert (values[:4] <= values[4]).all() and (values[5:] >= values[4]).all()


def test_searchsorted_needs_a_1d_sequence():
    with pytest.raises(
        ValueError, match=r"kfn.ops.searchsorted: sorted_sequence must be 1-D, got shape \(2, 2\)"
    ):
        ops.searchsorted(
            ops.convert_to_tensor(np.zeros((2, 2), "float32")), ops.convert_to_tensor([1.0])
        )


def test_take_needs_integer_indices():
    with pytest.raises(TypeError, match="indices must be integers, got float32"):
        ops.take(ops.convert_to_tensor(f32(3)), ops.convert_to_tensor(np.array([0.0], "float32")))


@pytest.mark.skipif(BACKEND == "numpy", reason="nothing to trace on numpy")
def test_indexing_under_jit():
    @ops.jit
    def f(x, i):
        values, indices = ops.top_k(x, 2)
        return ops.take(x, i, axis=1), ops.sort(x, axis=0), ops.tril(x), values, indices

    x = f32(4, 4)
    taken, ordered, lower, values, indices = f(
        ops.convert_to_tensor(x), ops.convert_to_tensor(np.array([3, 0], np.int32))
    )
    check_result(taken, x[:, [3, 0]], "float32")
    check_result(ordered, np.sort(x, axis=0), "float32")
    check_result(lower, np.tril(x), "float32")
    check_result(values, -np.sort(-x, axis=-1)[:, :2], "float32")


GRADIENTS = {
    "take": (
        lambda x: ops.sum(
            ops.take(x, ops.convert_to_tensor(np.array([2, 0, 2], np.int32)), axis=0) ** 2
        ),
        f64(3, 2),
    ),
    "take_along_axis": (
        lambda x: ops.sum(
            ops.take_along_axis(x, ops.convert_to_tensor(np.array([[1], [0]], np.int32)), axis=1)
            ** 2
        ),
        f64(2, 3),
    ),
    "trace": (lambda x: ops.trace(x * x), f64(3, 3)),
    "sort": (lambda x: ops.sum(ops.sort(x) * ops.convert_to_tensor(np.arange(4.0))), f64(4)),
    "get_item": (lambda x: ops.sum(ops.get_item(x, (slice(1, None), 0)) ** 2), f64(3, 2)),
    "tril": (lambda x: ops.sum(ops.tril(x) ** 2), f64(3, 3)),
    "diagonal": (lambda x: ops.sum(ops.diagonal(x) ** 3), f64(3, 3)),
}


@requires_gradients
@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradient(name):
    fn, x = GRADIENTS[name]
    check_gradient(fn, x)

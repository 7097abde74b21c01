"""kfn.ops.numpy products against NumPy, with Keras's int8 accumulation rule."""

import numpy as np
import pytest

from kfn import ops
from tests.conftest import requires_gradients
from tests.ops.cases import OpCase, case_id, check_gradient, f16, f32, f64, i32, i64, run_case


def i8(*shape):
    return np.random.default_rng(3).integers(-5, 6, shape).astype(np.int8)


def as_int32(fn):
    return lambda *a, **k: fn(
        *(x.astype(np.int32) if isinstance(x, np.ndarray) else x for x in a), **k
    )


CASES = [
    OpCase("matmul", (f32(2, 3), f32(3, 4)), dtype="float32", rtol=2e-5),
    OpCase("matmul", (f32(5, 2, 3), f32(3, 4)), dtype="float32", rtol=2e-5),
    OpCase("matmul", (f32(1, 2, 3), f32(6, 3, 2)), dtype="float32", rtol=2e-5),
    OpCase("matmul", (f32(3), f32(3, 2)), dtype="float32", rtol=2e-5),
    OpCase("matmul", (f32(2, 3), f32(3)), dtype="float32", rtol=2e-5),
    OpCase("matmul", (i32(2, 3), i32(3, 2)), dtype="int32"),
    OpCase("matmul", (i8(2, 3), i8(3, 2)), dtype="int32", reference=as_int32(np.matmul)),
    OpCase(
        "matmul",
        (i32(2, 3), f32(3, 2)),
        dtype="float32",
        reference=lambda a, b: a.astype(np.float64) @ b,
        rtol=2e-5,
    ),
    OpCase("matmul", (i64(2, 3), i32(3, 2)), dtype="int64"),
    OpCase(
        "matmul",
        (f16(2, 3), f16(3, 2)),
        dtype="float16",
        reference=lambda a, b: a.astype(np.float64) @ b,
        rtol=5e-3,
        atol=5e-3,
    ),
    OpCase("matmul", (f64(2, 3), f32(3, 2)), dtype="float64"),
    OpCase("matmul", (f32(0, 3), f32(3, 2)), dtype="float32"),
    OpCase("dot", (f32(3), f32(3)), dtype="float32", rtol=2e-5),
    OpCase("dot", (f32(2, 3), f32(3, 4)), dtype="float32", rtol=2e-5),
    OpCase("dot", (f32(2, 3, 4), f32(4)), dtype="float32", rtol=2e-5),
    OpCase("dot", (f32(2, 3), 2.0), dtype="float32"),
    OpCase("dot", (i32(3), i32(3)), dtype="int32"),
    OpCase("vdot", (f32(2, 3), f32(3, 2)), dtype="float32", rtol=2e-5),
    OpCase("inner", (f32(2, 3), f32(4, 3)), dtype="float32", rtol=2e-5),
    OpCase("inner", (i32(3), i32(3)), dtype="int32"),
    OpCase("outer", (f32(3), f32(2, 2)), dtype="float32"),
    OpCase("outer", (i32(3), f32(2)), dtype="float32", reference=lambda a, b: np.outer(a, b)),
    OpCase("tensordot", (f32(2, 3, 4), f32(3, 4, 5)), dtype="float32", rtol=2e-5),
    OpCase("tensordot", (f32(2, 3), f32(3, 4), 1), dtype="float32", rtol=2e-5),
    OpCase("tensordot", (f32(2, 3, 4), f32(4, 2, 3), ([1, 2], [2, 0])), dtype="float32", rtol=2e-5),
    OpCase("tensordot", (f32(2, 3), f32(4, 5), 0), dtype="float32", rtol=2e-5),
    OpCase("kron", (i32(2, 2), i32(2, 3)), dtype="int32"),
    OpCase("kron", (f32(3), f32(2)), dtype="float32"),
    OpCase("cross", (f32(4, 3), f32(4, 3)), dtype="float32", rtol=2e-5, atol=1e-5),
    OpCase(
        "cross",
        (f32(3, 2), f32(3, 2)),
        {"axisa": 0, "axisb": 0},
        dtype="float32",
        reference=lambda a, b, axisa, axisb: np.cross(a, b, axisa=axisa, axisb=axisb),
        rtol=2e-5,
        atol=1e-5,
    ),
    OpCase("cross", (i32(2, 3), i32(3)), dtype="int32"),
    OpCase("correlate", (f32(6), f32(3)), dtype="float32", rtol=2e-5, atol=1e-6),
    OpCase(
        "correlate",
        (f32(5), f32(3)),
        {"mode": "same"},
        dtype="float32",
        reference=lambda a, b, mode: np.correlate(a, b, mode),
        rtol=2e-5,
        atol=1e-6,
    ),
    OpCase(
        "correlate",
        (i32(4), i32(2)),
        {"mode": "full"},
        dtype="float32",
        reference=lambda a, b, mode: np.correlate(a, b, mode),
    ),
    OpCase("convolve", (f32(6), f32(3)), dtype="float32", rtol=2e-5, atol=1e-6),
    OpCase(
        "convolve",
        (f32(3), f32(5)),
        {"mode": "valid"},
        dtype="float32",
        reference=lambda a, b, mode: np.convolve(a, b, mode),
        rtol=2e-5,
        atol=1e-6,
    ),
    OpCase(
        "convolve",
        (i32(5), i32(2)),
        {"mode": "same"},
        dtype="float32",
        reference=lambda a, b, mode: np.convolve(a, b, mode),
    ),
    OpCase("einsum", ("ij,jk->ik", f32(2, 3), f32(3, 4)), dtype="float32", rtol=2e-5),
    OpCase("einsum", ("ii", f32(3, 3)), dtype="float32"),
    OpCase("einsum", ("...ij,...jk", f32(5, 2, 3), f32(5, 3, 2)), dtype="float32", rtol=2e-5),
    OpCase("einsum", ("bi,i->b", i32(2, 3), i32(3)), dtype="int32"),
    OpCase("einsum", ("i,j->ij", i8(3), i8(2)), dtype="int32", reference=as_int32(np.einsum)),
    OpCase("einsum", ("ij->ji", f32(2, 3)), dtype="float32"),
    OpCase(
        "einsum",
        ("ij,ij->", i32(2, 2), f32(2, 2)),
        dtype="float32",
        reference=lambda s, a, b: np.einsum(s, a.astype(np.float32), b),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


def test_matmul_shape_error_is_explained():
    with pytest.raises(Exception, match="3|4"):
        ops.matmul(ops.zeros((2, 3)), ops.zeros((4, 5)))


GRADIENTS = {
    "matmul": (
        lambda x: ops.sum(ops.matmul(x, ops.convert_to_tensor(np.arange(6.0).reshape(3, 2))) ** 2),
        f64(2, 3),
    ),
    "dot": (lambda x: ops.dot(x, x), f64(4)),
    "einsum": (lambda x: ops.sum(ops.einsum("ij,jk->ik", x, x) ** 2), f64(2, 2)),
    "tensordot": (lambda x: ops.sum(ops.tensordot(x, x, axes=([0], [1])) ** 2), f64(2, 2)),
    "outer": (lambda x: ops.sum(ops.outer(x, x) ** 2), f64(3)),
    "cross": (
        lambda x: ops.sum(ops.cross(x, ops.convert_to_tensor(np.array([1.0, 2.0, 3.0]))) ** 2),
        f64(3),
    ),
}


@requires_gradients
@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradient(name):
    fn, x = GRADIENTS[name]
    check_gradient(fn, x)

"""kfn.ops.numpy array creation against NumPy, with Keras's default dtypes."""

import numpy as np
import pytest

from kfn import ops
from tests.ops.cases import OpCase, case_id, f32, i32, run_case

CASES = [
    OpCase("array", ([[1, 2], [3, 4]],), dtype="int32", reference=np.array),
    OpCase(
        "array",
        ([1.5, 2],),
        {"dtype": "float64"},
        dtype="float64",
        reference=lambda x, dtype: np.array(x, dtype),
    ),
    OpCase("arange", (5,), dtype="int32"),
    OpCase("arange", (1, 7, 2), dtype="int32"),
    OpCase("arange", (0.0, 1.0, 0.25), dtype="float32"),
    OpCase("arange", (1, 2.5, 0.5), dtype="float32"),
    OpCase("arange", (5, 0, -2), dtype="int32"),
    OpCase(
        "arange",
        (4,),
        {"dtype": "int64"},
        dtype="int64",
        reference=lambda n, dtype: np.arange(n, dtype=dtype),
    ),
    OpCase(
        "arange",
        (3,),
        {"dtype": "float16"},
        dtype="float16",
        reference=lambda n, dtype: np.arange(n, dtype=dtype),
    ),
    OpCase("zeros", ((2, 3),), dtype="float32"),
    OpCase(
        "zeros",
        (4,),
        {"dtype": "int8"},
        dtype="int8",
        reference=lambda s, dtype: np.zeros(s, dtype),
    ),
    OpCase("zeros", ((0, 2),), dtype="float32"),
    OpCase("ones", ((2, 1, 3),), dtype="float32"),
    OpCase(
        "ones",
        ((2,),),
        {"dtype": "bool"},
        dtype="bool",
        reference=lambda s, dtype: np.ones(s, dtype),
    ),
    OpCase("empty", ((3,),), dtype="float32", reference=lambda s: np.zeros(s)),
    OpCase("full", ((2, 2), 7), dtype="float32", reference=lambda s, v: np.full(s, v, np.float32)),
    OpCase(
        "full",
        ((3,), 2),
        {"dtype": "int32"},
        dtype="int32",
        reference=lambda s, v, dtype: np.full(s, v, dtype),
    ),
    OpCase("zeros_like", (i32(2, 3),), dtype="int32"),
    OpCase(
        "zeros_like",
        (i32(2, 3),),
        {"dtype": "float64"},
        dtype="float64",
        reference=lambda x, dtype: np.zeros_like(x, dtype),
    ),
    OpCase("ones_like", (f32(4),), dtype="float32"),
    OpCase("empty_like", (f32(4),), dtype="float32", reference=np.zeros_like),
    OpCase("full_like", (i32(3), 5), dtype="int32"),
    OpCase(
        "full_like",
        (f32(3), 0.5),
        {"dtype": "float64"},
        dtype="float64",
        reference=lambda x, v, dtype: np.full_like(x, v, dtype),
    ),
    OpCase("eye", (3,), dtype="float32"),
    OpCase("eye", (2, 4), {"k": 1}, dtype="float32", reference=lambda n, m, k: np.eye(n, m, k)),
    OpCase(
        "eye",
        (3,),
        {"k": -1, "dtype": "int32"},
        dtype="int32",
        reference=lambda n, k, dtype: np.eye(n, k=k, dtype=dtype),
    ),
    OpCase("identity", (3,), dtype="float32"),
    OpCase("tri", (3, 4), dtype="float32"),
    OpCase(
        "tri",
        (3,),
        {"k": -1, "dtype": "int32"},
        dtype="int32",
        reference=lambda n, k, dtype: np.tri(n, k=k, dtype=dtype),
    ),
    OpCase("linspace", (0.0, 1.0, 5), dtype="float32"),
    OpCase(
        "linspace",
        (2, 3, 4),
        {"endpoint": False},
        dtype="float32",
        reference=lambda a, b, n, endpoint: np.linspace(a, b, n, endpoint=endpoint),
    ),
    OpCase(
        "linspace",
        (0, 10, 6),
        {"dtype": "float64"},
        dtype="float64",
        reference=lambda a, b, n, dtype: np.linspace(a, b, n, dtype=dtype),
    ),
    OpCase(
        "linspace",
        (np.array([0.0, 1.0], np.float32), np.array([1.0, 3.0], np.float32), 3),
        dtype="float32",
        reference=lambda a, b, n: np.linspace(a, b, n),
    ),
    OpCase(
        "linspace",
        (np.array([0.0, 1.0], np.float32), np.array([1.0, 3.0], np.float32), 3),
        {"axis": 1},
        dtype="float32",
        reference=lambda a, b, n, axis: np.linspace(a, b, n, axis=axis),
    ),
    OpCase("logspace", (0.0, 2.0, 3), dtype="float32", rtol=1e-5),
    OpCase(
        "logspace",
        (1, 3, 3),
        {"base": 2},
        dtype="float32",
        reference=lambda a, b, n, base: np.logspace(a, b, n, base=base),
    ),
    OpCase("geomspace", (1.0, 1000.0, 4), dtype="float32", rtol=1e-5),
    OpCase(
        "geomspace",
        (2, 32, 5),
        {"endpoint": False},
        dtype="float32",
        reference=lambda a, b, n, endpoint: np.geomspace(a, b, n, endpoint=endpoint),
    ),
    OpCase(
        "meshgrid",
        (i32(3), i32(2)),
        dtype=["int32", "int32"],
        reference=lambda a, b: list(np.meshgrid(a, b)),
    ),
    OpCase(
        "meshgrid",
        (f32(3), f32(2), f32(4)),
        {"indexing": "ij"},
        dtype=["float32"] * 3,
        reference=lambda a, b, c, indexing: list(np.meshgrid(a, b, c, indexing=indexing)),
    ),
    OpCase("vander", (i32(4),), dtype="int32"),
    OpCase(
        "vander",
        (f32(3),),
        {"N": 4, "increasing": True},
        dtype="float32",
        reference=lambda x, N, increasing: np.vander(x, N, increasing),
    ),
]
for window in ("bartlett", "blackman", "hamming", "hanning"):
    CASES += [
        OpCase(window, (7,), dtype="float32", atol=1e-6),
        OpCase(window, (1,), dtype="float32"),
    ]
CASES.append(OpCase("kaiser", (6, 14.0), dtype="float32", rtol=1e-5, atol=1e-6))


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


def test_linspace_retstep():
    values, step = ops.linspace(0.0, 1.0, 5, retstep=True)
    np.testing.assert_allclose(ops.convert_to_numpy(values), np.linspace(0, 1, 5))
    assert float(ops.convert_to_numpy(step)) == 0.25


def test_negative_shape_is_an_error():
    with pytest.raises(ValueError, match=r"kfn.ops.zeros: negative dimension in shape \(2, -1\)"):
        ops.zeros((2, -1))

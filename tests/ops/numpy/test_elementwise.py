"""kfn.ops.numpy elementwise functions against NumPy, on the active backend."""

import numpy as np
import pytest

from kfn import ops
from tests.ops.cases import OpCase, case_id, f16, f32, f64, i32, i64, run_case, u8

CASES = [
    OpCase("add", (f32(2, 3), f32(3)), dtype="float32"),
    OpCase("add", (f32(2, 1), f32(1, 4)), dtype="float32"),
    OpCase("add", (i32(4), f32(4)), dtype="float32"),
    OpCase("add", (i64(4), f32(4)), dtype="float32"),
    OpCase("add", (i32(4), i64(4)), dtype="int64"),
    OpCase("add", (u8(4), i32(4)), dtype="int32"),
    OpCase("add", (f16(4), f64(4)), dtype="float64"),
    OpCase("add", (i32(4), 1.5), dtype="float32"),
    OpCase("add", (u8(4), 3), dtype="uint8"),
    OpCase("add", (f16(4), 2.0), dtype="float16"),
    OpCase("absolute", (f32(3, 2),), dtype="float32"),
    OpCase("absolute", (i32(5),), dtype="int32"),
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

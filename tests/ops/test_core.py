"""kfn.ops core: conversion and dtypes, slicing and scatter, control flow (eager and jitted)."""

import numpy as np
import pytest

from kfn import ops
from tests.conftest import BACKEND
from tests.ops.cases import OpCase, case_id, check_result, f32, i32, run_case


def t(x, dtype=None):
    return ops.convert_to_tensor(np.asarray(x) if dtype is None else np.asarray(x, dtype))


# ---------------------------------------------------------------------------- conversion


@pytest.mark.parametrize(
    "value,dtype",
    [
        (1, "int32"),
        (1.5, "float32"),
        (True, "bool"),
        ([1, 2], "int32"),
        ([1, 2.5], "float32"),
        ([[True, False]], "bool"),
        (np.float64(2.0), "float64"),
        (np.arange(3, dtype=np.int64), "int64"),
        (np.ones(2, np.float16), "float16"),
        ([], "float32"),
    ],
    ids=repr,
)
def test_convert_to_tensor_dtypes(value, dtype):
    tensor = ops.convert_to_tensor(value)
    assert ops.is_tensor(tensor)
    assert ops.dtype(tensor) == dtype
    np.testing.assert_array_equal(ops.convert_to_numpy(tensor), np.asarray(value))


def test_convert_to_tensor_with_dtype_and_roundtrip():
    tensor = ops.convert_to_tensor([1, 2, 3], dtype="float64")
    assert ops.dtype(tensor) == "float64"
    assert ops.convert_to_numpy(tensor).dtype == np.float64
    assert ops.convert_to_tensor(tensor) is tensor


def test_python_int_out_of_int32_range_is_an_error():
    with pytest.raises(OverflowError, match="does not fit in int32; pass dtype='int64'"):
        ops.convert_to_tensor(2**40)
    assert ops.dtype(ops.convert_to_tensor(2**40, dtype="int64")) == "int64"


def test_is_tensor():
    assert ops.is_tensor(t([1.0]))
    assert not ops.is_tensor([1.0])
    assert not ops.is_tensor(np.ones(2)) or BACKEND == "numpy"


def test_convert_to_numpy_of_tensors_requiring_grad_and_variables():
    if BACKEND == "torch":
        import torch

        x = torch.ones(2, requires_grad=True) * 3
        np.testing.assert_array_equal(ops.convert_to_numpy(x), [3.0, 3.0])
    elif BACKEND == "tensorflow":
        import tensorflow as tf

        v = tf.Variable([1.0, 2.0])
        np.testing.assert_array_equal(ops.convert_to_numpy(v), [1.0, 2.0])
        assert ops.is_tensor(v)
        assert ops.dtype(ops.convert_to_tensor(v)) == "float32"
    else:
        pytest.skip("no grad-requiring tensors or variables on this backend")


def test_bfloat16_roundtrip():
    x = ops.convert_to_tensor([1.0, 2.5], dtype="bfloat16")
    assert ops.dtype(x) == "bfloat16"
    np.testing.assert_array_equal(ops.convert_to_numpy(x).astype(np.float32), [1.0, 2.5])


CASES = [
    OpCase("cast", (f32(3, 2), "int32"), dtype="int32", reference=lambda x, d: x.astype(d)),
    OpCase("cast", (i32(4), "float16"), dtype="float16", reference=lambda x, d: x.astype(d)),
    OpCase(
        "cast",
        (np.array([0, 2, 0], "int32"), "bool"),
        dtype="bool",
        reference=lambda x, d: x.astype(d),
    ),
    OpCase(
        "saturate_cast",
        (np.array([-5.0, 12.7, 300.0], "float32"), "uint8"),
        dtype="uint8",
        reference=lambda x, d: np.array([0, 12, 255], "uint8"),
    ),
    OpCase(
        "saturate_cast",
        (np.array([-200, 5, 200], "int32"), "int8"),
        dtype="int8",
        reference=lambda x, d: np.array([-128, 5, 127], "int8"),
    ),
    OpCase(
        "saturate_cast",
        (np.array([1e10, -1e10], "float64"), "float32"),
        dtype="float32",
        reference=lambda x, d: x.astype("float32"),
    ),
    OpCase(
        "slice",
        (np.arange(10, dtype="float32"), [3], [4]),
        dtype="float32",
        reference=lambda x, s, n: x[3:7],
    ),
    OpCase(
        "slice",
        (np.arange(12, dtype="int32").reshape(3, 4), [1, 2], [2, 2]),
        dtype="int32",
        reference=lambda x, s, n: x[1:3, 2:4],
    ),
    OpCase(
        "slice",  # starts are clamped so the block fits, as in lax.dynamic_slice
        (np.arange(10, dtype="float32"), [8], [4]),
        dtype="float32",
        reference=lambda x, s, n: x[6:10],
        id="slice_clamped",
    ),
    OpCase(
        "slice_update",
        (np.zeros((3, 4), "float32"), [1, 1], np.ones((2, 2), "float32")),
        dtype="float32",
        reference=lambda x, s, u: np.pad(u, ((1, 0), (1, 1))),
    ),
    OpCase(
        "scatter",
        (np.array([[0], [2], [0]]), np.array([1.0, 2.0, 3.0], "float32"), (4,)),
        dtype="float32",
        reference=lambda i, v, s: np.array([4.0, 0.0, 2.0, 0.0]),
        id="scatter_sums_duplicates",
    ),
    OpCase(
        "scatter",
        (np.array([[0, 1], [1, 0]]), np.ones((2, 3), "float32"), (2, 2, 3)),
        dtype="float32",
        reference=lambda i, v, s: np.array([[[0] * 3, [1] * 3], [[1] * 3, [0] * 3]]),
        id="scatter_slices",
    ),
    OpCase(
        "scatter_update",
        (np.zeros((2, 3), "float32"), np.array([[1, 0], [0, 2]]), np.array([5.0, 7.0], "float32")),
        dtype="float32",
        reference=lambda x, i, u: np.array([[0, 0, 7.0], [5.0, 0, 0]]),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_core_ops(case):
    run_case(case)


def test_unknown_dtype_names_the_op_and_argument():
    with pytest.raises(ValueError, match=r"kfn.ops.cast: argument dtype: unknown dtype 'floot32'"):
        ops.cast(t([1.0]), "floot32")


def test_shape_and_unstack():
    x = t(np.arange(6.0).reshape(3, 2))
    assert ops.shape(x) == (3, 2)
    parts = ops.unstack(x)
    assert len(parts) == 3
    check_result(parts[1], np.array([2.0, 3.0]), "float64")
    columns = ops.unstack(x, axis=1)
    check_result(columns[0], np.array([0.0, 2.0, 4.0]), "float64")


# ---------------------------------------------------------------------------- control flow


def test_cond_with_tensor_and_python_predicates():
    x = t([1.0, -2.0])
    assert ops.convert_to_numpy(ops.cond(t(True), lambda: x * 2, lambda: x)).tolist() == [2, -4]
    assert ops.convert_to_numpy(ops.cond(False, lambda: x * 2, lambda: x)).tolist() == [1, -2]


def test_switch_clamps_the_index():
    branches = [lambda v: v + 1, lambda v: v * 10]
    assert float(ops.convert_to_numpy(ops.switch(t(1), branches, t(2.0)))) == 20.0
    assert float(ops.convert_to_numpy(ops.switch(t(5), branches, t(2.0)))) == 20.0
    assert float(ops.convert_to_numpy(ops.switch(-3, branches, t(2.0)))) == 3.0


def test_while_loop_tuple_single_and_maximum_iterations():
    i, total = ops.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + i), (t(0), t(0)))
    assert (int(ops.convert_to_numpy(i)), int(ops.convert_to_numpy(total))) == (5, 10)
    single = ops.while_loop(lambda x: x < 100, lambda x: x * 2, t(1))
    assert int(ops.convert_to_numpy(single)) == 128
    capped = ops.while_loop(lambda x: x < 100, lambda x: x * 2, [t(1)], maximum_iterations=3)
    assert isinstance(capped, list) and int(ops.convert_to_numpy(capped[0])) == 8


def test_fori_loop():
    result = ops.fori_loop(0, 4, lambda i, v: v + i, t(0))
    assert int(ops.convert_to_numpy(result)) == 6


def test_scan_forward_reverse_and_without_xs():
    xs = t(np.array([1.0, 2.0, 3.0], "float32"))

    def cumulative(carry, x):
        carry = carry + x
        return carry, carry

    carry, ys = ops.scan(cumulative, t(np.float32(0.0)), xs)
    check_result(carry, np.float32(6.0), "float32")
    check_result(ys, np.array([1.0, 3.0, 6.0]), "float32")
    carry, ys = ops.scan(cumulative, t(np.float32(0.0)), xs, reverse=True)
    check_result(ys, np.array([6.0, 5.0, 3.0]), "float32")

    def count(carry, _):
        return carry + 1, carry * 2

    carry, ys = ops.scan(count, t(np.int32(0)), None, length=4)
    check_result(carry, np.int32(4), "int32")
    check_result(ys, np.array([0, 2, 4, 6]), "int32")


def test_scan_over_pytrees():
    xs = {"a": t(np.ones((3, 2), "float32")), "b": t(np.arange(3, dtype="float32"))}

    def step(carry, x):
        new = carry + x["a"] * x["b"]
        return new, {"sum": new}

    carry, ys = ops.scan(step, t(np.zeros(2, "float32")), xs)
    check_result(carry, np.array([3.0, 3.0]), "float32")
    check_result(ys["sum"], np.array([[0, 0], [1, 1], [3, 3.0]]), "float32")


def test_associative_scan_matches_jax_semantics():
    x = t(np.array([1, 2, 3], "int32"))

    def combine(a, b):
        return a * 10 + b

    check_result(ops.associative_scan(combine, x), np.array([1, 12, 123]), "int32")
    check_result(ops.associative_scan(combine, x, reverse=True), np.array([321, 32, 3]), "int32")
    grid = t(np.arange(6, dtype="float32").reshape(2, 3))
    check_result(
        ops.associative_scan(lambda a, b: a + b, grid, axis=1),
        np.cumsum(np.arange(6.0).reshape(2, 3), axis=1),
        "float32",
    )


def test_map_and_vectorized_map():
    xs = t(np.arange(6, dtype="float32").reshape(3, 2))
    check_result(ops.map(lambda row: row * 2.0, xs), np.arange(6.0).reshape(3, 2) * 2, "float32")
    check_result(
        ops.vectorized_map(lambda row: row * row + 1.0, xs),
        np.arange(6.0).reshape(3, 2) ** 2 + 1,
        "float32",
    )


def test_control_flow_under_jit():
    def step(x):
        doubled = ops.cond(x[0] > 0, lambda: x * 2.0, lambda: x)
        _, total = ops.while_loop(
            lambda i, s: i < 3,
            lambda i, s: (i + 1, s + doubled),
            (t(0), ops.convert_to_tensor(np.zeros(2, "float32"))),
        )
        _, ys = ops.scan(lambda c, v: (c + v, c + v), ops.convert_to_tensor(np.float32(0.0)), total)
        return ys

    jitted = ops.jit(step)
    x = t(np.array([1.0, 2.0], "float32"))
    check_result(jitted(x), np.array([6.0, 18.0]), "float32")
    check_result(jitted(-x), np.array([-3.0, -9.0]), "float32")


# ---------------------------------------------------------------------------- devices


def test_device_scope_places_new_tensors():
    import kfn

    with kfn.device("cpu:0"):
        x = ops.ones((2,))
        y = ops.convert_to_tensor([1.0, 2.0])
    if BACKEND == "torch":
        assert x.device.type == "cpu" and y.device.type == "cpu"
    elif BACKEND == "jax":
        assert next(iter(x.devices())).platform == "cpu"
    elif BACKEND == "tensorflow":
        assert "CPU" in x.device
    check_result(x, np.ones(2), "float32")


def test_unknown_device_is_explained():
    import kfn

    with pytest.raises(ValueError, match=r"device 'gpu:7'"):
        with kfn.device("gpu:7"):
            pass

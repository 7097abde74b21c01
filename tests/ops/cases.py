"""Table-driven op tests: one `OpCase` per row, one test function walking each table.

A case names a `kfn.ops` function, its arguments (NumPy arrays and Python values: arrays are
converted to backend tensors, Python scalars stay Python scalars so weak typing is exercised),
a NumPy/SciPy reference and the expected result dtype, which must be the same on every backend.

    CASES = [
        OpCase("add", (f32(2, 3), f32(3)), dtype="float32"),            # reference np.add
        OpCase("add", (i32(4), 1.5), dtype="float32", reference=lambda a, b: a + b),
    ]

    @pytest.mark.parametrize("case", CASES, ids=case_id)
    def test_values(case):
        run_case(case)

`check_gradient` compares `kfn.ops.grad` with central finite differences in float64.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from kfn import ops, tree
from tests.conftest import BACKEND

RNG = np.random.default_rng(1234)

# Tolerances by result dtype (relative, absolute).
TOLERANCES = {
    "float64": (1e-10, 1e-12),
    "float32": (1e-5, 1e-6),
    "float16": (2e-3, 2e-3),
    "bfloat16": (2e-2, 2e-2),
    "complex64": (1e-5, 1e-6),
    "complex128": (1e-10, 1e-12),
}


@dataclasses.dataclass
class OpCase:
    """One row of an op table.

    Args:
        op: the name of the function in `kfn.ops` (or a callable taking the converted args).
        args: positional arguments; np.ndarrays become backend tensors.
        kwargs: keyword arguments, passed as they are (np.ndarrays converted too).
        dtype: the expected result dtype (one per output when the op returns a tuple/list), or
            None to skip the dtype check (e.g. Python-valued results).
        reference: computes the expected value from the NumPy arguments; default
            `getattr(np, op)`.
        rtol, atol: override the dtype's tolerances.
        skip: backends this case does not run on, mapped to the reason.
        id: a readable test id (default: op name and argument shapes).
    """

    op: str | Callable
    args: tuple = ()
    kwargs: dict = dataclasses.field(default_factory=dict)
    dtype: Any = None
    reference: Callable | None = None
    rtol: float | None = None
    atol: float | None = None
    skip: dict = dataclasses.field(default_factory=dict)
    id: str | None = None


def case_id(case: OpCase) -> str:
    if case.id:
        return case.id
    name = case.op if isinstance(case.op, str) else case.op.__name__
    parts = [_describe(a) for a in case.args] + [
        f"{k}={_describe(v)}" for k, v in case.kwargs.items()
    ]
    return f"{name}({','.join(parts)})"


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"{value.dtype.name}{list(value.shape)}"
    if isinstance(value, list | tuple) and value and all(isinstance(v, np.ndarray) for v in value):
        return "[" + ",".join(_describe(v) for v in value) + "]"
    return repr(value)


def to_backend(value):
    """NumPy arrays (inside any pytree) as backend tensors; everything else unchanged."""

    def convert(leaf):
        return ops.convert_to_tensor(leaf) if isinstance(leaf, np.ndarray) else leaf

    return tree.map_structure(convert, value)


def to_numpy(value):
    """Backend tensors (inside any pytree) as NumPy arrays."""

    def convert(leaf):
        return ops.convert_to_numpy(leaf) if ops.is_tensor(leaf) else leaf

    return tree.map_structure(convert, value)


def run_case(case: OpCase) -> Any:
    """Run `case` on the active backend and check values, shapes and dtypes. Returns the
    NumPy result."""
    import pytest

    if BACKEND in case.skip:
        pytest.skip(case.skip[BACKEND])
    fn = getattr(ops, case.op) if isinstance(case.op, str) else case.op
    result = fn(*to_backend(case.args), **to_backend(case.kwargs))
    reference = case.reference or getattr(np, case.op)
    expected = reference(*case.args, **case.kwargs)
    check_result(result, expected, case.dtype, rtol=case.rtol, atol=case.atol, label=case_id(case))
    return to_numpy(result)


def check_result(result, expected, dtype, rtol=None, atol=None, label=""):
    """Assert that a backend result matches `expected` in structure, shape, value and dtype."""
    if isinstance(expected, list | tuple):
        assert isinstance(result, list | tuple), f"{label}: expected a sequence, got {type(result)}"
        assert len(result) == len(expected), (
            f"{label}: {len(result)} outputs, expected {len(expected)}"
        )
        dtypes = dtype if isinstance(dtype, list | tuple) else [dtype] * len(expected)
        for i, (r, e, d) in enumerate(zip(result, expected, dtypes)):
            check_result(r, e, d, rtol, atol, f"{label}[{i}]")
        return
    if dtype is not None:
        assert ops.is_tensor(result), f"{label}: expected a tensor, got {type(result).__name__}"
        assert ops.dtype(result) == dtype, f"{label}: dtype {ops.dtype(result)}, expected {dtype}"
    actual = ops.convert_to_numpy(result) if ops.is_tensor(result) else np.asarray(result)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, (
        f"{label}: shape {actual.shape}, expected {expected.shape}"
    )
    if actual.dtype.kind in "biuU" and expected.dtype.kind in "biuU":
        np.testing.assert_array_equal(actual, expected, err_msg=label)
        return
    default_rtol, default_atol = TOLERANCES.get(dtype or actual.dtype.name, (1e-5, 1e-6))
    np.testing.assert_allclose(
        actual.astype(np.complex128 if actual.dtype.kind == "c" else np.float64),
        expected.astype(np.complex128 if expected.dtype.kind == "c" else np.float64),
        rtol=default_rtol if rtol is None else rtol,
        atol=default_atol if atol is None else atol,
        equal_nan=True,
        err_msg=label,
    )


def check_gradient(fn, *args, argnum=0, eps=1e-6, rtol=1e-4, atol=1e-6):
    """Compare `kfn.ops.grad` of the scalar function `fn` with central finite differences.

    `fn` takes backend tensors and returns a scalar tensor; `args` are NumPy float64 arrays.
    The gradient is taken in float64 with respect to `args[argnum]`.
    """
    args = [np.asarray(a, dtype=np.float64) if isinstance(a, np.ndarray) else a for a in args]
    analytic = ops.convert_to_numpy(ops.grad(fn, argnums=argnum)(*to_backend(tuple(args))))
    x = args[argnum]
    numeric = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        shifted = []
        for sign in (1.0, -1.0):
            moved = x.copy()
            moved[index] += sign * eps
            call = list(args)
            call[argnum] = moved
            shifted.append(float(ops.convert_to_numpy(fn(*to_backend(tuple(call))))))
        numeric[index] = (shifted[0] - shifted[1]) / (2 * eps)
    np.testing.assert_allclose(analytic, numeric, rtol=rtol, atol=atol)


# Random inputs by dtype, for tables.


def f32(*shape, low=-2.0, high=2.0):
    return RNG.uniform(low, high, shape).astype(np.float32)


def f64(*shape, low=-2.0, high=2.0):
    return RNG.uniform(low, high, shape).astype(np.float64)


def f16(*shape, low=-2.0, high=2.0):
    return RNG.uniform(low, high, shape).astype(np.float16)


def i32(*shape, low=-5, high=6):
    return RNG.integers(low, high, shape).astype(np.int32)


def i64(*shape, low=-5, high=6):
    return RNG.integers(low, high, shape).astype(np.int64)


def u8(*shape, low=0, high=10):
    return RNG.integers(low, high, shape).astype(np.uint8)


def b(*shape):
    return RNG.integers(0, 2, shape).astype(bool)


def positive(*shape, dtype=np.float32):
    return RNG.uniform(0.1, 3.0, shape).astype(dtype)

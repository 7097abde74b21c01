"""kfn.ops.linalg against NumPy/SciPy (values, shapes, dtypes), decompositions that are not
unique checked by reconstruction, gradients against finite differences, and a few ops
against keras.ops.linalg on the same backend.

The inputs come in few shapes (3x3 and a batch of two 3x3 in float32, the same batch in
float64), so backends that compile each new shape (jax) compile each kernel a few times only.
"""

import dataclasses
import warnings

import numpy as np
import pytest
import scipy.linalg

from kfn import ops
from tests.conftest import BACKEND, requires_gradients
from tests.ops.cases import (
    OpCase,
    case_id,
    check_gradient,
    check_result,
    run_case,
    to_backend,
    to_numpy,
)
from tests.ops.nn.keras_reference import keras_reference

RNG = np.random.default_rng(7)
# LAPACK in float32 loses a few digits to conditioning: a looser tolerance than elementwise ops.
LOOSE = {"rtol": 2e-4, "atol": 2e-5}


def uniform(*shape, dtype=np.float32):
    return RNG.uniform(-1, 1, shape).astype(dtype)


def square(*shape, dtype=np.float32):
    """Well-conditioned square matrices: random entries plus a dominant diagonal of either sign."""
    n = shape[-1]
    sign = RNG.choice([-1.0, 1.0], shape[:-2] + (1, 1))
    return (RNG.uniform(-1, 1, shape) + 2 * n * sign * np.eye(n)).astype(dtype)


def spd(*shape, dtype=np.float32):
    """Symmetric positive-definite matrices `m m^T + n I`."""
    m = RNG.uniform(-1, 1, shape)
    return (m @ np.swapaxes(m, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(dtype)


# The standard inputs.
A = square(3, 3)
A_BATCH = square(2, 3, 3)
A64 = square(2, 3, 3, dtype=np.float64)
S = spd(3, 3)
S64 = spd(2, 3, 3, dtype=np.float64)
X34 = uniform(3, 4)
X43_64 = uniform(2, 4, 3, dtype=np.float64)
INT = np.array([[4, 1, 0], [1, 3, 1], [0, 1, 2]], np.int32)  # symmetric positive definite
RANK_ONE = np.outer([1.0, 2.0, 3.0], [1.0, -1.0, 2.0]).astype(np.float32)
SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]], np.float32)
SCALES = np.diag([1.0, 1e-3, 1e-9])
V = uniform(3)
V64 = uniform(2, 3, dtype=np.float64)
B = uniform(3, 2)
EMPTY = np.zeros((0, 3, 3), np.float32)
ONE = np.array([[-2.5]], np.float32)
Z = (A + 1j * uniform(3, 3)).astype(np.complex64)
HERMITIAN = (Z @ Z.conj().T).astype(np.complex64)


def wide(fn):
    """A NumPy reference evaluated in float64 (the exact answer to compare float32 against)."""

    def reference(*args, **kwargs):
        args = [
            a.astype(np.float64) if isinstance(a, np.ndarray) and a.dtype.kind in "biuf" else a
            for a in args
        ]
        return fn(*args, **kwargs)

    return reference


def each_matrix(fn):
    """A reference applied to each matrix of a batch (for SciPy functions without batching)."""

    def reference(x):
        x = x.astype(np.float64)
        outs = [fn(m) for m in x.reshape(-1, *x.shape[-2:])]
        return [np.stack(part).reshape(x.shape[:-2] + part[0].shape) for part in zip(*outs)]

    return reference


def lu_factor_of_singular(x):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)
        return scipy.linalg.lu_factor(x)


def solve_reference(a, b):
    """Keras's rule: `b` holds vectors when it has one axis fewer than `a` (or one axis)."""
    a, b = a.astype(np.float64), b.astype(np.float64)
    if b.ndim == 1 or b.ndim == a.ndim - 1:
        return np.linalg.solve(a, b[..., None])[..., 0]
    return np.linalg.solve(a, b)


def solve_reference_complex(a, b):
    return np.linalg.solve(a, b[..., None])[..., 0]


def solve_triangular_reference(a, b, lower=False):
    return solve_reference(np.tril(a) if lower else np.triu(a), b)


def cholesky_inverse_reference(factor, upper=False):
    factor = factor.astype(np.float64)
    transposed = np.swapaxes(factor, -1, -2)
    return np.linalg.inv(transposed @ factor if upper else factor @ transposed)


def from_lower_triangle(x):
    return np.tril(x) + np.swapaxes(np.tril(x, -1), -1, -2)


def eigenvalues_of_symmetric(x):
    return np.linalg.eigh(x.astype(np.float64))[0]


def singular_values(x, compute_uv):
    return np.linalg.svd(x.astype(np.float64), compute_uv=False)


def lstsq_reference(a, b, rcond=None):
    return np.linalg.lstsq(a.astype(np.float64), b.astype(np.float64), rcond=rcond)[0]


L = np.linalg.cholesky(S.astype(np.float64)).astype(np.float32)
L64 = np.linalg.cholesky(S64)


CASES = [
    # cholesky
    OpCase("cholesky", (S,), dtype="float32", reference=wide(np.linalg.cholesky), **LOOSE),
    OpCase("cholesky", (S64,), dtype="float64"),
    OpCase("cholesky", (INT,), dtype="float32", reference=wide(np.linalg.cholesky), **LOOSE),
    OpCase("cholesky", (EMPTY,), dtype="float32"),
    OpCase(
        "cholesky",
        (np.triu(S, 1) * 100 + S,),
        {"upper": True},
        dtype="float32",
        reference=lambda x, upper: np.linalg.cholesky(from_lower_triangle(x), upper=True),
        id="cholesky_upper_reads_the_lower_triangle",
        **LOOSE,
    ),
    # cholesky_inverse
    OpCase(
        "cholesky_inverse", (L,), dtype="float32", reference=cholesky_inverse_reference, **LOOSE
    ),
    OpCase(
        "cholesky_inverse",
        (np.ascontiguousarray(np.swapaxes(L64, -1, -2)),),
        {"upper": True},
        dtype="float64",
        reference=cholesky_inverse_reference,
    ),
    # det
    OpCase("det", (A_BATCH,), dtype="float32", reference=wide(np.linalg.det), **LOOSE),
    OpCase("det", (A64,), dtype="float64"),
    OpCase("det", (INT,), dtype="float32", reference=wide(np.linalg.det), **LOOSE),
    OpCase("det", (ONE,), dtype="float32"),
    OpCase("det", (EMPTY,), dtype="float32"),
    OpCase("det", (np.zeros((2, 0, 0), np.float32),), dtype="float32"),
    OpCase(
        "det",
        (A.astype(np.float16),),
        dtype="float16",
        reference=wide(np.linalg.det),
        rtol=2e-3,
        atol=2e-2,
    ),
    # eigenvalues of symmetric matrices (float32 and eigenvectors: test_eigh_reconstructs_...)
    OpCase(
        lambda x: ops.eigh(x)[0],
        (S64,),
        dtype="float64",
        reference=eigenvalues_of_symmetric,
        id="eigh_values_float64",
    ),
    OpCase(
        lambda x: ops.eigh(x)[0],
        (INT,),
        dtype="float32",
        reference=eigenvalues_of_symmetric,
        id="eigh_values_int32",
        **LOOSE,
    ),
    # inv
    OpCase("inv", (A,), dtype="float32", reference=wide(np.linalg.inv), **LOOSE),
    OpCase("inv", (A64,), dtype="float64"),
    OpCase("inv", (INT,), dtype="float32", reference=wide(np.linalg.inv), **LOOSE),
    OpCase("inv", (ONE,), dtype="float32"),
    OpCase("inv", (EMPTY,), dtype="float32"),
    # lstsq
    OpCase("lstsq", (X34.T, X34[0]), dtype="float32", reference=lstsq_reference, **LOOSE),
    OpCase("lstsq", (X43_64[0], X43_64[1]), dtype="float64", reference=lstsq_reference),
    OpCase(
        "lstsq",
        (X34, V),
        dtype="float32",
        reference=lstsq_reference,
        id="lstsq_underdetermined_minimum_norm",
        **LOOSE,
    ),
    OpCase(
        "lstsq",
        (RANK_ONE, V),
        dtype="float32",
        reference=lstsq_reference,
        id="lstsq_rank_deficient",
        **LOOSE,
    ),
    OpCase(
        "lstsq",
        (SCALES, np.ones(3)),
        {"rcond": 1e-6},
        dtype="float64",
        reference=lstsq_reference,
        id="lstsq_rcond_drops_small_singular_values",
    ),
    # lu_factor (square: unique with partial pivoting; non-square in test_lu_factor_non_square)
    OpCase(
        "lu_factor",
        (A,),
        dtype=["float32", "int32"],
        reference=each_matrix(scipy.linalg.lu_factor),
        **LOOSE,
    ),
    OpCase(
        "lu_factor",
        (A64,),
        dtype=["float64", "int32"],
        reference=each_matrix(scipy.linalg.lu_factor),
    ),
    OpCase(
        "lu_factor",
        (np.array([[0.0, 1.0, 2.0], [0.0, 2.0, 1.0], [0.0, 0.0, 3.0]], np.float32),),
        dtype=["float32", "int32"],
        reference=each_matrix(lu_factor_of_singular),
        id="lu_factor_singular",
        skip={"tensorflow": "tf.linalg.lu rejects singular matrices"},
    ),
    # matrix_power
    OpCase("matrix_power", (A, 0), dtype="float32", reference=np.linalg.matrix_power),
    OpCase("matrix_power", (A64, 5), dtype="float64", reference=np.linalg.matrix_power),
    OpCase(
        "matrix_power", (A, -2), dtype="float32", reference=wide(np.linalg.matrix_power), **LOOSE
    ),
    OpCase("matrix_power", (INT, 3), dtype="int32", reference=np.linalg.matrix_power),
    OpCase(
        "matrix_power", (INT.astype(np.int8), 2), dtype="int8", reference=np.linalg.matrix_power
    ),
    # matrix_rank
    OpCase("matrix_rank", (np.stack([RANK_ONE, A, 0 * A]),), dtype="int32"),
    OpCase(
        "matrix_rank",
        (SCALES,),
        {"tol": 1e-6},
        dtype="int32",
        reference=lambda x, tol: np.linalg.matrix_rank(x, tol=tol),
    ),
    OpCase(
        "matrix_rank",
        (np.zeros((2, 0, 3), np.float32),),
        dtype="int32",
        reference=lambda x: np.zeros(2),
    ),
    # norm of vectors
    OpCase("norm", (V,), dtype="float32", reference=wide(np.linalg.norm)),
    OpCase("norm", (A_BATCH,), dtype="float32", reference=wide(np.linalg.norm)),
    OpCase("norm", (A64,), {"keepdims": True}, dtype="float64", reference=np.linalg.norm),
    OpCase("norm", (INT[0],), dtype="float32", reference=wide(np.linalg.norm)),
    OpCase("norm", (np.array(-3.0, np.float32),), dtype="float32", reference=wide(np.linalg.norm)),
    *[
        OpCase(
            "norm",
            (X34,),
            {"ord": order, "axis": 1},
            dtype="float32",
            reference=wide(lambda x, ord, axis: np.linalg.norm(x, ord=ord, axis=axis)),
            **LOOSE,
        )
        for order in (1, -1, 0, 3, 0.5, np.inf, -np.inf)
    ],
    OpCase(
        "norm",
        (np.array([0.0, 2.0, 0.0, -1.0], np.float32),),
        {"ord": 0},
        dtype="float32",
        reference=lambda x, ord: np.linalg.norm(x, ord=ord),
    ),
    OpCase(
        "norm",
        (A_BATCH,),
        {"axis": -2, "keepdims": True},
        dtype="float32",
        reference=wide(lambda x, axis, keepdims: np.linalg.norm(x, axis=axis, keepdims=keepdims)),
    ),
    OpCase(
        "norm",
        ((V + 1j * V[::-1]).astype(np.complex64),),
        dtype="float32",
        reference=lambda x: np.linalg.norm(x.astype(np.complex128)),
    ),
    # norm of matrices
    *[
        OpCase(
            "norm",
            (X34,),
            {"ord": order},
            dtype="float32",
            reference=wide(lambda x, ord: np.linalg.norm(x, ord=ord)),
            **LOOSE,
        )
        for order in (None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf)
    ],
    *[
        OpCase(
            "norm",
            (X43_64,),
            {"ord": order, "axis": (2, 0), "keepdims": keepdims},
            dtype="float64",
            reference=lambda x, ord, axis, keepdims: np.linalg.norm(
                x, ord=ord, axis=axis, keepdims=keepdims
            ),
        )
        for order, keepdims in (("fro", False), ("nuc", True), (np.inf, True))
    ],
    # pinv
    OpCase("pinv", (X34,), dtype="float32", reference=wide(np.linalg.pinv), **LOOSE),
    OpCase("pinv", (X43_64,), dtype="float64"),
    OpCase(
        "pinv",
        (RANK_ONE,),
        dtype="float32",
        reference=wide(lambda x: np.linalg.pinv(x, rtol=None)),
        **LOOSE,
    ),
    OpCase(
        "pinv",
        (SCALES,),
        {"rcond": 1e-6},
        dtype="float64",
        reference=lambda x, rcond: np.linalg.pinv(x, rcond=rcond),
    ),
    # slogdet and logdet
    OpCase("slogdet", (A,), dtype="float32", reference=wide(np.linalg.slogdet), **LOOSE),
    OpCase("slogdet", (A64,), dtype="float64", reference=lambda x: list(np.linalg.slogdet(x))),
    OpCase("slogdet", (RANK_ONE,), dtype="float32", reference=lambda x: [0.0, -np.inf]),
    OpCase(
        lambda x: ops.numpy.slogdet(x),
        (INT,),
        dtype="float32",
        reference=wide(np.linalg.slogdet),
        id="numpy_slogdet_int32",
        **LOOSE,
    ),
    OpCase("logdet", (S64,), dtype="float64", reference=lambda x: np.linalg.slogdet(x)[1]),
    OpCase(
        "logdet",
        (np.stack([-S, RANK_ONE]),),
        dtype="float32",
        reference=lambda x: np.array([np.nan, -np.inf]),
        id="logdet_is_nan_below_zero_and_minus_inf_at_zero",
    ),
    # solve
    OpCase("solve", (A, B), dtype="float32", reference=solve_reference, **LOOSE),
    OpCase(
        "solve",
        (A64, V64),
        dtype="float64",
        reference=solve_reference,
        id="solve_batch_of_vectors",
    ),
    OpCase(
        "solve",
        (A64[0], X43_64.swapaxes(1, 2)),
        dtype="float64",
        reference=solve_reference,
        id="solve_broadcasts_a",
    ),
    OpCase(
        "solve",
        (A64[:, None], X43_64[:1, :3]),
        dtype="float64",
        reference=solve_reference,
        id="solve_broadcasts_both",
    ),
    OpCase("solve", (INT, INT[0]), dtype="float32", reference=solve_reference, **LOOSE),
    OpCase("solve", (ONE, V[:1]), dtype="float32", reference=solve_reference),
    OpCase("solve", (EMPTY, EMPTY[..., 0]), dtype="float32", reference=solve_reference),
    # solve_triangular
    OpCase(
        "solve_triangular",
        (np.tril(A), V),
        {"lower": True},
        dtype="float32",
        reference=solve_triangular_reference,
        **LOOSE,
    ),
    OpCase(
        "solve_triangular",
        (np.triu(A), B),
        dtype="float32",
        reference=solve_triangular_reference,
        **LOOSE,
    ),
    OpCase(
        "solve_triangular",
        (A64, V64),
        {"lower": True},
        dtype="float64",
        reference=solve_triangular_reference,
        id="solve_triangular_reads_one_triangle",
    ),
    OpCase(
        "solve_triangular",
        (A64[0], X43_64.swapaxes(1, 2)),
        dtype="float64",
        reference=solve_triangular_reference,
        id="solve_triangular_broadcasts_a",
    ),
    # complex matrices
    OpCase("det", (Z,), dtype="complex64", reference=np.linalg.det, **LOOSE),
    OpCase("solve", (Z, Z[0]), dtype="complex64", reference=solve_reference_complex, **LOOSE),
    OpCase(
        lambda x: ops.eigh(x)[0],
        (HERMITIAN,),
        dtype="float32",
        reference=lambda x: np.linalg.eigh(x)[0],
        id="eigh_values_complex64_are_real",
        **LOOSE,
    ),
    OpCase(
        "svd",
        (Z,),
        {"compute_uv": False},
        dtype="float32",
        reference=lambda x, compute_uv: np.linalg.svd(x, compute_uv=False),
        **LOOSE,
    ),
    OpCase(
        "slogdet",
        (Z,),
        dtype=["complex64", "float32"],
        reference=lambda x: list(np.linalg.slogdet(x)),
        **LOOSE,
    ),
    # singular values (singular vectors: test_svd_reconstructs)
    OpCase(
        "svd", (X34,), {"compute_uv": False}, dtype="float32", reference=singular_values, **LOOSE
    ),
    OpCase("svd", (X43_64,), {"compute_uv": False}, dtype="float64", reference=singular_values),
    OpCase(
        "svd", (INT,), {"compute_uv": False}, dtype="float32", reference=singular_values, **LOOSE
    ),
]


def default_to_numpy_linalg(cases):
    """The cases with `numpy.linalg.<op>` as the reference where none is given."""
    return [
        case if case.reference else dataclasses.replace(case, reference=getattr(np.linalg, case.op))
        for case in cases
    ]


@pytest.mark.parametrize("case", default_to_numpy_linalg(CASES), ids=case_id)
def test_values_shapes_dtypes(case):
    run_case(case)


# ---------------------------------------------------------------------------- decompositions


def assert_close(actual, expected, dtype):
    tolerance = {"rtol": 1e-9, "atol": 1e-10} if dtype in ("float64", "complex128") else LOOSE
    np.testing.assert_allclose(actual, expected, **tolerance)


def adjoint(x):
    return np.conj(np.swapaxes(x, -1, -2))


def identities(like):
    """Identity matrices of the batch and last axis of `like`."""
    n = like.shape[-1]
    return np.broadcast_to(np.eye(n), like.shape[:-2] + (n, n))


@pytest.mark.parametrize(
    "x,mode",
    [
        (X34.T, "reduced"),
        (X34, "reduced"),
        (X34.T, "complete"),
        (A_BATCH, "reduced"),
        (X43_64, "complete"),
        (EMPTY, "reduced"),
    ],
    ids=lambda v: str(getattr(v, "shape", v)),
)
def test_qr_reconstructs(x, mode):
    dtype = x.dtype.name
    q, r = to_numpy(ops.qr(to_backend(x), mode=mode))
    expected_q, expected_r = np.linalg.qr(x, mode=mode)
    assert (q.shape, r.shape) == (expected_q.shape, expected_r.shape)
    assert q.dtype == r.dtype == dtype
    assert_close(q @ r, x, dtype)
    assert_close(adjoint(q) @ q, identities(q), dtype)
    np.testing.assert_array_equal(np.tril(r, -1), 0)


@pytest.mark.parametrize("x", [X34, X34.T, A_BATCH, X43_64, ONE, EMPTY], ids=lambda x: str(x.shape))
@pytest.mark.parametrize("full_matrices", [True, False])
def test_svd_reconstructs(x, full_matrices):
    dtype = x.dtype.name
    u, s, vh = to_numpy(ops.svd(to_backend(x), full_matrices=full_matrices))
    expected = np.linalg.svd(x, full_matrices=full_matrices)
    assert [u.shape, s.shape, vh.shape] == [e.shape for e in expected]
    assert u.dtype == s.dtype == vh.dtype == dtype
    assert_close(s, expected[1], dtype)
    k = s.shape[-1]
    assert_close((u[..., :, :k] * s[..., None, :]) @ vh[..., :k, :], x, dtype)
    assert_close(adjoint(u) @ u, identities(u), dtype)
    assert_close(vh @ adjoint(vh), identities(adjoint(vh)), dtype)
    assert np.all(np.diff(s, axis=-1) <= 0)


@pytest.mark.parametrize("x", [A, A_BATCH, A64, ONE], ids=lambda x: f"{x.dtype}{list(x.shape)}")
def test_eig_reconstructs(x):
    complex_dtype = "complex128" if x.dtype == np.float64 else "complex64"
    w, v = ops.eig(to_backend(x))
    assert ops.dtype(w) == ops.dtype(v) == complex_dtype  # complex even where w is real
    w, v = to_numpy((w, v))
    assert w.shape == x.shape[:-1] and v.shape == x.shape
    assert_close(x @ v, v * w[..., None, :], complex_dtype)
    assert_close(np.linalg.norm(v, axis=-2), np.ones(x.shape[:-1]), complex_dtype)
    expected = np.linalg.eigvals(x.astype(np.float64))
    assert_close(
        np.sort_complex(w.reshape(-1, x.shape[-1])),
        np.sort_complex(expected.reshape(-1, x.shape[-1])),
        complex_dtype,
    )


@pytest.mark.parametrize("x", [A, A_BATCH, A64, ONE], ids=lambda x: f"{x.dtype}{list(x.shape)}")
def test_eigh_reconstructs_and_reads_the_lower_triangle(x):
    dtype = x.dtype.name  # x is not symmetric: only its lower triangle counts
    w, v = to_numpy(ops.eigh(to_backend(x)))
    assert w.dtype == v.dtype == dtype
    assert_close(w, eigenvalues_of_symmetric(x), dtype)
    assert_close(from_lower_triangle(x) @ v, v * w[..., None, :], dtype)
    assert_close(adjoint(v) @ v, identities(v), dtype)


@pytest.mark.parametrize("x", [X34, X43_64], ids=lambda x: str(x.shape))
def test_lu_factor_non_square(x):
    if BACKEND == "tensorflow":
        with pytest.raises(NotImplementedError, match="tensorflow backend factors square"):
            ops.lu_factor(to_backend(x))
        return
    lu, pivots = ops.lu_factor(to_backend(x))
    expected = each_matrix(scipy.linalg.lu_factor)(x)
    check_result([lu, pivots], expected, [x.dtype.name, "int32"], **LOOSE)


@pytest.mark.skipif(BACKEND != "tensorflow", reason="the other backends factor singular matrices")
def test_lu_factor_of_a_singular_matrix_on_tensorflow_is_not_implemented():
    with pytest.raises(NotImplementedError, match="tensorflow backend cannot factor singular"):
        ops.lu_factor(to_backend(RANK_ONE))


def test_lu_factor_reconstructs_with_its_pivots():
    lu, pivots = to_numpy(ops.lu_factor(to_backend(A_BATCH)))
    for matrix, factors, swaps in zip(A_BATCH, lu, pivots):
        permuted = matrix.astype(np.float64)
        for i, p in enumerate(swaps):
            permuted[[i, p]] = permuted[[p, i]]
        lower_unit = np.tril(factors, -1) + np.eye(3)
        assert_close(lower_unit @ np.triu(factors), permuted, "float32")


def test_decompositions_return_plain_tuples():
    # The same pytree structure on every backend (not jax's or NumPy's named tuples).
    x = to_backend(S)
    for result in (
        ops.eig(x),
        ops.eigh(x),
        ops.qr(x),
        ops.svd(x),
        ops.slogdet(x),
        ops.lu_factor(x),
    ):
        assert type(result) is tuple


# ---------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "name,args,match",
    [
        ("det", (np.zeros((2, 3)),), r"kfn.ops.det: x must be square.*got shape \(2, 3\)"),
        ("inv", (np.zeros((4, 2, 3)),), r"kfn.ops.inv: x must be square.*\(4, 2, 3\)"),
        ("inv", (np.zeros(3),), r"kfn.ops.inv: x must be a matrix.*rank >= 2.*\(3,\)"),
        ("cholesky", (np.zeros((3, 2)),), r"kfn.ops.cholesky: x must be square"),
        ("eig", (np.zeros(2),), r"kfn.ops.eig: x must be a matrix"),
        ("eigh", (np.zeros((2, 3)),), r"kfn.ops.eigh: x must be square"),
        ("slogdet", (np.zeros((1, 2)),), r"kfn.ops.slogdet: x must be square"),
        ("logdet", (np.zeros((1, 2)),), r"kfn.ops.logdet: x must be square"),
        ("svd", (np.zeros(3),), r"kfn.ops.svd: x must be a matrix"),
        ("qr", (np.zeros(3),), r"kfn.ops.qr: x must be a matrix"),
        ("pinv", (np.zeros(3),), r"kfn.ops.pinv: x must be a matrix"),
        ("lu_factor", (np.zeros(3),), r"kfn.ops.lu_factor: x must be a matrix"),
        ("matrix_rank", (np.zeros(3),), r"kfn.ops.matrix_rank: x must be a matrix"),
        ("matrix_power", (np.zeros((2, 3)), 2), r"kfn.ops.matrix_power: x must be square"),
        ("cholesky_inverse", (np.zeros((2, 3)),), r"kfn.ops.cholesky_inverse: x must be square"),
        ("solve", (np.zeros((2, 3)), np.zeros(2)), r"kfn.ops.solve: a must be square"),
        ("solve", (np.eye(3), np.zeros(2)), r"kfn.ops.solve: the last axis of b must match a's 3"),
        ("solve", (np.eye(3), np.zeros((2, 2))), r"the second-to-last axis of b must match"),
        ("solve", (np.eye(3), np.array(1.0)), r"kfn.ops.solve: b must have rank >= 1"),
        ("solve_triangular", (np.eye(3), np.zeros(4)), r"kfn.ops.solve_triangular: the last"),
        ("lstsq", (np.zeros((2, 3, 3)), np.zeros(3)), r"kfn.ops.lstsq: a must be \(M, N\)"),
        ("lstsq", (np.zeros((3, 2)), np.zeros(2)), r"kfn.ops.lstsq: .*b of shape \(2,\)"),
    ],
)
def test_bad_shapes_are_explained(name, args, match):
    with pytest.raises(ValueError, match=match):
        getattr(ops, name)(*to_backend(args))


def test_bad_arguments_are_explained():
    x = to_backend(np.eye(3))
    with pytest.raises(
        ValueError, match="kfn.ops.qr: mode must be 'reduced' or 'complete', got 'r'"
    ):
        ops.qr(x, mode="r")
    with pytest.raises(ValueError, match="kfn.ops.norm: ord='fro' is a matrix norm"):
        ops.norm(x, ord="fro", axis=0)
    with pytest.raises(ValueError, match="kfn.ops.norm: ord=3 is not a matrix norm"):
        ops.norm(x, ord=3)
    with pytest.raises(ValueError, match="with axis=None and ord=2, x must be 1-D or 2-D"):
        ops.norm(to_backend(np.ones((2, 2, 2))), ord=2)
    with pytest.raises(ValueError, match="kfn.ops.norm: axis=3 is out of bounds"):
        ops.norm(x, axis=3)
    with pytest.raises(ValueError, match="kfn.ops.norm: the two axes of a matrix norm are equal"):
        ops.norm(x, axis=(1, -1))
    with pytest.raises(ValueError, match="kfn.ops.norm: axis must be an int or a pair"):
        ops.norm(to_backend(np.ones((2, 2, 2))), axis=(0, 1, 2))
    with pytest.raises(TypeError, match="kfn.ops.matrix_power: n must be an int, got 1.5"):
        ops.matrix_power(x, 1.5)


def test_cholesky_of_an_indefinite_matrix_raises():
    with pytest.raises(ValueError, match="kfn.ops.cholesky: x must be symmetric positive definite"):
        ops.cholesky(to_backend(-S))


@pytest.mark.skipif(BACKEND == "jax", reason="jax returns inf/NaN for singular matrices")
def test_singular_matrix_raises():
    with pytest.raises(ValueError, match="kfn.ops.inv: x holds a singular matrix"):
        ops.inv(to_backend(SINGULAR))
    with pytest.raises(ValueError, match="kfn.ops.solve: a holds a singular matrix"):
        ops.solve(to_backend(SINGULAR), to_backend(SINGULAR[0]))


# ---------------------------------------------------------------------------- gradients

A_GRAD = A64[0]  # a well-conditioned float64 3x3
X_GRAD = X43_64[0]  # a float64 4x3
WEIGHTS = {
    shape: ops.convert_to_tensor(RNG.uniform(-1, 1, shape)) for shape in ((3, 3), (3, 4), (3,))
}


def weighted(x):
    """A scalar that depends on every entry of `x`, with different weights (no symmetries)."""
    return ops.sum(x * WEIGHTS[tuple(x.shape)])


GRADIENTS = {
    "det": (ops.det, A_GRAD),
    "inv": (lambda x: weighted(ops.inv(x)), A_GRAD),
    "solve": (lambda a: weighted(ops.solve(a, WEIGHTS[(3,)])), A_GRAD),
    "solve_triangular": (
        lambda a: weighted(ops.solve_triangular(a, WEIGHTS[(3, 3)], lower=True)),
        np.tril(A_GRAD),
    ),
    # Symmetric inputs (x + x^T) for the ops that read one triangle of a symmetric matrix.
    "cholesky": (lambda x: weighted(ops.cholesky(x + ops.transpose(x))), S64[0]),
    "eigh_values": (lambda x: weighted(ops.eigh(x + ops.transpose(x))[0]), A_GRAD),
    "svd_values": (lambda x: weighted(ops.svd(x, compute_uv=False)), X_GRAD),
    "slogdet": (lambda x: ops.slogdet(x)[1], A_GRAD),
    "logdet": (ops.logdet, S64[0]),
    "lstsq": (lambda a: weighted(ops.lstsq(a, ops.convert_to_tensor(X_GRAD[:, 0]))), X_GRAD),
    "pinv": (lambda x: weighted(ops.pinv(x)), X_GRAD),
    "norm_vector": (ops.norm, A_GRAD[0]),
    "norm_nuclear": (lambda x: ops.norm(x, ord="nuc"), X_GRAD),
}


@requires_gradients
@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradient(name):
    fn, x = GRADIENTS[name]
    check_gradient(fn, x)


# ---------------------------------------------------------------------------- jvp


@requires_gradients
def test_jvp_matches_the_analytic_derivative():
    x, t = np.array([0.1, 0.5, -1.0], np.float32), np.array([0.2, -1.0, 3.0], np.float32)
    primals_out, tangents_out = ops.jvp(ops.sin, (to_backend(x),), (to_backend(t),))
    check_result(primals_out, np.sin(x), "float32")
    check_result(tangents_out, np.cos(x) * t, "float32")


@requires_gradients
def test_jvp_of_pytrees_with_aux():
    def fun(params, scale):
        out = {
            "det": ops.det(params["a"]) * scale,
            "pair": (params["b"] * 2.0, ops.sum(params["b"])),
        }
        return out, {"name": "aux", "scale": scale}

    a = A_GRAD
    primals = ({"a": to_backend(a), "b": to_backend(V64[0])}, to_backend(np.array(1.5)))
    tangents = ({"a": np.eye(3), "b": np.array([1.0, -1.0, 0.0])}, 0.0)
    out, tangents_out, aux = ops.jvp(fun, primals, tangents, has_aux=True)
    assert aux["name"] == "aux"
    check_result(aux["scale"], 1.5, "float64")
    # The derivative of det along the identity is det(a) * trace(inv(a)).
    expected = np.linalg.det(a) * np.trace(np.linalg.inv(a)) * 1.5
    check_result(tangents_out["det"], expected, "float64")
    check_result(tangents_out["pair"][0], np.array([2.0, -2.0, 0.0]), "float64")
    check_result(tangents_out["pair"][1], 0.0, "float64")
    check_result(out["det"], np.linalg.det(a) * 1.5, "float64")


@requires_gradients
def test_jvp_of_an_output_independent_of_the_primals_is_zero():
    x = to_backend(V)
    _, tangent = ops.jvp(lambda x: ops.ones((2,)), (x,), (x,))
    check_result(tangent, np.zeros(2), "float32")


def test_jvp_arguments_are_checked():
    if BACKEND == "numpy":
        with pytest.raises(NotImplementedError, match="numpy backend.*KFN_BACKEND=jax, torch"):
            ops.jvp(ops.sin, (1.0,), (1.0,))
        return
    with pytest.raises(TypeError, match="kfn.ops.jvp: primals and tangents must be tuples"):
        ops.jvp(ops.sin, to_backend(V), (V,))
    with pytest.raises(ValueError, match="kfn.ops.jvp: 2 primals but 1 tangents"):
        ops.jvp(ops.add, (1.0, 2.0), (1.0,))


# ---------------------------------------------------------------------------- against Keras


def keras_case(op, *args, **kwargs):
    return OpCase(op, args, kwargs, dtype="float32", reference=keras_reference(op), **LOOSE)


KERAS_CASES = [
    keras_case("det", A_BATCH),
    keras_case("inv", A),
    keras_case("solve", A, B),
    keras_case("cholesky", S),
    keras_case("solve_triangular", np.tril(A), B, lower=True),
    keras_case("svd", X34, compute_uv=False),
    keras_case("slogdet", A),
    keras_case("lstsq", X34.T, X34[0]),
    keras_case("pinv", X34),
    keras_case("norm", X34),
    keras_case("norm", X34, ord="nuc"),
    keras_case("norm", X34, ord=-np.inf),
    keras_case("norm", X34, ord=3, axis=-1),
]


@pytest.mark.parametrize("case", KERAS_CASES, ids=lambda c: case_id(c) + "_vs_keras")
def test_against_keras(case):
    run_case(case)


def test_linalg_ops_on_symbolic_tensors_give_their_shapes():
    # NumPy cannot trace: its shape inference runs the op, and zeros have no inverse.
    import kfn

    x = kfn.Input((3, 3))
    for op, shape in ((ops.cholesky, (None, 3, 3)), (ops.inv, (None, 3, 3)), (ops.det, (None,))):
        assert tuple(op(x).shape) == shape, op.__name__
    solved = ops.solve(x, kfn.Input((3, 2)))
    assert tuple(solved.shape) == (None, 3, 2)
    model = kfn.Model(x, ops.inv(x))
    m = spd(2, 3, 3)
    np.testing.assert_allclose(ops.convert_to_numpy(model(m)), np.linalg.inv(m), rtol=1e-4)

"""NumPy backend: kfn.ops.linalg primitives (see kfn/ops/linalg.py for the documented signatures)."""

from __future__ import annotations

import numpy as np

from kfn.backends.common import dtypes, reductions, shaping
from kfn.backends.numpy import core


def cholesky(x, upper=False):
    (x,), dtype = _floats(x)
    _check_square("cholesky", x)
    try:
        # The lower factor, transposed for `upper`: only the lower triangle is ever read.
        out = np.linalg.cholesky(x)
    except np.linalg.LinAlgError as error:
        raise ValueError(_NOT_POSITIVE_DEFINITE.format(shape=tuple(x.shape))) from error
    return _restore(np.conj(np.swapaxes(out, -1, -2)) if upper else out, dtype)


def det(x):
    (x,), dtype = _floats(x)
    _check_square("det", x)
    return _restore(np.linalg.det(x), dtype)


def eig(x):
    (x,), _ = _floats(x)
    _check_square("eig", x)
    w, v = np.linalg.eig(x)
    # NumPy returns real arrays when every eigenvalue is real; kfn always returns complex.
    complex_dtype = shaping.complex_of(core.dtype(x)) if x.dtype.kind != "c" else x.dtype
    return w.astype(complex_dtype), v.astype(complex_dtype)


def eigh(x):
    (x,), dtype = _floats(x)
    _check_square("eigh", x)
    w, v = np.linalg.eigh(x)
    return _restore(w, _real(dtype)), _restore(v, dtype)


def inv(x):
    (x,), dtype = _floats(x)
    _check_square("inv", x)
    try:
        out = np.linalg.inv(x)
    except np.linalg.LinAlgError as error:
        raise ValueError(_SINGULAR.format(name="inv", argument="x")) from error
    return _restore(out, dtype)


def jvp(fun, primals, tangents, has_aux=False):
    raise NotImplementedError(
        "kfn.ops.jvp: the numpy backend has no automatic differentiation. "
        "Run with KFN_BACKEND=jax, torch or tensorflow to compute Jacobian-vector products."
    )


def lstsq(a, b, rcond=None):
    (a, b), dtype = _floats(a, b)
    _check_lstsq(a, b)
    return _restore(np.linalg.lstsq(a, b, rcond=rcond)[0], dtype)


def lu_factor(x):
    (x,), dtype = _floats(x)
    _check_matrices("lu_factor", x)
    # Gaussian elimination with partial pivoting (LAPACK's getrf, which NumPy does not
    # expose), one column at a time, over all matrices of the batch at once.
    *batch, m, n = x.shape
    count = int(np.prod(batch, dtype=np.int64))
    lu = np.array(x, copy=True).reshape(count, m, n)
    pivots = np.zeros((count, min(m, n)), np.int32)
    matrices = np.arange(count)
    for j in range(min(m, n)):
        p = j + np.argmax(np.abs(lu[:, j:, j]), axis=-1)
        pivots[:, j] = p
        row = lu[matrices, j].copy()
        lu[matrices, j] = lu[matrices, p]
        lu[matrices, p] = row
        pivot = lu[:, j, j]
        # A zero pivot has only zeros below it (it is the largest): leave that column as it is.
        lu[:, j + 1 :, j] /= np.where(pivot == 0, 1, pivot)[:, None]
        lu[:, j + 1 :, j + 1 :] -= lu[:, j + 1 :, j, None] * lu[:, None, j, j + 1 :]
    return _restore(lu.reshape(x.shape), dtype), pivots.reshape(*batch, min(m, n))


def pinv(x, rcond=None):
    (x,), dtype = _floats(x)
    _check_matrices("pinv", x)
    if rcond is None:
        rcond = max(x.shape[-2:]) * np.finfo(x.dtype).eps
    return _restore(np.linalg.pinv(x, rcond=rcond), dtype)


def qr(x, mode="reduced"):
    (x,), dtype = _floats(x)
    _check_matrices("qr", x)
    _check_qr_mode(mode)
    q, r = np.linalg.qr(x, mode=mode)
    return _restore(q, dtype), _restore(r, dtype)


def slogdet(x):
    (x,), dtype = _floats(x)
    _check_square("slogdet", x)
    sign, logabsdet = np.linalg.slogdet(x)
    return _restore(sign, dtype), _restore(logabsdet, _real(dtype))


def solve(a, b):
    (a, b), dtype = _floats(a, b)
    vectors = _check_right_hand_side("solve", a, b)
    if vectors:
        b = b[..., None]
    try:
        out = np.linalg.solve(a, b)
    except np.linalg.LinAlgError as error:
        raise ValueError(_SINGULAR.format(name="solve", argument="a")) from error
    return _restore(out[..., 0] if vectors else out, dtype)


def solve_triangular(a, b, lower=False):
    (a, b), dtype = _floats(a, b)
    vectors = _check_right_hand_side("solve_triangular", a, b)
    if vectors:
        b = b[..., None]
    # NumPy has no triangular solver (SciPy's is not a kfn dependency): a general solve of the
    # triangle named by `lower` gives the same solution.
    triangle = np.tril(a) if lower else np.triu(a)
    try:
        out = np.linalg.solve(triangle, b)
    except np.linalg.LinAlgError as error:
        raise ValueError(_SINGULAR.format(name="solve_triangular", argument="a")) from error
    return _restore(out[..., 0] if vectors else out, dtype)


def svd(x, full_matrices=True, compute_uv=True):
    (x,), dtype = _floats(x)
    _check_matrices("svd", x)
    if not compute_uv:
        return _restore(np.linalg.svd(x, compute_uv=False), _real(dtype))
    u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
    return _restore(u, dtype), _restore(s, _real(dtype)), _restore(vh, dtype)


# ---------------------------------------------------------------------------- dtypes


def _floats(*values):
    """The values as tensors of the dtype LAPACK computes in, and the dtype of the results:
    integers and bools in floatx, half precision in float32 (cast back afterwards)."""
    values = core.promote(*values)
    dtype = dtypes.to_float(dtypes.standardize_dtype(values[0].dtype))
    native = core.to_native_dtype(reductions.compute_float(dtype))
    return tuple(v if v.dtype == native else v.astype(native) for v in values), dtype


def _restore(out, dtype):
    native = core.to_native_dtype(dtype)
    return np.asarray(out).astype(native, copy=False)


def _real(dtype):
    return {"complex64": "float32", "complex128": "float64"}.get(dtype, dtype)


# ---------------------------------------------------------------------------- argument checks

_NOT_POSITIVE_DEFINITE = (
    "kfn.ops.cholesky: x must be symmetric positive definite, but the factorization failed "
    "for a matrix of the input of shape {shape} (or the input holds NaN)"
)
_SINGULAR = "kfn.ops.{name}: {argument} holds a singular matrix (it has no inverse)"


def _check_matrices(name, x, argument="x"):
    if x.ndim < 2:
        raise ValueError(
            f"kfn.ops.{name}: {argument} must be a matrix or a batch of matrices "
            f"(rank >= 2), got shape {tuple(x.shape)}"
        )


def _check_square(name, x, argument="x"):
    _check_matrices(name, x, argument)
    if x.shape[-1] != x.shape[-2]:
        raise ValueError(
            f"kfn.ops.{name}: {argument} must be square matrices (shape (..., M, M)), "
            f"got shape {tuple(x.shape)}"
        )


def _check_right_hand_side(name, a, b) -> bool:
    """Check `a x = b`; True when `b` holds vectors (it has one axis fewer than `a`, or one)."""
    _check_square(name, a, "a")
    if b.ndim < 1:
        raise ValueError(f"kfn.ops.{name}: b must have rank >= 1, got a scalar")
    vectors = b.ndim == 1 or b.ndim == a.ndim - 1
    rows = b.shape[-1] if vectors else b.shape[-2]
    if rows != a.shape[-1]:
        axis = "last" if vectors else "second-to-last"
        raise ValueError(
            f"kfn.ops.{name}: the {axis} axis of b must match a's {a.shape[-1]} rows, got "
            f"a of shape {tuple(a.shape)} and b of shape {tuple(b.shape)}"
        )
    return vectors


def _check_lstsq(a, b):
    if a.ndim != 2 or b.ndim not in (1, 2) or b.shape[0] != a.shape[0]:
        raise ValueError(
            "kfn.ops.lstsq: a must be (M, N) and b (M,) or (M, K), got a of shape "
            f"{tuple(a.shape)} and b of shape {tuple(b.shape)}"
        )


def _check_qr_mode(mode):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"kfn.ops.qr: mode must be 'reduced' or 'complete', got {mode!r}")

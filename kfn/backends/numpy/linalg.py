"""NumPy backend: kfn.ops.linalg primitives (see kfn/ops/linalg.py for the documented signatures)."""

from __future__ import annotations

import numpy as np

from kfn.backends.common import linalg as rules
from kfn.backends.common import shaping
from kfn.backends.numpy import core


def cholesky(x, upper=False):
    (x,), dtype = _floats(x)
    rules.check_square("cholesky", x.shape)
    try:
        # The lower factor, transposed for `upper`: only the lower triangle is ever read.
        out = np.linalg.cholesky(x)
    except np.linalg.LinAlgError as error:
        raise ValueError(rules.NOT_POSITIVE_DEFINITE.format(shape=tuple(x.shape))) from error
    return _restore(np.conj(np.swapaxes(out, -1, -2)) if upper else out, dtype)


def det(x):
    (x,), dtype = _floats(x)
    rules.check_square("det", x.shape)
    return _restore(np.linalg.det(x), dtype)


def eig(x):
    (x,), _ = _floats(x)
    rules.check_square("eig", x.shape)
    w, v = np.linalg.eig(x)
    # NumPy returns real arrays when every eigenvalue is real; kfn always returns complex.
    complex_dtype = shaping.complex_of(core.dtype(x)) if x.dtype.kind != "c" else x.dtype
    return w.astype(complex_dtype), v.astype(complex_dtype)


def eigh(x):
    (x,), dtype = _floats(x)
    rules.check_square("eigh", x.shape)
    w, v = np.linalg.eigh(x)
    return _restore(w, rules.real_dtype(dtype)), _restore(v, dtype)


def inv(x):
    (x,), dtype = _floats(x)
    rules.check_square("inv", x.shape)
    try:
        out = np.linalg.inv(x)
    except np.linalg.LinAlgError as error:
        raise ValueError(rules.SINGULAR.format(name="inv", argument="x")) from error
    return _restore(out, dtype)


def jvp(fun, primals, tangents, has_aux=False):
    raise NotImplementedError(
        "kfn.ops.jvp: the numpy backend has no automatic differentiation. "
        "Run with KFN_BACKEND=jax, torch or tensorflow to compute Jacobian-vector products."
    )


def lstsq(a, b, rcond=None):
    (a, b), dtype = _floats(a, b)
    rules.check_lstsq(a.shape, b.shape)
    return _restore(np.linalg.lstsq(a, b, rcond=rcond)[0], dtype)


def lu_factor(x):
    (x,), dtype = _floats(x)
    rules.check_matrices("lu_factor", x.shape)
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
    rules.check_matrices("pinv", x.shape)
    if rcond is None:
        rcond = max(x.shape[-2:]) * np.finfo(x.dtype).eps
    return _restore(np.linalg.pinv(x, rcond=rcond), dtype)


def qr(x, mode="reduced"):
    (x,), dtype = _floats(x)
    rules.check_matrices("qr", x.shape)
    rules.check_qr_mode(mode)
    q, r = np.linalg.qr(x, mode=mode)
    return _restore(q, dtype), _restore(r, dtype)


def slogdet(x):
    (x,), dtype = _floats(x)
    rules.check_square("slogdet", x.shape)
    sign, logabsdet = np.linalg.slogdet(x)
    return _restore(sign, dtype), _restore(logabsdet, rules.real_dtype(dtype))


def solve(a, b):
    (a, b), dtype = _floats(a, b)
    vectors = rules.check_right_hand_side("solve", a.shape, b.shape)
    if vectors:
        b = b[..., None]
    try:
        out = np.linalg.solve(a, b)
    except np.linalg.LinAlgError as error:
        raise ValueError(rules.SINGULAR.format(name="solve", argument="a")) from error
    return _restore(out[..., 0] if vectors else out, dtype)


def solve_triangular(a, b, lower=False):
    (a, b), dtype = _floats(a, b)
    vectors = rules.check_right_hand_side("solve_triangular", a.shape, b.shape)
    if vectors:
        b = b[..., None]
    # NumPy has no triangular solver (SciPy's is not a kfn dependency): a general solve of the
    # triangle named by `lower` gives the same solution.
    triangle = np.tril(a) if lower else np.triu(a)
    try:
        out = np.linalg.solve(triangle, b)
    except np.linalg.LinAlgError as error:
        raise ValueError(rules.SINGULAR.format(name="solve_triangular", argument="a")) from error
    return _restore(out[..., 0] if vectors else out, dtype)


def svd(x, full_matrices=True, compute_uv=True):
    (x,), dtype = _floats(x)
    rules.check_matrices("svd", x.shape)
    if not compute_uv:
        return _restore(np.linalg.svd(x, compute_uv=False), rules.real_dtype(dtype))
    u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
    return _restore(u, dtype), _restore(s, rules.real_dtype(dtype)), _restore(vh, dtype)


# ---------------------------------------------------------------------------- dtypes


def _floats(*values):
    """The values as tensors of the dtype LAPACK computes in, and the dtype of the results
    (see `rules.float_dtypes`)."""
    values = core.promote(*values)
    dtype, computed_in = rules.float_dtypes(core.dtype(values[0]))
    native = core.to_native_dtype(computed_in)
    return tuple(v if v.dtype == native else v.astype(native) for v in values), dtype


def _restore(out, dtype):
    native = core.to_native_dtype(dtype)
    return np.asarray(out).astype(native, copy=False)

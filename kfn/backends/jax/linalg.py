"""JAX backend: kfn.ops.linalg primitives (see kfn/ops/linalg.py for the documented signatures)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsl

from kfn.backends.common import linalg as rules
from kfn.backends.jax import core


def cholesky(x, upper=False):
    (x,), dtype = _floats(x)
    rules.check_square("cholesky", x.shape)
    # Only the lower triangle is read, as LAPACK's potrf does on the other backends.
    out = jnp.linalg.cholesky(x, upper=upper, symmetrize_input=False)
    try:
        failed = bool(jnp.isnan(out).any())
    except jax.errors.ConcretizationTypeError:
        failed = False  # traced: no value to check without leaving the compiled function
    if failed:
        raise ValueError(rules.NOT_POSITIVE_DEFINITE.format(shape=tuple(x.shape)))
    return _restore(out, dtype)


def det(x):
    (x,), dtype = _floats(x)
    rules.check_square("det", x.shape)
    return _restore(jnp.linalg.det(x), dtype)


def eig(x):
    (x,), _ = _floats(x)
    rules.check_square("eig", x.shape)
    w, v = jnp.linalg.eig(x)
    return w, v


def eigh(x):
    (x,), dtype = _floats(x)
    rules.check_square("eigh", x.shape)
    w, v = jnp.linalg.eigh(x, symmetrize_input=False)
    return _restore(w, rules.real_dtype(dtype)), _restore(v, dtype)


def inv(x):
    (x,), dtype = _floats(x)
    rules.check_square("inv", x.shape)
    return _restore(jnp.linalg.inv(x), dtype)


def jvp(fun, primals, tangents, has_aux=False):
    primals, tangents = rules.jvp_inputs(primals, tangents, core.convert_to_tensor)
    return jax.jvp(fun, primals, tangents, has_aux=has_aux)


def lstsq(a, b, rcond=None):
    (a, b), dtype = _floats(a, b)
    rules.check_lstsq(a.shape, b.shape)
    return _restore(jnp.linalg.lstsq(a, b, rcond=rcond)[0], dtype)


def lu_factor(x):
    (x,), dtype = _floats(x)
    rules.check_matrices("lu_factor", x.shape)
    lu, pivots = jsl.lu_factor(x)
    return _restore(lu, dtype), pivots.astype(jnp.int32)


def pinv(x, rcond=None):
    (x,), dtype = _floats(x)
    rules.check_matrices("pinv", x.shape)
    if rcond is None:
        rcond = max(x.shape[-2:]) * jnp.finfo(x.dtype).eps
    return _restore(jnp.linalg.pinv(x, rtol=rcond), dtype)


def qr(x, mode="reduced"):
    (x,), dtype = _floats(x)
    rules.check_matrices("qr", x.shape)
    rules.check_qr_mode(mode)
    q, r = jnp.linalg.qr(x, mode=mode)
    return _restore(q, dtype), _restore(r, dtype)


def slogdet(x):
    (x,), dtype = _floats(x)
    rules.check_square("slogdet", x.shape)
    sign, logabsdet = jnp.linalg.slogdet(x)
    return _restore(sign, dtype), _restore(logabsdet, rules.real_dtype(dtype))


def solve(a, b):
    (a, b), dtype = _floats(a, b)
    vectors = rules.check_right_hand_side("solve", a.shape, b.shape)
    if vectors:
        return _restore(jnp.linalg.solve(a, b[..., None])[..., 0], dtype)
    return _restore(jnp.linalg.solve(a, b), dtype)


def solve_triangular(a, b, lower=False):
    (a, b), dtype = _floats(a, b)
    vectors = rules.check_right_hand_side("solve_triangular", a.shape, b.shape)
    if vectors:
        b = b[..., None]
    # The triangular solve kernel wants equal batch axes: broadcast them.
    batch = jnp.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = jnp.broadcast_to(a, batch + a.shape[-2:])
    b = jnp.broadcast_to(b, batch + b.shape[-2:])
    out = jsl.solve_triangular(a, b, lower=lower)
    return _restore(out[..., 0] if vectors else out, dtype)


def svd(x, full_matrices=True, compute_uv=True):
    (x,), dtype = _floats(x)
    rules.check_matrices("svd", x.shape)
    if not compute_uv:
        return _restore(jnp.linalg.svd(x, compute_uv=False), rules.real_dtype(dtype))
    u, s, vh = jnp.linalg.svd(x, full_matrices=full_matrices)
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
    return out if out.dtype == native else out.astype(native)

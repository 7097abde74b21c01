"""TensorFlow backend: kfn.ops.linalg primitives (see kfn/ops/linalg.py for the documented signatures)."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from kfn.backends.common import dtypes, reductions
from kfn.backends.tensorflow import core
from kfn.state import tree


def cholesky(x, upper=False):
    (x,), dtype = _floats(x)
    _check_square("cholesky", x)
    out = tf.linalg.cholesky(x)  # only the lower triangle is read
    # tf.linalg.cholesky returns NaN where it fails; check when there is a value to check.
    if tf.executing_eagerly() and bool(tf.reduce_any(tf.math.is_nan(_as_real(out)))):
        raise ValueError(_NOT_POSITIVE_DEFINITE.format(shape=tuple(x.shape)))
    return _restore(tf.linalg.adjoint(out) if upper else out, dtype)


def det(x):
    (x,), dtype = _floats(x)
    _check_square("det", x)
    return _restore(tf.linalg.det(x), dtype)


def eig(x):
    (x,), _ = _floats(x)
    _check_square("eig", x)
    w, v = tf.linalg.eig(x)
    return w, v


def eigh(x):
    (x,), dtype = _floats(x)
    _check_square("eigh", x)
    w, v = tf.linalg.eigh(x)
    return _restore(w, _real(dtype)), _restore(v, dtype)


def inv(x):
    (x,), dtype = _floats(x)
    _check_square("inv", x)
    try:
        out = tf.linalg.inv(x)
    except tf.errors.InvalidArgumentError as error:
        raise ValueError(_SINGULAR.format(name="inv", argument="x")) from error
    return _restore(out, dtype)


def jvp(fun, primals, tangents, has_aux=False):
    primals, tangents = _jvp_inputs(primals, tangents)
    with tf.autodiff.ForwardAccumulator(tree.flatten(primals), tree.flatten(tangents)) as acc:
        out = fun(*primals)
    outputs, aux = out if has_aux else (out, None)

    def tangent_of(output):
        # Outputs that do not depend on the primals have zero tangents, as in jax.jvp.
        return acc.jvp(
            core.convert_to_tensor(output), unconnected_gradients=tf.UnconnectedGradients.ZERO
        )

    tangents_out = tree.map_structure(tangent_of, outputs)
    return (outputs, tangents_out, aux) if has_aux else (outputs, tangents_out)


def lstsq(a, b, rcond=None):
    (a, b), dtype = _floats(a, b)
    _check_lstsq(a, b)
    # Through the SVD, as NumPy's gelsd: the same rank cutoff, and differentiable.
    s, u, v = tf.linalg.svd(a, full_matrices=False)
    eps = float(np.finfo(s.dtype.as_numpy_dtype).eps)
    if rcond is None or rcond < 0:
        rcond = eps * (max(a.shape) if rcond is None else 1)
    kept = s > rcond * s[:1]
    s_inverse = tf.cast(tf.where(kept, 1 / tf.where(kept, s, tf.ones_like(s)), 0), a.dtype)
    columns = b[:, None] if b.shape.rank == 1 else b
    out = tf.matmul(v, s_inverse[:, None] * tf.matmul(u, columns, adjoint_a=True))
    return _restore(out[:, 0] if b.shape.rank == 1 else out, dtype)


def lu_factor(x):
    (x,), dtype = _floats(x)
    _check_matrices("lu_factor", x)
    if x.shape[-1] != x.shape[-2]:
        raise NotImplementedError(
            "kfn.ops.lu_factor: the tensorflow backend factors square matrices only "
            f"(tf.linalg.lu), got shape {tuple(x.shape)}; for a non-square matrix run on jax, "
            "torch or numpy, or use kfn.ops.qr"
        )
    try:
        lu, permutation = tf.linalg.lu(x)
    except tf.errors.InvalidArgumentError as error:
        raise NotImplementedError(
            "kfn.ops.lu_factor: the tensorflow backend cannot factor singular matrices "
            "(tf.linalg.lu rejects them); run on jax, torch or numpy for those"
        ) from error
    return _restore(lu, dtype), _pivots(permutation)


def pinv(x, rcond=None):
    (x,), dtype = _floats(x)
    _check_matrices("pinv", x)
    if rcond is None:
        rcond = max(x.shape[-2:]) * float(np.finfo(x.dtype.as_numpy_dtype).eps)
    # Through the SVD here rather than tf.linalg.pinv, which takes no complex matrices.
    s, u, v = tf.linalg.svd(x, full_matrices=False)
    kept = s > rcond * tf.reduce_max(s, axis=-1, keepdims=True)
    s_inverse = tf.cast(tf.where(kept, 1 / tf.where(kept, s, tf.ones_like(s)), 0), x.dtype)
    return _restore(tf.matmul(v * s_inverse[..., None, :], u, adjoint_b=True), dtype)


def qr(x, mode="reduced"):
    (x,), dtype = _floats(x)
    _check_matrices("qr", x)
    _check_qr_mode(mode)
    q, r = tf.linalg.qr(x, full_matrices=mode == "complete")
    return _restore(q, dtype), _restore(r, dtype)


def slogdet(x):
    (x,), dtype = _floats(x)
    _check_square("slogdet", x)
    sign, logabsdet = tf.linalg.slogdet(x)
    return _restore(sign, dtype), _restore(logabsdet, _real(dtype))


def solve(a, b):
    (a, b), dtype = _floats(a, b)
    vectors = _check_right_hand_side("solve", a, b)
    if vectors:
        b = b[..., None]
    a, b = _broadcast_batch(a, b)
    try:
        out = tf.linalg.solve(a, b)
    except tf.errors.InvalidArgumentError as error:
        raise ValueError(_SINGULAR.format(name="solve", argument="a")) from error
    return _restore(out[..., 0] if vectors else out, dtype)


def solve_triangular(a, b, lower=False):
    (a, b), dtype = _floats(a, b)
    vectors = _check_right_hand_side("solve_triangular", a, b)
    if vectors:
        b = b[..., None]
    out = tf.linalg.triangular_solve(a, b, lower=lower)
    return _restore(out[..., 0] if vectors else out, dtype)


def svd(x, full_matrices=True, compute_uv=True):
    (x,), dtype = _floats(x)
    _check_matrices("svd", x)
    if not compute_uv:
        return _restore(tf.linalg.svd(x, compute_uv=False), _real(dtype))
    s, u, v = tf.linalg.svd(x, full_matrices=full_matrices)
    return _restore(u, dtype), _restore(s, _real(dtype)), _restore(tf.linalg.adjoint(v), dtype)


def _broadcast_batch(a, b):
    """`a` and `b` with their batch axes broadcast: MatrixSolve wants them equal."""
    if a.shape[:-2] == b.shape[:-2] and a.shape[:-2].is_fully_defined():
        return a, b
    batch = tf.broadcast_dynamic_shape(tf.shape(a)[:-2], tf.shape(b)[:-2])
    a = tf.broadcast_to(a, tf.concat([batch, tf.shape(a)[-2:]], 0))
    b = tf.broadcast_to(b, tf.concat([batch, tf.shape(b)[-2:]], 0))
    return a, b


def _pivots(permutation):
    """LAPACK's row interchanges (row i swapped with row pivots[i], for i in order) that
    produce `permutation` (row i of `lu` is row permutation[i] of the input)."""
    n = permutation.shape[-1]
    # rows[..., j]: the input row now at position j, as the interchanges are replayed.
    rows = tf.broadcast_to(tf.range(n, dtype=permutation.dtype), tf.shape(permutation))
    pivots = []
    for i in range(n):
        wanted = permutation[..., i : i + 1]
        found = tf.argmax(
            tf.cast(tf.equal(rows, wanted), tf.int32), axis=-1, output_type=permutation.dtype
        )
        pivots.append(found)
        current = rows[..., i : i + 1]
        swap_in = tf.one_hot(i, n, dtype=rows.dtype) * (wanted - current)
        swap_out = tf.one_hot(found, n, dtype=rows.dtype) * (current - wanted)
        rows = rows + swap_in + swap_out
    return tf.cast(tf.stack(pivots, axis=-1), tf.int32)


# ---------------------------------------------------------------------------- dtypes


def _floats(*values):
    """The values as tensors of the dtype LAPACK computes in, and the dtype of the results:
    integers and bools in floatx, half precision in float32 (cast back afterwards)."""
    values = core.promote(*values)
    dtype = dtypes.to_float(dtypes.standardize_dtype(values[0].dtype))
    native = core.to_native_dtype(reductions.compute_float(dtype))
    return tuple(v if v.dtype == native else tf.cast(v, native) for v in values), dtype


def _restore(out, dtype):
    native = core.to_native_dtype(dtype)
    return out if out.dtype == native else tf.cast(out, native)


def _real(dtype):
    return {"complex64": "float32", "complex128": "float64"}.get(dtype, dtype)


def _as_real(x):
    return tf.math.real(x) if x.dtype.is_complex else x


# ---------------------------------------------------------------------------- argument checks

_NOT_POSITIVE_DEFINITE = (
    "kfn.ops.cholesky: x must be symmetric positive definite, but the factorization failed "
    "for a matrix of the input of shape {shape} (or the input holds NaN)"
)
_SINGULAR = "kfn.ops.{name}: {argument} holds a singular matrix (it has no inverse)"


def _check_matrices(name, x, argument="x"):
    if x.shape.rank < 2:
        raise ValueError(
            f"kfn.ops.{name}: {argument} must be a matrix or a batch of matrices "
            f"(rank >= 2), got shape {tuple(x.shape)}"
        )


def _check_square(name, x, argument="x"):
    _check_matrices(name, x, argument)
    rows, columns = x.shape[-2], x.shape[-1]
    if rows is not None and columns is not None and rows != columns:
        raise ValueError(
            f"kfn.ops.{name}: {argument} must be square matrices (shape (..., M, M)), "
            f"got shape {tuple(x.shape)}"
        )


def _check_right_hand_side(name, a, b) -> bool:
    """Check `a x = b`; True when `b` holds vectors (it has one axis fewer than `a`, or one)."""
    _check_square(name, a, "a")
    if b.shape.rank < 1:
        raise ValueError(f"kfn.ops.{name}: b must have rank >= 1, got a scalar")
    vectors = b.shape.rank == 1 or b.shape.rank == a.shape.rank - 1
    rows = b.shape[-1] if vectors else b.shape[-2]
    if rows is not None and a.shape[-1] is not None and rows != a.shape[-1]:
        axis = "last" if vectors else "second-to-last"
        raise ValueError(
            f"kfn.ops.{name}: the {axis} axis of b must match a's {a.shape[-1]} rows, got "
            f"a of shape {tuple(a.shape)} and b of shape {tuple(b.shape)}"
        )
    return vectors


def _check_lstsq(a, b):
    if a.shape.rank != 2 or b.shape.rank not in (1, 2) or b.shape[0] != a.shape[0]:
        raise ValueError(
            "kfn.ops.lstsq: a must be (M, N) and b (M,) or (M, K), got a of shape "
            f"{tuple(a.shape)} and b of shape {tuple(b.shape)}"
        )


def _check_qr_mode(mode):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"kfn.ops.qr: mode must be 'reduced' or 'complete', got {mode!r}")


def _jvp_inputs(primals, tangents):
    """Primals and tangents as tuples of tensors, each tangent in the dtype of its primal."""
    if not isinstance(primals, list | tuple) or not isinstance(tangents, list | tuple):
        raise TypeError(
            "kfn.ops.jvp: primals and tangents must be tuples (one entry per argument of fun), "
            f"got {type(primals).__name__} and {type(tangents).__name__}"
        )
    if len(primals) != len(tangents):
        raise ValueError(
            f"kfn.ops.jvp: {len(primals)} primals but {len(tangents)} tangents; give one "
            "tangent per primal, of the same structure and shape"
        )
    primals = tree.map_structure(core.convert_to_tensor, tuple(primals))
    tangents = tree.map_structure(
        lambda p, t: core.convert_to_tensor(t, p.dtype), primals, tuple(tangents)
    )
    return primals, tangents

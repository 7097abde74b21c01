"""TensorFlow backend: kfn.ops.linalg primitives (see kfn/ops/linalg.py for the documented signatures)."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from kfn.backends.common import linalg as rules
from kfn.backends.tensorflow import core
from kfn.state import tree


def cholesky(x, upper=False):
    (x,), dtype = _floats(x)
    rules.check_square("cholesky", x.shape)
    out = tf.linalg.cholesky(x)  # only the lower triangle is read
    # tf.linalg.cholesky returns NaN where it fails; check when there is a value to check.
    if tf.executing_eagerly() and bool(tf.reduce_any(tf.math.is_nan(_as_real(out)))):
        raise ValueError(rules.NOT_POSITIVE_DEFINITE.format(shape=tuple(x.shape)))
    return _restore(tf.linalg.adjoint(out) if upper else out, dtype)


def det(x):
    (x,), dtype = _floats(x)
    rules.check_square("det", x.shape)
    return _restore(tf.linalg.det(x), dtype)


def eig(x):
    (x,), _ = _floats(x)
    rules.check_square("eig", x.shape)
    w, v = tf.linalg.eig(x)
    return w, v


def eigh(x):
    (x,), dtype = _floats(x)
    rules.check_square("eigh", x.shape)
    w, v = tf.linalg.eigh(x)
    return _restore(w, rules.real_dtype(dtype)), _restore(v, dtype)


def inv(x):
    (x,), dtype = _floats(x)
    rules.check_square("inv", x.shape)
    try:
        out = tf.linalg.inv(x)
    except tf.errors.InvalidArgumentError as error:
        raise ValueError(rules.SINGULAR.format(name="inv", argument="x")) from error
    return _restore(out, dtype)


def jvp(fun, primals, tangents, has_aux=False):
    primals, tangents = rules.jvp_inputs(primals, tangents, core.convert_to_tensor)
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
    rules.check_lstsq(a.shape, b.shape)
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
    rules.check_matrices("lu_factor", x.shape)
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
    rules.check_matrices("pinv", x.shape)
    if rcond is None:
        rcond = max(x.shape[-2:]) * float(np.finfo(x.dtype.as_numpy_dtype).eps)
    # Through the SVD here rather than tf.linalg.pinv, which takes no complex matrices.
    s, u, v = tf.linalg.svd(x, full_matrices=False)
    kept = s > rcond * tf.reduce_max(s, axis=-1, keepdims=True)
    s_inverse = tf.cast(tf.where(kept, 1 / tf.where(kept, s, tf.ones_like(s)), 0), x.dtype)
    return _restore(tf.matmul(v * s_inverse[..., None, :], u, adjoint_b=True), dtype)


def qr(x, mode="reduced"):
    (x,), dtype = _floats(x)
    rules.check_matrices("qr", x.shape)
    rules.check_qr_mode(mode)
    q, r = tf.linalg.qr(x, full_matrices=mode == "complete")
    return _restore(q, dtype), _restore(r, dtype)


def slogdet(x):
    (x,), dtype = _floats(x)
    rules.check_square("slogdet", x.shape)
    sign, logabsdet = tf.linalg.slogdet(x)
    return _restore(sign, dtype), _restore(logabsdet, rules.real_dtype(dtype))


def solve(a, b):
    (a, b), dtype = _floats(a, b)
    vectors = rules.check_right_hand_side("solve", a.shape, b.shape)
    if vectors:
        b = b[..., None]
    a, b = _broadcast_batch(a, b)
    try:
        out = tf.linalg.solve(a, b)
    except tf.errors.InvalidArgumentError as error:
        raise ValueError(rules.SINGULAR.format(name="solve", argument="a")) from error
    return _restore(out[..., 0] if vectors else out, dtype)


def solve_triangular(a, b, lower=False):
    (a, b), dtype = _floats(a, b)
    vectors = rules.check_right_hand_side("solve_triangular", a.shape, b.shape)
    if vectors:
        b = b[..., None]
    out = tf.linalg.triangular_solve(a, b, lower=lower)
    return _restore(out[..., 0] if vectors else out, dtype)


def svd(x, full_matrices=True, compute_uv=True):
    (x,), dtype = _floats(x)
    rules.check_matrices("svd", x.shape)
    if not compute_uv:
        return _restore(tf.linalg.svd(x, compute_uv=False), rules.real_dtype(dtype))
    s, u, v = tf.linalg.svd(x, full_matrices=full_matrices)
    vh = tf.linalg.adjoint(v)
    return _restore(u, dtype), _restore(s, rules.real_dtype(dtype)), _restore(vh, dtype)


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
    """The values as tensors of the dtype LAPACK computes in, and the dtype of the results
    (see `rules.float_dtypes`)."""
    values = core.promote(*values)
    dtype, computed_in = rules.float_dtypes(core.dtype(values[0]))
    native = core.to_native_dtype(computed_in)
    return tuple(v if v.dtype == native else tf.cast(v, native) for v in values), dtype


def _restore(out, dtype):
    native = core.to_native_dtype(dtype)
    return out if out.dtype == native else tf.cast(out, native)


def _as_real(x):
    return tf.math.real(x) if x.dtype.is_complex else x

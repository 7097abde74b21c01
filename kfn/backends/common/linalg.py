"""Rules every backend's kfn.ops.linalg primitives share: the checks of their arguments, the
dtypes they compute in and return, and the handling of `jvp`'s inputs, so errors and result
dtypes are the same on every backend.

Shapes are static: tuples (or `torch.Size`, `tf.TensorShape`) with None for dimensions known
only at run time; the square and right-hand-side checks let those pass.
"""

from __future__ import annotations

from kfn.backends.common import dtypes, reductions
from kfn.state import tree

NOT_POSITIVE_DEFINITE = (
    "kfn.ops.cholesky: x must be symmetric positive definite, but the factorization failed "
    "for a matrix of the input of shape {shape} (or the input holds NaN)"
)
SINGULAR = "kfn.ops.{name}: {argument} holds a singular matrix (it has no inverse)"


# ---------------------------------------------------------------------------- dtypes


def float_dtypes(dtype: str) -> tuple[str, str]:
    """The (result, computation) dtypes of a linalg op on inputs of `dtype` (their common
    dtype): integers and bools give floatx; half precision is computed in float32 (as LAPACK
    has no half-precision routines) and cast back."""
    result = dtypes.to_float(dtype)
    return result, reductions.compute_float(result)


def real_dtype(dtype: str) -> str:
    """The dtype of the real parts of `dtype`: eigenvalues of Hermitian matrices, singular
    values and log-determinants are real."""
    return {"complex64": "float32", "complex128": "float64"}.get(dtype, dtype)


# ---------------------------------------------------------------------------- argument checks


def check_matrices(name: str, shape, argument: str = "x") -> None:
    """ValueError unless `shape` is that of a matrix or a batch of matrices (rank >= 2)."""
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError(
            f"kfn.ops.{name}: {argument} must be a matrix or a batch of matrices "
            f"(rank >= 2), got shape {shape}"
        )


def check_square(name: str, shape, argument: str = "x") -> None:
    """ValueError unless `shape` is that of square matrices `(..., M, M)`."""
    check_matrices(name, shape, argument)
    shape = tuple(shape)
    rows, columns = shape[-2], shape[-1]
    if rows is not None and columns is not None and rows != columns:
        raise ValueError(
            f"kfn.ops.{name}: {argument} must be square matrices (shape (..., M, M)), "
            f"got shape {shape}"
        )


def check_right_hand_side(name: str, a_shape, b_shape) -> bool:
    """Check the shapes of `a x = b`; True when `b` holds vectors (it has one axis fewer than
    `a`, or one), False when it holds matrices."""
    a_shape, b_shape = tuple(a_shape), tuple(b_shape)
    check_square(name, a_shape, "a")
    if len(b_shape) < 1:
        raise ValueError(f"kfn.ops.{name}: b must have rank >= 1, got a scalar")
    vectors = len(b_shape) == 1 or len(b_shape) == len(a_shape) - 1
    rows = b_shape[-1] if vectors else b_shape[-2]
    if rows is not None and a_shape[-1] is not None and rows != a_shape[-1]:
        axis = "last" if vectors else "second-to-last"
        raise ValueError(
            f"kfn.ops.{name}: the {axis} axis of b must match a's {a_shape[-1]} rows, got "
            f"a of shape {a_shape} and b of shape {b_shape}"
        )
    return vectors


def check_lstsq(a_shape, b_shape) -> None:
    """ValueError unless `a` is `(M, N)` and `b` `(M,)` or `(M, K)`."""
    a_shape, b_shape = tuple(a_shape), tuple(b_shape)
    if len(a_shape) != 2 or len(b_shape) not in (1, 2) or b_shape[0] != a_shape[0]:
        raise ValueError(
            "kfn.ops.lstsq: a must be (M, N) and b (M,) or (M, K), got a of shape "
            f"{a_shape} and b of shape {b_shape}"
        )


def check_qr_mode(mode) -> None:
    if mode not in ("reduced", "complete"):
        raise ValueError(f"kfn.ops.qr: mode must be 'reduced' or 'complete', got {mode!r}")


# ---------------------------------------------------------------------------- jvp


def jvp_inputs(primals, tangents, convert_to_tensor):
    """`primals` and `tangents` as tuples of tensors made by the backend's
    `convert_to_tensor(value, dtype=None)`, each tangent in the dtype of its primal.

    TypeError unless both are tuples (or lists), ValueError unless they have one entry each
    per argument of the function.
    """
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
    primals = tree.map_structure(convert_to_tensor, tuple(primals))
    tangents = tree.map_structure(
        lambda p, t: convert_to_tensor(t, p.dtype), primals, tuple(tangents)
    )
    return primals, tangents

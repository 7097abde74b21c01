"""PyTorch backend: kfn.ops.linalg primitives (see kfn/ops/linalg.py for the documented signatures)."""

from __future__ import annotations

import torch

from kfn.backends.common import dtypes, reductions
from kfn.backends.torch import core
from kfn.state import tree


def cholesky(x, upper=False):
    (x,), dtype = _floats(x)
    _check_square("cholesky", x)
    try:
        # The lower factor, transposed for `upper`: only the lower triangle is ever read.
        out = torch.linalg.cholesky(x)
    except torch.linalg.LinAlgError as error:
        raise ValueError(_NOT_POSITIVE_DEFINITE.format(shape=tuple(x.shape))) from error
    # resolve_conj: a lazily conjugated view cannot be read by NumPy.
    return _restore(out.mH.resolve_conj() if upper else out, dtype)


def det(x):
    (x,), dtype = _floats(x)
    _check_square("det", x)
    return _restore(torch.linalg.det(x), dtype)


def eig(x):
    (x,), _ = _floats(x)
    _check_square("eig", x)
    w, v = torch.linalg.eig(x)
    return w, v


def eigh(x):
    (x,), dtype = _floats(x)
    _check_square("eigh", x)
    w, v = torch.linalg.eigh(x)
    return _restore(w, _real(dtype)), _restore(v, dtype)


def inv(x):
    (x,), dtype = _floats(x)
    _check_square("inv", x)
    try:
        out = torch.linalg.inv(x)
    except torch.linalg.LinAlgError as error:
        raise ValueError(_SINGULAR.format(name="inv", argument="x")) from error
    return _restore(out, dtype)


def jvp(fun, primals, tangents, has_aux=False):
    primals, tangents = _jvp_inputs(primals, tangents)
    if not has_aux:
        return torch.func.jvp(fun, primals, tangents)
    # torch.func passes only tensors out as aux: carry the other leaves around it.
    carried = {}

    def with_tensor_aux(*args):
        out, aux = fun(*args)
        carried["aux"], carried["leaves"] = aux, tree.flatten(aux)
        return out, [leaf for leaf in carried["leaves"] if isinstance(leaf, torch.Tensor)]

    out, tangents_out, tensors = torch.func.jvp(with_tensor_aux, primals, tangents, has_aux=True)
    tensors = iter(tensors)
    leaves = [next(tensors) if isinstance(v, torch.Tensor) else v for v in carried["leaves"]]
    return out, tangents_out, tree.pack_sequence_as(carried["aux"], leaves)


def lstsq(a, b, rcond=None):
    (a, b), dtype = _floats(a, b)
    _check_lstsq(a, b)
    # Through the SVD (as NumPy's gelsd): the same rank cutoff on every device, and
    # differentiable; torch.linalg.lstsq's default CPU driver decides rank differently.
    u, s, vh = torch.linalg.svd(a, full_matrices=False)
    if rcond is None or rcond < 0:
        rcond = torch.finfo(s.dtype).eps * (max(a.shape) if rcond is None else 1)
    kept = s > rcond * s[:1]
    s_inverse = torch.where(kept, 1 / torch.where(kept, s, 1), 0).to(a.dtype)
    columns = b[:, None] if b.ndim == 1 else b
    out = vh.mH @ (s_inverse[:, None] * (u.mH @ columns))
    return _restore(out[:, 0] if b.ndim == 1 else out, dtype)


def lu_factor(x):
    (x,), dtype = _floats(x)
    _check_matrices("lu_factor", x)
    # The _ex variant returns singular factors as SciPy does, instead of raising.
    lu, pivots, _ = torch.linalg.lu_factor_ex(x)
    # LAPACK's pivots are 1-based; SciPy's (and kfn's) 0-based.
    return _restore(lu, dtype), (pivots - 1).to(torch.int32)


def pinv(x, rcond=None):
    (x,), dtype = _floats(x)
    _check_matrices("pinv", x)
    if rcond is None:
        rcond = max(x.shape[-2:]) * torch.finfo(x.dtype).eps
    return _restore(torch.linalg.pinv(x, rtol=rcond), dtype)


def qr(x, mode="reduced"):
    (x,), dtype = _floats(x)
    _check_matrices("qr", x)
    _check_qr_mode(mode)
    q, r = torch.linalg.qr(x, mode=mode)
    return _restore(q, dtype), _restore(r, dtype)


def slogdet(x):
    (x,), dtype = _floats(x)
    _check_square("slogdet", x)
    sign, logabsdet = torch.linalg.slogdet(x)
    return _restore(sign, dtype), _restore(logabsdet, _real(dtype))


def solve(a, b):
    (a, b), dtype = _floats(a, b)
    vectors = _check_right_hand_side("solve", a, b)
    if vectors:
        b = b[..., None]
    try:
        out = torch.linalg.solve(a, b)
    except torch.linalg.LinAlgError as error:
        raise ValueError(_SINGULAR.format(name="solve", argument="a")) from error
    return _restore(out[..., 0] if vectors else out, dtype)


def solve_triangular(a, b, lower=False):
    (a, b), dtype = _floats(a, b)
    vectors = _check_right_hand_side("solve_triangular", a, b)
    if vectors:
        b = b[..., None]
    out = torch.linalg.solve_triangular(a, b, upper=not lower)
    return _restore(out[..., 0] if vectors else out, dtype)


def svd(x, full_matrices=True, compute_uv=True):
    (x,), dtype = _floats(x)
    _check_matrices("svd", x)
    if not compute_uv:
        return _restore(torch.linalg.svdvals(x), _real(dtype))
    u, s, vh = torch.linalg.svd(x, full_matrices=full_matrices)
    return _restore(u, dtype), _restore(s, _real(dtype)), _restore(vh, dtype)


# ---------------------------------------------------------------------------- dtypes


def _floats(*values):
    """The values as tensors of the dtype LAPACK computes in, and the dtype of the results:
    integers and bools in floatx, half precision in float32 (cast back afterwards)."""
    values = core.promote(*values)
    dtype = dtypes.to_float(dtypes.standardize_dtype(values[0].dtype))
    native = core.to_native_dtype(reductions.compute_float(dtype))
    return tuple(v if v.dtype == native else v.to(native) for v in values), dtype


def _restore(out, dtype):
    native = core.to_native_dtype(dtype)
    return out if out.dtype == native else out.to(native)


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

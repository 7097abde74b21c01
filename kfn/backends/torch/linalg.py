"""PyTorch backend: kfn.ops.linalg primitives (see kfn/ops/linalg.py for the documented signatures)."""

from __future__ import annotations

import torch

from kfn.backends.common import linalg as rules
from kfn.backends.torch import core
from kfn.state import tree


def cholesky(x, upper=False):
    (x,), dtype = _floats(x)
    rules.check_square("cholesky", x.shape)
    try:
        # The lower factor, transposed for `upper`: only the lower triangle is ever read.
        out = torch.linalg.cholesky(x)
    except torch.linalg.LinAlgError as error:
        raise ValueError(rules.NOT_POSITIVE_DEFINITE.format(shape=tuple(x.shape))) from error
    # resolve_conj: a lazily conjugated view cannot be read by NumPy.
    return _restore(out.mH.resolve_conj() if upper else out, dtype)


def det(x):
    (x,), dtype = _floats(x)
    rules.check_square("det", x.shape)
    return _restore(torch.linalg.det(x), dtype)


def eig(x):
    (x,), _ = _floats(x)
    rules.check_square("eig", x.shape)
    w, v = torch.linalg.eig(x)
    return w, v


def eigh(x):
    (x,), dtype = _floats(x)
    rules.check_square("eigh", x.shape)
    w, v = torch.linalg.eigh(x)
    return _restore(w, rules.real_dtype(dtype)), _restore(v, dtype)


def inv(x):
    (x,), dtype = _floats(x)
    rules.check_square("inv", x.shape)
    try:
        out = torch.linalg.inv(x)
    except torch.linalg.LinAlgError as error:
        raise ValueError(rules.SINGULAR.format(name="inv", argument="x")) from error
    return _restore(out, dtype)


def jvp(fun, primals, tangents, has_aux=False):
    primals, tangents = rules.jvp_inputs(primals, tangents, core.convert_to_tensor)
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
    rules.check_lstsq(a.shape, b.shape)
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
    rules.check_matrices("lu_factor", x.shape)
    # The _ex variant returns singular factors as SciPy does, instead of raising.
    lu, pivots, _ = torch.linalg.lu_factor_ex(x)
    # LAPACK's pivots are 1-based; SciPy's (and kfn's) 0-based.
    return _restore(lu, dtype), (pivots - 1).to(torch.int32)


def pinv(x, rcond=None):
    (x,), dtype = _floats(x)
    rules.check_matrices("pinv", x.shape)
    if rcond is None:
        rcond = max(x.shape[-2:]) * torch.finfo(x.dtype).eps
    return _restore(torch.linalg.pinv(x, rtol=rcond), dtype)


def qr(x, mode="reduced"):
    (x,), dtype = _floats(x)
    rules.check_matrices("qr", x.shape)
    rules.check_qr_mode(mode)
    q, r = torch.linalg.qr(x, mode=mode)
    return _restore(q, dtype), _restore(r, dtype)


def slogdet(x):
    (x,), dtype = _floats(x)
    rules.check_square("slogdet", x.shape)
    sign, logabsdet = torch.linalg.slogdet(x)
    return _restore(sign, dtype), _restore(logabsdet, rules.real_dtype(dtype))


def solve(a, b):
    (a, b), dtype = _floats(a, b)
    vectors = rules.check_right_hand_side("solve", a.shape, b.shape)
    if vectors:
        b = b[..., None]
    try:
        out = torch.linalg.solve(a, b)
    except torch.linalg.LinAlgError as error:
        raise ValueError(rules.SINGULAR.format(name="solve", argument="a")) from error
    return _restore(out[..., 0] if vectors else out, dtype)


def solve_triangular(a, b, lower=False):
    (a, b), dtype = _floats(a, b)
    vectors = rules.check_right_hand_side("solve_triangular", a.shape, b.shape)
    if vectors:
        b = b[..., None]
    out = torch.linalg.solve_triangular(a, b, upper=not lower)
    return _restore(out[..., 0] if vectors else out, dtype)


def svd(x, full_matrices=True, compute_uv=True):
    (x,), dtype = _floats(x)
    rules.check_matrices("svd", x.shape)
    if not compute_uv:
        return _restore(torch.linalg.svdvals(x), rules.real_dtype(dtype))
    u, s, vh = torch.linalg.svd(x, full_matrices=full_matrices)
    return _restore(u, dtype), _restore(s, rules.real_dtype(dtype)), _restore(vh, dtype)


# ---------------------------------------------------------------------------- dtypes


def _floats(*values):
    """The values as tensors of the dtype LAPACK computes in, and the dtype of the results
    (see `rules.float_dtypes`)."""
    values = core.promote(*values)
    dtype, computed_in = rules.float_dtypes(core.dtype(values[0]))
    native = core.to_native_dtype(computed_in)
    return tuple(v if v.dtype == native else v.to(native) for v in values), dtype


def _restore(out, dtype):
    native = core.to_native_dtype(dtype)
    return out if out.dtype == native else out.to(native)

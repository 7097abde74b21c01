"""PyTorch backend: kfn.ops.numpy reductions and statistics."""

from __future__ import annotations

import math

import torch

from kfn.backends.common import dtypes, reductions
from kfn.backends.torch import core

# torch has almost no kernels for these: reduce in int64 and cast back.
_NARROW_KERNELS = frozenset((torch.uint16, torch.uint32, torch.uint64))
_FLOATS = frozenset((torch.bfloat16, torch.float16, torch.float32, torch.float64))


def _tensor(x):
    x = core.convert_to_tensor(x)
    return x


def _dims(axis, ndim):
    """`axis` as a tuple of dims for torch (None -> all)."""
    return reductions.normalize_axes(axis, ndim)


def _float(x):
    x = _tensor(x)
    target = dtypes.to_float(dtypes.standardize_dtype(x.dtype))
    return x.to(core.to_native_dtype(target))


def _sum_dtype(x):
    return core.to_native_dtype(reductions.sum_dtype(dtypes.standardize_dtype(x.dtype)))


def _wide(x):
    return x.to(torch.int64) if x.dtype in _NARROW_KERNELS else x


def _flat_axis(x, axis):
    """(x, axis) with x flattened when axis is None, for cumulative and arg ops."""
    if axis is None:
        return x.reshape(-1), 0
    return x, axis


def _reduce(fn, x, axis, keepdims, **kwargs):
    """fn(x, dim=dims, keepdim=...) over normalized dims (empty dims mean: nothing to reduce)."""
    dims = _dims(axis, x.ndim)
    if not dims:
        return x
    return fn(x, dim=dims, keepdim=keepdims, **kwargs)


# ---------------------------------------------------------------------------- sums, products


def sum(x, axis=None, keepdims=False):
    x = _tensor(x)
    dtype = _sum_dtype(x)
    accumulate = torch.int64 if dtype in _NARROW_KERNELS else dtype
    return _reduce(torch.sum, _wide(x), axis, keepdims, dtype=accumulate).to(dtype)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = _tensor(x)
    dtype = _sum_dtype(x) if dtype is None else core.to_native_dtype(dtype)
    out = _wide(x).to(torch.int64 if x.dtype in _NARROW_KERNELS else dtype)
    # torch.prod reduces one dim at a time; the highest first keeps the others' positions.
    for dim in sorted(_dims(axis, x.ndim), reverse=True):
        out = torch.prod(out, dim=dim, keepdim=keepdims)
    return out.to(dtype)


def cumsum(x, axis=None, dtype=None):
    x, axis = _flat_axis(_tensor(x), axis)
    dtype = _sum_dtype(x) if dtype is None else core.to_native_dtype(dtype)
    if x.dtype in _NARROW_KERNELS:
        return torch.cumsum(_wide(x), dim=axis).to(dtype)
    return torch.cumsum(x, dim=axis, dtype=dtype)


def cumprod(x, axis=None, dtype=None):
    x, axis = _flat_axis(_tensor(x), axis)
    dtype = _sum_dtype(x) if dtype is None else core.to_native_dtype(dtype)
    if x.dtype in _NARROW_KERNELS:
        return torch.cumprod(_wide(x), dim=axis).to(dtype)
    return torch.cumprod(x, dim=axis, dtype=dtype)


def count_nonzero(x, axis=None):
    x = _tensor(x)
    return torch.count_nonzero(_wide(x), dim=_dims(axis, x.ndim)).to(torch.int32)


def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    return _reduce(torch.logsumexp, x, axis, keepdims)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _float(y)
    if x is None:
        return torch.trapezoid(y, dx=dx, dim=axis)
    y, x = core.promote(y, _float(x))
    return torch.trapezoid(y, x, dim=axis)


# ---------------------------------------------------------------------------- extrema, logic


def _extremum(fn, name, x, axis, keepdims, initial):
    x = _tensor(x)
    reductions.check_nonempty(name, x.shape, axis, initial)
    dtype = x.dtype
    if dtype == torch.bool:
        x = x.to(torch.uint8)
    if x.numel() == 0:
        # Only reachable with `initial`: an empty reduction is the initial value.
        shape = (
            torch.empty(x.shape, device="meta").sum(dim=_dims(axis, x.ndim), keepdim=keepdims).shape
        )
        return torch.full(shape, initial, dtype=dtype, device=x.device)
    out = _reduce(fn, _wide(x), axis, keepdims)
    if initial is not None:
        bound = torch.tensor(initial, dtype=out.dtype, device=out.device)
        out = torch.maximum(out, bound) if fn is torch.amax else torch.minimum(out, bound)
    return out.to(dtype)


def max(x, axis=None, keepdims=False, initial=None):
    return _extremum(torch.amax, "max", x, axis, keepdims, initial)


def min(x, axis=None, keepdims=False, initial=None):
    return _extremum(torch.amin, "min", x, axis, keepdims, initial)


def amax(x, axis=None, keepdims=False):
    return max(x, axis=axis, keepdims=keepdims)


def amin(x, axis=None, keepdims=False):
    return min(x, axis=axis, keepdims=keepdims)


def ptp(x, axis=None, keepdims=False):
    x = _tensor(x)
    reductions.check_nonempty("ptp", x.shape, axis, None)
    wide = _wide(x)
    return (
        _reduce(torch.amax, wide, axis, keepdims) - _reduce(torch.amin, wide, axis, keepdims)
    ).to(x.dtype)


def _arg(fn, x, axis, keepdims):
    x = _tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    x = _wide(x)
    if axis is None:
        out = fn(x.reshape(-1))
        return out.reshape((1,) * x.ndim).to(torch.int32) if keepdims else out.to(torch.int32)
    return fn(x, dim=axis, keepdim=keepdims).to(torch.int32)


def argmax(x, axis=None, keepdims=False):
    return _arg(torch.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg(torch.argmin, x, axis, keepdims)


def all(x, axis=None, keepdims=False):
    x = _tensor(x).to(torch.bool)
    return _reduce(torch.all, x, axis, keepdims)


def any(x, axis=None, keepdims=False):
    x = _tensor(x).to(torch.bool)
    return _reduce(torch.any, x, axis, keepdims)


# ---------------------------------------------------------------------------- statistics


def mean(x, axis=None, keepdims=False):
    return _reduce(torch.mean, _float(x), axis, keepdims)


def var(x, axis=None, keepdims=False):
    return _reduce(torch.var, _float(x), axis, keepdims, correction=0)


def std(x, axis=None, keepdims=False):
    return _reduce(torch.std, _float(x), axis, keepdims, correction=0)


def average(x, axis=None, weights=None):
    x = _float(x)
    if weights is None:
        return mean(x, axis=axis)
    x, weights = core.promote(x, weights)
    if weights.ndim == 1 and x.ndim > 1 and axis is not None:
        # 1-D weights apply along `axis`.
        shape = [1] * x.ndim
        shape[axis] = weights.shape[0]
        weights = weights.reshape(shape)
    weights = torch.broadcast_to(weights, x.shape)
    dims = _dims(axis, x.ndim)
    return torch.sum(x * weights, dim=dims) / torch.sum(weights, dim=dims)


def _quantile(fn, x, q, axis, method, keepdims):
    """fn (torch.quantile or torch.nanquantile) over several axes: they are moved to the end
    and flattened into one. Half precision is computed in float32."""
    x = _float(x)
    dtype = x.dtype
    compute = x if dtype in (torch.float32, torch.float64) else x.to(torch.float32)
    q = core.convert_to_tensor(q).to(compute.dtype).to(compute.device)
    dims = _dims(axis, compute.ndim)
    kept = [d for d in range(compute.ndim) if d not in dims]
    moved = compute.permute(*kept, *dims).reshape(*[compute.shape[d] for d in kept], -1)
    out = fn(moved, q, dim=-1, interpolation=method)
    if keepdims:
        # Reinsert the reduced axes as size 1, after q's axis (when q is 1-D).
        lead = 1 if q.ndim else 0
        for d in dims:
            out = out.unsqueeze(lead + d)
    return out.to(dtype)


def median(x, axis=None, keepdims=False):
    return _quantile(torch.quantile, x, 0.5, axis, "linear", keepdims)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    reductions.check_method("quantile", method)
    return _quantile(torch.quantile, x, q, axis, method, keepdims)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    reductions.check_method("percentile", method)
    q = core.convert_to_tensor(q) / 100.0
    return _quantile(torch.quantile, x, q, axis, method, keepdims)


def corrcoef(x):
    x = _float(x)
    return torch.corrcoef(x)


# ---------------------------------------------------------------------------- NaN-ignoring


def _without_nan(x, fill):
    if x.dtype not in _FLOATS:
        return x
    return torch.where(torch.isnan(x), torch.full_like(x, fill), x)


def nansum(x, axis=None, keepdims=False):
    return sum(_without_nan(_tensor(x), 0.0), axis=axis, keepdims=keepdims)


def nanprod(x, axis=None, keepdims=False):
    return prod(_without_nan(_tensor(x), 1.0), axis=axis, keepdims=keepdims)


def nancumsum(x, axis=None, dtype=None):
    return cumsum(_without_nan(_tensor(x), 0.0), axis=axis, dtype=dtype)


def nancumprod(x, axis=None, dtype=None):
    return cumprod(_without_nan(_tensor(x), 1.0), axis=axis, dtype=dtype)


def _nan_extremum(reduce, fill, x, axis, keepdims):
    x = _tensor(x)
    if x.dtype not in _FLOATS:
        return reduce(x, axis=axis, keepdims=keepdims)
    nan = torch.isnan(x)
    out = reduce(torch.where(nan, torch.full_like(x, fill), x), axis=axis, keepdims=keepdims)
    all_nan = all(nan, axis=axis, keepdims=keepdims)
    return torch.where(all_nan, torch.full_like(out, math.nan), out)


def nanmax(x, axis=None, keepdims=False):
    return _nan_extremum(max, -math.inf, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    return _nan_extremum(min, math.inf, x, axis, keepdims)


def _nan_arg(fn, fill, x, axis, keepdims):
    x = _tensor(x)
    if x.dtype not in _FLOATS:
        return fn(x, axis=axis, keepdims=keepdims)
    nan = torch.isnan(x)
    index = fn(torch.where(nan, torch.full_like(x, fill), x), axis=axis, keepdims=keepdims)
    all_nan = all(nan, axis=axis, keepdims=keepdims)
    return torch.where(all_nan, torch.full_like(index, -1), index)


def nanargmax(x, axis=None, keepdims=False):
    return _nan_arg(argmax, -math.inf, x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    return _nan_arg(argmin, math.inf, x, axis, keepdims)


def _nan_count(x, axis, keepdims):
    return _reduce(torch.sum, (~torch.isnan(x)).to(x.dtype), axis, keepdims)


def nanmean(x, axis=None, keepdims=False):
    x = _float(x)
    return _reduce(torch.sum, _without_nan(x, 0.0), axis, keepdims) / _nan_count(x, axis, keepdims)


def nanvar(x, axis=None, keepdims=False):
    x = _float(x)
    centered = x - nanmean(x, axis=axis, keepdims=True)
    return nanmean(centered * centered, axis=axis, keepdims=keepdims)


def nanstd(x, axis=None, keepdims=False):
    return torch.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


def nanmedian(x, axis=None, keepdims=False):
    return _quantile(torch.nanquantile, x, 0.5, axis, "linear", keepdims)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    reductions.check_method("nanquantile", method)
    return _quantile(torch.nanquantile, x, q, axis, method, keepdims)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    reductions.check_method("nanpercentile", method)
    q = core.convert_to_tensor(q) / 100.0
    return _quantile(torch.nanquantile, x, q, axis, method, keepdims)


# ---------------------------------------------------------------------------- counting


def bincount(x, weights=None, minlength=0, sparse=False):
    reductions.check_dense("bincount", sparse)
    x = _tensor(x)
    if weights is None:
        return torch.bincount(x, minlength=minlength).to(torch.int32)
    weights = _tensor(weights)
    return torch.bincount(x, weights=weights, minlength=minlength).to(weights.dtype)


def histogram(x, bins=10, range=None):
    x = _float(x)
    if range is None:
        low, high = (float(v) for v in torch.aminmax(x)) if x.numel() else (0.0, 1.0)
    else:
        low, high = (float(v) for v in range)
    if low == high:  # as NumPy: an empty range is widened by one around its value
        low, high = low - 0.5, high + 0.5
    compute = x.to(torch.float64)
    counts = torch.histc(compute, bins=bins, min=low, max=high)
    edges = torch.linspace(low, high, bins + 1, dtype=torch.float64, device=x.device)
    return counts.to(torch.int32), edges.to(x.dtype)

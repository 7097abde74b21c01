"""PyTorch backend: kfn.ops.numpy reductions and statistics.

torch reduces over `dim=()` as over every dimension, so an empty tuple of axes (NumPy: reduce
nothing) is handled before calling it. torch has almost no kernels for uint16/uint32/uint64:
those are computed in int64 and cast back. Quantiles are computed by sorting (torch.quantile
reads its q argument on the host and caps the input size).
"""

from __future__ import annotations

import math

import torch

from kfn.backends.common import dtypes, reductions
from kfn.backends.torch import core

_WIDE = frozenset((torch.uint16, torch.uint32, torch.uint64))
_FLOATS = frozenset((torch.bfloat16, torch.float16, torch.float32, torch.float64))
_TOP_BIT = -(2**63)


def _tensor(x):
    return core.convert_to_tensor(x)


def _dtype(x) -> str:
    return dtypes.standardize_dtype(x.dtype)


def _native(dtype):
    return core.to_native_dtype(dtype)


def _dims(name, axis, ndim):
    return reductions.normalize_axes(name, axis, ndim)


def _wide(x):
    return x.to(torch.int64) if x.dtype in _WIDE else x


def _ordered(x):
    """x as a tensor torch compares in the same order: uint64 with its top bit flipped (as
    int64), uint16 and uint32 widened to int64."""
    if x.dtype == torch.uint64:
        return x.view(torch.int64) ^ _TOP_BIT
    return _wide(x)


def _unordered(x, dtype):
    """The inverse of `_ordered`."""
    if dtype == torch.uint64:
        return (x ^ _TOP_BIT).view(torch.uint64)
    return x.to(dtype)


def _sum_dtype(x):
    return _native(reductions.sum_dtype(_dtype(x)))


def _float(x):
    """(x in its compute dtype, result dtype): floatx for ints, computed in float32 for halves."""
    dtype = dtypes.to_float(_dtype(x))
    return x.to(_native(reductions.compute_float(dtype))), _native(dtype)


def _flat_axis(name, x, axis):
    if axis is None:
        return x.reshape(-1), 0
    return x, reductions.canonical_axis(name, axis, x.ndim)


# ---------------------------------------------------------------------------- sums, products


def _sum(name, x, axis, keepdims):
    dtype = _sum_dtype(x)
    dims = _dims(name, axis, x.ndim)
    if not dims:
        return x.to(dtype)
    if dtype in _WIDE:
        return torch.sum(_wide(x), dim=dims, keepdim=keepdims, dtype=torch.int64).to(dtype)
    return torch.sum(x, dim=dims, keepdim=keepdims, dtype=dtype)


def sum(x, axis=None, keepdims=False):
    return _sum("sum", _tensor(x), axis, keepdims)


def _prod(name, x, axis, keepdims, dtype):
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    compute = torch.int64 if dtype in _WIDE else dtype
    out = _wide(x)
    dims = _dims(name, axis, x.ndim)
    if not dims:
        return out.to(dtype)
    if len(dims) == x.ndim:
        out = torch.prod(out, dtype=compute)
        return (out.reshape((1,) * x.ndim) if keepdims else out).to(dtype)
    # torch.prod reduces one dim at a time; the highest first keeps the others' positions.
    for dim in reversed(dims):
        out = torch.prod(out, dim=dim, keepdim=keepdims, dtype=compute)
    return out.to(dtype)


def prod(x, axis=None, keepdims=False, dtype=None):
    return _prod("prod", _tensor(x), axis, keepdims, dtype)


def _cumulative(name, fn, x, axis, dtype):
    x, axis = _flat_axis(name, x, axis)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    compute = torch.int64 if dtype in _WIDE else dtype
    return fn(_wide(x), dim=axis, dtype=compute).to(dtype)


def cumsum(x, axis=None, dtype=None):
    return _cumulative("cumsum", torch.cumsum, _tensor(x), axis, dtype)


def cumprod(x, axis=None, dtype=None):
    return _cumulative("cumprod", torch.cumprod, _tensor(x), axis, dtype)


def count_nonzero(x, axis=None):
    x = _tensor(x)
    nonzero = x if x.dtype == torch.bool else x != 0
    dims = _dims("count_nonzero", axis, x.ndim)
    if not dims:
        return nonzero.to(torch.int32)
    return torch.sum(nonzero, dim=dims, dtype=torch.int32)


def logsumexp(x, axis=None, keepdims=False):
    x, dtype = _float(_tensor(x))
    dims = _dims("logsumexp", axis, x.ndim)
    if not dims:
        return x.to(dtype)
    return torch.logsumexp(x, dim=dims, keepdim=keepdims).to(dtype)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _tensor(y)
    axis = reductions.canonical_axis("trapezoid", axis, y.ndim)
    if x is not None:
        x = _tensor(x)
        reductions.trapezoid_x_shape(y.shape, x.shape, axis)
        dtype = _native(dtypes.result_type(_dtype(y), _dtype(x), float))
        return torch.trapezoid(y.to(dtype), x.to(dtype), dim=axis)
    dtype = _native(dtypes.to_float(_dtype(y)))
    if isinstance(dx, int | float):
        return torch.trapezoid(y.to(dtype), dx=dx, dim=axis)
    return torch.trapezoid(y.to(dtype), dim=axis) * _tensor(dx).to(dtype)


# ---------------------------------------------------------------------------- extrema, logic


def _extremum(name, reduce, combine, x, axis, keepdims, initial):
    x = _tensor(x)
    dims = _dims(name, axis, x.ndim)
    reductions.check_nonempty(name, x.shape, dims, initial)
    dtype = x.dtype
    if x.numel() == 0:
        # Nothing to compare: the result is `initial` (or empty when an axis kept is empty).
        shape = reductions.reduced_shape(x.shape, dims, keepdims)
        fill = 0 if initial is None else initial
        return torch.full(shape, fill, dtype=dtype, device=x.device)
    out = _ordered(x)
    if dims:
        out = reduce(out, dim=dims, keepdim=keepdims)
    if initial is not None:
        out = combine(out, _ordered(torch.tensor(initial, dtype=dtype, device=out.device)))
    return _unordered(out, dtype)


def max(x, axis=None, keepdims=False, initial=None):
    return _extremum("max", torch.amax, torch.maximum, x, axis, keepdims, initial)


def min(x, axis=None, keepdims=False, initial=None):
    return _extremum("min", torch.amin, torch.minimum, x, axis, keepdims, initial)


def amax(x, axis=None, keepdims=False):
    return _extremum("amax", torch.amax, torch.maximum, x, axis, keepdims, None)


def amin(x, axis=None, keepdims=False):
    return _extremum("amin", torch.amin, torch.minimum, x, axis, keepdims, None)


def ptp(x, axis=None, keepdims=False):
    x = _tensor(x)
    if x.dtype == torch.bool:
        raise TypeError("kfn.ops.ptp: x must be numeric, got bool")
    dims = _dims("ptp", axis, x.ndim)
    reductions.check_nonempty("ptp", x.shape, dims)
    if not dims:
        return torch.zeros_like(x)
    high = torch.amax(_ordered(x), dim=dims, keepdim=keepdims)
    low = torch.amin(_ordered(x), dim=dims, keepdim=keepdims)
    # The difference wraps around as NumPy's does; for uint64 the flipped bits cancel out.
    difference = high - low
    return difference.view(torch.uint64) if x.dtype == torch.uint64 else difference.to(x.dtype)


def _arg(name, fn, x, axis, keepdims):
    x = _tensor(x)
    axis, dims = reductions.arg_axis(name, axis, x.ndim)
    reductions.check_nonempty(name, x.shape, dims)
    x = x.to(torch.uint8) if x.dtype == torch.bool else _ordered(x)
    if axis is None:
        out = fn(x.reshape(-1))
        return (out.reshape((1,) * x.ndim) if keepdims else out).to(torch.int32)
    return fn(x, dim=axis, keepdim=keepdims).to(torch.int32)


def argmax(x, axis=None, keepdims=False):
    return _arg("argmax", torch.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg("argmin", torch.argmin, x, axis, keepdims)


def _logical(name, fn, x, axis, keepdims):
    x = _tensor(x)
    dims = _dims(name, axis, x.ndim)
    truth = x if x.dtype == torch.bool else x != 0
    return fn(truth, dim=dims, keepdim=keepdims) if dims else truth


def all(x, axis=None, keepdims=False):
    return _logical("all", torch.all, x, axis, keepdims)


def any(x, axis=None, keepdims=False):
    return _logical("any", torch.any, x, axis, keepdims)


# ---------------------------------------------------------------------------- statistics


def _mean(name, x, axis, keepdims):
    x, dtype = _float(_tensor(x))
    dims = _dims(name, axis, x.ndim)
    return (torch.mean(x, dim=dims, keepdim=keepdims) if dims else x).to(dtype)


def _var(name, x, axis, keepdims, root):
    x, dtype = _float(_tensor(x))
    dims = _dims(name, axis, x.ndim)
    if not dims:
        return torch.zeros_like(x, dtype=dtype)
    fn = torch.std if root else torch.var
    return fn(x, dim=dims, keepdim=keepdims, correction=0).to(dtype)


def mean(x, axis=None, keepdims=False):
    return _mean("mean", x, axis, keepdims)


def var(x, axis=None, keepdims=False):
    return _var("var", x, axis, keepdims, root=False)


def std(x, axis=None, keepdims=False):
    return _var("std", x, axis, keepdims, root=True)


def average(x, axis=None, weights=None):
    x = _tensor(x)
    if weights is None:
        dtype = reductions.average_dtype(_dtype(x), None)
        return _mean("average", x.to(_native(dtype)), axis, False)
    weights = _tensor(weights)
    dtype = _native(reductions.average_dtype(_dtype(x), _dtype(weights)))
    layout = reductions.average_weights_shape(x.shape, weights.shape, axis)
    compute = _native(reductions.compute_float(dtypes.standardize_dtype(dtype)))
    x, weights = x.to(compute), weights.to(compute)
    if layout is not None:
        permutation, shape = layout
        if permutation is not None:
            weights = weights.permute(permutation)
        weights = weights.reshape(shape)
    dims = _dims("average", axis, x.ndim)
    if not dims:
        return (x * weights / weights).to(dtype)
    return (torch.sum(x * weights, dim=dims) / torch.sum(weights, dim=dims)).to(dtype)


def _quantile(name, x, q, axis, method, keepdims, ignore_nan, scale=1.0):
    """Quantiles by sorting, with NumPy's definitions of the methods. The reduced axes are
    moved last and flattened into one; NaNs sort last."""
    reductions.check_method(name, method)
    reductions.check_quantiles(name, q, scale)
    x, dtype = _float(_tensor(x))
    dims = _dims(name, axis, x.ndim)
    reductions.check_nonempty(name, x.shape, dims)
    q = _tensor(q).to(device=x.device, dtype=x.dtype)
    q = q / scale if scale != 1.0 else q
    kept = [d for d in range(x.ndim) if d not in dims]
    flat = x.permute(*kept, *dims).reshape(*[x.shape[d] for d in kept], -1)
    nan = torch.isnan(flat)
    ordered = torch.sort(flat, dim=-1).values
    last = flat.shape[-1] - 1
    if ignore_nan:
        last = torch.sum(~nan, dim=-1, keepdim=True) - 1
    position = q.reshape(-1) * last  # [..., len(q)]
    out = _interpolate(ordered, position, last, method)
    if ignore_nan:
        invalid = last < 0
    else:
        invalid = torch.any(nan, dim=-1, keepdim=True)
    out = torch.where(invalid, torch.full_like(out, math.nan), out)
    out = out[..., 0] if q.ndim == 0 else out.movedim(-1, 0)
    if keepdims:
        lead = 1 if q.ndim else 0
        for d in dims:
            out = out.unsqueeze(lead + d)
    return out.to(dtype)


def _interpolate(ordered, position, last, method):
    """The values at fractional `position`s of the sorted last axis, as NumPy's `method`."""
    last = torch.as_tensor(last, device=ordered.device).clamp(min=0)
    if method == "nearest":
        below = above = torch.round(position)  # half to even, as NumPy
    else:
        below, above = torch.floor(position), torch.ceil(position)
        if method == "lower":
            above = below
        elif method == "higher":
            below = above

    def at(index):
        index = torch.minimum(index.to(torch.int64).clamp(min=0), last)
        return torch.gather(ordered, -1, index.expand(*ordered.shape[:-1], index.shape[-1]))

    low, high = at(below), at(above)
    if method in ("lower", "higher", "nearest"):
        return low
    fraction = position - below if method == "linear" else torch.full_like(position, 0.5)
    fraction = torch.where(below == above, torch.zeros_like(fraction), fraction)
    # NumPy's _lerp: exact at both ends.
    difference = high - low
    return torch.where(
        fraction >= 0.5, high - difference * (1 - fraction), low + difference * fraction
    )


def median(x, axis=None, keepdims=False):
    return _quantile("median", x, 0.5, axis, "linear", keepdims, ignore_nan=False)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile("quantile", x, q, axis, method, keepdims, ignore_nan=False)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile("percentile", x, q, axis, method, keepdims, ignore_nan=False, scale=100.0)


def corrcoef(x):
    x = _tensor(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"kfn.ops.corrcoef: x must be 1-D or 2-D, got shape {tuple(x.shape)}")
    x, dtype = _float(x)
    return torch.corrcoef(x).to(dtype)


# ---------------------------------------------------------------------------- NaN-ignoring


def _without_nan(x, fill):
    if x.dtype not in _FLOATS:
        return x
    return torch.where(torch.isnan(x), torch.full_like(x, fill), x)


def nansum(x, axis=None, keepdims=False):
    return _sum("nansum", _without_nan(_tensor(x), 0.0), axis, keepdims)


def nanprod(x, axis=None, keepdims=False):
    return _prod("nanprod", _without_nan(_tensor(x), 1.0), axis, keepdims, None)


def nancumsum(x, axis=None, dtype=None):
    return _cumulative("nancumsum", torch.cumsum, _without_nan(_tensor(x), 0.0), axis, dtype)


def nancumprod(x, axis=None, dtype=None):
    return _cumulative("nancumprod", torch.cumprod, _without_nan(_tensor(x), 1.0), axis, dtype)


def _nan_extremum(name, reduce, combine, fill, x, axis, keepdims):
    x = _tensor(x)
    if x.dtype not in _FLOATS:
        return _extremum(name, reduce, combine, x, axis, keepdims, None)
    nan = torch.isnan(x)
    out = _extremum(name, reduce, combine, _without_nan(x, fill), axis, keepdims, None)
    all_nan = _logical(name, torch.all, nan, axis, keepdims)
    return torch.where(all_nan, torch.full_like(out, math.nan), out)


def nanmax(x, axis=None, keepdims=False):
    return _nan_extremum("nanmax", torch.amax, torch.maximum, -math.inf, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    return _nan_extremum("nanmin", torch.amin, torch.minimum, math.inf, x, axis, keepdims)


def _nan_arg(name, fn, fill, x, axis, keepdims):
    # NaNs never win; an all-NaN slice gives -1 (as Keras) rather than NumPy's error.
    x = _tensor(x)
    if x.dtype not in _FLOATS:
        return _arg(name, fn, x, axis, keepdims)
    nan = torch.isnan(x)
    index = _arg(name, fn, _without_nan(x, fill), axis, keepdims)
    all_nan = _logical(name, torch.all, nan, axis, keepdims)
    return torch.where(all_nan, torch.full_like(index, -1), index)


def nanargmax(x, axis=None, keepdims=False):
    return _nan_arg("nanargmax", torch.argmax, -math.inf, x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    return _nan_arg("nanargmin", torch.argmin, math.inf, x, axis, keepdims)


def _nan_mean(name, x, axis, keepdims):
    """The mean of the non-NaN values of a float x (in its compute dtype)."""
    dims = _dims(name, axis, x.ndim)
    nan = torch.isnan(x)
    if not dims:
        return x
    total = torch.sum(torch.where(nan, torch.zeros_like(x), x), dim=dims, keepdim=keepdims)
    return total / torch.sum(~nan, dim=dims, keepdim=keepdims, dtype=x.dtype)


def _nan_var(name, x, axis, keepdims):
    centered = x - _nan_mean(name, x, axis, keepdims=True)
    return _nan_mean(name, centered * centered, axis, keepdims)


def nanmean(x, axis=None, keepdims=False):
    x, dtype = _float(_tensor(x))
    return _nan_mean("nanmean", x, axis, keepdims).to(dtype)


def nanvar(x, axis=None, keepdims=False):
    x, dtype = _float(_tensor(x))
    return _nan_var("nanvar", x, axis, keepdims).to(dtype)


def nanstd(x, axis=None, keepdims=False):
    x, dtype = _float(_tensor(x))
    return torch.sqrt(_nan_var("nanstd", x, axis, keepdims)).to(dtype)


def nanmedian(x, axis=None, keepdims=False):
    return _quantile("nanmedian", x, 0.5, axis, "linear", keepdims, ignore_nan=True)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile("nanquantile", x, q, axis, method, keepdims, ignore_nan=True)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile("nanpercentile", x, q, axis, method, keepdims, ignore_nan=True, scale=100.0)


# ---------------------------------------------------------------------------- counting


def bincount(x, weights=None, minlength=0, sparse=False):
    reductions.check_dense("bincount", sparse, core.NAME)
    x = _tensor(x)
    weights = None if weights is None else _tensor(weights)
    dtype = reductions.bincount_arguments(_dtype(x), x.shape, weights, minlength)
    values = x.to(torch.int64)
    # The output length depends on the values: read on the host.
    low, high = torch.stack(torch.aminmax(values)).tolist() if values.numel() else (None, None)
    length = reductions.bincount_length("bincount", low, high, minlength)
    rows = 1 if x.ndim == 1 else x.shape[0]
    # One count per row: row r counts into [r * length, (r + 1) * length).
    offsets = torch.arange(rows, device=x.device).reshape((-1,) + (1,) * (x.ndim - 1)) * length
    flat = (values + offsets).reshape(-1)
    if weights is None:
        counts = torch.bincount(flat, minlength=rows * length)
    else:
        compute = _native(dtype)
        compute = torch.int64 if compute in _WIDE or compute == torch.bool else compute
        counts = torch.zeros(rows * length, dtype=compute, device=x.device)
        counts = counts.index_add(0, flat, weights.reshape(-1).to(compute))
    return counts.reshape(*x.shape[:-1], length).to(_native(dtype))


def histogram(x, bins=10, range=None):
    bins, range = reductions.histogram_arguments(bins, range)
    x = _tensor(x)
    dtype = dtypes.to_float(_dtype(x))
    x = x.reshape(-1).to(_native(dtype))
    if range is not None or x.numel() == 0:
        edges = reductions.histogram_edges(bins, range or (0.0, 1.0), dtype)
        edges = core.convert_to_tensor(edges).to(x.device)
    else:
        low, high = torch.amin(x), torch.amax(x)
        equal = low == high
        low, high = torch.where(equal, low - 0.5, low), torch.where(equal, high + 0.5, high)
        # As np.linspace between data-derived edges: computed in x's dtype.
        edges = torch.arange(bins + 1, dtype=x.dtype, device=x.device) * ((high - low) / bins)
        edges = torch.cat([edges[:-1] + low, high.reshape(1)])
    first, last = edges[0], edges[-1]
    inside = (x >= first) & (x <= last)
    # NumPy's binning: an estimate from the bin width, corrected against the edges.
    estimate = torch.where(inside, (x - first) / (last - first) * bins, torch.zeros_like(x))
    index = estimate.to(torch.int64).clamp(0, bins - 1)
    index = index - (x < edges[index]).to(torch.int64)
    index = index + ((x >= edges[index + 1]) & (index != bins - 1)).to(torch.int64)
    counts = torch.zeros(bins, dtype=torch.int32, device=x.device)
    counts = counts.scatter_add(0, index.clamp(0, bins - 1), inside.to(torch.int32))
    return counts, edges

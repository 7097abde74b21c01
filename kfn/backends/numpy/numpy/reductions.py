"""NumPy backend: kfn.ops.numpy reductions and statistics."""

from __future__ import annotations

import warnings

import numpy as np

from kfn.backends.common import dtypes, reductions
from kfn.backends.numpy import core


def _tensor(x):
    return core.convert_to_tensor(x)


def _dtype(x) -> str:
    return dtypes.standardize_dtype(x.dtype)


def _native(dtype):
    return core.to_native_dtype(dtype)


def _axes(name, axis, ndim):
    return None if axis is None else reductions.normalize_axes(name, axis, ndim)


def _all_axes(name, axis, ndim):
    return reductions.normalize_axes(name, axis, ndim)


def _sum_dtype(x):
    return _native(reductions.sum_dtype(_dtype(x)))


def _float_dtypes(x):
    """(result dtype, compute dtype) of a statistic of x: floatx for ints, float32 for halves."""
    dtype = dtypes.to_float(_dtype(x))
    return dtype, reductions.compute_float(dtype)


def _flat_axis(name, x, axis):
    if axis is None:
        return x.reshape(-1), 0
    return x, reductions.canonical_axis(name, axis, x.ndim)


# ---------------------------------------------------------------------------- sums, products


def sum(x, axis=None, keepdims=False):
    x = _tensor(x)
    return np.sum(x, axis=_axes("sum", axis, x.ndim), keepdims=keepdims, dtype=_sum_dtype(x))


def prod(x, axis=None, keepdims=False, dtype=None):
    x = _tensor(x)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return np.prod(x, axis=_axes("prod", axis, x.ndim), keepdims=keepdims, dtype=dtype)


def cumsum(x, axis=None, dtype=None):
    x, axis = _flat_axis("cumsum", _tensor(x), axis)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return np.cumsum(x, axis=axis, dtype=dtype)


def cumprod(x, axis=None, dtype=None):
    x, axis = _flat_axis("cumprod", _tensor(x), axis)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return np.cumprod(x, axis=axis, dtype=dtype)


def count_nonzero(x, axis=None):
    x = _tensor(x)
    return np.asarray(np.count_nonzero(x, axis=_axes("count_nonzero", axis, x.ndim)), np.int32)


def logsumexp(x, axis=None, keepdims=False):
    x = _tensor(x)
    dtype, compute = _float_dtypes(x)
    x = x.astype(_native(compute))
    axes = _all_axes("logsumexp", axis, x.ndim)
    # Shift by the maximum so exp cannot overflow; slices of infinities are not shifted.
    with np.errstate(divide="ignore", invalid="ignore"):
        top = np.max(x, axis=axes, keepdims=True, initial=-np.inf)
        top = np.where(np.isfinite(top), top, 0)
        out = np.log(np.sum(np.exp(x - top), axis=axes, keepdims=True)) + top
    out = out if keepdims else np.squeeze(out, axis=axes)
    return out.astype(_native(dtype))


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _tensor(y)
    axis = reductions.canonical_axis("trapezoid", axis, y.ndim)
    if x is None:
        dtype = dtypes.to_float(_dtype(y))
    else:
        x = _tensor(x)
        reductions.trapezoid_x_shape(y.shape, x.shape, axis)
        dtype = dtypes.result_type(_dtype(y), _dtype(x), float)
        x = x.astype(_native(dtype))
    integrate = getattr(np, "trapezoid", None) or np.trapz  # NumPy < 2 names it trapz
    out = integrate(y.astype(_native(dtype)), x=x, dx=dx, axis=axis)
    return np.asarray(out, _native(dtype))


# ---------------------------------------------------------------------------- extrema, logic


def _extremum(name, reduce, x, axis, keepdims, initial):
    x = _tensor(x)
    axes = _all_axes(name, axis, x.ndim)
    reductions.check_nonempty(name, x.shape, axes, initial)
    if initial is not None:
        initial = np.asarray(initial, x.dtype)
    return reduce(x, axis=axes, keepdims=keepdims, initial=initial)


def max(x, axis=None, keepdims=False, initial=None):
    return _extremum("max", np.max, x, axis, keepdims, initial)


def min(x, axis=None, keepdims=False, initial=None):
    return _extremum("min", np.min, x, axis, keepdims, initial)


def amax(x, axis=None, keepdims=False):
    return _extremum("amax", np.max, x, axis, keepdims, None)


def amin(x, axis=None, keepdims=False):
    return _extremum("amin", np.min, x, axis, keepdims, None)


def ptp(x, axis=None, keepdims=False):
    x = _tensor(x)
    if x.dtype == np.bool_:
        raise TypeError("kfn.ops.ptp: x must be numeric, got bool")
    axes = _all_axes("ptp", axis, x.ndim)
    reductions.check_nonempty("ptp", x.shape, axes)
    return np.ptp(x, axis=axes, keepdims=keepdims)


def _arg(name, fn, x, axis, keepdims):
    x = _tensor(x)
    axis, axes = reductions.arg_axis(name, axis, x.ndim)
    reductions.check_nonempty(name, x.shape, axes)
    return np.asarray(fn(x, axis=axis, keepdims=keepdims), np.int32)


def argmax(x, axis=None, keepdims=False):
    return _arg("argmax", np.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg("argmin", np.argmin, x, axis, keepdims)


def all(x, axis=None, keepdims=False):
    x = _tensor(x)
    return np.all(x, axis=_axes("all", axis, x.ndim), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    x = _tensor(x)
    return np.any(x, axis=_axes("any", axis, x.ndim), keepdims=keepdims)


# ---------------------------------------------------------------------------- statistics


def _moment(name, fn, x, axis, keepdims):
    x = _tensor(x)
    dtype, compute = _float_dtypes(x)
    out = fn(x, axis=_axes(name, axis, x.ndim), keepdims=keepdims, dtype=_native(compute))
    return np.asarray(out, _native(dtype))


def mean(x, axis=None, keepdims=False):
    return _moment("mean", np.mean, x, axis, keepdims)


def var(x, axis=None, keepdims=False):
    return _moment("var", np.var, x, axis, keepdims)


def std(x, axis=None, keepdims=False):
    return _moment("std", np.std, x, axis, keepdims)


def average(x, axis=None, weights=None):
    x = _tensor(x)
    if weights is None:
        dtype = reductions.average_dtype(_dtype(x), None)
        return _moment("average", np.mean, x.astype(_native(dtype)), axis, False)
    weights = _tensor(weights)
    dtype = reductions.average_dtype(_dtype(x), _dtype(weights))
    layout = reductions.average_weights_shape(x.shape, weights.shape, axis)
    compute = _native(reductions.compute_float(dtype))
    x, weights = x.astype(compute), weights.astype(compute)
    if layout is not None:
        permutation, shape = layout
        if permutation is not None:
            weights = np.transpose(weights, permutation)
        weights = weights.reshape(shape)
    axes = _axes("average", axis, x.ndim)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.sum(x * weights, axis=axes) / np.sum(weights, axis=axes)
    return np.asarray(out, _native(dtype))


def _quantile(name, fn, x, q, axis, method, keepdims, scale=1.0):
    reductions.check_method(name, method)
    reductions.check_quantiles(name, q, scale)
    x = _tensor(x)
    dtype, compute = _float_dtypes(x)
    axes = _all_axes(name, axis, x.ndim)
    reductions.check_nonempty(name, x.shape, axes)
    q = np.asarray(core.convert_to_numpy(q), _native(compute))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices give NaN, quietly
        out = fn(x.astype(_native(compute)), q, axis=axes, method=method, keepdims=keepdims)
    return np.asarray(out, _native(dtype))


def _median(fn):
    return lambda x, q, axis, method, keepdims: fn(x, axis=axis, keepdims=keepdims)


def median(x, axis=None, keepdims=False):
    return _quantile("median", _median(np.median), x, 0.5, axis, "linear", keepdims)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile("quantile", np.quantile, x, q, axis, method, keepdims)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile("percentile", np.percentile, x, q, axis, method, keepdims, scale=100.0)


def corrcoef(x):
    x = _tensor(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"kfn.ops.corrcoef: x must be 1-D or 2-D, got shape {x.shape}")
    dtype, compute = _float_dtypes(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.corrcoef(x.astype(_native(compute)))
    return np.asarray(out, _native(dtype))


# ---------------------------------------------------------------------------- NaN-ignoring


def nansum(x, axis=None, keepdims=False):
    x = _tensor(x)
    return np.nansum(x, axis=_axes("nansum", axis, x.ndim), keepdims=keepdims, dtype=_sum_dtype(x))


def nanprod(x, axis=None, keepdims=False):
    x = _tensor(x)
    return np.nanprod(
        x, axis=_axes("nanprod", axis, x.ndim), keepdims=keepdims, dtype=_sum_dtype(x)
    )


def nancumsum(x, axis=None, dtype=None):
    x, axis = _flat_axis("nancumsum", _tensor(x), axis)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return np.nancumsum(x, axis=axis, dtype=dtype)


def nancumprod(x, axis=None, dtype=None):
    x, axis = _flat_axis("nancumprod", _tensor(x), axis)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return np.nancumprod(x, axis=axis, dtype=dtype)


def _nan_extremum(name, reduce, x, axis, keepdims):
    x = _tensor(x)
    axes = _all_axes(name, axis, x.ndim)
    reductions.check_nonempty(name, x.shape, axes)
    with np.errstate(invalid="ignore"):
        return reduce(x, axis=axes, keepdims=keepdims)


def nanmax(x, axis=None, keepdims=False):
    return _nan_extremum("nanmax", np.fmax.reduce, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    return _nan_extremum("nanmin", np.fmin.reduce, x, axis, keepdims)


def _nan_arg(name, fn, fill, x, axis, keepdims):
    # NaNs never win; an all-NaN slice gives -1 (as Keras) rather than NumPy's error.
    x = _tensor(x)
    axis, axes = reductions.arg_axis(name, axis, x.ndim)
    reductions.check_nonempty(name, x.shape, axes)
    if x.dtype.kind not in "fc":
        return np.asarray(fn(x, axis=axis, keepdims=keepdims), np.int32)
    nan = np.isnan(x)
    index = fn(np.where(nan, fill, x), axis=axis, keepdims=keepdims)
    all_nan = np.all(nan, axis=axis, keepdims=keepdims)
    return np.asarray(np.where(all_nan, -1, index), np.int32)


def nanargmax(x, axis=None, keepdims=False):
    return _nan_arg("nanargmax", np.argmax, -np.inf, x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    return _nan_arg("nanargmin", np.argmin, np.inf, x, axis, keepdims)


def _nan_moment(name, fn, x, axis, keepdims):
    x = _tensor(x)
    dtype, compute = _float_dtypes(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices give NaN, quietly
        out = fn(x.astype(_native(compute)), axis=_axes(name, axis, x.ndim), keepdims=keepdims)
    return np.asarray(out, _native(dtype))


def nanmean(x, axis=None, keepdims=False):
    return _nan_moment("nanmean", np.nanmean, x, axis, keepdims)


def nanvar(x, axis=None, keepdims=False):
    return _nan_moment("nanvar", np.nanvar, x, axis, keepdims)


def nanstd(x, axis=None, keepdims=False):
    return _nan_moment("nanstd", np.nanstd, x, axis, keepdims)


def nanmedian(x, axis=None, keepdims=False):
    return _quantile("nanmedian", _median(np.nanmedian), x, 0.5, axis, "linear", keepdims)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile("nanquantile", np.nanquantile, x, q, axis, method, keepdims)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile("nanpercentile", np.nanpercentile, x, q, axis, method, keepdims, 100.0)


# ---------------------------------------------------------------------------- counting


def bincount(x, weights=None, minlength=0, sparse=False):
    reductions.check_dense("bincount", sparse, core.NAME)
    x = _tensor(x)
    weights = None if weights is None else _tensor(weights)
    dtype = reductions.bincount_arguments(_dtype(x), x.shape, weights, minlength)
    values = x.astype(np.int64)
    low, high = (values.min(), values.max()) if values.size else (None, None)
    length = reductions.bincount_length("bincount", low, high, minlength)
    rows = 1 if x.ndim == 1 else x.shape[0]
    # One count per row: row r counts into [r * length, (r + 1) * length).
    flat = (values + np.arange(rows).reshape((-1,) + (1,) * (x.ndim - 1)) * length).reshape(-1)
    if weights is None:
        counts = np.bincount(flat, minlength=rows * length)
    else:
        counts = np.zeros(rows * length, _native("int64" if dtype == "bool" else dtype))
        np.add.at(counts, flat, weights.reshape(-1).astype(counts.dtype))
    return counts.reshape(x.shape[:-1] + (length,)).astype(_native(dtype))


def histogram(x, bins=10, range=None):
    bins, range = reductions.histogram_arguments(bins, range)
    x = _tensor(x)
    dtype = _native(dtypes.to_float(_dtype(x)))
    x = x.reshape(-1).astype(dtype)
    if range is not None:
        edges = reductions.histogram_edges(bins, range, dtypes.standardize_dtype(dtype))
    elif x.size == 0:
        edges = reductions.histogram_edges(bins, (0.0, 1.0), dtypes.standardize_dtype(dtype))
    else:
        low, high = x.min(), x.max()
        if low == high:
            low, high = low - dtype.type(0.5), high + dtype.type(0.5)
        # As np.linspace between data-derived edges: computed in x's dtype.
        edges = np.arange(bins + 1, dtype=dtype) * ((high - low) / dtype.type(bins)) + low
        edges[-1] = high
    inside = x[(x >= edges[0]) & (x <= edges[-1])]
    # NumPy's binning: an estimate from the bin width, corrected against the edges.
    with np.errstate(invalid="ignore"):
        index = ((inside - edges[0]) / (edges[-1] - edges[0]) * dtype.type(bins)).astype(np.int64)
    index = np.minimum(index, bins - 1)
    index -= inside < edges[index]
    index += (inside >= edges[index + 1]) & (index != bins - 1)
    counts = np.bincount(index, minlength=bins).astype(np.int32)
    return counts, edges

"""NumPy backend: kfn.ops.numpy reductions and statistics."""

from __future__ import annotations

import numpy as np

from kfn.backends.common import dtypes, reductions
from kfn.backends.numpy import core


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _tensor(x):
    return core.convert_to_tensor(x)


def _native(dtype):
    return core.to_native_dtype(dtype)


def _float(x):
    x = _tensor(x)
    target = dtypes.to_float(dtypes.standardize_dtype(x.dtype))
    return x if dtypes.standardize_dtype(x.dtype) == target else x.astype(_native(target))


def _sum_dtype(x):
    return _native(reductions.sum_dtype(dtypes.standardize_dtype(x.dtype)))


# ---------------------------------------------------------------------------- sums, products


def sum(x, axis=None, keepdims=False):
    x = _tensor(x)
    return np.sum(x, axis=_axis(axis), keepdims=keepdims, dtype=_sum_dtype(x))


def prod(x, axis=None, keepdims=False, dtype=None):
    x = _tensor(x)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return np.prod(x, axis=_axis(axis), keepdims=keepdims, dtype=dtype)


def cumsum(x, axis=None, dtype=None):
    x = _tensor(x)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return np.cumsum(x, axis=axis, dtype=dtype)


def cumprod(x, axis=None, dtype=None):
    x = _tensor(x)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return np.cumprod(x, axis=axis, dtype=dtype)


def count_nonzero(x, axis=None):
    return np.count_nonzero(_tensor(x), axis=_axis(axis)).astype("int32")


def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    axis = _axis(axis)
    top = np.max(x, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0)  # all -inf (or inf) slices: no shift
    out = np.log(np.sum(np.exp(x - top), axis=axis, keepdims=True)) + top
    return out if keepdims else np.squeeze(out, axis=axis)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _float(y)
    if x is not None:
        y, x = core.promote(y, _float(x))
    integrate = getattr(np, "trapezoid", None) or np.trapz  # NumPy < 2 names it trapz
    return integrate(y, x=x, dx=dx, axis=axis)


# ---------------------------------------------------------------------------- extrema, logic


def max(x, axis=None, keepdims=False, initial=None):
    x = _tensor(x)
    reductions.check_nonempty("max", x.shape, axis, initial)
    return np.max(x, axis=_axis(axis), keepdims=keepdims, initial=initial)


def min(x, axis=None, keepdims=False, initial=None):
    x = _tensor(x)
    reductions.check_nonempty("min", x.shape, axis, initial)
    return np.min(x, axis=_axis(axis), keepdims=keepdims, initial=initial)


def amax(x, axis=None, keepdims=False):
    return max(x, axis=axis, keepdims=keepdims)


def amin(x, axis=None, keepdims=False):
    return min(x, axis=axis, keepdims=keepdims)


def ptp(x, axis=None, keepdims=False):
    x = _tensor(x)
    reductions.check_nonempty("ptp", x.shape, axis, None)
    return np.ptp(x, axis=_axis(axis), keepdims=keepdims)


def argmax(x, axis=None, keepdims=False):
    return np.argmax(_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


def argmin(x, axis=None, keepdims=False):
    return np.argmin(_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


def all(x, axis=None, keepdims=False):
    return np.all(_tensor(x), axis=_axis(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return np.any(_tensor(x), axis=_axis(axis), keepdims=keepdims)


# ---------------------------------------------------------------------------- statistics


def mean(x, axis=None, keepdims=False):
    return np.mean(_float(x), axis=_axis(axis), keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    return np.var(_float(x), axis=_axis(axis), keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return np.std(_float(x), axis=_axis(axis), keepdims=keepdims)


def average(x, axis=None, weights=None):
    x = _float(x)
    if weights is None:
        return np.mean(x, axis=axis)
    x, weights = core.promote(x, weights)
    return np.average(x, axis=axis, weights=weights)


def median(x, axis=None, keepdims=False):
    x = _float(x)
    return np.asarray(np.median(x, axis=_axis(axis), keepdims=keepdims), x.dtype)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = _float(x)
    reductions.check_method("quantile", method)
    q = core.convert_to_tensor(q, x.dtype)
    return np.quantile(x, q, axis=_axis(axis), method=method, keepdims=keepdims).astype(x.dtype)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    x = _float(x)
    reductions.check_method("percentile", method)
    q = core.convert_to_tensor(q, x.dtype)
    return np.percentile(x, q, axis=_axis(axis), method=method, keepdims=keepdims).astype(x.dtype)


def corrcoef(x):
    x = _float(x)
    return np.corrcoef(x).astype(x.dtype)


# ---------------------------------------------------------------------------- NaN-ignoring


def nansum(x, axis=None, keepdims=False):
    x = _tensor(x)
    return np.nansum(x, axis=_axis(axis), keepdims=keepdims, dtype=_sum_dtype(x))


def nanprod(x, axis=None, keepdims=False):
    x = _tensor(x)
    return np.nanprod(x, axis=_axis(axis), keepdims=keepdims, dtype=_sum_dtype(x))


def nancumsum(x, axis=None, dtype=None):
    x = _tensor(x)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return np.nancumsum(x, axis=axis, dtype=dtype)


def nancumprod(x, axis=None, dtype=None):
    x = _tensor(x)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return np.nancumprod(x, axis=axis, dtype=dtype)


def nanmax(x, axis=None, keepdims=False):
    return np.nanmax(_tensor(x), axis=_axis(axis), keepdims=keepdims)


def nanmin(x, axis=None, keepdims=False):
    return np.nanmin(_tensor(x), axis=_axis(axis), keepdims=keepdims)


def nanargmax(x, axis=None, keepdims=False):
    return _nanarg(np.argmax, -np.inf, x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    return _nanarg(np.argmin, np.inf, x, axis, keepdims)


def _nanarg(arg, fill, x, axis, keepdims):
    # NaNs never win; an all-NaN slice gives -1 (as JAX) rather than NumPy's error.
    x = _tensor(x)
    nan = np.isnan(x) if x.dtype.kind in "fc" else np.zeros(x.shape, bool)
    index = arg(np.where(nan, fill, x), axis=axis, keepdims=keepdims)
    all_nan = np.all(nan, axis=axis, keepdims=keepdims)
    return np.where(all_nan, -1, index).astype("int32")


def nanmean(x, axis=None, keepdims=False):
    return np.nanmean(_float(x), axis=_axis(axis), keepdims=keepdims)


def nanvar(x, axis=None, keepdims=False):
    return np.nanvar(_float(x), axis=_axis(axis), keepdims=keepdims)


def nanstd(x, axis=None, keepdims=False):
    return np.nanstd(_float(x), axis=_axis(axis), keepdims=keepdims)


def nanmedian(x, axis=None, keepdims=False):
    x = _float(x)
    return np.asarray(np.nanmedian(x, axis=_axis(axis), keepdims=keepdims), x.dtype)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    x = _float(x)
    reductions.check_method("nanquantile", method)
    q = core.convert_to_tensor(q, x.dtype)
    return np.nanquantile(x, q, axis=_axis(axis), method=method, keepdims=keepdims).astype(x.dtype)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    x = _float(x)
    reductions.check_method("nanpercentile", method)
    q = core.convert_to_tensor(q, x.dtype)
    return np.nanpercentile(x, q, axis=_axis(axis), method=method, keepdims=keepdims).astype(
        x.dtype
    )


# ---------------------------------------------------------------------------- counting


def bincount(x, weights=None, minlength=0, sparse=False):
    reductions.check_dense("bincount", sparse)
    x = _tensor(x)
    # The output length depends on the values: eager only.
    if weights is None:
        return np.bincount(x, minlength=minlength).astype("int32")
    weights = _tensor(weights)
    return np.bincount(x, weights=weights, minlength=minlength).astype(weights.dtype)


def histogram(x, bins=10, range=None):
    x = _float(x)
    counts, edges = np.histogram(x, bins=bins, range=range)
    return counts.astype("int32"), edges.astype(x.dtype)

"""JAX backend: kfn.ops.numpy reductions and statistics."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kfn.backends.common import dtypes, reductions
from kfn.backends.jax import core


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
    return jnp.sum(x, axis=_axis(axis), keepdims=keepdims, dtype=_sum_dtype(x))


def prod(x, axis=None, keepdims=False, dtype=None):
    x = _tensor(x)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return jnp.prod(x, axis=_axis(axis), keepdims=keepdims, dtype=dtype)


def cumsum(x, axis=None, dtype=None):
    x = _tensor(x)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return jnp.cumsum(x, axis=axis, dtype=dtype)


def cumprod(x, axis=None, dtype=None):
    x = _tensor(x)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return jnp.cumprod(x, axis=axis, dtype=dtype)


def count_nonzero(x, axis=None):
    return jnp.count_nonzero(_tensor(x), axis=_axis(axis)).astype("int32")


def logsumexp(x, axis=None, keepdims=False):
    return jax.scipy.special.logsumexp(_float(x), axis=_axis(axis), keepdims=keepdims)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _float(y)
    if x is not None:
        y, x = core.promote(y, _float(x))
    return jnp.trapezoid(y, x=x, dx=dx, axis=axis)


# ---------------------------------------------------------------------------- extrema, logic


def max(x, axis=None, keepdims=False, initial=None):
    x = _tensor(x)
    reductions.check_nonempty("max", x.shape, axis, initial)
    return jnp.max(x, axis=_axis(axis), keepdims=keepdims, initial=initial)


def min(x, axis=None, keepdims=False, initial=None):
    x = _tensor(x)
    reductions.check_nonempty("min", x.shape, axis, initial)
    return jnp.min(x, axis=_axis(axis), keepdims=keepdims, initial=initial)


def amax(x, axis=None, keepdims=False):
    return max(x, axis=axis, keepdims=keepdims)


def amin(x, axis=None, keepdims=False):
    return min(x, axis=axis, keepdims=keepdims)


def ptp(x, axis=None, keepdims=False):
    x = _tensor(x)
    reductions.check_nonempty("ptp", x.shape, axis, None)
    return jnp.ptp(x, axis=_axis(axis), keepdims=keepdims)


def argmax(x, axis=None, keepdims=False):
    return jnp.argmax(_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


def argmin(x, axis=None, keepdims=False):
    return jnp.argmin(_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


def all(x, axis=None, keepdims=False):
    return jnp.all(_tensor(x), axis=_axis(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return jnp.any(_tensor(x), axis=_axis(axis), keepdims=keepdims)


# ---------------------------------------------------------------------------- statistics


def mean(x, axis=None, keepdims=False):
    return jnp.mean(_float(x), axis=_axis(axis), keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    return jnp.var(_float(x), axis=_axis(axis), keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return jnp.std(_float(x), axis=_axis(axis), keepdims=keepdims)


def average(x, axis=None, weights=None):
    x = _float(x)
    if weights is None:
        return jnp.mean(x, axis=axis)
    x, weights = core.promote(x, weights)
    return jnp.average(x, axis=axis, weights=weights)


def median(x, axis=None, keepdims=False):
    return jnp.median(_float(x), axis=_axis(axis), keepdims=keepdims)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = _float(x)
    reductions.check_method("quantile", method)
    q = core.convert_to_tensor(q, x.dtype)
    return jnp.quantile(x, q, axis=_axis(axis), method=method, keepdims=keepdims)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    x = _float(x)
    reductions.check_method("percentile", method)
    q = core.convert_to_tensor(q, x.dtype)
    return jnp.percentile(x, q, axis=_axis(axis), method=method, keepdims=keepdims)


def corrcoef(x):
    return jnp.corrcoef(_float(x))


# ---------------------------------------------------------------------------- NaN-ignoring


def nansum(x, axis=None, keepdims=False):
    x = _tensor(x)
    return jnp.nansum(x, axis=_axis(axis), keepdims=keepdims, dtype=_sum_dtype(x))


def nanprod(x, axis=None, keepdims=False):
    x = _tensor(x)
    return jnp.nanprod(x, axis=_axis(axis), keepdims=keepdims, dtype=_sum_dtype(x))


def nancumsum(x, axis=None, dtype=None):
    x = _tensor(x)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return jnp.nancumsum(x, axis=axis, dtype=dtype)


def nancumprod(x, axis=None, dtype=None):
    x = _tensor(x)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return jnp.nancumprod(x, axis=axis, dtype=dtype)


def nanmax(x, axis=None, keepdims=False):
    return jnp.nanmax(_tensor(x), axis=_axis(axis), keepdims=keepdims)


def nanmin(x, axis=None, keepdims=False):
    return jnp.nanmin(_tensor(x), axis=_axis(axis), keepdims=keepdims)


def nanargmax(x, axis=None, keepdims=False):
    return jnp.nanargmax(_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


def nanargmin(x, axis=None, keepdims=False):
    return jnp.nanargmin(_tensor(x), axis=axis, keepdims=keepdims).astype("int32")


def nanmean(x, axis=None, keepdims=False):
    return jnp.nanmean(_float(x), axis=_axis(axis), keepdims=keepdims)


def nanvar(x, axis=None, keepdims=False):
    return jnp.nanvar(_float(x), axis=_axis(axis), keepdims=keepdims)


def nanstd(x, axis=None, keepdims=False):
    return jnp.nanstd(_float(x), axis=_axis(axis), keepdims=keepdims)


def nanmedian(x, axis=None, keepdims=False):
    return jnp.nanmedian(_float(x), axis=_axis(axis), keepdims=keepdims)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    x = _float(x)
    reductions.check_method("nanquantile", method)
    q = core.convert_to_tensor(q, x.dtype)
    return jnp.nanquantile(x, q, axis=_axis(axis), method=method, keepdims=keepdims)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    x = _float(x)
    reductions.check_method("nanpercentile", method)
    q = core.convert_to_tensor(q, x.dtype)
    return jnp.nanpercentile(x, q, axis=_axis(axis), method=method, keepdims=keepdims)


# ---------------------------------------------------------------------------- counting


def bincount(x, weights=None, minlength=0, sparse=False):
    reductions.check_dense("bincount", sparse)
    x = _tensor(x)
    # The output length depends on the values: eager only.
    if weights is None:
        return jnp.bincount(x, minlength=minlength).astype("int32")
    weights = _tensor(weights)
    return jnp.bincount(x, weights=weights, minlength=minlength).astype(weights.dtype)


def histogram(x, bins=10, range=None):
    x = _float(x)
    counts, edges = jnp.histogram(x, bins=bins, range=range)
    return counts.astype("int32"), edges.astype(x.dtype)

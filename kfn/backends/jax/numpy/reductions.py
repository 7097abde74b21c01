"""JAX backend: kfn.ops.numpy reductions and statistics."""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp

from kfn.backends.common import dtypes, reductions
from kfn.backends.jax import core


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
    return jnp.sum(x, axis=_axes("sum", axis, x.ndim), keepdims=keepdims, dtype=_sum_dtype(x))


def prod(x, axis=None, keepdims=False, dtype=None):
    x = _tensor(x)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return jnp.prod(x, axis=_axes("prod", axis, x.ndim), keepdims=keepdims, dtype=dtype)


def cumsum(x, axis=None, dtype=None):
    x, axis = _flat_axis("cumsum", _tensor(x), axis)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return jnp.cumsum(x, axis=axis, dtype=dtype)


def cumprod(x, axis=None, dtype=None):
    x, axis = _flat_axis("cumprod", _tensor(x), axis)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return jnp.cumprod(x, axis=axis, dtype=dtype)


def count_nonzero(x, axis=None):
    x = _tensor(x)
    return jnp.count_nonzero(x, axis=_axes("count_nonzero", axis, x.ndim)).astype(jnp.int32)


def logsumexp(x, axis=None, keepdims=False):
    x = _tensor(x)
    dtype, compute = _float_dtypes(x)
    axes = _all_axes("logsumexp", axis, x.ndim)
    return _logsumexp(x.astype(compute), axes, keepdims).astype(dtype)


# Compiled as one computation: eagerly, op by op, each of its steps would compile on its own.
@functools.partial(jax.jit, static_argnums=(1, 2))
def _logsumexp(x, axes, keepdims):
    return jax.scipy.special.logsumexp(x, axis=axes, keepdims=keepdims)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _tensor(y)
    axis = reductions.canonical_axis("trapezoid", axis, y.ndim)
    if x is None:
        dtype = dtypes.to_float(_dtype(y))
    else:
        x = _tensor(x)
        reductions.trapezoid_x_shape(y.shape, x.shape, axis)
        dtype = dtypes.result_type(_dtype(y), _dtype(x), float)
        x = x.astype(dtype)
    return jnp.trapezoid(y.astype(dtype), x=x, dx=dx, axis=axis).astype(dtype)


# ---------------------------------------------------------------------------- extrema, logic


def _extremum(name, reduce, x, axis, keepdims, initial):
    x = _tensor(x)
    axes = _all_axes(name, axis, x.ndim)
    reductions.check_nonempty(name, x.shape, axes, initial)
    if initial is not None:
        initial = jnp.asarray(initial, x.dtype)  # in x's dtype: a Python int may not fit int64
    return reduce(x, axis=axes, keepdims=keepdims, initial=initial)


def max(x, axis=None, keepdims=False, initial=None):
    return _extremum("max", jnp.max, x, axis, keepdims, initial)


def min(x, axis=None, keepdims=False, initial=None):
    return _extremum("min", jnp.min, x, axis, keepdims, initial)


def amax(x, axis=None, keepdims=False):
    return _extremum("amax", jnp.max, x, axis, keepdims, None)


def amin(x, axis=None, keepdims=False):
    return _extremum("amin", jnp.min, x, axis, keepdims, None)


def ptp(x, axis=None, keepdims=False):
    x = _tensor(x)
    if x.dtype == jnp.bool_:
        raise TypeError("kfn.ops.ptp: x must be numeric, got bool")
    axes = _all_axes("ptp", axis, x.ndim)
    reductions.check_nonempty("ptp", x.shape, axes)
    return jnp.ptp(x, axis=axes, keepdims=keepdims)


def _arg(name, fn, x, axis, keepdims):
    x = _tensor(x)
    axis, axes = reductions.arg_axis(name, axis, x.ndim)
    reductions.check_nonempty(name, x.shape, axes)
    return fn(x, axis=axis, keepdims=keepdims).astype(jnp.int32)


def argmax(x, axis=None, keepdims=False):
    return _arg("argmax", jnp.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg("argmin", jnp.argmin, x, axis, keepdims)


def all(x, axis=None, keepdims=False):
    x = _tensor(x)
    return jnp.all(x, axis=_axes("all", axis, x.ndim), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    x = _tensor(x)
    return jnp.any(x, axis=_axes("any", axis, x.ndim), keepdims=keepdims)


# ---------------------------------------------------------------------------- statistics


def _moment(name, fn, x, axis, keepdims):
    x = _tensor(x)
    dtype, compute = _float_dtypes(x)
    out = fn(x.astype(compute), axis=_axes(name, axis, x.ndim), keepdims=keepdims)
    return out.astype(dtype)


def mean(x, axis=None, keepdims=False):
    return _moment("mean", jnp.mean, x, axis, keepdims)


def var(x, axis=None, keepdims=False):
    return _moment("var", jnp.var, x, axis, keepdims)


def std(x, axis=None, keepdims=False):
    return _moment("std", jnp.std, x, axis, keepdims)


def average(x, axis=None, weights=None):
    x = _tensor(x)
    if weights is None:
        dtype = reductions.average_dtype(_dtype(x), None)
        return _moment("average", jnp.mean, x.astype(dtype), axis, False)
    weights = _tensor(weights)
    dtype = reductions.average_dtype(_dtype(x), _dtype(weights))
    layout = reductions.average_weights_shape(x.shape, weights.shape, axis)
    compute = reductions.compute_float(dtype)
    x, weights = x.astype(compute), weights.astype(compute)
    if layout is not None:
        permutation, shape = layout
        if permutation is not None:
            weights = jnp.transpose(weights, permutation)
        weights = weights.reshape(shape)
    axes = _axes("average", axis, x.ndim)
    out = jnp.sum(x * weights, axis=axes) / jnp.sum(weights, axis=axes)
    return out.astype(dtype)


def _quantile(name, x, q, axis, method, keepdims, ignore_nan, scale=1.0):
    """Quantiles by sorting, with NumPy's definitions of the methods (jnp.quantile rounds
    "nearest" differently and scales percentiles inexactly)."""
    reductions.check_method(name, method)
    reductions.check_quantiles(name, q, scale)
    x = _tensor(x)
    dtype, compute = _float_dtypes(x)
    axes = _all_axes(name, axis, x.ndim)
    reductions.check_nonempty(name, x.shape, axes)
    q = jnp.asarray(q, compute)
    out = _sorted_quantile(x.astype(compute), q / scale, axes, method, keepdims, ignore_nan)
    return out.astype(dtype)


# Compiled as one computation: eagerly, op by op, each of its steps would compile on its own.
@functools.partial(jax.jit, static_argnums=(2, 3, 4, 5))
def _sorted_quantile(x, q, axes, method, keepdims, ignore_nan):
    """The reduced axes are moved last and flattened into one; NaNs sort last."""
    kept = [d for d in range(x.ndim) if d not in axes]
    flat = jnp.transpose(x, kept + list(axes)).reshape(*[x.shape[d] for d in kept], -1)
    nan = jnp.isnan(flat)
    ordered = jnp.sort(flat, axis=-1)
    if ignore_nan:
        last = jnp.sum(~nan, axis=-1, keepdims=True) - 1
    else:
        last = jnp.asarray(flat.shape[-1] - 1)
    position = q.reshape(-1) * last.astype(x.dtype)  # [..., len(q)]
    out = _interpolate(ordered, position, last, method)
    invalid = last < 0 if ignore_nan else jnp.any(nan, axis=-1, keepdims=True)
    out = jnp.where(invalid, jnp.nan, out)
    out = out[..., 0] if q.ndim == 0 else jnp.moveaxis(out, -1, 0)
    if keepdims:
        lead = 1 if q.ndim else 0
        for d in axes:
            out = jnp.expand_dims(out, lead + d)
    return out


def _interpolate(ordered, position, last, method):
    """The values at fractional `position`s of the sorted last axis, as NumPy's `method`."""
    if method == "nearest":
        below = above = jnp.round(position)  # half to even, as NumPy
    else:
        below, above = jnp.floor(position), jnp.ceil(position)
        if method == "lower":
            above = below
        elif method == "higher":
            below = above
    shape = ordered.shape[:-1] + position.shape[-1:]

    def at(index):
        index = jnp.minimum(jnp.maximum(index.astype(jnp.int32), 0), jnp.maximum(last, 0))
        return jnp.take_along_axis(ordered, jnp.broadcast_to(index, shape), axis=-1)

    low, high = at(below), at(above)
    if method in ("lower", "higher", "nearest"):
        return low
    fraction = position - below if method == "linear" else jnp.full_like(position, 0.5)
    fraction = jnp.where(below == above, 0, fraction)
    # NumPy's _lerp: exact at both ends.
    difference = high - low
    return jnp.where(
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
        raise ValueError(f"kfn.ops.corrcoef: x must be 1-D or 2-D, got shape {x.shape}")
    dtype, compute = _float_dtypes(x)
    return jnp.corrcoef(x.astype(compute)).astype(dtype)


# ---------------------------------------------------------------------------- NaN-ignoring


def nansum(x, axis=None, keepdims=False):
    x = _tensor(x)
    return jnp.nansum(x, axis=_axes("nansum", axis, x.ndim), keepdims=keepdims, dtype=_sum_dtype(x))


def nanprod(x, axis=None, keepdims=False):
    x = _tensor(x)
    return jnp.nanprod(
        x, axis=_axes("nanprod", axis, x.ndim), keepdims=keepdims, dtype=_sum_dtype(x)
    )


def nancumsum(x, axis=None, dtype=None):
    x, axis = _flat_axis("nancumsum", _tensor(x), axis)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return jnp.nancumsum(x, axis=axis, dtype=dtype)


def nancumprod(x, axis=None, dtype=None):
    x, axis = _flat_axis("nancumprod", _tensor(x), axis)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    return jnp.nancumprod(x, axis=axis, dtype=dtype)


def _nan_extremum(name, reduce, x, axis, keepdims):
    x = _tensor(x)
    axes = _all_axes(name, axis, x.ndim)
    reductions.check_nonempty(name, x.shape, axes)
    return reduce(x, axis=axes, keepdims=keepdims)


def nanmax(x, axis=None, keepdims=False):
    return _nan_extremum("nanmax", jnp.nanmax, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    return _nan_extremum("nanmin", jnp.nanmin, x, axis, keepdims)


def _nan_arg(name, fn, x, axis, keepdims):
    # jnp gives -1 for all-NaN slices (as Keras) rather than NumPy's error.
    return _arg(name, fn, x, axis, keepdims)


def nanargmax(x, axis=None, keepdims=False):
    return _nan_arg("nanargmax", jnp.nanargmax, x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    return _nan_arg("nanargmin", jnp.nanargmin, x, axis, keepdims)


def nanmean(x, axis=None, keepdims=False):
    return _moment("nanmean", jnp.nanmean, x, axis, keepdims)


def nanvar(x, axis=None, keepdims=False):
    return _moment("nanvar", jnp.nanvar, x, axis, keepdims)


def nanstd(x, axis=None, keepdims=False):
    return _moment("nanstd", jnp.nanstd, x, axis, keepdims)


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
    values = x.astype(jnp.int64)
    # The output length depends on the values: read on the host, so eager only.
    low, high = (int(values.min()), int(values.max())) if values.size else (None, None)
    length = reductions.bincount_length("bincount", low, high, minlength)
    rows = 1 if x.ndim == 1 else x.shape[0]
    # One count per row: row r counts into [r * length, (r + 1) * length).
    offsets = jnp.arange(rows, dtype=jnp.int64).reshape((-1,) + (1,) * (x.ndim - 1)) * length
    flat = (values + offsets).reshape(-1)
    if weights is None:
        add, compute = 1, "int32"
    else:
        compute = "int32" if dtype == "bool" else dtype
        add = weights.reshape(-1).astype(compute)
    counts = jnp.zeros(rows * length, compute).at[flat].add(add)
    return counts.reshape(x.shape[:-1] + (length,)).astype(dtype)


def histogram(x, bins=10, range=None):
    bins, range = reductions.histogram_arguments(bins, range)
    x = _tensor(x)
    dtype = dtypes.to_float(_dtype(x))
    x = x.reshape(-1).astype(dtype)
    if range is not None or x.size == 0:
        edges = jnp.asarray(reductions.histogram_edges(bins, range or (0.0, 1.0), dtype))
    else:
        edges = _data_edges(x, bins)
    return _bin_counts(x, edges), edges


@functools.partial(jax.jit, static_argnums=1)
def _data_edges(x, bins):
    low, high = jnp.min(x), jnp.max(x)
    equal = low == high
    low, high = jnp.where(equal, low - 0.5, low), jnp.where(equal, high + 0.5, high)
    # As np.linspace between data-derived edges: computed in x's dtype.
    edges = jnp.arange(bins + 1, dtype=x.dtype) * ((high - low) / bins) + low
    return edges.at[-1].set(high)


@jax.jit
def _bin_counts(x, edges):
    bins = edges.shape[0] - 1
    first, last = edges[0], edges[-1]
    inside = (x >= first) & (x <= last)
    # NumPy's binning: an estimate from the bin width, corrected against the edges.
    estimate = jnp.where(inside, (x - first) / (last - first) * bins, 0)
    index = jnp.clip(estimate.astype(jnp.int32), 0, bins - 1)
    index = index - (x < edges[index])
    index = index + ((x >= edges[index + 1]) & (index != bins - 1))
    return jnp.zeros(bins, jnp.int32).at[jnp.clip(index, 0, bins - 1)].add(inside)

"""TensorFlow backend: kfn.ops.numpy reductions and statistics.

TensorFlow reductions lack kernels for some integer types and do not propagate NaN through
max/min; both are handled here. Quantiles are computed by sorting.
"""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf

from kfn.backends.common import dtypes, reductions
from kfn.backends.tensorflow import core

_FLOATS = frozenset((tf.bfloat16, tf.float16, tf.float32, tf.float64))
# Integer types many TensorFlow reduction kernels lack: reduce in int64 and cast back.
_NARROW_KERNELS = frozenset((tf.int8, tf.int16, tf.uint8, tf.uint16, tf.uint32, tf.uint64, tf.bool))


def _tensor(x):
    return core.convert_to_tensor(x)


def _axis(axis, ndim):
    """`axis` for TF: None stays None (all axes), anything else a normalized list."""
    if axis is None:
        return None
    return list(reductions.normalize_axes(axis, ndim))


def _wide(x):
    return tf.cast(x, tf.int64) if x.dtype in _NARROW_KERNELS else x


def _float(x):
    x = _tensor(x)
    target = dtypes.to_float(dtypes.standardize_dtype(x.dtype))
    return tf.cast(x, core.to_native_dtype(target))


def _accurate(x):
    """Half-precision floats computed in float32 (as NumPy accumulates them)."""
    return tf.cast(x, tf.float32) if x.dtype in (tf.float16, tf.bfloat16) else x


def _sum_dtype(x):
    return core.to_native_dtype(reductions.sum_dtype(dtypes.standardize_dtype(x.dtype)))


def _flat_axis(x, axis):
    if axis is None:
        return tf.reshape(x, [-1]), 0
    return x, axis


def _any_nan(x, axis, keepdims):
    return tf.reduce_any(tf.math.is_nan(x), axis=_axis(axis, x.shape.rank), keepdims=keepdims)


# ---------------------------------------------------------------------------- sums, products


def sum(x, axis=None, keepdims=False):
    x = _tensor(x)
    dtype = _sum_dtype(x)
    out = tf.reduce_sum(
        _wide(tf.cast(x, dtype) if x.dtype == tf.bool else x),
        axis=_axis(axis, x.shape.rank),
        keepdims=keepdims,
    )
    return tf.cast(out, dtype)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = _tensor(x)
    dtype = _sum_dtype(x) if dtype is None else core.to_native_dtype(dtype)
    out = tf.reduce_prod(
        _wide(tf.cast(x, dtype)), axis=_axis(axis, x.shape.rank), keepdims=keepdims
    )
    return tf.cast(out, dtype)


def cumsum(x, axis=None, dtype=None):
    x, axis = _flat_axis(_tensor(x), axis)
    dtype = _sum_dtype(x) if dtype is None else core.to_native_dtype(dtype)
    return tf.cast(tf.cumsum(_wide(tf.cast(x, dtype)), axis=axis), dtype)


def cumprod(x, axis=None, dtype=None):
    x, axis = _flat_axis(_tensor(x), axis)
    dtype = _sum_dtype(x) if dtype is None else core.to_native_dtype(dtype)
    return tf.cast(tf.math.cumprod(_wide(tf.cast(x, dtype)), axis=axis), dtype)


def count_nonzero(x, axis=None):
    x = _tensor(x)
    return tf.cast(tf.math.count_nonzero(_wide(x), axis=_axis(axis, x.shape.rank)), tf.int32)


def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    return tf.reduce_logsumexp(x, axis=_axis(axis, x.shape.rank), keepdims=keepdims)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _float(y)
    axis = axis % y.shape.rank
    y = tf.experimental.numpy.moveaxis(y, axis, -1)
    heights = (y[..., 1:] + y[..., :-1]) / 2
    if x is None:
        return tf.reduce_sum(heights, axis=-1) * tf.cast(dx, y.dtype)
    x = tf.cast(_float(x), y.dtype)
    if x.shape.rank > 1:
        x = tf.experimental.numpy.moveaxis(x, axis, -1)
    return tf.reduce_sum(heights * (x[..., 1:] - x[..., :-1]), axis=-1)


# ---------------------------------------------------------------------------- extrema, logic


def _extremum(reduce, combine, name, x, axis, keepdims, initial):
    x = _tensor(x)
    reductions.check_nonempty(name, x.shape, axis, initial)
    dtype = x.dtype
    wide = _wide(x)
    if initial is not None and x.shape.num_elements() == 0:
        # Only reachable with `initial`: an empty reduction is the initial value.
        shape = tf.reduce_sum(
            tf.zeros(x.shape), axis=_axis(axis, x.shape.rank), keepdims=keepdims
        ).shape
        return tf.cast(tf.fill(shape, core.cast(initial, wide.dtype)), dtype)
    out = reduce(wide, axis=_axis(axis, x.shape.rank), keepdims=keepdims)
    if dtype in _FLOATS:
        out = tf.where(_any_nan(x, axis, keepdims), tf.constant(math.nan, dtype), out)
    if initial is not None:
        out = combine(out, core.cast(initial, out.dtype))
    return tf.cast(out, dtype)


def max(x, axis=None, keepdims=False, initial=None):
    return _extremum(tf.reduce_max, tf.maximum, "max", x, axis, keepdims, initial)


def min(x, axis=None, keepdims=False, initial=None):
    return _extremum(tf.reduce_min, tf.minimum, "min", x, axis, keepdims, initial)


def amax(x, axis=None, keepdims=False):
    return max(x, axis=axis, keepdims=keepdims)


def amin(x, axis=None, keepdims=False):
    return min(x, axis=axis, keepdims=keepdims)


def ptp(x, axis=None, keepdims=False):
    x = _tensor(x)
    high = _wide(max(x, axis=axis, keepdims=keepdims))
    low = _wide(min(x, axis=axis, keepdims=keepdims))
    return tf.cast(high - low, x.dtype)


def _arg(fn, x, axis, keepdims):
    x = _wide(_tensor(x))
    if axis is None:
        out = fn(tf.reshape(x, [-1]), axis=0, output_type=tf.int32)
        return tf.reshape(out, [1] * x.shape.rank) if keepdims else out
    out = fn(x, axis=axis, output_type=tf.int32)
    return tf.expand_dims(out, axis) if keepdims else out


def argmax(x, axis=None, keepdims=False):
    return _arg(tf.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg(tf.argmin, x, axis, keepdims)


def _truth(x):
    return x if x.dtype == tf.bool else tf.not_equal(x, tf.zeros_like(x))


def all(x, axis=None, keepdims=False):
    x = _tensor(x)
    return tf.reduce_all(_truth(x), axis=_axis(axis, x.shape.rank), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    x = _tensor(x)
    return tf.reduce_any(_truth(x), axis=_axis(axis, x.shape.rank), keepdims=keepdims)


# ---------------------------------------------------------------------------- statistics


def mean(x, axis=None, keepdims=False):
    x = _float(x)
    out = tf.reduce_mean(_accurate(x), axis=_axis(axis, x.shape.rank), keepdims=keepdims)
    return tf.cast(out, x.dtype)


def var(x, axis=None, keepdims=False):
    x = _float(x)
    out = tf.math.reduce_variance(_accurate(x), axis=_axis(axis, x.shape.rank), keepdims=keepdims)
    return tf.cast(out, x.dtype)


def std(x, axis=None, keepdims=False):
    x = _float(x)
    out = tf.math.reduce_std(_accurate(x), axis=_axis(axis, x.shape.rank), keepdims=keepdims)
    return tf.cast(out, x.dtype)


def average(x, axis=None, weights=None):
    x = _float(x)
    if weights is None:
        return mean(x, axis=axis)
    x, weights = core.promote(x, weights)
    if weights.shape.rank == 1 and x.shape.rank > 1 and axis is not None:
        # 1-D weights apply along `axis`.
        shape = [1] * x.shape.rank
        shape[axis] = weights.shape[0]
        weights = tf.reshape(weights, shape)
    weights = tf.broadcast_to(weights, tf.shape(x))
    axes = _axis(axis, x.shape.rank)
    return tf.reduce_sum(x * weights, axis=axes) / tf.reduce_sum(weights, axis=axes)


def _quantile(x, q, axis, method, keepdims, ignore_nan):
    """Quantiles by sorting: the reduced axes are moved last and flattened into one."""
    x = _float(x)
    dtype = x.dtype
    x = tf.cast(x, tf.float64) if dtype == tf.float64 else tf.cast(x, tf.float32)
    q = tf.cast(core.convert_to_tensor(q), x.dtype)
    rank = x.shape.rank
    dims = list(reductions.normalize_axes(axis, rank))
    kept = [d for d in range(rank) if d not in dims]
    moved = tf.transpose(x, kept + dims)
    kept_shape = [x.shape[d] for d in kept]
    flat = tf.reshape(moved, kept_shape + [-1])
    nan = tf.math.is_nan(flat)
    flat_sorted = tf.sort(tf.where(nan, tf.constant(np.inf, x.dtype), flat), axis=-1)
    size = tf.shape(flat)[-1]
    if ignore_nan:
        count = tf.reduce_sum(tf.cast(~nan, tf.int32), axis=-1, keepdims=True)
    else:
        count = tf.fill(tf.concat([tf.shape(flat)[:-1], [1]], 0), size)
    last = tf.cast(tf.maximum(count - 1, 0), x.dtype)
    q_vector = tf.reshape(q, [-1])
    position = q_vector * last  # [..., Q]
    low = tf.floor(position)
    high = tf.math.ceil(position)
    if method == "lower":
        high = low
    elif method == "higher":
        low = high
    elif method == "nearest":
        low = high = tf.round(position)

    def at(index):
        index = tf.clip_by_value(tf.cast(index, tf.int32), 0, tf.maximum(size - 1, 0))
        return tf.gather(flat_sorted, index, batch_dims=len(kept_shape))

    low_value, high_value = at(low), at(high)
    if method == "linear":
        out = low_value + (high_value - low_value) * (position - low)
    elif method == "midpoint":
        out = (low_value + high_value) / 2
    else:
        out = low_value
    invalid = tf.equal(count, 0) if ignore_nan else tf.reduce_any(nan, axis=-1, keepdims=True)
    out = tf.where(invalid, tf.constant(math.nan, x.dtype), out)
    if q.shape.rank == 0:
        out = out[..., 0]
    else:
        out = tf.experimental.numpy.moveaxis(out, -1, 0)
    if keepdims:
        lead = 1 if q.shape.rank else 0
        for d in dims:
            out = tf.expand_dims(out, lead + d)
    return tf.cast(out, dtype)


def median(x, axis=None, keepdims=False):
    return _quantile(x, 0.5, axis, "linear", keepdims, ignore_nan=False)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    reductions.check_method("quantile", method)
    return _quantile(x, q, axis, method, keepdims, ignore_nan=False)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    reductions.check_method("percentile", method)
    return _quantile(x, core.convert_to_tensor(q) / 100, axis, method, keepdims, ignore_nan=False)


def corrcoef(x):
    x = _float(x)
    compute = _accurate(x)
    centered = compute - tf.reduce_mean(compute, axis=1, keepdims=True)
    covariance = tf.matmul(centered, centered, transpose_b=True)
    scale = tf.sqrt(tf.linalg.diag_part(covariance))
    out = covariance / (scale[:, None] * scale[None, :])
    return tf.cast(tf.clip_by_value(out, -1.0, 1.0), x.dtype)


# ---------------------------------------------------------------------------- NaN-ignoring


def _without_nan(x, fill):
    if x.dtype not in _FLOATS:
        return x
    return tf.where(tf.math.is_nan(x), core.cast(fill, x.dtype), x)


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
    nan = tf.math.is_nan(x)
    out = reduce(_without_nan(x, fill), axis=axis, keepdims=keepdims)
    all_nan = tf.reduce_all(nan, axis=_axis(axis, x.shape.rank), keepdims=keepdims)
    return tf.where(all_nan, tf.constant(math.nan, x.dtype), out)


def nanmax(x, axis=None, keepdims=False):
    return _nan_extremum(max, -math.inf, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    return _nan_extremum(min, math.inf, x, axis, keepdims)


def _nan_arg(fn, fill, x, axis, keepdims):
    x = _tensor(x)
    if x.dtype not in _FLOATS:
        return fn(x, axis=axis, keepdims=keepdims)
    nan = tf.math.is_nan(x)
    index = fn(_without_nan(x, fill), axis=axis, keepdims=keepdims)
    all_nan = all(nan, axis=axis, keepdims=keepdims)
    return tf.where(all_nan, tf.constant(-1, tf.int32), index)


def nanargmax(x, axis=None, keepdims=False):
    return _nan_arg(argmax, -math.inf, x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    return _nan_arg(argmin, math.inf, x, axis, keepdims)


def nanmean(x, axis=None, keepdims=False):
    x = _float(x)
    compute = _accurate(x)
    axes = _axis(axis, x.shape.rank)
    total = tf.reduce_sum(_without_nan(compute, 0.0), axis=axes, keepdims=keepdims)
    count = tf.reduce_sum(
        tf.cast(~tf.math.is_nan(compute), compute.dtype), axis=axes, keepdims=keepdims
    )
    return tf.cast(total / count, x.dtype)


def nanvar(x, axis=None, keepdims=False):
    x = _float(x)
    compute = _accurate(x)
    centered = compute - nanmean(compute, axis=axis, keepdims=True)
    return tf.cast(nanmean(centered * centered, axis=axis, keepdims=keepdims), x.dtype)


def nanstd(x, axis=None, keepdims=False):
    return tf.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


def nanmedian(x, axis=None, keepdims=False):
    return _quantile(x, 0.5, axis, "linear", keepdims, ignore_nan=True)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    reductions.check_method("nanquantile", method)
    return _quantile(x, q, axis, method, keepdims, ignore_nan=True)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    reductions.check_method("nanpercentile", method)
    return _quantile(x, core.convert_to_tensor(q) / 100, axis, method, keepdims, ignore_nan=True)


# ---------------------------------------------------------------------------- counting


def bincount(x, weights=None, minlength=0, sparse=False):
    reductions.check_dense("bincount", sparse)
    x = tf.cast(_tensor(x), tf.int32)
    if weights is None:
        return tf.math.bincount(x, minlength=minlength, dtype=tf.int32)
    weights = _tensor(weights)
    return tf.math.bincount(x, weights=weights, minlength=minlength, dtype=weights.dtype)


def histogram(x, bins=10, range=None):
    x = _float(x)
    compute = tf.reshape(tf.cast(x, tf.float64), [-1])
    if range is None:
        # The range of the data: a value-dependent, eager computation.
        low, high = (
            (float(tf.reduce_min(compute)), float(tf.reduce_max(compute)))
            if compute.shape[0]
            else (0.0, 1.0)
        )
    else:
        low, high = (float(v) for v in range)
    if low == high:  # as NumPy: an empty range is widened by one around its value
        low, high = low - 0.5, high + 0.5
    inside = tf.boolean_mask(compute, (compute >= low) & (compute <= high))
    counts = tf.histogram_fixed_width(inside, [low, high], nbins=bins, dtype=tf.int32)
    edges = tf.linspace(tf.constant(low, tf.float64), high, bins + 1)
    return counts, tf.cast(edges, x.dtype)

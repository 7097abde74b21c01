"""TensorFlow backend: kfn.ops.numpy reductions and statistics.

TensorFlow does not promote dtypes and lacks kernels for bool and some narrow integer types
(more of them on GPU): those are computed in int64 and cast back. Everything here traces
under `tf.function`, including shapes unknown until run time, except where noted.
"""

from __future__ import annotations

import math

import tensorflow as tf

from kfn.backends.common import dtypes, reductions
from kfn.backends.tensorflow import core

_FLOATS = frozenset((tf.bfloat16, tf.float16, tf.float32, tf.float64))
# Types that some reduction kernels lack: reduced in int64 and cast back.
_NARROW = frozenset((tf.bool, tf.int8, tf.int16, tf.uint8, tf.uint16, tf.uint32, tf.uint64))
_TOP_BIT = tf.int64.min


def _tensor(x):
    return core.convert_to_tensor(x)


def _dtype(x) -> str:
    return dtypes.standardize_dtype(x.dtype)


def _native(dtype):
    return core.to_native_dtype(dtype)


def _shape(x) -> tuple:
    return tuple(x.shape.as_list())


def _axes(name, axis, rank):
    """`axis` for TF: None stays None (all axes), anything else a normalized list."""
    return None if axis is None else list(reductions.normalize_axes(name, axis, rank))


def _wide(x):
    return tf.cast(x, tf.int64) if x.dtype in _NARROW else x


def _ordered(x):
    """x as a tensor TensorFlow compares in the same order: uint64 with its top bit flipped
    (as int64), other narrow types widened to int64."""
    if x.dtype == tf.uint64:
        return tf.bitwise.bitwise_xor(tf.bitcast(x, tf.int64), _TOP_BIT)
    return _wide(x)


def _unordered(x, dtype):
    """The inverse of `_ordered`."""
    if dtype == tf.uint64:
        return tf.bitcast(tf.bitwise.bitwise_xor(x, _TOP_BIT), tf.uint64)
    return tf.cast(x, dtype)


def _sum_dtype(x):
    return _native(reductions.sum_dtype(_dtype(x)))


def _float(x):
    """(x in its compute dtype, result dtype): floatx for ints, computed in float32 for halves."""
    dtype = dtypes.to_float(_dtype(x))
    return tf.cast(x, _native(reductions.compute_float(dtype))), _native(dtype)


def _flat_axis(name, x, axis):
    if axis is None:
        return tf.reshape(x, [-1]), 0
    return x, reductions.canonical_axis(name, axis, x.shape.rank)


def _truth(x):
    return x if x.dtype == tf.bool else tf.not_equal(x, tf.zeros_like(x))


def _moveaxis(x, source, destination):
    return tf.experimental.numpy.moveaxis(x, source, destination)


# ---------------------------------------------------------------------------- sums, products


def _sum(name, x, axis, keepdims):
    dtype = _sum_dtype(x)
    compute = tf.int64 if dtype in _NARROW else dtype
    out = tf.reduce_sum(
        tf.cast(x, compute), axis=_axes(name, axis, x.shape.rank), keepdims=keepdims
    )
    return tf.cast(out, dtype)


def sum(x, axis=None, keepdims=False):
    return _sum("sum", _tensor(x), axis, keepdims)


def _prod(name, x, axis, keepdims, dtype):
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    compute = tf.int64 if dtype in _NARROW else dtype
    out = tf.reduce_prod(
        tf.cast(x, compute), axis=_axes(name, axis, x.shape.rank), keepdims=keepdims
    )
    return tf.cast(out, dtype)


def prod(x, axis=None, keepdims=False, dtype=None):
    return _prod("prod", _tensor(x), axis, keepdims, dtype)


def _cumulative(name, fn, x, axis, dtype):
    x, axis = _flat_axis(name, x, axis)
    dtype = _sum_dtype(x) if dtype is None else _native(dtype)
    compute = tf.int64 if dtype in _NARROW else dtype
    return tf.cast(fn(tf.cast(x, compute), axis=axis), dtype)


def cumsum(x, axis=None, dtype=None):
    return _cumulative("cumsum", tf.cumsum, _tensor(x), axis, dtype)


def cumprod(x, axis=None, dtype=None):
    return _cumulative("cumprod", tf.math.cumprod, _tensor(x), axis, dtype)


def count_nonzero(x, axis=None):
    x = _tensor(x)
    axes = _axes("count_nonzero", axis, x.shape.rank)
    return tf.reduce_sum(tf.cast(_truth(x), tf.int32), axis=axes)


def logsumexp(x, axis=None, keepdims=False):
    x, dtype = _float(_tensor(x))
    axes = _axes("logsumexp", axis, x.shape.rank)
    return tf.cast(tf.reduce_logsumexp(x, axis=axes, keepdims=keepdims), dtype)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _tensor(y)
    axis = reductions.canonical_axis("trapezoid", axis, y.shape.rank)
    if x is None:
        dtype = _native(dtypes.to_float(_dtype(y)))
    else:
        x = _tensor(x)
        reductions.trapezoid_x_shape(_shape(y), _shape(x), axis)
        dtype = _native(dtypes.result_type(_dtype(y), _dtype(x), float))
    y = _moveaxis(tf.cast(y, dtype), axis, -1)
    heights = (y[..., 1:] + y[..., :-1]) / 2
    if x is None:
        return tf.reduce_sum(heights, axis=-1) * tf.cast(dx, dtype)
    x = tf.cast(x, dtype)
    if x.shape.rank > 1:
        x = _moveaxis(x, axis, -1)
    return tf.reduce_sum(heights * (x[..., 1:] - x[..., :-1]), axis=-1)


# ---------------------------------------------------------------------------- extrema, logic


def _extremum(name, reduce, combine, x, axis, keepdims, initial):
    x = _tensor(x)
    axes = _axes(name, axis, x.shape.rank)
    reductions.check_nonempty(
        name, _shape(x), range(x.shape.rank) if axes is None else axes, initial
    )
    # An empty reduction gives the identity (-inf, the lowest int), which `initial` replaces.
    # TensorFlow's max and min propagate NaN, as NumPy's do.
    out = reduce(_ordered(x), axis=axes, keepdims=keepdims)
    if initial is not None:
        out = combine(out, _ordered(tf.constant(initial, x.dtype)))
    return _unordered(out, x.dtype)


def max(x, axis=None, keepdims=False, initial=None):
    return _extremum("max", tf.reduce_max, tf.maximum, x, axis, keepdims, initial)


def min(x, axis=None, keepdims=False, initial=None):
    return _extremum("min", tf.reduce_min, tf.minimum, x, axis, keepdims, initial)


def amax(x, axis=None, keepdims=False):
    return _extremum("amax", tf.reduce_max, tf.maximum, x, axis, keepdims, None)


def amin(x, axis=None, keepdims=False):
    return _extremum("amin", tf.reduce_min, tf.minimum, x, axis, keepdims, None)


def ptp(x, axis=None, keepdims=False):
    x = _tensor(x)
    if x.dtype == tf.bool:
        raise TypeError("kfn.ops.ptp: x must be numeric, got bool")
    high = _extremum("ptp", tf.reduce_max, tf.maximum, x, axis, keepdims, None)
    low = _extremum("ptp", tf.reduce_min, tf.minimum, x, axis, keepdims, None)
    # The difference wraps around as NumPy's does (uint64 through int64's bits).
    if x.dtype == tf.uint64:
        return tf.bitcast(tf.bitcast(high, tf.int64) - tf.bitcast(low, tf.int64), tf.uint64)
    return tf.cast(_wide(high) - _wide(low), x.dtype)


def _arg(name, fn, x, axis, keepdims):
    x = _tensor(x)
    rank = x.shape.rank
    if axis is None:
        reductions.check_nonempty(name, _shape(x), range(rank))
        out = _arg(name, fn, tf.reshape(x, [-1]), 0, False)
        return tf.reshape(out, [1] * rank) if keepdims else out
    axis = reductions.canonical_axis(name, axis, rank)
    reductions.check_nonempty(name, _shape(x), (axis,))
    out = fn(_ordered(x), axis=axis, output_type=tf.int32)
    if x.dtype in _FLOATS:
        # NumPy's (and torch's, JAX's) argmax and argmin stop at the first NaN.
        nan = tf.math.is_nan(x)
        first_nan = tf.argmax(nan, axis=axis, output_type=tf.int32)
        out = tf.where(tf.reduce_any(nan, axis=axis), first_nan, out)
    return tf.expand_dims(out, axis) if keepdims else out


def argmax(x, axis=None, keepdims=False):
    return _arg("argmax", tf.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg("argmin", tf.argmin, x, axis, keepdims)


def all(x, axis=None, keepdims=False):
    x = _tensor(x)
    axes = _axes("all", axis, x.shape.rank)
    return tf.reduce_all(_truth(x), axis=axes, keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    x = _tensor(x)
    axes = _axes("any", axis, x.shape.rank)
    return tf.reduce_any(_truth(x), axis=axes, keepdims=keepdims)


# ---------------------------------------------------------------------------- statistics


def _moment(name, fn, x, axis, keepdims):
    x, dtype = _float(_tensor(x))
    return tf.cast(fn(x, axis=_axes(name, axis, x.shape.rank), keepdims=keepdims), dtype)


def mean(x, axis=None, keepdims=False):
    return _moment("mean", tf.reduce_mean, x, axis, keepdims)


def var(x, axis=None, keepdims=False):
    return _moment("var", tf.math.reduce_variance, x, axis, keepdims)


def std(x, axis=None, keepdims=False):
    return _moment("std", tf.math.reduce_std, x, axis, keepdims)


def average(x, axis=None, weights=None):
    x = _tensor(x)
    if weights is None:
        dtype = reductions.average_dtype(_dtype(x), None)
        return _moment("average", tf.reduce_mean, tf.cast(x, dtype), axis, False)
    weights = _tensor(weights)
    dtype = _native(reductions.average_dtype(_dtype(x), _dtype(weights)))
    layout = reductions.average_weights_shape(_shape(x), _shape(weights), axis)
    compute = _native(reductions.compute_float(dtypes.standardize_dtype(dtype)))
    x, weights = tf.cast(x, compute), tf.cast(weights, compute)
    if layout is not None:
        permutation, shape = layout
        if permutation is not None:
            weights = tf.transpose(weights, permutation)
        weights = tf.reshape(weights, shape)
    axes = _axes("average", axis, x.shape.rank)
    out = tf.reduce_sum(x * weights, axis=axes) / tf.reduce_sum(weights, axis=axes)
    return tf.cast(out, dtype)


def _quantile(name, x, q, axis, method, keepdims, ignore_nan, scale=1.0):
    """Quantiles by sorting, with NumPy's definitions of the methods. The reduced axes are
    moved last and flattened into one."""
    reductions.check_method(name, method)
    reductions.check_quantiles(name, q, scale)
    x, dtype = _float(_tensor(x))
    rank = x.shape.rank
    dims = list(reductions.normalize_axes(name, axis, rank))
    reductions.check_nonempty(name, _shape(x), dims)
    q = tf.cast(_tensor(q), x.dtype)
    q = q / scale if scale != 1.0 else q
    kept = [d for d in range(rank) if d not in dims]
    shape = tf.shape(x)
    kept_shape = [shape[d] if x.shape[d] is None else x.shape[d] for d in kept]
    flat = tf.reshape(tf.transpose(x, kept + dims), kept_shape + [-1])
    nan = tf.math.is_nan(flat)
    # NaNs sort last: sorted as +inf (the values before them are what is read).
    ordered = tf.sort(tf.where(nan, tf.constant(math.inf, x.dtype), flat), axis=-1)
    size = tf.shape(flat)[-1]
    if ignore_nan:
        last = tf.reduce_sum(tf.cast(~nan, tf.int32), axis=-1, keepdims=True) - 1
    else:
        last = size - 1
    position = tf.reshape(q, [-1]) * tf.cast(last, x.dtype)  # [..., len(q)]
    out = _interpolate(ordered, position, last, method)
    invalid = last < 0 if ignore_nan else tf.reduce_any(nan, axis=-1, keepdims=True)
    out = tf.where(invalid, tf.constant(math.nan, x.dtype), out)
    out = out[..., 0] if q.shape.rank == 0 else _moveaxis(out, -1, 0)
    if keepdims:
        lead = 1 if q.shape.rank else 0
        for d in dims:
            out = tf.expand_dims(out, lead + d)
    return tf.cast(out, dtype)


def _interpolate(ordered, position, last, method):
    """The values at fractional `position`s of the sorted last axis, as NumPy's `method`."""
    if method == "nearest":
        below = above = tf.round(position)  # half to even, as NumPy
    else:
        below, above = tf.floor(position), tf.math.ceil(position)
        if method == "lower":
            above = below
        elif method == "higher":
            below = above
    batch = tf.concat([tf.shape(ordered)[:-1], tf.shape(position)[-1:]], 0)

    def at(index):
        index = tf.minimum(tf.maximum(tf.cast(index, tf.int32), 0), tf.maximum(last, 0))
        return tf.gather(ordered, tf.broadcast_to(index, batch), batch_dims=ordered.shape.rank - 1)

    low, high = at(below), at(above)
    if method in ("lower", "higher", "nearest"):
        return low
    if method == "linear":
        fraction = position - below
    else:
        fraction = tf.fill(tf.shape(position), tf.constant(0.5, position.dtype))
    fraction = tf.where(below == above, tf.zeros_like(fraction), fraction)
    # NumPy's _lerp: exact at both ends.
    difference = high - low
    return tf.where(
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
    if x.shape.rank not in (1, 2):
        raise ValueError(f"kfn.ops.corrcoef: x must be 1-D or 2-D, got shape {_shape(x)}")
    x, dtype = _float(x)
    rows = x if x.shape.rank == 2 else x[None]
    centered = rows - tf.reduce_mean(rows, axis=1, keepdims=True)
    covariance = tf.matmul(centered, centered, transpose_b=True)
    variance = tf.linalg.diag_part(covariance)
    # sqrt(v_i * v_j) rather than sqrt(v_i) * sqrt(v_j): exactly 1 on the diagonal.
    out = covariance / tf.sqrt(variance[:, None] * variance[None, :])
    out = tf.clip_by_value(out, -1.0, 1.0)
    return tf.cast(out if x.shape.rank == 2 else out[0, 0], dtype)


# ---------------------------------------------------------------------------- NaN-ignoring


def _without_nan(x, fill):
    if x.dtype not in _FLOATS:
        return x
    return tf.where(tf.math.is_nan(x), tf.cast(fill, x.dtype), x)


def nansum(x, axis=None, keepdims=False):
    return _sum("nansum", _without_nan(_tensor(x), 0.0), axis, keepdims)


def nanprod(x, axis=None, keepdims=False):
    return _prod("nanprod", _without_nan(_tensor(x), 1.0), axis, keepdims, None)


def nancumsum(x, axis=None, dtype=None):
    return _cumulative("nancumsum", tf.cumsum, _without_nan(_tensor(x), 0.0), axis, dtype)


def nancumprod(x, axis=None, dtype=None):
    return _cumulative("nancumprod", tf.math.cumprod, _without_nan(_tensor(x), 1.0), axis, dtype)


def _nan_extremum(name, reduce, combine, fill, x, axis, keepdims):
    x = _tensor(x)
    if x.dtype not in _FLOATS:
        return _extremum(name, reduce, combine, x, axis, keepdims, None)
    nan = tf.math.is_nan(x)
    out = _extremum(name, reduce, combine, _without_nan(x, fill), axis, keepdims, None)
    all_nan = tf.reduce_all(nan, axis=_axes(name, axis, x.shape.rank), keepdims=keepdims)
    return tf.where(all_nan, tf.constant(math.nan, x.dtype), out)


def nanmax(x, axis=None, keepdims=False):
    return _nan_extremum("nanmax", tf.reduce_max, tf.maximum, -math.inf, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    return _nan_extremum("nanmin", tf.reduce_min, tf.minimum, math.inf, x, axis, keepdims)


def _nan_arg(name, fn, fill, x, axis, keepdims):
    # NaNs never win; an all-NaN slice gives -1 (as Keras) rather than NumPy's error.
    x = _tensor(x)
    if x.dtype not in _FLOATS:
        return _arg(name, fn, x, axis, keepdims)
    nan = tf.math.is_nan(x)
    index = _arg(name, fn, _without_nan(x, fill), axis, keepdims)
    if axis is None:
        all_nan = tf.reduce_all(nan, keepdims=keepdims)
    else:
        all_nan = tf.reduce_all(nan, axis=axis, keepdims=keepdims)
    return tf.where(all_nan, tf.constant(-1, tf.int32), index)


def nanargmax(x, axis=None, keepdims=False):
    return _nan_arg("nanargmax", tf.argmax, -math.inf, x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    return _nan_arg("nanargmin", tf.argmin, math.inf, x, axis, keepdims)


def _nan_mean(name, x, axis, keepdims):
    """The mean of the non-NaN values of a float x (in its compute dtype)."""
    axes = _axes(name, axis, x.shape.rank)
    present = ~tf.math.is_nan(x)
    total = tf.reduce_sum(tf.where(present, x, tf.zeros_like(x)), axis=axes, keepdims=keepdims)
    return total / tf.reduce_sum(tf.cast(present, x.dtype), axis=axes, keepdims=keepdims)


def _nan_var(name, x, axis, keepdims):
    centered = x - _nan_mean(name, x, axis, keepdims=True)
    return _nan_mean(name, centered * centered, axis, keepdims)


def nanmean(x, axis=None, keepdims=False):
    x, dtype = _float(_tensor(x))
    return tf.cast(_nan_mean("nanmean", x, axis, keepdims), dtype)


def nanvar(x, axis=None, keepdims=False):
    x, dtype = _float(_tensor(x))
    return tf.cast(_nan_var("nanvar", x, axis, keepdims), dtype)


def nanstd(x, axis=None, keepdims=False):
    x, dtype = _float(_tensor(x))
    return tf.cast(tf.sqrt(_nan_var("nanstd", x, axis, keepdims)), dtype)


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
    dtype = reductions.bincount_arguments(_dtype(x), _shape(x), weights, minlength)
    values = tf.cast(x, tf.int64)
    # The output length depends on the values; under tf.function it is a run-time size.
    if tf.executing_eagerly():
        if tf.size(values) > 0:
            reductions.bincount_length("bincount", int(tf.reduce_min(values)), None, 0)
    else:
        tf.debugging.assert_non_negative(values, message="kfn.ops.bincount: x must be non-negative")
    largest = tf.reduce_max(tf.concat([tf.reshape(values, [-1]), [-1]], 0))
    length = tf.maximum(largest + 1, minlength)
    rows = 1 if x.shape.rank == 1 else tf.shape(x, out_type=tf.int64)[0]
    # One count per row: row r counts into [r * length, (r + 1) * length).
    offsets = tf.reshape(tf.range(rows, dtype=tf.int64) * length, [-1] + [1] * (x.shape.rank - 1))
    flat = tf.reshape(values + offsets, [-1])
    if weights is None:
        add, compute = tf.ones_like(flat, tf.int32), tf.int32
    else:
        compute = _native(dtype)
        compute = tf.int64 if compute in _NARROW else compute
        add = tf.reshape(tf.cast(weights, compute), [-1])
    counts = tf.math.unsorted_segment_sum(add, flat, rows * length)
    shape = [length] if x.shape.rank == 1 else [rows, length]
    return tf.cast(tf.reshape(counts, shape), _native(dtype))


def histogram(x, bins=10, range=None):
    bins, range = reductions.histogram_arguments(bins, range)
    x = _tensor(x)
    dtype = dtypes.to_float(_dtype(x))
    x = tf.cast(tf.reshape(x, [-1]), _native(dtype))
    if range is not None or x.shape[0] == 0:
        edges = tf.constant(reductions.histogram_edges(bins, range or (0.0, 1.0), dtype))
    else:
        low, high = tf.reduce_min(x), tf.reduce_max(x)
        equal = tf.equal(low, high)
        low, high = tf.where(equal, low - 0.5, low), tf.where(equal, high + 0.5, high)
        # As np.linspace between data-derived edges: computed in x's dtype.
        steps = tf.range(bins + 1, dtype=x.dtype) * ((high - low) / bins)
        edges = tf.concat([steps[:-1] + low, [high]], 0)
    first, last = edges[0], edges[-1]
    inside = (x >= first) & (x <= last)
    # NumPy's binning: an estimate from the bin width, corrected against the edges.
    estimate = tf.where(inside, (x - first) / (last - first) * bins, tf.zeros_like(x))
    index = tf.clip_by_value(tf.cast(estimate, tf.int32), 0, bins - 1)
    index -= tf.cast(x < tf.gather(edges, index), tf.int32)
    index += tf.cast((x >= tf.gather(edges, index + 1)) & (index != bins - 1), tf.int32)
    index = tf.clip_by_value(index, 0, bins - 1)
    counts = tf.math.unsorted_segment_sum(tf.cast(inside, tf.int32), index, bins)
    return counts, edges

"""TensorFlow backend: kfn.ops.numpy indexing, sorting, searching and selection."""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf

from kfn.backends.common import dtypes, reductions
from kfn.backends.tensorflow import core

_FLOATS = frozenset((tf.bfloat16, tf.float16, tf.float32, tf.float64))
# Integer types TensorFlow's sort and search kernels lack: computed in int64 and cast back.
_NARROW_KERNELS = frozenset((tf.int8, tf.int16, tf.uint8, tf.uint16, tf.uint32, tf.uint64, tf.bool))


def _tensor(x):
    return core.convert_to_tensor(x)


def _wide(x):
    return tf.cast(x, tf.int64) if x.dtype in _NARROW_KERNELS else x


def _indices(indices):
    indices = _tensor(indices)
    kind = dtypes.standardize_dtype(indices.dtype)
    if not dtypes.is_int(kind):
        raise TypeError(f"indices must be integers, got {kind}")
    return tf.cast(indices, tf.int64)


def _wrap_negative(indices, size):
    return tf.where(indices < 0, indices + tf.cast(size, indices.dtype), indices)


def _moveaxis(x, source, destination):
    return tf.experimental.numpy.moveaxis(x, source, destination)


# ---------------------------------------------------------------------------- gathering


def take(x, indices, axis=None):
    x, indices = _tensor(x), _indices(indices)
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    return tf.gather(x, _wrap_negative(indices, tf.shape(x)[axis]), axis=axis)


def take_along_axis(x, indices, axis=None):
    x, indices = _tensor(x), _indices(indices)
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    axis = axis % x.shape.rank
    indices = _wrap_negative(indices, tf.shape(x)[axis])
    # Move the axis last, broadcast the other axes together, then gather per row.
    x, indices = _moveaxis(x, axis, -1), _moveaxis(indices, axis, -1)
    batch = tf.broadcast_dynamic_shape(tf.shape(x)[:-1], tf.shape(indices)[:-1])
    x = tf.broadcast_to(x, tf.concat([batch, tf.shape(x)[-1:]], 0))
    indices = tf.broadcast_to(indices, tf.concat([batch, tf.shape(indices)[-1:]], 0))
    out = tf.gather(x, indices, batch_dims=x.shape.rank - 1)
    return _moveaxis(out, -1, axis)


def _is_array_key(key):
    return isinstance(key, np.ndarray | list) or core.is_tensor(key)


def get_item(x, key):
    x = _tensor(x)
    if _is_array_key(key):
        key = _tensor(key)
        if key.dtype == tf.bool:
            return tf.boolean_mask(x, key)
        return take(x, key, axis=0)
    if isinstance(key, tuple) and any(_is_array_key(k) for k in key):
        raise NotImplementedError(
            "kfn.ops.get_item: the tensorflow backend supports one array index on its own, or "
            "basic indexing (ints, slices, None, Ellipsis); use kfn.ops.take or "
            "kfn.ops.take_along_axis for other advanced indexing."
        )
    return x[key]


def nonzero(x):
    x = _tensor(x)
    found = x if x.dtype == tf.bool else tf.not_equal(x, tf.zeros_like(x))
    indices = tf.cast(tf.where(found), tf.int32)
    return tuple(tf.unstack(indices, num=x.shape.rank, axis=1))


def select(condlist, choicelist, default=0):
    conditions = [tf.cast(_tensor(c), tf.bool) for c in condlist]
    *choices, default = core.promote(*choicelist, default)
    shape = tf.shape(default)
    for choice in choices:
        shape = tf.broadcast_dynamic_shape(shape, tf.shape(choice))
    out = tf.broadcast_to(default, shape)
    # The first true condition wins: apply them from last to first.
    for condition, choice in reversed(list(zip(conditions, choices))):
        out = tf.where(condition, choice, out)
    return out


# ---------------------------------------------------------------------------- sorting, searching


def sort(x, axis=-1):
    x = _tensor(x)
    if x.dtype not in _FLOATS:
        return tf.cast(tf.sort(_wide(x), axis=axis), x.dtype)
    # NaNs sort last, as in NumPy: sort them as +inf, then put NaN back in the last places.
    nan = tf.math.is_nan(x)
    ordered = tf.sort(tf.where(nan, tf.constant(np.inf, x.dtype), x), axis=axis)
    nan_count = tf.reduce_sum(tf.cast(nan, tf.int32), axis=axis, keepdims=True)
    size = tf.shape(x)[axis]
    shape = [1] * x.shape.rank
    shape[axis] = -1
    position = tf.reshape(tf.range(size), shape)
    return tf.where(position >= size - nan_count, tf.constant(math.nan, x.dtype), ordered)


def argsort(x, axis=-1):
    x = _tensor(x)
    if x.dtype in _FLOATS:
        x = tf.where(tf.math.is_nan(x), tf.constant(np.inf, x.dtype), x)
    return tf.argsort(_wide(x), axis=axis, stable=True)


def argpartition(x, kth, axis=-1):
    # A full sort is a valid partition (TensorFlow has no partial one).
    return argsort(x, axis=axis)


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence, values = core.promote(sorted_sequence, values)
    if sorted_sequence.shape.rank != 1:
        raise ValueError(
            "kfn.ops.searchsorted: sorted_sequence must be 1-D, got shape "
            f"{tuple(sorted_sequence.shape)}"
        )
    flat = tf.reshape(_wide(values), [1, -1])
    out = tf.searchsorted(_wide(sorted_sequence)[None], flat, side=side, out_type=tf.int32)
    return tf.reshape(out, tf.shape(values))


def digitize(x, bins):
    return searchsorted(bins, x, side="right")


def top_k(x, k, sorted=True):
    x = _tensor(x)
    values, indices = tf.math.top_k(_wide(x), k=k, sorted=True)
    return tf.cast(values, x.dtype), indices


def in_top_k(targets, predictions, k):
    predictions = _wide(_tensor(predictions))
    targets = _indices(targets)
    kth_largest = tf.math.top_k(predictions, k=k).values[..., -1]
    target_values = tf.gather(predictions, targets[..., None], batch_dims=1)[..., 0]
    return target_values >= kth_largest


def unique(
    x,
    sorted=True,
    return_index=False,
    return_inverse=False,
    return_counts=False,
    axis=None,
    size=None,
    fill_value=None,
):
    # The output size depends on the values: computed eagerly, through NumPy.
    x = _tensor(x)
    results = np.unique(
        core.convert_to_numpy(x),
        return_index=return_index,
        return_inverse=return_inverse,
        return_counts=return_counts,
        axis=axis,
    )
    if not (return_index or return_inverse or return_counts):
        return tf.cast(_pad(results, size, fill_value, axis or 0), x.dtype)
    values, *extras = results
    names = [
        n
        for n, wanted in (
            ("index", return_index),
            ("inverse", return_inverse),
            ("counts", return_counts),
        )
        if wanted
    ]
    outputs = [tf.cast(_pad(values, size, fill_value, axis or 0), x.dtype)]
    for name, extra in zip(names, extras):
        extra = extra if name == "inverse" else _pad(extra, size, 0, 0)
        outputs.append(tf.constant(np.asarray(extra, np.int32)))
    return tuple(outputs)


def _pad(values, size, fill_value, axis):
    if size is None:
        return values
    count = values.shape[axis]
    if count >= size:
        return np.take(values, np.arange(size), axis=axis)
    fill = np.take(values, [0], axis=axis) if fill_value is None and count else fill_value or 0
    shape = list(values.shape)
    shape[axis] = size - count
    return np.concatenate(
        [values, np.broadcast_to(np.asarray(fill, values.dtype), shape)], axis=axis
    )


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = core.promote(x1, x2)
    found = tf.reduce_any(tf.equal(_wide(x1)[..., None], tf.reshape(_wide(x2), [-1])), axis=-1)
    return tf.logical_not(found) if invert else found


def unravel_index(indices, shape):
    indices = _tensor(indices)
    dtype = indices.dtype
    compute = tf.int32 if dtype == tf.int32 else tf.int64
    coordinates = tf.unravel_index(
        tf.cast(tf.reshape(indices, [-1]), compute), tf.constant(list(shape), compute)
    )
    return tuple(
        tf.cast(tf.reshape(c, tf.shape(indices)), dtype)
        for c in tf.unstack(coordinates, num=len(shape))
    )


# ---------------------------------------------------------------------------- triangles, diagonals


def _triangle_mask(x, k, lower):
    rows = tf.range(tf.shape(x)[-2])[:, None]
    columns = tf.range(tf.shape(x)[-1])[None, :]
    return columns - rows <= k if lower else columns - rows >= k


def tril(x, k=0):
    x = _tensor(x)
    return tf.where(_triangle_mask(x, k, lower=True), x, tf.zeros_like(x))


def triu(x, k=0):
    x = _tensor(x)
    return tf.where(_triangle_mask(x, k, lower=False), x, tf.zeros_like(x))


def diagonal(x, offset=0, axis1=0, axis2=1):
    x = _tensor(x)
    rank = x.shape.rank
    axis1, axis2 = axis1 % rank, axis2 % rank
    others = [d for d in range(rank) if d not in (axis1, axis2)]
    moved = tf.transpose(x, others + [axis1, axis2])
    return tf.linalg.diag_part(moved, k=offset)


def diag(x, k=0):
    x = _tensor(x)
    if x.shape.rank == 1:
        return tf.linalg.diag(x, k=k)
    if x.shape.rank == 2:
        return tf.linalg.diag_part(x, k=k)
    raise ValueError(f"kfn.ops.diag: x must be 1-D or 2-D, got shape {tuple(x.shape)}")


def diagflat(x, k=0):
    return tf.linalg.diag(tf.reshape(_tensor(x), [-1]), k=k)


def trace(x, offset=0, axis1=0, axis2=1):
    x = _tensor(x)
    dtype = core.to_native_dtype(reductions.sum_dtype(dtypes.standardize_dtype(x.dtype)))
    return tf.reduce_sum(diagonal(tf.cast(x, dtype), offset, axis1, axis2), axis=-1)

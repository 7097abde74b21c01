"""NumPy backend: kfn.ops.numpy indexing, sorting, searching and selection."""

from __future__ import annotations

import numpy as np

from kfn.backends.common import dtypes, indexing, reductions
from kfn.backends.numpy import core


def _tensor(x):
    return core.convert_to_tensor(x)


def _dtype(x) -> str:
    return dtypes.standardize_dtype(x.dtype)


def _indices(name, indices, argument="indices"):
    indices = _tensor(indices)
    indexing.check_integer(name, _dtype(indices), argument)
    return indices


def _flat_axis(name, x, axis):
    if axis is None:
        return x.reshape(-1), 0
    return x, reductions.canonical_axis(name, axis, x.ndim)


def _reraise(name, error):
    raise type(error)(f"kfn.ops.{name}: {error}") from None


# ---------------------------------------------------------------------------- gathering


def take(x, indices, axis=None):
    x, indices = _tensor(x), _indices("take", indices)
    x, axis = _flat_axis("take", x, axis)
    try:
        return np.take(x, indices, axis=axis)
    except IndexError as error:
        _reraise("take", error)


def take_along_axis(x, indices, axis=None):
    x, indices = _tensor(x), _indices("take_along_axis", indices)
    indexing.check_take_along_axis(x.shape, indices.shape, axis)
    x, axis = _flat_axis("take_along_axis", x, axis)
    try:
        return np.take_along_axis(x, indices, axis=axis)
    except IndexError as error:
        _reraise("take_along_axis", error)


def _describe(entry):
    if isinstance(entry, np.ndarray | np.generic):
        return _dtype(entry), entry.ndim
    return None


def get_item(x, key):
    x = _tensor(x)
    entries = indexing.parse_key(key, x.shape, _describe)
    try:
        return x[tuple(e.value for e in entries)]
    except IndexError as error:
        _reraise("get_item", error)


def nonzero(x):
    x = _tensor(x)
    indexing.check_rank("nonzero", x.shape, 1)
    return tuple(i.astype(np.int32) for i in np.nonzero(x))


def select(condlist, choicelist, default=0):
    indexing.check_select(condlist, choicelist)
    conditions = [_tensor(c) for c in condlist]
    for i, condition in enumerate(conditions):
        indexing.check_condition(_dtype(condition), i)
    *choices, default = core.promote(*choicelist, default)
    return np.asarray(np.select(conditions, choices, default))


# ---------------------------------------------------------------------------- sorting, searching


def sort(x, axis=-1):
    x, axis = _flat_axis("sort", _tensor(x), axis)
    return np.sort(x, axis=axis, kind="stable")


def argsort(x, axis=-1):
    x, axis = _flat_axis("argsort", _tensor(x), axis)
    return np.argsort(x, axis=axis, kind="stable").astype(np.int32)


def argpartition(x, kth, axis=-1):
    x, axis = _flat_axis("argpartition", _tensor(x), axis)
    kth = indexing.check_kth(kth, x.shape[axis])
    return np.argpartition(x, kth, axis=axis).astype(np.int32)


def searchsorted(sorted_sequence, values, side="left"):
    indexing.check_side("searchsorted", side)
    sorted_sequence, values = core.promote(sorted_sequence, values)
    indexing.check_sorted_sequence("searchsorted", sorted_sequence.shape)
    return np.asarray(np.searchsorted(sorted_sequence, values, side=side), np.int32)


def digitize(x, bins):
    x, bins = core.promote(x, bins)
    indexing.check_sorted_sequence("digitize", bins.shape)
    return np.asarray(np.digitize(x, bins), np.int32)


def _descending_order(x):
    # Largest first, ties by increasing index (as lax.top_k), NaN largest: a stable ascending
    # sort of the reversed last axis, reversed back.
    n = x.shape[-1]
    order = np.argsort(x[..., ::-1], axis=-1, kind="stable")[..., ::-1]
    return n - 1 - order


def top_k(x, k, sorted=True):
    x = _tensor(x)
    k = indexing.check_top_k(x.shape, k)
    indices = _descending_order(x)[..., :k]
    return np.take_along_axis(x, indices, axis=-1), indices.astype(np.int32)


def in_top_k(targets, predictions, k):
    targets, predictions = _indices("in_top_k", targets, "targets"), _tensor(predictions)
    indexing.check_in_top_k(targets.shape, predictions.shape, k)
    classes = predictions.shape[-1]
    valid = (targets >= 0) & (targets < classes)
    safe = np.where(valid, targets, 0).astype(np.int64)
    target_values = np.take_along_axis(predictions, safe[:, None], axis=-1)
    if predictions.dtype.kind == "f":  # a NaN prediction is never in the top k
        target_values = np.where(np.isnan(target_values), -np.inf, target_values)
    rank = np.sum(predictions > target_values, axis=-1)
    return valid & (rank < k)


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
    x = _tensor(x)
    axis = indexing.check_unique_axis(x.shape, axis)
    values, index, inverse, counts = np.unique(
        x, return_index=True, return_inverse=True, return_counts=True, axis=axis, equal_nan=False
    )
    if axis is None:
        inverse = inverse.reshape(x.shape)
    if size is not None:
        axis = 0 if axis is None else axis
        fill = 0 if fill_value is None else fill_value
        values = _pad(values, size, axis, np.asarray(fill, values.dtype))
        index, counts = _pad(index, size, 0, 0), _pad(counts, size, 0, 0)
    extras = [(return_index, index), (return_inverse, inverse), (return_counts, counts)]
    extras = [e.astype(np.int32) for wanted, e in extras if wanted]
    return (values, *extras) if extras else values


def _pad(values, size, axis, fill):
    """`values` truncated or padded with `fill` to `size` entries along `axis`."""
    count = values.shape[axis]
    if count >= size:
        return np.take(values, np.arange(size), axis=axis)
    shape = list(values.shape)
    shape[axis] = size - count
    return np.concatenate([values, np.full(shape, fill, values.dtype)], axis=axis)


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = core.promote(x1, x2)
    return np.isin(x1, x2, assume_unique=assume_unique, invert=invert)


def unravel_index(indices, shape):
    indices = _indices("unravel_index", indices)
    shape = indexing.check_unravel_shape(shape)
    try:
        return tuple(i.astype(indices.dtype) for i in np.unravel_index(indices, shape))
    except ValueError as error:
        _reraise("unravel_index", error)


# ---------------------------------------------------------------------------- triangles, diagonals


def tril(x, k=0):
    x = _tensor(x)
    indexing.check_rank("tril", x.shape, 1)
    return np.tril(x, k=k)


def triu(x, k=0):
    x = _tensor(x)
    indexing.check_rank("triu", x.shape, 1)
    return np.triu(x, k=k)


def diagonal(x, offset=0, axis1=0, axis2=1):
    x = _tensor(x)
    axis1, axis2 = indexing.diagonal_axes("diagonal", x.shape, axis1, axis2)
    return np.diagonal(x, offset=offset, axis1=axis1, axis2=axis2)


def diag(x, k=0):
    x = _tensor(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"kfn.ops.diag: x must be 1-D or 2-D, got shape {x.shape}")
    return np.diag(x, k=k)


def diagflat(x, k=0):
    return np.diagflat(_tensor(x), k=k)


def trace(x, offset=0, axis1=0, axis2=1):
    x = _tensor(x)
    axis1, axis2 = indexing.diagonal_axes("trace", x.shape, axis1, axis2)
    dtype = core.to_native_dtype(reductions.sum_dtype(_dtype(x)))
    return np.trace(x, offset=offset, axis1=axis1, axis2=axis2, dtype=dtype)

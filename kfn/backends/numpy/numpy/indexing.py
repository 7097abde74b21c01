"""NumPy backend: kfn.ops.numpy indexing, sorting, searching and selection."""

from __future__ import annotations

import numpy as np

from kfn.backends.common import dtypes, reductions
from kfn.backends.numpy import core


def _tensor(x):
    return core.convert_to_tensor(x)


def _indices(indices):
    indices = _tensor(indices)
    kind = dtypes.standardize_dtype(indices.dtype)
    if not dtypes.is_int(kind):
        raise TypeError(f"indices must be integers, got {kind}")
    return indices


# ---------------------------------------------------------------------------- gathering


def take(x, indices, axis=None):
    x, indices = _tensor(x), _indices(indices)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return np.take(x, indices, axis=axis)


def take_along_axis(x, indices, axis=None):
    x, indices = _tensor(x), _indices(indices)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return np.take_along_axis(x, indices, axis=axis)


def get_item(x, key):
    return _tensor(x)[key]


def nonzero(x):
    return tuple(i.astype("int32") for i in np.nonzero(_tensor(x)))


def select(condlist, choicelist, default=0):
    conditions = [_tensor(c).astype(bool) for c in condlist]
    choices = core.promote(*choicelist, default)
    return np.select(conditions, list(choices[:-1]), choices[-1])


# ---------------------------------------------------------------------------- sorting, searching


def sort(x, axis=-1):
    return np.sort(_tensor(x), axis=axis, kind="stable")


def argsort(x, axis=-1):
    return np.argsort(_tensor(x), axis=axis, kind="stable").astype("int32")


def argpartition(x, kth, axis=-1):
    return np.argpartition(_tensor(x), kth, axis=axis).astype("int32")


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence, values = core.promote(sorted_sequence, values)
    if sorted_sequence.ndim != 1:
        raise ValueError(
            "kfn.ops.searchsorted: sorted_sequence must be 1-D, got shape "
            f"{tuple(sorted_sequence.shape)}"
        )
    return np.asarray(np.searchsorted(sorted_sequence, values, side=side), "int32")


def digitize(x, bins):
    x, bins = core.promote(x, bins)
    return np.digitize(x, bins).astype("int32")


def top_k(x, k, sorted=True):
    x = _tensor(x)
    indices = _descending_order(x)[..., :k]
    return np.take_along_axis(x, indices, axis=-1), indices.astype("int32")


def _descending_order(x):
    # Largest first, ties by increasing index (as lax.top_k): a stable ascending sort of the
    # reversed last axis, reversed back.
    n = x.shape[-1]
    order = np.argsort(x[..., ::-1], axis=-1, kind="stable")[..., ::-1]
    return n - 1 - order


def in_top_k(targets, predictions, k):
    predictions = _tensor(predictions)
    targets = _indices(targets)
    kth_largest = np.take_along_axis(
        predictions, _descending_order(predictions)[..., k - 1 : k], -1
    )[..., 0]
    target_values = np.take_along_axis(predictions, targets[..., None], axis=-1)[..., 0]
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
    x = _tensor(x)
    results = np.unique(
        x,
        return_index=return_index,
        return_inverse=return_inverse,
        return_counts=return_counts,
        axis=axis,
    )
    if not (return_index or return_inverse or return_counts):
        return _pad_unique(results, size, fill_value, axis)
    values, *extras = results
    padded = [_pad_unique(values, size, fill_value, axis)]
    names = [
        n
        for n, wanted in (
            ("index", return_index),
            ("inverse", return_inverse),
            ("counts", return_counts),
        )
        if wanted
    ]
    for name, extra in zip(names, extras):
        extra = extra.astype("int32")
        padded.append(extra if name == "inverse" else _pad_unique(extra, size, 0, 0))
    return tuple(padded)


def _pad_unique(values, size, fill_value, axis):
    """Truncate or pad unique outputs to `size` entries along `axis`, as jnp.unique does."""
    if size is None:
        return values
    axis = 0 if axis is None else axis
    count = values.shape[axis]
    if count >= size:
        return np.take(values, np.arange(size), axis=axis)
    if fill_value is None:
        fill_value = np.take(values, [0], axis=axis) if count else np.zeros((), values.dtype)
    pad_shape = list(values.shape)
    pad_shape[axis] = size - count
    return np.concatenate(
        [values, np.broadcast_to(np.asarray(fill_value, values.dtype), pad_shape)], axis=axis
    )


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = core.promote(x1, x2)
    return np.isin(x1, x2, assume_unique=assume_unique, invert=invert)


def unravel_index(indices, shape):
    indices = _indices(indices)
    return tuple(i.astype(indices.dtype) for i in np.unravel_index(indices, tuple(shape)))


# ---------------------------------------------------------------------------- triangles, diagonals


def tril(x, k=0):
    return np.tril(_tensor(x), k=k)


def triu(x, k=0):
    return np.triu(_tensor(x), k=k)


def diagonal(x, offset=0, axis1=0, axis2=1):
    return np.diagonal(_tensor(x), offset=offset, axis1=axis1, axis2=axis2)


def diag(x, k=0):
    x = _tensor(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"kfn.ops.diag: x must be 1-D or 2-D, got shape {tuple(x.shape)}")
    return np.diag(x, k=k)


def diagflat(x, k=0):
    return np.diagflat(_tensor(x), k=k)


def trace(x, offset=0, axis1=0, axis2=1):
    x = _tensor(x)
    dtype = core.to_native_dtype(reductions.sum_dtype(dtypes.standardize_dtype(x.dtype)))
    return np.trace(x, offset=offset, axis1=axis1, axis2=axis2, dtype=dtype)

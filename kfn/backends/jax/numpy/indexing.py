"""JAX backend: kfn.ops.numpy indexing, sorting, searching and selection."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kfn.backends.common import dtypes, reductions
from kfn.backends.jax import core


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
    size = x.shape[axis]
    # Negative indices count from the end, as in NumPy; out-of-range ones are clamped.
    indices = jnp.where(indices < 0, indices + size, indices)
    return jnp.take(x, indices, axis=axis, mode="clip")


def take_along_axis(x, indices, axis=None):
    x, indices = _tensor(x), _indices(indices)
    if axis is None:
        x, axis = x.reshape(-1), 0
    size = x.shape[axis]
    indices = jnp.where(indices < 0, indices + size, indices)
    return jnp.take_along_axis(x, indices, axis=axis, mode="clip")


def get_item(x, key):
    return _tensor(x)[key]


def nonzero(x):
    return tuple(i.astype("int32") for i in jnp.nonzero(_tensor(x)))


def select(condlist, choicelist, default=0):
    conditions = [_tensor(c).astype(bool) for c in condlist]
    choices = core.promote(*choicelist, default)
    return jnp.select(conditions, list(choices[:-1]), choices[-1])


# ---------------------------------------------------------------------------- sorting, searching


def sort(x, axis=-1):
    return jnp.sort(_tensor(x), axis=axis, stable=True)


def argsort(x, axis=-1):
    return jnp.argsort(_tensor(x), axis=axis, stable=True).astype("int32")


def argpartition(x, kth, axis=-1):
    return jnp.argpartition(_tensor(x), kth, axis=axis).astype("int32")


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence, values = core.promote(sorted_sequence, values)
    if sorted_sequence.ndim != 1:
        raise ValueError(
            "kfn.ops.searchsorted: sorted_sequence must be 1-D, got shape "
            f"{tuple(sorted_sequence.shape)}"
        )
    return jnp.searchsorted(sorted_sequence, values, side=side).astype("int32")


def digitize(x, bins):
    x, bins = core.promote(x, bins)
    return jnp.digitize(x, bins).astype("int32")


def top_k(x, k, sorted=True):
    values, indices = jax.lax.top_k(_tensor(x), k)
    return values, indices.astype("int32")


def in_top_k(targets, predictions, k):
    predictions = _tensor(predictions)
    targets = _indices(targets)
    kth_largest = jax.lax.top_k(predictions, k)[0][..., -1]
    target_values = jnp.take_along_axis(predictions, targets[..., None], axis=-1)[..., 0]
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
    results = jnp.unique(
        x,
        return_index=return_index,
        return_inverse=return_inverse,
        return_counts=return_counts,
        axis=axis,
        size=size,
        fill_value=fill_value,
    )
    if not (return_index or return_inverse or return_counts):
        return results
    values, *extras = results
    return (values, *(e.astype("int32") for e in extras))


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = core.promote(x1, x2)
    return jnp.isin(x1, x2, assume_unique=assume_unique, invert=invert)


def unravel_index(indices, shape):
    indices = _indices(indices)
    return tuple(i.astype(indices.dtype) for i in jnp.unravel_index(indices, tuple(shape)))


# ---------------------------------------------------------------------------- triangles, diagonals


def tril(x, k=0):
    return jnp.tril(_tensor(x), k=k)


def triu(x, k=0):
    return jnp.triu(_tensor(x), k=k)


def diagonal(x, offset=0, axis1=0, axis2=1):
    return jnp.diagonal(_tensor(x), offset=offset, axis1=axis1, axis2=axis2)


def diag(x, k=0):
    x = _tensor(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"kfn.ops.diag: x must be 1-D or 2-D, got shape {tuple(x.shape)}")
    return jnp.diag(x, k=k)


def diagflat(x, k=0):
    return jnp.diagflat(_tensor(x), k=k)


def trace(x, offset=0, axis1=0, axis2=1):
    x = _tensor(x)
    dtype = core.to_native_dtype(reductions.sum_dtype(dtypes.standardize_dtype(x.dtype)))
    return jnp.trace(x, offset=offset, axis1=axis1, axis2=axis2, dtype=dtype)

"""JAX backend: kfn.ops.numpy indexing, sorting, searching and selection."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kfn.backends.common import dtypes, indexing, reductions
from kfn.backends.jax import core


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


# ---------------------------------------------------------------------------- gathering


def take(x, indices, axis=None):
    x, indices = _tensor(x), _indices("take", indices)
    x, axis = _flat_axis("take", x, axis)
    # XLA cannot raise on out-of-range indices: they give NaN (or the dtype's extreme value),
    # jnp.take's "fill" mode, as in Keras.
    return jnp.take(x, indices, axis=axis)


def take_along_axis(x, indices, axis=None):
    x, indices = _tensor(x), _indices("take_along_axis", indices)
    indexing.check_take_along_axis(x.shape, indices.shape, axis)
    x, axis = _flat_axis("take_along_axis", x, axis)
    return jnp.take_along_axis(x, indices, axis=axis)


def _describe(entry):
    if hasattr(entry, "dtype") and hasattr(entry, "shape"):
        return _dtype(entry), len(entry.shape)
    return None


def get_item(x, key):
    x = _tensor(x)
    entries = indexing.parse_key(key, x.shape, _describe)
    key = tuple(e.value for e in entries)
    if any(not isinstance(e.value, int | slice | None) for e in entries):
        # Tensor indices: out of range, they give the fill value of `take` (x[key] clamps).
        return x.at[key].get(mode="fill")
    return x[key]


def nonzero(x):
    x = _tensor(x)
    indexing.check_rank("nonzero", x.shape, 1)
    # The output size depends on the values: eager only.
    return tuple(i.astype(jnp.int32) for i in jnp.nonzero(x))


def select(condlist, choicelist, default=0):
    indexing.check_select(condlist, choicelist)
    conditions = [_tensor(c) for c in condlist]
    for i, condition in enumerate(conditions):
        indexing.check_condition(_dtype(condition), i)
    *choices, default = core.promote(*choicelist, default)
    return jnp.select(conditions, choices, default)


# ---------------------------------------------------------------------------- sorting, searching


def sort(x, axis=-1):
    x, axis = _flat_axis("sort", _tensor(x), axis)
    return jnp.sort(x, axis=axis, stable=True)


def argsort(x, axis=-1):
    x, axis = _flat_axis("argsort", _tensor(x), axis)
    return jnp.argsort(x, axis=axis, stable=True).astype(jnp.int32)


def argpartition(x, kth, axis=-1):
    x, axis = _flat_axis("argpartition", _tensor(x), axis)
    kth = indexing.check_kth(kth, x.shape[axis])
    return jnp.argpartition(x, kth, axis=axis).astype(jnp.int32)


def searchsorted(sorted_sequence, values, side="left"):
    indexing.check_side("searchsorted", side)
    sorted_sequence, values = core.promote(sorted_sequence, values)
    indexing.check_sorted_sequence("searchsorted", sorted_sequence.shape)
    return jnp.searchsorted(sorted_sequence, values, side=side).astype(jnp.int32)


def digitize(x, bins):
    x, bins = core.promote(x, bins)
    indexing.check_sorted_sequence("digitize", bins.shape)
    return jnp.digitize(x, bins).astype(jnp.int32)


def top_k(x, k, sorted=True):
    x = _tensor(x)
    k = indexing.check_top_k(x.shape, k)
    values, indices = jax.lax.top_k(x, k)
    return values, indices.astype(jnp.int32)


def in_top_k(targets, predictions, k):
    targets, predictions = _indices("in_top_k", targets, "targets"), _tensor(predictions)
    indexing.check_in_top_k(targets.shape, predictions.shape, k)
    classes = predictions.shape[-1]
    valid = (targets >= 0) & (targets < classes)
    safe = jnp.where(valid, targets, 0)
    target_values = jnp.take_along_axis(predictions, safe[:, None], axis=-1)
    if jnp.issubdtype(predictions.dtype, jnp.floating):  # a NaN prediction is never in the top k
        target_values = jnp.where(jnp.isnan(target_values), -jnp.inf, target_values)
    rank = jnp.sum(predictions > target_values, axis=-1)
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
    # Without `size`, the output size depends on the values: eager only.
    values, index, inverse, counts = jnp.unique(
        x,
        return_index=True,
        return_inverse=True,
        return_counts=True,
        axis=axis,
        equal_nan=False,
        size=size,
        fill_value=0 if fill_value is None else fill_value,
    )
    if size is not None:
        index = jnp.where(counts > 0, index, 0)  # padding entries point at 0, as counts do
    if axis is None:
        inverse = inverse.reshape(x.shape)
    extras = [(return_index, index), (return_inverse, inverse), (return_counts, counts)]
    extras = [e.astype(jnp.int32) for wanted, e in extras if wanted]
    return (values, *extras) if extras else values


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = core.promote(x1, x2)
    return jnp.isin(x1, x2, assume_unique=assume_unique, invert=invert)


def unravel_index(indices, shape):
    indices = _indices("unravel_index", indices)
    shape = indexing.check_unravel_shape(shape)
    return tuple(i.astype(indices.dtype) for i in jnp.unravel_index(indices, shape))


# ---------------------------------------------------------------------------- triangles, diagonals


def _matrix(name, x):
    """x for tril/triu: a 1-D x stands for the square matrix of copies of it (as NumPy)."""
    x = _tensor(x)
    indexing.check_rank(name, x.shape, 1)
    return jnp.broadcast_to(x, x.shape * 2) if x.ndim == 1 else x


def tril(x, k=0):
    return jnp.tril(_matrix("tril", x), k=k)


def triu(x, k=0):
    return jnp.triu(_matrix("triu", x), k=k)


def diagonal(x, offset=0, axis1=0, axis2=1):
    x = _tensor(x)
    axis1, axis2 = indexing.diagonal_axes("diagonal", x.shape, axis1, axis2)
    return jnp.diagonal(x, offset=offset, axis1=axis1, axis2=axis2)


def diag(x, k=0):
    x = _tensor(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"kfn.ops.diag: x must be 1-D or 2-D, got shape {x.shape}")
    return jnp.diag(x, k=k)


def diagflat(x, k=0):
    return jnp.diagflat(_tensor(x), k=k)


def trace(x, offset=0, axis1=0, axis2=1):
    x = _tensor(x)
    axis1, axis2 = indexing.diagonal_axes("trace", x.shape, axis1, axis2)
    dtype = core.to_native_dtype(reductions.sum_dtype(_dtype(x)))
    return jnp.trace(x, offset=offset, axis1=axis1, axis2=axis2, dtype=dtype)

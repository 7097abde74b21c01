"""PyTorch backend: kfn.ops.numpy indexing, sorting, searching and selection.

torch has almost no kernels for uint16/uint32/uint64: those are computed in int64 and cast
back. torch indexing differs from NumPy's in two ways, handled in `get_item`: slices cannot
have negative steps, and ints next to tensor indices are not broadcast with them.
"""

from __future__ import annotations

import numpy as np
import torch

from kfn.backends.common import dtypes, indexing, reductions
from kfn.backends.torch import core
from kfn.backends.torch.numpy.reductions import _FLOATS, _WIDE, _ordered, _unordered, _wide

_BITS = {
    torch.float16: torch.int16,
    torch.bfloat16: torch.int16,
    torch.float32: torch.int32,
    torch.float64: torch.int64,
}


def _tensor(x):
    return core.convert_to_tensor(x)


def _dtype(x) -> str:
    return dtypes.standardize_dtype(x.dtype)


def _indices(name, indices, argument="indices"):
    indices = _tensor(indices)
    indexing.check_integer(name, _dtype(indices), argument)
    return indices.to(torch.int64)


def _flat_axis(name, x, axis):
    if axis is None:
        return x.reshape(-1), 0
    return x, reductions.canonical_axis(name, axis, x.ndim)


def _order_key(x):
    """x as a tensor that torch's searches order as NumPy orders x: floats become integers
    with the same order, NaN last and -0.0 equal to 0.0; bools and wide ints become int64."""
    if x.dtype not in _FLOATS:
        return x.to(torch.int64) if x.dtype == torch.bool else _ordered(x)
    canonical = torch.where(torch.isnan(x), torch.full_like(x, float("nan")), x + 0)
    bits = canonical.view(_BITS[x.dtype])
    return torch.where(bits < 0, bits ^ torch.iinfo(bits.dtype).max, bits)


def _out_of_range(name, error, size):
    raise IndexError(
        f"kfn.ops.{name}: an index is out of range for an axis of size {size} ({error})"
    ) from None


# ---------------------------------------------------------------------------- gathering


def take(x, indices, axis=None):
    x, indices = _tensor(x), _indices("take", indices)
    x, axis = _flat_axis("take", x, axis)
    size = x.shape[axis]
    flat = torch.where(indices < 0, indices + size, indices).reshape(-1)
    try:
        out = torch.index_select(_wide(x), axis, flat)
    except IndexError as error:
        _out_of_range("take", error, size)
    return out.reshape(*x.shape[:axis], *indices.shape, *x.shape[axis + 1 :]).to(x.dtype)


def take_along_axis(x, indices, axis=None):
    x, indices = _tensor(x), _indices("take_along_axis", indices)
    indexing.check_take_along_axis(x.shape, indices.shape, axis)
    x, axis = _flat_axis("take_along_axis", x, axis)
    size = x.shape[axis]
    indices = torch.where(indices < 0, indices + size, indices)
    # Broadcast the other axes, then gather (torch.take_along_dim does not check bounds
    # after broadcasting).
    batch = list(torch.broadcast_shapes(_with(x.shape, axis, 1), _with(indices.shape, axis, 1)))
    x_wide = _wide(x).expand(_with(batch, axis, size))
    indices = indices.expand(_with(batch, axis, indices.shape[axis]))
    try:
        return torch.gather(x_wide, axis, indices).to(x.dtype)
    except RuntimeError as error:
        _out_of_range("take_along_axis", error, size)


def _with(shape, axis, size):
    shape = list(shape)
    shape[axis] = size
    return shape


def _describe(entry):
    if isinstance(entry, torch.Tensor | np.ndarray | np.generic):
        return _dtype(entry), entry.ndim
    return None


def get_item(x, key):
    x = _tensor(x)
    entries = indexing.parse_key(key, x.shape, _describe)
    # NumPy broadcasts ints with the tensor indices of a key; torch applies them first.
    broadcast_ints = any(e.kind in (indexing.INTEGERS, indexing.BOOLS) for e in entries)
    flips, parts = [], []
    for e in entries:
        if e.kind == indexing.SLICE and e.value.step is not None and e.value.step < 0:
            flips.append(e.dim)  # torch slices step forward only: flip the axis instead
            parts.append(indexing.positive_step(e.value, x.shape[e.dim]))
        elif e.kind == indexing.BOOLS:
            parts.append(_tensor(e.value).to(x.device))
        elif e.kind == indexing.INTEGERS:
            parts.append(_tensor(e.value).to(device=x.device, dtype=torch.int64))
        elif e.kind == indexing.INTEGER and broadcast_ints:
            # As a 1-element tensor it broadcasts with the others, as NumPy's int does.
            parts.append(_tensor(e.value).to(device=x.device, dtype=torch.int64).reshape(1))
        else:
            parts.append(e.value)
    source = x
    if flips:
        source = torch.flip(_wide(x), flips)
    try:
        return source[tuple(parts)].to(x.dtype)
    except IndexError as error:
        raise IndexError(f"kfn.ops.get_item: {error}") from None


def nonzero(x):
    x = _tensor(x)
    indexing.check_rank("nonzero", x.shape, 1)
    found = x if x.dtype == torch.bool else x != 0
    return tuple(i.to(torch.int32) for i in torch.nonzero(found, as_tuple=True))


def select(condlist, choicelist, default=0):
    indexing.check_select(condlist, choicelist)
    conditions = [_tensor(c) for c in condlist]
    for i, condition in enumerate(conditions):
        indexing.check_condition(_dtype(condition), i)
    *choices, default = core.promote(*choicelist, default)
    shape = torch.broadcast_shapes(*(t.shape for t in (*conditions, *choices, default)))
    out = torch.broadcast_to(default, shape)
    # The first true condition wins: apply them from last to first.
    for condition, choice in reversed(list(zip(conditions, choices))):
        out = torch.where(condition, choice, out)
    return out


# ---------------------------------------------------------------------------- sorting, searching


def sort(x, axis=-1):
    x, axis = _flat_axis("sort", _tensor(x), axis)
    return _unordered(torch.sort(_ordered(x), dim=axis, stable=True).values, x.dtype)


def argsort(x, axis=-1):
    x, axis = _flat_axis("argsort", _tensor(x), axis)
    return torch.argsort(_ordered(x), dim=axis, stable=True).to(torch.int32)


def argpartition(x, kth, axis=-1):
    x, axis = _flat_axis("argpartition", _tensor(x), axis)
    indexing.check_kth(kth, x.shape[axis])
    # A full sort is a valid partition (torch has no partial one).
    return torch.argsort(_ordered(x), dim=axis, stable=True).to(torch.int32)


def searchsorted(sorted_sequence, values, side="left"):
    indexing.check_side("searchsorted", side)
    sorted_sequence, values = core.promote(sorted_sequence, values)
    indexing.check_sorted_sequence("searchsorted", sorted_sequence.shape)
    out = torch.searchsorted(_order_key(sorted_sequence), _order_key(values), side=side)
    return out.to(torch.int32)


def digitize(x, bins):
    x, bins = core.promote(x, bins)
    indexing.check_sorted_sequence("digitize", bins.shape)
    if bins.shape[0] == 0:
        return torch.zeros(x.shape, dtype=torch.int32, device=x.device)
    keys, bin_keys = _order_key(x), _order_key(bins)
    # Increasing bins: bins[i-1] <= x < bins[i]; decreasing: bins[i-1] > x >= bins[i].
    increasing = torch.searchsorted(bin_keys, keys, right=True)
    decreasing = bins.shape[0] - torch.searchsorted(torch.flip(bin_keys, [0]), keys)
    return torch.where(bin_keys[-1] >= bin_keys[0], increasing, decreasing).to(torch.int32)


def top_k(x, k, sorted=True):
    x = _tensor(x)
    k = indexing.check_top_k(x.shape, k)
    compute = x.to(torch.uint8) if x.dtype == torch.bool else _ordered(x)
    values, indices = torch.topk(compute, k, dim=-1, sorted=True)
    return _unordered(values, x.dtype), indices.to(torch.int32)


def in_top_k(targets, predictions, k):
    targets, predictions = _indices("in_top_k", targets, "targets"), _tensor(predictions)
    indexing.check_in_top_k(targets.shape, predictions.shape, k)
    predictions = _ordered(predictions)
    classes = predictions.shape[-1]
    valid = (targets >= 0) & (targets < classes)
    safe = torch.where(valid, targets, torch.zeros_like(targets))
    target_values = torch.gather(predictions, -1, safe[:, None])
    if predictions.dtype in _FLOATS:  # a NaN prediction is never in the top k
        target_values = torch.where(
            torch.isnan(target_values), torch.full_like(target_values, -float("inf")), target_values
        )
    rank = torch.sum(predictions > target_values, dim=-1)
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
    values, inverse, counts = torch.unique(
        x, sorted=True, return_inverse=True, return_counts=True, dim=axis
    )
    # The first position of each unique value: the smallest position mapped to it.
    positions = torch.arange(inverse.numel(), device=x.device)
    first = torch.full((counts.shape[0],), inverse.numel(), device=x.device)
    index = first.scatter_reduce(0, inverse.reshape(-1), positions, reduce="amin")
    if size is not None:
        fill = 0 if fill_value is None else fill_value
        values = _pad(values, size, 0 if axis is None else axis, fill)
        index, counts = _pad(index, size, 0, 0), _pad(counts, size, 0, 0)
    extras = [(return_index, index), (return_inverse, inverse), (return_counts, counts)]
    extras = [e.to(torch.int32) for wanted, e in extras if wanted]
    return (values, *extras) if extras else values


def _pad(values, size, axis, fill):
    """`values` truncated or padded with `fill` to `size` entries along `axis`."""
    count = values.shape[axis]
    if count >= size:
        return torch.narrow(values, axis, 0, size)
    shape = list(values.shape)
    shape[axis] = size - count
    padding = torch.full(shape, fill, device=values.device).to(values.dtype)
    return torch.cat([values, padding], dim=axis)


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = core.promote(x1, x2)
    if x1.dtype in _WIDE or x1.dtype == torch.bool:
        x1, x2 = x1.to(torch.int64), x2.to(torch.int64)
    return torch.isin(x1, x2, assume_unique=assume_unique, invert=invert)


def unravel_index(indices, shape):
    indices = _tensor(indices)
    indexing.check_integer("unravel_index", _dtype(indices))
    shape = indexing.check_unravel_shape(shape)
    coordinates = torch.unravel_index(indices.to(torch.int64), shape)
    return tuple(c.to(indices.dtype) for c in coordinates)


# ---------------------------------------------------------------------------- triangles, diagonals


def _matrix(name, x):
    """x for tril/triu: a 1-D x stands for the square matrix of copies of it (as NumPy)."""
    x = _tensor(x)
    indexing.check_rank(name, x.shape, 1)
    return x.expand(x.shape[0], x.shape[0]) if x.ndim == 1 else x


def tril(x, k=0):
    x = _matrix("tril", x)
    return torch.tril(_wide(x), diagonal=k).to(x.dtype)


def triu(x, k=0):
    x = _matrix("triu", x)
    return torch.triu(_wide(x), diagonal=k).to(x.dtype)


def diagonal(x, offset=0, axis1=0, axis2=1):
    x = _tensor(x)
    axis1, axis2 = indexing.diagonal_axes("diagonal", x.shape, axis1, axis2)
    return torch.diagonal(x, offset=offset, dim1=axis1, dim2=axis2)


def diag(x, k=0):
    x = _tensor(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"kfn.ops.diag: x must be 1-D or 2-D, got shape {tuple(x.shape)}")
    return torch.diag(x, k)


def diagflat(x, k=0):
    return torch.diagflat(_tensor(x), offset=k)


def trace(x, offset=0, axis1=0, axis2=1):
    x = _tensor(x)
    axis1, axis2 = indexing.diagonal_axes("trace", x.shape, axis1, axis2)
    dtype = core.to_native_dtype(reductions.sum_dtype(_dtype(x)))
    diagonal = _wide(torch.diagonal(x, offset=offset, dim1=axis1, dim2=axis2))
    compute = torch.int64 if dtype in _WIDE else dtype
    return torch.sum(diagonal, dim=-1, dtype=compute).to(dtype)

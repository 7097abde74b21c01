"""PyTorch backend: kfn.ops.numpy indexing, sorting, searching and selection."""

from __future__ import annotations

import numpy as np
import torch

from kfn.backends.common import dtypes, reductions
from kfn.backends.torch import core

_NARROW_KERNELS = frozenset((torch.uint16, torch.uint32, torch.uint64))


def _tensor(x):
    return core.convert_to_tensor(x)


def _wide(x):
    return x.to(torch.int64) if x.dtype in _NARROW_KERNELS else x


def _indices(indices):
    indices = _tensor(indices)
    kind = dtypes.standardize_dtype(indices.dtype)
    if not dtypes.is_int(kind):
        raise TypeError(f"indices must be integers, got {kind}")
    return indices.to(torch.int64)


def _wrap_negative(indices, size):
    return torch.where(indices < 0, indices + size, indices)


# ---------------------------------------------------------------------------- gathering


def take(x, indices, axis=None):
    x, indices = _tensor(x), _indices(indices)
    if axis is None:
        x, axis = x.reshape(-1), 0
    axis = axis % x.ndim
    flat = _wrap_negative(indices, x.shape[axis]).reshape(-1)
    out = torch.index_select(x, axis, flat)
    return out.reshape(*x.shape[:axis], *indices.shape, *x.shape[axis + 1 :])


def take_along_axis(x, indices, axis=None):
    x, indices = _tensor(x), _indices(indices)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.take_along_dim(x, _wrap_negative(indices, x.shape[axis]), dim=axis)


def _torch_key(key):
    if isinstance(key, tuple):
        return tuple(_torch_key(k) for k in key)
    if isinstance(key, np.ndarray | list) or (
        isinstance(key, torch.Tensor) and key.dtype not in (torch.bool,)
    ):
        key = _tensor(key)
        return key if key.dtype == torch.bool else key.to(torch.int64)
    return key


def get_item(x, key):
    return _tensor(x)[_torch_key(key)]


def nonzero(x):
    return tuple(i.to(torch.int32) for i in torch.nonzero(_tensor(x), as_tuple=True))


def select(condlist, choicelist, default=0):
    conditions = [_tensor(c).to(torch.bool) for c in condlist]
    *choices, default = core.promote(*choicelist, default)
    out = torch.broadcast_to(
        default, torch.broadcast_shapes(*(c.shape for c in choices), default.shape)
    )
    # The first true condition wins: apply them from last to first.
    for condition, choice in reversed(list(zip(conditions, choices))):
        out = torch.where(condition, choice, out)
    return out


# ---------------------------------------------------------------------------- sorting, searching


def sort(x, axis=-1):
    x = _tensor(x)
    return torch.sort(_wide(x), dim=axis, stable=True).values.to(x.dtype)


def argsort(x, axis=-1):
    x = _tensor(x)
    return torch.argsort(_wide(x), dim=axis, stable=True).to(torch.int32)


def argpartition(x, kth, axis=-1):
    # A full sort is a valid partition (torch has no partial one).
    return argsort(x, axis=axis)


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence, values = core.promote(sorted_sequence, values)
    if sorted_sequence.ndim != 1:
        raise ValueError(
            "kfn.ops.searchsorted: sorted_sequence must be 1-D, got shape "
            f"{tuple(sorted_sequence.shape)}"
        )
    out = torch.searchsorted(_wide(sorted_sequence), _wide(values), side=side)
    return out.to(torch.int32)


def digitize(x, bins):
    x, bins = core.promote(x, bins)
    return torch.bucketize(_wide(x), _wide(bins), right=True).to(torch.int32)


def top_k(x, k, sorted=True):
    x = _tensor(x)
    values, indices = torch.topk(_wide(x), k, dim=-1, sorted=True)
    return values.to(x.dtype), indices.to(torch.int32)


def in_top_k(targets, predictions, k):
    predictions = _wide(_tensor(predictions))
    targets = _indices(targets)
    kth_largest = torch.topk(predictions, k, dim=-1).values[..., -1]
    target_values = torch.take_along_dim(predictions, targets[..., None], dim=-1)[..., 0]
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
    values, inverse, counts = torch.unique(
        _wide(x), sorted=True, return_inverse=True, return_counts=True, dim=axis
    )
    values = values.to(x.dtype)
    outputs = [_pad(values, size, fill_value, 0 if axis is None else axis)]
    if return_index:
        # The first position of each unique value: the smallest position mapped to it.
        positions = torch.arange(inverse.numel(), device=x.device)
        first = torch.full(
            (values.shape[0 if axis is None else axis],), inverse.numel(), device=x.device
        )
        first = first.scatter_reduce(0, inverse.reshape(-1), positions, reduce="amin")
        outputs.append(_pad(first.to(torch.int32), size, 0, 0))
    if return_inverse:
        outputs.append(inverse.to(torch.int32))
    if return_counts:
        outputs.append(_pad(counts.to(torch.int32), size, 0, 0))
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


def _pad(values, size, fill_value, axis):
    """Unique outputs truncated or padded to `size` entries along `axis`."""
    if size is None:
        return values
    count = values.shape[axis]
    if count >= size:
        return torch.narrow(values, axis, 0, size)
    if fill_value is None:
        fill = torch.narrow(values, axis, 0, 1) if count else torch.zeros((), dtype=values.dtype)
    else:
        fill = torch.tensor(fill_value, dtype=values.dtype, device=values.device)
    shape = list(values.shape)
    shape[axis] = size - count
    return torch.cat([values, torch.broadcast_to(fill, shape)], dim=axis)


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = core.promote(x1, x2)
    return torch.isin(_wide(x1), _wide(x2), assume_unique=assume_unique, invert=invert)


def unravel_index(indices, shape):
    indices = _tensor(indices)
    return tuple(
        i.to(indices.dtype) for i in torch.unravel_index(indices.to(torch.int64), tuple(shape))
    )


# ---------------------------------------------------------------------------- triangles, diagonals


def tril(x, k=0):
    return torch.tril(_tensor(x), diagonal=k)


def triu(x, k=0):
    return torch.triu(_tensor(x), diagonal=k)


def diagonal(x, offset=0, axis1=0, axis2=1):
    return torch.diagonal(_tensor(x), offset=offset, dim1=axis1, dim2=axis2)


def diag(x, k=0):
    x = _tensor(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"kfn.ops.diag: x must be 1-D or 2-D, got shape {tuple(x.shape)}")
    return torch.diag(x, k)


def diagflat(x, k=0):
    return torch.diagflat(_tensor(x), offset=k)


def trace(x, offset=0, axis1=0, axis2=1):
    x = _tensor(x)
    dtype = core.to_native_dtype(reductions.sum_dtype(dtypes.standardize_dtype(x.dtype)))
    return torch.sum(torch.diagonal(x, offset=offset, dim1=axis1, dim2=axis2), dim=-1, dtype=dtype)

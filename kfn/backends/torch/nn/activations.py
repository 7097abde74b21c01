"""PyTorch backend: the activation primitives of kfn.ops.nn (torch.nn.functional)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from kfn.backends.common import dtypes
from kfn.backends.torch import core


def _float(x):
    x = core.convert_to_tensor(x)
    target = dtypes.to_float(dtypes.standardize_dtype(x.dtype))
    return x.to(core.to_native_dtype(target))


def _over_axes(fn, x, axis):
    """fn(x, dim) over one axis or several (flattened together at the end)."""
    if isinstance(axis, int):
        return fn(x, dim=axis)
    axes = [a % x.ndim for a in axis]
    kept = [d for d in range(x.ndim) if d not in axes]
    moved = x.permute(*kept, *axes)
    out = fn(moved.reshape(*moved.shape[: len(kept)], -1), dim=-1).reshape(moved.shape)
    inverse = [0] * x.ndim
    for position, d in enumerate(kept + axes):
        inverse[d] = position
    return out.permute(*inverse)


def relu(x):
    return F.relu(core.convert_to_tensor(x))


def leaky_relu(x, negative_slope=0.2):
    return F.leaky_relu(_float(x), negative_slope=negative_slope)


def elu(x, alpha=1.0):
    return F.elu(_float(x), alpha=alpha)


def sigmoid(x):
    return torch.sigmoid(_float(x))


def softplus(x):
    return F.softplus(_float(x))


def silu(x):
    return F.silu(_float(x))


def gelu(x, approximate=True):
    return F.gelu(_float(x), approximate="tanh" if approximate else "none")


def softmax(x, axis=-1):
    return _over_axes(F.softmax, _float(x), axis)


def log_softmax(x, axis=-1):
    return _over_axes(F.log_softmax, _float(x), axis)

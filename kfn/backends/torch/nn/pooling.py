"""PyTorch backend: pooling primitives (torch.nn.functional max/avg/adaptive pooling).

1-D pooling runs as 2-D pooling over a height of 1 (torch's 1-D max pooling has no integer
kernels). The symmetric part of "same" padding goes to torch, the odd element to F.pad.
"""

from __future__ import annotations

import functools
import math

import torch
import torch.nn.functional as F

from kfn.backends.common import convolution as rules
from kfn.backends.common import dtypes
from kfn.backends.torch import core

_MAX = {2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {2: F.avg_pool2d, 3: F.avg_pool3d}
_ADAPTIVE_AVG = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}
_ADAPTIVE_MAX = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}
_HALF = (torch.float16, torch.bfloat16)
_SIGN_BIT = -(2**63)


def _orderable(x):
    """x in a dtype with max-pooling kernels, ordered as x is, and a function mapping back.

    bool -> uint8; uint16/uint32 -> int64; uint64 -> int64 with the sign bit flipped (the
    same order, no overflow)."""
    dtype = x.dtype
    if dtype == torch.bool:
        return x.to(torch.uint8), lambda out: out.to(dtype)
    if dtype in (torch.uint16, torch.uint32):
        return x.to(torch.int64), lambda out: out.to(dtype)
    if dtype == torch.uint64:
        flipped = x.view(torch.int64) ^ _SIGN_BIT
        return flipped, lambda out: (out ^ _SIGN_BIT).view(torch.uint64)
    return x, lambda out: out


def _lowest(dtype):
    if dtype.is_floating_point:
        return -math.inf
    return torch.iinfo(dtype).min


@functools.lru_cache(maxsize=256)
def _pool_arguments(plan):
    """(kernel, strides, symmetric padding, F.pad's list or None), 1-D as 2-D."""
    pool_size, strides, pads = plan.pool_size, plan.strides, plan.pads
    if plan.rank == 1:
        pool_size, strides, pads = (1, *pool_size), (1, *strides), ((0, 0), *pads)
    symmetric = tuple(min(before, after) for before, after in pads)
    rest = [w for (b, a), m in zip(reversed(pads), reversed(symmetric)) for w in (b - m, a - m)]
    return pool_size, strides, symmetric, rest if any(rest) else None


def _channels_first(x, plan):
    x = torch.movedim(x, -1, 1) if plan.channels_last else x
    return x.unsqueeze(2) if plan.rank == 1 else x


def _restore(out, plan):
    out = out.squeeze(2) if plan.rank == 1 else out
    return torch.movedim(out, 1, -1) if plan.channels_last else out


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = core.convert_to_tensor(inputs)
    plan = rules.pool_plan("max_pool", inputs.shape, pool_size, strides, padding, data_format)
    window, steps, symmetric, rest = _pool_arguments(plan)
    x, restore_dtype = _orderable(_channels_first(inputs, plan))
    if rest is not None:
        x = F.pad(x, rest, value=_lowest(x.dtype))  # padded positions never win
    out = _MAX[len(window)](x, window, steps, symmetric)
    return _restore(restore_dtype(out), plan)


def _to_float(inputs):
    inputs = core.convert_to_tensor(inputs)
    if inputs.dtype.is_floating_point:
        return inputs
    return inputs.to(core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(inputs.dtype))))


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = _to_float(inputs)
    plan = rules.pool_plan("average_pool", inputs.shape, pool_size, strides, padding, data_format)
    window, steps, symmetric, rest = _pool_arguments(plan)
    x = _channels_first(inputs, plan)
    dtype = x.dtype
    if dtype in _HALF and len(window) == 3 and x.device.type == "cpu":
        x = x.float()  # no half-precision avg_pool3d on the CPU
    pool = _AVG[len(window)]
    if rest is None:
        # torch leaves padding out of the mean like Keras when it pads symmetrically itself.
        out = pool(x, window, steps, symmetric, count_include_pad=False)
    else:
        total = pool(F.pad(x, rest), window, steps, symmetric, divisor_override=1)
        spatial = inputs.shape[1:-1] if plan.channels_last else inputs.shape[2:]
        counts = rules.window_counts(tuple(spatial), plan.pool_size, plan.strides, plan.pads)
        counts = torch.tensor(counts, dtype=total.dtype, device=total.device)
        out = total / (counts.unsqueeze(0) if plan.rank == 1 else counts)
    return _restore(out.to(dtype), plan)


def _adaptive_layout(plan, x):
    return torch.movedim(x, -1, 1) if plan.channels_last else x


def _adaptive_restore(plan, out):
    return torch.movedim(out, 1, -1) if plan.channels_last else out


def adaptive_average_pool(inputs, output_size, data_format=None):
    inputs = _to_float(inputs)
    plan = rules.adaptive_plan("adaptive_average_pool", inputs.shape, output_size, data_format)
    sizes = tuple(len(starts) for starts, _ in plan.windows)
    # torch's adaptive windows are Keras's: [floor(i * n / out), ceil((i + 1) * n / out)).
    out = _ADAPTIVE_AVG[plan.rank](_adaptive_layout(plan, inputs), sizes)
    return _adaptive_restore(plan, out)


def adaptive_max_pool(inputs, output_size, data_format=None):
    inputs = core.convert_to_tensor(inputs)
    plan = rules.adaptive_plan("adaptive_max_pool", inputs.shape, output_size, data_format)
    if inputs.dtype.is_floating_point:
        sizes = tuple(len(starts) for starts, _ in plan.windows)
        out = _ADAPTIVE_MAX[plan.rank](_adaptive_layout(plan, inputs), sizes)
        return _adaptive_restore(plan, out)
    # No integer kernels: gather each window (short ones repeat an index) and take the max.
    x, restore_dtype = _orderable(inputs)
    for axis, (starts, stops) in zip(plan.axes, plan.windows):
        index = rules.adaptive_gather(starts, stops)
        gathered = torch.index_select(x, axis, torch.tensor(index.reshape(-1), device=x.device))
        split = x.shape[:axis] + index.shape + x.shape[axis + 1 :]
        x = torch.amax(gathered.reshape(split), dim=axis + 1)
    return restore_dtype(x)

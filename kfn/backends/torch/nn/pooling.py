"""PyTorch backend: pooling primitives (torch.nn.functional max/avg/adaptive pooling with
explicit padding).

1-D pooling runs as 2-D pooling over a height of 1: torch's 1-D pooling has no integer
kernels and no divisor_override.
"""

from __future__ import annotations

import functools
import math

import torch
import torch.nn.functional as F

from kfn.backends.common import convolution as conv_rules
from kfn.backends.common import dtypes
from kfn.backends.torch import core

_MAX = {2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {2: F.avg_pool2d, 3: F.avg_pool3d}
_ADAPTIVE_MAX = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}
_ADAPTIVE_AVG = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}
_HALF = (torch.float16, torch.bfloat16)
_SIGN_BIT = -(2**63)


@functools.lru_cache(maxsize=256)
def _torch_arguments(arguments):
    """(pool_size, strides, F.pad's list or None), 1-D as 2-D."""
    pool_size, strides, pads = arguments.pool_size, arguments.strides, arguments.pads
    if arguments.rank == 1:
        pool_size, strides, pads = (1, *pool_size), (1, *strides), ((0, 0), *pads)
    flat = [w for pair in reversed(pads) for w in pair]
    return pool_size, strides, flat if any(flat) else None


def _prepare(op, inputs, pool_size, strides, padding, data_format):
    channels_last = conv_rules.channels_last(data_format, op)
    arguments = conv_rules.pool_arguments(
        op, inputs.shape, pool_size, strides, padding, channels_last
    )
    x = torch.movedim(inputs, -1, 1) if channels_last else inputs
    spatial = tuple(x.shape[2:])
    if arguments.rank == 1:
        x = x.unsqueeze(2)

    def restore(out):
        out = out.squeeze(2) if arguments.rank == 1 else out
        return torch.movedim(out, 1, -1) if channels_last else out

    return x, spatial, arguments, restore


def _orderable(x):
    """x in a dtype with max-pooling kernels, ordered as x is, and the map back: bool as
    uint8, uint16/uint32 as int64, uint64 as int64 with the sign bit flipped (same order)."""
    dtype = x.dtype
    if dtype == torch.bool:
        return x.to(torch.uint8), lambda out: out.to(dtype)
    if dtype in (torch.uint16, torch.uint32):
        return x.to(torch.int64), lambda out: out.to(dtype)
    if dtype == torch.uint64:
        return x.view(torch.int64) ^ _SIGN_BIT, lambda out: (out ^ _SIGN_BIT).view(torch.uint64)
    return x, lambda out: out


def _lowest(dtype):
    return -math.inf if dtype.is_floating_point else torch.iinfo(dtype).min


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = core.convert_to_tensor(inputs)
    x, _, arguments, restore = _prepare(
        "max_pool", inputs, pool_size, strides, padding, data_format
    )
    window, steps, flat = _torch_arguments(arguments)
    x, restore_dtype = _orderable(x)
    if flat is not None:
        x = F.pad(x, flat, value=_lowest(x.dtype))  # padded positions never win
    return restore(restore_dtype(_MAX[len(window)](x, window, steps)))


def _to_float(inputs):
    inputs = core.convert_to_tensor(inputs)
    if inputs.dtype.is_floating_point:
        return inputs
    return inputs.to(core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(inputs.dtype))))


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = _to_float(inputs)
    x, spatial, arguments, restore = _prepare(
        "average_pool", inputs, pool_size, strides, padding, data_format
    )
    window, steps, flat = _torch_arguments(arguments)
    dtype = x.dtype
    if dtype in _HALF and len(window) == 3 and x.device.type == "cpu":
        x = x.float()  # no half-precision avg_pool3d on the CPU
    if flat is None:
        return restore(_AVG[len(window)](x, window, steps).to(dtype))
    # The sum over each window, divided by the number of real (unpadded) positions in it.
    total = _AVG[len(window)](F.pad(x, flat), window, steps, divisor_override=1)
    counts = conv_rules.window_counts(
        spatial, arguments.pool_size, arguments.strides, arguments.pads
    )
    counts = torch.tensor(counts, dtype=total.dtype, device=total.device)
    return restore((total / counts.reshape(total.shape[2:])).to(dtype))


def _adaptive_prepare(op, inputs, output_size, data_format):
    channels_last = conv_rules.channels_last(data_format, op)
    arguments = conv_rules.adaptive_arguments(op, inputs.shape, output_size, channels_last)
    x = torch.movedim(inputs, -1, 1) if channels_last else inputs

    def restore(out):
        return torch.movedim(out, 1, -1) if channels_last else out

    return x, arguments, restore


def adaptive_average_pool(inputs, output_size, data_format=None):
    inputs = _to_float(inputs)
    x, arguments, restore = _adaptive_prepare(
        "adaptive_average_pool", inputs, output_size, data_format
    )
    # torch's adaptive windows are kfn's: [floor(i * n / out), ceil((i + 1) * n / out)).
    sizes = tuple(windows.out for windows in arguments.windows)
    return restore(_ADAPTIVE_AVG[arguments.rank](x, sizes))


def adaptive_max_pool(inputs, output_size, data_format=None):
    inputs = core.convert_to_tensor(inputs)
    x, arguments, restore = _adaptive_prepare("adaptive_max_pool", inputs, output_size, data_format)
    if x.dtype.is_floating_point:
        sizes = tuple(windows.out for windows in arguments.windows)
        return restore(_ADAPTIVE_MAX[arguments.rank](x, sizes))
    # No integer kernels: gather each window (short ones repeat an index) and take the max.
    x, restore_dtype = _orderable(x)
    for axis, windows in enumerate(arguments.windows, start=2):
        index = torch.tensor(windows.index.reshape(-1), device=x.device)
        gathered = torch.index_select(x, axis, index)
        gathered = gathered.reshape(x.shape[:axis] + windows.index.shape + x.shape[axis + 1 :])
        x = torch.amax(gathered, dim=axis + 1)
    return restore(restore_dtype(x))

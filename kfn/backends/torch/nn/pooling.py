"""PyTorch backend: pooling primitives (torch.nn.functional pooling with explicit padding)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from kfn.backends.common import convolution as conv_rules
from kfn.backends.common import dtypes
from kfn.backends.torch import core

_MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def _prepare(op, inputs, pool_size, strides, padding, data_format):
    rank, pool_size, strides, padding = conv_rules.pool_arguments(
        op, inputs.ndim, pool_size, strides, padding
    )
    channels_last = conv_rules.data_format(data_format) == "channels_last"
    x = torch.movedim(inputs, -1, 1) if channels_last else inputs
    pads = conv_rules.padding_pairs(x.shape[2:], pool_size, strides, (1,) * rank, padding)
    flat = [w for pair in reversed(pads) for w in pair]

    def restore(out):
        return torch.movedim(out, 1, -1) if channels_last else out

    return x, rank, pool_size, strides, flat, restore


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = core.convert_to_tensor(inputs)
    x, rank, pool_size, strides, flat, restore = _prepare(
        "max_pool", inputs, pool_size, strides, padding, data_format
    )
    dtype = x.dtype
    if not dtype.is_floating_point:
        x = x.to(torch.float64)  # no integer pooling kernels; exact for int32
    elif dtype in (torch.float16, torch.bfloat16):
        x = x.float()
    if any(flat):
        x = F.pad(x, flat, value=-math.inf)  # padded positions never win
    return restore(_MAX[rank](x, pool_size, strides).to(dtype))


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = core.convert_to_tensor(inputs)
    inputs = inputs.to(
        core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(inputs.dtype)))
    )
    x, rank, pool_size, strides, flat, restore = _prepare(
        "average_pool", inputs, pool_size, strides, padding, data_format
    )
    dtype = x.dtype
    if dtype in (torch.float16, torch.bfloat16):
        x = x.float()
    if not any(flat):
        return restore(_AVG[rank](x, pool_size, strides).to(dtype))
    # Sum over each window, divided by the number of real (unpadded) positions in it.
    window = math.prod(pool_size)
    total = _AVG[rank](F.pad(x, flat), pool_size, strides) * window
    ones = torch.ones((1, 1) + tuple(x.shape[2:]), dtype=x.dtype, device=x.device)
    count = _AVG[rank](F.pad(ones, flat), pool_size, strides) * window
    return restore((total / count).to(dtype))

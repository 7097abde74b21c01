"""NumPy backend: pooling primitives, as reductions over sliding windows."""

from __future__ import annotations

import numpy as np

from kfn.backends.common import convolution as conv_rules
from kfn.backends.common import dtypes
from kfn.backends.numpy import core


def _pool(op, reduce, fill, inputs, pool_size, strides, padding, data_format):
    rank, pool_size, strides, padding = conv_rules.pool_arguments(
        op, inputs.ndim, pool_size, strides, padding
    )
    channels_last = conv_rules.data_format(data_format) == "channels_last"
    x = inputs if channels_last else np.moveaxis(inputs, 1, -1)
    pads = conv_rules.padding_pairs(x.shape[1:-1], pool_size, strides, (1,) * rank, padding)
    padded = np.pad(x, [(0, 0), *pads, (0, 0)], constant_values=fill)
    windows = np.lib.stride_tricks.sliding_window_view(
        padded, pool_size, axis=tuple(range(1, rank + 1))
    )
    windows = windows[(slice(None),) + tuple(slice(None, None, s) for s in strides)]
    out = reduce(windows, axis=tuple(range(-rank, 0)))
    if op == "average_pool":
        # Padded positions do not count toward the average.
        ones = np.pad(np.ones(x.shape[1:-1], x.dtype), pads)
        counts = np.lib.stride_tricks.sliding_window_view(ones, pool_size)
        counts = counts[tuple(slice(None, None, s) for s in strides)].sum(
            axis=tuple(range(-rank, 0))
        )
        out = out / counts[None, ..., None]
    out = out.astype(x.dtype)
    return out if channels_last else np.moveaxis(out, -1, 1)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = core.convert_to_tensor(inputs)
    lowest = -np.inf if inputs.dtype.kind == "f" else np.iinfo(inputs.dtype).min
    return _pool("max_pool", np.max, lowest, inputs, pool_size, strides, padding, data_format)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = core.convert_to_tensor(inputs)
    inputs = inputs.astype(
        core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(inputs.dtype)))
    )
    return _pool("average_pool", np.sum, 0, inputs, pool_size, strides, padding, data_format)

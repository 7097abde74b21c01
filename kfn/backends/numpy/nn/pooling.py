"""NumPy backend: pooling primitives, as reductions over sliding windows (adaptive pooling as
reshapes or gathers)."""

from __future__ import annotations

import numpy as np

from kfn.backends.common import convolution as conv_rules
from kfn.backends.common import dtypes
from kfn.backends.numpy import core


def _pool(op, reduce, fill, inputs, pool_size, strides, padding, data_format):
    channels_last = conv_rules.channels_last(data_format, op)
    arguments = conv_rules.pool_arguments(
        op, inputs.shape, pool_size, strides, padding, channels_last
    )
    rank = arguments.rank
    x = inputs if channels_last else np.moveaxis(inputs, 1, -1)
    padded = np.pad(x, [(0, 0), *arguments.pads, (0, 0)], constant_values=fill)
    windows = np.lib.stride_tricks.sliding_window_view(
        padded, arguments.pool_size, axis=tuple(range(1, rank + 1))
    )
    windows = windows[(slice(None),) + tuple(slice(None, None, s) for s in arguments.strides)]
    out = reduce(windows, axis=tuple(range(-rank, 0)))
    if op == "average_pool":
        # Padded positions do not count toward the average.
        counts = conv_rules.window_counts(
            x.shape[1:-1], arguments.pool_size, arguments.strides, arguments.pads
        )
        out = out / counts[None, ..., None]
    out = out.astype(x.dtype, copy=False)
    return out if channels_last else np.moveaxis(out, -1, 1)


def _lowest(dtype):
    if dtype == np.bool_:
        return False
    if dtype.kind in "iu":
        return np.iinfo(dtype).min
    return -np.inf


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = core.convert_to_tensor(inputs)
    return _pool(
        "max_pool", np.max, _lowest(inputs.dtype), inputs, pool_size, strides, padding, data_format
    )


def _to_float(inputs):
    inputs = core.convert_to_tensor(inputs)
    return inputs.astype(
        core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(inputs.dtype))), copy=False
    )


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = _to_float(inputs)
    return _pool("average_pool", np.sum, 0, inputs, pool_size, strides, padding, data_format)


def _adaptive(x, arguments, average):
    """Pool each spatial axis in turn: a reshape when the windows tile the axis, else a gather
    of every window (short ones repeat an index, weighted 0 in the average)."""
    for axis, windows in zip(arguments.axes, arguments.windows):
        if windows.width:
            tiled = x.reshape(x.shape[:axis] + (windows.out, windows.width) + x.shape[axis + 1 :])
            x = tiled.mean(axis + 1, dtype=x.dtype) if average else tiled.max(axis + 1)
            continue
        gathered = np.take(x, windows.index, axis=axis)  # (..., out, widest, ...)
        if average:
            weights = windows.weights.reshape(windows.weights.shape + (1,) * (x.ndim - axis - 1))
            x = np.sum(gathered * weights.astype(x.dtype), axis + 1)
        else:
            x = np.max(gathered, axis + 1)
    return x


def adaptive_average_pool(inputs, output_size, data_format=None):
    inputs = _to_float(inputs)
    channels_last = conv_rules.channels_last(data_format, "adaptive_average_pool")
    arguments = conv_rules.adaptive_arguments(
        "adaptive_average_pool", inputs.shape, output_size, channels_last
    )
    return _adaptive(inputs, arguments, average=True)


def adaptive_max_pool(inputs, output_size, data_format=None):
    inputs = core.convert_to_tensor(inputs)
    channels_last = conv_rules.channels_last(data_format, "adaptive_max_pool")
    arguments = conv_rules.adaptive_arguments(
        "adaptive_max_pool", inputs.shape, output_size, channels_last
    )
    return _adaptive(inputs, arguments, average=False)

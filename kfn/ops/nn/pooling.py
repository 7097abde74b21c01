"""kfn.ops.nn: pooling. `max_pool` and `average_pool` are backend primitives; adaptive
pooling is a composition of kfn.ops."""

import math as _math

from kfn.backends import active as _active
from kfn.backends import config as _config
from kfn.ops.core import convert_to_tensor as _tensor
from kfn.ops.dispatch import composite as _composite
from kfn.ops.dispatch import primitive_of as _primitive_of
from kfn.ops.numpy import reductions as _reduce
from kfn.ops.numpy import shape as _shape

_primitive = _primitive_of(_active.nn.pooling)


@_primitive
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """The maximum over sliding windows of `pool_size` (1-D, 2-D or 3-D).

    Args:
        inputs: (batch, spatial..., channels), or channels first.
        pool_size: an int or one per spatial axis.
        strides: the window step; default `pool_size`.
        padding: "valid" or "same" (padded positions never win).
        data_format: "channels_last" or "channels_first"; None uses the configured default.

    Example:
        >>> kfn.ops.max_pool(kfn.ops.ones((1, 4, 4, 3)), 2).shape
        (1, 2, 2, 3)
    """


@_primitive
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """The mean over sliding windows of `pool_size` (1-D, 2-D or 3-D). With "same" padding
    the padded positions are left out of each mean, as Keras and TensorFlow do.

    Example:
        >>> kfn.ops.average_pool(kfn.ops.ones((1, 4, 4, 3)), 2).shape
        (1, 2, 2, 3)
    """


def _adaptive(reduce, op, inputs, output_size, data_format):
    x = _tensor(inputs)
    rank = len(x.shape) - 2
    if rank not in (1, 2, 3):
        raise ValueError(
            f"kfn.ops.{op}: inputs must be 3-D, 4-D or 5-D, got shape {tuple(x.shape)}"
        )
    sizes = (output_size,) * rank if isinstance(output_size, int) else tuple(output_size)
    if len(sizes) != rank:
        raise ValueError(
            f"kfn.ops.{op}: output_size must be an int or {rank} ints, got {output_size!r}"
        )
    first = 1 if _config.standardize_data_format(data_format) == "channels_last" else 2
    # Windows are products of per-axis intervals: reduce one axis at a time.
    for offset, out in enumerate(sizes):
        axis = first + offset
        length = x.shape[axis]
        pieces = []
        for i in range(out):
            start = (i * length) // out
            stop = _math.ceil((i + 1) * length / out)
            window = _shape.split(x, [start, stop], axis=axis)[1]
            pieces.append(reduce(window, axis=axis, keepdims=True))
        x = _shape.concatenate(pieces, axis=axis)
    return x


@_composite
def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed `output_size` (an int or one per spatial axis): output
    position i averages the inputs in [floor(i * n / out), ceil((i + 1) * n / out)).

    Example:
        >>> kfn.ops.adaptive_average_pool(kfn.ops.ones((1, 7, 7, 3)), 2).shape
        (1, 2, 2, 3)
    """
    return _adaptive(_reduce.mean, "adaptive_average_pool", inputs, output_size, data_format)


@_composite
def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed `output_size` (see `adaptive_average_pool` for the windows).

    Example:
        >>> kfn.ops.adaptive_max_pool(kfn.ops.ones((1, 7, 7, 3)), 2).shape
        (1, 2, 2, 3)
    """
    return _adaptive(_reduce.max, "adaptive_max_pool", inputs, output_size, data_format)

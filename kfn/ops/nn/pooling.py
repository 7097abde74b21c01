"""kfn.ops.nn: pooling (max and average, over sliding windows or to a fixed output size).

Inputs are (batch, spatial..., channels) for "channels_last" (the default, see
`kfn.config.image_data_format`) or (batch, channels, spatial...) for "channels_first",
with 1 to 3 spatial axes.
"""

from kfn.backends import active as _active
from kfn.ops.dispatch import primitive_of as _primitive_of

_primitive = _primitive_of(_active.nn.pooling)


@_primitive
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """The maximum over sliding windows (1-D, 2-D or 3-D).

    Args:
        inputs: (batch, spatial..., channels), or channels first. Any real or bool dtype,
            kept in the result.
        pool_size: an int or one int per spatial axis.
        strides: an int or one int per spatial axis; None (default) is `pool_size`.
        padding: "valid" (none) or "same" (output size ceil(n / stride), TensorFlow's
            padding rule); padded positions never win.
        data_format: "channels_last", "channels_first", or None for
            `kfn.config.image_data_format()`.

    Example:
        >>> kfn.ops.max_pool(kfn.ops.ones((1, 4, 4, 3)), 2).shape
        (1, 2, 2, 3)
    """


@_primitive
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """The mean over sliding windows (1-D, 2-D or 3-D).

    Arguments as in `max_pool`. With "same" padding the padded positions are left out of
    each mean, as in Keras and TensorFlow. Integer and bool inputs give floatx.

    Example:
        >>> kfn.ops.average_pool(kfn.ops.ones((1, 4, 4, 3)), 2, strides=1, padding="same").shape
        (1, 4, 4, 3)
    """


@_primitive
def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed output size (like torch's adaptive_avg_pool).

    Along an axis of size n, output position i averages the inputs in
    [floor(i * n / out), ceil((i + 1) * n / out)).

    Args:
        inputs: (batch, spatial..., channels), or channels first, with 1 to 3 spatial axes.
        output_size: an int or one int per spatial axis.
        data_format: as in `max_pool`.

    Returns:
        A tensor with the spatial sizes `output_size`; floatx for integer and bool inputs.

    Example:
        >>> kfn.ops.adaptive_average_pool(kfn.ops.ones((1, 7, 7, 3)), 2).shape
        (1, 2, 2, 3)
    """


@_primitive
def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed output size (windows as in `adaptive_average_pool`); the dtype
    is kept.

    Example:
        >>> kfn.ops.adaptive_max_pool(kfn.ops.ones((1, 7, 7, 3)), (2, 3)).shape
        (1, 2, 3, 3)
    """

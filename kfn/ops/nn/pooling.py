"""kfn.ops.nn: pooling, over sliding windows or to a fixed output size. All four ops are
backend primitives. Layouts are Keras's: inputs (batch, spatial..., channels) for
"channels_last" (the default, see `kfn.config.image_data_format`) or (batch, channels,
spatial...) for "channels_first", with 1 to 3 spatial axes."""

from kfn.backends import active as _active
from kfn.ops.dispatch import primitive_of as _primitive_of

_primitive = _primitive_of(_active.nn.pooling)


@_primitive
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """The maximum over sliding windows of `pool_size` (1-D, 2-D or 3-D).

    Args:
        inputs: (batch, spatial..., channels), or channels first; any real or bool dtype,
            kept in the result.
        pool_size: an int or one per spatial axis.
        strides: the window step (an int or one per spatial axis); None is `pool_size`.
        padding: "valid" (each window must fit in the input) or "same" (output size
            ceil(n / stride), TensorFlow's padding rule; padded positions never win).
        data_format: "channels_last" or "channels_first"; None uses the configured default.

    Example:
        >>> kfn.ops.max_pool(kfn.ops.ones((1, 4, 4, 3)), 2).shape
        (1, 2, 2, 3)
    """


@_primitive
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """The mean over sliding windows of `pool_size` (1-D, 2-D or 3-D), arguments as in
    `max_pool`. With "same" padding the padded positions are left out of each mean, as Keras
    and TensorFlow do. Integer and bool inputs give floatx.

    Example:
        >>> kfn.ops.average_pool(kfn.ops.ones((1, 4, 4, 3)), 2).shape
        (1, 2, 2, 3)
    """


@_primitive
def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed `output_size` (an int or one per spatial axis; 1-D, 2-D or
    3-D): along an axis of size n, output position i averages the inputs in
    [floor(i * n / out), ceil((i + 1) * n / out)), as torch's adaptive pooling does. Integer
    and bool inputs give floatx.

    Example:
        >>> kfn.ops.adaptive_average_pool(kfn.ops.ones((1, 7, 7, 3)), 2).shape
        (1, 2, 2, 3)
    """


@_primitive
def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed `output_size` (windows as in `adaptive_average_pool`); the dtype
    is kept.

    Example:
        >>> kfn.ops.adaptive_max_pool(kfn.ops.ones((1, 7, 7, 3)), (2, 3)).shape
        (1, 2, 3, 3)
    """

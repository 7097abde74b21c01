"""kfn.ops.nn: convolution, and the rearrangements around it (unfold/fold, depth/space).

Layouts are Keras's: inputs (batch, spatial..., channels) for "channels_last" (the default,
see `kfn.config.image_data_format`) or (batch, channels, spatial...) for "channels_first",
with 1 to 3 spatial axes; kernels (spatial..., in_channels / groups, out_channels).
`separable_conv`, `depth_to_space` and `space_to_depth` are compositions of other ops; the
rest are backend primitives.
"""

from kfn.backends import active as _active
from kfn.backends.common import convolution as _rules
from kfn.ops.core import convert_to_tensor as _tensor
from kfn.ops.dispatch import primitive_of as _primitive_of
from kfn.ops.numpy import shape as _shape

_primitive = _primitive_of(_active.nn.convolution)


@_primitive
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """General N-D convolution (1-D, 2-D or 3-D; strictly cross-correlation, as in Keras).

    Args:
        inputs: (batch, spatial..., channels), or (batch, channels, spatial...) for
            "channels_first".
        kernel: (spatial..., in_channels / groups, out_channels). When the kernel's input
            channels divide the input's, the convolution is grouped: input channel group g
            (of in_channels / groups consecutive channels) feeds output channel group g.
        strides: an int or one int per spatial axis.
        padding: "valid" (none), "same" (output size ceil(n / stride); TensorFlow's padding
            rule, the odd element at the end), or for 1-D inputs "causal" (dilated kernel
            size - 1 at the start, so output t sees inputs up to t only).
        data_format: "channels_last", "channels_first", or None for
            `kfn.config.image_data_format()`.
        dilation_rate: an int or one int per spatial axis; may exceed 1 together with strides.

    Returns:
        A tensor of dtype `result_type(inputs, kernel)` (floatx for integer and bool
        inputs), with out_channels channels.

    Example:
        >>> x, kernel = kfn.ops.ones((1, 5, 5, 3)), kfn.ops.ones((3, 3, 3, 8))
        >>> kfn.ops.conv(x, kernel, padding="same").shape
        (1, 5, 5, 8)
    """


@_primitive
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise convolution: each input channel convolved with its own `multiplier` filters.

    Args:
        inputs: (batch, spatial..., channels), or channels first.
        kernel: (spatial..., channels, multiplier). Output channel c * multiplier + m is
            input channel c convolved with kernel[..., c, m].
        strides, padding, data_format, dilation_rate: as in `conv`.

    Returns:
        A tensor with channels * multiplier channels, of `conv`'s dtype.

    Example:
        >>> kfn.ops.depthwise_conv(kfn.ops.ones((1, 5, 5, 3)), kfn.ops.ones((3, 3, 3, 2))).shape
        (1, 3, 3, 6)
    """


@_primitive
def conv_transpose(
    inputs,
    kernel,
    strides=1,
    padding="valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    """Transposed convolution (the gradient of `conv` with respect to its input), with
    Keras's output sizes.

    Along each spatial axis of size n, with dilated kernel size k = (kernel - 1) * dilation
    + 1, the output has size (n - 1) * stride + max(k, stride) for "valid" and n * stride for
    "same"; with `output_padding` p, (n - 1) * stride + k + p for "valid" and
    (n - 1) * stride + k % 2 + p for "same".

    Args:
        inputs: (batch, spatial..., in_channels), or channels first.
        kernel: (spatial..., out_channels, in_channels) (Keras's layout).
        strides, dilation_rate: an int or one int per spatial axis.
        padding: "valid" or "same".
        output_padding: None, or an int or one int per spatial axis, each smaller than its
            stride: the extra size of the output.
        data_format: as in `conv`.

    Example:
        >>> x, kernel = kfn.ops.ones((1, 4, 4, 3)), kfn.ops.ones((3, 3, 8, 3))
        >>> kfn.ops.conv_transpose(x, kernel, strides=2, padding="same").shape
        (1, 8, 8, 8)
    """


def separable_conv(
    inputs,
    depthwise_kernel,
    pointwise_kernel,
    strides=1,
    padding="valid",
    data_format=None,
    dilation_rate=1,
):
    """A depthwise convolution followed by a pointwise convolution (stride 1, "valid").

    Args:
        inputs: (batch, spatial..., channels), or channels first.
        depthwise_kernel: (spatial..., channels, multiplier), see `depthwise_conv`.
        pointwise_kernel: (1, ..., 1, channels * multiplier, out_channels).
        strides, padding, data_format, dilation_rate: of the depthwise convolution.

    Example:
        >>> x = kfn.ops.ones((1, 5, 5, 3))
        >>> kfn.ops.separable_conv(x, kfn.ops.ones((3, 3, 3, 2)), kfn.ops.ones((1, 1, 6, 8))).shape
        (1, 3, 3, 8)
    """
    depthwise = depthwise_conv(
        inputs, depthwise_kernel, strides, padding, data_format, dilation_rate
    )
    return conv(depthwise, pointwise_kernel, 1, "valid", data_format, dilation_rate)


@_primitive
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding blocks of a (batch, channels, height, width) tensor as columns (im2col, like
    torch's `unfold`).

    Args:
        x: (batch, channels, height, width) (channels first, whatever `data_format` is).
        kernel_size, dilation, stride: an int or two ints (height, width).
        padding: an int or two ints: zeros added on both sides of height and width.

    Returns:
        (batch, channels * kh * kw, blocks), of x's dtype: column (c, i, j) (in that order)
        holds kernel position (i, j) of channel c for every block, blocks in row-major order.

    Example:
        >>> kfn.ops.unfold(kfn.ops.ones((1, 2, 4, 4)), 2).shape
        (1, 8, 9)
    """


@_primitive
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Columns summed back into an image (col2im, like torch's `fold`): the transpose of
    `unfold`, where overlapping blocks add up.

    Args:
        x: (batch, channels * kh * kw, blocks), as `unfold` returns it.
        output_size: (height, width) of the image (or one int for both).
        kernel_size, dilation, padding, stride: as given to `unfold`.

    Returns:
        (batch, channels, height, width), of x's dtype.

    Example:
        >>> kfn.ops.fold(kfn.ops.ones((1, 8, 9)), (4, 4), 2).shape
        (1, 2, 4, 4)
    """


def depth_to_space(x, block_size, data_format="channels_last"):
    """Move blocks of channels into blocks of space (pixel shuffle).

    (batch, height, width, channels * b * b) becomes (batch, height * b, width * b,
    channels), or channels first (batch, channels * b * b, height, width) becomes
    (batch, channels, height * b, width * b). As in Keras, the channel index is read as
    (row in block, column in block, channel) for "channels_last" (TensorFlow's order) and as
    (channel, row in block, column in block) for "channels_first" (torch's pixel_shuffle).

    Example:
        >>> kfn.ops.depth_to_space(kfn.ops.ones((1, 2, 2, 8)), 2).shape
        (1, 4, 4, 2)
    """
    x = _tensor(x)
    first = _block_format("depth_to_space", x, block_size, data_format)
    b = block_size
    if first:
        _, channels, height, width = x.shape
        depth = _divided("depth_to_space", channels, b * b, "channels")
        blocks = _shape.reshape(x, (-1, depth, b, b, height, width))
        moved = _shape.transpose(blocks, (0, 1, 4, 2, 5, 3))
        return _shape.reshape(moved, (-1, depth, height * b, width * b))
    _, height, width, channels = x.shape
    depth = _divided("depth_to_space", channels, b * b, "channels")
    blocks = _shape.reshape(x, (-1, height, width, b, b, depth))
    moved = _shape.transpose(blocks, (0, 1, 3, 2, 4, 5))
    return _shape.reshape(moved, (-1, height * b, width * b, depth))


def space_to_depth(x, block_size, data_format="channels_last"):
    """Move blocks of space into channels: the inverse of `depth_to_space`.

    (batch, height * b, width * b, channels) becomes (batch, height, width,
    channels * b * b), or channels first (batch, channels, height * b, width * b) becomes
    (batch, channels * b * b, height, width), channel order as in `depth_to_space`.

    Example:
        >>> kfn.ops.space_to_depth(kfn.ops.ones((1, 4, 4, 2)), 2).shape
        (1, 2, 2, 8)
    """
    x = _tensor(x)
    first = _block_format("space_to_depth", x, block_size, data_format)
    b = block_size
    if first:
        _, channels, height, width = x.shape
        rows = _divided("space_to_depth", height, b, "height")
        columns = _divided("space_to_depth", width, b, "width")
        blocks = _shape.reshape(x, (-1, channels, rows, b, columns, b))
        moved = _shape.transpose(blocks, (0, 1, 3, 5, 2, 4))
        return _shape.reshape(moved, (-1, channels * b * b, rows, columns))
    _, height, width, channels = x.shape
    rows = _divided("space_to_depth", height, b, "height")
    columns = _divided("space_to_depth", width, b, "width")
    blocks = _shape.reshape(x, (-1, rows, b, columns, b, channels))
    moved = _shape.transpose(blocks, (0, 1, 3, 2, 4, 5))
    return _shape.reshape(moved, (-1, rows, columns, channels * b * b))


def _block_format(op, x, block_size, data_format) -> bool:
    """Check a depth_to_space / space_to_depth call; whether it is channels first."""
    if len(x.shape) != 4:
        raise ValueError(
            f"kfn.ops.{op}: x must be 4-D (batch, height, width, channels, or channels "
            f"first), got shape {tuple(x.shape)}"
        )
    if not isinstance(block_size, int) or isinstance(block_size, bool) or block_size < 1:
        raise ValueError(f"kfn.ops.{op}: block_size must be a positive int, got {block_size!r}")
    return not _rules.channels_last(data_format, op)


def _divided(op, size, block, name) -> int:
    if size is None:
        raise ValueError(f"kfn.ops.{op}: the {name} axis of x must have a known size")
    if size % block:
        raise ValueError(f"kfn.ops.{op}: {name} ({size}) must be divisible by {block}")
    return size // block

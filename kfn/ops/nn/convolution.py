"""kfn.ops.nn: convolution, and the rearrangements around it (unfold/fold, depth/space).

`conv`, `depthwise_conv` and `conv_transpose` are backend primitives; the rest are
compositions of kfn.ops. Layouts are Keras's: inputs (batch, spatial..., channels) for
"channels_last" (the default, see `kfn.config.image_data_format`) or (batch, channels,
spatial...) for "channels_first"; kernels (spatial..., in_channels / groups, out_channels).
"""

from kfn.backends import active as _active
from kfn.backends import config as _config
from kfn.ops.core import convert_to_tensor as _tensor
from kfn.ops.dispatch import composite as _composite
from kfn.ops.dispatch import primitive_of as _primitive_of
from kfn.ops.numpy import creation as _create
from kfn.ops.numpy import shape as _shape

_primitive = _primitive_of(_active.nn.convolution)


@_primitive
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (1-D, 2-D or 3-D; strictly, cross-correlation, as in every framework).

    Args:
        inputs: (batch, spatial..., channels), or channels first.
        kernel: (spatial..., in_channels / groups, out_channels); when the kernel's input
            channels divide the input's, the convolution is grouped.
        strides, dilation_rate: an int or one per spatial axis (both may exceed 1 together).
        padding: "valid" (no padding; the dilated kernel must fit in the input) or "same"
            (output size ceil(n / stride), TensorFlow's padding rule, the extra element at
            the end).
        data_format: "channels_last" or "channels_first"; None uses the configured default.

    Returns:
        out_channels channels, of dtype `result_type(inputs, kernel)` (floatx for integer
        and bool operands).

    Example:
        >>> kfn.ops.conv(kfn.ops.ones((1, 5, 5, 3)), kfn.ops.ones((3, 3, 3, 8)), padding="same").shape
        (1, 5, 5, 8)
    """


@_primitive
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise convolution: each input channel convolved with its own `multiplier` filters.

    Args:
        inputs: (batch, spatial..., channels), or channels first.
        kernel: (spatial..., channels, multiplier); the output has channels * multiplier
            channels (channel c's filters at c * multiplier ... c * multiplier + multiplier - 1).
        strides, padding, data_format, dilation_rate: as in `conv`.

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
    """Transposed convolution (the gradient of `conv` with respect to its input), as Keras
    defines it.

    Args:
        inputs: (batch, spatial..., in_channels), or channels first.
        kernel: (spatial..., out_channels, in_channels) (Keras's layout).
        strides, dilation_rate, data_format: as in `conv`; padding "valid" or "same".
        output_padding: None, an int or one per spatial axis, each smaller than its stride.
            Along an axis of size n, with dilated kernel size k, the output has size
            (n - 1) * stride + max(k, stride) for "valid" and n * stride for "same"; with
            output_padding p, (n - 1) * stride + k + p and (n - 1) * stride + k % 2 + p.

    Example:
        >>> kfn.ops.conv_transpose(kfn.ops.ones((1, 4, 4, 3)), kfn.ops.ones((3, 3, 8, 3)), strides=2, padding="same").shape
        (1, 8, 8, 8)
    """


@_composite
def separable_conv(
    inputs,
    depthwise_kernel,
    pointwise_kernel,
    strides=1,
    padding="valid",
    data_format=None,
    dilation_rate=1,
):
    """A depthwise convolution followed by a pointwise (1 x 1) convolution.

    Args:
        depthwise_kernel: (spatial..., channels, multiplier).
        pointwise_kernel: (1, ..., 1, channels * multiplier, out_channels).

    Example:
        >>> kfn.ops.separable_conv(x, kfn.ops.ones((3, 3, 3, 2)), kfn.ops.ones((1, 1, 6, 8)))
    """
    depthwise = depthwise_conv(
        inputs, depthwise_kernel, strides, padding, data_format, dilation_rate
    )
    return conv(depthwise, pointwise_kernel, 1, "valid", data_format, 1)


def _pair(value, name, op):
    """An int or two ints as a pair (padding may be 0, the other sizes must be positive)."""
    values = (value, value) if isinstance(value, int) else tuple(value)
    smallest = 0 if name == "padding" else 1
    if len(values) != 2 or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= smallest for v in values
    ):
        kind = "non-negative" if smallest == 0 else "positive"
        raise ValueError(
            f"kfn.ops.{op}: {name} must be a {kind} int or two {kind} ints, got {value!r}"
        )
    return values


@_composite
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding local blocks of a (batch, channels, height, width) tensor, as columns (im2col,
    torch's `unfold`): output (batch, channels * kh * kw, blocks).

    Example:
        >>> kfn.ops.unfold(kfn.ops.ones((1, 2, 4, 4)), 2).shape
        (1, 8, 9)
    """
    x = _tensor(x)
    if len(x.shape) != 4:
        raise ValueError(
            f"kfn.ops.unfold: x must be 4-D (batch, channels, height, width), got shape {tuple(x.shape)}"
        )
    kernel = _pair(kernel_size, "kernel_size", "unfold")
    dilation = _pair(dilation, "dilation", "unfold")
    stride = _pair(stride, "stride", "unfold")
    pad = _pair(padding, "padding", "unfold")
    batch, channels, height, width = x.shape
    x = _shape.pad(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
    out_h = (height + 2 * pad[0] - (kernel[0] - 1) * dilation[0] - 1) // stride[0] + 1
    out_w = (width + 2 * pad[1] - (kernel[1] - 1) * dilation[1] - 1) // stride[1] + 1
    blocks = []
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            top, left = i * dilation[0], j * dilation[1]
            blocks.append(
                x[
                    :,
                    :,
                    top : top + (out_h - 1) * stride[0] + 1 : stride[0],
                    left : left + (out_w - 1) * stride[1] + 1 : stride[1],
                ]
            )
    stacked = _shape.stack(blocks, axis=2)  # (batch, channels, kh * kw, out_h, out_w)
    return _shape.reshape(stacked, (_batch(batch), channels * kernel[0] * kernel[1], out_h * out_w))


def _batch(size):
    """A batch size for reshape: -1 when unknown (it is the one free axis)."""
    return -1 if size is None else size


def _spread(patch, stride, axis):
    """`patch` with stride - 1 zeros after each element along `axis` (the trailing ones cut)."""
    if stride == 1:
        return patch
    size = patch.shape[axis]
    spread = _shape.stack([patch] + [_create.zeros_like(patch)] * (stride - 1), axis=axis + 1)
    shape = [-1 if d is None else d for d in patch.shape]  # an unknown batch size
    shape[axis] = size * stride
    spread = _shape.reshape(spread, shape)
    return _shape.split(spread, [(size - 1) * stride + 1], axis=axis)[0]


@_composite
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """The inverse of `unfold`: columns (batch, channels * kh * kw, blocks) summed back into
    a (batch, channels, height, width) tensor of `output_size` (overlaps add up).

    Example:
        >>> kfn.ops.fold(kfn.ops.ones((1, 8, 9)), (4, 4), 2).shape
        (1, 2, 4, 4)
    """
    x = _tensor(x)
    kernel = _pair(kernel_size, "kernel_size", "fold")
    dilation = _pair(dilation, "dilation", "fold")
    stride = _pair(stride, "stride", "fold")
    pad = _pair(padding, "padding", "fold")
    height, width = _pair(output_size, "output_size", "fold")
    batch, columns, blocks = x.shape
    per_block = kernel[0] * kernel[1]
    if columns % per_block:
        raise ValueError(
            f"kfn.ops.fold: x's second axis ({columns}) must be a multiple of kernel height x "
            f"width ({per_block})"
        )
    channels = columns // per_block
    full_h, full_w = height + 2 * pad[0], width + 2 * pad[1]
    out_h = (full_h - (kernel[0] - 1) * dilation[0] - 1) // stride[0] + 1
    out_w = (full_w - (kernel[1] - 1) * dilation[1] - 1) // stride[1] + 1
    if out_h * out_w != blocks:
        raise ValueError(
            f"kfn.ops.fold: output_size {(height, width)} with this kernel, stride, dilation and "
            f"padding gives {out_h * out_w} blocks, but x has {blocks}"
        )
    patches = _shape.reshape(x, (_batch(batch), channels, per_block, out_h, out_w))
    total = None
    for index in range(per_block):
        i, j = divmod(index, kernel[1])
        patch = _spread(_spread(patches[:, :, index], stride[0], 2), stride[1], 3)
        top, left = i * dilation[0], j * dilation[1]
        placed = _shape.pad(
            patch,
            (
                (0, 0),
                (0, 0),
                (top, full_h - top - patch.shape[2]),
                (left, full_w - left - patch.shape[3]),
            ),
        )
        total = placed if total is None else total + placed
    return total[:, :, pad[0] : pad[0] + height, pad[1] : pad[1] + width]


@_composite
def depth_to_space(x, block_size, data_format="channels_last"):
    """Rearrange channel blocks into spatial blocks: (batch, height, width, channels * b * b)
    becomes (batch, height * b, width * b, channels). Channels last uses TensorFlow's DCR
    order; channels first the pixel-shuffle (CRD) order, as Keras does.

    Example:
        >>> kfn.ops.depth_to_space(kfn.ops.ones((1, 2, 2, 8)), 2).shape
        (1, 4, 4, 2)
    """
    x = _tensor(x)
    b = _check_blocks("depth_to_space", x, block_size)
    if _config.standardize_data_format(data_format) == "channels_first":
        batch, channels, height, width = x.shape
        _check_divisible("depth_to_space", channels, b * b, "channels")
        # Channels first uses the pixel-shuffle (CRD) order, as Keras does.
        blocks = _shape.reshape(x, (_batch(batch), channels // (b * b), b, b, height, width))
        moved = _shape.transpose(blocks, (0, 1, 4, 2, 5, 3))
        return _shape.reshape(moved, (_batch(batch), channels // (b * b), height * b, width * b))
    batch, height, width, channels = x.shape
    _check_divisible("depth_to_space", channels, b * b, "channels")
    blocks = _shape.reshape(x, (_batch(batch), height, width, b, b, channels // (b * b)))
    moved = _shape.transpose(blocks, (0, 1, 3, 2, 4, 5))
    return _shape.reshape(moved, (_batch(batch), height * b, width * b, channels // (b * b)))


@_composite
def space_to_depth(x, block_size, data_format="channels_last"):
    """The inverse of `depth_to_space`: (batch, height * b, width * b, channels) becomes
    (batch, height, width, channels * b * b).

    Example:
        >>> kfn.ops.space_to_depth(kfn.ops.ones((1, 4, 4, 2)), 2).shape
        (1, 2, 2, 8)
    """
    x = _tensor(x)
    b = _check_blocks("space_to_depth", x, block_size)
    if _config.standardize_data_format(data_format) == "channels_first":
        batch, channels, height, width = x.shape
        _check_divisible("space_to_depth", height, b, "height")
        _check_divisible("space_to_depth", width, b, "width")
        blocks = _shape.reshape(x, (_batch(batch), channels, height // b, b, width // b, b))
        moved = _shape.transpose(blocks, (0, 1, 3, 5, 2, 4))
        return _shape.reshape(moved, (_batch(batch), channels * b * b, height // b, width // b))
    batch, height, width, channels = x.shape
    _check_divisible("space_to_depth", height, b, "height")
    _check_divisible("space_to_depth", width, b, "width")
    blocks = _shape.reshape(x, (_batch(batch), height // b, b, width // b, b, channels))
    moved = _shape.transpose(blocks, (0, 1, 3, 2, 4, 5))
    return _shape.reshape(moved, (_batch(batch), height // b, width // b, channels * b * b))


def _check_blocks(op, x, block_size) -> int:
    if len(x.shape) != 4:
        raise ValueError(
            f"kfn.ops.{op}: x must be 4-D (batch, height, width, channels, or channels first), "
            f"got shape {tuple(x.shape)}"
        )
    if not isinstance(block_size, int) or isinstance(block_size, bool) or block_size < 1:
        raise ValueError(f"kfn.ops.{op}: block_size must be a positive int, got {block_size!r}")
    return block_size


def _check_divisible(op, size, block, name):
    if size is not None and size % block:
        raise ValueError(f"kfn.ops.{op}: {name} ({size}) must be divisible by {block}")

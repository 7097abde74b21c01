"""TensorFlow backend: convolution primitives (tf.nn.convolution, depthwise_conv2d,
conv_transpose).

TensorFlow's own "SAME" padding is Keras's rule, so 1-D and 2-D convolutions pad themselves
(also for unknown sizes); 3-D ones are padded explicitly. TensorFlow refuses strides and dilation above 1 together: the dilation then
moves into the kernel (zeros between its taps). The CPU kernels take channels-last inputs
only, and no grouped convolution: groups run one by one.
"""

from __future__ import annotations

import tensorflow as tf

from kfn.backends.common import convolution as conv_rules
from kfn.backends.common import dtypes
from kfn.backends.tensorflow import core

# The dtypes of oneDNN's CPU kernels; TensorFlow's own kernels do the others, with fewer options.
_ONEDNN = (tf.float32, tf.bfloat16)


def _float_pair(inputs, kernel):
    if (
        isinstance(inputs, tf.Tensor)
        and isinstance(kernel, tf.Tensor)
        and inputs.dtype == kernel.dtype
        and inputs.dtype.is_floating
    ):
        return inputs, kernel  # the common case, kept cheap
    inputs, kernel = core.promote(inputs, kernel)
    target = core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(inputs.dtype)))
    return tf.cast(inputs, target), tf.cast(kernel, target)


def _to_channels_last(inputs, channels_last):
    if channels_last:
        return inputs, lambda out: out
    rank = inputs.shape.rank
    to_last = [0, *range(2, rank), 1]
    to_first = [0, rank - 1, *range(1, rank - 1)]
    return tf.transpose(inputs, to_last), lambda out: tf.transpose(out, to_first)


def _dilate_kernel(kernel, dilation):
    """kernel (spatial..., in, out) with dilation - 1 zeros between its taps."""
    for axis, rate in enumerate(dilation):
        if rate == 1:
            continue
        shape = kernel.shape.as_list()
        widths = [[0, 0]] * (axis + 1) + [[0, rate - 1]] + [[0, 0]] * (len(shape) - axis - 1)
        spread = tf.pad(tf.expand_dims(kernel, axis + 1), widths)
        spread = tf.reshape(spread, shape[:axis] + [shape[axis] * rate] + shape[axis + 1 :])
        kernel = spread[(slice(None),) * axis + (slice(0, (shape[axis] - 1) * rate + 1),)]
    return kernel


def _undilated(kernel, strides, dilation):
    """(kernel, dilation) that TensorFlow accepts with `strides`."""
    if max(strides) > 1 and max(dilation) > 1:
        return _dilate_kernel(kernel, dilation), (1,) * len(dilation)
    return kernel, dilation


def _empty_batch(x, kernel, arguments):
    """The result for an empty batch: TensorFlow's CPU convolutions return the input's shape."""
    sizes = [
        conv_rules.conv_output_size(n, k, s, d, arguments.padding)
        for n, k, s, d in zip(x.shape[1:-1], kernel.shape, arguments.strides, arguments.dilation)
    ]
    return tf.zeros([0, *sizes, kernel.shape[-1]], x.dtype)


def _padded(x, arguments):
    """(x, padding) for TensorFlow: its own "SAME" in 1-D and 2-D; explicit padding in 3-D,
    where Conv3D's "SAME" gives wrong values for some shapes (unless a size is unknown)."""
    pads = arguments.pads
    if arguments.rank < 3 or arguments.padding == "valid" or (None, None) in pads:
        return x, arguments.padding.upper()
    if any(before or after for before, after in pads):
        x = tf.pad(x, [[0, 0], *map(list, pads), [0, 0]])
    return x, "VALID"


_CHANNELS_LAST = {1: "NWC", 2: "NHWC", 3: "NDHWC"}


def _convolve(x, kernel, arguments):
    """A convolution of channels-last x, grouped when the kernel has fewer input channels."""
    kernel, dilation = _undilated(kernel, arguments.strides, arguments.dilation)
    x, padding = _padded(x, arguments)
    # Named explicitly: without it TF's own Conv3D gradient fails (it reads data_format).
    layout = _CHANNELS_LAST[arguments.rank]
    if arguments.groups == 1:
        return tf.nn.convolution(
            x,
            kernel,
            strides=arguments.strides,
            padding=padding,
            dilations=dilation,
            data_format=layout,
        )
    pairs = zip(tf.split(x, arguments.groups, axis=-1), tf.split(kernel, arguments.groups, axis=-1))
    return tf.concat(
        [
            tf.nn.convolution(
                a,
                b,
                strides=arguments.strides,
                padding=padding,
                dilations=dilation,
                data_format=layout,
            )
            for a, b in pairs
        ],
        axis=-1,
    )


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_pair(inputs, kernel)
    channels_last = conv_rules.channels_last(data_format, "conv")
    arguments = conv_rules.conv_arguments(
        "conv", inputs.shape, kernel.shape, strides, padding, channels_last, dilation_rate
    )
    x, restore = _to_channels_last(inputs, channels_last)
    if x.shape[0] == 0:
        return restore(_empty_batch(x, kernel, arguments))
    return restore(_convolve(x, kernel, arguments))


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_pair(inputs, kernel)
    channels_last = conv_rules.channels_last(data_format, "depthwise_conv")
    arguments = conv_rules.depthwise_arguments(
        "depthwise_conv", inputs.shape, kernel.shape, strides, padding, channels_last, dilation_rate
    )
    rank = arguments.rank
    x, restore = _to_channels_last(inputs, channels_last)
    grouped = tf.reshape(kernel, [*kernel.shape[:rank], 1, -1])
    if x.shape[0] == 0:
        return restore(_empty_batch(x, grouped, arguments))
    strides, dilation = arguments.strides, arguments.dilation
    if rank == 3 or (x.dtype not in _ONEDNN and (rank == 1 or strides[0] != strides[1])):
        # No 3-D depthwise kernel, and TensorFlow's own (float64, float16) takes equal
        # strides only: a convolution with one group per channel.
        return restore(_convolve(x, grouped, arguments))
    kernel, dilation = _undilated(kernel, strides, dilation)
    if rank == 1:
        x, kernel = x[:, None], kernel[None]
        strides, dilation = (1, *strides), (1, *dilation)
    out = tf.nn.depthwise_conv2d(
        x,
        kernel,
        strides=(1, *strides, 1),
        padding=arguments.padding.upper(),
        dilations=dilation,
    )
    return restore(out[:, 0] if rank == 1 else out)


def conv_transpose(
    inputs,
    kernel,
    strides=1,
    padding="valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    inputs, kernel = _float_pair(inputs, kernel)
    channels_last = conv_rules.channels_last(data_format, "conv_transpose")
    arguments = conv_rules.transpose_arguments(
        "conv_transpose",
        inputs.shape,
        kernel.shape,
        strides,
        padding,
        output_padding,
        channels_last,
        dilation_rate,
    )
    rank = arguments.rank
    x, restore = _to_channels_last(inputs, channels_last)
    # TensorFlow's transposed convolution takes Keras's kernel layout; its "VALID" result is
    # the full transposed convolution, lengthened as Keras's window needs and then cut to it.
    if max(arguments.dilation) > 1:
        kernel = _dilate_kernel(kernel, arguments.dilation)
    output_shape = [x.shape[0] if x.shape[0] is not None else tf.shape(x)[0]]
    for axis, (k, s, (_, lengthen, _)) in enumerate(
        zip(kernel.shape[:rank], arguments.strides, arguments.windows), start=1
    ):
        n = x.shape[axis] if x.shape[axis] is not None else tf.shape(x)[axis]
        output_shape.append((n - 1) * s + k + lengthen)
    output_shape.append(kernel.shape[-2])
    if not all(isinstance(d, int) for d in output_shape):
        output_shape = tf.stack(output_shape)
    out = tf.nn.conv_transpose(x, kernel, output_shape, arguments.strides, "VALID")
    if any(start or tail for start, _, tail in arguments.windows):
        out = out[(slice(None),) + tuple(slice(a, -b or None) for a, _, b in arguments.windows)]
    return restore(out)

"""TensorFlow backend: convolution primitives (tf.nn.conv2d / conv3d and their transposes).

TensorFlow's CPU kernels want channels-last inputs: channels-first inputs are transposed in
and out (the graph optimizer folds the transposes where it can). 1-D convolutions run as 2-D
ones over a height of 1, and depthwise convolutions as grouped ones (grouped Conv2D is faster
on the CPU than DepthwiseConv2dNative). The CPU kernels that exist decide the rest:

- oneDNN's (float32, bfloat16) take groups and dilation, forward and backward, except
  Conv2D's gradients with strides > 1 and dilation > 1 together, and grouped 3-D.
- TensorFlow's own (float64) take neither groups nor dilation in the gradient (nor dilation
  at all in 3-D); float16 computes in float32.

Where a kernel is missing, the dilation moves into the kernel (zeros between its taps) and
groups run one convolution each. GPUs have all of these; there the workarounds cost speed.
"""

from __future__ import annotations

import tensorflow as tf

from kfn.backends.common import convolution as rules
from kfn.backends.common import dtypes
from kfn.backends.tensorflow import core

_PADDING = {"valid": "VALID", "same": "SAME"}
_ONEDNN = (tf.float32, tf.bfloat16)


def _float_operands(inputs, kernel):
    if (
        isinstance(inputs, tf.Tensor | tf.Variable)
        and isinstance(kernel, tf.Tensor | tf.Variable)
        and inputs.dtype == kernel.dtype
        and inputs.dtype.is_floating
    ):
        return inputs, kernel
    inputs, kernel = core.promote(core.convert_to_tensor(inputs), core.convert_to_tensor(kernel))
    if not (inputs.dtype.is_floating or inputs.dtype.is_complex):
        target = core.to_native_dtype(dtypes.to_float(dtypes.standardize_dtype(inputs.dtype)))
        inputs, kernel = tf.cast(inputs, target), tf.cast(kernel, target)
    return inputs, kernel


def _channels_last(x, plan):
    if plan.channels_last:
        return x
    return tf.transpose(x, [0, *range(2, plan.rank + 2), 1])


def _restore(out, plan):
    if plan.channels_last:
        return out
    return tf.transpose(out, [0, plan.rank + 1, *range(1, plan.rank + 1)])


def _as_2d(x, kernel, plan):
    """A 1-D problem as a 2-D one over a height of 1: (x, kernel, strides, dilation, pads)."""
    if plan.rank == 1:
        strides, dilation = (1, *plan.strides), (1, *plan.dilation)
        return x[:, None], kernel[None], strides, dilation, ((0, 0), *plan.pads)
    return x, kernel, plan.strides, plan.dilation, plan.pads


def _dilate_kernel(kernel, dilation):
    """kernel (spatial..., in, out) with dilation - 1 zeros between its taps."""
    for axis, rate in enumerate(dilation):
        if rate == 1:
            continue
        shape = kernel.shape.as_list()
        size = shape[axis]
        widths = [[0, 0]] * (axis + 1) + [[0, rate - 1]] + [[0, 0]] * (len(shape) - axis - 1)
        spread = tf.pad(tf.expand_dims(kernel, axis + 1), widths)
        spread = tf.reshape(spread, shape[:axis] + [size * rate] + shape[axis + 1 :])
        kernel = spread[(slice(None),) * axis + (slice(0, (size - 1) * rate + 1),)]
    return kernel


def _computable(x, kernel, strides, dilation):
    """(x, kernel, dilation) for kernels that exist on the CPU (see the module docstring)."""
    if x.dtype == tf.float16:
        x, kernel = tf.cast(x, tf.float32), tf.cast(kernel, tf.float32)
    if max(dilation) > 1 and (x.dtype not in _ONEDNN or (len(strides) == 2 and max(strides) > 1)):
        kernel, dilation = _dilate_kernel(kernel, dilation), (1,) * len(dilation)
    return x, kernel, dilation


def _convolve(inputs, kernel, plan):
    """conv for a checked plan; grouped when the kernel's input channels are fewer."""
    x = _channels_last(inputs, plan)
    dtype = x.dtype
    x, kernel, strides, dilation, pads = _as_2d(x, kernel, plan)
    x, kernel, dilation = _computable(x, kernel, strides, dilation)
    if plan.padding == "causal":
        padding = [[0, 0], *map(list, pads), [0, 0]]
    else:
        padding = _PADDING[plan.padding]
    convolve = tf.nn.conv2d if len(strides) == 2 else tf.nn.conv3d
    arguments = ((1, *strides, 1), padding, "NHWC" if len(strides) == 2 else "NDHWC")
    dilations = (1, *dilation, 1)
    if plan.groups > 1 and (len(strides) == 3 or x.dtype not in _ONEDNN):
        pairs = zip(tf.split(x, plan.groups, axis=-1), tf.split(kernel, plan.groups, axis=-1))
        out = tf.concat([convolve(a, b, *arguments, dilations) for a, b in pairs], axis=-1)
    else:
        out = convolve(x, kernel, *arguments, dilations)
    if inputs.shape[0] == 0:
        # TensorFlow's CPU convolutions return the input's shape for an empty batch.
        sizes = [
            rules.conv_output_size(n, k, s, d, p)
            for n, k, s, d, p in zip(x.shape[1:-1], kernel.shape, strides, dilation, pads)
        ]
        out = tf.zeros([0, *sizes, kernel.shape[-1]], out.dtype)
    if plan.rank == 1:
        out = out[:, 0]
    return _restore(tf.cast(out, dtype), plan)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_operands(inputs, kernel)
    plan = rules.conv_plan(
        "conv", inputs.shape, kernel.shape, strides, padding, data_format, dilation_rate
    )
    return _convolve(inputs, kernel, plan)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_operands(inputs, kernel)
    plan = rules.depthwise_plan(
        "depthwise_conv", inputs.shape, kernel.shape, strides, padding, data_format, dilation_rate
    )
    # One group per input channel: (spatial..., 1, channels * multiplier).
    grouped = tf.reshape(kernel, [*kernel.shape[: plan.rank], 1, -1])
    return _convolve(inputs, grouped, plan)


def conv_transpose(
    inputs,
    kernel,
    strides=1,
    padding="valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    inputs, kernel = _float_operands(inputs, kernel)
    plan = rules.transpose_plan(
        "conv_transpose",
        inputs.shape,
        kernel.shape,
        strides,
        padding,
        output_padding,
        data_format,
        dilation_rate,
    )
    x = _channels_last(inputs, plan)
    dtype = x.dtype
    window = rules.transpose_window(plan)
    x, kernel, strides, dilation, _ = _as_2d(x, kernel, plan)
    if plan.rank == 1:
        window = ((0, 0, 0), *window)
    x, kernel, dilation = _computable(x, kernel, strides, dilation)
    # tf's conv_transpose scatters like Keras's, with Keras's kernel layout: the "valid" one,
    # lengthened by `extra`, cut to Keras's window.
    shape = tf.shape(x)
    sizes = [
        (shape[axis + 1] - 1) * s + (k - 1) * d + 1 + extra
        for axis, (k, s, d, (extra, _, _)) in enumerate(
            zip(kernel.shape, strides, dilation, window)
        )
    ]
    output_shape = tf.stack([shape[0], *sizes, kernel.shape[-2]])
    out = tf.nn.conv_transpose(
        x, kernel, output_shape, (1, *strides, 1), "VALID", dilations=(1, *dilation, 1)
    )
    if any(start or tail for _, start, tail in window):
        out = out[(slice(None),) + tuple(slice(start, -tail or None) for _, start, tail in window)]
    if plan.rank == 1:
        out = out[:, 0]
    return _restore(tf.cast(out, dtype), plan)


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    x = core.convert_to_tensor(x)
    plan = rules.patch_plan("unfold", x.shape, kernel_size, dilation, padding, stride)
    (pad_h, pad_w), (kernel_h, kernel_w) = plan.padding, plan.kernel
    if pad_h or pad_w:
        x = tf.pad(x, [[0, 0], [0, 0], [pad_h, pad_h], [pad_w, pad_w]])
    slices = rules.offset_slices(plan.kernel, plan.dilation, plan.stride, plan.blocks)
    columns = tf.stack([x[(slice(None), slice(None)) + rows_columns] for rows_columns in slices], 2)
    blocks = plan.blocks[0] * plan.blocks[1]
    return tf.reshape(columns, [-1, x.shape[1] * kernel_h * kernel_w, blocks])


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    x = core.convert_to_tensor(x)
    plan = rules.patch_plan("fold", x.shape, kernel_size, dilation, padding, stride, output_size)
    (height, width), (pad_h, pad_w) = plan.image, plan.padding
    per_block = plan.kernel[0] * plan.kernel[1]
    channels = x.shape[1] // per_block
    padded = (height + 2 * pad_h, width + 2 * pad_w)
    # Every column entry summed into its place in the flattened padded image, in one op.
    entries = tf.transpose(tf.reshape(x, [-1, channels, per_block * x.shape[2]]), [2, 0, 1])
    summed = tf.math.unsorted_segment_sum(
        entries, rules.fold_positions(plan), padded[0] * padded[1]
    )
    image = tf.reshape(tf.transpose(summed, [1, 2, 0]), [-1, channels, *padded])
    return image[:, :, pad_h : pad_h + height, pad_w : pad_w + width]

"""TensorFlow backend: convolution primitives (tf.nn.convolution, depthwise_conv2d).

Padding is applied explicitly (Keras's "same" rule) and the convolution runs "VALID", so
strides and dilation can both exceed 1 (TensorFlow refuses that combination itself: the
convolution then runs with stride 1 and is subsampled). The CPU kernels take channels-last
inputs only, and no grouped convolution: groups run one by one.
"""

from __future__ import annotations

import tensorflow as tf

from kfn.backends.common import convolution as conv_rules
from kfn.backends.common import dtypes
from kfn.backends.tensorflow import core


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


def _check_kernel(op, kernel, rank):
    if kernel.shape.rank != rank + 2:
        raise ValueError(
            f"kfn.ops.{op}: kernel must be {rank + 2}-D for {rank}-D convolution "
            f"(spatial..., in_channels, out_channels), got shape {tuple(kernel.shape)}"
        )


def _to_channels_last(inputs, data_format):
    if conv_rules.data_format(data_format) == "channels_last":
        return inputs, lambda out: out
    rank = inputs.shape.rank
    to_last = [0, *range(2, rank), 1]
    to_first = [0, rank - 1, *range(1, rank - 1)]
    return tf.transpose(inputs, to_last), lambda out: tf.transpose(out, to_first)


def _pad(x, pads):
    if any(lo or hi for lo, hi in pads):
        x = tf.pad(x, [[0, 0], *[[lo, hi] for lo, hi in pads], [0, 0]])
    return x


def _subsample(out, strides):
    return out[(slice(None),) + tuple(slice(None, None, s) for s in strides)]


def _convolve(x, kernel, strides, dilation):
    """A VALID convolution of a padded channels-last x, for any strides with any dilation."""
    if max(strides) > 1 and max(dilation) > 1:
        return _subsample(
            tf.nn.convolution(x, kernel, strides=1, padding="VALID", dilations=dilation), strides
        )
    return tf.nn.convolution(x, kernel, strides=strides, padding="VALID", dilations=dilation)


def _grouped(x, kernel, strides, dilation, groups):
    if groups == 1:
        return _convolve(x, kernel, strides, dilation)
    inputs = tf.split(x, groups, axis=-1)
    kernels = tf.split(kernel, groups, axis=-1)
    return tf.concat([_convolve(i, k, strides, dilation) for i, k in zip(inputs, kernels)], axis=-1)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_pair(inputs, kernel)
    rank, strides, padding, dilation = conv_rules.conv_arguments(
        "conv", inputs.shape.rank, strides, padding, dilation_rate
    )
    _check_kernel("conv", kernel, rank)
    x, restore = _to_channels_last(inputs, data_format)
    groups = conv_rules.check_channels("conv", x.shape[-1], kernel.shape[-2])
    if groups == 1 and not (max(strides) > 1 and max(dilation) > 1):
        # TensorFlow's own "SAME" is Keras's padding rule: no separate padding op needed.
        return restore(
            tf.nn.convolution(
                x, kernel, strides=strides, padding=padding.upper(), dilations=dilation
            )
        )
    pads = conv_rules.padding_pairs(
        tuple(x.shape[1:-1]), kernel.shape[:rank], strides, dilation, padding
    )
    return restore(_grouped(_pad(x, pads), kernel, strides, dilation, groups))


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    inputs, kernel = _float_pair(inputs, kernel)
    rank, strides, padding, dilation = conv_rules.conv_arguments(
        "depthwise_conv", inputs.shape.rank, strides, padding, dilation_rate
    )
    _check_kernel("depthwise_conv", kernel, rank)
    x, restore = _to_channels_last(inputs, data_format)
    if kernel.shape[-2] != x.shape[-1]:
        raise ValueError(
            f"kfn.ops.depthwise_conv: the kernel's input channels ({kernel.shape[-2]}) must equal "
            f"the input channels ({x.shape[-1]})"
        )
    pads = conv_rules.padding_pairs(
        tuple(x.shape[1:-1]), tuple(kernel.shape[:rank]), strides, dilation, padding
    )
    x = _pad(x, pads)
    if rank == 3:
        # No 3-D depthwise kernel: a convolution with one group per channel.
        grouped = tf.reshape(kernel, kernel.shape[:rank] + [1, -1])
        return restore(_grouped(x, grouped, strides, dilation, x.shape[-1]))
    if rank == 1:
        x, kernel = x[:, None], kernel[None]
        strides, dilation = (1, *strides), (1, *dilation)
    both = max(strides) > 1 and max(dilation) > 1
    out = tf.nn.depthwise_conv2d(
        x,
        kernel,
        strides=(1, 1, 1, 1) if both else (1, *strides, 1),
        padding="VALID",
        dilations=dilation,
    )
    if both:
        out = _subsample(out, strides)
    if rank == 1:
        out = out[:, 0]
    return restore(out)


def _dilate(x, strides):
    """Channels-last x with stride - 1 zeros between the elements of each spatial axis."""
    for axis, stride in enumerate(strides, start=1):
        if stride == 1:
            continue
        size = x.shape[axis]
        spread = tf.stack([x] + [tf.zeros_like(x)] * (stride - 1), axis=axis + 1)
        shape = tf.concat([tf.shape(x)[:axis], [size * stride], tf.shape(x)[axis + 1 :]], 0)
        x = tf.gather(tf.reshape(spread, shape), tf.range((size - 1) * stride + 1), axis=axis)
    return x


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
    rank, strides, padding, dilation = conv_rules.conv_arguments(
        "conv_transpose", inputs.shape.rank, strides, padding, dilation_rate
    )
    _check_kernel("conv_transpose", kernel, rank)
    output_padding = conv_rules.output_padding_tuple(output_padding, rank)
    x, restore = _to_channels_last(inputs, data_format)
    pads = [
        conv_rules.transpose_padding(k, s, d, padding, p)
        for k, s, d, p in zip(kernel.shape[:rank], strides, dilation, output_padding)
    ]
    # The transpose of a convolution: correlate the stride-dilated input with the flipped
    # kernel, its (out, in) channels swapped. Negative padding crops.
    x = _dilate(x, strides)
    crop = tuple(slice(-min(lo, 0), x.shape[1 + i] + min(hi, 0)) for i, (lo, hi) in enumerate(pads))
    x = x[(slice(None),) + crop]
    pads = [(max(lo, 0), max(hi, 0)) for lo, hi in pads]
    perm = list(range(rank)) + [rank + 1, rank]
    forward = tf.reverse(tf.transpose(kernel, perm), axis=list(range(rank)))
    return restore(_convolve(_pad(x, pads), forward, (1,) * rank, dilation))

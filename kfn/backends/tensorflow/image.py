"""The tensorflow backend: kfn.ops.image primitives (see kfn/ops/image.py for the documented
signatures).

`tf.image.resize` has Keras's (JAX's) semantics for every interpolation but plain bicubic
(its ResizeBicubic differs slightly at the borders: `tf.raw_ops.ScaleAndTranslate` with the
Keys kernel is used instead) and "area" (ResizeArea has no gradient). It computes in float32,
so float64 images, "area" and scale_and_translate take the shared composition of
kfn/backends/common/image.py.
"""

from __future__ import annotations

import tensorflow as tf

from kfn.backends.common import image as image_rules
from kfn.backends.tensorflow import core
from kfn.backends.tensorflow import numpy as numpy_api


def _fast_resize(x, size, interpolation, antialias, channels_last):
    if interpolation == "area" or (interpolation != "nearest" and x.dtype != tf.float32):
        return None
    x = x if channels_last else tf.transpose(x, (0, 2, 3, 1))
    if interpolation == "bicubic" and not antialias:
        # Sizes may be dynamic inside a tf.function.
        scale = tf.constant(size, tf.float32) / tf.cast(tf.shape(x)[1:3], tf.float32)
        out = tf.raw_ops.ScaleAndTranslate(
            images=x,
            size=size,
            scale=scale,
            translation=tf.zeros((2,), tf.float32),
            kernel_type="keyscubic",
            antialias=False,
        )
    else:
        out = tf.image.resize(x, size, method=interpolation, antialias=antialias)
    return out if channels_last else tf.transpose(out, (0, 3, 1, 2))


resize, scale_and_translate = image_rules.primitives(core, numpy_api, _fast_resize)

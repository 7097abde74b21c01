"""tensorflow backend: kfn.ops.numpy.elementwise."""

from __future__ import annotations

import tensorflow as tf

from kfn.backends.tensorflow import core


def add(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return tf.add(x1, x2)


def absolute(x):
    return tf.abs(core.convert_to_tensor(x))

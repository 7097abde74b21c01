"""TensorFlow backend: variable storage, a tf.Variable (assigned in place)."""

from __future__ import annotations

import tensorflow as tf

from kfn.backends.tensorflow import core


def create(value, trainable, name):
    value = core.convert_to_tensor(value)
    return tf.Variable(value, trainable=trainable, name=name.replace("/", "_") if name else None)


def read(storage):
    return storage.value()


def write(storage, value):
    """The storage, updated in place with `value`."""
    storage.assign(core.convert_to_tensor(value, storage.dtype))
    return storage


def set_trainable(storage, trainable):
    # tf.Variable's `trainable` is fixed at creation; kfn tracks trainability itself.
    return storage


def init_scope():
    """Where variables are created: eagerly, lifted out of any tf.function being traced."""
    return tf.init_scope()


def register_conversion(variable_class) -> None:
    """Let TensorFlow read a kfn.Variable wherever it takes a tensor, in graphs too."""

    def convert(value, dtype=None, name=None, as_ref=False):
        tensor = value.value
        return tensor if dtype is None else tf.cast(tensor, dtype)

    tf.register_tensor_conversion_function(variable_class, convert)

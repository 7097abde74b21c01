"""NumPy backend: variable storage, an array box."""

from __future__ import annotations

import contextlib

import numpy as np

from kfn.backends.numpy import core


def create(value, trainable, name):
    return np.array(core.convert_to_tensor(value), copy=True)


def read(storage):
    return storage


def write(storage, value):
    """The new storage holding `value` (the box is replaced)."""
    return value


def set_trainable(storage, trainable):
    return storage


def init_scope():
    """Where variables are created (NumPy computes eagerly everywhere)."""
    return contextlib.nullcontext()


def register_conversion(variable_class) -> None:
    """NumPy reads a kfn.Variable through its `__array__`; nothing to register."""

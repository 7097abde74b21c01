"""JAX backend: variable storage, an array box (JAX arrays are immutable)."""

from __future__ import annotations

from kfn.backends.jax import core


def create(value, trainable, name):
    return core.convert_to_tensor(value)


def read(storage):
    return storage


def write(storage, value):
    """The new storage holding `value` (the box is replaced)."""
    return value


def set_trainable(storage, trainable):
    return storage

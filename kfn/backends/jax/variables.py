"""JAX backend: variable storage, an array box (JAX arrays are immutable)."""

from __future__ import annotations

import jax

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


def init_scope():
    """Where variables are created: eagerly, even inside a trace (jax.jit, eval_shape), so a
    layer first built while being traced holds concrete values."""
    return jax.ensure_compile_time_eval()


def register_conversion(variable_class) -> None:
    """Let JAX read a kfn.Variable wherever it takes an array (`jnp.add(x, variable)`)."""
    variable_class.__jax_array__ = lambda self: self.value

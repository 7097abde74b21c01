"""jax backend: kfn.ops.numpy.elementwise."""

from __future__ import annotations

import jax.numpy as jnp

from kfn.backends.jax import core


def add(x1, x2):
    x1, x2 = core.promote(x1, x2)
    return jnp.add(x1, x2)


def absolute(x):
    return jnp.absolute(core.convert_to_tensor(x))

"""JAX backend: the activation primitives of kfn.ops.nn."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kfn.backends.common import dtypes
from kfn.backends.jax import core


def _float(x):
    x = core.convert_to_tensor(x)
    target = dtypes.to_float(dtypes.standardize_dtype(x.dtype))
    return x.astype(core.to_native_dtype(target))


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


@jax.jit
def _relu(x):
    # jax.nn.relu's gradient convention (0 at 0), without its custom_jvp, whose eager
    # dispatch costs about 150 us a call; a jitted where dispatches in a few.
    return jnp.where(x > 0, x, jnp.zeros((), x.dtype))


def relu(x):
    return _relu(core.convert_to_tensor(x))


def leaky_relu(x, negative_slope=0.2):
    return jax.nn.leaky_relu(_float(x), negative_slope=negative_slope)


def elu(x, alpha=1.0):
    return jax.nn.elu(_float(x), alpha=alpha)


def sigmoid(x):
    return jax.nn.sigmoid(_float(x))


def softplus(x):
    return jax.nn.softplus(_float(x))


def silu(x):
    return jax.nn.silu(_float(x))


def gelu(x, approximate=True):
    return jax.nn.gelu(_float(x), approximate=approximate)


def softmax(x, axis=-1):
    return jax.nn.softmax(_float(x), axis=_axis(axis))


def log_softmax(x, axis=-1):
    return jax.nn.log_softmax(_float(x), axis=_axis(axis))

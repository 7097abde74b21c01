"""JAX backend: kfn.ops.numpy array creation."""

from __future__ import annotations

import jax.numpy as jnp

from kfn.backends.common import creation, dtypes
from kfn.backends.jax import core


def _dtype(dtype):
    return core.to_native_dtype(dtypes.standardize_dtype(dtype))


def array(x, dtype=None):
    return core.convert_to_tensor(x, dtype)


def arange(start, stop=None, step=None, dtype=None):
    dtype = creation.arange_dtype(start, stop, step, dtype)
    if stop is None:
        start, stop = 0, start
    return jnp.arange(start, stop, 1 if step is None else step, dtype=_dtype(dtype))


def zeros(shape, dtype=None):
    return jnp.zeros(creation.shape_tuple("zeros", shape), dtype=_dtype(dtype))


def ones(shape, dtype=None):
    return jnp.ones(creation.shape_tuple("ones", shape), dtype=_dtype(dtype))


def empty(shape, dtype=None):
    return jnp.zeros(creation.shape_tuple("empty", shape), dtype=_dtype(dtype))


def full(shape, fill_value, dtype=None):
    return jnp.full(creation.shape_tuple("full", shape), fill_value, dtype=_dtype(dtype))


def zeros_like(x, dtype=None):
    x = core.convert_to_tensor(x)
    return jnp.zeros_like(x, dtype=None if dtype is None else _dtype(dtype))


def ones_like(x, dtype=None):
    x = core.convert_to_tensor(x)
    return jnp.ones_like(x, dtype=None if dtype is None else _dtype(dtype))


def empty_like(x, dtype=None):
    return zeros_like(x, dtype)


def full_like(x, fill_value, dtype=None):
    x = core.convert_to_tensor(x)
    return jnp.full_like(x, fill_value, dtype=None if dtype is None else _dtype(dtype))


def eye(N, M=None, k=0, dtype=None):
    return jnp.eye(N, M, k=k, dtype=_dtype(dtype))


def identity(n, dtype=None):
    return jnp.identity(n, dtype=_dtype(dtype))


def tri(N, M=None, k=0, dtype=None):
    return jnp.tri(N, M, k=k, dtype=_dtype(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = _dtype(creation.space_dtype(start, stop, dtype))
    return jnp.linspace(
        start, stop, num, endpoint=endpoint, retstep=retstep, dtype=dtype, axis=axis
    )


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    dtype = _dtype(creation.space_dtype(start, stop, dtype))
    return jnp.logspace(start, stop, num, endpoint=endpoint, base=base, dtype=dtype, axis=axis)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    dtype = _dtype(creation.space_dtype(start, stop, dtype))
    return jnp.geomspace(start, stop, num, endpoint=endpoint, dtype=dtype, axis=axis)


def meshgrid(*x, indexing="xy"):
    return jnp.meshgrid(*(core.convert_to_tensor(v) for v in x), indexing=indexing)


def vander(x, N=None, increasing=False):
    return jnp.vander(core.convert_to_tensor(x), N=N, increasing=increasing)


def bartlett(x):
    return jnp.bartlett(x).astype(_dtype(None))


def blackman(x):
    return jnp.blackman(x).astype(_dtype(None))


def hamming(x):
    return jnp.hamming(x).astype(_dtype(None))


def hanning(x):
    return jnp.hanning(x).astype(_dtype(None))


def kaiser(x, beta):
    return jnp.kaiser(x, beta).astype(_dtype(None))
